package org.neurode.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.neurode.examples.snippets.CoreSnippet;
import org.neurode.examples.snippets.ModelsSnippet;
import org.neurode.examples.snippets.SolversSnippet;

/** The module READMEs' examples run and give sensible results. */
class SnippetsTest {

    @Test
    void coreExampleBuildsALifPopulation() {
        assertEquals(100, CoreSnippet.model().layout().block("v").size());
    }

    @Test
    void solversExampleAgreesOnTheSpikeCount() {
        // 100 identical neurons driven 5 mV above threshold: tau ln(20/5) = 13.86 ms to the first spike, then
        // every 13.86 + 2 ms: spikes at 13.9, 29.7, 45.6, 61.5, 77.3, 93.2 ms, 6 each, 600 in all, either solver
        final long[] spikes = SolversSnippet.spikeCounts();
        assertEquals(600, spikes[0]);
        assertEquals(600, spikes[1]);
    }

    @Test
    void modelsExampleRunsThreePatterns() {
        final double[] u2 = ModelsSnippet.outputAfterThreePatterns();
        for (final double u : u2) {
            assertTrue(Double.isFinite(u) && Math.abs(u) < 10, "u2 = " + u);
        }
    }
}
