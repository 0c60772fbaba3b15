package org.neurode.core;

/**
 * The right-hand side of \( \dot y = f(t, y) \), written in place.
 *
 * <p>Implementations must not allocate, box, log or throw on the normal path: solvers call
 * {@link #derivatives} millions of times. An instance may own scratch arrays; such instances are not
 * thread-safe, which is why a {@link Model} creates a fresh one for every solve.
 *
 * <p>The state {@code y} holds the integrated variables only. A model's inputs (piecewise-constant values
 * that schedules and experiments set, {@link Model#inputLayout()}) live in a separate buffer that the
 * equation owns and reads ({@link #inputs()}); its parameters, scalars and arrays, are fixed when the
 * instance is created. So constants never enter the solvers' error norms, Jacobians or step copies.
 *
 * @since 0.1
 */
public interface Equation {

    /** @return the state dimension: the integrated variables only (inputs and parameters excluded) */
    int dimension();

    /**
     * The input values this instance reads, laid out by its model's {@link Model#inputLayout() input layout}:
     * its own array, not a copy, filled with the model's default inputs by {@link Model#equation()}.
     * Simulations write it at input switches and when an input is set, between evaluations; nothing else
     * should. An equation of a model with inputs must return an array of the input layout's dimension.
     *
     * @return the input buffer (empty by default: no inputs)
     */
    default double[] inputs() {
        return new double[0];
    }

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

    /**
     * A fused one-pass step of this equation for a solver's {@link StepRule}, sharing this instance's
     * parameters and input buffer. Models compiled by {@code ModelBuilder} generate it on the first request
     * for a rule (once per model and rule; later requests reuse the class); solvers fall back to their generic
     * path where this returns null.
     *
     * @param rule the step the solver takes
     * @return the fused step, or null (the default) if this equation cannot fuse steps
     */
    default FusedStep fusedStep(final StepRule rule) {
        return null;
    }
}
