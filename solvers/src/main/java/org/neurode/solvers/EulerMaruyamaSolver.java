package org.neurode.solvers;

import org.neurode.core.Problem;

/**
 * Forward Euler with Euler-Maruyama noise increments: \( y_{n+1} = y_n + h f(t_n, y_n) + \sigma \sqrt{h}\,
 * \xi_n \), \( \xi_n \sim N(0, 1) \) independent per element (Kloeden and Platen 1992, sec. 9.1; strong
 * order 1/2, order 1 for additive noise). Without noise terms it is forward Euler, bit for bit the
 * {@code euler} solver ({@link EulerSolver}). Allocation-free per step; compiled models take their fused step.
 *
 * @since 0.1
 */
public final class EulerMaruyamaSolver implements Solver {

    private static final SolverInfo INFO = new SolverInfo("euler-maruyama", 1, false, Stiffness.NONSTIFF, true,
            "forward Euler with Euler-Maruyama white-noise increments (Kloeden & Platen 1992)");

    @Override
    public SolverInfo info() {
        return INFO;
    }

    @Override
    public Simulation start(final Problem problem, final SolveOptions options) {
        return new EulerSimulation(problem, options, INFO);
    }
}
