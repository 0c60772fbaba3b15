package org.neurode.models.credit;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

import org.neurode.core.expr.ArrayKernels;

/**
 * Burstprop in its discrete mean-field form (Payeur, Guerguiev, Zenke, Richards and Naud, Nat. Neurosci.
 * 24:1010, 2021, the deep-network model of their Methods; the lab's code is jordan-g/Burstprop), trained online: one
 * forward pass and one teacher pass per pattern. A unit's event rate e carries the forward signal, its burst
 * probability p the error; the burst rate b = p e goes down to the layer below.
 *
 * <p>Forward, as {@link LayeredNetwork}: a_k = W_k e_{k-1} + c_k, e_k = f_k(a_k), e_0 = x.
 *
 * <p>Output layer L: burst probability p = p_b (the baseline, 0.2) without teacher and
 * p_t = p_b [1 + (y - e) h(e)] with it, so b = p_b e and b_t = p_t e = p_b [e + (y - e) h(e) e]. The paper's
 * h(e) = 1 - e for a logistic output is the slope over the rate, h(e) = f'(a) / e; neurode computes
 * h(e) e = f'(a) without the division, so a linear output (h(e) = 1 / e) and a silent unit are defined. Then
 * delta_L = -(b_t - b) = p_b (e - y) f'(a), exactly p_b times the squared error's gradient. With a softmax output
 * under the cross-entropy, b_t - b = p_b (y - e) (the paper's ImageNet output in the limit of a small nudge), again
 * p_b times that loss's gradient.
 *
 * <p>Hidden layer l, with Y_l the fixed random feedback matrix (n_l x n_{l+1}) and Z_l the recurrent inhibition:
 * <pre>
 *   b_pre = sigma(Y_l b_{l+1}) * e_l
 *   u   = h(e_l) * (Y_l b_{l+1})   - Z_l b_pre,    p   = sigma(u)
 *   u_t = h(e_l) * (Y_l b_t,{l+1}) - Z_l b_pre,    p_t = sigma(u_t)
 *   delta_l = -(p_t - p) * e_l,   b_l = p e_l,   b_t,l = p_t e_l
 * </pre>
 * with h(e) = f'(a) / e as at the output (0 where f'(a) = 0 or e = 0, e.g. a silent rectifier: no apical
 * coupling). For a small apical input, delta_l = -sigma'(0) f'(a_l) * (Y_l (b_t - b)_{l+1}): feedback alignment
 * with Y_l for B, scaled by sigma'(0) = 1/4 per layer below the output.
 *
 * <p>Updates (plain online steps): W_k -= eta_k delta_k e_{k-1}^T, c_k -= eta_k delta_k and, with the recurrent
 * inhibition, Z_l += eta_r u b_pre^T (descent on |u|^2 / 2, keeping the apical potential near 0 where the sigmoid
 * is linear). All from the weights before the update. Burst rates, event rates and probabilities are dimensionless;
 * learning rates are per pattern.
 *
 * <p>Given the same generators, the forward weights are those of {@link LayeredNetwork#forwardWeights} and Y_l are
 * the feedback-alignment matrices of a {@link LayeredNetwork} (same stream, same order, same scale), so burstprop
 * and feedback alignment start alike; Z_l ~ U(-z0, z0) come after the Y_l. Not thread-safe; training and
 * prediction allocate nothing.
 *
 * @since 0.1
 */
public final class Burstprop implements Learner {

    /** The rule's name. */
    public static final String LABEL = "burstprop";

    /** sigma'(0) of the burst-probability sigmoid. */
    public static final double SIGMOID_SLOPE_AT_ZERO = 0.25;

