package org.neurode.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The mutable sample store a solver fills while it runs a {@link Recorder}. Solvers ask
 * {@link #nextTime()} for the next wanted time, interpolate there and call {@link #sample}. Not
 * thread-safe; one per solve.
 *
 * @since 0.1
 */
public final class Recording {

    private final Recorder recorder;
    private final StateLayout layout;
    private final int[] indices;
    private final double t0;
    private double[] data = new double[64];
    private double[] times = new double[16];
    private int count;
    private int nextIndex;

    /**
     * @param recorder the specification
     * @param layout   the state layout, to resolve variable names
     * @param t0       start time of the solve
     */
    public Recording(final Recorder recorder, final StateLayout layout, final double t0) {
        this.recorder = recorder;
        this.layout = layout;
        this.t0 = t0;
        int count = 0;
        final int[] picked;
        if (recorder.variables().isEmpty()) {
            for (final StateLayout.Block b : layout.blocks()) {
                count += b.size();
            }
            picked = new int[count];
            int k = 0;
            for (final StateLayout.Block b : layout.blocks()) {
                for (int i = 0; i < b.size(); i++) {
                    picked[k++] = b.offset() + i;
                }
            }
        } else {
            final List<Integer> idx = new ArrayList<>();
            for (final String v : recorder.variables()) {
                if (layout.has(v.trim())) {
                    final StateLayout.Block b = layout.block(v.trim());
                    for (int i = 0; i < b.size(); i++) {
                        idx.add(b.offset() + i);
                    }
                } else {
                    idx.add(layout.index(v));
                }
            }
            picked = idx.stream().mapToInt(Integer::intValue).toArray();
        }
        this.indices = picked;
    }

    /** @return the specification */
    public Recorder recorder() {
        return recorder;
    }

    /** @return true if the solver should sample at every accepted step end */
    public boolean wantsSteps() {
        return recorder.schedule() == Recorder.Schedule.STEPS;
    }

    /**
     * @return the next scheduled sample time, or {@code +Infinity} if none is left (also for the
     *         {@code STEPS} and {@code FINAL} schedules, whose samples the solver triggers itself)
     */
    public double nextTime() {
        switch (recorder.schedule()) {
            case EVERY:
                return t0 + nextIndex * recorder.dt();
            case AT:
                final double[] ts = recorder.times();
                return nextIndex < ts.length ? ts[nextIndex] : Double.POSITIVE_INFINITY;
            default:
                return Double.POSITIVE_INFINITY;
        }
    }

    /**
     * Skips scheduled times before {@code t} (used once at the start for {@code at(...)} times before the
     * start time).
     *
     * @param t time
     */
    public void skipBefore(final double t) {
        if (recorder.schedule() == Recorder.Schedule.AT) {
            final double[] ts = recorder.times();
            while (nextIndex < ts.length && ts[nextIndex] < t) {
                nextIndex++;
            }
        }
    }

    /**
     * Appends a sample and advances the schedule.
     *
     * @param t time of the sample
     * @param y full state at {@code t} (not modified)
     */
    public void sample(final double t, final double[] y) {
        if (count > 0 && t == times[count - 1]) {
            nextIndex++;
            return;
        }
        final int n = indices.length;
        if ((count + 1) * n > data.length) {
            data = Arrays.copyOf(data, Math.max(2 * data.length, (count + 1) * n));
        }
        if (count == times.length) {
            times = Arrays.copyOf(times, 2 * times.length);
        }
        times[count] = t;
        final int base = count * n;
        for (int j = 0; j < n; j++) {
            data[base + j] = y[indices[j]];
        }
        count++;
        nextIndex++;
    }

    /**
     * Records the final state for the {@code FINAL} schedule and any scheduled sample exactly at the end.
     *
     * @param t final time
     * @param y final state (not modified)
     */
    public void finish(final double t, final double[] y) {
        if (recorder.schedule() == Recorder.Schedule.FINAL
            || recorder.schedule() == Recorder.Schedule.STEPS && (count == 0 || times[count - 1] != t)) {
            sample(t, y);
        }
    }

    /** @return number of samples */
    public int size() {
        return count;
    }

    /** @return copies of the sample times */
    public double[] times() {
        return Arrays.copyOf(times, count);
    }

    /** @return column names, e.g. {@code v[0]} (made on demand: a large state has many) */
    public String[] names() {
        final String[] names = new String[indices.length];
        for (int j = 0; j < indices.length; j++) {
            names[j] = layout.variableName(indices[j]);
        }
        return names;
    }

    /** @return a copy of the samples, row-major (sample by column) */
    public double[] data() {
        return Arrays.copyOf(data, count * indices.length);
    }
}
