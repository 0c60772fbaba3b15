package org.neurode.solvers;

import org.hipparchus.analysis.UnivariateFunction;
import org.hipparchus.analysis.solvers.BracketedUnivariateSolver;
import org.hipparchus.analysis.solvers.BracketingNthOrderBrentSolver;
import org.hipparchus.exception.Localizable;
import org.hipparchus.exception.LocalizedCoreFormats;
import org.hipparchus.exception.MathRuntimeException;
import org.hipparchus.ode.ExpandableODE;
import org.hipparchus.ode.LocalizedODEFormats;
import org.hipparchus.ode.MultistepIntegrator;
import org.hipparchus.ode.ODEIntegrator;
import org.hipparchus.ode.ODEState;
import org.hipparchus.ode.ODEStateAndDerivative;
import org.hipparchus.ode.OrdinaryDifferentialEquation;
import org.hipparchus.ode.events.Action;
import org.hipparchus.ode.events.AdaptableInterval;
import org.hipparchus.ode.events.ODEEventDetector;
import org.hipparchus.ode.events.ODEEventHandler;
import org.hipparchus.ode.events.ODEStepEndHandler;
import org.hipparchus.ode.nonstiff.AdaptiveStepsizeIntegrator;
import org.hipparchus.ode.nonstiff.ExplicitRungeKuttaIntegrator;
import org.hipparchus.ode.sampling.AbstractODEStateInterpolator;
import org.hipparchus.ode.sampling.ODEStateInterpolator;
import org.hipparchus.ode.sampling.ODEStepHandler;
import org.neurode.core.Detection;
import org.neurode.core.ErrorCode;
import org.neurode.core.EventDetector;
import org.neurode.core.OdeException;
import org.neurode.core.Problem;

/**
 * The engine of every Hipparchus solver. Each {@link #integrate} call runs the simulation's own
 * Hipparchus integrator (built once at start, never shared: Hipparchus integrators are mutable) from the
 * current \( (t, y) \) to the segment end, in one or more runs: a run ends at the segment end, at the
 * next end of a refractory period (a discontinuity of the right-hand side, so a forced step point) or at
 * an event that changed the state, and the next run restarts from the new state with the last step size.
 *
 * <ul>
 * <li>Right-hand side: an {@code OrdinaryDifferentialEquation} adapter that returns a fresh array from
 * every call (Hipparchus keeps stage arrays by reference) and evaluates through
 * {@link #derivatives(double, double[], double[])}, which counts evaluations and holds refractory
 * elements still; members refractory at a step's start are held for the whole step.</li>
 * <li>Step control: per-variable tolerances from {@link SolveOptions#tolerances()}, the minimum and
 * maximum step, and the first step if {@link SolveOptions#initialStep()} is positive. Fixed-step methods take
 * {@link SolveOptions#step()} and end exactly on the run end (a shorter last step if needed; a
 * rounding remnant of the accumulated steps is not taken as an extra step).</li>
 * <li>Non-finite error estimates: the embedded pairs and Adams methods reject such steps and retry them
 * smaller ({@link SafeIntegrators}); Gragg-Bulirsch-Stoer, whose estimate is private, is restarted from
 * the last accepted step with a five times smaller first step. Only when the step falls below the
 * minimum step does the run fail, with {@link ErrorCode#STEP_SIZE_UNDERFLOW} naming the first variable
 * whose derivative (or trial state) was NaN or infinite and the time. Fixed-step methods cannot retry:
 * a NaN state fails with {@link ErrorCode#NON_FINITE_STATE} naming the variable.</li>
 * <li>Budget: Hipparchus' evaluation counter is given the evaluations left; running out sets the status
 * {@code MAX_EVALUATIONS} instead of throwing.</li>
 * <li>Recording: a step handler records each accepted step through the method's own dense output and
 * checks the state is finite.</li>
 * <li>Continuous events: one Hipparchus event detector for all continuous detectors, whose switching
 * function is \( \max_k g_k \) over non-refractory members (one root search per population). The event
 * time is located to {@value #EVENT_THRESHOLD} time units (or four ulps of the largest time, if larger)
 * by a fifth-order bracketing Brent solver; Hipparchus reports the time at or just before the root. The
 * switching function is checked at least every {@code min(maxStep, span/100)} inside long steps. Every
 * member that reaches its threshold within two convergence thresholds of the located time fires (so
 * neurons crossing together spike together), then Hipparchus is stopped and restarted from the reset
 * state: a Hipparchus {@code RESET_STATE} would keep the pre-reset sign of the maximum as its reference
 * and miss a second member crossing in the next step. At the start of each segment, members already at
 * or above threshold fire at once (else they would hide every other crossing of the maximum).</li>
 * <li>Step-end events: a Hipparchus step-end handler checks them on the state at each accepted step end;
 * that step is recorded after the resets, as neurode's fixed-step engine does.</li>
 * </ul>
 *
 * <p>Statistics: evaluations are counted by the right-hand-side adapter (they equal Hipparchus' own
 * count), accepted steps are step-handler calls (a step cut short by an event counts once; Adams' starter
 * steps do not count), rejected steps are the error estimates of 1 or more (including non-finite ones).
 * Gragg-Bulirsch-Stoer keeps its rejections private: only its NaN restarts are counted.
 */
