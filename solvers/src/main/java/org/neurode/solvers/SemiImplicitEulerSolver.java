package org.neurode.solvers;

import org.neurode.core.LinearSplitEquation;
import org.neurode.core.FusedStep;
import org.neurode.core.Problem;
import org.neurode.core.StepRule;

/**
 * The fused semi-implicit Euler step of liquid time-constant networks for equations with a diagonal linear
 * part, \( \dot y_i = a_i(t, y) y_i + b_i(t, y) \): implicit in the linear term, explicit in the
 * coefficients, \( y_{n+1} = (y_n + h\, b) / (1 - h\, a) \) with \( a, b \) at \( (t_n, y_n) \).
 * For the conductance form of an LTC neuron, \( c_m \dot v = g_L (E_L - v) + \sum_k g_k (E_k - v) \), this is
 * ncps' {@code LTCCell} update \( v \leftarrow (c_m/h\, v + g_L E_L + \sum_k g_k E_k) / (c_m/h + g_L +
 * \sum_k g_k) \) (Hasani et al. 2021, AAAI, Eq. 3, "fused solver"; one step per unfold, so an input interval
 * \( \Delta \) with {@code ode_unfolds} = L is L steps of \( \Delta/L \)). For \( a \le 0 \) the new value is
 * a convex combination of the old one and the reversal potentials: stable for every step, first order.
 *
 * <p>Models compiled by {@code ModelBuilder} take a fused one-pass step generated for {@link #RULE}
 * (\( D = 1/(1 - h a) \), \( G = h/(1 - h a) \): the same step, rounded differently in the last bits);
 * other {@link LinearSplitEquation}s take the two-pass path above.
 *
 * @since 0.2
 */
public final class SemiImplicitEulerSolver implements Solver {

    private static final SolverInfo INFO = new SolverInfo("semi-implicit-euler", 1, false,
            Stiffness.STIFF_LINEAR_PART, false,
            "fused semi-implicit Euler on the diagonal linear part, the LTC network step (Hasani et al. 2021,"
                    + " AAAI, Eq. 3; ncps LTCCell)");

    /** Linearly implicit Euler on the diagonal linear part as a fused step rule. */
    public static final StepRule RULE = new StepRule("semi-implicit-euler", "1.0 / (1.0 - h * a)",
            "h / (1.0 - h * a)", StepRule.PerElement.DIRECT);

    @Override
    public SolverInfo info() {
        return INFO;
    }

    @Override
    public Simulation start(final Problem problem, final SolveOptions options) {
        return new FixedStepSimulation(problem, options, INFO) {
            private final FusedStep kernel = equation.fusedStep(RULE);
            private final double[] a = kernel == null ? new double[n] : null;
            private final double[] b = kernel == null ? new double[n] : null;

            {
                linearSplit(INFO.name());
            }

            @Override
            protected boolean inPlace() {
                // the fused step where it allows aliasing; the generic path as before
                return kernel == null ? super.inPlace() : kernel.inPlace();
            }

            @Override
            protected void step(final double time, final double step, final double[] state, final double[] out) {
                if (kernel != null) {
                    evaluations++;
                    kernel.step(time, step, state, out);
                    holdRefractory(time, state, out);
                    return;
                }
                split(time, state, a, b);
                for (int i = 0; i < n; i++) {
                    out[i] = (state[i] + step * b[i]) / (1.0 - step * a[i]);
                }
                holdRefractory(time, state, out);
            }
        };
    }
}
