package org.neurode.examples.io;

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
     * @throws IOException if reading fails or the length is impossible (a corrupt file)
     */
    public static double[] read(final DataInputStream in) throws IOException {
        final int n = in.readInt();
        if (n < 0 || n > MAX_LENGTH) {
            throw new IOException("corrupt array length " + n);
        }
        final double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = in.readDouble();
        }
        return values;
    }
}
