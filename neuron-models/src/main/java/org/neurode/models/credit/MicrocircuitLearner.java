package org.neurode.models.credit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

import org.neurode.core.Model;
import org.neurode.core.Problem;
import org.neurode.core.StateLayout;
import org.neurode.core.expr.ArrayKernels;
import org.neurode.models.Microcircuit;
import org.neurode.solvers.Simulation;
import org.neurode.solvers.SolveOptions;
import org.neurode.solvers.Solver;
import org.neurode.solvers.Solvers;

/**
 * The dendritic cortical microcircuit (Sacramento, Costa, Bengio and Senn, NeurIPS 2018) as a learner of the
 * comparison, in two forms that share their parameters, weights and learning rates:
 * <ul>
 * <li>{@link Form#FULL}: the {@link Microcircuit} model integrated by a solver. Each pattern is presented for
 * {@code patternMs} with the output nudged towards the target and plasticity on (Eqs. 1-9 with the low-pass
 * filtered updates); a prediction presents the input to a copy of the state without nudging or plasticity and
 * reads the output rates at the end.</li>
 * <li>{@link Form#STEADY_STATE}: the two-pass steady-state approximation of the paper's MNIST experiment. A bottom-up
 * pass sets every soma to its un-nudged steady state {@code u_k = aB_k vB_k}; the output is nudged,
 * {@code u_N = (gB vB_N + gSom uTarget) / (gL + gB + gSom)}; a top-down pass, k = N-1..1, sets the interneurons
 * {@code uI_k = (gD vI_k + gSom u_{k+1}) / (gL + gD + gSom)}, the apical potentials {@code vA_k = B_k r_{k+1} +
 * Q_k rI_k} and the somata {@code u_k = (gB vB_k + gA vA_k) / (gL + gB + gA)}; then Eqs. 7-9 are applied once
 * with the rate times the pattern's duration. Where that one step would move an output's or an interneuron's
 * error by more than half of it (see {@code substeps}), the pattern's learning is split into quasi-static steps,
 * each the two passes from the current weights: the steady state at several instants of the presentation, as the
 * full dynamics learn (docs/credit-assignment.md). The paper's form writes the bottom-up pass as {@code u_k = vB_k};
 * neurode keeps the attenuation {@code aB_k = gB / (gL + gB + gA)} that the full dynamics settle to, so that the
 * two forms can be compared weight for weight.</li>
 * </ul>
 * Both start in the self-predicting state (Q_k = -B_k, P_k from W_{k+1}), as the paper's MNIST network does, with
 * fixed top-down weights B_k (feedback alignment) and fixed Q_k; the forward weights W_k, their biases and the
 * interneuron weights P_k learn, P_k at the rate of W_{k+1}, whose output it learns to predict. Potentials are dimensionless, times in ms,
 * rates per ms.
 *
 * <p>Targets: the learner nudges the output towards the potential whose rate is the target, after the affine map
 * {@code targetOffset + targetScale * target} (the paper's MNIST targets are rates 0.1 and 0.8 for a logistic
 * output: offset 0.1, scale 0.7). Predictions are output rates on the task's scale (the map inverted). Not
 * thread-safe; the steady-state form allocates nothing per pattern, the full form nothing beyond its solver.
 *
 * @since 0.1
 */
public final class MicrocircuitLearner implements Learner {

    /** The two forms of the circuit. */
    public enum Form {
        /** The ODE model integrated by a solver. */
        FULL("microcircuit"),
        /** The two-pass steady-state approximation. */
        STEADY_STATE("microcircuit-steady");

        private final String label;

        Form(final String label) {
            this.label = label;
        }

        /** @return the rule's name as the command line spells it */
        public String label() {
            return label;
        }
    }

