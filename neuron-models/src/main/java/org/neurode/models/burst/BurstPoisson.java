package org.neurode.models.burst;

import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;

/**
 * The simplified two-compartment "BurstPoisson" pyramidal neuron of Payeur, Guerguiev, Zenke, Richards &amp; Naud
 * 2021 (Burst-dependent synaptic plasticity can coordinate learning in hierarchical circuits, Nat. Neurosci.
 * 24:1010; {@code BurstPoissonGroup} of their simulation code, the neuron of their XOR network, Fig. 4), its
 * event/burst classification and the burst-dependent plasticity of their spiking network, written as model-file
 * text (the model language; nothing here is a hand-written simulation loop). Each method returns lines for one
 * population or projection; {@link #parameters()} once, then populations, then projections, make a model file that
 * {@code ModelFile.parse} compiles.
 *
 * <p>Units (the model is unit-free; these are the units its numbers are in): time ms, potentials mV, currents pA,
 * capacitances pF, conductances relative to the leak (dimensionless), rates and the traces {@code E}, {@code B},
 * {@code R} in Hz, dendritic adaptation {@code wd} in mV.
 *
 * <p>The neuron of population {@code P} (every name is prefixed {@code P_}):
 * <pre>
 * dvs/dt = ((EL - vs) + gas (EE - vs) + ggs (EI - vs)) / taus + (bw ws + Is) / Cs
 * dvd/dt = ((EL - vd) + gad (EE - vs) + ggd (EI - vs)) / taud + (aw wd + Id) / Cd    (driving force: vs, as the code)
 * dws/dt = -ws / tauws        dwd/dt = ((vd - EL) - wd) / tauwd       dth/dt = (ET - th) / tauth
 * dg/dt = -g / tau_syn (AMPA 5 ms, GABA 10 ms)       p = sigmoid((vd - EDp) / D)
 * event spike:  vs &gt; th and t &gt;= tref  reset vs = EL; th += 2; ws += 1; tref = t + 20;
 *                                              tb = where(rand() &lt; p, t + 5 + 10 rand(), 1e9)
 * event second: t &gt;= tb                  reset tb = 1e9; tref = t + 20
 * </pre>
 * The absolute refractory period is a state {@code tref} (the end of the period) that both spikes set, because the
 * second spike of a burst restarts the period of the first kind without being blocked by it; the membrane is not
 * clamped while refractory (only spiking is blocked). The second spike is scheduled by a draw in the first's reset
 * and fires unconditionally, without reset, threshold or adaptation jump: a burst is exactly two spikes 5 to 15 ms
 * apart. Both kinds are checked at step ends (Auryn's clock, {@code auto} on a fixed-step solver).
 *
 * <p>Classification (Payeur et al.'s {@code BurstRateMonitor} and {@code BCPConnection}): a trace {@code x}
 * (tau 16 ms, +1 after the check) at each spike of either kind; a spike with x &lt; 1/e is an event, one with x &gt;
 * 1/e while the neuron is in its event state a burst (which puts it in its burst state), others are neither.
 * The reset of each spike writes the class into {@code cls} (1 event, 2 burst, 0 neither); the events
 * {@code P_event}, {@code P_burst} and {@code P_ebc} (either) fire at the next step end, so they lag the spike by
 * one step (0.1 ms). They update the plasticity traces: {@code E} and {@code B} (event and burst rates, tau_avg =
 * 2 s, normalised to Hz), {@code Epre} (the unnormalised presynaptic event trace, tau 100 ms), and at every spike
 * {@code R} (all spikes, 30 s, in Hz, starting at 0.1 Hz).
 *
 * @since 0.6
 */
public final class BurstPoisson {

    /** Threshold of the classification trace: 1/e (Payeur et al.'s 16-ms burst window). */
    static final double XC = Math.exp(-1.0);

    private BurstPoisson() {
    }

