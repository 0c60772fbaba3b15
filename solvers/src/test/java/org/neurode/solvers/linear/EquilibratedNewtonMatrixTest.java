package org.neurode.solvers.linear;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.decomposition.lu.LUDecompositionAlt_DDRM;
import org.junit.jupiter.api.Test;
import org.neurode.solvers.adaptive.StepContext;

/**
 * The dense Newton matrix equilibrates by the error weights: on graded systems (components whose weights differ by
 * up to 1e20, as in chemistry) the solution's error in each component is of the order of epsilon times that
 * component's weight, where an unscaled LU leaves epsilon times the largest component in every one.
 */
class EquilibratedNewtonMatrixTest {

    private static final double U = Math.ulp(1.0) / 2.0;

    /** A context with per-component absolute tolerances (the weights, for y = 0) and a fixed J. */
    private static final class WeightedContext implements StepContext {
        private final int n;
        private final double[] j;
        private final double[] atol;

        WeightedContext(final double[] j, final double[] atol) {
            this.n = atol.length;
            this.j = j;
            this.atol = atol;
        }

        @Override
        public int dimension() {
            return n;
        }

        @Override
        public void derivatives(final double t, final double[] y, final double[] dydt) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void jacobian(final double t, final double[] y, final double[] fy, final double[] dfdy) {
            System.arraycopy(j, 0, dfdy, 0, n * n);
        }

        @Override
        public org.neurode.core.JacobianPattern jacobianPattern() {
            return org.neurode.core.JacobianPattern.dense(n);
        }

        @Override
        public void jacobianValues(final double t, final double[] y, final double[] fy, final double[] values) {
            System.arraycopy(j, 0, values, 0, n * n);      // the dense pattern's order is row-major
        }

        @Override
        public void countFactorization() {
        }

        @Override
        public double absoluteTolerance(final int i) {
            return atol[i];
        }

        @Override
        public double relativeTolerance(final int i) {
            return 1e-6;
        }

        @Override
        public double errorNorm(final double[] error, final double[] y, final double[] yNew) {
            throw new UnsupportedOperationException();
        }
    }

