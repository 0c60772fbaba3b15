package org.neurode.core.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.neurode.core.Model;
import org.neurode.core.OdeException;
import org.neurode.core.spec.ExprSpec;
import org.neurode.core.spec.ModelSpec;
import org.neurode.core.spec.NoiseSpec;
import org.neurode.core.spec.ParameterSpec;
import org.neurode.core.spec.VariableSpec;

/** Issue 13: parts of models as functions returning specification fragments, added to a builder. */
class ModelFragmentTest {

    private static final ExprSpec LEAK = ExprSpec.parse("(E_L - v) / tau");

    /** A leaky membrane potential of n neurons, named v. */
    private static ModelSpec leak(final String v, final int n) {
        return ModelSpec.fragment("leak " + v)
                .withVariable(VariableSpec.state(v, n, 1, "mV"))
                .withEquation(v, LEAK.rename(Map.of("v", v)));
    }

    /** A rate read out of a potential, with its own parameter. */
    private static ModelSpec readout(final String rate, final String v) {
        return ModelSpec.fragment("readout " + rate)
                .withParameter(ParameterSpec.scalar("gain_" + rate, 2.0))
                .withLet(rate, ExprSpec.parse("gain * relu(v - E_L)").rename(Map.of("gain", "gain_" + rate, "v", v)))
                .withVariable(VariableSpec.state("mean_" + rate, 1, 1, ""))
                .withEquation("mean_" + rate, ExprSpec.parse("sum(r) - m").rename(Map.of("r", rate,
                        "m", "mean_" + rate)))
                .withNoise(new NoiseSpec(v, 0.1));
    }

    @Test
    void fragmentsComposeIntoTheModelTheTextDescribes() {
        // GIVEN two leaky populations and a readout of one, added to a builder that declares their parameters
        final ModelBuilder b = ModelBuilder.named("two");
        b.param("E_L", -65.0);
        b.param("tau", 10.0);
        b.add(leak("v", 3)).add(leak("w", 2)).add(readout("r", "v"));
        // THEN the specification is the one of the text written by hand
        final ModelBuilder text = ModelBuilder.named("two");
        text.param("E_L", -65.0);
        text.param("tau", 10.0);
        text.vector("v", 3, "mV");
        text.ode("v", "(E_L - v) / tau");
        text.vector("w", 2, "mV");
        text.ode("w", "(E_L - w) / tau");
        text.scalar("mean_r", "");
        text.param("gain_r", 2.0);
        text.let("r", "gain_r * relu(v - E_L)");
        text.ode("mean_r", "sum(r) - mean_r");
        text.noise(text.variable("v"), 0.1);
        assertEquals(text.spec(), b.spec());
        // AND it compiles to the same code
        assertEquals(text.generatedSource(), b.generatedSource());
        final Model m = b.build();
        final double[] f = new double[m.dimension()];
        final double[] y = m.initialState();
        y[m.layout().index("v[1]")] = -55.0;
        m.equation().derivatives(0.0, y, f);
        assertEquals(-6.5, f[m.layout().index("v[0]")], 0.0);
        assertEquals(-1.0, f[m.layout().index("v[1]")], 0.0);
        assertEquals(2 * 65.0 + 2 * 10.0 + 2 * 65.0, f[m.layout().index("mean_r")], 0.0);
    }

    @Test
    void nameClashesNameTheFragmentTheNameAndWhatItIs() {
        final ModelBuilder b = ModelBuilder.named("m");
        b.param("E_L", -65.0);
        b.param("tau", 10.0);
        b.add(leak("v", 3));
        assertMessage(() -> b.add(leak("v", 3)), "adding fragment 'leak v' to model 'm': name 'v' is already "
                + "defined (a state variable of model 'm')");
        assertMessage(() -> b.add(leak("tau", 3)), "adding fragment 'leak tau' to model 'm': name 'tau' is already "
                + "defined (a parameter of model 'm')");
        assertMessage(() -> b.add(leak("t", 3)), "name 't' is already defined (the time)");
        b.add(readout("r", "v"));
        assertMessage(() -> b.add(ModelSpec.fragment("again").withLet("r", "v")), "adding fragment 'again' to model "
                + "'m': name 'r' is already defined (a named subexpression of model 'm')");
        assertMessage(() -> b.add(ModelSpec.fragment("second").withEquation("v", "-v")), "adding fragment 'second' to "
                + "model 'm': a second equation for 'v', which has one already");
        assertMessage(() -> b.add(ModelSpec.fragment("typo").withEquation("mean_r", "E_l - mean_r")), "adding "
                + "fragment 'typo' to model 'm': in the equation of 'mean_r': unknown name 'E_l'; known names: E_L, "
                + "tau, v, mean_r, gain_r, r, t");
        assertMessage(() -> b.add(ModelSpec.fragment("nowhere").withEquation("z", "-z")), "adding fragment "
                + "'nowhere' to model 'm': unknown variable 'z'");
        assertMessage(() -> b.add(leak("w", 2).withVariable(VariableSpec.input("w", 1, 1, ""))), "adding fragment "
                + "'leak w' to model 'm': name 'w' is already defined (a state variable of model 'm')");
    }

    @Test
    void aFragmentMayUseOnlyWhatTheModelDeclaredBefore() {
        // GIVEN a fragment whose equation reads a parameter that is declared after it
        final ModelBuilder b = ModelBuilder.named("order");
        b.param("E_L", -65.0);
        // WHEN added THEN the error names the missing name, and the builder is as before (no 'v' left without an
        // equation); declared first, the same fragment is fine
        assertMessage(() -> b.add(leak("v", 1)), "unknown name 'tau'");
        assertEquals(0, b.spec().variables().size());
        b.param("tau", 10.0);
        b.add(leak("v", 1));
        assertEquals(1, b.build().dimension());
    }

    @Test
    void aFailedFragmentLeavesNothingBehindNotEvenResolvedTemplates() {
        // GIVEN a template shared by two fragments: the first declares x with 3 elements and fails at its end
        final ExprSpec twice = ExprSpec.parse("2 * x");
        final ModelBuilder b = ModelBuilder.named("retry");
        final ModelSpec broken = ModelSpec.fragment("broken").withVariable(VariableSpec.state("x", 3, 1, ""))
                .withLet("s", twice).withEquation("x", "s + missing");
        assertMessage(() -> b.add(broken), "unknown name 'missing'");
        // WHEN the same template is used with x of 5 elements
        b.add(ModelSpec.fragment("fixed").withVariable(VariableSpec.state("x", 5, 1, "")).withLet("s", twice)
                .withEquation("x", "s - x"));
        // THEN it means the new x (the resolution of the failed attempt is forgotten)
        assertEquals(5, b.expr("s").rows());
        assertEquals(5, b.build().dimension());
    }

    private static void assertMessage(final org.junit.jupiter.api.function.Executable call, final String fragment) {
        final OdeException e = assertThrows(OdeException.class, call);
        assertTrue(e.getMessage().contains(fragment), "'" + fragment + "' not in: " + e.getMessage());
    }
}
