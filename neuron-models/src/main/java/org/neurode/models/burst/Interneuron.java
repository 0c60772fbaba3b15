package org.neurode.models.burst;

import java.util.ArrayList;
import java.util.List;

import org.neurode.core.spec.EquationSpec;
import org.neurode.core.spec.EventSpec;
import org.neurode.core.spec.ExprText;
import org.neurode.core.spec.ModelSpec;
import org.neurode.core.spec.ParameterSpec;
import org.neurode.core.spec.PopulationSpec;
import org.neurode.core.spec.ValueSpec;
import org.neurode.core.spec.VariableSpec;

/**
 * The adaptive exponential integrate-and-fire interneurons of Payeur, Guerguiev, Zenke, Richards and Naud (2021,
 * Nat. Neurosci. 24:1010; {@code AdExGroup} of their simulator; the AdEx model of Brette and Gerstner 2005,
 * J. Neurophysiol. 94:3637), written in the model language, with conductance-based synapses:
 * <pre>
 *   C dv/dt = -gL (v - EL) + gL DeltaT exp((v - VT) / DeltaT) - w + gL gE (EE - v) + gL gI (EI - v) + I
 *   tauW dw/dt = a (v - EL) - w           dgE/dt = -gE / tauAMPA      dgI/dt = -gI / tauGABA
 *   spike when v &gt; 0 mV:  v = Vreset; w += b; v held for tauRef
 * </pre>
 * The synaptic conductances are in units of the leak conductance gL, as in the pyramidal neurons
 * ({@link BurstNeuron}, whose {@code EE}, {@code EI}, {@code tauAMPA} and {@code tauGABA} these use). The threshold
 * VT is derived from the rheobase as the paper does ({@link #thresholdFromRheobase}).
 *
 * <p>Variables of a population {@code P}: {@code P_v} (mV), {@code P_w} (pA), {@code P_gE}, {@code P_gI}; its spike
 * event is named {@code P}. The constants are parameters named after the type ({@code PV_gL}, {@code SST_tauW}).
 *
 * @since 0.6
 */
public final class Interneuron {

    /**
     * An interneuron type.
     *
     * @param name     the type's name, the prefix of its parameters ({@code PV})
     * @param gL       leak conductance (nS)
     * @param c        capacitance (pF)
     * @param eL       leak reversal (mV)
     * @param deltaT   slope factor (mV)
     * @param a        subthreshold adaptation (nS)
     * @param b        spike-triggered adaptation (pA)
     * @param tauW     adaptation time constant (ms)
     * @param vReset   reset potential (mV)
     * @param tauRef   refractory period (ms), during which the potential is held
     * @param vT       threshold potential of the exponential term (mV)
     */
    public record Type(String name, double gL, double c, double eL, double deltaT, double a, double b, double tauW,
                       double vReset, double tauRef, double vT) {

        /**
         * The type as the authors' simulator ({@code AdExGroup} of their Auryn fork) actually integrates it, which the
         * Fig. 3 circuit reproduces: (1) during the refractory period the potential is clamped to E_L (the reset value
         * lasts one step, then every refractory step sets the potential to E_L), so the effective reset is E_L; (2) the
         * adaptation variable is subtracted from the potential's derivative in volts, not amperes, so b = 10 pA and
         * a = 0.5 nS move the potential by about 1e-11 V: adaptation is effectively off. VT is kept.
         *
         * @return the effective type: reset E_L, a = b = 0
         */
        public Type asIntegratedByAuryn() {
            return new Type(name, gL, c, eL, deltaT, 0, 0, tauW, eL, tauRef, vT);
        }
    }

    /**
     * The threshold VT from a rheobase, as Payeur et al. 2021 set it: {@code rheobase / gL + EL + DeltaT} without
     * adaptation, {@code rheobase / (gL + a) + EL + DeltaT - DeltaT ln(1 + a / gL)} with it.
     *
     * @param rheobase the rheobase (pA)
     * @param gL       leak conductance (nS)
     * @param eL       leak reversal (mV)
     * @param deltaT   slope factor (mV)
     * @param a        subthreshold adaptation (nS)
     * @return VT (mV)
     */
    public static double thresholdFromRheobase(final double rheobase, final double gL, final double eL,
                                               final double deltaT, final double a) {
        if (a == 0) {
            return rheobase / gL + eL + deltaT;
        }
        return rheobase / (gL + a) + eL + deltaT - deltaT * Math.log(1 + a / gL);
    }

