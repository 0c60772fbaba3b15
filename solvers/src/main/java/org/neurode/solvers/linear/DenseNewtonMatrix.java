package org.neurode.solvers.linear;

import java.util.Objects;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.decomposition.lu.LUDecompositionAlt_DDRM;
import org.neurode.solvers.adaptive.StepContext;

/**
 * Dense storage: J row-major n x n from {@link StepContext#jacobian}, \( \alpha I - J \) factored by EJML's
 * LU with partial pivoting ({@code LUDecompositionAlt_DDRM}, Crout's form, \( 2n^3/3 \) flops); a zero or
 * non-finite pivot is reported as singular. Memory: two n x n arrays.
 *
 * @since 0.5
 */
final class DenseNewtonMatrix implements NewtonMatrix {

    private final StepContext context;
    private final int n;
    /** J, row-major. */
    private final double[] dfdy;
    /** alpha I - J, then its LU factors (EJML keeps its own copy, in {@link #lu}). */
    private final DMatrixRMaj w;
    private final LUDecompositionAlt_DDRM lu;

    DenseNewtonMatrix(final StepContext context) {
        this.context = Objects.requireNonNull(context, "context");
        this.n = context.dimension();
        this.dfdy = new double[n * n];
        this.w = new DMatrixRMaj(n, n);
        this.lu = new LUDecompositionAlt_DDRM();
        lu.setExpectedMaxSize(n, n);
    }

    @Override
    public int dimension() {
        return n;
    }

    @Override
    public void evaluate(final double t, final double[] y, final double[] fy) {
        context.jacobian(t, y, fy, dfdy);
    }

    @Override
    public boolean factor(final double alpha) {
        final double[] wd = w.data;
        for (int k = 0; k < n * n; k++) {
            wd[k] = -dfdy[k];
        }
        for (int i = 0; i < n; i++) {
            wd[i * n + i] += alpha;
        }
        context.countFactorization();
        if (!lu.decompose(w)) {
            return false;
        }
        final double[] luData = lu.getLU().data;
        for (int i = 0; i < n; i++) {
            final double p = luData[i * n + i];
            if (p == 0.0 || !Double.isFinite(p)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void solve(final double[] b) {
        lu._solveVectorInternal(b);
    }

    @Override
    public void multiply(final double[] x, final double[] out) {
        for (int i = 0; i < n; i++) {
            double sum = 0.0;
            final int row = i * n;
            for (int j = 0; j < n; j++) {
                sum += dfdy[row + j] * x[j];
            }
            out[i] = sum;
        }
    }

    @Override
    public String storage() {
        return "dense";
    }

    /** @return the stored Jacobian, row-major (package: tests and the complex factorization of Radau IIA) */
    double[] jacobian() {
        return dfdy;
    }
}