    /**
     * The circuit and its training.
     *
     * @param form         full dynamics or steady state
     * @param sizes        layer sizes, input first (at least input, one hidden and output)
     * @param hidden       rate function of the hidden layers
     * @param output       rate function of the output layer
     * @param biases       whether the layers have learnable biases
     * @param gL           leak conductance
     * @param gB           basal conductance
     * @param gA           apical conductance (hidden layers)
     * @param gD           interneuron dendritic conductance
     * @param gSom         nudging conductance (output and interneurons)
     * @param eta          learning rate of W_k (and its bias) per pattern, k = 1..N; the full form integrates
     *                     eta / patternMs per ms
     * @param etaP         learning rate of P_k per pattern, k = 1..N-1
     * @param etaQ         learning rate of every Q_k per pattern (0: fixed at -B_k)
     * @param patternMs    presentation time of a pattern (ms)
     * @param settleMs     full form: plasticity is off for the first settleMs of each pattern while the circuit
     *                     settles to the new input (the "learning lag" of some reimplementations; 0: on throughout, as
     *                     in the paper); the per-ms rates are eta / (patternMs - settleMs)
     * @param tau0         input low-pass time constant (ms, full form)
     * @param tauW         plasticity low-pass time constant (ms, full form)
     * @param solver       solver name (full form)
     * @param step         solver step (ms, full form)
     * @param targetOffset see the class comment
     * @param targetScale  see the class comment
     */
    public record Config(Form form, int[] sizes, Activation hidden, Activation output, boolean biases, double gL,
                         double gB, double gA, double gD, double gSom, double[] eta, double[] etaP, double etaQ,
                         double patternMs, double settleMs, double tau0, double tauW, String solver, double step,
                         double targetOffset, double targetScale) {

        /**
         * @throws IllegalArgumentException naming the field at fault
         */
        public Config {
            if (sizes == null || sizes.length < 3) {
                throw new IllegalArgumentException("sizes: a microcircuit needs an input, a hidden and an output layer");
            }
            for (int k = 0; k < sizes.length; k++) {
                if (sizes[k] <= 0) {
                    throw new IllegalArgumentException("sizes[" + k + "] = " + sizes[k] + " is not positive");
                }
            }
            if (eta == null || eta.length != sizes.length - 1) {
                throw new IllegalArgumentException("eta: one learning rate per layer above the input ("
                        + (sizes.length - 1) + ") needed");
            }
            for (int k = 0; k < eta.length; k++) {
                Checks.nonNegative("eta[" + k + "]", eta[k]);
            }
            if (etaP == null || etaP.length != sizes.length - 2) {
                throw new IllegalArgumentException("etaP: one learning rate per hidden layer (" + (sizes.length - 2)
                        + ") needed");
            }
            for (int k = 0; k < etaP.length; k++) {
                Checks.nonNegative("etaP[" + k + "]", etaP[k]);
            }
            Checks.nonNegative("etaQ", etaQ);
            Checks.positive("gL", gL);
            Checks.positive("gB", gB);
            Checks.nonNegative("gA", gA);
            Checks.positive("gD", gD);
            Checks.nonNegative("gSom", gSom);
            Checks.positive("patternMs", patternMs);
            Checks.nonNegative("settleMs", settleMs);
            if (!(settleMs < patternMs)) {
                throw new IllegalArgumentException("settleMs = " + settleMs + " is not below patternMs = " + patternMs);
            }
            Checks.positive("tau0", tau0);
            Checks.positive("tauW", tauW);
            Checks.positive("step", step);
            Checks.positive("targetScale", targetScale);
            sizes = sizes.clone();
            eta = eta.clone();
            etaP = etaP.clone();
        }

        /**
         * @param f the other form
         * @return a copy in that form
         */
        public Config withForm(final Form f) {
            return new Config(f, sizes, hidden, output, biases, gL, gB, gA, gD, gSom, eta, etaP, etaQ, patternMs,
                    settleMs, tau0, tauW, solver, step, targetOffset, targetScale);
        }

        @Override
        public int[] sizes() {
            return sizes.clone();
        }

        @Override
        public double[] eta() {
            return eta.clone();
        }

        @Override
        public double[] etaP() {
            return etaP.clone();
        }

        /** @return number of layers above the input (N) */
        public int layers() {
            return sizes.length - 1;
        }

        /**
         * @param k layer 1..N
         * @return the basal attenuation aB_k of the un-nudged steady state u_k = aB_k vB_k
         */
        public double attenuation(final int k) {
            return k == layers() ? gB / (gL + gB) : gB / (gL + gB + gA);
        }

        /**
         * @param k layer 1..N
         * @return the share of the soma that the teaching signal sets at steady state: gSom / (gL + gB + gSom) at the
         *         output, gA / (gL + gB + gA) for a hidden layer's apical input
         */
        public double mixing(final int k) {
            return k == layers() ? gSom / (gL + gB + gSom) : gA / (gL + gB + gA);
        }

        /**
         * @param ms the settling time (ms)
         * @return a copy with plasticity off for the first {@code ms} of each pattern (full form)
         */
        public Config withSettling(final double ms) {
            return new Config(form, sizes, hidden, output, biases, gL, gB, gA, gD, gSom, eta, etaP, etaQ, patternMs,
                    ms, tau0, tauW, solver, step, targetOffset, targetScale);
        }

        /** @return the time plasticity is on per pattern (ms) */
        double learningMs() {
            return patternMs - settleMs;
        }

        /** The circuit model's configuration (per-ms rates, no noise, fixed top-down weights). */
        Microcircuit.Config circuit() {
            final double[] perMs = new double[eta.length];
            for (int k = 0; k < eta.length; k++) {
                perMs[k] = eta[k] / learningMs();
            }
            return new Microcircuit.Config(sizes, gL, gB, gA, gD, gSom, 1.0, 1.0, 0.0, tau0, tauW, perMs,
                    0.0, etaQ / learningMs(), 0.0, 0.0, Microcircuit.NoiseConvention.WHITE, step);
        }
    }

