package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.neurode.core.Trajectory;
import org.neurode.solvers.SolveOptions;

/** The README's library example gives the right numbers when built against the installed artifacts. */
class PyramidalTest {

    @Test
    void apicalPotentialDecaysAsItsClosedForm() {
        // dvA/dt = -vA / tauD is linear and diagonal: exponential Euler integrates it exactly, so vA(t) =
        // vA(0) exp(-t / 2 ms) up to rounding (1e-12 relative over 200 steps)
        Trajectory tr = Pyramidal.run("exponential-euler", SolveOptions.fixedStep(0.1));
        double[] t = tr.times();
        double[] vA0 = tr.column("vA[0]");
        for (int k = 0; k < t.length; k++) {
            assertEquals(2.0 * Math.exp(-t[k] / 2.0), vA0[k], 1e-12 * 2.0, "t = " + t[k]);
        }
    }

    @Test
    void weightsLearnAsAnIndependentTightSolveSays() {
        // GIVEN the fixed-step run of the example and dop853 at rtol 1e-10 on the same model
        Trajectory euler = Pyramidal.run("exponential-euler", SolveOptions.fixedStep(0.1));
        Trajectory reference = Pyramidal.run("dop853", SolveOptions.tolerances(1e-10, 1e-12));
        double[] w = euler.column("W[0,0]");
        double[] wRef = reference.column("W[0,0]");
        // THEN the weight moved (the apical input makes the soma deviate from its basal prediction) ...
        double change = wRef[wRef.length - 1] - wRef[0];
        assertTrue(Math.abs(change) > 1e-3, "weight change " + change);
        // ... and exponential Euler at 0.1 ms gets the change right to its first-order error, about
        // h / tauD = 5% of the change (the coupled compartments are explicit in it; measured 2.7%)
        assertEquals(change, w[w.length - 1] - w[0], 0.05 * Math.abs(change));
    }
}
