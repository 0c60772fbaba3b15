package org.neurode.solvers.adaptive;

/**
 * Hairer's starting-step algorithm (Hairer, Nørsett and Wanner, <i>Solving ODEs I</i>, 2nd ed., Section II.4,
 * and their codes DOPRI5 and DOP853), in one place for every driver: with the scale
 * \( sc_i = atol_i + rtol_i |y_{0,i}| \) and the RMS norm,
 * \( d_0 = \|y_0\|, d_1 = \|f_0\| \); \( h_0 = 0.01\, d_0/d_1 \) (\( 10^{-6} \) if either is below
 * \( 10^{-5} \)), bounded by the maximum step; one explicit Euler step of size \( h_0 \) and
 * \( d_2 = \|f(t_0 + h_0, y_0 + h_0 f_0) - f_0\| / h_0 \);
 * \( h_1 = (0.01 / \max(d_1, d_2))^{1/(q+1)} \) (or \( \max(10^{-6}, 10^{-3} h_0) \) if that maximum is not above
 * \( 10^{-15} \) or not finite); the result is \( \min(100 h_0, h_1) \), \( 10^{-6} \) if that is not a positive
 * finite number, bounded by the maximum step. One evaluation of f (the caller supplies \( f_0 \)); no allocation.
 *
 * @since 0.2
 */
public final class StartingStep {

    /** A right-hand side for the trial evaluation. */
    @FunctionalInterface
    public interface Derivatives {
        /**
         * @param t    time
         * @param y    state (not modified)
         * @param dydt derivatives (modified)
         */
        void evaluate(double t, double[] y, double[] dydt);
    }

    private StartingStep() {
    }

    /**
     * @param t       start time
     * @param y       state at t (not modified)
     * @param f0      f(t, y), already evaluated (not modified)
     * @param order   the method's control order q
     * @param maxStep upper bound (+Infinity for none)
     * @param atol    absolute tolerances per element
     * @param rtol    relative tolerances per element
     * @param f       the right-hand side (called once)
     * @param yWork   work array of the state's length (overwritten)
     * @param fWork   work array of the state's length (overwritten)
     * @return the first step to try
     */
    public static double hairer(final double t, final double[] y, final double[] f0, final int order,
                                final double maxStep, final double[] atol, final double[] rtol, final Derivatives f,
                                final double[] yWork, final double[] fWork) {
        final int n = y.length;
        double d0 = 0.0;
        double d1 = 0.0;
        for (int i = 0; i < n; i++) {
            final double sc = atol[i] + rtol[i] * Math.abs(y[i]);
            d0 += (y[i] / sc) * (y[i] / sc);
            d1 += (f0[i] / sc) * (f0[i] / sc);
        }
        d0 = Math.sqrt(d0 / n);
        d1 = Math.sqrt(d1 / n);
        double h0 = d0 < 1e-5 || d1 < 1e-5 ? 1e-6 : 0.01 * d0 / d1;
        h0 = Math.min(h0, maxStep);
        for (int i = 0; i < n; i++) {
            yWork[i] = y[i] + h0 * f0[i];
        }
        f.evaluate(t + h0, yWork, fWork);
        double d2 = 0.0;
        for (int i = 0; i < n; i++) {
            final double sc = atol[i] + rtol[i] * Math.abs(y[i]);
            final double r = (fWork[i] - f0[i]) / sc;
            d2 += r * r;
        }
        d2 = Math.sqrt(d2 / n) / h0;
        final double dMax = Math.max(d1, d2);
        final double h1 = dMax <= 1e-15 || !Double.isFinite(dMax) ? Math.max(1e-6, h0 * 1e-3)
                : Math.pow(0.01 / dMax, 1.0 / (order + 1));
        double h = Math.min(100 * h0, h1);
        if (!(h > 0) || !Double.isFinite(h)) {
            h = 1e-6;
        }
        return Math.min(h, maxStep);
    }
}