    private final Config config;
    private final int layers;
    private final int[] n;
    private final double[] eta;
    private final double[] etaP;
    /** Weights, k = 1..N (index 0 unused): w (n_k x n_{k-1}), c (n_k), and for hidden k: bT, p, q. */
    private final double[][] w;
    private final double[][] c;
    private final double[][] bT;
    private final double[][] p;
    private final double[][] q;
    // steady-state scratch
    private final double[][] vB;
    private final double[][] u;
    private final double[][] r;
    private final double[][] rHat;
    private final double[][] vI;
    private final double[][] uI;
    private final double[][] rI;
    private final double[][] vA;
    private final double[] target;
    private final double[] delta;
    private final double[] deltaBelow;
    private final double[] w1Before;
    private double angle = Double.NaN;
    /** The hidden slopes of the bottom-up pass, for backprop's reference deltas. */
    private final LayeredNetwork.Slope slopeOf = this::forwardSlope;
    // the full form
    private final Model model;
    private final double[] state;
    private final double[] work;
    private final double[] uTarget;
    private Simulation training;
    private Simulation testing;

    /**
     * A circuit whose forward weights make it compute, before learning, the same function as the layered network
     * with weights {@code forward} and zero biases: W_k = forward_k / aB_k.
     *
     * @param config   the circuit and its training
     * @param forward  initial forward weights w[k], k = 1..N, n_k x n_{k-1} row-major (copied)
     * @param topDown  draws the fixed top-down weights B_k, n_k x n_{k+1} per hidden layer in order
     * @param topDownScale B_k entries are U(-topDownScale, topDownScale)
     */
    public MicrocircuitLearner(final Config config, final double[][] forward, final RandomGenerator topDown,
                               final double topDownScale) {
        this.config = config;
        this.layers = config.layers();
        this.n = config.sizes();
        this.eta = config.eta();
        this.etaP = config.etaP();
        w = new double[layers + 1][];
        c = new double[layers + 1][];
        bT = new double[layers + 1][];
        p = new double[layers + 1][];
        q = new double[layers + 1][];
        vB = new double[layers + 1][];
        u = new double[layers + 1][];
        r = new double[layers + 1][];
        rHat = new double[layers + 1][];
        vI = new double[layers + 1][];
        uI = new double[layers + 1][];
        rI = new double[layers + 1][];
        vA = new double[layers + 1][];
        int widest = 1;
        for (int k = 1; k <= layers; k++) {
            if (forward[k] == null || forward[k].length != n[k] * n[k - 1]) {
                throw new IllegalArgumentException("forward[" + k + "]: " + n[k] * n[k - 1] + " weights needed");
            }
            w[k] = forward[k].clone();
            final double a = config.attenuation(k);
            for (int i = 0; i < w[k].length; i++) {
                w[k][i] /= a;
            }
            c[k] = new double[n[k]];
            vB[k] = new double[n[k]];
            u[k] = new double[n[k]];
            r[k] = new double[n[k]];
            rHat[k] = new double[n[k]];
            widest = Math.max(widest, n[k]);
        }
        for (int k = 1; k < layers; k++) {
            bT[k] = new double[n[k] * n[k + 1]];
            for (int i = 0; i < bT[k].length; i++) {
                bT[k][i] = topDownScale == 0 ? 0.0 : topDown.nextDouble(-topDownScale, topDownScale);
            }
            q[k] = new double[bT[k].length];
            p[k] = new double[n[k + 1] * n[k]];
            vI[k] = new double[n[k + 1]];
            uI[k] = new double[n[k + 1]];
            rI[k] = new double[n[k + 1]];
            vA[k] = new double[n[k]];
        }
        selfPredicting();
        target = new double[n[layers]];
        delta = new double[widest];
        deltaBelow = new double[widest];
        w1Before = new double[n[1] * n[0]];
        uTarget = new double[n[layers]];
        if (config.form() == Form.FULL) {
            Model m = Microcircuit.build(config.circuit(), config.hidden().expression(),
                    config.output().expression(), config.biases());
            for (int k = 1; k < layers; k++) {
                m = m.withParameter("B" + k, bT[k]).withParameter("etaP" + k,
                        config.etaP()[k - 1] / config.learningMs());
            }
            model = m;
            state = new double[model.layout().dimension()];
            work = new double[state.length];
            toState();
        } else {
            model = null;
            state = null;
            work = null;
        }
    }

