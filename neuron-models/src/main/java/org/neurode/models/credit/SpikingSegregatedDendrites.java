package org.neurode.models.credit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.neurode.core.Model;
import org.neurode.core.Problem;
import org.neurode.core.StateLayout;
import org.neurode.core.expr.ArrayKernels;
import org.neurode.core.expr.ModelBuilder;
import org.neurode.core.expr.ModelFile;
import org.neurode.models.tasks.RandomStreams;
import org.neurode.solvers.Simulation;
import org.neurode.solvers.SolveOptions;
import org.neurode.solvers.Solvers;

/**
 * The segregated-dendrite network of Guerguiev, Lillicrap and Richards (2017, "Towards deep learning with segregated
 * dendrites", eLife 6:e22901) in its spiking mode, the mode of the paper's published simulations: every neuron fires
 * Poisson spikes, synapses act through a difference-of-exponentials postsynaptic potential, and the phase lengths are
 * random. The neurons, their spikes and the synaptic potentials are written in neurode's model language
 * ({@link #modelText}) and integrated at the paper's 1-ms step; the once-per-example weight update is Java applied
 * between phases to the projections' weights. It shares its constants, weights, learning rates and update with the
 * non-spiking {@link SegregatedDendrites} it is made from ({@link #of}).
 *
 * <p><b>Neurons</b> (time in ms, potentials dimensionless as in the paper, rates in spikes/ms). Layer 0 is the
 * input, k = 1..L-1 hidden, L the output:
 * <pre>
 *   input i fires with probability x_i dt per step,  x_i = lambdaMax pixel_i
 *   B_k = W_k PSP_{k-1} + b_k,  A_k = Y_k PSP_L,  V = W_L PSP_{L-1} + b_L
 *   dC_k/dt = -gL C_k + gB (B_k - C_k) + gA (A_k - C_k),   fires with probability lambdaMax sigma(C_k) dt
 *   dU/dt   = -gL U + gD (V - U) + teach [gE (E_E - U) + (1 - gE) (E_I - U)],   fires with lambdaMax sigma(U) dt
 *   PSP_j(t) = sum over the spikes s of j of kappa(t - t_s),  kappa(t) = (e^(-t/tauL) - e^(-t/tauS)) / (tauL - tauS)
 * </pre>
 * The kernel is carried by two exponential traces: a postsynaptic compartment holds {@code xL}, {@code xS} with
 * dxL/dt = -xL / tauL and dxS/dt = -xS / tauS, a projection's {@code on_pre} statement adds the synapse's weight to
 * both, and the dendritic potential is (xL - xS) / (tauL - tauS) + b: the sum of the weighted kernels, at the cost of
 * one addition per synapse per spike (no matrix-vector product per step). Each neuron also keeps the same two traces
 * of its own spikes (incremented by its reset), whose window mean is the presynaptic PSP of the update.
 *
 * <p><b>An example</b> starts from rest with its own spike stream (a function of the seed and the example's index):
 * a forward phase of {@code forwardPhase} ms plus a Wald(2, 1) jitter (whole milliseconds, the fraction dropped as
 * the authors' code does), then a target phase of {@code targetPhase} ms plus its jitter with the teaching current
 * on. Window means over the last {@code window} ms of each phase give the plateaus alpha = sigma(Abar) and the
 * quantities of the paper's update:
 * <pre>
 *   E_L = -(rbar_L^t - lambdaMax sigma(Ubar^f)) k_D lambdaMax sigma'(Ubar^f)
 *   E_l = -(alpha_l^t - alpha_l^f) k_B lambdaMax sigma'(Cbar_l^f)
 *   W_k -= eta_k P E_k (PSPbar_{k-1}^f)^T,  b_k -= eta_k P E_k,   P = 20 / lambdaMax (hidden), 20 / lambdaMax^2 (output)
 * </pre>
 * where rbar_L^t is the target phase's mean of the output rate lambdaMax sigma(U). Since the kernel integrates to 1,
 * the mean PSP of a neuron is its rate, and in expectation the basal potentials are the non-spiking network's.
 * A prediction runs one test phase of {@code testPhase} ms from rest and reads the mean output rate over its last
 * {@code testWindow} ms.
 *
 * <p>Nothing allocates per simulated step; each example allocates only its few random generators (the spike streams
 * restart from a seed). Not thread-safe: give each thread its own learner. A learner's results depend only on its weights, the seed and
 * the examples' indices ({@link #train(long, double[], double[])}, {@link #predict(long, double[], double[])}), so
 * runs split across threads give the same numbers.
 *
 * @since 0.6
 */
