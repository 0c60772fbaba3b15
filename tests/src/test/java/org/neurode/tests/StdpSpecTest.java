package org.neurode.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.neurode.core.OdeException;
import org.neurode.core.expr.ModelDocuments;
import org.neurode.core.spec.ModelDocument;
import org.neurode.core.spec.ProjectionSpec;

/**
 * Issue 14: on_post statements and event-driven synapse equations in model documents: read from a model file,
 * written and read back in every format to an equal specification; malformed equations refused naming the line.
 */
class StdpSpecTest {

    private static final Path STDP = Path.of("..", "examples", "models", "stdp.ode");

    @Test
    void stdpModelFileRoundTripsThroughEveryFormat() throws IOException {
        // GIVEN examples/models/stdp.ode
        final ModelDocument doc = ModelDocuments.read(STDP);
        final ProjectionSpec s = doc.model().projections().get(0);
        assertEquals("Apost += dApost; w = clip(w + Apre, 0, gmax)",
                org.neurode.core.spec.StatementSpec.text(s.onPost()));
        assertEquals("-Apre / taupre", s.variables().get(1).rate().text());
        // WHEN written and read back in each format THEN the specification is equal
        for (final ModelDocuments.Format f : ModelDocuments.Format.values()) {
            final String text = ModelDocuments.write(doc, f);
            assertEquals(doc, ModelDocuments.parse(text, f, "stdp." + f, "stdp"), f + ":\n" + text);
        }
    }

    @Test
    void aSynapseEquationWithoutEventDrivenIsRefusedNamingTheLine() {
        final String text = "population in 2 poisson 10 Hz\nstate v[1] = 0\ndv/dt = -v\npopulation P 1: v\n"
                + "threshold v > 1\nreset v = 0\nprojection S: in -> P connect all on_pre v += 1\n"
                + "synapse S.dA/dt = -A / 5\n";
        final OdeException e = assertThrows(OdeException.class, () -> ModelDocuments.parse(text,
                ModelDocuments.Format.ODE, "m.ode", "m"));
        assertTrue(e.getMessage().contains("line 8") && e.getMessage().contains("event-driven"), e.getMessage());
    }

    @Test
    void yamlUpdateOtherThanEventOrClockDrivenIsRefusedNamingTheField() throws IOException {
        final String yaml = ModelDocuments.write(ModelDocuments.read(STDP), ModelDocuments.Format.YAML)
                .replaceFirst("update: event-driven", "update: continuous");
        final OdeException e = assertThrows(OdeException.class, () -> ModelDocuments.parse(yaml,
                ModelDocuments.Format.YAML, "m.yaml", "m"));
        assertTrue(e.getMessage().contains("update must be 'event-driven' or 'clock-driven'; found 'continuous'"),
                e.getMessage());
    }
}