    /** Q_k = -B_k and P_k = gB (gL + gD) / (gD (gL + gB + gA')) W_{k+1}, gA' = 0 above the last hidden layer. */
    private void selfPredicting() {
        for (int k = 1; k < layers; k++) {
            for (int i = 0; i < q[k].length; i++) {
                q[k][i] = -bT[k][i];
            }
            final double gAbove = k + 1 == layers ? 0.0 : config.gA();
            final double factor = config.gB() * (config.gL() + config.gD())
                    / (config.gD() * (config.gL() + config.gB() + gAbove));
            for (int i = 0; i < p[k].length; i++) {
                p[k][i] = factor * w[k + 1][i];
            }
        }
    }

    /**
     * The comparison's rule for a form: the task's student architecture and rate functions (a softmax output
     * becomes a logistic one with the paper's MNIST targets 0.1 and 0.8, as does a logistic output), the forward
     * weights of {@link LayeredNetwork#forwardWeights}, top-down weights drawn like feedback alignment's matrices
     * (so B_k equals feedback alignment's B_k), and learning rates from backprop's: eta_k = eta_BP,k / (aB_k
     * prod_{j >= k} mixing_j), which gives the circuit's first update on a pattern backprop's size where its
     * apical error is backprop's (docs/credit-assignment.md). Full form: 100-ms patterns, exponential Euler at
     * 0.5 ms, tau_0 3 ms, tau_w 30 ms.
     *
     * @param form the form
     * @return the rule
     */
    public static Rule rule(final Form form) {
        return new Rule() {
            @Override
            public String label() {
                return form.label();
            }

            @Override
            public String description() {
                return form == Form.FULL
                        ? "the dendritic microcircuit's full dynamics, apical error from interneurons (Sacramento et al."
                        + " 2018)"
                        : "the dendritic microcircuit's two-pass steady state (Sacramento et al. 2018, MNIST form)";
            }

            @Override
            public String notApplicable(final Task task) {
                return task.network(Feedback.BACKPROP).layers() < 2
                        ? "the microcircuit's error reaches hidden layers through their apical dendrites, and task "
                          + task.name() + " has no hidden layer" : null;
            }

            @Override
            public Learner learner(final Task task, final long seed, final double rateScale) {
                final MicrocircuitLearner.Config cfg = forTask(task, form, rateScale);
                final LayeredNetwork.Config net = task.network(Feedback.BACKPROP);
                return new MicrocircuitLearner(cfg, LayeredNetwork.forwardWeights(net,
                        LearningRun.studentRandom(seed)), LearningRun.feedbackRandom(seed), net.feedbackScale());
            }

            @Override
            public String toString() {
                return label();
            }
        };
    }

