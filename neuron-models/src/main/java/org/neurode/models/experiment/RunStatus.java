package org.neurode.models.experiment;

/**
 * How a run ended.
 *
 * @since 0.2
 */
public enum RunStatus {
    /** All the work was done. */
    SUCCESS,
    /** The integration or the training blew up; the result holds what was computed up to then. */
    FAILED,
    /** {@link Progress#stopRequested()} ended the run early; its state went to {@link Checkpoints}. */
    INTERRUPTED
}
