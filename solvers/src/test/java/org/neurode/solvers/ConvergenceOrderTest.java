package org.neurode.solvers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.neurode.core.LinearSplitEquation;
import org.neurode.core.Model;
import org.neurode.core.Parameters;
import org.neurode.core.Problem;
import org.neurode.core.StateLayout;

/**
 * Every fixed-step method converges at its declared order (house rule 15, as diffrax tests its solvers):
 * the least-squares slope of log(error) against log(h) is within 0.3 of {@link SolverInfo#order()}.
 *
 * <p>The problem is the Bernoulli equation \( y' = -y + y^2 \), \( y(0) = 1/2 \), with the exact solution
 * \( y(t) = 1/(1 + e^t) \), integrated to t = 2. It is nonlinear, and its linear part (the split
 * \( a = -1, b = y^2 \)) is not the whole right-hand side, so exponential Euler is genuinely first order
 * here rather than exact. Each method's steps keep its error between about 1e-3 and 1e-14, above the
 * round-off floor (Luther's sixth order needs the longest steps) and in the asymptotic range (measured
 * pairwise orders within 0.06 of the declared order over these ranges).
 */
class ConvergenceOrderTest {

    private static final double T_END = 2.0;

    /** \( y' = -y + y^2 \) with its linear split. */
    private static final class Bernoulli implements LinearSplitEquation {
        @Override
        public int dimension() {
            return 1;
        }

        @Override
        public void derivatives(final double t, final double[] y, final double[] dydt) {
            dydt[0] = -y[0] + y[0] * y[0];
        }

        @Override
        public void split(final double t, final double[] y, final double[] a, final double[] b) {
            a[0] = -1.0;
            b[0] = y[0] * y[0];
        }
    }

    static Stream<Arguments> fixedStepMethods() {
        final double[] first = {0.1, 0.05, 0.025, 0.0125};
        final double[] fourth = {0.2, 0.1, 0.05, 0.025};
        return Stream.of(
                Arguments.of("euler", first),
                Arguments.of("hipparchus-euler", first),
                Arguments.of("midpoint", first),
                Arguments.of("rk4", fourth),
                Arguments.of("hipparchus-rk4", fourth),
                Arguments.of("gill", fourth),
                Arguments.of("three-eighths", fourth),
                Arguments.of("luther", new double[] {0.4, 0.2, 0.1, 0.05}),
                Arguments.of("euler-maruyama", first),
                Arguments.of("exponential-euler", first),
                Arguments.of("exponential-trapezoid", new double[] {0.2, 0.1, 0.05, 0.025}),
                Arguments.of("semi-implicit-euler", first));
    }

    private static double fittedSlope(final double[] x, final double[] y) {
        double sx = 0.0;
        double sy = 0.0;
        double sxx = 0.0;
        double sxy = 0.0;
        for (int i = 0; i < x.length; i++) {
            final double lx = Math.log(x[i]);
            final double ly = Math.log(y[i]);
            sx += lx;
            sy += ly;
            sxx += lx * lx;
            sxy += lx * ly;
        }
        final int k = x.length;
        return (k * sxy - sx * sy) / (k * sxx - sx * sx);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixedStepMethods")
    void fixedStepMethodConvergesAtItsDeclaredOrder(final String name, final double[] steps) {
        // GIVEN the Bernoulli problem (no noise terms, so euler-maruyama is plain forward Euler)
        final StateLayout layout = StateLayout.builder().scalar("y", "1", 1.0).build();
        final Model model = Model.of("bernoulli", layout, Parameters.empty(), p -> new Bernoulli(),
                                     new double[] {0.5});
        final Problem problem = Problem.of(model, T_END);
        final double exact = 1.0 / (1.0 + Math.exp(T_END));
        final Solver solver = Solvers.get(name);
        // WHEN it is solved with halving steps
        final double[] errors = new double[steps.length];
        for (int i = 0; i < steps.length; i++) {
            errors[i] = Math.abs(solver.solve(problem, SolveOptions.fixedStep(steps[i])).finalState()[0] - exact);
        }
        // THEN the error falls as h^order
        assertEquals(solver.info().order(), fittedSlope(steps, errors), 0.3,
                     name + " errors " + Arrays.toString(errors));
    }
}
