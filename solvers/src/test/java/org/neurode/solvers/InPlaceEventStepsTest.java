package org.neurode.solvers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.neurode.core.EventLog;
import org.neurode.core.Model;
import org.neurode.core.Problem;
import org.neurode.core.Recorder;
import org.neurode.core.Trajectory;
import org.neurode.core.expr.ModelBuilder;
import org.neurode.core.spec.ConnectSpec;
import org.neurode.core.spec.EventSpec;
import org.neurode.core.spec.PopulationSpec;
import org.neurode.core.spec.ProjectionSpec;

/**
 * Steps written over the state (in place) on models with events checked at step ends: the refractory members'
 * held elements are saved before the step and put back after it. A run whose recorder samples inside every step
 * takes the two-buffer path instead; both must give the same bits.
 */
class InPlaceEventStepsTest {

    /** 200 leaky neurons, refractory 2, driven by Poisson input and coupled at random (p = 0.05). */
    private static Model network() {
        final ModelBuilder b = ModelBuilder.named("in-place-net");
        b.param("tau", 10.0);
        final org.neurode.core.expr.Var v = b.vector("v", 200, "");
        final org.neurode.core.expr.Var g = b.vector("g", 200, "");
        b.ode(v, "(1.05 + 0.1 * i / N - v + g) / tau (unless refractory)");
        b.ode(g, "-g / 5");
        b.population(new PopulationSpec("P", 200, List.of("v", "g")));
        b.event(EventSpec.of("spike", "v > 1", "v = 0").withRefractory("2"));
        b.population(PopulationSpec.poisson("in", 50, "0.02"));
        b.projection(ProjectionSpec.of("In", "in", "P", ConnectSpec.probability("0.1"), "g += 0.2"));
        b.projection(ProjectionSpec.of("Rec", "P", "P", ConnectSpec.probability("0.05"), "g += 0.05"));
        return b.build();
    }

    @Test
    void inPlaceStepsGiveTheBitsOfTwoBufferSteps() {
        for (final String solver : new String[] {"euler", "exponential-euler"}) {
            final Model m = network();
            // GIVEN a run recording only the final state (in-place steps) and one sampling inside every step
            final Trajectory inPlace = Solvers.get(solver).solve(Problem.of(m, 500.0),
                    SolveOptions.fixedStep(0.1).withRecorder(Recorder.finalOnly()));
            final Trajectory buffered = Solvers.get(solver).solve(Problem.of(m, 500.0),
                    SolveOptions.fixedStep(0.1).withRecorder(Recorder.every(0.05).of("v[0]")));
            // THEN the same spikes at the same times and the same final state, to the bit
            final EventLog a = inPlace.events();
            final EventLog b = buffered.events();
            assertTrue(a.count("spike") > 500, solver + ": " + a.count("spike") + " spikes");
            assertEquals(a.size(), b.size(), solver);
            for (int k = 0; k < a.size(); k++) {
                assertEquals(a.time(k), b.time(k), 0.0, solver);
                assertEquals(a.member(k), b.member(k), solver);
            }
            assertArrayEquals(inPlace.finalState(), buffered.finalState(), 0.0, solver);
        }
    }
}