    /** Parvalbumin-positive (fast-spiking, somatic inhibition) interneurons, rheobase 200 pA: VT = -48 mV. */
    public static final Type PV = new Type("PV", 10, 100, -70, 2, 0, 0, 5, -55, 1,
            thresholdFromRheobase(200, 10, -70, 2, 0));
    /** Somatostatin-positive (adapting, dendritic inhibition) interneurons, rheobase 25 pA: VT about -61.8 mV. */
    public static final Type SST = new Type("SST", 5, 100, -70, 4, 0.5, 10, 500, -65, 2,
            thresholdFromRheobase(25, 5, -70, 4, 0.5));

    private Interneuron() {
    }

    /**
     * The constants of a type as parameters {@code T_gL T_C T_EL T_DeltaT T_a T_b T_tauW T_Vr T_VT T_tref}.
     *
     * @param type the type
     * @return a fragment
     */
    public static ModelSpec parameters(final Type type) {
        final String t = type.name() + "_";
        return ModelSpec.fragment("interneuron constants " + type.name())
                .withParameter(ParameterSpec.scalar(t + "gL", type.gL()))
                .withParameter(ParameterSpec.scalar(t + "C", type.c()))
                .withParameter(ParameterSpec.scalar(t + "EL", type.eL()))
                .withParameter(ParameterSpec.scalar(t + "DeltaT", type.deltaT()))
                .withParameter(ParameterSpec.scalar(t + "a", type.a()))
                .withParameter(ParameterSpec.scalar(t + "b", type.b()))
                .withParameter(ParameterSpec.scalar(t + "tauW", type.tauW()))
                .withParameter(ParameterSpec.scalar(t + "Vr", type.vReset()))
                .withParameter(ParameterSpec.scalar(t + "VT", type.vT()))
                .withParameter(ParameterSpec.scalar(t + "tref", type.tauRef()));
    }

    /**
     * A population of interneurons of one type (its parameters declared before by {@link #parameters}).
     *
     * @param name       the population's name (prefix of its variables, name of its spike event)
     * @param type       the type
     * @param n          members
     * @param current    the injected current (pA), an expression of {@code t}, parameters and {@code i}
     * @param initialV   the initial potential (mV), a value expression ({@code -70 + 5 * randn()})
     * @param extraReset statements appended to the spike's reset (short-term plasticity), or {@code ""}
     * @param extraVars  further variables of the population (declared before by the caller)
     * @return a fragment
     */
    public static ModelSpec population(final String name, final Type type, final int n, final String current,
                                       final String initialV, final String extraReset, final List<String> extraVars) {
        final String p = name + "_";
        final String t = type.name() + "_";
        final String v = p + "v";
        final List<String> vars = new ArrayList<>(List.of(v, p + "w", p + "gE", p + "gI"));
        ModelSpec f = ModelSpec.fragment("interneurons " + name)
                .withVariable(VariableSpec.state(v, n, 1, "").withInitial(new ValueSpec.Expression(
                        ExprText.parse(initialV))))
                .withVariable(VariableSpec.state(p + "w", n, 1, ""))
                .withVariable(VariableSpec.state(p + "gE", n, 1, ""))
                .withVariable(VariableSpec.state(p + "gI", n, 1, ""));
        f = f.withEquation(new EquationSpec(v, ExprText.parse("(-" + t + "gL * (" + v + " - " + t + "EL) + " + t
                        + "gL * " + t + "DeltaT * exp((" + v + " - " + t + "VT) / " + t + "DeltaT) - " + p + "w + "
                        + t + "gL * " + p + "gE * (EE - " + v + ") + " + t + "gL * " + p + "gI * (EI - " + v
                        + ") + (" + current + ")) / " + t + "C")).withUnlessRefractory(true))
                .withEquation(p + "w", "(" + t + "a * (" + v + " - " + t + "EL) - " + p + "w) / " + t + "tauW")
                .withEquation(p + "gE", "-" + p + "gE / tauAMPA")
                .withEquation(p + "gI", "-" + p + "gI / tauGABA");
        String reset = v + " = " + t + "Vr; " + p + "w += " + t + "b";
        if (!extraReset.isBlank()) {
            reset += "; " + extraReset;
        }
        f = f.withEvent(EventSpec.of(name, v + " > 0", reset).withRefractory(t + "tref"));
        final List<String> all = new ArrayList<>(vars);
        all.addAll(extraVars);
        return f.withPopulation(new PopulationSpec(name, n, all));
    }
}
