package org.neurode.core.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.neurode.core.Detection;
import org.neurode.core.Model;
import org.neurode.core.OdeException;
import org.neurode.core.ThresholdEvent;
import org.neurode.core.spec.ModelDocument;
import org.neurode.core.spec.ModelSpec;
import org.neurode.core.spec.ValueSpec;
import org.neurode.core.spec.VariableKind;
import org.neurode.core.spec.VariableSpec;

/** Issue 13: the builder and model files produce a {@link ModelSpec}, the only input of the compiler. */
class ModelSpecTest {

    /** The README's pyramidal model as text (the same declarations as {@link ModelBuilderTest#threeCompartment}). */
    private static final String PYRAMIDAL = String.join("\n",
            "model pyramidal",
            "input x[3] = 0 unit 1",
            "state vB[2] = 0 unit mV",
            "state vA[2] = 0 unit mV",
            "state u[2] = 0 unit mV",
            "state W[2, 3] = 0 unit 1",
            "parameter gL = 0.1",
            "parameter gB = 1.0",
            "parameter gA = 0.8",
            "parameter tauD = 2.0",
            "parameter eta = 0.01",
            "dvB/dt = (W @ x - vB) / tauD",
            "dvA/dt = -vA / tauD",
            "du/dt = -gL * u + gB * (vB - u) + gA * (vA - u)",
            "let vHat = gB / (gL + gB + gA) * vB",
            "dW/dt = eta * outer(softplus(u) - softplus(vHat), x)",
            "");

    @Test
    void builderAndModelFileGiveTheSameSpecAndTheSameCode() {
        // GIVEN the README model from the Java builder and from a model file
        final Model built = ModelBuilderTest.threeCompartment(2, 3);
        final ModelDocument doc = ModelFile.document(PYRAMIDAL, "p.ode", "p");
        // THEN both are the same specification, which the model carries
        final ModelSpec spec = built.spec().orElseThrow();
        assertEquals(spec, doc.model());
        assertEquals(spec, ModelFile.parse(PYRAMIDAL, "p.ode", "p").model().spec().orElseThrow());
        assertEquals(List.of("x", "vB", "vA", "u", "W"), spec.variables().stream().map(VariableSpec::name).toList());
        assertEquals("eta * outer(softplus(u) - softplus(vHat), x)", spec.equations().get(3).rhs().text());
        // AND compile to the same source
        assertEquals(ModelBuilder.from(spec).generatedSource(), ModelBuilder.from(doc.model()).generatedSource());
    }

    @Test
    void javaExpressionsBecomeTheTreesTheirTextWouldGive() {
        // GIVEN equations built with the Java API: chains, a negative constant, functions, a product
        final ModelBuilder b = ModelBuilder.named("api");
        final Var x = b.vector("x", 3, "1");
        final Var w = b.matrix("W", 3, 3, "1");
        final Expr tau = b.param("tau", 2.0);
        b.ode(x, w.matmul(x).minus(x).plus(Expr.constant(-2.0)).div(tau).times(Expr.exp(x.negate())));
        b.ode(w, Expr.outer(Expr.softplus(x), x).minus(w.transpose()));
        // THEN the spec holds the text a user would write (chains flat, -2 as a negation)
        final ModelSpec spec = b.spec();
        assertEquals("(W @ x - x + -2) / tau * exp(-x)", spec.equations().get(0).rhs().text());
        assertEquals("outer(softplus(x), x) - transpose(W)", spec.equations().get(1).rhs().text());
        // AND the text read back compiles to the same source
        final ModelBuilder text = ModelBuilder.named("api");
        text.vector("x", 3, "1");
        text.matrix("W", 3, 3, "1");
        text.param("tau", 2.0);
        text.ode("x", spec.equations().get(0).rhs().text());
        text.ode("W", spec.equations().get(1).rhs().text());
        assertEquals(b.spec(), text.spec());
    }

    @Test
    void sharedPartsOfJavaExpressionsStayShared() {
        // GIVEN one node used by two equations and twice in one
        final ModelBuilder b = ModelBuilder.named("shared");
        final Var x = b.vector("x", 8, "1");
        final Var y = b.vector("y", 8, "1");
        final Expr r = Expr.softplus(x);
        b.ode(x, r.minus(x));
        b.ode(y, r.times(r).minus(y));
        // THEN its tree is one object in both equations
        final ModelSpec spec = b.spec();
        final var first = ((org.neurode.core.spec.ExprSpec.Sum) spec.equations().get(0).rhs()).terms().get(0).value();
        final var second = ((org.neurode.core.spec.ExprSpec.Product) ((org.neurode.core.spec.ExprSpec.Sum)
                spec.equations().get(1).rhs()).terms().get(0).value()).factors();
        assertSame(first, second.get(0).value());
        assertSame(first, second.get(1).value());
    }

