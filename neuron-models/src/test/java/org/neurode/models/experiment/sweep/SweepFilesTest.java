package org.neurode.models.experiment.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.neurode.core.OdeException;
import org.neurode.models.experiment.RunStatus;
import org.neurode.models.experiment.Seeds;
import org.neurode.models.experiment.regression.RegressionSettings;

/**
 * Sweep files (expansion of lists, ranges, log ranges and random samples; seeds; strict errors with line and
 * column) and the local runner (per-point results independent of the thread count, resume, the gathered table).
 */
class SweepFilesTest {

    /** A regression small enough for unit tests (a few tenths of a second a point). */
    private static final String TINY = "base:\n  kind: regression\n  patterns: 20\n  testEvery: 10\n  heldOut: 2\n"
            + "  heldOutEvery: 10\n";

    @TempDir
    Path temp;

    private static Sweep parse(final String text) {
        return SweepFiles.parse(text, "sweep.yaml", true, null);
    }

    @Test
    void tableColumnsAreUniqueWhenAnAxisOrAResultNumberIsNamedAsAColumnOfThePoint() {
        // an axis over 'seed' (allowed: the experiment's own seed field) and a simulate result, whose numbers
        // include maps named at run time; no result is needed for the columns of the points
        final Sweep s = parse("base: {kind: simulate, n: 4, tEnd: 10}\naxes:\n  seed: [1, 2]\n  params.tau_m: [5, 10]"
                + "\nmetric: eventRatesHz.spike\n");
        final List<String> columns = SweepTable.of(s, List.of()).columns();
        assertEquals(List.of("index", "replicate", "seed", "axis.seed", "params.tau_m", "status", "wallSeconds",
                "message"), columns);
        assertEquals(4, s.points().size());
        assertEquals(2L, s.points().get(2).seed());
        // an unknown map entry of the result is no metric
        assertTrue(error("base: {kind: simulate, tEnd: 10}\nmetric: eventRatesHz\n").contains(
                "unknown metric 'eventRatesHz'"));
    }

    @Test
    void aSolverAxisTakesEachSolversStepUnlessTheBaseGivesOne() {
        final Sweep free = parse(TINY + "axes:\n  solver: [exponential-euler, euler-maruyama, exponential-trapezoid]\n"
                + "metric: finalHeldOut.microcircuit\n");
        final List<Double> steps = new java.util.ArrayList<>();
        for (final Point p : free.points()) {
            steps.add(((org.neurode.models.experiment.regression.RegressionSettings) p.spec().settings()).dt());
        }
        assertEquals(List.of(0.5, 0.1, 2.0), steps);
        final Sweep fixed = parse(TINY + "  dt: 0.25\naxes:\n  solver: [exponential-euler, euler-maruyama]\n"
                + "metric: finalHeldOut.microcircuit\n");
        for (final Point p : fixed.points()) {
            assertEquals(0.25, ((org.neurode.models.experiment.regression.RegressionSettings) p.spec().settings())
                    .dt());
        }
    }

    @Test
    void pointsRunOnOneThreadUnlessTheSweepSetsThreads() {
        // multiplex's threads default to all cores; in a sweep the points are the parallel work
        final Sweep free = parse("base: {kind: multiplex, neurons: 100, seeds: 1}\naxes:\n  seed: [1, 2]\n"
                + "metric: bottomUp.mean\n");
        for (final Point p : free.points()) {
            assertEquals(1, ((org.neurode.models.experiment.burst.MultiplexSettings) p.spec().settings()).threads());
        }
        final Sweep given = parse("base: {kind: multiplex, neurons: 100, seeds: 2, threads: 2}\naxes:\n  seed: [1]\n"
                + "metric: bottomUp.mean\n");
        assertEquals(2, ((org.neurode.models.experiment.burst.MultiplexSettings) given.points().get(0).spec()
                .settings()).threads());
        // kinds without the field are untouched
        assertFalse(parse(TINY + "metric: finalHeldOut.microcircuit\n").points().get(0).settings().contains("threads"));
    }

    private static String error(final String text) {
        return assertThrows(OdeException.class, () -> parse(text)).getMessage();
    }

