package org.neurode.models.credit;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

import org.neurode.core.expr.ArrayKernels;

/**
 * The ensemble-multiplexing rate network of Richards' ICLR 2018 invited talk "Deep learning with ensembles of
 * neocortical microcircuits", in the time-stepped form of the lab's code (jordan-g/Temporal-Deep-Learning,
 * {@code network_time.py} and {@code train_time.py}, September 2018; the talk has no paper). Each layer is an
 * ensemble whose event rate h carries the forward signal and whose burst probability p, set by the apical
 * potential u, carries the error; the burst rate beta = p h goes down. There are no separate phases: the
 * network runs in discrete time steps, the teacher replaces the output's event rates for one step (the nudge), and
 * each layer learns from the change of its burst rate over one step.
 *
 * <p>One step t, layers k = 1..L (L the output), every quantity from the previous step t-1 where marked:
 * <pre>
 *   a_k(t) = W_k h_{k-1}(t-1) + c_k,   h_k(t) = f_k(a_k(t))       (events move one layer per step; h_0 = x)
 *   output:  h_L(t) := y at the nudge step;   beta_L = omega h_L;   g_L(t) = omega f'_L(a_L(t))
 *   hidden:  u_l = Y_l [beta_{l+1}(t-1) * g_{l+1}(t-1)] - Z_l h_l(t-1),   p_l = sigma(u_l),   beta_l = p_l h_l
 *            g_l(t) = box(beta_l(t)) = 1 if |beta_l(t) - m| &lt;= v, else 0     (the "hard derivative";
 *                     H(beta_l) for rectifier and softplus layers)
 *   delta_k(t) = -(beta_k(t) - beta_k(t-1)) * g_k(t-1)
 *   layer k's update, at step T + (L - k) for a nudge at step T: W_k -= eta_k delta_k h_{k-1}(t-1)^T,
 *   c_k -= eta_k delta_k, and Z_l -= eta_r (gamma - u_l) h_l(t-1)^T (eta_r = 0 by default, as in the code)
 * </pre>
 * The nudge changes beta_L by omega (y - h_L), so delta_L = omega^2 (h_L - y) f'_L: the squared error's gradient
 * times omega^2. One step later the top hidden layer's apical input has changed by -Y_{L-1} delta_L, its burst rate
 * by about sigma'(u) h_l (-Y delta_L), so delta_{L-1} is feedback alignment's error with h_l box in place of the
 * slope and a factor sigma'(0) omega^2; each layer further down adds a sigma'(0) and learns one step later. Rates are
 * dimensionless and learning rates per pattern; time steps are abstract (one synaptic delay each).
 *
 * <p>Choices where the code leaves things open, all in docs/credit-assignment.md:
 * <ul>
 * <li>The code draws the nudge step at random in [L + 1, 10) of 10 steps per example; a nudge late in the example
 * leaves the lower layers without their update. Here the nudge comes at step L + 1 (0-based), the first the code
 * allows, when every burst rate has settled, and the example ends after layer 1's update at step 2L. The activity
 * carried over from the previous example has no influence at that step, so the state is the weights alone.</li>
 * <li>The code's hidden layers are logistic and its output a rectifier whose slope H(beta) gates the top hidden
 * layer's feedback. Here the output keeps the task's rate function (a signed linear output stands for rates about
 * a baseline), and g_L = omega f'_L(a_L) uses its slope at the forward input (the target has no input). Hidden
 * event rates must be non-negative for beta = p h to carry a signed error: logistic, rectifier and softplus layers
 * are kept, a tanh layer becomes (1 + tanh a) / 2 = sigma(2a), the same functions after an affine change of the
 * next layer's weights and biases, and a linear hidden layer is not supported.</li>
 * <li>The box suits rates in [0, 1]; for rectifier and softplus hidden layers the hard derivative is H(beta), the
 * code's own for its rectifier output (the box would silence the most active units).</li>
 * <li>Y_l are the feedback-alignment matrices of the seed (the code: U(-1, 1)), Z_l ~ U(0, 0.01), box m = 0.2,
 * v = 0.3, omega = 0.2, gamma = 0.05 as in {@code train_time.py}.</li>
 * </ul>
 *
 * <p>Prediction is the settled forward pass. Not thread-safe; training and prediction allocate nothing.
 *
 * @since 0.1
 */
public final class EnsembleNetwork implements Learner {

    /** The rule's name. */
    public static final String LABEL = "ensemble";

