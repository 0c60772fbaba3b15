package org.neurode.core;

/**
 * An equation that also states its diagonal linear part: \( \dot y_i = a_i(t, y)\, y_i + b_i(t, y) \).
 * Exponential integrators step the linear part exactly, which removes the stability limit of fast
 * membrane time constants (conductance-based membranes are linear in their own potential).
 *
 * <p>Any split is valid (\( a_i = 0, b_i = f_i \) is plain Euler); the method is exact for
 * \( a, b \) constant over the step. Models built with {@link org.neurode.core.expr.ModelBuilder}
 * derive the split symbolically.
 *
 * @since 0.1
 */
public interface LinearSplitEquation extends Equation {

    /**
     * Computes the split so that \( f_i = a_i y_i + b_i \).
     *
     * @param t time
     * @param y state (not modified)
     * @param a diagonal coefficients (modified: every element written)
     * @param b remainders (modified: every element written)
     */
    void split(double t, double[] y, double[] a, double[] b);

    /**
     * Computes the diagonal coefficients only, \( a_i(t, y) \), and says whether they depend on neither the state nor
     * the time: then they stay valid until an input or a parameter changes, and a caller may keep them (a
     * stochastic exponential step needs them for its noise increments, {@code ExponentialEulerSolver}). The default
     * computes the whole split, writing {@code b} as scratch, and answers false; compiled models compute the
     * coefficients alone and know the answer from their expressions.
     *
     * @param t time
     * @param y state (not modified)
     * @param a diagonal coefficients (modified: every element written)
     * @param b scratch of the state's length (may be modified)
     * @return true if {@code a} depends on neither {@code y} nor {@code t}
     * @since 0.5
     */
    default boolean linearCoefficients(final double t, final double[] y, final double[] a, final double[] b) {
        split(t, y, a, b);
        return false;
    }
}
