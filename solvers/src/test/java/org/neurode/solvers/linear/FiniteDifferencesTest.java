package org.neurode.solvers.linear;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.neurode.core.JacobianPattern;

/** Finite differences grouped by the pattern (Curtis, Powell and Reid) against column-by-column differences. */
class FiniteDifferencesTest {

    /** A counted nonlinear function that reads exactly the entries of a pattern. */
    private static final class PatternFunction implements FiniteDifferences.Function {
        final JacobianPattern pattern;
        final double[] weight;
        long evaluations;

        PatternFunction(final JacobianPattern pattern, final SplittableRandom rng) {
            this.pattern = pattern;
            this.weight = new double[pattern.nonZeros()];
            for (int k = 0; k < weight.length; k++) {
                weight[k] = rng.nextDouble(-2.0, 2.0);
            }
        }

        @Override
        public void evaluate(final double t, final double[] y, final double[] dydt) {
            evaluations++;
            final int[] start = pattern.rowStart();
            final int[] cols = pattern.columns();
            for (int i = 0; i < y.length; i++) {
                double s = Math.cos(t);
                for (int k = start[i]; k < start[i + 1]; k++) {
                    final double v = y[cols[k]];
                    s += weight[k] * (cols[k] == i ? -v * v * v : Math.sin(v));
                }
                dydt[i] = s;
            }
        }
    }

    private static JacobianPattern tridiagonal(final int n) {
        final int[] start = new int[n + 1];
        final int[] cols = new int[3 * n - 2];
        int k = 0;
        for (int i = 0; i < n; i++) {
            for (int j = Math.max(0, i - 1); j <= Math.min(n - 1, i + 1); j++) {
                cols[k++] = j;
            }
            start[i + 1] = k;
        }
        return new JacobianPattern(n, start, cols);
    }

    private static JacobianPattern randomPattern(final int n, final int perRow, final SplittableRandom rng) {
        final double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            a[i * n + i] = 1.0;
            for (int k = 0; k < perRow; k++) {
                a[i * n + rng.nextInt(n)] = 1.0;
            }
        }
        return MatrixContext.patternOf(n, a);
    }

    /** Runs grouped and column-wise differences at a random point; returns {grouped values, dense gathered}. */
    private static void assertGroupedEqualsColumnwise(final JacobianPattern pattern, final long seed,
                                                      final int expectedGroups) {
        final int n = pattern.dimension();
        final SplittableRandom rng = new SplittableRandom(seed);
        final PatternFunction f = new PatternFunction(pattern, rng);
        final double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextDouble(-3.0, 3.0);
        }
        final double[] atol = new double[n];
        final double[] rtol = new double[n];
        Arrays.fill(atol, 1e-8);
        Arrays.fill(rtol, 1e-6);
        final FiniteDifferences fd = new FiniteDifferences(n, pattern, atol, rtol);
        final double t = 0.7;
        final double[] fy = new double[n];
        f.evaluate(t, y, fy);
        final double[] dense = new double[n * n];
        f.evaluations = 0;
        fd.dense(f, t, y, fy, dense);
        assertEquals(n, f.evaluations);
        final double[] values = new double[pattern.nonZeros()];
        f.evaluations = 0;
        // WHEN the Jacobian is estimated by groups
        fd.sparse(f, t, y, fy, values);
        // THEN one evaluation per group, and every entry is the column-wise quotient (the same bits: a row sees
        // only its own perturbed column), entries outside the pattern are zero column-wise
        assertEquals(fd.groups(), f.evaluations);
        if (expectedGroups > 0) {
            assertEquals(expectedGroups, fd.groups());
        }
        final int[] start = pattern.rowStart();
        final int[] cols = pattern.columns();
        final double[] gathered = new double[values.length];
        for (int i = 0; i < n; i++) {
            for (int k = start[i]; k < start[i + 1]; k++) {
                gathered[k] = dense[i * n + cols[k]];
                dense[i * n + cols[k]] = 0.0;
            }
        }
        assertArrayEquals(gathered, values, 0.0);
        for (final double v : dense) {
            assertEquals(0.0, v, 0.0);
        }
        // and the entries are derivatives (a central-difference check of the function itself)
        final int i = n / 2;
        final int k = start[i];
        final double exact = cols[k] == i ? -3 * f.weight[k] * y[i] * y[i] : f.weight[k] * Math.cos(y[cols[k]]);
        assertEquals(exact, values[k], 1e-6 * Math.max(1.0, Math.abs(exact)));
    }

    @Test
    void tridiagonalChainNeedsThreeEvaluations() {
        assertGroupedEqualsColumnwise(tridiagonal(1000), 1L, 3);
        assertGroupedEqualsColumnwise(tridiagonal(2), 2L, 2);
    }

    @Test
    void randomSparsePatternsGroupValidlyAndMatchColumnwiseDifferences() {
        final SplittableRandom rng = new SplittableRandom(7L);
        for (int trial = 0; trial < 40; trial++) {
            final int n = 5 + rng.nextInt(300);
            final JacobianPattern pattern = randomPattern(n, 1 + rng.nextInt(5), rng);
            assertGroupedEqualsColumnwise(pattern, trial, -1);
            // no two columns of a group share a row, and there are at most max-degree + 1 groups
            final FiniteDifferences fd = new FiniteDifferences(n, pattern, new double[n], new double[n]);
            assertTrue(fd.groups() <= n);
            int maxRow = 0;
            for (int i = 0; i < n; i++) {
                maxRow = Math.max(maxRow, pattern.rowStart()[i + 1] - pattern.rowStart()[i]);
            }
            assertTrue(fd.groups() >= maxRow, "at least the longest row");
            assertTrue(fd.groups() < n / 2 + 10 || n < 40, "n " + n + " groups " + fd.groups());
        }
    }

    @Test
    void aDensePatternKeepsOneColumnPerEvaluation() {
        assertGroupedEqualsColumnwise(JacobianPattern.dense(17), 3L, 17);
    }

    @Test
    void arrowPatternsNeedAllColumnsOrTwoGroups() {
        // GIVEN an arrow (a full first row and column plus the diagonal) THEN n groups (the full row)
        final int n = 50;
        final double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            a[i * n + i] = 1.0;
            a[i] = 1.0;
            a[i * n] = 1.0;
        }
        assertGroupedEqualsColumnwise(MatrixContext.patternOf(n, a), 4L, n);
        // without the full row, the arrow's column 0 conflicts with everything else, the rest are independent
        final double[] b = new double[n * n];
        for (int i = 0; i < n; i++) {
            b[i * n + i] = 1.0;
            b[i * n] = 1.0;
        }
        assertGroupedEqualsColumnwise(MatrixContext.patternOf(n, b), 5L, 2);
    }
}
