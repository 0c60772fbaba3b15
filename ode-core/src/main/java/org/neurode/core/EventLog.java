package org.neurode.core;

import java.util.Arrays;

/**
 * The events of a solve, in time order: time, detector index and member index (e.g. spike times and
 * neuron indices). Appending is amortised O(1); not thread-safe.
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
