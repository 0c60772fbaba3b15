package org.neurode.models;

import java.util.ArrayList;
import java.util.List;

import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;
import org.neurode.core.spec.ExprText;
import org.neurode.core.spec.ModelSpec;
import org.neurode.core.spec.ParameterSpec;
import org.neurode.core.spec.ProjectionSpec;
import org.neurode.core.spec.StatementSpec;
import org.neurode.core.spec.SynapseVariableSpec;
import org.neurode.core.spec.ValueSpec;
import org.neurode.core.spec.VariableSpec;

/**
 * Short-term plasticity as a ready component written in the model language: the extended Tsodyks-Markram model
 * of Payeur, Guerguiev, Zenke, Richards &amp; Naud 2021 (Burst-dependent synaptic plasticity can coordinate
 * learning in hierarchical circuits, Nat. Neurosci. 24:1010; {@code STPeTMConnection} of their simulation code).
 *
 * <p>Each synapse keeps the available resources {@code x} and the release probability {@code u} (both
 * dimensionless), which relax between its presynaptic spikes as
 * <pre>
 *     dx/dt = (1 - x) / tau_D        du/dt = (U - u) / tau_F
 * </pre>
 * and start at {@code x = 1}, {@code u = U}. At a presynaptic spike, with the values just before it (relaxed up
 * to the spike time), the efficacy {@code w u x} is added to the target variable, then
 * {@code x <- x - u x} and {@code u <- u + f (1 - u)}. So the first spike of a rested synapse transmits
 * {@code w U}. Unlike the classic form (Tsodyks, Pawelzik &amp; Markram 1998; {@code
 * examples/models/tsodyks_markram.ode}), u relaxes to U rather than to 0 and is raised after the release, by
 * {@code f} instead of {@code U}.
 *
 * <p>In the model language the component is the projection's lines below (here for a projection {@code S} onto
 * a conductance {@code ge}); {@link #extended} writes them for any projection:
 * <pre>
 * parameter S_U = 0.9 unit 1
 * parameter S_tauD = 20 unit ms
 * parameter S_tauF = 1000 unit ms
 * parameter S_f = 0.1 unit 1
 * projection S: pre -> post connect all on_pre ge += w * u * x; x -= u * x; u += S_f * (1 - u)
 * synapse S.x = 1 unit 1
 * synapse S.u = S_U unit 1
 * synapse S.dx/dt = (1 - x) / S_tauD (event-driven) unit 1
 * synapse S.du/dt = (S_U - u) / S_tauF (event-driven) unit 1
 * </pre>
 * The two event-driven variables are brought up to date exactly ({@code X_inf + (X - X_inf) exp(-elapsed / tau)})
 * just before the statements run, so the result does not depend on the time step. Payeur et al. keep x and u per
 * presynaptic neuron; here they are per synapse, which gives the same values: every synapse of a source sees the
 * same spikes and nothing else changes them.
 *
 * <p>{@code examples/models/stp_payeur.ode} drives one synapse of each preset with a 20-Hz train.
 *
 * @since 0.5
 */
public final class ShortTermPlasticity {

    /**
     * The depressing preset of Payeur et al. 2021 (feedforward Pyr -&gt; Pyr and Pyr -&gt; PV synapses):
     * U = 0.9, tau_D = 20 ms, tau_F = 1 s, f = 0.1.
     */
    public static final Parameters STD = new Parameters(0.9, 20.0, 1000.0, 0.1);

    /**
     * The facilitating preset of Payeur et al. 2021 (feedback Pyr -&gt; Pyr synapses onto dendrites, Pyr -&gt;
     * SST): U = 0.02, tau_D = 100 ms, tau_F = 100 ms, f = 0.1.
     */
    public static final Parameters STF = new Parameters(0.02, 100.0, 100.0, 0.1);

    private ShortTermPlasticity() {
    }

    /**
     * The constants of the extended Tsodyks-Markram model.
     *
     * @param bigU the baseline release probability U, to which u relaxes, and u's initial value (0 &lt; U &lt;= 1)
     * @param tauD the recovery time constant of the resources x, tau_D (ms, positive)
     * @param tauF the relaxation time constant of u to U, tau_F (ms, positive)
     * @param f    the facilitation increment: u grows by f (1 - u) at each spike (0 &lt;= f &lt;= 1)
     */
    public record Parameters(double bigU, double tauD, double tauF, double f) {

