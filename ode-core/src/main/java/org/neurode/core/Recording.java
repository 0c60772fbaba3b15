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
 * variable, not the inputs. Per-synapse variables of projections ({@code S.w[0..9]}: synapses 0 to 9 of
 * projection S) are read from the run's projections as stored when the sample is taken (Brian2's
 * {@code StateMonitor} of {@code Synapses}): an event-driven variable holds its value as of its synapse's last
 * update, not decayed to the sample time.
 *
 * @since 0.1
 */
public final class Recording {

    /** Marks a column that is an element of a named subexpression. */
    private static final int LET = Integer.MIN_VALUE;
    /** Marks a column that is a per-synapse variable of a projection. */
    private static final int SYNAPSE = Integer.MIN_VALUE + 1;

    private final Recorder recorder;
    private final StateLayout layout;
    private final StateLayout inputLayout;
    private final double[] inputs;
    /** Per column: the state index, {@code -1 - i} for element i of the input buffer, or {@link #LET}. */
    private final int[] indices;
    /** Per column of a named subexpression: its index, row and column (null without such columns). */
    private final int[] letIds;
    private final int[] letRows;
    private final int[] letCols;
    private final LetValues lets;
    /** Per column of a synapse variable: its projection, variable and synapse (null without such columns). */
    private final Projection[] synProjections;
    private final int[] synVariables;
    private final int[] synIndices;
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
        this(recorder, layout, inputLayout, inputs, () -> null, t0);
    }

    /**
     * A recording of state variables, inputs and named subexpressions, where the recorder names them.
     *
     * @param recorder    the specification
     * @param layout      the state layout, to resolve variable names
     * @param inputLayout the input layout, to resolve input names
     * @param inputs      the input buffer, read at every sample (a live reference, not copied)
     * @param lets        gives the run's named subexpressions (bound to its parameters and inputs), or null if the
     *                    model has none; asked only if the recorder names something that is neither a state
     *                    variable nor an input
     * @param t0          start time of the solve
     * @throws OdeException naming the reference at fault: an unknown name (with the known ones), an index or range
     *                      outside the variable, an empty range, a malformed reference
     * @since 0.5
     */
    public Recording(final Recorder recorder, final StateLayout layout, final StateLayout inputLayout,
                     final double[] inputs, final java.util.function.Supplier<LetValues> lets, final double t0) {
        this(recorder, layout, inputLayout, inputs, lets, List.of(), t0);
    }

    /**
     * A recording of state variables, inputs, named subexpressions and per-synapse variables of projections
     * ({@code S.w}, {@code S.w[3]}, {@code S.w[0..9]}: projection S, synapses in its order, by source then target),
     * where the recorder names them.
     *
     * @param recorder    the specification
     * @param layout      the state layout, to resolve variable names
     * @param inputLayout the input layout, to resolve input names
     * @param inputs      the input buffer, read at every sample (a live reference, not copied)
     * @param lets        gives the run's named subexpressions, or null if the model has none
     * @param projections the run's projections (bound to it), read at every sample
     * @param t0          start time of the solve
     * @throws OdeException naming the reference at fault: an unknown name, projection or synapse variable (with the
     *                      known ones), an index or range outside the variable or the synapses, an empty range, a
     *                      malformed reference
     * @since 0.5
     */
    public Recording(final Recorder recorder, final StateLayout layout, final StateLayout inputLayout,
                     final double[] inputs, final java.util.function.Supplier<LetValues> lets,
                     final List<Projection> projections, final double t0) {
        this.recorder = recorder;
        this.layout = layout;
        this.inputLayout = inputLayout;
        this.inputs = inputs;
        this.t0 = t0;
        int count = 0;
        final int[] picked;
        LetValues letValues = null;
        final List<int[]> letColumns = new ArrayList<>();
        final List<Projection> synColumns = new ArrayList<>();
        final List<int[]> synIds = new ArrayList<>();
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
                final Reference ref = Reference.parse(v);
                if (ref.projection != null) {
                    final Projection p = projection(projections, ref);
                    final int var = p.variables().indexOf(ref.name);
                    if (var < 0) {
                        throw new OdeException(ErrorCode.INVALID_ARGUMENT, "recorded variable '" + ref.text + "': "
                                + "projection '" + p.name() + "' has no synapse variable '" + ref.name + "'"
                                + (p.variables().isEmpty() ? " (it has none)" : "; its synapse variables: "
                                + String.join(", ", p.variables())));
                    }
                    for (final int e : ref.synapses(p.synapses())) {
                        idx.add(SYNAPSE);
                        synColumns.add(p);
                        synIds.add(new int[] {var, e});
                    }
                    continue;
                }
                if (layout.has(ref.name) || inputLayout.has(ref.name)) {
                    final boolean input = !layout.has(ref.name);
                    final StateLayout.Block b = (input ? inputLayout : layout).block(ref.name);
                    for (final int e : ref.elements(b.rows(), b.cols())) {
                        idx.add(column(b.offset() + e, input));
                    }
                    continue;
                }
                if (letValues == null) {
                    letValues = lets.get();
                }
                final int id = letId(letValues, ref.name);
                if (id < 0) {
                    final List<String> known = new ArrayList<>(layout.names());
                    known.addAll(inputLayout.names());
                    for (int k = 0; letValues != null && k < letValues.count(); k++) {
                        known.add(letValues.name(k));
                    }
                    throw new OdeException(ErrorCode.UNKNOWN_VARIABLE, ref.name, known.size() <= 30
                            ? String.join(", ", known) : String.join(", ", known.subList(0, 30)) + " and "
                            + (known.size() - 30) + " more");
                }
                final int cols = letValues.cols(id);
                for (final int e : ref.elements(letValues.rows(id), cols)) {
                    idx.add(LET);
                    letColumns.add(new int[] {id, e / cols, e % cols});
                }
            }
            picked = idx.stream().mapToInt(Integer::intValue).toArray();
        }
        this.indices = picked;
        if (synColumns.isEmpty()) {
            this.synProjections = null;
            this.synVariables = null;
            this.synIndices = null;
        } else {
            this.synProjections = new Projection[picked.length];
            this.synVariables = new int[picked.length];
            this.synIndices = new int[picked.length];
            for (int j = 0, k = 0; j < picked.length; j++) {
                if (picked[j] == SYNAPSE) {
                    synProjections[j] = synColumns.get(k);
                    synVariables[j] = synIds.get(k)[0];
                    synIndices[j] = synIds.get(k)[1];
                    k++;
                }
            }
        }
        if (letColumns.isEmpty()) {
            this.lets = null;
            this.letIds = null;
            this.letRows = null;
            this.letCols = null;
        } else {
            this.lets = letValues;
            this.letIds = new int[picked.length];
            this.letRows = new int[picked.length];
            this.letCols = new int[picked.length];
            for (int j = 0, k = 0; j < picked.length; j++) {
                if (picked[j] == LET) {
                    final int[] c = letColumns.get(k++);
                    letIds[j] = c[0];
                    letRows[j] = c[1];
                    letCols[j] = c[2];
                }
            }
        }
    }

    private static Projection projection(final List<Projection> projections, final Reference ref) {
        for (final Projection p : projections) {
            if (p.name().equals(ref.projection)) {
                return p;
            }
        }
        final List<String> known = new ArrayList<>();
        projections.forEach(p -> known.add(p.name()));
        throw new OdeException(ErrorCode.INVALID_ARGUMENT, "recorded variable '" + ref.text + "': the model has no "
                + "projection '" + ref.projection + "'" + (known.isEmpty() ? " (it has no projections)"
                : "; its projections: " + String.join(", ", known)));
    }

    private static int letId(final LetValues lets, final String name) {
        for (int k = 0; lets != null && k < lets.count(); k++) {
            if (lets.name(k).equals(name)) {
                return k;
            }
        }
        return -1;
    }

    /**
     * Reserves room for a number of samples, so that recording them allocates nothing (a hint: more samples still
     * fit, by growing the storage).
     *
     * @param samples expected number of samples
     * @since 0.5
     */
    public void reserve(final int samples) {
        if (samples > times.length) {
            times = Arrays.copyOf(times, samples);
        }
        final long cells = (long) samples * indices.length;
        if (cells > data.length && cells <= Integer.MAX_VALUE - 8) {
            data = Arrays.copyOf(data, (int) cells);
        }
    }

    /**
     * @return the number of samples of an {@link Recorder.Schedule#EVERY every} or {@link Recorder.Schedule#AT at}
     *         schedule between the start and {@code tEnd}, both included (0 for the other schedules, whose count is
     *         not known in advance)
     * @param tEnd end of the solve
     * @since 0.5
     */
    public long expectedSamples(final double tEnd) {
        switch (recorder.schedule()) {
            case EVERY:
                return (long) Math.min(Long.MAX_VALUE / 2, Math.floor((tEnd - t0) / recorder.dt())) + 2;
            case AT:
                return recorder.times().length;
            default:
                return 0;
        }
    }

    /** @return the number of recorded columns */
    public int columns() {
        return indices.length;
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
        if (lets == null && synProjections == null) {
            for (int j = 0; j < n; j++) {
                final int ix = indices[j];
                data[base + j] = ix >= 0 ? y[ix] : inputs[-1 - ix];
            }
        } else {
            if (lets != null) {
                lets.prepare(t, y);
            }
            for (int j = 0; j < n; j++) {
                final int ix = indices[j];
                data[base + j] = ix >= 0 ? y[ix] : ix == LET ? lets.value(letIds[j], letRows[j], letCols[j], t, y)
                        : ix == SYNAPSE ? synProjections[j].value(synVariables[j], synIndices[j])
                        : inputs[-1 - ix];
            }
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
            if (ix == SYNAPSE) {
                names[j] = synProjections[j].name() + "." + synProjections[j].variables().get(synVariables[j]) + "["
                        + synIndices[j] + "]";
            } else if (ix == LET) {
                final int id = letIds[j];
                names[j] = lets.rows(id) * lets.cols(id) == 1 ? lets.name(id) : lets.cols(id) == 1
                        ? lets.name(id) + "[" + letRows[j] + "]"
                        : lets.name(id) + "[" + letRows[j] + "," + letCols[j] + "]";
            } else {
                names[j] = ix >= 0 ? layout.variableName(ix) : inputLayout.variableName(-1 - ix);
            }
        }
        return names;
    }

    /** @return a copy of the samples, row-major (sample by column) */
    public double[] data() {
        return Arrays.copyOf(data, count * indices.length);
    }

    /**
     * A recorded reference: a name, optionally with one index or range (an element of a vector, or of a matrix in
     * row-major order) or two (row and column), each a number or an inclusive range {@code a..b}.
     */
    private static final class Reference {
        private static final java.util.regex.Pattern FORM = java.util.regex.Pattern.compile(
                "\\s*(?:([A-Za-z_][A-Za-z0-9_]*)\\s*\\.\\s*)?([A-Za-z_][A-Za-z0-9_]*)\\s*(?:\\[([^\\[\\]]*)])?\\s*");
        private static final java.util.regex.Pattern PART = java.util.regex.Pattern.compile(
                "\\s*(\\d{1,9})\\s*(?:\\.\\.\\s*(\\d{1,9})\\s*)?");

        private final String text;
        /** The projection of a synapse variable ({@code S} of {@code S.w}), or null. */
        private final String projection;
        private final String name;
        /** First and last index per given axis (none: the whole variable). */
        private final int[][] ranges;

        private Reference(final String text, final String projection, final String name, final int[][] ranges) {
            this.text = text;
            this.projection = projection;
            this.name = name;
            this.ranges = ranges;
        }

        static Reference parse(final String text) {
            final java.util.regex.Matcher m = FORM.matcher(text == null ? "" : text);
            if (!m.matches()) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "recorded variable '" + text + "' is malformed:"
                        + " write a name (v), an element (v[3], W[0,1]), a range (v[0..9], W[0..1, 1]) or a synapse"
                        + " variable of a projection (S.w, S.w[3], S.w[0..9])");
            }
            if (m.group(3) == null) {
                return new Reference(text.trim(), m.group(1), m.group(2), new int[0][]);
            }
            final String[] parts = m.group(3).split(",", -1);
            if (parts.length > 1 && m.group(1) != null) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "recorded variable '" + text.trim() + "' has "
                        + parts.length + " indices; the synapses of a projection take one (S.w[3], S.w[0..9])");
            }
            if (parts.length > 2) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "recorded variable '" + text.trim() + "' has "
                        + parts.length + " indices; give one (v[3], v[0..9]) or two (W[0,1], W[0..1, 1])");
            }
            final int[][] ranges = new int[parts.length][];
            for (int k = 0; k < parts.length; k++) {
                final java.util.regex.Matcher pm = PART.matcher(parts[k]);
                if (!pm.matches()) {
                    throw new OdeException(ErrorCode.INVALID_ARGUMENT, "recorded variable '" + text.trim() + "': '"
                            + parts[k].trim() + "' is not an index or a range (write 3 or 0..9, both ends included)");
                }
                final int first = Integer.parseInt(pm.group(1));
                final int last = pm.group(2) == null ? first : Integer.parseInt(pm.group(2));
                if (last < first) {
                    throw new OdeException(ErrorCode.INVALID_ARGUMENT, "recorded variable '" + text.trim()
                            + "': the range " + first + ".." + last + " is empty (" + last + " < " + first + ")");
                }
                ranges[k] = new int[] {first, last};
            }
            return new Reference(text.trim(), m.group(1), m.group(2), ranges);
        }

        /** The synapses named, of a projection with the given number. */
        int[] synapses(final int count) {
            if (ranges.length == 0) {
                return elements(count, 1);
            }
            if (count == 0) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "recorded variable '" + text + "': projection '"
                        + projection + "' has no synapses");
            }
            check(ranges[0], count, "projection '" + projection + "' has " + count + " synapse"
                    + (count == 1 ? "" : "s"));
            return elements(count, 1);
        }

        /** The elements named, as row-major indices into a rows x cols variable. */
        int[] elements(final int rows, final int cols) {
            if (ranges.length == 0) {
                final int[] all = new int[rows * cols];
                for (int i = 0; i < all.length; i++) {
                    all[i] = i;
                }
                return all;
            }
            if (ranges.length == 1) {
                check(ranges[0], rows * cols, rows * cols == 1 || cols == 1 ? "'" + name + "' has " + rows * cols
                        + " element" + (rows * cols == 1 ? "" : "s") : "'" + name + "' (" + rows + "x" + cols
                        + ") has " + rows * cols + " elements in row-major order");
                final int[] out = new int[ranges[0][1] - ranges[0][0] + 1];
                for (int i = 0; i < out.length; i++) {
                    out[i] = ranges[0][0] + i;
                }
                return out;
            }
            check(ranges[0], rows, "'" + name + "' (" + rows + "x" + cols + ") has " + rows + " row"
                    + (rows == 1 ? "" : "s"));
            check(ranges[1], cols, "'" + name + "' (" + rows + "x" + cols + ") has " + cols + " column"
                    + (cols == 1 ? "" : "s"));
            final int nr = ranges[0][1] - ranges[0][0] + 1;
            final int nc = ranges[1][1] - ranges[1][0] + 1;
            final int[] out = new int[nr * nc];
            for (int r = 0; r < nr; r++) {
                for (int c = 0; c < nc; c++) {
                    out[r * nc + c] = (ranges[0][0] + r) * cols + ranges[1][0] + c;
                }
            }
            return out;
        }

        private void check(final int[] range, final int size, final String has) {
            if (range[1] >= size) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "recorded variable '" + text + "': index "
                        + range[1] + " is out of range: " + has + ", indices 0 to " + (size - 1));
            }
        }
    }
}
