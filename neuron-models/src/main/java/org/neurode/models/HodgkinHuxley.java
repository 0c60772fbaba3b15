package org.neurode.models;

import org.neurode.core.Model;
import org.neurode.core.expr.ModelBuilder;
import org.neurode.core.expr.Var;

/**
 * The Hodgkin-Huxley squid giant axon (Hodgkin and Huxley 1952, J. Physiol. 117:500), in the modern
 * convention of a resting potential near -65 mV (Dayan and Abbott 2001, sec. 5.6; Gerstner et al.,
 * Neuronal Dynamics, table 2.1) at 6.3 degrees C:
 * <pre>
 *   C dV/dt = I - gNa m^3 h (V - ENa) - gK n^4 (V - EK) - gL (V - EL)
 *   dx/dt   = alpha_x(V) (1 - x) - beta_x(V) x,   x = m, h, n
 *   alpha_m = 0.1 (V + 40) / (1 - exp(-(V + 40)/10)) = 1 / exprel(-(V + 40)/10)
 *   beta_m  = 4 exp(-(V + 65)/18)
 *   alpha_h = 0.07 exp(-(V + 65)/20),   beta_h = 1 / (1 + exp(-(V + 35)/10))
 *   alpha_n = 0.01 (V + 55) / (1 - exp(-(V + 55)/10)) = 0.1 / exprel(-(V + 55)/10)
 *   beta_n  = 0.125 exp(-(V + 65)/80)
 * </pre>
 * gNa = 120, gK = 36, gL = 0.3 mS/cm^2; ENa = 50, EK = -77, EL = -54.387 mV; C = 1 uF/cm^2; rates in 1/ms;
 * I in uA/cm^2. The {@code exprel} form removes the 0/0 of the textbook rates at V = -40 and -55 mV.
 * A population of {@code n} independent axons, each with its own injected current (input {@code I}); with
 * I = 10 uA/cm^2 the axon fires periodically, which makes a mildly stiff, strongly nonlinear test problem
 * for the solver comparison.
 *
 * @since 0.1
 */
public final class HodgkinHuxley {

    /** Resting potential of the model with I = 0 (mV), the usual initial condition. */
    public static final double V_REST = -65.0;

    private HodgkinHuxley() {
    }

    /**
     * @param n        number of independent axons
     * @param currents injected current of each (uA/cm^2; length n)
     * @return the model: state V (mV), m, h, n (gating variables), input I; starts at rest with the gates
     *         at their steady-state values for V = -65 mV
     */
    public static Model create(final int n, final double... currents) {
        if (currents.length != n) {
            throw new IllegalArgumentException("currents has " + currents.length + " values but n = " + n);
        }
        final ModelBuilder b = ModelBuilder.named("hodgkin-huxley");
        final Var current = b.input("I", n, "uA/cm^2");
        final Var v = b.vector("V", n, "mV");
        final Var m = b.vector("m", n, "1");
        final Var h = b.vector("h", n, "1");
        final Var k = b.vector("n", n, "1");
        b.param("C", 1.0);
        b.param("gNa", 120.0);
        b.param("gK", 36.0);
        b.param("gL", 0.3);
        b.param("ENa", 50.0);
        b.param("EK", -77.0);
        b.param("EL", -54.387);
        b.let("alpha_m", "1 / exprel(-(V + 40) / 10)");
        b.let("beta_m", "4 * exp(-(V + 65) / 18)");
        b.let("alpha_h", "0.07 * exp(-(V + 65) / 20)");
        b.let("beta_h", "1 / (1 + exp(-(V + 35) / 10))");
        b.let("alpha_n", "0.1 / exprel(-(V + 55) / 10)");
        b.let("beta_n", "0.125 * exp(-(V + 65) / 80)");
        b.ode(v, "(I - gNa * m^3 * h * (V - ENa) - gK * n^4 * (V - EK) - gL * (V - EL)) / C");
        b.ode(m, "alpha_m * (1 - m) - beta_m * m");
        b.ode(h, "alpha_h * (1 - h) - beta_h * h");
        b.ode(k, "alpha_n * (1 - n) - beta_n * n");
        b.initial(current, currents.clone());
        b.initial(v, V_REST);
        b.initial(m, steadyState(1.0 / exprel(-(V_REST + 40) / 10), 4 * Math.exp(-(V_REST + 65) / 18)));
        b.initial(h, steadyState(0.07 * Math.exp(-(V_REST + 65) / 20), 1 / (1 + Math.exp(-(V_REST + 35) / 10))));
        b.initial(k, steadyState(0.1 / exprel(-(V_REST + 55) / 10), 0.125 * Math.exp(-(V_REST + 65) / 80)));
        b.scale(v, 10.0);
        return b.build();
    }

    private static double steadyState(final double alpha, final double beta) {
        return alpha / (alpha + beta);
    }

    private static double exprel(final double x) {
        return x == 0.0 ? 1.0 : Math.expm1(x) / x;
    }
}