final class HipparchusSimulation extends AbstractSimulation {

    /** Absolute convergence threshold of continuous event times (time unit of the model). */
    static final double EVENT_THRESHOLD = 1.0e-9;

    /**
     * Error ratio standing for a NaN or infinite estimate: any ratio above about 1e6 makes every
     * Hipparchus controller shrink the step by its largest reduction factor.
     */
    private static final double NON_FINITE_ERROR = 1.0e10;
    /** Step reduction of a Gragg-Bulirsch-Stoer restart after a NaN (the controllers' largest reduction). */
    private static final double NAN_RESTART_REDUCTION = 0.2;
    /** Largest first step of the Adams starter, as a fraction of the run. */
    private static final double STARTER_FRACTION = 0.25;
    /** Iteration limit of the event root search. */
    private static final int EVENT_MAX_ITERATIONS = 100;
    /** The event switching function is sampled at least this many times over the problem's span. */
    private static final double EVENT_CHECKS_PER_SPAN = 100.0;

    private final SolverInfo info;
    private final ODEIntegrator integrator;
    private final Rhs rhs = new Rhs();
    private final ExpandableODE ode;
    private final Interpolation dense = new Interpolation();
    private final DenseOutput frozen = (time, out) -> System.arraycopy(y, 0, out, 0, n);
    private final double initialStep;
    private final double eventThreshold;
    /** True if any detector has a refractory period. */
    private final boolean refractoryDetectors;

    /** First step of the next Hipparchus run (-1: automatic). */
    private double restartStep;
    /** End of the running Hipparchus run (the segment end or an earlier refractory end). */
    private double runEnd;
    /** Size of the last accepted step that did not end a run (so not shortened to land on it). */
    private double lastStep;
    /** True once a handler told Hipparchus to stop: later step-handler calls are leftovers. */
    private boolean halted;
    /** A recorded step waiting for its step-end events (only with step-end detectors). */
    private ODEStateInterpolator pending;
    /** True once a non-finite estimate was seen: the right-hand side adapter then checks its output. */
    private boolean scanDerivatives;
    /**
     * Earliest (in time) non-finite value seen and not passed since by an accepted step: its index, or -1. As
     * the trial steps shrink it approaches the point where the derivative stops being finite.
     */
    private int badIndex = -1;
    private double badTime;
    private double badValue;
    private boolean badDerivative;

