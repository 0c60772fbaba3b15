package org.neurode.models.credit;

import java.util.SplittableRandom;

import org.neurode.models.tasks.RandomStreams;

/**
 * Feedback alignment's imitation tasks (Lillicrap, Cownden, Tweed and Akerman, Nat. Commun. 7:13276, 2016,
 * Methods): a student learns the mapping of a fixed random teacher network from inputs x ~ N(0, I).
 * <ul>
 * <li>{@link #linear}: the teacher is a linear map T ~ U(-1, 1) (10 x 30); the student is the linear 30-20-10
 * network, forward weights U(-0.01, 0.01), feedback B ~ U(-0.5, 0.5).</li>
 * <li>{@link #nonlinear}: the teacher is a 30-20-10-10 network with tanh hidden layers and a linear output,
 * weights U(-1, 1) / sqrt(fan-in); the student has the same shape, weights U(-1, 1) / sqrt(fan-in).</li>
 * <li>{@link #scalar}: the nonlinear teacher with one output (30-20-10-1), the setting of Kickback (Balduzzi et al.
 * 2015: scalar regression with rectifier units), so that every rule can be run on one task; the student is
 * 30-20-10-1 with rectifier hidden layers.</li>
 * </ul>
 * The error is the squared error averaged over the outputs, on a fixed test set of 1,000 patterns. One learning rate
 * serves every rule of a task, chosen so that backprop learns steadily within 20,000 patterns; the rules' hidden
 * updates differ in scale at a given rate (docs/credit-assignment.md).
 *
 * @since 0.1
 */
public final class ImitationTask implements Task {

    private static final long TEACHER = 11;
    private static final long TRAIN = 12;
    private static final long TEST = 13;
    private static final int TEST_SIZE = 1000;

    private final String name;
    private final long seed;
    private final int[] teacherSizes;
    private final Activation teacherHidden;
    private final double[][] teacher;
    private final LayeredNetwork.Config student;
    private final double[][] work;

    private ImitationTask(final String name, final long seed, final int[] teacherSizes, final Activation teacherHidden,
                          final boolean fanIn, final LayeredNetwork.Config student) {
        this.name = name;
        this.seed = seed;
        this.teacherSizes = teacherSizes;
        this.teacherHidden = teacherHidden;
        this.student = student;
        final SplittableRandom random = RandomStreams.of(seed, TEACHER, 0);
        teacher = new double[teacherSizes.length][];
        work = new double[teacherSizes.length][];
        for (int k = 1; k < teacherSizes.length; k++) {
            teacher[k] = new double[teacherSizes[k] * teacherSizes[k - 1]];
            final double s = fanIn ? 1.0 / Math.sqrt(teacherSizes[k - 1]) : 1.0;
            for (int i = 0; i < teacher[k].length; i++) {
                teacher[k][i] = random.nextDouble(-s, s);
            }
            work[k] = new double[teacherSizes[k]];
        }
    }

    private ImitationTask(final ImitationTask other) {
        this.name = other.name;
        this.seed = other.seed;
        this.teacherSizes = other.teacherSizes;
        this.teacherHidden = other.teacherHidden;
        this.teacher = other.teacher;
        this.student = other.student;
        this.work = new double[teacherSizes.length][];
        for (int k = 1; k < teacherSizes.length; k++) {
            work[k] = new double[teacherSizes[k]];
        }
    }

    /**
     * @param seed task seed (teacher, patterns)
     * @return the linear 30-20-10 task
     */
    public static ImitationTask linear(final long seed) {
        final LayeredNetwork.Config student = new LayeredNetwork.Config(new int[] {30, 20, 10}, Activation.LINEAR,
                Activation.LINEAR, LayeredNetwork.Loss.SQUARED_ERROR, Feedback.BACKPROP, new double[] {2e-3, 2e-3},
                0.01, false, 0.5, false);
        return new ImitationTask("linear", seed, new int[] {30, 10}, Activation.LINEAR, false, student);
    }

    /**
     * @param seed task seed (teacher, patterns)
     * @return the nonlinear 30-20-10-10 task
     */
    public static ImitationTask nonlinear(final long seed) {
        final LayeredNetwork.Config student = new LayeredNetwork.Config(new int[] {30, 20, 10, 10}, Activation.TANH,
                Activation.LINEAR, LayeredNetwork.Loss.SQUARED_ERROR, Feedback.BACKPROP,
                new double[] {5e-3, 5e-3, 5e-3}, 1.0, true, 0.5, true);
        return new ImitationTask("nonlinear", seed, new int[] {30, 20, 10, 10}, Activation.TANH, true, student);
    }

    /**
     * @param seed task seed (teacher, patterns)
     * @return the one-output nonlinear task 30-20-10-1
     */
    public static ImitationTask scalar(final long seed) {
        final LayeredNetwork.Config student = new LayeredNetwork.Config(new int[] {30, 20, 10, 1}, Activation.RELU,
                Activation.LINEAR, LayeredNetwork.Loss.SQUARED_ERROR, Feedback.BACKPROP,
                new double[] {1e-2, 1e-2, 1e-2}, 1.0, true, 0.5, true);
        return new ImitationTask("scalar", seed, new int[] {30, 20, 10, 1}, Activation.TANH, true, student);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int inputs() {
        return teacherSizes[0];
    }

    @Override
    public int outputs() {
        return teacherSizes[teacherSizes.length - 1];
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
            input[i] = gaussian(random);
        }
        double[] below = input;
        final int layers = teacherSizes.length - 1;
        for (int k = 1; k <= layers; k++) {
            final double[] out = k == layers ? target : work[k];
            final int cols = teacherSizes[k - 1];
            for (int i = 0; i < teacherSizes[k]; i++) {
                double s = 0;
                for (int j = 0; j < cols; j++) {
                    s += teacher[k][i * cols + j] * below[j];
                }
                out[i] = k == layers ? s : teacherHidden.value(s);
            }
            below = out;
        }
    }

    /** A standard normal draw (Box-Muller with one of the pair; the stream is per pattern, so no pair is kept). */
    private static double gaussian(final SplittableRandom random) {
        final double u = 1.0 - random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    @Override
    public LayeredNetwork.Config network(final Feedback rule) {
        return student.withFeedback(rule);
    }

    @Override
    public Task copy() {
        return new ImitationTask(this);
    }
}
