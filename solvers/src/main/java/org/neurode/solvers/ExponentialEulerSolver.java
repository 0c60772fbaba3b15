package org.neurode.solvers;

import org.neurode.core.ErrorCode;
import org.neurode.core.FusedStep;
import org.neurode.core.LinearSplitEquation;
import org.neurode.core.OdeException;
import org.neurode.core.Problem;
import org.neurode.core.StepRule;

/**
 * Exponential Euler for equations with a diagonal linear part, \( \dot y_i = a_i y_i + b_i \):
 * \( y_{n+1} = e^{a h} y_n + h\,\varphi_1(a h)\, b \) with \( \varphi_1(z) = (e^z - 1)/z \), \( a, b \)
 * evaluated at \( (t_n, y_n) \) (Hochbruck and Ostermann 2010, Acta Numerica 19, exponential Euler;
 * the scheme of MacGregor 1987 and Brian2's {@code exponential_euler}). Exact for linear equations with
 * constant coefficients (leaky integrate-and-fire, passive compartments), stable for any step on the
 * linear part, first order otherwise.
 *
 * <p>The exponentials are cached per element and recomputed only when \( a_i h \) changes, so a
 * population with fixed time constants pays no {@code exp} per step. Models compiled by
 * {@code ModelBuilder} generate a fused step for {@link #RULE} that does split and update in one pass; other {@link LinearSplitEquation}s take the generic two-pass path. White noise is added as an
 * Euler-Maruyama increment after the deterministic step (splitting, strong order 1/2).
 *
 * @since 0.1
 */
public final class ExponentialEulerSolver implements Solver {

    private static final SolverInfo INFO = new SolverInfo("exponential-euler", 1, false,
            Stiffness.STIFF_LINEAR_PART, true,
            "exponential Euler on the diagonal linear part (Hochbruck & Ostermann 2010); Brian2's exponential_euler");

    /**
     * Exponential Euler as a fused step rule: \( D = e^{a h} \), \( G = (e^{a h} - 1)/a \) (\( h \) at
     * \( a h = 0 \)), cached per element where the coefficient varies (the generic path's arithmetic, so both
     * give the same bits).
     */
    public static final StepRule RULE = new StepRule("exponential-euler", "Math.exp(a * h)",
            "a * h == 0.0 ? h : Math.expm1(a * h) / a", StepRule.PerElement.CACHED);

    @Override
    public SolverInfo info() {
        return INFO;
    }

    @Override
    public Simulation start(final Problem problem, final SolveOptions options) {
        return new FixedStepSimulation(problem, options, INFO) {
            // work arrays of the generic two-pass path; compiled models use their fused kernel instead
            private final FusedStep kernel = equation.fusedStep(RULE);
            private final boolean generic = kernel == null;
            private final double[] a = generic ? new double[n] : null;
            private final double[] b = generic ? new double[n] : null;
            private final double[] cachedA = generic ? new double[n] : null;
            private final double[] expAh = generic ? new double[n] : null;
            private final double[] phiH = generic ? new double[n] : null;
            private double cachedH = Double.NaN;

            {
                if (!(equation instanceof LinearSplitEquation)) {
                    throw new OdeException(ErrorCode.UNSUPPORTED, INFO.name(), "the equation of model '"
                            + model.name() + "' does not state its linear part (implement LinearSplitEquation,"
                            + " or script the model with ModelBuilder, which derives it)");
                }
            }

            @Override
            protected boolean inPlace() {
                // the fused kernel where it allows aliasing; the generic path reads a and b before writing
                return kernel == null || kernel.inPlace();
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
                if (step != cachedH) {
                    cachedH = step;
                    for (int i = 0; i < n; i++) {
                        refresh(i, step);
                    }
                }
                for (int i = 0; i < n; i++) {
                    if (a[i] != cachedA[i]) {
                        refresh(i, step);
                    }
                    out[i] = expAh[i] * state[i] + phiH[i] * b[i];
                }
            }

            private void refresh(final int i, final double step) {
                final double ai = a[i];
                cachedA[i] = ai;
                final double z = ai * step;
                expAh[i] = Math.exp(z);
                phiH[i] = z == 0.0 ? step : Math.expm1(z) / ai;
            }
        };
    }
}
