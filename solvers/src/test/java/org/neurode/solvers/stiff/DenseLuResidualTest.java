package org.neurode.solvers.stiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.ejml.data.ZMatrixRMaj;
import org.ejml.dense.row.decompose.lu.LUDecompositionAlt_ZDRM;
import org.ejml.dense.row.decomposition.lu.LUDecompositionAlt_DDRM;
import org.ejml.dense.row.linsol.lu.LinearSolverLu_DDRM;
import org.ejml.dense.row.linsol.lu.LinearSolverLu_ZDRM;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.ArrayRealVector;
import org.hipparchus.linear.LUDecomposition;
import org.hipparchus.linear.RealVector;
import org.junit.jupiter.api.Test;

/**
 * The dense LU factorizations and solves of the stiff methods, exactly as the methods call them, against an
 * independent implementation (Hipparchus' real LU; a complex system \( (A_r + iA_i)(x_r + ix_i) = b_r + ib_i \)
 * is solved there as the real system \( [[A_r, -A_i], [A_i, A_r]] \)), on thousands of random matrices of
 * dimension 1 to 30 drawn from six families: uniform entries; prescribed condition numbers up to \( 10^{12} \)
 * (\( U \Sigma V^H \) with random unitary U, V); rows graded over ten decades in random order; nearly singular
 * (rank n - 1 plus \( 10^{-12} \) noise); a cyclic row shift of a column-diagonally-dominant matrix, which makes
 * partial pivoting exchange rows at every elimination step; and Wilkinson's matrix of growth \( 2^{n-1} \).
 *
 * <p>Why no test caught the wrong complex solve of issue 12 (the hand-written complex LU of Radau IIA exchanged
 * whole rows in the factorization but applied the exchanges in the middle of the forward substitution, which
 * is wrong as soon as a row exchange happens, with relative residuals of 0.2 to 24): every Radau test problem
 * had a Newton matrix \( (\alpha + i\beta)/h\,I - J \) that is diagonally dominant (scalar problems, HIRES,
 * ROBER, Van der Pol, a tridiagonal diffusion chain), so partial pivoting never exchanged a row and the broken
 * branch never ran; the step-size controller absorbed the wrong Newton increments as slow convergence. Nothing
 * tested the factorization on its own, and nothing fed it a matrix that needs pivoting. These tests do both,
 * for every dense factorization the solvers use (the hand-written complex LU is gone: Radau now calls EJML's
 * complex LU), and {@code StiffPivotingProblemsTest} checks the methods end to end on problems whose
 * Jacobians are not diagonally dominant.
 *
 * <p>Bounds. Gaussian elimination with partial pivoting is backward stable: the computed x solves
 * \( (A + \Delta A) x = b \) with \( \|\Delta A\|_\infty \le c\, n\, u\, \rho\, \|A\|_\infty \), u the unit
 * round-off, \( \rho \) the growth factor \( \max|u_{ij}| / \max|a_{ij}| \) and c a small constant (Higham,
 * Accuracy and Stability of Numerical Algorithms, 2nd ed., Thm. 9.4 and sec. 9.4; complex products add a
 * factor of about \( \sqrt2 \), sec. 3.6). So the normwise backward error
 * \( \eta = \|b - A x\|_\infty / (\|A\|_\infty \|x\|_\infty) \) (evaluated in double, so itself uncertain by
 * about \( n u \)) is asserted below \( 16 n u \rho \); the measured maximum of \( \eta / (n u \rho) \) over all
 * matrices is 2.3 (complex) and 1.2 (real), a margin of 7 and 13, while the old complex solve
 * (\( \eta \) from 0.2 to 24 whenever a row was exchanged) fails by 13 orders of magnitude. Each solution is
 * within \( \kappa \eta / (1 - \kappa\eta) \) of the exact one (relative, \( \kappa = \|A\|_\infty
 * \|A^{-1}\|_\infty \) from Hipparchus' inverse), so the two agree within \( 4 \kappa (\eta_1 + \eta_2 + 2nu) \):
 * the factor 2 covers \( 1/(1 - \kappa\eta) \) for \( \kappa\eta \le 1/2 \), the other 2 the margin, and the
 * 2nu the rounding of the residual; measured at most 0.98 of \( \kappa (\eta_1 + \eta_2 + 2nu) \).
 */
