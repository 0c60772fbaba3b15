package org.neurode.solvers.stiff;

/**
 * LU factorization with partial pivoting of a dense complex n x n matrix stored as separate real and
 * imaginary row-major arrays, for the complex linear system of the transformed Radau IIA Newton iteration
 * ({@link RadauIIA5}): about \( 8n^3/3 \) real flops, half of those of the equivalent real 2n x 2n
 * system \( [[A_r, -A_i], [A_i, A_r]] \), with half its storage.
 * Every array is allocated by the constructor; {@link #factor} and {@link #solve} allocate nothing.
 *
 * <p>Pivots are chosen by the largest \( |re| + |im| \) in the column (as LINPACK's {@code zgefa}, which
 * Hairer and Wanner's {@code DECC} follows).
 *
 * @since 0.2
 */
public final class ComplexLu {

    private final int n;
    /** Real and imaginary parts of L (strictly below the diagonal, unit diagonal) and U, row-major. */
    private final double[] re;
    private final double[] im;
    /** Row exchanged with row k at elimination step k. */
    private final int[] pivot;

    /**
     * @param n matrix dimension (not negative)
     */
    public ComplexLu(final int n) {
        if (n < 0) {
            throw new IllegalArgumentException("dimension must not be negative: " + n);
        }
        this.n = n;
        this.re = new double[n * n];
        this.im = new double[n * n];
        this.pivot = new int[n];
    }

    /** @return the dimension */
    public int dimension() {
        return n;
    }

    /**
     * Factorizes the matrix \( A = \mathrm{re} + i\,\mathrm{im} \).
     *
     * @param aRe real part, row-major n x n (copied, not modified)
     * @param aIm imaginary part, row-major n x n (copied, not modified)
     * @return false if a pivot is exactly zero or not finite (the factors are then unusable)
     */
    public boolean factor(final double[] aRe, final double[] aIm) {
        System.arraycopy(aRe, 0, re, 0, n * n);
        System.arraycopy(aIm, 0, im, 0, n * n);
        for (int k = 0; k < n; k++) {
            // pivot search in column k
            int p = k;
            double best = Math.abs(re[k * n + k]) + Math.abs(im[k * n + k]);
            for (int i = k + 1; i < n; i++) {
                final double m = Math.abs(re[i * n + k]) + Math.abs(im[i * n + k]);
                if (m > best) {
                    best = m;
                    p = i;
                }
            }
            pivot[k] = p;
            if (!(best > 0.0) || best == Double.POSITIVE_INFINITY) {
                return false;
            }
            if (p != k) {
                for (int j = 0; j < n; j++) {
                    swap(re, k * n + j, p * n + j);
                    swap(im, k * n + j, p * n + j);
                }
            }
            // 1 / pivot
            final double pr = re[k * n + k];
            final double pi = im[k * n + k];
            final double d = pr * pr + pi * pi;
            final double ir = pr / d;
            final double ii = -pi / d;
            for (int i = k + 1; i < n; i++) {
                final int ik = i * n + k;
                final double lr = re[ik] * ir - im[ik] * ii;
                final double li = re[ik] * ii + im[ik] * ir;
                re[ik] = lr;
                im[ik] = li;
                if (lr == 0.0 && li == 0.0) {
                    continue;
                }
                for (int j = k + 1; j < n; j++) {
                    final int kj = k * n + j;
                    final int ij = i * n + j;
                    re[ij] -= lr * re[kj] - li * im[kj];
                    im[ij] -= lr * im[kj] + li * re[kj];
                }
            }
        }
        return true;
    }

    /**
     * Solves \( A x = b \) in place with the factors of the last successful {@link #factor}.
     *
     * @param bRe real part of b on entry, of x on return (length n)
     * @param bIm imaginary part of b on entry, of x on return (length n)
     */
    public void solve(final double[] bRe, final double[] bIm) {
        // forward substitution with the row exchanges applied as they happened
        for (int k = 0; k < n; k++) {
            final int p = pivot[k];
            if (p != k) {
                swap(bRe, k, p);
                swap(bIm, k, p);
            }
            final double xr = bRe[k];
            final double xi = bIm[k];
            for (int i = k + 1; i < n; i++) {
                final int ik = i * n + k;
                bRe[i] -= re[ik] * xr - im[ik] * xi;
                bIm[i] -= re[ik] * xi + im[ik] * xr;
            }
        }
        // back substitution with U
        for (int i = n - 1; i >= 0; i--) {
            double sr = bRe[i];
            double si = bIm[i];
            for (int j = i + 1; j < n; j++) {
                final int ij = i * n + j;
                sr -= re[ij] * bRe[j] - im[ij] * bIm[j];
                si -= re[ij] * bIm[j] + im[ij] * bRe[j];
            }
            final double ur = re[i * n + i];
            final double ui = im[i * n + i];
            final double d = ur * ur + ui * ui;
            bRe[i] = (sr * ur + si * ui) / d;
            bIm[i] = (si * ur - sr * ui) / d;
        }
    }

    private static void swap(final double[] a, final int i, final int j) {
        final double s = a[i];
        a[i] = a[j];
        a[j] = s;
    }
}
