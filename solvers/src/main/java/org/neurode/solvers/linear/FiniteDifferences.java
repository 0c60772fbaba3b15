package org.neurode.solvers.linear;

import java.util.Arrays;
import java.util.Objects;

import org.neurode.core.JacobianPattern;

/**
 * Forward-difference Jacobians \( J_{:j} \approx (f(t, y + \delta_j e_j) - f(t, y)) / \delta_j \) with increments
 * \( \delta_j = \sqrt{\epsilon}\, \max(|y_j|, atol_j / rtol_j) \) (the difference actually represented,
 * \( (y_j + \delta_j) - y_j \), is divided by).
 *
 * <ul>
 * <li>{@link #dense}: one evaluation per column, every entry of the n x n matrix.</li>
 * <li>{@link #sparse} (with a {@link JacobianPattern}): the columns are grouped so that no two columns of a group
 * have a non-zero in the same row, and all columns of a group are perturbed in one evaluation (Curtis, Powell
 * and Reid, "On the estimation of sparse Jacobian matrices", J. Inst. Maths Applics 13, 117-119, 1974). Since a
 * row sees at most one perturbed column of the group, each entry is the same difference quotient as column by
 * column (to the rounding of evaluating f with other, structurally absent, components changed: none if f does
 * not read them). The groups are a greedy colouring of the column intersection graph, columns taken in
 * largest-first order of their degree (Coleman and Moré, SIAM J. Numer. Anal. 20, 187-209, 1983): 3 groups for
 * a tridiagonal matrix, {@code 2b + 1} or a few more for bandwidth b, n for a full row.</li>
 * </ul>
 *
 * <p>The colouring and the column-wise index are computed once in the constructor (cost
 * \( \sum_i \mathrm{nnz}(\mathrm{row}_i)^2 \)); evaluation allocates nothing. One instance per simulation
 * (work arrays).
 *
 * @since 0.5
 */
public final class FiniteDifferences {

    /** A right-hand side, counted by its owner. */
    @FunctionalInterface
    public interface Function {
        /**
         * @param t    time
         * @param y    state (not modified)
         * @param dydt derivatives (modified)
         */
        void evaluate(double t, double[] y, double[] dydt);
    }

    private static final double SQRT_EPS = Math.sqrt(Math.ulp(1.0));

    private final int n;
    private final double[] atol;
    private final double[] rtol;
    private final double[] work;
    private final double[] work2;
    private final double[] delta;
    private final JacobianPattern pattern;
    // column-wise (CSC) index of the pattern: rows of column j at colStart[j]..colStart[j+1]-1, and the
    // position of each entry in the row-wise value array
    private final int[] colStart;
    private final int[] colRows;
    private final int[] colPositions;
    // groups: the columns of group g at groupStart[g]..groupStart[g+1]-1 of groupColumns
    private final int[] groupStart;
    private final int[] groupColumns;

    /**
     * @param n       dimension
     * @param pattern the Jacobian's pattern, or null (then only {@link #dense} is available)
     * @param atol    absolute tolerances, n entries (copied)
     * @param rtol    relative tolerances, n entries (copied)
     */
    public FiniteDifferences(final int n, final JacobianPattern pattern, final double[] atol, final double[] rtol) {
        if (atol.length != n || rtol.length != n) {
            throw new IllegalArgumentException("tolerances: " + n + " entries expected, got " + atol.length + " and "
                    + rtol.length);
        }
        if (pattern != null && pattern.dimension() != n) {
            throw new IllegalArgumentException("Jacobian pattern of dimension " + pattern.dimension()
                    + " for a state of dimension " + n);
        }
        this.n = n;
        this.atol = atol.clone();
        this.rtol = rtol.clone();
        this.work = new double[n];
        this.work2 = new double[n];
        this.delta = new double[n];
        this.pattern = pattern;
        if (pattern == null) {
            colStart = null;
            colRows = null;
            colPositions = null;
            groupStart = null;
            groupColumns = null;
            return;
        }
        final int nnz = pattern.nonZeros();
        final int[] rowStart = pattern.rowStart();
        final int[] cols = pattern.columns();
        colStart = new int[n + 1];
        for (int k = 0; k < nnz; k++) {
            colStart[cols[k] + 1]++;
        }
        for (int j = 0; j < n; j++) {
            colStart[j + 1] += colStart[j];
        }
        colRows = new int[nnz];
        colPositions = new int[nnz];
        final int[] next = Arrays.copyOf(colStart, n);
        for (int i = 0; i < n; i++) {
            for (int k = rowStart[i]; k < rowStart[i + 1]; k++) {
                final int p = next[cols[k]]++;
                colRows[p] = i;
                colPositions[p] = k;
            }
        }
        final int[] color = colour(n, rowStart, cols, colStart, colRows);
        int groups = 0;
        for (int j = 0; j < n; j++) {
            groups = Math.max(groups, color[j] + 1);
        }
        groupStart = new int[groups + 1];
        for (int j = 0; j < n; j++) {
            groupStart[color[j] + 1]++;
        }
        for (int g = 0; g < groups; g++) {
            groupStart[g + 1] += groupStart[g];
        }
        groupColumns = new int[n];
        final int[] gnext = Arrays.copyOf(groupStart, groups);
        for (int j = 0; j < n; j++) {
            groupColumns[gnext[color[j]]++] = j;
        }
    }

