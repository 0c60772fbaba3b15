package org.neurode.models.burst;

import java.util.ArrayList;
import java.util.List;

import org.neurode.core.spec.EventSpec;
import org.neurode.core.spec.ExprText;
import org.neurode.core.spec.ModelSpec;
import org.neurode.core.spec.ParameterSpec;
import org.neurode.core.spec.PopulationSpec;
import org.neurode.core.spec.ValueSpec;
import org.neurode.core.spec.VariableSpec;

/**
 * The two-compartment pyramidal neuron of Payeur, Guerguiev, Zenke, Richards and Naud (2021, Nat. Neurosci.
 * 24:1010; {@code NaudGroup} of their simulator, after Naud and Sprekeler 2018, PNAS 115:E6329), written in the
 * model language: a soma with a moving threshold and spike-triggered adaptation, and an apical dendrite with a
 * regenerative (calcium) nonlinearity that, together with the current a somatic spike sends back into the
 * dendrite, turns single spikes into bursts when the dendrite is depolarised.
 *
 * <pre>
 *   dvs/dt = ((EL - vs) + gAS (EE - vs) + gGS (EI - vs)) / tauS + (bw ws + cs sig + Is) / Cs
 *   dvd/dt = ((EL - vd) + gAD (EE - vs) + gGD (EI - vs)) / tauD + (aw wd + cd sig + zeta [tbap &gt; 0.05] + Id) / Cd
 *   sig = sigmoid((vd - ED) / DD)
 *   dws/dt = -ws / tauWs          dwd/dt = ((vd - EL) - wd) / tauWd       dtheta/dt = (ET - theta) / tauTheta
 *   dtbap/dt = -1                 (the back-propagating spike current zeta flows for 2 ms after a spike)
 *   dg/dt = -g / tau_syn          for gAS, gAD (tauAMPA) and gGS, gGD (tauGABA); a synapse adds its weight
 *   spike when vs &gt; theta:  vs = EL; theta += dTheta; ws += 1; tbap = 2; then the burst detection
 * </pre>
 * Two quirks of the authors' code are kept: the dendritic synaptic currents use the <em>somatic</em> potential in
 * their driving force, and there is no refractory period (the moving threshold plays its part). NMDA is off, as in
 * all the paper's simulations. The back-propagating current is a clock variable {@code tbap} counting down from
 * 2 ms, on while it exceeds 0.05 ms: 20 steps of 0.1 ms, without depending on how the time adds up.
 *
 * <p>Variables of a population {@code P}: {@code P_vs}, {@code P_vd} (mV), {@code P_ws} (1), {@code P_wd} (mV),
 * {@code P_theta} (mV), {@code P_tbap} (ms), the conductances {@code P_gAS}, {@code P_gGS}, {@code P_gAD},
 * {@code P_gGD} (units of the leak conductance) and those of {@link BurstDetection}. Its spike event is named
 * {@code P}; its events and bursts {@code P_event} and {@code P_burst}.
 *
 * @since 0.6
 */
public final class BurstNeuron {

    /**
     * The constants of the neuron (the values of the authors' code in {@link #PAYEUR_2021}).
     *
     * @param eL       leak reversal and reset potential E_L (mV)
     * @param eE       excitatory (AMPA) reversal potential (mV)
     * @param eI       inhibitory (GABA) reversal potential (mV)
     * @param eT       resting value of the moving threshold E_T (mV)
     * @param tauTheta time constant of the moving threshold (ms)
     * @param dTheta   threshold increment per spike (mV)
     * @param tauS     somatic membrane time constant (ms)
     * @param cS       somatic capacitance (pF)
     * @param cs       drive of the dendritic nonlinearity onto the soma (pA)
     * @param tauWs    time constant of somatic adaptation (ms)
     * @param bw       somatic adaptation current per unit of w_s (pA; negative)
     * @param tauD     dendritic membrane time constant (ms)
     * @param cD       dendritic capacitance (pF)
     * @param cd       regenerative drive of the dendritic nonlinearity (pA)
     * @param tauWd    time constant of dendritic adaptation (ms)
     * @param aw       dendritic adaptation coupling (nS = pA/mV; negative)
     * @param zeta     back-propagating spike current (pA, for 2 ms after a spike)
     * @param eD       half-activation potential of the dendritic nonlinearity (mV)
     * @param dD       slope of the dendritic nonlinearity (mV)
     * @param tauAmpa  AMPA conductance decay (ms)
     * @param tauGaba  GABA conductance decay (ms)
     */
    public record Parameters(double eL, double eE, double eI, double eT, double tauTheta, double dTheta, double tauS,
                             double cS, double cs, double tauWs, double bw, double tauD, double cD, double cd,
                             double tauWd, double aw, double zeta, double eD, double dD, double tauAmpa,
                             double tauGaba) {
    }

    /** The constants of the authors' {@code NaudGroup} (Payeur et al. 2021). */
    public static final Parameters PAYEUR_2021 = new Parameters(-70, 0, -80, -50, 27, 2, 16, 370, 1300, 100, -200, 7,
            170, 1200, 30, -13, 2600, -38, 6, 5, 10);

    /** Duration of the back-propagating spike current, ms. */
    public static final double BAP_MS = 2.0;

    private BurstNeuron() {
    }

