package org.neurode.solvers.linear;

import java.util.Arrays;
import java.util.Objects;

import org.ejml.data.DMatrixSparseCSC;
import org.ejml.sparse.csc.decomposition.lu.LuUpLooking_DSCC;
import org.ejml.sparse.csc.misc.TriangularSolver_DSCC;
import org.neurode.core.JacobianPattern;
import org.neurode.solvers.adaptive.StepContext;

/**
 * Sparse storage: J as values in the order of the equation's {@link JacobianPattern}, \( \alpha I - J \) assembled
 * symmetrically permuted, \( P(\alpha I - J)P^T \), in compressed sparse columns and factored by EJML's
 * left-looking sparse LU with partial pivoting ({@code LuUpLooking_DSCC}, Gilbert and Peierls' algorithm as in
 * Davis' CSparse {@code cs_lu}: the pattern of each column of L and U found by a depth-first search, work
 * proportional to the arithmetic).
 *
 * <p>Done once per pattern, in the constructor: the fill-reducing order P (minimum degree on \( A + A^T \),
 * {@link MinimumDegree}) and the assembly map from pattern entries (and the diagonal, always stored) to positions
 * in the permuted CSC matrix. Per factorization: O(nnz) assembly, then the numeric factorization (whose row
 * pivots depend on the values, so EJML redoes the symbolic depth-first search; it cannot lock the structure).
 * Per solve: the two permutations and two sparse triangular solves.
 *
 * @since 0.5
 */
final class SparseNewtonMatrix implements NewtonMatrix {

    private final StepContext context;
    private final int n;
    private final JacobianPattern pattern;
    /** J at the pattern's entries. */
    private final double[] values;
    /** order[k]: the original index at position k; position[i]: the position of original index i. */
    private final int[] order;
    private final int[] position;
    /** P (alpha I - J) P^T in CSC form (structure fixed), the CSC position of each pattern entry and diagonal. */
    private final DMatrixSparseCSC a;
    private final int[] entryAt;
    private final int[] diagonalAt;
    private final LuUpLooking_DSCC lu;
    private final double[] x;
    private final double[] z;

    SparseNewtonMatrix(final StepContext context) {
        this(context, MinimumDegree.order(Objects.requireNonNull(context.jacobianPattern(), "pattern")));
    }

    /**
     * @param context the context (must give a pattern)
     * @param order   the elimination order (a permutation of 0..n-1)
     */
    SparseNewtonMatrix(final StepContext context, final int[] order) {
        this.context = context;
        this.pattern = Objects.requireNonNull(context.jacobianPattern(), "pattern");
        this.n = context.dimension();
        this.values = new double[pattern.nonZeros()];
        this.order = order.clone();
        this.position = new int[n];
        for (int k = 0; k < n; k++) {
            position[order[k]] = k;
        }
        // CSC of P (alpha I - J) P^T: entry (i, j) of J goes to (position[i], position[j]); count per column
        final int[] rowStart = pattern.rowStart();
        final int[] cols = pattern.columns();
        final int[] count = new int[n + 1];
        int diagonals = 0;
        for (int i = 0; i < n; i++) {
            boolean hasDiagonal = false;
            for (int k = rowStart[i]; k < rowStart[i + 1]; k++) {
                count[position[cols[k]] + 1]++;
                hasDiagonal |= cols[k] == i;
            }
            if (!hasDiagonal) {
                count[position[i] + 1]++;
                diagonals++;
            }
        }
        for (int j = 0; j < n; j++) {
            count[j + 1] += count[j];
        }
        final int nnz = pattern.nonZeros() + diagonals;
        a = new DMatrixSparseCSC(n, n, nnz);
        a.nz_length = nnz;
        System.arraycopy(count, 0, a.col_idx, 0, n + 1);
        entryAt = new int[pattern.nonZeros()];
        diagonalAt = new int[n];
        final int[] next = Arrays.copyOf(count, n);
        // rows in increasing order within each column: walk the permuted rows in order
        for (int pi = 0; pi < n; pi++) {
            final int i = order[pi];
            boolean hasDiagonal = false;
            for (int k = rowStart[i]; k < rowStart[i + 1]; k++) {
                final int pj = position[cols[k]];
                final int p = next[pj]++;
                a.nz_rows[p] = pi;
                entryAt[k] = p;
                if (cols[k] == i) {
                    hasDiagonal = true;
                    diagonalAt[i] = p;
                }
            }
            if (!hasDiagonal) {
                final int p = next[pi]++;
                a.nz_rows[p] = pi;
                diagonalAt[i] = p;
            }
        }
        // rows were appended in increasing permuted row order, so each column is sorted
        a.indicesSorted = true;
        lu = new LuUpLooking_DSCC(null);
        x = new double[n];
        z = new double[n];
    }

    @Override
    public int dimension() {
        return n;
    }

    @Override
    public void evaluate(final double t, final double[] y, final double[] fy) {
        context.jacobianValues(t, y, fy, values);
    }

    @Override
    public boolean factor(final double alpha) {
        final double[] v = a.nz_values;
        for (int i = 0; i < n; i++) {
            v[diagonalAt[i]] = 0.0;
        }
        for (int k = 0; k < values.length; k++) {
            v[entryAt[k]] = -values[k];
        }
        for (int i = 0; i < n; i++) {
            v[diagonalAt[i]] += alpha;
        }
        context.countFactorization();
        if (!lu.decompose(a)) {
            return false;
        }
        final DMatrixSparseCSC u = lu.getU();
        final int[] uc = u.col_idx;
        for (int j = 0; j < n; j++) {
            final double p = u.nz_values[uc[j + 1] - 1];
            if (p == 0.0 || !Double.isFinite(p)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void solve(final double[] b) {
        // P A P^T = Pr^T L U (Pr: the row pivots, pinv); A x = b  <=>  (P A P^T)(P x) = P b
        final int[] pinv = lu.getPinv();
        for (int i = 0; i < n; i++) {
            x[i] = b[order[i]];
        }
        for (int i = 0; i < n; i++) {
            z[pinv[i]] = x[i];
        }
        TriangularSolver_DSCC.solveL(lu.getL(), z);
        TriangularSolver_DSCC.solveU(lu.getU(), z);
        for (int i = 0; i < n; i++) {
            b[order[i]] = z[i];
        }
    }

    @Override
    public void multiply(final double[] xx, final double[] out) {
        final int[] rowStart = pattern.rowStart();
        final int[] cols = pattern.columns();
        for (int i = 0; i < n; i++) {
            double s = 0.0;
            for (int k = rowStart[i]; k < rowStart[i + 1]; k++) {
                s += values[k] * xx[cols[k]];
            }
            out[i] = s;
        }
    }

    @Override
    public String storage() {
        return "sparse";
    }

    /** @return entries of L and U of the last factorization (fill, for measurements) */
    long factorEntries() {
        return (long) lu.getL().nz_length + lu.getU().nz_length;
    }
}
