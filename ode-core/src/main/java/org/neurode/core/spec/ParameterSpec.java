package org.neurode.core.spec;

import java.util.Objects;

import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;

/**
 * A parameter: a constant scalar, vector or matrix (per-element constants such as drives or fixed weights),
 * never part of the integrated state.
 *
 * @param name  the name
 * @param rows  rows (1 for a scalar)
 * @param cols  columns
 * @param unit  the unit as written ({@code "1"} for dimensionless, {@code ""} if not given)
 * @param value its value
 * @since 0.3
 */
public record ParameterSpec(String name, int rows, int cols, String unit, ValueSpec value) {

    /**
     * @param name  name
     * @param rows  rows
     * @param cols  columns
     * @param unit  unit
     * @param value value
     */
    public ParameterSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(value, "value");
        if (rows <= 0 || cols <= 0) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "size of '" + name + "' must be positive but is "
                    + (cols == 1 ? Integer.toString(rows) : rows + "x" + cols));
        }
    }

    /**
     * @param name  name
     * @param value value of a scalar without a unit
     * @return the parameter
     */
    public static ParameterSpec scalar(final String name, final double value) {
        return new ParameterSpec(name, 1, 1, "", ValueSpec.Values.of(value));
    }
}