    /** The exact solution of W x = b for the double entries of W and b (Gaussian elimination at 60 digits). */
    private static double[] exact(final double[] w, final double[] b) {
        final int n = b.length;
        final MathContext mc = new MathContext(60);
        final BigDecimal[][] m = new BigDecimal[n][n + 1];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < n; c++) {
                m[i][c] = new BigDecimal(w[i * n + c]);
            }
            m[i][n] = new BigDecimal(b[i]);
        }
        for (int k = 0; k < n; k++) {
            int p = k;
            for (int i = k + 1; i < n; i++) {
                if (m[i][k].abs().compareTo(m[p][k].abs()) > 0) {
                    p = i;
                }
            }
            final BigDecimal[] t = m[k];
            m[k] = m[p];
            m[p] = t;
            for (int i = k + 1; i < n; i++) {
                final BigDecimal l = m[i][k].divide(m[k][k], mc);
                for (int c = k; c <= n; c++) {
                    m[i][c] = m[i][c].subtract(l.multiply(m[k][c], mc), mc);
                }
            }
        }
        final double[] x = new double[n];
        final BigDecimal[] xb = new BigDecimal[n];
        for (int i = n - 1; i >= 0; i--) {
            BigDecimal acc = m[i][n];
            for (int c = i + 1; c < n; c++) {
                acc = acc.subtract(m[i][c].multiply(xb[c], mc), mc);
            }
            xb[i] = acc.divide(m[i][i], mc);
            x[i] = xb[i].doubleValue();
        }
        return x;
    }

    /** Max over i of |x_i - exact_i| / s_i, relative to the max of |exact_i| / s_i. */
    private static double weightedError(final double[] x, final double[] exact, final double[] s) {
        double e = 0.0;
        double size = 0.0;
        for (int i = 0; i < x.length; i++) {
            e = Math.max(e, Math.abs(x[i] - exact[i]) / s[i]);
            size = Math.max(size, Math.abs(exact[i]) / s[i]);
        }
        return e / size;
    }

    @Test
    void gradedSystemsAreSolvedToTheRoundingOfEachComponentsWeight() {
        // GIVEN 300 graded systems alpha I - J with J = S R S^-1 (R random in [-1, 1], S the weights, spread up to
        // 1e20) and b = S c: well conditioned in weighted units (alpha > n: alpha I - R diagonally dominant)
        final SplittableRandom rng = new SplittableRandom(18L);
        double worstScaled = 0.0;
        double worstPlain = 0.0;
        for (int trial = 0; trial < 300; trial++) {
            final int n = 2 + rng.nextInt(7);
            final double[] s = new double[n];
            for (int i = 0; i < n; i++) {
                s[i] = Math.pow(10.0, -rng.nextDouble(0.0, 20.0));
            }
            final double[] j = new double[n * n];
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < n; c++) {
                    j[i * n + c] = rng.nextDouble(-1.0, 1.0) * s[i] / s[c];
                }
            }
            final double alpha = n + rng.nextDouble(0.5, 10.0);
            final double[] b = new double[n];
            for (int i = 0; i < n; i++) {
                b[i] = rng.nextDouble(-1.0, 1.0) * s[i];
            }
            final NewtonMatrix m = NewtonMatrix.dense(new WeightedContext(j, s));
            m.evaluate(0.0, new double[n], new double[n]);
            assertTrue(m.factor(alpha));
            final double[] x = b.clone();
            m.solve(x);
            // the sparse and banded storages equilibrate the same way
            final double[] xs = b.clone();
            final double[] xb = b.clone();
            for (final NewtonMatrix other : new NewtonMatrix[] {NewtonMatrix.sparse(new WeightedContext(j, s)),
                NewtonMatrix.banded(new WeightedContext(j, s))}) {
                other.evaluate(0.0, new double[n], new double[n]);
                assertTrue(other.factor(alpha));
                other.solve(other.storage().equals("sparse") ? xs : xb);
            }
            // the matrix as formed in double, for the exact solution and the unscaled LU
            final double[] w = new double[n * n];
            for (int k = 0; k < n * n; k++) {
                w[k] = -j[k];
            }
            for (int i = 0; i < n; i++) {
                w[i * n + i] += alpha;
            }
            final double[] ex = exact(w, b);
            // WHEN solved by the Newton matrix and by EJML's LU without scaling
            final LUDecompositionAlt_DDRM lu = new LUDecompositionAlt_DDRM();
            assertTrue(lu.decompose(new DMatrixRMaj(n, n, true, w)));
            final double[] plain = b.clone();
            lu._solveVectorInternal(plain);
            final double scaled = weightedError(x, ex, s);
            // THEN each component is right to a few epsilon of its weight (measured at most 3.9 u; sparse and banded
            // storage: see the assertion)
            assertTrue(scaled <= 16 * n * U, "trial " + trial + ": weighted error " + scaled / U + " u");
            assertTrue(weightedError(xs, ex, s) <= 16 * n * U, "sparse, trial " + trial + ": "
                    + weightedError(xs, ex, s) / U + " u");
            assertTrue(weightedError(xb, ex, s) <= 16 * n * U, "banded, trial " + trial + ": "
                    + weightedError(xb, ex, s) / U + " u");
            worstScaled = Math.max(worstScaled, scaled);
            worstPlain = Math.max(worstPlain, weightedError(plain, ex, s));
        }
        // AND the unscaled LU is not: pivoting on the unscaled matrix leaves errors of epsilon times large
        // components in small ones, measured up to 4,500 u of their weights here, so the bound above is not one
        // every LU meets
        assertTrue(worstPlain > 100 * worstScaled, "unscaled " + worstPlain + ", scaled " + worstScaled);
    }

    @Test
    void equalWeightsLeaveTheFactorizationUnscaled() {
        // GIVEN a random system with equal weights (every atol the same, y = 0)
        final SplittableRandom rng = new SplittableRandom(7L);
        final int n = 12;
        final double[] j = new double[n * n];
        for (int k = 0; k < n * n; k++) {
            j[k] = rng.nextDouble(-1.0, 1.0);
        }
        final double[] atol = new double[n];
        java.util.Arrays.fill(atol, 1e-9);
        final NewtonMatrix m = NewtonMatrix.dense(new WeightedContext(j, atol));
        m.evaluate(0.0, new double[n], new double[n]);
        assertTrue(m.factor(0.3));
        final double[] b = new double[n];
        for (int i = 0; i < n; i++) {
            b[i] = rng.nextDouble(-1.0, 1.0);
        }
        final double[] x = b.clone();
        m.solve(x);
        // WHEN the same system is solved by EJML's LU directly
        final double[] w = new double[n * n];
        for (int k = 0; k < n * n; k++) {
            w[k] = -j[k];
        }
        for (int i = 0; i < n; i++) {
            w[i * n + i] += 0.3;
        }
        final LUDecompositionAlt_DDRM lu = new LUDecompositionAlt_DDRM();
        assertTrue(lu.decompose(new DMatrixRMaj(n, n, true, w)));
        final double[] plain = b.clone();
        lu._solveVectorInternal(plain);
        // THEN the results are the same bits (D = I: no scaling at all)
        assertArrayEquals(plain, x, 0.0);
    }
}
