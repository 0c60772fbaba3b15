package org.neurode.core.units;

import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;

/**
 * Reads a unit text, left to right:
 *
 * <pre>
 * unit     = ["per_" | "/"] factor { operator factor }
 * operator = "*" | "·" | "⋅" | "." | "/" | "_" | "_per_" | spaces (a product)
 * factor   = ( "(" unit ")" | "1" | word [digits | "-" digits] ) [superscript] [("^" | "**") exponent]
 * exponent = ["+" | "-"] number | "(" ["+" | "-"] number ["/" number] ")"
 * </pre>
 *
 * A word is a symbol or name with an optional SI prefix ({@link UnitTable#lookup}); digits right after a word
 * are a power ({@code cm2}, NMODL and NeuroML), as are superscripts ({@code cm²}, {@code s⁻¹}). Division and
 * multiplication associate to the left: {@code J/mol/K} is J per mol per K.
 */
final class UnitParser {

    private static final String SUPERSCRIPT_DIGITS = "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078"
            + "\u2079";
    private static final char SUPERSCRIPT_MINUS = '\u207b';
    private static final char MINUS_SIGN = '\u2212';

    /**
     * A unit being built. The scale may leave the range of doubles in between ({@code YV^20} is 1e480 V^20), so
     * its decimal logarithm is carried too, for the message that refuses it.
     */
    private record Part(Dimension dimension, double scale, double log10) {
        Part(final Dimension dimension, final double scale) {
            this(dimension, scale, Math.log10(scale));
        }

        Part times(final Part o) {
            return new Part(dimension.times(o.dimension), scale * o.scale, log10 + o.log10);
        }

        Part dividedBy(final Part o) {
            return new Part(dimension.dividedBy(o.dimension), scale / o.scale, log10 - o.log10);
        }

        Part power(final double p) {
            return new Part(dimension.power(p), Math.pow(scale, p), log10 * p);
        }
    }

    private static final Part ONE = new Part(Dimension.NONE, 1.0, 0.0);

    private final String text;
    private final String where;
    /** The text named in messages, and where {@link #text} starts in it. */
    private final String shown;
    private final int offset;
    private int pos;

    /**
     * @param text  the unit text
     * @param where what the unit belongs to, added to messages; null for nothing
     */
    UnitParser(final String text, final String where) {
        this(text, where, text, 0);
    }

    /**
     * A parser of a unit that is part of a longer text (the unit of a quantity, {@code "10 ms"}): messages name
     * the longer text and count columns in it.
     *
     * @param text   the unit text
     * @param where  what the unit belongs to, added to messages; null for nothing
     * @param shown  the longer text
     * @param offset where {@code text} starts in {@code shown}
     */
    UnitParser(final String text, final String where, final String shown, final int offset) {
        this.text = text;
        this.where = where;
        this.shown = shown;
        this.offset = offset;
    }

    /**
     * A unit written as a name in an expression (a unit constant, as Brian2 writes {@code 10*ms}): a symbol or
     * name with an optional SI prefix and an optional power 2 or 3 ({@code ms}, {@code mV}, {@code second},
     * {@code uS}, {@code umho}, {@code Mohm}, {@code cm2}, {@code um3}, as Brian2 names them). No operators, no
     * underscores: {@code g_L} is not gram times litre.
     *
     * @param name an identifier
     * @return the unit, or null if the name is not one
     */
    static Unit constant(final String name) {
        int letters = 0;
        while (letters < name.length() && wordChar(name.charAt(letters))) {
            letters++;
        }
        int digits = letters;
        while (digits < name.length() && digit(name.charAt(digits))) {
            digits++;
        }
        if (letters == 0 || digits != name.length() || digits - letters > 1
                || digits > letters && name.charAt(letters) != '2' && name.charAt(letters) != '3') {
            return null;
        }
        final UnitTable.Symbol s = UnitTable.lookup(name.substring(0, letters));
        if (s == null) {
            return null;
        }
        final int power = digits == letters ? 1 : Integer.parseInt(name.substring(letters));
        final Unit u = Unit.of(s.dimension(), s.scale());
        return power == 1 ? u : u.power(power);
    }

