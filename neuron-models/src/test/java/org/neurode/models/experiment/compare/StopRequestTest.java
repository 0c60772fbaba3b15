package org.neurode.models.experiment.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.neurode.models.experiment.Checkpoints;
import org.neurode.models.experiment.Progress;
import org.neurode.models.experiment.RunStatus;

/**
 * A stop request ends a solver comparison after the current run: the result is INTERRUPTED and holds exactly the
 * runs measured until then, each equal to the same run of an uninterrupted comparison.
 */
class StopRequestTest {

    @Test
    void aStopRequestEndsTheComparisonAfterTheCurrentRun() {
        // GIVEN 2 solvers x 2 tolerances on one small problem (4 runs), and a receiver that asks to stop after 2
        final CompareSolversSettings settings = new CompareSolversSettings(List.of("HIRES"), List.of(),
                List.of("tsit5", "rodas5p"), List.of(1e-4, 1e-6), List.of(100), 1, 2_000_000L);
        final int[] updates = new int[1];
        final Progress stopAfterTwo = new Progress() {
            @Override
            public void update(final long done, final long total, final Map<String, Double> metrics) {
                updates[0]++;
                assertEquals(4, total);
            }

            @Override
            public boolean stopRequested() {
                return updates[0] >= 2;
            }
        };
        // WHEN it runs with that receiver, and again without one
        final CompareSolversResult stopped = CompareSolvers.INSTANCE.run(settings, stopAfterTwo, Checkpoints.NONE);
        final CompareSolversResult whole = CompareSolvers.INSTANCE.run(settings, Progress.NONE, Checkpoints.NONE);
        // THEN the stopped one has the first two runs of the whole one, and says it was interrupted
        assertEquals(RunStatus.INTERRUPTED, stopped.status());
        assertEquals(RunStatus.SUCCESS, whole.status());
        assertEquals(2, stopped.runs().size());
        assertEquals(4, whole.runs().size());
        for (int k = 0; k < 2; k++) {
            assertEquals(whole.runs().get(k).solver(), stopped.runs().get(k).solver());
            assertEquals(whole.runs().get(k).rtol(), stopped.runs().get(k).rtol());
            assertEquals(whole.runs().get(k).rhsEvaluations(), stopped.runs().get(k).rhsEvaluations());
            assertEquals(whole.runs().get(k).maxAbsError(), stopped.runs().get(k).maxAbsError());
        }
    }
}