    @Test
    void listsRangesLogRangesAndRandomSamplesExpandIntoTheirProduct() {
        // GIVEN one axis of each form
        final Sweep s = parse(TINY + "axes:\n"
                + "  backpropRate: [3, 10]\n"
                + "  dt: {from: 0.1, to: 0.5, step: 0.2}\n"
                + "  studentHidden: {from: 10, to: 30, count: 3}\n"
                + "  learningRateScale: {from: 1, to: 1000, count: 4, scale: log}\n"
                + "  emaAlpha: {random: uniform, from: 0.01, to: 0.1, count: 2, seed: 7}\n"
                + "metric: finalHeldOut.microcircuit\n");
        // THEN each axis has its values, in order, of its field's type
        assertEquals(List.of(3L, 10L), s.axis("backpropRate").values());
        assertEquals(List.of(0.1, 0.3, 0.5), s.axis("dt").values());
        assertEquals(List.of(10L, 20L, 30L), s.axis("studentHidden").values());
        assertEquals(List.of(1.0, 10.0, 100.0, 1000.0), s.axis("learningRateScale").values());
        assertEquals(Axis.Form.LOG_RANGE, s.axis("learningRateScale").form());
        final List<Object> alphas = s.axis("emaAlpha").values();
        assertEquals(2, alphas.size());
        for (int k = 0; k < 2; k++) {
            final double u = Seeds.stream(7, Sweep.SAMPLE_PURPOSE, k).nextDouble();
            assertEquals(0.01 + u * (0.1 - 0.01), (double) alphas.get(k), 0.0);
        }
        // AND the points are the product, the last axis fastest, with the base's seed (no 'seeds')
        assertEquals(2 * 3 * 3 * 4 * 2, s.points().size());
        final Point p1 = s.points().get(1);
        assertEquals(Map.of("backpropRate", 3L, "dt", 0.1, "studentHidden", 10L, "learningRateScale", 1.0,
                "emaAlpha", alphas.get(1)), p1.coordinates());
        final RegressionSettings r = (RegressionSettings) p1.spec().settings();
        assertEquals(1, r.seed());
        assertEquals(3.0, r.backpropRate());
        assertEquals((double) alphas.get(1), r.emaAlpha());
        assertEquals(20, r.patterns());
        final Point last = s.points().get(s.points().size() - 1);
        assertEquals(Map.of("backpropRate", 10L, "dt", 0.5, "studentHidden", 30L, "learningRateScale", 1000.0,
                "emaAlpha", alphas.get(1)), last.coordinates());
        // AND random samples are the same on every reading; another seed gives others
        assertEquals(alphas, parse(TINY + "axes:\n  emaAlpha: {random: uniform, from: 0.01, to: 0.1, count: 2, "
                + "seed: 7}\nmetric: done\n").axis("emaAlpha").values());
        assertNotEquals(alphas, parse(TINY + "axes:\n  emaAlpha: {random: uniform, from: 0.01, to: 0.1, count: 2, "
                + "seed: 8}\nmetric: done\n").axis("emaAlpha").values());
    }

    @Test
    void logUniformSamplesAndWholeNumberFieldsStayInTheirRange() {
        final Sweep s = parse(TINY + "axes:\n  studentHidden: {random: log-uniform, from: 5, to: 500, count: 20, "
                + "seed: 1}\n  learningRateScale: {random: log-uniform, from: 0.1, to: 10, count: 20, seed: 2}\n"
                + "metric: done\n");
        for (final Object v : s.axis("studentHidden").values()) {
            assertTrue(v instanceof Long && (Long) v >= 5 && (Long) v <= 500, v.toString());
        }
        for (final Object v : s.axis("learningRateScale").values()) {
            assertTrue((Double) v >= 0.1 && (Double) v <= 10, v.toString());
        }
        assertEquals(Axis.Form.LOG_RANDOM, s.axis("studentHidden").form());
        assertTrue(s.axis("learningRateScale").logScale());
        assertEquals(400, s.points().size());
    }

    @Test
    void seedsAreDerivedFromTheSweepSeedOrGiven() {
        // GIVEN 'seeds: 3' with seed 5: replicate r has Seeds.seed(5, SEED_PURPOSE, r) at every axis value
        final Sweep s = parse(TINY + "axes:\n  backpropRate: [3, 10]\nseeds: 3\nseed: 5\nmetric: done\n");
        assertEquals(6, s.points().size());
        for (final Point p : s.points()) {
            assertEquals(p.index() % 3, p.replicate());
            assertEquals(Seeds.seed(5, Sweep.SEED_PURPOSE, p.replicate()), p.seed());
            assertEquals(p.seed(), ((RegressionSettings) p.spec().settings()).seed());
        }
        // AND a list gives the seeds themselves; an axis over 'seed' is an ordinary axis
        assertEquals(List.of(11L, 12L), parse(TINY + "seeds: [11, 12]\nmetric: done\n").seeds());
        final Sweep axis = parse(TINY + "axes:\n  seed: {from: 1, to: 4, step: 1}\nmetric: done\n");
        assertEquals(List.of(1L, 2L, 3L, 4L), axis.points().stream().map(Point::seed).toList());
    }

