package org.neurode.solvers;

import org.neurode.core.LinearSplitEquation;
import org.neurode.core.Problem;

/**
 * The exponential trapezoidal rule for equations with a diagonal linear part, \( \dot y_i = a_i y_i + b_i(t, y) \):
 * the linear part is integrated exactly and the forcing \( b \) is interpolated linearly between the step's ends,
 * \[ y_{n+1} = e^{a h} y_n + h \varphi_1(a h)\, b_n + h \varphi_2(a h)\, (b_{n+1} - b_n), \qquad
 *    \varphi_1(z) = \frac{e^z - 1}{z},\ \varphi_2(z) = \frac{e^z - 1 - z}{z^2}, \]
 * with \( a \) frozen at the step's start. The implicit end value is found by fixed-point iteration from the
 * exponential Euler predictor: one correction is the second-order ETD2RK scheme of Cox and Matthews (2002,
 * J. Comput. Phys. 176:430, Eq. 22); this solver takes {@link #CORRECTIONS} of them. Second order where the
 * coefficients vary slowly (tested at its order on a nonlinear problem); exact for linear equations with constant
 * coefficients and forcing linear in time.
 *
 * <p>Why it suits fast-slow models such as the dendritic microcircuit: where \( a h \ll -1 \) (a membrane of
 * 0.5 ms at a 2-ms step) the weights tend to \( h\varphi_1 \to -1/a \), \( h\varphi_2 \to -1/a - 1/(a^2 h) \), so the
 * step ends at the quasi-steady value of the end of the step less one time constant times its rate of change: the
 * fast variable follows its drive with the right lag, where exponential Euler lags by a whole step. Where
 * \( a h \) is small it is the trapezoidal rule, so slow variables (plasticity filters, weights) are integrated to
 * second order. Measured on the microcircuit at the paper's learning rates (docs/microcircuit.md): the weight change
 * of one pattern to 0.2-0.5% at a 2-ms step, where exponential Euler is off by 4%. It is not fast: each
 * evaluation and each pass reads and writes the whole state (about 3 microseconds per pass for the microcircuit's
 * 6,148 variables, where exponential Euler's fused step does everything in one).
 *
 * <p>White noise takes the stochastic exponential increment of {@link ExponentialEulerSolver} (exact
 * Ornstein-Uhlenbeck variance), drawn once per step and added to the predictor and to every correction, so the
 * noise of one element reaches the elements coupled to it within the step. Each correction evaluates the split
 * once: a step costs {@code 1 + CORRECTIONS} evaluations (the generic path; there is no fused kernel for it yet).
 *
 * @since 0.5
 */
public final class ExponentialTrapezoidSolver implements Solver {

    /** Fixed-point corrections per step (1 is ETD2RK; two more than halve its error on the microcircuit). */
    public static final int CORRECTIONS = 2;

    private static final SolverInfo INFO = new SolverInfo("exponential-trapezoid", 2, false,
            Stiffness.STIFF_LINEAR_PART, true,
            "exponential trapezoidal rule on the diagonal linear part, ETD2RK (Cox & Matthews 2002) with "
                    + CORRECTIONS + " corrections");

    /**
     * @param a linear coefficient
     * @param h step
     * @return \( h \varphi_1(a h) = (e^{a h} - 1)/a \) ({@code h} at {@code a = 0}; a series below |a h| = 1e-4)
     */
    static double phi1(final double a, final double h) {
        final double z = a * h;
        return Math.abs(z) < 1e-4 ? h * (1.0 + z * (0.5 + z / 6.0)) : Math.expm1(z) / a;
    }

    /**
     * @param a linear coefficient
     * @param h step
     * @return \( h \varphi_2(a h) = (e^{a h} - 1 - a h)/(a^2 h) \) ({@code h/2} at {@code a = 0}; a series below
     *         |a h| = 1e-4, where the difference cancels)
     */
    static double phi2(final double a, final double h) {
        final double z = a * h;
        return Math.abs(z) < 1e-4 ? h * (0.5 + z * (1.0 / 6.0 + z / 24.0)) : (Math.expm1(z) - z) / (a * z);
    }

    /** @return the end (exclusive) of the run of elements equal to {@code a[i]} from {@code i} */
    private static int runEnd(final double[] a, final int i) {
        final double ai = a[i];
        int j = i + 1;
        while (j < a.length && a[j] == ai) {
            j++;
        }
        return j;
    }

    @Override
    public SolverInfo info() {
        return INFO;
    }

    @Override
    public Simulation start(final Problem problem, final SolveOptions options) {
        return new FixedStepSimulation(problem, options, INFO) {
            private final double[] a = new double[n];
            private final double[] b = new double[n];
            private final double[] aEnd = new double[n];
            private final double[] bEnd = new double[n];
            /** The part of the end value that does not depend on the end: e^{ah} y + (h phi1 - h phi2) b. */
            private final double[] fixed = new double[n];
            /** h phi2(a h) per element, the weight of the end's forcing in every correction. */
            private final double[] weightEnd = new double[n];
            /** This step's noise increments (written at the noisy elements only; 0 elsewhere). */
            private final double[] kick = new double[n];
            private final boolean noisy = noise.any();
            private final LinearSplitEquation split = linearSplit(INFO.name());


            @Override
            protected void addNoise(final double hh, final double[] state) {
                // added inside the step
            }

            @Override
            protected void step(final double time, final double step, final double[] state, final double[] out) {
                evaluations += 1 + CORRECTIONS;
                split.split(time, state, a, b);
                if (noisy) {
                    noise.increments(step, kick, a);
                }
                // elements with equal coefficients come in runs (the blocks): factors once per run, then a tight
                // loop over it (per element only where the coefficient varies from element to element)
                for (int i = 0, j; i < n; i = j) {
                    final double ai = a[i];
                    j = runEnd(a, i);
                    final double e = Math.exp(ai * step);
                    final double p1 = phi1(ai, step);
                    final double p2 = phi2(ai, step);
                    final double p12 = p1 - p2;
                    for (int k = i; k < j; k++) {
                        final double decayed = e * state[k] + kick[k];
                        fixed[k] = decayed + p12 * b[k];
                        out[k] = decayed + p1 * b[k];
                        weightEnd[k] = p2;
                    }
                }
                final double tEnd = time + step;
                for (int c = 0; c < CORRECTIONS; c++) {
                    split.split(tEnd, out, aEnd, bEnd);
                    // the forcing at the end relative to the start's coefficient: f = a y + (b + (aEnd - a) y)
                    for (int k = 0; k < n; k++) {
                        out[k] = fixed[k] + weightEnd[k] * (bEnd[k] + (aEnd[k] - a[k]) * out[k]);
                    }
                }
                holdRefractory(time, state, out);
            }

        };
    }
}