    /**
     * The network's configuration.
     *
     * @param network          sizes, rate functions, loss, this rule's learning rates per layer, initial scale and
     *                         biases of the forward weights; {@code feedbackScale} is the scale of Y (U(-s, s)); its
     *                         {@code feedback} rule is ignored. The hidden rate function must not be linear.
     * @param outputBurst      omega, the output's burst probability (the code: 0.2); in (0, 1]
     * @param boxCentre        m, the centre of the hard derivative's box on the burst rate (the code: 0.2); used by
     *                         logistic and tanh hidden layers, rectifying ones use H(beta)
     * @param boxHalfWidth     v, its half-width (the code: 0.3); positive
     * @param recurrentRate    eta_r of Z per update (the code's time version: 0, Z fixed)
     * @param desiredApical    gamma, the apical potential Z's learning aims at (the code: 0.05)
     * @param recurrentInit    Z starts U(0, z0) (the code: 0.01)
     */
    public record Config(LayeredNetwork.Config network, double outputBurst, double boxCentre, double boxHalfWidth,
                         double recurrentRate, double desiredApical, double recurrentInit) {

        /** omega of the code. */
        public static final double OUTPUT_BURST = 0.2;
        /** m of the code's time version. */
        public static final double BOX_CENTRE = 0.2;
        /** v of the code's time version. */
        public static final double BOX_HALF_WIDTH = 0.3;
        /** gamma of the code. */
        public static final double DESIRED_APICAL = 0.05;
        /** The code's initial scale of Z. */
        public static final double RECURRENT_INIT = 0.01;

        /**
         * @throws IllegalArgumentException naming the field at fault
         */
        public Config {
            if (network == null) {
                throw new IllegalArgumentException("network: a network configuration is needed");
            }
            if (network.layers() > 1 && network.hidden().kind() == Activation.Kind.LINEAR) {
                throw new IllegalArgumentException("network.hidden: " + unsupported(network));
            }
            if (!(outputBurst > 0 && outputBurst <= 1)) {
                throw new IllegalArgumentException("outputBurst = " + outputBurst + " is not a probability in (0, 1]");
            }
            if (!Double.isFinite(boxCentre)) {
                throw new IllegalArgumentException("boxCentre = " + boxCentre + " is not finite");
            }
            if (!(boxHalfWidth > 0) || !Double.isFinite(boxHalfWidth)) {
                throw new IllegalArgumentException("boxHalfWidth = " + boxHalfWidth + " is not a finite positive number");
            }
            if (!(recurrentRate >= 0) || !Double.isFinite(recurrentRate)) {
                throw new IllegalArgumentException("recurrentRate = " + recurrentRate
                        + " is not a finite non-negative number");
            }
            if (!Double.isFinite(desiredApical)) {
                throw new IllegalArgumentException("desiredApical = " + desiredApical + " is not finite");
            }
            if (!(recurrentInit >= 0) || !Double.isFinite(recurrentInit)) {
                throw new IllegalArgumentException("recurrentInit = " + recurrentInit
                        + " is not a finite non-negative number");
            }
        }

        /**
         * The configuration for a task: the task's student ({@link Task#network} for backprop) with backprop's
         * learning rates rescaled so that the first-order updates equal backprop's in scale,
         * {@link #rateFactors}, times {@code rateScale}, and the code's constants.
         *
         * @param task      the task
         * @param rateScale multiplies every rate (1: the default)
         * @return the configuration
         * @throws IllegalArgumentException if the task's hidden layers are linear, or rateScale is not a finite
         *                                  non-negative number
         */
        public static Config forTask(final Task task, final double rateScale) {
            if (!(rateScale >= 0) || !Double.isFinite(rateScale)) {
                throw new IllegalArgumentException("rateScale = " + rateScale + " is not a finite non-negative number");
            }
            final LayeredNetwork.Config reference = task.network(Feedback.BACKPROP);
            final double[] eta = reference.learningRates();
            final double[] factor = rateFactors(reference.layers(), OUTPUT_BURST);
            for (int i = 0; i < eta.length; i++) {
                eta[i] *= factor[i] * rateScale;
            }
            return new Config(reference.withLearningRates(eta), OUTPUT_BURST, BOX_CENTRE, BOX_HALF_WIDTH, 0.0,
                    DESIRED_APICAL, RECURRENT_INIT);
        }
    }

    /**
     * @param network a network's configuration
     * @return null if the ensemble network can have its shape and rate functions, else why not
     */
    public static String unsupported(final LayeredNetwork.Config network) {
        return network.layers() > 1 && network.hidden().kind() == Activation.Kind.LINEAR
                ? "an ensemble's event rates are non-negative and a linear hidden layer has no non-negative"
                + " counterpart" : null;
    }

