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
}