class DenseLuResidualTest {

    private static final double U = Math.ulp(1.0) / 2.0;
    private static final int FAMILIES = 6;
    private static final int PER_FAMILY = 400;
    private static final int MAX_N = 30;
    /** Backward-error constant: \( \eta \le C n u \rho \) (measured maxima 2.3 and 1.2, see the class comment). */
    private static final double C = 16.0;
    /** Forward-error constant: \( \|\Delta x\| / \|x\| \le C_f \kappa (\eta_1 + \eta_2 + 2nu) \) (measured 0.98). */
    private static final double FORWARD = 4.0;

    /** A test matrix: real and imaginary parts, row-major; im is all zero for a real matrix. */
    private record Matrix(int n, double[] re, double[] im) {
    }

    @Test
    void issue12_complexLuAsRadauCallsItMatchesAnIndependentSolveOnThousandsOfHardMatrices() {
        // GIVEN EJML's complex LU set up as Radau IIA sets it up, and 2400 random complex systems
        final SplittableRandom rng = new SplittableRandom(20_261_204L);
        double worstBackward = 0.0;
        int pivoted = 0;
        for (int family = 0; family < FAMILIES; family++) {
            for (int k = 0; k < PER_FAMILY; k++) {
                final int n = 1 + rng.nextInt(MAX_N);
                final Matrix a = generate(family, n, rng, true);
                final double[] bRe = uniform(rng, n);
                final double[] bIm = uniform(rng, n);
                // WHEN factorizing and solving with EJML (interleaved storage, as RadauIIA5) ...
                final ZMatrixRMaj za = new ZMatrixRMaj(n, n);
                for (int i = 0; i < n * n; i++) {
                    za.data[2 * i] = a.re[i];
                    za.data[2 * i + 1] = a.im[i];
                }
                final LUDecompositionAlt_ZDRM decomposition = new LUDecompositionAlt_ZDRM();
                final LinearSolverLu_ZDRM solver = new LinearSolverLu_ZDRM(decomposition);
                assertTrue(solver.setA(za));
                final ZMatrixRMaj zb = new ZMatrixRMaj(n, 1);
                for (int i = 0; i < n; i++) {
                    zb.data[2 * i] = bRe[i];
                    zb.data[2 * i + 1] = bIm[i];
                }
                final ZMatrixRMaj zx = new ZMatrixRMaj(n, 1);
                solver.solve(zb, zx);
                final double[] xRe = new double[n];
                final double[] xIm = new double[n];
                for (int i = 0; i < n; i++) {
                    xRe[i] = zx.data[2 * i];
                    xIm[i] = zx.data[2 * i + 1];
                }
                final int[] indx = decomposition.getIndx();
                pivoted += exchanges(indx, n) > 0 ? 1 : 0;
                if (family == 4) {
                    // the cyclic family must pivot at every step but the last (the point of the family)
                    assertEquals(Math.max(0, n - 1), exchanges(indx, n), "cyclic family, n = " + n);
                }
                // ... and with Hipparchus on the equivalent real system of twice the size
                final double[][] big = new double[2 * n][2 * n];
                final double[] rhs = new double[2 * n];
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        big[i][j] = a.re[i * n + j];
                        big[i][j + n] = -a.im[i * n + j];
                        big[i + n][j] = a.im[i * n + j];
                        big[i + n][j + n] = a.re[i * n + j];
                    }
                    rhs[i] = bRe[i];
                    rhs[i + n] = bIm[i];
                }
                final LUDecomposition reference = new LUDecomposition(new Array2DRowRealMatrix(big, false), 0.0);
                final RealVector ref = reference.getSolver().solve(new ArrayRealVector(rhs, false));
                // THEN both have backward errors within the bound of backward-stable elimination ...
                final double rho = growthComplex(decomposition.getLU().data, n, a);
                final double eta = backwardError(a, xRe, xIm, bRe, bIm);
                final String what = "family " + family + ", n = " + n + ": eta " + eta + ", growth " + rho;
                assertTrue(eta <= C * n * U * rho, what);
                worstBackward = Math.max(worstBackward, eta / (n * U * rho));
                final double[] rRe = new double[n];
                final double[] rIm = new double[n];
                for (int i = 0; i < n; i++) {
                    rRe[i] = ref.getEntry(i);
                    rIm[i] = ref.getEntry(i + n);
                }
                final double etaRef = backwardError(a, rRe, rIm, bRe, bIm);
                final double rhoRef = growthReal(reference.getU().getData(), 2 * n, maxAbs(big));
                assertTrue(etaRef <= C * 2 * n * U * rhoRef, "reference, " + what);
                // ... AND the same solution within the conditioning of the matrix
                final double kappa = normInf(big) * normInf(reference.getSolver().getInverse().getData());
                double diff = 0.0;
                double size = 0.0;
                for (int i = 0; i < n; i++) {
                    diff = Math.max(diff, Math.hypot(xRe[i] - rRe[i], xIm[i] - rIm[i]));
                    size = Math.max(size, Math.hypot(rRe[i], rIm[i]));
                }
                assertTrue(diff <= FORWARD * kappa * (eta + etaRef + 2 * n * U) * size + Double.MIN_NORMAL,
                        what + ", kappa " + kappa + ", difference " + diff / size);
            }
        }
        // AND the matrices exercised pivoting (most of them), and the bound was not loose by orders of magnitude
        assertTrue(pivoted > FAMILIES * PER_FAMILY / 2, "pivoted " + pivoted);
        assertTrue(worstBackward > 1e-3, "worst eta / (n u rho) " + worstBackward);
    }

    @Test
    void issue12_realLuAsRosenbrockAndRadauCallItMatchesAnIndependentSolveOnThousandsOfHardMatrices() {
        // GIVEN EJML's real LU as Rosenbrock calls it (decompose, then the in-place _solveVectorInternal) and as
        // RadauIIA5 calls it (LinearSolverLu_DDRM), and 2400 random real systems
        final SplittableRandom rng = new SplittableRandom(12L);
        double worstBackward = 0.0;
        int pivoted = 0;
        for (int family = 0; family < FAMILIES; family++) {
            for (int k = 0; k < PER_FAMILY; k++) {
                final int n = 1 + rng.nextInt(MAX_N);
                final Matrix a = generate(family, n, rng, false);
                final double[] b = uniform(rng, n);
                final double[] zero = new double[n];
                // WHEN solving in place after decompose (Rosenbrock) and through the linear solver (Radau)
                final LUDecompositionAlt_DDRM decomposition = new LUDecompositionAlt_DDRM();
                decomposition.setExpectedMaxSize(n, n);
                final DMatrixRMaj m = new DMatrixRMaj(n, n);
                System.arraycopy(a.re, 0, m.data, 0, n * n);
                assertTrue(decomposition.decompose(m));
                final double[] x = b.clone();
                decomposition._solveVectorInternal(x);
                final LinearSolverLu_DDRM solver = new LinearSolverLu_DDRM(new LUDecompositionAlt_DDRM());
                System.arraycopy(a.re, 0, m.data, 0, n * n);
                assertTrue(solver.setA(m));
                final DMatrixRMaj xs = new DMatrixRMaj(n, 1);
                solver.solve(new DMatrixRMaj(n, 1, true, b), xs);
                pivoted += exchanges(decomposition.getIndx(), n) > 0 ? 1 : 0;
                if (family == 4) {
                    assertEquals(Math.max(0, n - 1), exchanges(decomposition.getIndx(), n), "cyclic, n = " + n);
                }
                final LUDecomposition reference = new LUDecomposition(
                        new Array2DRowRealMatrix(square(a.re, n), false), 0.0);
                final double[] ref = reference.getSolver().solve(new ArrayRealVector(b, false)).toArray();
                // THEN all three are backward stable to the bound, and agree within the conditioning
                final double rho = growthReal(square(decomposition.getLU().data, n), n, maxAbs(square(a.re, n)));
                final double eta = backwardError(a, x, zero, b, zero);
                final double etaSolver = backwardError(a, xs.data, zero, b, zero);
                final double etaRef = backwardError(a, ref, zero, b, zero);
                final String what = "family " + family + ", n = " + n + ": eta " + eta + ", growth " + rho;
                assertTrue(eta <= C * n * U * rho, what);
                assertTrue(etaSolver <= C * n * U * rho, "linear solver, " + what);
                final double rhoRef = growthReal(reference.getU().getData(), n, maxAbs(square(a.re, n)));
                assertTrue(etaRef <= C * n * U * rhoRef, "reference, " + what);
                worstBackward = Math.max(worstBackward, eta / (n * U * rho));
                final double kappa = normInf(square(a.re, n)) * normInf(reference.getSolver().getInverse().getData());
                double diff = 0.0;
                double diffSolver = 0.0;
                double size = 0.0;
                for (int i = 0; i < n; i++) {
                    diff = Math.max(diff, Math.abs(x[i] - ref[i]));
                    diffSolver = Math.max(diffSolver, Math.abs(xs.data[i] - ref[i]));
                    size = Math.max(size, Math.abs(ref[i]));
                }
                assertTrue(diff <= FORWARD * kappa * (eta + etaRef + 2 * n * U) * size + Double.MIN_NORMAL,
                        what + ", kappa " + kappa + ", difference " + diff / size);
                assertTrue(diffSolver <= FORWARD * kappa * (etaSolver + etaRef + 2 * n * U) * size + Double.MIN_NORMAL,
                        "linear solver, " + what + ", kappa " + kappa + ", difference " + diffSolver / size);
            }
        }
        assertTrue(pivoted > FAMILIES * PER_FAMILY / 2, "pivoted " + pivoted);
        assertTrue(worstBackward > 1e-3, "worst eta / (n u rho) " + worstBackward);
    }

    // ------------------------------------------------------------------ matrix families

    private static Matrix generate(final int family, final int n, final SplittableRandom rng, final boolean complex) {
        final double[] re = new double[n * n];
        final double[] im = new double[n * n];
        switch (family) {
            case 0 -> fillUniform(rng, re, im, complex);
            case 1 -> conditioned(rng, n, re, im, complex, Math.pow(10.0, 12.0 * rng.nextDouble()));
            case 2 -> {
                fillUniform(rng, re, im, complex);
                final int[] order = permutation(rng, n);
                for (int i = 0; i < n; i++) {
                    final double scale = Math.pow(10.0, -10.0 * order[i] / Math.max(1, n - 1));
                    for (int j = 0; j < n; j++) {
                        re[i * n + j] *= scale;
                        im[i * n + j] *= scale;
                    }
                }
            }
            case 3 -> nearlySingular(rng, n, re, im, complex);
            case 4 -> cyclicDominant(rng, n, re, im, complex);
            default -> wilkinson(rng, n, re, im, complex);
        }
        return new Matrix(n, re, im);
    }

    private static void fillUniform(final SplittableRandom rng, final double[] re, final double[] im,
                                    final boolean complex) {
        for (int i = 0; i < re.length; i++) {
            re[i] = rng.nextDouble(-1.0, 1.0);
            im[i] = complex ? rng.nextDouble(-1.0, 1.0) : 0.0;
        }
    }

    /** \( U \mathrm{diag}(\sigma) V^H \), singular values from 1 down to 1/kappa geometrically. */
    private static void conditioned(final SplittableRandom rng, final int n, final double[] re, final double[] im,
                                    final boolean complex, final double kappa) {
        for (int i = 0; i < n; i++) {
            re[i * n + i] = n == 1 ? 1.0 : Math.pow(kappa, -(double) i / (n - 1));
        }
        // random unitary (orthogonal) factors as products of n Householder reflections on each side
        for (int r = 0; r < n; r++) {
            reflect(rng, n, re, im, complex, true);
            reflect(rng, n, re, im, complex, false);
        }
    }

    /** M := H M (left) or M H (right) with \( H = I - 2 v v^H / (v^H v) \) for a random v. */
    private static void reflect(final SplittableRandom rng, final int n, final double[] re, final double[] im,
                                final boolean complex, final boolean left) {
        final double[] vr = uniform(rng, n);
        final double[] vi = complex ? uniform(rng, n) : new double[n];
        double vv = 0.0;
        for (int i = 0; i < n; i++) {
            vv += vr[i] * vr[i] + vi[i] * vi[i];
        }
        for (int k = 0; k < n; k++) {
            // left: column k, w = v^H M[:, k]; right: row k, w = M[k, :] v
            double wr = 0.0;
            double wi = 0.0;
            for (int i = 0; i < n; i++) {
                final int idx = left ? i * n + k : k * n + i;
                final double mr = re[idx];
                final double mi = im[idx];
                if (left) {
                    wr += vr[i] * mr + vi[i] * mi;
                    wi += vr[i] * mi - vi[i] * mr;
                } else {
                    wr += mr * vr[i] - mi * vi[i];
                    wi += mr * vi[i] + mi * vr[i];
                }
            }
            final double sr = 2.0 * wr / vv;
            final double si = 2.0 * wi / vv;
            for (int i = 0; i < n; i++) {
                final int idx = left ? i * n + k : k * n + i;
                if (left) {
                    // M[i, k] -= v_i w
                    re[idx] -= vr[i] * sr - vi[i] * si;
                    im[idx] -= vr[i] * si + vi[i] * sr;
                } else {
                    // M[k, i] -= w conj(v_i)
                    re[idx] -= sr * vr[i] + si * vi[i];
                    im[idx] -= si * vr[i] - sr * vi[i];
                }
            }
        }
    }

    /** A rank n - 1 product plus noise of relative size 1e-12. */
    private static void nearlySingular(final SplittableRandom rng, final int n, final double[] re, final double[] im,
                                       final boolean complex) {
        if (n == 1) {
            re[0] = 1e-12 * rng.nextDouble(0.5, 1.0);
            im[0] = complex ? 1e-12 * rng.nextDouble(-1.0, 1.0) : 0.0;
            return;
        }
        final int r = n - 1;
        final double[] pr = uniform(rng, n * r);
        final double[] pi = complex ? uniform(rng, n * r) : new double[n * r];
        final double[] qr = uniform(rng, r * n);
        final double[] qi = complex ? uniform(rng, r * n) : new double[r * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double sr = 0.0;
                double si = 0.0;
                for (int l = 0; l < r; l++) {
                    sr += pr[i * r + l] * qr[l * n + j] - pi[i * r + l] * qi[l * n + j];
                    si += pr[i * r + l] * qi[l * n + j] + pi[i * r + l] * qr[l * n + j];
                }
                re[i * n + j] = sr + 1e-12 * rng.nextDouble(-1.0, 1.0);
                im[i * n + j] = si + (complex ? 1e-12 * rng.nextDouble(-1.0, 1.0) : 0.0);
            }
        }
    }

    /**
     * Row i is row i + 1 (mod n) of a matrix whose diagonal entry dominates its column; elimination with partial
     * pivoting then finds every pivot in the last row and exchanges rows at each of the first n - 1 steps (the
     * Schur complements of a column-dominant matrix stay column-dominant).
     */
    private static void cyclicDominant(final SplittableRandom rng, final int n, final double[] re, final double[] im,
                                       final boolean complex) {
        final double[] dr = uniform(rng, n * n);
        final double[] di = complex ? uniform(rng, n * n) : new double[n * n];
        for (int j = 0; j < n; j++) {
            double column = 0.0;
            for (int i = 0; i < n; i++) {
                if (i != j) {
                    column += Math.abs(dr[i * n + j]) + Math.abs(di[i * n + j]);
                }
            }
            dr[j * n + j] = (2.0 * column + 1.0) * (rng.nextBoolean() ? 1.0 : -1.0);
            di[j * n + j] = 0.0;
        }
        for (int i = 0; i < n; i++) {
            final int from = (i + 1) % n;
            System.arraycopy(dr, from * n, re, i * n, n);
            System.arraycopy(di, from * n, im, i * n, n);
        }
    }

    /** Wilkinson's matrix (1 on the diagonal and last column, -1 below) with growth factor 2^(n-1). */
    private static void wilkinson(final SplittableRandom rng, final int n, final double[] re, final double[] im,
                                  final boolean complex) {
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                re[i * n + j] = (j == i || j == n - 1) ? 1.0 : j < i ? -1.0 : 0.0;
                im[i * n + j] = complex && j > i ? 1e-3 * rng.nextDouble(-1.0, 1.0) : 0.0;
            }
        }
    }

    // ------------------------------------------------------------------ measurements

    /** \( \|b - A x\|_\infty / (\|A\|_\infty \|x\|_\infty) \) for complex A, x, b (the real case has zero im). */
    private static double backwardError(final Matrix a, final double[] xRe, final double[] xIm, final double[] bRe,
                                        final double[] bIm) {
        final int n = a.n;
        double residual = 0.0;
        double normA = 0.0;
        double normX = 0.0;
        for (int i = 0; i < n; i++) {
            double rr = bRe[i];
            double ri = bIm[i];
            double row = 0.0;
            for (int j = 0; j < n; j++) {
                final double ar = a.re[i * n + j];
                final double ai = a.im[i * n + j];
                rr -= ar * xRe[j] - ai * xIm[j];
                ri -= ar * xIm[j] + ai * xRe[j];
                row += Math.hypot(ar, ai);
            }
            residual = Math.max(residual, Math.hypot(rr, ri));
            normA = Math.max(normA, row);
            normX = Math.max(normX, Math.hypot(xRe[i], xIm[i]));
        }
        return residual / (normA * normX);
    }

    /** Growth factor \( \max|u_{ij}| / \max|a_{ij}| \) of an interleaved complex LU (at least 1). */
    private static double growthComplex(final double[] lu, final int n, final Matrix a) {
        double maxU = 0.0;
        double maxA = 0.0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                maxA = Math.max(maxA, Math.hypot(a.re[i * n + j], a.im[i * n + j]));
                if (j >= i) {
                    maxU = Math.max(maxU, Math.hypot(lu[2 * (i * n + j)], lu[2 * (i * n + j) + 1]));
                }
            }
        }
        return Math.max(1.0, maxU / maxA);
    }

    /** Growth factor of a real U (upper triangle of {@code u}) against \( \max|a_{ij}| \) (at least 1). */
    private static double growthReal(final double[][] u, final int n, final double maxA) {
        double maxU = 0.0;
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                maxU = Math.max(maxU, Math.abs(u[i][j]));
            }
        }
        return Math.max(1.0, maxU / maxA);
    }

    private static int exchanges(final int[] indx, final int n) {
        int count = 0;
        for (int k = 0; k < n; k++) {
            count += indx[k] != k ? 1 : 0;
        }
        return count;
    }

    private static double normInf(final double[][] m) {
        double norm = 0.0;
        for (final double[] row : m) {
            double s = 0.0;
            for (final double v : row) {
                s += Math.abs(v);
            }
            norm = Math.max(norm, s);
        }
        return norm;
    }

    private static double maxAbs(final double[][] m) {
        double max = 0.0;
        for (final double[] row : m) {
            for (final double v : row) {
                max = Math.max(max, Math.abs(v));
            }
        }
        return max;
    }

    private static double[][] square(final double[] data, final int n) {
        final double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(data, i * n, m[i], 0, n);
        }
        return m;
    }

    private static double[] uniform(final SplittableRandom rng, final int n) {
        final double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = rng.nextDouble(-1.0, 1.0);
        }
        return v;
    }

    private static int[] permutation(final SplittableRandom rng, final int n) {
        final int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            final int j = rng.nextInt(i + 1);
            final int s = p[i];
            p[i] = p[j];
            p[j] = s;
        }
        return p;
    }
}