    /**
     * The factors that make the first-order updates equal backprop's in scale: the output's delta is omega^2 times
     * backprop's, and each hidden layer l another sigma'(0) = 1/4 per layer below the output, so the factors are
     * 1 / (omega^2 sigma'(0)^(L - l)).
     *
     * @param layers      L, the layers above the input
     * @param outputBurst omega
     * @return the factor per layer 1..L (index 0: layer 1)
     */
    public static double[] rateFactors(final int layers, final double outputBurst) {
        final double[] f = new double[layers];
        for (int l = 1; l <= layers; l++) {
            f[l - 1] = 1.0 / (outputBurst * outputBurst * Math.pow(Burstprop.SIGMOID_SLOPE_AT_ZERO, layers - l));
        }
        return f;
    }

    private final Config config;
    private final int layers;
    private final int[] n;
    private final Activation hidden;
    /** tanh hidden layers run as (1 + tanh) / 2. */
    private final boolean shifted;
    /** Rectifier and softplus hidden layers: the hard derivative is H(beta). */
    private final boolean rectifying;
    private final Activation output;
    private final boolean softmax;
    private final boolean biases;
    private final double[] eta;
    private final double omega;
    private final double boxLow;
    private final double boxHigh;
    private final double etaR;
    private final double gamma;
    /** The nudge step (0-based); layer k learns at step nudge + L - k; the example has 2L + 1 steps. */
    private final int nudge;
    private final double[][] w;
    private final double[][] c;
    private final double[][] y;
    private final double[][] z;
    /** The activity of this step and of the previous one (index 0: the input), swapped after each step. */
    private double[][] h;
    private double[][] hPrev;
    private double[][] beta;
    private double[][] betaPrev;
    private double[][] g;
    private double[][] gPrev;
    private final double[][] a;
    private final double[][] u;
    private final double[][] delta;
    /** Scratch: beta * g of the layer above, and backprop's deltas. */
    private final double[] signal;
    private final double[] upper;
    private final double[] lower;
    private final double[] reference;
    private double angle = Double.NaN;
    /** The hidden slopes of the latest pass, for backprop's reference deltas. */
    private final LayeredNetwork.Slope slopeOf = this::slopeAt;

    /**
     * @param config          the configuration
     * @param weights         draws the forward weights as {@link LayeredNetwork#forwardWeights}
     * @param feedbackWeights draws Y_1 .. Y_{L-1} (as a {@link LayeredNetwork}'s feedback alignment does), then
     *                        Z_1 .. Z_{L-1}
     * @throws IllegalArgumentException naming the field at fault
     */
    public EnsembleNetwork(final Config config, final RandomGenerator weights, final RandomGenerator feedbackWeights) {
        this.config = config;
        final LayeredNetwork.Config net = config.network();
        this.layers = net.layers();
        this.n = net.sizes();
        this.hidden = net.hidden();
        this.shifted = hidden.kind() == Activation.Kind.TANH;
        this.rectifying = hidden.kind() == Activation.Kind.RELU || hidden.kind() == Activation.Kind.SOFTPLUS;
        this.output = net.output();
        this.softmax = net.loss() == LayeredNetwork.Loss.SOFTMAX_CROSS_ENTROPY;
        this.biases = net.biases();
        this.eta = net.learningRates();
        this.omega = config.outputBurst();
        this.boxLow = config.boxCentre() - config.boxHalfWidth();
        this.boxHigh = config.boxCentre() + config.boxHalfWidth();
        this.etaR = config.recurrentRate();
        this.gamma = config.desiredApical();
        this.nudge = layers + 1;
        if (!shifted && !rectifying && layers > 1 && hidden.kind() != Activation.Kind.LOGISTIC) {
            throw new IllegalArgumentException("network.hidden: " + hidden.label() + " is not supported");
        }
        w = LayeredNetwork.forwardWeights(net, weights);
        c = new double[layers + 1][];
        y = new double[layers + 1][];
        z = new double[layers + 1][];
        h = new double[layers + 1][];
        hPrev = new double[layers + 1][];
        beta = new double[layers + 1][];
        betaPrev = new double[layers + 1][];
        g = new double[layers + 1][];
        gPrev = new double[layers + 1][];
        a = new double[layers + 1][];
        u = new double[layers + 1][];
        delta = new double[layers + 1][];
        h[0] = new double[n[0]];
        hPrev[0] = new double[n[0]];
        int widest = 1;
        for (int k = 1; k <= layers; k++) {
            c[k] = new double[n[k]];
            h[k] = new double[n[k]];
            hPrev[k] = new double[n[k]];
            beta[k] = new double[n[k]];
            betaPrev[k] = new double[n[k]];
            g[k] = new double[n[k]];
            gPrev[k] = new double[n[k]];
            a[k] = new double[n[k]];
            u[k] = new double[n[k]];
            delta[k] = new double[n[k]];
            widest = Math.max(widest, n[k]);
        }
        final double fs = net.feedbackScale();
        for (int l = 1; l < layers; l++) {
            y[l] = new double[n[l] * n[l + 1]];
            for (int i = 0; i < y[l].length; i++) {
                y[l][i] = fs == 0 ? 0.0 : feedbackWeights.nextDouble(-fs, fs);
            }
        }
        final double z0 = config.recurrentInit();
        for (int l = 1; l < layers; l++) {
            z[l] = new double[n[l] * n[l]];
            for (int i = 0; i < z[l].length; i++) {
                z[l][i] = z0 == 0 ? 0.0 : feedbackWeights.nextDouble(0.0, z0);
            }
        }
        signal = new double[widest];
        upper = new double[widest];
        lower = new double[widest];
        reference = new double[n[1]];
    }

