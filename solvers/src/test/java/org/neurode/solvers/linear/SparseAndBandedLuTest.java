package org.neurode.solvers.linear;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.LUDecomposition;
import org.hipparchus.linear.RealMatrix;
import org.junit.jupiter.api.Test;
import org.neurode.core.JacobianPattern;

/**
 * The sparse (EJML, minimum-degree order) and banded (dgbtrf-style) factorizations of \( \alpha I - J \) against
 * the dense one on random sparse matrices that need row exchanges.
 *
 * <p>Bounds as in {@code DenseLuResidualTest}: Gaussian elimination with partial pivoting in any symmetric order
 * is backward stable, \( \|b - Ax\|_\infty \le c\, n\, u\, \rho\, \|A\|_\infty \|x\|_\infty \) with \( \rho \)
 * the growth factor (Higham, Thm. 9.4); the sparse and band codes compute the same eliminations with other
 * orders of the same additions, so their normwise backward error \( \eta \) is asserted below
 * \( 16 n u \max(1, \rho_{dense}) \), with the dense LU's growth as the estimate of \( \rho \) (the sparse order
 * changes the pivots, so its growth differs), and the solutions agree with the dense one within
 * \( 4\kappa(\eta_s + \eta_d + 2nu) \). Measured over the 800 matrices (747 of them with row exchanges in the
 * dense LU, 433 narrow enough for the band code): \( \eta / (n u \rho) \) at most 0.50 (sparse) and 0.33
 * (banded), a margin of 32 and 48.
 */
class SparseAndBandedLuTest {

    private static final double U = Math.ulp(1.0) / 2.0;

    /** A random matrix of a family, row-major, with the pattern of its non-zeros. */
    private static double[] randomJacobian(final int family, final int n, final SplittableRandom rng) {
        final double[] j = new double[n * n];
        switch (family) {
            case 0 -> {
                // about 4 random entries per row, uniform in [-1, 1]
                for (int i = 0; i < n; i++) {
                    for (int k = 0; k < 4; k++) {
                        j[i * n + rng.nextInt(n)] = rng.nextDouble(-1.0, 1.0);
                    }
                }
            }
            case 1 -> {
                // random band, bandwidths 0..4 each, entries uniform
                final int kl = rng.nextInt(5);
                final int ku = rng.nextInt(5);
                for (int i = 0; i < n; i++) {
                    for (int c = Math.max(0, i - kl); c <= Math.min(n - 1, i + ku); c++) {
                        j[i * n + c] = rng.nextDouble(-1.0, 1.0);
                    }
                }
            }
            case 2 -> {
                // a dominant subdiagonal (a shifted chain): every elimination step exchanges rows
                final int kl = 1 + rng.nextInt(3);
                for (int i = 0; i < n; i++) {
                    j[i * n + i] = rng.nextDouble(-0.1, 0.1);
                    if (i >= kl) {
                        j[i * n + i - kl] = rng.nextDouble(5.0, 10.0) * (rng.nextBoolean() ? 1 : -1);
                    }
                    if (i + 1 < n) {
                        j[i * n + i + 1] = rng.nextDouble(-1.0, 1.0);
                    }
                }
            }
            default -> {
                // rows graded over eight decades, random sparse
                for (int i = 0; i < n; i++) {
                    final double scale = Math.pow(10.0, rng.nextDouble(-4.0, 4.0));
                    for (int k = 0; k < 3; k++) {
                        j[i * n + rng.nextInt(n)] = scale * rng.nextDouble(-1.0, 1.0);
                    }
                    j[i * n + (i + 1) % n] = scale;
                }
            }
        }
        return j;
    }

