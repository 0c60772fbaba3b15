package org.neurode.core.expr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.neurode.core.Model;
import org.neurode.core.OdeException;
import org.neurode.core.Projection;
import org.neurode.core.spec.ConnectSpec;
import org.neurode.core.spec.ModelDocument;
import org.neurode.core.spec.PopulationSpec;
import org.neurode.core.spec.ProjectionSpec;

/** Issue 14: populations and projections (Brian2's NeuronGroup and Synapses) as data, as text and compiled. */
class ProjectionSpecTest {

    /** Two populations with units, E of 8 and I of 4; lines 1..14 (the projection lines are appended). */
    private static final String HEAD = String.join("\n",
            "model net",
            "parameter tau = 10 unit ms",
            "parameter Vt = -50 unit mV",
            "parameter w0 = 1.5 unit mV",
            "parameter El = -60 unit mV",
            "state v[8] = -60 unit mV",
            "state ge[8] = 0 unit mV",
            "state u[4] = -60 unit mV",
            "dv/dt = (ge - (v - El)) / tau (unless refractory)",
            "dge/dt = -ge / tau",
            "du/dt = -(u - El) / tau",
            "population E 8: v, ge",
            "population I 4: u",
            "threshold v > Vt reset v = El refractory 2 ms",
            "");

    private static OdeException error(final String lines) {
        return assertThrows(OdeException.class, () -> ModelFile.parse(HEAD + lines, "net.ode", "net").model());
    }

    private static Model model(final String lines, final long seed) {
        return ModelBuilder.from(ModelFile.document(HEAD + lines, "net.ode", "net").model()).seed(seed).build();
    }

    private static int[][] pairs(final Projection p) {
        final int[][] out = new int[2][p.synapses()];
        for (int k = 0; k < p.synapses(); k++) {
            out[0][k] = p.source(k);
            out[1][k] = p.target(k);
        }
        return out;
    }

    @Test
    void aModelFileDeclaresPopulationsAndProjections() {
        // GIVEN a projection line with a slice, a rule, statements and a delay, and a synapse variable
        final ModelDocument doc = ModelFile.document(HEAD + String.join("\n",
                "projection EE: E[0:6] -> E connect if i != j p = 0.5 on_pre ge += w delay 1.5 ms",
                "synapse EE.w = w0 * (1 + i) unit mV"), "net.ode", "net");
        // THEN the spec holds the populations and the projection's parts
        assertEquals(List.of(new PopulationSpec("E", 8, List.of("v", "ge")), new PopulationSpec("I", 4,
                List.of("u"))), doc.model().populations());
        final ProjectionSpec p = doc.model().projections().get(0);
        assertEquals("E[0:6]", p.sourceText());
        assertEquals("E", p.targetText());
        assertEquals("spike", p.event());
        assertEquals("if i != j p = 0.5", p.connect().text());
        assertEquals("ge += w", p.onPre().get(0).text());
        assertEquals("1.5 * ms", p.delay().text());
        assertEquals("w", p.variables().get(0).name());
        // AND the built projection has the synapses of the slice, no autapse, and w per synapse in mV
        final Model m = ModelBuilder.from(doc.model()).build();
        final Projection built = m.projections().get(0);
        final double[] w = built.initialValues("w");
        for (int k = 0; k < built.synapses(); k++) {
            assertTrue(built.source(k) < 6 && built.target(k) < 8 && built.source(k) != built.target(k));
            assertEquals(1.5 * (1 + built.source(k)), w[k], 1e-12);
            assertTrue(k == 0 || built.source(k) > built.source(k - 1) || built.target(k) > built.target(k - 1),
                    "by source, then target");
        }
        assertTrue(built.delayed());
    }

