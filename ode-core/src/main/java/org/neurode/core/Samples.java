package org.neurode.core;

import java.util.Arrays;
import java.util.List;

/**
 * The samples of one {@link Recorder} after a solve: its name, the sample times and one column per recorded element
 * (state variables, inputs, named subexpressions). Immutable: the arrays are copied once at construction, getters
 * return copies.
 *
 * @since 0.5
 */
public final class Samples {

    private final String name;
    private final double[] times;
    private final String[] names;
    private final double[] data;

    /**
     * @param recording the samples (copied)
     */
    public Samples(final Recording recording) {
        this(recording.recorder().name(), recording.times(), recording.names(), recording.data());
    }

    /**
     * @param name    the recorder's name
     * @param times   sample times (copied)
     * @param columns column names (copied)
     * @param data    samples, row-major (sample by column; copied)
     */
    public Samples(final String name, final double[] times, final String[] columns, final double[] data) {
        if (data.length != times.length * columns.length) {
            throw new OdeException(ErrorCode.DIMENSION_MISMATCH, "samples of recorder '" + name + "'",
                    times.length * columns.length, data.length);
        }
        this.name = name;
        this.times = times.clone();
        this.names = columns.clone();
        this.data = data.clone();
    }

    /** @return the recorder's name */
    public String name() {
        return name;
    }

    /** @return number of samples */
    public int size() {
        return times.length;
    }

    /** @return a copy of the sample times */
    public double[] times() {
        return times.clone();
    }

    /**
     * @param k sample index
     * @return its time
     */
    public double time(final int k) {
        return times[k];
    }

    /** @return the column names in order, e.g. {@code v[0]}, {@code W[1,2]}, {@code I_syn[3]} */
    public List<String> columnNames() {
        return List.of(names);
    }

    /** @return number of columns */
    public int columns() {
        return names.length;
    }

    /**
     * @param columnName a recorded element such as {@code v[3]} or a scalar such as {@code x}
     * @return a copy of its samples
     * @throws OdeException if the recorder did not record it (naming the recorded ones)
     */
    public double[] column(final String columnName) {
        return column(indexOf(columnName));
    }

    /**
     * @param columnName a column name
     * @return its index
     * @throws OdeException if there is no such column
     */
    public int indexOf(final String columnName) {
        final String key = columnName.replace(" ", "");
        for (int j = 0; j < names.length; j++) {
            if (names[j].equals(key)) {
                return j;
            }
        }
        throw new OdeException(ErrorCode.UNKNOWN_VARIABLE, columnName, (names.length > 12
                ? String.join(", ", Arrays.copyOf(names, 12)) + ", ..." : String.join(", ", names))
                + " (recorded by '" + name + "')");
    }

    /**
     * @param j column index
     * @return a copy of its samples
     */
    public double[] column(final int j) {
        final int n = names.length;
        final double[] c = new double[times.length];
        for (int k = 0; k < c.length; k++) {
            c[k] = data[k * n + j];
        }
        return c;
    }

    /**
     * @param k sample index
     * @param j column index
     * @return the sampled value
     */
    public double value(final int k, final int j) {
        return data[k * names.length + j];
    }

    /** @return a copy of all samples, row-major (sample by column) */
    public double[] data() {
        return data.clone();
    }
}
