package org.neurode.models.experiment;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Length-prefixed double arrays in checkpoint files: the length as an int, then each value's exact bits, so a
 * restored run continues bit for bit.
 *
 * @since 0.2
 */
public final class BinaryArrays {

    /** Longest array a checkpoint may hold; a larger length means a corrupt file. */
    private static final int MAX_LENGTH = 100_000_000;

    private BinaryArrays() {
    }

    /**
     * @param out    destination
     * @param values the array
     * @throws IOException if writing fails
     */
    public static void write(final DataOutputStream out, final double[] values) throws IOException {
        out.writeInt(values.length);
        for (final double v : values) {
            out.writeDouble(v);
        }
    }

    /**
     * @param in source
     * @return the next array
     * @throws IOException if reading fails or the length is impossible (a corrupt file): negative, above the
     *                     limit, or longer than the bytes left
     */
    public static double[] read(final DataInputStream in) throws IOException {
        final int n = in.readInt();
        // available(): the bytes left, exact for checkpoint payloads (in memory) and for files
        if (n < 0 || n > MAX_LENGTH || (long) n * Double.BYTES > in.available()) {
            throw new IOException("corrupt: impossible array length " + n);
        }
        final double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = in.readDouble();
        }
        return values;
    }

    /**
     * Reads an array that must have a given length.
     *
     * @param in     source
     * @param length the expected length
     * @param what   the array's name in the message
     * @return the array
     * @throws IOException naming it if its length differs (a corrupt file) or reading fails
     */
    public static double[] read(final DataInputStream in, final int length, final String what) throws IOException {
        final double[] values = read(in);
        if (values.length != length) {
            throw new IOException("corrupt: " + what + " has " + values.length + " values, expected " + length);
        }
        return values;
    }

    /**
     * Reads an element count (of rows, arrays) and checks its range.
     *
     * @param in   source
     * @param max  largest valid count
     * @param what the count's name in the message
     * @return the count
     * @throws IOException naming it if it is negative or above {@code max}
     */
    public static int readCount(final DataInputStream in, final int max, final String what) throws IOException {
        final int n = in.readInt();
        if (n < 0 || n > max) {
            throw new IOException("corrupt: " + what + " is " + n + (n < 0 ? "" : ", more than " + max));
        }
        return n;
    }
}