    /**
     * The circuit the comparison trains on a task (see {@link #rule}).
     *
     * @param task      the task
     * @param form      the form
     * @param rateScale multiplies every learning rate
     * @return the configuration
     */
    public static Config forTask(final Task task, final Form form, final double rateScale) {
        final LayeredNetwork.Config net = task.network(Feedback.BACKPROP);
        final int[] sizes = net.sizes();
        if (sizes.length < 3) {
            throw new IllegalArgumentException("the microcircuit needs a hidden layer; task " + task.name()
                    + " has none");
        }
        final boolean logistic = net.loss() == LayeredNetwork.Loss.SOFTMAX_CROSS_ENTROPY
                || net.output().kind() == Activation.Kind.LOGISTIC;
        final Activation output = logistic ? Activation.LOGISTIC : net.output();
        // the paper's conductances and filters (Microcircuit's regression configuration)
        final Microcircuit.Config paper = Microcircuit.Config.paperRegression();
        final double gL = paper.gL();
        final double gB = paper.gB();
        final double gA = paper.gA();
        final double gD = paper.gD();
        final double gSom = paper.gSom();
        final Config probe = new Config(form, sizes, net.hidden(), output, net.biases(), gL, gB, gA, gD, gSom,
                new double[sizes.length - 1], new double[sizes.length - 2], 0, 100, 0, paper.tau0(), paper.tauW(),
                "exponential-euler", 0.5, 0, 1);
        final double[] bp = net.learningRates();
        final double[] eta = new double[bp.length];
        double chain = 1.0;
        for (int k = bp.length; k >= 1; k--) {
            // the output's share of the nudge; below it, each hidden layer's apical share times the interneurons'
            // un-nudged share (gL + gD) / (gL + gD + gSom), by which the apical error is smaller than the change of
            // the layer above
            chain *= k == bp.length ? probe.mixing(k) : probe.mixing(k) * (gL + gD) / (gL + gD + gSom);
            eta[k - 1] = rateScale * bp[k - 1] / (probe.attenuation(k) * chain);
        }
        // P_k tracks W_{k+1}: the same rate
        final double[] etaP = Arrays.copyOfRange(eta, 1, eta.length);
        return new Config(form, sizes, net.hidden(), output, net.biases(), gL, gB, gA, gD, gSom, eta, etaP, 0.0,
                100, 0, paper.tau0(), paper.tauW(), "exponential-euler", 0.5, logistic ? 0.1 : 0.0,
                logistic ? 0.7 : 1.0);
    }

    @Override
    public String rule() {
        return config.form().label();
    }

    @Override
    public int inputs() {
        return n[0];
    }

    @Override
    public int outputs() {
        return n[layers];
    }

    /** @return the configuration */
    public Config config() {
        return config;
    }

    @Override
    public void train(final double[] input, final double[] targetValues) {
        for (int i = 0; i < n[layers]; i++) {
            target[i] = config.targetOffset() + config.targetScale() * targetValues[i];
            uTarget[i] = config.output().inverse(target[i]);
        }
        if (config.form() == Form.FULL) {
            trainFull(input);
        } else {
            trainSteady(input);
        }
    }

    @Override
    public void predict(final double[] input, final double[] out) {
        if (config.form() == Form.FULL) {
            System.arraycopy(state, 0, work, 0, state.length);
            final Simulation sim;
            if (testing == null) {
                sim = testing = start(work);
            } else {
                sim = testing;
                sim.restart(0.0, work);
            }
            sim.setBlock("x", input);
            sim.set("nudge", 0.0);
            sim.set("plastic", 0.0);
            sim.advance(config.patternMs());
            sim.copyState(work);
            final StateLayout.Block uN = model.layout().block("u" + layers);
            for (int i = 0; i < n[layers]; i++) {
                out[i] = (config.output().value(work[uN.offset() + i]) - config.targetOffset()) / config.targetScale();
            }
        } else {
            bottomUp(input);
            for (int i = 0; i < n[layers]; i++) {
                out[i] = (r[layers][i] - config.targetOffset()) / config.targetScale();
            }
        }
    }

    private Simulation start(final double[] y) {
        final Solver solver = Solvers.get(config.solver());
        return solver.start(Problem.of(model, y, 1e12), SolveOptions.fixedStep(config.step()));
    }

