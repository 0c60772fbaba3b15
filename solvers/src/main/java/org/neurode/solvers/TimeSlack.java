package org.neurode.solvers;

/**
 * The slack of time comparisons in a run: two computed times closer than {@code 1e-9 max(1, |t|)} time units are the
 * same time (a step end and a switch, a refractory end, a sample). One definition for the engines and their
 * collaborators (events, recorders, input switches).
 */
final class TimeSlack {

    /** The relative slack. */
    static final double EPS = 1e-9;

    private TimeSlack() {
    }

    /**
     * @param time a time
     * @return the slack used when comparing it with other computed times
     */
    static double of(final double time) {
        return EPS * Math.max(1.0, Math.abs(time));
    }
}
