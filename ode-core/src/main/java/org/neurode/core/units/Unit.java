package org.neurode.core.units;

import java.math.BigDecimal;
import java.math.MathContext;

import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;

/**
 * A unit of measure: a {@link Dimension} and a scale factor to SI (1 mV = 0.001 V, so {@code mV} has the
 * dimension of a voltage and scale 0.001). Units exist only while a model is built: values are converted once
 * ({@link #convert(double, Unit)}) and equations are checked ({@link UnitInference}, {@link UnitCheck}); nothing
 * about units is left at run time. Immutable.
 *
 * <p>Two units are equal when their dimensions are equal and their scales agree to a relative 1e-9, so that
 * {@code mS/cm^2} and {@code daS/m^2} (10 S/m^2), computed along different paths with different rounding, are
 * the same unit (rounding makes such scales differ by about 1e-15 relative; the scales of distinct units of
 * a model differ by powers of ten). The text a unit was parsed from is kept for display but is not part of
 * equality: {@code Hz} equals {@code 1/s}.
 *
 * <p>Spellings ({@link #parse(String)}): SI symbols and the names used by Brian2, NeuroML and NMODL, with SI
 * prefixes (Y Z E P T G M k h da d c m u µ μ n p f a z y); see {@code docs/model-language.md}, section Units.
 *
 * @since 0.3
 */
public final class Unit {

    /** Relative tolerance of scale comparisons. */
    static final double SCALE_TOLERANCE = 1e-9;

    /** The unit of pure numbers: dimensionless with scale 1, written {@code 1}. */
    public static final Unit ONE = new Unit(Dimension.NONE, 1.0, "1");

    private final Dimension dimension;
    private final double scale;
    /** The text the unit was parsed from or named with, or null for a computed unit. */
    private final String text;

    private Unit(final Dimension dimension, final double scale, final String text) {
        this.dimension = dimension;
        this.scale = scale;
        this.text = text;
    }

    /**
     * A unit from its dimension and scale.
     *
     * @param dimension the dimension
     * @param scale     the size of the unit in SI units of that dimension (positive, finite, not below
     *                  1e-300 nor above 1e300)
     * @return the unit
     * @throws OdeException if the scale is out of range
     */
    public static Unit of(final Dimension dimension, final double scale) {
        return new Unit(dimension, checkedScale(scale, null), null);
    }

    /** A unit with the given display text (the table's names and parsed units). */
    static Unit named(final Dimension dimension, final double scale, final String text) {
        return new Unit(dimension, checkedScale(scale, text), text);
    }

    /**
     * Parses a unit such as {@code mV}, {@code uA/cm^2}, {@code uA/cm2}, {@code µS/cm²}, {@code 1/s},
     * {@code ms^-0.5}, {@code mV * ms}, {@code mS_per_cm2} or {@code 1} (dimensionless).
     *
     * @param text the unit as written (not empty)
     * @return the unit, which shows as {@code text} (trimmed)
     * @throws OdeException {@link ErrorCode#UNIT_SYNTAX} naming the text and the column
     */
    public static Unit parse(final String text) {
        return parse(text, null);
    }

    /**
     * Parses a unit; see {@link #parse(String)}.
     *
     * @param text  the unit as written
     * @param where what the unit belongs to (e.g. {@code "unit of parameter 'tau'"}), added to error messages;
     *              null for nothing
     * @return the unit
     * @throws OdeException {@link ErrorCode#UNIT_SYNTAX} naming the text, the column and {@code where}
     */
    public static Unit parse(final String text, final String where) {
        final Unit u = new UnitParser(text, where).parse();
        return new Unit(u.dimension, u.scale, text.strip());
    }

    /** @return the dimension */
    public Dimension dimension() {
        return dimension;
    }

    /** @return the size of this unit in SI units of its dimension (0.001 for mV) */
    public double scale() {
        return scale;
    }

    /** @return true for the unit of pure numbers: dimensionless with scale 1 */
    public boolean isOne() {
        return dimension.isNone() && sameScale(scale, 1.0);
    }

    /**
     * @param other another unit
     * @return true if both have the same dimension (possibly with different scales)
     */
    public boolean sameDimension(final Unit other) {
        return dimension.equals(other.dimension);
    }

    /**
     * @param other another unit
     * @return the unit of a product of quantities in this unit and the other
     */
    public Unit times(final Unit other) {
        return of(dimension.times(other.dimension), scale * other.scale);
    }

    /**
     * @param other another unit
     * @return the unit of a quotient
     */
    public Unit dividedBy(final Unit other) {
        return of(dimension.dividedBy(other.dimension), scale / other.scale);
    }

    /**
     * @param p the power (finite); every exponent times p must be a multiple of 1/2 ({@link Dimension#canPower})
     * @return this unit to the power p
     * @throws OdeException if the power has no unit or its scale is out of range
     */
    public Unit power(final double p) {
        if (p == 1.0) {
            return this;
        }
        return of(dimension.power(p), Math.pow(scale, p));
    }

    /** @return the square root of this unit (halves every exponent) */
    public Unit sqrt() {
        return power(0.5);
    }

    /**
     * The factor from this unit to another of the same dimension: a value x in this unit is
     * {@code x * factorTo(other)} in the other (1000 from V to mV).
     *
     * @param other a unit of the same dimension
     * @return the factor
     * @throws OdeException {@link ErrorCode#UNIT_MISMATCH} if the dimensions differ
     */
    public double factorTo(final Unit other) {
        if (!sameDimension(other)) {
            throw new OdeException(ErrorCode.UNIT_MISMATCH, "no factor from " + this + " to " + other,
                    this + " is " + dimension.describe() + " but " + other + " is " + other.dimension.describe());
        }
        return normalize(scale / other.scale);
    }

