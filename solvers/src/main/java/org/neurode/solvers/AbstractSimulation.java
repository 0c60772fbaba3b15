package org.neurode.solvers;

import org.neurode.core.Checks;
import org.neurode.core.Detection;
import org.neurode.core.ErrorCode;
import org.neurode.core.Equation;
import org.neurode.core.EventAction;
import org.neurode.core.EventDetector;
import org.neurode.core.LinearSplitEquation;
import org.neurode.core.Model;
import org.neurode.core.OdeException;
import org.neurode.core.Problem;
import org.neurode.core.SolveStatistics;
import org.neurode.core.StateLayout;
import org.neurode.core.Status;
import org.neurode.core.Trajectory;

/**
 * What every solver's simulation shares: the state, the counters, the non-finite check and the status, and the
 * collaborators shared by the fixed-step, adaptive and Hipparchus engines, as Hipparchus separates its detectors,
 * handlers and step handlers from the integrator: the input schedules (their switch times are forced step points),
 * the events with refractoriness, the recorders and the white noise. A solver supplies {@link #integrate(double)},
 * which advances {@link #t}/{@link #y} to a time with no input switch inside, reporting each accepted step to
 * {@link #recordStep} and consulting the event helpers.
 *
 * <p>Inputs are not part of {@link #y}: they live in the equation's input buffer ({@link Equation#inputs()}),
 * which this class alone writes (at input switches and when {@link #setBlock} or {@link #set(String, double)}
 * name an input), each time followed by {@link #stateChanged()} so that a solver drops whatever it derived from
 * the old values (first-same-as-last derivatives, step-size history, Hipparchus' state). A solver therefore
 * integrates, estimates errors of, differentiates and copies the state variables only.
 *
 * @since 0.1
 */
public abstract class AbstractSimulation implements Simulation {

    /** Relative slack for comparing times computed in different ways. */
    static final double TIME_EPS = TimeSlack.EPS;

    /** Absolute convergence threshold of event times located by {@link #firstCrossing} (time unit of the model). */
    protected static final double EVENT_THRESHOLD = EventHandling.EVENT_THRESHOLD;

    /** Most events of one member within one runaway window (see {@link EventDetector}). */
    static final int MAX_EVENTS_PER_WINDOW = EventHandling.MAX_EVENTS_PER_WINDOW;
    /** The runaway window of adaptive solvers as a fraction of the problem's time span. */
    static final double RUNAWAY_WINDOW_FRACTION = EventHandling.RUNAWAY_WINDOW_FRACTION;

    /** Appended to the message of a non-finite state. */
    private static final String UNSTABLE_HINT =
            "; the model or the step may be unstable (try a smaller step or tolerance, or a stiff solver)";

    /** The model. */
    final Model model;
    /** The state layout. */
    protected final StateLayout layout;
    /** The options. */
    protected final SolveOptions options;
    /** State dimension: the integrated variables. */
    protected final int n;
    /** The equation instance of this simulation. */
    protected final Equation equation;
    /** Current state (the subclass keeps it current at the end of {@link #integrate}). */
    protected final double[] y;
    /** The input layout. */
    private final StateLayout inputLayout;
    /**
     * The current inputs: the equation's own input buffer ({@link Equation#inputs()}), written only by this
     * class between steps. Solvers read nothing from it; the equation does.
     */
    private final double[] u;
    /** Current time. */
    protected double t;
    /** Event detectors, bound to this run's parameters and inputs. */
    final EventDetector[] detectors;
    /** True if any detector uses continuous detection. */
    protected final boolean hasContinuousEvents;
    /** True if any detector uses step-end detection. */
    protected final boolean hasStepEndEvents;
    /** White noise of stochastic solvers (amplitudes, noisy elements, the seeded generator). */
    final WhiteNoise noise;

    /** Right-hand-side evaluations. */
    protected long evaluations;
    /** Accepted steps. */
    protected long accepted;
    /** Rejected steps. */
    protected long rejected;
    /** Jacobian evaluations. */
    protected long jacobians;
    /** LU factorizations. */
    protected long factorizations;

    /** The recordings of this run. */
    private final Recorders recorders;
    /** Events, refractoriness and the event log of this run (shared by every engine). */
    private final EventHandling events;
    /** The input schedules of this run: switches of the input buffer, forced step points. */
    private final InputSwitches switches;
    private Status status = Status.SUCCESS;
    private String message = "";
    private Trajectory result;