public final class SpikingSegregatedDendrites implements Learner {

    /** Random-stream purposes (see {@link RandomStreams}). */
    private static final long TRAIN_SPIKES = 41;
    private static final long JITTER = 42;
    private static final long TEST_SPIKES = 43;
    /** Simulation end time; the run goes on example after example. */
    private static final double T_END = 1e15;

    /**
     * The spiking mode's own constants.
     *
     * @param tauS        short time constant of the PSP kernel (ms; paper 3)
     * @param tauL        long time constant (ms; paper 10)
     * @param waldMean    mean of the Wald jitter added to each training phase (ms; paper 2; 0 switches it off)
     * @param waldShape   shape of the Wald jitter (ms; paper 1)
     * @param testPhase   length of a test phase (ms; paper 250)
     * @param testWindow  the averaging window at its end (ms; at most {@code testPhase})
     * @param seed        seed of the spikes and of the jitter
     */
    public record Options(double tauS, double tauL, double waldMean, double waldShape, double testPhase,
                          double testWindow, long seed) {

        /**
         * @throws IllegalArgumentException naming the field at fault
         */
        public Options {
            Checks.positive("tauS", tauS);
            Checks.positive("tauL", tauL);
            if (tauL == tauS) {
                throw new IllegalArgumentException("tauL = tauS = " + tauS + " ms: the kernel needs two time constants");
            }
            Checks.nonNegative("waldMean", waldMean);
            Checks.positive("waldShape", waldShape);
            Checks.positive("testPhase", testPhase);
            Checks.positive("testWindow", testWindow);
            if (testWindow > testPhase) {
                throw new IllegalArgumentException("testWindow = " + testWindow + " ms is longer than testPhase = "
                        + testPhase + " ms");
            }
        }

        /**
         * The paper's values: tauS = 3 ms, tauL = 10 ms, Wald(2, 1) ms jitter, 250-ms test phases averaged over the
         * last 220 ms (the phase less the 30 ms of settling that every training phase also leaves out).
         *
         * @param seed seed of the spikes and the jitter
         * @return the options
         */
        public static Options paper(final long seed) {
            return new Options(3.0, 10.0, 2.0, 1.0, 250.0, 220.0, seed);
        }

        /**
         * @param phase  test phase (ms)
         * @param window its averaging window (ms)
         * @return a copy with that test phase
         */
        public Options withTestPhase(final double phase, final double window) {
            return new Options(tauS, tauL, waldMean, waldShape, phase, window, seed);
        }

        /**
         * @param mean  mean jitter (ms; 0 for fixed phases)
         * @param shape its shape (ms)
         * @return a copy with that jitter
         */
        public Options withJitter(final double mean, final double shape) {
            return new Options(tauS, tauL, mean, shape, testPhase, testWindow, seed);
        }
    }

    private final SegregatedDendrites.Config config;
    private final Options options;
    private final String label;
    private final int layers;
    private final int[] n;
    private final double kB;
    private final double kD;
    private final double lambdaMax;
    private final double pHidden;
    private final double pFinal;
    private final double[] eta;
    private final Model model;
    private final Simulation sim;
    private final double[] rest;
    private final double[] work;
    /** Forward weights by source: wT[k] is n[k-1] x n[k] row-major (the projections' synapse order); index 0 unused. */
    private final double[][] wT;
    private final double[][] b;
    /** Feedback Y_k, n[k] x n[L] row-major (k &lt; L), and the projections' copy of it, n[L] x n[k]. */
    private final double[][] y;
    private final double[][] yBySource;
    /** Offsets in the state of the window means. */
    private final int[] cbarAt;
    private final int[] abarAt;
    private final int[] pbarAt;
    private final int ubarAt;
    private final int rbarAt;
    /** The example. */
    private final double[] rates0;
    private final double[] gE;
    private final double[] ubarF;
    private final double[][] cbarF;
    private final double[][] abarF;
    private final double[][] pbarF;
    private final double[][] abarT;
    private final double[] rOutT;
    private final double[][] err;
    private final double[] upper;
    private final double[] lower;
    private final boolean[] weightsChanged;
    private final double[] lengths = new double[2];
    private boolean feedbackChanged = true;
    private long examples;
    private double angle = Double.NaN;

