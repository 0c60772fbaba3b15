package org.neurode.core;

import java.util.Arrays;

/**
 * The structural sparsity pattern of a Jacobian \( J_{ij} = \partial f_i / \partial y_j \) in compressed sparse row
 * form: the entries of row i are at positions {@code rowStart[i]} to {@code rowStart[i + 1] - 1} of
 * {@link #columns()}, with strictly increasing column indices. An entry that is not listed is zero for every
 * (t, y); a listed entry may be zero at some points. Immutable.
 *
 * <p>Used by stiff solvers to store and factor sparse Newton matrices, and by finite differences to perturb many
 * columns in one evaluation (Curtis, Powell and Reid, "On the estimation of sparse Jacobian matrices",
 * J. Inst. Maths Applics 13, 117-119, 1974).
 *
 * @since 0.5
 */
public final class JacobianPattern {

    private final int n;
    private final int[] rowStart;
    private final int[] columns;

    /**
     * @param n        dimension (rows and columns)
     * @param rowStart n + 1 offsets into {@code columns}, starting at 0, non-decreasing (copied)
     * @param columns  column indices, strictly increasing within each row, in [0, n) (copied)
     * @throws OdeException if the arrays do not describe such a pattern
     */
    public JacobianPattern(final int n, final int[] rowStart, final int[] columns) {
        if (n < 0 || rowStart.length != n + 1 || rowStart[0] != 0 || rowStart[n] != columns.length) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "Jacobian pattern: " + (n + 1)
                    + " row offsets starting at 0 and ending at the entry count " + columns.length + " expected");
        }
        for (int i = 0; i < n; i++) {
            if (rowStart[i + 1] < rowStart[i]) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "Jacobian pattern: row offsets decrease at row "
                        + i);
            }
            for (int k = rowStart[i]; k < rowStart[i + 1]; k++) {
                final int c = columns[k];
                if (c < 0 || c >= n || (k > rowStart[i] && c <= columns[k - 1])) {
                    throw new OdeException(ErrorCode.INVALID_ARGUMENT, "Jacobian pattern: row " + i
                            + " has column " + c + " out of [0, " + n + ") or not increasing");
                }
            }
        }
        this.n = n;
        this.rowStart = rowStart.clone();
        this.columns = columns.clone();
    }

    /**
     * @param n dimension
     * @return the full pattern: every entry listed
     */
    public static JacobianPattern dense(final int n) {
        final int[] start = new int[n + 1];
        final int[] cols = new int[n * n];
        for (int i = 0; i < n; i++) {
            start[i + 1] = (i + 1) * n;
            for (int j = 0; j < n; j++) {
                cols[i * n + j] = j;
            }
        }
        return new JacobianPattern(n, start, cols);
    }

    /** @return the dimension */
    public int dimension() {
        return n;
    }

    /** @return the number of listed entries */
    public int nonZeros() {
        return columns.length;
    }

    /** @return the row offsets, n + 1 entries (do not modify) */
    public int[] rowStart() {
        return rowStart;
    }

    /** @return the column indices of the entries, row by row (do not modify) */
    public int[] columns() {
        return columns;
    }

    /**
     * @param i row
     * @param j column
     * @return the position of entry (i, j) in the value array, or -1 if it is not listed
     */
    public int indexOf(final int i, final int j) {
        final int k = Arrays.binarySearch(columns, rowStart[i], rowStart[i + 1], j);
        return k >= 0 ? k : -1;
    }

    /**
     * Writes the listed values into a dense row-major matrix, zeros elsewhere: the dense Jacobian of a
     * {@link SparseJacobianEquation}, for methods that factor dense Newton matrices.
     *
     * @param values the entries in this pattern's order, {@link #nonZeros()} of them (not modified)
     * @param dense  n x n, row-major: {@code dense[i * n + j]} (every element written)
     * @since 0.5
     */
    public void toDense(final double[] values, final double[] dense) {
        java.util.Arrays.fill(dense, 0, n * n, 0.0);
        for (int i = 0; i < n; i++) {
            final int row = i * n;
            for (int k = rowStart[i]; k < rowStart[i + 1]; k++) {
                dense[row + columns[k]] = values[k];
            }
        }
    }

    /**
     * Multiplies the matrix with this pattern and the given values by a vector.
     *
     * @param values the entries in pattern order ({@link #nonZeros()} of them; not modified)
     * @param x      the vector (not modified)
     * @param out    \( J x \) (modified; must not be {@code x})
     */
    public void multiply(final double[] values, final double[] x, final double[] out) {
        for (int i = 0; i < n; i++) {
            double s = 0.0;
            for (int k = rowStart[i]; k < rowStart[i + 1]; k++) {
                s += values[k] * x[columns[k]];
            }
            out[i] = s;
        }
    }

    /** @return true if every entry is listed */
    public boolean isDense() {
        return columns.length == n * n;
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof JacobianPattern p && p.n == n && Arrays.equals(p.rowStart, rowStart)
                && Arrays.equals(p.columns, columns);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(rowStart) + Arrays.hashCode(columns);
    }

    @Override
    public String toString() {
        return "JacobianPattern[n=" + n + ", nonZeros=" + columns.length + "]";
    }
}
