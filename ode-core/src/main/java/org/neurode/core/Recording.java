package org.neurode.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The mutable sample store a solver fills while it runs a {@link Recorder}. Solvers ask
 * {@link #nextTime()} for the next wanted time, interpolate there and call {@link #sample}. Not
 * thread-safe; one per solve.
 *
 * <p>Columns are state elements and, where the recorder names them, input elements: inputs are not part of
 * the state, so a recording reads them from the live input buffer it was given (piecewise constant, they
 * hold the value of the step being recorded). A recorder that names no variables records every state
 * variable, not the inputs.
 *
 * @since 0.1
 */
public final class Recording {

    private final Recorder recorder;
    private final StateLayout layout;
    private final StateLayout inputLayout;
    private final double[] inputs;
    /** Per column: the state index, or {@code -1 - i} for element i of the input buffer. */
    private final int[] indices;
    private final double t0;
    private double[] data = new double[64];
    private double[] times = new double[16];
    private int count;
    private int nextIndex;

    /**
     * A recording of state variables only.
     *
     * @param recorder the specification
     * @param layout   the state layout, to resolve variable names
     * @param t0       start time of the solve
     */
    public Recording(final Recorder recorder, final StateLayout layout, final double t0) {
        this(recorder, layout, StateLayout.builder().build(), new double[0], t0);
    }

    /**
     * A recording of state variables and, where the recorder names them, inputs.
     *
     * @param recorder    the specification
     * @param layout      the state layout, to resolve variable names
     * @param inputLayout the input layout, to resolve input names
     * @param inputs      the input buffer, read at every sample (a live reference, not copied)
     * @param t0          start time of the solve
     */
    public Recording(final Recorder recorder, final StateLayout layout, final StateLayout inputLayout,
                     final double[] inputs, final double t0) {
        this.recorder = recorder;
        this.layout = layout;
        this.inputLayout = inputLayout;
        this.inputs = inputs;
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
                final String name = StateLayout.blockName(v);
                final boolean input = !layout.has(name) && inputLayout.has(name);
                final StateLayout l = input ? inputLayout : layout;
                if (!input && !layout.has(name)) {
                    final List<String> known = new ArrayList<>(layout.names());
                    known.addAll(inputLayout.names());
                    throw new OdeException(ErrorCode.UNKNOWN_VARIABLE, name, known.size() <= 30
                            ? String.join(", ", known) : String.join(", ", known.subList(0, 30)) + " and "
                            + (known.size() - 30) + " more");
                }
                if (l.has(v.trim())) {
                    final StateLayout.Block b = l.block(v.trim());
                    for (int i = 0; i < b.size(); i++) {
                        idx.add(column(b.offset() + i, input));
                    }
                } else {
                    idx.add(column(l.index(v), input));
                }
            }
            picked = idx.stream().mapToInt(Integer::intValue).toArray();
        }
        this.indices = picked;
    }

    private static int column(final int index, final boolean input) {
        return input ? -1 - index : index;
    }

    /** @return the layout of the inputs it may record (empty if it records state variables only) */
    public StateLayout inputLayout() {
        return inputLayout;
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
     * @param y full state at {@code t} (not modified); inputs are read from the input buffer
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
            final int ix = indices[j];
            data[base + j] = ix >= 0 ? y[ix] : inputs[-1 - ix];
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
            final int ix = indices[j];
            names[j] = ix >= 0 ? layout.variableName(ix) : inputLayout.variableName(-1 - ix);
        }
        return names;
    }

    /** @return a copy of the samples, row-major (sample by column) */
    public double[] data() {
        return Arrays.copyOf(data, count * indices.length);
    }
}
