package org.neurode.core;

/**
 * Argument validation shared by the modules; each check throws an {@link OdeException} naming the
 * argument.
 *
 * @since 0.1
 */
public final class Checks {

    private Checks() {
    }

    /**
     * @param what  the argument's name, used in the message
     * @param value the value
     * @return {@code value}
     * @throws OdeException if {@code value} is NaN or infinite
     */
    public static double finite(final String what, final double value) {
        if (!Double.isFinite(value)) {
            throw new OdeException(ErrorCode.NOT_FINITE, what, value);
        }
        return value;
    }

    /**
     * @param what  the argument's name, used in the message
     * @param value the value
     * @return {@code value}
     * @throws OdeException if {@code value} is not a finite number above zero
     */
    public static double positive(final String what, final double value) {
        finite(what, value);
        if (value <= 0) {
            throw new OdeException(ErrorCode.NOT_POSITIVE, what, value);
        }
        return value;
    }

    /**
     * @param what  the argument's name, used in the message
     * @param value the value
     * @return {@code value}
     * @throws OdeException if {@code value} is not a finite number at or above zero
     */
    public static double nonNegative(final String what, final double value) {
        finite(what, value);
        if (value < 0) {
            throw new OdeException(ErrorCode.NEGATIVE, what, value);
        }
        return value;
    }

    /**
     * @param what     the array's name, used in the message
     * @param values   the array (not modified)
     * @param expected its expected length
     * @return {@code values}
     * @throws OdeException if the length differs or an element is not finite
     */
    public static double[] finiteArray(final String what, final double[] values, final int expected) {
        if (values == null || values.length != expected) {
            throw new OdeException(ErrorCode.DIMENSION_MISMATCH, what, expected,
                                   values == null ? "null" : values.length);
        }
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new OdeException(ErrorCode.NOT_FINITE, what + "[" + i + "]", values[i]);
            }
        }
        return values;
    }
}
