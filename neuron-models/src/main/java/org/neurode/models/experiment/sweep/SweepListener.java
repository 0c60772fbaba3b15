package org.neurode.models.experiment.sweep;

/**
 * Receives the progress of a sweep and tells it whether to stop. Called on the runner's worker threads: an
 * implementation must be thread-safe.
 *
 * @since 0.7
 */
public interface SweepListener {

    /** Ignores everything and never stops. */
    SweepListener NONE = new SweepListener() { };

    /**
     * Before any point runs.
     *
     * @param total    points of the sweep
     * @param finished points whose results were already in the folder (skipped)
     */
    default void started(final int total, final int finished) {
    }

    /**
     * Progress within a running point.
     *
     * @param point the point
     * @param done  units of work done (the experiment's units)
     * @param total units of the whole run
     */
    default void pointProgress(final Point point, final long done, final long total) {
    }

    /**
     * A point finished and its file is written.
     *
     * @param result   its result
     * @param finished points finished so far, skipped ones included
     * @param total    points of the sweep
     */
    default void pointFinished(final PointResult result, final int finished, final int total) {
    }

    /**
     * Polled by the running points: true stops them (their results are not written; they run again when the sweep
     * is resumed) and starts no more.
     *
     * @return true to stop
     */
    default boolean stopRequested() {
        return false;
    }
}