    /**
     * The background of a population: its own Poisson inputs onto each neuron's soma (excitatory and inhibitory, at
     * one rate) and dendrite (both at another rate), weights relative to the leak conductance.
     *
     * @param somaRate     rate of each somatic input (Hz)
     * @param somaExc      weight of the somatic excitatory input (AMPA)
     * @param somaInh      weight of the somatic inhibitory input (GABA)
     * @param dendriteRate rate of each dendritic input (Hz)
     * @param dendriteExc  weight of the dendritic excitatory input
     * @param dendriteInh  weight of the dendritic inhibitory input
     */
    public record Background(double somaRate, double somaExc, double somaInh, double dendriteRate,
                             double dendriteExc, double dendriteInh) {
        /** Input populations of the XOR network: 0.35 / 0.35 at 500 Hz, dendrite 0.05 / 0.05 at 500 Hz. */
        public static final Background INPUT = new Background(500, 0.35, 0.35, 500, 0.05, 0.05);
        /** Hidden populations: 0.385 / 0.49 at 150 Hz, dendrite 0.05 / 0.05 at 500 Hz. */
        public static final Background HIDDEN = new Background(150, 0.385, 0.49, 500, 0.05, 0.05);
        /** Output population: 0.35 / 0.35 at 150 Hz, dendrite 0.05 / 0.05 at 500 Hz. */
        public static final Background OUTPUT = new Background(150, 0.35, 0.35, 500, 0.05, 0.05);

        /**
         * @param somaRate     Hz
         * @param somaExc      weight
         * @param somaInh      weight
         * @param dendriteRate Hz
         * @param dendriteExc  weight
         * @param dendriteInh  weight
         */
        public Background {
            if (!(somaRate >= 0 && dendriteRate >= 0 && somaRate + dendriteRate > 0)) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "background: rates " + somaRate + " and "
                        + dendriteRate + " Hz must not be negative, and one must be positive");
            }
        }
    }

    /**
     * The shared constants (Payeur et al.'s Table of the two-compartment neuron, section "BurstPoisson" changes:
     * no soma-dendrite coupling, E_D' = -57 mV), the classification threshold and the plasticity constants.
     *
     * @return model-file lines
     */
    public static String parameters() {
        return String.join("\n",
                "parameter EL = -70", "parameter EE = 0", "parameter EI = -80", "parameter ET = -50",
                "parameter taus = 16", "parameter Cs = 370", "parameter bw = -200", "parameter tauws = 100",
                "parameter taud = 7", "parameter Cd = 170", "parameter aw = -13", "parameter tauwd = 30",
                "parameter tauth = 27", "parameter dth = 2", "parameter tauA = 5", "parameter tauG = 10",
                "parameter EDp = -57", "parameter DD = 6", "parameter tref = 20",
                "parameter taux = 16", "parameter xc = " + num(XC),
                "parameter tauavg = 2000", "parameter taupre = 100", "parameter tauhom = 30000",
                "parameter emin = 2", "parameter emax = 10", "parameter wmax = 1", "");
    }

    /**
     * One population of BurstPoisson neurons with its classification and plasticity traces: states {@code P_vs},
     * {@code P_vd}, {@code P_ws}, {@code P_wd}, {@code P_th}, conductances {@code P_gas}, {@code P_ggs},
     * {@code P_gad}, {@code P_ggd}, {@code P_tref}, {@code P_tb}, {@code P_x}, {@code P_mode}, {@code P_cls},
     * {@code P_E}, {@code P_B}, {@code P_Epre}, {@code P_R}; inputs {@code P_Is} and {@code P_Id} (somatic and
     * dendritic currents, pA) and {@code P_gate} (1 where the neuron's incoming plastic synapses learn); events
     * {@code P_spike}, {@code P_second}, {@code P_event}, {@code P_burst}, {@code P_ebc}.
     *
     * @param name            the population's name (an identifier)
     * @param n               its size
     * @param dendriteCurrent the constant dendritic current, the default of {@code P_Id} (pA)
     * @return model-file lines
     */
    public static String population(final String name, final int n, final double dendriteCurrent) {
        final String p = name + "_";
        final String classify = p + "cls = where(" + p + "x < xc, 1, where(" + p + "mode < 0.5, 2, 0)); "
                + p + "mode = where(" + p + "cls > 1.5, 1, where(" + p + "cls > 0.5, 0, " + p + "mode)); "
                + p + "x += 1; " + p + "R += 1000 / tauhom";
        final StringBuilder s = new StringBuilder();
        final String[][] states = {{"vs", "EL + 5 * randn()"}, {"vd", "EL"}, {"ws", "0"}, {"wd", "0.1"},
            {"th", "ET"}, {"gas", "0"}, {"ggs", "0"}, {"gad", "0"}, {"ggd", "0"}, {"tref", "-1e9"}, {"tb", "1e9"},
            {"x", "0"}, {"mode", "0"}, {"cls", "0"}, {"E", "0"}, {"B", "0"}, {"Epre", "0"}, {"R", "0.1"}};
        for (final String[] v : states) {
            s.append("state ").append(p).append(v[0]).append('[').append(n).append("] = ").append(v[1]).append('\n');
        }
        s.append("input ").append(p).append("Is[").append(n).append("] = 0\n");
        s.append("input ").append(p).append("Id[").append(n).append("] = ").append(num(dendriteCurrent)).append('\n');
        s.append("input ").append(p).append("gate[").append(n).append("] = 0\n");
        s.append("let ").append(p).append("p = sigmoid((").append(p).append("vd - EDp) / DD)\n");
        s.append(ode(p, "vs", "((EL - P_vs) + P_gas * (EE - P_vs) + P_ggs * (EI - P_vs)) / taus + (bw * P_ws + P_Is)"
                + " / Cs"));
        s.append(ode(p, "vd", "((EL - P_vd) + P_gad * (EE - P_vs) + P_ggd * (EI - P_vs)) / taud + (aw * P_wd + P_Id)"
                + " / Cd"));
        s.append(ode(p, "ws", "-P_ws / tauws")).append(ode(p, "wd", "((P_vd - EL) - P_wd) / tauwd"))
         .append(ode(p, "th", "(ET - P_th) / tauth"))
         .append(ode(p, "gas", "-P_gas / tauA")).append(ode(p, "ggs", "-P_ggs / tauG"))
         .append(ode(p, "gad", "-P_gad / tauA")).append(ode(p, "ggd", "-P_ggd / tauG"))
         .append(ode(p, "tref", "0 * P_tref")).append(ode(p, "tb", "0 * P_tb"))
         .append(ode(p, "x", "-P_x / taux")).append(ode(p, "mode", "0 * P_mode")).append(ode(p, "cls", "0 * P_cls"))
         .append(ode(p, "E", "-P_E / tauavg")).append(ode(p, "B", "-P_B / tauavg"))
         .append(ode(p, "Epre", "-P_Epre / taupre")).append(ode(p, "R", "-P_R / tauhom"));
        s.append("population ").append(name).append(' ').append(n).append(':');
        for (int k = 0; k < states.length; k++) {
            s.append(k == 0 ? " " : ", ").append(p).append(states[k][0]);
        }
        s.append(", ").append(p).append("Is, ").append(p).append("Id, ").append(p).append("gate\n");
        s.append(sub(p, "event P_spike: P_vs > P_th and t >= P_tref reset P_vs = EL; P_th += dth; P_ws += 1; "
                + "P_tref = t + tref; P_tb = where(rand() < P_p, t + 5 + 10 * rand(), 1e9); ")).append(classify)
         .append('\n');
        s.append(sub(p, "event P_second: t >= P_tb reset P_tb = 1e9; P_tref = t + tref; ")).append(classify)
         .append('\n');
        s.append(sub(p, "event P_event: P_cls > 0.5 and P_cls < 1.5 reset P_E += 1000 / tauavg; P_Epre += 1\n"));
        s.append(sub(p, "event P_burst: P_cls > 1.5 reset P_B += 1000 / tauavg\n"));
        s.append(sub(p, "event P_ebc: P_cls > 0.5 reset P_cls = 0\n"));
        return s.toString();
    }

    /**
     * The background of a population as in Payeur et al.'s code: four Poisson groups of N members (somatic
     * excitatory and inhibitory, dendritic excitatory and inhibitory), each member connected one-to-one to its
     * neuron. A group fires a member at most once per step, with probability rate x dt (Brian2's and Auryn's
     * PoissonGroup); one-rate groups draw only their spikes, so the four cost about as much as one group of the
     * summed rate.
     *
     * @param name the population's name
     * @param n    its size
     * @param bg   the rates and weights
     * @return model-file lines (Poisson groups {@code P_bgAS}, {@code P_bgGS}, {@code P_bgAD}, {@code P_bgGD} and
     *         one-to-one projections {@code P_bgAS_in} ... onto {@code gas}, {@code ggs}, {@code gad}, {@code ggd})
     */
    public static String background(final String name, final int n, final Background bg) {
        final String p = name + "_";
        final String[][] kinds = {{"AS", "gas", num(bg.somaRate() / 1000.0), num(bg.somaExc())},
            {"GS", "ggs", num(bg.somaRate() / 1000.0), num(bg.somaInh())},
            {"AD", "gad", num(bg.dendriteRate() / 1000.0), num(bg.dendriteExc())},
            {"GD", "ggd", num(bg.dendriteRate() / 1000.0), num(bg.dendriteInh())}};
        final StringBuilder s = new StringBuilder();
        for (final String[] k : kinds) {
            final String group = p + "bg" + k[0];
            s.append("population ").append(group).append(' ').append(n).append(" poisson ").append(k[2]).append('\n');
            s.append("projection ").append(group).append("_in: ").append(group).append(" -> ").append(name)
             .append(" connect one-to-one on_pre ").append(p).append(k[1]).append("_post += ").append(k[3])
             .append("\n");
        }
        return s.toString();
    }

    /**
     * Burst-dependent plasticity as implemented in Payeur et al.'s spiking network ({@code AdaptiveEBCPConnection}):
     * excitatory synapses onto the soma that transmit the source's events ({@code gas += w}), with weights in [0,
     * wmax], updated where the target's {@code gate} is 1:
     * <pre>
     * at a postsynaptic event: w = clip(w + eta (-min(B/E, 1) + h) Epre_pre, 0, wmax)
     * at a postsynaptic burst: w = clip(w + eta (1 + h) Epre_pre, 0, wmax)
     * h = -(E - emax) / E where E &gt; emax, else 0
     * at a presynaptic event:  w = clip(w + eta max(emin - R_post, 0), 0, wmax)
     * </pre>
     * with E, B the target's event and burst traces read before the event's own increment (statements run before
     * resets), and R the target's 30-s trace of all spikes (the code's {@code on_pre} is the base class's, so R is
     * not E: Payeur et al.'s code, kept). Both postsynaptic cases are one {@code on_post} on the target's
     * classified spikes ({@code P_ebc}) that reads the class.
     *
     * @param projection the projection's name
     * @param source     the source population
     * @param target     the target population
     * @param p          the connection probability
     * @param w0         the initial weight
     * @param eta        the learning rate
     * @return model-file lines (a parameter {@code projection_eta}, the projection and its weight {@code w})
     */
    public static String plastic(final String projection, final String source, final String target, final double p,
                                 final double w0, final double eta) {
        return plastic(projection, source, target, connect(p), w0, eta);
    }

    /**
     * {@link #plastic(String, String, String, double, double, double)} with any connection rule of the model
     * language.
     *
     * @param projection the projection's name
     * @param source     the source population
     * @param target     the target population
     * @param rule       the connection rule, e.g. {@code p = 0.2} or {@code all n = 2}
     * @param w0         the initial weight
     * @param eta        the learning rate
     * @return model-file lines
     */
    public static String plastic(final String projection, final String source, final String target, final String rule,
                                 final double w0, final double eta) {
        final String s = source + "_";
        final String q = target + "_";
        final String e = q + "E_post";
        final String gate = q + "gate_post";
        final String etaName = projection + "_eta";
        final String h = "where(" + e + " > emax, (emax - " + e + ") / " + e + ", 0)";
        return "parameter " + etaName + " = " + num(eta) + "\n"
                + "projection " + projection + ": " + source + " -> " + target + " on " + s + "event connect "
                + rule + " on_pre " + q + "gas_post += w; w = clip(w + " + etaName + " * " + gate + " * max(emin - "
                + q + "R_post, 0), 0, wmax) on_post w = clip(w + " + etaName + " * " + gate + " * (where(" + q
                + "cls_post > 1.5, 1, -min(" + q + "B_post / max(" + e + ", 1e-9), 1)) + " + h + ") * " + s
                + "Epre_pre, 0, wmax) post_event " + q + "ebc\n"
                + "synapse " + projection + ".w = " + num(w0) + "\n";
    }

    /**
     * Fixed synapses that transmit the source's events ({@code kind = "event"}) or bursts ({@code "burst"}) into a
     * conductance of the target ({@code gas}, {@code ggs}, {@code gad}, {@code ggd}).
     *
     * @param projection  the projection's name
     * @param source      the source population
     * @param kind        {@code event} or {@code burst}
     * @param target      the target population
     * @param conductance the target's conductance
     * @param p           the connection probability
     * @param w           the weight
     * @return model-file lines
     */
    public static String fixed(final String projection, final String source, final String kind, final String target,
                               final String conductance, final double p, final double w) {
        return fixed(projection, source, kind, target, conductance, connect(p), w);
    }

    /**
     * {@link #fixed(String, String, String, String, String, double, double)} with any connection rule.
     *
     * @param projection  the projection's name
     * @param source      the source population
     * @param kind        {@code event} or {@code burst}
     * @param target      the target population
     * @param conductance the target's conductance
     * @param rule        the connection rule, e.g. {@code p = 0.2} or {@code all n = 2}
     * @param w           the weight
     * @return model-file lines
     */
    public static String fixed(final String projection, final String source, final String kind, final String target,
                               final String conductance, final String rule, final double w) {
        if (!"event".equals(kind) && !"burst".equals(kind)) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "projection '" + projection + "': transmits 'event' "
                    + "or 'burst', not '" + kind + "'");
        }
        return "projection " + projection + ": " + source + " -> " + target + " on " + source + "_" + kind
                + " connect " + rule + " on_pre " + target + "_" + conductance + "_post += " + num(w) + "\n";
    }

    private static String connect(final double p) {
        return p >= 1.0 ? "all" : "p = " + num(p);
    }

    private static String ode(final String p, final String v, final String rhs) {
        return "d" + p + v + "/dt = " + sub(p, rhs) + "\n";
    }

    private static String sub(final String p, final String text) {
        return text.replace("P_", p);
    }

    static String num(final double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v).replace('E', 'e');
    }
}
