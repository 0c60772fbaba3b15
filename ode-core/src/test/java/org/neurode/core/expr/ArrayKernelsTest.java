package org.neurode.core.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * The SIMD kernels (Vector API) against the scalar ones and against direct formulas, for every shape from
 * one element up to several vectors plus tails.
 */
class ArrayKernelsTest {

    /**
     * Sums of up to 13 products of numbers in [-1, 1] in another order and with fused multiply-adds: each
     * rounding is at most 2^-53 of a partial sum bounded by the sum of |terms| (at most 13), so 30 roundings
     * stay below 13 * 30 * 1.1e-16 = 4.3e-14 absolute; 1e-13 leaves room.
     */
    private static final double SUM_TOLERANCE = 1e-13;

    private static double[] random(final SplittableRandom r, final int n) {
        final double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextDouble(-1, 1);
        }
        return a;
    }

    @Test
    void theTestConfigurationUsesTheSimdKernels() {
        // surefire runs with --add-modules jdk.incubator.vector; on a machine with AVX2 (this project's CI)
        // the SIMD path must be the one under test, not silently the scalar fallback
        assumeTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(), "Vector API not loaded");
        assertEquals(VectorKernels.usable(), ArrayKernels.simd());
    }

    @Test
    void matvecAgreesWithTheScalarLoopForAllShapes() {
        assumeTrue(ArrayKernels.simd(), "SIMD kernels not in use");
        final SplittableRandom r = new SplittableRandom(3);
        for (int rows = 1; rows <= 9; rows++) {
            for (int cols = 1; cols <= 13; cols++) {
                final double[] m = random(r, 5 + rows * cols);
                final double[] x = random(r, 3 + cols);
                final double[] a = new double[rows + 2];
                final double[] b = new double[rows + 2];
                VectorKernels.matvec(m, 5, rows, cols, x, 3, a, 2);
                ArrayKernels.scalarMatvec(m, 5, rows, cols, x, 3, b, 2);
                for (int i = 0; i < rows; i++) {
                    assertEquals(b[2 + i], a[2 + i], SUM_TOLERANCE, rows + "x" + cols + " row " + i);
                }
                assertEquals(0.0, a[0]);
                assertEquals(0.0, a[1]);
            }
        }
    }

    @Test
    void rankOneUpdateAgreesWithItsFormula() {
        final SplittableRandom r = new SplittableRandom(4);
        final double g = 0.99;
        final double rowScale = 0.3;
        final double h = 0.1;
        final double wFactor = 0.7;
        for (int rows = 1; rows <= 6; rows++) {
            for (int cols = 1; cols <= 11; cols++) {
                final int n = rows * cols;
                // layout: [pad 1][filter d][weights w], row and column operands in a second array
                final double[] y = random(r, 1 + 2 * n);
                final double[] ops = random(r, rows + cols);
                for (final boolean withWeights : new boolean[] {false, true}) {
                    final double[] out = new double[y.length];
                    final double[] ref = new double[y.length];
                    final int w = withWeights ? 1 + n : -1;
                    ArrayKernels.rank1(y, out, 1, rows, cols, g, rowScale, ops, 0, ops, rows, w, h, wFactor);
                    ArrayKernels.scalarRank1(y, ref, 1, rows, cols, g, rowScale, ops, 0, ops, rows, w, h, wFactor);
                    for (int i = 0; i < rows; i++) {
                        for (int c = 0; c < cols; c++) {
                            final int k = 1 + i * cols + c;
                            final double expected = g * y[k] + rowScale * ops[i] * ops[rows + c];
                            // three roundings of numbers below 2 in magnitude: 1e-15 absolute
                            assertEquals(expected, out[k], 1e-15, "filter " + rows + "x" + cols);
                            assertEquals(expected, ref[k], 1e-15, "scalar filter " + rows + "x" + cols);
                            if (withWeights) {
                                final double wExpected = y[k + n] + h * wFactor * y[k];
                                assertEquals(wExpected, out[k + n], 1e-15, "weights " + rows + "x" + cols);
                                assertEquals(wExpected, ref[k + n], 1e-15, "scalar weights " + rows + "x" + cols);
                            }
                        }
                    }
                    if (!withWeights) {
                        for (int k = 1 + n; k < y.length; k++) {
                            assertEquals(0.0, out[k], "weights untouched without an integrating block");
                        }
                    }
                }
            }
        }
    }

    @Test
    void rateFunctionsMatchTheirDefinitions() {
        // arguments across the range, including both signs of large values, zero and NaN
        final double[] args = new double[103];
        final SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < 100; i++) {
            args[i] = r.nextDouble(-40, 40);
        }
        args[7] = 800.0;
        args[8] = -800.0;
        args[9] = 0.0;
        args[100] = 1e-300;
        args[101] = -30.0;
        args[102] = Double.NaN;
        final double[] sp = args.clone();
        final double[] sg = args.clone();
        final double[] th = args.clone();
        ArrayKernels.softplus(sp, 0, args.length);
        ArrayKernels.sigmoid(sg, 0, args.length);
        ArrayKernels.tanh(th, 0, args.length);
        for (int i = 0; i < args.length; i++) {
            final double x = args[i];
            if (Double.isNaN(x)) {
                assertTrue(Double.isNaN(sp[i]) && Double.isNaN(sg[i]) && Double.isNaN(th[i]), "NaN propagates");
                continue;
            }
            // references from java.lang.Math (accurate to 1-2 ulp); the kernels' exponential and logarithm
            // (SVML or neurode's table kernels) are accurate to about 1 ulp: 4 ulp-sized relative bound
            final double softplus = x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
            final double sigmoid = 1.0 / (1.0 + Math.exp(-x));
            assertEquals(softplus, sp[i], 1e-15 * Math.abs(softplus) + Double.MIN_VALUE, "softplus(" + x + ")");
            assertEquals(sigmoid, sg[i], 1e-15 * Math.abs(sigmoid) + Double.MIN_VALUE, "sigmoid(" + x + ")");
            assertEquals(Math.tanh(x), th[i], 1e-15 * Math.abs(Math.tanh(x)) + Double.MIN_VALUE, "tanh(" + x + ")");
        }
    }
}
