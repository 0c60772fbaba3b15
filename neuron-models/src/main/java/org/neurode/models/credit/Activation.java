package org.neurode.models.credit;

/**
 * A unit's rate function f and its slope f', element-wise.
 *
 * @param kind      the function
 * @param gain      output scale (softplus only: gamma)
 * @param slope     input slope (softplus only: beta)
 * @param threshold input offset (softplus only: theta)
 * @since 0.1
 */
public record Activation(Kind kind, double gain, double slope, double threshold) {

    /** The functions. */
    public enum Kind {
        /** f(a) = a. */
        LINEAR,
        /** f(a) = tanh(a). */
        TANH,
        /** f(a) = 1 / (1 + e^{-a}). */
        LOGISTIC,
        /** f(a) = max(a, 0), slope 1 for a > 0 and 0 otherwise. */
        RELU,
        /** f(a) = gain softplus(slope (a - threshold)): the microcircuit's phi (Sacramento et al. 2018). */
        SOFTPLUS
    }

    /** The identity. */
    public static final Activation LINEAR = new Activation(Kind.LINEAR, 1, 1, 0);
    /** tanh. */
    public static final Activation TANH = new Activation(Kind.TANH, 1, 1, 0);
    /** The logistic sigmoid. */
    public static final Activation LOGISTIC = new Activation(Kind.LOGISTIC, 1, 1, 0);
    /** The rectifier. */
    public static final Activation RELU = new Activation(Kind.RELU, 1, 1, 0);

    /**
     * @param gain      gamma
     * @param slope     beta
     * @param threshold theta
     * @return gamma softplus(beta (a - theta))
     */
    public static Activation softplus(final double gain, final double slope, final double threshold) {
        return new Activation(Kind.SOFTPLUS, gain, slope, threshold);
    }

    /**
     * @param a input
     * @return f(a)
     */
    public double value(final double a) {
        return switch (kind) {
            case LINEAR -> a;
            case TANH -> Math.tanh(a);
            case LOGISTIC -> 1.0 / (1.0 + Math.exp(-a));
            case RELU -> a > 0 ? a : 0.0;
            case SOFTPLUS -> {
                final double z = slope * (a - threshold);
                yield gain * (Math.max(z, 0.0) + Math.log1p(Math.exp(-Math.abs(z))));
            }
        };
    }

    /**
     * @param a     input
     * @param value f(a), for the functions whose slope follows from it
     * @return f'(a)
     */
    public double derivative(final double a, final double value) {
        return switch (kind) {
            case LINEAR -> 1.0;
            case TANH -> 1.0 - value * value;
            case LOGISTIC -> value * (1.0 - value);
            case RELU -> a > 0 ? 1.0 : 0.0;
            case SOFTPLUS -> gain * slope / (1.0 + Math.exp(-slope * (a - threshold)));
        };
    }

    /** @return the name as the command line spells it */
    public String label() {
        return kind.name().toLowerCase(java.util.Locale.ROOT);
    }
}
