package org.neurode.models.credit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

import org.neurode.core.Model;
import org.neurode.core.OdeException;
import org.neurode.core.Problem;
import org.neurode.core.StateLayout;
import org.neurode.core.expr.ArrayKernels;
import org.neurode.core.expr.ModelBuilder;
import org.neurode.core.spec.ExprSpec;
import org.neurode.core.spec.ModelSpec;
import org.neurode.core.spec.ParameterSpec;
import org.neurode.core.spec.VariableSpec;
import org.neurode.solvers.Simulation;
import org.neurode.solvers.SolveOptions;
import org.neurode.solvers.Solver;
import org.neurode.solvers.Solvers;

/**
 * The segregated-dendrite network of Guerguiev, Lillicrap and Richards (2017, "Towards deep learning with segregated
 * dendrites", eLife 6:e22901) in its non-spiking mode, as a {@link Learner}, in two {@link Form forms}. In the
 * {@link Form#FULL full} form the compartments are written in neurode's model language and integrated by a library
 * solver; in the {@link Form#STEADY_STATE steady-state} form (the authors' own non-spiking code) every compartment
 * is at the closed-form steady state of each phase. The once-per-example weight update is the same Java in both.
 *
 * <p><b>Neurons</b> (time in ms, potentials dimensionless as in the paper, conductances in 1/ms, rates in spikes/ms).
 * Layers k = 1..L above the input; k &lt; L hidden, k = L output. In the non-spiking mode of the authors' code a
 * neuron sends its rate lambda instead of Poisson spikes, and the postsynaptic potential kernel is replaced by the
 * presynaptic rate itself (PSP = lambda), so dendritic potentials follow their inputs at once:
 * <pre>
 *   B_k = W_k lambda_{k-1} + b_k                     basal dendrite (hidden); V = W_L lambda_{L-1} + b_L at the output
 *   A_k = Y_k lambda_L                               apical dendrite, broadcast feedback from the output (k &lt; L)
 *   dC_k/dt = -gL C_k + gB (B_k - C_k) + gA (A_k - C_k)                                      hidden soma
 *   dU/dt   = -gL U + gD (V - U) + teach [gE (E_E - U) + (1 - gE) (E_I - U)]                   output soma
 *   lambda_k = lambdaMax sigma(C_k),  lambda_L = lambdaMax sigma(U),  lambda_0 = the input rates
 * </pre>
 * Averages over the last {@code window} ms of a phase are state variables, e.g. dAbar/dt = window A / T_window with
 * {@code window} an input switch: Abar_k, Cbar_k, Ubar and the rates rbar_k.
 *
 * <p><b>An example</b>: from rest, a forward phase ({@code forwardPhase} ms, teach = 0), then a target phase
 * ({@code targetPhase} ms, teach = 1, the averages reset); plateau potentials alpha = sigma(Abar) at the end of each
 * phase. Then the paper's updates (its Eqs. for E^k and E^l), with P_final = 20 / lambdaMax^2 and
 * P_hidden = 20 / lambdaMax:
 * <pre>
 *   E_L = -(rbar_L^t - lambdaMax sigma(Ubar^f)) k_D lambdaMax sigma'(Ubar^f),      k_D = gD / (gL + gD)
 *   E_l = -(alpha_l^t - alpha_l^f) k_B lambdaMax sigma'(Cbar_l^f),                k_B = gB / (gL + gB + gA)
 *   W_k -= eta_k P E_k (rbar_{k-1}^f)^T,  b_k -= eta_k P E_k     (rbar_0 = the input rates; P = P_final at k = L)
 * </pre>
 * The paper's random phase-length jitter (Wald(2, 1) ms) belongs to its spiking mode; the authors' code switches it
 * off in the non-spiking mode, and so does this class: every phase has its nominal length. An example starts from
 * rest (all potentials and averages 0), so a learner is a function of its weights alone (the authors carry the
 * potentials over; 30 ms of settling at the slowest rate gL + gB = 0.7/ms leave e^-21 of them).
 *
 * <p><b>Tasks.</b> Input values x become rates {@link InputCode#LINEAR lambdaMax x} (inputs in [0, 1], as the
 * paper's pixels) or {@link InputCode#LOGISTIC lambdaMax sigma(x)} (unbounded inputs). The teaching conductances
 * sum to 1, gE + gI = 1, so the current is gE (E_E - U) + gI (E_I - U) = U* - U: it drives the soma towards the
 * target potential U* = gE E_E + (1 - gE) E_I. With the {@link Readout#RATE rate readout} (classification,
 * logistic outputs) a target t in [0, 1] is gE = t (a one-hot target is the paper's teaching) and the prediction
 * is the mean rate over the forward window, rbar_L / lambdaMax; with the {@link Readout#POTENTIAL potential
 * readout} (regression) U* = y (clipped to [E_I, E_E]) and the prediction is Ubar. The target rate is
 * lambdaMax sigma(U*) either way.
 *
 * <p><b>Feedback</b>: {@link FeedbackMode#RANDOM} fixed random Y_k = Y_shared / lambdaMax (so A = Y_shared
 * lambda_L / lambdaMax), or {@link FeedbackMode#SYMMETRIC} Y_{L-1} =
 * W_L^T and Y_k = W_{k+1}^T Y_{k+1} (the product of the forward weights above, as the authors' code makes broadcast
 * feedback symmetric), recomputed after every update (the steady-state form takes its apical potentials down W^T
 * and recomputes Y only when {@link #feedbackWeights} asks).
 *
 * <p><b>Steady-state form.</b> With gA = 0 every compartment of a phase has a closed-form steady state, which the
 * full form reaches to about e^(-0.7/ms x 30 ms) = e^-21 (the slowest rates gL + gB = gL + gD; times a polynomial
 * factor of the layer chain) by the start of the 20-ms window, so its window means are the steady values to that
 * residue. Forward phase, bottom up:
 * C_k = k_B B_k, U^f = k_D V, lambda = lambdaMax sigma(.), A_k^f = Y_k lambda_L^f. Target phase: the hidden somata
 * keep their values (their basal input is the same), U^t = (gD V + U*) / (gL + gD + 1) (the teaching conductances
 * sum to 1), A_k^t = Y_k lambdaMax sigma(U^t). The means (Cbar, Abar, Ubar, rbar) are these values, the plateaus
 * sigma(A), and the update is the one above with the same parameters: the forms differ only by the ODE's distance
 * from the steady state and rounding. One forward pass, the apical products (n_k x n_L each, or one backward pass
 * for symmetric feedback) and the rank-one updates per example, on {@link ArrayKernels}.
 *
 * <p>Not thread-safe. The full form runs one simulation per learner, restarted for every example, and training and
 * prediction allocate only what the solver's API does; the steady-state form allocates nothing per pattern.
 *
 * @since 0.1
 */
