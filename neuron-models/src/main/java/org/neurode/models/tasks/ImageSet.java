package org.neurode.models.tasks;

import java.util.Arrays;

import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;

/**
 * A labelled set of grey-scale images of one size, such as Fashion-MNIST ({@link FashionMnist}): n images of
 * rows x cols unsigned-byte pixels (0 = background, 255 = full intensity), row-major, stored compactly in one
 * {@code byte[]} (60,000 images of 28 x 28 take 47 MB; as {@code double}s they would take 376 MB), with an
 * integer class label per image.
 *
 * <p>Immutable, so it may be shared by threads. {@link #subset(int, int)} and {@link #first(int)} share the
 * pixel and label arrays instead of copying them. {@link #image(int, double[])} and the other accessors do not
 * allocate.
 *
 * @since 0.5
 */
public final class ImageSet {

    private final byte[] pixels;
    private final byte[] labels;
    private final int start;
    private final int size;
    private final int rows;
    private final int cols;
    private final int classes;

    private ImageSet(final byte[] pixels, final byte[] labels, final int start, final int size, final int rows,
                     final int cols, final int classes) {
        this.pixels = pixels;
        this.labels = labels;
        this.start = start;
        this.size = size;
        this.rows = rows;
        this.cols = cols;
        this.classes = classes;
    }

    /**
     * An image set from its pixels and labels (both copied).
     *
     * @param rows    rows of an image (pixels), positive
     * @param cols    columns of an image (pixels), positive
     * @param classes number of classes, 1 to 256; the labels are 0 to {@code classes - 1}
     * @param pixels  the pixels as unsigned bytes, image after image, each row-major (not modified;
     *                {@code labels.length * rows * cols} of them)
     * @param labels  the class of each image (not modified)
     * @return the set
     * @throws OdeException if a size is not positive, the lengths do not fit or a label is outside
     *                      0 to {@code classes - 1}
     */
    public static ImageSet of(final int rows, final int cols, final int classes, final byte[] pixels,
                              final int[] labels) {
        final byte[] compact = new byte[labels.length];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new OdeException(ErrorCode.INDEX_OUT_OF_RANGE, "label of image " + i + " (the classes)",
                        labels[i], classes);
            }
            compact[i] = (byte) labels[i];
        }
        return wrap(rows, cols, classes, pixels.clone(), compact);
    }

    /**
     * An image set over the given arrays without copying them (for {@link IdxFiles}, which checked the labels).
     *
     * @param pixels unsigned-byte pixels (kept; nobody may modify them afterwards)
     * @param labels labels as unsigned bytes, each below {@code classes} (kept; likewise)
     */
    static ImageSet wrap(final int rows, final int cols, final int classes, final byte[] pixels,
                         final byte[] labels) {
        if (rows <= 0) {
            throw new OdeException(ErrorCode.NOT_POSITIVE, "image rows", rows);
        }
        if (cols <= 0) {
            throw new OdeException(ErrorCode.NOT_POSITIVE, "image columns", cols);
        }
        if (classes <= 0 || classes > 256) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT,
                    "the number of classes must be 1 to 256 (a label is one byte) but is " + classes);
        }
        if ((long) labels.length * rows * cols != pixels.length) {
            throw new OdeException(ErrorCode.DIMENSION_MISMATCH,
                    "the pixels of " + labels.length + " images of " + rows + " x " + cols,
                    (long) labels.length * rows * cols, pixels.length);
        }
        return new ImageSet(pixels, labels, 0, labels.length, rows, cols, classes);
    }

    /** @return the number of images */
    public int size() {
        return size;
    }

    /** @return the pixels of one image, {@code rows() * cols()} */
    public int pixels() {
        return rows * cols;
    }

    /** @return rows of an image (pixels) */
    public int rows() {
        return rows;
    }

    /** @return columns of an image (pixels) */
    public int cols() {
        return cols;
    }

    /** @return the number of classes; labels are 0 to {@code classes() - 1} */
    public int classes() {
        return classes;
    }

    /**
     * The class of one image.
     *
     * @param i the image, 0 to {@code size() - 1}
     * @return its label, 0 to {@code classes() - 1}
     */
    public int label(final int i) {
        check(i);
        return labels[start + i] & 0xff;
    }

    /**
     * One pixel as stored.
     *
     * @param i     the image, 0 to {@code size() - 1}
     * @param pixel the pixel, row-major: {@code row * cols() + col}
     * @return its value, 0 to 255
     */
    public int pixel(final int i, final int pixel) {
        check(i);
        if (pixel < 0 || pixel >= rows * cols) {
            throw new OdeException(ErrorCode.INDEX_OUT_OF_RANGE, "pixels of an image", pixel, rows * cols);
        }
        return pixels[(start + i) * rows * cols + pixel] & 0xff;
    }

    /**
     * Writes one image scaled to [0, 1] (pixel / 255) into a caller array; allocates nothing.
     *
     * @param i   the image, 0 to {@code size() - 1}
     * @param out the image, row-major (modified: its first {@code pixels()} entries; at least that long)
     */
    public void image(final int i, final double[] out) {
        check(i);
        final int n = rows * cols;
        if (out.length < n) {
            throw new OdeException(ErrorCode.DIMENSION_MISMATCH, "the array for an image", n, out.length);
        }
        final int base = (start + i) * n;
        for (int p = 0; p < n; p++) {
            out[p] = (pixels[base + p] & 0xff) / 255.0;
        }
    }

    /**
     * The images {@code from} (inclusive) to {@code to} (exclusive), sharing this set's arrays.
     *
     * @param from the first image
     * @param to   one past the last image, {@code from} to {@code size()}
     * @return the subset, with image 0 being this set's image {@code from}
     */
    public ImageSet subset(final int from, final int to) {
        if (from < 0 || from > size) {
            throw new OdeException(ErrorCode.INDEX_OUT_OF_RANGE, "start of a subset of the images", from, size);
        }
        if (to < from || to > size) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "the end of a subset of the images must be "
                    + from + " to " + size + " but is " + to);
        }
        return new ImageSet(pixels, labels, start + from, to - from, rows, cols, classes);
    }

    /**
     * The first n images, sharing this set's arrays.
     *
     * @param n the number of images, 0 to {@code size()}
     * @return the subset
     */
    public ImageSet first(final int n) {
        return subset(0, n);
    }

    /** @return the number of images of each class (a new array of {@code classes()} entries) */
    public int[] classCounts() {
        final int[] counts = new int[classes];
        for (int i = start; i < start + size; i++) {
            counts[labels[i] & 0xff]++;
        }
        return counts;
    }

    /** @return a short description: size, image size and class counts */
    @Override
    public String toString() {
        return size + " images of " + rows + " x " + cols + ", " + classes + " classes "
                + Arrays.toString(classCounts());
    }

    private void check(final int i) {
        if (i < 0 || i >= size) {
            throw new OdeException(ErrorCode.INDEX_OUT_OF_RANGE, "images", i, size);
        }
    }
}
