package org.neurode.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.neurode.core.Status;
import org.neurode.core.Trajectory;
import org.neurode.solvers.SolveOptions;
import org.neurode.solvers.Solvers;
import org.neurode.solvers.compare.IvpProblem;
import org.neurode.solvers.compare.StandardProblems;
import org.neurode.solvers.compare.WorkPrecision;

/**
 * The accuracy and work targets of the solver comparison, on the problems and with the counting of
 * {@code compare-solvers} (atol = rtol times the problem's factor; evaluations of a plain solve without dense
 * output; errors against the Test Set / reference-file values).
 */
class SolverTargetsTest {

    /** {max abs error, max relative error, mixed significant digits} and the evaluations of one solve. */
    private record Result(double maxAbs, double maxRel, double digits, long evaluations, Trajectory trajectory) {
    }

    private static Result solve(final String solver, final String problem, final double rtol, final long budget) {
        final IvpProblem p = StandardProblems.get(problem);
        final Trajectory tr = Solvers.get(solver).solve(p.problem(),
                SolveOptions.tolerances(rtol, rtol * p.atolFactor()).withMaxEvaluations(budget));
        if (tr.status() != Status.SUCCESS) {
            return new Result(Double.NaN, Double.NaN, Double.NaN, tr.statistics().rhsEvaluations(), tr);
        }
        final double[] e = WorkPrecision.endErrors(tr.finalState(), p.reference(), p.atolFactor());
        return new Result(e[0], e[1], e[2], tr.statistics().rhsEvaluations(), tr);
    }

    @Test
    void vanDerPolMu1000WithinSixMicroWithFewerEvaluationsThanCvode() {
        // GIVEN Van der Pol, mu = 1000, on [0, 2000] (Test Set VDPOLM) WHEN solved by Rodas5P at rtol 2.6e-6
        final Result r = solve("rodas5p", "VDPOLM_MU1000", 2.6e-6, 1_000_000);
        // THEN relative error <= 6e-6 with <= 2,900 evaluations (issue target; CVODE BDF 2,860, SciPy BDF 5,726
        // at 1e-8). Measured: 2,510 evaluations (Jacobian analytic, df/dt skipped: autonomous), 5.09e-6.
        assertTrue(r.maxRel() <= 6e-6, "relative error " + r.maxRel());
        assertTrue(r.evaluations() <= 2_900, "evaluations " + r.evaluations());
        // Radau IIA 5 (RADAU5's tolerance transformation) does not meet it at any tolerance of the sweep: 2,946
        // evaluations give 1.1e-5 at 1e-6, 3,905 give 2.5e-6 at 1e-7 (SciPy's Radau at 1e-6: 5,167 evaluations)
        final Result radau = solve("radau-iia-5", "VDPOLM_MU1000", 1e-7, 1_000_000);
        assertTrue(radau.maxRel() < 6e-6 && radau.evaluations() < 4_200, radau.toString());
    }

    @Test
    void hiresAndRoberReachSixSignificantDigits() {
        // GIVEN the Test Set's HIRES and ROBER (t = 1e11) with their published end values
        for (final Object[] c : List.<Object[]>of(new Object[] {"rodas5p", "HIRES", 3e-7},
                                                  new Object[] {"rodas4", "HIRES", 3e-7},
                                                  new Object[] {"radau-iia-5", "HIRES", 1e-6},
                                                  new Object[] {"rodas5p", "ROBER", 1e-5},
                                                  new Object[] {"rodas4", "ROBER", 1e-5},
                                                  new Object[] {"radau-iia-5", "ROBER", 1e-5})) {
            // WHEN solved by each stiff method at a tolerance of the sweep
            final Result r = solve((String) c[0], (String) c[1], (Double) c[2], 1_000_000);
            // THEN at least 6 mixed significant correct digits (the Test Set's mescd, with atol/rtol of the problem).
            // Measured: HIRES rodas5p 6.26, rodas4 6.85, radau-iia-5 (1e-6) 6.26; ROBER 6.64, 6.52, 6.24
            assertTrue(r.digits() >= 6.0, c[0] + " on " + c[1] + ": " + r.digits() + " digits");
        }
    }

    @Test
    void arenstorfAtSciPyDop853sErrorWithFewerEvaluationsAndBetterWithVerner() {
        // GIVEN the Arenstorf orbit, one period (HNW I; SciPy DOP853 at 1e-10: 2,870 evaluations, 1.28e-6)
        // WHEN solved by neurode's DOP853 at 1e-10
        final Result dop = solve("dop853", "AREN_DBLDATA", 1e-10, 1_000_000);
        // THEN error <= 1.3e-6 with <= 2,870 evaluations (measured: 2,808 and 1.28e-6, the same error as SciPy's
        // DOP853: the same method and controller; Hipparchus' DP853 needs 3,617 for 1.33e-6)
        assertTrue(dop.maxAbs() <= 1.3e-6, "dop853 error " + dop.maxAbs());
        assertTrue(dop.evaluations() <= 2_870, "dop853 evaluations " + dop.evaluations());
        // AND Verner's 8(7) and 9(8) pairs do better on both counts (measured: vern8 at 3e-10 2,344 and 5.0e-7,
        // vern9 at 1e-9 2,304 and 3.9e-7)
        final Result v8 = solve("vern8", "AREN_DBLDATA", 3e-10, 1_000_000);
        final Result v9 = solve("vern9", "AREN_DBLDATA", 1e-9, 1_000_000);
        for (final Result v : List.of(v8, v9)) {
            assertTrue(v.maxAbs() < dop.maxAbs() && v.evaluations() < dop.evaluations(), v.toString());
        }
    }

    @Test
    void stiffSolversFinishWhereExplicitOnesGiveUp() {
        // GIVEN ROBER to t = 1e11 and a budget of 200,000 evaluations
        for (final String explicit : List.of("tsit5", "vern9", "dop853", "dormand-prince-853")) {
            // WHEN an explicit method tries THEN it runs out of evaluations (measured: at t = 20 to 38 of 1e11)
            final Result r = solve(explicit, "ROBER", 1e-6, 200_000);
            assertEquals(Status.MAX_EVALUATIONS, r.trajectory().status(), explicit);
            assertTrue(r.trajectory().finalTime() < 1e3, explicit + " got to t = " + r.trajectory().finalTime());
        }
        for (final String stiff : List.of("rodas5p", "rodas4", "radau-iia-5")) {
            // AND the stiff methods finish with a few thousand (measured at 1e-6: rodas5p 2,116, rodas4 2,467,
            // radau-iia-5 1,949; 7.3, 7.4 and 7.3 digits)
            final Result r = solve(stiff, "ROBER", 1e-6, 200_000);
            assertEquals(Status.SUCCESS, r.trajectory().status(), stiff);
            assertTrue(r.evaluations() < 5_000 && r.digits() > 6, stiff + ": " + r);
        }
        // AND on HIRES, which explicit methods can finish, they need 30-60 times the work (measured at 1e-6:
        // tsit5 71,745, dop853 65,489; rodas5p 1,263, radau-iia-5 976)
        final Result explicit = solve("dop853", "HIRES", 1e-6, 2_000_000);
        final Result stiff = solve("rodas5p", "HIRES", 1e-6, 2_000_000);
        assertTrue(explicit.evaluations() > 30 * stiff.evaluations(), explicit + " vs " + stiff);
    }
}