    /**
     * Burstprop's configuration.
     *
     * @param network        sizes, rate functions, loss, burstprop's own learning rates per layer, initial scale
     *                       and biases of the forward weights; its {@code feedbackScale} is the scale of Y
     *                       (U(-s, s)); its {@code feedback} rule is ignored
     * @param baseline       p_b, the output burst probability without teacher (the paper: 0.2); in (0, 1]
     * @param recurrent      whether the hidden layers have the learned recurrent inhibition Z
     * @param recurrentRate  eta_r, the learning rate of Z per pattern (the paper: 1e-4 with batches of 32 summed)
     * @param recurrentInit  Z starts U(-z0, z0) (the paper: 0.01)
     */
    public record Config(LayeredNetwork.Config network, double baseline, boolean recurrent, double recurrentRate,
                         double recurrentInit) {

        /** The paper's baseline output burst probability. */
        public static final double BASELINE = 0.2;
        /** The paper's recurrent learning rate. */
        public static final double RECURRENT_RATE = 1e-4;
        /** The paper's initial scale of Z. */
        public static final double RECURRENT_INIT = 0.01;

        /**
         * @throws IllegalArgumentException naming the field at fault
         */
        public Config {
            if (network == null) {
                throw new IllegalArgumentException("network: a network configuration is needed");
            }
            if (!(baseline > 0 && baseline <= 1)) {
                throw new IllegalArgumentException("baseline = " + baseline + " is not a probability in (0, 1]");
            }
            if (!(recurrentRate >= 0) || !Double.isFinite(recurrentRate)) {
                throw new IllegalArgumentException("recurrentRate = " + recurrentRate
                        + " is not a finite non-negative number");
            }
            if (!(recurrentInit >= 0) || !Double.isFinite(recurrentInit)) {
                throw new IllegalArgumentException("recurrentInit = " + recurrentInit
                        + " is not a finite non-negative number");
            }
        }

        /**
         * The configuration for a task: the task's student ({@link Task#network} for backprop) with backprop's
         * learning rates rescaled so that burstprop's first-order update equals backprop's in scale,
         * {@link #rateFactors}, times {@code rateScale}; p_b = 0.2. The recurrent inhibition is off: on the tasks of
         * the comparison it did not help (docs/credit-assignment.md); {@link #withRecurrent} turns it on with the
         * paper's eta_r = 1e-4 and Z ~ U(-0.01, 0.01).
         *
         * @param task      the task
         * @param rateScale multiplies every rate (1: the default)
         * @return the configuration
         * @throws IllegalArgumentException if rateScale is not a finite non-negative number
         */
        public static Config forTask(final Task task, final double rateScale) {
            if (!(rateScale >= 0) || !Double.isFinite(rateScale)) {
                throw new IllegalArgumentException("rateScale = " + rateScale + " is not a finite non-negative number");
            }
            final LayeredNetwork.Config reference = task.network(Feedback.BACKPROP);
            final double[] eta = reference.learningRates();
            final double[] factor = rateFactors(reference.layers(), BASELINE);
            for (int i = 0; i < eta.length; i++) {
                eta[i] *= factor[i] * rateScale;
            }
            return new Config(reference.withLearningRates(eta), BASELINE, false, RECURRENT_RATE, RECURRENT_INIT);
        }

        /**
         * @param recurrentOn whether the recurrent inhibition is on
         * @return a copy with it on or off
         */
        public Config withRecurrent(final boolean recurrentOn) {
            return new Config(network, baseline, recurrentOn, recurrentRate, recurrentInit);
        }
    }

    /**
     * The factors that make burstprop's updates equal backprop's in scale for a small apical input: the output's
     * delta is p_b times backprop's, and each hidden layer l another sigma'(0) per layer below the output, so the
     * factors are 1 / (p_b sigma'(0)^(L - l)).
     *
     * @param layers   L, the layers above the input
     * @param baseline p_b
     * @return the factor per layer 1..L (index 0: layer 1)
     */
    public static double[] rateFactors(final int layers, final double baseline) {
        final double[] f = new double[layers];
        for (int l = 1; l <= layers; l++) {
            f[l - 1] = 1.0 / (baseline * Math.pow(SIGMOID_SLOPE_AT_ZERO, layers - l));
        }
        return f;
    }

    private final Config config;
    private final int layers;
    private final int[] n;
    private final Activation hidden;
    private final Activation output;
    private final boolean softmax;
    private final boolean biases;
    private final double[] eta;
    private final double pb;
    private final boolean recurrent;
    private final double etaR;
    /** w[k]: n[k] x n[k-1]; c[k]: n[k] biases; y[l]: n[l] x n[l+1]; z[l]: n[l] x n[l] (l = 1..L-1). */
    private final double[][] w;
    private final double[][] c;
    private final double[][] y;
    private final double[][] z;
    private final double[][] a;
    private final double[][] e;
    private final double[][] slope;
    private final double[][] delta;
    private final double[][] burst;
    private final double[][] burstT;
    private final double[][] pre;
    private final double[][] apical;
    /** Scratch of the widest layer: Y b, Y b_t, Z b_pre, backprop's deltas for the angle. */
    private final double[] yb;
    private final double[] ybt;
    private final double[] zb;
    private final double[] upper;
    private final double[] lower;
    private double angle = Double.NaN;
    /** The hidden slopes of the latest forward pass, for backprop's reference deltas. */
    private final LayeredNetwork.Slope slopeOf = this::hiddenSlope;

