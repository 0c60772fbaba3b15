package org.neurode.solvers.linear;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.decomposition.lu.LUDecompositionAlt_DDRM;
import org.neurode.solvers.adaptive.StepContext;

/**
 * Dense storage: J row-major n x n from {@link StepContext#jacobian}, \( \alpha I - J \) factored by EJML's
 * LU with partial pivoting ({@code LUDecompositionAlt_DDRM}, Crout's form, \( 2n^3/3 \) flops); a zero or
 * non-finite pivot is reported as singular. Memory: two n x n arrays.
 *
 * <p>Equilibration by the error weights. The matrix factored is \( D^{-1} (\alpha I - J) D \) with
 * \( D = \mathrm{diag}(2^{e_i}) \), \( 2^{e_i} \) the power of two at or below the error weight
 * \( atol_i + rtol_i |y_i| \) of the point J was evaluated at (the weights of {@link StepContext#errorNorm}, in
 * the units of y); {@link #solve} scales b by \( D^{-1} \) and the solution by D. The scalings are exact (powers
 * of two, the spread limited to \( 2^{\pm 512} \); only entries that would become subnormal round), so the system
 * solved is the same; what changes is the pivot
 * order and where the rounding goes: the computed solution's error in each component is about \( \epsilon \)
 * times that component's weight times the largest weighted component, instead of \( \epsilon \) times the
 * largest component. Without it, partial pivoting on a state whose components differ by many orders of magnitude
 * (chemistry: 1e-3 next to 1e-11) leaves \( \epsilon \times \) (large) absolute errors in the small components:
 * on the Test Set's E5 the conserved combination y2 - y3 - y4 drifted by up to 1.7e-19 in a Rodas5P run, 2,000
 * times the end values (8.9e-23), and y2 or y3 ended off by factors up to 1,900; equilibrated, the drift is 1.6e-22
 * at rtol 1e-4 and 1.7e-25 at 1e-10 (docs/solvers.md, "Tiny components"). Equal weights give \( D = I \) (no
 * scaling, the same bits as an unscaled LU). Cost: n^2 scalings per factorization, 2n per solve.
 *
 * @since 0.5
 */
final class DenseNewtonMatrix extends EquilibratedNewtonMatrix {

    /** J, row-major. */
    private final double[] dfdy;
    /** alpha I - J, equilibrated (D^-1 (alpha I - J) D), then its LU factors (EJML keeps its own copy, in {@link #lu}). */
    private final DMatrixRMaj w;
    private final LUDecompositionAlt_DDRM lu;

    DenseNewtonMatrix(final StepContext context) {
        super(context);
        this.dfdy = new double[n * n];
        this.w = new DMatrixRMaj(n, n);
        this.lu = new LUDecompositionAlt_DDRM();
        lu.setExpectedMaxSize(n, n);
    }

    @Override
    public void evaluate(final double t, final double[] y, final double[] fy) {
        context.jacobian(t, y, fy, dfdy);
        scaling.weigh(y);
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
        if (scaling.scaled()) {
            // D^-1 W D: exact (powers of two), entries W_ij 2^(shift_j - shift_i)
            final int[] shift = scaling.shifts();
            for (int i = 0; i < n; i++) {
                final int row = i * n;
                final int si = shift[i];
                for (int j = 0; j < n; j++) {
                    wd[row + j] = Math.scalb(wd[row + j], shift[j] - si);
                }
            }
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
    void solveEquilibrated(final double[] b) {
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