    /** The un-nudged steady state: vB_k, u_k = aB_k vB_k and r_k of every layer; rHat_k = r_k. */
    private void bottomUp(final double[] x) {
        double[] below = x;
        for (int k = 1; k <= layers; k++) {
            final int cols = n[k - 1];
            final double a = config.attenuation(k);
            final Activation f = k == layers ? config.output() : config.hidden();
            ArrayKernels.matvec(w[k], 0, n[k], cols, below, 0, vB[k], 0);
            for (int i = 0; i < n[k]; i++) {
                final double s = vB[k][i] + c[k][i];
                vB[k][i] = s;
                u[k][i] = a * s;
                r[k][i] = f.value(u[k][i]);
                rHat[k][i] = r[k][i];
            }
            below = r[k];
        }
    }

    /**
     * The largest per-pattern contraction {@code kappa} a single step of the steady form may take (see
     * {@link #substeps}).
     */
    static final double KAPPA = 0.5;
    /** The most sub-steps a pattern takes. */
    static final int MAX_SUBSTEPS = 64;

    /**
     * The number of quasi-static sub-steps the pattern's learning is split into, after the bottom-up pass and the
     * interneurons' dendrites. Over a presentation the full circuit sits at its steady state (after the first
     * milliseconds) while the weights move, and the move shrinks the error they learn from: Eqs. 7 and 8 make the
     * output's and each interneuron's error contract at the rate kappa per pattern, for an output unit
     * {@code kappa = eta_N |r_{N-1}|^2 phi'(aB_N vB_N) (aB_N - gB / (gL + gB + gSom))} and for an interneuron
     * {@code kappa = etaP_k |r_k|^2 phi'(aI vI) (aI - gD / (gL + gD + gSom))}, aI = gD / (gL + gD). One step
     * with the rate times the duration is explicit Euler over the presentation: for kappa above 1 it overshoots,
     * above 2 the error grows. The pattern's learning is split into ceil(max kappa / KAPPA) steps (at most
     * MAX_SUBSTEPS), each the two-pass steady state from the current weights with Eqs. 7-9 at rate x duration /
     * steps: the steady state at that many instants of the presentation. Where every kappa is below KAPPA, one step,
     * the paper's form.
     */
    private int substeps() {
        final double gL = config.gL();
        final double gB = config.gB();
        final double gD = config.gD();
        final double gSom = config.gSom();
        double kappa = 0;
        // the output's rows of W_N
        final double aN = config.attenuation(layers);
        final double shareN = aN - gB / (gL + gB + gSom);
        final double normN = squaredNorm(r[layers - 1], n[layers - 1]);
        for (int i = 0; i < n[layers]; i++) {
            kappa = Math.max(kappa, eta[layers - 1] * normN * shareN
                    * config.output().derivative(u[layers][i], rHat[layers][i]));
        }
        // the interneurons' rows of P_k
        final double aI = gD / (gL + gD);
        final double shareI = aI - gD / (gL + gD + gSom);
        for (int k = 1; k < layers; k++) {
            final Activation above = k + 1 == layers ? config.output() : config.hidden();
            final double normK = squaredNorm(r[k], n[k]);
            for (int i = 0; i < n[k + 1]; i++) {
                final double v = aI * vI[k][i];
                kappa = Math.max(kappa, etaP[k - 1] * normK * shareI * above.derivative(v, above.value(v)));
            }
        }
        return kappa <= KAPPA ? 1 : (int) Math.min(MAX_SUBSTEPS, Math.ceil(kappa / KAPPA));
    }

    private static double squaredNorm(final double[] v, final int length) {
        double s = 0;
        for (int i = 0; i < length; i++) {
            s += v[i] * v[i];
        }
        return s;
    }

    /** The number of patterns the steady state learned in more than one step (diagnostics). */
    long substepped;

    private void trainSteady(final double[] x) {
        int steps = 1;
        for (int m = 0; m < steps; m++) {
            bottomUp(x);
            // interneuron dendrites from the bottom-up rates
            for (int k = 1; k < layers; k++) {
                LayeredNetwork.product(p[k], n[k + 1], n[k], r[k], vI[k]);
            }
            if (m == 0) {
                steps = substeps();
                substepped += steps > 1 ? 1 : 0;
            }
            nudgeAndLearn(x, m == 0, 1.0 / steps);
        }
    }