    /** @return the configuration */
    public Config config() {
        return config;
    }

    @Override
    public String rule() {
        return LABEL;
    }

    @Override
    public int inputs() {
        return n[0];
    }

    @Override
    public int outputs() {
        return n[layers];
    }

    /** @return the number of time steps per training pattern, 2L + 1 */
    public int stepsPerPattern() {
        return 2 * layers + 1;
    }

    private double hiddenRate(final double x) {
        return shifted ? 0.5 * (1.0 + Math.tanh(x)) : hidden.value(x);
    }

    private double hiddenSlope(final double x, final double rate) {
        return shifted ? 2.0 * rate * (1.0 - rate) : hidden.derivative(x, rate);
    }

    /** The hidden layers' hard derivative: box(beta; m +- v), or H(beta) for rectifying rate functions. */
    private double box(final double b) {
        if (rectifying) {
            return b > 0 ? 1.0 : 0.0;
        }
        return b >= boxLow && b <= boxHigh ? 1.0 : 0.0;
    }

    private static double sigmoid(final double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }

    /**
     * The settled forward pass. It writes only a and h, which a training step overwrites before it reads them, so
     * it leaves the activity carried between training steps (hPrev, betaPrev, gPrev) alone.
     */
    @Override
    public void predict(final double[] input, final double[] out) {
        double[] below = input;
        for (int k = 1; k <= layers; k++) {
            propagate(k, below);
            below = h[k];
        }
        System.arraycopy(h[layers], 0, out, 0, n[layers]);
    }

    /** a_k = W_k below + c_k and h_k = f_k(a_k). */
    private void propagate(final int k, final double[] below) {
        LayeredNetwork.affine(w[k], c[k], n[k], n[k - 1], below, a[k]);
        if (k == layers) {
            if (softmax) {
                LayeredNetwork.softmax(a[k], h[k]);
            } else {
                for (int i = 0; i < n[k]; i++) {
                    h[k][i] = output.value(a[k][i]);
                }
            }
        } else {
            for (int i = 0; i < n[k]; i++) {
                h[k][i] = hiddenRate(a[k][i]);
            }
        }
    }

    @Override
    public void train(final double[] input, final double[] target) {
        angle = Double.NaN;
        final int steps = stepsPerPattern();
        for (int t = 0; t < steps; t++) {
            step(input, target, t);
        }
    }

