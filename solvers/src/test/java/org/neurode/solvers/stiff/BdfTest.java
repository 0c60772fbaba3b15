package org.neurode.solvers.stiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.neurode.core.EventLog;
import org.neurode.core.InputSchedule;
import org.neurode.core.Model;
import org.neurode.core.Problem;
import org.neurode.core.Recorder;
import org.neurode.core.SolveStatistics;
import org.neurode.core.Trajectory;
import org.neurode.core.expr.ModelBuilder;
import org.neurode.core.expr.Var;
import org.neurode.core.spec.EventSpec;
import org.neurode.solvers.Simulation;
import org.neurode.solvers.SolveOptions;
import org.neurode.solvers.Solver;
import org.neurode.solvers.Solvers;
import org.neurode.solvers.Tolerances;
import org.neurode.solvers.adaptive.AdaptiveSimulation;
import org.neurode.solvers.compare.IvpProblem;
import org.neurode.solvers.compare.StandardProblems;
import org.neurode.solvers.compare.WorkPrecision;

/**
 * The variable-order BDF ({@code bdf}) against SUNDIALS CVODE on the stiff standard problems, its orders, tolerance
 * proportionality, dense output, events, restarts and allocation.
 */
class BdfTest {

    /**
     * CVODE 6.4.1 (SUNDIALS, Debian 12 package libsundials-dev; BDF, Newton with the dense direct solver and the
     * analytic Jacobians, rtol as given, atol = rtol x the problem's factor) at rtol 1e-8, from
     * examples/scripts/cvode/results/cvode.csv (cvode_stiff.c there, with StandardProblems' definitions, end times
     * and Jacobians): problem, right-hand-side evaluations, Jacobians, linear-solver setups (LU factorizations),
     * steps, mixed significant correct digits (mescd, Test Set) against the Test Set references.
     */
    private static final Object[][] CVODE_1E8 = {
        {"ROBER", 2616, 39, 280, 2106, 7.27},
        {"HIRES", 1235, 16, 131, 879, 6.00},
        {"VDPOLM_MU1000", 2860, 37, 326, 2023, 6.03},
    };

    /** CVODE's pooled slope of log max abs end error against log rtol at 1e-4 .. 1e-10 (results/cvode.csv). */
    private static final double CVODE_POOLED_SLOPE = 0.716;

    private static SolveOptions tolerances(final IvpProblem p, final double rtol) {
        return SolveOptions.defaults().withTolerances(Tolerances.of(rtol, rtol * p.atolFactor()))
                .withMaxEvaluations(2_000_000);
    }

    /** The Test Set's mescd: min over components of -log10(|y - r| / (atol/rtol + |r|)). */
    private static double mescd(final double[] y, final double[] ref, final double ratio) {
        double digits = 17.0;
        for (int i = 0; i < ref.length; i++) {
            final double e = Math.abs(y[i] - ref[i]);
            if (e > 0) {
                digits = Math.min(digits, -Math.log10(e / (ratio + Math.abs(ref[i]))));
            }
        }
        return digits;
    }

