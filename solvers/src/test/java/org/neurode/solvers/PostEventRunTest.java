package org.neurode.solvers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.neurode.core.Problem;
import org.neurode.core.Recorder;
import org.neurode.core.Trajectory;
import org.neurode.core.expr.ModelFile;

/** {@code on_post} statements run on the target's event named by {@code post_event}, not on its spikes. */
class PostEventRunTest {

    @Test
    void onPostRunsOnTheTargetsBurstsOnly() {
        // GIVEN targets whose every second spike makes a burst (c counts spikes, bursts at c > 1.5), and synapses
        // from two sources that count their target's on_post runs in w (plus spikes in s, on the spike event)
        final String head = String.join("\n", "model bursts", "state v[3] = 0", "state c[3] = 0", "state u[2] = 0",
                "dv/dt = 1.5 - v", "dc/dt = 0 * c", "du/dt = 0 * u", "population T 3: v, c", "population S 2: u",
                "threshold v > 1", "reset v = 0; c += 1", "event burst: c > 1.5 reset c = 0 detection step-end",
                "event sspike: u > 1 reset u = 0 detection step-end", "");
        final String text = head + String.join("\n",
                "projection B: S -> T on sspike connect all on_post w += 1 post_event burst",
                "synapse B.w = 0",
                "projection K: S -> T on sspike connect all on_post s += 1",
                "synapse K.s = 0", "time 0 30");
        final Simulation sim = Solvers.get("euler").start(Problem.of(ModelFile.parse(text, "b.ode", "b").model(),
                30.0), SolveOptions.fixedStep(0.1).withRecorder(Recorder.finalOnly()));
        sim.advanceTo(30.0);
        final double[] w = sim.synapseValues("B", "w");
        final double[] s = sim.synapseValues("K", "s");
        final Trajectory tr = sim.finish();
        final int spikes = tr.events().count("spike");
        final int bursts = tr.events().count("burst");
        // THEN each burst of a target adds 1 to w of its 2 synapses, each spike 1 to s of them
        assertTrue(bursts > 3 && spikes >= 2 * bursts, spikes + " spikes, " + bursts + " bursts");
        assertEquals(2.0 * bursts, java.util.Arrays.stream(w).sum(), 0.0);
        assertEquals(2.0 * spikes, java.util.Arrays.stream(s).sum(), 0.0);
    }
}
