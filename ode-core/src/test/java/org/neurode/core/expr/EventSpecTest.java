package org.neurode.core.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.neurode.core.Detection;
import org.neurode.core.EventDetector;
import org.neurode.core.Model;
import org.neurode.core.OdeException;
import org.neurode.core.spec.EquationSpec;
import org.neurode.core.spec.EventSpec;
import org.neurode.core.spec.ExprSpec;
import org.neurode.core.spec.ModelDocument;
import org.neurode.core.spec.StatementSpec;

/** Issue 14: events with conditions, statements and refractoriness, as data, as text and compiled. */
class EventSpecTest {

    /** An AdEx-like population of 3 with units; lines 1..15 (the event lines are appended). */
    private static final String HEAD = String.join("\n",
            "model e",
            "parameter C = 281 unit pF",
            "parameter gL = 30 unit nS",
            "parameter EL = -70.6 unit mV",
            "parameter VT = -50.4 unit mV",
            "parameter DeltaT = 2 unit mV",
            "parameter tauw = 144 unit ms",
            "parameter a = 4 unit nS",
            "parameter b = 80.5 unit pA",
            "parameter Vr = -70.6 unit mV",
            "parameter I0 = 1000 unit pA",
            "state v[3] = -70.6 unit mV",
            "state w[3] = 0 unit pA",
            "dv/dt = (gL * (EL - v) + gL * DeltaT * exp((v - VT) / DeltaT) + I0 * i - w) / C (unless refractory)",
            "dw/dt = (a * (v - EL) - w) / tauw",
            "");

    private static OdeException error(final String events) {
        return assertThrows(OdeException.class, () -> ModelFile.document(HEAD + events, "e.ode", "e"));
    }

    @Test
    void aModelFileDeclaresEventsAsBrian2WritesThem() {
        // GIVEN Brian2's threshold, reset and refractory lines and a second kind of event on one line
        final ModelDocument doc = ModelFile.document(HEAD + String.join("\n",
                "threshold v > VT + 5 * DeltaT",
                "reset v = Vr; w += b",
                "refractory 2 ms",
                "event adapt: w > b and v < EL reset w *= 0.5 detection step-end"), "e.ode", "e");
        // THEN the spec holds both events, the statements in order, and the flag of dv/dt
        final List<EventSpec> events = doc.model().events();
        assertEquals(2, events.size());
        final EventSpec spike = events.get(0);
        assertEquals("spike", spike.name());
        assertEquals("v > VT + 5 * DeltaT", spike.threshold().text());
        assertEquals(List.of(StatementSpec.parse("v = Vr"), StatementSpec.parse("w += b")), spike.reset());
        assertEquals("2 * ms", spike.refractory().text());
        assertEquals(Detection.AUTO, spike.detection());
        assertEquals("w *= 0.5", events.get(1).reset().get(0).text());
        assertEquals(Detection.STEP_END, events.get(1).detection());
        assertTrue(doc.model().equations().get(0).unlessRefractory());
        assertFalse(doc.model().equations().get(1).unlessRefractory());
        // AND each format writes and reads it back equal
        for (final ModelDocuments.Format f : ModelDocuments.Format.values()) {
            assertEquals(doc, ModelDocuments.parse(ModelDocuments.write(doc, f), f, "e", "e"), f.toString());
        }
    }

