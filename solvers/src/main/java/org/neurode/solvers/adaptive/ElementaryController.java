package org.neurode.solvers.adaptive;

/**
 * The elementary (integral, I) controller
 * \( \mathrm{fac} = s\, \mathrm{err}^{-1/(q+1)} \) clipped to \( [f_{min}, f_{max}] \), with no growth right
 * after a rejection and \( f_{min} \) after a failed attempt (Hairer, Nørsett and Wanner, <i>Solving ODEs I</i>,
 * 2nd ed., Section II.4). No memory: one instance may serve any number of simulations.
 *
 * @since 0.7
 */
public final class ElementaryController implements StepController {

    /** Safety 0.9, factors within [0.2, 5]: the default of neurode's explicit pairs and neural ODEs. */
    public static final ElementaryController DEFAULT = new ElementaryController(0.9, 0.2, 5.0);

    private final double safety;
    private final double minFactor;
    private final double maxFactor;

    /**
     * @param safety    safety factor s in (0, 1]
     * @param minFactor smallest factor, in (0, 1)
     * @param maxFactor largest factor, above 1
     */
    public ElementaryController(final double safety, final double minFactor, final double maxFactor) {
        if (!(safety > 0.0 && safety <= 1.0) || !(minFactor > 0.0 && minFactor < 1.0) || !(maxFactor > 1.0)) {
            throw new IllegalArgumentException("need 0 < safety <= 1, 0 < minFactor < 1 < maxFactor: " + safety + ", "
                    + minFactor + ", " + maxFactor);
        }
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
        final double f = err == 0.0 ? maxFactor : safety * Math.pow(err, -1.0 / (order + 1));
        final double max = accepted && lastRejected ? 1.0 : maxFactor;
        return Math.max(minFactor, Math.min(max, f));
    }

    @Override
    public String toString() {
        return "ElementaryController[safety " + safety + ", factors " + minFactor + ".." + maxFactor + "]";
    }
}