    /**
     * The nudged output, the top-down pass and Eqs. 7-9 at {@code share} of the pattern's rates; needs the bottom-up
     * pass and the interneurons' dendrites.
     */
    private void nudgeAndLearn(final double[] x, final boolean first, final double share) {
        final double gL = config.gL();
        final double gB = config.gB();
        final double gA = config.gA();
        final double gD = config.gD();
        final double gSom = config.gSom();
        // the nudged output
        final Activation out = config.output();
        for (int i = 0; i < n[layers]; i++) {
            u[layers][i] = (gB * vB[layers][i] + gSom * uTarget[i]) / (gL + gB + gSom);
            r[layers][i] = out.value(u[layers][i]);
        }
        // top-down: interneurons, apical potentials, somata
        for (int k = layers - 1; k >= 1; k--) {
            final Activation above = k + 1 == layers ? out : config.hidden();
            for (int i = 0; i < n[k + 1]; i++) {
                uI[k][i] = (gD * vI[k][i] + gSom * u[k + 1][i]) / (gL + gD + gSom);
                rI[k][i] = above.value(uI[k][i]);
            }
            LayeredNetwork.product(bT[k], n[k], n[k + 1], r[k + 1], vA[k]);
            final int cols = n[k + 1];
            for (int i = 0; i < n[k]; i++) {
                double s = vA[k][i];
                final int base = i * cols;
                for (int j = 0; j < cols; j++) {
                    s += q[k][base + j] * rI[k][j];
                }
                vA[k][i] = s;
                u[k][i] = (gB * vB[k][i] + gA * s) / (gL + gB + gA);
                r[k][i] = config.hidden().value(u[k][i]);
            }
        }
        if (first) {
            angle = steadyAngle(x);
        }
        // Eq. 7: W_k and c_k; Eq. 8: P_k; Eq. 9: Q_k
        for (int k = 1; k <= layers; k++) {
            final double[] below = k == 1 ? x : r[k - 1];
            final double rate = eta[k - 1] * share;
            final double[] err = deltaBelow;
            for (int i = 0; i < n[k]; i++) {
                err[i] = r[k][i] - rHat[k][i];
                if (config.biases()) {
                    c[k][i] += rate * err[i];
                }
            }
            ArrayKernels.addOuter(w[k], 0, n[k], n[k - 1], rate, err, 0, below, 0);
        }
        final double aI = gD / (gL + gD);
        for (int k = 1; k < layers; k++) {
            final Activation above = k + 1 == layers ? out : config.hidden();
            final double[] err = deltaBelow;
            for (int i = 0; i < n[k + 1]; i++) {
                err[i] = rI[k][i] - above.value(aI * vI[k][i]);
            }
            ArrayKernels.addOuter(p[k], 0, n[k + 1], n[k], etaP[k - 1] * share, err, 0, r[k], 0);
            if (config.etaQ() != 0) {
                ArrayKernels.addOuter(q[k], 0, n[k], n[k + 1], -config.etaQ() * share, vA[k], 0, rI[k], 0);
            }
        }
    }

    /**
     * Backprop's delta of the first hidden layer for 1/2 |rHat_N - target|^2 through the un-nudged circuit
     * (u_k = aB_k (W_k r_{k-1} + c_k)), into {@code delta} (n_1 values); needs the bottom-up pass.
     */
    private void backpropDelta() {
        for (int i = 0; i < n[layers]; i++) {
            delta[i] = (rHat[layers][i] - target[i]) * config.output().derivative(config.attenuation(layers)
                    * vB[layers][i], rHat[layers][i]);
        }
        final double[] first = LayeredNetwork.deltasDown(w, n, layers, slopeOf, delta, deltaBelow);
        if (first != delta) {
            System.arraycopy(first, 0, delta, 0, n[1]);
        }
    }

    /** The slope of hidden unit j of layer k in the un-nudged circuit: phi'(aB_k vB_k). */
    private double forwardSlope(final int k, final int j) {
        return config.hidden().derivative(config.attenuation(k) * vB[k][j], rHat[k][j]);
    }

