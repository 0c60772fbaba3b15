package org.neurode.examples.bench;

import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Wall-clock measurement for the {@code bench} command: warm-up runs, then timed runs; the minimum is
 * the figure of merit (least disturbed by other load), the median is reported beside it.
 *
 * @param min    fastest run (s)
 * @param median median run (s)
 * @param first  the very first (cold) run, including JIT and code generation (s)
 * @param runs   number of timed runs
 */
public record Timing(double min, double median, double first, int runs) {

    /**
     * @param task    the work; its result is kept alive so the JIT cannot remove it
     * @param warmup  untimed runs after the first
     * @param repeats timed runs
     * @return the timing
     */
    public static Timing of(final Supplier<Object> task, final int warmup, final int repeats) {
        long t0 = System.nanoTime();
        Object sink = task.get();
        final double first = (System.nanoTime() - t0) * 1e-9;
        for (int i = 0; i < warmup; i++) {
            sink = task.get();
        }
        final double[] times = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            t0 = System.nanoTime();
            sink = task.get();
            times[i] = (System.nanoTime() - t0) * 1e-9;
        }
        if (sink == null) {
            throw new IllegalStateException("benchmark task returned null");
        }
        Arrays.sort(times);
        return new Timing(times[0], times[repeats / 2], first, repeats);
    }

    /**
     * Times two tasks alternately (A, B, A, B, ...) so that drifting machine load affects both alike;
     * each timed run repeats its task {@code inner} times to make it long enough to time reliably.
     *
     * @param a       first task
     * @param b       second task
     * @param inner   task repetitions per timed run
     * @param warmup  untimed alternating runs
     * @param repeats timed alternating runs
     * @return the two timings (per task call, not per timed run)
     */
    public static Timing[] compare(final Supplier<Object> a, final Supplier<Object> b, final int inner,
                                   final int warmup, final int repeats) {
        final double[] ta = new double[repeats];
        final double[] tb = new double[repeats];
        Object sink = null;
        double firstA = 0;
        double firstB = 0;
        for (int r = -warmup; r < repeats; r++) {
            long t0 = System.nanoTime();
            for (int k = 0; k < inner; k++) {
                sink = a.get();
            }
            final double da = (System.nanoTime() - t0) * 1e-9 / inner;
            t0 = System.nanoTime();
            for (int k = 0; k < inner; k++) {
                sink = b.get();
            }
            final double db = (System.nanoTime() - t0) * 1e-9 / inner;
            if (r == -warmup) {
                firstA = da;
                firstB = db;
            }
            if (r >= 0) {
                ta[r] = da;
                tb[r] = db;
            }
        }
        if (sink == null) {
            throw new IllegalStateException("benchmark task returned null");
        }
        Arrays.sort(ta);
        Arrays.sort(tb);
        return new Timing[] {new Timing(ta[0], ta[repeats / 2], firstA, repeats),
            new Timing(tb[0], tb[repeats / 2], firstB, repeats)};
    }
}
