package org.neurode.solvers;

import org.neurode.core.Detection;
import org.neurode.core.ErrorCode;
import org.neurode.core.InputSchedule;
import org.neurode.core.LinearSplitEquation;
import org.neurode.core.OdeException;
import org.neurode.core.Problem;

/**
 * Engine of neurode's own one-step fixed-step methods. Steps lie on the grid {@code t0 + k h} of each segment (the
 * last one of a segment may be shorter), so long runs do not accumulate rounding in time. Recording and continuous
 * events use the linear interpolant between step ends by default, which is the natural continuous extension of
 * first-order methods: an event time is located with the accuracy of the method itself. Methods of higher order
 * supply their own continuous extension ({@link #hasDenseOutput}, {@link #interpolate}); events are then located
 * on it by root search to {@value AbstractSimulation#EVENT_THRESHOLD} time units, and every member crossing within
 * twice that of the first crossing fires with it. After an event inside a step the rest of that step is
 * integrated, so the grid is kept. Work arrays are allocated once; the two state buffers are swapped, not copied,
 * after each step, and methods that allow it ({@link #inPlace}) step in place when nothing needs the step's start
 * state. The state is checked for NaN and infinity after every step for up to 512 variables and every {@code
 * ceil(n/512)} steps above, so the check reads about 512 numbers per step, a few per cent of a step even for cheap
 * right-hand sides (the error says how often it ran), and always at the end of a segment.
 * Projections with summed or clock-driven synapse variables are computed around each step in Brian2's order: the
 * sums from the state at the step start (held over the step), the synapse variables after the step, reading the
 * state at its end, before the step's events.
 *
 * @since 0.1
 */
public abstract class FixedStepSimulation extends AbstractSimulation {

    /** The step size. */
    protected final double h;
    private final double[] yNew;
    private final double[] yEvent;
    /** The state a little after a located event (dense outputs only: who crosses with the first member). */
    private final double[] yLate;
    private final Interpolant dense = new Interpolant();
    private final boolean ownDense;
    /** Double buffering: the state at the step start and the next state; swapped instead of copied. */
    private double[] cur;
    private double[] next;
    /** The finiteness check runs every this many steps (1 for up to 512 variables; see the class doc). */
    private final int checkEvery;
    private final String checkNote;
    private int sinceCheck;
    private double segmentStart;
    private long stepIndex;
    /** The projections' per-step work (summed and clock-driven variables), or null if there is none. */
    private final EventHandling synapses;