    /** The angle between the first hidden layer's update direction (r_1 - rHat_1) and backprop's -delta_1. */
    private double steadyAngle(final double[] x) {
        backpropDelta();
        double dot = 0;
        double nm = 0;
        double nb = 0;
        for (int j = 0; j < n[1]; j++) {
            final double m = r[1][j] - rHat[1][j];
            dot -= m * delta[j];
            nm += m * m;
            nb += delta[j] * delta[j];
        }
        return degrees(dot, nm, nb);
    }

    private static double degrees(final double dot, final double na, final double nb) {
        if (na == 0 || nb == 0) {
            return Double.NaN;
        }
        return Math.toDegrees(Math.acos(Math.max(-1.0, Math.min(1.0, dot / Math.sqrt(na * nb)))));
    }

    private void trainFull(final double[] x) {
        fromState();
        bottomUp(x);
        backpropDelta();
        final StateLayout.Block w1 = model.layout().block("W1");
        System.arraycopy(state, w1.offset(), w1Before, 0, w1Before.length);
        final Simulation sim;
        if (training == null) {
            sim = training = start(state);
        } else {
            sim = training;
            sim.restart(0.0, state);
        }
        sim.setBlock("x", x);
        sim.setBlock("uTarget", uTarget);
        sim.set("nudge", 1.0);
        if (config.settleMs() > 0) {
            sim.set("plastic", 0.0);
            sim.advance(config.settleMs());
        }
        sim.set("plastic", 1.0);
        sim.advance(config.learningMs());
        sim.copyState(state);
        // the angle of the pattern's change of W1 (attenuation folded in: u_1 = aB_1 W1 r_0) to -delta_1 x^T
        double dot = 0;
        double nm = 0;
        double nb = 0;
        final int cols = n[0];
        for (int i = 0; i < n[1]; i++) {
            final int base = i * cols;
            for (int j = 0; j < cols; j++) {
                final double m = state[w1.offset() + base + j] - w1Before[base + j];
                final double b = -delta[i] * x[j];
                dot += m * b;
                nm += m * m;
                nb += b * b;
            }
        }
        angle = degrees(dot, nm, nb);
    }

    /** Copies the weights into the model's state (full form). */
    private void toState() {
        final StateLayout l = model.layout();
        for (int k = 1; k <= layers; k++) {
            put(l, "W" + k, w[k]);
            if (config.biases()) {
                put(l, "c" + k, c[k]);
            }
            if (k < layers) {
                put(l, "P" + k, p[k]);
                put(l, "Q" + k, q[k]);
            }
        }
    }

    /** Copies the weights out of the model's state (full form). */
    private void fromState() {
        final StateLayout l = model.layout();
        for (int k = 1; k <= layers; k++) {
            get(l, "W" + k, w[k]);
            if (config.biases()) {
                get(l, "c" + k, c[k]);
            }
            if (k < layers) {
                get(l, "P" + k, p[k]);
                get(l, "Q" + k, q[k]);
            }
        }
    }

    private void put(final StateLayout l, final String name, final double[] values) {
        System.arraycopy(values, 0, state, l.block(name).offset(), values.length);
    }

    private void get(final StateLayout l, final String name, final double[] values) {
        System.arraycopy(state, l.block(name).offset(), values, 0, values.length);
    }

    @Override
    public double hiddenUpdateAngle() {
        return angle;
    }

    /**
     * @param k layer 1..N
     * @return a copy of the forward weights W_k (n_k x n_{k-1}; the circuit's, u_k = aB_k W_k r_{k-1} at rest)
     */
    public double[] weights(final int k) {
        if (config.form() == Form.FULL) {
            fromState();
        }
        return w[k].clone();
    }

    @Override
    public double[] state() {
        return StateArrays.pack(parts());
    }

    @Override
    public void restore(final double[] s) {
        StateArrays.unpack(s, parts(), "the circuit");
        if (config.form() == Form.FULL) {
            fromState();
        }
    }

    /**
     * The state in order: the full form's whole ODE state; the steady form's W_k and c_k per layer, with P_k and Q_k
     * after a hidden layer's.
     */
    private List<double[]> parts() {
        if (config.form() == Form.FULL) {
            return List.of(state);
        }
        final List<double[]> parts = new ArrayList<>();
        for (int k = 1; k <= layers; k++) {
            parts.add(w[k]);
            parts.add(c[k]);
            if (k < layers) {
                parts.add(p[k]);
                parts.add(q[k]);
            }
        }
        return parts;
    }
}
