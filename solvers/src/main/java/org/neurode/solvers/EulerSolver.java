package org.neurode.solvers;

import org.neurode.core.Problem;

/**
 * Forward Euler, \( y_{n+1} = y_n + h f(t_n, y_n) \), fixed step (Euler 1768; Hairer-Nørsett-Wanner I, I.7).
 * Models compiled by {@code ModelBuilder} take their fused one-pass step (generated for {@code EulerSimulation.RULE}),
 * in place where the kernel allows it; other equations a two-pass step. It is {@code euler-maruyama} without
 * noise: the same code, so the same bits on the same model; models with white noise are refused (use
 * {@code euler-maruyama}). Allocation-free per step.
 *
 * @since 0.3
 */
public final class EulerSolver implements Solver {

    private static final SolverInfo INFO = new SolverInfo("euler", 1, false, Stiffness.NONSTIFF, false,
            "forward Euler, fixed step, the fused one-pass step of compiled models (Euler 1768)");

    @Override
    public SolverInfo info() {
        return INFO;
    }

    @Override
    public Simulation start(final Problem problem, final SolveOptions options) {
        return new EulerSimulation(problem, options, INFO);
    }
}
