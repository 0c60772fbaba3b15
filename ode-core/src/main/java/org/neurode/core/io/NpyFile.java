package org.neurode.core.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;

/**
 * Writes NumPy's binary array format ({@code .npy}, version 1.0), which {@code numpy.load} reads: little-endian
 * 8-byte floats ({@code <f8}) or 4-byte signed integers ({@code <i4}), C (row-major) order, of shape {@code (n,)}
 * or {@code (rows, cols)}. The header is padded with spaces to a multiple of 64 bytes and ends in a line feed, as
 * NumPy writes it. Files are written atomically ({@link ResultFiles}); {@link ArrayFile} reads them back.
 *
 * <p>Format: the magic string {@code \x93NUMPY}, the version bytes 1 and 0, the header length as a little-endian
 * 2-byte integer, then the header, a Python dictionary literal such as {@code {'descr': '<f8', 'fortran_order':
 * False, 'shape': (3, 2), }}, then the data (NumPy's NEP 1 "A Simple File Format for NumPy Arrays").
 *
 * @since 0.5
 */
public final class NpyFile {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
    /** Version 1.0 headers are at most 65535 bytes (2-byte length). */
    private static final int MAX_HEADER = 65535;

    private NpyFile() {
    }

    /**
     * Writes a vector of doubles, shape {@code (n,)}.
     *
     * @param file   the file (its folder must exist)
     * @param values the values (not modified)
     * @return {@code file}
     * @throws java.io.UncheckedIOException naming the file if it cannot be written
     */
    public static Path write(final Path file, final double[] values) {
        return ResultFiles.atomically(file, bytes(values, values.length, -1));
    }

    /**
     * Writes a matrix of doubles, shape {@code (rows, cols)}.
     *
     * @param file   the file (its folder must exist)
     * @param values the values, row-major (not modified)
     * @param rows   rows
     * @param cols   columns
     * @return {@code file}
     * @throws OdeException if the values are not rows x cols
     * @throws java.io.UncheckedIOException naming the file if it cannot be written
     */
    public static Path write(final Path file, final double[] values, final int rows, final int cols) {
        checkShape(file, values.length, rows, cols);
        return ResultFiles.atomically(file, bytes(values, rows, cols));
    }

    /**
     * Writes a vector of 4-byte integers, shape {@code (n,)}.
     *
     * @param file   the file (its folder must exist)
     * @param values the values (not modified)
     * @return {@code file}
     * @throws java.io.UncheckedIOException naming the file if it cannot be written
     */
    public static Path write(final Path file, final int[] values) {
        final ByteBuffer b = start("<i4", values.length, -1, 4L * values.length);
        for (final int v : values) {
            b.putInt(v);
        }
        return ResultFiles.atomically(file, b.array());
    }

    /**
     * The bytes of a {@code .npy} file of doubles.
     *
     * @param values the values, row-major
     * @param rows   rows (the length of a vector)
     * @param cols   columns, or -1 for a vector of shape {@code (rows,)}
     * @return the file's content
     */
    static byte[] bytes(final double[] values, final int rows, final int cols) {
        final ByteBuffer b = start("<f8", rows, cols, 8L * values.length);
        for (final double v : values) {
            b.putDouble(v);
        }
        return b.array();
    }

    private static void checkShape(final Path file, final int length, final int rows, final int cols) {
        if (rows < 0 || cols < 0 || (long) rows * cols != length) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "cannot write " + file + ": " + length + " values are "
                    + "not a " + rows + "x" + cols + " array");
        }
    }

    /** A little-endian buffer holding the magic string and the header, with room for the data. */
    private static ByteBuffer start(final String descr, final int rows, final int cols, final long dataBytes) {
        final String shape = cols < 0 ? "(" + rows + ",)" : "(" + rows + ", " + cols + ")";
        final StringBuilder header = new StringBuilder("{'descr': '").append(descr)
                .append("', 'fortran_order': False, 'shape': ").append(shape).append(", }");
        // magic (6) + version (2) + length (2) + header, padded with spaces so that the data starts at a multiple
        // of 64 bytes, then a line feed
        final int unpadded = MAGIC.length + 2 + header.length() + 1;
        final int padding = (64 - unpadded % 64) % 64;
        header.append(" ".repeat(padding)).append('\n');
        final byte[] text = header.toString().getBytes(StandardCharsets.US_ASCII);
        if (text.length > MAX_HEADER) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "the .npy header would have " + text.length
                    + " bytes");
        }
        final long total = MAGIC.length + 2L + text.length + dataBytes;
        if (total > Integer.MAX_VALUE - 8) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "a .npy file of " + total + " bytes is too large to "
                    + "write at once; write the array in parts");
        }
        final ByteBuffer b = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putShort((short) text.length).put(text);
        return b;
    }
}
