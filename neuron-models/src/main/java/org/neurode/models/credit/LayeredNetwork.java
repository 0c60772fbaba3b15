package org.neurode.models.credit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

import org.neurode.core.expr.ArrayKernels;

/**
 * A layered rate network trained online (one pattern at a time, plain gradient steps) by one of the
 * {@link Feedback} rules: backprop, feedback alignment, direct feedback alignment, Kickback or the shallow
 * learner. Layer k = 1..L computes a_k = W_k h_{k-1} + b_k and h_k = f_k(a_k) from the input h_0 = x; the hidden
 * layers share one rate function, the output has its own (with the squared error) or is a softmax (with the
 * cross-entropy). The update of layer k on a pattern is W_k -= eta_k delta_k h_{k-1}^T, b_k -= eta_k delta_k,
 * with delta_L the loss's gradient with respect to a_L and delta_k of the hidden layers given by the rule; all
 * deltas are computed from the weights before the update.
 *
 * <p>Given the same {@code weights} generator, every rule starts from the same forward weights: the fixed
 * feedback matrices come from a second generator. Not thread-safe; training and prediction allocate nothing.
 *
 * @since 0.1
 */
public final class LayeredNetwork implements Learner {

    /** The loss at the output. */
    public enum Loss {
        /** 1/2 |f_L(a_L) - target|^2: delta_L = (h_L - target) f'_L(a_L). */
        SQUARED_ERROR,
        /** Softmax output and cross-entropy against a one-hot target: delta_L = softmax(a_L) - target. */
        SOFTMAX_CROSS_ENTROPY
    }

