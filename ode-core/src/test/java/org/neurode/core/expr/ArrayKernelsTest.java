package org.neurode.core.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

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
    void issue14_theVectorScanFindsTheMembersOfTheScalarScan() {
        assumeTrue(ArrayKernels.simd(), "SIMD kernels not in use");
        VectorKernels.skipWarmUp();
        // GIVEN values around the threshold 0.5, some equal to it, NaN and infinite, some members refractory
        final SplittableRandom r = new SplittableRandom(14);
        for (int n = 1; n <= 40; n++) {
            final double[] y = new double[n + 3];
            final double[] until = new double[n];
            for (int m = 0; m < n; m++) {
                final int kind = r.nextInt(10);
                y[3 + m] = kind == 0 ? 0.5 : kind == 1 ? Double.NaN : kind == 2 ? Double.POSITIVE_INFINITY
                        : r.nextDouble(0, 1);
                until[m] = r.nextInt(4) == 0 ? 2.0 : Double.NEGATIVE_INFINITY;
            }
            for (int op = ArrayKernels.GT; op <= ArrayKernels.LE; op++) {
                for (final double[] u : new double[][] {null, until}) {
                    // WHEN both scans run
                    final int[] a = new int[n];
                    final int[] b = new int[n];
                    final int ca = VectorKernels.scan(y, 3, n, op, 0.5, u, 1.0, a);
                    final int cb = ArrayKernels.scanTwin(y, 3, 0, n, op, 0.5, u, 1.0, b, 0);
                    // THEN they find the same members in the same order, and the scalar scan finds those the
                    // comparison names
                    assertEquals(java.util.Arrays.toString(java.util.Arrays.copyOf(b, cb)),
                            java.util.Arrays.toString(java.util.Arrays.copyOf(a, ca)), "n " + n + " op " + op);
                    int expected = 0;
                    for (int m = 0; m < n; m++) {
                        final double v = y[3 + m];
                        final boolean holds = op == ArrayKernels.GT ? v > 0.5 : op == ArrayKernels.GE ? v >= 0.5
                                : op == ArrayKernels.LT ? v < 0.5 : v <= 0.5;
                        if (holds && (u == null || 1.0 >= u[m])) {
                            assertEquals(m, b[expected++], "n " + n + " op " + op);
                        }
                    }
                    assertEquals(expected, cb);
                }
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

    @Test
    void issue12_matrixKernelsGiveEveryRowTheBitsOfItsScalarTwin() {
        assumeTrue(ArrayKernels.simd(), "SIMD kernels not in use");
        VectorKernels.skipWarmUp();
        final SplittableRandom r = new SplittableRandom(13);
        for (int rows = 1; rows <= 11; rows++) {
            for (int cols = 1; cols <= 35; cols++) {
                // GIVEN a matrix and a vector at offsets
                final double[] m = random(r, 5 + rows * cols);
                final double[] x = random(r, 3 + cols);
                final double[] a = new double[rows + 2];
                final double[] b = new double[rows + 2];
                // WHEN the vector code and the scalar twin (used while the JIT warms up) multiply them
                VectorKernels.matvec(m, 5, rows, cols, x, 3, a, 2);
                VectorKernels.matvecTwin(m, 5, 0, rows, cols, x, 3, b, 2);
                // THEN every row has the same bits
                for (int i = 0; i < a.length; i++) {
                    assertEquals(Double.doubleToLongBits(b[i]), Double.doubleToLongBits(a[i]), rows + "x" + cols
                            + " row " + i);
                }
            }
        }
    }

    @Test
    void issue12_rateKernelsGiveEveryElementTheBitsOfItsScalarTwin() {
        assumeTrue(ArrayKernels.simd(), "SIMD kernels not in use");
        VectorKernels.skipWarmUp();
        // GIVEN arguments across every branch (tiny, moderate, beyond the polynomials' range of 700, signed
        // zeros, infinities, NaN), at every offset and length from 1 to 3 vectors plus tails
        final SplittableRandom r = new SplittableRandom(12);
        final double[] args = new double[40];
        for (int i = 0; i < args.length; i++) {
            args[i] = i % 3 == 0 ? r.nextDouble(-30, 30) : i % 3 == 1 ? r.nextDouble(-1, 1) * 1e-9 : r.nextDouble(-800, 800);
        }
        args[5] = Double.NaN;
        args[11] = -0.0;
        args[12] = 0.0;
        args[23] = Double.NEGATIVE_INFINITY;
        args[31] = Double.POSITIVE_INFINITY;
        for (int off = 0; off < 3; off++) {
            for (int n = 1; n + off <= args.length; n++) {
                final double[] sp = args.clone();
                final double[] sg = args.clone();
                final double[] th = args.clone();
                // WHEN the vector kernels run over the slice
                VectorKernels.softplus(sp, off, n);
                VectorKernels.sigmoid(sg, off, n);
                VectorKernels.tanh(th, off, n);
                // THEN every element has the bits of the scalar twin, whether it sat in a vector, in a tail or
                // in a vector done element by element because of an out-of-range neighbour
                for (int i = 0; i < args.length; i++) {
                    final boolean in = i >= off && i < off + n;
                    final double x = args[i];
                    assertEquals(Double.doubleToLongBits(in ? VectorKernels.softplusLane(x) : x),
                            Double.doubleToLongBits(sp[i]), "softplus(" + x + ") at " + i + ", off " + off + " n " + n);
                    assertEquals(Double.doubleToLongBits(in ? VectorKernels.sigmoidLane(x) : x),
                            Double.doubleToLongBits(sg[i]), "sigmoid(" + x + ") at " + i + ", off " + off + " n " + n);
                    assertEquals(Double.doubleToLongBits(in ? VectorKernels.tanhLane(x) : x),
                            Double.doubleToLongBits(th[i]), "tanh(" + x + ") at " + i + ", off " + off + " n " + n);
                }
            }
        }
        // AND the limits hold exactly: tanh keeps the sign of zero, saturates at +-1; sigmoid(0) = 1/2
        assertEquals(Double.doubleToLongBits(-0.0), Double.doubleToLongBits(VectorKernels.tanhLane(-0.0)));
        assertEquals(1.0, VectorKernels.tanhLane(30.0), 0.0);
        assertEquals(-1.0, VectorKernels.tanhLane(Double.NEGATIVE_INFINITY), 0.0);
        assertEquals(0.5, VectorKernels.sigmoidLane(0.0), 0.0);
    }

    @Test
    void issue12_ownExponentialAndLogarithmKeepTheRateFunctionsWithin1e15OfMath() {
        assumeTrue(ArrayKernels.simd(), "SIMD kernels not in use");
        VectorKernels.skipWarmUp();
        // GIVEN 40,000 arguments: the moderate range, tiny ones and the whole range of the polynomials
        final SplittableRandom r = new SplittableRandom(7);
        final int n = 40_000;
        final double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = switch (i % 4) {
                case 0 -> r.nextDouble(-40, 40);
                case 1 -> r.nextDouble(-3, 3);
                case 2 -> Math.scalb(r.nextDouble(-1, 1), -r.nextInt(60));
                default -> r.nextDouble(-700, 700);
            };
        }
        final double[] sp = x.clone();
        final double[] sg = x.clone();
        final double[] th = x.clone();
        // WHEN the SIMD kernels (own vector exponential and logarithm) evaluate them
        ArrayKernels.softplus(sp, 0, n);
        ArrayKernels.sigmoid(sg, 0, n);
        ArrayKernels.tanh(th, 0, n);
        // THEN they agree with java.lang.Math to 1e-15 relative. Measured over 2,000,000 such arguments: at
        // most 3.5e-16 (softplus), 4.4e-16 (sigmoid), 4.9e-16 (tanh); against a 120-bit reference (mpmath) the
        // kernels err by at most 1.4, 2.2 and 2.6 ulp and Math by up to 2.1 ulp, so 1e-15 (4.5 to 9 ulp)
        // bounds the sum of both errors
        for (int i = 0; i < n; i++) {
            final double v = x[i];
            final double softplus = v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v));
            final double sigmoid = v >= 0 ? 1.0 / (1.0 + Math.exp(-v)) : Math.exp(v) / (1.0 + Math.exp(v));
            final double tanh = Math.tanh(v);
            assertEquals(softplus, sp[i], 1e-15 * Math.abs(softplus) + Double.MIN_VALUE, () -> "softplus(" + v + ")");
            assertEquals(sigmoid, sg[i], 1e-15 * Math.abs(sigmoid) + Double.MIN_VALUE, () -> "sigmoid(" + v + ")");
            assertEquals(tanh, th[i], 1e-15 * Math.abs(tanh) + Double.MIN_VALUE, () -> "tanh(" + v + ")");
        }
    }

    @Test
    void issue12_kernelsGiveTheSameBitsInEveryJitTier() throws IOException, InterruptedException {
        assumeTrue(ArrayKernels.simd(), "SIMD kernels not in use");
        // GIVEN child JVMs that run every kernel on the same inputs: interpreted only (the Vector API's Java
        // implementation), C2 only from the first call (for neurode's kernels; compiling the whole JDK that way
        // takes 7 s), C1 only, the default tiers after warm-up (C2 code, where the JDK's lanewise EXP/LOG1P
        // are SVML routines), and the default with 256-bit vectors (as on an AVX2 machine). Before issue 12's
        // fix the softplus, sigmoid and tanh digests of -Xint and C1 differed from the C2 ones, which broke
        // exact resume
        // (warm-up: the kernels do most elements with their scalar twins for their first calls; 0 skips that,
        // 500 makes the default JVM run both phases)
        final String[][] options = {
            {"-Xint", "-Dneurode.simd.warmUp=0"},
            {"-Xcomp", "-XX:-TieredCompilation", "-XX:CompileCommand=quiet",
             "-XX:CompileCommand=compileonly,org.neurode.core.expr.*::*", "-Dneurode.simd.warmUp=0"},
            {"-XX:TieredStopAtLevel=1", "-Dneurode.simd.warmUp=0"},
            {"-Dneurode.simd.warmUp=500"},
            {"-XX:MaxVectorSize=32", "-Dneurode.simd.warmUp=500"},
        };
        final int[] iterations = {2, 2, 300, 3000, 3000};
        // WHEN each prints the digest of the results' bits (after checking its iterations agree)
        final List<String> digests = new ArrayList<>();
        for (int k = 0; k < options.length; k++) {
            digests.add(child(options[k], iterations[k]));
        }
        // THEN all digests are equal, and equal to this JVM's
        final String here = KernelBits.inProcess();
        for (int k = 0; k < options.length; k++) {
            assertEquals(here, digests.get(k), "JVM options " + String.join(" ", options[k]));
        }
    }

    /** Runs {@link KernelBits} in a child JVM with the Vector API and the given options; returns its output. */
    private static String child(final String[] options, final int iterations) throws IOException,
            InterruptedException {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--add-modules");
        command.add("jdk.incubator.vector");
        command.addAll(List.of(options));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(KernelBits.class.getName());
        command.add(Integer.toString(iterations));
        final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "child JVM did not finish: " + command);
        assertEquals(0, p.exitValue(), out);
        // the last line is the digest (the JVM's warning about the incubator module comes first)
        return out.substring(out.lastIndexOf('\n') + 1);
    }
}
