package org.neurode.core.spec;

import java.util.Objects;

/**
 * A variable of a model: a state block that is integrated, or an input that equations read and experiments
 * set (piecewise constant, no equation).
 *
 * @param name    the name
 * @param kind    state or input
 * @param rows    rows (1 for a scalar, n for a vector of n elements)
 * @param cols    columns (1 for scalars and vectors)
 * @param unit    the unit as written ({@code "mV"}, {@code "1"} for dimensionless; {@code ""} if not given, which
 *                leaves the model unit-free: see {@link ModelSpec})
 * @param initial the initial value (numbers or an expression)
 * @param scale   typical magnitude in the variable's unit, for absolute tolerances (positive)
 * @since 0.3
 */
public record VariableSpec(String name, VariableKind kind, int rows, int cols, String unit, ValueSpec initial,
                           double scale) {

    /**
     * @param name    name
     * @param kind    kind
     * @param rows    rows
     * @param cols    columns
     * @param unit    unit
     * @param initial initial value
     * @param scale   tolerance scale
     */
    public VariableSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(initial, "initial");
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("size of '" + name + "' must be positive: " + rows + "x" + cols);
        }
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("tolerance scale of '" + name + "' must be positive: " + scale);
        }
    }

    /** @return the number of elements */
    public long size() {
        return (long) rows * cols;
    }
}
