package org.neurode.core.units;

import java.util.Objects;

import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;

/**
 * A number with a unit as a file gives it: {@code "10 ms"}, {@code "-65 mV"}, {@code "0.12 S/cm2"},
 * {@code "1.5e-3 uS"}, {@code "20*ms"}, or a plain {@code "3"} (unit 1). A reader converts it once to the unit
 * declared for the parameter or variable ({@link #in(Unit, String)}): a parameter declared in ms and given as
 * {@code "0.01 s"} is 10. Build time only, like {@link Unit}.
 *
 * @param value the number
 * @param unit  its unit ({@link Unit#ONE} when none is written)
 * @since 0.3
 */
public record Quantity(double value, Unit unit) {

    /**
     * @param value number (finite)
     * @param unit  unit
     */
    public Quantity {
        Objects.requireNonNull(unit, "unit");
        if (!Double.isFinite(value)) {
            throw new OdeException(ErrorCode.NOT_FINITE, "a quantity", value);
        }
    }

    /**
     * Reads a number and an optional unit, separated by spaces or {@code *}.
     *
     * @param text  the quantity as written
     * @param where what the quantity is (e.g. {@code "parameter 'tau'"}), added to errors; null for nothing
     * @return the quantity
     * @throws OdeException {@link ErrorCode#UNIT_SYNTAX} naming the text and the column
     */
    public static Quantity parse(final String text, final String where) {
        int pos = 0;
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
        final int start = pos;
        if (pos < text.length() && (text.charAt(pos) == '-' || text.charAt(pos) == '+')) {
            pos++;
        }
        final int mantissa = pos;
        while (pos < text.length() && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
            pos++;
        }
        final boolean hasDigits = text.substring(mantissa, pos).chars().anyMatch(Character::isDigit);
        if (hasDigits && pos + 1 < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
            int exp = pos + 1;
            if (text.charAt(exp) == '-' || text.charAt(exp) == '+') {
                exp++;
            }
            if (exp < text.length() && Character.isDigit(text.charAt(exp))) {
                pos = exp;
                while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                    pos++;
                }
            }
        }
        final double value;
        try {
            value = hasDigits ? Double.parseDouble(text.substring(start, pos)) : Double.NaN;
        } catch (final NumberFormatException e) {
            throw new OdeException(ErrorCode.UNIT_SYNTAX, text, start + 1, message("malformed number '"
                    + text.substring(start, pos) + "'", where));
        }
        if (!Double.isFinite(value)) {
            throw new OdeException(ErrorCode.UNIT_SYNTAX, text, start + 1, message(hasDigits
                    ? "the number is not finite" : "expected a number, then a unit (as in 10 ms)", where));
        }
        int rest = pos;
        while (rest < text.length() && Character.isWhitespace(text.charAt(rest))) {
            rest++;
        }
        if (rest < text.length() && text.charAt(rest) == '*') {
            rest++;
        }
        if (text.substring(rest).isBlank()) {
            if (rest > pos && text.charAt(rest - 1) == '*') {
                throw new OdeException(ErrorCode.UNIT_SYNTAX, text, rest + 1, message("expected a unit after '*'",
                        where));
            }
            return new Quantity(value, Unit.ONE);
        }
        if (rest == pos) {
            // "10ms" is fine, "10.5.3 ms" is not: a unit starts with a letter, a parenthesis or 1/...
            final char c = text.charAt(rest);
            if (!Character.isLetter(c) && c != '(' && c != '\u00b5' && c != '\u03bc' && c != '\u03a9') {
                throw new OdeException(ErrorCode.UNIT_SYNTAX, text, rest + 1, message("unexpected '" + c
                        + "' after the number", where));
            }
        }
        final String unitText = text.substring(rest);
        final Unit u = new UnitParser(unitText, where, text, rest).parse();
        return new Quantity(value, Unit.named(u.dimension(), u.scale(), unitText.strip()));
    }

    private static String message(final String message, final String where) {
        return where == null ? message : message + " (" + where + ")";
    }

    /**
     * The number in another unit of the same dimension; a dimensionless quantity (no unit written) is taken to
     * be in the target unit already, as plain numbers for a declaration are.
     *
     * @param target the declared unit
     * @param where  what the quantity is, for the error; null for nothing
     * @return the number in the target unit ({@code value} itself when the scales are equal)
     * @throws OdeException {@link ErrorCode#UNIT_MISMATCH} if the dimensions differ, naming both units
     */
    public double in(final Unit target, final String where) {
        if (unit.isOne()) {
            return value;
        }
        return unit.convert(value, target, where);
    }

    /** @return the quantity as written: {@code 10 ms}, or the number alone when it is dimensionless */
    @Override
    public String toString() {
        return Unit.number(value) + (unit.isOne() ? "" : " " + unit);
    }
}
