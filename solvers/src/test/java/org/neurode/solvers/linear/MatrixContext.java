package org.neurode.solvers.linear;

import org.neurode.core.JacobianPattern;
import org.neurode.solvers.adaptive.StepContext;

/**
 * A {@link StepContext} around a fixed Jacobian, for testing Newton matrices on their own: J is given row-major
 * (dense) and, optionally, with a pattern (its entries are then served in pattern order); counts Jacobians and
 * factorizations.
 */
final class MatrixContext implements StepContext {

    final int n;
    final double[] dense;
    final JacobianPattern pattern;
    long jacobians;
    long factorizations;

    /**
     * @param n       dimension
     * @param dense   J row-major (entries outside the pattern must be zero)
     * @param pattern its pattern, or null
     */
    MatrixContext(final int n, final double[] dense, final JacobianPattern pattern) {
        this.n = n;
        this.dense = dense;
        this.pattern = pattern;
    }

    /** @return the pattern of the non-zeros of a dense row-major matrix */
    static JacobianPattern patternOf(final int n, final double[] a) {
        final int[] start = new int[n + 1];
        int nnz = 0;
        for (final double v : a) {
            if (v != 0.0) {
                nnz++;
            }
        }
        final int[] cols = new int[nnz];
        int k = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (a[i * n + j] != 0.0) {
                    cols[k++] = j;
                }
            }
            start[i + 1] = k;
        }
        return new JacobianPattern(n, start, cols);
    }

    @Override
    public int dimension() {
        return n;
    }

    @Override
    public void derivatives(final double t, final double[] y, final double[] dydt) {
        // f(y) = J y
        for (int i = 0; i < n; i++) {
            double s = 0.0;
            for (int j = 0; j < n; j++) {
                s += dense[i * n + j] * y[j];
            }
            dydt[i] = s;
        }
    }

    @Override
    public JacobianPattern jacobianPattern() {
        return pattern;
    }

    @Override
    public void jacobian(final double t, final double[] y, final double[] fy, final double[] dfdy) {
        jacobians++;
        System.arraycopy(dense, 0, dfdy, 0, n * n);
    }

    @Override
    public void jacobianValues(final double t, final double[] y, final double[] fy, final double[] values) {
        jacobians++;
        final int[] start = pattern.rowStart();
        final int[] cols = pattern.columns();
        for (int i = 0; i < n; i++) {
            for (int k = start[i]; k < start[i + 1]; k++) {
                values[k] = dense[i * n + cols[k]];
            }
        }
    }

    @Override
    public void countFactorization() {
        factorizations++;
    }

    @Override
    public double absoluteTolerance(final int i) {
        return 1e-6;
    }

    @Override
    public double relativeTolerance(final int i) {
        return 1e-6;
    }

    @Override
    public double errorNorm(final double[] error, final double[] y, final double[] yNew) {
        double s = 0.0;
        for (int i = 0; i < n; i++) {
            s += error[i] * error[i];
        }
        return Math.sqrt(s / n);
    }
}
