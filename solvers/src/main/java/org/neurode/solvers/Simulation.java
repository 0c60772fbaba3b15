package org.neurode.solvers;

import org.neurode.core.SolveStatistics;
import org.neurode.core.StateLayout;
import org.neurode.core.Status;
import org.neurode.core.Trajectory;

/**
 * One running integration that continues the same state segment by segment (the pattern loop of a
 * learning experiment): set inputs, {@link #advanceTo} the next time, read the state, repeat. Work
 * arrays are allocated once at start. Not thread-safe: one thread per simulation.
 *
 * <p>The state ({@link #layout()}, flat indices) holds the integrated variables only. Inputs
 * ({@link #inputLayout()}) are held apart and read and set by name ({@link #get(String)},
 * {@link #set(String, double)}, {@link #copyBlock}, {@link #setBlock}); setting one takes effect at the current
 * time, like an input switch, and the solver restarts from there.
 *
 * @since 0.1
 */
public interface Simulation {

    /** @return the current time */
    double time();

    /** @return the state layout: the integrated variables */
    StateLayout layout();

    /** @return the layout of the inputs (may have no blocks) */
    StateLayout inputLayout();

    /**
     * Integrates to time {@code t} (input switch times on the way are forced step points). Returns
     * early if an event stops the run; see {@link #status()}.
     *
     * @param t target time, not before {@link #time()}
     */
    void advanceTo(double t);

    /**
     * @param duration time to integrate (not negative)
     */
    default void advance(final double duration) {
        advanceTo(time() + duration);
    }

    /**
     * @param index flat state index
     * @return current value
     */
    double get(int index);

    /**
     * @param reference reference to a state variable or an input element, such as {@code u[3]} or {@code I}
     * @return current value
     */
    double get(String reference);

    /**
     * Copies the current state.
     *
     * @param destination array of the state dimension (modified)
     */
    void copyState(double[] destination);

    /**
     * Copies one block of the current state, or the current values of an input.
     *
     * @param block       state variable or input name
     * @param destination array of the block size (modified)
     */
    void copyBlock(String block, double[] destination);

    /**
     * Sets one state element at the current time (the solver restarts from the changed state).
     *
     * @param index flat state index
     * @param value new value
     */
    void set(int index, double value);

    /**
     * Sets one element of a state variable or of an input at the current time (the solver restarts from there,
     * as at an input switch: no derivative computed before is reused).
     *
     * @param reference reference such as {@code u[3]}, {@code W[1,2]} or a scalar input {@code nudge}
     * @param value     new value (finite for inputs)
     */
    void set(String reference, double value);

    /**
     * Sets a whole state block or input (for example the input rates of the next pattern) at the current time;
     * the solver restarts from there.
     *
     * @param block  state variable or input name
     * @param values values (copied; block size)
     */
    void setBlock(String block, double[] values);

    /**
     * Replaces the whole state at the current time (the inputs stay as they are).
     *
     * @param state new state (copied; the state dimension)
     */
    void setState(double[] state);

    /**
     * Restarts the noise generator from a seed, for example one derived from a pattern index, so that a
     * run resumed from a checkpoint draws exactly the same noise as an uninterrupted one. The generators of events
     * and projections that draw random numbers ({@code rand()}, {@code randn()}) restart too, as in a run started
     * with that seed ({@link SolveOptions#withSeed}), and so do Poisson groups, from their own seed (the model's)
     * mixed with this one.
     *
     * @param seed the new seed
     */
    void reseedNoise(long seed);

    /**
     * Starts over at time {@code t0} from {@code state}: the steps that follow are those of a new simulation of the
     * same problem started there (the same grid from {@code t0}, the same numbers), with the inputs as they are set
     * and the noise generator as it is ({@link #reseedNoise} gives a new stream). For experiments that present many
     * short patterns to one model: a new simulation per pattern allocates its buffers and step kernel again, which
     * on the dendritic microcircuit at 2-ms steps cost about a third of the run.
     *
     * @param t0    the new time (time unit of the model)
     * @param state the new state (copied)
     * @throws org.neurode.core.OdeException {@link org.neurode.core.ErrorCode#UNSUPPORTED} for a run with
     *         events, projections, scheduled inputs or recorders that sample before the end (their histories are
     *         tied to the time line), {@link org.neurode.core.ErrorCode#DIMENSION_MISMATCH} for a state of another
     *         length, {@link org.neurode.core.ErrorCode#INVALID_ARGUMENT} after {@link #finish} or a non-finite time
     * @since 0.5
     */
    void restart(double t0, double[] state);

    /**
     * The events logged since the start or the last {@link #clearEvents}: for a long run that reads its events in
     * segments (the spikes of a pattern) and forgets them, so that its memory stays bounded.
     *
     * @return the live log (read only; cleared by {@link #clearEvents})
     * @since 0.6
     */
    default org.neurode.core.EventLog eventLog() {
        throw new org.neurode.core.OdeException(org.neurode.core.ErrorCode.UNSUPPORTED, getClass().getSimpleName(),
                "it keeps no event log");
    }

    /**
     * Forgets the events logged so far (the trajectory of {@link #finish} then holds only later ones).
     *
     * @since 0.6
     */
    default void clearEvents() {
        eventLog().clear();
    }

    /** @return counters so far */
    SolveStatistics statistics();

    /** @return status so far */
    Status status();

    /**
     * Ends the run (records the final sample) and returns the trajectory; further calls return the same.
     *
     * @return the trajectory
     */
    Trajectory finish();

    /**
     * The current values of a per-synapse variable (Brian2's {@code S.w[:]}), in synapse order (by source, then
     * target).
     *
     * @param projection the projection's name
     * @param variable   its synapse variable
     * @return the values (copied)
     * @throws org.neurode.core.OdeException if the model has no such projection or variable
     */
    default double[] synapseValues(final String projection, final String variable) {
        throw new org.neurode.core.OdeException(org.neurode.core.ErrorCode.INVALID_ARGUMENT, "this simulation "
                + "has no projection '" + projection + "'");
    }

    /**
     * Replaces the current values of a per-synapse variable (Brian2's {@code S.w[:] = values}): a learning rule
     * applied by a driver between stretches of a run. The next spikes use them. Nothing allocates.
     *
     * @param projection the projection's name
     * @param variable   its synapse variable
     * @param values     one per synapse, in synapse order (by source, then target; copied, not modified)
     * @throws org.neurode.core.OdeException if the model has no such projection or variable, or the length is not
     *         the number of synapses
     * @since 0.6
     */
    default void setSynapseValues(final String projection, final String variable, final double[] values) {
        throw new org.neurode.core.OdeException(org.neurode.core.ErrorCode.INVALID_ARGUMENT, "this simulation "
                + "has no projection '" + projection + "'");
    }
}
