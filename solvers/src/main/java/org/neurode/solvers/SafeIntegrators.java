package org.neurode.solvers;

import org.hipparchus.exception.MathIllegalStateException;
import org.hipparchus.linear.RealMatrix;
import org.hipparchus.ode.LocalizedODEFormats;
import org.hipparchus.ode.ODEStateAndDerivative;
import org.hipparchus.ode.nonstiff.AdaptiveStepsizeIntegrator;
import org.hipparchus.ode.nonstiff.AdamsBashforthIntegrator;
import org.hipparchus.ode.nonstiff.AdamsMoultonIntegrator;
import org.hipparchus.ode.nonstiff.DormandPrince54Integrator;
import org.hipparchus.ode.nonstiff.DormandPrince853Integrator;
import org.hipparchus.ode.nonstiff.ExplicitRungeKuttaIntegrator;
import org.hipparchus.ode.nonstiff.GraggBulirschStoerIntegrator;
import org.hipparchus.ode.nonstiff.HighamHall54Integrator;

/**
 * Hipparchus' adaptive integrators with a step-rejecting answer to non-finite error estimates.
 *
 * <p>Hipparchus 4.0 throws {@code NAN_APPEARING_DURING_INTEGRATION} as soon as an error estimate is NaN,
 * which happens whenever a trial step is too long for a stiff or singular right-hand side (Van der Pol
 * with \( \mu = 1000 \) fails near t = 0.08 with DP853). Here the protected error estimators are
 * overridden and every estimate goes through a {@link Monitor}, which counts rejected steps and turns
 * a NaN or infinite estimate into a large finite one: the step is rejected and retried with the
 * controller's largest reduction (factor 0.2), until it succeeds or falls below the minimum step
 * (then Hipparchus reports the underflow and the simulation names the culprit variable).
 *
 * <p>Hipparchus' starting step ({@code initializeStep}, also used after every restart) evaluates the
 * derivative one trial step ahead; if that is not finite its estimate is NaN, and a NaN step would reach
 * the error estimate with NaN stage times ("step NaN at t = NaN"). Every adaptive integrator here replaces
 * a non-finite or zero starting step by {@value #FALLBACK_STEP} (within the step bounds), as neurode's own
 * driver does, so that the trial steps shrink towards the first non-finite derivative and the
 * simulation names its variable and time.
 *
 * <p>Package-private: no Hipparchus type leaves the solvers package.
 */
final class SafeIntegrators {

    /** Starting step when Hipparchus' estimate is not finite (time unit of the model). */
    static final double FALLBACK_STEP = 1e-6;

    private SafeIntegrators() {
    }

    /**
     * @param integrator the integrator (its step bounds)
     * @param h          Hipparchus' signed starting step
     * @param forward    integration direction
     * @return h, or the fallback step if h is not finite or zero
     */
    static double finiteStart(final AdaptiveStepsizeIntegrator integrator, final double h, final boolean forward) {
        if (Double.isFinite(h) && h != 0.0) {
            return h;
        }
        final double fallback = Math.min(integrator.getMaxStep(), Math.max(integrator.getMinStep(), FALLBACK_STEP));
        return forward ? fallback : -fallback;
    }

    /** Receives every error estimate of a step attempt; returns the value the controller should use. */
    interface Monitor {

        /**
         * @param error    the method's estimate (NaN or infinite if the trial step overflowed)
         * @param method   the integrator (its {@code c} coefficients give the stage times)
         * @param start    step start time
         * @param h        trial step size
         * @param stages   stage derivatives (not modified)
         * @param y1       trial state at the step end (not modified)
         * @return a finite error ratio; 1 or more rejects the step
         */
        double rungeKutta(double error, ExplicitRungeKuttaIntegrator method, double start, double h,
                          double[][] stages, double[] y1);

        /**
         * @param error     the method's estimate (NaN or infinite if the trial step overflowed)
         * @param time      predicted step end time
         * @param scaled    step size times the derivative at the predicted state (not modified)
         * @param predicted predicted (for Adams-Moulton corrected) state (not modified)
         * @return a finite error ratio; 1 or more rejects the step
         */
        double adams(double error, double time, double[] scaled, double[] predicted);
    }

    /** Dormand-Prince 5(4) with rejection of non-finite estimates. */
    static final class DormandPrince54 extends DormandPrince54Integrator {
        private final Monitor monitor;

        DormandPrince54(final HipparchusSolvers.Settings s) {
            super(s.minStep(), s.maxStep(), s.absolute(), s.relative());
            this.monitor = s.monitor();
        }

