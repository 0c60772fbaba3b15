package org.neurode.models.credit;

/** Argument checks of the learners' configurations, with messages that name the field. */
final class Checks {

    private Checks() {
    }

    /**
     * @param field the field's name in the message
     * @param v     its value
     * @throws IllegalArgumentException unless v is finite and positive
     */
    static void positive(final String field, final double v) {
        if (!(v > 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(field + " = " + v + " is not a finite positive number");
        }
    }

    /**
     * @param field the field's name in the message
     * @param v     its value
     * @throws IllegalArgumentException unless v is finite and not negative
     */
    static void nonNegative(final String field, final double v) {
        if (!(v >= 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(field + " = " + v + " is not a finite non-negative number");
        }
    }
}
