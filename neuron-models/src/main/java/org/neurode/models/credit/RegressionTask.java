package org.neurode.models.credit;

import java.util.SplittableRandom;

import org.neurode.models.Microcircuit;
import org.neurode.models.tasks.RandomStreams;
import org.neurode.models.tasks.Teacher;

/**
 * The teacher-student regression of the dendritic microcircuit (Sacramento, Costa, Bengio and Senn, NeurIPS 2018,
 * Fig. 2) as a task of the comparison: a fixed random 30-20-10 teacher r = phi(10 W21 phi(2 W10 x)) with the
 * circuit's rate function phi(u) = 0.1 softplus(u - 3) and weights U(-1, 1) ({@link Teacher}), inputs x ~ U(-1, 1)
 * used as rates directly, target rates r. The student is 30-50-10 with the same phi in every layer, no biases
 * (the paper's circuit has none), weights U(-1, 1) and fixed feedback U(-1, 1). The error is the squared error of
 * the rates averaged over the 10 outputs (the paper plots the sum, 10 times larger) on 1,000 fixed test patterns.
 * Backprop's learning rate is 10 (the rates are small: phi' is at most 0.1), as in {@code neurode regression}.
 * This task is the paper's set-up at the comparison's budget; the paper's own protocol, 10^7 noisy 100-ms patterns
 * from a random circuit, is {@code neurode regression}.
 *
 * @since 0.1
 */
public final class RegressionTask implements Task {

    private static final long TEACHER = 14;
    private static final long TRAIN = 15;
    private static final long TEST = 16;
    private static final int TEST_SIZE = 1000;

    private final long seed;
    private final Teacher teacher;
    private final LayeredNetwork.Config student;

    /**
     * @param seed task seed (teacher, patterns)
     */
    public RegressionTask(final long seed) {
        this.seed = seed;
        final Microcircuit.Config paper = Microcircuit.Config.paperRegression();
        this.teacher = Teacher.random(paper, 20, RandomStreams.of(seed, TEACHER, 0));
        final Activation phi = Activation.softplus(paper.gamma(), paper.beta(), paper.theta());
        this.student = new LayeredNetwork.Config(paper.sizes(), phi, phi, LayeredNetwork.Loss.SQUARED_ERROR,
                Feedback.BACKPROP, new double[] {10.0, 10.0}, 1.0, false, 1.0, false);
    }

    private RegressionTask(final RegressionTask other) {
        this.seed = other.seed;
        this.teacher = other.teacher.copy();
        this.student = other.student;
    }

    @Override
    public String name() {
        return "regression";
    }

    @Override
    public int inputs() {
        return teacher.inputSize();
    }

    @Override
    public int outputs() {
        return teacher.outputSize();
    }

    @Override
    public boolean classification() {
        return false;
    }

    @Override
    public void trainingPattern(final long index, final double[] input, final double[] target) {
        pattern(RandomStreams.of(seed, TRAIN, index), input, target);
    }

    @Override
    public int testSize() {
        return TEST_SIZE;
    }

    @Override
    public void testPattern(final int index, final double[] input, final double[] target) {
        pattern(RandomStreams.of(seed, TEST, index), input, target);
    }

    private void pattern(final SplittableRandom random, final double[] input, final double[] target) {
        for (int i = 0; i < input.length; i++) {
            input[i] = random.nextDouble(-1.0, 1.0);
        }
        teacher.targetRate(input, target);
    }

    @Override
    public LayeredNetwork.Config network(final Feedback rule) {
        return student.withFeedback(rule);
    }

    @Override
    public Task copy() {
        return new RegressionTask(this);
    }
}