    /**
     * @param problem the problem
     * @param options the options
     * @param info    the solver's description (noise support and the options are checked against it,
     *                {@link SolveOptions#checkFor})
     */
    protected AbstractSimulation(final Problem problem, final SolveOptions options, final SolverInfo info) {
        options.checkFor(info);
        this.model = problem.model();
        this.layout = model.layout();
        this.options = options;
        this.n = layout.dimension();
        this.equation = model.equation();
        this.y = problem.initial();
        this.inputLayout = model.inputLayout();
        this.u = equation.inputs();
        this.t = problem.t0();
        this.events = new EventHandling(model, u, info.adaptive(), !info.adaptive() && options.step() > 0
                ? options.step() : RUNAWAY_WINDOW_FRACTION * (problem.tEnd() - problem.t0()),
                info.adaptive() ? 0.0 : options.step(), () -> status = Status.STOPPED_BY_EVENT,
                options.unloggedEvents(), options.seed());
        this.detectors = events.detectors;
        this.hasContinuousEvents = events.hasContinuous;
        this.hasStepEndEvents = events.hasStepEnd;
        this.noise = new WhiteNoise(model, info, options.seed());
        this.switches = new InputSwitches(problem.inputs(), inputLayout, u);
        switches.apply(t);
        this.recorders = new Recorders(options.recorders(), model, u, events.projections(), t, problem.tEnd(), y);
    }

    /** @return the events, refractoriness and projections of this run (for the engines of this package) */
    final EventHandling events() {
        return events;
    }

    /**
     * Integrates from {@link #t} to {@code tEnd}, leaving {@link #t} = {@code tEnd} (or earlier if an event
     * stopped the run) and {@link #y} current; calls {@link #recordStep}, the event helpers and
     * {@link #checkFinite} along the way.
     *
     * @param tEnd end of the segment; no input switch lies strictly inside
     */
    protected abstract void integrate(double tEnd);

    /**
     * Called after the state or the inputs were changed from outside the solver (input switches, {@link #set},
     * {@link #setBlock}, {@link #setState}): a solver must not reuse derivatives, error history or an
     * interpolant computed before. Default does nothing.
     */
    protected void stateChanged() {
    }

    // ------------------------------------------------------------------ Simulation

    @Override
    public final double time() {
        return t;
    }

    @Override
    public final StateLayout layout() {
        return layout;
    }

    @Override
    public final StateLayout inputLayout() {
        return inputLayout;
    }

