package org.neurode.models.tasks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;

/**
 * Fashion-MNIST: the subset the module ships ({@link FashionMnist#bundledSubset()}), the full files of the Debian
 * package dataset-fashion-mnist when it is installed, and the messages when the data are not there.
 *
 * <p>The expected labels, pixels and counts were read from the Debian package's files
 * (/usr/share/datasets/fashion-mnist, version 0.0~git20200523.55506a9-1) with Python's gzip module, a reader
 * independent of {@link IdxFiles}.
 */
class FashionMnistTest {

    /**
     * Images per class in the first 1,000 training images, labels 0 to 9 (Python's Counter over bytes 8 to 1007
     * of train-labels-idx1-ubyte): not balanced, 86 to 115, and all ten classes present.
     */
    private static final int[] SUBSET_TRAIN_COUNTS = {107, 104, 86, 92, 95, 100, 100, 115, 102, 99};
    /** The same for the first 500 test images (bytes 8 to 507 of t10k-labels-idx1-ubyte): 39 to 65. */
    private static final int[] SUBSET_TEST_COUNTS = {55, 52, 65, 46, 57, 39, 47, 47, 44, 48};

    @Test
    void bundledSubsetHasTheFirstImagesOfBothParts() {
        // GIVEN / WHEN the subset is read from the class path
        final FashionMnist.Split subset = FashionMnist.bundledSubset();
        final ImageSet train = subset.train();
        final ImageSet test = subset.test();
        // THEN it holds 1,000 and 500 images of 28 x 28 in 10 classes
        assertEquals(1_000, train.size());
        assertEquals(500, test.size());
        for (final ImageSet set : new ImageSet[] {train, test}) {
            assertEquals(28, set.rows());
            assertEquals(28, set.cols());
            assertEquals(784, set.pixels());
            assertEquals(10, set.classes());
        }
        // AND its class counts are those of the first labels of the full files, summing to the sizes, none zero
        assertArrayEquals(SUBSET_TRAIN_COUNTS, train.classCounts());
        assertArrayEquals(SUBSET_TEST_COUNTS, test.classCounts());
        assertEquals(1_000, Arrays.stream(train.classCounts()).sum());
        assertEquals(500, Arrays.stream(test.classCounts()).sum());
        assertTrue(Arrays.stream(train.classCounts()).allMatch(c -> c > 0));
        assertTrue(Arrays.stream(test.classCounts()).allMatch(c -> c > 0));
    }

    @Test
    void bundledSubsetHasTheKnownFirstAndLastImages() {
        // GIVEN the subset
        final FashionMnist.Split subset = FashionMnist.bundledSubset();
        final ImageSet train = subset.train();
        final ImageSet test = subset.test();
        // THEN the first training image is an ankle boot (label 9, byte 8 of train-labels-idx1-ubyte)
        assertEquals(9, train.label(0));
        assertEquals("Ankle boot", FashionMnist.CLASS_NAMES.get(train.label(0)));
        // AND its pixels are the file's: the first non-zero pixel is 1 at row 3, column 12 (byte 16 + 96); the
        // brightest, 255, is at row 14, column 25 (pixel 417); the centre (14, 14) is 217; the 784 pixels sum to
        // 76,247 (a pixel off by one or shifted by an image would change the sum)
        assertEquals(0, train.pixel(0, 95));
        assertEquals(1, train.pixel(0, 96));
        assertEquals(255, train.pixel(0, 417));
        assertEquals(217, train.pixel(0, 14 * 28 + 14));
        assertEquals(76_247, sum(train, 0));
        // AND the last training image of the subset (999) is a bag (8) with a sum of 69,838; the first test image
        // an ankle boot (9), 33,456; the last (499) a T-shirt/top (0), 70,958
        assertEquals(8, train.label(999));
        assertEquals(69_838, sum(train, 999));
        assertEquals(9, test.label(0));
        assertEquals(33_456, sum(test, 0));
        assertEquals(0, test.label(499));
        assertEquals(70_958, sum(test, 499));
    }

