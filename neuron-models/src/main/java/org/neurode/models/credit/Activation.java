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

    /**
     * The inverse, for a target rate that a potential is to be nudged towards: the potential whose rate is
     * {@code r}. Rates outside the function's range are moved 1e-9 inside it (a rectifier's rate 0 maps to the
     * potential 0, the edge of its silent range).
     *
     * @param r rate
     * @return a with f(a) = r
     */
    public double inverse(final double r) {
        final double edge = 1e-9;
        return switch (kind) {
            case LINEAR, RELU -> r;
            case TANH -> {
                final double c = Math.max(-1 + edge, Math.min(1 - edge, r));
                yield 0.5 * Math.log((1 + c) / (1 - c));
            }
            case LOGISTIC -> {
                final double c = Math.max(edge, Math.min(1 - edge, r));
                yield Math.log(c / (1 - c));
            }
            case SOFTPLUS -> {
                final double y = Math.max(edge, r / gain);
                // softplus^-1(y) = log(expm1(y)) = y + log(-expm1(-y)), the latter without overflow for large y
                yield threshold + (y > 30 ? y + Math.log(-Math.expm1(-y)) : Math.log(Math.expm1(y))) / slope;
            }
        };
    }

    /**
     * @return the function as an expression of {@code u} in neurode's model language, e.g. {@code tanh(u)}
     */
    public org.neurode.core.spec.ExprSpec expression() {
        final String text = switch (kind) {
            case LINEAR -> "u";
            case TANH -> "tanh(u)";
            case LOGISTIC -> "sigmoid(u)";
            case RELU -> "relu(u)";
            case SOFTPLUS -> "(" + gain + ") * softplus((" + slope + ") * (u - (" + threshold + ")))";
        };
        return org.neurode.core.spec.ExprSpec.parse(text);
    }

    /** @return the name as the command line spells it */
    public String label() {
        return kind.name().toLowerCase(java.util.Locale.ROOT);
    }
}
