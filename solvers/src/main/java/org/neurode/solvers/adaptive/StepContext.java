package org.neurode.solvers.adaptive;

import org.neurode.core.JacobianPattern;

/**
 * What a {@link StepMethod} may ask of the simulation that drives it: right-hand side and Jacobian (both
 * counted), tolerances, the error norm, and counters of work that only the method sees.
 *
 * @since 0.2
 */
public interface StepContext {

    /** @return the state dimension */
    int dimension();

    /**
     * Evaluates and counts the right-hand side.
     *
     * @param t    time
     * @param y    state (not modified)
     * @param dydt derivatives (modified)
     */
    void derivatives(double t, double[] y, double[] dydt);

    /**
     * @return true if the right-hand side does not depend on time explicitly within a segment
     *         ({@link org.neurode.core.Equation#autonomous()}), so that \( \partial f/\partial t = 0 \)
     */
    default boolean autonomous() {
        return false;
    }

    /**
     * Evaluates and counts the Jacobian \( \partial f / \partial y \) at {@code (t, y)}: analytic if the
     * equation supplies it (dense, or sparse values scattered into the dense array), else by forward differences
     * with increments \( \sqrt{\epsilon} \max(|y_j|, atol_j / rtol_j) \) and one right-hand-side evaluation
     * (counted) per column, or per group of structurally independent columns if the equation declares a
     * {@link #jacobianPattern()} ({@link org.neurode.solvers.linear.FiniteDifferences}).
     *
     * @param t    time
     * @param y    state (not modified)
     * @param fy   \( f(t, y) \), already evaluated (not modified)
     * @param dfdy the Jacobian, row-major n x n (modified)
     */
    void jacobian(double t, double[] y, double[] fy, double[] dfdy);

    /**
     * @return the structural pattern of the Jacobian if the equation declares one
     *         ({@link org.neurode.core.SparseJacobianEquation}), else null (every entry may be non-zero); the
     *         same object on every call
     * @since 0.5
     */
    default JacobianPattern jacobianPattern() {
        return null;
    }

    /**
     * Evaluates and counts the Jacobian at the entries of {@link #jacobianPattern()}: the equation's sparse
     * analytic values if it has them, else its dense analytic Jacobian gathered, else forward differences
     * (right-hand-side evaluations counted) with the increments of {@link #jacobian}.
     *
     * @param t      time
     * @param y      state (not modified)
     * @param fy     \( f(t, y) \), already evaluated (not modified)
     * @param values \( \partial f_i/\partial y_j \) in the pattern's order (modified)
     * @throws UnsupportedOperationException if there is no pattern
     * @since 0.5
     */
    default void jacobianValues(final double t, final double[] y, final double[] fy, final double[] values) {
        throw new UnsupportedOperationException("the equation declares no Jacobian pattern");
    }

    /** Counts one LU factorization (real or complex). */
    void countFactorization();

    /**
     * @param i element
     * @return its absolute tolerance
     */
    double absoluteTolerance(int i);

    /**
     * @param i element
     * @return its relative tolerance
     */
    double relativeTolerance(int i);

    /**
     * The root-mean-square scaled norm of an error estimate (Hairer's norm):
     * \( \sqrt{\frac1n \sum_i (e_i / (atol_i + rtol_i \max(|y_i|, |\hat y_i|)))^2} \).
     *
     * @param error error estimate (not modified)
     * @param y     state at the step start (not modified)
     * @param yNew  state at the step end (not modified)
     * @return the norm (NaN if any input is not finite)
     */
    double errorNorm(double[] error, double[] y, double[] yNew);
}