    @Test
    void theCompiledEventComputesItsConditionResetAndRefractoryPeriod() {
        // GIVEN the model built
        final Model m = ModelFile.parse(HEAD + String.join("\n",
                "threshold v >= VT + 5 * DeltaT",
                "reset v = Vr; w += b",
                "refractory 0.5 * ms + 0.001 * second * i"), "e.ode", "e").model();
        final EventDetector spike = m.events().get(0);
        final double[] y = m.initialState();
        final int v = m.layout().block("v").offset();
        final int w = m.layout().block("w").offset();
        y[v + 1] = -40.4;
        // THEN g is v - (VT + 5 DeltaT), >= holds at 0, the reset runs in order, periods are per member in ms
        assertEquals(0.0, spike.g(1, 0.0, y), 1e-12);
        assertTrue(spike.holds(1, 0.0, y));
        assertFalse(spike.holds(0, 0.0, y));
        spike.onEvent(1, 0.0, y);
        assertEquals(-70.6, y[v + 1]);
        assertEquals(80.5, y[w + 1]);
        assertEquals(0.0, y[w]);
        assertEquals(0.5, spike.refractoryPeriod(0), 1e-12);
        assertEquals(2.5, spike.refractoryPeriod(2), 1e-12);
        assertEquals(2.5, spike.refractoryPeriod(), 1e-12);
        assertEquals(v + 1, spike.refractoryIndex(1));
        assertEquals(List.of(v), java.util.Arrays.stream(spike.refractoryOffsets()).boxed().toList());
        // AND the step-end scan finds the members whose condition holds
        y[v + 2] = -30.0;
        final int[] out = new int[3];
        assertEquals(1, spike.stepEndMembers(0.0, y, null, 0.0, out));
        assertEquals(2, out[0]);
        // (member 2 is refractory until 2.5 at a step starting at 1: not found)
        assertEquals(0, spike.stepEndMembers(0.0, y, new double[] {0.0, 0.0, 2.5}, 1.0, out));
    }

    @Test
    void aStatementAssigningAnUnknownVariableIsAnErrorNamingItsLineAndColumn() {
        final OdeException e = error("threshold v > VT\nreset v = Vr; x += b\n");
        assertTrue(e.getMessage().startsWith("e.ode line 17, column 15: event 'spike': in statement 'x += b': "
                + "'x' is not a variable of the model; state variables: v, w"), e.getMessage());
    }

    @Test
    void aStatementAssigningAParameterIsAnError() {
        final OdeException e = error("event s: v > VT reset b = 1\n");
        assertTrue(e.getMessage().startsWith("e.ode line 16, column 23: event 's': in statement 'b = 1': 'b' is a "
                + "parameter"), e.getMessage());
    }

    @Test
    void aThresholdThatIsNotAConditionIsAnError() {
        final OdeException e = error("threshold v - VT\n");
        assertTrue(e.getMessage().startsWith("e.ode line 16, column 11: event 'spike': the threshold 'v - VT' is "
                + "not a condition"), e.getMessage());
        final OdeException eq = error("threshold v == VT\n");
        assertTrue(eq.getMessage().contains("compares with '=='"), eq.getMessage());
    }

    @Test
    void aNegativeRefractoryPeriodIsAnError() {
        final OdeException e = error("threshold v > VT\nrefractory -2\n");
        assertTrue(e.getMessage().startsWith("e.ode line 17, column 12: event 'spike': the refractory period '-2' "
                + "is -2.0"), e.getMessage());
        assertThrows(OdeException.class, () -> ModelBuilder.from(ModelFile.document(HEAD, "e.ode", "e").model())
                .event(EventSpec.of("s", "v > VT", "").withRefractory(new ExprSpec.Unary("-", new ExprSpec.Num(1)))));
    }

    @Test
    void aUnitMismatchInAStatementNamesTheStatementAndItsLine() {
        final OdeException e = error("threshold v > VT\nreset v = Vr\nevent other: w > b reset w += v\n");
        assertTrue(e.getMessage().startsWith("e.ode line 18, column 26: in event other: statement 'w += v': 'v' is "
                + "in mV (a voltage) but 'w' is in pA (a current)"), e.getMessage());
        final OdeException t = error("threshold v > b\n");
        assertTrue(t.getMessage().startsWith("e.ode line 16, column 11: in event spike: threshold v > b"),
                t.getMessage());
    }

    @Test
    void eventsComputeOneMemberAtATime() {
        final OdeException e = error("threshold sum(v) > VT\n");
        assertTrue(e.getMessage().contains("is not element-wise"), e.getMessage());
    }

    @Test
    void theEquationFlagIsWrittenAndReadAsBrian2WritesIt() {
        assertEquals("(EL - v) / tau", EquationSpec.withoutFlag("(EL - v) / tau  ( unless  refractory )"));
        assertEquals("f(x)", EquationSpec.withoutFlag("f(x)"));
        assertEquals("x / tau (unless refractory)",
                new EquationSpec("x", ExprSpec.parse("x / tau"), true).text());
    }
}