    private SpikingSegregatedDendrites(final SegregatedDendrites rates, final Options options, final String label) {
        this.config = rates.config();
        this.options = options;
        this.label = label;
        this.layers = config.layers();
        this.n = config.sizes();
        this.kB = config.kB();
        this.kD = config.kD();
        this.lambdaMax = config.lambdaMax();
        this.pHidden = 20.0 / lambdaMax;
        this.pFinal = 20.0 / (lambdaMax * lambdaMax);
        this.eta = config.learningRates();
        wT = new double[layers + 1][];
        b = new double[layers + 1][];
        y = new double[layers][];
        yBySource = new double[layers][];
        cbarF = new double[layers][];
        abarF = new double[layers][];
        abarT = new double[layers][];
        pbarF = new double[layers][];
        err = new double[layers + 1][];
        int widest = 1;
        for (int k = 1; k <= layers; k++) {
            wT[k] = transpose(rates.weights(k), n[k], n[k - 1]);
            b[k] = rates.biases(k);
            err[k] = new double[n[k]];
            widest = Math.max(widest, n[k]);
        }
        for (int k = 0; k < layers; k++) {
            pbarF[k] = new double[n[k]];
        }
        for (int k = 1; k < layers; k++) {
            y[k] = rates.feedbackWeights(k);
            yBySource[k] = new double[y[k].length];
            cbarF[k] = new double[n[k]];
            abarF[k] = new double[n[k]];
            abarT[k] = new double[n[k]];
        }
        upper = new double[widest];
        lower = new double[widest];
        rates0 = new double[n[0]];
        gE = new double[n[layers]];
        ubarF = new double[n[layers]];
        rOutT = new double[n[layers]];
        weightsChanged = new boolean[layers + 1];
        Arrays.fill(weightsChanged, true);
        model = ModelBuilder.from(ModelFile.document(modelText(config, options), "segregated-dendrites-spiking",
                "segregated-dendrites-spiking").model()).seed(options.seed()).build();
        final StateLayout layout = model.layout();
        cbarAt = new int[layers];
        abarAt = new int[layers];
        pbarAt = new int[layers];
        for (int k = 0; k < layers; k++) {
            pbarAt[k] = layout.block("Pbar" + k).offset();
            if (k > 0) {
                cbarAt[k] = layout.block("Cbar" + k).offset();
                abarAt[k] = layout.block("Abar" + k).offset();
            }
        }
        ubarAt = layout.block("Ubar").offset();
        rbarAt = layout.block("Rbar").offset();
        rest = new double[layout.dimension()];
        work = new double[layout.dimension()];
        // the spikes are read from the traces, never from the event log: none is kept (an epoch fires ~5e8)
        final List<String> kinds = new ArrayList<>();
        for (int k = 0; k < layers; k++) {
            kinds.add("spike" + k);
        }
        kinds.add("spikeOut");
        sim = Solvers.get(config.solver()).start(Problem.of(model, rest, T_END),
                SolveOptions.fixedStep(config.step()).withSeed(options.seed()).withUnloggedEvents(kinds));
    }

    /**
     * The spiking form of a non-spiking network: its configuration (sizes, readout, input code, feedback mode,
     * learning rates, conductances, lambdaMax, phases, window, step and solver) and its current weights, biases and
     * feedback weights.
     *
     * @param rates   the non-spiking network (not modified; any form)
     * @param options the spiking mode's constants
     * @param label   the rule's name ({@link #rule()})
     * @return the spiking network
     * @throws IllegalArgumentException if the configuration's input code is not {@code LINEAR} (the inputs must be
     *                                  rates lambdaMax x with x in [0, 1], the paper's pixels)
     */
    public static SpikingSegregatedDendrites of(final SegregatedDendrites rates, final Options options,
                                                final String label) {
        if (rates.config().inputCode() != SegregatedDendrites.InputCode.LINEAR) {
            throw new IllegalArgumentException("inputCode: the spiking network needs LINEAR inputs in [0, 1] (Poisson"
                    + " rates lambdaMax x), not " + rates.config().inputCode());
        }
        return new SpikingSegregatedDendrites(rates, options, label);
    }

