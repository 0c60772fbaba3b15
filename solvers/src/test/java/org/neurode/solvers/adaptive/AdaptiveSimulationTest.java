package org.neurode.solvers.adaptive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.neurode.core.ErrorCode;
import org.neurode.core.Equation;
import org.neurode.core.Model;
import org.neurode.core.OdeException;
import org.neurode.core.Parameters;
import org.neurode.core.Problem;
import org.neurode.core.Recorder;
import org.neurode.core.StateLayout;
import org.neurode.core.Status;
import org.neurode.core.Trajectory;
import org.neurode.solvers.SolveOptions;
import org.neurode.solvers.Solvers;

/** The driver of neurode's own adaptive methods: evaluation counts, lazy dense stages, failures. */
class AdaptiveSimulationTest {

    /** \( y' = y^2 \), \( y(0) = 1 \): \( y = 1/(1-t) \), which blows up at t = 1. */
    private static Model blowUp() {
        final Equation eq = new Equation() {
            @Override
            public int dimension() {
                return 1;
            }

            @Override
            public void derivatives(final double t, final double[] y, final double[] dydt) {
                dydt[0] = y[0] * y[0];
            }
        };
        return Model.of("blowup", StateLayout.builder().scalar("y", "1", 1.0).build(), Parameters.empty(),
                        p -> eq, new double[] {1.0});
    }

    @Test
    void dop853CostsTwelveEvaluationsPerStepAndThreeMoreOnlyForDenseOutput() {
        // GIVEN y = 1/(1-t) on [0, 0.9], where steps are rejected too
        final Problem problem = Problem.of(blowUp(), 0.9);
        // WHEN solved by dop853 with the final state only, and again sampled at 100 points
        final Trajectory plain = Solvers.get("dop853").solve(problem, SolveOptions.tolerances(1e-10, 1e-10));
        final Trajectory dense = Solvers.get("dop853").solve(problem,
                SolveOptions.tolerances(1e-10, 1e-10).withRecorder(Recorder.every(0.009)));
        // THEN without samples: 2 (starting step) + 1 (first stage) + 11 per attempt + 1 per accepted step
        final long attempts = plain.statistics().acceptedSteps() + plain.statistics().rejectedSteps();
        assertEquals(3 + 11 * attempts + plain.statistics().acceptedSteps(), plain.statistics().rhsEvaluations(),
                     plain.statistics().toString());
        // AND with samples the steps are the same, and only a step with a sample strictly inside pays the 3
        // dense stages (near the pole the steps are shorter than the sampling interval)
        assertEquals(plain.statistics().acceptedSteps(), dense.statistics().acceptedSteps());
        final long extra = dense.statistics().rhsEvaluations() - plain.statistics().rhsEvaluations();
        assertEquals(0, extra % 3, dense.statistics().toString());
        assertTrue(extra >= 3 * 10 && extra <= 3 * plain.statistics().acceptedSteps(), "extra " + extra);
        // AND the answer is the closed form 1/(1 - 0.9) = 10 to the tolerance (scaled error below 10)
        assertEquals(10.0, plain.finalState()[0], 10 * (1e-10 + 1e-10 * 10.0));
        // AND the dense samples too (1e-8: the 7th-order dense output near the pole, measured 2e-10)
        final double[] t = dense.times();
        final double[] y = dense.column("y");
        for (int k = 0; k < t.length; k++) {
            assertEquals(1.0 / (1.0 - t[k]), y[k], 1e-8, "t = " + t[k]);
        }
    }

    @Test
    void fsalPairsCostTheirStagesMinusOnePerAttempt() {
        // GIVEN the same problem WHEN solved by tsit5 (7 stages, first same as last) and vern6 (9, FSAL)
        final Problem problem = Problem.of(blowUp(), 0.9);
        for (final String name : new String[] {"tsit5", "vern6"}) {
            final int perAttempt = name.equals("tsit5") ? 6 : 8;
            final Trajectory tr = Solvers.get(name).solve(problem, SolveOptions.tolerances(1e-10, 1e-10));
            final long attempts = tr.statistics().acceptedSteps() + tr.statistics().rejectedSteps();
            // THEN 3 start-up evaluations plus s - 1 per attempt
            assertEquals(3 + perAttempt * attempts, tr.statistics().rhsEvaluations(), name);
        }
    }

    @Test
    void aSolutionThatBlowsUpStopsWithStepUnderflowAtTheTime() {
        // GIVEN y = 1/(1-t) asked for on [0, 2]
        final Problem problem = Problem.of(blowUp(), 2.0);
        for (final String name : new String[] {"tsit5", "vern8", "dop853"}) {
            // WHEN solved (fail fast: the default) THEN the error is a step underflow just before t = 1
            final OdeException e = assertThrows(OdeException.class,
                    () -> Solvers.get(name).solve(problem, SolveOptions.tolerances(1e-8, 1e-8)), name);
            assertEquals(ErrorCode.STEP_SIZE_UNDERFLOW, e.code(), name);
            assertTrue(e.getMessage().startsWith("step size underflow at t = "), e.getMessage());
            // AND without fail fast the trajectory ends there with status FAILED and the message
            final Trajectory tr = Solvers.get(name).solve(problem,
                    SolveOptions.tolerances(1e-8, 1e-8).withFailFast(false));
            assertEquals(Status.FAILED, tr.status(), name);
            // (the last accepted step may pass the pole by a few 1e-8: the solution there is ~1e8 and the step
            // control relative)
            assertTrue(tr.finalTime() > 0.99 && tr.finalTime() < 1.0 + 1e-6, name + " " + tr.finalTime());
            assertTrue(tr.message().contains("step size underflow"), tr.message());
        }
    }

