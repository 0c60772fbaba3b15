package org.neurode.models.credit;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

import org.neurode.models.tasks.RandomStreams;

/**
 * One learner on one task: trains on the task's pattern stream and measures the test error at fixed intervals,
 * with the angle between the learner's first-hidden-layer updates and backprop's averaged over each interval.
 * Everything is a function of (task, rule, seed): the student's forward weights come from the seed alone, so every
 * rule starts from the same weights where the shapes agree, and the patterns come from the task. A run can stop
 * after any pattern and continue from its {@link #learner()} state and {@link #done()} count.
 *
 * @since 0.1
 */
public final class LearningRun {

    /** Seed purposes of the student's initial weights and of its fixed feedback matrices. */
    private static final long STUDENT = 21;
    private static final long FEEDBACK = 22;

    /**
     * One point of a learning curve.
     *
     * @param patterns   patterns trained so far
     * @param testError  mean test error
     * @param angleDeg   mean angle (degrees) of the hidden-layer updates to backprop's since the previous point, NaN
     *                   if not defined
     */
    public record Point(long patterns, double testError, double angleDeg) {
    }

    private final Task task;
    private final Learner learner;
    private final double[] input;
    private final double[] target;
    private final double[] output;
    private final List<Point> curve = new ArrayList<>();
    private long done;
    private double angleSum;
    private long angleCount;

    /**
     * @param task    the task (this run's own copy)
     * @param learner the learner
     */
    public LearningRun(final Task task, final Learner learner) {
        if (learner.inputs() != task.inputs() || learner.outputs() != task.outputs()) {
            throw new IllegalArgumentException("the learner has " + learner.inputs() + " inputs and "
                    + learner.outputs() + " outputs, the task " + task.name() + " " + task.inputs() + " and "
                    + task.outputs());
        }
        this.task = task;
        this.learner = learner;
        this.input = new double[task.inputs()];
        this.target = new double[task.outputs()];
        this.output = new double[task.outputs()];
    }

    /**
     * The task's student network trained by a rule, started from the seed's weights.
     *
     * @param task the task
     * @param rule the rule
     * @param seed the student seed
     * @return the learner
     * @throws IllegalArgumentException if the rule does not apply to the task
     */
    public static LayeredNetwork network(final Task task, final Feedback rule, final long seed) {
        final String why = task.notApplicable(rule);
        if (why != null) {
            throw new IllegalArgumentException(why);
        }
        return new LayeredNetwork(task.network(rule), studentRandom(seed), feedbackRandom(seed));
    }

    /**
     * @param seed the student seed
     * @return a new generator of the student's initial forward weights: every rule draws them from it in the
     *         order of {@link LayeredNetwork#forwardWeights}, so they start alike where the shapes agree
     */
    public static SplittableRandom studentRandom(final long seed) {
        return RandomStreams.of(seed, STUDENT, 0);
    }

    /**
     * @param seed the student seed
     * @return a new generator of the rule's fixed feedback weights, independent of the forward weights
     */
    public static SplittableRandom feedbackRandom(final long seed) {
        return RandomStreams.of(seed, FEEDBACK, 0);
    }

    /** @return the mean test error of the learner now */
    public double testError() {
        double sum = 0;
        for (int i = 0; i < task.testSize(); i++) {
            task.testPattern(i, input, target);
            learner.predict(input, output);
            sum += task.error(output, target);
        }
        return sum / task.testSize();
    }

    /** @return the mean validation error of the learner now (NaN if a prediction is not finite) */
    public double validationError() {
        double sum = 0;
        for (int i = 0; i < task.validationSize(); i++) {
            task.validationPattern(i, input, target);
            learner.predict(input, output);
            for (final double o : output) {
                if (!Double.isFinite(o)) {
                    return Double.NaN;
                }
            }
            sum += task.error(output, target);
        }
        return sum / task.validationSize();
    }

    /**
     * Trains up to {@code patterns} patterns in all, recording a curve point every {@code every} patterns (and at
     * the start if nothing is trained yet).
     *
     * @param patterns total patterns at the end
     * @param every    test interval (patterns)
     * @param stop     polled between patterns; true stops the run early (it can be continued)
     * @return true if the run reached {@code patterns}
     */
    public boolean train(final long patterns, final long every, final BooleanSupplier stop) {
        if (done == 0 && curve.isEmpty()) {
            curve.add(new Point(0, testError(), Double.NaN));
        }
        while (done < patterns) {
            if (stop != null && stop.getAsBoolean()) {
                return false;
            }
            task.trainingPattern(done, input, target);
            learner.train(input, target);
            final double angle = learner.hiddenUpdateAngle();
            if (!Double.isNaN(angle)) {
                angleSum += angle;
                angleCount++;
            }
            done++;
            if (done % every == 0 || done == patterns) {
                curve.add(new Point(done, testError(), angleCount == 0 ? Double.NaN : angleSum / angleCount));
                angleSum = 0;
                angleCount = 0;
            }
        }
        return true;
    }

    /** @return patterns trained */
    public long done() {
        return done;
    }

    /** @return the curve so far (a copy) */
    public List<Point> curve() {
        return List.copyOf(curve);
    }

    /** @return the learner */
    public Learner learner() {
        return learner;
    }

    /**
     * Continues a run from a checkpoint: the learner's state, the patterns done and the curve so far.
     *
     * @param state    the learner's state ({@link Learner#state()})
     * @param patterns patterns done
     * @param points   the curve so far
     */
    public void resume(final double[] state, final long patterns, final List<Point> points) {
        learner.restore(state);
        done = patterns;
        curve.clear();
        curve.addAll(points);
        angleSum = 0;
        angleCount = 0;
    }
}
