package org.neurode.core;

/**
 * A family of {@link #size()} switching functions, one per population member; member {@code k} fires
 * when \( g_k(t, y) \) crosses zero from below. A population detector lets solvers find the first
 * crossing of any member with one root search (on \( \max_k g_k \)) instead of one per neuron.
 *
 * <p>A member may be refractory after firing: for {@link #refractoryPeriod()} the derivative of the
 * state element {@link #refractoryIndex(int)} is held at zero and the member cannot fire.
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
