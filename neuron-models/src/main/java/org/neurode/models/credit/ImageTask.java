package org.neurode.models.credit;

import java.util.Arrays;

import org.neurode.models.tasks.FashionMnist;
import org.neurode.models.tasks.ImageSet;
import org.neurode.models.tasks.RandomStreams;

/**
 * Image classification (Fashion-MNIST, or any {@link ImageSet}) as a task of the comparison. The training set's
 * last {@code validation} images are held out for validation (the learning-rate scan chooses on them, as the
 * dendritic-microcircuit paper split MNIST 55,000 / 5,000 / 10,000); the others are presented in a new random order
 * every epoch, the order a function of (seed, epoch) alone. Inputs are pixel / 255; targets one-hot; the error is the
 * fraction misclassified. The student has logistic hidden layers (the units of the microcircuit's and burstprop's
 * MNIST networks) and a softmax output trained on the cross-entropy; weights start U(-1, 1) / sqrt(fan-in) and fixed
 * feedback matrices U(-0.05, 0.05), on the scale of the forward weights of a 500-unit layer.
 *
 * @since 0.1
 */
public final class ImageTask implements Task {

    private static final long ORDER = 17;

    private final String name;
    private final long seed;
    private final ImageSet train;
    private final ImageSet test;
    private final int trainSize;
    private final int validation;
    private final LayeredNetwork.Config student;
    private final int[] order;
    private long epoch = -1;

    /**
     * @param name       the task's name
     * @param seed       seed of the presentation order
     * @param train      training images (the last {@code validation} are held out)
     * @param test       test images
     * @param validation images held out of the training set for validation
     * @param hidden     hidden layer sizes, e.g. {500} or {500, 500}
     * @param eta        backprop's learning rate (every layer)
     * @throws IllegalArgumentException naming the field at fault
     */
    public ImageTask(final String name, final long seed, final ImageSet train, final ImageSet test,
                     final int validation, final int[] hidden, final double eta) {
        if (validation < 1 || validation >= train.size()) {
            throw new IllegalArgumentException("validation = " + validation + " images: between 1 and "
                    + (train.size() - 1) + " needed");
        }
        if (test.pixels() != train.pixels() || test.classes() != train.classes()) {
            throw new IllegalArgumentException("test: its images (" + test.pixels() + " pixels, " + test.classes()
                    + " classes) are not like the training images (" + train.pixels() + ", " + train.classes() + ")");
        }
        this.name = name;
        this.seed = seed;
        this.train = train;
        this.test = test;
        this.trainSize = train.size() - validation;
        this.validation = validation;
        final int[] sizes = new int[hidden.length + 2];
        sizes[0] = train.pixels();
        System.arraycopy(hidden, 0, sizes, 1, hidden.length);
        sizes[sizes.length - 1] = train.classes();
        final double[] rates = new double[sizes.length - 1];
        Arrays.fill(rates, eta);
        this.student = new LayeredNetwork.Config(sizes, Activation.LOGISTIC, Activation.LINEAR,
                LayeredNetwork.Loss.SOFTMAX_CROSS_ENTROPY, Feedback.BACKPROP, rates, 1.0, true, 0.05, true);
        this.order = new int[trainSize];
    }

    private ImageTask(final ImageTask other) {
        this.name = other.name;
        this.seed = other.seed;
        this.train = other.train;
        this.test = other.test;
        this.trainSize = other.trainSize;
        this.validation = other.validation;
        this.student = other.student;
        this.order = new int[trainSize];
    }

    /**
     * Fashion-MNIST (Xiao, Rasul and Vollgraf 2017) from a folder of IDX files: 55,000 training, 5,000 validation and
     * 10,000 test images, a 784-(hidden)-10 student with backprop's rate 0.02.
     *
     * @param seed   seed of the presentation order
     * @param train  the 60,000 training images ({@link FashionMnist#train})
     * @param test   the 10,000 test images ({@link FashionMnist#test})
     * @param hidden hidden layer sizes
     * @return the task
     */
    public static ImageTask fashionMnist(final long seed, final ImageSet train, final ImageSet test,
                                         final int[] hidden) {
        return new ImageTask("fashion-mnist", seed, train, test, train.size() / 12, hidden, 0.02);
    }

    /**
     * The Fashion-MNIST subset bundled with neurode ({@link FashionMnist#bundledSubset}: 1,000 training images of
     * which 100 validate, 500 test images), for tests and quick runs, with the same student as
     * {@link #fashionMnist}.
     *
     * @param seed   seed of the presentation order
     * @param hidden hidden layer sizes
     * @return the task
     */
    public static ImageTask fashionMnistSubset(final long seed, final int[] hidden) {
        final FashionMnist.Split s = FashionMnist.bundledSubset();
        return new ImageTask("fashion-mnist-subset", seed, s.train(), s.test(), 100, hidden, 0.02);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int inputs() {
        return train.pixels();
    }

    @Override
    public int outputs() {
        return train.classes();
    }

    @Override
    public boolean classification() {
        return true;
    }

    @Override
    public void trainingPattern(final long index, final double[] input, final double[] target) {
        final long e = index / trainSize;
        if (e != epoch) {
            shuffle(e);
        }
        image(train, order[(int) (index % trainSize)], input, target);
    }

    /** This epoch's order: a Fisher-Yates shuffle drawn from (seed, epoch). */
    private void shuffle(final long e) {
        for (int i = 0; i < trainSize; i++) {
            order[i] = i;
        }
        final java.util.SplittableRandom random = RandomStreams.of(seed, ORDER, e);
        for (int i = trainSize - 1; i > 0; i--) {
            final int j = random.nextInt(i + 1);
            final int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        epoch = e;
    }

    private static void image(final ImageSet set, final int i, final double[] input, final double[] target) {
        set.image(i, input);
        Arrays.fill(target, 0.0);
        target[set.label(i)] = 1.0;
    }

    /**
     * @return the training images presented in an epoch (the training set less the validation images)
     * @since 0.6
     */
    public int trainingSize() {
        return trainSize;
    }

    @Override
    public int testSize() {
        return test.size();
    }

    @Override
    public void testPattern(final int index, final double[] input, final double[] target) {
        image(test, index, input, target);
    }

    @Override
    public int validationSize() {
        return validation;
    }

    @Override
    public void validationPattern(final int index, final double[] input, final double[] target) {
        image(train, trainSize + index, input, target);
    }

    @Override
    public LayeredNetwork.Config network(final Feedback rule) {
        return student.withFeedback(rule);
    }

    @Override
    public Task copy() {
        return new ImageTask(this);
    }
}
