package org.neurode.solvers.adaptive;

/**
 * Gustafsson's predictive controller as in Hairer and Wanner's RODAS ({@code PRED = true}) and RADAU5: after
 * an accepted step the factor is the smaller of the elementary one \( s\, \mathrm{err}_n^{-1/(q+1)} \) and the
 * predictive one \( s\, (h_n / h_{n-1})\, (\mathrm{err}_{n-1} / \mathrm{err}_n^2)^{1/(q+1)} \), with
 * \( \mathrm{err}_{n-1} \ge 10^{-2} \); factors are bounded to \( [f_{min}, f_{max}] \); no growth right after a
 * rejection; \( f_{min} \) after a failed attempt. The predictive factor damps the step-size oscillations typical
 * of stiff problems and saves rejections (K. Gustafsson, "Control-theoretic techniques for stepsize selection in
 * implicit Runge-Kutta methods", ACM TOMS 20 (1994) 496-517; Hairer-Wanner II, Section IV.8). One instance per
 * simulation: it remembers the last accepted step, recorded when {@link #factor} is called for it.
 *
 * <p>The arithmetic is RODAS's (inverse factors, clipped, then inverted), so that results are bit-identical to
 * the controller that {@code rodas5p} and {@code rodas4} carried before it became an object.
 *
 * @since 0.7
 */
public final class PredictiveController implements StepController {

    private static final double MIN_PREVIOUS_ERROR = 1e-2;

    private final double safety;
    private final double minFactor;
    private final double maxFactor;
    /** The last accepted step and its error (floored at 1e-2); 0 without history. */
    private double previousH;
    private double previousError;

    /**
     * @param safety    safety factor in (0, 1]
     * @param minFactor smallest factor, in (0, 1)
     * @param maxFactor largest factor, above 1
     */
    public PredictiveController(final double safety, final double minFactor, final double maxFactor) {
        if (!(safety > 0.0 && safety <= 1.0) || !(minFactor > 0.0 && minFactor < 1.0) || !(maxFactor > 1.0)) {
            throw new IllegalArgumentException("need 0 < safety <= 1, 0 < minFactor < 1 < maxFactor: " + safety + ", "
                    + minFactor + ", " + maxFactor);
        }
        this.safety = safety;
        this.minFactor = minFactor;
        this.maxFactor = maxFactor;
    }

    /** @return RODAS's settings: safety 0.9, factors within [0.2, 6] */
    public static PredictiveController rodas() {
        return new PredictiveController(0.9, 0.2, 6.0);
    }

    @Override
    public double factor(final double h, final double err, final int order, final boolean accepted,
                         final boolean lastRejected) {
        if (!(err < Double.POSITIVE_INFINITY)) {
            return minFactor;
        }
        final double exponent = 1.0 / (order + 1);
        // inverse factors, as in RODAS: h_new = h / fac
        double fac = clampInverse(Math.pow(err, exponent) / safety);
        if (!accepted) {
            return 1.0 / fac;
        }
        if (previousH > 0.0 && h > 0.0) {
            fac = Math.max(fac, predictiveInverse(previousH, h, err, previousError, exponent));
        }
        previousH = h;
        previousError = Math.max(MIN_PREVIOUS_ERROR, err);
        final double factor = 1.0 / fac;
        return lastRejected ? Math.min(1.0, factor) : factor;
    }

    /**
     * Gustafsson's predictive inverse factor, clipped: \( (h_{n-1}/h_n) (\mathrm{err}_n^2/\mathrm{err}_{n-1})^{e}
     * / s \).
     *
     * @param hPrevious   the accepted step before
     * @param h           the step just accepted
     * @param err         its error
     * @param errPrevious the error of the step before (floored)
     * @param exponent    \( 1/(q+1) \)
     * @return the inverse factor within \( [1/f_{max}, 1/f_{min}] \)
     */
    double predictiveInverse(final double hPrevious, final double h, final double err, final double errPrevious,
                             final double exponent) {
        return clampInverse(hPrevious / h * Math.pow(err * err / errPrevious, exponent) / safety);
    }

    private double clampInverse(final double fac) {
        // NaN and 0 map to the bounds: NaN to the smallest step, 0 to the largest growth
        if (Double.isNaN(fac)) {
            return 1.0 / minFactor;
        }
        return Math.max(1.0 / maxFactor, Math.min(1.0 / minFactor, fac));
    }

    @Override
    public void reset() {
        previousH = 0.0;
        previousError = 0.0;
    }
}