    @Test
    void strictFileErrorsNameLineAndColumn() {
        mismatches.clear();
        expect("sweep.yaml:7:1: unknown field 'axis' in sweep (did you mean 'axes'?)",
                error(TINY + "axis:\n  dt: [0.1]\nmetric: done\n"));
        expect("sweep.yaml:9:3: unknown axis 'learningRate': not a field of regression settings (did you "
                + "mean 'learningRateScale'?)", error(TINY + "axes:\n  dt: [0.1]\n  learningRate: [1]\n"
                + "metric: done\n"));
        expect("sweep.yaml:8:18: axis 'patterns': expected a whole number, found 1.5",
                error(TINY + "axes:\n  patterns: [10, 1.5]\nmetric: done\n"));
        expect("sweep.yaml:8:13: axis 'dt': expected a number, found text 'fast'",
                error(TINY + "axes:\n  dt: [0.1, fast]\nmetric: done\n"));
        expectStart(error(TINY + "axes:\n  emaAlpha: [0.5, 2]\nmetric: done\n"),
                "sweep.yaml:8:19: axis 'emaAlpha' = 2: regression settings: EMA weight must be in (0, 1]");
        expect("sweep.yaml:8:7: a range of axis 'dt' needs either 'step' or 'count'",
                error(TINY + "axes:\n  dt: {from: 0.1, to: 0.5}\nmetric: done\n"));
        expect("sweep.yaml:8:28: unknown field 'stepp' in axis 'dt' (did you mean 'step'?)",
                error(TINY + "axes:\n  dt: {from: 0.1, to: 0.5, stepp: 0.1}\nmetric: done\n"));
        expect("sweep.yaml:8:18: axis 'studentHidden' takes whole numbers; the range gives 12.5",
                error(TINY + "axes:\n  studentHidden: {from: 10, to: 15, count: 3}\nmetric: done\n"));
        expect("sweep.yaml:8:11: axis 'solver' takes names: give them as a list",
                error(TINY + "axes:\n  solver: {from: 1, to: 2, count: 2}\nmetric: done\n"));
        expect("sweep.yaml:8:7: random samples of axis 'dt' need 'count' and their own 'seed'",
                error(TINY + "axes:\n  dt: {random: uniform, from: 0.1, to: 0.5, count: 3}\nmetric: done\n"));
        expect("sweep.yaml:7:9: unknown metric 'finalHeldOut.microcircuitt' of regression results (did you "
                + "mean 'finalHeldOut.microcircuit'?)", error(TINY + "metric: finalHeldOut.microcircuitt\n"));
        expect("sweep.yaml:7:8: 'seeds': expected a whole number, found 2.5",
                error(TINY + "seeds: 2.5\nmetric: done\n"));
        expect("sweep.yaml:3:3: unknown field 'paterns' in regression settings (did you mean 'patterns'?)",
                error("base:\n  kind: regression\n  paterns: 20\nmetric: done\n"));
        expect("sweep.yaml:9:3: field 'dt' is given twice", error(TINY + "axes:\n  dt: [0.1]\n  dt: [0.2]\n"
                + "metric: done\n"));
        expectStart(error(TINY), "sweep.yaml:1:1: no 'metric' field");
        assertTrue(mismatches.isEmpty(), String.join("\n", mismatches));
    }

    private final List<String> mismatches = new ArrayList<>();

    private void expect(final String expected, final String actual) {
        if (!expected.equals(actual)) {
            mismatches.add("expected <" + expected + "> but was <" + actual + ">");
        }
    }

    private void expectStart(final String actual, final String start) {
        if (!actual.startsWith(start)) {
            mismatches.add("expected a start <" + start + "> but was <" + actual + ">");
        }
    }

    @Test
    void perPointResultsDoNotDependOnTheThreadCountOrOnShippingThePoint() throws Exception {
        // GIVEN a sweep of 4 tiny regressions
        final Sweep s = parse(TINY + "axes:\n  learningRateScale: [10, 300]\nseeds: 2\nmetric: "
                + "finalHeldOut.microcircuit\n");
        // WHEN it runs on 1 thread and on 3
        final LocalRunner.Outcome one = new LocalRunner(1).run(s, ResultFolder.open(temp.resolve("one")),
                SweepListener.NONE);
        final LocalRunner.Outcome three = new LocalRunner(3).run(s, ResultFolder.open(temp.resolve("three")),
                SweepListener.NONE);
        // THEN every point has the same numbers (all but the times), bit for bit
        assertEquals(4, one.ran());
        assertEquals(4, three.ran());
        for (int k = 0; k < 4; k++) {
            final PointResult a = one.results().get(k);
            final PointResult b = three.results().get(k);
            assertEquals(RunStatus.SUCCESS, a.status());
            assertEquals(withoutTimes(a.metrics()), withoutTimes(b.metrics()));
            assertEquals(a.point(), b.point());
        }
        assertNotEquals(one.results().get(0).metric("finalHeldOut.microcircuit"),
                one.results().get(1).metric("finalHeldOut.microcircuit"));
        // AND a point shipped through Java serialization gives the same numbers
        final Point shipped = roundTrip(s.points().get(3));
        assertEquals(s.points().get(3), shipped);
        assertEquals(withoutTimes(one.results().get(3).metrics()),
                withoutTimes(roundTrip(shipped.run(org.neurode.models.experiment.Progress.NONE)).metrics()));
    }