public final class SegregatedDendrites implements Learner {

    /** How the compartments are computed in each phase. */
    public enum Form {
        /** The ODE model integrated by the configured solver over each phase; the window means are integrated. */
        FULL,
        /**
         * Every compartment at the closed-form steady state of each phase (the window means equal it): one forward
         * pass, the apical and output potentials of the target phase, then the update. Needs gA = 0.
         */
        STEADY_STATE
    }

    /** How the output neurons are read and taught. */
    public enum Readout {
        /** Prediction = the mean somatic potential Ubar; target potential U* = y: regression. */
        POTENTIAL,
        /** Prediction = the mean rate rbar / lambdaMax in [0, 1]; excitatory conductance gE = t: classification. */
        RATE
    }

    /** How input values become input rates. */
    public enum InputCode {
        /** lambdaMax x, for inputs in [0, 1] (the paper's lambdaMax pixel / 255). */
        LINEAR,
        /** lambdaMax sigma(x), for unbounded inputs: the input neurons' somatic potential is x. */
        LOGISTIC
    }

    /** The broadcast feedback weights Y. */
    public enum FeedbackMode {
        /** Fixed random weights U(-s, s) / lambdaMax. */
        RANDOM,
        /** The products of the transposed forward weights above, recomputed after every update. */
        SYMMETRIC
    }

