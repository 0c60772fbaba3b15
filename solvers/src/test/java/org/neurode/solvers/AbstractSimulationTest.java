package org.neurode.solvers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.neurode.core.Detection;
import org.neurode.core.Model;
import org.neurode.core.Problem;
import org.neurode.core.expr.ModelBuilder;
import org.neurode.core.expr.Var;

/** The shared engine, driven directly the way an adaptive method drives it. */
class AbstractSimulationTest {

    private static final SolverInfo INFO = new SolverInfo("probe", 1, true, Stiffness.NONSTIFF, false,
            "evaluates the right-hand side where a test tells it to (test double)");

    /** A simulation whose steps are taken by the test. */
    private static final class Probe extends AbstractSimulation {
        Probe(final Problem problem) {
            super(problem, SolveOptions.defaults(), INFO);
        }

        @Override
        protected void integrate(final double tEnd) {
            t = tEnd;
        }

        double derivativeAt(final double time) {
            final double[] dydt = new double[n];
            derivatives(time, y, dydt);
            return dydt[0];
        }

        void spikeNow() {
            fire(0, 0, t, y);
        }
    }

    @Test
    void issue2_aTrialStagePastTheRefractoryEndEndedTheMaskingEarly() {
        // GIVEN a neuron v' = (2 - v)/10 that spikes at t = 0 and is refractory for 2 ms
        final ModelBuilder b = ModelBuilder.named("one");
        final Var v = b.scalar("v", "1");
        b.param("tau", 10.0);
        b.ode(v, "(2 - v) / tau");
        b.threshold(v, 1.0, 0.0, 2.0, Detection.CONTINUOUS);
        final Model model = b.build();
        final Probe probe = new Probe(Problem.of(model, 10.0));
        probe.spikeNow();
        // WHEN, like an adaptive method, the right-hand side is evaluated at a trial stage past the refractory
        // end (t = 3) and then, after the step was rejected, inside the period (t = 1)
        final double past = probe.derivativeAt(3.0);
        final double inside = probe.derivativeAt(1.0);
        // THEN the neuron moves after its period and is still held within it (the first evaluation past the
        // last refractory end used to switch the masking off for good)
        assertEquals(0.2, past, 1e-15);
        assertEquals(0.0, inside);
    }
}
