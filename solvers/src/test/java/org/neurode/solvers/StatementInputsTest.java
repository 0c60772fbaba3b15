package org.neurode.solvers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;
import org.neurode.core.Problem;
import org.neurode.core.Recorder;
import org.neurode.core.Trajectory;
import org.neurode.core.expr.ModelFile;

/** Statements of projections read inputs of either side ({@code I_pre}, {@code J_post}) from the input buffer. */
class StatementInputsTest {

    @Test
    void onPreReadsTheSourcesAndTheTargetsInputs() {
        // GIVEN two sources with inputs I = 0.5 and 2 that fire once at t = 1 (v reaches 0.95 at step 10), onto
        // two targets with inputs J = 10 and 30, all to all: each synapse adds I_pre + J_post to g of its target
        final String text = String.join("\n", "model inputs", "input I[2] = 0.5, 2", "state v[2] = 0",
                "dv/dt = 1", "population S 2: v, I", "threshold v > 0.95", "reset v = -10",
                "input J[2] = 10, 30", "state g[2] = 0", "dg/dt = 0 * g", "population T 2: g, J",
                "projection C: S -> T connect all on_pre g += I_pre + 0.001 * J_post", "time 0 1.5");
        final Trajectory tr = Solvers.get("euler").solve(Problem.of(ModelFile.parse(text, "inputs.ode", "inputs")
                .model(), 1.5), SolveOptions.fixedStep(0.1).withRecorder(Recorder.finalOnly()));
        // THEN g = sum over sources (I + 0.001 J): 2.5 + 0.02 = 2.52 and 2.5 + 0.06 = 2.56 (reading the state
        // layout at the inputs' offsets would give other numbers); sums of a few terms, rounding below 1e-15
        final double[] g = {tr.finalState()[2], tr.finalState()[3]};
        assertArrayEquals(new double[] {2.52, 2.56}, g, 1e-15);
    }
}
