package org.neurode.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurode.examples.Main;
import org.neurode.solvers.Solvers;
import org.neurode.solvers.compare.IvpProblem;
import org.neurode.solvers.compare.StandardProblems;
import org.neurode.solvers.compare.WorkPrecision;

import picocli.CommandLine;

/**
 * Issue 4: the work-precision harness and {@code neurode compare-solvers} end to end.
 */
class CompareSolversTest {

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private static int run(final StringWriter out, final StringWriter err, final String... args) {
        final CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void commandWritesJsonCsvPlotsAndSummaryWithEveryRun(@TempDir final Path dir) throws IOException {
        // GIVEN two problems (one with a published reference, one neuron problem without), two solvers and
        // two tolerances
        final Path out = dir.resolve("cmp");
        final StringWriter stdout = new StringWriter();
        final StringWriter stderr = new StringWriter();
        // WHEN
        final int code = run(stdout, stderr, "compare-solvers", "--problems", "DETEST_B5,HH", "--solvers",
                "dormand-prince-54,dormand-prince-853", "--tolerances", "1e-5,1e-8", "--repeats", "1",
                "--no-progress", "--out", out.toString());
        // THEN every file is there and results.json holds 2 x 2 x 2 runs with their counters and errors
        assertEquals(0, code, stderr.toString());
        for (final String f : List.of("results.json", "results.csv", "summary.md", "workprecision-DETEST_B5.png",
                                      "workprecision-HH.png")) {
            assertTrue(Files.exists(out.resolve(f)), f);
        }
        final byte[] png = Files.readAllBytes(out.resolve("workprecision-HH.png"));
        assertArrayEquals(PNG_SIGNATURE, java.util.Arrays.copyOf(png, 8));
        final JsonNode json = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        final JsonNode runs = json.get("runs");
        assertEquals(8, runs.size());
        assertEquals(0, json.get("failures").asInt());
        for (final JsonNode r : runs) {
            assertEquals("SUCCESS", r.get("status").asText());
            assertTrue(r.get("rhsEvaluations").asLong() > 0);
            assertTrue(r.get("acceptedSteps").asLong() > 0);
            assertTrue(r.get("wallSeconds").asDouble() > 0);
            assertTrue(r.get("maxAbsError").asDouble() > 0);
            assertTrue(r.get("timeSeriesError").asDouble() > 0);
            for (final String field : List.of("problem", "solver", "rtol", "atol", "jacobianEvaluations",
                                              "luFactorizations", "rejectedSteps", "maxRelError", "significantDigits",
                                              "reference")) {
                assertTrue(r.has(field), field);
            }
        }
        // the published DETEST value is used where it exists; HH's reference is computed by another method
        assertTrue(runs.get(0).get("reference").asText().startsWith("given"), runs.get(0).toString());
        assertTrue(runs.get(4).get("reference").asText().startsWith("computed: "), runs.get(4).toString());
        // a tighter tolerance gives a smaller error (1e-5 -> 1e-8: three orders of magnitude asked)
        assertTrue(runs.get(1).get("maxAbsError").asDouble() < 0.1 * runs.get(0).get("maxAbsError").asDouble());
        assertTrue(json.get("toleranceProportionality").get("DETEST_B5").has("dormand-prince-853"));
        assertEquals(9, Files.readAllLines(out.resolve("results.csv")).size(), "header and 8 rows");
        // AND the console gets a short summary (issue 12: it printed the whole table): per problem its counts and
        // the fastest and most accurate solver per tolerance; the table is in summary.md
        final String console = stdout.toString();
        assertTrue(console.contains("HH (Hodgkin-Huxley neuron): 4 runs, 0 failed"), console);
        assertTrue(console.contains("DETEST_B5 (DETEST B5): 4 runs, 0 failed"), console);
        assertTrue(console.contains("  rtol 1e-05: fastest "), console);
        assertTrue(console.lines().count() <= 8, console);
        assertTrue(!console.contains("|"), "no table on the console: " + console);
        final String summary = Files.readString(out.resolve("summary.md"));
        assertTrue(summary.contains("## HH") && summary.contains("| dormand-prince-853 | 1e-08 | SUCCESS |"),
                summary);
    }

    @Test
    void baselineWallTimesGiveRatiosAndMalformedBaselinesAreNamed(@TempDir final Path dir) throws IOException {
        // GIVEN a baseline file in the format of examples/scripts/scipy_baseline.py with one matching entry
        final Path file = dir.resolve("scipy.json");
        Files.writeString(file, "[{\"problem\": \"DETEST_A1\", \"method\": \"RK45\", \"neurodeSolver\": "
                + "\"dormand-prince-54\", \"rtol\": 1e-6, \"atol\": 1e-6, \"nfev\": 100, \"wallSeconds\": 0.5, "
                + "\"status\": \"SUCCESS\"}]");
        final Path out = dir.resolve("cmp");
        // WHEN comparing with it
        final StringWriter stderr = new StringWriter();
        final int code = run(new StringWriter(), stderr, "compare-solvers", "--problems", "DETEST_A1", "--solvers",
                "dormand-prince-54", "--tolerances", "1e-6", "--repeats", "1", "--no-progress", "--baseline",
                file.toString(), "--out", out.toString());
        // THEN the ratio of the wall times is reported (a tiny problem: far below the baseline's 0.5 s)
        assertEquals(0, code, stderr.toString());
        final JsonNode ratio = new ObjectMapper().readTree(out.resolve("results.json").toFile()).get("baselineRatios")
                .get(0);
        assertEquals("RK45", ratio.get("baselineMethod").asText());
        assertEquals(ratio.get("wallSeconds").asDouble() / 0.5, ratio.get("wallRatio").asDouble(), 1e-12);
        assertTrue(Files.readString(out.resolve("summary.md")).contains("Wall time against the baseline"));
        // AND an entry without its wall time is refused with the entry named
        Files.writeString(file, "[{\"problem\": \"DETEST_A1\", \"method\": \"RK45\", \"rtol\": 1e-6}]");
        final StringWriter err2 = new StringWriter();
        final int bad = run(new StringWriter(), err2, "compare-solvers", "--problems", "DETEST_A1", "--solvers",
                "dormand-prince-54", "--tolerances", "1e-6", "--repeats", "1", "--no-progress", "--baseline",
                file.toString(), "--out", dir.resolve("cmp2").toString());
        assertEquals(2, bad);
        assertTrue(err2.toString().contains("entry 0 has no 'wallSeconds'"), err2.toString());
    }

    @Test
    void problemFromAModelFileWithItsReference(@TempDir final Path dir) throws IOException {
        // GIVEN the logistic equation y' = y (1 - y), y(0) = 0.1, as a file with its closed-form end value
        // y(5) = 1 / (1 + 9 e^-5)
        final Path file = dir.resolve("logistic.ode");
        Files.writeString(file, String.join("\n", "model logistic", "state y = 0.1", "dy/dt = y * (1 - y)",
                "time 0 5", "reference y = " + 1.0 / (1.0 + 9.0 * Math.exp(-5.0))));
        final Path out = dir.resolve("cmp");
        final StringWriter stderr = new StringWriter();
        // WHEN compared (only the file: no --problems)
        final int code = run(new StringWriter(), stderr, "compare-solvers", "--problem-file", file.toString(),
                "--solvers", "dormand-prince-853", "--tolerances", "1e-9", "--repeats", "1", "--no-progress", "--out",
                out.toString());
        // THEN the file's reference is used and met to the tolerance (ten times 1e-9 at most)
        assertEquals(0, code, stderr.toString());
        final JsonNode r = new ObjectMapper().readTree(out.resolve("results.json").toFile()).get("runs").get(0);
        assertEquals("logistic", r.get("problem").asText());
        assertEquals("given: given in logistic.ode", r.get("reference").asText());
        assertTrue(r.get("maxAbsError").asDouble() < 1e-8, r.toString());
        // AND a file without a time span is refused, naming it
        Files.writeString(file, "state y = 0.1\ndy/dt = y * (1 - y)\n");
        final StringWriter err2 = new StringWriter();
        assertEquals(2, run(new StringWriter(), err2, "compare-solvers", "--problem-file", file.toString(),
                "--no-progress", "--out", dir.resolve("cmp2").toString()));
        assertTrue(err2.toString().contains("logistic.ode: a problem file needs a 'time T0 T1' line"), err2.toString());
    }

    @Test
    void failuresAreCountedNotDropped(@TempDir final Path dir) throws IOException {
        // GIVEN Van der Pol with mu = 1000, which an explicit method cannot cross with 20,000 evaluations
        final Path out = dir.resolve("cmp");
        final StringWriter stderr = new StringWriter();
        // WHEN
        final StringWriter stdout = new StringWriter();
        final int code = run(stdout, stderr, "compare-solvers", "--problems", "VDPOLM_MU1000",
                "--solvers", "dormand-prince-54", "--tolerances", "1e-4", "--repeats", "1", "--max-evaluations",
                "20000", "--no-progress", "--out", out.toString());
        // THEN the run is kept with status FAILED, no numbers, and the reason
        assertEquals(0, code, stderr.toString());
        final JsonNode json = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        assertEquals(1, json.get("failures").asInt());
        final JsonNode r = json.get("runs").get(0);
        assertEquals("FAILED", r.get("status").asText());
        assertTrue(!r.has("maxAbsError") || r.get("maxAbsError").isNull(), "no error number for a failed run");
        assertTrue(r.get("message").asText().contains("maximum number of right-hand-side evaluations"), r.toString());
        // AND (issue 12) its work is kept, and the failure is shown on the console and in summary.md, not only in
        // results.csv and results.json
        assertTrue(r.get("rhsEvaluations").asLong() >= 20_000, r.toString());
        final String failure = "dormand-prince-54 at rtol 1e-04 (";
        assertTrue(stdout.toString().contains("FAILED: " + failure), stdout.toString());
        assertTrue(stdout.toString().contains("maximum number of right-hand-side evaluations (20000) exceeded"),
                stdout.toString());
        final String summary = Files.readString(out.resolve("summary.md"));
        assertTrue(summary.contains("Failures:") && summary.contains("- " + failure), summary);
    }

    @Test
    void issue12_aRunThatThrowsKeepsItsWorkCountersAndTheFigureListsTheFailedSolver(@TempDir final Path dir)
            throws IOException {
        // GIVEN y' = sqrt(1 - t) on [0, 2], which no solver can cross (NaN derivative after t = 1): with the fail-fast
        // default the solve throws a step size underflow after thousands of evaluations
        final Path file = dir.resolve("sqrt.ode");
        Files.writeString(file, String.join("\n", "model sqrt", "state y = 0", "dy/dt = sqrt(1 - t)", "time 0 2",
                "stiff"));
        final Path out = dir.resolve("cmp");
        final StringWriter stderr = new StringWriter();
        // WHEN compared with Radau IIA and an explicit pair
        final int code = run(new StringWriter(), stderr, "compare-solvers", "--problem-file", file.toString(),
                "--solvers", "radau-iia-5,dormand-prince-54", "--tolerances", "1e-6", "--repeats", "1",
                "--no-progress", "--out", out.toString());
        // THEN the failed runs keep their counters (they were reported as zero work): Newton iterations ran, so
        // Jacobians and LU factorizations were counted
        assertEquals(0, code, stderr.toString());
        final JsonNode runs = new ObjectMapper().readTree(out.resolve("results.json").toFile()).get("runs");
        final JsonNode radau = runs.get(0);
        assertEquals("FAILED", radau.get("status").asText(), radau.toString());
        assertTrue(radau.get("message").asText().contains("step size underflow"), radau.toString());
        assertTrue(radau.get("rhsEvaluations").asLong() > 100 && radau.get("jacobianEvaluations").asLong() > 0
                   && radau.get("luFactorizations").asLong() > 0 && radau.get("acceptedSteps").asLong() > 0,
                radau.toString());
        assertTrue(runs.get(1).get("rhsEvaluations").asLong() > 100, runs.get(1).toString());
        assertTrue(Files.exists(out.resolve("workprecision-sqrt.png")));
    }

    @Test
    void stiffProblemRecordsJacobiansFactorizationsAndTheExplicitFailure(@TempDir final Path dir) throws IOException {
        // GIVEN ROBER (stiff, t = 1e11), a Rosenbrock method, Radau IIA and an explicit pair with 50,000 evaluations
        final Path out = dir.resolve("cmp");
        final StringWriter stderr = new StringWriter();
        // WHEN compared at one tolerance
        final int code = run(new StringWriter(), stderr, "compare-solvers", "--problems", "ROBER", "--solvers",
                "rodas5p,radau-iia-5,dop853", "--tolerances", "1e-6", "--repeats", "1", "--max-evaluations", "50000",
                "--no-progress", "--out", out.toString());
        // THEN the stiff runs succeed with Jacobians and LU factorizations counted and 6+ digits, the explicit one
        // is kept as a failure with its counters
        assertEquals(0, code, stderr.toString());
        final JsonNode json = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        assertEquals(1, json.get("failures").asInt());
        for (final JsonNode r : json.get("runs")) {
            if (r.get("solver").asText().equals("dop853")) {
                assertEquals("FAILED", r.get("status").asText());
                assertTrue(r.get("rhsEvaluations").asLong() > 50_000, r.toString());
                continue;
            }
            assertEquals("SUCCESS", r.get("status").asText(), r.toString());
            assertTrue(r.get("jacobianEvaluations").asLong() > 0 && r.get("luFactorizations").asLong()
                       >= r.get("jacobianEvaluations").asLong(), r.toString());
            assertTrue(r.get("significantDigits").asDouble() > 6.0, r.toString());
            assertTrue(r.get("reference").asText().startsWith("given"), r.toString());
        }
    }

    @Test
    void fixedStepSolversSweepStepCountsOnTheLtcNetwork(@TempDir final Path dir) throws IOException {
        // GIVEN the LTC network problem, the fused semi-implicit step (ncps' ode_unfolds) and an adaptive pair
        final Path out = dir.resolve("cmp");
        final StringWriter stderr = new StringWriter();
        // WHEN compared with 60, 600 and 6000 fused steps over the 10 time units and dop853 at 1e-8
        final int code = run(new StringWriter(), stderr, "compare-solvers", "--problems", "LTC", "--solvers",
                "semi-implicit-euler,dop853", "--tolerances", "1e-8", "--fixed-steps", "60,600,6000", "--repeats", "1",
                "--no-progress", "--out", out.toString());
        assertEquals(0, code, stderr.toString());
        final JsonNode runs = new ObjectMapper().readTree(out.resolve("results.json").toFile()).get("runs");
        // THEN the fixed-step runs carry their step (span / count) and no tolerance, one evaluation per step
        assertEquals(4, runs.size());
        double previous = Double.POSITIVE_INFINITY;
        for (int k = 0; k < 3; k++) {
            final JsonNode r = runs.get(k);
            assertEquals("semi-implicit-euler", r.get("solver").asText());
            assertTrue(!r.has("rtol") || r.get("rtol").isNull(), r.toString());
            assertEquals(10.0 / new int[] {60, 600, 6000}[k], r.get("step").asDouble(), 1e-12);
            assertEquals(new int[] {60, 600, 6000}[k], r.get("rhsEvaluations").asLong());
            // AND the time-series error of this first-order method falls about tenfold per tenfold steps
            // (measured 5.1e-2, 5.4e-3, 5.4e-4)
            final double e = r.get("timeSeriesError").asDouble();
            assertTrue(e < previous / 7 && e > previous / 14 || k == 0, "series error " + e + " after " + previous);
            previous = e;
        }
        // AND the adaptive run is an ordinary tolerance run, far more accurate per evaluation
        final JsonNode d = runs.get(3);
        assertEquals(1e-8, d.get("rtol").asDouble(), 0.0);
        assertTrue(!d.has("step") || d.get("step").isNull(), d.toString());
        assertTrue(d.get("timeSeriesError").asDouble() < 1e-6 && d.get("rhsEvaluations").asLong() < 600, d.toString());
    }

    @Test
    void userProblemWithAClosedFormAndTheArenstorfPeerNumbers() {
        // GIVEN a user problem y' = -2 t y, y(0) = 1, with y(2) = exp(-4), and the Arenstorf orbit
        final IvpProblem gauss = IvpProblem.of("gauss", new double[] {1.0}, 0.0, 2.0, (t, y, f) -> f[0] = -2 * t * y[0])
                .withReference(new double[] {Math.exp(-4.0)}, "closed form");
        final WorkPrecision wp = new WorkPrecision(WorkPrecision.Settings.of(List.of(1e-10), 1));
        // WHEN measured with DP853 at 1e-10
        final WorkPrecision.Run g = wp.measure(gauss, Solvers.get("dormand-prince-853"), 1e-10);
        final WorkPrecision.Run a = wp.measure(StandardProblems.get("AREN_DBLDATA"), Solvers.get("dormand-prince-853"),
                1e-10);
        // THEN the closed form is met to the tolerance (error/|y| below 1e-9, ten tolerances), and Arenstorf
        // reproduces the peer measurement (Hipparchus called directly, docs/solvers.md) exactly: 3617
        // evaluations, 1.33e-6
        assertTrue(g.maxRelError() < 1e-9, "gauss " + g.maxRelError());
        assertEquals("given: closed form", g.reference());
        assertEquals(3617, a.rhsEvaluations());
        assertEquals(1.33e-6, a.maxAbsError(), 0.01e-6);
        // the dense reference for DP853 itself is computed by another method (GBS), so the series error is
        // a real error (positive) and of the order of the end error
        assertTrue(a.timeSeriesError() > 0 && a.timeSeriesError() < 1e-4, "series " + a.timeSeriesError());
    }

    @Test
    void proportionalitySlopeOfAnIdealSolverIsOne() {
        // GIVEN synthetic runs whose error is exactly 3 * rtol
        final List<WorkPrecision.Run> runs = new java.util.ArrayList<>();
        for (final double tol : new double[] {1e-4, 1e-6, 1e-8}) {
            runs.add(new WorkPrecision.Run("p", "s", tol, tol, "SUCCESS", null, 1, 0, 0, 1, 0, 1e-3, 3 * tol,
                    3 * tol, 5, 3 * tol, "given"));
        }
        // THEN the fitted slope is 1 (to round-off)
        assertEquals(1.0, WorkPrecision.proportionality(runs, "p", "s"), 1e-12);
        assertTrue(Double.isNaN(WorkPrecision.proportionality(runs, "p", "other")));
    }
}
