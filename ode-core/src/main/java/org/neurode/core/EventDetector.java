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

    /**
     * @return true for a source of spikes from outside the state (a Poisson group, a spike generator): its events
     *         are drawn or listed, not crossings of the state, so the runaway guard (an event again with no time
     *         elapsed, or too many in a window) does not apply to it and is skipped
     * @since 0.6
     */
    default boolean external() {
        return false;
    }

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

    /**
     * The state elements held still while a member is refractory, as block offsets: member {@code m} holds
     * {@code offset + m} for each offset (the {@code (unless refractory)} equations of its population). Null (the
     * default) means the one element {@link #refractoryIndex(int)} per member.
     *
     * @return the offsets (not modified by callers), or null
     * @since 0.4
     */
    default int[] refractoryOffsets() {
        return null;
    }

    /**
     * The refractory period of one member; by default {@link #refractoryPeriod()} for all. A detector whose
     * members have periods of their own returns the longest from {@link #refractoryPeriod()} (0 if none has one).
     *
     * @param member member index
     * @return its refractory period (time unit of the model), not negative
     * @since 0.4
     */
    default double refractoryPeriod(final int member) {
        return refractoryPeriod();
    }

    /**
     * Whether the event's condition holds for a member: what step-end detection checks on the state at the end of
     * a step. By default {@code g > 0}; a detector whose condition is {@code >=} says so here.
     *
     * @param member member index
     * @param t      time
     * @param y      state (not modified)
     * @return true if the member's condition holds
     * @since 0.4
     */
    default boolean holds(final int member, final double t, final double[] y) {
        return g(member, t, y) > 0;
    }

    /**
     * Step-end detection of all members at once: collects, in increasing order, the members that are not
     * refractory at {@code stepStart} ({@code stepStart >= refractoryUntil[m]}) and whose condition
     * {@link #holds} on the state at the end of the step. Detectors of large populations override it with a loop
     * that makes no call per member.
     *
     * @param t               end time of the step (where the condition is evaluated)
     * @param y               state at the end of the step (not modified)
     * @param refractoryUntil per member, the end of its refractory period; null if the detector has none
     * @param stepStart       start time of the step (compared with the refractory ends)
     * @param out             receives the members (at least {@link #size()} long)
     * @return the number of members written to {@code out}
     * @since 0.4
     */
    default int stepEndMembers(final double t, final double[] y, final double[] refractoryUntil,
                               final double stepStart, final int[] out) {
        int count = 0;
        final int size = size();
        for (int m = 0; m < size; m++) {
            if ((refractoryUntil == null || stepStart >= refractoryUntil[m]) && holds(m, t, y)) {
                out[count++] = m;
            }
        }
        return count;
    }

    /**
     * The detector of one run: a detector whose conditions or statements read parameters or inputs returns a copy
     * bound to the run's parameter values and the run's input buffer; by default itself. A simulation calls it
     * once, when it starts.
     *
     * @param parameters the run's parameters (the model's)
     * @param inputs     the run's input buffer ({@link Equation#inputs()}, written between steps)
     * @return the detector to use in the run
     * @since 0.4
     */
    default EventDetector bind(final Parameters parameters, final double[] inputs) {
        return this;
    }

    /**
     * The detector of one run, with the run's seed and step: a detector whose condition or statements draw random
     * numbers ({@code rand()}, {@code randn()}) starts its generator from the seed (mixed with its position in the
     * model, so that a seed gives the same events on any machine), and one that reads the step length {@code dt}
     * takes it from {@code step}. By default {@link #bind(Parameters, double[])}. A simulation calls it once, when
     * it starts.
     *
     * @param parameters the run's parameters (the model's)
     * @param inputs     the run's input buffer ({@link Equation#inputs()}, written between steps)
     * @param seed       the run's seed (the solve options' seed)
     * @param step       the fixed step of the run (time unit), or NaN for a solver that chooses its steps
     * @return the detector to use in the run
     * @throws OdeException if the detector reads {@code dt} and the run has no fixed step
     * @since 0.6
     */
    default EventDetector bind(final Parameters parameters, final double[] inputs, final long seed,
                               final double step) {
        return bind(parameters, inputs);
    }

    /**
     * Restarts the generator of a bound detector that draws random numbers from a new run seed, mixed with its
     * position as {@link #bind(Parameters, double[], long, double)} mixes it: the draws that follow are those of a run
     * started with that seed. By default nothing (a detector that draws nothing).
     *
     * @param seed the new run seed
     * @since 0.6
     */
    default void reseed(final long seed) {
    }
}
