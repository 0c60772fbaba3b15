package org.neurode.solvers.adaptive;

/**
 * Gustafsson's PI controller: after an accepted step
 * \( \mathrm{fac} = s\, \mathrm{err}_n^{-\beta_1/(q+1)}\, \mathrm{err}_{n-1}^{\beta_2/(q+1)} \), the elementary
 * factor after a rejection and on the first step, clipped to \( [f_{min}, f_{max}] \), no growth right after a
 * rejection. With \( \beta_1 = 0.7, \beta_2 = 0.4 \) (the default) it smooths step sequences of explicit methods
 * on mildly stiff problems, where the elementary controller oscillates (K. Gustafsson, "Control theoretic
 * techniques for stepsize selection in explicit Runge-Kutta methods", ACM TOMS 17 (1991) 533-554; Hairer and
 * Wanner, <i>Solving ODEs II</i>, Section IV.2; G. Söderlind, "Digital filters in adaptive time-stepping",
 * ACM TOMS 29 (2003)). One instance per simulation (it remembers the last accepted error).
 *
 * @since 0.7
 */
public final class PiController implements StepController {

    /** Errors below this count as this in the memory (a zero error would freeze the step). */
    private static final double MIN_PREVIOUS_ERROR = 1e-4;

    private final double beta1;
    private final double beta2;
    private final double safety;
    private final double minFactor;
    private final double maxFactor;
    private double previousError = Double.NaN;

    /** Gustafsson's coefficients 0.7 and 0.4, safety 0.9, factors within [0.2, 5]. */
    public PiController() {
        this(0.7, 0.4, 0.9, 0.2, 5.0);
    }

    /**
     * @param beta1     integral gain (exponent of the current error, times q + 1)
     * @param beta2     proportional gain (exponent of the previous error, times q + 1)
     * @param safety    safety factor in (0, 1]
     * @param minFactor smallest factor, in (0, 1)
     * @param maxFactor largest factor, above 1
     */
    public PiController(final double beta1, final double beta2, final double safety, final double minFactor,
                        final double maxFactor) {
        if (!(beta1 > 0.0) || !(beta2 >= 0.0) || !(safety > 0.0 && safety <= 1.0)
            || !(minFactor > 0.0 && minFactor < 1.0) || !(maxFactor > 1.0)) {
            throw new IllegalArgumentException("invalid PI controller parameters");
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.safety = safety;
        this.minFactor = minFactor;
        this.maxFactor = maxFactor;
    }

    @Override
    public double factor(final double h, final double err, final int order, final boolean accepted,
                         final boolean lastRejected) {
        if (!(err < Double.POSITIVE_INFINITY)) {
            return minFactor;
        }
        final double k = order + 1;
        final double e = Math.max(err, 1e-300);
        double f;
        if (accepted && !Double.isNaN(previousError)) {
            f = safety * Math.pow(e, -beta1 / k) * Math.pow(previousError, beta2 / k);
        } else {
            f = safety * Math.pow(e, -1.0 / k);
        }
        if (accepted) {
            previousError = Math.max(MIN_PREVIOUS_ERROR, err);
        }
        final double max = accepted && lastRejected ? 1.0 : maxFactor;
        return Math.max(minFactor, Math.min(max, f));
    }

    @Override
    public void reset() {
        previousError = Double.NaN;
    }
}