    /**
     * Converts a value given in this unit to another unit of the same dimension, once, when a model is built:
     * {@code Unit.parse("s").convert(0.01, Unit.parse("ms"))} is 10.
     *
     * @param value  the value in this unit
     * @param target the unit wanted
     * @return the value in the target unit (exactly {@code value} when the scales are equal)
     * @throws OdeException {@link ErrorCode#UNIT_MISMATCH} if the dimensions differ
     */
    public double convert(final double value, final Unit target) {
        return convert(value, target, null);
    }

    /**
     * Converts a value; see {@link #convert(double, Unit)}.
     *
     * @param value  the value in this unit
     * @param target the unit wanted
     * @param where  what the value is (e.g. {@code "parameter 'tau'"}), named in the error; null for the value
     * @return the value in the target unit
     * @throws OdeException {@link ErrorCode#UNIT_MISMATCH} naming the value, both units and what they measure
     */
    public double convert(final double value, final Unit target, final String where) {
        if (!sameDimension(target)) {
            final String what = "cannot convert " + number(value) + " " + this + " to " + target;
            final String why = this + " is " + dimension.describe() + " but " + target + " is "
                    + target.dimension.describe();
            throw where == null ? new OdeException(ErrorCode.UNIT_MISMATCH, what, why)
                    : new OdeException(ErrorCode.UNIT_MISMATCH, where, what + ": " + why);
        }
        if (sameScale(scale, target.scale)) {
            return value;
        }
        return value * normalize(scale / target.scale);
    }

    /**
     * The unit as a user would write it: a common neuroscience unit with the same dimension and scale
     * ({@code mV}, {@code nA}, {@code mV/ms}, {@code uA/cm^2}), else a quotient or product of two of them
     * ({@code mV/s}, {@code nA/mV}, {@code mV/ms^0.5}), else SI base powers with the scale in front
     * ({@code 0.001 m^2 kg s^-4 A^-1}). Ignores the text the unit was parsed from.
     *
     * @return the text
     */
    public String format() {
        return UnitTable.format(this);
    }

    /** @return the text the unit was parsed from, or {@link #format()} for a computed unit */
    @Override
    public String toString() {
        return text != null ? text : format();
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof Unit u && sameScale(scale, u.scale) && dimension.equals(u.dimension);
    }

    /** Scales equal to a relative 1e-9 (see the class comment). */
    static boolean sameScale(final double a, final double b) {
        return Math.abs(a - b) <= SCALE_TOLERANCE * Math.max(a, b);
    }

    /** @return a hash of the dimension alone (scales compare with a tolerance) */
    @Override
    public int hashCode() {
        return dimension.hashCode();
    }

    private static double checkedScale(final double scale, final String text) {
        if (!(scale >= 1e-300 && scale <= 1e300)) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "the scale of a unit"
                    + (text == null ? "" : " '" + text + "'") + " must lie between 1e-300 and 1e300 but is "
                    + number(scale));
        }
        return scale;
    }

    /**
     * Rounds a positive factor to 12 significant digits (1000 for 999.9999999999999), deterministically: the
     * same 12 digits always give the same double, whatever path computed them.
     */
    static double normalize(final double scale) {
        int e = (int) Math.floor(Math.log10(scale));
        double m = Math.rint(scale / Math.pow(10, e) * 1e11);
        if (m >= 1e12) {
            e++;
            m = Math.rint(scale / Math.pow(10, e) * 1e11);
        } else if (m < 1e11) {
            e--;
            m = Math.rint(scale / Math.pow(10, e) * 1e11);
        }
        // m now has exactly 12 digits; m * 10^(e - 11) is computed from (m, e) alone
        final int shift = e - 11;
        if (shift >= 0) {
            return m * Math.pow(10, shift);
        }
        // 10^-shift overflows beyond 1e308: divide in two steps there (still a function of (m, e) alone)
        return -shift > 300 ? m / Math.pow(10, -shift - 300) / 1e300 : m / Math.pow(10, -shift);
    }

    /**
     * A positive number given by its decimal logarithm, for a message about a scale beyond the range of doubles:
     * {@code 480 -> "1e480"}, {@code 480.30103 -> "2e480"}; computed from the logarithm, so it never overflows.
     */
    static String powerOfTen(final double log10) {
        if (!Double.isFinite(log10)) {
            return log10 > 0 ? "Infinity" : "0";
        }
        long exponent = (long) Math.floor(log10);
        BigDecimal mantissa = new BigDecimal(Math.pow(10, log10 - exponent)).round(new MathContext(6));
        if (mantissa.compareTo(BigDecimal.TEN) >= 0) {
            exponent++;
            mantissa = BigDecimal.ONE;
        }
        return mantissa.stripTrailingZeros().toPlainString() + "e" + exponent;
    }

    /** A number for a message: up to 12 significant digits, plain between 1e-4 and 1e12. */
    static String number(final double v) {
        if (!Double.isFinite(v) || v == 0.0) {
            return v == 0.0 ? "0" : String.valueOf(v);
        }
        final BigDecimal b = new BigDecimal(v).round(new MathContext(12)).stripTrailingZeros();
        final double a = Math.abs(v);
        return a >= 1e-4 && a < 1e12 ? b.toPlainString() : b.toString().replace("E+", "e").replace("E", "e");
    }

    /**
     * @param name a name in an expression
     * @return true if it spells a unit that a value may use as a constant ({@code second}, {@code mV})
     * @since 0.3
     */
    public static boolean isConstant(final String name) {
        return UnitParser.constant(name) != null;
    }
}
