package org.neurode.models.tasks;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;

/**
 * Reads labelled images from IDX files, the format of LeCun, Cortes and Burges' MNIST
 * (http://yann.lecun.com/exdb/mnist/) and of Zalando's Fashion-MNIST: a big-endian 32-bit magic number whose
 * third byte is the element type (0x08, unsigned byte) and fourth the number of dimensions, then each dimension
 * size as a big-endian 32-bit integer, then the elements, row-major. Images are {@code 0x00000803}
 * (n x rows x cols), labels {@code 0x00000801} (n). A file may be gzip-compressed (recognised by the gzip magic
 * 1f 8b, whatever its name) or raw.
 *
 * <p>Every defect is an {@link OdeException} ({@link ErrorCode#DATA_SET}) naming the file and the field at fault:
 * a missing file, a wrong magic number (expected and found), a negative or zero size, data shorter or longer
 * than the header says (bytes expected and found), a corrupt gzip stream, a label outside 0 to classes - 1, or
 * image and label files of different counts. Byte offsets in messages are those of the IDX data (after
 * decompression).
 *
 * @since 0.5
 */
public final class IdxFiles {

    /** Magic number of an unsigned-byte IDX file of 3 dimensions (images: n x rows x cols). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of an unsigned-byte IDX file of 1 dimension (labels: n). */
    public static final int LABELS_MAGIC = 0x00000801;

    /** Bytes of the first allocation for the data; it doubles up to the size the header announces. */
    private static final int FIRST_CHUNK = 1 << 20;
    /** The largest data read (bytes): the largest Java array, with room for the JVM's header words. */
    private static final long MAX_DATA = Integer.MAX_VALUE - 16L;

    private IdxFiles() {
    }

    /**
     * Reads an image file and its label file.
     *
     * @param images  the images file ({@code 0x00000803} magic; gzip-compressed or raw)
     * @param labels  the labels file ({@code 0x00000801} magic; gzip-compressed or raw), as many as images
     * @param classes the number of classes, 1 to 256: labels must be 0 to {@code classes - 1}
     * @return the images and labels
     * @throws OdeException if a file is missing, unreadable or defective, or the counts differ
     */
    public static ImageSet read(final Path images, final Path labels, final int classes) {
        final Images im = readImages(images);
        final byte[] lab = readLabels(labels, classes);
        return combine(im, images.toString(), lab, labels.toString(), classes);
    }

    /**
     * Reads images and labels from streams (class-path resources, network), which are read to their end but not
     * closed.
     *
     * @param images      the images ({@code 0x00000803} magic; gzip-compressed or raw)
     * @param imagesName  the name of the images in messages (a file or resource name)
     * @param labels      the labels ({@code 0x00000801} magic; gzip-compressed or raw), as many as images
     * @param labelsName  the name of the labels in messages
     * @param classes     the number of classes, 1 to 256: labels must be 0 to {@code classes - 1}
     * @return the images and labels
     * @throws OdeException if a stream cannot be read or is defective, or the counts differ
     */
    public static ImageSet read(final InputStream images, final String imagesName, final InputStream labels,
                                final String labelsName, final int classes) {
        final Images im = readImages(images, imagesName);
        final byte[] lab = readLabels(labels, labelsName, classes);
        return combine(im, imagesName, lab, labelsName, classes);
    }

    private static ImageSet combine(final Images im, final String imagesName, final byte[] labels,
                                    final String labelsName, final int classes) {
        if (im.n() != labels.length) {
            throw error(labelsName, labels.length + " labels (bytes 4-7) but the images file " + imagesName
                    + " holds " + im.n() + " images: the two files must hold the same number of items");
        }
        return ImageSet.wrap(im.rows(), im.cols(), classes, im.pixels(), labels);
    }

    /** The content of an images file. */
    private record Images(int n, int rows, int cols, byte[] pixels) {
    }

    private static Images readImages(final Path file) {
        try (InputStream in = open(file)) {
            return readImages(in, file.toString());
        } catch (IOException e) {
            throw error(file.toString(), "cannot close: " + e.getMessage());
        }
    }

    private static byte[] readLabels(final Path file, final int classes) {
        try (InputStream in = open(file)) {
            return readLabels(in, file.toString(), classes);
        } catch (IOException e) {
            throw error(file.toString(), "cannot close: " + e.getMessage());
        }
    }

    private static InputStream open(final Path file) {
        try {
            return Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw error(file.toString(), "no such file");
        } catch (IOException e) {
            throw error(file.toString(), "cannot open: " + e.getMessage());
        }
    }

    private static Images readImages(final InputStream raw, final String name) {
        final InputStream in = decompressed(raw, name);
        magic(in, name, IMAGES_MAGIC);
        final int n = size(in, name, "number of images (bytes 4-7)", 4, false);
        final int rows = size(in, name, "number of rows (bytes 8-11)", 8, true);
        final int cols = size(in, name, "number of columns (bytes 12-15)", 12, true);
        final long bytes = (long) n * rows * cols;
        if (bytes > MAX_DATA) {
            throw error(name, n + " images of " + rows + " x " + cols + " are " + bytes
                    + " bytes, more than a Java array holds (" + MAX_DATA + ")");
        }
        final byte[] pixels = data(in, name, (int) bytes, 16,
                "the pixels of " + n + " images of " + rows + " x " + cols);
        return new Images(n, rows, cols, pixels);
    }

