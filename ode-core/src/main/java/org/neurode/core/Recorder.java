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
 * <p>Variables may also be named subexpressions ({@code let}s of a model built from a specification), computed from
 * the state at each sample time, and ranges of elements, both ends included: {@code "v[0..9]"} (elements 0 to 9 of a
 * vector), {@code "W[0..1, 1]"} (rows 0 and 1 of column 1 of a matrix), {@code "W[2, 0..3]"}, {@code "W[0..1, 0..1]"}.
 *
 * <p>A run may have several recorders, each with its own variables and schedule ({@code SolveOptions.addRecorder}
 * of the solvers module), told apart by {@link #name()}: e.g. {@code v} of 10 neurons every 0.1 ms and {@code w}
 * every 1 ms. The recorder of {@code SolveOptions.withRecorder} is named {@value #DEFAULT_NAME} unless it is given
 * another name.
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

    /** The name of a recorder that was not given one. */
    public static final String DEFAULT_NAME = "default";

    /** Names of recorders: they name result files, so letters, digits, {@code _ - .} only. */
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");

    private final Schedule schedule;
    private final double dt;
    private final double[] times;
    private final List<String> variables;
    private final String name;

    private Recorder(final Schedule schedule, final double dt, final double[] times, final List<String> variables,
                     final String name) {
        this.schedule = schedule;
        this.dt = dt;
        this.times = times;
        this.variables = List.copyOf(variables);
        this.name = name;
    }

    /**
     * @param dt sampling interval (positive)
     * @return a recorder sampling every {@code dt}, start and end included
     */
    public static Recorder every(final double dt) {
        return new Recorder(Schedule.EVERY, Checks.positive("recording interval", dt), new double[0], List.of(),
                            DEFAULT_NAME);
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
        return new Recorder(Schedule.AT, 0, t, List.of(), DEFAULT_NAME);
    }

    /** @return a recorder sampling the end of every accepted step (and the start) */
    public static Recorder steps() {
        return new Recorder(Schedule.STEPS, 0, new double[0], List.of(), DEFAULT_NAME);
    }

    /** @return a recorder keeping only the final state */
    public static Recorder finalOnly() {
        return new Recorder(Schedule.FINAL, 0, new double[0], List.of(), DEFAULT_NAME);
    }

    /**
     * @param names variables to save: block names or element references, of state variables or inputs
     * @return a copy saving only those
     */
    public Recorder of(final String... names) {
        return new Recorder(schedule, dt, times, List.of(names), name);
    }

    /**
     * @param newName the recorder's name (letters, digits, {@code _}, {@code -} and {@code .}; not starting with
     *                {@code -} or {@code .}): results are retrieved by it ({@code Trajectory.recording}) and files
     *                named after it
     * @return a copy with that name
     * @since 0.5
     */
    public Recorder named(final String newName) {
        if (newName == null || !NAME.matcher(newName).matches()) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "recorder name '" + newName + "': use letters, digits,"
                    + " '_', '-' and '.', starting with a letter, digit or '_'");
        }
        return new Recorder(schedule, dt, times, variables, newName);
    }

    /**
     * @return the name ({@value #DEFAULT_NAME} unless {@link #named} gave another)
     * @since 0.5
     */
    public String name() {
        return name;
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
