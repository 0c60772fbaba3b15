package org.neurode.solvers;

import java.util.Arrays;
import java.util.List;

import org.neurode.core.Detection;
import org.neurode.core.ErrorCode;
import org.neurode.core.EventAction;
import org.neurode.core.EventDetector;
import org.neurode.core.EventLog;
import org.neurode.core.Model;
import org.neurode.core.OdeException;
import org.neurode.core.Projection;
import org.neurode.core.StateLayout;

/**
 * The events of one run, shared by every simulation engine (fixed-step, adaptive, Hipparchus) as Hipparchus
 * separates its event detectors and handlers from the integrator: the detectors bound to the run's parameters
 * and inputs, how each is located, refractoriness (who is refractory until when, and holding their elements
 * still), firing (the runaway rule, the event log, the reset) and the scans an engine needs (step ends, the
 * population maximum of the switching functions, the members at or above threshold). An engine decides where
 * to look; this class decides who fires. Nothing allocates after construction. Not thread-safe.
 */
final class EventHandling {

    /** Absolute convergence threshold of event times located by {@link #upwardZero} (time unit of the model). */
    static final double EVENT_THRESHOLD = 1.0e-9;
    /** Iteration limit of {@link #upwardZero}. */
    private static final int EVENT_MAX_ITERATIONS = 200;
    /** Most events of one member within one runaway window (see {@link EventDetector}). */
    static final int MAX_EVENTS_PER_WINDOW = 100;
    /** The runaway window of adaptive solvers as a fraction of the problem's time span. */
    static final double RUNAWAY_WINDOW_FRACTION = 1e-6;
    /** Appended to a runaway message. */
    private static final String RUNAWAY_HINT = " (each event leaves the member at or too close below its threshold"
            + " for the drive it gets: give a refractory period or a reset further below the threshold)";

    private final StateLayout layout;
    /** The detectors, bound to the run ({@link EventDetector#bind}). */
    final EventDetector[] detectors;
    /** Per detector: true if located by root finding ({@link Detection#AUTO} resolved for the solver). */
    private final boolean[] continuous;
    /** True if any detector uses continuous detection. */
    final boolean hasContinuous;
    /** True if any detector uses step-end detection. */
    final boolean hasStepEnd;
    /** Per detector with a refractory period (else null): its refractory members. */
    private final RefractoryQueue[] refractory;
    /** True once any member has been refractory (then the queues are consulted). */
    private boolean anyRefractory;
    /** Runaway guard, per detector and member: time of the last event (NaN: none). */
    private final double[][] lastEvent;
    /** Runaway guard, per detector and member: start of the current window and the events in it. */
    private final double[][] windowStart;
    private final int[][] windowEvents;
    /** Length of a runaway window (time unit of the model). */
    private final double runawayWindow;
    /** Per step-end detector: the members found by the scan of a step end (else null). */
    private final int[][] found;
    private final EventLog log;
    /** The projections of the run, bound to it; delivered at step ends. */
    private final Projection[] projections;
    /** Per detector: whether its events go into the log ({@link SolveOptions#withUnloggedEvents}). */
    private final boolean[] logged;
    /** Per detector: a source of external spikes, exempt from the runaway guard ({@link EventDetector#external}). */
    private final boolean[] external;
    /** The projections with summed or clock-driven variables, computed around every fixed step. */
    private final Projection[] stepped;
    /** Per detector: the projections it sends to (empty if none). */
    private final Projection[][] sends;
    /** Per detector: the projections whose on_post statements it triggers (empty if none). */
    private final Projection[][] receives;
    /** Called when a handler asks to stop the run. */
    private final Runnable onStop;

