package org.neurode.solvers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.neurode.core.LinearSplitEquation;
import org.neurode.core.Model;
import org.neurode.core.Problem;
import org.neurode.core.expr.ModelBuilder;
import org.neurode.core.expr.Var;

/**
 * The noise of exponential Euler and of the exponential trapezoid: the stochastic exponential increment, exact for an Ornstein-Uhlenbeck
 * process at any step (closed forms: over a step h from x0, mean x0 e^{-h/tau} and variance
 * sigma^2 tau (1 - e^{-2h/tau}) / 2; stationary variance sigma^2 tau / 2).
 *
 * <p>Statistics are over N = 40,000 independent elements: the sample mean has standard error sd/sqrt(N) and the
 * sample variance a relative standard error sqrt(2/N) = 0.7%, so the tolerances (5 standard errors) fail for
 * any scheme off by more than a few percent, such as an Euler-Maruyama increment after the exponential step,
 * whose variance at these steps is 2 to 8 times the exact one.
 */
class StochasticExponentialEulerTest {

    private static final int N = 40_000;
    private static final double SIGMA = 0.5;

    /** dx/dt = -k x + sigma xi with k = 1/tau a parameter, an input or (if stateful) 1 + y with y a constant state. */
    private static Model ou(final String coefficient) {
        final ModelBuilder b = ModelBuilder.named("ou");
        final Var x = b.vector("x", N, "1");
        switch (coefficient) {
            case "parameter" -> {
                b.param("k", 1.0);
                b.ode(x, "-k * x");
            }
            case "input" -> {
                b.input("k", 1, "1/ms");
                b.ode(x, "-k * x");
            }
            default -> {
                final Var y = b.scalar("y", "1");
                b.ode(y, "0");
                b.initial(y, 1.0);
                b.ode(x, "-(1 + y) * x");
            }
        }
        b.noise(x, SIGMA);
        return b.initial(x, 1.0).build();
    }

    private static double[] values(final Simulation sim) {
        final double[] v = new double[N];
        sim.copyBlock("x", v);
        return v;
    }

    private static void assertMoments(final double[] v, final double mean, final double variance, final String what) {
        double m = 0;
        for (final double e : v) {
            m += e;
        }
        m /= v.length;
        double s = 0;
        for (final double e : v) {
            s += (e - m) * (e - m);
        }
        s /= v.length - 1;
        assertEquals(mean, m, 5 * Math.sqrt(variance / v.length), what + ": mean");
        assertEquals(variance, s, 5 * Math.sqrt(2.0 / v.length) * variance, what + ": variance");
    }

    @Test
    void oneLargeStepHasTheExactOrnsteinUhlenbeckTransition() {
        for (final String solver : new String[] {"exponential-euler", "exponential-trapezoid"}) {
            // GIVEN x0 = 1, tau = 1 ms and one step of 2 ms (the microcircuit's fast potentials at large steps)
            final Simulation sim = Solvers.get(solver).start(Problem.of(ou("parameter"), 1e9),
                    SolveOptions.fixedStep(2.0).withSeed(7));
            // WHEN one step is taken
            sim.advance(2.0);
            // THEN mean and variance are the closed forms (an Euler-Maruyama increment: variance 0.5, not 0.123)
            assertMoments(values(sim), Math.exp(-2.0), SIGMA * SIGMA * (1 - Math.exp(-4.0)) / 2,
                    solver + ", after one 2-ms step");
        }
    }

    @Test
    void theStationaryVarianceDoesNotDependOnTheStep() {
        for (final String solver : new String[] {"exponential-euler", "exponential-trapezoid"}) {
            for (final double h : new double[] {0.1, 1.0, 5.0}) {
                stationary(solver, h);
            }
        }
    }

    private static void stationary(final String solver, final double h) {
        {
            // GIVEN tau = 1 ms and a step from 0.1 to 5 tau
            final Simulation sim = Solvers.get(solver).start(Problem.of(ou("parameter"), 1e9),
                    SolveOptions.fixedStep(h).withSeed(11));
            // WHEN run for 20 tau (the start is forgotten to e^-20)
            sim.advance(20.0);
            // THEN the variance is sigma^2 tau / 2 at every step
            assertMoments(values(sim), 0.0, SIGMA * SIGMA / 2, solver + ", stationary at h = " + h);
        }
    }

    @Test
    void coefficientsFollowTheInputsAndTheState() {
        // GIVEN the coefficient as an input, set to 1 and then to 4 between two advances
        final Simulation sim = Solvers.get("exponential-euler").start(Problem.of(ou("input"), 1e9),
                SolveOptions.fixedStep(2.0).withSeed(3));
        sim.set("k", 1.0);
        sim.advance(40.0);
        assertMoments(values(sim), 0.0, SIGMA * SIGMA / 2, "k = 1");
        sim.set("k", 4.0);
        sim.advance(40.0);
        // THEN the noise follows the new coefficient: sigma^2 / (2 k)
        assertMoments(values(sim), 0.0, SIGMA * SIGMA / 8, "k = 4");
        // AND a coefficient read from the state (1 + y, y = 1) is recomputed at every step
        final Simulation stateful = Solvers.get("exponential-euler").start(Problem.of(ou("state"), 1e9),
                SolveOptions.fixedStep(2.0).withSeed(5));
        stateful.advance(40.0);
        assertMoments(values(stateful), 0.0, SIGMA * SIGMA / 4, "k = 1 + y");
    }

    @Test
    void compiledCoefficientsEqualTheSplitAndKnowWhatTheyDependOn() {
        for (final String kind : new String[] {"parameter", "input", "state"}) {
            final Model m = ou(kind);
            final LinearSplitEquation eq = (LinearSplitEquation) m.equation();
            if (kind.equals("input")) {
                eq.inputs()[0] = 2.0;
            }
            final double[] y = m.initialState();
            final double[] a = new double[y.length];
            final double[] b = new double[y.length];
            eq.split(0.0, y, a, b);
            final double[] alone = new double[y.length];
            final boolean constant = eq.linearCoefficients(0.0, y, alone, new double[y.length]);
            assertArrayEquals(a, alone, 0.0, kind);
            if (kind.equals("state")) {
                assertFalse(constant, "a coefficient that reads the state must be recomputed");
            } else {
                assertTrue(constant, kind + " coefficients may be kept until an input changes");
            }
        }
    }
}
