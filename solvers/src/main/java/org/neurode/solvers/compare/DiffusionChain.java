package org.neurode.solvers.compare;

import org.neurode.core.Equation;
import org.neurode.core.JacobianPattern;
import org.neurode.core.Model;
import org.neurode.core.Parameters;
import org.neurode.core.Problem;
import org.neurode.core.SparseJacobianEquation;
import org.neurode.core.StateLayout;

/**
 * Large stiff test problems with a tridiagonal Jacobian: n compartments in a line, each coupled to its two
 * neighbours, the ends held at 0 (Dirichlet). Both are written by hand as {@link SparseJacobianEquation}s, with
 * the pattern and optionally the analytic values (without them the stiff solvers estimate the Jacobian by
 * finite differences grouped by the pattern: 3 evaluations).
 *
 * <ul>
 * <li>{@link #cable}: a passive cable (the linear cable equation on the unit interval, space step
 * \( 1/(n+1) \)): \( V_i' = D (V_{i-1} - 2V_i + V_{i+1}) - k V_i + s_i \) with \( D = (n+1)^2 \) (diffusion
 * coefficient 1), leak \( k = 1 \), a source \( s_i = 5 \sin(2\pi x_i) \), \( x_i = i/(n+1) \), and the initial
 * state \( \sin(\pi x) + 0.5 \sin(3\pi x) + 0.2 \sin(40\pi x) + 0.05 \sin(\lfloor n/2 \rfloor \pi x) \) over
 * t in [0, 0.1]. The eigenvalues of the Jacobian run from about \( -\pi^2 - 1 \) to \( -4(n+1)^2 - 1 \)
 * (\( -4 \cdot 10^8 \) for n = 10,000): far too stiff for an explicit method. The sines are eigenvectors of
 * the discrete Laplacian, so {@link #cableExact} gives the exact solution mode by mode.</li>
 * <li>{@link #nagumo}: an active cable (the bistable Nagumo equation): \( V_i' = D (V_{i-1} - 2V_i + V_{i+1})
 * + V_i (1 - V_i)(V_i - a) \), a = 0.1, \( D = 10^4 \), started at 1 in the first 5% of the compartments and
 * below threshold elsewhere (\( 0.04 (1 + \sin(14\pi x)) \), which decays), over t in [0, 10]: a front travels
 * about 570 compartments into the resting part (speed \( \sqrt{2D}(1/2 - a) \)). Stiffness \( 4D = 4 \cdot 10^4 \)
 * against reaction rates of order 1, mild enough for an explicit reference.</li>
 * </ul>
 *
 * @since 0.5
 */
public final class DiffusionChain {

    /** The default size of the large-problem runs. */
    public static final int DEFAULT_SIZE = 10_000;

    private static final double LEAK = 1.0;
    private static final double SOURCE = 5.0;
    private static final double NAGUMO_A = 0.1;
    private static final double NAGUMO_D = 1e4;
    private static final double[] MODE_AMPLITUDES = {1.0, 0.5, 0.2, 0.05};

    private DiffusionChain() {
    }

    /** A tridiagonal chain with a per-compartment reaction, its derivative and the pattern's values. */
    private static final class Chain implements SparseJacobianEquation {
        private final int n;
        private final double d;
        private final boolean linear;
        private final double[] source;
        private final boolean values;
        private final JacobianPattern pattern;

        Chain(final int n, final double d, final boolean linear, final double[] source, final boolean values) {
            this.n = n;
            this.d = d;
            this.linear = linear;
            this.source = source;
            this.values = values;
            this.pattern = tridiagonal(n);
        }

        @Override
        public int dimension() {
            return n;
        }

        @Override
        public boolean autonomous() {
            return true;
        }

        @Override
        public void derivatives(final double t, final double[] y, final double[] dydt) {
            for (int i = 0; i < n; i++) {
                final double left = i > 0 ? y[i - 1] : 0.0;
                final double right = i + 1 < n ? y[i + 1] : 0.0;
                final double v = y[i];
                final double reaction = linear ? -LEAK * v + source[i] : v * (1.0 - v) * (v - NAGUMO_A);
                dydt[i] = d * (left - 2.0 * v + right) + reaction;
            }
        }

        @Override
        public JacobianPattern jacobianPattern() {
            return pattern;
        }

        @Override
        public boolean hasJacobianValues() {
            return values;
        }

        @Override
        public void jacobianValues(final double t, final double[] y, final double[] out) {
            if (!values) {
                throw new UnsupportedOperationException("this chain gives its Jacobian pattern only");
            }
            int k = 0;
            for (int i = 0; i < n; i++) {
                final double v = y[i];
                final double dr = linear ? -LEAK : -3.0 * v * v + 2.0 * (1.0 + NAGUMO_A) * v - NAGUMO_A;
                if (i > 0) {
                    out[k++] = d;
                }
                out[k++] = -2.0 * d + dr;
                if (i + 1 < n) {
                    out[k++] = d;
                }
            }
        }
    }