    /**
     * The network and its simulation.
     *
     * @param form          the ODE integrated ({@link Form#FULL}) or the closed-form steady states
     *                      ({@link Form#STEADY_STATE}; {@code step} and {@code solver} are then unused)
     * @param sizes         layer sizes, input first (at least input, one hidden and output)
     * @param readout       how the output is read and taught
     * @param inputCode     how inputs become rates
     * @param feedback      random or symmetric feedback
     * @param learningRates eta_k per layer k = 1..L (before the P scalings)
     * @param feedbackScale random feedback Y ~ U(-feedbackScale, feedbackScale) / lambdaMax
     * @param gL            leak conductance (1/ms; paper 0.1)
     * @param gB            basal-to-soma conductance (1/ms; paper 0.6)
     * @param gA            apical-to-soma conductance (1/ms; paper 0)
     * @param gD            dendrite-to-soma conductance of the output (1/ms; paper 0.6)
     * @param lambdaMax     maximal rate (spikes/ms; paper 0.2)
     * @param reversalE     excitatory reversal potential of the teaching current (paper 8)
     * @param reversalI     inhibitory reversal potential (paper -8)
     * @param forwardPhase  forward phase (ms; paper 50)
     * @param targetPhase   target phase (ms; paper 50)
     * @param window        averaging window at the end of each phase (ms; paper 20)
     * @param step          integration step (ms; paper 1)
     * @param solver        the fixed-step solver's name ({@link Solvers#get})
     */
    public record Config(Form form, int[] sizes, Readout readout, InputCode inputCode, FeedbackMode feedback,
                         double[] learningRates, double feedbackScale, double gL, double gB, double gA, double gD,
                         double lambdaMax, double reversalE, double reversalI, double forwardPhase,
                         double targetPhase, double window, double step, String solver) {

        /**
         * @throws IllegalArgumentException naming the field at fault
         */
        public Config {
            if (form == null) {
                throw new IllegalArgumentException("form: null");
            }
            if (sizes == null || sizes.length < 3) {
                throw new IllegalArgumentException("sizes: an input, at least one hidden and an output layer are"
                        + " needed");
            }
            for (int k = 0; k < sizes.length; k++) {
                if (sizes[k] <= 0) {
                    throw new IllegalArgumentException("sizes[" + k + "] = " + sizes[k] + " is not positive");
                }
            }
            if (readout == null || inputCode == null || feedback == null) {
                throw new IllegalArgumentException((readout == null ? "readout" : inputCode == null ? "inputCode"
                        : "feedback") + ": null");
            }
            if (learningRates == null || learningRates.length != sizes.length - 1) {
                throw new IllegalArgumentException("learningRates: one per layer above the input ("
                        + (sizes.length - 1) + ") needed");
            }
            for (int k = 0; k < learningRates.length; k++) {
                Checks.nonNegative("learningRates[" + k + "]", learningRates[k]);
            }
            Checks.nonNegative("feedbackScale", feedbackScale);
            Checks.nonNegative("gL", gL);
            Checks.positive("gB", gB);
            Checks.nonNegative("gA", gA);
            if (form == Form.STEADY_STATE && gA != 0) {
                throw new IllegalArgumentException("gA = " + gA + ": the steady-state form needs gA = 0 (with apical"
                        + " coupling the somata and the output feed back on each other, and the steady state is a"
                        + " fixed point of the whole network, not a closed form)");
            }
            Checks.positive("gD", gD);
            Checks.positive("lambdaMax", lambdaMax);
            if (!Double.isFinite(reversalE) || !Double.isFinite(reversalI) || !(reversalE > reversalI)) {
                throw new IllegalArgumentException("reversalE = " + reversalE + " must be finite and above reversalI"
                        + " = " + reversalI);
            }
            Checks.positive("step", step);
            Checks.positive("window", window);
            Checks.positive("forwardPhase", forwardPhase);
            Checks.positive("targetPhase", targetPhase);
            if (window < step) {
                throw new IllegalArgumentException("window = " + window + " ms is shorter than the step " + step);
            }
            if (window > forwardPhase || window > targetPhase) {
                throw new IllegalArgumentException("window = " + window + " ms is longer than a phase (forwardPhase "
                        + forwardPhase + ", targetPhase " + targetPhase + ")");
            }
            if (solver == null) {
                throw new IllegalArgumentException("solver: null");
            }
            try {
                Solvers.get(solver);
            } catch (OdeException e) {
                throw new IllegalArgumentException("solver: " + e.getMessage(), e);
            }
            sizes = sizes.clone();
            learningRates = learningRates.clone();
        }

        /**
         * The paper's constants (Guerguiev et al. 2017, Methods; the authors' deep_learning.py): gL = 0.1,
         * gB = gD = 0.6, gA = 0, lambdaMax = 0.2 /ms, E_E = 8, E_I = -8, phases of 50 ms with a 20-ms window,
         * 1-ms steps, exponential Euler; the {@link Form#FULL full} form.
         *
         * @param sizes         layer sizes
         * @param readout       readout
         * @param inputCode     input code
         * @param feedback      feedback mode
         * @param learningRates eta per layer
         * @param feedbackScale random feedback scale
         * @return the configuration
         */
        public static Config paper(final int[] sizes, final Readout readout, final InputCode inputCode,
                                   final FeedbackMode feedback, final double[] learningRates,
                                   final double feedbackScale) {
            return new Config(Form.FULL, sizes, readout, inputCode, feedback, learningRates, feedbackScale, 0.1, 0.6,
                    0.0, 0.6, 0.2, 8.0, -8.0, 50.0, 50.0, 20.0, 1.0, "exponential-euler");
        }

        /**
         * @param f the form
         * @return a copy in that form
         */
        public Config withForm(final Form f) {
            return new Config(f, sizes, readout, inputCode, feedback, learningRates, feedbackScale, gL, gB, gA, gD,
                    lambdaMax, reversalE, reversalI, forwardPhase, targetPhase, window, step, solver);
        }

        /**
         * @param forward forward phase (ms)
         * @param target  target phase (ms)
         * @param win     window (ms)
         * @return a copy with those times
         */
        public Config withPhases(final double forward, final double target, final double win) {
            return new Config(form, sizes, readout, inputCode, feedback, learningRates, feedbackScale, gL, gB, gA, gD,
                    lambdaMax, reversalE, reversalI, forward, target, win, step, solver);
        }

        /**
         * @param apical gA (1/ms)
         * @return a copy with that apical conductance
         */
        public Config withApicalConductance(final double apical) {
            return new Config(form, sizes, readout, inputCode, feedback, learningRates, feedbackScale, gL, gB, apical,
                    gD, lambdaMax, reversalE, reversalI, forwardPhase, targetPhase, window, step, solver);
        }

        /**
         * @param name solver name
         * @param h    step (ms)
         * @return a copy with that solver
         */
        public Config withSolver(final String name, final double h) {
            return new Config(form, sizes, readout, inputCode, feedback, learningRates, feedbackScale, gL, gB, gA, gD,
                    lambdaMax, reversalE, reversalI, forwardPhase, targetPhase, window, h, name);
        }

        /** @return the number of layers above the input (L) */
        public int layers() {
            return sizes.length - 1;
        }

        /** @return k_B = gB / (gL + gB + gA): the hidden soma's steady state over its basal potential */
        public double kB() {
            return gB / (gL + gB + gA);
        }

        /** @return k_D = gD / (gL + gD): the output soma's steady state over its dendritic potential */
        public double kD() {
            return gD / (gL + gD);
        }

        /**
         * The output layer's update of the shared weights W_shared = k_D lambdaMax W / 4 per unit of learning rate,
         * of error U* - U and of presynaptic activity hhat = 4 lambda / lambdaMax - 2, at the sigmoid's steepest
         * point: 20 k_D^2 lambdaMax^2 sigma'(0)^2 / (16 (gL + gD + 1)), the teaching conductances summing to 1
         * (8.4e-4 with the paper's constants; one factor 4 from the weights' units, one from hhat's). A learning rate
         * eta_bp of backprop on the task's student is matched by eta = eta_bp / this factor.
         *
         * @return the factor
         */
        public double outputRateFactor() {
            final double k = kD();
            return 20.0 * k * k * lambdaMax * lambdaMax * 0.0625 / (gL + gD + 1.0);
        }

        @Override
        public int[] sizes() {
            return sizes.clone();
        }

        @Override
        public double[] learningRates() {
            return learningRates.clone();
        }
    }

