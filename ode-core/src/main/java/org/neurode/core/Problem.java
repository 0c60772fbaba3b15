package org.neurode.core;

import java.util.ArrayList;
import java.util.List;

/**
 * An initial-value problem: a model, an initial state, a time span and piecewise-constant inputs.
 * Immutable; variants via {@code with*}. The inputs start from the model's default values
 * ({@link Model#initialInputs()}, {@link Model#withInput}) and follow the schedules from their first switch
 * time on.
 *
 * @param model   the model
 * @param initial initial state (copied; length = model dimension, the integrated variables only)
 * @param t0      start time
 * @param tEnd    end time (after {@code t0})
 * @param inputs  input schedules (copied)
 * @since 0.1
 */
public record Problem(Model model, double[] initial, double t0, double tEnd, List<InputSchedule> inputs) {

    /**
     * Validates the problem.
     *
     * @param model   the model
     * @param initial initial state
     * @param t0      start time
     * @param tEnd    end time
     * @param inputs  input schedules
     */
    public Problem {
        initial = Checks.finiteArray("initial state", initial, model.dimension()).clone();
        if (!Double.isFinite(t0) || !Double.isFinite(tEnd) || tEnd <= t0) {
            throw new OdeException(ErrorCode.BAD_TIME_SPAN, t0, tEnd);
        }
        inputs = List.copyOf(inputs);
        for (final InputSchedule s : inputs) {
            if (model.layout().has(s.block())) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "'" + s.block()
                        + "' is a state variable, not an input block: only inputs take schedules");
            }
            if (!model.inputLayout().has(s.block())) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "'" + s.block() + "' is not an input of model '"
                        + model.name() + "' (its inputs: " + (model.inputLayout().blocks().isEmpty() ? "none"
                        : String.join(", ", model.inputLayout().names())) + ")");
            }
            final StateLayout.Block b = model.inputLayout().block(s.block());
            if (s.values()[0].length != b.size()) {
                throw new OdeException(ErrorCode.DIMENSION_MISMATCH, "values of input '" + s.block() + "'",
                                       b.size(), s.values()[0].length);
            }
        }
    }

    /**
     * @param model the model
     * @param tEnd  end time; the problem starts at 0 from the model's initial state
     * @return the problem
     */
    public static Problem of(final Model model, final double tEnd) {
        return new Problem(model, model.initialState(), 0.0, tEnd, List.of());
    }

    /**
     * @param model   the model
     * @param initial initial state
     * @param tEnd    end time (start at 0)
     * @return the problem
     */
    public static Problem of(final Model model, final double[] initial, final double tEnd) {
        return new Problem(model, initial, 0.0, tEnd, List.of());
    }

    /** @return a copy of the initial state */
    @Override
    public double[] initial() {
        return initial.clone();
    }

    /** @return the state dimension */
    public int dimension() {
        return model.dimension();
    }

    /**
     * @param schedule an input schedule to add
     * @return a copy with it
     */
    public Problem withInput(final InputSchedule schedule) {
        final List<InputSchedule> in = new ArrayList<>(inputs);
        in.add(schedule);
        return new Problem(model, initial, t0, tEnd, in);
    }

    /**
     * @param newT0   start time
     * @param newTEnd end time
     * @return a copy with that span
     */
    public Problem withSpan(final double newT0, final double newTEnd) {
        return new Problem(model, initial, newT0, newTEnd, inputs);
    }

    /**
     * @param y0 initial state
     * @return a copy with that initial state
     */
    public Problem withInitial(final double[] y0) {
        return new Problem(model, y0, t0, tEnd, inputs);
    }

    /**
     * @param m a model of the same dimension
     * @return a copy with that model
     */
    public Problem withModel(final Model m) {
        return new Problem(m, initial, t0, tEnd, inputs);
    }
}
