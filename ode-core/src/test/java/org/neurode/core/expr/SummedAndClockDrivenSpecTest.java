package org.neurode.core.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.neurode.core.Model;
import org.neurode.core.OdeException;
import org.neurode.core.Projection;
import org.neurode.core.spec.ConnectSpec;
import org.neurode.core.spec.ModelDocument;
import org.neurode.core.spec.ProjectionSpec;
import org.neurode.core.spec.StatementSpec;
import org.neurode.core.spec.SynapseVariableSpec;

/**
 * Issue 14: summed variables and clock-driven synapse equations (Brian2's {@code (summed)} and
 * {@code (clock-driven)}) as text, as data and compiled: the forms, the round trips, and the errors.
 */
class SummedAndClockDrivenSpecTest {

    /** Population E of 4 with an input I (mV), population F of 2 with an input J; lines 1..14, 15 blank. */
    private static final String HEAD = String.join("\n",
            "model net",
            "parameter tau = 10 unit ms",
            "parameter Vt = -50 unit mV",
            "parameter c = 0.1 unit 1/ms",
            "parameter El = -60 unit mV",
            "state v[4] = -60 + i unit mV",
            "input I[4] = 0 unit mV",
            "state u[2] = -60 unit mV",
            "input J[2] = 0 unit mV",
            "dv/dt = (I - v + El) / tau",
            "du/dt = (J - u + El) / tau",
            "population E 4: v, I",
            "population F 2: u, J",
            "threshold v > Vt reset v = El",
            "");

    private static OdeException error(final String lines) {
        return assertThrows(OdeException.class, () -> ModelFile.parse(HEAD + lines, "net.ode", "net").model());
    }

    @Test
    void aModelFileDeclaresSummedAndClockDrivenVariablesAndEveryFormatReadsThemBack() {
        // GIVEN a projection with a clock-driven pair (one equation nonlinear) and two summed variables, one into
        // the target and one into the source
        final ModelDocument doc = ModelFile.document(HEAD + String.join("\n",
                "projection G: E -> F connect all on_pre x += 1",
                "synapse G.w = 0.2 unit 1",
                "synapse G.dg/dt = -c * g + c * x * (1 - g) (clock-driven) unit 1",
                "synapse G.dx/dt = -c * x (clock-driven) unit 1",
                "synapse G.J_post = w * (v_pre - u_post) (summed)",
                "synapse G.I_pre = g * (u_post - v_pre) (summed)"), "net.ode", "net");
        // THEN the spec holds them: w without equation, g and x clock-driven, two summed assignments in order
        final ProjectionSpec p = doc.model().projections().get(0);
        assertEquals(List.of("w", "g", "x"), p.variables().stream().map(SynapseVariableSpec::name).toList());
        assertFalse(p.variables().get(0).clockDrivenVariable());
        assertTrue(p.variables().get(1).clockDrivenVariable() && p.variables().get(2).clockDrivenVariable());
        assertFalse(p.variables().get(1).eventDrivenVariable());
        assertEquals("-c * g + c * x * (1 - g)", p.variables().get(1).rate().text());
        assertEquals(List.of(StatementSpec.parse("J_post = w * (v_pre - u_post)"),
                StatementSpec.parse("I_pre = g * (u_post - v_pre)")), p.summed());
        assertTrue(p.clockDriven());
        // AND each format writes it and reads it back equal (.ode -> spec -> JSON/YAML/.ode -> spec)
        for (final ModelDocuments.Format f : ModelDocuments.Format.values()) {
            final String text = ModelDocuments.write(doc, f);
            assertEquals(doc, ModelDocuments.parse(text, f, "net", "net"), f + ":\n" + text);
        }
        assertTrue(ModelDocuments.write(doc, ModelDocuments.Format.YAML).contains("update: clock-driven"),
                ModelDocuments.write(doc, ModelDocuments.Format.YAML));
        assertTrue(ModelDocuments.write(doc, ModelDocuments.Format.JSON).contains(
                "\"summed\": \"J_post = w * (v_pre - u_post); I_pre = g * (u_post - v_pre)\""),
                ModelDocuments.write(doc, ModelDocuments.Format.JSON));
        // AND the Java form builds the same projection
        final ProjectionSpec java = ProjectionSpec.of("G", "E", "F", ConnectSpec.ALL, "x += 1")
                .withVariable(SynapseVariableSpec.of("w", "0.2", "1"))
                .withVariable(SynapseVariableSpec.clockDriven("g", "-c * g + c * x * (1 - g)", "1"))
                .withVariable(SynapseVariableSpec.clockDriven("x", "-c * x", "1"))
                .withSummed("J_post = w * (v_pre - u_post); I_pre = g * (u_post - v_pre)");
        assertEquals(p, java);
        // AND it compiles: the projection computes at every step and names the inputs it sets
        final Projection compiled = ModelBuilder.from(doc.model()).build().projections().get(0);
        assertTrue(compiled.stepped());
        assertEquals(List.of("J", "I"), compiled.summedInputs());
    }

