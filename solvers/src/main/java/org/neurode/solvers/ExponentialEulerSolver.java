package org.neurode.solvers;

import org.neurode.core.FusedStep;
import org.neurode.core.LinearSplitEquation;
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
 * {@code ModelBuilder} generate a fused step for {@link #RULE} that does split and update in one pass; other {@link LinearSplitEquation}s take the generic two-pass path.
 *
 * <p>White noise \( \sigma_i\, dW_i \) takes the stochastic exponential Euler increment: the step above plus
 * \( \sigma_i \sqrt{(e^{2 a_i h} - 1)/(2 a_i)}\, N(0, 1) \), the exact variance of the noise integrated through
 * the linear part over the step (the scheme for additive noise of Lord and Rougemont 2004, IMA J. Numer. Anal. 24,
 * and Jentzen and Kloeden 2009, Proc. R. Soc. A 465). It is exact for an Ornstein-Uhlenbeck process at any step,
 * where an Euler-Maruyama increment \( \sigma_i \sqrt{h}\, N(0, 1) \) after the exponential step would give a
 * stationary variance of \( \sigma^2 h / (1 - e^{2 a h}) \) instead of \( \sigma^2 / (2 |a|) \): 7.6 times too
 * large for a membrane time constant of 0.53 ms at a 2-ms step (docs/microcircuit.md measures what that did to the
 * dendritic microcircuit). The noisy elements' coefficients are computed at a step's start, once per segment
 * where they depend on neither the state nor the time ({@link LinearSplitEquation#linearCoefficients}). First order
 * for additive noise, as Euler-Maruyama; the noise and the deterministic step are
 * not coupled across elements (an element's noise reaches the others through the next step).
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
            // the coefficients of the noisy elements for the stochastic step: kept while they depend on neither the
            // state nor the time (until an input or the state is set), else computed at every step start
            private final boolean noisy = noise.any();
            private final double[] noiseA = noisy ? (generic ? a : new double[n]) : null;
            private final double[] noiseScratch = noisy && !generic ? new double[n] : null;
            private boolean noiseAValid;

            // the model's split (the check that it states one; the stochastic step reads its coefficients)
            private final LinearSplitEquation linear = linearSplit(INFO.name());

            @Override
            protected boolean inPlace() {
                // the fused kernel where it allows aliasing; the generic path reads a and b before writing
                return kernel == null || kernel.inPlace();
            }

            @Override
            protected void stateChanged() {
                super.stateChanged();
                noiseAValid = false;
            }

            @Override
            protected void addNoise(final double hh, final double[] state) {
                noise.addExponential(hh, state, noiseA);
            }

            @Override
            protected void step(final double time, final double step, final double[] state, final double[] out) {
                if (noisy && !generic && !noiseAValid) {
                    noiseAValid = linear.linearCoefficients(time, state, noiseA, noiseScratch);
                }
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
