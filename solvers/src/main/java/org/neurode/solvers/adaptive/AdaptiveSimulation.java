package org.neurode.solvers.adaptive;

import org.neurode.core.Detection;
import org.neurode.core.ErrorCode;
import org.neurode.core.JacobianEquation;
import org.neurode.core.JacobianPattern;
import org.neurode.core.OdeException;
import org.neurode.core.Problem;
import org.neurode.core.SparseJacobianEquation;
import org.neurode.solvers.AbstractSimulation;
import org.neurode.solvers.DenseOutput;
import org.neurode.solvers.SolveOptions;
import org.neurode.solvers.SolverInfo;
import org.neurode.solvers.linear.FiniteDifferences;

/**
 * The driver of neurode's own adaptive methods: step-size control, forced step points, recording through
 * the method's dense output, events and counters around one {@link StepMethod}.
 *
 * <ul>
 * <li>First step: {@link SolveOptions#initialStep()} if positive, else Hairer's starting-step algorithm
 * ({@link StartingStep}; two right-hand-side evaluations), bounded by the maximum step; a method with its own
 * estimate ({@link StepMethod#restartStep}, BDF) gives it instead, at the first start and after every restart.</li>
 * <li>Step control: an attempt with error norm at most 1 is accepted; the next step is the
 * {@link StepController}'s factor (the method's {@link StepMethod#controller()} unless another was given)
 * times the current one, bounded by the maximum step and by the next forced
 * point (segment end, end of a refractory period). A step within 10% of a forced point is stretched to
 * it instead of leaving a sliver. A NaN or infinite error norm is a rejection; the run fails with
 * {@link ErrorCode#STEP_SIZE_UNDERFLOW} only when the step falls below the minimum step, naming the
 * variable and the time of the earliest non-finite derivative evaluated after a failed (infinite or NaN
 * error) attempt and not passed since by an accepted step (else the first non-finite variable of the trial
 * state). The scan
 * costs nothing in a run without failed attempts.</li>
 * <li>Budget: once the evaluations exceed {@link SolveOptions#maxEvaluations()}, the status becomes
 * {@code MAX_EVALUATIONS}.</li>
 * <li>Continuous events: after each accepted step every non-refractory member whose switching function
 * goes from negative to positive is located on the dense output by the Illinois variant of regula falsi
 * to {@value AbstractSimulation#EVENT_THRESHOLD} time units; the earliest crossing ends the step there, all members
 * crossing within twice that threshold of it fire, and the method restarts from the reset state.
 * Members at or above threshold at a step end without a crossing inside fire there.</li>
 * <li>Step-end events are checked on each accepted step end, then the step is recorded (as in the
 * fixed-step engine).</li>
 * </ul>
 *
 * @since 0.2
 */
public final class AdaptiveSimulation extends AbstractSimulation {

    /**
     * Largest state dimension for methods with dense Jacobians: 2,000 variables need 32 MB per n x n matrix
     * and about 5 GFlop per LU (EJML: 0.9 s per LU at n = 1,600, docs/solvers.md). Methods that
     * {@link StepMethod#supportsSparseJacobian() support sparse Jacobians} accept larger equations that declare a
     * Jacobian pattern ({@link org.neurode.solvers.linear.LinearAlgebra}).
     */
    public static final int MAX_DENSE_DIMENSION = 2000;

    /** A step within this fraction of a forced point is stretched to reach it. */
    private static final double STRETCH = 0.1;

    private final StepMethod method;
    private final StepController controller;
    private final StartingStep.Derivatives countedStart = this::evaluate;
    private final double[] atol;
    private final double[] rtol;
    private final double[] yNew;
    private final double[] yEvent;
    private final double[] work;
    private final double[] work2;
    private final JacobianEquation analytic;
    /** The equation's Jacobian pattern (null: none), its sparse analytic values (null: none) and their buffer. */
    private final JacobianPattern pattern;
    private final SparseJacobianEquation sparseAnalytic;
    private final double[] sparseValues;
    private final double[] denseBuffer;
    private final String modelName;
    /** Created on the first finite-difference Jacobian (the colouring costs a pass over the pattern). */
    private FiniteDifferences differences;
    private final FiniteDifferences.Function counted = this::evaluate;
    private final DenseOutput dense;