    /**
     * Greedy colouring of the column intersection graph in largest-first order.
     *
     * @return the colour (group) of each column
     */
    private static int[] colour(final int n, final int[] rowStart, final int[] cols, final int[] colStart,
                                final int[] colRows) {
        // a full row needs n groups whatever the order: one column per group, no colouring
        for (int i = 0; i < n; i++) {
            if (rowStart[i + 1] - rowStart[i] == n) {
                final int[] identity = new int[n];
                for (int j = 0; j < n; j++) {
                    identity[j] = j;
                }
                return identity;
            }
        }
        // degree of each column: distinct other columns sharing a row
        final int[] degree = new int[n];
        final int[] mark = new int[n];
        Arrays.fill(mark, -1);
        for (int j = 0; j < n; j++) {
            int d = 0;
            mark[j] = j;
            for (int p = colStart[j]; p < colStart[j + 1]; p++) {
                final int i = colRows[p];
                for (int k = rowStart[i]; k < rowStart[i + 1]; k++) {
                    final int c = cols[k];
                    if (mark[c] != j) {
                        mark[c] = j;
                        d++;
                    }
                }
            }
            degree[j] = d;
        }
        // largest first, ties by index (a stable counting sort on the degree)
        int maxDegree = 0;
        for (int j = 0; j < n; j++) {
            maxDegree = Math.max(maxDegree, degree[j]);
        }
        final int[] bucket = new int[maxDegree + 2];
        for (int j = 0; j < n; j++) {
            bucket[maxDegree - degree[j] + 1]++;
        }
        for (int d = 0; d <= maxDegree; d++) {
            bucket[d + 1] += bucket[d];
        }
        final int[] order = new int[n];
        for (int j = 0; j < n; j++) {
            order[bucket[maxDegree - degree[j]]++] = j;
        }
        final int[] color = new int[n];
        Arrays.fill(color, -1);
        final int[] forbidden = new int[n + 1];
        Arrays.fill(forbidden, -1);
        for (int o = 0; o < n; o++) {
            final int j = order[o];
            for (int p = colStart[j]; p < colStart[j + 1]; p++) {
                final int i = colRows[p];
                for (int k = rowStart[i]; k < rowStart[i + 1]; k++) {
                    final int c = color[cols[k]];
                    if (c >= 0) {
                        forbidden[c] = j;
                    }
                }
            }
            int c = 0;
            while (forbidden[c] == j) {
                c++;
            }
            color[j] = c;
        }
        return color;
    }

    /** @return the number of evaluations per sparse Jacobian (the number of column groups), or n without pattern */
    public int groups() {
        return groupStart == null ? n : groupStart.length - 1;
    }

    /** @return the pattern, or null */
    public JacobianPattern pattern() {
        return pattern;
    }

    private double increment(final int j, final double yj) {
        final double scale = Math.max(Math.abs(yj), atol[j] / Math.max(rtol[j], 1e-300));
        return SQRT_EPS * Math.max(scale, 1e-300);
    }

    /**
     * The full Jacobian, one evaluation per column (n evaluations).
     *
     * @param f    the right-hand side
     * @param t    time
     * @param y    state (not modified)
     * @param fy   \( f(t, y) \) (not modified)
     * @param dfdy the Jacobian, row-major n x n (modified)
     */
    public void dense(final Function f, final double t, final double[] y, final double[] fy, final double[] dfdy) {
        System.arraycopy(y, 0, work, 0, n);
        for (int j = 0; j < n; j++) {
            final double yj = y[j];
            work[j] = yj + increment(j, yj);
            final double dj = work[j] - yj;
            f.evaluate(t, work, work2);
            for (int i = 0; i < n; i++) {
                dfdy[i * n + j] = (work2[i] - fy[i]) / dj;
            }
            work[j] = yj;
        }
    }

    /**
     * The Jacobian at the pattern's entries, one evaluation per column group ({@link #groups()} evaluations).
     *
     * @param f      the right-hand side
     * @param t      time
     * @param y      state (not modified)
     * @param fy     \( f(t, y) \) (not modified)
     * @param values the entries in the pattern's order (modified)
     * @throws IllegalStateException if constructed without a pattern
     */
    public void sparse(final Function f, final double t, final double[] y, final double[] fy, final double[] values) {
        if (groupStart == null) {
            throw new IllegalStateException("finite differences without a Jacobian pattern");
        }
        Objects.checkFromIndexSize(0, pattern.nonZeros(), values.length);
        System.arraycopy(y, 0, work, 0, n);
        final int groups = groupStart.length - 1;
        for (int g = 0; g < groups; g++) {
            final int from = groupStart[g];
            final int to = groupStart[g + 1];
            for (int q = from; q < to; q++) {
                final int j = groupColumns[q];
                final double yj = y[j];
                work[j] = yj + increment(j, yj);
                delta[j] = work[j] - yj;
            }
            f.evaluate(t, work, work2);
            for (int q = from; q < to; q++) {
                final int j = groupColumns[q];
                final double dj = delta[j];
                for (int p = colStart[j]; p < colStart[j + 1]; p++) {
                    final int i = colRows[p];
                    values[colPositions[p]] = (work2[i] - fy[i]) / dj;
                }
                work[j] = y[j];
            }
        }
    }
}
