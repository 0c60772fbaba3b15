package org.neurode.models.burst;

import java.util.Arrays;

import org.neurode.core.ErrorCode;
import org.neurode.core.Model;
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
 * probability 0.05 x 2000 / N (100 synapses per target on average, as the paper's N = 500 with p = 0.2); below
 * N = 100, where even all-to-all gives fewer, each connected pair has k = ceil(100 / N) synapses and pairs connect with
 * probability 100 / (k N), so that the in-degree stays 100 ({@link #connection}); the backgrounds of
 * {@link BurstPoisson.Background}; constant dendritic currents +400 pA (output) and +500 pA (hidden2).
 *
 * <p>Inputs: a "1" is +150 pA into the somata of an input population, a "0" -350 pA. An example lasts
 * {@code durex}: a prediction phase of 0.9 durex without plasticity, at whose end the cost is computed from the
 * output's mean event trace (binary cross-entropy on {@code clip((E - 2 Hz) / 8 Hz, 0.01, 0.99)}), then a learning
 * phase of 0.1 durex with plasticity on in the hidden and output populations and a teaching current into each
 * output neuron's dendrite, set once at the start of the phase from its event trace E, as the authors' code does
 * (target 1: +1000 pA up to 3 Hz, +1000 / (E - 2) pA up to 9 Hz, 0 above; target 0 the mirror image about 6 Hz).
 * Examples come in the order (0,0), (1,0), (0,1), (1,1). Times in ms, currents in pA, rates in Hz.
 *
 * <p>Every segment of the protocol ({@link #settle}, {@link #test}, {@link #example}) restarts the random generators
 * of the run (the burst draws and the backgrounds' Poisson spikes) from the run seed and the segment's number, so a
 * network rebuilt from a {@link #snapshot()} taken between segments continues exactly as the original would.
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
    /** Synapses per target and projection in the paper's network (N = 500, p = 0.2). */
    private static final int IN_DEGREE = 100;
    /** The plastic projections, in model order. */
    private static final String[] PLASTIC = {"P_input1_hidden1", "P_input1_hidden2", "P_input2_hidden1",
        "P_input2_hidden2", "P_hidden1_output", "P_hidden2_output"};

    private final int n;
    private final double durex;
    private final long runSeed;
    private long segments;
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
     * @param modelSeed  the seed of the connections, the backgrounds' Poisson groups and the initial potentials
     * @param runSeed    the seed of the run's generators: the burst draws, and the Poisson groups' spikes, which every
     *                   segment restarts from the group's seed mixed with this one and the segment's number
     * @param etaFactor  a factor on both learning rates (1: the paper's)
     */
    public BurstXor(final int neurons, final double durex, final long modelSeed, final long runSeed,
                    final double etaFactor) {
        this(neurons, durex, modelSeed, runSeed, etaFactor, null);
    }

    /**
     * Rebuilds the network from a snapshot taken between two segments of a run with the same settings: it goes on
     * exactly as the network the snapshot was taken from.
     *
     * @param neurons   N
     * @param durex     the duration of one example (ms)
     * @param modelSeed the seed of the connections and the backgrounds
     * @param runSeed   the seed of the run
     * @param etaFactor a factor on both learning rates
     * @param from      the snapshot (not modified), or null to start at t = 0
     * @throws OdeException if the snapshot does not fit the network
     */
    public BurstXor(final int neurons, final double durex, final long modelSeed, final long runSeed,
                    final double etaFactor, final Snapshot from) {
        if (neurons < 2 || !(durex > 0) || Double.isInfinite(durex) || !(etaFactor >= 0)) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "burst XOR: neurons " + neurons + " (at least 2), "
                    + "durex " + durex + " ms (positive) and eta factor " + etaFactor + " (not negative)");
        }
        this.n = neurons;
        this.durex = durex;
        this.runSeed = runSeed;
        final ModelSpec spec = ModelDocuments.parse(modelText(neurons, etaFactor), ModelDocuments.Format.ODE,
                "burst-xor.ode", "burst-xor").model();
        final Model model = ModelBuilder.from(spec).seed(modelSeed).build();
        Problem problem = Problem.of(model, 1e12);
        if (from != null) {
            if (from.state().length != model.dimension() || from.weights().length != PLASTIC.length
                    || !(from.time() >= 0) || from.segments() < 0) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "burst XOR: the snapshot (" + from.state().length
                        + " state variables, " + from.weights().length + " plastic projections) is not of this "
                        + "network (" + model.dimension() + ", " + PLASTIC.length + ")");
            }
            problem = Problem.of(model, from.state(), 1e12).withSpan(from.time(), 1e12);
        }
        this.sim = Solvers.get("euler").start(problem,
                SolveOptions.fixedStep(STEP).withSeed(runSeed).withRecorder(Recorder.finalOnly()));
        if (from != null) {
            for (int k = 0; k < PLASTIC.length; k++) {
                sim.setSynapseValues(PLASTIC[k], "w", from.weights()[k]);
            }
            this.segments = from.segments();
        }
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
        final String p = connection(neurons);
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

    /**
     * The connection rule of the feedforward and feedback projections: the paper's probability 0.05 x 2000 / N
     * (100 synapses per target on average) from N = 100 on; below, k = ceil(100 / N) synapses per connected pair and
     * probability 100 / (k N), so that every target still gets 100 synapses on average (the copies of a pair carry
     * the same spikes: together they act as one synapse of k times the weight, which their plasticity keeps equal).
     *
     * @param neurons N
     * @return the rule in the model language
     */
    public static String connection(final int neurons) {
        if (neurons >= IN_DEGREE) {
            final double p = 0.05 * 2000 / neurons;
            return p >= 1.0 ? "all" : "p = " + BurstPoisson.num(p);
        }
        final int copies = (IN_DEGREE + neurons - 1) / neurons;
        final double p = (double) IN_DEGREE / ((double) copies * neurons);
        return (p >= 1.0 ? "all" : "p = " + BurstPoisson.num(p)) + (copies > 1 ? " n = " + copies : "");
    }

    /**
     * What a run needs to continue between segments: the time, the number of segments run, the state and the
     * weights of the plastic projections.
     *
     * @param time     the simulation's time (ms)
     * @param segments segments run so far
     * @param state    the state (reference kept)
     * @param weights  the weights of the plastic projections in model order (reference kept)
     * @since 0.6
     */
    public record Snapshot(double time, long segments, double[] state, double[][] weights) {
    }

    /**
     * @return a snapshot of the network now (between segments)
     */
    public Snapshot snapshot() {
        final double[] y = new double[sim.layout().dimension()];
        sim.copyState(y);
        final double[][] w = new double[PLASTIC.length][];
        for (int k = 0; k < PLASTIC.length; k++) {
            w[k] = sim.synapseValues(PLASTIC[k], "w");
        }
        return new Snapshot(sim.time(), segments, y, w);
    }

    /** @return the names of the plastic projections, in the order of {@link Snapshot#weights()} */
    public static String[] plasticProjections() {
        return PLASTIC.clone();
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
        startSegment(pattern);
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
        startSegment(pattern);
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
        startSegment(pattern);
        sim.clearEvents();
        sim.advance(0.9 * durex);
        sim.copyBlock("output_E", outputE);
        final int target = PATTERNS[pattern][0] ^ PATTERNS[pattern][1];
        final double cost = cost(mean(outputE), target);
        for (final String h : new String[] {"hidden1_gate", "hidden2_gate", "output_gate"}) {
            sim.setBlock(h, ones);
        }
        // the teaching current is computed once, from the event traces at the end of the prediction phase
        // (sim_xor.cpp: generate_error once, number_of_error_recomputing = 1)
        for (int k = 0; k < n; k++) {
            teacher[k] = 400.0 + teaching(outputE[k], target);
        }
        sim.setBlock("output_Id", teacher);
        sim.advance(0.1 * durex);
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

    /** Restarts the run's generators from the run seed and the segment's number, then sets the inputs. */
    private void startSegment(final int pattern) {
        sim.reseedNoise(runSeed * 0x9E3779B97F4A7C15L + segments);
        segments++;
        inputs(pattern);
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