    /**
     * @param problem the problem
     * @param options the options (a positive step for fixed-step methods)
     * @param method  the Hipparchus method
     */
    HipparchusSimulation(final Problem problem, final SolveOptions options, final HipparchusSolvers.Method method) {
        super(problem, options, method.info());
        this.info = method.info();
        events().refuseStepped(info.name());
        this.integrator = method.create(new HipparchusSolvers.Settings(options.step(), options.minStep(),
                options.maxStep(), options.tolerances().absolute(layout), options.tolerances().relative(layout),
                new Estimates()));
        this.ode = new ExpandableODE(rhs);
        boolean refractoryMembers = false;
        for (final EventDetector d : detectors()) {
            refractoryMembers |= d.refractoryPeriod() > 0;
        }
        this.refractoryDetectors = refractoryMembers;
        this.initialStep = options.initialStep() > 0 ? options.initialStep() : -1.0;
        integrator.addStepHandler(new Steps());
        final double span = problem.tEnd() - problem.t0();
        this.eventThreshold = Math.max(EVENT_THRESHOLD,
                4 * Math.ulp(Math.max(Math.abs(problem.t0()), Math.abs(problem.tEnd()))));
        if (hasContinuousEvents) {
            integrator.addEventDetector(new Crossing(Math.min(options.maxStep(), span / EVENT_CHECKS_PER_SPAN)));
        }
        if (hasStepEndEvents) {
            integrator.addStepEndHandler(new StepEnds());
        }
    }

    @Override
    protected void integrate(final double tEnd) {
        restartStep = initialStep;
        lastStep = -1.0;
        if (hasContinuousEvents && maxSwitching(t, y) >= 0 && fireContinuous(t, y, 0.0)) {
            if (!running()) {
                return;
            }
        }
        // Hipparchus refuses intervals below 1000 ulps; the time slack is far larger than that
        while (running() && tEnd - t > timeSlack(tEnd)) {
            final long budget = options.maxEvaluations() - evaluations;
            if (budget <= 0) {
                exhausted();
                return;
            }
            integrator.setMaxEvaluations((int) Math.min(budget, Integer.MAX_VALUE));
            // a refractory end is a discontinuity of the right-hand side: a forced step point
            runEnd = Math.min(tEnd, nextRefractoryEnd(t));
            setInitialStep(restartStep);
            halted = false;
            try {
                integrator.integrate(ode, new ODEState(t, y), runEnd);
                flushPending(null);
                restartStep = lastStep > 0 ? lastStep : initialStep;
            } catch (RunComplete done) {
                restartStep = initialStep;               // a fixed-step run ended on its rounding remnant
            } catch (MathRuntimeException e) {
                pending = null;
                if (!recover(e)) {
                    return;
                }
            }
        }
        if (running() && t < tEnd) {
            // an event within the time slack of the end: nothing left to integrate
            recordStep(t, tEnd, y, frozen);
            t = tEnd;
        }
    }

    /**
     * Handles a Hipparchus failure.
     *
     * @param e the failure
     * @return true to restart the integration from the last accepted state
     */
    private boolean recover(final MathRuntimeException e) {
        final Localizable what = e.getSpecifier();
        if (what == LocalizedCoreFormats.MAX_COUNT_EXCEEDED) {
            exhausted();
            return false;
        }
        if (what == LocalizedODEFormats.MINIMAL_STEPSIZE_REACHED_DURING_INTEGRATION) {
            final Object[] parts = e.getParts();
            final double h = parts.length > 0 && parts[0] instanceof Number ? ((Number) parts[0]).doubleValue()
                    : Math.abs(integrator.getCurrentSignedStepsize());
            throw underflow(h);
        }
        if (what == LocalizedODEFormats.MULTISTEP_STARTER_STOPPED_EARLY && !(restartStep > 0)) {
            // Adams with an automatic first step on a short run: retry with a first step that fits
            restartStep = STARTER_FRACTION * (runEnd - t);
            return true;
        }
        if (what == LocalizedODEFormats.NAN_APPEARING_DURING_INTEGRATION) {
            if (!info.adaptive()) {
                throw nonFiniteFixedStep();
            }
            // Gragg-Bulirsch-Stoer: its error estimate is private, so restart smaller from the last accepted step
            rejected++;
            scanDerivatives = true;
            final double h = NAN_RESTART_REDUCTION * Math.abs(integrator.getCurrentSignedStepsize());
            if (!(h >= options.minStep() && h > 0)) {
                throw underflow(h);
            }
            restartStep = h;
            return true;
        }
        throw new OdeException(e, ErrorCode.UNSUPPORTED, info.name(), "Hipparchus failed at t = " + t + ": "
                + e.getMessage());
    }