    @Test
    void jsonAndYamlNameTheUpdateAndTheSums() {
        final String yaml = String.join("\n",
                "schema: neurode-model/1",
                "name: y",
                "variables:",
                "  - {name: v, shape: [2]}",
                "  - {name: I, kind: input, shape: [2]}",
                "equations:",
                "  v: I - v",
                "thresholds:",
                "  - {variable: v, threshold: 1, reset: 0}",
                "populations:",
                "  - {name: P, size: 2, variables: [v, I]}",
                "projections:",
                "  - name: S",
                "    source: P",
                "    target: P",
                "    connect: all",
                "    variables: [{name: x, equation: \"-x / 5\", update: clock-driven}]",
                "    on_pre: x += 1",
                "    summed: [\"I_post = x\"]",
                "");
        final ModelDocument doc = ModelDocuments.parse(yaml, ModelDocuments.Format.YAML, "y.yaml", "y");
        final ProjectionSpec p = doc.model().projections().get(0);
        assertTrue(p.variables().get(0).clockDrivenVariable());
        assertEquals("I_post = x", p.summed().get(0).text());
        // an unknown update and an update without equation are errors naming the field
        OdeException e = assertThrows(OdeException.class, () -> ModelDocuments.parse(yaml.replace("clock-driven",
                "clocked"), ModelDocuments.Format.YAML, "y.yaml", "y"));
        assertTrue(e.getMessage().contains("y.yaml line 17") && e.getMessage().contains("update must be "
                + "'event-driven' or 'clock-driven'; found 'clocked'"), e.getMessage());
        e = assertThrows(OdeException.class, () -> ModelDocuments.parse(yaml.replace("equation: \"-x / 5\", ", ""),
                ModelDocuments.Format.YAML, "y.yaml", "y"));
        assertTrue(e.getMessage().contains("'update: clock-driven' but no 'equation'"), e.getMessage());
        // a summed variable that is not an assignment
        e = assertThrows(OdeException.class, () -> ModelDocuments.parse(yaml.replace("I_post = x", "I_post += x"),
                ModelDocuments.Format.YAML, "y.yaml", "y"));
        assertTrue(e.getMessage().contains("the summed variable 'I_post += x' must be an assignment"),
                e.getMessage());
    }

