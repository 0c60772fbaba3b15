package org.neurode.solvers;

import org.neurode.core.Checks;
import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;
import org.neurode.core.Recorder;

/**
 * How to solve: tolerances and the first step (adaptive methods), step size (fixed-step methods), step
 * bounds, evaluation budget, what to record, failure policy and noise seed. Immutable, with {@code with*}
 * variants (one options record instead of telescoping constructors).
 *
 * <p>Options of one kind of solver are refused by the other kind when a simulation starts
 * ({@link #checkFor}), instead of being ignored: a fixed step or a first step given to an adaptive solver's
 * counterpart, tolerances given to a fixed-step solver. {@link #defaults()} gives neither, so it suits both
 * kinds (a fixed-step solver still needs {@link #withStep}).
 *
 * @param tolerances      error tolerances of adaptive methods; {@link #DEFAULT_TOLERANCES} (that very
 *                        instance) stands for "not given"
 * @param step            step size of fixed-step methods (time unit of the model); 0 for none
 * @param initialStep     first step of adaptive methods if positive; 0 to let the method choose it
 * @param minStep         smallest step an adaptive method may take before failing (not negative)
 * @param maxStep         largest step (positive; infinity for none)
 * @param maxEvaluations  right-hand-side evaluation budget (positive)
 * @param recorder        what to save
 * @param failFast        throw on non-finite states and step underflow (default) instead of returning
 *                        a trajectory with status {@code FAILED}
 * @param seed            seed of the noise generator (stochastic methods)
 * @param moreRecorders   further recorders, each with its own variables and schedule and a name of its own
 *                        (since 0.5; see {@link #addRecorder})
 * @param unloggedEvents  event kinds that are not kept in the run's event log (since 0.6; see
 *                        {@link #withUnloggedEvents})
 * @since 0.1
 */