    /**
     * The spiking network for a task, made from the non-spiking network that {@link Rules#segregatedDendrites(
     * SegregatedDendrites.FeedbackMode, SegregatedDendrites.Form)} makes for it (the same initial weights from the
     * seed's student stream, feedback from its feedback stream, and learning rates), so that the two forms start
     * alike. The rule is {@code segregated-dendrites-spiking} ({@code -symmetric}).
     *
     * @param task      a classification task with inputs in [0, 1] (Fashion-MNIST)
     * @param feedback  random or symmetric feedback
     * @param seed      the seed of the weights (and of the spikes, through {@code options})
     * @param rateScale a factor on the derived learning rates (1 for the derived ones)
     * @param options   the spiking constants
     * @return the learner
     * @throws IllegalArgumentException if the task does not suit the network (the message says why)
     */
    public static SpikingSegregatedDendrites forTask(final Task task, final SegregatedDendrites.FeedbackMode feedback,
                                                     final long seed, final double rateScale, final Options options) {
        final Learner rates = Rules.segregatedDendrites(feedback, SegregatedDendrites.Form.STEADY_STATE)
                .learner(task, seed, rateScale);
        return of((SegregatedDendrites) rates, options, "segregated-dendrites-spiking"
                + (feedback == SegregatedDendrites.FeedbackMode.SYMMETRIC ? "-symmetric" : ""));
    }