    /** One time step of the example: forward, burst rates from the top down, the scheduled layer's update. */
    private void step(final double[] x, final double[] target, final int t) {
        System.arraycopy(x, 0, h[0], 0, n[0]);
        for (int k = 1; k <= layers; k++) {
            propagate(k, hPrev[k - 1]);
        }
        if (t == nudge && layers > 1) {
            backpropReference(target);
        }
        // the output
        final int out = layers;
        for (int i = 0; i < n[out]; i++) {
            g[out][i] = omega * (softmax ? 1.0 : output.derivative(a[out][i], h[out][i]));
        }
        if (t == nudge) {
            System.arraycopy(target, 0, h[out], 0, n[out]);
        }
        for (int i = 0; i < n[out]; i++) {
            beta[out][i] = omega * h[out][i];
            delta[out][i] = -(beta[out][i] - betaPrev[out][i]) * gPrev[out][i];
        }
        // the hidden layers
        for (int l = layers - 1; l >= 1; l--) {
            final int rows = n[l];
            final int above = n[l + 1];
            for (int m = 0; m < above; m++) {
                signal[m] = betaPrev[l + 1][m] * gPrev[l + 1][m];
            }
            final double[] yl = y[l];
            final double[] zl = z[l];
            final double[] hp = hPrev[l];
            for (int j = 0; j < rows; j++) {
                double s = 0;
                int base = j * above;
                for (int m = 0; m < above; m++) {
                    s += yl[base + m] * signal[m];
                }
                double inhibition = 0;
                base = j * rows;
                for (int m = 0; m < rows; m++) {
                    inhibition += zl[base + m] * hp[m];
                }
                u[l][j] = s - inhibition;
                beta[l][j] = sigmoid(u[l][j]) * h[l][j];
                g[l][j] = box(beta[l][j]);
                delta[l][j] = -(beta[l][j] - betaPrev[l][j]) * gPrev[l][j];
            }
        }
        // the layer whose turn it is
        final int k = layers - (t - nudge);
        if (t >= nudge && k >= 1) {
            update(k);
            if (k == 1 && layers > 1) {
                angle = LayeredNetwork.angleDegrees(delta[1], reference, n[1]);
            }
        }
        // this step becomes the previous one
        double[][] swap = hPrev;
        hPrev = h;
        h = swap;
        swap = betaPrev;
        betaPrev = beta;
        beta = swap;
        swap = gPrev;
        gPrev = g;
        g = swap;
    }

    private void update(final int k) {
        final double[] below = hPrev[k - 1];
        final double rate = eta[k - 1];
        ArrayKernels.addOuter(w[k], 0, n[k], n[k - 1], -rate, delta[k], 0, below, 0);
        if (biases) {
            for (int i = 0; i < n[k]; i++) {
                c[k][i] -= rate * delta[k][i];
            }
        }
        if (k < layers && etaR > 0) {
            final int rows = n[k];
            final double[] zk = z[k];
            final double[] hp = hPrev[k];
            for (int i = 0; i < rows; i++) {
                final double step = etaR * (gamma - u[k][i]);
                final int base = i * rows;
                for (int j = 0; j < rows; j++) {
                    zk[base + j] -= step * hp[j];
                }
            }
        }
    }

    /**
     * Backprop's delta_1 from the weights and the settled forward pass at the nudge step (before any update of the
     * pattern), for the angle: delta_L = (h_L - y) f'_L, delta_k = f'_k * W_{k+1}^T delta_{k+1}.
     */
    private double slopeAt(final int k, final int j) {
        return hiddenSlope(a[k][j], h[k][j]);
    }

    private void backpropReference(final double[] target) {
        for (int i = 0; i < n[layers]; i++) {
            final double d = h[layers][i] - target[i];
            upper[i] = softmax ? d : d * output.derivative(a[layers][i], h[layers][i]);
        }
        System.arraycopy(LayeredNetwork.deltasDown(w, n, layers, slopeOf, upper, lower), 0, reference, 0, n[1]);
    }

    /** The angle between delta_1 at layer 1's update and backprop's delta_1 at the nudge (degrees). */
    @Override
    public double hiddenUpdateAngle() {
        return angle;
    }

    /**
     * @param k layer 1..L
     * @return a copy of the forward weights into layer k (n[k] x n[k-1], row-major)
     */
    public double[] weights(final int k) {
        return w[k].clone();
    }

    /**
     * @param l hidden layer 1..L-1
     * @return a copy of Y_l (n[l] x n[l+1], row-major)
     */
    public double[] feedbackWeights(final int l) {
        return y[l].clone();
    }

    /**
     * @return W_k and c_k for k = 1..L, then Z_l for l = 1..L-1; the activity is not part of it, since it has no
     *         influence on the next pattern's updates (the nudge comes after the network has settled)
     */
    @Override
    public double[] state() {
        return StateArrays.pack(parts());
    }

    @Override
    public void restore(final double[] s) {
        StateArrays.unpack(s, parts(), "the ensemble network");
    }

    /** The trainable arrays in state order: W_k and c_k per layer, then Z_l. */
    private List<double[]> parts() {
        final List<double[]> parts = new ArrayList<>();
        for (int k = 1; k <= layers; k++) {
            parts.add(w[k]);
            parts.add(c[k]);
        }
        for (int l = 1; l < layers; l++) {
            parts.add(z[l]);
        }
        return parts;
    }
}