    @Test
    void aVariableOfAnotherBuilderIsRefused() {
        final Var foreign = ModelBuilder.named("a").vector("x", 3, "1");
        final ModelBuilder b = ModelBuilder.named("b");
        final Var x = b.vector("x", 3, "1");
        final OdeException e = assertThrows(OdeException.class, () -> b.ode(x, foreign.negate()));
        assertTrue(e.getMessage().contains("'x' in the equation of 'x' was not declared by this builder"),
                e.getMessage());
    }

    @Test
    void variantsOfAModelKeepItsSpecUpToDate() {
        final ModelBuilder b = ModelBuilder.named("decay");
        final Var v = b.vector("v", 2, "mV");
        b.param("tau", 10.0, "ms");
        b.ode(v, "-v / tau");
        b.noise(v, 0.5);
        final Model m = b.initial(v, 1.0).build();
        final ModelSpec spec = m.spec().orElseThrow();
        assertEquals("ms", spec.parameters().get(0).unit());
        assertEquals(ValueSpec.Values.of(20.0), m.withParameter("tau", 20.0).spec().orElseThrow().parameters().get(0)
                .value());
        assertEquals(new ValueSpec.Values(new double[] {1.0, 3.0}),
                m.withInitialState(new double[] {1.0, 3.0}).spec().orElseThrow().variables().get(0).initial());
        assertSame(spec.variables().get(0), m.withInitialState(m.initialState()).spec().orElseThrow().variables()
                .get(0));
        assertTrue(m.withoutNoise().spec().orElseThrow().noise().isEmpty());
        assertEquals("other", m.withName("other").spec().orElseThrow().name());
        // an event detector is not data: the variant has no spec
        assertFalse(m.withEvent(ThresholdEvent.of(m.layout().block("v"), 1.0, 0.0)).spec().isPresent());
    }

    @Test
    void modelFilesDeclareUnitsOfParametersTheTimeUnitAndStepEndDetection() {
        final ModelDocument doc = ModelFile.document(String.join("\n",
                "model brian2-lif",
                "time-unit ms",
                "parameter tau = 10 unit ms",
                "input I[2] = 0.5, 1.5",
                "state v[2] = 0",
                "dv/dt = (I - v) / tau",
                "threshold v = 1 reset 0 refractory 5 detection step-end",
                "time 0 100"), "b.ode", "b");
        final ModelSpec spec = doc.model();
        assertEquals("brian2-lif", spec.name());
        assertEquals("ms", spec.parameters().get(0).unit());
        assertEquals("", spec.variables().get(1).unit(), "no unit given: none");
        assertEquals(VariableKind.INPUT, spec.variables().get(0).kind());
        assertEquals(Detection.STEP_END, spec.thresholds().get(0).detection());
        assertEquals(100.0, doc.problem().tEnd());
    }

    @Test
    void whatTheCompilerCannotDoYetIsAnErrorWithALine() {
        assertMessage("state y = 1\ndy/dt = -y\nthreshold y = 1 reset 0 detection sometimes",
                "line 3, column 35: detection must be continuous or step-end, not 'sometimes'");
        assertMessage("state y[2] = 1\nlet k = 2 * i\ndy/dt = k", "line 2 (expression from column 9): in expression "
                + "'2 * i' at column 5: 'i' refers to the block of an equation or initial value");
        assertMessage("state and = 1\ndand/dt = 1", "line 1, column 7: name 'and' is a word of the expression language");
    }

    @Test
    void inputsTakeNoScaleNoiseOrThreshold() {
        final ModelBuilder b = ModelBuilder.named("in");
        final Var i = b.input("i", 2, "1");
        assertThrows(OdeException.class, () -> b.scale(i, 2.0));
        assertThrows(OdeException.class, () -> b.noise(i, 1.0));
        final OdeException e = assertThrows(OdeException.class, () -> b.threshold(i, 1.0, 0.0, 0.0));
        assertTrue(e.getMessage().contains("'i' is an input"), e.getMessage());
    }

    private static void assertMessage(final String text, final String fragment) {
        final OdeException e = assertThrows(OdeException.class, () -> ModelFile.document(text, "m.ode", "m"));
        assertTrue(e.getMessage().contains(fragment), "'" + fragment + "' not in: " + e.getMessage());
    }
}
