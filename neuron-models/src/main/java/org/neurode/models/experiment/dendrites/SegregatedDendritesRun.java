package org.neurode.models.experiment.dendrites;

import java.util.ArrayList;
import java.util.List;

import org.neurode.models.credit.SpikingSegregatedDendrites;
import org.neurode.models.experiment.Checkpointable;

/**
 * One configuration of a spiking segregated-dendrite run ({@link SegregatedDendritesExperiment}) as its
 * checkpoints see it: the learner, the examples done, the curve so far and the training time. The experiment hands
 * it to {@link org.neurode.models.experiment.Checkpoints#save} on the configuration's own thread (configurations run
 * in parallel, so a receiver of several configurations is called from several threads, each with its own run).
 * {@link #saved()} is what a resumed run needs ({@link SegregatedDendritesExperiment#run(
 * SegregatedDendritesExperiment.Prepared, java.util.Map, org.neurode.models.experiment.Progress,
 * org.neurode.models.experiment.Checkpoints)}).
 *
 * @since 0.7
 */
public final class SegregatedDendritesRun implements Checkpointable {

    /**
     * The state of a configuration, to continue it.
     *
     * @param config       the configuration's name ({@link SegregatedDendritesResult.Configuration#config})
     * @param done         training examples done
     * @param curve        the learning curve so far
     * @param trainSeconds wall time spent training so far (s)
     * @param learner      the learner's state ({@link SpikingSegregatedDendrites#state}: weights, biases, examples)
     */
    public record Saved(String config, long done, List<SegregatedDendritesResult.CurvePoint> curve,
                        double trainSeconds, double[] learner) {
    }

    private final String config;
    private final SpikingSegregatedDendrites learner;
    private final List<SegregatedDendritesResult.CurvePoint> curve = new ArrayList<>();
    private long done;
    private double trainSeconds;

    SegregatedDendritesRun(final String config, final SpikingSegregatedDendrites learner) {
        this.config = config;
        this.learner = learner;
    }

    /** @return the configuration's name, e.g. {@code random-500} */
    public String config() {
        return config;
    }

    /** @return training examples done */
    @Override
    public long done() {
        return done;
    }

    /** @return the learning curve so far (a copy) */
    public List<SegregatedDendritesResult.CurvePoint> curve() {
        return List.copyOf(curve);
    }

    /** @return wall time spent training so far, earlier sessions included (s; not reproducible) */
    public double trainSeconds() {
        return trainSeconds;
    }

    /** @return the learner's state, a new array ({@link SpikingSegregatedDendrites#state}) */
    public double[] learnerState() {
        return learner.state();
    }

    /** @return everything to continue this configuration */
    public Saved saved() {
        return new Saved(config, done, curve(), trainSeconds, learner.state());
    }

    SpikingSegregatedDendrites learner() {
        return learner;
    }

    List<SegregatedDendritesResult.CurvePoint> points() {
        return curve;
    }

    void restore(final Saved s) {
        learner.restore(s.learner());
        curve.addAll(s.curve());
        done = s.done();
        trainSeconds = s.trainSeconds();
    }

    void trained(final double seconds) {
        done++;
        trainSeconds += seconds;
    }
}
