package org.neurode.models.burst;

import java.util.Arrays;

import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;
import org.neurode.core.Problem;
import org.neurode.core.Recorder;
import org.neurode.core.expr.ModelBuilder;
import org.neurode.core.expr.ModelDocuments;
import org.neurode.core.spec.ModelSpec;
import org.neurode.solvers.Simulation;
import org.neurode.solvers.SolveOptions;
import org.neurode.solvers.Solvers;

/**
 * The XOR network of Payeur, Guerguiev, Zenke, Richards &amp; Naud 2021 (Nat. Neurosci. 24:1010, Fig. 4;
 * {@code sim_xor.cpp} and {@code run_xor.sh} of their code) and its training protocol: five populations of
 * {@link BurstPoisson} neurons (input1, input2, hidden1, hidden2, output); from each input to each hidden population
 * plastic event-transmitting excitatory synapses (initial weight 0.234, eta 8e-3) and fixed event-driven inhibition
 * (0.25); from each hidden population to the output the same (eta 4e-3); burst-transmitting feedback from the output
 * to hidden1 (dendrite AMPA 0.26, GABA 0.06, net excitatory) and hidden2 (0.026, 0.27, net inhibitory); connection
 * probability 0.05 x 2000 / N (100 synapses per target on average; all-to-all below N = 100); the backgrounds of
 * {@link BurstPoisson.Background}; constant dendritic currents +400 pA (output) and +500 pA (hidden2).
 *
 * <p>Inputs: a "1" is +150 pA into the somata of an input population, a "0" -350 pA. An example lasts
 * {@code durex}: a prediction phase of 0.9 durex without plasticity, at whose end the cost is computed from the
 * output's mean event trace (binary cross-entropy on {@code clip((E - 2 Hz) / 8 Hz, 0.01, 0.99)}), then a learning
 * phase of 0.1 durex with plasticity on in the hidden and output populations and a teaching current into each
 * output neuron's dendrite, set every millisecond from its event trace E (target 1: +1000 pA up to 3 Hz,
 * +1000 / (E - 2) pA up to 9 Hz, 0 above; target 0 the mirror image about 6 Hz). Examples come in the order (0,0),
 * (1,0), (0,1), (1,1). Times in ms, currents in pA, rates in Hz.
 *
 * @since 0.6
 */
public final class BurstXor {

    /** The populations, in model order. */
    public static final String[] POPULATIONS = {"input1", "input2", "hidden1", "hidden2", "output"};
    /** The four input patterns, in the paper's order. */
    public static final int[][] PATTERNS = {{0, 0}, {1, 0}, {0, 1}, {1, 1}};

    private static final double STEP = 0.1;
    private static final double ONE = 150.0;
    private static final double ZERO = -350.0;
    private static final double TEACHER_UPDATE = 1.0;

    private final int n;
    private final double durex;
    private final Simulation sim;
    private final double[] outputE;
    private final double[] teacher;
    private final double[] buffer;
    private final double[] ones;
    private final double[] zeros;

