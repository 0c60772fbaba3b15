package org.neurode.models;

import org.neurode.core.Model;
import java.util.Map;

import org.neurode.core.expr.ModelBuilder;
import org.neurode.core.spec.ExprSpec;
import org.neurode.core.spec.ModelSpec;
import org.neurode.core.spec.ParameterSpec;
import org.neurode.core.spec.ValueSpec;
import org.neurode.core.spec.VariableSpec;

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
 * for the solver comparison. The model is fragments: the membrane with its gates' variables
 * ({@link #membrane}) and the kinetics of each gate ({@link #gate}).
 *
 * @since 0.1
 */
public final class HodgkinHuxley {

    /** Resting potential of the model with I = 0 (mV), the usual initial condition. */
    public static final double V_REST = -65.0;

    /** The membrane current balance. */
    private static final ExprSpec MEMBRANE =
            ExprSpec.parse("(I - gNa * m^3 * h * (V - ENa) - gK * n^4 * (V - EK) - gL * (V - EL)) / C");
    private static final ExprSpec ALPHA_M = ExprSpec.parse("1 / exprel(-(V + 40) / 10)");
    private static final ExprSpec BETA_M = ExprSpec.parse("4 * exp(-(V + 65) / 18)");
    private static final ExprSpec ALPHA_H = ExprSpec.parse("0.07 * exp(-(V + 65) / 20)");
    private static final ExprSpec BETA_H = ExprSpec.parse("1 / (1 + exp(-(V + 35) / 10))");
    private static final ExprSpec ALPHA_N = ExprSpec.parse("0.1 / exprel(-(V + 55) / 10)");
    private static final ExprSpec BETA_N = ExprSpec.parse("0.125 * exp(-(V + 65) / 80)");
    /** First-order gate kinetics: dx/dt = alpha (1 - x) - beta x. */
    private static final ExprSpec KINETICS = ExprSpec.parse("alpha * (1 - x) - beta * x");

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
        return ModelBuilder.named("hodgkin-huxley")
                .add(membrane(n, currents))
                .add(gate("m", ALPHA_M, BETA_M))
                .add(gate("h", ALPHA_H, BETA_H))
                .add(gate("n", ALPHA_N, BETA_N))
                .build();
    }

    /**
     * The membrane: input current {@code I}, potential {@code V} (at rest, tolerance scale 10 mV), the gating
     * variables {@code m}, {@code h}, {@code n} (at their steady states at rest; their kinetics are the
     * {@link #gate} fragments), the conductances and reversal potentials, and the current balance.
     *
     * @param n        number of independent axons
     * @param currents injected current of each (uA/cm^2; length n)
     * @return the fragment
     * @since 0.3
     */
    public static ModelSpec membrane(final int n, final double... currents) {
        return ModelSpec.fragment("hodgkin-huxley membrane")
                .withVariable(VariableSpec.input("I", n, 1, "uA/cm^2").withInitial(new ValueSpec.Values(currents)))
                .withVariable(VariableSpec.state("V", n, 1, "mV").withInitial(ValueSpec.Values.of(V_REST))
                        .withScale(10.0))
                .withVariable(gateVariable("m", steadyState(1.0 / exprel(-(V_REST + 40) / 10),
                        4 * Math.exp(-(V_REST + 65) / 18)), n))
                .withVariable(gateVariable("h", steadyState(0.07 * Math.exp(-(V_REST + 65) / 20),
                        1 / (1 + Math.exp(-(V_REST + 35) / 10))), n))
                .withVariable(gateVariable("n", steadyState(0.1 / exprel(-(V_REST + 55) / 10),
                        0.125 * Math.exp(-(V_REST + 65) / 80)), n))
                .withParameter(ParameterSpec.scalar("C", 1.0))
                .withParameter(ParameterSpec.scalar("gNa", 120.0))
                .withParameter(ParameterSpec.scalar("gK", 36.0))
                .withParameter(ParameterSpec.scalar("gL", 0.3))
                .withParameter(ParameterSpec.scalar("ENa", 50.0))
                .withParameter(ParameterSpec.scalar("EK", -77.0))
                .withParameter(ParameterSpec.scalar("EL", -54.387))
                .withEquation("V", MEMBRANE);
    }

    private static VariableSpec gateVariable(final String name, final double initial, final int n) {
        return VariableSpec.state(name, n, 1, "1").withInitial(ValueSpec.Values.of(initial));
    }

    /**
     * The kinetics of a gate: its opening and closing rates as named subexpressions {@code alpha_<x>} and
     * {@code beta_<x>} of the potential {@code V}, and dx/dt = alpha_x (1 - x) - beta_x x.
     *
     * @param x     the gating variable (declared by the {@link #membrane})
     * @param alpha opening rate (1/ms)
     * @param beta  closing rate (1/ms)
     * @return the fragment
     * @since 0.3
     */
    public static ModelSpec gate(final String x, final ExprSpec alpha, final ExprSpec beta) {
        final String a = "alpha_" + x;
        final String b = "beta_" + x;
        return ModelSpec.fragment("gate " + x)
                .withLet(a, alpha)
                .withLet(b, beta)
                .withEquation(x, KINETICS.rename(Map.of("alpha", a, "beta", b, "x", x)));
    }

    private static double steadyState(final double alpha, final double beta) {
        return alpha / (alpha + beta);
    }

    private static double exprel(final double x) {
        return x == 0.0 ? 1.0 : Math.expm1(x) / x;
    }
}
