package org.neurode.models.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;
import org.neurode.models.learn.ModelJson;
import org.neurode.models.learn.ParameterVector;

/**
 * A multilayer perceptron of dense layers \( x_{l+1} = \sigma_l(W_l x_l + b_l) \) over one
 * {@link ParameterVector} (blocks {@code layer<l>.weight}, out x in row-major as PyTorch's
 * {@code nn.Linear.weight}, and {@code layer<l>.bias}), with hand-written reverse mode: vector-Jacobian
 * products with respect to the input and the parameters.
 *
 * <p>Allocation-free: {@link #forward} writes what {@link #backward} needs into a caller-supplied
 * <em>record</em> of {@link #recordSize()} doubles (the input, then each layer's pre-activation and output),
 * and {@link #backward} uses a caller-supplied scratch of {@link #scratchSize()} doubles, so one network can
 * keep the records of many evaluations (every Runge-Kutta stage of a trajectory) in one flat tape. An
 * instance has no mutable state of its own besides its parameters: it may be shared by threads that only
 * read the parameters and use their own records.
 *
 * <p>Inputs and outputs are dimensionless (the network is the vector field of a {@link NeuralOde}: outputs
 * are rates per time unit of its trajectory).
 *
 * @since 0.2
 */
public final class Mlp {

    /** Elementwise activation of a layer. */
    public enum Activation {
        /** \( \sigma(u) = u \). */
        IDENTITY,
        /** \( \sigma(u) = \tanh u \), \( \sigma' = 1 - \sigma^2 \). */
        TANH,
        /** \( \sigma(u) = \log(1 + e^u) \) (computed stably), \( \sigma' = 1 / (1 + e^{-u}) \). */
        SOFTPLUS;

        double apply(final double u) {
            return switch (this) {
                case IDENTITY -> u;
                case TANH -> Math.tanh(u);
                case SOFTPLUS -> Math.max(u, 0.0) + Math.log1p(Math.exp(-Math.abs(u)));
                default -> throw new IllegalStateException(name());
            };
        }

        /** Derivative from the pre-activation {@code u} and the output {@code x = apply(u)}. */
        double derivative(final double u, final double x) {
            return switch (this) {
                case IDENTITY -> 1.0;
                case TANH -> 1.0 - x * x;
                case SOFTPLUS -> 1.0 / (1.0 + Math.exp(-u));
                default -> throw new IllegalStateException(name());
            };
        }
    }

    private final int[] sizes;
    private final Activation[] activations;
    private final ParameterVector parameters;
    private final int[] weightOffset;
    private final int[] biasOffset;
    /** Record offsets: the input of layer l at inOffset[l], its pre-activation at preOffset[l]. */
    private final int[] inOffset;
    private final int[] preOffset;
    private final int[] outOffset;
    private final int recordSize;
    private final int maxWidth;

    /**
     * @param sizes       layer widths: input size, then the output size of each layer (at least two entries,
     *                    all positive; copied)
     * @param activations one activation per layer (copied)
     * @throws IllegalArgumentException if the shapes do not fit
     */
    public Mlp(final int[] sizes, final Activation[] activations) {
        if (sizes.length < 2 || activations.length != sizes.length - 1) {
            throw new IllegalArgumentException("an MLP needs the input size and one width and activation per layer: "
                    + sizes.length + " sizes, " + activations.length + " activations");
        }
        for (final int w : sizes) {
            if (w <= 0) {
                throw new IllegalArgumentException("layer widths must be positive: "
                        + java.util.Arrays.toString(sizes));
            }
        }
        this.sizes = sizes.clone();
        this.activations = activations.clone();
        final int layers = activations.length;
        final ParameterVector.Builder pb = ParameterVector.builder();
        for (int l = 0; l < layers; l++) {
            pb.matrix(weightName(l), sizes[l + 1], sizes[l]).vector(biasName(l), sizes[l + 1]);
        }
        this.parameters = pb.build();
        this.weightOffset = new int[layers];
        this.biasOffset = new int[layers];
        this.inOffset = new int[layers];
        this.preOffset = new int[layers];
        this.outOffset = new int[layers];
        int offset = sizes[0];
        int widest = sizes[0];
        for (int l = 0; l < layers; l++) {
            weightOffset[l] = parameters.offset(weightName(l));
            biasOffset[l] = parameters.offset(biasName(l));
            inOffset[l] = l == 0 ? 0 : outOffset[l - 1];
            preOffset[l] = offset;
            outOffset[l] = offset + sizes[l + 1];
            offset += 2 * sizes[l + 1];
            widest = Math.max(widest, sizes[l + 1]);
        }
        this.recordSize = offset;
        this.maxWidth = widest;
    }

