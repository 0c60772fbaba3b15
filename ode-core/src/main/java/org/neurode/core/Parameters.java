package org.neurode.core;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Immutable named parameter values (the units are those the model documents): scalars, and per-element
 * arrays (vectors and row-major matrices, such as fixed weights or per-neuron drives). Parameters are
 * constants of a run: they are never part of the integrated state, so they never enter error norms,
 * Jacobians or step copies (inputs that change during a run are {@link Model#inputLayout() input blocks}).
 * Variants are made with {@link #with(String, double)} and {@link #withArray}, like
 * DifferentialEquations.jl's {@code remake}.
 *
 * <p>Arrays are copied when given and when read ({@link #array}); {@link #copyArray} reads one into an array
 * of the caller's without allocating.
 *
 * @since 0.1
 */
public final class Parameters {

    private static final Parameters EMPTY = new Parameters(new String[0], new double[0], new double[0][], null,
                                                           null);

    /** Above this many parameters, names are looked up in a map rather than by a scan. */
    private static final int SCAN = 16;

    private final String[] names;
    /** Scalar values by position (NaN at the positions of arrays). */
    private final double[] values;
    /** Array values by position (null at the positions of scalars); never modified, never handed out. */
    private final double[][] arrays;
    /** Rows and columns by position (null if there is no array: all scalars). */
    private final int[] rows;
    private final int[] cols;
    /** Name to position, for many parameters (null for few). */
    private final Map<String, Integer> index;

    private Parameters(final String[] names, final double[] values, final double[][] arrays, final int[] rows,
                       final int[] cols) {
        this.names = names;
        this.values = values;
        this.arrays = arrays;
        this.rows = rows;
        this.cols = cols;
        if (names.length > SCAN) {
            final Map<String, Integer> m = new HashMap<>();
            for (int i = 0; i < names.length; i++) {
                m.putIfAbsent(names[i], i);
            }
            this.index = m;
        } else {
            this.index = null;
        }
    }

    /** @return parameters with no entries */
    public static Parameters empty() {
        return EMPTY;
    }

    /**
     * @param values name to value, in the order wanted (not modified)
     * @return the parameters (scalars)
     */
    public static Parameters of(final Map<String, Double> values) {
        // in one step (not by repeated with): linear in the number of parameters
        final String[] n = new String[values.size()];
        final double[] v = new double[values.size()];
        int i = 0;
        for (final Map.Entry<String, Double> e : values.entrySet()) {
            n[i] = e.getKey();
            v[i] = Checks.finite("parameter '" + e.getKey() + "'", e.getValue());
            i++;
        }
        return new Parameters(n, v, new double[n.length][], null, null);
    }

    /**
     * Returns a copy with one scalar value set; a new name is appended.
     *
     * @param name  parameter name
     * @param value its value (finite)
     * @return the new parameters
     * @throws OdeException if {@code name} is an array parameter
     */
    public Parameters with(final String name, final double value) {
        Checks.finite("parameter '" + name + "'", value);
        final int i = indexOf(name);
        if (i >= 0) {
            requireScalar(i);
            final double[] v = values.clone();
            v[i] = value;
            return new Parameters(names, v, arrays, rows, cols);
        }
        return appended(name, value, null, 1, 1);
    }

    /**
     * Returns a copy with one array parameter set; a new name is appended, an existing one must have the
     * same shape.
     *
     * @param name   parameter name
     * @param nRows  rows (the number of elements of a vector)
     * @param nCols  columns (1 for a vector)
     * @param values its elements, row-major (copied; finite)
     * @return the new parameters
     * @throws OdeException if the shape does not match the values or an existing parameter of that name, or a
     *                      value is not finite
     */
    public Parameters withArray(final String name, final int nRows, final int nCols, final double[] values) {
        if (nRows <= 0 || nCols <= 0) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "shape of parameter '" + name + "' must be positive "
                    + "but is " + nRows + "x" + nCols);
        }
        if ((long) nRows * nCols > Integer.MAX_VALUE - 8) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "parameter '" + name + "' (" + nRows + "x" + nCols
                    + ") has more elements than a Java array holds");
        }
        final double[] copy = Checks.finiteArray("parameter '" + name + "'", values, nRows * nCols).clone();
        final int i = indexOf(name);
        if (i < 0) {
            return appended(name, Double.NaN, copy, nRows, nCols);
        }
        if (arrays[i] == null || rows[i] != nRows || cols[i] != nCols) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "parameter '" + name + "' is " + describe(i)
                    + ", not a " + nRows + "x" + nCols + " array");
        }
        final double[][] a = arrays.clone();
        a[i] = copy;
        return new Parameters(names, this.values, a, rows, cols);
    }

    private Parameters appended(final String name, final double value, final double[] array, final int nRows,
                                final int nCols) {
        final int n = names.length;
        final String[] nn = Arrays.copyOf(names, n + 1);
        final double[] v = Arrays.copyOf(values, n + 1);
        final double[][] a = Arrays.copyOf(arrays, n + 1);
        nn[n] = name;
        v[n] = value;
        a[n] = array;
        int[] r = rows;
        int[] c = cols;
        if (array != null || r != null) {
            r = r == null ? filled(n + 1) : Arrays.copyOf(r, n + 1);
            c = c == null ? filled(n + 1) : Arrays.copyOf(c, n + 1);
            r[n] = nRows;
            c[n] = nCols;
        }
        return new Parameters(nn, v, a, r, c);
    }

    private static int[] filled(final int n) {
        final int[] a = new int[n];
        Arrays.fill(a, 1);
        return a;
    }

    /**
     * Returns a copy with an existing scalar value replaced.
     *
     * @param name  an existing scalar parameter name
     * @param value its new value
     * @return the new parameters
     * @throws OdeException naming the known parameters if {@code name} is unknown, or if it is an array
     */
    public Parameters withValue(final String name, final double value) {
        require(name);
        return with(name, value);
    }

    /**
     * Returns a copy with the elements of an existing array parameter replaced.
     *
     * @param name   an existing array parameter name
     * @param values its new elements, row-major (copied; as many as it has, finite)
     * @return the new parameters
     * @throws OdeException naming the known parameters if {@code name} is unknown; if it is a scalar or the
     *                      number of values differs
     */
    public Parameters withValue(final String name, final double[] values) {
        final int i = require(name);
        if (arrays[i] == null) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "parameter '" + name + "' is a scalar: give one "
                    + "value, not an array");
        }
        return withArray(name, rows[i], cols[i], values);
    }

    /**
     * @param name scalar parameter name
     * @return its value
     * @throws OdeException naming the known parameters if {@code name} is unknown, or if it is an array
     */
    public double get(final String name) {
        final int i = require(name);
        requireScalar(i);
        return values[i];
    }

    /**
     * @param name array parameter name
     * @return a copy of its elements (row-major)
     * @throws OdeException naming the known parameters if {@code name} is unknown, or if it is a scalar
     */
    public double[] array(final String name) {
        return arrays[requireArray(name)].clone();
    }

    /**
     * Copies the elements of an array parameter without allocating.
     *
     * @param name        array parameter name
     * @param destination receives the elements, row-major (modified)
     * @param offset      where the first one goes
     * @throws OdeException if {@code name} is unknown or a scalar
     */
    public void copyArray(final String name, final double[] destination, final int offset) {
        final double[] a = arrays[requireArray(name)];
        System.arraycopy(a, 0, destination, offset, a.length);
    }

    /**
     * @param name parameter name
     * @return true if defined (scalar or array)
     */
    public boolean has(final String name) {
        return indexOf(name) >= 0;
    }

    /**
     * @param name parameter name
     * @return true if it is an array parameter
     * @throws OdeException if {@code name} is unknown
     */
    public boolean isArray(final String name) {
        return arrays[require(name)] != null;
    }

    /**
     * @param name parameter name
     * @return its rows (1 for a scalar)
     * @throws OdeException if {@code name} is unknown
     */
    public int rows(final String name) {
        final int i = require(name);
        return rows == null ? 1 : rows[i];
    }

    /**
     * @param name parameter name
     * @return its columns (1 for scalars and vectors)
     * @throws OdeException if {@code name} is unknown
     */
    public int cols(final String name) {
        final int i = require(name);
        return cols == null ? 1 : cols[i];
    }

    /** @return the names in definition order (scalars and arrays) */
    public List<String> names() {
        return List.of(names);
    }

    /** @return the number of parameters (scalars and arrays) */
    public int size() {
        return names.length;
    }

    /**
     * @param i position in definition order
     * @return value at that position
     * @throws OdeException if it is an array parameter
     */
    public double value(final int i) {
        requireScalar(i);
        return values[i];
    }

    /** @return a new name-to-value map of the scalar parameters, in definition order */
    public Map<String, Double> asMap() {
        final Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            if (arrays[i] == null) {
                m.put(names[i], values[i]);
            }
        }
        return Collections.unmodifiableMap(m);
    }

    private int indexOf(final String name) {
        if (index != null) {
            final Integer i = index.get(name);
            return i == null ? -1 : i;
        }
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private int require(final String name) {
        final int i = indexOf(name);
        if (i < 0) {
            throw new OdeException(ErrorCode.UNKNOWN_PARAMETER, name, names.length <= 30 ? String.join(", ", names)
                    : String.join(", ", Arrays.copyOf(names, 30)) + " and " + (names.length - 30) + " more");
        }
        return i;
    }

    private int requireArray(final String name) {
        final int i = require(name);
        if (arrays[i] == null) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "parameter '" + name + "' is a scalar, not an array");
        }
        return i;
    }

    private void requireScalar(final int i) {
        if (arrays[i] != null) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "parameter '" + names[i] + "' is " + describe(i)
                    + ": give or read it as an array");
        }
    }

    /** "a 3x4 array" or "a vector of 5 elements" or "a scalar". */
    private String describe(final int i) {
        if (arrays[i] == null) {
            return "a scalar";
        }
        return cols[i] == 1 ? "a vector of " + rows[i] + " elements" : "a " + rows[i] + "x" + cols[i] + " array";
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof Parameters p && Arrays.equals(names, p.names) && Arrays.equals(values, p.values)
                && Arrays.deepEquals(arrays, p.arrays) && Arrays.equals(rows, p.rows) && Arrays.equals(cols, p.cols);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(names) + Arrays.hashCode(values)) + Arrays.deepHashCode(arrays);
    }

    @Override
    public String toString() {
        final StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < names.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(names[i]).append('=');
            if (arrays[i] == null) {
                sb.append(values[i]);
            } else {
                sb.append('[').append(rows[i]).append('x').append(cols[i]).append(']');
            }
        }
        return sb.append('}').toString();
    }
}