    @Test
    void errorsNameTheProjectionTheEquationTheLineAndTheColumn() {
        final String proj = "projection G: E -> F connect all\n";
        // the target of a sum is a state variable with an equation
        OdeException e = error(proj + "synapse G.u_post = v_pre (summed)");
        assertTrue(e.getMessage().startsWith("net.ode line 16, column 9:"), e.getMessage());
        assertTrue(e.getMessage().contains("projection 'G': in the summed variable 'u_post = v_pre': 'u' is a state "
                + "variable with an equation; a summed variable sets an input"), e.getMessage());
        // an unknown target, and one on the wrong side
        e = error(proj + "synapse G.K_post = v_pre (summed)");
        assertTrue(e.getMessage().contains("line 16") && e.getMessage().contains("'K_post' is not a variable of the "
                + "target population 'F' ('X_post') or the source population 'E' ('X_pre'); it may set "),
                e.getMessage());
        assertTrue(e.getMessage().contains("I_pre") && e.getMessage().contains("J_post"), e.getMessage());
        e = error(proj + "synapse G.I_post = v_pre (summed)");
        assertTrue(e.getMessage().contains("'I' belongs to population 'E', the source of the projection: write "
                + "'I_pre'"), e.getMessage());
        // a unit mismatch: the sum must have the unit of the input
        e = error(proj + "synapse G.J_post = tau (summed)");
        assertTrue(e.getMessage().contains("net.ode line 16") && e.getMessage().contains("summed variable 'J_post = "
                + "tau'") && e.getMessage().contains("'J_post' is in mV"), e.getMessage());
        // a clock-driven equation in the wrong unit, and one reading an unknown name
        e = error(proj + "synapse G.dx/dt = -x (clock-driven) unit 1");
        assertTrue(e.getMessage().contains("net.ode line 16") && e.getMessage().contains("clock-driven equation "
                + "'dx/dt = -x'") && e.getMessage().contains("not in the unit of x per time unit"), e.getMessage());
        e = error(proj + "synapse G.w = 1 unit 1\nsynapse G.dx/dt = -c * x + q (clock-driven) unit 1");
        assertTrue(e.getMessage().contains("net.ode line 17") && e.getMessage().contains("in the clock-driven "
                + "equation 'dx/dt = -c * x + q'") && e.getMessage().contains("'q'"), e.getMessage());
        // a synapse equation without flag
        e = error(proj + "synapse G.dx/dt = -c * x unit 1");
        assertTrue(e.getMessage().contains("line 16") && e.getMessage().contains("end it with '(event-driven)' "
                + "(updated when its synapse's events run) or '(clock-driven)' (advanced at every step)"),
                e.getMessage());
        // a unit on a sum, a sum summed twice, a sum that reads what it sets
        e = error(proj + "synapse G.J_post = v_pre (summed) unit mV");
        assertTrue(e.getMessage().contains("a sum has the unit of the input it sets"), e.getMessage());
        e = error(proj + "synapse G.J_post = v_pre (summed)\nsynapse G.J = v_pre (summed)");
        assertTrue(e.getMessage().contains("line 17") && e.getMessage().contains("'J' is summed twice"),
                e.getMessage());
        e = error(proj + "synapse G.J_post = J_post + v_pre (summed)");
        assertTrue(e.getMessage().contains("it reads 'J_post', which the projection sums into"), e.getMessage());
    }

    @Test
    void twoProjectionsMaySumIntoAnInputForOtherMembersOnly() {
        // as Brian2: overlapping target members are refused, naming both projections
        final OdeException e = error(String.join("\n",
                "projection A: E -> F[0:2] connect all",
                "synapse A.J_post = v_pre (summed)",
                "projection B: E -> F[1:2] connect all",
                "synapse B.J_post = v_pre (summed)"));
        assertTrue(e.getMessage().contains("line 18") && e.getMessage().contains("projection 'B': in the summed "
                + "variable 'J_post = v_pre': projection 'A' sums into input 'J' of the same members"),
                e.getMessage());
        // disjoint slices are fine
        final Model m = ModelFile.parse(HEAD + String.join("\n",
                "projection A: E -> F[0:1] connect all",
                "synapse A.J_post = v_pre (summed)",
                "projection B: E -> F[1:2] connect all",
                "synapse B.J_post = v_pre (summed)"), "net.ode", "net").model();
        assertEquals(2, m.projections().size());
    }
}
