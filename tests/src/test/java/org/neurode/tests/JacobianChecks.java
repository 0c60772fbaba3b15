package org.neurode.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;

import org.neurode.core.Equation;
import org.neurode.core.JacobianPattern;
import org.neurode.core.Model;
import org.neurode.core.SparseJacobianEquation;

/**
 * Compiled Jacobians against central differences.
 *
 * <p>Increment and tolerance: column j is differenced with \( h_j = \epsilon^{1/3} s_j \), \( s_j = \max(|y_j|, 1)
 * \), which balances the truncation error \( h^2 |f'''|/6 \) and the rounding error \( \epsilon |f_i| / h \) of a
 * central difference at about \( \epsilon^{2/3} \approx 4\cdot 10^{-11} \) of the scaled entry \( D_{ij} s_j \) for
 * functions that vary on the scale of \( s_j \). Entries are compared scaled by their column's magnitude and
 * normalised by the row's: \( |J_{ij} - D_{ij}|\, s_j \le 10^{-7} (\max_k |D_{ik}| s_k + 10^{-4} |f_i|) \). So a
 * near-zero entry is judged against the largest effect on its row rather than against itself, the floor
 * \( 10^{-4}|f_i| \) keeps the rounding error of the difference (\( 4\cdot 10^{-11}|f_i| \)) 250 times below the
 * tolerance, and a wrong or missing term (of the size of the row's entries) fails by orders of magnitude. The
 * pattern must list every entry whose difference exceeds 1e-9 of that scale.
 */
final class JacobianChecks {

    /** Relative tolerance of the scaled comparison. */
    static final double TOLERANCE = 1e-7;

    private JacobianChecks() {
    }

    /** @return the dense central-difference Jacobian of {@code eq} at (t, y), row-major */
    static double[] centralDifferences(final Equation eq, final double t, final double[] y) {
        final int n = y.length;
        final double[] d = new double[n * n];
        final double[] w = y.clone();
        final double[] fp = new double[n];
        final double[] fm = new double[n];
        final double h0 = Math.cbrt(Math.ulp(1.0));
        for (int j = 0; j < n; j++) {
            final double h = h0 * Math.max(Math.abs(y[j]), 1.0);
            w[j] = y[j] + h;
            final double up = w[j] - y[j];
            eq.derivatives(t, w, fp);
            w[j] = y[j] - h;
            final double down = y[j] - w[j];
            eq.derivatives(t, w, fm);
            w[j] = y[j];
            for (int i = 0; i < n; i++) {
                d[i * n + j] = (fp[i] - fm[i]) / (up + down);
            }
        }
        return d;
    }

    /** A state near the model's initial one: each element moved by up to 10% of max(|y0|, 1). */
    static double[] randomState(final Model m, final SplittableRandom rnd) {
        final double[] y = m.initialState();
        for (int j = 0; j < y.length; j++) {
            y[j] += 0.1 * Math.max(Math.abs(y[j]), 1.0) * rnd.nextDouble(-1, 1);
        }
        return y;
    }

    /**
     * Checks the compiled Jacobian of {@code eq} at (t, y) against central differences.
     *
     * @return the pattern
     */
    static JacobianPattern check(final Equation equation, final double t, final double[] y, final String what) {
        assertTrue(equation instanceof SparseJacobianEquation, what + ": not a SparseJacobianEquation");
        final SparseJacobianEquation eq = (SparseJacobianEquation) equation;
        final JacobianPattern p = eq.jacobianPattern();
        assertTrue(eq.hasJacobianValues(), what + ": no values");
        final int n = y.length;
        final double[] values = new double[p.nonZeros()];
        java.util.Arrays.fill(values, Double.NaN);
        eq.jacobianValues(t, y, values);
        final double[] j = new double[n * n];
        p.toDense(values, j);
        final double[] d = centralDifferences(eq, t, y);
        final double[] f = new double[n];
        eq.derivatives(t, y, f);
        for (int i = 0; i < n; i++) {
            double row = 0.0;
            for (int k = 0; k < n; k++) {
                row = Math.max(row, Math.abs(d[i * n + k]) * Math.max(Math.abs(y[k]), 1.0));
            }
            final double scale = row + 1e-4 * Math.abs(f[i]) + 1e-300;
            for (int k = 0; k < n; k++) {
                final double s = Math.max(Math.abs(y[k]), 1.0);
                final double err = Math.abs(j[i * n + k] - d[i * n + k]) * s / scale;
                final boolean listed = p.indexOf(i, k) >= 0;
                if (!listed && Math.abs(d[i * n + k]) * s > 1e-9 * scale) {
                    fail(what + ": entry (" + i + ", " + k + ") differences to " + d[i * n + k]
                            + " but is not in the pattern");
                }
                if (!(err <= TOLERANCE)) {
                    fail(what + ": entry (" + i + ", " + k + ") is " + j[i * n + k] + ", central differences give "
                            + d[i * n + k] + " (scaled error " + err + ")");
                }
            }
        }
        return p;
    }

    /**
     * Checks chosen columns of the compiled Jacobian of a large model against central differences (two evaluations
     * per column), with the scaled comparison of {@link #check}; the row scale is the largest scaled entry of the
     * row among the checked columns and the compiled ones.
     */
    static void checkColumns(final Equation equation, final double t, final double[] y, final int[] columns,
                             final String what) {
        final SparseJacobianEquation eq = (SparseJacobianEquation) equation;
        final JacobianPattern p = eq.jacobianPattern();
        final int n = y.length;
        final double[] values = new double[p.nonZeros()];
        eq.jacobianValues(t, y, values);
        final double[] f = new double[n];
        eq.derivatives(t, y, f);
        final double[] row = new double[n];
        for (int i = 0; i < n; i++) {
            for (int k = p.rowStart()[i]; k < p.rowStart()[i + 1]; k++) {
                row[i] = Math.max(row[i], Math.abs(values[k]) * Math.max(Math.abs(y[p.columns()[k]]), 1.0));
            }
        }
        final double[] w = y.clone();
        final double[] fp = new double[n];
        final double[] fm = new double[n];
        final double h0 = Math.cbrt(Math.ulp(1.0));
        for (final int j : columns) {
            final double s = Math.max(Math.abs(y[j]), 1.0);
            w[j] = y[j] + h0 * s;
            final double up = w[j] - y[j];
            eq.derivatives(t, w, fp);
            w[j] = y[j] - h0 * s;
            final double down = y[j] - w[j];
            eq.derivatives(t, w, fm);
            w[j] = y[j];
            for (int i = 0; i < n; i++) {
                final double d = (fp[i] - fm[i]) / (up + down);
                final int at = p.indexOf(i, j);
                final double v = at < 0 ? 0.0 : values[at];
                final double scale = Math.max(row[i], Math.abs(d) * s) + 1e-4 * Math.abs(f[i]) + 1e-300;
                if (at < 0 && Math.abs(d) * s > 1e-9 * scale) {
                    fail(what + ": entry (" + i + ", " + j + ") differences to " + d + " but is not in the pattern");
                }
                if (!(Math.abs(v - d) * s / scale <= TOLERANCE)) {
                    fail(what + ": entry (" + i + ", " + j + ") is " + v + ", central differences give " + d);
                }
            }
        }
    }
}
