package org.neurode.models.experiment;

/**
 * The state of a run that {@link Checkpoints} receive. Each experiment's run class implements it and has its own
 * accessors to the state it saves.
 *
 * @since 0.2
 */
public interface Checkpointable {

    /** @return units of work done so far (the experiment's unit: patterns, training sequences) */
    long done();
}
