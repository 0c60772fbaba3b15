package org.neurode.core;

/**
 * How a solve ended. Every {@link Trajectory} carries one (diffrax's {@code RESULTS}).
 *
 * @since 0.1
 */
public enum Status {
    /** Reached the end time. */
    SUCCESS,
    /** An event handler returned {@link EventAction#STOP}. */
    STOPPED_BY_EVENT,
    /** The evaluation budget ran out (only without fail-fast). */
    MAX_EVALUATIONS,
    /** The state became non-finite or the step size underflowed (only without fail-fast). */
    FAILED
}