    @Test
    void imageIsScaledToOneWithoutAllocating() {
        // GIVEN the first training image and an array for it
        final ImageSet train = FashionMnist.bundledSubset().train();
        final double[] x = new double[train.pixels()];
        // WHEN it is written scaled
        train.image(0, x);
        // THEN each entry is pixel / 255 exactly (0 -> 0, 255 -> 1, 217 -> 217 / 255)
        assertEquals(0.0, x[0], 0.0);
        assertEquals(1.0, x[417], 0.0);
        assertEquals(217 / 255.0, x[14 * 28 + 14], 0.0);
        double s = 0;
        for (final double v : x) {
            s += v;
        }
        assertEquals(76_247 / 255.0, s, 1e-9);
        // AND writing 100,000 images after warm-up allocates nothing: under 1 KB in the quietest of up to 10 such
        // windows (the slack is for the measurement; the JIT, compiling the loop on the stack, allocated about
        // 2 KB in a first window once; one allocation per call, 16 bytes at least, would be 1.6 MB in each)
        for (int k = 0; k < 20_000; k++) {
            train.image(k % train.size(), x);
        }
        long fewest = Long.MAX_VALUE;
        for (int w = 0; w < 10 && fewest >= 1024; w++) {
            final long before = allocatedBytes();
            for (int k = 0; k < 100_000; k++) {
                train.image(k % train.size(), x);
            }
            fewest = Math.min(fewest, allocatedBytes() - before);
        }
        assertTrue(fewest < 1024, "allocated " + fewest + " bytes");
    }

    @Test
    void classNamesFollowTheLabels() {
        // GIVEN / WHEN / THEN the names of the data set's README, by label
        assertEquals(10, FashionMnist.CLASS_NAMES.size());
        assertEquals("T-shirt/top", FashionMnist.CLASS_NAMES.get(0));
        assertEquals("Sandal", FashionMnist.CLASS_NAMES.get(5));
        assertEquals("Ankle boot", FashionMnist.CLASS_NAMES.get(9));
    }

    @Test
    void fullTrainingSetFromTheDebianPackage() throws IOException {
        // GIVEN the Debian package's files (skipped only when the package is not installed)
        assumeTrue(Files.isDirectory(FashionMnist.DEFAULT_FOLDER), "dataset-fashion-mnist is not installed");
        // WHEN the training set is read
        final ImageSet train = FashionMnist.train(FashionMnist.DEFAULT_FOLDER);
        // THEN it has 60,000 images of 28 x 28, 6,000 per class (the data set's README)
        assertEquals(60_000, train.size());
        assertEquals(28, train.rows());
        assertEquals(28, train.cols());
        final int[] perClass = new int[10];
        Arrays.fill(perClass, 6_000);
        assertArrayEquals(perClass, train.classCounts());
        // AND its first label is 9 in the file's own bytes (read here with the JDK alone), as in the subset
        assertEquals(9, firstLabel(FashionMnist.DEFAULT_FOLDER.resolve("train-labels-idx1-ubyte.gz")));
        assertEquals(9, train.label(0));
        // AND its first 1,000 images and labels are the bundled ones, byte for byte
        assertSameImages(train.first(1_000), FashionMnist.bundledSubset().train());
        // AND the image after them differs from the last bundled one (a trouser, 1, summing to 35,643)
        assertEquals(1, train.label(1_000));
        assertEquals(35_643, sum(train, 1_000));
    }

    @Test
    void fullTestSetFromTheDebianPackage() throws IOException {
        // GIVEN the Debian package's files (skipped only when the package is not installed)
        assumeTrue(Files.isDirectory(FashionMnist.DEFAULT_FOLDER), "dataset-fashion-mnist is not installed");
        // WHEN the test set is read
        final ImageSet test = FashionMnist.test(FashionMnist.DEFAULT_FOLDER);
        // THEN it has 10,000 images of 28 x 28, 1,000 per class (the data set's README)
        assertEquals(10_000, test.size());
        assertEquals(28, test.rows());
        assertEquals(28, test.cols());
        final int[] perClass = new int[10];
        Arrays.fill(perClass, 1_000);
        assertArrayEquals(perClass, test.classCounts());
        // AND its first label is 9 in the file's own bytes, and its first 500 images are the bundled ones
        assertEquals(9, firstLabel(FashionMnist.DEFAULT_FOLDER.resolve("t10k-labels-idx1-ubyte.gz")));
        assertSameImages(test.first(500), FashionMnist.bundledSubset().test());
    }

    @Test
    void missingFolderNamesThePathAndThePackage(@TempDir final Path dir) {
        // GIVEN a folder that does not exist
        final Path nowhere = dir.resolve("nowhere");
        // WHEN the training set is read from it
        final OdeException e = assertThrows(OdeException.class, () -> FashionMnist.train(nowhere));
        // THEN the message names the folder, the Debian package and its folder, and the files to provide
        assertEquals(ErrorCode.DATA_SET, e.code());
        final String m = e.getMessage();
        assertTrue(m.startsWith("Fashion-MNIST not found: " + nowhere + " does not exist"), m);
        assertTrue(m.contains("dataset-fashion-mnist"), m);
        assertTrue(m.contains("/usr/share/datasets/fashion-mnist"), m);
        assertTrue(m.contains("--data"), m);
        assertTrue(m.contains("train-images-idx3-ubyte.gz"), m);
        assertTrue(m.contains("t10k-labels-idx1-ubyte.gz"), m);
    }

