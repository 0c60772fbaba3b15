package org.neurode.core.expr;

/**
 * Scalar functions called by compiled equations. Public only so that generated code can reach them.
 *
 * @since 0.1
 */
public final class Kernels {

    private Kernels() {
    }

    /**
     * @param x argument
     * @return \( 1/(1+e^{-x}) \), without overflow for large |x|
     */
    public static double sigmoid(final double x) {
        if (x >= 0) {
            return 1.0 / (1.0 + Math.exp(-x));
        }
        final double e = Math.exp(x);
        return e / (1.0 + e);
    }

    /**
     * @param x argument
     * @return \( \log(1+e^x) \), without overflow for large x
     */
    public static double softplus(final double x) {
        return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
    }

    /**
     * @param x argument
     * @return 1 for x &gt; 0, else 0
     */
    public static double step(final double x) {
        return x > 0 ? 1.0 : 0.0;
    }

    /**
     * @param x base
     * @param p exponent
     * @return \( x^p \), with integer exponents 2 and 3 as products
     */
    public static double pow(final double x, final double p) {
        if (p == 2.0) {
            return x * x;
        }
        if (p == 3.0) {
            return x * x * x;
        }
        if (p == 1.0) {
            return x;
        }
        return Math.pow(x, p);
    }
}