    @Test
    void rulesGiveTheirSynapses() {
        final Model m = model(String.join("\n",
                "projection all: E -> I connect all on_pre u += w0",
                "projection one: E[2:6] -> I connect one-to-one on_pre u += w0",
                "projection cond: E -> E connect if i < j on_pre ge += w0",
                "projection given: E -> I connect i = 7, 0, 7 j = 3, 1, 0 on_pre u += w0"), 0);
        final List<Projection> ps = m.projections();
        assertEquals(32, ps.get(0).synapses());
        assertArrayEquals(new int[][] {{0, 1, 2, 3}, {0, 1, 2, 3}}, pairs(ps.get(1)));
        assertEquals(8 * 7 / 2, ps.get(2).synapses());
        // explicit indices are stored by source, in the given order within a source
        assertArrayEquals(new int[][] {{0, 7, 7}, {1, 3, 0}}, pairs(ps.get(3)));
    }

    @Test
    void explicitConnectionsAndSpikesFromFiles(@org.junit.jupiter.api.io.TempDir final java.nio.file.Path dir)
            throws java.io.IOException {
        // GIVEN index pairs as a 2 x n CSV (row 0 the sources, row 1 the targets) and spike times as n x 2
        java.nio.file.Files.writeString(dir.resolve("c.csv"), "# i\n3, 0, 3\n# j\n1, 2, 0\n");
        java.nio.file.Files.writeString(dir.resolve("s.csv"), "0, 1.5\n2, 0.5\n2, 0.8\n");
        final java.nio.file.Path file = dir.resolve("net.ode");
        java.nio.file.Files.writeString(file, HEAD + String.join("\n",
                "population stim 3 spikes from \"s.csv\"",
                "projection C: E -> I connect from \"c.csv\" on_pre u += w0",
                "projection D: stim -> I connect one-to-one on_pre u += w0", ""));
        // WHEN the model file is read
        final Model m = ModelFile.read(file).model();
        // THEN the synapses are the file's, by source
        assertArrayEquals(new int[][] {{0, 3, 3}, {2, 1, 0}}, pairs(m.projections().get(0)));
        final Projection d = m.projections().get(1);
        assertEquals(3, d.synapses());
        // AND a text without its directory cannot read files: the error says so
        final OdeException e = assertThrows(OdeException.class, () -> ModelFile.document(
                java.nio.file.Files.readString(file), "net.ode", "net"));
        assertTrue(e.getMessage().contains("line 15") && e.getMessage().contains("needs a model file"),
                e.getMessage());
    }

    @Test
    void aProbabilityDrawsTheSameSynapsesForTheSameSeedAndOthersForAnother() {
        final String line = "projection EE: E -> E connect p = 0.3 on_pre ge += w0";
        final int[][] a = pairs(model(line, 7).projections().get(0));
        final int[][] b = pairs(model(line, 7).projections().get(0));
        final int[][] c = pairs(model(line, 8).projections().get(0));
        assertArrayEquals(a, b);
        assertNotEquals(java.util.Arrays.deepToString(a), java.util.Arrays.deepToString(c));
        // 64 pairs at p = 0.3: 19.2 expected, standard deviation 3.7; 5 standard deviations either side
        assertTrue(a[0].length > 0 && a[0].length < 38, a[0].length + " synapses");
    }

    @Test
    void theGeometricSamplerDrawsAsManySynapsesAsTheProbabilitySays() {
        // 4000 x 4000 pairs at p = 0.02 (the CUBA network): 320,000 expected, standard deviation 560; a sampler
        // off by one step per jump would miss by 2% (6,400), 11 standard deviations
        final ModelBuilder b = ModelBuilder.named("big");
        final Var v = b.vector("v", 4000, "");
        b.ode(v, "-v");
        b.population(new PopulationSpec("P", 4000, List.of("v")));
        b.event(org.neurode.core.spec.EventSpec.of("spike", "v > 1", "v = 0"));
        b.projection(ProjectionSpec.of("C", "P", "P", ConnectSpec.probability("0.02"), "v += 0.1"));
        final int n = b.seed(3).build().projections().get(0).synapses();
        assertTrue(Math.abs(n - 320_000) < 5 * 560, n + " synapses");
    }