    /** @return the unit, without display text */
    Unit parse() {
        skipSpace();
        if (pos >= text.length()) {
            throw error("empty unit (write 1 for a dimensionless quantity)");
        }
        final Part p = product();
        skipSpace();
        if (pos < text.length()) {
            throw error(text.charAt(pos) == ')' ? "')' without '('" : "unexpected '" + text.charAt(pos) + "'");
        }
        if (!(p.scale >= 1e-300 && p.scale <= 1e300)) {
            pos = 0;
            throw error("the unit's scale " + Unit.powerOfTen(p.log10) + " is out of range (1e-300 to 1e300)");
        }
        return Unit.of(p.dimension, p.scale);
    }

    private OdeException error(final String message) {
        return new OdeException(ErrorCode.UNIT_SYNTAX, shown, offset + pos + 1,
                where == null ? message : message + " (" + where + ")");
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private boolean ahead(final String s) {
        return text.startsWith(s, pos);
    }

    private Part product() {
        skipSpace();
        Part acc;
        if (ahead("per_")) {
            pos += 4;
            acc = ONE.dividedBy(factor());
        } else if (ahead("/")) {
            acc = ONE;
        } else {
            acc = factor();
        }
        while (true) {
            final int before = pos;
            skipSpace();
            if (pos >= text.length()) {
                return acc;
            }
            final char c = text.charAt(pos);
            if (ahead("_per_")) {
                pos += 5;
                acc = acc.dividedBy(factor());
            } else if (c == '/') {
                pos++;
                acc = acc.dividedBy(factor());
            } else if (c == '*' || c == '\u00b7' || c == '\u22c5' || c == '.' || c == '_') {
                pos++;
                acc = acc.times(factor());
            } else if (pos > before && (wordChar(c) || c == '(')) {
                acc = acc.times(factor());
            } else {
                pos = before;
                return acc;
            }
        }
    }

    private static boolean wordChar(final char c) {
        return Character.isLetter(c) || c == '\u00b0';
    }

    private static boolean digit(final char c) {
        return c >= '0' && c <= '9';
    }

    private Part factor() {
        skipSpace();
        if (pos >= text.length()) {
            throw error("unexpected end of unit");
        }
        final int start = pos;
        final char c = text.charAt(pos);
        Part base;
        if (c == '(') {
            pos++;
            base = product();
            skipSpace();
            if (pos >= text.length() || text.charAt(pos) != ')') {
                throw error("missing ')'");
            }
            pos++;
        } else if (digit(c)) {
            while (pos < text.length() && (digit(text.charAt(pos)) || text.charAt(pos) == '.')) {
                pos++;
            }
            final String number = text.substring(start, pos);
            if (!"1".equals(number)) {
                pos = start;
                throw error("unexpected number '" + number + "': a unit has no numbers but 1 (as in 1/ms) and "
                        + "powers (cm^2)");
            }
            base = ONE;
        } else if (wordChar(c)) {
            base = word();
        } else {
            throw error("unexpected '" + c + "'");
        }
        if (pos < text.length() && (SUPERSCRIPT_DIGITS.indexOf(text.charAt(pos)) >= 0
                || text.charAt(pos) == SUPERSCRIPT_MINUS)) {
            final int at = pos;
            final boolean negative = text.charAt(pos) == SUPERSCRIPT_MINUS;
            if (negative) {
                pos++;
            }
            int n = 0;
            int digits = 0;
            while (pos < text.length() && SUPERSCRIPT_DIGITS.indexOf(text.charAt(pos)) >= 0 && digits < 6) {
                n = 10 * n + SUPERSCRIPT_DIGITS.indexOf(text.charAt(pos));
                pos++;
                digits++;
            }
            if (digits == 0) {
                pos = at;
                throw error("'\u207b' without a superscript digit after it");
            }
            base = power(base, negative ? -n : n, at);
        }
        final int beforeSpace = pos;
        skipSpace();
        if (ahead("**") || ahead("^")) {
            final int at = pos;
            pos += ahead("**") ? 2 : 1;
            base = power(base, exponent(), at);
        } else {
            pos = beforeSpace;
        }
        return base;
    }

    private Part word() {
        final int start = pos;
        while (pos < text.length() && wordChar(text.charAt(pos))) {
            pos++;
        }
        final String w = text.substring(start, pos);
        final UnitTable.Symbol s = UnitTable.lookup(w);
        if (s == null) {
            pos = start;
            if (UnitTable.CELSIUS.contains(w)) {
                throw error("'" + w + "' is not supported: Celsius starts at 273.15 K, so converting it is not a "
                        + "factor; give temperatures in K (6.3 degC is 279.45 K), or as plain numbers with unit 1");
            }
            final String hint = UnitTable.suggestion(w);
            throw error("unknown unit '" + w + "'" + (hint != null ? "; did you mean '" + hint + "'?"
                    : "; known: V A S F ohm s Hz M mol m g K C J W N Pa L with SI prefixes (mV, uS, kohm, ...), "
                    + "their names (volt, siemens, ...), 1 for none"));
        }
        Part p = new Part(s.dimension(), s.scale());
        // NMODL and NeuroML write powers as digits right after the name: cm2, um3, s-1
        final int at = pos;
        if (pos < text.length() && (digit(text.charAt(pos)) || text.charAt(pos) == '-' && pos + 1 < text.length()
                && digit(text.charAt(pos + 1)))) {
            final boolean negative = text.charAt(pos) == '-';
            if (negative) {
                pos++;
            }
            final int digitsFrom = pos;
            while (pos < text.length() && digit(text.charAt(pos))) {
                pos++;
            }
            if (pos - digitsFrom > 6) {
                pos = digitsFrom;
                throw error("power too large");
            }
            final int n = Integer.parseInt(text.substring(digitsFrom, pos));
            p = power(p, negative ? -n : n, at);
        }
        return p;
    }

    /** An exponent after ^ or **: a signed decimal, or a signed fraction in parentheses. */
    private double exponent() {
        skipSpace();
        final boolean parenthesised = ahead("(");
        if (parenthesised) {
            pos++;
            skipSpace();
        }
        double e = signedNumber();
        if (parenthesised) {
            skipSpace();
            if (ahead("/")) {
                pos++;
                skipSpace();
                final int at = pos;
                final double d = signedNumber();
                if (d == 0) {
                    pos = at;
                    throw error("division by zero in an exponent");
                }
                e /= d;
            }
            skipSpace();
            if (!ahead(")")) {
                throw error("missing ')'");
            }
            pos++;
        }
        return e;
    }

    private double signedNumber() {
        final int start = pos;
        double sign = 1;
        if (ahead("-") || ahead(String.valueOf(MINUS_SIGN))) {
            sign = -1;
            pos++;
        } else if (ahead("+")) {
            pos++;
        }
        final int from = pos;
        while (pos < text.length() && (digit(text.charAt(pos)) || text.charAt(pos) == '.')) {
            pos++;
        }
        final String number = text.substring(from, pos);
        if (number.isEmpty() || number.equals(".") || number.indexOf('.') != number.lastIndexOf('.')
                || number.length() > 12) {
            pos = number.isEmpty() ? pos : start;
            throw error(number.isEmpty() ? "expected a number as exponent" : "malformed exponent '" + number + "'");
        }
        return sign * Double.parseDouble(number);
    }

    private Part power(final Part base, final double p, final int at) {
        if (!base.dimension.canPower(p)) {
            pos = at;
            throw error("the power " + Unit.number(p) + " gives an exponent that is not a multiple of 1/2"
                    + " (or is out of range)");
        }
        return base.power(p);
    }
}
