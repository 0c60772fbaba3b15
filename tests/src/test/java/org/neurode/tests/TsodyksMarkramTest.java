package org.neurode.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.neurode.core.Problem;
import org.neurode.core.Recorder;
import org.neurode.core.Trajectory;
import org.neurode.core.expr.ModelFile;
import org.neurode.solvers.SolveOptions;
import org.neurode.solvers.Solvers;

/**
 * Issue 14: short-term plasticity of Tsodyks and Markram written with event-driven synapse variables
 * ({@code examples/models/tsodyks_markram.ode}) against the closed-form recursion of the model (Tsodyks,
 * Pawelzik & Markram 1998; Markram, Wang & Tsodyks 1998): between spikes u decays to 0 with tau_f and x recovers
 * to 1 with tau_d exactly, at a spike u += U (1 - u), r = u x, x -= r.
 */
class TsodyksMarkramTest {

    private static final double[] SPIKES = {10, 60, 110, 160, 210, 260, 310, 360, 860};

    /** The released fraction r at each spike, by the recursion. */
    private static double[] recursion(final double bigU, final double tauD, final double tauF) {
        final double[] r = new double[SPIKES.length];
        double u = 0;
        double x = 1;
        for (int k = 0; k < SPIKES.length; k++) {
            if (k > 0) {
                final double gap = SPIKES[k] - SPIKES[k - 1];
                u = u * Math.exp(-gap / tauF);
                x = 1 + (x - 1) * Math.exp(-gap / tauD);
            }
            u += bigU * (1 - u);
            r[k] = u * x;
            x -= r[k];
        }
        return r;
    }

    @Test
    void depressingAndFacilitatingSynapsesReleaseWhatTheRecursionGives() {
        // GIVEN the example: one presynaptic neuron, eight spikes at 20 Hz and one 500 ms later, onto a depressing
        // and a facilitating synapse whose targets sum the released fractions (dpsc/dt = 0)
        final ModelFile file = ModelFile.read(Path.of("..", "examples", "models", "tsodyks_markram.ode"));
        // WHEN run with forward Euler at dt 0.1 ms, psc recorded every step
        final Trajectory tr = Solvers.get("euler").solve(Problem.of(file.model(), 1000.0),
                SolveOptions.fixedStep(0.1).withRecorder(Recorder.every(0.1).of("psc[0]", "psc[1]")));
        // THEN the jump of psc at each spike is the released fraction of the recursion; the same exponentials in
        // another order (x's relaxation is X_inf + (X - X_inf) e^(a elapsed) with a = -1/tau_d): measured 1.1e-16,
        // bound 1e-14 (a hundred ulps of values below 1)
        final double[] dep = tr.column("psc[0]");
        final double[] fac = tr.column("psc[1]");
        final double[] depressing = recursion(0.5, 800, 50);
        final double[] facilitating = recursion(0.05, 100, 1000);
        for (int k = 0; k < SPIKES.length; k++) {
            // the spike at t is delivered in the step starting at t, so psc has jumped by the end of that step
            final int before = (int) Math.round(SPIKES[k] / 0.1);
            final double dDep = dep[before + 1] - dep[before];
            final double dFac = fac[before + 1] - fac[before];
            assertEquals(depressing[k], dDep, 1e-14, "depressing synapse, spike " + k);
            assertEquals(facilitating[k], dFac, 1e-14, "facilitating synapse, spike " + k);
        }
        // AND the behaviours the two parameter sets are chosen for: the first spike releases U; the depressing
        // synapse weakens over the train and recovers over the 500-ms pause; the facilitating one strengthens
        assertEquals(0.5, depressing[0], 0.0);
        assertTrue(depressing[7] < 0.2 * depressing[0] && depressing[8] > 4 * depressing[7]);
        assertTrue(facilitating[7] > 4 * facilitating[0]);
        assertEquals(SPIKES.length, tr.eventCount());
    }
}
