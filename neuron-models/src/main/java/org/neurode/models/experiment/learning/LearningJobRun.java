package org.neurode.models.experiment.learning;

import java.util.List;

import org.neurode.models.credit.LearningRun;
import org.neurode.models.experiment.Checkpointable;

/**
 * A run of a comparison in progress as its checkpoints see it ({@link CompareLearning}): the job and its
 * {@link LearningRun}. Handed to {@link org.neurode.models.experiment.Checkpoints#save} at every test point before
 * the end, on the run's own thread (runs go in parallel: a receiver is called from several threads, each time with
 * another run).
 *
 * @since 0.7
 */
public final class LearningJobRun implements Checkpointable {

    /**
     * The state of an unfinished run, to continue it bit for bit.
     *
     * @param done    patterns done (a test point)
     * @param curve   the curve so far
     * @param learner the learner's state ({@link org.neurode.models.credit.Learner#state})
     */
    public record Saved(long done, List<LearningRun.Point> curve, double[] learner) {
    }

    private final LearningJob job;
    private final LearningRun run;

    LearningJobRun(final LearningJob job, final LearningRun run) {
        this.job = job;
        this.run = run;
    }

    /** @return the job */
    public LearningJob job() {
        return job;
    }

    /** @return patterns done */
    @Override
    public long done() {
        return run.done();
    }

    /** @return the curve so far (a copy) */
    public List<LearningRun.Point> curve() {
        return run.curve();
    }

    /** @return the learner's state, a new array */
    public double[] learnerState() {
        return run.learner().state();
    }

    /** @return everything to continue this run */
    public Saved saved() {
        return new Saved(run.done(), run.curve(), run.learner().state());
    }
}