    @Test
    void missingFileNamesTheFileAndThePackage(@TempDir final Path dir) throws IOException {
        // GIVEN a folder with the test images but not their labels
        copyResource("t10k-images-idx3-ubyte.gz", dir.resolve("t10k-images-idx3-ubyte.gz"), false);
        // WHEN the test set is read from it
        final OdeException e = assertThrows(OdeException.class, () -> FashionMnist.test(dir));
        // THEN the message names the missing file (both its names) and the package
        final String m = e.getMessage();
        assertTrue(m.startsWith("Fashion-MNIST not found: " + dir.resolve("t10k-labels-idx1-ubyte.gz")
                + " does not exist (nor t10k-labels-idx1-ubyte)"), m);
        assertTrue(m.contains("install the Debian package dataset-fashion-mnist"), m);
        // AND a folder without any file names the first one it needs, the images
        final Path empty = Files.createDirectory(dir.resolve("empty"));
        final String m2 = assertThrows(OdeException.class, () -> FashionMnist.train(empty)).getMessage();
        assertTrue(m2.contains(empty.resolve("train-images-idx3-ubyte.gz").toString()), m2);
    }

    @Test
    void uncompressedFilesAreReadAlike(@TempDir final Path dir) throws IOException {
        // GIVEN the bundled training files decompressed, under the names without .gz
        copyResource("train-images-idx3-ubyte.gz", dir.resolve("train-images-idx3-ubyte"), true);
        copyResource("train-labels-idx1-ubyte.gz", dir.resolve("train-labels-idx1-ubyte"), true);
        // WHEN the training set is read from the folder
        final ImageSet raw = FashionMnist.train(dir);
        // THEN it is the bundled one
        assertSameImages(raw, FashionMnist.bundledSubset().train());
    }

    @Test
    void imagesOfAnotherSizeAreRefused(@TempDir final Path dir) throws IOException {
        // GIVEN valid IDX files of two 2 x 3 images
        IdxFilesTest.write(dir.resolve("train-images-idx3-ubyte.gz"),
                IdxFilesTest.idx(IdxFiles.IMAGES_MAGIC, new int[] {2, 2, 3}, new byte[12]), true);
        IdxFilesTest.write(dir.resolve("train-labels-idx1-ubyte.gz"),
                IdxFilesTest.idx(IdxFiles.LABELS_MAGIC, new int[] {2}, new byte[2]), true);
        // WHEN / THEN Fashion-MNIST refuses them, naming the file and both sizes
        final String m = assertThrows(OdeException.class, () -> FashionMnist.train(dir)).getMessage();
        assertTrue(m.contains(dir.resolve("train-images-idx3-ubyte.gz").toString()), m);
        assertTrue(m.contains("2 x 3") && m.contains("28 x 28"), m);
    }

    /** Same size, labels and pixels. */
    static void assertSameImages(final ImageSet expected, final ImageSet actual) {
        assertEquals(expected.size(), actual.size());
        assertEquals(expected.rows(), actual.rows());
        assertEquals(expected.cols(), actual.cols());
        assertEquals(expected.classes(), actual.classes());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.label(i), actual.label(i), "label " + i);
            for (int p = 0; p < expected.pixels(); p++) {
                if (expected.pixel(i, p) != actual.pixel(i, p)) {
                    assertEquals(expected.pixel(i, p), actual.pixel(i, p), "image " + i + ", pixel " + p);
                }
            }
        }
    }

    private static int sum(final ImageSet set, final int i) {
        int s = 0;
        for (int p = 0; p < set.pixels(); p++) {
            s += set.pixel(i, p);
        }
        return s;
    }

    /** Byte 8 of a gzip IDX label file, read with the JDK alone. */
    private static int firstLabel(final Path labels) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(labels))) {
            final byte[] head = in.readNBytes(9);
            assertArrayEquals(new byte[] {0, 0, 8, 1}, Arrays.copyOf(head, 4));
            return head[8] & 0xff;
        }
    }

    private static void copyResource(final String name, final Path to, final boolean decompress) throws IOException {
        try (InputStream in = FashionMnist.class.getResourceAsStream(FashionMnist.SUBSET_RESOURCES + name)) {
            assertTrue(in != null, name);
            Files.write(to, decompress ? new GZIPInputStream(in).readAllBytes() : in.readAllBytes());
        }
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getThreadAllocatedBytes(Thread.currentThread().getId());
    }
}
