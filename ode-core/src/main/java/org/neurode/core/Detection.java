package org.neurode.core;

/**
 * How an event is located in time.
 *
 * @since 0.1
 */
public enum Detection {
    /**
     * Root finding inside the step: the event time is the crossing time within the solver's
     * convergence threshold (DifferentialEquations.jl's ContinuousCallback). Preferred where spike times
     * matter.
     */
    CONTINUOUS,
    /**
     * Checked on the state at the end of each step, with the reset applied there; the event is logged at
     * the step's <em>start</em> time and the refractory period counts from it. These are the semantics of
     * clock-driven simulators (Brian2's thresholder runs after the state update of step n and logs t_n).
     * Spike times are quantised to the step size.
     */
    STEP_END
}
