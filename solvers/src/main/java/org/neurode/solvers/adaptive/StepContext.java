package org.neurode.solvers.adaptive;

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

    /** @return true if the equation supplies an analytic Jacobian */
    boolean hasAnalyticJacobian();

    /**
     * Evaluates and counts the Jacobian \( \partial f / \partial y \) at {@code (t, y)}: analytic if the
     * equation supplies it, else by forward differences with one right-hand-side evaluation (counted)
     * per column, with increments \( \sqrt{\epsilon} \max(|y_j|, atol_j / rtol_j) \).
     *
     * @param t    time
     * @param y    state (not modified)
     * @param fy   \( f(t, y) \), already evaluated (not modified)
     * @param dfdy the Jacobian, row-major n x n (modified)
     */
    void jacobian(double t, double[] y, double[] fy, double[] dfdy);

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
