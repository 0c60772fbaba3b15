package org.neurode.solvers.adaptive;

/**
 * A step-size controller: after each attempt of a {@link StepMethod}, the factor by which the driver multiplies
 * the step (diffrax's separation of the controller from the solver). The driver ({@link AdaptiveSimulation},
 * and the neural-ODE passes of the neuron-models module) owns time, acceptance and the bounds imposed by forced
 * step points and the maximum step; the controller only proposes the ratio of the next step to the last.
 *
 * <p>Implementations: {@link ElementaryController} (the elementary or I controller, every explicit pair's
 * default), {@link PiController} (Gustafsson's PI controller) and {@link PredictiveController} (Gustafsson's
 * predictive controller, as in Hairer and Wanner's RODAS and RADAU5). A method names the controller it was
 * designed for by {@link StepMethod#controller()}; {@link AdaptiveSolver#withController} replaces it.
 * Multistep methods choose their order in {@link StepMethod#accept} and report it by
 * {@link StepMethod#controlOrder()}; their own controller (BDF's, CVODE's step and order heuristics) may read
 * the method's state.
 *
 * <p>Protocol, per simulation: {@link #factor} exactly once after every attempt (after
 * {@link StepMethod#accept} when the attempt was accepted); {@link #reset} whenever the method restarts
 * (discontinuities: inputs, event resets). A controller with memory records the accepted step inside
 * {@link #factor}. Controllers hold no arrays; {@link #factor} allocates nothing.
 *
 * <p>Hairer's starting-step algorithm, which every driver uses for the first step, is {@link StartingStep}.
 *
 * @since 0.7
 */
public interface StepController {

    /**
     * The factor for the next step after an attempt.
     *
     * @param h            size of the attempt (positive; NaN if unknown to the caller, for controllers without
     *                     memory)
     * @param err          its scaled error norm (accepted if at most 1; may be 0, +Infinity for an attempt
     *                     that could not be completed, or NaN)
     * @param order        the order q of the error estimate: it behaves like \( h^{q+1} \)
     * @param accepted     true if the attempt was accepted
     * @param lastRejected true if the attempt before was rejected
     * @return the ratio of the next step to {@code h} (positive)
     */
    double factor(double h, double err, int order, boolean accepted, boolean lastRejected);

    /** Forgets the accepted-step history (the method restarted); the default has none. */
    default void reset() {
    }
}
