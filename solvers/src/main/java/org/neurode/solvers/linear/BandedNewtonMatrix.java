package org.neurode.solvers.linear;

import java.util.Arrays;

import org.neurode.core.JacobianPattern;
import org.neurode.solvers.adaptive.StepContext;

/**
 * Banded storage: J as values in the order of the equation's {@link JacobianPattern}, whose entries lie within
 * {@code kl} diagonals below and {@code ku} above the main one; \( \alpha I - J \) in LAPACK's band layout with
 * {@code kl} extra rows for the fill of row interchanges, factored by Gaussian elimination with partial pivoting
 * as LAPACK's {@code dgbtf2} (the unblocked {@code dgbtrf}) and solved as {@code dgbtrs}: about
 * \( 2 n\, kl\, (kl + ku) \) flops per factorization and \( 2n(2kl + ku) \) per solve, no index arithmetic in
 * the inner loops. Equilibrated by the error weights as the dense storage ({@link Equilibration}).
 *
 * <p>Layout: column-major, {@code ldab = 2 kl + ku + 1} entries per column; entry (i, j) at
 * {@code j * ldab + kl + ku + i - j}. The U factor has {@code kl + ku} superdiagonals (row interchanges move
 * entries up to {@code kl} further right); the multipliers of L stay in the {@code kl} subdiagonals.
 *
 * @since 0.5
 */
final class BandedNewtonMatrix extends PatternedNewtonMatrix {

    private final int kl;
    private final int ku;
    private final int kv;
    private final int ldab;
    /** Band position of each pattern entry. */
    private final int[] entryAt;
    private final double[] ab;
    private final int[] pivot;

    BandedNewtonMatrix(final StepContext context) {
        super(context);
        final int[] bw = bandwidths(pattern);
        this.kl = bw[0];
        this.ku = bw[1];
        this.kv = kl + ku;
        this.ldab = 2 * kl + ku + 1;
        this.entryAt = new int[pattern.nonZeros()];
        final int[] rowStart = pattern.rowStart();
        final int[] cols = pattern.columns();
        for (int i = 0; i < n; i++) {
            for (int k = rowStart[i]; k < rowStart[i + 1]; k++) {
                final int j = cols[k];
                entryAt[k] = j * ldab + kv + i - j;
            }
        }
        this.ab = new double[Math.multiplyExact(ldab, n)];
        this.pivot = new int[n];
    }

    /**
     * @param pattern a pattern
     * @return {kl, ku}: the largest distance of an entry below and above the diagonal
     */
    static int[] bandwidths(final JacobianPattern pattern) {
        final int[] rowStart = pattern.rowStart();
        final int[] cols = pattern.columns();
        int lower = 0;
        int upper = 0;
        for (int i = 0; i < pattern.dimension(); i++) {
            if (rowStart[i + 1] > rowStart[i]) {
                lower = Math.max(lower, i - cols[rowStart[i]]);
                upper = Math.max(upper, cols[rowStart[i + 1] - 1] - i);
            }
        }
        return new int[] {lower, upper};
    }

    @Override
    public boolean factor(final double alpha) {
        Arrays.fill(ab, 0.0);
        // D^-1 (alpha I - J) D, exact: the diagonal is unchanged
        scaling.scatterNegated(pattern, values, entryAt, ab);
        for (int j = 0; j < n; j++) {
            ab[j * ldab + kv] += alpha;
        }
        context.countFactorization();
        // dgbtf2: column j, pivot among rows j .. j + km; ju is the last column touched so far
        int ju = 0;
        for (int j = 0; j < n; j++) {
            final int km = Math.min(kl, n - 1 - j);
            final int base = j * ldab + kv;
            int jp = 0;
            double max = Math.abs(ab[base]);
            for (int p = 1; p <= km; p++) {
                final double v = Math.abs(ab[base + p]);
                if (v > max) {
                    max = v;
                    jp = p;
                }
            }
            pivot[j] = j + jp;
            final double piv = ab[base + jp];
            if (piv == 0.0 || !Double.isFinite(piv)) {
                return false;
            }
            ju = Math.max(ju, Math.min(j + ku + jp, n - 1));
            if (jp != 0) {
                // exchange rows j and j + jp in columns j .. ju
                for (int c = j; c <= ju; c++) {
                    final int i1 = c * ldab + kv + j - c;
                    final int i2 = i1 + jp;
                    final double tmp = ab[i1];
                    ab[i1] = ab[i2];
                    ab[i2] = tmp;
                }
            }
            if (km > 0) {
                final double inv = 1.0 / ab[base];
                for (int p = 1; p <= km; p++) {
                    ab[base + p] *= inv;
                }
                for (int c = j + 1; c <= ju; c++) {
                    final int top = c * ldab + kv + j - c;
                    final double ujc = ab[top];
                    if (ujc != 0.0) {
                        for (int p = 1; p <= km; p++) {
                            ab[top + p] -= ab[base + p] * ujc;
                        }
                    }
                }
            }
        }
        return true;
    }

    @Override
    void solveEquilibrated(final double[] b) {
        // L: row interchanges and multipliers (dgbtrs)
        if (kl > 0) {
            for (int j = 0; j < n - 1; j++) {
                final int lm = Math.min(kl, n - 1 - j);
                final int l = pivot[j];
                if (l != j) {
                    final double tmp = b[l];
                    b[l] = b[j];
                    b[j] = tmp;
                }
                final double bj = b[j];
                if (bj != 0.0) {
                    final int base = j * ldab + kv;
                    for (int p = 1; p <= lm; p++) {
                        b[j + p] -= ab[base + p] * bj;
                    }
                }
            }
        }
        // U: upper triangular with kv superdiagonals (dtbsv)
        for (int j = n - 1; j >= 0; j--) {
            final int base = j * ldab + kv;
            final double xj = b[j] / ab[base];
            b[j] = xj;
            if (xj != 0.0) {
                final int from = Math.max(0, j - kv);
                for (int i = from; i < j; i++) {
                    b[i] -= ab[base + i - j] * xj;
                }
            }
        }
    }

    @Override
    public String storage() {
        return "banded";
    }

    /** @return the lower and upper bandwidth */
    int[] bandwidths() {
        return new int[] {kl, ku};
    }
}