    /**
     * @param n dimension
     * @return the tridiagonal pattern of size n
     */
    public static JacobianPattern tridiagonal(final int n) {
        final int[] start = new int[n + 1];
        final int[] cols = new int[Math.max(0, 3 * n - 2)];
        int k = 0;
        for (int i = 0; i < n; i++) {
            for (int j = Math.max(0, i - 1); j <= Math.min(n - 1, i + 1); j++) {
                cols[k++] = j;
            }
            start[i + 1] = k;
        }
        return new JacobianPattern(n, start, cols);
    }

    private static IvpProblem problem(final String name, final Equation eq, final double[] y0, final double tEnd) {
        final int n = y0.length;
        final StateLayout layout = StateLayout.builder().vector("V", n, "1", 1.0).build();
        final Model model = Model.of(name, layout, Parameters.empty(), p -> eq, y0.clone());
        return IvpProblem.of(name, model, tEnd).withStiff(true);
    }

    /**
     * The passive cable (see the class comment) over [0, 0.1].
     *
     * @param n              compartments (at least 1)
     * @param analyticValues true: the Jacobian's values are given; false: the pattern only
     * @return the problem (stiff, atol = rtol, no reference values; {@link #cableExact} gives them)
     */
    public static IvpProblem cable(final int n, final boolean analyticValues) {
        final double[] source = new double[n];
        final double[] y0 = new double[n];
        final int[] modes = cableModes(n);
        for (int i = 0; i < n; i++) {
            final double x = (i + 1.0) / (n + 1.0);
            source[i] = SOURCE * Math.sin(2.0 * Math.PI * x);
            for (int m = 0; m < modes.length; m++) {
                y0[i] += MODE_AMPLITUDES[m] * Math.sin(modes[m] * Math.PI * x);
            }
        }
        final double d = (n + 1.0) * (n + 1.0);
        return problem("CABLE", new Chain(n, d, true, source, analyticValues), y0, 0.1)
                .withTitle("Passive cable, " + n + " compartments")
                .withDescription("linear cable equation, " + n + " compartments, D = (n+1)^2, leak 1, source "
                                 + "5 sin(2 pi x), Dirichlet ends, t in [0, 0.1]; tridiagonal Jacobian");
    }

    private static int[] cableModes(final int n) {
        return new int[] {1, 3, 40, Math.max(1, n / 2)};
    }

    /**
     * The exact solution of {@link #cable}: each sine mode \( m \) of the state and the source evolves as
     * \( a_m(t) = a_m(0) e^{\lambda_m t} + b_m (e^{\lambda_m t} - 1)/\lambda_m \) with the eigenvalue
     * \( \lambda_m = -4 (n+1)^2 \sin^2(\pi m / (2(n+1))) - k \) of the discrete operator.
     *
     * @param n compartments
     * @param t time
     * @return the state at t
     */
    public static double[] cableExact(final int n, final double t) {
        final int[] modes = cableModes(n);
        final double d = (n + 1.0) * (n + 1.0);
        final double[] coefficient = new double[modes.length + 1];
        final int[] mode = new int[modes.length + 1];
        for (int m = 0; m <= modes.length; m++) {
            final int k = m < modes.length ? modes[m] : 2;
            final double a0 = m < modes.length ? MODE_AMPLITUDES[m] : 0.0;
            final double b = m < modes.length ? 0.0 : SOURCE;
            final double s = Math.sin(Math.PI * k / (2.0 * (n + 1.0)));
            final double lambda = -4.0 * d * s * s - LEAK;
            coefficient[m] = a0 * Math.exp(lambda * t) + b * Math.expm1(lambda * t) / lambda;
            mode[m] = k;
        }
        final double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            final double x = (i + 1.0) / (n + 1.0);
            double v = 0.0;
            for (int m = 0; m < mode.length; m++) {
                v += coefficient[m] * Math.sin(mode[m] * Math.PI * x);
            }
            y[i] = v;
        }
        return y;
    }

    /**
     * The active (Nagumo) cable (see the class comment) over [0, 10].
     *
     * @param n              compartments (at least 1)
     * @param analyticValues true: the Jacobian's values are given; false: the pattern only
     * @return the problem (stiff, atol = rtol, no reference values)
     */
    public static IvpProblem nagumo(final int n, final boolean analyticValues) {
        final double[] y0 = new double[n];
        for (int i = 0; i < n; i++) {
            y0[i] = i < Math.max(1, n / 20) ? 1.0 : 0.04 * (1.0 + Math.sin(14.0 * Math.PI * (i + 1.0) / (n + 1.0)));
        }
        return problem("CHAIN", new Chain(n, NAGUMO_D, false, null, analyticValues), y0, 10.0)
                .withTitle("Nagumo chain, " + n + " compartments")
                .withDescription("bistable reaction-diffusion chain (Nagumo), " + n + " compartments, D = 1e4, "
                                 + "a = 0.1, Dirichlet ends, first 5% excited, t in [0, 10]; tridiagonal Jacobian");
    }
}