    @Test
    void evaluationsWithinATenthOfCvodeAtRtol1e8WithComparableAccuracy() {
        final StringBuilder report = new StringBuilder();
        for (final Object[] row : CVODE_1E8) {
            // GIVEN a stiff Test Set problem at rtol 1e-8, atol by the problem's factor (as compare-solvers)
            final IvpProblem p = StandardProblems.get((String) row[0]);
            // WHEN bdf solves it
            final Trajectory tr = Solvers.get("bdf").solve(p.problem(), tolerances(p, 1e-8));
            final SolveStatistics st = tr.statistics();
            final double digits = mescd(tr.finalState(), p.reference(), p.atolFactor());
            report.append(String.format(Locale.ROOT, "%s: %d evaluations (CVODE %d), %d Jacobians (%d), %d LU (%d),"
                    + " %d steps (%d), mescd %.2f (%.2f)%n", row[0], st.rhsEvaluations(), row[1],
                    st.jacobianEvaluations(), row[2], st.luFactorizations(), row[3], st.acceptedSteps(), row[4],
                    digits, row[5]));
            // THEN it needs at most 1.2 times CVODE's evaluations (the same algorithm; the step sequences differ by
            // the first step, Hairer's estimate here and CVODE's own there, and by the driver's stretching of the
            // last step to the end time)
            assertTrue(st.rhsEvaluations() <= 1.2 * (Integer) row[1], report.toString());
            // AND at most 1.2 times its Jacobians plus two, and 1.5 times its factorizations (CVODE's reuse rules;
            // more rejected steps mean more refactorizations)
            assertTrue(st.jacobianEvaluations() <= 1.2 * (Integer) row[2] + 2, report.toString());
            assertTrue(st.luFactorizations() <= 1.5 * (Integer) row[3], report.toString());
            // AND the end state is as accurate within half a digit: the error of a BDF code at a given tolerance
            // depends on the step sequence (CVODE's own errors move by 0.3-0.7 digits per factor 10 of rtol on these
            // problems), and half a digit (a factor 3.2 in the error) separates "the same accuracy" from "another
            // tolerance"
            assertTrue(digits >= (Double) row[5] - 0.5, report.toString());
        }
    }

    @Test
    void finiteDifferenceJacobiansGiveTheSameSolution() {
        // GIVEN ROBER without its analytic Jacobian (forward differences through the step context, n = 3 evaluations
        // each)
        final IvpProblem analytic = StandardProblems.get("ROBER");
        final IvpProblem differences = IvpProblem.of("ROBER_FD", new double[] {1.0, 0.0, 0.0}, 0.0, 1e11,
                (t, y, f) -> {
                    f[0] = -0.04 * y[0] + 1e4 * y[1] * y[2];
                    f[2] = 3e7 * y[1] * y[1];
                    f[1] = -f[0] - f[2];
                });
        // WHEN both are solved at rtol 1e-8
        final Trajectory a = Solvers.get("bdf").solve(analytic.problem(), tolerances(analytic, 1e-8));
        final Trajectory d = Solvers.get("bdf").solve(differences.problem(), tolerances(analytic, 1e-8));
        // THEN the end states agree to the tolerance's digits (the Newton matrix only steers the iteration)
        assertTrue(mescd(d.finalState(), analytic.reference(), analytic.atolFactor()) >= 6.8);
        for (int i = 0; i < 3; i++) {
            assertEquals(a.finalState()[i], d.finalState()[i], 1e-7 * Math.abs(a.finalState()[i]) + 1e-14);
        }
        // AND the differences cost n evaluations per Jacobian on top of about the same work
        final long extra = d.statistics().rhsEvaluations() - 3 * d.statistics().jacobianEvaluations();
        assertEquals(a.statistics().rhsEvaluations(), extra, 0.1 * a.statistics().rhsEvaluations());
    }

    @Test
    void toleranceProportionalOnTheStiffSet() {
        // GIVEN the stiff set at rtol 1e-4 .. 1e-10 (the peer table's range)
        final List<String> problems = List.of("ROBER", "HIRES", "VDPOLM_MU1000");
        final List<WorkPrecision.Run> runs = new ArrayList<>();
        final Solver bdf = Solvers.get("bdf");
        for (final String name : problems) {
            final IvpProblem p = StandardProblems.get(name);
            for (int k = 4; k <= 10; k++) {
                final double rtol = Math.pow(10, -k);
                final Trajectory tr = bdf.solve(p.problem(), tolerances(p, rtol));
                double err = 0.0;
                for (int i = 0; i < p.reference().length; i++) {
                    err = Math.max(err, Math.abs(tr.finalState()[i] - p.reference()[i]));
                }
                runs.add(new WorkPrecision.Run(name, "bdf", rtol, rtol * p.atolFactor(), "SUCCESS", null, 1, 0, 0, 1,
                        0, 1e-3, err, err, 5, err, "given"));
            }
        }
        // WHEN the slope of log error against log rtol is fitted with one intercept per problem
        final double slope = WorkPrecision.pooledProportionality(runs, "bdf", problems);
        final String perProblem = problems.stream().map(pr -> String.format(Locale.ROOT, "%s %.3f", pr,
                WorkPrecision.proportionality(runs, pr, "bdf"))).toList().toString();
        // THEN the error follows the tolerance about as closely as CVODE's (0.716 on the same problems and
        // tolerances, results/cvode.csv; measured 0.781 here: ROBER 0.82, HIRES 0.78, VDPOL 0.74): a BDF code
        // that bounds the local error per step at orders 1-5 is not fully proportional (the global error grows
        // like tol^(q/(q+1)) at a fixed order q), and the 0.8 of the non-stiff set is out of reach without a
        // tolerance transformation (docs/solvers.md)
        assertTrue(slope >= CVODE_POOLED_SLOPE && slope >= 0.75 && slope <= 1.2, "slope " + slope + " " + perProblem);
    }