    /**
     * The vector field of torchdiffeq's spiral demo and of Chen et al. (2018): {@code Linear(in, hidden) - tanh
     * - Linear(hidden, out)}.
     *
     * @param input  input size
     * @param hidden hidden width
     * @param output output size
     * @return the network, parameters zero
     */
    public static Mlp tanhHidden(final int input, final int hidden, final int output) {
        return new Mlp(new int[] {input, hidden, output}, new Activation[] {Activation.TANH, Activation.IDENTITY});
    }

    private static String weightName(final int l) {
        return "layer" + l + ".weight";
    }

    private static String biasName(final int l) {
        return "layer" + l + ".bias";
    }

    /** @return the parameters (values and accumulated gradient; the vector itself) */
    public ParameterVector parameters() {
        return parameters;
    }

    /** @return the input size */
    public int inputSize() {
        return sizes[0];
    }

    /** @return the output size */
    public int outputSize() {
        return sizes[sizes.length - 1];
    }

    /** @return the number of dense layers */
    public int layers() {
        return activations.length;
    }

    /** @return doubles one {@link #forward} record occupies */
    public int recordSize() {
        return recordSize;
    }

    /** @return doubles of scratch {@link #backward} needs */
    public int scratchSize() {
        return 2 * maxWidth;
    }

    /**
     * Sets every weight to an independent \( N(0, \mathrm{std}^2) \) draw and every bias to a constant
     * (torchdiffeq's spiral demo: std 0.1, bias 0).
     *
     * @param random the generator (advanced)
     * @param std    standard deviation of the weights (not negative)
     * @param bias   the bias value
     */
    public void initialize(final Random random, final double std, final double bias) {
        final double[] v = parameters.values();
        for (int l = 0; l < layers(); l++) {
            final int w = sizes[l] * sizes[l + 1];
            for (int i = 0; i < w; i++) {
                v[weightOffset[l] + i] = std * random.nextGaussian();
            }
            for (int j = 0; j < sizes[l + 1]; j++) {
                v[biasOffset[l] + j] = bias;
            }
        }
    }

    /**
     * Evaluates the network at the current parameter values.
     *
     * @param x      input, {@link #inputSize()} (not modified)
     * @param y      output, {@link #outputSize()} (modified; may not alias {@code x})
     * @param record what {@link #backward} needs (modified: {@link #recordSize()} doubles from {@code offset})
     * @param offset first index of the record
     */
    public void forward(final double[] x, final double[] y, final double[] record, final int offset) {
        final double[] theta = parameters.values();
        System.arraycopy(x, 0, record, offset, sizes[0]);
        for (int l = 0; l < activations.length; l++) {
            final int in = sizes[l];
            final int out = sizes[l + 1];
            final int xi = offset + inOffset[l];
            final int ui = offset + preOffset[l];
            final int xo = offset + outOffset[l];
            final Activation act = activations[l];
            final int w0 = weightOffset[l];
            final int b0 = biasOffset[l];
            for (int j = 0; j < out; j++) {
                double u = theta[b0 + j];
                final int row = w0 + j * in;
                for (int i = 0; i < in; i++) {
                    u += theta[row + i] * record[xi + i];
                }
                record[ui + j] = u;
                record[xo + j] = act.apply(u);
            }
        }
        System.arraycopy(record, offset + outOffset[activations.length - 1], y, 0, outputSize());
    }

