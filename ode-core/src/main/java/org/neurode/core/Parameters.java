package org.neurode.core;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Immutable named parameter values (the units are those the model documents). Variants are made with
 * {@link #with(String, double)}, like DifferentialEquations.jl's {@code remake}.
 *
 * @since 0.1
 */
public final class Parameters {

    private static final Parameters EMPTY = new Parameters(new String[0], new double[0]);

    /** Above this many parameters, names are looked up in a map rather than by a scan. */
    private static final int SCAN = 16;

    private final String[] names;
    private final double[] values;
    /** Name to position, for many parameters (null for few). */
    private final Map<String, Integer> index;

    private Parameters(final String[] names, final double[] values) {
        this.names = names;
        this.values = values;
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
     * @return the parameters
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
        return new Parameters(n, v);
    }

    /**
     * Returns a copy with one value set; a new name is appended.
     *
     * @param name  parameter name
     * @param value its value (finite)
     * @return the new parameters
     */
    public Parameters with(final String name, final double value) {
        Checks.finite("parameter '" + name + "'", value);
        final int i = indexOf(name);
        if (i >= 0) {
            final double[] v = values.clone();
            v[i] = value;
            return new Parameters(names, v);
        }
        final String[] n = Arrays.copyOf(names, names.length + 1);
        final double[] v = Arrays.copyOf(values, values.length + 1);
        n[names.length] = name;
        v[values.length] = value;
        return new Parameters(n, v);
    }

    /**
     * Returns a copy with an existing value replaced.
     *
     * @param name  an existing parameter name
     * @param value its new value
     * @return the new parameters
     * @throws OdeException naming the known parameters if {@code name} is unknown
     */
    public Parameters withValue(final String name, final double value) {
        require(name);
        return with(name, value);
    }

    /**
     * @param name parameter name
     * @return its value
     * @throws OdeException naming the known parameters if {@code name} is unknown
     */
    public double get(final String name) {
        return values[require(name)];
    }

    /**
     * @param name parameter name
     * @return true if defined
     */
    public boolean has(final String name) {
        return indexOf(name) >= 0;
    }

    /** @return the names in definition order */
    public List<String> names() {
        return List.of(names);
    }

    /** @return the number of parameters */
    public int size() {
        return names.length;
    }

    /**
     * @param i position in definition order
     * @return value at that position
     */
    public double value(final int i) {
        return values[i];
    }

    /** @return a new name-to-value map in definition order */
    public Map<String, Double> asMap() {
        final Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            m.put(names[i], values[i]);
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

    @Override
    public boolean equals(final Object o) {
        return o instanceof Parameters p && Arrays.equals(names, p.names) && Arrays.equals(values, p.values);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(names) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return asMap().toString();
    }
}
