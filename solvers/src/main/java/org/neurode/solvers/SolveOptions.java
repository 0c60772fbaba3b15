package org.neurode.solvers;

import org.neurode.core.Checks;
import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;
import org.neurode.core.Recorder;

/**
 * How to solve: tolerances (adaptive methods), step size (fixed-step methods, or the first step of
 * adaptive ones), step bounds, evaluation budget, what to record, failure policy and noise seed.
 * Immutable, with {@code with*} variants (one options record instead of telescoping constructors).
 *
 * @param tolerances      error tolerances of adaptive methods
 * @param step            step size of fixed-step methods (time unit of the model); for adaptive methods
 *                        the initial step if positive, else chosen automatically
 * @param minStep         smallest step an adaptive method may take before failing (not negative)
 * @param maxStep         largest step (positive; infinity for none)
 * @param maxEvaluations  right-hand-side evaluation budget (positive)
 * @param recorder        what to save
 * @param failFast        throw on non-finite states and step underflow (default) instead of returning
 *                        a trajectory with status {@code FAILED}
 * @param seed            seed of the noise generator (stochastic methods)
 * @since 0.1
 */
public record SolveOptions(Tolerances tolerances, double step, double minStep, double maxStep,
                           long maxEvaluations, Recorder recorder, boolean failFast, long seed) {

    /** Default relative tolerance. */
    public static final double DEFAULT_RTOL = 1e-6;

    /**
     * Validates the options.
     *
     * @param tolerances     tolerances
     * @param step           step size
     * @param minStep        minimum step
     * @param maxStep        maximum step
     * @param maxEvaluations evaluation budget
     * @param recorder       recorder
     * @param failFast       failure policy
     * @param seed           noise seed
     */
    public SolveOptions {
        if (tolerances == null || recorder == null) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "tolerances and recorder must not be null");
        }
        Checks.nonNegative("step", step);
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
     * Defaults: {@code rtol = 1e-6} with absolute tolerances from the layout scales, automatic first
     * step, minimum step 1e-12, no maximum step, 100 million evaluations, final state only, fail fast,
     * seed 1.
     *
     * @return default options
     */
    public static SolveOptions defaults() {
        return new SolveOptions(Tolerances.fromScales(DEFAULT_RTOL), 0.0, 1e-12, Double.POSITIVE_INFINITY,
                                100_000_000L, Recorder.finalOnly(), true, 1L);
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
        return new SolveOptions(t, step, minStep, maxStep, maxEvaluations, recorder, failFast, seed);
    }

    /**
     * @param h step size (positive)
     * @return a copy
     */
    public SolveOptions withStep(final double h) {
        Checks.positive("step", h);
        return new SolveOptions(tolerances, h, minStep, maxStep, maxEvaluations, recorder, failFast, seed);
    }

    /**
     * @param h minimum step
     * @return a copy
     */
    public SolveOptions withMinStep(final double h) {
        return new SolveOptions(tolerances, step, h, maxStep, maxEvaluations, recorder, failFast, seed);
    }

    /**
     * @param h maximum step
     * @return a copy
     */
    public SolveOptions withMaxStep(final double h) {
        return new SolveOptions(tolerances, step, minStep, h, maxEvaluations, recorder, failFast, seed);
    }

    /**
     * @param n evaluation budget
     * @return a copy
     */
    public SolveOptions withMaxEvaluations(final long n) {
        return new SolveOptions(tolerances, step, minStep, maxStep, n, recorder, failFast, seed);
    }

    /**
     * @param r recorder
     * @return a copy
     */
    public SolveOptions withRecorder(final Recorder r) {
        return new SolveOptions(tolerances, step, minStep, maxStep, maxEvaluations, r, failFast, seed);
    }

    /**
     * @param f true to throw on failures
     * @return a copy
     */
    public SolveOptions withFailFast(final boolean f) {
        return new SolveOptions(tolerances, step, minStep, maxStep, maxEvaluations, recorder, f, seed);
    }

    /**
     * @param s noise seed
     * @return a copy
     */
    public SolveOptions withSeed(final long s) {
        return new SolveOptions(tolerances, step, minStep, maxStep, maxEvaluations, recorder, failFast, s);
    }
}