    /**
     * @param model         the model
     * @param inputs        the run's input buffer
     * @param adaptive      true for a solver that chooses its steps ({@link Detection#AUTO} is then continuous)
     * @param runawayWindow the runaway window (time unit)
     * @param step          the fixed step of the run (time unit), 0 for a solver that chooses its steps (the grid
     *                      of transmission delays)
     * @param onStop        called when a handler returns {@link EventAction#STOP}
     * @param unlogged      names of the events that act but are not kept in the log
     * @param seed          the run's seed (the generators of events and projections that draw random numbers)
     */
    EventHandling(final Model model, final double[] inputs, final boolean adaptive, final double runawayWindow,
                  final double step, final Runnable onStop, final java.util.Set<String> unlogged,
                  final long seed) {
        this.layout = model.layout();
        this.onStop = onStop;
        this.runawayWindow = runawayWindow;
        final List<EventDetector> ev = model.events();
        final int count = ev.size();
        this.detectors = new EventDetector[count];
        this.continuous = new boolean[count];
        this.refractory = new RefractoryQueue[count];
        this.found = new int[count][];
        this.lastEvent = new double[count][];
        this.windowStart = new double[count][];
        this.windowEvents = new int[count][];
        final String[] names = new String[count];
        boolean cont = false;
        boolean end = false;
        for (int d = 0; d < count; d++) {
            final EventDetector det = ev.get(d).bind(model.parameters(), inputs, seed, step > 0 ? step : Double.NaN);
            detectors[d] = det;
            names[d] = det.name();
            continuous[d] = det.detection().on(adaptive) == Detection.CONTINUOUS;
            cont |= continuous[d];
            end |= !continuous[d];
            final int size = det.size();
            if (!continuous[d]) {
                found[d] = new int[size];
            }
            if (det.refractoryPeriod() > 0) {
                final int[] offsets = det.refractoryOffsets();
                int[] index = null;
                if (offsets == null) {
                    index = new int[size];
                    for (int m = 0; m < size; m++) {
                        index[m] = det.refractoryIndex(m);
                    }
                }
                boolean same = true;
                final double first = det.refractoryPeriod(0);
                for (int m = 1; m < size && same; m++) {
                    same = det.refractoryPeriod(m) == first;
                }
                refractory[d] = new RefractoryQueue(size, index, offsets == null ? null : offsets.clone(), same);
            }
            lastEvent[d] = new double[size];
            Arrays.fill(lastEvent[d], Double.NaN);
            windowStart[d] = new double[size];
            windowEvents[d] = new int[size];
        }
        this.hasContinuous = cont;
        this.hasStepEnd = end;
        this.log = new EventLog(names);
        this.logged = new boolean[count];
        final List<String> all = Arrays.asList(names);
        for (final String kind : unlogged) {
            if (!all.contains(kind)) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "unlogged event '" + kind + "': model '"
                        + model.name() + "' has no event of that name; its events: " + String.join(", ", names));
            }
        }
        this.external = new boolean[count];
        for (int d = 0; d < count; d++) {
            logged[d] = !unlogged.contains(names[d]);
            external[d] = detectors[d].external();
        }
        final List<Projection> ps = model.projections();
        this.projections = new Projection[ps.size()];
        final int[] perDetector = new int[count];
        final int[] source = new int[ps.size()];
        for (int k = 0; k < ps.size(); k++) {
            final Projection p = ps.get(k).bind(model.parameters(), inputs, adaptive ? 0.0 : step, seed);
            projections[k] = p;
            if (p.sourceEvent() == null) {
                source[k] = -1;           // sends nothing (summed, clock-driven or on_post parts only)
                continue;
            }
            source[k] = Arrays.asList(names).indexOf(p.sourceEvent());
            if (source[k] < 0) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "projection '" + p.name() + "' sends on event '"
                        + p.sourceEvent() + "', which model '" + model.name() + "' does not have");
            }
            if (p.delayed() && continuous[source[k]]) {
                throw new OdeException(ErrorCode.UNSUPPORTED, "continuous detection", "projection '" + p.name()
                        + "' has transmission delays, which need its source event '" + p.sourceEvent() + "' "
                        + "checked at step ends (detection auto or step-end, on a fixed-step solver)");
            }
            perDetector[source[k]]++;
        }
        final List<String> detectorNames = Arrays.asList(names);
        final int[] perTarget = new int[count];
        final int[] target = new int[ps.size()];
        for (int k = 0; k < ps.size(); k++) {
            final Projection p = projections[k];
            target[k] = p.targetEvent() == null ? -1 : detectorNames.indexOf(p.targetEvent());
            if (p.targetEvent() != null && target[k] < 0) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "projection '" + p.name() + "' runs on_post on "
                        + "event '" + p.targetEvent() + "', which model '" + model.name() + "' does not have");
            }
            if (target[k] >= 0) {
                perTarget[target[k]]++;
            }
        }
        this.receives = new Projection[count][];
        for (int d = 0; d < count; d++) {
            receives[d] = new Projection[perTarget[d]];
            perTarget[d] = 0;
        }
        for (int k = 0; k < projections.length; k++) {
            if (target[k] >= 0) {
                receives[target[k]][perTarget[target[k]]++] = projections[k];
            }
        }
        this.sends = new Projection[count][];
        for (int d = 0; d < count; d++) {
            sends[d] = new Projection[perDetector[d]];
            perDetector[d] = 0;
        }
        for (int k = 0; k < projections.length; k++) {
            if (source[k] >= 0) {
                sends[source[k]][perDetector[source[k]]++] = projections[k];
            }
        }
        this.stepped = Arrays.stream(projections).filter(Projection::stepped).toArray(Projection[]::new);
    }

    /** @return true if some projection has summed or clock-driven variables (computed around every step) */
    boolean stepped() {
        return stepped.length > 0;
    }

    /**
     * Refuses an engine that does not call {@link #beforeStep} and {@link #afterStep}.
     *
     * @param solver the solver's name
     * @throws OdeException naming the first projection with summed or clock-driven variables
     */
    void refuseStepped(final String solver) {
        if (stepped.length > 0) {
            final Projection p = stepped[0];
            throw new OdeException(ErrorCode.UNSUPPORTED, solver, "projection '" + p.name() + "' has "
                    + (p.summedInputs().isEmpty() ? "clock-driven synapse variables" : "summed variables")
                    + ", which neurode's own fixed-step solvers compute at every step (euler, exponential-euler, "
                    + "rk4, ...)");
        }
    }

    /**
     * @param input an input's name
     * @return the projection whose summed variables set it, or null
     */
    String summedBy(final String input) {
        for (final Projection p : stepped) {
            if (p.summedInputs().contains(input)) {
                return p.name();
            }
        }
        return null;
    }

    /**
     * Before a step: the summed variables of every projection, from the state at the step start (Brian2 runs the
     * summed-variable updaters first in a step, before the state updaters).
     *
     * @param time  step start
     * @param state state at the step start (not modified)
     */
    void beforeStep(final double time, final double[] state) {
        for (final Projection p : stepped) {
            p.beforeStep(time, state);
        }
    }

    /**
     * After a step: the clock-driven synapse variables of every projection, reading the state at the step end
     * (Brian2 updates synapses after the neuron groups), before the step's events.
     *
     * @param time  step start
     * @param step  step length
     * @param state state at the step end (not modified)
     */
    void afterStep(final double time, final double step, final double[] state) {
        for (final Projection p : stepped) {
            p.afterStep(time, step, state);
        }
    }

    /**
     * @param projection a projection's name
     * @param variable   one of its synapse variables
     * @return its current values per synapse (copied), or null if there is no such projection or variable
     */
    double[] synapseValues(final String projection, final String variable) {
        for (final Projection p : projections) {
            if (p.name().equals(projection)) {
                return p.values(variable);
            }
        }
        return null;
    }

    /**
     * @param projection a projection's name
     * @param variable   one of its synapse variables
     * @param values     the new values per synapse (copied)
     * @return false if there is no such projection or variable
     * @throws OdeException if the length is not the number of synapses
     */
    boolean setSynapseValues(final String projection, final String variable, final double[] values) {
        for (final Projection p : projections) {
            if (p.name().equals(projection)) {
                try {
                    return p.setValues(variable, values);
                } catch (IllegalArgumentException e) {
                    throw new OdeException(ErrorCode.DIMENSION_MISMATCH, variable, p.synapses(), values.length);
                }
            }
        }
        return false;
    }

    /**
     * Restarts the generators of every detector and projection that draws random numbers from a new run seed.
     *
     * @param seed the run seed
     */
    void reseed(final long seed) {
        for (final EventDetector d : detectors) {
            d.reseed(seed);
        }
        for (final Projection p : projections) {
            p.reseed(seed);
        }
    }

    /** @return the projections of the run, bound to it (read by recorders of synapse variables) */
    List<Projection> projections() {
        return Arrays.asList(projections);
    }

    /** @return the event log */
    EventLog log() {
        return log;
    }

    /**
     * @param d detector index
     * @return true if it is located by root finding, false if checked at step ends
     */
    boolean continuous(final int d) {
        return continuous[d];
    }

    /** @return true if the run has projections */
    boolean hasProjections() {
        return projections.length > 0;
    }

    /** @return true once any member has been refractory */
    boolean anyRefractory() {
        return anyRefractory;
    }

    /**
     * @param d      detector index
     * @param member member index
     * @param time   time
     * @return true if the member is refractory at {@code time}
     */
    boolean isRefractory(final int d, final int member, final double time) {
        final RefractoryQueue q = refractory[d];
        return q != null && time < q.until[member];
    }

    /**
     * Copies {@code from} into {@code out} for the held elements of members refractory at {@code time}.
     *
     * @param accepted the accepted time (periods ended by then are dropped)
     * @param time     step start
     * @param from     state at the step start
     * @param out      state at the step end (modified)
     */
    /**
     * Before a step written over the state (in place): expires the periods ended by {@code accepted} and saves the
     * held elements of the members refractory at {@code time}, which {@link #restoreHeld} puts back after the step;
     * together they do what {@link #hold} does for a step from one buffer into another. Nothing allocates (the
     * buffer is made once, at the first call).
     */
    void saveHeld(final double accepted, final double time, final double[] y) {
        savedHeld = 0;
        if (anyRefractory) {
            if (held == null) {
                int size = 0;
                for (final RefractoryQueue q : refractory) {
                    size += q == null ? 0 : q.heldCapacity();
                }
                held = new double[size];
                heldAt = new int[size];
            }
            int at = 0;
            for (final RefractoryQueue q : refractory) {
                if (q != null) {
                    q.expire(accepted);
                    at = q.save(time, y, held, heldAt, at);
                }
            }
            savedHeld = at;
        }
    }

    /** Puts back the elements {@link #saveHeld} saved. */
    void restoreHeld(final double[] y) {
        for (int k = 0; k < savedHeld; k++) {
            y[heldAt[k]] = held[k];
        }
    }

    /** The held elements saved around an in-place step and their state indices (null until the first). */
    private double[] held;
    private int[] heldAt;
    private int savedHeld;

    void hold(final double accepted, final double time, final double[] from, final double[] out) {
        if (anyRefractory) {
            for (final RefractoryQueue q : refractory) {
                if (q != null) {
                    q.expire(accepted);
                    q.hold(time, from, out);
                }
            }
        }
    }

    /**
     * Zeroes {@code a} (and {@code b}) for the held elements of members refractory at {@code time}.
     *
     * @param accepted the accepted time: periods are expired by it, not by the evaluation time (adaptive methods
     *                 evaluate trial stages past a refractory end and, after a rejection, again before it)
     * @param time     the time whose refractory members are held
     * @param a        derivatives or diagonal coefficients (modified)
     * @param b        remainders (modified), or null
     */
    void mask(final double accepted, final double time, final double[] a, final double[] b) {
        if (anyRefractory) {
            for (final RefractoryQueue q : refractory) {
                if (q != null) {
                    q.expire(accepted);
                    q.mask(time, a, b);
                }
            }
        }
    }

    /**
     * @param time  current time
     * @param slack the time slack at {@code time}
     * @return the earliest end of a refractory period of a continuously detected member after {@code time}, or
     *         {@code +Infinity} (step-end detectors keep the clock's semantics and are left out)
     */
    double nextRefractoryEnd(final double time, final double slack) {
        double next = Double.POSITIVE_INFINITY;
        if (anyRefractory) {
            for (int d = 0; d < detectors.length; d++) {
                if (refractory[d] != null && continuous[d]) {
                    next = Math.min(next, refractory[d].nextEnd(time + slack));
                }
            }
        }
        return next;
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
    EventAction fire(final int d, final int member, final double time, final double[] state) {
        if (!external[d]) {
            guardRunaway(d, member, time);
        }
        if (logged[d]) {
            log.add(time, d, member);
        }
        final RefractoryQueue q = refractory[d];
        if (q != null) {
            final double end = time + detectors[d].refractoryPeriod(member);
            q.enter(member, time, end - TimeSlack.of(end));
            anyRefractory = true;
        }
        if (continuous[d]) {
            // located in time: its synapses (without delay) act at the event, before the reset
            for (final Projection p : sends[d]) {
                p.spike(member, time, state);
            }
            for (final Projection p : receives[d]) {
                p.postSpike(member, time, state);
            }
        }
        final EventAction action = detectors[d].onEvent(member, time, state);
        if (action == EventAction.STOP) {
            onStop.run();
        }
        return action;
    }

    /** The runaway rule (see {@link EventDetector}). */
    private void guardRunaway(final int d, final int member, final double time) {
        final double last = lastEvent[d][member];
        lastEvent[d][member] = time;
        if (time - last <= TimeSlack.of(time)) {
            throw runaway(d, member, time, "again with no time elapsed since its previous event");
        }
        if (windowEvents[d][member] == 0 || time - windowStart[d][member] > runawayWindow) {
            windowStart[d][member] = time;
            windowEvents[d][member] = 1;
            return;
        }
        if (++windowEvents[d][member] > MAX_EVENTS_PER_WINDOW) {
            throw runaway(d, member, time, "more than " + MAX_EVENTS_PER_WINDOW + " times within a window of "
                    + runawayWindow + " time units from t = " + windowStart[d][member]);
        }
    }

    private OdeException runaway(final int d, final int member, final double time, final String how) {
        final EventDetector det = detectors[d];
        final int index = det.refractoryIndex(member);
        final String who = (index >= 0 ? layout.variableName(index) + " (" : "(") + "member " + member
                + " of event '" + det.name() + "')";
        return new OdeException(ErrorCode.EVENT_RUNAWAY, who, how, time, RUNAWAY_HINT);
    }

    /**
     * Step-end detection, Brian2's thresholder then resetter: first every step-end detector finds its members that
     * are not refractory and whose condition holds on the state at the end of the step, then they fire in order
     * (detector by detector, members in increasing order), so one event's reset does not hide another's
     * condition. The events are attributed to the step's start time, from which the refractory period counts.
     * Between the two, the projections of the firing events run their statements (or queue them, with delays) and
     * the delayed spikes due at this step are delivered.
     *
     * @param time    step start time (the logged event time)
     * @param endTime step end time (where the conditions are evaluated)
     * @param state   state at the step end (modified by resets)
     * @return true if any event fired or a delayed spike changed the state
     */
    boolean handleStepEnd(final double time, final double endTime, final double[] state) {
        int total = 0;
        for (int d = 0; d < detectors.length; d++) {
            if (found[d] != null) {
                final int[] members = found[d];
                final int c = detectors[d].stepEndMembers(endTime, state,
                        refractory[d] == null ? null : refractory[d].until, time, members);
                if (c < members.length) {
                    members[c] = -1;
                }
                total += c;
            }
        }
        // Brian2's order: thresholds, then synapses (the spikes of this step queued or delivered, then the
        // delayed spikes due now), then resets
        if (total > 0 && projections.length > 0) {
            for (int d = 0; d < detectors.length; d++) {
                final int[] members = found[d];
                if (members != null && sends[d].length > 0) {
                    for (int k = 0; k < members.length && members[k] >= 0; k++) {
                        for (final Projection p : sends[d]) {
                            p.spike(members[k], time, state);
                        }
                    }
                }
            }
        }
        boolean delivered = false;
        for (final Projection p : projections) {
            delivered |= p.deliver(time, state);
        }
        // then the post pathways (Brian2 runs a projection's on_post after its on_pre): the on_post statements of
        // the synapses of the members that fired
        if (total > 0 && projections.length > 0) {
            for (int d = 0; d < detectors.length; d++) {
                final int[] members = found[d];
                if (members != null && receives[d].length > 0) {
                    for (int k = 0; k < members.length && members[k] >= 0; k++) {
                        for (final Projection p : receives[d]) {
                            p.postSpike(members[k], time, state);
                        }
                    }
                }
            }
        }
        if (total == 0) {
            return delivered;
        }
        for (int d = 0; d < detectors.length; d++) {
            final int[] members = found[d];
            if (members != null) {
                for (int k = 0; k < members.length && members[k] >= 0; k++) {
                    fire(d, members[k], time, state);
                }
            }
        }
        return true;
    }

    /**
     * @param time  time
     * @param state state (not modified)
     * @return the largest switching function over non-refractory members of continuous detectors, or
     *         {@code -Infinity} without them
     */
    double maxSwitching(final double time, final double[] state) {
        double max = Double.NEGATIVE_INFINITY;
        for (int d = 0; d < detectors.length; d++) {
            if (!continuous[d]) {
                continue;
            }
            final EventDetector det = detectors[d];
            final int size = det.size();
            for (int m = 0; m < size; m++) {
                if (!isRefractory(d, m, time)) {
                    max = Math.max(max, det.g(m, time, state));
                }
            }
        }
        return max;
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
    boolean fireContinuous(final double time, final double[] state, final double tolerance) {
        boolean any = false;
        for (int d = 0; d < detectors.length; d++) {
            if (!continuous[d]) {
                continue;
            }
            final EventDetector det = detectors[d];
            for (int m = 0; m < det.size(); m++) {
                if (!isRefractory(d, m, time) && det.g(m, time, state) >= -tolerance) {
                    fire(d, m, time, state);
                    any = true;
                }
            }
        }
        return any;
    }

    /**
     * The earliest upward crossing of a non-refractory member of a continuous detector inside a step, located on
     * the step's dense output by {@link #upwardZero}.
     *
     * @param ta    step start (members refractory then are left out)
     * @param start state at the step start (not modified)
     * @param tb    step end
     * @param end   state at the step end (not modified)
     * @param dense the dense output of the step
     * @param work  an array of the state's size (modified)
     * @return the earliest located crossing, in {@code (ta, tb]}; {@code tb} if no member crosses inside
     */
    double firstCrossing(final double ta, final double[] start, final double tb, final double[] end,
                         final DenseOutput dense, final double[] work) {
        double first = tb;
        for (int d = 0; d < detectors.length; d++) {
            if (!continuous[d]) {
                continue;
            }
            final EventDetector det = detectors[d];
            for (int m = 0; m < det.size(); m++) {
                if (!isRefractory(d, m, ta)) {
                    final double g0 = det.g(m, ta, start);
                    final double g1 = det.g(m, tb, end);
                    if (g0 < 0 && g1 > 0) {
                        first = Math.min(first, upwardZero(det, m, ta, g0, tb, g1, dense, work));
                    }
                }
            }
        }
        return first;
    }

    /**
     * Fires, at a located crossing {@code tEvent}, every non-refractory member of a continuous detector that
     * crosses upward inside the step and is at or above its threshold {@code 2 * EVENT_THRESHOLD} later on the
     * dense output (so members crossing together fire together without a root search each).
     *
     * @param ta     step start
     * @param start  state at the step start (not modified)
     * @param tb     step end
     * @param end    state at the step end (not modified)
     * @param tEvent the located crossing ({@link #firstCrossing})
     * @param dense  the dense output of the step
     * @param late   an array of the state's size (modified: the state a little after the crossing)
     * @param state  the state at the crossing (modified by resets)
     */
    void fireTogether(final double ta, final double[] start, final double tb, final double[] end,
                      final double tEvent, final DenseOutput dense, final double[] late, final double[] state) {
        final double tLate = Math.min(tb, tEvent + 2 * EVENT_THRESHOLD);
        dense.stateAt(tLate, late);
        for (int d = 0; d < detectors.length; d++) {
            if (!continuous[d]) {
                continue;
            }
            final EventDetector det = detectors[d];
            for (int m = 0; m < det.size(); m++) {
                if (!isRefractory(d, m, ta) && det.g(m, ta, start) < 0 && det.g(m, tb, end) > 0
                        && det.g(m, tLate, late) >= 0) {
                    fire(d, m, tEvent, state);
                }
            }
        }
    }

    /**
     * The upward zero of member {@code m}'s switching function inside a step, located on a dense output by the
     * Illinois variant of regula falsi to {@value #EVENT_THRESHOLD} time units.
     *
     * @param det   the detector
     * @param m     the member, with {@code g < 0} at {@code ta} and {@code g > 0} at {@code tb}
     * @param ta    step start
     * @param ga    switching function at {@code ta}
     * @param tb    step end
     * @param gb    switching function at {@code tb}
     * @param dense the dense output of the step
     * @param work  an array of the state's size (modified)
     * @return a time in {@code (ta, tb]} at most {@value #EVENT_THRESHOLD} after the zero, where {@code g > 0}
     */
    static double upwardZero(final EventDetector det, final int m, final double ta, final double ga,
                             final double tb, final double gb, final DenseOutput dense, final double[] work) {
        double a = ta;
        double fa = ga;
        double b = tb;
        double fb = gb;
        int side = 0;
        for (int k = 0; k < EVENT_MAX_ITERATIONS && b - a > EVENT_THRESHOLD; k++) {
            double c = (a * fb - b * fa) / (fb - fa);
            if (!(c > a && c < b)) {
                c = 0.5 * (a + b);
            }
            dense.stateAt(c, work);
            final double fc = det.g(m, c, work);
            if (fc > 0) {
                b = c;
                fb = fc;
                if (side == -1) {
                    fa *= 0.5;
                }
                side = -1;
            } else {
                a = c;
                fa = fc;
                if (side == 1) {
                    fb *= 0.5;
                }
                side = 1;
            }
        }
        return b;
    }
}