    /**
     * The constants as scalar parameters (declare once per model): {@code EL EE EI ET tauTheta dTheta tauS Cs cs
     * tauWs bw tauD Cd cd tauWd aw zeta ED DD tauAMPA tauGABA}. {@code EE}, {@code EI}, {@code tauAMPA} and
     * {@code tauGABA} are also used by {@link Interneuron}.
     *
     * @param c the constants
     * @return a fragment
     */
    public static ModelSpec parameters(final Parameters c) {
        return ModelSpec.fragment("burst neuron constants")
                .withParameter(ParameterSpec.scalar("EL", c.eL()))
                .withParameter(ParameterSpec.scalar("EE", c.eE()))
                .withParameter(ParameterSpec.scalar("EI", c.eI()))
                .withParameter(ParameterSpec.scalar("ET", c.eT()))
                .withParameter(ParameterSpec.scalar("tauTheta", c.tauTheta()))
                .withParameter(ParameterSpec.scalar("dTheta", c.dTheta()))
                .withParameter(ParameterSpec.scalar("tauS", c.tauS()))
                .withParameter(ParameterSpec.scalar("Cs", c.cS()))
                .withParameter(ParameterSpec.scalar("cs", c.cs()))
                .withParameter(ParameterSpec.scalar("tauWs", c.tauWs()))
                .withParameter(ParameterSpec.scalar("bw", c.bw()))
                .withParameter(ParameterSpec.scalar("tauD", c.tauD()))
                .withParameter(ParameterSpec.scalar("Cd", c.cD()))
                .withParameter(ParameterSpec.scalar("cd", c.cd()))
                .withParameter(ParameterSpec.scalar("tauWd", c.tauWd()))
                .withParameter(ParameterSpec.scalar("aw", c.aw()))
                .withParameter(ParameterSpec.scalar("zeta", c.zeta()))
                .withParameter(ParameterSpec.scalar("ED", c.eD()))
                .withParameter(ParameterSpec.scalar("DD", c.dD()))
                .withParameter(ParameterSpec.scalar("tauAMPA", c.tauAmpa()))
                .withParameter(ParameterSpec.scalar("tauGABA", c.tauGaba()));
    }

    /**
     * A population of burst neurons: its variables, equations, spike event, burst detection and population.
     *
     * @param name        the population's name (the prefix of its variables and the name of its spike event)
     * @param n           members
     * @param somatic     the injected somatic current I_s (pA), an expression of {@code t}, parameters, {@code i}
     * @param dendritic   the injected dendritic current I_d (pA), likewise
     * @param initialVs   the initial somatic potential (mV), a value expression ({@code -70 + 5 * randn()})
     * @param extraReset  statements appended to the spike's reset (short-term plasticity of its synapses), or
     *                    {@code ""}
     * @param extraVars   further variables of the population (declared before by the caller), listed in it
     * @return a fragment; it needs {@link #parameters} declared before
     */
    public static ModelSpec population(final String name, final int n, final String somatic, final String dendritic,
                                       final String initialVs, final String extraReset,
                                       final List<String> extraVars) {
        final String p = name + "_";
        final String vs = p + "vs";
        final String vd = p + "vd";
        final List<String> vars = new ArrayList<>(List.of(vs, vd, p + "ws", p + "wd", p + "theta", p + "tbap",
                p + "gAS", p + "gGS", p + "gAD", p + "gGD"));
        final java.util.Map<String, ValueSpec> initial = java.util.Map.of(
                vs, new ValueSpec.Expression(ExprText.parse(initialVs)),
                vd, new ValueSpec.Expression(ExprText.parse("EL")),
                p + "wd", ValueSpec.Values.of(1e-4),
                p + "theta", new ValueSpec.Expression(ExprText.parse("ET")));
        ModelSpec f = ModelSpec.fragment("burst neurons " + name);
        for (final String v : vars) {
            final ValueSpec v0 = initial.get(v);
            f = f.withVariable(v0 == null ? VariableSpec.state(v, n, 1, "")
                    : VariableSpec.state(v, n, 1, "").withInitial(v0));
        }
        final String sig = p + "sig";
        f = f.withLet(sig, "sigmoid((" + vd + " - ED) / DD)")
                .withEquation(vs, "((EL - " + vs + ") + " + p + "gAS * (EE - " + vs + ") + " + p + "gGS * (EI - " + vs
                        + ")) / tauS + (bw * " + p + "ws + cs * " + sig + " + (" + somatic + ")) / Cs")
                .withEquation(vd, "((EL - " + vd + ") + " + p + "gAD * (EE - " + vs + ") + " + p + "gGD * (EI - " + vs
                        + ")) / tauD + (aw * " + p + "wd + cd * " + sig + " + zeta * (" + p + "tbap > 0.05) + ("
                        + dendritic + ")) / Cd")
                .withEquation(p + "ws", "-" + p + "ws / tauWs")
                .withEquation(p + "wd", "((" + vd + " - EL) - " + p + "wd) / tauWd")
                .withEquation(p + "theta", "(ET - " + p + "theta) / tauTheta")
                .withEquation(p + "tbap", "-1 + 0 * " + p + "tbap")
                .withEquation(p + "gAS", "-" + p + "gAS / tauAMPA")
                .withEquation(p + "gAD", "-" + p + "gAD / tauAMPA")
                .withEquation(p + "gGS", "-" + p + "gGS / tauGABA")
                .withEquation(p + "gGD", "-" + p + "gGD / tauGABA");
        f = f.plus(BurstDetection.fragment(name, n));
        String reset = vs + " = EL; " + p + "theta += dTheta; " + p + "ws += 1; " + p + "tbap = " + BAP_MS + "; "
                + BurstDetection.onSpike(name);
        if (!extraReset.isBlank()) {
            reset += "; " + extraReset;
        }
        f = f.withEvent(EventSpec.of(name, vs + " > " + p + "theta", reset));
        final List<String> all = new ArrayList<>(vars);
        all.addAll(BurstDetection.variables(name));
        all.addAll(extraVars);
        return f.withPopulation(new PopulationSpec(name, n, all));
    }
}