    @Test
    void errorsNameTheStatementTheFieldTheLineAndTheColumn() {
        // an unknown variable
        OdeException e = error("projection EE: E -> E connect all on_pre gx += w0");
        assertTrue(e.getMessage().startsWith("net.ode line 15, column 42:"), e.getMessage());
        assertTrue(e.getMessage().contains("on_pre statement 'gx += w0'") && e.getMessage().contains("'gx' is not a "
                + "variable of the projection"), e.getMessage());
        // _pre / _post on the wrong side
        e = error("projection EI: E -> I connect all on_pre u_pre += w0");
        assertTrue(e.getMessage().contains("line 15, column 42") && e.getMessage().contains("'u' belongs to "
                + "population 'I', the target of the projection, not its source: write 'u_post'"), e.getMessage());
        e = error("projection EI: E -> I connect all on_pre v_post += w0");
        assertTrue(e.getMessage().contains("'v' belongs to population 'E', the source of the projection, not its "
                + "target: write 'v_pre'"), e.getMessage());
        // a negative delay
        e = error("projection EE: E -> E connect all on_pre ge += w0 delay -1");
        assertTrue(e.getMessage().contains("line 15, column 51") && e.getMessage().contains("the delay '-1' is "
                + "negative"), e.getMessage());
        // a probability outside [0, 1], as a number and as an expression
        e = error("projection EE: E -> E connect p = 1.5 on_pre ge += w0");
        assertTrue(e.getMessage().contains("line 15, column 31") && e.getMessage().contains("probability p = 1.5 "
                + "is outside [0, 1]"), e.getMessage());
        e = error("projection EE: E -> E connect p = 0.2 * i on_pre ge += w0");
        assertTrue(e.getMessage().contains("line 15") && e.getMessage().contains("p = 0.2 * i is ")
                && e.getMessage().contains(" for i = 6, j = 0, outside [0, 1]"), e.getMessage());
        // a unit mismatch in on_pre
        e = error("projection EE: E -> E connect all on_pre ge += tau");
        assertTrue(e.getMessage().contains("line 15, column 42") && e.getMessage().contains("on_pre statement "
                + "'ge += tau'") && e.getMessage().contains("'ge' is in mV"), e.getMessage());
        // an event-driven equation whose right-hand side is not per time unit (found by the fuzz campaign: the
        // error named neither the file nor the line); it names the equation's own line and column
        e = error("projection EE: E -> E connect all on_pre A += 1\nsynapse EE.dA/dt = -A (event-driven) unit 1");
        assertTrue(e.getMessage().startsWith("net.ode line 16, column 9") && e.getMessage().contains("event-driven equation "
                + "'dA/dt = -A'") && e.getMessage().contains("the right-hand side is in 1, not in the unit of A per "
                + "time unit"), e.getMessage());
        // a population that does not exist, an event the source does not have
        e = error("projection X: E -> Q connect all on_pre ge += w0");
        assertTrue(e.getMessage().contains("the target 'Q' is not a population of the model; populations: E, I"),
                e.getMessage());
        e = error("projection X: I -> E connect all on_pre ge += w0");
        assertTrue(e.getMessage().contains("population 'I' has no event 'spike'"), e.getMessage());
    }

    @Test
    void populationErrorsNameTheVariable() {
        OdeException e = assertThrows(OdeException.class, () -> ModelFile.document(HEAD.replace(
                "population I 4: u", "population I 5: u"), "net.ode", "net"));
        assertTrue(e.getMessage().contains("line 13") && e.getMessage().contains("'u' has 4x1 elements but the "
                + "population has 5 members"), e.getMessage());
        e = assertThrows(OdeException.class, () -> ModelFile.document(HEAD.replace("population I 4: u",
                "population I 8: v"), "net.ode", "net"));
        assertTrue(e.getMessage().contains("'v' already belongs to population 'E'"), e.getMessage());
    }
}