    /**
     * @param config          the configuration
     * @param weights         draws the forward weights as {@link LayeredNetwork#forwardWeights}
     * @param feedbackWeights draws Y_1 .. Y_{L-1}, then Z_1 .. Z_{L-1}
     */
    public Burstprop(final Config config, final RandomGenerator weights, final RandomGenerator feedbackWeights) {
        this.config = config;
        final LayeredNetwork.Config net = config.network();
        this.layers = net.layers();
        this.n = net.sizes();
        this.hidden = net.hidden();
        this.output = net.output();
        this.softmax = net.loss() == LayeredNetwork.Loss.SOFTMAX_CROSS_ENTROPY;
        this.biases = net.biases();
        this.eta = net.learningRates();
        this.pb = config.baseline();
        this.recurrent = config.recurrent();
        this.etaR = config.recurrentRate();
        w = LayeredNetwork.forwardWeights(net, weights);
        c = new double[layers + 1][];
        y = new double[layers + 1][];
        z = new double[layers + 1][];
        a = new double[layers + 1][];
        e = new double[layers + 1][];
        slope = new double[layers + 1][];
        delta = new double[layers + 1][];
        burst = new double[layers + 1][];
        burstT = new double[layers + 1][];
        pre = new double[layers + 1][];
        apical = new double[layers + 1][];
        int widest = 1;
        for (int k = 1; k <= layers; k++) {
            c[k] = new double[n[k]];
            a[k] = new double[n[k]];
            e[k] = new double[n[k]];
            slope[k] = new double[n[k]];
            delta[k] = new double[n[k]];
            burst[k] = new double[n[k]];
            burstT[k] = new double[n[k]];
            pre[k] = new double[n[k]];
            apical[k] = new double[n[k]];
            widest = Math.max(widest, n[k]);
        }
        final double fs = net.feedbackScale();
        for (int l = 1; l < layers; l++) {
            y[l] = uniform(n[l] * n[l + 1], fs, feedbackWeights);
        }
        if (recurrent) {
            for (int l = 1; l < layers; l++) {
                z[l] = uniform(n[l] * n[l], config.recurrentInit(), feedbackWeights);
            }
        }
        yb = new double[widest];
        ybt = new double[widest];
        zb = new double[widest];
        upper = new double[widest];
        lower = new double[widest];
    }

