package org.neurode.core.expr;

import java.util.SplittableRandom;

/**
 * Runs every {@link ArrayKernels} kernel on fixed inputs and digests the bits of the results: the child
 * process of {@code ArrayKernelsTest}'s JIT-tier test, which starts it with different compiler options.
 * {@code main(iterations)} repeats the same calls, so that in a default JVM the later ones run C2-compiled
 * code, and prints {@code simd=<true|false> bits=<hex digest>}, or {@code unstable at iteration <i>} if an
 * iteration differed from the first.
 */
final class KernelBits {

    /** Shapes of the matrix kernels: the microcircuit's 50x30 and 10x50, and odd ones with tails. */
    private static final int[][] SHAPES = {{50, 30}, {10, 50}, {7, 13}, {3, 5}, {1, 1}};
    /** Rate-function arguments: a length that leaves a tail for 4- and 8-double vectors. */
    private static final int N = 203;

    private final double[][] matrices = new double[SHAPES.length][];
    private final double[][] vectors = new double[SHAPES.length][];
    private final double[][] products = new double[SHAPES.length][];
    private final double[] args = new double[N];
    private final double[] work = new double[N];
    private final double[] filters;
    private final double[] filtersOut;

    private KernelBits() {
        final SplittableRandom r = new SplittableRandom(12);
        for (int k = 0; k < SHAPES.length; k++) {
            matrices[k] = uniform(r, SHAPES[k][0] * SHAPES[k][1], 1.0);
            vectors[k] = uniform(r, SHAPES[k][1], 1.0);
            products[k] = new double[SHAPES[k][0]];
        }
        for (int i = 0; i < N; i++) {
            // the microcircuit's range, wide and tiny arguments, and every branch of the kernels
            args[i] = switch (i % 4) {
                case 0 -> r.nextDouble(-8, 8);
                case 1 -> r.nextDouble(-40, 40);
                case 2 -> Math.scalb(r.nextDouble(-1, 1), -r.nextInt(60));
                default -> r.nextDouble(-750, 750);
            };
        }
        args[17] = Double.NaN;
        args[18] = Double.POSITIVE_INFINITY;
        args[19] = Double.NEGATIVE_INFINITY;
        args[20] = -0.0;
        filters = uniform(r, 2 * 50 * 30, 1.0);
        filtersOut = new double[filters.length];
    }

    private static double[] uniform(final SplittableRandom r, final int n, final double bound) {
        final double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextDouble(-bound, bound);
        }
        return a;
    }

    /** One pass over all kernels; returns the FNV-1a digest of the results' bits (NaNs collapsed). */
    private long pass() {
        long h = 0xcbf29ce484222325L;
        for (int k = 0; k < SHAPES.length; k++) {
            ArrayKernels.matvec(matrices[k], 0, SHAPES[k][0], SHAPES[k][1], vectors[k], 0, products[k], 0);
            h = digest(h, products[k]);
        }
        ArrayKernels.rank1(filters, filtersOut, 0, 50, 30, 0.99, 0.3, vectors[1], 0, vectors[0], 0, 1500, 0.1, 0.7);
        h = digest(h, filtersOut);
        ArrayKernels.rank1(filters, filtersOut, 0, 7, 13, 0.95, -0.2, vectors[1], 0, vectors[2], 0, -1, 0.1, 0.0);
        h = digest(h, filtersOut);
        System.arraycopy(args, 0, work, 0, N);
        ArrayKernels.softplus(work, 0, N);
        h = digest(h, work);
        System.arraycopy(args, 0, work, 0, N);
        ArrayKernels.sigmoid(work, 0, N);
        h = digest(h, work);
        System.arraycopy(args, 0, work, 0, N);
        ArrayKernels.tanh(work, 0, N);
        return digest(h, work);
    }

    private static long digest(final long seed, final double[] values) {
        long h = seed;
        for (final double v : values) {
            h = (h ^ Double.doubleToLongBits(v)) * 0x100000001b3L;
        }
        return h;
    }

    /**
     * @param args the number of iterations
     */
    public static void main(final String[] args) {
        final KernelBits k = new KernelBits();
        final int iterations = Integer.parseInt(args[0]);
        final long first = k.pass();
        for (int i = 1; i < iterations; i++) {
            if (k.pass() != first) {
                System.out.println("unstable at iteration " + i);
                return;
            }
        }
        System.out.println("simd=" + ArrayKernels.simd() + " bits=" + Long.toHexString(first));
    }

    /** @return the digest of one pass in this JVM */
    static String inProcess() {
        return "simd=" + ArrayKernels.simd() + " bits=" + Long.toHexString(new KernelBits().pass());
    }
}
