package org.neurode.solvers;

import org.neurode.core.FusedStep;
import org.neurode.core.Problem;
import org.neurode.core.StepRule;

/**
 * The forward Euler step of {@code euler} and {@code euler-maruyama}: \( y_{n+1} = y_n + h f(t_n, y_n) \), through
 * the fused step of compiled models ({@link #RULE}: one pass, no derivative array, in place where the
 * step allows it), else in two passes over a derivative array. The noise increments of stochastic solvers
 * are added by {@link FixedStepSimulation}; a deterministic solver refuses noisy models when it starts. So on a
 * model without noise both solvers do the same arithmetic and give the same bits.
 */
final class EulerSimulation extends FixedStepSimulation {

    /**
     * Forward Euler as a fused step rule: \( y + h (a y + b) = (1 + h a) y + h b \); where the linear
     * coefficient varies, the plain \( y + h f \).
     */
    static final StepRule RULE = new StepRule("euler", "1.0 + h * a", "h", StepRule.PerElement.DERIVATIVE);

    private final FusedStep kernel;
    private final double[] k;

    /**
     * @param problem problem
     * @param options options (a positive step)
     * @param info    the solver ({@code euler} or {@code euler-maruyama})
     */
    EulerSimulation(final Problem problem, final SolveOptions options, final SolverInfo info) {
        super(problem, options, info);
        this.kernel = equation.fusedStep(RULE);
        this.k = kernel == null ? new double[n] : null;
    }

    @Override
    protected boolean inPlace() {
        // the fused kernel where it allows aliasing; the two-pass step reads the state before writing
        return kernel == null || kernel.inPlace();
    }

    @Override
    protected void step(final double time, final double step, final double[] state, final double[] out) {
        if (kernel != null) {
            // fused step of compiled models: one pass, no derivative array
            evaluations++;
            kernel.step(time, step, state, out);
            holdRefractory(time, state, out);
            return;
        }
        derivatives(time, state, k);
        for (int i = 0; i < n; i++) {
            out[i] = state[i] + step * k[i];
        }
    }
}
