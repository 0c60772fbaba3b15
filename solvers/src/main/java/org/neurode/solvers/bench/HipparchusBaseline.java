package org.neurode.solvers.bench;

import org.hipparchus.ode.ODEIntegrator;
import org.hipparchus.ode.ODEState;
import org.hipparchus.ode.ODEStateAndDerivative;
import org.hipparchus.ode.OrdinaryDifferentialEquation;
import org.hipparchus.ode.nonstiff.DormandPrince54Integrator;
import org.hipparchus.ode.nonstiff.DormandPrince853Integrator;
import org.neurode.core.Equation;
import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;

/**
 * Benchmark support: integrates an {@link Equation} with a Hipparchus integrator called directly, the
 * baseline against which the cost of neurode's solver layer is measured ({@code neurode bench overhead}).
 * The adapter is the minimal one Hipparchus needs: a fresh derivative array per call.
 *
 * @since 0.1
 */
public final class HipparchusBaseline {

    private HipparchusBaseline() {
    }

    /** Integrators available as baseline. */
    public enum Method {
        /** Dormand-Prince 5(4). */
        DORMAND_PRINCE_54,
        /** Dormand-Prince 8(5,3). */
        DORMAND_PRINCE_853
    }

    /**
     * Integrates directly with Hipparchus.
     *
     * @param method   the integrator
     * @param equation the equation (a fresh instance; not shared with other threads)
     * @param y0       initial state (not modified)
     * @param t0       start time
     * @param t1       end time
     * @param rtol     relative tolerance
     * @param atol     absolute tolerances per element (not modified)
     * @return the final state followed by one element: the number of evaluations Hipparchus counted
     */
    public static double[] integrate(final Method method, final Equation equation, final double[] y0,
                                     final double t0, final double t1, final double rtol, final double[] atol) {
        final int n = equation.dimension();
        if (y0.length != n || atol.length != n) {
            throw new OdeException(ErrorCode.DIMENSION_MISMATCH, "baseline initial state", n, y0.length);
        }
        final double[] rel = new double[n];
        java.util.Arrays.fill(rel, rtol);
        final ODEIntegrator integrator = method == Method.DORMAND_PRINCE_54
                ? new DormandPrince54Integrator(1e-12, Double.POSITIVE_INFINITY, atol, rel)
                : new DormandPrince853Integrator(1e-12, Double.POSITIVE_INFINITY, atol, rel);
        final OrdinaryDifferentialEquation ode = new OrdinaryDifferentialEquation() {
            @Override
            public int getDimension() {
                return n;
            }

            @Override
            public double[] computeDerivatives(final double t, final double[] y) {
                final double[] dydt = new double[n];
                equation.derivatives(t, y, dydt);
                return dydt;
            }
        };
        final ODEStateAndDerivative end = integrator.integrate(ode, new ODEState(t0, y0.clone()), t1);
        final double[] out = java.util.Arrays.copyOf(end.getPrimaryState(), n + 1);
        out[n] = integrator.getEvaluations();
        return out;
    }
}
