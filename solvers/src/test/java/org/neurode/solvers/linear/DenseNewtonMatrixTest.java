package org.neurode.solvers.linear;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** The dense Newton matrix: factor and solve with alpha I - J, J x, counters, singular matrices. */
class DenseNewtonMatrixTest {

    private static final double U = Math.ulp(1.0) / 2.0;

    @Test
    void solvesTheShiftedSystemToBackwardErrorOfOrderNuAndCounts() {
        // GIVEN random J (pivoting needed: alpha small against J) of dimensions 1 to 40
        final SplittableRandom rng = new SplittableRandom(5L);
        for (int trial = 0; trial < 200; trial++) {
            final int n = 1 + rng.nextInt(40);
            final double[] j = new double[n * n];
            for (int k = 0; k < n * n; k++) {
                j[k] = rng.nextDouble(-1.0, 1.0);
            }
            final MatrixContext ctx = new MatrixContext(n, j, null);
            final NewtonMatrix m = NewtonMatrix.dense(ctx);
            m.evaluate(0.0, new double[n], new double[n]);
            final double alpha = rng.nextDouble(0.01, 10.0);
            // WHEN alpha I - J is factored and a random b solved
            assertTrue(m.factor(alpha));
            final double[] b = new double[n];
            for (int i = 0; i < n; i++) {
                b[i] = rng.nextDouble(-1.0, 1.0);
            }
            final double[] x = b.clone();
            m.solve(x);
            // THEN the residual b - (alpha x - J x) is at the rounding level of the backward-stable LU
            final double[] jx = new double[n];
            m.multiply(x, jx);
            double r = 0.0;
            double xn = 0.0;
            double an = 0.0;
            for (int i = 0; i < n; i++) {
                r = Math.max(r, Math.abs(b[i] - (alpha * x[i] - jx[i])));
                xn = Math.max(xn, Math.abs(x[i]));
                double row = 0.0;
                for (int c = 0; c < n; c++) {
                    row += Math.abs((i == c ? alpha : 0.0) - j[i * n + c]);
                }
                an = Math.max(an, row);
            }
            assertTrue(r / (an * xn) < 64 * n * U, "n = " + n + ": backward error " + r / (an * xn));
            assertEquals(1, ctx.jacobians);
            assertEquals(1, ctx.factorizations);
            assertEquals("dense", m.storage());
        }
    }

    @Test
    void reportsASingularMatrixAndRecoversWithAnotherShift() {
        // GIVEN J = 2 I (alpha = 2 makes alpha I - J zero) and a rank-one J
        final int n = 5;
        final double[] j = new double[n * n];
        for (int i = 0; i < n; i++) {
            j[i * n + i] = 2.0;
        }
        final MatrixContext ctx = new MatrixContext(n, j, null);
        final NewtonMatrix m = NewtonMatrix.dense(ctx);
        m.evaluate(0.0, new double[n], new double[n]);
        // WHEN / THEN singular at alpha = 2 (counted), regular at alpha = 3 with the same J
        assertFalse(m.factor(2.0));
        assertTrue(m.factor(3.0));
        final double[] b = {1, 2, 3, 4, 5};
        m.solve(b);
        assertEquals(5.0, b[4], 0.0);
        assertEquals(2, ctx.factorizations);
        assertEquals(1, ctx.jacobians);
        // a non-finite J is singular too
        j[0] = Double.NaN;
        m.evaluate(0.0, new double[n], new double[n]);
        assertFalse(m.factor(3.0));
    }
}
