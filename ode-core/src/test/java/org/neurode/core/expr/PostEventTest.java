package org.neurode.core.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.neurode.core.OdeException;
import org.neurode.core.Projection;
import org.neurode.core.spec.ModelDocument;
import org.neurode.core.spec.ModelSpec;
import org.neurode.core.spec.ProjectionSpec;

/**
 * {@code on_post} statements run on another event of the target than {@code spike} (Brian2's {@code
 * on_event={'post': 'burst'}}): as data, as text and in every format; an event the target does not have is an
 * error listing its events.
 */
class PostEventTest {

    private static final String HEAD = String.join("\n",
            "model bursts",
            "state v[3] = 0",
            "state c[3] = 0",
            "state u[2] = 0",
            "dv/dt = 1 - v",
            "dc/dt = -c",
            "du/dt = 2 - u",
            "population T 3: v, c",
            "population S 2: u",
            "threshold v > 0.5",
            "reset v = 0; c += 1",
            "event burst: c > 1.5 reset c = 0 detection step-end",
            "event sspike: u > 1 reset u = 0 detection step-end",
            "");

    private static ModelDocument doc(final String line) {
        return ModelFile.document(HEAD + line + "\n", "bursts.ode", "bursts");
    }

    @Test
    void onPostOnABurstEventIsReadWrittenAndCompiledWithThatEvent() {
        final ModelDocument d = doc("projection P: S -> T on sspike connect all on_pre c_post += 0 "
                + "on_post w += 1 post_event burst\nsynapse P.w = 0");
        final ProjectionSpec p = d.model().projections().get(0);
        assertEquals("burst", p.postEvent());
        // the model file, JSON and YAML forms carry it and read back equal
        for (final ModelDocuments.Format f : ModelDocuments.Format.values()) {
            final ModelSpec back = ModelDocuments.parse(ModelDocuments.write(d, f), f, "bursts", "bursts")
                    .model();
            assertEquals(d.model().projections(), back.projections(), f.toString());
        }
        // the compiled projection runs its on_post statements on the target's event burst
        final Projection built = ModelBuilder.from(d.model()).build().projections().get(0);
        assertEquals("burst", built.targetEvent());
        // the default stays spike, and Java says it with withPostEvent
        assertEquals("spike", ProjectionSpec.of("Q", "S", "T", org.neurode.core.spec.ConnectSpec.ALL, "c += 1")
                .postEvent());
        assertEquals("burst", ProjectionSpec.of("Q", "S", "T", org.neurode.core.spec.ConnectSpec.ALL, "c += 1")
                .withPostEvent("burst").postEvent());
    }

    @Test
    void anEventTheTargetDoesNotHaveIsAnErrorListingItsEvents() {
        final OdeException e = assertThrows(OdeException.class, () -> ModelBuilder.from(doc(
                "projection P: S -> T on sspike connect all on_post c += 1 post_event sspike").model()).build());
        assertTrue(e.getMessage().contains("on_post statements run when the target population 'T' fires its event "
                + "'sspike', which it does not have (its events: spike, burst)"), e.getMessage());
    }
}
