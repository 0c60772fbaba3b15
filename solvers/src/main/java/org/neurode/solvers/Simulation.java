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
 * @since 0.1
 */
public interface Simulation {

    /** @return the current time */
    double time();

    /** @return the state layout */
    StateLayout layout();

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
     * @param reference variable reference such as {@code u[3]}
     * @return current value
     */
    default double get(final String reference) {
        return get(layout().index(reference));
    }

    /**
     * Copies the current state.
     *
     * @param destination array of the state dimension (modified)
     */
    void copyState(double[] destination);

    /**
     * Copies one block of the current state.
     *
     * @param block       block name
     * @param destination array of the block size (modified)
     */
    void copyBlock(String block, double[] destination);

    /**
     * Sets one state element at the current time (the solver restarts from the changed state).
     *
     * @param index flat index
     * @param value new value
     */
    void set(int index, double value);

    /**
     * Sets a whole block (for example the input rates of the next pattern) at the current time.
     *
     * @param block  block name
     * @param values values (copied; block size)
     */
    void setBlock(String block, double[] values);

    /**
     * Replaces the whole state at the current time.
     *
     * @param state new state (copied)
     */
    void setState(double[] state);

    /**
     * Restarts the noise generator from a seed, for example one derived from a pattern index, so that a
     * run resumed from a checkpoint draws exactly the same noise as an uninterrupted one.
     *
     * @param seed the new seed
     */
    void reseedNoise(long seed);

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
}