    /** y'' = -y as a system: y = (cos t, -sin t). */
    private static IvpProblem oscillator(final double tEnd) {
        return IvpProblem.of("oscillator", new double[] {1.0, 0.0}, 0.0, tEnd, (t, y, f) -> {
            f[0] = y[1];
            f[1] = -y[0];
        }, (t, y, j) -> {
            j[0] = 0.0;
            j[1] = 1.0;
            j[2] = -1.0;
            j[3] = 0.0;
        });
    }

    @Test
    void reachesEachOrderWhenRestricted() {
        final double tEnd = 10.0;
        final IvpProblem p = oscillator(tEnd);
        for (int order = 1; order <= Bdf.MAX_ORDER; order++) {
            // GIVEN the method restricted to orders up to p, at tolerances where order p pays
            final double[] logSteps = new double[5];
            final double[] logErr = new double[5];
            int finalOrder = 0;
            for (int k = 0; k < 5; k++) {
                final double rtol = Math.pow(10, -(order + 3 + 1.0 * k));
                final Bdf method = new Bdf(order);
                final Simulation sim = new AdaptiveSimulation(p.problem(), tolerances(p, rtol)
                        .withRecorder(Recorder.finalOnly()), Bdf.INFO, method);
                sim.advanceTo(tEnd);
                final Trajectory tr = sim.finish();
                final double[] y = tr.finalState();
                logErr[k] = Math.log10(Math.hypot(y[0] - Math.cos(tEnd), y[1] + Math.sin(tEnd)));
                logSteps[k] = Math.log10(tr.statistics().acceptedSteps());
                finalOrder = method.order();
            }
            // WHEN the error is fitted against the number of steps
            final double slope = -slope(logSteps, logErr);
            // THEN it falls like N^-p and the method ends at order p
            assertEquals(order, finalOrder);
            assertEquals(order, slope, 0.3, "order " + order);
        }
    }

