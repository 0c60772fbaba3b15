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
}