    private void setInitialStep(final double h) {
        // a value outside [minStep, maxStep], such as -1, lets Hipparchus choose the first step
        if (integrator instanceof AdaptiveStepsizeIntegrator a) {
            a.setInitialStepSize(h);
        }
        if (integrator instanceof MultistepIntegrator m
            && m.getStarterIntegrator() instanceof AdaptiveStepsizeIntegrator s) {
            // the starter must take several steps inside the run (a restart run may be short)
            s.setInitialStepSize(h > 0 ? Math.min(h, STARTER_FRACTION * (runEnd - t)) : h);
        }
    }

    private OdeException underflow(final double h) {
        final String cause;
        if (badIndex < 0) {
            cause = "; the error estimate could not be met (the problem may be stiff, singular or discontinuous"
                    + " here: try a stiff solver, other tolerances or a smaller minimum step)";
        } else {
            final String name = layout.variableName(badIndex);
            cause = "; " + (badDerivative ? "the derivative of " + name + " was " : name + " became ") + badValue
                    + " at t = " + badTime + " in a trial step (steps with a non-finite error estimate are"
                    + " rejected and retried smaller; check the model near this state)";
        }
        return new OdeException(ErrorCode.STEP_SIZE_UNDERFLOW, Double.toString(t), Double.toString(h), cause);
    }

    /** Repeats the failed fixed step to name the variable that became NaN. */
    private OdeException nonFiniteFixedStep() {
        final ODEStateAndDerivative start = integrator.getStepStart();
        final double h = integrator.getCurrentSignedStepsize();
        if (start != null && integrator instanceof ExplicitRungeKuttaIntegrator rk) {
            final double t0 = start.getTime();
            checkFinite(t0 + h, rk.singleStep(rhs, t0, start.getPrimaryState(), t0 + h));
        }
        return new OdeException(ErrorCode.NON_FINITE_STATE, "the state", Double.toString(t + h), Double.NaN,
                "; the step may be too large for this problem (try a smaller step or an adaptive solver)");
    }

    /** Records the waiting step, with the given end state or the step's own. */
    private void flushPending(final double[] end) {
        if (pending != null) {
            final ODEStateInterpolator p = pending;
            pending = null;
            dense.interpolator = p;
            recordStep(p.getPreviousState().getTime(), p.getCurrentState().getTime(),
                       end != null ? end : p.getCurrentState().getPrimaryState(), dense);
        }
    }

    /**
     * After an event changed the state at {@code time}: stop Hipparchus, to be restarted from the new state
     * (unless the user's handler stopped the run). A Hipparchus reset would keep the switching function's
     * value from before the reset as the reference sign, and miss a second member crossing in the next step.
     */
    private Action stopAndRestart() {
        halted = true;
        restartStep = Math.abs(integrator.getCurrentSignedStepsize());
        return Action.STOP;
    }

    /**
     * How far below zero a member's switching function may be at a located event time and still fire:
     * the largest rise of any member over two convergence thresholds (estimated along the derivative),
     * and at least the distance of the population's maximum from zero.
     */
    private double crossingTolerance(final double time, final double[] state, final double[] derivative) {
        final double dt = 2 * eventThreshold;
        final double[] ahead = new double[n];
        for (int i = 0; i < n; i++) {
            ahead[i] = state[i] + dt * derivative[i];
        }
        double rise = 0.0;
        final EventDetector[] all = detectors();
        for (int d = 0; d < all.length; d++) {
            if (!continuous(d)) {
                continue;
            }
            final int size = all[d].size();
            for (int m = 0; m < size; m++) {
                if (!isRefractory(d, m, time)) {
                    rise = Math.max(rise, all[d].g(m, time + dt, ahead) - all[d].g(m, time, state));
                }
            }
        }
        return Math.max(0.0, -maxSwitching(time, state)) + rise;
    }

    /**
     * Holds every member that is refractory at the start of the current step ({@link #t}) still for the
     * whole step. {@link #derivatives(double, double[], double[])} masks by the evaluation time; the two
     * differ only for stages past a refractory end. For continuous detectors that end is a forced step
     * point, so this keeps the stages evaluated exactly there on the refractory side of the discontinuity;
     * for step-end detectors it gives the clock semantics of neurode's fixed-step engine (a neuron resumes
     * at the first step starting after its refractory period).
     */
    private void holdRefractory(final double[] dydt) {
        holdStill(t, dydt);
    }

