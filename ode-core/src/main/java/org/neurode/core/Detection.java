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
    STEP_END,
    /**
     * {@link #CONTINUOUS} on adaptive solvers and {@link #STEP_END} on fixed-step ones (Brian2's clock semantics
     * where the solver has a clock). The default of events with conditions ({@code EventSpec}); a simulation
     * resolves it when it starts.
     *
     * @since 0.4
     */
    AUTO;

    /**
     * @param adaptive true for a solver that chooses its steps
     * @return the mode used on such a solver ({@link #AUTO} resolved, the others as they are)
     * @since 0.4
     */
    public Detection on(final boolean adaptive) {
        if (this != AUTO) {
            return this;
        }
        return adaptive ? CONTINUOUS : STEP_END;
    }

    /**
     * @return the name in model files and documents ({@code continuous}, {@code step-end}, {@code auto})
     * @since 0.4
     */
    public String text() {
        return this == STEP_END ? "step-end" : name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * @param text {@code continuous}, {@code step-end} or {@code auto}
     * @return the mode, or null for another text
     * @since 0.4
     */
    public static Detection of(final String text) {
        for (final Detection d : values()) {
            if (d.text().equals(text)) {
                return d;
            }
        }
        return null;
    }
}
