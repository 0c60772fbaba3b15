package org.neurode.core;

import java.util.Arrays;
import java.util.List;

/**
 * The events of a solve, in time order: time, detector index and member index (e.g. spike times and
 * neuron indices). Appending is amortised O(1); not thread-safe.
 *
 * <p>The spikes of one event kind (a spike monitor of one population) are read as arrays with
 * {@link #times(String)} and {@link #members(String)}; {@code PopulationRate} bins them into a population rate.
 *
 * @since 0.1
 */
public final class EventLog {

    private final String[] detectors;
    private double[] times = new double[64];
    private int[] detector = new int[64];
    private int[] member = new int[64];
    private int count;

    /**
     * @param detectorNames names of the detectors, indexed as in {@link #add}
     */
    public EventLog(final String... detectorNames) {
        this.detectors = detectorNames.clone();
    }

    /**
     * @param t   event time
     * @param det detector index
     * @param m   member index
     */
    public void add(final double t, final int det, final int m) {
        if (count == times.length) {
            times = Arrays.copyOf(times, 2 * count);
            detector = Arrays.copyOf(detector, 2 * count);
            member = Arrays.copyOf(member, 2 * count);
        }
        times[count] = t;
        detector[count] = det;
        member[count] = m;
        count++;
    }

    /**
     * Forgets the events logged so far (the arrays are kept, so logging goes on without allocating until it
     * outgrows them again).
     *
     * @since 0.6
     */
    public void clear() {
        count = 0;
    }

    /** @return the number of events */
    public int size() {
        return count;
    }

    /**
     * @param k event index
     * @return its time
     */
    public double time(final int k) {
        return times[k];
    }

    /**
     * @param k event index
     * @return its member index (the neuron)
     */
    public int member(final int k) {
        return member[k];
    }

    /**
     * @param k event index
     * @return the name of its detector
     */
    public String detector(final int k) {
        return detectors[detector[k]];
    }

    /** @return copies of all event times */
    public double[] times() {
        return Arrays.copyOf(times, count);
    }

    /** @return copies of all member indices */
    public int[] members() {
        return Arrays.copyOf(member, count);
    }

    /**
     * @return the names of the detectors (event kinds), indexed as in {@link #add}
     * @since 0.5
     */
    public List<String> detectorNames() {
        return List.of(detectors);
    }

    /**
     * @param detectorName an event kind
     * @return the number of its events
     * @throws OdeException if there is no detector of that name (naming those there are)
     * @since 0.5
     */
    public int count(final String detectorName) {
        final int d = detectorIndex(detectorName);
        int c = 0;
        for (int k = 0; k < count; k++) {
            if (detector[k] == d) {
                c++;
            }
        }
        return c;
    }

    /**
     * The times of the events of one kind (a spike monitor's {@code t}), in time order.
     *
     * @param detectorName an event kind, e.g. {@code spike}
     * @return a new array of their times
     * @throws OdeException if there is no detector of that name (naming those there are)
     * @since 0.5
     */
    public double[] times(final String detectorName) {
        final int d = detectorIndex(detectorName);
        final double[] out = new double[count(detectorName)];
        for (int k = 0, j = 0; k < count; k++) {
            if (detector[k] == d) {
                out[j++] = times[k];
            }
        }
        return out;
    }

    /**
     * The members (neuron indices) of the events of one kind (a spike monitor's {@code i}), in the order of
     * {@link #times(String)}.
     *
     * @param detectorName an event kind, e.g. {@code spike}
     * @return a new array of their members
     * @throws OdeException if there is no detector of that name (naming those there are)
     * @since 0.5
     */
    public int[] members(final String detectorName) {
        final int d = detectorIndex(detectorName);
        final int[] out = new int[count(detectorName)];
        for (int k = 0, j = 0; k < count; k++) {
            if (detector[k] == d) {
                out[j++] = member[k];
            }
        }
        return out;
    }

    private int detectorIndex(final String detectorName) {
        for (int d = 0; d < detectors.length; d++) {
            if (detectors[d].equals(detectorName)) {
                return d;
            }
        }
        throw new OdeException(ErrorCode.INVALID_ARGUMENT, "no event is named '" + detectorName + "'; "
                + (detectors.length == 0 ? "the model has no events" : "events: " + String.join(", ", detectors)));
    }

    /** @return a copy of this log */
    public EventLog copy() {
        final EventLog c = new EventLog(detectors);
        c.times = Arrays.copyOf(times, Math.max(1, count));
        c.detector = Arrays.copyOf(detector, Math.max(1, count));
        c.member = Arrays.copyOf(member, Math.max(1, count));
        c.count = count;
        return c;
    }
}
