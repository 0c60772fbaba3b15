package org.neurode.solvers.adaptive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.neurode.core.SolveStatistics;
import org.neurode.core.Trajectory;
import org.neurode.solvers.SolveOptions;
import org.neurode.solvers.Solvers;
import org.neurode.solvers.Tolerances;
import org.neurode.solvers.compare.IvpProblem;
import org.neurode.solvers.compare.StandardProblems;
import org.neurode.solvers.stiff.Rosenbrock;

/** The step-size controllers as objects and Hairer's starting step (issue 18). */
class StepControllerTest {

    @Test
    void elementaryControllerIsTheClassicalFormula() {
        final StepController c = ElementaryController.DEFAULT;
        // THEN 0.9 err^(-1/(q+1)) within [0.2, 5], 0.2 after a failure, no growth after a rejection
        assertEquals(0.9 * Math.pow(0.3, -1.0 / 5), c.factor(0.1, 0.3, 4, true, false), 0.0);
        assertEquals(5.0, c.factor(0.1, 0.0, 4, true, false), 0.0);
        assertEquals(0.2, c.factor(0.1, 1e9, 4, false, false), 0.0);
        assertEquals(0.2, c.factor(0.1, Double.POSITIVE_INFINITY, 4, false, false), 0.0);
        assertEquals(0.2, c.factor(0.1, Double.NaN, 4, false, false), 0.0);
        assertEquals(1.0, c.factor(0.1, 1e-6, 4, true, true), 0.0);
        assertThrows(IllegalArgumentException.class, () -> new ElementaryController(0.9, 0.5, 0.8));
    }

    @Test
    void piControllerUsesThePreviousError() {
        // GIVEN a PI controller after an accepted step with error 0.5
        final PiController c = new PiController();
        final double first = c.factor(0.1, 0.5, 4, true, false);
        // THEN the first step was the elementary one, the next combines both errors (Gustafsson's 0.7 and 0.4)
        assertEquals(0.9 * Math.pow(0.5, -1.0 / 5), first, 1e-15);
        assertEquals(0.9 * Math.pow(0.2, -0.7 / 5) * Math.pow(0.5, 0.4 / 5), c.factor(0.1, 0.2, 4, true, false),
                1e-15);
        // AND a reset forgets the history
        c.reset();
        assertEquals(0.9 * Math.pow(0.2, -1.0 / 5), c.factor(0.1, 0.2, 4, true, false), 1e-15);
    }

    @Test
    void predictiveControllerIsGustafssonsAsInRodas() {
        // GIVEN RODAS's settings, after an accepted step of 0.1 with error 0.5
        final PredictiveController c = PredictiveController.rodas();
        assertEquals(1.0 / (Math.pow(0.5, 0.2) / 0.9), c.factor(0.1, 0.5, 4, true, false), 0.0);
        // WHEN the next step of 0.2 has error 0.8
        final double f = c.factor(0.2, 0.8, 4, true, false);
        // THEN the smaller of the elementary and the predictive factor is taken
        final double elementary = 0.9 * Math.pow(0.8, -0.2);
        final double predictive = 0.9 * (0.2 / 0.1) * Math.pow(0.5 / (0.8 * 0.8), 0.2);
        assertEquals(Math.min(elementary, predictive), f, 1e-14);
        // AND the Rosenbrock methods hand out their own instance, which the driver resets with them
        final Rosenbrock r = new Rosenbrock(org.neurode.solvers.stiff.RosenbrockTableau.RODAS4);
        assertSame(r.controller(), r.controller());
        assertTrue(r.controller() instanceof PredictiveController);
    }

    @Test
    void anotherControllerCanBeGivenToASolver() {
        // GIVEN tsit5 on the Brusselator with its elementary controller and with Gustafsson's PI controller
        final IvpProblem p = StandardProblems.get("BRUS2");
        final SolveOptions options = SolveOptions.defaults().withTolerances(Tolerances.of(1e-8, 1e-8));
        final AdaptiveSolver tsit5 = (AdaptiveSolver) Solvers.get("tsit5");
        final Trajectory own = tsit5.solve(p.problem(), options);
        final Trajectory pi = tsit5.withController(PiController::new).solve(p.problem(), options);
        final SolveStatistics a = own.statistics();
        final SolveStatistics b = pi.statistics();
        // THEN both reach the reference to the tolerance's order, with different step sequences: 1e-6 is 100 times
        // the tolerance (a global error over a local one); the elementary controller's end error is 2.3e-8
        // (neurode compare-solvers --problems BRUS2 --solvers tsit5 --tolerances 1e-8), so a controller that lost
        // the error control would fail
        for (final Trajectory tr : new Trajectory[] {own, pi}) {
            for (int i = 0; i < 2; i++) {
                assertEquals(p.reference()[i], tr.finalState()[i], 1e-6);
            }
        }
        assertNotEquals(a.acceptedSteps() + a.rejectedSteps(), b.acceptedSteps() + b.rejectedSteps());
        assertEquals("tsit5", tsit5.withController(PiController::new).name());
    }

    @Test
    void startingStepFollowsHairer() {
        // GIVEN y' = -y from 1 with rtol 1e-6, atol 1e-9 and order 4
        final double[] y = {1.0};
        final double[] f0 = {-1.0};
        final double[] atol = {1e-9};
        final double[] rtol = {1e-6};
        final int[] calls = {0};
        final double h = StartingStep.hairer(0.0, y, f0, 4, Double.POSITIVE_INFINITY, atol, rtol,
                (t, s, d) -> {
                    calls[0]++;
                    d[0] = -s[0];
                }, new double[1], new double[1]);
        // THEN d0 = d1 = 1/sc, h0 = 0.01, d2 = |f1 - f0| / sc / h0 = 1/sc, and h = (0.01 / d1)^(1/5)
        final double sc = 1e-9 + 1e-6;
        assertEquals(Math.min(100 * 0.01, Math.pow(0.01 * sc, 0.2)), h, 1e-12);
        assertEquals(1, calls[0]);
        // AND it never exceeds the maximum step
        assertEquals(1e-4, StartingStep.hairer(0.0, y, f0, 4, 1e-4, atol, rtol, (t, s, d) -> d[0] = -s[0],
                new double[1], new double[1]), 0.0);
    }
}