    /**
     * @param problem problem
     * @param options options (the step must be positive)
     * @param info    solver description
     */
    protected FixedStepSimulation(final Problem problem, final SolveOptions options, final SolverInfo info) {
        super(problem, options, info);
        this.h = options.step();
        this.yNew = new double[n];
        this.cur = y;
        this.next = yNew;
        this.checkEvery = Math.max(1, (n + 511) / 512);
        this.checkNote = checkEvery == 1 ? "" : " (checked every " + checkEvery + " steps)";
        this.yEvent = hasContinuousEvents ? new double[n] : null;
        this.ownDense = hasDenseOutput();
        this.yLate = hasContinuousEvents && ownDense ? new double[n] : null;
        this.segmentStart = t;
        this.synapses = events().stepped() ? events() : null;
        for (final InputSchedule s : problem.inputs()) {
            final String by = events().summedBy(s.block());
            if (by != null) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "input '"
                        + s.block() + "' has an input schedule and is set at every step by the summed variables of "
                        + "projection '" + by + "'; give the schedule an input of its own and add the two in the "
                        + "equation");
            }
        }
    }

    /**
     * Whether the method has a continuous extension of its own ({@link #interpolate}) instead of the linear
     * interpolant between step ends. Called once, from this class's constructor: the answer may not depend on
     * fields of the subclass.
     *
     * @return false unless a subclass has one
     */
    protected boolean hasDenseOutput() {
        return false;
    }

    /**
     * The method's continuous extension of the step just taken (only if {@link #hasDenseOutput}): called after
     * {@link #step} and before the next one, with the arrays of that step.
     *
     * @param theta fraction of the step in [0, 1]
     * @param step  the step size
     * @param start state at the step start (not modified)
     * @param end   state at the step end (not modified)
     * @param out   state at {@code theta} (modified)
     */
    protected void interpolate(final double theta, final double step, final double[] start, final double[] end,
                               final double[] out) {
        throw new UnsupportedOperationException("no dense output");
    }

    /**
     * Takes one deterministic step.
     *
     * @param time  step start
     * @param step  step size
     * @param state state at the start (not modified)
     * @param out   state at the end (modified)
     */
    protected abstract void step(double time, double step, double[] state, double[] out);

    /**
     * Whether {@link #step} may write its result over its input ({@code out == state}). Steps are then taken
     * in place when the problem has no continuously located events and no recorded sample falls inside the step:
     * the state is read and written once per step instead of being read from one buffer and written to the other
     * (the elements held still by refractory members are saved before such a step and put back after it).
     *
     * @return false unless a subclass allows it
     */
    protected boolean inPlace() {
        return false;
    }

    @Override
    protected void stateChanged() {
        segmentStart = t;
        stepIndex = 0;
    }

    @Override
    protected final void integrate(final double tEnd) {
        segmentStart = t;
        stepIndex = 0;
        cur = y;
        next = yNew;
        // in place also with events checked at step ends only: the step start is then needed by nothing but the
        // refractory hold, which saves the held elements before the step and puts them back after it
        final boolean inPlace = !hasContinuousEvents && inPlace();
        try {
            while (t < tEnd && running()) {
                double tNext = segmentStart + (stepIndex + 1) * h;
                if (tNext > tEnd - TIME_EPS * h) {
                    tNext = tEnd;
                }
                // take the (rest of the) grid step, possibly interrupted by events
                while (t < tNext && running()) {
                    final double tStop = Math.min(tNext, nextRefractoryEnd(t));
                    if (inPlace && !samplesInside(t, tStop)) {
                        oneStepInPlace(tStop);
                    } else {
                        oneStep(tStop);
                    }
                }
                stepIndex++;
                if (evaluations > options.maxEvaluations()) {
                    exhausted();
                }
            }
        } finally {
            // the state lives in whichever buffer the last step wrote: keep y current
            if (cur != y) {
                System.arraycopy(cur, 0, y, 0, n);
                next = cur;
                cur = y;
            }
        }
        checkFinite(t, y);
        sinceCheck = 0;
    }

    /**
     * One step from (t, cur) to tStop, written over cur (no continuous events, no recorded sample inside the step):
     * the same arithmetic and order as {@link #oneStep} without continuous events, the refractory members' held
     * elements saved before the step and put back after it (what the step's hold from the start buffer does there).
     */
    private void oneStepInPlace(final double tStop) {
        final double hh = tStop - t;
        final double ta = t;
        if (synapses != null) {
            synapses.beforeStep(ta, cur);
        }
        if (hasStepEndEvents) {
            events().saveHeld(ta, ta, cur);
            step(ta, hh, cur, cur);
            events().restoreHeld(cur);
        } else {
            step(ta, hh, cur, cur);
        }
        addNoise(hh, cur);
        accepted++;
        if (synapses != null) {
            synapses.afterStep(ta, hh, cur);
        }
        if (hasStepEndEvents) {
            handleStepEndEvents(ta, tStop, cur);
        }
        dense.set(ta, tStop);
        recordStep(ta, tStop, cur, dense);
        stepDone(tStop);
    }

    /** Moves the time to the end of an accepted step and runs the periodic finiteness check on {@code cur}. */
    private void stepDone(final double tStop) {
        t = tStop;
        if (++sinceCheck >= checkEvery) {
            sinceCheck = 0;
            checkFinite(t, cur, checkNote);
        }
    }

    /**
     * The equation as a {@link LinearSplitEquation}, for the methods that step its diagonal linear part.
     *
     * @param method the method's name (for the error)
     * @return the equation
     * @throws OdeException {@link ErrorCode#UNSUPPORTED} if the equation does not state its linear part
     */
    protected final LinearSplitEquation linearSplit(final String method) {
        if (!(equation instanceof LinearSplitEquation s)) {
            throw new OdeException(ErrorCode.UNSUPPORTED, method, "the equation of model '" + model.name()
                    + "' does not state its linear part (implement LinearSplitEquation, or script the model with"
                    + " ModelBuilder, which derives it)");
        }
        return s;
    }

    /**
     * Adds the noise increments of a step of size hh to {@code state} (the step's end): Euler-Maruyama increments
     * unless the method has its own.
     *
     * @param hh    the step size
     * @param state the state at the step end (modified)
     */
    protected void addNoise(final double hh, final double[] state) {
        noise.add(hh, state);
    }

    /** One step from (t, cur) to tStop, or to the first event inside it. */
    private void oneStep(final double tStop) {
        final double hh = tStop - t;
        if (synapses != null) {
            synapses.beforeStep(t, cur);
        }
        step(t, hh, cur, next);
        addNoise(hh, next);
        accepted++;
        final double ta = t;
        // one scan of the continuous switching functions per step (repeated only if step-end resets ran)
        double gMax = hasContinuousEvents ? maxSwitching(tStop, next) : Double.NEGATIVE_INFINITY;
        if (gMax > 0 && ownDense) {
            dense.set(ta, tStop);
            final double tEvent = locateOnDense(ta, tStop);
            if (tEvent < tStop) {
                dense.stateAt(tEvent, yEvent);
                if (synapses != null) {
                    synapses.afterStep(ta, tEvent - ta, yEvent);
                }
                recordStep(ta, tEvent, yEvent, dense);
                fireTogether(ta, tStop, tEvent);
                System.arraycopy(yEvent, 0, cur, 0, n);
                t = Math.max(t, tEvent);
                checkFinite(t, cur, checkNote);
                if (evaluations > options.maxEvaluations()) {
                    exhausted();
                }
                return;
            }
        } else if (gMax > 0) {
            final double theta = locate(ta, tStop);
            if (theta < 1.0) {
                final double tEvent = ta + theta * (tStop - ta);
                dense.set(ta, tStop);
                dense.stateAt(tEvent, yEvent);
                if (synapses != null) {
                    synapses.afterStep(ta, tEvent - ta, yEvent);
                }
                recordStep(ta, tEvent, yEvent, dense);
                fireCrossing(ta, tStop, theta, tEvent);
                System.arraycopy(yEvent, 0, cur, 0, n);
                t = Math.max(t, tEvent);
                checkFinite(t, cur, checkNote);
                if (evaluations > options.maxEvaluations()) {
                    exhausted();
                }
                return;
            }
        }
        if (synapses != null) {
            // Brian2's order within a step: synapses' state updaters after the groups', before thresholds
            synapses.afterStep(ta, hh, next);
        }
        if (hasStepEndEvents && handleStepEndEvents(ta, tStop, next) && hasContinuousEvents) {
            gMax = maxSwitching(tStop, next);
        }
        if (gMax >= 0) {
            fireContinuous(tStop, next, 0.0);
        }
        dense.set(ta, tStop);
        recordStep(ta, tStop, next, dense);
        final double[] done = cur;
        cur = next;
        next = done;
        stepDone(tStop);
    }

    /**
     * The earliest crossing of any continuous member on the linear interpolant between the step start (at
     * ta) and the step end (at tb), as a fraction of the step; 1 if none crosses inside.
     */
    private double locate(final double ta, final double tb) {
        double theta = 1.0;
        for (int d = 0; d < detectors.length; d++) {
            if (!continuous(d)) {
                continue;
            }
            for (int m = 0; m < detectors[d].size(); m++) {
                if (!isRefractory(d, m, ta)) {
                    theta = Math.min(theta, crossing(d, m, ta, tb));
                }
            }
        }
        return theta;
    }

    /** The earliest upward zero of any continuous member on the dense output of the step (ta, tb]; tb if none. */
    private double locateOnDense(final double ta, final double tb) {
        return firstCrossing(ta, cur, tb, next, dense, yLate);
    }

    /**
     * Fires, at the located time {@code tEvent}, every member that crosses upward inside the step and is at or
     * above its threshold {@code 2 * EVENT_THRESHOLD} later on the dense output (so members crossing together
     * fire together without a root search each), applying their resets to {@code yEvent}.
     */
    private void fireTogether(final double ta, final double tb, final double tEvent) {
        fireTogether(ta, cur, tb, next, tEvent, dense, yLate, yEvent);
    }

    /** Fraction of the step at which member m crosses zero upward, or +Infinity if it does not. */
    private double crossing(final int d, final int m, final double ta, final double tb) {
        final double g0 = detectors[d].g(m, ta, cur);
        final double g1 = detectors[d].g(m, tb, next);
        return g0 < 0 && g1 > 0 ? g0 / (g0 - g1) : Double.POSITIVE_INFINITY;
    }

    /**
     * Fires the members whose crossing lies at the located fraction {@code theta}, within 1e-12 of the step
     * or {@code 2 * EVENT_THRESHOLD} time units if more (as the adaptive engines group crossings: members
     * crossing together fire together and share their refractory end, which otherwise could fall within the
     * time slack of another's and be passed by a whole step), applying their resets to {@code yEvent}. Firing
     * by crossing rather than by the sign of the interpolated switching function guarantees progress when the
     * crossing rounds to the step start.
     */
    private void fireCrossing(final double ta, final double tb, final double theta, final double tEvent) {
        final double together = theta + Math.max(1e-12, 2 * EVENT_THRESHOLD / (tb - ta));
        for (int d = 0; d < detectors.length; d++) {
            if (!continuous(d)) {
                continue;
            }
            for (int m = 0; m < detectors[d].size(); m++) {
                if (!isRefractory(d, m, ta) && crossing(d, m, ta, tb) <= together) {
                    fire(d, m, tEvent, yEvent);
                }
            }
        }
    }

    /**
     * The state inside the step from the step start (at ta) to the step end (at tb): linear interpolation, or
     * the method's own continuous extension.
     */
    private final class Interpolant implements DenseOutput {
        private double ta;
        private double tb;

        void set(final double start, final double end) {
            ta = start;
            tb = end;
        }

        @Override
        public void stateAt(final double tt, final double[] out) {
            final double w = (tt - ta) / (tb - ta);
            if (ownDense) {
                interpolate(w, tb - ta, cur, next, out);
                return;
            }
            for (int i = 0; i < n; i++) {
                out[i] = cur[i] + w * (next[i] - cur[i]);
            }
        }
    }
}
