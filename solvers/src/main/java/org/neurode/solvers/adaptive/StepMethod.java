package org.neurode.solvers.adaptive;

/**
 * One adaptive one-step method, driven by {@link AdaptiveSimulation} (diffrax's split of "solver" from
 * "step-size controller"). The driver owns time, state, step-size control, recording and events; the
 * method owns its stages, its error estimate, its linear algebra and its dense output.
 *
 * <p>Protocol, per simulation (one thread):
 * <ol>
 * <li>{@link #initialize} once, before anything else: allocate every work array here (the hot path
 * allocates nothing).</li>
 * <li>{@link #restart} at the start and whenever the state was changed from outside (inputs, event
 * resets): forget first-same-as-last stages, Jacobians evaluated at an old state, step history.</li>
 * <li>{@link #attempt} a step; the driver accepts it if the returned error norm is at most 1, then
 * calls {@link #accept} and then the {@link #controller()} for the next step size (after a rejection, the
 * controller alone). A method that cannot complete a step (Newton failure, singular matrix) returns
 * {@code +Infinity}; the driver then shrinks the step. The next attempt may come with any step size (the
 * driver bounds the controller's proposal by forced step points and the maximum step): a multistep method
 * rescales its history to it.</li>
 * <li>{@link #interpolate} is called only between {@link #accept} and the next {@link #attempt} or
 * {@link #restart}; the arrays {@code y} and {@code yNew} of the accepted step are left unchanged
 * until then.</li>
 * </ol>
 *
 * @since 0.2
 */
public interface StepMethod {

    /**
     * @return the order \( q \) that governs step-size control: the error estimate behaves like
     *         \( h^{q+1} \) (the lower order of an embedded pair; for a variable-order method the order of the
     *         last attempt: an order chosen in {@link #accept} takes effect with the next attempt)
     */
    int controlOrder();

    /**
     * Allocates work arrays.
     *
     * @param context the right-hand side, Jacobian, tolerances and counters of the simulation
     */
    void initialize(StepContext context);

    /**
     * Starts (again) from a state with no history.
     *
     * @param t time
     * @param y state (not modified, not kept)
     */
    void restart(double t, double[] y);

    /**
     * The first step to try after {@link #restart}. The default leaves it to the driver (Hairer's estimate on the
     * first start, the step size so far after later restarts); a multistep method, which restarts at order 1, returns
     * its own (BDF: CVODE's estimate of the step whose local error at order 1 meets the tolerance).
     *
     * @param t        time of the restart
     * @param y        state (not modified)
     * @param span     distance to the end of the current integration segment (positive; may be infinite)
     * @param proposed the driver's proposal: the user's initial step or NaN on the first start, the current step
     *                 after later restarts
     * @return the step, or NaN for the driver's choice
     * @since 0.7
     */
    default double restartStep(final double t, final double[] y, final double span, final double proposed) {
        return Double.NaN;
    }

    /**
     * Attempts one step.
     *
     * @param t    step start
     * @param h    step size (positive)
     * @param y    state at {@code t} (not modified)
     * @param yNew the candidate state at {@code t + h} (modified)
     * @return the scaled error norm (accept if at most 1), {@code +Infinity} if the step could not be
     *         completed, or NaN if the estimate is not finite
     */
    double attempt(double t, double h, double[] y, double[] yNew);

    /**
     * The last attempt is accepted.
     *
     * @param t    its start
     * @param h    its size
     * @param y    state at {@code t}
     * @param yNew state at {@code t + h}
     */
    void accept(double t, double h, double[] y, double[] yNew);

    /**
     * Dense output of the last accepted step.
     *
     * @param theta fraction of the step in [0, 1]
     * @param out   state at \( t + \theta h \) (modified)
     */
    void interpolate(double theta, double[] out);

    /**
     * The step-size controller this method was designed for, one instance per method instance (the driver calls
     * it after every attempt and resets it with the method; see {@link StepController}). The default is the
     * elementary controller \( 0.9\, \mathrm{err}^{-1/(q+1)} \) clipped to [0.2, 5] (Hairer-Nørsett-Wanner I,
     * II.4), with no growth right after a rejection; implicit methods return Gustafsson's predictive controller
     * ({@link PredictiveController}), BDF its order-and-step heuristics.
     *
     * @return the controller (the same instance on every call)
     * @since 0.7
     */
    default StepController controller() {
        return ElementaryController.DEFAULT;
    }

    /**
     * Step-size factor after an attempt with error norm {@code err}, for driving a method by hand: its
     * {@link #controller()}'s factor for the last attempt (whose size the method knows where its controller needs
     * it). {@link AdaptiveSimulation} calls the controller directly.
     *
     * @param err          error norm of the attempt (may be 0, +Infinity or NaN)
     * @param accepted     true if the attempt was accepted
     * @param lastRejected true if the attempt before was rejected
     * @return the factor for the next step size
     */
    default double stepFactor(final double err, final boolean accepted, final boolean lastRejected) {
        return controller().factor(Double.NaN, err, controlOrder(), accepted, lastRejected);
    }

    /**
     * @return true if the method stores dense n x n Jacobians and factorizations (implicit and Rosenbrock
     *         methods); the driver then refuses dimensions above {@link AdaptiveSimulation#MAX_DENSE_DIMENSION}
     */
    default boolean usesDenseJacobian() {
        return false;
    }

    /**
     * @return true if the method's Jacobian and Newton matrices go through
     *         {@link org.neurode.solvers.linear.NewtonMatrix#of}, which stores them sparse or banded when the equation
     *         declares a {@link StepContext#jacobianPattern()}; the driver then accepts dimensions above
     *         {@link AdaptiveSimulation#MAX_DENSE_DIMENSION} for such equations
     * @since 0.5
     */
    default boolean supportsSparseJacobian() {
        return false;
    }

    /** @return the registry name of the method, e.g. {@code tsit5} */
    String name();
}