public record SolveOptions(Tolerances tolerances, double step, double initialStep, double minStep, double maxStep,
                           long maxEvaluations, Recorder recorder, boolean failFast, long seed,
                           java.util.List<Recorder> moreRecorders, java.util.Set<String> unloggedEvents) {

    /** Default relative tolerance. */
    public static final double DEFAULT_RTOL = 1e-6;

    /**
     * The tolerances of {@link #defaults()}: {@code rtol = 1e-6} with absolute tolerances from the layout's
     * scales. Options holding this very instance have no tolerances given ({@link #tolerancesGiven()}).
     */
    public static final Tolerances DEFAULT_TOLERANCES = Tolerances.fromScales(DEFAULT_RTOL);

    /**
     * Validates the options.
     *
     * @param tolerances     tolerances
     * @param step           step size
     * @param initialStep    first step of adaptive methods
     * @param minStep        minimum step
     * @param maxStep        maximum step
     * @param maxEvaluations evaluation budget
     * @param recorder       recorder
     * @param failFast       failure policy
     * @param seed           noise seed
     * @param moreRecorders  further recorders (copied)
     * @param unloggedEvents event kinds left out of the event log (copied)
     */
    public SolveOptions {
        if (tolerances == null || recorder == null || moreRecorders == null || unloggedEvents == null) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "tolerances, recorders and unlogged events must not "
                    + "be null");
        }
        moreRecorders = java.util.List.copyOf(moreRecorders);
        unloggedEvents = java.util.Set.copyOf(unloggedEvents);
        final java.util.Set<String> names = new java.util.HashSet<>();
        names.add(recorder.name());
        for (final Recorder r : moreRecorders) {
            if (!names.add(r.name())) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "two recorders are named '" + r.name()
                        + "': give each its own name (Recorder.named)");
            }
        }
        Checks.nonNegative("step", step);
        Checks.nonNegative("initial step", initialStep);
        Checks.nonNegative("minimum step", minStep);
        if (!(maxStep > 0)) {
            throw new OdeException(ErrorCode.NOT_POSITIVE, "maximum step", maxStep);
        }
        if (minStep > maxStep) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "minimum step " + minStep
                    + " is larger than maximum step " + maxStep);
        }
        if (maxEvaluations <= 0) {
            throw new OdeException(ErrorCode.NOT_POSITIVE, "maximum evaluations", maxEvaluations);
        }
    }

    /**
     * Options with one recorder (the form of versions before 0.5).
     *
     * @param tolerances     tolerances
     * @param step           step size
     * @param initialStep    first step of adaptive methods
     * @param minStep        minimum step
     * @param maxStep        maximum step
     * @param maxEvaluations evaluation budget
     * @param recorder       recorder
     * @param failFast       failure policy
     * @param seed           noise seed
     */
    public SolveOptions(final Tolerances tolerances, final double step, final double initialStep, final double minStep,
                        final double maxStep, final long maxEvaluations, final Recorder recorder,
                        final boolean failFast, final long seed) {
        this(tolerances, step, initialStep, minStep, maxStep, maxEvaluations, recorder, failFast, seed,
             java.util.List.of(), java.util.Set.of());
    }

    /**
     * Defaults: no step, no tolerances given (adaptive methods use {@link #DEFAULT_TOLERANCES}:
     * {@code rtol = 1e-6} with absolute tolerances from the layout scales), automatic first step, minimum
     * step 1e-12, no maximum step, 100 million evaluations, final state only, fail fast, seed 1.
     *
     * @return default options
     */
    public static SolveOptions defaults() {
        return new SolveOptions(DEFAULT_TOLERANCES, 0.0, 0.0, 1e-12, Double.POSITIVE_INFINITY,
                                100_000_000L, Recorder.finalOnly(), true, 1L);
    }

    /** @return true unless the tolerances are {@link #DEFAULT_TOLERANCES}, i.e. they were given */
    public boolean tolerancesGiven() {
        return tolerances != DEFAULT_TOLERANCES;
    }

    /**
     * Checks that these options fit a solver: a fixed-step solver needs a positive {@link #step()} and takes
     * neither tolerances nor a first step; an adaptive solver chooses its own steps and takes no fixed step.
     * Every solver's simulation calls this when it starts, so that an option of the other kind of solver is an
     * error rather than silently ignored.
     *
     * @param solver the solver that is to use the options
     * @throws OdeException ({@link ErrorCode#INVALID_ARGUMENT}) naming the solver and the option
     */
    public void checkFor(final SolverInfo solver) {
        final String name = "solver '" + solver.name() + "'";
        if (solver.adaptive()) {
            if (step > 0) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, name + " is adaptive and chooses its own steps:"
                        + " the fixed step " + step + " (SolveOptions.withStep, --dt) applies to fixed-step solvers"
                        + " only; control the steps with tolerances (SolveOptions.withTolerances, --rtol, --atol)"
                        + " and, if needed, the first step (SolveOptions.withInitialStep) or the largest step"
                        + " (SolveOptions.withMaxStep)");
            }
            return;
        }
        if (!(step > 0)) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, name
                    + " is a fixed-step method: give a positive step size (SolveOptions.withStep, --dt)");
        }
        if (tolerancesGiven()) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, name + " is a fixed-step method: tolerances ("
                    + tolerances + "; SolveOptions.withTolerances, --rtol, --atol) apply to adaptive solvers only;"
                    + " its accuracy is set by the step size (SolveOptions.withStep, --dt)");
        }
        if (initialStep > 0) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, name + " is a fixed-step method: the initial step "
                    + initialStep + " (SolveOptions.withInitialStep) applies to adaptive solvers only; set the"
                    + " step size with SolveOptions.withStep (--dt)");
        }
    }

    /**
     * @param h step size (positive)
     * @return defaults with that step
     */
    public static SolveOptions fixedStep(final double h) {
        return defaults().withStep(h);
    }

    /**
     * @param rtol relative tolerance
     * @param atol absolute tolerance
     * @return defaults with those tolerances
     */
    public static SolveOptions tolerances(final double rtol, final double atol) {
        return defaults().withTolerances(Tolerances.of(rtol, atol));
    }

    /**
     * @param t tolerances
     * @return a copy
     */
    public SolveOptions withTolerances(final Tolerances t) {
        return new SolveOptions(t, step, initialStep, minStep, maxStep, maxEvaluations, recorder, failFast, seed,
                                moreRecorders, unloggedEvents);
    }

    /**
     * @param h step size of fixed-step methods (positive)
     * @return a copy
     */
    public SolveOptions withStep(final double h) {
        Checks.positive("step", h);
        return new SolveOptions(tolerances, h, initialStep, minStep, maxStep, maxEvaluations, recorder, failFast, seed,
                                moreRecorders, unloggedEvents);
    }

    /**
     * @param h first step of adaptive methods (positive)
     * @return a copy
     */
    public SolveOptions withInitialStep(final double h) {
        Checks.positive("initial step", h);
        return new SolveOptions(tolerances, step, h, minStep, maxStep, maxEvaluations, recorder, failFast, seed,
                                moreRecorders, unloggedEvents);
    }

    /**
     * @param h minimum step
     * @return a copy
     */
    public SolveOptions withMinStep(final double h) {
        return new SolveOptions(tolerances, step, initialStep, h, maxStep, maxEvaluations, recorder, failFast, seed,
                                moreRecorders, unloggedEvents);
    }

    /**
     * @param h maximum step
     * @return a copy
     */
    public SolveOptions withMaxStep(final double h) {
        return new SolveOptions(tolerances, step, initialStep, minStep, h, maxEvaluations, recorder, failFast, seed,
                                moreRecorders, unloggedEvents);
    }

    /**
     * @param n evaluation budget
     * @return a copy
     */
    public SolveOptions withMaxEvaluations(final long n) {
        return new SolveOptions(tolerances, step, initialStep, minStep, maxStep, n, recorder, failFast, seed,
                                moreRecorders, unloggedEvents);
    }

    /**
     * @param r recorder
     * @return a copy
     */
    public SolveOptions withRecorder(final Recorder r) {
        return new SolveOptions(tolerances, step, initialStep, minStep, maxStep, maxEvaluations, r, failFast, seed,
                                moreRecorders, unloggedEvents);
    }

    /**
     * A copy with one more recorder: a run then records, besides its main recorder ({@link #withRecorder}), the
     * variables of each added one on that one's schedule, kept apart and retrieved by name ({@code
     * Trajectory.recording(name)}). E.g. {@code v} of 10 neurons every 0.1 ms and {@code w} every 1 ms:
     * <pre>{@code
     * options.withRecorder(Recorder.every(0.1).of("v[0..9]").named("v"))
     *        .addRecorder(Recorder.every(1.0).of("w").named("w"))
     * }</pre>
     *
     * @param r the recorder, named differently from the others
     * @return a copy
     * @throws OdeException if a recorder of the same name is there already
     * @since 0.5
     */
    public SolveOptions addRecorder(final Recorder r) {
        final java.util.List<Recorder> all = new java.util.ArrayList<>(moreRecorders);
        all.add(r);
        return new SolveOptions(tolerances, step, initialStep, minStep, maxStep, maxEvaluations, recorder, failFast,
                                seed, all, unloggedEvents);
    }

    /**
     * @return every recorder of a run: the main one, then the others in the order they were added
     * @since 0.5
     */
    public java.util.List<Recorder> recorders() {
        final java.util.List<Recorder> all = new java.util.ArrayList<>();
        all.add(recorder);
        all.addAll(moreRecorders);
        return java.util.List.copyOf(all);
    }

    /**
     * @param f true to throw on failures
     * @return a copy
     */
    public SolveOptions withFailFast(final boolean f) {
        return new SolveOptions(tolerances, step, initialStep, minStep, maxStep, maxEvaluations, recorder, f, seed,
                                moreRecorders, unloggedEvents);
    }

    /**
     * @param s noise seed
     * @return a copy
     */
    public SolveOptions withSeed(final long s) {
        return new SolveOptions(tolerances, step, initialStep, minStep, maxStep, maxEvaluations, recorder, failFast, s,
                                moreRecorders, unloggedEvents);
    }
    /**
     * A copy that keeps the named event kinds out of the run's event log ({@code Trajectory.events()}): they still
     * fire, run their resets and send their projections' statements, but are not stored. Brian2 stores the spikes of
     * a group only when a {@code SpikeMonitor} watches it; here every kind is stored unless named. For Poisson
     * backgrounds of large networks, whose millions of spikes per simulated second would otherwise fill the log
     * (16 bytes each). A name that is not an event kind of the model is an error when the run starts.
     *
     * @param kinds event kinds (detector names)
     * @return a copy
     * @since 0.6
     */
    public SolveOptions withUnloggedEvents(final java.util.Collection<String> kinds) {
        return new SolveOptions(tolerances, step, initialStep, minStep, maxStep, maxEvaluations, recorder, failFast,
                                seed, moreRecorders, java.util.Set.copyOf(kinds));
    }
}