    // the equations, by role; layer k's names are made by renaming
    private static final ExprSpec BASAL = ExprSpec.parse("W @ rBelow + b");
    private static final ExprSpec APICAL = ExprSpec.parse("Y @ rOut");
    private static final ExprSpec RATE = ExprSpec.parse("lambdaMax * sigmoid(C)");
    private static final ExprSpec HIDDEN_SOMA = ExprSpec.parse("-gL * C + gB * (B - C) + gA * (A - C)");
    private static final ExprSpec OUTPUT_SOMA =
            ExprSpec.parse("-gL * U + gD * (V - U) + teach * (gE * (EE - U) + (1 - gE) * (EI - U))");
    /** A mean over the window: d vbar/dt = window v / T_window. */
    private static final ExprSpec AVERAGE = ExprSpec.parse("window * v / Twindow");

    /** Simulation end time; examples are shorter, each starts at 0. */
    private static final double T_END = 1e12;

    private final Config config;
    private final String label;
    private final int layers;
    private final int[] n;
    private final double kB;
    private final double kD;
    private final double lambdaMax;
    private final double pHidden;
    private final double pFinal;
    private final double[] eta;
    /** The model: built by the full form's constructor, on demand in the steady-state form. */
    private Model model;
    /** The full form's simulation, its rest state and its latest state; null in the steady-state form. */
    private final Simulation sim;
    private final double[] rest;
    private final double[] work;
    /** Weights: w[k] n[k] x n[k-1] row-major, b[k] n[k], y[k] n[k] x n[L] (k &lt; L); index 0 unused. */
    private final double[][] w;
    private final double[][] b;
    private final double[][] y;
    /** Offsets in the state of the averages. */
    private final int[] cbarAt;
    private final int[] abarAt;
    private final int[] rbarAt;
    private final int ubarAt;
    /** The example: input rates, teaching conductances, forward averages, errors, backprop's errors. */
    private final double[] rates0;
    private final double[] gE;
    private final double[] ubarF;
    private final double[][] cbarF;
    private final double[][] abarF;
    private final double[][] rbarF;
    private final double[][] err;
    private final double[] upper;
    private final double[] lower;
    /** Target-phase plateau arguments Abar_k^t (hidden k) and output rates rbar_L^t. */
    private final double[][] abarT;
    private final double[] rOutT;
    /** The steady-state form's dendritic potentials B_k (V at k = L). */
    private final double[][] basal;
    /** The steady-state form with symmetric feedback updates Y_k only when asked ({@link #feedbackWeights}). */
    private boolean feedbackStale;
    private boolean weightsChanged = true;
    private boolean feedbackChanged = true;
    private double angle = Double.NaN;
    /** The hidden slopes at the forward phase, for backprop's reference deltas. */
    private final LayeredNetwork.Slope slopeOf = this::forwardSlope;