    /**
     * The network's shape and training.
     *
     * @param sizes          layer sizes, input first (at least 2: input and output)
     * @param hidden         rate function of the hidden layers
     * @param output         rate function of the output layer (with {@link Loss#SQUARED_ERROR})
     * @param loss           the loss
     * @param feedback       the learning rule
     * @param learningRates  eta_k per layer k = 1..L (length L)
     * @param initScale      forward weights and biases start U(-s, s), s = initScale / sqrt(fan-in) if
     *                       {@code scaleByFanIn}, else initScale
     * @param scaleByFanIn   see {@code initScale}
     * @param feedbackScale  fixed feedback matrices are U(-feedbackScale, feedbackScale)
     * @param biases         whether the layers have biases (they start at 0)
     */
    public record Config(int[] sizes, Activation hidden, Activation output, Loss loss, Feedback feedback,
                         double[] learningRates, double initScale, boolean scaleByFanIn, double feedbackScale,
                         boolean biases) {

        /**
         * @throws IllegalArgumentException naming the field at fault
         */
        public Config {
            if (sizes == null || sizes.length < 2) {
                throw new IllegalArgumentException("sizes: at least an input and an output layer are needed");
            }
            for (int k = 0; k < sizes.length; k++) {
                if (sizes[k] <= 0) {
                    throw new IllegalArgumentException("sizes[" + k + "] = " + sizes[k] + " is not positive");
                }
            }
            if (learningRates == null || learningRates.length != sizes.length - 1) {
                throw new IllegalArgumentException("learningRates: one per layer above the input ("
                        + (sizes.length - 1) + ") needed");
            }
            for (int k = 0; k < learningRates.length; k++) {
                if (!(learningRates[k] >= 0) || !Double.isFinite(learningRates[k])) {
                    throw new IllegalArgumentException("learningRates[" + k + "] = " + learningRates[k]
                            + " is not a finite non-negative number");
                }
            }
            final String unsupported = feedback.unsupported(sizes[sizes.length - 1]);
            if (unsupported != null) {
                throw new IllegalArgumentException(unsupported);
            }
            if (!(initScale >= 0) || !(feedbackScale >= 0)) {
                throw new IllegalArgumentException("initScale and feedbackScale must be non-negative");
            }
            sizes = sizes.clone();
            learningRates = learningRates.clone();
        }

        /**
         * @param rule another learning rule
         * @return a copy with that rule
         */
        public Config withFeedback(final Feedback rule) {
            return new Config(sizes, hidden, output, loss, rule, learningRates, initScale, scaleByFanIn,
                    feedbackScale, biases);
        }

        /**
         * @param eta learning rates per layer
         * @return a copy with those rates
         */
        public Config withLearningRates(final double... eta) {
            return new Config(sizes, hidden, output, loss, feedback, eta, initScale, scaleByFanIn, feedbackScale,
                    biases);
        }

        /** @return the number of layers above the input (L) */
        public int layers() {
            return sizes.length - 1;
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

    private final Config config;
    private final int layers;
    private final int[] n;
    private final Activation hidden;
    private final Activation output;
    private final Feedback feedback;
    private final double[] eta;
    /** w[k]: n[k] x n[k-1] row-major; b[k]: n[k]; k = 1..L (index 0 unused). */
    private final double[][] w;
    private final double[][] b;
    /** Fixed feedback: fa[k] (n[k] x n[k+1]) for feedback alignment, dfa[k] (n[k] x n[L]) for direct. */
    private final double[][] fa;
    private final double[][] dfa;
    private final double[][] a;
    private final double[][] h;
    private final double[][] slope;
    private final double[][] delta;
    /** Scratch of the widest layer: Kickback's signal from above, and backprop's deltas for the angle. */
    private final double[] upper;
    private final double[] lower;
    private double angle = Double.NaN;
    /** The hidden slopes of the latest forward pass, for {@link #deltasDown}. */
    private final Slope slopeOf = this::hiddenSlope;

    /**
     * @param config   shape and training
     * @param weights  draws the forward weights (n[k] x n[k-1] per layer, in layer order, then nothing else)
     * @param feedbackWeights draws the fixed feedback matrices of the rule, if it has any
     */
    public LayeredNetwork(final Config config, final RandomGenerator weights, final RandomGenerator feedbackWeights) {
        this.config = config;
        this.layers = config.layers();
        this.n = config.sizes();
        this.hidden = config.hidden();
        this.output = config.output();
        this.feedback = config.feedback();
        this.eta = config.learningRates();
        w = new double[layers + 1][];
        b = new double[layers + 1][];
        fa = new double[layers + 1][];
        dfa = new double[layers + 1][];
        a = new double[layers + 1][];
        h = new double[layers + 1][];
        slope = new double[layers + 1][];
        delta = new double[layers + 1][];
        int widest = 1;
        final double[][] initial = forwardWeights(config, weights);
        for (int k = 1; k <= layers; k++) {
            w[k] = initial[k];
            b[k] = new double[n[k]];
            a[k] = new double[n[k]];
            h[k] = new double[n[k]];
            slope[k] = new double[n[k]];
            delta[k] = new double[n[k]];
            widest = Math.max(widest, n[k]);
        }
        final double fs = config.feedbackScale();
        for (int k = 1; k < layers; k++) {
            if (feedback == Feedback.FEEDBACK_ALIGNMENT) {
                fa[k] = uniform(n[k] * n[k + 1], fs, feedbackWeights);
            } else if (feedback == Feedback.DIRECT_FEEDBACK_ALIGNMENT) {
                dfa[k] = uniform(n[k] * n[layers], fs, feedbackWeights);
            }
        }
        upper = new double[widest];
        lower = new double[widest];
    }

    /**
     * The initial forward weights of a network: per layer k = 1..L in order, n[k] x n[k-1] row-major entries
     * U(-s, s), s = initScale / sqrt(n[k-1]) if scaled by fan-in, else initScale. Every rule of the comparison draws
     * its forward weights this way, so they start alike where the shapes agree.
     *
     * @param config  the network's shape and scale
     * @param weights the generator (advanced)
     * @return w[k] for k = 1..L (index 0 null)
     */
    public static double[][] forwardWeights(final Config config, final RandomGenerator weights) {
        final int[] sz = config.sizes();
        final double[][] w = new double[sz.length][];
        for (int k = 1; k < sz.length; k++) {
            w[k] = new double[sz[k] * sz[k - 1]];
            final double s = config.scaleByFanIn() ? config.initScale() / Math.sqrt(sz[k - 1]) : config.initScale();
            for (int i = 0; i < w[k].length; i++) {
                w[k][i] = s == 0 ? 0.0 : weights.nextDouble(-s, s);
            }
        }
        return w;
    }

    private static double[] uniform(final int size, final double scale, final RandomGenerator random) {
        final double[] m = new double[size];
        for (int i = 0; i < size; i++) {
            m[i] = scale == 0 ? 0.0 : random.nextDouble(-scale, scale);
        }
        return m;
    }

    @Override
    public String rule() {
        return feedback.label();
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
    public void predict(final double[] input, final double[] out) {
        forward(input, false);
        System.arraycopy(h[layers], 0, out, 0, n[layers]);
    }

    /** h_0 = x; a_k, h_k and, for training, the slopes of every layer. */
    private void forward(final double[] x, final boolean slopes) {
        double[] below = x;
        for (int k = 1; k <= layers; k++) {
            final Activation f = k == layers ? output : hidden;
            affine(w[k], b[k], n[k], n[k - 1], below, a[k]);
            if (k == layers && config.loss() == Loss.SOFTMAX_CROSS_ENTROPY) {
                softmax(a[k], h[k]);
            } else {
                for (int i = 0; i < n[k]; i++) {
                    h[k][i] = f.value(a[k][i]);
                }
                if (slopes) {
                    for (int i = 0; i < n[k]; i++) {
                        slope[k][i] = f.derivative(a[k][i], h[k][i]);
                    }
                }
            }
            below = h[k];
        }
    }

    static void softmax(final double[] z, final double[] out) {
        double max = Double.NEGATIVE_INFINITY;
        for (final double v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (int i = 0; i < z.length; i++) {
            out[i] = Math.exp(z[i] - max);
            sum += out[i];
        }
        for (int i = 0; i < z.length; i++) {
            out[i] /= sum;
        }
    }

    @Override
    public void train(final double[] input, final double[] target) {
        forward(input, true);
        // the output error
        final double[] dL = delta[layers];
        for (int i = 0; i < n[layers]; i++) {
            final double e = h[layers][i] - target[i];
            dL[i] = config.loss() == Loss.SOFTMAX_CROSS_ENTROPY ? e : e * slope[layers][i];
        }
        // the hidden errors, from the weights before the update
        for (int k = layers - 1; k >= 1; k--) {
            switch (feedback) {
                case BACKPROP -> transposed(w[k + 1], n[k + 1], n[k], delta[k + 1], delta[k]);
                case FEEDBACK_ALIGNMENT -> product(fa[k], n[k], n[k + 1], delta[k + 1], delta[k]);
                case DIRECT_FEEDBACK_ALIGNMENT -> product(dfa[k], n[k], n[layers], dL, delta[k]);
                case KICKBACK -> {
                    // the global error times the slopes of the layer above (1 at a linear output)
                    for (int m = 0; m < n[k + 1]; m++) {
                        upper[m] = dL[0] * (k + 1 == layers ? 1.0 : slope[k + 1][m]);
                    }
                    transposed(w[k + 1], n[k + 1], n[k], upper, delta[k]);
                }
                case SHALLOW -> Arrays.fill(delta[k], 0.0);
            }
            for (int j = 0; j < n[k]; j++) {
                delta[k][j] *= slope[k][j];
            }
        }
        angle = layers > 1 && feedback != Feedback.SHALLOW ? referenceAngle() : Double.NaN;
        // the updates
        for (int k = feedback == Feedback.SHALLOW ? layers : 1; k <= layers; k++) {
            final double[] below = k == 1 ? input : h[k - 1];
            final double rate = eta[k - 1];
            ArrayKernels.addOuter(w[k], 0, n[k], n[k - 1], -rate, delta[k], 0, below, 0);
            if (config.biases()) {
                for (int i = 0; i < n[k]; i++) {
                    b[k][i] -= rate * delta[k][i];
                }
            }
        }
    }

    /** The angle between delta_1 and backprop's delta_1 from the same forward pass (degrees). */
    private double referenceAngle() {
        if (feedback == Feedback.BACKPROP) {
            return 0.0;
        }
        System.arraycopy(delta[layers], 0, upper, 0, n[layers]);
        return angleDegrees(delta[1], deltasDown(w, n, layers, slopeOf, upper, lower), n[1]);
    }

    /**
     * @param x     a vector
     * @param y     another
     * @param count the number of leading entries compared
     * @return the angle between the first {@code count} entries of x and y in degrees, NaN if either is zero
     */
    /** A hidden unit's slope for backprop's deltas: f'_k of unit j of hidden layer k. */
    @FunctionalInterface
    interface Slope {
        /**
         * @param layer hidden layer k, 1..L-1
         * @param unit  unit j
         * @return its slope
         */
        double of(int layer, int unit);
    }

    /**
     * Backprop's deltas sent down from the output: {@code a} holds delta_L on entry; for k = L-1..1,
     * delta_k = f'_k * (W_{k+1}^T delta_{k+1}), alternating between {@code a} and {@code b} (each as long as the widest
     * layer). Every learner of the comparison measures its update angle against the delta_1 this gives.
     *
     * @param w      forward weights w[k] (n[k] x n[k-1]), k = 1..L
     * @param n      layer sizes
     * @param layers L
     * @param slope  the hidden slopes
     * @param a      delta_L on entry (modified)
     * @param b      scratch (modified)
     * @return {@code a} or {@code b}, whichever holds delta_1
     */
    static double[] deltasDown(final double[][] w, final int[] n, final int layers, final Slope slope,
                               final double[] a, final double[] b) {
        return deltasDown(w, false, n, layers, slope, a, b);
    }

    /**
     * {@link #deltasDown(double[][], int[], int, Slope, double[], double[])} for weights stored either way: by
     * target ({@code w[k]} n[k] x n[k-1], {@code bySource} false) or by source ({@code w[k]} n[k-1] x n[k], the
     * synapse order of a projection, {@code bySource} true, where W^T delta is a plain product).
     *
     * @param w        forward weights
     * @param bySource how they are stored
     * @param n        layer sizes
     * @param layers   L
     * @param slope    the hidden slopes
     * @param a        delta_L on entry (modified)
     * @param b        scratch (modified)
     * @return {@code a} or {@code b}, whichever holds delta_1
     */
    static double[] deltasDown(final double[][] w, final boolean bySource, final int[] n, final int layers,
                               final Slope slope, final double[] a, final double[] b) {
        double[] above = a;
        double[] below = b;
        for (int k = layers - 1; k >= 1; k--) {
            if (bySource) {
                ArrayKernels.matvec(w[k + 1], 0, n[k], n[k + 1], above, 0, below, 0);
            } else {
                transposed(w[k + 1], n[k + 1], n[k], above, below);
            }
            for (int j = 0; j < n[k]; j++) {
                below[j] *= slope.of(k, j);
            }
            final double[] swap = above;
            above = below;
            below = swap;
        }
        return above;
    }

    static double angleDegrees(final double[] x, final double[] y, final int count) {
        double dot = 0;
        double nx = 0;
        double ny = 0;
        for (int j = 0; j < count; j++) {
            dot += x[j] * y[j];
            nx += x[j] * x[j];
            ny += y[j] * y[j];
        }
        if (nx == 0 || ny == 0) {
            return Double.NaN;
        }
        return Math.toDegrees(Math.acos(Math.max(-1.0, Math.min(1.0, dot / Math.sqrt(nx * ny)))));
    }

    /** out = M v, M rows x cols (the library's SIMD kernel). */
    static void product(final double[] m, final int rows, final int cols, final double[] v, final double[] out) {
        ArrayKernels.matvec(m, 0, rows, cols, v, 0, out, 0);
    }

    /** out = M v + bias, M rows x cols. */
    static void affine(final double[] m, final double[] bias, final int rows, final int cols, final double[] v,
                       final double[] out) {
        ArrayKernels.matvec(m, 0, rows, cols, v, 0, out, 0);
        for (int i = 0; i < rows; i++) {
            out[i] += bias[i];
        }
    }

    /** out = M^T v, M rows x cols (out has cols values). */
    static void transposed(final double[] m, final int rows, final int cols, final double[] v, final double[] out) {
        ArrayKernels.matvecTransposed(m, 0, rows, cols, v, 0, out, 0);
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
     * @param k hidden layer 1..L-1
     * @return a copy of the fixed feedback matrix of layer k (n[k] x n[k+1] for feedback alignment, n[k] x n[L]
     *         for direct feedback alignment), or null if the rule has none
     */
    public double[] feedbackWeights(final int k) {
        final double[] m = feedback == Feedback.FEEDBACK_ALIGNMENT ? fa[k]
                : feedback == Feedback.DIRECT_FEEDBACK_ALIGNMENT ? dfa[k] : null;
        return m == null ? null : m.clone();
    }

    @Override
    public double[] state() {
        return StateArrays.pack(parts());
    }

    @Override
    public void restore(final double[] s) {
        StateArrays.unpack(s, parts(), "the network");
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
