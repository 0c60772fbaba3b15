package org.neurode.core.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;

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
    void theStepEndScanFindsTheMembersWhoseConditionHoldsWhateverItsForm() {
        if (ArrayKernels.simd()) {
            VectorKernels.skipWarmUp();          // the vector code for every member, not only the first vector
        }
        // GIVEN conditions comparing each member's v with one value (scanned a vector at a time), the same with the
        // value on the left, and conditions of other forms (scanned one member at a time)
        final SplittableRandom r = new SplittableRandom(14);
        for (final String condition : List.of("v > VT", "v >= VT", "v < VT + dV", "v <= VT", "VT < v",
                "VT + dV >= v", "v > VT and w < w0", "v * 2 > VT * 2", "v[3] > v")) {
            final Model m = ModelFile.parse(String.join("\n", "model scan", "parameter VT = -50 unit mV",
                    "parameter dV = 1 unit mV", "parameter Vr = -60 unit mV", "parameter w0 = 1 unit pA",
                    "parameter tau = 10 unit ms", "state v[37] = -60 unit mV", "state w[37] = 0 unit pA",
                    "dv/dt = -v / tau", "dw/dt = -w / tau", "threshold " + condition, "reset v = Vr"), "s.ode", "s")
                    .model();
            final EventDetector spike = m.events().get(0);
            final double[] y = m.initialState();
            final int v = m.layout().block("v").offset();
            final double[] until = new double[37];
            for (int k = 0; k < 37; k++) {
                y[v + k] = r.nextInt(5) == 0 ? -50.0 : r.nextInt(9) == 0 ? Double.NaN : r.nextDouble(-52, -48);
                until[k] = r.nextInt(4) == 0 ? 2.0 : Double.NEGATIVE_INFINITY;
            }
            for (final double[] refractory : new double[][] {null, until}) {
                // WHEN the members are scanned at the end of a step starting at 1
                final int[] out = new int[37];
                final int found = spike.stepEndMembers(0.0, y, refractory, 1.0, out);
                // THEN they are the non-refractory members whose condition holds, in order
                final List<Integer> expected = new java.util.ArrayList<>();
                for (int k = 0; k < 37; k++) {
                    if (spike.holds(k, 0.0, y) && (refractory == null || 1.0 >= refractory[k])) {
                        expected.add(k);
                    }
                }
                assertEquals(expected, java.util.Arrays.stream(out, 0, found).boxed().toList(), condition);
            }
        }
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