    /**
     * @param config          the network
     * @param label           the rule's name ({@link #rule()})
     * @param sharedWeights   initial forward weights w[k] (k = 1..L) in the units of the task's student, as
     *                        {@link LayeredNetwork#forwardWeights} draws them for every rule. They act on the
     *                        presynaptic activity hhat = 4 lambda / lambdaMax - 2 = 2 tanh(C / 2) (slope 1 at 0, as
     *                        tanh), or on the input x itself under the linear input code: W = 4 W_shared /
     *                        (k lambdaMax) and b = -2 W_shared 1 / k (W = W_shared / (k lambdaMax), b = 0 for x),
     *                        k = k_B (k_D at the output), so that a soma starts at C = W_shared hhat, the student's
     *                        pre-activation with 2 tanh(C / 2) as the rate function
     * @param feedbackWeights draws the random feedback Y_k (k = 1..L-1 in order, n[k] x n[L] row-major); unused when
     *                        symmetric
     * @throws IllegalArgumentException if the weights' shapes are not the configuration's
     */
    public SegregatedDendrites(final Config config, final String label, final double[][] sharedWeights,
                               final RandomGenerator feedbackWeights) {
        this.config = config;
        this.label = label;
        this.layers = config.layers();
        this.n = config.sizes();
        this.kB = config.kB();
        this.kD = config.kD();
        this.lambdaMax = config.lambdaMax();
        this.pHidden = 20.0 / lambdaMax;
        this.pFinal = 20.0 / (lambdaMax * lambdaMax);
        this.eta = config.learningRates();
        if (sharedWeights == null || sharedWeights.length != layers + 1) {
            throw new IllegalArgumentException("sharedWeights: one matrix per layer 1.." + layers + " needed");
        }
        w = new double[layers + 1][];
        b = new double[layers + 1][];
        y = new double[layers][];
        cbarF = new double[layers][];
        abarF = new double[layers][];
        rbarF = new double[layers + 1][];
        err = new double[layers + 1][];
        int widest = 1;
        for (int k = 1; k <= layers; k++) {
            if (sharedWeights[k] == null || sharedWeights[k].length != n[k] * n[k - 1]) {
                throw new IllegalArgumentException("sharedWeights[" + k + "]: " + n[k] + " x " + n[k - 1]
                        + " values needed");
            }
            // W_shared acts on hhat = 4 lambda / lambdaMax - 2 (or on x itself under the linear input code)
            final boolean centred = k > 1 || config.inputCode() == InputCode.LOGISTIC;
            final double att = k == layers ? kD : kB;
            final double gain = centred ? 4.0 : 1.0;
            final double scale = gain / (att * lambdaMax);
            w[k] = new double[sharedWeights[k].length];
            b[k] = new double[n[k]];
            for (int i = 0; i < n[k]; i++) {
                double row = 0;
                for (int j = 0; j < n[k - 1]; j++) {
                    w[k][i * n[k - 1] + j] = sharedWeights[k][i * n[k - 1] + j] * scale;
                    row += sharedWeights[k][i * n[k - 1] + j];
                }
                b[k][i] = centred ? -2.0 * row / att : 0.0;
            }
            rbarF[k] = new double[n[k]];
            err[k] = new double[n[k]];
            widest = Math.max(widest, n[k]);
        }
        for (int k = 1; k < layers; k++) {
            y[k] = new double[n[k] * n[layers]];
            cbarF[k] = new double[n[k]];
            abarF[k] = new double[n[k]];
            if (config.feedback() == FeedbackMode.RANDOM) {
                final double s = config.feedbackScale();
                for (int i = 0; i < y[k].length; i++) {
                    y[k][i] = s == 0 ? 0.0 : feedbackWeights.nextDouble(-s, s) / lambdaMax;
                }
            }
        }
        if (config.feedback() == FeedbackMode.SYMMETRIC) {
            symmetricFeedback();
        }
        upper = new double[widest];
        lower = new double[widest];
        rates0 = new double[n[0]];
        gE = new double[n[layers]];
        ubarF = new double[n[layers]];
        rOutT = new double[n[layers]];
        abarT = new double[layers][];
        basal = new double[layers + 1][];
        for (int k = 1; k <= layers; k++) {
            basal[k] = new double[n[k]];
            if (k < layers) {
                abarT[k] = new double[n[k]];
            }
        }
        cbarAt = new int[layers];
        abarAt = new int[layers];
        rbarAt = new int[layers + 1];
        if (config.form() == Form.STEADY_STATE) {
            ubarAt = -1;
            rest = null;
            work = null;
            sim = null;
            return;
        }
        model = build(config);
        final StateLayout layout = model.layout();
        for (int k = 1; k <= layers; k++) {
            rbarAt[k] = layout.block("rbar" + k).offset();
            if (k < layers) {
                cbarAt[k] = layout.block("Cbar" + k).offset();
                abarAt[k] = layout.block("Abar" + k).offset();
            }
        }
        ubarAt = layout.block("Ubar").offset();
        rest = new double[layout.dimension()];
        work = new double[layout.dimension()];
        final Solver solver = Solvers.get(config.solver());
        sim = solver.start(Problem.of(model, rest, T_END), SolveOptions.fixedStep(config.step()));
    }