    private static double slope(final double[] x, final double[] y) {
        double mx = 0;
        double my = 0;
        for (int i = 0; i < x.length; i++) {
            mx += x[i] / x.length;
            my += y[i] / y.length;
        }
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
        }
        return sxy / sxx;
    }

    @Test
    void denseOutputIsAsAccurateAsTheStepEnds() {
        // GIVEN the oscillator over 20 time units at rtol 1e-5, 1e-8 and 1e-11, recorded at 2,001 times
        final double tEnd = 20.0;
        final IvpProblem p = oscillator(tEnd);
        final double[] times = new double[2001];
        for (int k = 0; k < times.length; k++) {
            times[k] = tEnd * k / (times.length - 1);
        }
        for (final double rtol : new double[] {1e-5, 1e-8, 1e-11}) {
            final Trajectory tr = Solvers.get("bdf").solve(p.problem(), tolerances(p, rtol)
                    .withRecorder(Recorder.at(times)));
            final double dense = maxError(tr);
            // WHEN compared with the exact solution, and with the errors at the step ends (the same steps: recording
            // does not change them)
            final double ends = maxError(Solvers.get("bdf").solve(p.problem(), tolerances(p, rtol)
                    .withRecorder(Recorder.steps())));
            // THEN the interpolant between the steps is as accurate as the steps themselves (the Nordsieck polynomial
            // of order q has an interpolation error of the order of the local error, below the global one)
            assertTrue(dense <= 1.5 * ends, "dense error " + dense + ", step ends " + ends + " at rtol " + rtol);
        }
    }

    @Test
    void denseOutputOnAStiffProblemWithoutErrorAccumulation() {
        // GIVEN Prothero-Robinson y' = -1000 (y - sin t) + cos t, y = sin t: the stiff decay keeps the global error at
        // the local one, so the interpolant is compared with errors that did not pile up
        final double tEnd = 10.0;
        final IvpProblem p = IvpProblem.of("pr", new double[] {0.0}, 0.0, tEnd,
                (t, y, f) -> f[0] = -1000.0 * (y[0] - Math.sin(t)) + Math.cos(t), (t, y, j) -> j[0] = -1000.0);
        final double[] times = new double[4001];
        for (int k = 0; k < times.length; k++) {
            times[k] = tEnd * k / (times.length - 1);
        }
        for (final double rtol : new double[] {1e-4, 1e-7, 1e-10}) {
            final double dense = sineError(Solvers.get("bdf").solve(p.problem(), tolerances(p, rtol)
                    .withRecorder(Recorder.at(times))));
            final double ends = sineError(Solvers.get("bdf").solve(p.problem(), tolerances(p, rtol)
                    .withRecorder(Recorder.steps())));
            // THEN between the steps the error is at the tolerance: the local error test bounds the difference of the
            // corrector and the predictor, i.e. the next term of the Nordsieck polynomial, which is the interpolant's
            // error. (The step ends are far more accurate here, 8.1e-6 against 3.3e-4 at rtol 1e-4: the stiff decay
            // damps the error carried to them, not the one of the polynomial between them.) Bound: 5 rtol with
            // |y| <= 1 and atol = rtol, i.e. 2.5 times the error scale atol + rtol |y| (measured 3.3, 1.2, 1.2 rtol)
            assertTrue(dense <= 5 * rtol, "dense error " + dense + ", step ends " + ends + " at rtol " + rtol);
        }
    }

    private static double sineError(final Trajectory tr) {
        final double[] times = tr.times();
        final double[] y = tr.column("y1");
        double err = 0.0;
        for (int k = 0; k < times.length; k++) {
            err = Math.max(err, Math.abs(y[k] - Math.sin(times[k])));
        }
        return err;
    }

    /** The max error of a recording of the oscillator against cos t and -sin t. */
    private static double maxError(final Trajectory tr) {
        final double[] times = tr.times();
        final double[] y1 = tr.column("y1");
        final double[] y2 = tr.column("y2");
        double err = 0.0;
        for (int k = 0; k < times.length; k++) {
            err = Math.max(err, Math.max(Math.abs(y1[k] - Math.cos(times[k])), Math.abs(y2[k] + Math.sin(times[k]))));
        }
        return err;
    }

    @Test
    void eventsAreLocatedOnTheDenseOutput() {
        // GIVEN v' = 2 - v from 0, reset to 0 above 1: spikes every ln 2
        final ModelBuilder b = ModelBuilder.named("relax");
        final Var v = b.vector("v", 1, "");
        b.ode(v, "2 - v");
        final Model m = b.event(EventSpec.of("spike", "v > 1", "v = 0")).build();
        // WHEN bdf integrates 5 time units
        final Trajectory tr = Solvers.get("bdf").solve(Problem.of(m, 5.0), SolveOptions.tolerances(1e-8, 1e-8));
        final EventLog ev = tr.events();
        // THEN the 7 spikes are where they belong
        assertEquals(7, ev.size());
        for (int k = 0; k < ev.size(); k++) {
            assertEquals((k + 1) * Math.log(2.0), ev.time(k), 1e-6, "spike " + k);
        }
    }

    @Test
    void restartsAtOrderOneAfterAnInputSwitch() {
        // GIVEN x' = a - x with a stiff follower w' = -1000 (w - x), and a switching from 1 to 3 at t = 5
        final ModelBuilder b = ModelBuilder.named("driven");
        final Var x = b.scalar("x", "1");
        final Var w = b.scalar("w", "1");
        final Var a = b.input("a", 1, "1");
        b.ode(x, "a - x");
        b.ode(w, "-1000 * (w - x)");
        b.initial(a, new double[] {1.0});
        final Model m = b.build();
        final SolveOptions options = SolveOptions.tolerances(1e-8, 1e-10).withRecorder(Recorder.at(5.0, 10.0));
        final Problem scheduled = Problem.of(m, 10.0).withInput(new InputSchedule("a", new double[] {5.0},
                new double[][] {{3.0}}));
        // WHEN integrated with the switch scheduled, and with the input set on a running simulation
        final Trajectory tr = Solvers.get("bdf").solve(scheduled, options);
        final Bdf method = new Bdf();
        final Simulation sim = new AdaptiveSimulation(Problem.of(m, 10.0), options, Bdf.INFO, method);
        sim.advanceTo(5.0);
        final int orderBefore = method.order();
        sim.set("a", 3.0);
        sim.advanceTo(5.0 + 1e-6);
        final int orderAfter = method.order();
        sim.advanceTo(10.0);
        final Trajectory set = sim.finish();
        // THEN the method had raised its order before the switch and starts again at order 1 after it
        assertTrue(orderBefore > 1, "order before " + orderBefore);
        assertEquals(1, orderAfter);
        // AND the solution is exact to the tolerance on both sides of the kink: x = 1 - e^-t before,
        // 3 - (3 - x(5)) e^-(t-5) after
        final double x5 = 1.0 - Math.exp(-5.0);
        // (20 rtol: the global error of ten time constants at rtol 1e-8; measured 3.6e-8 and 5.6e-8)
        assertEquals(x5, tr.column("x")[0], 2e-7);
        assertEquals(3.0 - (3.0 - x5) * Math.exp(-5.0), tr.finalState()[0], 2e-7);
        assertEquals(3.0 - (3.0 - x5) * Math.exp(-5.0), set.finalState()[0], 2e-7);
    }

    @Test
    void attemptAllocatesNothing() {
        // GIVEN a warmed-up bdf on a 30-dimensional stiff linear problem
        final int n = 30;
        final Bdf m = new Bdf();
        m.initialize(new CountingContext(n, (t, y, f) -> {
            for (int i = 0; i < n; i++) {
                f[i] = -(i + 1) * 10.0 * y[i] + Math.sin(t);
            }
        }, (t, y, j) -> {
            java.util.Arrays.fill(j, 0.0);
            for (int i = 0; i < n; i++) {
                j[i * n + i] = -(i + 1) * 10.0;
            }
        }, 1e-6, 1e-6));
        final double[] y = new double[n];
        final double[] yNew = new double[n];
        final double[] out = new double[n];
        java.util.Arrays.fill(y, 1.0);
        m.restart(0.0, y);
        final double[] t = {0.0};
        final double[] h = {1e-4};
        final Runnable steps = () -> {
            for (int k = 0; k < 10_000; k++) {
                final double err = m.attempt(t[0], h[0], y, yNew);
                if (err <= 1.0) {
                    m.accept(t[0], h[0], y, yNew);
                    m.interpolate(0.5, out);
                    final double f = m.controller().factor(h[0], err, m.controlOrder(), true, false);
                    t[0] += h[0];
                    System.arraycopy(yNew, 0, y, 0, n);
                    h[0] = Math.min(h[0] * f, 0.05);
                } else {
                    h[0] *= m.controller().factor(h[0], err, m.controlOrder(), false, false);
                }
            }
        };
        steps.run();
        // WHEN taking 10,000 more attempts with dense output
        final long before = allocatedBytes();
        steps.run();
        final long bytes = allocatedBytes() - before;
        // THEN (almost) nothing was allocated
        assertTrue(bytes < 50_000, "allocated " + bytes + " bytes over 10,000 attempts");
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getThreadAllocatedBytes(Thread.currentThread().getId());
    }
}