    /**
     * Builds the network and starts its simulation (forward Euler at 0.1 ms, as Auryn).
     *
     * @param neurons    N, the size of each population (at least 2)
     * @param durex      the duration of one example (ms, positive)
     * @param modelSeed  the seed of the connections, the backgrounds' Poisson spikes and the initial potentials
     * @param runSeed    the seed of the burst draws (the run's generators)
     * @param etaFactor  a factor on both learning rates (1: the paper's)
     */
    public BurstXor(final int neurons, final double durex, final long modelSeed, final long runSeed,
                    final double etaFactor) {
        if (neurons < 2 || !(durex > 0) || Double.isInfinite(durex) || !(etaFactor >= 0)) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "burst XOR: neurons " + neurons + " (at least 2), "
                    + "durex " + durex + " ms (positive) and eta factor " + etaFactor + " (not negative)");
        }
        this.n = neurons;
        this.durex = durex;
        final ModelSpec spec = ModelDocuments.parse(modelText(neurons, etaFactor), ModelDocuments.Format.ODE,
                "burst-xor.ode", "burst-xor").model();
        this.sim = Solvers.get("euler").start(Problem.of(ModelBuilder.from(spec).seed(modelSeed).build(), 1e12),
                SolveOptions.fixedStep(STEP).withSeed(runSeed).withRecorder(Recorder.finalOnly()));
        this.outputE = new double[n];
        this.teacher = new double[n];
        this.buffer = new double[n];
        this.ones = new double[n];
        Arrays.fill(ones, 1.0);
        this.zeros = new double[n];
    }

    /**
     * The network as a model file.
     *
     * @param neurons   N
     * @param etaFactor factor on the learning rates
     * @return the model-file text
     */
    public static String modelText(final int neurons, final double etaFactor) {
        final double p = Math.min(1.0, 0.05 * 2000 / neurons);
        final StringBuilder s = new StringBuilder("model burst-xor\n").append(BurstPoisson.parameters());
        final double[] dendrite = {0, 0, 0, 500, 400};
        final BurstPoisson.Background[] bg = {BurstPoisson.Background.INPUT, BurstPoisson.Background.INPUT,
            BurstPoisson.Background.HIDDEN, BurstPoisson.Background.HIDDEN, BurstPoisson.Background.OUTPUT};
        for (int k = 0; k < POPULATIONS.length; k++) {
            s.append(BurstPoisson.population(POPULATIONS[k], neurons, dendrite[k]))
             .append(BurstPoisson.background(POPULATIONS[k], neurons, bg[k]));
        }
        for (final String in : new String[] {"input1", "input2"}) {
            for (final String h : new String[] {"hidden1", "hidden2"}) {
                s.append(BurstPoisson.plastic("P_" + in + "_" + h, in, h, p, 0.234, 8e-3 * etaFactor))
                 .append(BurstPoisson.fixed("I_" + in + "_" + h, in, "event", h, "ggs", p, 0.25));
            }
        }
        for (final String h : new String[] {"hidden1", "hidden2"}) {
            s.append(BurstPoisson.plastic("P_" + h + "_output", h, "output", p, 0.234, 4e-3 * etaFactor))
             .append(BurstPoisson.fixed("I_" + h + "_output", h, "event", "output", "ggs", p, 0.25));
        }
        s.append(BurstPoisson.fixed("F_e_hidden1", "output", "burst", "hidden1", "gad", p, 0.26))
         .append(BurstPoisson.fixed("F_i_hidden1", "output", "burst", "hidden1", "ggd", p, 0.06))
         .append(BurstPoisson.fixed("F_e_hidden2", "output", "burst", "hidden2", "gad", p, 0.026))
         .append(BurstPoisson.fixed("F_i_hidden2", "output", "burst", "hidden2", "ggd", p, 0.27));
        return s.toString();
    }

    /** @return the simulation (its time, state and synapse values) */
    public Simulation simulation() {
        return sim;
    }

    /** @return N */
    public int neurons() {
        return n;
    }

    /**
     * Runs the network without plasticity for a duration with a pattern's inputs (the burn-in).
     *
     * @param pattern index into {@link #PATTERNS}
     * @param ms      duration (ms)
     */
    public void settle(final int pattern, final double ms) {
        inputs(pattern);
        sim.clearEvents();
        sim.advance(ms);
    }

    /**
     * One pattern without plasticity for {@code durex}.
     *
     * @param pattern index into {@link #PATTERNS}
     * @return the output's event rate over the second half of the example (Hz, counted) and its mean event trace
     *         at the end (Hz)
     */
    public double[] test(final int pattern) {
        inputs(pattern);
        sim.advance(durex / 2);
        sim.clearEvents();
        sim.advance(durex / 2);
        final double rate = countOutputEvents() / (n * durex / 2 / 1000.0);
        sim.copyBlock("output_E", outputE);
        return new double[] {rate, mean(outputE)};
    }

    /**
     * One training example: the prediction phase (0.9 durex), the cost, then the learning phase (0.1 durex) with
     * plasticity and the teaching current.
     *
     * @param pattern index into {@link #PATTERNS}
     * @return the cost at the end of the prediction phase (nats)
     */
    public double example(final int pattern) {
        inputs(pattern);
        sim.clearEvents();
        sim.advance(0.9 * durex);
        sim.copyBlock("output_E", outputE);
        final int target = PATTERNS[pattern][0] ^ PATTERNS[pattern][1];
        final double cost = cost(mean(outputE), target);
        for (final String h : new String[] {"hidden1_gate", "hidden2_gate", "output_gate"}) {
            sim.setBlock(h, ones);
        }
        final double end = sim.time() + 0.1 * durex;
        while (sim.time() < end - 1e-9) {
            sim.copyBlock("output_E", outputE);
            for (int k = 0; k < n; k++) {
                teacher[k] = 400.0 + teaching(outputE[k], target);
            }
            sim.setBlock("output_Id", teacher);
            sim.advanceTo(Math.min(end, sim.time() + TEACHER_UPDATE));
        }
        for (final String h : new String[] {"hidden1_gate", "hidden2_gate", "output_gate"}) {
            sim.setBlock(h, zeros);
        }
        Arrays.fill(teacher, 400.0);
        sim.setBlock("output_Id", teacher);
        sim.clearEvents();
        return cost;
    }

    /**
     * The teaching current of Payeur et al.'s XOR network (e_min 2 Hz, e_max 10 Hz, tolerance 1 Hz).
     *
     * @param e      the neuron's event trace (Hz)
     * @param target 1 or 0
     * @return the current (pA)
     */
    public static double teaching(final double e, final int target) {
        if (target == 1) {
            return e <= 3 ? 1000.0 : e < 9 ? 1000.0 / (e - 2) : 0.0;
        }
        return e >= 9 ? -1000.0 : e > 3 ? -1000.0 / (10 - e) : 0.0;
    }

    /**
     * The cost of Payeur et al.'s XOR network: binary cross-entropy on {@code clip((E - 2) / 8, 0.01, 0.99)}.
     *
     * @param e      the output's mean event trace (Hz)
     * @param target 1 or 0
     * @return the cost (nats)
     */
    public static double cost(final double e, final int target) {
        final double r = Math.min(0.99, Math.max(0.01, (e - 2) / 8));
        return target == 1 ? -Math.log(r) : -Math.log(1 - r);
    }

    private void inputs(final int pattern) {
        for (int k = 0; k < 2; k++) {
            Arrays.fill(buffer, PATTERNS[pattern][k] == 1 ? ONE : ZERO);
            sim.setBlock(k == 0 ? "input1_Is" : "input2_Is", buffer);
        }
    }

    private int countOutputEvents() {
        return sim.eventLog().count("output_event");
    }

    private static double mean(final double[] a) {
        double s = 0;
        for (final double v : a) {
            s += v;
        }
        return s / a.length;
    }
}