    /**
     * Reverse mode through the evaluation kept in a record: with \( \bar y \) given, computes
     * \( \bar x = (\partial y/\partial x)^T \bar y \) and adds \( (\partial y/\partial \theta)^T \bar y \) to
     * {@code thetaBar}. Uses the current parameter values (those of the forward evaluation).
     *
     * @param record   a record written by {@link #forward} (not modified)
     * @param offset   its first index
     * @param yBar     cotangent of the output, {@link #outputSize()} (not modified)
     * @param xBar     cotangent of the input, {@link #inputSize()} (modified), or null if not wanted
     * @param thetaBar parameter cotangent, {@link ParameterVector#size()} (accumulated), or null if not wanted
     * @param scratch  work array of {@link #scratchSize()} doubles (modified)
     */
    public void backward(final double[] record, final int offset, final double[] yBar, final double[] xBar,
                         final double[] thetaBar, final double[] scratch) {
        final double[] theta = parameters.values();
        final int last = activations.length - 1;
        // g (cotangent of the current layer's output) and the next one alternate between the two halves
        int g = 0;
        int gin = maxWidth;
        System.arraycopy(yBar, 0, scratch, g, sizes[last + 1]);
        for (int l = last; l >= 0; l--) {
            final int in = sizes[l];
            final int out = sizes[l + 1];
            final int xi = offset + inOffset[l];
            final int ui = offset + preOffset[l];
            final int xo = offset + outOffset[l];
            final Activation act = activations[l];
            final int w0 = weightOffset[l];
            final int b0 = biasOffset[l];
            // d = g * sigma'(u), in place
            for (int j = 0; j < out; j++) {
                scratch[g + j] *= act.derivative(record[ui + j], record[xo + j]);
            }
            if (thetaBar != null) {
                for (int j = 0; j < out; j++) {
                    final double d = scratch[g + j];
                    thetaBar[b0 + j] += d;
                    final int row = w0 + j * in;
                    for (int i = 0; i < in; i++) {
                        thetaBar[row + i] += d * record[xi + i];
                    }
                }
            }
            if (l == 0 && xBar == null) {
                break;
            }
            final double[] target = l == 0 ? xBar : scratch;
            final int t0 = l == 0 ? 0 : gin;
            for (int i = 0; i < in; i++) {
                target[t0 + i] = 0.0;
            }
            for (int j = 0; j < out; j++) {
                final double d = scratch[g + j];
                if (d != 0.0) {
                    final int row = w0 + j * in;
                    for (int i = 0; i < in; i++) {
                        target[t0 + i] += theta[row + i] * d;
                    }
                }
            }
            final int swap = g;
            g = gin;
            gin = swap;
        }
    }

    /** @return the configuration for {@link ModelJson}: {@code sizes} and {@code activations} */
    public Map<String, Object> config() {
        final List<Integer> s = new ArrayList<>();
        for (final int w : sizes) {
            s.add(w);
        }
        final List<String> a = new ArrayList<>();
        for (final Activation act : activations) {
            a.add(act.name().toLowerCase(Locale.ROOT));
        }
        return ModelJson.config("sizes", s, "activations", a);
    }

    /**
     * Rebuilds a network (parameters zero) from {@link #config()}.
     *
     * @param config the configuration node
     * @param source file name for messages
     * @return the network
     * @throws OdeException naming the field if the configuration is invalid
     */
    public static Mlp fromConfig(final com.fasterxml.jackson.databind.JsonNode config, final String source) {
        final var s = config.path("sizes");
        final var a = config.path("activations");
        if (!s.isArray() || !a.isArray() || s.size() < 2 || a.size() != s.size() - 1) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, source + ": config.sizes and config.activations must"
                    + " be arrays of n + 1 widths and n activations");
        }
        final int[] sizes = new int[s.size()];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = s.get(i).asInt();
        }
        final Activation[] acts = new Activation[a.size()];
        for (int i = 0; i < acts.length; i++) {
            try {
                acts[i] = Activation.valueOf(a.get(i).asText().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, source + ": config.activations[" + i + "] '"
                        + a.get(i).asText() + "' is not one of identity, tanh, softplus");
            }
        }
        try {
            return new Mlp(sizes, acts);
        } catch (IllegalArgumentException e) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, source + ": " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "Mlp" + java.util.Arrays.toString(sizes) + java.util.Arrays.toString(activations);
    }
}
