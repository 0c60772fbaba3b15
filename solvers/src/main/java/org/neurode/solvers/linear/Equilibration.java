package org.neurode.solvers.linear;

import org.neurode.core.JacobianPattern;
import org.neurode.solvers.adaptive.StepContext;

/**
 * The diagonal equilibration every storage applies: the matrix factored is \( D^{-1} (\alpha I - J) D \) with
 * \( D = \mathrm{diag}(2^{e_i}) \), \( 2^{e_i} \) the power of two at or below the error weight
 * \( atol_i + rtol_i |y_i| \) at the point J was evaluated at, relative to the largest weight and at most
 * {@value #MAX_SPREAD} binades below it; right-hand sides are scaled by \( D^{-1} \) and solutions by D. The
 * scalings are exact (powers of two), so the system is the same; the rounding of each solution component scales
 * with its own weight (see {@code DenseNewtonMatrix} for the measurements on E5). Equal weights give D = I and no
 * scaling at all.
 *
 * @since 0.5
 */
final class Equilibration {

    /** Largest spread of the equilibration, in binades (2^512 = 1.3e154). */
    static final int MAX_SPREAD = 512;

    private final StepContext context;
    /** Binary exponents: row i is scaled by 2^-shift[i], column j by 2^shift[j]. */
    private final int[] shift;
    /** False while every shift is 0 (equal weights). */
    private boolean scaled;

    Equilibration(final StepContext context) {
        this.context = context;
        this.shift = new int[context.dimension()];
    }

    /**
     * The exponents from the error weights at y (a weight that is not positive and finite, as for a NaN state, gets
     * no scaling of its own).
     *
     * @param y the state J was evaluated at
     */
    void weigh(final double[] y) {
        final int n = shift.length;
        int max = Integer.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            final double w = context.absoluteTolerance(i) + context.relativeTolerance(i) * Math.abs(y[i]);
            shift[i] = w > 0.0 && w < Double.POSITIVE_INFINITY ? Math.getExponent(w) : Integer.MIN_VALUE;
            max = Math.max(max, shift[i]);
        }
        scaled = false;
        for (int i = 0; i < n; i++) {
            shift[i] = shift[i] == Integer.MIN_VALUE ? 0 : Math.max(-MAX_SPREAD, shift[i] - max);
            scaled |= shift[i] != 0;
        }
    }

    /** @return true if some weight differs from the largest by a binade or more */
    boolean scaled() {
        return scaled;
    }

    /** @return the exponents (read-only for the storages) */
    int[] shifts() {
        return shift;
    }

    /**
     * @param value an entry (i, j) of \( \alpha I - J \)
     * @param i     row
     * @param j     column
     * @return the entry of \( D^{-1} (\alpha I - J) D \)
     */
    double entry(final double value, final int i, final int j) {
        return Math.scalb(value, shift[j] - shift[i]);
    }

    /**
     * Writes \( -J \), scaled as \( D^{-1} (-J) D \) when {@link #scaled()}, into a storage: entry k of the pattern
     * goes to {@code out[entryAt[k]]} (the diagonal is not scaled: D^-1 alpha I D = alpha I).
     *
     * @param pattern the Jacobian's pattern
     * @param values  its values in pattern order
     * @param entryAt the position of each entry in {@code out}
     * @param out     the storage (modified at the entries only)
     */
    void scatterNegated(final JacobianPattern pattern, final double[] values, final int[] entryAt, final double[] out) {
        if (scaled()) {
            final int[] rowStart = pattern.rowStart();
            final int[] cols = pattern.columns();
            for (int i = 0; i < rowStart.length - 1; i++) {
                for (int k = rowStart[i]; k < rowStart[i + 1]; k++) {
                    out[entryAt[k]] = entry(-values[k], i, cols[k]);
                }
            }
        } else {
            for (int k = 0; k < values.length; k++) {
                out[entryAt[k]] = -values[k];
            }
        }
    }

    /** @param b a right-hand side, scaled by \( D^{-1} \) in place */
    void scaleRightHandSide(final double[] b) {
        for (int i = 0; i < b.length; i++) {
            b[i] = Math.scalb(b[i], -shift[i]);
        }
    }

    /** @param x a solution of the equilibrated system, scaled by D in place */
    void scaleSolution(final double[] x) {
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.scalb(x[i], shift[i]);
        }
    }
}