    @Test
    void sparseAndBandedLuSolveAsAccuratelyAsDenseLuOnMatricesThatNeedPivoting() {
        final SplittableRandom rng = new SplittableRandom(18L);
        double worstSparse = 0.0;
        double worstBanded = 0.0;
        int exchanges = 0;
        int bandedCases = 0;
        for (int trial = 0; trial < 800; trial++) {
            // GIVEN a random sparse J, a small shift (so the diagonal does not dominate) and a random b
            final int family = trial % 4;
            final int n = 2 + rng.nextInt(59);
            final double[] j = randomJacobian(family, n, rng);
            final JacobianPattern pattern = MatrixContext.patternOf(n, j);
            final double alpha = rng.nextDouble(1e-3, 0.5);
            final double[] b = new double[n];
            for (int i = 0; i < n; i++) {
                b[i] = rng.nextDouble(-1.0, 1.0);
            }
            final double[] a = shifted(n, j, alpha);
            final RealMatrix hip = new Array2DRowRealMatrix(n, n);
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < n; c++) {
                    hip.setEntry(i, c, a[i * n + c]);
                }
            }
            final LUDecomposition ref = new LUDecomposition(hip, 0.0);
            if (!ref.getSolver().isNonSingular()) {
                continue;
            }
            if (!isIdentity(ref.getPivot())) {
                exchanges++;
            }
            final double kappa = normInf(n, a) * normInf(n, flatten(ref.getSolver().getInverse()));
            // WHEN the dense, sparse and (if the band is narrow) banded matrices factor alpha I - J and solve
            final double[] xd = solveWith(NewtonMatrix.dense(new MatrixContext(n, j, pattern)), alpha, b);
            final double rho = growth(n, a, flatten(ref.getU()));
            final double etaD = backwardError(n, a, xd, b);
            final double[] xs = solveWith(NewtonMatrix.sparse(new MatrixContext(n, j, pattern)), alpha, b);
            final double etaS = backwardError(n, a, xs, b);
            // THEN each is backward stable and agrees with the dense solution within the condition number
            worstSparse = Math.max(worstSparse, etaS / (n * U * Math.max(1.0, rho)));
            assertTrue(etaS <= 16 * n * U * Math.max(1.0, rho),
                    "sparse, family " + family + " n " + n + ": eta " + etaS + " rho " + rho);
            assertTrue(relativeDifference(xs, xd) <= 4 * kappa * (etaS + etaD + 2 * n * U),
                    "sparse vs dense, family " + family + " n " + n + ": " + relativeDifference(xs, xd));
            final int[] bw = BandedNewtonMatrix.bandwidths(pattern);
            if (bw[0] + bw[1] <= 8) {
                bandedCases++;
                final double[] xb = solveWith(NewtonMatrix.banded(new MatrixContext(n, j, pattern)), alpha, b);
                final double etaB = backwardError(n, a, xb, b);
                worstBanded = Math.max(worstBanded, etaB / (n * U * Math.max(1.0, rho)));
                assertTrue(etaB <= 16 * n * U * Math.max(1.0, rho),
                        "banded, family " + family + " n " + n + ": eta " + etaB + " rho " + rho);
                assertTrue(relativeDifference(xb, xd) <= 4 * kappa * (etaB + etaD + 2 * n * U),
                        "banded vs dense, family " + family + " n " + n);
            }
        }
        assertTrue(exchanges > 400, "row exchanges in " + exchanges + " cases");
        assertTrue(bandedCases > 300, "banded cases " + bandedCases);
        assertTrue(worstSparse < 16 && worstBanded < 16, worstSparse + " " + worstBanded);
    }

    @Test
    void sparseRefactorizationReusesThePivotOrderAndFallsBackWhenAPivotBecomesSmall() {
        final SplittableRandom rng = new SplittableRandom(21L);
        int reused = 0;
        int redone = 0;
        for (int trial = 0; trial < 300; trial++) {
            // GIVEN a sparse J factored once (pivot order fixed), then new values on the same pattern and another
            // shift: half the time small changes, half the time new random values (often a different pivot order)
            final int family = trial % 4;
            final int n = 2 + rng.nextInt(59);
            final double[] j = randomJacobian(family, n, rng);
            final JacobianPattern pattern = MatrixContext.patternOf(n, j);
            final MatrixContext ctx = new MatrixContext(n, j, pattern);
            final SparseNewtonMatrix m = (SparseNewtonMatrix) NewtonMatrix.sparse(ctx);
            m.evaluate(0.0, new double[n], new double[n]);
            if (!m.factor(rng.nextDouble(1e-3, 0.5))) {
                continue;
            }
            final boolean small = rng.nextBoolean();
            for (int k = 0; k < n * n; k++) {
                if (j[k] != 0.0) {
                    j[k] = small ? j[k] * (1.0 + 1e-3 * rng.nextDouble(-1.0, 1.0)) : rng.nextDouble(-1.0, 1.0);
                }
            }
            final double alpha = rng.nextDouble(1e-3, 0.5);
            final double[] a = shifted(n, j, alpha);
            final RealMatrix hip = new Array2DRowRealMatrix(n, n);
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < n; c++) {
                    hip.setEntry(i, c, a[i * n + c]);
                }
            }
            final LUDecomposition ref = new LUDecomposition(hip, 0.0);
            if (!ref.getSolver().isNonSingular()) {
                continue;
            }
            final double rho = growth(n, a, flatten(ref.getU()));
            final double[] b = new double[n];
            for (int i = 0; i < n; i++) {
                b[i] = rng.nextDouble(-1.0, 1.0);
            }
            // WHEN factored again (refactorization, or a pivoted one if a pivot fell below a tenth of its column)
            m.evaluate(0.0, new double[n], new double[n]);
            final long[] before = m.factorizationCounts();
            assertTrue(m.factor(alpha), "family " + family + " n " + n);
            final long[] after = m.factorizationCounts();
            if (after[1] > before[1]) {
                reused++;
            } else {
                redone++;
            }
            final double[] x = b.clone();
            m.solve(x);
            // THEN backward stable as a fresh factorization (the threshold bounds the growth per step by 10; over
            // the 300 trials, 145 refactored and 155 pivoted again, eta / (n u rho) is at most 1.1)
            final double eta = backwardError(n, a, x, b);
            assertTrue(eta <= 64 * n * U * Math.max(1.0, rho), "family " + family + " n " + n + " eta " + eta
                    + " rho " + rho + (after[1] > before[1] ? " (refactored)" : " (pivoted)"));
        }
        assertTrue(reused > 100 && redone > 20, "reused " + reused + ", redone " + redone);
    }

    @Test
    void singularMatricesAreReportedByEveryStorageAndCounted() {
        // GIVEN J with a column that alpha I - J zeroes (J_22 = alpha, nothing else in column 2), and one with two
        // equal rows of alpha I - J
        final int n = 6;
        final double alpha = 0.5;
        final double[] j1 = new double[n * n];
        for (int i = 0; i < n; i++) {
            j1[i * n + i] = i == 2 ? alpha : -1.0;
            if (i + 1 < n && i + 1 != 2) {
                j1[i * n + i + 1] = 0.3;
            }
        }
        final double[] j2 = new double[n * n];
        for (int i = 0; i < n; i++) {
            j2[i * n + i] = -1.0;
        }
        // rows 3 and 4 of alpha I - J equal: (alpha + 1) at columns 3 and 4 in both
        j2[3 * n + 4] = -(alpha + 1);
        j2[4 * n + 3] = -(alpha + 1);
        j2[4 * n + 4] = j2[3 * n + 3];
        for (final double[] j : new double[][] {j1, j2}) {
            final JacobianPattern pattern = MatrixContext.patternOf(n, j);
            for (final String storage : new String[] {"dense", "sparse", "banded"}) {
                final MatrixContext ctx = new MatrixContext(n, j, pattern);
                final NewtonMatrix m = switch (storage) {
                    case "dense" -> NewtonMatrix.dense(ctx);
                    case "sparse" -> NewtonMatrix.sparse(ctx);
                    default -> NewtonMatrix.banded(ctx);
                };
                m.evaluate(0.0, new double[n], new double[n]);
                // WHEN factored at the singular shift THEN false; another shift factors
                assertFalse(m.factor(alpha), storage);
                assertTrue(m.factor(alpha + 1.0), storage);
                assertEquals(2, ctx.factorizations, storage);
                assertEquals(1, ctx.jacobians, storage);
                assertEquals(storage, m.storage());
            }
        }
    }

    @Test
    void multiplyGivesJxInEveryStorage() {
        final SplittableRandom rng = new SplittableRandom(3L);
        final int n = 30;
        final double[] j = randomJacobian(1, n, rng);
        final JacobianPattern pattern = MatrixContext.patternOf(n, j);
        final double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = rng.nextDouble(-1.0, 1.0);
        }
        final double[] expected = new double[n];
        new MatrixContext(n, j, null).derivatives(0.0, x, expected);
        for (final NewtonMatrix m : new NewtonMatrix[] {NewtonMatrix.dense(new MatrixContext(n, j, pattern)),
            NewtonMatrix.sparse(new MatrixContext(n, j, pattern)), NewtonMatrix.banded(new MatrixContext(n, j, pattern))}) {
            m.evaluate(0.0, x, expected);
            final double[] out = new double[n];
            m.multiply(x, out);
            for (int i = 0; i < n; i++) {
                assertEquals(expected[i], out[i], 1e-14, m.storage());
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    private static double[] solveWith(final NewtonMatrix m, final double alpha, final double[] b) {
        final int n = b.length;
        m.evaluate(0.0, new double[n], new double[n]);
        assertTrue(m.factor(alpha), m.storage());
        final double[] x = b.clone();
        m.solve(x);
        return x;
    }

    private static double[] shifted(final int n, final double[] j, final double alpha) {
        final double[] a = new double[n * n];
        for (int k = 0; k < n * n; k++) {
            a[k] = -j[k];
        }
        for (int i = 0; i < n; i++) {
            a[i * n + i] += alpha;
        }
        return a;
    }

    private static boolean isIdentity(final int[] p) {
        for (int i = 0; i < p.length; i++) {
            if (p[i] != i) {
                return false;
            }
        }
        return true;
    }

    private static double[] flatten(final RealMatrix m) {
        final int n = m.getRowDimension();
        final double[] out = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < n; c++) {
                out[i * n + c] = m.getEntry(i, c);
            }
        }
        return out;
    }

    private static double normInf(final int n, final double[] a) {
        double max = 0.0;
        for (int i = 0; i < n; i++) {
            double s = 0.0;
            for (int c = 0; c < n; c++) {
                s += Math.abs(a[i * n + c]);
            }
            max = Math.max(max, s);
        }
        return max;
    }

    private static double growth(final int n, final double[] a, final double[] u) {
        double ma = 0.0;
        double mu = 0.0;
        for (int k = 0; k < n * n; k++) {
            ma = Math.max(ma, Math.abs(a[k]));
            mu = Math.max(mu, Math.abs(u[k]));
        }
        return mu / ma;
    }

    private static double backwardError(final int n, final double[] a, final double[] x, final double[] b) {
        double r = 0.0;
        double xn = 0.0;
        for (int i = 0; i < n; i++) {
            double s = b[i];
            for (int c = 0; c < n; c++) {
                s -= a[i * n + c] * x[c];
            }
            r = Math.max(r, Math.abs(s));
            xn = Math.max(xn, Math.abs(x[i]));
        }
        return r / (normInf(n, a) * xn);
    }

    private static double relativeDifference(final double[] x, final double[] y) {
        double d = 0.0;
        double m = 0.0;
        for (int i = 0; i < x.length; i++) {
            d = Math.max(d, Math.abs(x[i] - y[i]));
            m = Math.max(m, Math.abs(y[i]));
        }
        return d / m;
    }
}
