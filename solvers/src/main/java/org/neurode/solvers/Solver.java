package org.neurode.solvers;

import org.neurode.core.Problem;
import org.neurode.core.Trajectory;

/**
 * An ODE solver: stateless and thread-safe; all per-run state lives in the {@link Simulation} that
 * {@link #start} returns. Obtain solvers by name from {@link Solvers}.
 *
 * <pre>{@code
 * Solver solver = Solvers.get("dormand-prince-853");
 * Trajectory tr = solver.solve(Problem.of(model, 100.0),
 *         SolveOptions.defaults().withRecorder(Recorder.every(0.1).of("v")));
 * }</pre>
 *
 * @since 0.1
 */
public interface Solver {

    /** @return what this solver is */
    SolverInfo info();

    /** @return the registry name */
    default String name() {
        return info().name();
    }

    /**
     * Starts a simulation at the problem's start time; advance it with
     * {@link Simulation#advanceTo(double)} segment by segment.
     *
     * @param problem the problem
     * @param options solve options
     * @return a new simulation
     */
    Simulation start(Problem problem, SolveOptions options);

    /**
     * Solves the problem over its whole time span.
     *
     * @param problem the problem
     * @param options solve options
     * @return the trajectory (its status tells how it ended)
     */
    default Trajectory solve(final Problem problem, final SolveOptions options) {
        final Simulation sim = start(problem, options);
        sim.advanceTo(problem.tEnd());
        return sim.finish();
    }
}
