package org.neurode.solvers;

import org.neurode.core.EulerKernel;
import org.neurode.core.Problem;

/**
 * Forward Euler with Euler-Maruyama noise increments: \( y_{n+1} = y_n + h f(t_n, y_n) + \sigma \sqrt{h}\,
 * \xi_n \), \( \xi_n \sim N(0, 1) \) independent per element (Kloeden and Platen 1992, sec. 9.1; strong
 * order 1/2, order 1 for additive noise). Without noise terms it is forward Euler. Allocation-free per
 * step.
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
        return new FixedStepSimulation(problem, options, INFO) {
            private final EulerKernel kernel = equation instanceof EulerKernel e ? e : null;
            private final double[] k = kernel == null ? new double[n] : null;

            @Override
            protected boolean inPlace() {
                // the fused kernel where it allows aliasing; the two-pass step reads the state before writing
                return kernel == null || kernel.eulerInPlace();
            }

            @Override
            protected void step(final double time, final double step, final double[] state, final double[] out) {
                if (kernel != null) {
                    // fused step of compiled models: one pass, no derivative array
                    evaluations++;
                    kernel.eulerStep(time, step, state, out);
                    holdRefractory(time, state, out);
                    return;
                }
                derivatives(time, state, k);
                for (int i = 0; i < n; i++) {
                    out[i] = state[i] + step * k[i];
                }
            }
        };
    }
}
