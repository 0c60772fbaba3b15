package org.neurode.solvers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.neurode.core.EventLog;
import org.neurode.core.Model;
import org.neurode.core.Problem;
import org.neurode.core.Recorder;
import org.neurode.core.Trajectory;
import org.neurode.core.expr.ModelBuilder;
import org.neurode.core.expr.Var;
import org.neurode.core.spec.EventSpec;

/** Issue 14: events with conditions and statements in runs of the fixed-step, adaptive and Hipparchus engines. */
class EventHandlingTest {

    /** dv/dt = rate (per member), fires above 1 and resets to 0 (unit-free). */
    private static ModelBuilder ramp(final int n, final String rate) {
        final ModelBuilder b = ModelBuilder.named("ramp");
        final Var v = b.vector("v", n, "");
        b.ode(v, rate);
        return b;
    }

    private static int[] counts(final EventLog ev, final String detector, final int n) {
        final int[] c = new int[n];
        for (int k = 0; k < ev.size(); k++) {
            if (ev.detector(k).equals(detector)) {
                c[ev.member(k)]++;
            }
        }
        return c;
    }

    @Test
    void autoDetectionIsRootFindingOnAdaptiveSolversAndStepEndsOnFixedStepOnes() {
        // GIVEN dv/dt = 1 firing above 1: spikes at t = 1, 2, 3, ...
        final Model m = ramp(1, "1").event(EventSpec.of("spike", "v > 1", "v = 0")).build();
        // WHEN solved adaptively
        final EventLog adaptive = Solvers.get("tsit5").solve(Problem.of(m, 3.5), SolveOptions.defaults()).events();
        // THEN the spikes are located at the crossings
        assertEquals(3, adaptive.size());
        for (int k = 0; k < 3; k++) {
            assertEquals(k + 1.0, adaptive.time(k), 1e-8);
        }
        // AND on a fixed step of 0.3 they are found at the ends of the steps (1.2 after 4 steps, whose start 0.9
        // is logged), as in Brian2: v = 1.2 is reset to 0, so the next spike is 4 steps later
        final EventLog fixed = Solvers.get("euler").solve(Problem.of(m, 3.5), SolveOptions.fixedStep(0.3)).events();
        assertArrayEquals(new double[] {0.9, 2.1, 3.3}, fixed.times(), 1e-12);
    }

    @Test
    void equationsMarkedUnlessRefractoryAreHeldTheOthersMove() {
        // GIVEN v (held while refractory) and x (not held), both rising at rate 1, a spike above 1 with a
        // refractory period of 0.5
        final ModelBuilder b = ramp(1, "1 (unless refractory)");
        final Var x = b.vector("x", 1, "");
        b.ode(x, "1");
        b.event(EventSpec.of("spike", "v > 1", "v = 0; x = 0").withRefractory("0.5"));
        final Model m = b.build();
        for (final String solver : new String[] {"euler", "tsit5", "dormand-prince-54"}) {
            // WHEN solved to t = 1.25 (spike at 1 on the adaptive solvers; at the end of the step to 1.1,
            // logged at 1.0, on the fixed step 0.1)
            final SolveOptions o = "euler".equals(solver) ? SolveOptions.fixedStep(0.1) : SolveOptions.defaults();
            final Trajectory tr = Solvers.get(solver).solve(Problem.of(m, 1.25), o.withRecorder(Recorder.every(1.25)));
            // THEN v is still at its reset and x has moved on
            assertEquals(1, tr.events().size(), solver);
            final double[] y = tr.finalState();
            final double spikeEnd = "euler".equals(solver) ? 1.1 : 1.0;
            assertEquals(0.0, y[m.layout().block("v").offset()], 1e-9, solver);
            assertEquals(1.25 - spikeEnd, y[m.layout().block("x").offset()], 1e-9, solver);
        }
    }

    @Test
    void refractoryPeriodsPerMemberFromAnExpression() {
        // GIVEN three members rising at rate 1, reset to 0 above 1, refractory for 1 + i time units (held)
        final Model m = ramp(3, "1 (unless refractory)").event(EventSpec.of("spike", "v > 1", "v = 0")
                .withRefractory("1 + i")).build();
        // WHEN solved adaptively for 10.5
        final EventLog ev = Solvers.get("tsit5").solve(Problem.of(m, 10.5), SolveOptions.defaults()).events();
        // THEN member i fires every 2 + i: at 1, 3, 5, 7, 9 / 1, 4, 7, 10 / 1, 5, 9
        assertArrayEquals(new int[] {5, 4, 3}, counts(ev, "spike", 3));
    }

    @Test
    void stepEndConditionsAreAllEvaluatedBeforeAnyResetAsInBrian2() {
        // GIVEN a spike above 1 (reset to 0) and an event 'high' above 0.5 that counts in c: the step to v = 1.2
        // satisfies both, and the spike's reset must not hide 'high'
        final ModelBuilder b = ramp(1, "1");
        final Var c = b.vector("c", 1, "");
        b.ode(c, "0");
        b.event(EventSpec.of("spike", "v > 1", "v = 0"));
        b.event(EventSpec.of("high", "v > 0.5", "c += 1").withRefractory("0.5"));
        final Model m = b.build();
        // WHEN stepped with euler, 0.3
        final Trajectory tr = Solvers.get("euler").solve(Problem.of(m, 1.25), SolveOptions.fixedStep(0.3));
        // THEN 'high' fires at the step ending at 0.6 (logged 0.3) and, after its refractory period, again with
        // the spike at the step ending at 1.2 (logged 0.9)
        assertEquals(1, counts(tr.events(), "spike", 1)[0]);
        assertEquals(2, counts(tr.events(), "high", 1)[0]);
        assertEquals(2.0, tr.finalState()[m.layout().block("c").offset()]);
    }

    @Test
    void statementsReadTheRunsParameters() {
        // GIVEN a reset to a parameter
        final ModelBuilder b = ramp(1, "1");
        b.param("vr", 0.0);
        b.event(EventSpec.of("spike", "v > 1", "v = vr"));
        final Model m = b.build().withParameter("vr", 0.5);
        // WHEN the parameter is changed for a run
        final EventLog ev = Solvers.get("tsit5").solve(Problem.of(m, 2.2), SolveOptions.defaults()).events();
        // THEN the reset uses the new value: spikes at 1, 1.5, 2
        assertArrayEquals(new double[] {1.0, 1.5, 2.0}, ev.times(), 1e-8);
        assertTrue(ev.size() == 3);
    }
}
