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
 * {@link MinimumDegree}, kept per pattern) and the assembly map from pattern entries (and the diagonal, always
 * stored) to positions in the permuted CSC matrix. The first factorization is EJML's, with partial pivoting; it
 * fixes the row pivots and the structure of L and U. Later factorizations (new J or new alpha) reuse them, as KLU's
 * {@code klu_refactor}: a numeric pass over the known structure, no depth-first search and no pivot search, with
 * each pivot checked against the entries below it (at least a tenth of the largest, so growth stays bounded);
 * a pivot that fails repeats the pivoted factorization. Per factorization: O(nnz) assembly plus the arithmetic.
 * Per solve: the two permutations and two sparse triangular solves. Equilibrated by the error weights as the dense
 * storage ({@link Equilibration}).
 *
 * @since 0.5
 */
final class SparseNewtonMatrix extends PatternedNewtonMatrix {

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
    /** Dense work column of the refactorization (zero between columns). */
    private final double[] work;
    /** True once a pivoted factorization has fixed the pivot order and the structure of L and U. */
    private boolean structureKnown;
    /** U's entries of each column above the diagonal, as positions in U sorted by row (the order of elimination). */
    private int[] upperOrder = new int[0];
    private long fullFactorizations;
    private long refactorizations;

    SparseNewtonMatrix(final StepContext context) {
        this(context, MinimumDegree.order(Objects.requireNonNull(context.jacobianPattern(), "pattern")));
    }

    /**
     * @param context the context (must give a pattern)
     * @param order   the elimination order (a permutation of 0..n-1)
     */
    SparseNewtonMatrix(final StepContext context, final int[] order) {
        super(context);
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
        work = new double[n];
    }

    @Override
    public boolean factor(final double alpha) {
        final double[] v = a.nz_values;
        for (int i = 0; i < n; i++) {
            v[diagonalAt[i]] = 0.0;
        }
        // D^-1 (alpha I - J) D, exact: the diagonal is unchanged
        scaling.scatterNegated(pattern, values, entryAt, v);
        for (int i = 0; i < n; i++) {
            v[diagonalAt[i]] += alpha;
        }
        context.countFactorization();
        if (structureKnown && refactor()) {
            refactorizations++;
            return true;
        }
        structureKnown = false;
        fullFactorizations++;
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
        rememberStructure();
        return true;
    }

    /**
     * After a pivoted factorization: U's off-diagonal entries of each column sorted by row, so that a
     * refactorization can eliminate in that order (allocates: once per change of pivot order, not per step).
     */
    private void rememberStructure() {
        final DMatrixSparseCSC u = lu.getU();
        final int nz = u.nz_length;
        if (upperOrder.length < nz) {
            upperOrder = new int[nz];
        }
        final int[] rows = u.nz_rows;
        for (int j = 0; j < n; j++) {
            final int from = u.col_idx[j];
            final int to = u.col_idx[j + 1] - 1;        // the diagonal is the column's last entry
            for (int p = from; p < to; p++) {
                upperOrder[p] = p;
            }
            // insertion sort by row (columns of U are short; EJML leaves them in depth-first order)
            for (int p = from + 1; p < to; p++) {
                final int q = upperOrder[p];
                final int r = rows[q];
                int m = p - 1;
                while (m >= from && rows[upperOrder[m]] > r) {
                    upperOrder[m + 1] = upperOrder[m];
                    m--;
                }
                upperOrder[m + 1] = q;
            }
        }
        structureKnown = true;
    }

    /**
     * Numeric refactorization with the pivot order and the structure of L and U of the last pivoted factorization
     * (as KLU's {@code klu_refactor}: no depth-first search, no pivot search): column by column, the entries of
     * \( P_r A(:,k) \) are scattered, eliminated by the columns of L that U(:,k) lists, in increasing pivot order,
     * and divided by the pivot. The pivot must keep at least {@value #PIVOT_THRESHOLD} of the largest entry it
     * divides (growth per step at most 10), else the factorization is redone with pivoting.
     *
     * @return false if a pivot was too small, zero or not finite (L and U are then partly overwritten)
     */
    private boolean refactor() {
        final DMatrixSparseCSC l = lu.getL();
        final DMatrixSparseCSC u = lu.getU();
        final int[] pinv = lu.getPinv();
        final int[] lc = l.col_idx;
        final int[] lr = l.nz_rows;
        final double[] lv = l.nz_values;
        final int[] uc = u.col_idx;
        final int[] ur = u.nz_rows;
        final double[] uv = u.nz_values;
        final int[] ac = a.col_idx;
        final int[] ar = a.nz_rows;
        final double[] av = a.nz_values;
        final double[] w = work;
        for (int k = 0; k < n; k++) {
            for (int p = ac[k]; p < ac[k + 1]; p++) {
                w[pinv[ar[p]]] = av[p];
            }
            final int diagonal = uc[k + 1] - 1;
            for (int q = uc[k]; q < diagonal; q++) {
                final int pos = upperOrder[q];
                final int j = ur[pos];
                final double ujk = w[j];
                w[j] = 0.0;
                uv[pos] = ujk;
                if (ujk != 0.0) {
                    // column j of L below its unit diagonal (the first entry)
                    for (int p = lc[j] + 1; p < lc[j + 1]; p++) {
                        w[lr[p]] -= lv[p] * ujk;
                    }
                }
            }
            final double pivot = w[k];
            w[k] = 0.0;
            uv[diagonal] = pivot;
            double largest = 0.0;
            for (int p = lc[k] + 1; p < lc[k + 1]; p++) {
                largest = Math.max(largest, Math.abs(w[lr[p]]));
            }
            final boolean bad = !(Math.abs(pivot) >= PIVOT_THRESHOLD * largest) || pivot == 0.0
                    || !Double.isFinite(pivot);
            for (int p = lc[k] + 1; p < lc[k + 1]; p++) {
                final int r = lr[p];
                lv[p] = w[r] / pivot;
                w[r] = 0.0;
            }
            if (bad) {
                // clear what later columns would have scattered: the work column is zero again
                return false;
            }
        }
        return true;
    }

    @Override
    void solveEquilibrated(final double[] b) {
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
    public String storage() {
        return "sparse";
    }

    /** A refactorization's pivot must be at least this fraction of the largest entry below it. */
    private static final double PIVOT_THRESHOLD = 0.1;

    /** @return {pivoted factorizations, refactorizations with a known pivot order} (for tests and measurements) */
    long[] factorizationCounts() {
        return new long[] {fullFactorizations, refactorizations};
    }

    /** @return entries of L and U of the last factorization (fill, for measurements) */
    long factorEntries() {
        return (long) lu.getL().nz_length + lu.getU().nz_length;
    }
}
