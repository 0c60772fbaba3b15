package org.neurode.examples.snippets;

import org.neurode.core.Problem;
import org.neurode.core.Recorder;
import org.neurode.core.Trajectory;
import org.neurode.solvers.SolveOptions;
import org.neurode.solvers.Solvers;
import org.neurode.solvers.Tolerances;

/** The example of solvers/README.md: one model, two solvers. */
public final class SolversSnippet {

    private SolversSnippet() {
    }

    /** @return spike counts of exponential Euler and Dormand-Prince 8(5,3) over 100 ms */
    public static long[] spikeCounts() {
        Problem problem = Problem.of(CoreSnippet.model(), 100.0);                          // ms
        Trajectory exp = Solvers.get("exponential-euler").solve(problem, SolveOptions.fixedStep(0.1));
        Trajectory dp = Solvers.get("dormand-prince-853").solve(problem,
                SolveOptions.defaults().withTolerances(Tolerances.fromScales(1e-8))
                        .withRecorder(Recorder.every(1.0).of("v[0]")));
        return new long[] {exp.eventCount(), dp.eventCount()};
    }
}
