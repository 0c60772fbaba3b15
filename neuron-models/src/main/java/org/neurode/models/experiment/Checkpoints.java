package org.neurode.models.experiment;

/**
 * Receives the state of a run at its checkpoint times, to save it (the command line writes it to a file from which
 * the run can be resumed with exactly the numbers of an uninterrupted one). When a checkpoint is taken is up to the
 * experiment: after a wall-clock interval ({@link #intervalSeconds}) for experiments made of many short units
 * (regression), after every epoch for epoch-based training (xor), and always at the end of a run.
 *
 * @since 0.2
 */
public interface Checkpoints {

    /** Takes no checkpoints. */
    Checkpoints NONE = at(state -> { });

    /**
     * @param save saves a state
     * @return checkpoints at the experiment's own times only (after every epoch, seed or test; none by wall-clock
     *         time)
     * @since 0.7
     */
    static Checkpoints at(final java.util.function.Consumer<Checkpointable> save) {
        return every(Double.POSITIVE_INFINITY, save);
    }

    /**
     * @param seconds wall-clock seconds between checkpoints of experiments that take them by time
     * @param save    saves a state
     * @return the checkpoints
     * @since 0.7
     */
    static Checkpoints every(final double seconds, final java.util.function.Consumer<Checkpointable> save) {
        return new Checkpoints() {
            @Override
            public double intervalSeconds() {
                return seconds;
            }

            @Override
            public void save(final Checkpointable state) {
                save.accept(state);
            }
        };
    }

    /**
     * @return seconds of wall-clock time between checkpoints of experiments that take them by time (positive;
     *         infinite for none but the last)
     */
    double intervalSeconds();

    /**
     * Saves the state. Called on the run's thread, between units of work; the run does not change while this runs.
     *
     * @param state the run (the experiment's run class, for example {@code RegressionRun} or {@code XorRun})
     */
    void save(Checkpointable state);
}
