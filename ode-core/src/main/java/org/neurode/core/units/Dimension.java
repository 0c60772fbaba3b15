package org.neurode.core.units;

import java.util.Arrays;

import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;

/**
 * A physical dimension: the exponents of the seven SI base dimensions. Exponents are multiples of 1/2, so that
 * the unit of white noise (time^-1/2) and the square root of any unit exist. Immutable.
 *
 * @since 0.3
 */
public final class Dimension {

    /** The SI base dimensions, in the order SI writes them, each with its SI base unit. */
    public enum Base {
        /** Length, in metres. */
        LENGTH("m"),
        /** Mass, in kilograms. */
        MASS("kg"),
        /** Time, in seconds. */
        TIME("s"),
        /** Electric current, in amperes. */
        CURRENT("A"),
        /** Thermodynamic temperature, in kelvins. */
        TEMPERATURE("K"),
        /** Amount of substance, in moles. */
        AMOUNT("mol"),
        /** Luminous intensity, in candelas. */
        LUMINOUS_INTENSITY("cd");

        private final String symbol;

        Base(final String symbol) {
            this.symbol = symbol;
        }

        /** @return the SI base unit's symbol ({@code "kg"} for mass) */
        public String symbol() {
            return symbol;
        }
    }

    private static final Base[] BASES = Base.values();

    /** Largest absolute doubled exponent: far beyond any physical unit, small enough never to overflow. */
    static final int MAX_HALVES = 1 << 20;

    /** No dimension: a pure number. */
    public static final Dimension NONE = new Dimension(new int[BASES.length]);

    /** Twice each exponent, indexed by {@link Base#ordinal()}. */
    private final int[] halves;

    private Dimension(final int[] halves) {
        this.halves = halves;
    }

    /**
     * The dimension of one base.
     *
     * @param base the base dimension
     * @return base^1
     */
    public static Dimension of(final Base base) {
        final int[] h = new int[BASES.length];
        h[base.ordinal()] = 2;
        return new Dimension(h);
    }

    /**
     * @param base a base dimension
     * @return its exponent (a multiple of 1/2)
     */
    public double exponent(final Base base) {
        return halves[base.ordinal()] / 2.0;
    }

    /** @return true if all exponents are 0 */
    public boolean isNone() {
        for (final int h : halves) {
            if (h != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param other another dimension
     * @return the dimension of a product
     */
    public Dimension times(final Dimension other) {
        return combine(other, 1);
    }

    /**
     * @param other another dimension
     * @return the dimension of a quotient
     */
    public Dimension dividedBy(final Dimension other) {
        return combine(other, -1);
    }

    /**
     * Whether {@link #times} ({@code sign} 1) or {@link #dividedBy} ({@code sign} -1) stays within the exponent
     * range.
     */
    boolean canCombine(final Dimension other, final int sign) {
        for (int k = 0; k < halves.length; k++) {
            if (Math.abs(halves[k] + sign * other.halves[k]) > MAX_HALVES) {
                return false;
            }
        }
        return true;
    }

    private Dimension combine(final Dimension other, final int sign) {
        final int[] h = new int[BASES.length];
        for (int k = 0; k < h.length; k++) {
            h[k] = halves[k] + sign * other.halves[k];
            if (Math.abs(h[k]) > MAX_HALVES) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "a unit exponent is out of range (above "
                        + MAX_HALVES / 2 + ")");
            }
        }
        return new Dimension(h);
    }

    /**
     * Whether {@link #power(double)} is defined: every exponent times {@code p} is a multiple of 1/2 (and not
     * absurdly large).
     *
     * @param p the power
     * @return true if this dimension can be raised to p
     */
    public boolean canPower(final double p) {
        if (!Double.isFinite(p)) {
            return isNone();
        }
        for (final int h : halves) {
            final double r = h * p;
            if (Math.abs(r) > MAX_HALVES || Math.abs(r - Math.rint(r)) > 1e-9) {
                return false;
            }
        }
        return true;
    }

    /** Whether every exponent times {@code p} is a multiple of 1/2, whatever its size. */
    boolean halvesAfterPower(final double p) {
        if (!Double.isFinite(p)) {
            return isNone();
        }
        for (final int h : halves) {
            final double r = h * p;
            if (Math.abs(r - Math.rint(r)) > 1e-9) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param p the power; see {@link #canPower(double)}
     * @return this dimension to the power p
     * @throws OdeException if an exponent would not be a multiple of 1/2
     */
    public Dimension power(final double p) {
        if (!canPower(p)) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "(" + this + ")^" + Unit.number(p)
                    + " has an exponent that is not a multiple of 1/2");
        }
        if (isNone()) {
            return this;
        }
        final int[] h = new int[BASES.length];
        for (int k = 0; k < h.length; k++) {
            h[k] = (int) Math.rint(halves[k] * p);
        }
        return new Dimension(h);
    }

    /**
     * What kind of quantity this is, for messages: {@code "a voltage"}, {@code "a time"}, ..., or the SI base
     * powers for a dimension without a common name.
     *
     * @return a description
     */
    public String describe() {
        final String named = UnitTable.quantityName(this);
        return named != null ? named : "of dimension " + this;
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof Dimension d && Arrays.equals(halves, d.halves);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(halves);
    }

    /**
     * @return the SI base powers, e.g. {@code "m^2 kg s^-3 A^-1"} for a voltage, {@code "1"} for none
     */
    @Override
    public String toString() {
        final StringBuilder sb = new StringBuilder();
        for (int k = 0; k < halves.length; k++) {
            if (halves[k] != 0) {
                if (sb.length() > 0) {
                    sb.append(' ');
                }
                sb.append(BASES[k].symbol());
                if (halves[k] != 2) {
                    sb.append('^').append(exponentText(halves[k]));
                }
            }
        }
        return sb.length() == 0 ? "1" : sb.toString();
    }

    /** A doubled exponent as text: {@code 4 -> "2"}, {@code -1 -> "-0.5"}. */
    static String exponentText(final int halves) {
        return halves % 2 == 0 ? Integer.toString(halves / 2) : (halves / 2 == 0 && halves < 0 ? "-" : "")
                + (halves / 2) + ".5";
    }
}
