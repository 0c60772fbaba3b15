package org.neurode.solvers.stiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.neurode.core.OdeException;
import org.neurode.core.SparseJacobianEquation;
import org.neurode.core.Status;
import org.neurode.core.Trajectory;
import org.neurode.solvers.SolveOptions;
import org.neurode.solvers.Solvers;
import org.neurode.solvers.adaptive.AdaptiveSolver;
import org.neurode.solvers.adaptive.StepContext;
import org.neurode.solvers.compare.DiffusionChain;
import org.neurode.solvers.compare.IvpProblem;
import org.neurode.solvers.linear.LinearAlgebra;
import org.neurode.solvers.linear.NewtonMatrix;

/**
 * Rosenbrock methods on large equations with a Jacobian pattern: the 10,000-compartment passive cable against
 * its exact solution, analytic sparse Jacobians against finite differences grouped by the pattern, and the dense,
 * banded and sparse storages against each other.
 */
class SparseStiffProblemsTest {

    private static double maxAbsDifference(final double[] a, final double[] b) {
        double d = 0.0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }

    @Test
    void rodas5pSolvesTheTenThousandCompartmentCableToItsExactSolutionWithBandedLu() {
        // GIVEN the passive cable of 10,000 compartments (eigenvalues to -4e8), analytic sparse Jacobian
        final int n = DiffusionChain.DEFAULT_SIZE;
        final IvpProblem cable = DiffusionChain.cable(n, true);
        final SparseJacobianEquation eq = (SparseJacobianEquation) cable.problem().model().equation();
        assertEquals("banded", LinearAlgebra.storage(eq.jacobianPattern()));
        // WHEN rodas5p integrates it at rtol 1e-6
        final long start = System.nanoTime();
        final Trajectory tr = Solvers.get("rodas5p").solve(cable.problem(), SolveOptions.tolerances(1e-6, 1e-6));
        final double seconds = (System.nanoTime() - start) * 1e-9;
        // THEN the end state is within 1e-7 of the exact one (max |V| about 1; measured 1.7e-9), one Jacobian per
        // accepted step, one LU per attempt
        assertEquals(Status.SUCCESS, tr.status());
        final double[] exact = DiffusionChain.cableExact(n, 0.1);
        final double error = maxAbsDifference(tr.finalState(), exact);
        assertTrue(error < 1e-7, "error " + error);
        final var st = tr.statistics();
        assertEquals(st.acceptedSteps(), st.jacobianEvaluations());
        assertEquals(st.acceptedSteps() + st.rejectedSteps(), st.luFactorizations());
        assertTrue(seconds < 20, seconds + " s");
    }

    @Test
    void groupedFiniteDifferencesCostThreeEvaluationsPerJacobianOnTheChain() {
        // GIVEN the cable with the pattern only (no Jacobian values) and with them, n = 2,000
        final int n = 2000;
        final Trajectory analytic = Solvers.get("rodas5p").solve(DiffusionChain.cable(n, true).problem(),
                SolveOptions.tolerances(1e-6, 1e-6));
        final Trajectory fd = Solvers.get("rodas5p").solve(DiffusionChain.cable(n, false).problem(),
                SolveOptions.tolerances(1e-6, 1e-6));
        // WHEN / THEN both meet the exact solution; the finite differences cost 3 evaluations per Jacobian (not
        // 2,000): evaluations = 8 per step attempt at a new point + 7 per retry + 3 per Jacobian + 2 (first step)
        final double[] exact = DiffusionChain.cableExact(n, 0.1);
        for (final Trajectory tr : new Trajectory[] {analytic, fd}) {
            assertEquals(Status.SUCCESS, tr.status());
            assertTrue(maxAbsDifference(tr.finalState(), exact) < 1e-6);
        }
        final var a = analytic.statistics();
        final var f = fd.statistics();
        final long stageEvaluations = 8 * f.acceptedSteps() + 7 * f.rejectedSteps() + 2;
        assertEquals(stageEvaluations + 3 * f.jacobianEvaluations(), f.rhsEvaluations(), f.toString());
        assertEquals(8 * a.acceptedSteps() + 7 * a.rejectedSteps() + 2, a.rhsEvaluations(), a.toString());
    }

    @Test
    void denseBandedAndSparseStorageGiveTheSameSolution() {
        // GIVEN the Nagumo chain of 300 compartments (front propagation, stiffness 4e4)
        final IvpProblem chain = DiffusionChain.nagumo(300, true);
        Trajectory reference = null;
        for (final Function<StepContext, NewtonMatrix> storage : java.util.List.<Function<StepContext, NewtonMatrix>>of(
                NewtonMatrix::dense, NewtonMatrix::banded, NewtonMatrix::sparse)) {
            // WHEN rodas5p runs with each storage
            final Trajectory tr = new AdaptiveSolver(Rosenbrock.RODAS5P_INFO,
                    () -> new Rosenbrock(RosenbrockTableau.RODAS5P, storage))
                    .solve(chain.problem(), SolveOptions.tolerances(1e-8, 1e-8));
            assertEquals(Status.SUCCESS, tr.status());
            if (reference == null) {
                reference = tr;
                continue;
            }
            // THEN the same steps and the same end state to rounding (the factorizations differ in the order of
            // their additions only)
            assertEquals(reference.statistics().acceptedSteps(), tr.statistics().acceptedSteps());
            assertEquals(reference.statistics().rejectedSteps(), tr.statistics().rejectedSteps());
            assertTrue(maxAbsDifference(reference.finalState(), tr.finalState()) < 1e-12,
                    "" + maxAbsDifference(reference.finalState(), tr.finalState()));
        }
    }