    /**
     * The network in neurode's model language, as a model file: populations {@code in0}, {@code h1..h(L-1)},
     * {@code out}; projections {@code W1..WL} (forward, synapse variable {@code w}) and {@code Y1..Y(L-1)} (feedback
     * from the output, {@code w}), all-to-all, synapses by source then target. Inputs: {@code x} (input rates),
     * {@code b1..bL}, {@code gE}, {@code teach}, {@code window}. State per layer: the traces {@code pL<k>}, {@code
     * pS<k>} of its own spikes and their window mean {@code Pbar<k>} (k &lt; L); hidden {@code C<k>}, basal traces
     * {@code bL<k>}, {@code bS<k>}, apical {@code aL<k>}, {@code aS<k>}, means {@code Cbar<k>}, {@code Abar<k>};
     * output {@code U}, {@code vL}, {@code vS}, {@code Ubar}, {@code Rbar} (mean rate).
     *
     * @param c the network
     * @param o the spiking constants
     * @return the text
     */
    public static String modelText(final SegregatedDendrites.Config c, final Options o) {
        final int nl = c.layers();
        final int[] n = c.sizes();
        final StringBuilder t = new StringBuilder();
        t.append("# Guerguiev, Lillicrap & Richards 2017 (eLife 6:e22901), spiking mode; time in ms\n");
        t.append("# the weights w of the projections and the biases b<k> are set by the learner between phases\n");
        t.append("model segregated-dendrites-spiking\n");
        param(t, "lambdaMax", c.lambdaMax());
        param(t, "gL", c.gL());
        param(t, "gB", c.gB());
        param(t, "gA", c.gA());
        param(t, "gD", c.gD());
        param(t, "EE", c.reversalE());
        param(t, "EI", c.reversalI());
        param(t, "tauL", o.tauL());
        param(t, "tauS", o.tauS());
        param(t, "Twindow", c.window());
        t.append("input x[").append(n[0]).append("] = 0\n");
        t.append("input gE[").append(n[nl]).append("] = 0\n");
        t.append("input teach = 0\ninput window = 0\n");
        for (int k = 1; k <= nl; k++) {
            t.append("input b").append(k).append('[').append(n[k]).append("] = 0\n");
        }
        // every layer below the output: traces of its own spikes, their window mean (the presynaptic PSP)
        for (int k = 0; k < nl; k++) {
            final String pop = k == 0 ? "in0" : "h" + k;
            if (k > 0) {
                for (final String v : new String[] {"C", "bL", "bS", "aL", "aS", "Cbar", "Abar"}) {
                    state(t, v + k, n[k]);
                }
                t.append("let B").append(k).append(" = (bL").append(k).append(" - bS").append(k)
                        .append(") / (tauL - tauS) + b").append(k).append('\n');
                t.append("let A").append(k).append(" = (aL").append(k).append(" - aS").append(k)
                        .append(") / (tauL - tauS)\n");
                t.append("dC").append(k).append("/dt = -gL * C").append(k).append(" + gB * (B").append(k)
                        .append(" - C").append(k).append(") + gA * (A").append(k).append(" - C").append(k)
                        .append(")\n");
                traces(t, "bL" + k, "bS" + k);
                traces(t, "aL" + k, "aS" + k);
                mean(t, "Cbar" + k, "C" + k);
                mean(t, "Abar" + k, "A" + k);
            }
            state(t, "pL" + k, n[k]);
            state(t, "pS" + k, n[k]);
            state(t, "Pbar" + k, n[k]);
            traces(t, "pL" + k, "pS" + k);
            mean(t, "Pbar" + k, "(pL" + k + " - pS" + k + ") / (tauL - tauS)");
            t.append("population ").append(pop).append(' ').append(n[k]).append(": ");
            t.append(k == 0 ? "x, " : "C" + k + ", bL" + k + ", bS" + k + ", aL" + k + ", aS" + k + ", Cbar" + k
                    + ", Abar" + k + ", ");
            t.append("pL").append(k).append(", pS").append(k).append(", Pbar").append(k).append('\n');
            t.append("event spike").append(k).append(": rand() < ")
                    .append(k == 0 ? "x" : "lambdaMax * sigmoid(C" + k + ")")
                    .append(" * dt reset pL").append(k).append(" += 1; pS").append(k).append(" += 1\n");
        }
        for (final String v : new String[] {"U", "vL", "vS", "Ubar", "Rbar"}) {
            state(t, v, n[nl]);
        }
        t.append("let V = (vL - vS) / (tauL - tauS) + b").append(nl).append('\n');
        t.append("dU/dt = -gL * U + gD * (V - U) + teach * (gE * (EE - U) + (1 - gE) * (EI - U))\n");
        traces(t, "vL", "vS");
        mean(t, "Ubar", "U");
        mean(t, "Rbar", "lambdaMax * sigmoid(U)");
        t.append("population out ").append(n[nl]).append(": U, vL, vS, Ubar, Rbar\n");
        t.append("event spikeOut: rand() < lambdaMax * sigmoid(U) * dt\n");
        for (int k = 1; k <= nl; k++) {
            final String from = k == 1 ? "in0" : "h" + (k - 1);
            final String to = k == nl ? "out" : "h" + k;
            final String l = k == nl ? "vL" : "bL" + k;
            final String s = k == nl ? "vS" : "bS" + k;
            t.append("projection W").append(k).append(": ").append(from).append(" -> ").append(to)
                    .append(" on spike").append(k - 1).append(" connect all on_pre ").append(l).append(" += w; ")
                    .append(s).append(" += w\n");
            t.append("synapse W").append(k).append(".w = 0\n");
        }
        for (int k = 1; k < nl; k++) {
            t.append("projection Y").append(k).append(": out -> h").append(k)
                    .append(" on spikeOut connect all on_pre aL").append(k).append(" += w; aS").append(k)
                    .append(" += w\n");
            t.append("synapse Y").append(k).append(".w = 0\n");
        }
        return t.toString();
    }

    private static void param(final StringBuilder t, final String name, final double v) {
        t.append("parameter ").append(name).append(" = ").append(v).append('\n');
    }

    private static void state(final StringBuilder t, final String name, final int size) {
        t.append("state ").append(name).append('[').append(size).append("] = 0\n");
    }

    private static void traces(final StringBuilder t, final String slow, final String fast) {
        t.append('d').append(slow).append("/dt = -").append(slow).append(" / tauL\n");
        t.append('d').append(fast).append("/dt = -").append(fast).append(" / tauS\n");
    }

    private static void mean(final StringBuilder t, final String name, final String of) {
        t.append('d').append(name).append("/dt = window * ").append(of).append(" / Twindow\n");
    }

