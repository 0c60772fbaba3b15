package org.neurode.models.experiment;

import java.util.Map;

/**
 * Receives the progress of a run and tells it whether to stop. Called on the run's thread; an implementation
 * shared by runs on several threads must be thread-safe.
 *
 * @since 0.2
 */
public interface Progress {

    /** Ignores progress and never stops. */
    Progress NONE = (done, total, metrics) -> { };

    /**
     * @param done    units of work done (patterns, training sequences, steps: the experiment's documentation says
     *                which)
     * @param total   units of the whole run
     * @param metrics the experiment's current measures by name (for example {@code testError}), in a fixed order
     */
    void update(long done, long total, Map<String, Double> metrics);

    /**
     * Polled by the run after every unit of work: true ends it early (it then hands its state to
     * {@link Checkpoints} and returns a result with status {@link RunStatus#INTERRUPTED}).
     *
     * @return true to stop
     */
    default boolean stopRequested() {
        return false;
    }

    /**
     * @param updates receives the updates
     * @param stop    polled for {@link #stopRequested()}
     * @return a receiver of progress that stops when {@code stop} says so
     * @since 0.7
     */
    static Progress stoppable(final Progress updates, final java.util.function.BooleanSupplier stop) {
        return new Progress() {
            @Override
            public void update(final long done, final long total, final Map<String, Double> metrics) {
                updates.update(done, total, metrics);
            }

            @Override
            public boolean stopRequested() {
                return stop.getAsBoolean();
            }
        };
    }
}