    @Test
    void steppingWithBandedOrSparseStorageAndGroupedDifferencesAllocatesNothing() {
        // GIVEN rodas5p on the Nagumo chain (n = 400) with a largest step of 0.01, banded (analytic values) and
        // sparse (pattern only: grouped finite differences), warmed up
        final java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        for (final boolean sparse : new boolean[] {false, true}) {
            final IvpProblem chain = DiffusionChain.nagumo(400, !sparse);
            final org.neurode.solvers.Simulation sim = new AdaptiveSolver(Rosenbrock.RODAS5P_INFO,
                    () -> new Rosenbrock(RosenbrockTableau.RODAS5P, sparse ? NewtonMatrix::sparse : NewtonMatrix::of))
                    .start(chain.problem().withSpan(0.0, 1e6), SolveOptions.tolerances(1e-6, 1e-6).withMaxStep(0.01));
            sim.advanceTo(20.0);
            // WHEN 2,000 more steps are taken (the quietest of 5 windows: the JIT may still be compiling)
            long fewest = Long.MAX_VALUE;
            for (int w = 0; w < 5; w++) {
                final long before = ((com.sun.management.ThreadMXBean) mx).getCurrentThreadAllocatedBytes();
                sim.advanceTo(40.0 + 20.0 * w);
                fewest = Math.min(fewest, ((com.sun.management.ThreadMXBean) mx).getCurrentThreadAllocatedBytes()
                        - before);
            }
            // THEN a few bytes at most (one state array per step would be 6.4 MB)
            assertTrue(fewest < 100_000, (sparse ? "sparse" : "banded") + " allocated " + fewest + " bytes");
        }
    }

    @Test
    void theNagumoChainAsAModelFileGivesTheHandWrittenChainsSolution() {
        // GIVEN the Nagumo chain of 3,000 compartments (above the dense limit) written as a model file (the language
        // has no vector shift, so one scalar state and equation per compartment; 10,000 take 6 s to compile here),
        // compiled with its symbolic Jacobian, and the hand-written one
        final int n = 3000;
        final IvpProblem hand = DiffusionChain.nagumo(n, true);
        final double[] y0 = hand.problem().initial();
        final StringBuilder text = new StringBuilder("model nagumo\nparameter D = 10000\nparameter a = 0.1\n");
        for (int i = 0; i < n; i++) {
            text.append("state V").append(i).append(" = ").append(y0[i]).append('\n');
        }
        for (int i = 0; i < n; i++) {
            text.append("dV").append(i).append("/dt = D * (").append(i == 0 ? "0" : "V" + (i - 1)).append(" - 2 * V")
                .append(i).append(" + ").append(i == n - 1 ? "0" : "V" + (i + 1)).append(") + V").append(i)
                .append(" * (1 - V").append(i).append(") * (V").append(i).append(" - a)\n");
        }
        final org.neurode.core.Model model = org.neurode.core.expr.ModelFile.parse(text.toString(), "nagumo.ode",
                "nagumo").model();
        // WHEN rodas5p integrates both over [0, 10] at rtol 1e-6
        final SolveOptions o = SolveOptions.tolerances(1e-6, 1e-6);
        final Trajectory a = Solvers.get("rodas5p").solve(org.neurode.core.Problem.of(model, 10.0), o);
        final Trajectory b = Solvers.get("rodas5p").solve(hand.problem(), o);
        // THEN the same steps and end states within rounding (for n = 10,000 the error against dop853 at 1e-11 is 3e-6)
        assertEquals(Status.SUCCESS, a.status());
        assertEquals(b.statistics().acceptedSteps(), a.statistics().acceptedSteps());
        assertEquals(b.statistics().rhsEvaluations(), a.statistics().rhsEvaluations());
        assertTrue(maxAbsDifference(a.finalState(), b.finalState()) < 1e-10,
                "" + maxAbsDifference(a.finalState(), b.finalState()));
    }

    @Test
    void denseOnlyMethodsRefuseLargeEquationsAndNameTheSparseAlternative() {
        // GIVEN the 10,000-compartment cable (with a pattern) WHEN Radau IIA is started THEN the error names the
        // size and the Rosenbrock methods; rodas5p accepts it
        final IvpProblem cable = DiffusionChain.cable(DiffusionChain.DEFAULT_SIZE, true);
        final OdeException e = assertThrows(OdeException.class,
                () -> Solvers.get("radau-iia-5").start(cable.problem(), SolveOptions.defaults()));
        assertTrue(e.getMessage().contains("10000 x 10000") && e.getMessage().contains("rodas5p")
                   && e.getMessage().contains("800 MB"), e.getMessage());
        Solvers.get("rodas5p").start(cable.problem(), SolveOptions.defaults());
    }
}