    @Test
    void aResumedSweepRunsOnlyTheMissingPointsAndGathersTheTable() throws IOException {
        // GIVEN a folder with the results of points 0 and 2 of 4 (the others were running when it was killed)
        final Sweep s = parse(TINY + "axes:\n  backpropRate: [3, 10]\nseeds: 2\nmetric: finalHeldOut.backprop\n");
        final ResultFolder folder = ResultFolder.open(temp.resolve("sweep"));
        final PointResult r0 = s.points().get(0).run(org.neurode.models.experiment.Progress.NONE);
        final PointResult r2 = s.points().get(2).run(org.neurode.models.experiment.Progress.NONE);
        folder.write(r0);
        folder.write(r2);
        final byte[] before = Files.readAllBytes(folder.file(s.points().get(0)));
        Files.writeString(folder.pointsFolder().resolve(".point-000001.json.12345678-1234-1234-1234-123456789abc.tmp"),
                "{\"half");
        // WHEN the sweep runs again in that folder
        final List<Integer> ran = java.util.Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger startedWith = new AtomicInteger(-1);
        final LocalRunner.Outcome o = new LocalRunner(2).run(s, ResultFolder.open(temp.resolve("sweep")),
                new SweepListener() {
                    @Override
                    public void started(final int total, final int finished) {
                        startedWith.set(finished);
                    }

                    @Override
                    public void pointFinished(final PointResult result, final int finished, final int total) {
                        ran.add(result.point().index());
                    }
                });
        // THEN only points 1 and 3 ran, the finished files are untouched and the temporary file is gone
        assertEquals(2, startedWith.get());
        assertEquals(List.of(1, 3), ran.stream().sorted().toList());
        assertEquals(2, o.skipped());
        assertTrue(o.complete());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(folder.file(s.points().get(0)))));
        try (var files = Files.list(folder.pointsFolder())) {
            assertEquals(4, files.count());
        }
        // AND the table has a row a point with the axis, the seed and the numbers; the summary a level a value
        final SweepTable table = SweepTable.of(s, o.results());
        final StringWriter csv = new StringWriter();
        table.writeCsv(csv);
        final String[] lines = csv.toString().split("\n");
        assertEquals(5, lines.length);
        assertTrue(lines[0].startsWith("index,replicate,seed,backpropRate,status,wallSeconds,done,"), lines[0]);
        assertTrue(lines[0].contains(",finalHeldOut.backprop,"));
        final StringWriter jsonl = new StringWriter();
        table.writeJsonLines(jsonl);
        assertEquals(4, jsonl.toString().split("\n").length);
        final List<SweepTable.AxisSummary> summary = table.summary("finalHeldOut.backprop");
        assertEquals(1, summary.size());
        final SweepTable.Level l3 = summary.get(0).levels().get(0);
        assertEquals(3L, l3.value());
        assertEquals(2, l3.seeds());
        assertEquals((r0.metric("finalHeldOut.backprop") + o.results().get(1).metric("finalHeldOut.backprop")) / 2,
                l3.mean(), 1e-15);
        // AND a folder with another sweep's results is an error, not a silent rerun
        final Sweep other = parse(TINY + "axes:\n  backpropRate: [4, 10]\nseeds: 2\nmetric: done\n");
        final OdeException e = assertThrows(OdeException.class, () -> new LocalRunner(1).run(other,
                ResultFolder.open(temp.resolve("sweep")), SweepListener.NONE));
        assertTrue(e.getMessage().contains("holds a point of another sweep"), e.getMessage());
        assertFalse(e.getMessage().isEmpty());
    }

    private static Map<String, Double> withoutTimes(final Map<String, Double> metrics) {
        final Map<String, Double> m = new java.util.LinkedHashMap<>(metrics);
        m.keySet().removeIf(k -> k.toLowerCase(java.util.Locale.ROOT).contains("seconds"));
        return m;
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(final T value) throws IOException, ClassNotFoundException {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }
}