        @Override
        public double initializeStep(final boolean forward, final int order, final double[] scale,
                                     final ODEStateAndDerivative state0) {
            return finiteStart(this, super.initializeStep(forward, order, scale, state0), forward);
        }

        @Override
        protected double estimateError(final double[][] yDotK, final double[] y0, final double[] y1, final double h) {
            return monitor.rungeKutta(super.estimateError(yDotK, y0, y1, h), this, getStepStart().getTime(), h,
                                      yDotK, y1);
        }
    }

    /** Dormand-Prince 8(5,3) with rejection of non-finite estimates. */
    static final class DormandPrince853 extends DormandPrince853Integrator {
        private final Monitor monitor;

        DormandPrince853(final HipparchusSolvers.Settings s) {
            super(s.minStep(), s.maxStep(), s.absolute(), s.relative());
            this.monitor = s.monitor();
        }

        @Override
        public double initializeStep(final boolean forward, final int order, final double[] scale,
                                     final ODEStateAndDerivative state0) {
            return finiteStart(this, super.initializeStep(forward, order, scale, state0), forward);
        }

        @Override
        protected double estimateError(final double[][] yDotK, final double[] y0, final double[] y1, final double h) {
            return monitor.rungeKutta(super.estimateError(yDotK, y0, y1, h), this, getStepStart().getTime(), h,
                                      yDotK, y1);
        }
    }

    /** Higham-Hall 5(4) with rejection of non-finite estimates. */
    static final class HighamHall54 extends HighamHall54Integrator {
        private final Monitor monitor;

        HighamHall54(final HipparchusSolvers.Settings s) {
            super(s.minStep(), s.maxStep(), s.absolute(), s.relative());
            this.monitor = s.monitor();
        }

        @Override
        public double initializeStep(final boolean forward, final int order, final double[] scale,
                                     final ODEStateAndDerivative state0) {
            return finiteStart(this, super.initializeStep(forward, order, scale, state0), forward);
        }

        @Override
        protected double estimateError(final double[][] yDotK, final double[] y0, final double[] y1, final double h) {
            return monitor.rungeKutta(super.estimateError(yDotK, y0, y1, h), this, getStepStart().getTime(), h,
                                      yDotK, y1);
        }
    }

    /** Adams-Bashforth with rejection of non-finite estimates. */
    static final class AdamsBashforth extends AdamsBashforthIntegrator {
        private final Monitor monitor;

        AdamsBashforth(final int steps, final HipparchusSolvers.Settings s) {
            super(steps, s.minStep(), s.maxStep(), s.absolute(), s.relative());
            this.monitor = s.monitor();
        }

        @Override
        protected double errorEstimation(final double[] previousState, final double predictedTime,
                                         final double[] predictedState, final double[] predictedScaled,
                                         final RealMatrix predictedNordsieck) {
            return monitor.adams(super.errorEstimation(previousState, predictedTime, predictedState, predictedScaled,
                                                       predictedNordsieck),
                                 predictedTime, predictedScaled, predictedState);
        }
    }

    /** Adams-Moulton with rejection of non-finite estimates. */
    static final class AdamsMoulton extends AdamsMoultonIntegrator {
        private final Monitor monitor;

        AdamsMoulton(final int steps, final HipparchusSolvers.Settings s) {
            super(steps, s.minStep(), s.maxStep(), s.absolute(), s.relative());
            this.monitor = s.monitor();
        }

        @Override
        protected double errorEstimation(final double[] previousState, final double predictedTime,
                                         final double[] predictedState, final double[] predictedScaled,
                                         final RealMatrix predictedNordsieck) {
            double error;
            try {
                error = super.errorEstimation(previousState, predictedTime, predictedState, predictedScaled,
                                              predictedNordsieck);
            } catch (MathIllegalStateException e) {
                // Adams-Moulton checks for NaN itself (its corrector is private): turn exactly that into a
                // rejection, let anything else through
                if (e.getSpecifier() != LocalizedODEFormats.NAN_APPEARING_DURING_INTEGRATION) {
                    throw e;
                }
                error = Double.NaN;
            }
            return monitor.adams(error, predictedTime, predictedScaled, predictedState);
        }
    }

    /** Gragg-Bulirsch-Stoer with a finite starting step (its NaN estimates are handled by the simulation). */
    static final class GraggBulirschStoer extends GraggBulirschStoerIntegrator {

        GraggBulirschStoer(final HipparchusSolvers.Settings s) {
            super(s.minStep(), s.maxStep(), s.absolute(), s.relative());
        }

        @Override
        public double initializeStep(final boolean forward, final int order, final double[] scale,
                                     final ODEStateAndDerivative state0) {
            return finiteStart(this, super.initializeStep(forward, order, scale, state0), forward);
        }
    }
}
