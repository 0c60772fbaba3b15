package org.neurode.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.neurode.core.Status;
import org.neurode.core.Trajectory;
import org.neurode.core.Problem;
import org.neurode.models.LifPopulation;
import org.neurode.solvers.SolveOptions;
import org.neurode.solvers.Solvers;

/** Regression tests of event handling found while building the command line. */
class EventRegressionTest {

    @Test
    void issue002_crossingThatRoundsToTheStepStartDoesNotHang() {
        // GIVEN the standard LIF population, which at t = 8193.399 ms has a crossing whose located time
        // rounded back to the step start: the old code fired nobody there and looped forever
        // WHEN integrating past it (a hang here would be caught by the time limit, not the assertion)
        final Trajectory tr = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> Solvers.get("exponential-euler")
                .solve(Problem.of(LifPopulation.standard(100), 8200.0), SolveOptions.fixedStep(0.1)));
        // THEN the run ends normally, every step was taken once
        assertEquals(Status.SUCCESS, tr.status());
        assertEquals(8200.0, tr.finalTime(), 1e-9);
        assertTrue(tr.eventCount() > 40_000, "spikes: " + tr.eventCount());
    }
}