    private static boolean allFinite(final double[] values) {
        for (final double v : values) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    /** Notes the first non-finite value of {@code values} if it is earlier than the one noted (see badIndex). */
    private void noteNonFinite(final double time, final double[] values, final boolean derivative) {
        if (badIndex >= 0 && !(time < badTime)) {
            return;
        }
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(values[i])) {
                badIndex = i;
                badTime = time;
                badValue = values[i];
                badDerivative = derivative;
                return;
            }
        }
    }

    /** The right-hand side as Hipparchus sees it. */
    private final class Rhs implements OrdinaryDifferentialEquation {

        @Override
        public int getDimension() {
            return n;
        }

        @Override
        public double[] computeDerivatives(final double time, final double[] state) {
            final double[] dydt = new double[n];        // fresh: Hipparchus keeps stage arrays by reference
            derivatives(time, state, dydt);
            if (refractoryDetectors) {
                holdRefractory(dydt);
            }
            if (scanDerivatives) {
                noteNonFinite(time, dydt, true);
            }
            return dydt;
        }
    }

    /** Counts rejections and turns non-finite error estimates into rejections. */
    private final class Estimates implements SafeIntegrators.Monitor {

        /**
         * Counts the attempt as rejected if its error ratio is 1 or more or not finite; a non-finite one also
         * switches on the scan for the variable at fault.
         *
         * @return true if the estimate is finite (and can be returned as it is)
         */
        private boolean countFinite(final double error) {
            if (!(error < 1.0)) {
                rejected++;
            }
            if (Double.isFinite(error)) {
                return true;
            }
            scanDerivatives = true;
            return false;
        }

        @Override
        public double rungeKutta(final double error, final ExplicitRungeKuttaIntegrator method, final double start,
                                 final double h, final double[][] stages, final double[] y1) {
            if (countFinite(error)) {
                return error;
            }
            final double[] c = method.getC();
            boolean derivative = false;
            for (int k = 0; k < stages.length; k++) {
                if (stages[k] != null && !allFinite(stages[k])) {
                    noteNonFinite(start + (k == 0 ? 0.0 : c[k - 1]) * h, stages[k], true);
                    derivative = true;
                }
            }
            if (!derivative) {
                noteNonFinite(start + h, y1, false);
            }
            if (!(Math.abs(h) > 0)) {
                // no step size can be chosen: the derivative at the step start is not finite
                throw underflow(h);
            }
            return NON_FINITE_ERROR;
        }

        @Override
        public double adams(final double error, final double time, final double[] scaled, final double[] predicted) {
            if (countFinite(error)) {
                return error;
            }
            if (!allFinite(scaled)) {
                noteNonFinite(time, scaled, true);
            } else {
                noteNonFinite(time, predicted, false);
            }
            return NON_FINITE_ERROR;
        }
    }

    /** Records accepted steps and keeps {@link #t} and {@link #y} current. */
    private final class Steps implements ODEStepHandler {

        @Override
        public void handleStep(final ODEStateInterpolator interpolator) {
            if (halted) {
                return;
            }
            final ODEStateAndDerivative end = interpolator.getCurrentState();
            final double ta = interpolator.getPreviousState().getTime();
            double tb = end.getTime();
            if (!(tb > ta)) {
                return;                                  // the empty remainder of a step cut at an event
            }
            accepted++;
            if (badIndex >= 0 && tb >= badTime) {
                badIndex = -1;                           // passed: it was a trial too far, not a singularity
            }
            final boolean last = isLastFixedStep(interpolator, tb);
            if (last) {
                tb = runEnd;
            } else if (tb < runEnd) {
                lastStep = tb - ta;
            }
            final double[] yb = end.getPrimaryState();
            checkFinite(tb, yb);
            flushPending(null);
            dense.interpolator = interpolator;
            if (last) {
                if (hasStepEndEvents) {
                    handleStepEndEvents(ta, tb, yb);
                }
                recordStep(ta, tb, yb, dense);
            } else if (hasStepEndEvents) {
                pending = interpolator;                  // recorded after the step-end events, with the resets
            } else {
                recordStep(ta, tb, yb, dense);
            }
            System.arraycopy(yb, 0, y, 0, n);
            t = tb;
            if (last) {
                throw RunComplete.INSTANCE;
            }
        }

        /**
         * Hipparchus' fixed-step loop accumulates {@code t + h}; when that leaves a rounding remnant before
         * the run end (steps of 0.1 reach 0.9999999999999999, not 1) it would take one more step of about
         * 1e-16. A full step (not one cut at an event) ending within {@code 1e-9 h} of the run end is
         * taken as ending there instead, and the run is ended.
         */
        private boolean isLastFixedStep(final ODEStateInterpolator interpolator, final double tb) {
            return !info.adaptive() && tb < runEnd && runEnd - tb <= TIME_EPS * options.step()
                   && interpolator instanceof AbstractODEStateInterpolator a
                   && a.getGlobalCurrentState().getTime() == tb;
        }
    }

    /** Continuous detectors as one Hipparchus detector on the population maximum. */
    private final class Crossing implements ODEEventDetector, ODEEventHandler {

        private final AdaptableInterval maxCheck;
        private final BracketedUnivariateSolver<UnivariateFunction> solver;

        Crossing(final double maxCheck) {
            this.maxCheck = AdaptableInterval.of(maxCheck);
            this.solver = new BracketingNthOrderBrentSolver(0.0, eventThreshold, 0.0, 5);
        }

        @Override
        public AdaptableInterval getMaxCheckInterval() {
            return maxCheck;
        }

        @Override
        public int getMaxIterationCount() {
            return EVENT_MAX_ITERATIONS;
        }

        @Override
        public BracketedUnivariateSolver<UnivariateFunction> getSolver() {
            return solver;
        }

        @Override
        public ODEEventHandler getHandler() {
            return this;
        }

        @Override
        public double g(final ODEStateAndDerivative state) {
            final double g = maxSwitching(state.getTime(), state.getPrimaryState());
            return g == Double.NEGATIVE_INFINITY ? -1.0 : g;       // every member refractory: any negative value
        }

        @Override
        public Action eventOccurred(final ODEStateAndDerivative state, final ODEEventDetector detector,
                                    final boolean increasing) {
            if (!increasing) {
                return Action.CONTINUE;                 // the maximum dropping, e.g. right after a reset
            }
            final double time = state.getTime();
            final double[] copy = state.getPrimaryState();
            flushPending(copy);
            final boolean fired = fireContinuous(time, copy, crossingTolerance(time, copy,
                                                                                state.getPrimaryDerivative()));
            System.arraycopy(copy, 0, y, 0, n);
            t = time;
            return fired ? stopAndRestart() : Action.CONTINUE;
        }
    }

    /** Step-end detectors, checked at each accepted step end. */
    private final class StepEnds implements ODEStepEndHandler {

        @Override
        public Action stepEndOccurred(final ODEStateAndDerivative state, final boolean forward) {
            if (halted) {
                return Action.CONTINUE;
            }
            final double tb = state.getTime();
            final double ta = pending == null ? tb : pending.getPreviousState().getTime();
            final double[] copy = state.getPrimaryState();
            final boolean fired = handleStepEndEvents(ta, tb, copy);
            flushPending(copy);
            System.arraycopy(copy, 0, y, 0, n);
            t = tb;
            return fired ? stopAndRestart() : Action.CONTINUE;
        }
    }

    /** Ends a run from the step handler, as Hipparchus' own multistep starter does (no stack trace). */
    private static final class RunComplete extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private static final RunComplete INSTANCE = new RunComplete();

        private RunComplete() {
            super(null, null, false, false);
        }
    }

    /** The dense output of the step being recorded. */
    private static final class Interpolation implements DenseOutput {
        private ODEStateInterpolator interpolator;

        @Override
        public void stateAt(final double time, final double[] out) {
            final double[] s = interpolator.getInterpolatedState(time).getPrimaryState();
            System.arraycopy(s, 0, out, 0, s.length);
        }
    }
}