    private static double[] transpose(final double[] m, final int rows, final int cols) {
        final double[] out = new double[m.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[c * rows + r] = m[r * cols + c];
            }
        }
        return out;
    }

    @Override
    public String rule() {
        return label;
    }

    @Override
    public int inputs() {
        return n[0];
    }

    @Override
    public int outputs() {
        return n[layers];
    }

    /** @return the network's configuration (shared with the non-spiking form) */
    public SegregatedDendrites.Config config() {
        return config;
    }

    /** @return the spiking constants */
    public Options options() {
        return options;
    }

    /** @return the compiled model (its weights are set by this learner between phases) */
    public Model model() {
        return model;
    }

    /** @return the examples trained so far (the index of the next one for {@link #train(double[], double[])}) */
    public long examples() {
        return examples;
    }

    /**
     * @param k layer 1..L
     * @return a copy of the forward weights into layer k, n[k] x n[k-1] row-major (as {@link
     *         SegregatedDendrites#weights})
     */
    public double[] weights(final int k) {
        return transpose(wT[k], n[k - 1], n[k]);
    }

    /**
     * @param k layer 1..L
     * @return a copy of its biases
     */
    public double[] biases(final int k) {
        return b[k].clone();
    }

    /**
     * The phase lengths of a training example: the nominal lengths plus Wald(waldMean, waldShape) jitter, whole ms.
     *
     * @param example the example's index
     * @param out     forward and target phase lengths (ms; modified)
     */
    public void phaseLengths(final long example, final double[] out) {
        out[0] = config.forwardPhase();
        out[1] = config.targetPhase();
        if (options.waldMean() > 0) {
            final SplittableRandom r = RandomStreams.of(options.seed(), JITTER, example);
            out[0] += Math.floor(wald(r, options.waldMean(), options.waldShape()));
            out[1] += Math.floor(wald(r, options.waldMean(), options.waldShape()));
        }
    }

    /**
     * A draw of the Wald (inverse Gaussian) distribution, as NumPy's {@code wald(mean, scale)} (Michael, Schucany and
     * Haas 1976).
     */
    static double wald(final SplittableRandom r, final double mean, final double shape) {
        final double z = r.nextGaussian();
        final double yy = mean * z * z;
        final double x = mean + mean / (2 * shape) * (yy - Math.sqrt(4 * shape * yy + yy * yy));
        return r.nextDouble() <= mean / (mean + x) ? x : mean * mean / x;
    }

    @Override
    public void train(final double[] input, final double[] target) {
        train(examples, input, target);
    }

    /**
     * Trains on one example with the spikes and phase lengths of the example index {@code example}; afterwards
     * {@link #examples()} is {@code example + 1}.
     *
     * @param example the example's index (seeds its spikes and its jitter)
     * @param input   pixels in [0, 1] (not modified)
     * @param target  one-hot target (RATE readout) or target potentials (POTENTIAL readout; not modified)
     */
    public void train(final long example, final double[] input, final double[] target) {
        final double eE = config.reversalE();
        final double eI = config.reversalI();
        for (int i = 0; i < n[layers]; i++) {
            final double g = config.readout() == SegregatedDendrites.Readout.RATE ? target[i]
                    : (target[i] - eI) / (eE - eI);
            gE[i] = Math.max(0.0, Math.min(1.0, g));
        }
        inputRates(input);
        phaseLengths(example, lengths);
        final double forward = lengths[0];
        final double targetLength = lengths[1];
        begin(RandomStreams.seed(options.seed(), TRAIN_SPIKES, example));
        phase(forward, config.window(), 0.0);
        System.arraycopy(work, ubarAt, ubarF, 0, n[layers]);
        for (int k = 0; k < layers; k++) {
            System.arraycopy(work, pbarAt[k], pbarF[k], 0, n[k]);
            if (k > 0) {
                System.arraycopy(work, cbarAt[k], cbarF[k], 0, n[k]);
                System.arraycopy(work, abarAt[k], abarF[k], 0, n[k]);
            }
        }
        // the target phase goes on from the forward phase's state, with the means reset
        for (int k = 0; k < layers; k++) {
            Arrays.fill(work, pbarAt[k], pbarAt[k] + n[k], 0.0);
            if (k > 0) {
                Arrays.fill(work, cbarAt[k], cbarAt[k] + n[k], 0.0);
                Arrays.fill(work, abarAt[k], abarAt[k] + n[k], 0.0);
            }
        }
        Arrays.fill(work, ubarAt, ubarAt + n[layers], 0.0);
        Arrays.fill(work, rbarAt, rbarAt + n[layers], 0.0);
        sim.setState(work);
        sim.setBlock("gE", gE);
        phase(targetLength, config.window(), 1.0);
        System.arraycopy(work, rbarAt, rOutT, 0, n[layers]);
        for (int k = 1; k < layers; k++) {
            System.arraycopy(work, abarAt[k], abarT[k], 0, n[k]);
        }
        update();
        examples = example + 1;
    }

    /** The errors, the angle and the updates of one example, from the means of its two phases. */
    private void update() {
        for (int i = 0; i < n[layers]; i++) {
            final double s = sigma(ubarF[i]);
            err[layers][i] = -(rOutT[i] - lambdaMax * s) * kD * lambdaMax * s * (1.0 - s);
        }
        for (int k = 1; k < layers; k++) {
            for (int j = 0; j < n[k]; j++) {
                final double s = sigma(cbarF[k][j]);
                err[k][j] = -(sigma(abarT[k][j]) - sigma(abarF[k][j])) * kB * lambdaMax * s * (1.0 - s);
            }
        }
        angle = referenceAngle();
        for (int k = 1; k <= layers; k++) {
            final double rate = eta[k - 1] * (k == layers ? pFinal : pHidden);
            // by source: row j of wT[k] is presynaptic neuron j; silent inputs (PSP mean 0) are skipped
            ArrayKernels.addOuter(wT[k], 0, n[k - 1], n[k], -rate, pbarF[k - 1], 0, err[k], 0);
            final double[] bk = b[k];
            final double[] ek = err[k];
            for (int i = 0; i < n[k]; i++) {
                bk[i] -= rate * ek[i];
            }
            weightsChanged[k] = true;
        }
        if (config.feedback() == SegregatedDendrites.FeedbackMode.SYMMETRIC) {
            symmetricFeedback();
        }
    }

    /**
     * Backprop's error of the first hidden layer in the equivalent rate network (as {@link SegregatedDendrites}
     * measures it): from E_L down through W^T and the slopes k_B lambdaMax sigma'(Cbar^f), weights before the update.
     */
    private double referenceAngle() {
        if (layers < 2) {
            return Double.NaN;
        }
        System.arraycopy(err[layers], 0, upper, 0, n[layers]);
        return LayeredNetwork.angleDegrees(err[1], LayeredNetwork.deltasDown(wT, true, n, layers, slopeOf, upper,
                lower), n[1]);
    }

    /** The slope of hidden unit j of layer k at the forward phase: kB lambdaMax sigma'(Cbar^f). */
    private double forwardSlope(final int k, final int j) {
        final double s = sigma(cbarF[k][j]);
        return kB * lambdaMax * s * (1.0 - s);
    }

    /** {@link #forwardSlope} for backprop's reference pass (one object, not one per call). */
    private final LayeredNetwork.Slope slopeOf = this::forwardSlope;

    /** Y_{L-1} = W_L^T, Y_k = W_{k+1}^T Y_{k+1} (as {@link SegregatedDendrites}), n[k] x n[L] row-major. */
    private void symmetricFeedback() {
        final int out = n[layers];
        for (int k = layers - 1; k >= 1; k--) {
            final double[] yk = y[k];
            if (k == layers - 1) {
                // Y[j, i] = W_L[i, j] = wT_L[j, i]
                System.arraycopy(wT[layers], 0, yk, 0, yk.length);
            } else {
                // Y_k = wT_{k+1} Y_{k+1}: (n[k] x n[k+1]) (n[k+1] x out)
                Arrays.fill(yk, 0.0);
                final double[] w = wT[k + 1];
                final double[] ya = y[k + 1];
                for (int j = 0; j < n[k]; j++) {
                    for (int m = 0; m < n[k + 1]; m++) {
                        final double v = w[j * n[k + 1] + m];
                        for (int i = 0; i < out; i++) {
                            yk[j * out + i] += v * ya[m * out + i];
                        }
                    }
                }
            }
        }
        feedbackChanged = true;
    }

    /**
     * @param k layer 0..L-1
     * @return the latest forward phase's window mean of the PSP of layer k's spikes (a copy; for tests)
     */
    double[] forwardPsp(final int k) {
        return pbarF[k].clone();
    }

    /**
     * @param k layer 1..L
     * @return the latest forward phase's window mean of layer k's somatic potential, C_k or U (a copy; for tests)
     */
    double[] forwardSoma(final int k) {
        return k == layers ? ubarF.clone() : cbarF[k].clone();
    }

    @Override
    public void predict(final double[] input, final double[] out) {
        predict(0L, input, out);
    }

    /**
     * Predicts with the spikes of test stream {@code index} (a test image's index, so that a prediction does not
     * depend on which learner or thread makes it): one test phase from rest, the output's mean rate over the test
     * window divided by lambdaMax (RATE readout) or its mean potential (POTENTIAL readout).
     *
     * @param index the stream (e.g. the test image's index)
     * @param input pixels in [0, 1] (not modified)
     * @param out   the prediction (modified)
     */
    public void predict(final long index, final double[] input, final double[] out) {
        inputRates(input);
        begin(RandomStreams.seed(options.seed(), TEST_SPIKES, index));
        phase(options.testPhase(), options.testWindow(), 0.0);
        for (int i = 0; i < n[layers]; i++) {
            out[i] = config.readout() == SegregatedDendrites.Readout.POTENTIAL ? work[ubarAt + i] * config.window()
                    / options.testWindow() : work[rbarAt + i] * config.window() / (options.testWindow() * lambdaMax);
        }
    }

    private void inputRates(final double[] input) {
        for (int i = 0; i < n[0]; i++) {
            final double v = input[i];
            if (!(v >= 0.0 && v <= 1.0)) {
                throw new IllegalArgumentException("input[" + i + "] = " + v + ": the spiking network's inputs are"
                        + " pixels in [0, 1] (rates lambdaMax x)");
            }
            rates0[i] = lambdaMax * v;
        }
    }

    /** Sets changed weights, the state at rest, the input rates and a fresh spike stream. */
    private void begin(final long streamSeed) {
        for (int k = 1; k <= layers; k++) {
            if (weightsChanged[k]) {
                sim.setSynapseValues("W" + k, "w", wT[k]);
                sim.setBlock("b" + k, b[k]);
                weightsChanged[k] = false;
            }
        }
        if (feedbackChanged) {
            final int out = n[layers];
            for (int k = 1; k < layers; k++) {
                // the projection Y_k runs from the output (source) to layer k: synapse (i, j) at i n[k] + j
                for (int j = 0; j < n[k]; j++) {
                    for (int i = 0; i < out; i++) {
                        yBySource[k][i * n[k] + j] = y[k][j * out + i];
                    }
                }
                sim.setSynapseValues("Y" + k, "w", yBySource[k]);
            }
            feedbackChanged = false;
        }
        sim.reseedNoise(streamSeed);
        sim.setState(rest);
        sim.setBlock("x", rates0);
    }

    /**
     * One phase from the current state: {@code length} ms, the last {@code window} of them averaged. The state at its
     * end is left in {@link #work}; means over a window of other length than the configuration's are scaled by
     * Twindow / window (the model divides by Twindow).
     */
    private void phase(final double length, final double window, final double teach) {
        sim.set("teach", teach);
        sim.set("window", 0.0);
        sim.advance(length - window);
        sim.set("window", 1.0);
        sim.advance(window);
        sim.copyState(work);
    }

    private static double sigma(final double v) {
        return 1.0 / (1.0 + Math.exp(-v));
    }

    @Override
    public double hiddenUpdateAngle() {
        return angle;
    }

    /** @return the forward weights and biases layer by layer (by source), then the number of examples trained */
    @Override
    public double[] state() {
        return StateArrays.pack(parts(new double[] {examples}));
    }

    @Override
    public void restore(final double[] s) {
        final double[] count = new double[1];
        StateArrays.unpack(s, parts(count), "the spiking segregated-dendrite network (its weights, biases and"
                + " example count)");
        examples = (long) count[0];
        Arrays.fill(weightsChanged, true);
        if (config.feedback() == SegregatedDendrites.FeedbackMode.SYMMETRIC) {
            symmetricFeedback();
        }
    }

    private List<double[]> parts(final double[] count) {
        final List<double[]> parts = new ArrayList<>();
        for (int k = 1; k <= layers; k++) {
            parts.add(wT[k]);
            parts.add(b[k]);
        }
        parts.add(count);
        return parts;
    }
}
