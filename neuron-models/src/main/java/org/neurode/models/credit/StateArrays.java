package org.neurode.models.credit;

import java.util.List;

/**
 * A learner's trainable arrays packed into one state vector in a fixed order (for {@link Learner#state()} and
 * {@link Learner#restore}), so that every learner's checkpoint is its arrays end to end.
 */
final class StateArrays {

    private StateArrays() {
    }

    /**
     * @param parts the arrays, in order
     * @return their total length
     */
    static int size(final List<double[]> parts) {
        int size = 0;
        for (final double[] p : parts) {
            size += p.length;
        }
        return size;
    }

    /**
     * @param parts the arrays, in order (not modified)
     * @return a new vector holding them end to end
     */
    static double[] pack(final List<double[]> parts) {
        final double[] s = new double[size(parts)];
        int at = 0;
        for (final double[] p : parts) {
            System.arraycopy(p, 0, s, at, p.length);
            at += p.length;
        }
        return s;
    }

    /**
     * Copies a state vector back into the arrays.
     *
     * @param s       the state (not modified)
     * @param parts   the arrays, in order (modified)
     * @param learner the learner's name in the message
     * @throws IllegalArgumentException naming the state if its length is not theirs
     */
    static void unpack(final double[] s, final List<double[]> parts, final String learner) {
        final int size = size(parts);
        if (s == null || s.length != size) {
            throw new IllegalArgumentException("state: it has " + (s == null ? "no" : String.valueOf(s.length))
                    + " values, " + learner + " " + size);
        }
        int at = 0;
        for (final double[] p : parts) {
            System.arraycopy(s, at, p, 0, p.length);
            at += p.length;
        }
    }
}
