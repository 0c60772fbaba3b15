package org.neurode.core;

/**
 * A family of {@link #size()} switching functions, one per population member; member {@code k} fires
 * when \( g_k(t, y) \) crosses zero from below. A population detector lets solvers find the first
 * crossing of any member with one root search (on \( \max_k g_k \)) instead of one per neuron.
 *
 * <p>A member may be refractory after firing: for {@link #refractoryPeriod()} the derivative of the
 * state element {@link #refractoryIndex(int)} is held at zero and the member cannot fire.
 *
 * <p>Runaway rule. A member whose event does not take it far enough below its threshold (a reset at or just
 * below it, no refractory period, a strong drive) could fire without end, each event a step of almost no
 * length, until memory or the evaluation budget runs out. Every solver stops such a run with
 * {@link ErrorCode#EVENT_RUNAWAY} naming the variable (through {@link #refractoryIndex(int)}), the member
 * index and the time, as soon as a member
 * <ul>
 * <li>fires again with no time elapsed (within the solver's time resolution of its previous event), or</li>
 * <li>fires more than 100 times within one window: one step of a fixed-step solver (whose steps cannot
 * resolve such a burst), or a millionth of the problem's time span for an adaptive one (for a 100 ms run,
 * more than 100 spikes within 0.1 µs).</li>
 * </ul>
 * No model that a solver can resolve comes near these rates. A member that fires fast but at a resolvable
 * rate (a reset 1e-4 mV below the threshold of a strongly driven neuron fires every 0.2 µs) is not stopped
 * by the rule; as every event restarts the step, the evaluation budget then bounds the run and its event
 * log. Like a non-finite state, a runaway ends the run with status {@code FAILED} unless the solve options
 * ask to fail fast (then the exception is thrown).
 *
 * @since 0.1
 */
public interface EventDetector {

    /** @return the detector name used in trajectories and messages */
    String name();

    /** @return the number of members */
    int size();

    /**
     * @param member member index
     * @param t      time
     * @param y      state (not modified)
     * @return switching function value; an event occurs where it crosses zero upward
     */
    double g(int member, double t, double[] y);

    /**
     * Handles an event of one member.
     *
     * @param member member index
     * @param t      event time
     * @param y      state at the event (modified by a reset)
     * @return what the integration does next
     */
    EventAction onEvent(int member, double t, double[] y);

    /** @return how the event is located */
    default Detection detection() {
        return Detection.CONTINUOUS;
    }

    /** @return refractory period (time unit of the model); 0 for none */
    default double refractoryPeriod() {
        return 0.0;
    }

    /**
     * @param member member index
     * @return state index whose derivative is held at zero while the member is refractory, or -1
     */
    default int refractoryIndex(final int member) {
        return -1;
    }
}
