package org.neurode.core;

import java.util.Arrays;
import java.util.List;

/**
 * What to save, declared up front (diffrax's {@code SaveAt}): the sample times and the variables.
 * Immutable; {@link #of(String...)} selects variables (whole blocks such as {@code "v"} or elements such
 * as {@code "v[3]"}, {@code "W[1,2]"}, and inputs the same way); by default every state variable is saved
 * (inputs only when named). Between steps the solver's dense output (or linear interpolation for fixed-step
 * methods) gives the values.
 *
 * @since 0.1
 */
public final class Recorder {

    /** When samples are taken. */
    public enum Schedule {
        /** Every {@code dt} from the start time. */
        EVERY,
        /** At given times. */
        AT,
        /** At the end of every accepted step. */
        STEPS,
        /** Only the final state. */
        FINAL
    }

    private final Schedule schedule;
    private final double dt;
    private final double[] times;
    private final List<String> variables;

    private Recorder(final Schedule schedule, final double dt, final double[] times, final List<String> variables) {
        this.schedule = schedule;
        this.dt = dt;
        this.times = times;
        this.variables = List.copyOf(variables);
    }

    /**
     * @param dt sampling interval (positive)
     * @return a recorder sampling every {@code dt}, start and end included
     */
    public static Recorder every(final double dt) {
        return new Recorder(Schedule.EVERY, Checks.positive("recording interval", dt), new double[0], List.of());
    }

    /**
     * @param times sample times (copied, sorted)
     * @return a recorder sampling at those times (those outside the span are ignored)
     */
    public static Recorder at(final double... times) {
        final double[] t = times.clone();
        for (int i = 0; i < t.length; i++) {
            Checks.finite("recording time " + i, t[i]);
        }
        Arrays.sort(t);
        return new Recorder(Schedule.AT, 0, t, List.of());
    }

    /** @return a recorder sampling the end of every accepted step (and the start) */
    public static Recorder steps() {
        return new Recorder(Schedule.STEPS, 0, new double[0], List.of());
    }

    /** @return a recorder keeping only the final state */
    public static Recorder finalOnly() {
        return new Recorder(Schedule.FINAL, 0, new double[0], List.of());
    }

    /**
     * @param names variables to save: block names or element references, of state variables or inputs
     * @return a copy saving only those
     */
    public Recorder of(final String... names) {
        return new Recorder(schedule, dt, times, List.of(names));
    }

    /** @return the schedule */
    public Schedule schedule() {
        return schedule;
    }

    /** @return the interval of {@link Schedule#EVERY} */
    public double dt() {
        return dt;
    }

    /** @return a copy of the times of {@link Schedule#AT} */
    public double[] times() {
        return times.clone();
    }

    /** @return selected variables, empty for all */
    public List<String> variables() {
        return variables;
    }
}