    @Test
    void denseJacobianMethodsRefuseLargeModelsWithAClearError() {
        // GIVEN a model of 2,001 decaying variables: compiled, with its (diagonal) Jacobian pattern, and the same
        // equations without one
        final org.neurode.core.expr.ModelBuilder b = org.neurode.core.expr.ModelBuilder.named("big");
        b.ode(b.vector("v", AdaptiveSimulation.MAX_DENSE_DIMENSION + 1, "1"), "-v");
        final Problem problem = Problem.of(b.build(), 1.0);
        final int n = AdaptiveSimulation.MAX_DENSE_DIMENSION + 1;
        final Problem plain = org.neurode.solvers.compare.IvpProblem.of("plain", new double[n], 0.0, 1.0,
                (t, y, f) -> {
                    for (int i = 0; i < n; i++) {
                        f[i] = -y[i];
                    }
                }).problem();
        // WHEN Radau IIA (dense only) is started on either, or rodas5p on the one without a pattern THEN the error
        // names the solver, the size and the way out; rodas5p runs the compiled model (banded storage), and an
        // explicit method runs it
        for (final Problem p : new Problem[] {problem, plain}) {
            final OdeException e = assertThrows(OdeException.class,
                    () -> Solvers.get("radau-iia-5").start(p, SolveOptions.defaults()));
            assertTrue(e.getMessage().contains("radau-iia-5") && e.getMessage().contains("2001 x 2001")
                       && e.getMessage().contains("explicit or exponential solver")
                       && e.getMessage().contains("rodas5p"), e.getMessage());
        }
        final OdeException e = assertThrows(OdeException.class,
                () -> Solvers.get("rodas5p").start(plain, SolveOptions.defaults()));
        assertTrue(e.getMessage().contains("rodas5p") && e.getMessage().contains("2001 x 2001")
                   && e.getMessage().contains("without a Jacobian pattern")
                   && e.getMessage().contains("explicit or exponential solver"), e.getMessage());
        assertEquals(Status.SUCCESS, Solvers.get("rodas5p").solve(problem, SolveOptions.defaults()).status());
        assertEquals(Status.SUCCESS, Solvers.get("tsit5").solve(problem, SolveOptions.defaults()).status());
    }

    @Test
    void finiteDifferenceJacobiansGiveTheAnalyticResultAtOneEvaluationPerColumn() {
        // GIVEN Van der Pol mu = 1000 with its analytic Jacobian and the same equations without it
        final org.neurode.solvers.compare.IvpProblem analytic =
                org.neurode.solvers.compare.StandardProblems.get("VDPOLM_MU1000");
        final Equation vdp = new Equation() {
            @Override
            public int dimension() {
                return 2;
            }

            @Override
            public void derivatives(final double t, final double[] y, final double[] dydt) {
                dydt[0] = y[1];
                dydt[1] = 1000.0 * (1.0 - y[0] * y[0]) * y[1] - y[0];
            }

            @Override
            public boolean autonomous() {
                return true;
            }
        };
        final Problem fd = Problem.of(Model.of("vdp-fd", StateLayout.builder().scalar("y1", "1", 1.0)
                .scalar("y2", "1", 1.0).build(), Parameters.empty(), p -> vdp, new double[] {2.0, 0.0}), 2000.0);
        for (final String name : new String[] {"rodas5p", "radau-iia-5"}) {
            // WHEN solved at 1e-6 with each
            final SolveOptions o = SolveOptions.tolerances(1e-6, 1e-6);
            final Trajectory a = Solvers.get(name).solve(analytic.problem(), o);
            final Trajectory f = Solvers.get(name).solve(fd, o);
            // THEN the end states agree to the tolerance (relative 1e-5: both are within ~3e-6 of the Test Set
            // value) and the difference in evaluations is about n = 2 per Jacobian (the steps differ slightly)
            for (int i = 0; i < 2; i++) {
                assertEquals(a.finalState()[i], f.finalState()[i], 1e-5 * Math.abs(a.finalState()[i]) + 1e-9,
                        name + " y" + (i + 1));
            }
            final double perJacobian = (double) (f.statistics().rhsEvaluations() - a.statistics().rhsEvaluations())
                                       / f.statistics().jacobianEvaluations();
            assertTrue(perJacobian > 1.0 && perJacobian < 3.0, name + ": " + perJacobian + " " + a.statistics()
                       + " " + f.statistics());
        }
    }
}
