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
 * <p>{@link #cvode} is CVODE's estimate for methods that start at order 1 (BDF): the step whose local error
 * \( h^2 \|y''\|/2 \) is about half the tolerance, with \( y'' \) from difference quotients along the
 * solution, iterated up to four times (A. C. Hindmarsh et al., CVODE's {@code cvHin}).
 *
 * @since 0.7
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

    /**
     * CVODE's starting step ({@code cvHin}): bounds \( h_{lb} = 100\, u \max(|t_0|, |t_0 + \mathrm{span}|) \) and
     * \( h_{ub} = \min(0.1\, \mathrm{span}, 1/\max_i(|f_{0,i}| / (0.1 |y_i| + \mathrm{atol}_i +
     * \mathrm{rtol}_i |y_i|))) \); from their geometric mean, up to four passes of \( h \leftarrow
     * \sqrt{2/\|\ddot y\|} \) (or \( \sqrt{h\, h_{ub}} \) while that is smaller) with
     * \( \ddot y \approx (f(t_0 + h, y_0 + h f_0) - f_0)/h \) in the weighted RMS norm, stopping once two passes
     * agree within a factor 2; the result is half of it, within the bounds. A trial evaluation that is not finite
     * shrinks the trial step by 5 (up to four times).
     *
     * @param t     start time
     * @param y     state at t (not modified)
     * @param f0    f(t, y), already evaluated (not modified)
     * @param span  distance to the first output or end time (positive; an infinite span bounds nothing)
     * @param atol  absolute tolerances per element
     * @param rtol  relative tolerances per element
     * @param f     the right-hand side (called one to sixteen times, usually two to three)
     * @param yWork work array of the state's length (overwritten)
     * @param fWork work array of the state's length (overwritten)
     * @return the first step, or NaN if no finite estimate exists (f0 = 0 with an infinite span)
     */
    public static double cvode(final double t, final double[] y, final double[] f0, final double span,
                               final double[] atol, final double[] rtol, final Derivatives f, final double[] yWork,
                               final double[] fWork) {
        final int n = y.length;
        final double hlb = 100.0 * Math.ulp(1.0) * Math.max(Math.abs(t), Math.abs(t + span));
        double hubInv = 0.0;
        for (int i = 0; i < n; i++) {
            final double bound = 0.1 * Math.abs(y[i]) + atol[i] + rtol[i] * Math.abs(y[i]);
            hubInv = Math.max(hubInv, Math.abs(f0[i]) / bound);
        }
        double hub = 0.1 * span;
        if (hub * hubInv > 1.0) {
            hub = 1.0 / hubInv;
        }
        if (!(hub < Double.POSITIVE_INFINITY)) {
            return Double.NaN;
        }
        double hg = Math.sqrt(hlb * hub);
        if (hub < hlb) {
            return hg;
        }
        boolean hnewOk = false;
        double hs = hg;
        double hnew = hg;
        for (int pass = 1; pass <= 4; pass++) {
            double yddnrm = Double.NaN;
            boolean hgOk = false;
            for (int trial = 1; trial <= 4; trial++) {
                yddnrm = secondDerivativeNorm(t, y, f0, hg, atol, rtol, f, yWork, fWork);
                if (Double.isFinite(yddnrm)) {
                    hgOk = true;
                    break;
                }
                hg *= 0.2;
            }
            if (!hgOk) {
                hnew = hs;
                break;
            }
            hs = hg;
            if (hnewOk || pass == 4) {
                hnew = hg;
                break;
            }
            hnew = yddnrm * hub * hub > 2.0 ? Math.sqrt(2.0 / yddnrm) : Math.sqrt(hg * hub);
            final double hrat = hnew / hg;
            if (hrat > 0.5 && hrat < 2.0) {
                hnewOk = true;
            }
            if (pass > 1 && hrat > 2.0) {
                hnew = hg;
                hnewOk = true;
            }
            hg = hnew;
        }
        return Math.min(hub, Math.max(hlb, 0.5 * hnew));
    }

    /** \( \|(f(t + h, y + h f_0) - f_0)/h\| \) in the weighted RMS norm of y. */
    private static double secondDerivativeNorm(final double t, final double[] y, final double[] f0, final double h,
                                               final double[] atol, final double[] rtol, final Derivatives f,
                                               final double[] yWork, final double[] fWork) {
        final int n = y.length;
        for (int i = 0; i < n; i++) {
            yWork[i] = y[i] + h * f0[i];
        }
        f.evaluate(t + h, yWork, fWork);
        double sum = 0.0;
        for (int i = 0; i < n; i++) {
            final double w = (fWork[i] - f0[i]) / h / (rtol[i] * Math.abs(y[i]) + atol[i]);
            sum += w * w;
        }
        return Math.sqrt(sum / n);
    }
}
