package org.neurode.solvers.bench;

import org.neurode.core.Equation;

/**
 * Standard test equations shared by the benchmarks and the accuracy tests (the reference problem set of
 * the solver comparison will grow from here).
 *
 * @since 0.1
 */
public final class StandardEquations {

    /** Arenstorf's mass ratio (Hairer-Nørsett-Wanner I, sec. II.0). */
    public static final double ARENSTORF_MU = 0.012277471;
    /** Arenstorf's period (one orbit). */
    public static final double ARENSTORF_PERIOD = 17.0652165601579625588917206249;
    /** Arenstorf's initial state (y1, y2, y1', y2'). */
    private static final double[] ARENSTORF_Y0 = {0.994, 0.0, 0.0, -2.00158510637908252240537862224};

    private StandardEquations() {
    }

    /** @return a copy of Arenstorf's initial state */
    public static double[] arenstorfInitialState() {
        return ARENSTORF_Y0.clone();
    }

    /**
     * The restricted three-body problem whose solution is the periodic Arenstorf orbit (Hairer-Nørsett-Wanner I,
     * sec. II.0): 4 variables, close approaches to the moon amplify local errors.
     *
     * @return the equation
     */
    public static Equation arenstorf() {
        return new Equation() {
            @Override
            public int dimension() {
                return 4;
            }

            @Override
            public void derivatives(final double t, final double[] y, final double[] dydt) {
                final double mu = ARENSTORF_MU;
                final double mup = 1.0 - mu;
                final double a = (y[0] + mu) * (y[0] + mu) + y[1] * y[1];
                final double b = (y[0] - mup) * (y[0] - mup) + y[1] * y[1];
                final double d1 = a * Math.sqrt(a);
                final double d2 = b * Math.sqrt(b);
                dydt[0] = y[2];
                dydt[1] = y[3];
                dydt[2] = y[0] + 2.0 * y[3] - mup * (y[0] + mu) / d1 - mu * (y[0] - mup) / d2;
                dydt[3] = y[1] - 2.0 * y[2] - mup * y[1] / d1 - mu * y[1] / d2;
            }
        };
    }

    /**
     * The linear diffusion chain y' = T y with T tridiagonal (1, -2, 1): DETEST C3 (n = 10) and C4 (n = 51).
     *
     * @param n number of variables
     * @return the equation
     */
    public static Equation diffusionChain(final int n) {
        return new Equation() {
            @Override
            public int dimension() {
                return n;
            }

            @Override
            public void derivatives(final double t, final double[] y, final double[] dydt) {
                for (int i = 0; i < n; i++) {
                    final double left = i > 0 ? y[i - 1] : 0.0;
                    final double right = i < n - 1 ? y[i + 1] : 0.0;
                    dydt[i] = left - 2.0 * y[i] + right;
                }
            }
        };
    }
}