    private static byte[] readLabels(final InputStream raw, final String name, final int classes) {
        if (classes <= 0 || classes > 256) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT,
                    "the number of classes must be 1 to 256 (a label is one byte) but is " + classes);
        }
        final InputStream in = decompressed(raw, name);
        magic(in, name, LABELS_MAGIC);
        final int n = size(in, name, "number of labels (bytes 4-7)", 4, false);
        final byte[] labels = data(in, name, n, 8, "the labels of " + n + " items");
        for (int i = 0; i < n; i++) {
            final int label = labels[i] & 0xff;
            if (label >= classes) {
                throw error(name, "the label of item " + i + " (byte " + (8L + i) + ") is " + label
                        + "; labels must be 0 to " + (classes - 1));
            }
        }
        return labels;
    }

    /** The stream, decompressed if it starts with the gzip magic 1f 8b. */
    private static InputStream decompressed(final InputStream raw, final String name) {
        final BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        final boolean gzip;
        try {
            in.mark(2);
            gzip = in.read() == 0x1f && in.read() == 0x8b;
            in.reset();
        } catch (IOException e) {
            throw error(name, "cannot read: " + e.getMessage());
        }
        if (!gzip) {
            return in;
        }
        try {
            return new GZIPInputStream(in, 1 << 16);
        } catch (IOException e) {
            throw error(name, "not a readable gzip stream (it starts with the gzip magic 1f 8b): " + e.getMessage());
        }
    }

    private static void magic(final InputStream in, final String name, final int expected) {
        final int found = int32(in, name, "magic number (bytes 0-3)", 0);
        if (found != expected) {
            throw error(name, "the magic number (bytes 0-3) is " + hex(found) + " (" + describe(found) + ") but "
                    + hex(expected) + " (" + describe(expected) + ") was expected");
        }
    }

    private static int size(final InputStream in, final String name, final String field, final int offset,
                            final boolean positive) {
        final int value = int32(in, name, field, offset);
        if (value < 0 || positive && value == 0) {
            throw error(name, "the " + field + " is " + value + "; it must be "
                    + (positive ? "positive" : "0 or more"));
        }
        return value;
    }

    /** A big-endian 32-bit integer of the header, starting at byte {@code offset}. */
    private static int int32(final InputStream in, final String name, final String field, final int offset) {
        final byte[] b = new byte[4];
        final int got = fill(in, name, b, 0, 4, offset, "the " + field);
        if (got < 4) {
            throw error(name, "truncated: the header ends in the " + field + ", after " + (offset + got)
                    + " bytes (" + (offset + 4) + " expected at least)");
        }
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | b[3] & 0xff;
    }

    /** Reads exactly {@code bytes} bytes that start at byte {@code offset}, then checks that nothing follows. */
    private static byte[] data(final InputStream in, final String name, final int bytes, final int offset,
                               final String what) {
        byte[] buf = new byte[Math.min(bytes, FIRST_CHUNK)];
        int got = 0;
        while (got < bytes) {
            if (got == buf.length) {
                buf = Arrays.copyOf(buf, (int) Math.min(bytes, 2L * buf.length));
            }
            final int r = fill(in, name, buf, got, buf.length - got, offset + got, what);
            got += r;
            if (got < buf.length) {
                break;
            }
        }
        if (got < bytes) {
            throw error(name, "truncated: " + what + " (from byte " + offset + ") are " + bytes
                    + " bytes but only " + got + " were found (the data end at byte " + (offset + got) + ")");
        }
        final long extra;
        try {
            extra = in.transferTo(OutputStream.nullOutputStream());
        } catch (EOFException e) {
            throw error(name, "truncated: the gzip stream ends after " + what + " but before its trailer (CRC-32 and"
                    + " length, which check the data)");
        } catch (IOException e) {
            throw error(name, "cannot read after " + what + " (byte " + (offset + (long) bytes) + " on): "
                    + e.getMessage());
        }
        if (extra > 0) {
            throw error(name, extra + " bytes follow " + what + ": the header announces " + (offset + (long) bytes)
                    + " bytes in all but the data hold " + (offset + bytes + extra));
        }
        return buf;
    }

    /**
     * Reads up to {@code len} bytes, fewer only at the end of the data.
     *
     * @return the bytes read
     */
    private static int fill(final InputStream in, final String name, final byte[] b, final int off, final int len,
                            final long position, final String what) {
        int got = 0;
        try {
            while (got < len) {
                final int r = in.read(b, off + got, len - got);
                if (r < 0) {
                    break;
                }
                got += r;
            }
            return got;
        } catch (EOFException e) {
            // a gzip stream cut short: GZIPInputStream throws where a raw stream would end
            return got;
        } catch (IOException e) {
            throw error(name, "cannot read " + what + " at byte " + (position + got) + ": " + e.getMessage()
                    + " (a corrupt gzip stream?)");
        }
    }

    private static String hex(final int value) {
        return String.format(Locale.ROOT, "0x%08X", value);
    }

    /** What an IDX magic number says, for messages. */
    private static String describe(final int magic) {
        if (magic >>> 16 != 0) {
            return "not an IDX file: its first two bytes are not 0";
        }
        final String type = switch (magic >>> 8 & 0xff) {
            case 0x08 -> "unsigned bytes";
            case 0x09 -> "signed bytes";
            case 0x0B -> "16-bit integers";
            case 0x0C -> "32-bit integers";
            case 0x0D -> "32-bit floats";
            case 0x0E -> "64-bit floats";
            default -> "an unknown element type";
        };
        final int dims = magic & 0xff;
        final String shape = dims + (dims == 1 ? " dimension" : " dimensions");
        return magic == IMAGES_MAGIC ? type + ", " + shape + ": images"
                : magic == LABELS_MAGIC ? type + ", " + shape + ": labels" : type + ", " + shape;
    }

    private static OdeException error(final String file, final String message) {
        return new OdeException(ErrorCode.DATA_SET, "IDX file " + file, message);
    }
}
