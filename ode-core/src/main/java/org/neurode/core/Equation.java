package org.neurode.core;

/**
 * The right-hand side of \( \dot y = f(t, y) \), written in place.
 *
 * <p>Implementations must not allocate, box, log or throw on the normal path: solvers call
 * {@link #derivatives} millions of times. An instance may own scratch arrays; such instances are not
 * thread-safe, which is why a {@link Model} creates a fresh one for every solve.
 *
 * @since 0.1
 */
public interface Equation {

    /** @return the state dimension */
    int dimension();

    /**
     * Computes the derivatives.
     *
     * @param t    time (ms unless the model documents otherwise)
     * @param y    state (not modified)
     * @param dydt derivatives (modified: every element is written)
     */
    void derivatives(double t, double[] y, double[] dydt);

    /**
     * @return true if {@code f} does not depend on {@code t} explicitly (inputs that switch at scheduled times
     *         do not count: solvers restart at each switch); Rosenbrock methods then skip the time derivative
     *         \( \partial f / \partial t \), one evaluation per step. The default, false, is always safe.
     */
    default boolean autonomous() {
        return false;
    }
}
