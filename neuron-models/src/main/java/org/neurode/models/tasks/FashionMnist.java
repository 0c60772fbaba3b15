package org.neurode.models.tasks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;

/**
 * Fashion-MNIST (Xiao, Rasul and Vollgraf 2017, arXiv:1708.07747; https://github.com/zalandoresearch/fashion-mnist):
 * 28 x 28 grey-scale images of Zalando articles in 10 classes ({@link #CLASS_NAMES}), 60,000 for training and
 * 10,000 for testing, 6,000 and 1,000 per class, stored as MNIST's IDX files ({@link IdxFiles}). The Debian
 * package {@code dataset-fashion-mnist} installs them in {@link #DEFAULT_FOLDER}; {@link #bundledSubset()} reads the
 * first 1,000 training and 500 test images, which this module ships, from the class path. MIT licence,
 * Copyright (c) 2017 Zalando SE.
 *
 * <p>Every failure is an {@link OdeException} ({@link ErrorCode#DATA_SET}); a missing folder or file names the
 * file and the Debian package.
 *
 * @since 0.5
 */
public final class FashionMnist {

    /** Where the Debian package {@code dataset-fashion-mnist} puts the files. */
    public static final Path DEFAULT_FOLDER = Path.of("/usr/share/datasets/fashion-mnist");
    /** The Debian package with the full data set. */
    public static final String DEBIAN_PACKAGE = "dataset-fashion-mnist";

    /** Rows of an image (pixels). */
    public static final int ROWS = 28;
    /** Columns of an image (pixels). */
    public static final int COLS = 28;
    /** Number of classes. */
    public static final int CLASSES = 10;
    /** Training images of the full set. */
    public static final int TRAIN_SIZE = 60_000;
    /** Test images of the full set. */
    public static final int TEST_SIZE = 10_000;
    /** Training images of the bundled subset: the first of the training set. */
    public static final int SUBSET_TRAIN_SIZE = 1_000;
    /** Test images of the bundled subset: the first of the test set. */
    public static final int SUBSET_TEST_SIZE = 500;

    /** The name of each class, by label 0 to 9 (the data set's README). */
    public static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** Training images file, without the {@code .gz} of the compressed one. */
    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    /** Training labels file, without the {@code .gz} of the compressed one. */
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    /** Test images file, without the {@code .gz} of the compressed one. */
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    /** Test labels file, without the {@code .gz} of the compressed one. */
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

    /** The class-path folder of the bundled subset (gzip-compressed IDX files with the standard names). */
    static final String SUBSET_RESOURCES = "/org/neurode/models/tasks/fashion-mnist-subset/";

    private static final String NOT_FOUND = "Fashion-MNIST not found";

    /**
     * A training set and a test set.
     *
     * @param train the training images
     * @param test  the test images
     */
    public record Split(ImageSet train, ImageSet test) {
    }

    private FashionMnist() {
    }

    /**
     * The training set: {@code train-images-idx3-ubyte[.gz]} and {@code train-labels-idx1-ubyte[.gz]} of a
     * folder (the compressed file when both are there).
     *
     * @param folder the folder, {@link #DEFAULT_FOLDER} for the Debian package's files
     * @return its images (60,000 for the full set) of 28 x 28 with labels 0 to 9
     * @throws OdeException if the folder or a file is missing (naming it and the Debian package), or a file is
     *                      defective or not of 28 x 28 images
     */
    public static ImageSet train(final Path folder) {
        return read(folder, TRAIN_IMAGES, TRAIN_LABELS);
    }

    /**
     * The test set: {@code t10k-images-idx3-ubyte[.gz]} and {@code t10k-labels-idx1-ubyte[.gz]} of a folder
     * (the compressed file when both are there).
     *
     * @param folder the folder, {@link #DEFAULT_FOLDER} for the Debian package's files
     * @return its images (10,000 for the full set) of 28 x 28 with labels 0 to 9
     * @throws OdeException if the folder or a file is missing (naming it and the Debian package), or a file is
     *                      defective or not of 28 x 28 images
     */
    public static ImageSet test(final Path folder) {
        return read(folder, TEST_IMAGES, TEST_LABELS);
    }

    /**
     * The subset this module ships for tests and demonstrations: the first {@value #SUBSET_TRAIN_SIZE} training
     * images and the first {@value #SUBSET_TEST_SIZE} test images of Fashion-MNIST, with their labels, the
     * pixel and label bytes unchanged (all ten classes in both; see the README.md beside the files). Read from
     * the class path at each call (a few milliseconds).
     *
     * @return the training and test subsets
     * @throws OdeException if a resource is missing or defective (an incomplete jar)
     */
    public static Split bundledSubset() {
        return new Split(resource(TRAIN_IMAGES, TRAIN_LABELS), resource(TEST_IMAGES, TEST_LABELS));
    }

    private static ImageSet read(final Path folder, final String images, final String labels) {
        if (!Files.exists(folder)) {
            throw new OdeException(ErrorCode.DATA_SET, NOT_FOUND, folder + " does not exist; " + advice());
        }
        if (!Files.isDirectory(folder)) {
            throw new OdeException(ErrorCode.DATA_SET, NOT_FOUND, folder + " is not a folder; " + advice());
        }
        final Path imagesFile = file(folder, images);
        final Path labelsFile = file(folder, labels);
        return check(IdxFiles.read(imagesFile, labelsFile, CLASSES), imagesFile.toString());
    }

    /** The compressed file if it is there, else the raw one. */
    private static Path file(final Path folder, final String name) {
        final Path gz = folder.resolve(name + ".gz");
        if (Files.exists(gz)) {
            return gz;
        }
        final Path raw = folder.resolve(name);
        if (Files.exists(raw)) {
            return raw;
        }
        throw new OdeException(ErrorCode.DATA_SET, NOT_FOUND, gz + " does not exist (nor " + name + "); "
                + advice());
    }

    private static String advice() {
        return "install the Debian package " + DEBIAN_PACKAGE + " (it puts the files in " + DEFAULT_FOLDER
                + ") or pass --data (the folder argument in Java) with a folder holding " + TRAIN_IMAGES + ".gz, "
                + TRAIN_LABELS + ".gz, " + TEST_IMAGES + ".gz and " + TEST_LABELS
                + ".gz (or the same files uncompressed, without .gz)";
    }

    private static ImageSet resource(final String images, final String labels) {
        final String imagesName = SUBSET_RESOURCES + images + ".gz";
        final String labelsName = SUBSET_RESOURCES + labels + ".gz";
        try (InputStream im = open(imagesName); InputStream lab = open(labelsName)) {
            return check(IdxFiles.read(im, "class-path resource " + imagesName, lab,
                    "class-path resource " + labelsName, CLASSES), imagesName);
        } catch (IOException e) {
            throw new OdeException(ErrorCode.DATA_SET, "Fashion-MNIST subset", "cannot close a resource: "
                    + e.getMessage());
        }
    }

    private static InputStream open(final String name) {
        final InputStream in = FashionMnist.class.getResourceAsStream(name);
        if (in == null) {
            throw new OdeException(ErrorCode.DATA_SET, "Fashion-MNIST subset", "the class-path resource " + name
                    + " is missing (an incomplete neurode-neuron-models jar?)");
        }
        return in;
    }

    private static ImageSet check(final ImageSet set, final String imagesName) {
        if (set.rows() != ROWS || set.cols() != COLS) {
            throw new OdeException(ErrorCode.DATA_SET, "IDX file " + imagesName, "its images are " + set.rows()
                    + " x " + set.cols() + " but Fashion-MNIST's are " + ROWS + " x " + COLS);
        }
        return set;
    }
}