    /**
     * The network's compartments in neurode's model language. Inputs (set per example): {@code x} (input rates),
     * {@code W<k>}, {@code b<k>} (forward weights and biases), {@code Y<k>} (feedback), {@code gE} (excitatory
     * teaching conductance of each output), {@code teach} (1 in the target phase) and {@code window} (1 during the
     * averaging window). State: {@code C<k>} (hidden somata), {@code U} (output somata) and the window means
     * {@code Cbar<k>}, {@code Abar<k>}, {@code Ubar}, {@code rbar<k>} (rates, k = 1..L). Lets: {@code B<k>},
     * {@code A<k>}, {@code V}, {@code r<k>}.
     *
     * @param c the configuration
     * @return the model
     */
    public static Model build(final Config c) {
        final int nl = c.layers();
        final int[] n = c.sizes();
        final StringBuilder name = new StringBuilder("segregated-dendrites");
        for (final int s : n) {
            name.append('-').append(s);
        }
        ModelSpec in = ModelSpec.fragment("inputs")
                .withVariable(VariableSpec.input("x", n[0], 1, "1"))
                .withVariable(VariableSpec.input("gE", n[nl], 1, "1"))
                .withVariable(VariableSpec.input("teach", 1, 1, "1"))
                .withVariable(VariableSpec.input("window", 1, 1, "1"));
        for (int k = 1; k <= nl; k++) {
            in = in.withVariable(VariableSpec.input("W" + k, n[k], n[k - 1], "1"))
                    .withVariable(VariableSpec.input("b" + k, n[k], 1, "1"));
            if (k < nl) {
                in = in.withVariable(VariableSpec.input("Y" + k, n[k], n[nl], "1"));
            }
        }
        final ModelSpec parameters = ModelSpec.fragment("parameters")
                .withParameter(ParameterSpec.scalar("gL", c.gL()))
                .withParameter(ParameterSpec.scalar("gB", c.gB()))
                .withParameter(ParameterSpec.scalar("gA", c.gA()))
                .withParameter(ParameterSpec.scalar("gD", c.gD()))
                .withParameter(ParameterSpec.scalar("lambdaMax", c.lambdaMax()))
                .withParameter(ParameterSpec.scalar("EE", c.reversalE()))
                .withParameter(ParameterSpec.scalar("EI", c.reversalI()))
                .withParameter(ParameterSpec.scalar("Twindow", c.window()));
        final ModelBuilder builder = ModelBuilder.named(name.toString()).add(in).add(parameters);
        // the somata and the window means, then the rates (from the somata), the dendrites (from the rates), and
        // the equations: a name is defined before it is used
        ModelSpec states = ModelSpec.fragment("somata and window means");
        ModelSpec rates = ModelSpec.fragment("rates").withLet("r0", "x");
        ModelSpec dendrites = ModelSpec.fragment("dendrites");
        ModelSpec equations = ModelSpec.fragment("somatic dynamics and window means");
        for (int k = 1; k <= nl; k++) {
            final boolean out = k == nl;
            final String soma = out ? "U" : "C" + k;
            final Map<String, String> names = Map.of("W", "W" + k, "b", "b" + k, "rBelow", "r" + (k - 1),
                    "Y", "Y" + k, "rOut", "r" + nl, "A", "A" + k, "B", out ? "V" : "B" + k, "C", soma);
            states = states.withVariable(VariableSpec.state(soma, n[k], 1, "1"))
                    .withVariable(VariableSpec.state(out ? "Ubar" : "Cbar" + k, n[k], 1, "1"))
                    .withVariable(VariableSpec.state("rbar" + k, n[k], 1, "1"));
            rates = rates.withLet("r" + k, RATE.rename(names));
            dendrites = dendrites.withLet(out ? "V" : "B" + k, BASAL.rename(names));
            equations = equations.withEquation(soma, out ? OUTPUT_SOMA : HIDDEN_SOMA.rename(names))
                    .withEquation(out ? "Ubar" : "Cbar" + k, AVERAGE.rename(Map.of("v", soma)))
                    .withEquation("rbar" + k, AVERAGE.rename(Map.of("v", "r" + k)));
            if (!out) {
                states = states.withVariable(VariableSpec.state("Abar" + k, n[k], 1, "1"));
                dendrites = dendrites.withLet("A" + k, APICAL.rename(names));
                equations = equations.withEquation("Abar" + k, AVERAGE.rename(Map.of("v", "A" + k)));
            }
        }
        return builder.add(states).add(rates).add(dendrites).add(equations).build();
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

    /** @return the configuration */
    public Config config() {
        return config;
    }

    /**
     * @return the model (its weights are inputs, set per example; the steady-state form builds it on first use and
     *         does not integrate it)
     */
    public Model model() {
        if (model == null) {
            model = build(config);
        }
        return model;
    }

    /**
     * @param k layer 1..L
     * @return a copy of the forward weights into layer k (n[k] x n[k-1], row-major, in this network's units)
     */
    public double[] weights(final int k) {
        return w[k].clone();
    }

    /**
     * @param k layer 1..L
     * @return a copy of the biases of layer k
     */
    public double[] biases(final int k) {
        return b[k].clone();
    }

    /**
     * @param k hidden layer 1..L-1
     * @return a copy of its feedback weights Y_k (n[k] x n[L], row-major)
     */
    public double[] feedbackWeights(final int k) {
        if (feedbackStale) {
            symmetricFeedback();
        }
        return y[k].clone();
    }

    /**
     * The input rates lambda_0 of an input.
     *
     * @param input input values (not modified)
     */
    private void inputRates(final double[] input) {
        final boolean linear = config.inputCode() == InputCode.LINEAR;
        for (int i = 0; i < n[0]; i++) {
            rates0[i] = linear ? lambdaMax * input[i] : lambdaMax / (1.0 + Math.exp(-input[i]));
        }
    }

    /**
     * Full form: runs the forward phase on the input rates: from rest, no teaching, the window means at the end. The
     * state after it is {@link #lastState()}.
     */
    private void forwardPhase() {
        if (weightsChanged) {
            for (int k = 1; k <= layers; k++) {
                sim.setBlock("W" + k, w[k]);
                sim.setBlock("b" + k, b[k]);
            }
            weightsChanged = false;
        }
        if (feedbackChanged) {
            for (int k = 1; k < layers; k++) {
                sim.setBlock("Y" + k, y[k]);
            }
            feedbackChanged = false;
        }
        sim.restart(0.0, rest);
        sim.setBlock("x", rates0);
        sim.set("teach", 0.0);
        sim.set("window", 0.0);
        sim.advance(config.forwardPhase() - config.window());
        sim.set("window", 1.0);
        sim.advance(config.window());
        sim.copyState(work);
    }

    /**
     * The target phase after a forward phase: the window means reset, the teaching current on.
     */
    private void targetPhase() {
        for (int k = 1; k <= layers; k++) {
            Arrays.fill(work, rbarAt[k], rbarAt[k] + n[k], 0.0);
            if (k < layers) {
                Arrays.fill(work, cbarAt[k], cbarAt[k] + n[k], 0.0);
                Arrays.fill(work, abarAt[k], abarAt[k] + n[k], 0.0);
            }
        }
        Arrays.fill(work, ubarAt, ubarAt + n[layers], 0.0);
        sim.setState(work);
        sim.setBlock("gE", gE);
        sim.set("teach", 1.0);
        sim.set("window", 0.0);
        sim.advance(config.targetPhase() - config.window());
        sim.set("window", 1.0);
        sim.advance(config.window());
        sim.copyState(work);
    }

    /**
     * Steady-state form, forward phase: every soma at its steady state, bottom up (C_k = k_B B_k with gA = 0,
     * U = k_D V), the rates lambdaMax sigma of them; these are also the window means. Leaves B_k and V in
     * {@link #basal}, C_k in cbarF, U in ubarF and the rates in rbarF.
     */
    private void steadyForward() {
        double[] below = rates0;
        for (int k = 1; k <= layers; k++) {
            final boolean out = k == layers;
            final double[] v = basal[k];
            final double[] soma = out ? ubarF : cbarF[k];
            final double[] rate = rbarF[k];
            final double[] bk = b[k];
            final double att = out ? kD : kB;
            ArrayKernels.matvec(w[k], 0, n[k], n[k - 1], below, 0, v, 0);
            for (int i = 0; i < n[k]; i++) {
                v[i] += bk[i];
                final double c = att * v[i];
                soma[i] = c;
                rate[i] = lambdaMax * sigma(c);
            }
            below = rate;
        }
    }

    /**
     * The apical potentials A_k = Y_k lambda_L of every hidden layer. Symmetric feedback takes them down the
     * transposed forward weights, A_{L-1} = W_L^T lambda_L and A_k = W_{k+1}^T A_{k+1}, which is Y_k lambda_L at the
     * cost of one backward pass (Y_k itself would cost n_{k+1} n_k n_L per update for k &lt; L - 1).
     *
     * @param rOut the output rates lambda_L
     * @param into A_k per hidden layer k
     */
    private void apical(final double[] rOut, final double[][] into) {
        if (config.feedback() == FeedbackMode.RANDOM) {
            for (int k = 1; k < layers; k++) {
                ArrayKernels.matvec(y[k], 0, n[k], n[layers], rOut, 0, into[k], 0);
            }
            return;
        }
        for (int k = layers - 1; k >= 1; k--) {
            ArrayKernels.matvecTransposed(w[k + 1], 0, n[k + 1], n[k], k == layers - 1 ? rOut : into[k + 1], 0,
                    into[k], 0);
        }
    }

    /**
     * Steady-state form, target phase after {@link #steadyForward}: the hidden somata keep their forward values (their
     * basal input is unchanged and gA = 0); the output soma settles at U^t = (gD V + U*) / (gL + gD + 1), the teaching
     * conductances summing to 1; its rates go to rOutT and the apical potentials they drive to abarT.
     */
    private void steadyTarget() {
        final double eE = config.reversalE();
        final double eI = config.reversalI();
        final double gD = config.gD();
        final double total = config.gL() + gD + 1.0;
        final double[] v = basal[layers];
        for (int i = 0; i < n[layers]; i++) {
            final double uStar = gE[i] * eE + (1.0 - gE[i]) * eI;
            rOutT[i] = lambdaMax * sigma((gD * v[i] + uStar) / total);
        }
        apical(rOutT, abarT);
    }

    /**
     * The values the latest {@link #train} learned from, in either form: the forward phase's Ubar, then per hidden
     * layer Cbar_k, Abar_k and rbar_k, then the target phase's Abar_k per hidden layer and rbar_L. For tests.
     *
     * @return a new array
     */
    double[] phaseMeans() {
        int size = 2 * n[layers];
        for (int k = 1; k < layers; k++) {
            size += 4 * n[k];
        }
        final double[] m = new double[size];
        int at = 0;
        System.arraycopy(ubarF, 0, m, at, n[layers]);
        at += n[layers];
        for (int k = 1; k < layers; k++) {
            for (final double[] v : new double[][] {cbarF[k], abarF[k], rbarF[k]}) {
                System.arraycopy(v, 0, m, at, n[k]);
                at += n[k];
            }
        }
        for (int k = 1; k < layers; k++) {
            System.arraycopy(abarT[k], 0, m, at, n[k]);
            at += n[k];
        }
        System.arraycopy(rOutT, 0, m, at, n[layers]);
        return m;
    }

    /** @return the full form's state at the end of the latest phase (live; overwritten by the next example) */
    double[] lastState() {
        return work;
    }

    @Override
    public void predict(final double[] input, final double[] out) {
        inputRates(input);
        if (config.form() == Form.STEADY_STATE) {
            steadyForward();
            for (int i = 0; i < n[layers]; i++) {
                out[i] = config.readout() == Readout.POTENTIAL ? ubarF[i] : rbarF[layers][i] / lambdaMax;
            }
            return;
        }
        forwardPhase();
        for (int i = 0; i < n[layers]; i++) {
            out[i] = config.readout() == Readout.POTENTIAL ? work[ubarAt + i] : work[rbarAt[layers] + i] / lambdaMax;
        }
    }

    @Override
    public void train(final double[] input, final double[] target) {
        inputRates(input);
        // the teaching conductances: U* = gE E_E + (1 - gE) E_I
        final double eE = config.reversalE();
        final double eI = config.reversalI();
        for (int i = 0; i < n[layers]; i++) {
            final double g = config.readout() == Readout.RATE ? target[i] : (target[i] - eI) / (eE - eI);
            gE[i] = Math.max(0.0, Math.min(1.0, g));
        }
        if (config.form() == Form.STEADY_STATE) {
            steadyForward();
            apical(rbarF[layers], abarF);
            steadyTarget();
        } else {
            forwardPhase();
            // the forward phase's means
            System.arraycopy(work, ubarAt, ubarF, 0, n[layers]);
            for (int k = 1; k < layers; k++) {
                System.arraycopy(work, cbarAt[k], cbarF[k], 0, n[k]);
                System.arraycopy(work, abarAt[k], abarF[k], 0, n[k]);
                System.arraycopy(work, rbarAt[k], rbarF[k], 0, n[k]);
            }
            targetPhase();
            // the target phase's means
            System.arraycopy(work, rbarAt[layers], rOutT, 0, n[layers]);
            for (int k = 1; k < layers; k++) {
                System.arraycopy(work, abarAt[k], abarT[k], 0, n[k]);
            }
        }
        // the output error E_L from the target-phase rate and the forward-phase potential
        for (int i = 0; i < n[layers]; i++) {
            final double s = sigma(ubarF[i]);
            err[layers][i] = -(rOutT[i] - lambdaMax * s) * kD * lambdaMax * s * (1.0 - s);
        }
        // the hidden errors from the plateau potentials
        for (int k = 1; k < layers; k++) {
            for (int j = 0; j < n[k]; j++) {
                final double alphaF = sigma(abarF[k][j]);
                final double alphaT = sigma(abarT[k][j]);
                final double s = sigma(cbarF[k][j]);
                err[k][j] = -(alphaT - alphaF) * kB * lambdaMax * s * (1.0 - s);
            }
        }
        angle = referenceAngle();
        // the updates, presynaptic means from the forward phase
        for (int k = 1; k <= layers; k++) {
            final double[] pre = k == 1 ? rates0 : rbarF[k - 1];
            final double rate = eta[k - 1] * (k == layers ? pFinal : pHidden);
            ArrayKernels.addOuter(w[k], 0, n[k], n[k - 1], -rate, err[k], 0, pre, 0);
            final double[] bk = b[k];
            final double[] ek = err[k];
            for (int i = 0; i < n[k]; i++) {
                bk[i] -= rate * ek[i];
            }
        }
        weightsChanged();
    }

    /** After the weights changed: the full form sets them before its next phase; symmetric feedback follows. */
    private void weightsChanged() {
        weightsChanged = true;
        if (config.feedback() == FeedbackMode.SYMMETRIC) {
            if (config.form() == Form.FULL) {
                symmetricFeedback();
            } else {
                feedbackStale = true;
            }
        }
    }

    private static double sigma(final double v) {
        return 1.0 / (1.0 + Math.exp(-v));
    }

    /**
     * The angle between E_1 and backprop's error of the first hidden layer in the equivalent feedforward network
     * C_k = k_B (W_k lambda_{k-1} + b_k), lambda_k = lambdaMax sigma(C_k): from the output error E_L down,
     * delta_k = (W_{k+1}^T delta_{k+1}) k_B lambdaMax sigma'(Cbar_k), with the weights before the update and the
     * forward phase's means Cbar_k (the network's C to within the settling error; the steady-state test bounds it).
     */
    private double referenceAngle() {
        System.arraycopy(err[layers], 0, upper, 0, n[layers]);
        return LayeredNetwork.angleDegrees(err[1], LayeredNetwork.deltasDown(w, n, layers, slopeOf, upper, lower),
                n[1]);
    }

    /** The slope of hidden unit j of layer k at the forward phase: kB lambdaMax sigma'(C_f). */
    private double forwardSlope(final int k, final int j) {
        final double s = sigma(cbarF[k][j]);
        return kB * lambdaMax * s * (1.0 - s);
    }

    /** Y_{L-1} = W_L^T, Y_k = W_{k+1}^T Y_{k+1}. */
    private void symmetricFeedback() {
        final int out = n[layers];
        for (int k = layers - 1; k >= 1; k--) {
            final double[] yk = y[k];
            final double[] wAbove = w[k + 1];
            Arrays.fill(yk, 0.0);
            if (k == layers - 1) {
                for (int i = 0; i < out; i++) {
                    for (int j = 0; j < n[k]; j++) {
                        yk[j * out + i] = wAbove[i * n[k] + j];
                    }
                }
            } else {
                final double[] yAbove = y[k + 1];
                for (int m = 0; m < n[k + 1]; m++) {
                    for (int j = 0; j < n[k]; j++) {
                        final double wmj = wAbove[m * n[k] + j];
                        for (int i = 0; i < out; i++) {
                            yk[j * out + i] += wmj * yAbove[m * out + i];
                        }
                    }
                }
            }
        }
        feedbackChanged = true;
        feedbackStale = false;
    }

    @Override
    public double hiddenUpdateAngle() {
        return angle;
    }

    /** @return the forward weights and biases, layer by layer (the feedback is fixed or follows from them) */
    @Override
    public double[] state() {
        return StateArrays.pack(parts());
    }

    @Override
    public void restore(final double[] s) {
        StateArrays.unpack(s, parts(), "the segregated-dendrite network (its weights and biases)");
        weightsChanged();
    }

    /** The trainable arrays in state order: W_k and b_k per layer. */
    private List<double[]> parts() {
        final List<double[]> parts = new ArrayList<>();
        for (int k = 1; k <= layers; k++) {
            parts.add(w[k]);
            parts.add(b[k]);
        }
        return parts;
    }
}