    private static double[] uniform(final int size, final double scale, final RandomGenerator random) {
        final double[] m = new double[size];
        for (int i = 0; i < size; i++) {
            m[i] = scale == 0 ? 0.0 : random.nextDouble(-scale, scale);
        }
        return m;
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

    @Override
    public void predict(final double[] input, final double[] out) {
        forward(input, false);
        System.arraycopy(e[layers], 0, out, 0, n[layers]);
    }

    private void forward(final double[] x, final boolean slopes) {
        double[] below = x;
        for (int k = 1; k <= layers; k++) {
            final Activation f = k == layers ? output : hidden;
            LayeredNetwork.affine(w[k], c[k], n[k], n[k - 1], below, a[k]);
            if (k == layers && softmax) {
                LayeredNetwork.softmax(a[k], e[k]);
            } else {
                for (int i = 0; i < n[k]; i++) {
                    e[k][i] = f.value(a[k][i]);
                }
                if (slopes) {
                    for (int i = 0; i < n[k]; i++) {
                        slope[k][i] = f.derivative(a[k][i], e[k][i]);
                    }
                }
            }
            below = e[k];
        }
    }

    private static double sigmoid(final double u) {
        return 1.0 / (1.0 + Math.exp(-u));
    }

    @Override
    public void train(final double[] input, final double[] target) {
        forward(input, true);
        // the output: b = p_b e, b_t = p_t e = p_b (e + (y - e) h(e) e) with h(e) e = f'(a) (1 for the softmax)
        final int out = layers;
        for (int i = 0; i < n[out]; i++) {
            final double ei = e[out][i];
            final double gain = softmax ? 1.0 : slope[out][i];
            burst[out][i] = pb * ei;
            burstT[out][i] = pb * (ei + (target[i] - ei) * gain);
            delta[out][i] = -(burstT[out][i] - burst[out][i]);
        }
        // the hidden layers, from the top down
        for (int l = layers - 1; l >= 1; l--) {
            final int rows = n[l];
            LayeredNetwork.product(y[l], rows, n[l + 1], burst[l + 1], yb);
            LayeredNetwork.product(y[l], rows, n[l + 1], burstT[l + 1], ybt);
            final double[] el = e[l];
            for (int j = 0; j < rows; j++) {
                pre[l][j] = sigmoid(yb[j]) * el[j];
            }
            if (recurrent) {
                LayeredNetwork.product(z[l], rows, rows, pre[l], zb);
            }
            for (int j = 0; j < rows; j++) {
                final double s = slope[l][j];
                final double h = s == 0 || el[j] == 0 ? 0.0 : s / el[j];
                final double inhibition = recurrent ? zb[j] : 0.0;
                final double u = h * yb[j] - inhibition;
                final double ut = h * ybt[j] - inhibition;
                final double p = sigmoid(u);
                final double pt = sigmoid(ut);
                apical[l][j] = u;
                delta[l][j] = -(pt - p) * el[j];
                burst[l][j] = p * el[j];
                burstT[l][j] = pt * el[j];
            }
        }
        angle = layers > 1 ? referenceAngle(target) : Double.NaN;
        // the updates
        for (int k = 1; k <= layers; k++) {
            final double[] below = k == 1 ? input : e[k - 1];
            final double rate = eta[k - 1];
            ArrayKernels.addOuter(w[k], 0, n[k], n[k - 1], -rate, delta[k], 0, below, 0);
            if (biases) {
                for (int i = 0; i < n[k]; i++) {
                    c[k][i] -= rate * delta[k][i];
                }
            }
        }
        if (recurrent && etaR > 0) {
            for (int l = 1; l < layers; l++) {
                final int rows = n[l];
                final double[] zl = z[l];
                for (int i = 0; i < rows; i++) {
                    final double g = etaR * apical[l][i];
                    final int base = i * rows;
                    for (int j = 0; j < rows; j++) {
                        zl[base + j] += g * pre[l][j];
                    }
                }
            }
        }
    }

    /** The angle between delta_1 and backprop's delta_1 from the same weights and forward pass (degrees). */
    private double referenceAngle(final double[] target) {
        for (int i = 0; i < n[layers]; i++) {
            final double d = e[layers][i] - target[i];
            upper[i] = softmax ? d : d * slope[layers][i];
        }
        return LayeredNetwork.angleDegrees(delta[1], LayeredNetwork.deltasDown(w, n, layers, slopeOf, upper, lower),
                n[1]);
    }

    private double hiddenSlope(final int k, final int j) {
        return slope[k][j];
    }

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
     * @return a copy of Y_l (n[l] x n[l+1], row-major), the fixed feedback from layer l+1's bursts
     */
    public double[] feedbackWeights(final int l) {
        return y[l].clone();
    }

    /**
     * @param l hidden layer 1..L-1
     * @return a copy of Z_l (n[l] x n[l], row-major), or null without the recurrent inhibition
     */
    public double[] recurrentWeights(final int l) {
        return z[l] == null ? null : z[l].clone();
    }

    /** @return W_k and c_k for k = 1..L, then Z_l for l = 1..L-1 with the recurrent inhibition */
    @Override
    public double[] state() {
        return StateArrays.pack(parts());
    }

    @Override
    public void restore(final double[] s) {
        StateArrays.unpack(s, parts(), "burstprop");
    }

    /** The trainable arrays in state order: W_k and c_k per layer, then Z_l if the inhibition learns. */
    private List<double[]> parts() {
        final List<double[]> parts = new ArrayList<>();
        for (int k = 1; k <= layers; k++) {
            parts.add(w[k]);
            parts.add(c[k]);
        }
        if (recurrent) {
            for (int l = 1; l < layers; l++) {
                parts.add(z[l]);
            }
        }
        return parts;
    }
}
