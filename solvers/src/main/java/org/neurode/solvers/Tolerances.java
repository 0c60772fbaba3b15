package org.neurode.solvers;

import java.util.Arrays;

import org.neurode.core.Checks;
import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;
import org.neurode.core.StateLayout;

/**
 * Per-variable absolute and relative tolerances. The local error of element \( i \) is compared with
 * \( atol_i + rtol_i \max(|y_i|, |\hat y_i|) \) (Hairer's norm, also Hipparchus' and SciPy's).
 * By default absolute tolerances derive from the layout's scales, \( atol_i = rtol \cdot scale_i \)
 * (Orekit's tolerance-provider idea): a membrane potential of scale 10 mV and a weight of scale 0.1 get
 * absolute tolerances in proportion.
 *
 * @since 0.1
 */
public final class Tolerances {

    private final double[] absolute;
    private final double[] relative;
    private final double scalarAbsolute;
    private final double scalarRelative;
    private final boolean fromScales;

    private Tolerances(final double[] absolute, final double[] relative, final double scalarAbsolute,
                       final double scalarRelative, final boolean fromScales) {
        this.absolute = absolute;
        this.relative = relative;
        this.scalarAbsolute = scalarAbsolute;
        this.scalarRelative = scalarRelative;
        this.fromScales = fromScales;
    }

    /**
     * @param rtol relative tolerance (positive)
     * @param atol absolute tolerance (positive) for every element
     * @return scalar tolerances
     */
    public static Tolerances of(final double rtol, final double atol) {
        return new Tolerances(null, null, Checks.positive("absolute tolerance", atol),
                              Checks.positive("relative tolerance", rtol), false);
    }

    /**
     * @param rtol relative tolerance; absolute tolerances are {@code rtol * scale_i} from the layout
     * @return scale-derived tolerances
     */
    public static Tolerances fromScales(final double rtol) {
        return new Tolerances(null, null, Double.NaN, Checks.positive("relative tolerance", rtol), true);
    }

    /**
     * @param layout a layout
     * @param rtol   relative tolerance
     * @return tolerances with {@code atol_i = rtol * scale_i} resolved for that layout
     */
    public static Tolerances fromScales(final StateLayout layout, final double rtol) {
        return fromScales(rtol).resolveFor(layout);
    }

    /**
     * @param atol absolute tolerances per element (copied; positive)
     * @param rtol relative tolerances per element (copied; not negative)
     * @return vector tolerances
     */
    public static Tolerances of(final double[] atol, final double[] rtol) {
        if (atol.length != rtol.length) {
            throw new OdeException(ErrorCode.DIMENSION_MISMATCH, "relative tolerances", atol.length, rtol.length);
        }
        for (int i = 0; i < atol.length; i++) {
            Checks.positive("absolute tolerance [" + i + "]", atol[i]);
            Checks.nonNegative("relative tolerance [" + i + "]", rtol[i]);
        }
        return new Tolerances(atol.clone(), rtol.clone(), Double.NaN, Double.NaN, false);
    }

    /**
     * @param layout the layout of the problem
     * @return vector tolerances for that layout
     */
    public Tolerances resolveFor(final StateLayout layout) {
        final int n = layout.dimension();
        if (absolute != null) {
            if (absolute.length != n) {
                throw new OdeException(ErrorCode.DIMENSION_MISMATCH, "tolerance vector", n, absolute.length);
            }
            return this;
        }
        final double[] a = new double[n];
        final double[] r = new double[n];
        if (fromScales) {
            final double[] s = layout.scales();
            for (int i = 0; i < n; i++) {
                a[i] = scalarRelative * s[i];
            }
        } else {
            Arrays.fill(a, scalarAbsolute);
        }
        Arrays.fill(r, scalarRelative);
        return new Tolerances(a, r, scalarAbsolute, scalarRelative, fromScales);
    }

    /**
     * @param layout layout
     * @return a new array of absolute tolerances
     */
    public double[] absolute(final StateLayout layout) {
        return resolveFor(layout).absolute.clone();
    }

    /**
     * @param layout layout
     * @return a new array of relative tolerances
     */
    public double[] relative(final StateLayout layout) {
        return resolveFor(layout).relative.clone();
    }

    /** @return the scalar relative tolerance, or NaN for vector tolerances given element-wise */
    public double relativeTolerance() {
        return scalarRelative;
    }

    /** @return the scalar absolute tolerance, or NaN if absolute tolerances are per element */
    public double absoluteTolerance() {
        return scalarAbsolute;
    }

    @Override
    public String toString() {
        if (absolute != null && Double.isNaN(scalarRelative)) {
            return "Tolerances[vector]";
        }
        return fromScales ? "Tolerances[rtol=" + scalarRelative + ", atol=rtol*scale]"
                : "Tolerances[rtol=" + scalarRelative + ", atol=" + scalarAbsolute + "]";
    }
}