    @Override
    public final void advanceTo(final double target) {
        if (result != null) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "the simulation was finished at t = " + t);
        }
        if (!Double.isFinite(target) || target < t - timeSlack(t)) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "cannot advance from t = " + t + " back to t = "
                    + target);
        }
        try {
            while (status == Status.SUCCESS && t < target) {
                final double next = Math.min(target, switches.next());
                if (next > t) {
                    integrate(next);
                }
                if (switches.apply(t)) {
                    stateChanged();
                }
            }
        } catch (OdeException e) {
            if (options.failFast() || !(e.code() == ErrorCode.NON_FINITE_STATE
                    || e.code() == ErrorCode.STEP_SIZE_UNDERFLOW || e.code() == ErrorCode.EVENT_RUNAWAY)) {
                throw e;
            }
            status = Status.FAILED;
            message = e.getMessage();
        }
    }

    @Override
    public final double get(final int index) {
        return y[index];
    }

    @Override
    public final double get(final String reference) {
        if (isInput(reference)) {
            return u[inputLayout.index(reference)];
        }
        return y[layout.index(reference)];
    }

    @Override
    public final void set(final String reference, final double value) {
        if (isInput(reference)) {
            u[inputLayout.index(reference)] = Checks.finite("input " + reference.trim(), value);
            stateChanged();
            return;
        }
        set(layout.index(reference), value);
    }

    /** True if a reference names an input (else a state variable, or nothing: the state layout's error). */
    private boolean isInput(final String reference) {
        final String name = StateLayout.blockName(reference);
        if (layout.has(name)) {
            return false;
        }
        if (inputLayout.has(name)) {
            return true;
        }
        model.block(name);           // throws, naming the state variables and the inputs
        return false;
    }

    @Override
    public final void copyState(final double[] destination) {
        System.arraycopy(y, 0, destination, 0, n);
    }

    @Override
    public final void copyBlock(final String block, final double[] destination) {
        final StateLayout.Block b = model.block(block);
        System.arraycopy(b.input() ? u : y, b.offset(), destination, 0, b.size());
    }

    @Override
    public final void set(final int index, final double value) {
        if (index < 0 || index >= n) {
            throw new OdeException(ErrorCode.INDEX_OUT_OF_RANGE, "state", index, n);
        }
        y[index] = value;
        stateChanged();
    }

    @Override
    public final void setBlock(final String block, final double[] values) {
        final StateLayout.Block b = model.block(block);
        if (values.length != b.size()) {
            throw new OdeException(ErrorCode.DIMENSION_MISMATCH, "values of '" + block + "'", b.size(),
                                   values.length);
        }
        if (b.input()) {
            Checks.finiteArray("values of input '" + block + "'", values, b.size());
        }
        System.arraycopy(values, 0, b.input() ? u : y, b.offset(), b.size());
        stateChanged();
    }

    @Override
    public final void setState(final double[] state) {
        if (state.length != n) {
            throw new OdeException(ErrorCode.DIMENSION_MISMATCH, "state", n, state.length);
        }
        System.arraycopy(state, 0, y, 0, n);
        stateChanged();
    }

    @Override
    public final void restart(final double t0, final double[] state) {
        if (result != null) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "the simulation was finished at t = " + t);
        }
        if (!Double.isFinite(t0)) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "cannot restart at t = " + t0);
        }
        if (detectors.length > 0 || events.hasProjections() || switches.any() || !recorders.finalOnly()) {
            throw new OdeException(ErrorCode.UNSUPPORTED, "restart", "a run with events, projections, scheduled "
                    + "inputs or recorders sampling before the end is tied to its time line; start a new simulation");
        }
        if (state.length != n) {
            throw new OdeException(ErrorCode.DIMENSION_MISMATCH, "state", n, state.length);
        }
        System.arraycopy(state, 0, y, 0, n);
        t = t0;
        status = Status.SUCCESS;
        message = "";
        stateChanged();
    }

    @Override
    public final org.neurode.core.EventLog eventLog() {
        return events.log();
    }

    @Override
    public final void reseedNoise(final long seed) {
        noise.reseed(seed);
        events.reseed(seed);
    }

    @Override
    public final SolveStatistics statistics() {
        return new SolveStatistics(evaluations, accepted, rejected, jacobians, factorizations, events.log().size());
    }

    @Override
    public final Status status() {
        return status;
    }

    @Override
    public double[] synapseValues(final String projection, final String variable) {
        final double[] v = events.synapseValues(projection, variable);
        if (v == null) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "the model has no projection '" + projection
                    + "' with a synapse variable '" + variable + "'");
        }
        return v;
    }

    @Override
    public void setSynapseValues(final String projection, final String variable, final double[] values) {
        if (!events.setSynapseValues(projection, variable, values)) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "the model has no projection '" + projection
                    + "' with a synapse variable '" + variable + "'");
        }
    }

    @Override
    public final Trajectory finish() {
        if (result == null) {
            recorders.finish(t, y);
            result = new Trajectory(layout, recorders.main(), recorders.others(), events.log(), t, y, status,
                                    statistics(), message);
        }
        return result;
    }

    // ------------------------------------------------------------------ helpers for solvers

    /**
     * Evaluates the right-hand side, counting it and holding refractory elements still.
     *
     * @param time  time
     * @param state state (not modified)
     * @param dydt  derivatives (modified)
     */
    protected final void derivatives(final double time, final double[] state, final double[] dydt) {
        evaluations++;
        equation.derivatives(time, state, dydt);
        events.mask(t, time, dydt, null);
    }

    /**
     * Evaluates the right-hand side at a stage of a fixed step, counting it and holding still the members that
     * are refractory at the step start (for the whole step, whatever the stage time): the clock semantics of
     * step-end detectors, where a neuron resumes at the first step that starts after its refractory period.
     * For continuous detectors, whose refractory ends are forced step points, it is the same as
     * {@link #derivatives(double, double[], double[])}.
     *
     * @param time      stage time
     * @param state     stage state (not modified)
     * @param dydt      derivatives (modified)
     * @param stepStart start time of the step
     */
    protected final void derivatives(final double time, final double[] state, final double[] dydt,
                                     final double stepStart) {
        evaluations++;
        equation.derivatives(time, state, dydt);
        events.mask(t, stepStart, dydt, null);
    }

    /**
     * Holds still the elements of the members refractory at {@code time} (their derivatives set to 0): for engines
     * that evaluate the right-hand side themselves (Hipparchus' stages, held for the whole step from its start).
     *
     * @param time the time whose refractory members are held
     * @param dydt derivatives (modified)
     */
    final void holdStill(final double time, final double[] dydt) {
        events.mask(t, time, dydt, null);
    }

    /**
     * Evaluates the linear split (see {@link LinearSplitEquation}), counting it as one evaluation and
     * zeroing both parts of refractory elements.
     *
     * @param time  time
     * @param state state (not modified)
     * @param a     diagonal coefficients (modified)
     * @param b     remainders (modified)
     */
    final void split(final double time, final double[] state, final double[] a, final double[] b) {
        evaluations++;
        ((LinearSplitEquation) equation).split(time, state, a, b);
        events.mask(t, time, a, b);
    }

    /**
     * Undoes a step for refractory elements: copies {@code from} into {@code out} where a member is
     * refractory at {@code time} (the step start), equivalent to a zero derivative over the step.
     *
     * @param time step start time
     * @param from state at the step start (not modified)
     * @param out  state at the step end (modified)
     */
    protected final void holdRefractory(final double time, final double[] from, final double[] out) {
        if (from != out) {
            // a step written over its start (in place) is undone for the held elements by the engine instead
            events.hold(t, time, from, out);
        }
    }

    /**
     * The earliest end of a refractory period of a continuously detected member after {@code time}. Such
     * ends are discontinuities of the right-hand side: solvers stop there (a forced step point) so that a
     * neuron resumes integrating exactly when its refractory period ends. Step-end (clock-driven) detectors
     * keep the clock's semantics and are not included.
     *
     * @param time current time
     * @return the next refractory end, or {@code +Infinity}
     */
    protected final double nextRefractoryEnd(final double time) {
        return events.nextRefractoryEnd(time, timeSlack(time));
    }

    /**
     * @param d      detector index
     * @param member member index
     * @param time   time
     * @return true if the member is refractory at {@code time}
     */
    final boolean isRefractory(final int d, final int member, final double time) {
        return events.isRefractory(d, member, time);
    }

    /**
     * @param d detector index
     * @return true if the detector is located by root finding in this run, false if it is checked at step ends
     *         ({@link Detection#AUTO} resolved: continuous on adaptive solvers, step ends on fixed-step ones)
     */
    final boolean continuous(final int d) {
        return events.continuous(d);
    }

    /**
     * Applies one event: checks the runaway rule of {@link EventDetector}, logs it, starts the refractory
     * period and runs the handler.
     *
     * @param d      detector index
     * @param member member index
     * @param time   event time
     * @param state  state at the event (modified by resets)
     * @return the handler's action
     */
    final EventAction fire(final int d, final int member, final double time, final double[] state) {
        return events.fire(d, member, time, state);
    }

    /**
     * The earliest upward crossing of a non-refractory member of a continuous detector inside a step, located on
     * its dense output by the Illinois variant of regula falsi to {@value #EVENT_THRESHOLD} time units.
     *
     * @param ta    step start (members refractory then are left out)
     * @param start state at the step start (not modified)
     * @param tb    step end
     * @param end   state at the step end (not modified)
     * @param dense the dense output of the step
     * @param work  an array of the state's size (modified)
     * @return the earliest located crossing, in {@code (ta, tb]}, where its switching function is positive;
     *         {@code tb} if no member crosses inside
     */
    protected final double firstCrossing(final double ta, final double[] start, final double tb, final double[] end,
                                         final DenseOutput dense, final double[] work) {
        return events.firstCrossing(ta, start, tb, end, dense, work);
    }

    /**
     * Fires, at a located crossing, every non-refractory member of a continuous detector that crosses upward inside
     * the step and is at or above its threshold {@code 2 * EVENT_THRESHOLD} later on the dense output: members
     * crossing together fire together, without a root search each.
     *
     * @param ta     step start
     * @param start  state at the step start (not modified)
     * @param tb     step end
     * @param end    state at the step end (not modified)
     * @param tEvent the located crossing ({@link #firstCrossing})
     * @param dense  the dense output of the step
     * @param late   an array of the state's size (modified)
     * @param state  the state at the crossing (modified by resets)
     */
    protected final void fireTogether(final double ta, final double[] start, final double tb, final double[] end,
                                      final double tEvent, final DenseOutput dense, final double[] late,
                                      final double[] state) {
        events.fireTogether(ta, start, tb, end, tEvent, dense, late, state);
    }

    /**
     * Step-end detection (see {@link EventHandling#handleStepEnd}): every non-refractory member of every
     * step-end detector whose condition holds at the end of the step fires, attributed to the step's start time,
     * as in clock-driven simulators (Brian2).
     *
     * @param time    step start time (the logged event time)
     * @param endTime step end time (where the conditions are evaluated)
     * @param state   state at the step end (modified by resets)
     * @return true if any event fired
     */
    protected final boolean handleStepEndEvents(final double time, final double endTime, final double[] state) {
        return events.handleStepEnd(time, endTime, state);
    }

    /**
     * @param time  time
     * @param state state (not modified)
     * @return the largest switching function over non-refractory members of continuous detectors, or
     *         {@code -Infinity} without them
     */
    protected final double maxSwitching(final double time, final double[] state) {
        return events.maxSwitching(time, state);
    }

    /**
     * Fires every non-refractory member of continuous detectors whose switching function is at or above
     * {@code -tolerance} at the located event time.
     *
     * @param time      event time
     * @param state     state at the event (modified by resets)
     * @param tolerance how close below zero still counts as crossed
     * @return true if any member fired
     */
    protected final boolean fireContinuous(final double time, final double[] state, final double tolerance) {
        return events.fireContinuous(time, state, tolerance);
    }

    /** @return the event detectors of this run */
    final EventDetector[] detectors() {
        return detectors;
    }

    /**
     * Records the samples scheduled in {@code (ta, tb]} (see {@link Recorders#step}).
     *
     * @param ta    step start
     * @param tb    step end
     * @param yb    state at the step end (not modified)
     * @param dense interpolation inside the step
     */
    protected final void recordStep(final double ta, final double tb, final double[] yb, final DenseOutput dense) {
        recorders.step(ta, tb, yb, dense);
    }

    /**
     * @param ta step start
     * @param tb step end
     * @return true if a recorded sample falls strictly inside the step, so that recording it needs the
     *         state at the step start (for interpolation)
     */
    final boolean samplesInside(final double ta, final double tb) {
        return recorders.samplesInside(ta, tb);
    }

    /**
     * Checks the state after a step; names the first non-finite variable and the time.
     *
     * @param time  time of the state
     * @param state state (not modified)
     */
    protected final void checkFinite(final double time, final double[] state) {
        checkFinite(time, state, "");
    }

    /**
     * Checks the state after a step; names the first non-finite variable and the time.
     *
     * @param time  time of the state
     * @param state state (not modified)
     * @param note  appended to the time in the message, e.g. how often the check runs
     */
    final void checkFinite(final double time, final double[] state, final String note) {
        // x * 0 is 0 for finite x and NaN otherwise; four sums break the add-latency chain (the state holds the
        // integrated variables and their alignment padding, which stays 0)
        double p0 = 0.0;
        double p1 = 0.0;
        double p2 = 0.0;
        double p3 = 0.0;
        int i4 = 0;
        for (; i4 + 3 < n; i4 += 4) {
            p0 += state[i4] * 0.0;
            p1 += state[i4 + 1] * 0.0;
            p2 += state[i4 + 2] * 0.0;
            p3 += state[i4 + 3] * 0.0;
        }
        for (; i4 < n; i4++) {
            p0 += state[i4] * 0.0;
        }
        if (p0 + p1 + p2 + p3 == 0.0) {
            return;
        }
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(state[i])) {
                throw new OdeException(ErrorCode.NON_FINITE_STATE, layout.variableName(i), time, state[i],
                        note + UNSTABLE_HINT);
            }
        }
    }


    /**
     * Marks the run as out of evaluation budget.
     */
    protected final void exhausted() {
        status = Status.MAX_EVALUATIONS;
        message = ErrorCode.MAX_EVALUATIONS.format(options.maxEvaluations(), t);
    }

    /** @return true while no event stopped the run and no budget ran out */
    protected final boolean running() {
        return status == Status.SUCCESS;
    }

    /**
     * @param time a time
     * @return the slack used when comparing it with other computed times
     */
    protected static double timeSlack(final double time) {
        return TimeSlack.of(time);
    }
}
