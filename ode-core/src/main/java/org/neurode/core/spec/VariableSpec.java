package org.neurode.core.spec;

import java.util.Objects;

import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;

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
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "size of '" + name + "' must be positive but is "
                    + (cols == 1 ? Integer.toString(rows) : rows + "x" + cols));
        }
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new OdeException(ErrorCode.NOT_POSITIVE, "tolerance scale of '" + name + "'", scale);
        }
    }

    /** @return the number of elements */
    public long size() {
        return (long) rows * cols;
    }

    /**
     * A state variable that starts at 0 and has tolerance scale 1.
     *
     * @param name name
     * @param rows rows (1 for a scalar)
     * @param cols columns (1 for scalars and vectors)
     * @param unit unit ({@code ""} if not given)
     * @return the variable
     */
    public static VariableSpec state(final String name, final int rows, final int cols, final String unit) {
        return new VariableSpec(name, VariableKind.STATE, rows, cols, unit, ValueSpec.Values.of(0.0), 1.0);
    }

    /**
     * An input that starts at 0.
     *
     * @param name name
     * @param rows rows (1 for a scalar)
     * @param cols columns (1 for scalars and vectors)
     * @param unit unit ({@code ""} if not given)
     * @return the input
     */
    public static VariableSpec input(final String name, final int rows, final int cols, final String unit) {
        return new VariableSpec(name, VariableKind.INPUT, rows, cols, unit, ValueSpec.Values.of(0.0), 1.0);
    }

    /**
     * @param value the initial value
     * @return a copy with that initial value
     */
    public VariableSpec withInitial(final ValueSpec value) {
        return new VariableSpec(name, kind, rows, cols, unit, value, scale);
    }

    /**
     * @param typical the tolerance scale (positive)
     * @return a copy with that scale
     */
    public VariableSpec withScale(final double typical) {
        return new VariableSpec(name, kind, rows, cols, unit, initial, typical);
    }
}