    /** Start and size of the last accepted step (for the dense output). */
    private double stepStart;
    private double stepSize;
    /** The next step size to try (NaN: choose one). */
    private double hNext = Double.NaN;
    /** The end of the current {@link #integrate} call (the span a restarting method's first step may cover). */
    private double target;
    private boolean needRestart = true;
    private boolean lastRejected;
    /** Error norm of the accepted attempt (for the controller, after {@link StepMethod#accept}). */
    private double acceptedErr;
    /** True after a failed attempt (infinite or NaN error) until the next accepted step: derivatives are scanned. */
    private boolean scanDerivatives;
    /** Earliest non-finite derivative seen while scanning: its index (-1: none), time and value. */
    private int badIndex = -1;
    private double badTime;
    private double badValue;

    /**
     * @param problem the problem
     * @param options the options
     * @param info    the solver's description
     * @param method  a fresh method instance (owned by this simulation)
     */
    public AdaptiveSimulation(final Problem problem, final SolveOptions options, final SolverInfo info,
                              final StepMethod method) {
        this(problem, options, info, method, null);
    }

    /**
     * @param problem    the problem
     * @param options    the options
     * @param info       the solver's description
     * @param method     a fresh method instance (owned by this simulation)
     * @param controller a fresh step-size controller (owned by this simulation), or null for the method's own
     * @since 0.7
     */
    public AdaptiveSimulation(final Problem problem, final SolveOptions options, final SolverInfo info,
                              final StepMethod method, final StepController controller) {
        super(problem, options, info);
        this.method = method;
        this.controller = controller != null ? controller : method.controller();
        // Jacobians only for methods that use them (a compiled model generates its Jacobian on the first request)
        final boolean jacobianMethod = method.usesDenseJacobian() || method.supportsSparseJacobian();
        final JacobianPattern declared = jacobianMethod && equation instanceof SparseJacobianEquation se
                ? se.jacobianPattern() : null;
        if (method.usesDenseJacobian() && n > MAX_DENSE_DIMENSION
            && !(method.supportsSparseJacobian() && declared != null)) {
            final String size = n + " x " + n + " Jacobians (" + Math.round(8.0 * n * n / 1e6) + " MB each)";
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, method.supportsSparseJacobian()
                    ? "solver " + info.name() + " stores dense " + size + " for a model without a Jacobian pattern;"
                      + " it accepts at most " + MAX_DENSE_DIMENSION + " variables then. Model "
                      + problem.model().name() + " declares none (SparseJacobianEquation): give it one, or use an"
                      + " explicit or exponential solver"
                    : "solver " + info.name() + " stores dense " + size + "; it accepts at most "
                      + MAX_DENSE_DIMENSION + " variables. For model " + problem.model().name() + " use an explicit"
                      + " or exponential solver, or rodas5p or rodas4 if the model declares a Jacobian pattern"
                      + " (sparse LU)");
        }
        this.atol = options.tolerances().absolute(layout);
        this.rtol = options.tolerances().relative(layout);
        this.yNew = new double[n];
        this.yEvent = new double[n];
        this.work = new double[n];
        this.work2 = new double[n];
        this.analytic = equation instanceof JacobianEquation je ? je : null;
        this.pattern = declared;
        if (pattern != null && pattern.dimension() != n) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "model " + problem.model().name()
                    + " declares a Jacobian pattern of dimension " + pattern.dimension() + " for " + n + " variables");
        }
        this.sparseAnalytic = pattern != null && ((SparseJacobianEquation) equation).hasJacobianValues()
                ? (SparseJacobianEquation) equation : null;
        this.sparseValues = pattern != null && analytic == null ? new double[pattern.nonZeros()] : null;
        // a dense analytic Jacobian is gathered into pattern order through a dense buffer up to the dense limit;
        // beyond it, and without any analytic Jacobian, finite differences
        this.denseBuffer = pattern != null && sparseAnalytic == null && analytic != null && n <= MAX_DENSE_DIMENSION
                ? new double[n * n] : null;
        this.modelName = problem.model().name();
        this.dense = (time, out) -> method.interpolate(stepSize == 0 ? 1.0 : (time - stepStart) / stepSize, out);
        method.initialize(new Context());
        if (options.initialStep() > 0) {
            hNext = options.initialStep();
        }
    }

    /** The method's view of this simulation. */
    private final class Context implements StepContext {

        @Override
        public int dimension() {
            return n;
        }

        @Override
        public boolean autonomous() {
            return equation.autonomous();
        }

        @Override
        public JacobianPattern jacobianPattern() {
            return pattern;
        }

        @Override
        public void jacobian(final double time, final double[] state, final double[] fy, final double[] dfdy) {
            jacobians++;
            if (analytic != null) {
                analytic.jacobian(time, state, dfdy);
            } else if (sparseAnalytic != null) {
                sparseAnalytic.jacobianValues(time, state, sparseValues);
                pattern.toDense(sparseValues, dfdy);
            } else if (pattern != null) {
                // forward differences grouped by the pattern (state is not modified)
                differences().sparse(counted, time, state, fy, sparseValues);
                pattern.toDense(sparseValues, dfdy);
            } else {
                // forward differences, one column per evaluation (state is not modified)
                differences().dense(counted, time, state, fy, dfdy);
            }
        }

        @Override
        public void jacobianValues(final double time, final double[] state, final double[] fy,
                                   final double[] values) {
            if (pattern == null) {
                throw new UnsupportedOperationException("model " + modelName + " declares no Jacobian pattern");
            }
            jacobians++;
            if (sparseAnalytic != null) {
                sparseAnalytic.jacobianValues(time, state, values);
            } else if (denseBuffer != null) {
                analytic.jacobian(time, state, denseBuffer);
                gather(denseBuffer, values);
            } else {
                differences().sparse(counted, time, state, fy, values);
            }
        }

        @Override
        public void derivatives(final double time, final double[] state, final double[] dydt) {
            evaluate(time, state, dydt);
        }

        @Override
        public void countFactorization() {
            factorizations++;
        }

        @Override
        public double absoluteTolerance(final int i) {
            return atol[i];
        }

        @Override
        public double relativeTolerance(final int i) {
            return rtol[i];
        }

        @Override
        public double errorNorm(final double[] error, final double[] y0, final double[] y1) {
            double sum = 0.0;
            for (int i = 0; i < n; i++) {
                final double sc = atol[i] + rtol[i] * Math.max(Math.abs(y0[i]), Math.abs(y1[i]));
                final double r = error[i] / sc;
                sum += r * r;
            }
            return Math.sqrt(sum / n);
        }
    }

    private FiniteDifferences differences() {
        if (differences == null) {
            differences = new FiniteDifferences(n, pattern, atol, rtol);
        }
        return differences;
    }

    /** Reads the pattern's entries of a dense row-major matrix. */
    private void gather(final double[] dfdy, final double[] values) {
        final int[] rowStart = pattern.rowStart();
        final int[] cols = pattern.columns();
        for (int i = 0; i < n; i++) {
            for (int k = rowStart[i]; k < rowStart[i + 1]; k++) {
                values[k] = dfdy[i * n + cols[k]];
            }
        }
    }

    /** Counted evaluation (the protected helper of the base class, under a name StepContext can share). */
    private void evaluate(final double time, final double[] state, final double[] dydt) {
        super.derivatives(time, state, dydt);
        if (scanDerivatives && (badIndex < 0 || time < badTime)) {
            // the earliest non-finite derivative: as the trial steps shrink it approaches the singularity
            for (int i = 0; i < n; i++) {
                if (!Double.isFinite(dydt[i])) {
                    badIndex = i;
                    badTime = time;
                    badValue = dydt[i];
                    return;
                }
            }
        }
    }

    // ------------------------------------------------------------------ driver

    @Override
    protected void stateChanged() {
        needRestart = true;
    }

    @Override
    protected void integrate(final double tEnd) {
        target = tEnd;
        if (needRestart) {
            restartMethod();
        }
        while (t < tEnd && running()) {
            final double tStop = Math.min(tEnd, nextRefractoryEnd(t));
            double h = Math.min(hNext, options.maxStep());
            if (t + (1 + STRETCH) * h >= tStop) {
                h = tStop - t;
            }
            // attempts until one is accepted
            while (true) {
                if (h < options.minStep() || t + h == t) {
                    throw underflow(h);
                }
                final double err = method.attempt(t, h, y, yNew);
                if (evaluations > options.maxEvaluations()) {
                    exhausted();
                    return;
                }
                if (err <= 1.0) {
                    acceptedErr = err;
                    scanDerivatives = false;
                    if (badIndex >= 0 && t + h >= badTime) {
                        badIndex = -1;                   // passed: it was a trial too far, not a singularity
                    }
                    break;
                }
                if (!(err < Double.POSITIVE_INFINITY)) {
                    scanDerivatives = true;
                }
                rejected++;
                h *= controller.factor(h, err, method.controlOrder(), false, lastRejected);
                lastRejected = true;
            }
            final double ta = t;
            final double tb = t + h == tStop || tStop - (t + h) <= timeSlack(tStop) ? tStop : t + h;
            holdRefractory(ta, y, yNew);
            method.accept(ta, h, y, yNew);
            hNext = h * controller.factor(h, acceptedErr, method.controlOrder(), true, lastRejected);
            lastRejected = false;
            accepted++;
            stepStart = ta;
            stepSize = h;
            if (hasContinuousEvents && locateAndFire(ta, tb)) {
                continue;
            }
            if (hasStepEndEvents && handleStepEndEvents(ta, tb, yNew)) {
                needRestart = true;
            }
            recordStep(ta, tb, yNew, dense);
            System.arraycopy(yNew, 0, y, 0, n);
            t = tb;
            if (needRestart) {
                restartMethod();
            }
        }
        checkFinite(t, y);
    }

    /**
     * Continuous events of the step just accepted: locates the earliest upward crossing on the dense output;
     * if there is one, ends the step there (record, fire, restart) and returns true.
     */
    private boolean locateAndFire(final double ta, final double tb) {
        final double tFirst = firstCrossing(ta, y, tb, yNew, dense, work2);
        if (tFirst >= tb) {
            // nobody crosses inside; members sitting at or above threshold at the end fire there
            if (maxSwitching(tb, yNew) >= 0 && fireContinuous(tb, yNew, 0.0)) {
                needRestart = true;
            }
            return false;
        }
        dense.stateAt(tFirst, yEvent);
        recordStep(ta, tFirst, yEvent, dense);
        // members crossing within two thresholds of the first crossing fire together (the state a little
        // later tells them apart without a second root search per member)
        fireTogether(ta, y, tb, yNew, tFirst, dense, work2, yEvent);
        System.arraycopy(yEvent, 0, y, 0, n);
        t = Math.max(t, tFirst);
        restartMethod();
        return true;
    }

    /**
     * The method and its controller start afresh from (t, y); the first step is the method's
     * {@link StepMethod#restartStep} if it has one, else Hairer's estimate on the first start and the current step
     * after later restarts.
     */
    private void restartMethod() {
        method.restart(t, y);
        controller.reset();
        needRestart = false;
        final double h = method.restartStep(t, y, target - t, hNext);
        if (!Double.isNaN(h)) {
            hNext = Math.max(h, options.minStep());     // the method's estimate may be below the user's floor
        } else if (Double.isNaN(hNext)) {
            hNext = initialStep();
        }
    }

    /** Hairer's starting step (two evaluations), with the method's control order. */
    private double initialStep() {
        evaluate(t, y, work);
        return StartingStep.hairer(t, y, work, method.controlOrder(), options.maxStep(), atol, rtol, countedStart,
                yEvent, work2);
    }

    private OdeException underflow(final double h) {
        String cause = "";
        if (badIndex >= 0) {
            cause = "; the derivative of " + layout.variableName(badIndex) + " was " + badValue + " at t = " + badTime
                    + " in a trial step (steps with a non-finite error estimate are rejected and retried smaller;"
                    + " check the model near this state)";
        }
        for (int i = 0; i < n && badIndex < 0; i++) {
            if (!Double.isFinite(yNew[i])) {
                cause = "; " + layout.variableName(i) + " became " + yNew[i] + " in a trial step (steps with a"
                        + " non-finite error estimate are rejected and retried smaller; check the model near"
                        + " this state)";
                break;
            }
        }
        if (cause.isEmpty()) {
            cause = "; the error estimate could not be met (the problem may be stiff, singular or discontinuous"
                    + " here: try a stiff solver, other tolerances or a smaller minimum step)";
        }
        return new OdeException(ErrorCode.STEP_SIZE_UNDERFLOW, Double.toString(t), Double.toString(h), cause);
    }
}
