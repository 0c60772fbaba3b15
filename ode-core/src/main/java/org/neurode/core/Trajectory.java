package org.neurode.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of a solve: recorded samples, events, final state, status and work statistics.
 * Immutable: arrays are copied once at construction and getters return copies only of columns.
 *
 * <p>The samples of the run's main recorder ({@code SolveOptions.withRecorder}) are read with {@link #times()},
 * {@link #column(String)} and the like; those of every recorder, the main one included, by its name with
 * {@link #recording(String)}.
 *
 * @since 0.1
 */
public final class Trajectory {

    private final StateLayout layout;
    private final StateLayout inputLayout;
    private final double[] times;
    private final String[] names;
    private final double[] data;
    private final EventLog events;
    private final double finalTime;
    private final double[] finalState;
    private final Status status;
    private final SolveStatistics statistics;
    private final String message;
    private final String mainName;
    /** The other recorders' samples by name, in the order they were added. */
    private final Map<String, Samples> others;

    /**
     * @param layout     state layout
     * @param recording  the samples (copied)
     * @param events     the events (copied)
     * @param finalTime  time reached
     * @param finalState state reached (copied)
     * @param status     how the solve ended
     * @param statistics work counters
     * @param message    failure message for non-success statuses, else empty
     */
    public Trajectory(final StateLayout layout, final Recording recording, final EventLog events,
                      final double finalTime, final double[] finalState, final Status status,
                      final SolveStatistics statistics, final String message) {
        this(layout, recording, List.of(), events, finalTime, finalState, status, statistics, message);
    }

    /**
     * @param layout     state layout
     * @param recording  the samples of the main recorder (copied)
     * @param others     the samples of the other recorders (copied), names different from each other's and the
     *                   main one's
     * @param events     the events (copied)
     * @param finalTime  time reached
     * @param finalState state reached (copied)
     * @param status     how the solve ended
     * @param statistics work counters
     * @param message    failure message for non-success statuses, else empty
     * @since 0.5
     */
    public Trajectory(final StateLayout layout, final Recording recording, final List<Recording> others,
                      final EventLog events, final double finalTime, final double[] finalState, final Status status,
                      final SolveStatistics statistics, final String message) {
        this.mainName = recording.recorder().name();
        final Map<String, Samples> map = new LinkedHashMap<>();
        for (final Recording r : others) {
            final String name = r.recorder().name();
            if (name.equals(mainName) || map.containsKey(name)) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "two recorders are named '" + name + "': give each"
                        + " its own name (Recorder.named)");
            }
            map.put(name, new Samples(r));
        }
        this.others = Collections.unmodifiableMap(map);
        this.layout = layout;
        this.inputLayout = recording.inputLayout();
        this.times = recording.times();
        this.names = recording.names();
        this.data = recording.data();
        this.events = events.copy();
        this.finalTime = finalTime;
        this.finalState = finalState.clone();
        this.status = status;
        this.statistics = statistics;
        this.message = message == null ? "" : message;
    }

    /** @return the state layout */
    public StateLayout layout() {
        return layout;
    }

    /** @return the layout of the model's inputs (recorded columns may name them; may have no blocks) */
    public StateLayout inputLayout() {
        return inputLayout;
    }

    /** @return number of samples */
    public int size() {
        return times.length;
    }

    /** @return a copy of the sample times */
    public double[] times() {
        return times.clone();
    }

    /** @return the recorded column names in order */
    public List<String> columnNames() {
        return List.of(names);
    }

    /**
     * @param name a recorded element such as {@code v[3]} or a scalar such as {@code x}
     * @return a copy of its samples
     */
    public double[] column(final String name) {
        final String key = normalize(name);
        for (int j = 0; j < names.length; j++) {
            if (names[j].equals(key)) {
                return column(j);
            }
        }
        throw new OdeException(ErrorCode.UNKNOWN_VARIABLE, name,
                names.length > 12 ? String.join(", ", Arrays.copyOf(names, 12)) + ", ..." : String.join(", ", names));
    }

    private static String normalize(final String name) {
        return name.replace(" ", "");
    }

    /**
     * @param j column index
     * @return a copy of its samples
     */
    public double[] column(final int j) {
        final int n = names.length;
        final double[] c = new double[times.length];
        for (int k = 0; k < c.length; k++) {
            c[k] = data[k * n + j];
        }
        return c;
    }

    /**
     * @param k sample index
     * @param j column index
     * @return the sampled value
     */
    public double value(final int k, final int j) {
        return data[k * names.length + j];
    }

    /**
     * @return the names of the recorders: the main one first, then the others in the order they were added
     * @since 0.5
     */
    public List<String> recordingNames() {
        final List<String> names = new ArrayList<>();
        names.add(mainName);
        names.addAll(others.keySet());
        return List.copyOf(names);
    }

    /**
     * @param name a recorder's name ({@link Recorder#name()})
     * @return its samples (for the main recorder, a copy of this trajectory's samples)
     * @throws OdeException if no recorder has that name (naming those there are)
     * @since 0.5
     */
    public Samples recording(final String name) {
        if (name.equals(mainName)) {
            return new Samples(mainName, times, names, data);
        }
        final Samples s = others.get(name);
        if (s == null) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "no recorder is named '" + name + "'; recorders: "
                    + String.join(", ", recordingNames()));
        }
        return s;
    }

    /** @return the events (a copy) */
    public EventLog events() {
        return events.copy();
    }

    /** @return number of events */
    public int eventCount() {
        return events.size();
    }

    /** @return the time reached */
    public double finalTime() {
        return finalTime;
    }

    /** @return a copy of the final state */
    public double[] finalState() {
        return finalState.clone();
    }

    /**
     * @param reference variable reference such as {@code v[3]}
     * @return its final value
     */
    public double finalValue(final String reference) {
        return finalState[layout.index(reference)];
    }

    /** @return how the solve ended */
    public Status status() {
        return status;
    }

    /** @return the failure message, empty on success */
    public String message() {
        return message;
    }

    /** @return work counters */
    public SolveStatistics statistics() {
        return statistics;
    }
}