        /**
         * @param bigU U
         * @param tauD tau_D (ms)
         * @param tauF tau_F (ms)
         * @param f    f
         */
        public Parameters {
            if (!(bigU > 0 && bigU <= 1)) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "short-term plasticity: U is " + bigU
                        + "; it must lie in (0, 1]");
            }
            if (!(tauD > 0) || Double.isInfinite(tauD) || !(tauF > 0) || Double.isInfinite(tauF)) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "short-term plasticity: tau_D = " + tauD
                        + " ms and tau_F = " + tauF + " ms must be positive and finite");
            }
            if (!(f >= 0 && f <= 1)) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "short-term plasticity: f is " + f
                        + "; it must lie in [0, 1]");
            }
        }
    }

    /**
     * The extended Tsodyks-Markram synapse with the weight {@code w} (a synapse variable of the projection or a
     * scalar parameter of the model): {@link #extended(ProjectionSpec, Parameters, String, String)
     * extended(projection, params, target, "w")}.
     *
     * @param projection the projection (its own statements run first)
     * @param params     the constants ({@link #STD}, {@link #STF} or others)
     * @param target     the variable of the target population that receives the efficacy ({@code ge})
     * @return a fragment for {@code ModelBuilder.add}: the parameters and the projection
     */
    public static ModelSpec extended(final ProjectionSpec projection, final Parameters params, final String target) {
        return extended(projection, params, target, "w");
    }

    /**
     * A fragment of a model ({@code ModelBuilder.add}) holding the four constants as parameters named after the
     * projection ({@code S_U}, {@code S_f} dimensionless; {@code S_tauD}, {@code S_tauF} in ms, so the model's time
     * unit must be ms: with units and another time unit the units check refuses the two equations, and a unit-free
     * model would read them in its own unit) and the projection with the event-driven synapse variables {@code x} and {@code u} (unit 1)
     * and, after its own {@code on_pre} statements, {@code TARGET += WEIGHT * u * x; x -= u * x;
     * u += S_f * (1 - u)}. The parameters can be changed per run like any other ({@code Model.withParameter}),
     * except the initial value of u, which is U as the model is built.
     *
     * @param projection the projection (its name, populations, connectivity, delay and other variables are kept;
     *                   it may not already have synapse variables named {@code x} or {@code u})
     * @param params     the constants
     * @param target     the variable of the target population that receives the efficacy ({@code ge},
     *                   {@code ge_post})
     * @param weight     the weight w as an expression of the statement language ({@code w}, {@code 0.5 * wmax},
     *                   {@code 1} for the released fraction u x itself), in the unit of {@code target}
     * @return the fragment
     * @throws OdeException if the projection already has {@code x} or {@code u}, or the weight is not an expression
     */
    public static ModelSpec extended(final ProjectionSpec projection, final Parameters params, final String target,
                                     final String weight) {
        final String s = projection.name();
        for (final SynapseVariableSpec v : projection.variables()) {
            if ("x".equals(v.name()) || "u".equals(v.name())) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "projection '" + s + "': short-term plasticity "
                        + "adds the synapse variables x and u, and the projection already has '" + v.name() + "'");
            }
        }
        final String bigU = s + "_U";
        final String tauD = s + "_tauD";
        final String tauF = s + "_tauF";
        final String f = s + "_f";
        final String w = ExprText.parse(weight).text();
        final List<SynapseVariableSpec> vars = new ArrayList<>(projection.variables());
        vars.add(new SynapseVariableSpec("x", "1", ValueSpec.Values.of(1.0),
                ExprText.parse("(1 - x) / " + tauD)));
        vars.add(new SynapseVariableSpec("u", "1", new ValueSpec.Expression(ExprText.parse(bigU)),
                ExprText.parse("(" + bigU + " - u) / " + tauF)));
        final List<StatementSpec> onPre = new ArrayList<>(projection.onPre());
        onPre.addAll(StatementSpec.parseAll(target + " += (" + w + ") * u * x; x -= u * x; u += " + f
                + " * (1 - u)"));
        final ProjectionSpec p = new ProjectionSpec(s, projection.source(), projection.sourceFrom(),
                projection.sourceTo(), projection.event(), projection.target(), projection.targetFrom(),
                projection.targetTo(), projection.connect(), vars, onPre, projection.delay(), projection.onPost(),
                projection.summed(), projection.postEvent());
        return ModelSpec.fragment("short-term plasticity of projection '" + s + "'")
                .withParameter(new ParameterSpec(bigU, 1, 1, "1", ValueSpec.Values.of(params.bigU())))
                .withParameter(new ParameterSpec(tauD, 1, 1, "ms", ValueSpec.Values.of(params.tauD())))
                .withParameter(new ParameterSpec(tauF, 1, 1, "ms", ValueSpec.Values.of(params.tauF())))
                .withParameter(new ParameterSpec(f, 1, 1, "1", ValueSpec.Values.of(params.f())))
                .withProjection(p);
    }
    /**
     * The constants of short-term plasticity kept per presynaptic neuron ({@link #presynaptic}), as scalar
     * parameters {@code TAG_U}, {@code TAG_tauD} (ms), {@code TAG_tauF} (ms) and {@code TAG_f}, declared once per model
     * and shared by every population that uses the tag.
     *
     * @param tag    the name of the synapse type ({@code STD}, {@code STF})
     * @param params the constants
     * @return a fragment for {@code ModelBuilder.add}
     * @since 0.6
     */
    public static ModelSpec presynapticParameters(final String tag, final Parameters params) {
        return ModelSpec.fragment("short-term plasticity constants " + tag)
                .withParameter(ParameterSpec.scalar(tag + "_U", params.bigU()))
                .withParameter(ParameterSpec.scalar(tag + "_tauD", params.tauD()))
                .withParameter(ParameterSpec.scalar(tag + "_tauF", params.tauF()))
                .withParameter(ParameterSpec.scalar(tag + "_f", params.f()));
    }

    /**
     * The extended Tsodyks-Markram model kept per presynaptic neuron, as Payeur et al. 2021 keep it: the state
     * variables {@code P_xTAG} (starting at 1) and {@code P_uTAG} (starting at U) of population {@code P} relax by
     * {@code dx/dt = (1 - x) / TAG_tauD} and {@code du/dt = (TAG_U - u) / TAG_tauF} between its spikes, and its spike
     * event runs {@link #presynapticReset} in its reset. A projection from {@code P} transmits
     * {@code w * } {@link #efficacy} in its {@code on_pre} statement: the statements of a step run before its resets,
     * so they read the values just before the spike, as the per-synapse form does. Every synapse of a neuron sees the
     * same spikes, so one pair of variables per neuron gives the per-synapse form's values at a cost per neuron and
     * step instead of per synapse and spike; the solver integrates the two linear relaxations (exactly, with an
     * exponential integrator).
     *
     * @param population the presynaptic population's name (prefix of the variables)
     * @param n          its members
     * @param tag        the synapse type ({@link #presynapticParameters} declared before)
     * @return a fragment (the population must list {@link #presynapticVariables})
     * @since 0.6
     */
    public static ModelSpec presynaptic(final String population, final int n, final String tag) {
        final String x = population + "_x" + tag;
        final String u = population + "_u" + tag;
        return ModelSpec.fragment("short-term plasticity " + tag + " of " + population)
                .withVariable(VariableSpec.state(x, n, 1, "").withInitial(ValueSpec.Values.of(1.0)))
                .withVariable(VariableSpec.state(u, n, 1, "").withInitial(new ValueSpec.Expression(
                        ExprText.parse(tag + "_U"))))
                .withEquation(x, "(1 - " + x + ") / " + tag + "_tauD")
                .withEquation(u, "(" + tag + "_U - " + u + ") / " + tag + "_tauF");
    }

    /**
     * @param population the presynaptic population
     * @param tag        the synapse type
     * @return the two variables of {@link #presynaptic}
     * @since 0.6
     */
    public static List<String> presynapticVariables(final String population, final String tag) {
        return List.of(population + "_x" + tag, population + "_u" + tag);
    }

    /**
     * @param population the presynaptic population
     * @param tag        the synapse type
     * @return the statements its spike runs after transmitting: {@code x -= u x; u += f (1 - u)}
     * @since 0.6
     */
    public static String presynapticReset(final String population, final String tag) {
        final String x = population + "_x" + tag;
        final String u = population + "_u" + tag;
        return x + " -= " + u + " * " + x + "; " + u + " += " + tag + "_f * (1 - " + u + ")";
    }

    /**
     * @param population the presynaptic population
     * @param tag        the synapse type
     * @return the released fraction {@code u x} as read in a projection's {@code on_pre} statement
     * @since 0.6
     */
    public static String efficacy(final String population, final String tag) {
        return "(" + population + "_u" + tag + "_pre * " + population + "_x" + tag + "_pre)";
    }
}
