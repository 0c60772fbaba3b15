package org.neurode.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.neurode.core.Model;
import org.neurode.core.ThresholdEvent;
import org.neurode.examples.snippets.CoreSnippet;
import org.neurode.examples.snippets.ModelsSnippet;
import org.neurode.examples.snippets.SolversSnippet;

/** The module READMEs' examples run and give sensible results. */
class SnippetsTest {

    @Test
    void coreExampleBuildsALifPopulation() {
        // GIVEN the README's LIF population
        final Model model = CoreSnippet.model();
        assertEquals(100, model.layout().block("v").size());
        assertEquals(Map.of("tau", 10.0, "E_L", -65.0, "drive", 20.0), model.parameters().asMap());
        // WHEN its compiled right-hand side is evaluated at the initial state (every v at -65 mV) and at v = -50
        final double[] y = model.initialState();
        final double[] dydt = new double[y.length];
        model.equation().derivatives(0.0, y, dydt);
        // THEN dv/dt = (E_L - v + drive)/tau = (-65 + 65 + 20)/10 = 2 mV/ms, and 0.5 at -50 mV (exact in binary)
        final int v0 = model.layout().index("v[0]");
        for (int i = 0; i < 100; i++) {
            assertEquals(-65.0, y[v0 + i], 0.0);
            assertEquals(2.0, dydt[v0 + i], 0.0, "v[" + i + "]");
        }
        java.util.Arrays.fill(y, v0, v0 + 100, -50.0);
        model.equation().derivatives(0.0, y, dydt);
        assertEquals(0.5, dydt[v0 + 99], 0.0);
        // AND the threshold event is the one written: -50 mV, reset -65 mV, 2 ms refractory
        final ThresholdEvent spike = (ThresholdEvent) model.events().get(0);
        assertEquals(-50.0, spike.threshold(), 0.0);
        assertEquals(-65.0, spike.reset(), 0.0);
        assertEquals(2.0, spike.refractoryPeriod(), 0.0);
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
        // GIVEN the README's microcircuit run (random weights and patterns from fixed seeds, noise from the
        // default seed): a deterministic computation
        final double[] u2 = ModelsSnippet.outputAfterThreePatterns();
        // THEN the output potentials equal the values this code produced (with the SIMD kernels and with
        // -Dneurode.simd=false: they differ by 2e-17 at most). The bound 1e-10 leaves room for other orders of the
        // same operations (rounding grows little over 600 steps of a contracting circuit) and is far below what a
        // change of the integration does: half the step, or one more 0.5-ms step per pattern, moves u2 by 0.20 and
        // 0.27 (measured). Regenerated when exponential Euler's noise became the stochastic exponential increment
        // (exact Ornstein-Uhlenbeck variance: smaller than the Euler-Maruyama increment at this 0.5-ms step)
        final double[] golden = {0.06666966820703793, 0.03021837259500267, 0.020578959223035577,
                                 0.018529976276051026, 0.12155484196708374, 0.11146799542740367, 0.02591450906751505,
                                 0.07807465037523593, 0.08131075045995965, 0.0033531028517697486};
        assertArrayEquals(golden, u2, 1e-10);
    }
}
