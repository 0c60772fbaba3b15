package org.neurode.core;

/**
 * Checks a Jacobian (compiled, or written by hand in a {@link JacobianEquation} or {@link SparseJacobianEquation})
 * against central differences of the right-hand side, as a gradient check.
 *
 * <p>Increment: column j is differenced with \( h_j = \epsilon^{1/3} s_j \), \( s_j = \max(|y_j|, 1) \), which
 * balances the truncation error \( h^2 |f'''|/6 \) and the rounding error \( \epsilon |f_i| / h \) of a central
 * difference at about \( \epsilon^{2/3} \approx 4\cdot 10^{-11} \) of the scaled entry \( D_{ij} s_j \) for functions
 * that vary on the scale of \( s_j \).
 *
 * <p>Comparison: an entry's error is scaled by its column's magnitude and normalised by its row's,
 * \( |J_{ij} - D_{ij}|\, s_j / (\max_k |D_{ik}| s_k + 10^{-4} |f_i|) \). A near-zero entry is thus judged against
 * the largest effect on its row rather than against itself, and the floor \( 10^{-4}|f_i| \) keeps the rounding
 * error of the difference (\( 4\cdot 10^{-11}|f_i| \)) far below a tolerance of 1e-7, while a wrong or missing term
 * of the size of the row's entries is off by orders of magnitude. An entry that the pattern does not list but whose
 * difference exceeds 1e-9 of that scale is reported as missing.
 *
 * <pre>{@code
 * JacobianCheck.Mismatch m = JacobianCheck.worst(equation, 0.0, y, null);
 * if (m.missing() || m.error() > 1e-7) { ... m.describe() names the entry ... }
 * }</pre>
 *
 * @since 0.5
 */
public final class JacobianCheck {

    private JacobianCheck() {
    }

    /**
     * The worst entry found.
     *
     * @param row        row i (-1 if nothing was compared)
     * @param column     column j
     * @param value      the Jacobian's value there (0 if not listed)
     * @param difference the central difference there
     * @param error      the scaled error (see the class comment)
     * @param missing    true if the entry is not in the pattern but its difference is not negligible
     */
    public record Mismatch(int row, int column, double value, double difference, double error, boolean missing) {

        /** @return a sentence naming the entry, for messages */
        public String describe() {
            if (row < 0) {
                return "no entry compared";
            }
            return missing ? "entry (" + row + ", " + column + ") differences to " + difference
                    + " but is not in the pattern"
                    : "entry (" + row + ", " + column + ") is " + value + ", central differences give " + difference
                    + " (scaled error " + error + ")";
        }
    }

    /**
     * @param equation the right-hand side
     * @param t        time
     * @param y        state (not modified)
     * @return the dense central-difference Jacobian at (t, y), row-major, 2 n evaluations
     */
    public static double[] centralDifferences(final Equation equation, final double t, final double[] y) {
        final int n = y.length;
        final double[] d = new double[n * n];
        final double[] column = new double[n];
        final double[] w = y.clone();
        final double[] fp = new double[n];
        final double[] fm = new double[n];
        for (int j = 0; j < n; j++) {
            difference(equation, t, y, w, j, fp, fm, column);
            for (int i = 0; i < n; i++) {
                d[i * n + j] = column[i];
            }
        }
        return d;
    }

    /**
     * Compares the equation's Jacobian with central differences, column by column.
     *
     * @param equation a {@link SparseJacobianEquation} with values, or a {@link JacobianEquation}
     * @param t        time
     * @param y        state (not modified)
     * @param columns  the columns to difference (2 evaluations each), or null for all
     * @return the worst entry: a missing one if any, else the largest scaled error
     * @throws OdeException if the equation supplies no Jacobian values
     */
    public static Mismatch worst(final Equation equation, final double t, final double[] y, final int[] columns) {
        final int n = y.length;
        final JacobianPattern p;
        final double[] values;
        if (equation instanceof SparseJacobianEquation s && s.hasJacobianValues()) {
            p = s.jacobianPattern();
            values = new double[p.nonZeros()];
            s.jacobianValues(t, y, values);
        } else if (equation instanceof JacobianEquation je) {
            p = JacobianPattern.dense(n);
            values = new double[n * n];
            je.jacobian(t, y, values);
        } else {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "the equation supplies no Jacobian values to check");
        }
        final double[] f = new double[n];
        equation.derivatives(t, y, f);
        final double[] rowScale = new double[n];
        final int[] start = p.rowStart();
        final int[] cols = p.columns();
        for (int i = 0; i < n; i++) {
            for (int k = start[i]; k < start[i + 1]; k++) {
                rowScale[i] = Math.max(rowScale[i], Math.abs(values[k]) * scale(y, cols[k]));
            }
        }
        final int[] which = columns != null ? columns : allColumns(n);
        final double[][] diff = new double[which.length][];
        final double[] w = y.clone();
        final double[] fp = new double[n];
        final double[] fm = new double[n];
        for (int c = 0; c < which.length; c++) {
            diff[c] = new double[n];
            difference(equation, t, y, w, which[c], fp, fm, diff[c]);
            for (int i = 0; i < n; i++) {
                rowScale[i] = Math.max(rowScale[i], Math.abs(diff[c][i]) * scale(y, which[c]));
            }
        }
        Mismatch worst = new Mismatch(-1, -1, 0.0, 0.0, 0.0, false);
        for (int c = 0; c < which.length; c++) {
            final int j = which[c];
            final double s = scale(y, j);
            for (int i = 0; i < n; i++) {
                final double d = diff[c][i];
                final int at = p.indexOf(i, j);
                final double v = at < 0 ? 0.0 : values[at];
                final double rs = rowScale[i] + 1e-4 * Math.abs(f[i]) + 1e-300;
                final double err = Math.abs(v - d) * s / rs;
                final boolean missing = at < 0 && Math.abs(d) * s > 1e-9 * rs;
                if (missing && !worst.missing()) {
                    worst = new Mismatch(i, j, v, d, err, true);
                } else if (!worst.missing() && (!(err <= worst.error()) || worst.row() < 0)) {
                    worst = new Mismatch(i, j, v, d, err, false);
                }
            }
        }
        return worst;
    }

    private static double scale(final double[] y, final int j) {
        return Math.max(Math.abs(y[j]), 1.0);
    }

    private static int[] allColumns(final int n) {
        final int[] all = new int[n];
        for (int j = 0; j < n; j++) {
            all[j] = j;
        }
        return all;
    }

    /** Central difference of column j into {@code out}; {@code w} equals y on entry and on return. */
    private static void difference(final Equation equation, final double t, final double[] y, final double[] w,
                                   final int j, final double[] fp, final double[] fm, final double[] out) {
        final double h = Math.cbrt(Math.ulp(1.0)) * scale(y, j);
        w[j] = y[j] + h;
        final double up = w[j] - y[j];
        equation.derivatives(t, w, fp);
        w[j] = y[j] - h;
        final double down = y[j] - w[j];
        equation.derivatives(t, w, fm);
        w[j] = y[j];
        for (int i = 0; i < out.length; i++) {
            out[i] = (fp[i] - fm[i]) / (up + down);
        }
    }
}
