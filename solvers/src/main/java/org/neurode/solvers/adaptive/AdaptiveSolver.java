package org.neurode.solvers.adaptive;

import java.util.function.Supplier;

import org.neurode.core.Problem;
import org.neurode.solvers.Simulation;
import org.neurode.solvers.SolveOptions;
import org.neurode.solvers.Solver;
import org.neurode.solvers.SolverInfo;

/**
 * A {@link Solver} made of one of neurode's own {@link StepMethod}s and the generic
 * {@link AdaptiveSimulation} driver. Stateless: every {@link #start} builds a fresh method instance.
 *
 * @since 0.2
 */
public final class AdaptiveSolver implements Solver {

    private final SolverInfo info;
    private final Supplier<StepMethod> factory;

    /**
     * @param info    registry name, order and description
     * @param factory makes one fresh method instance per simulation
     */
    public AdaptiveSolver(final SolverInfo info, final Supplier<StepMethod> factory) {
        this.info = info;
        this.factory = factory;
    }

    @Override
    public SolverInfo info() {
        return info;
    }

    @Override
    public Simulation start(final Problem problem, final SolveOptions options) {
        return new AdaptiveSimulation(problem, options, info, factory.get());
    }

    @Override
    public String toString() {
        return "AdaptiveSolver[" + info.name() + "]";
    }
}
