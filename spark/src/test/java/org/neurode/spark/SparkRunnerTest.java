package org.neurode.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.neurode.models.experiment.RunStatus;
import org.neurode.models.experiment.sweep.LocalRunner;
import org.neurode.models.experiment.sweep.PointResult;
import org.neurode.models.experiment.sweep.ResultFolder;
import org.neurode.models.experiment.sweep.Sweep;
import org.neurode.models.experiment.sweep.SweepFiles;
import org.neurode.models.experiment.sweep.SweepListener;

/**
 * The Spark runner in {@code local[2]}: the same per-point numbers as the local runner, resume of a folder, and the
 * spark-submit main's files.
 */
class SparkRunnerTest {

    /** 4 points of a regression small enough for unit tests (two axis values, two seeds). */
    private static final String SWEEP = "base:\n  kind: regression\n  patterns: 20\n  testEvery: 10\n  heldOut: 2\n"
            + "  heldOutEvery: 10\naxes:\n  backpropRate: [3, 10]\nseeds: 2\nmetric: finalHeldOut.microcircuit\n";

    /** Numbers that are times, not results. */
    private static final Pattern TIME = Pattern.compile("(?i).*(seconds|millis|nanos|time).*");

    private static JavaSparkContext context;

    @TempDir
    Path temp;

    @BeforeAll
    static void startSpark() {
        context = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("SparkRunnerTest")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1"));
        context.setLogLevel("WARN");
    }

    @AfterAll
    static void stopSpark() {
        if (context != null) {
            context.close();
        }
    }

    private static Sweep sweep() {
        return SweepFiles.parse(SWEEP, "sweep.yaml", true, null);
    }

    private static Map<String, Double> numbers(final PointResult r) {
        final Map<String, Double> m = new TreeMap<>();
        r.metrics().forEach((k, v) -> {
            if (!TIME.matcher(k).matches()) {
                m.put(k, v);
            }
        });
        return m;
    }

    @Test
    void sparkGivesTheLocalRunnersNumbersPointForPoint() {
        // GIVEN a sweep of 4 points run by the local runner and by Spark local[2]
        final Sweep sweep = sweep();
        assertEquals(4, sweep.points().size());
        // (wall times are measured with whole processes, not here: see the README)
        final LocalRunner.Outcome local = new LocalRunner(2).run(sweep, ResultFolder.open(temp.resolve("local")),
                SweepListener.NONE);
        final LocalRunner.Outcome spark = new SparkRunner().run(sweep, ResultFolder.open(temp.resolve("spark")),
                context, SweepListener.NONE);
        // THEN every point has the same status, message and numbers (times aside)
        assertEquals(4, spark.ran());
        assertTrue(spark.complete() && local.complete());
        for (int i = 0; i < 4; i++) {
            final PointResult a = local.results().get(i);
            final PointResult b = spark.results().get(i);
            assertEquals(a.point(), b.point());
            assertEquals(RunStatus.SUCCESS, b.status(), b.message());
            assertEquals(a.status(), b.status());
            assertEquals(a.message(), b.message());
            assertTrue(numbers(a).size() > 3, numbers(a).toString());
            assertEquals(numbers(a), numbers(b), "point " + i);
        }
        // AND the files Spark's driver wrote read back to the same results
        final ResultFolder folder = ResultFolder.open(temp.resolve("spark"));
        final List<PointResult> read = folder.finished(sweep);
        for (int i = 0; i < 4; i++) {
            assertEquals(numbers(spark.results().get(i)), numbers(read.get(i)));
        }
    }

    @Test
    void aResumedSparkSweepRunsOnlyTheMissingPoints() throws Exception {
        // GIVEN a finished sweep whose folder lost the files of points 1 and 3
        final Sweep sweep = sweep();
        final Path out = temp.resolve("resume");
        final LocalRunner.Outcome first = new SparkRunner(1, 2).run(sweep, ResultFolder.open(out), context,
                SweepListener.NONE);
        assertEquals(4, first.ran());
        final ResultFolder folder = ResultFolder.open(out);
        final String kept0 = Files.readString(folder.file(sweep.points().get(0)));
        final String kept2 = Files.readString(folder.file(sweep.points().get(2)));
        Files.delete(folder.file(sweep.points().get(1)));
        Files.delete(folder.file(sweep.points().get(3)));
        // WHEN it runs again in the same folder
        final LocalRunner.Outcome second = new SparkRunner().run(sweep, ResultFolder.open(out), context,
                SweepListener.NONE);
        // THEN only the two missing points ran, the others' files are untouched, and all four results are there
        assertEquals(2, second.skipped());
        assertEquals(2, second.ran());
        assertTrue(second.complete());
        assertEquals(kept0, Files.readString(folder.file(sweep.points().get(0))));
        assertEquals(kept2, Files.readString(folder.file(sweep.points().get(2))));
        for (int i = 0; i < 4; i++) {
            assertEquals(numbers(first.results().get(i)), numbers(second.results().get(i)));
        }
        // AND a third run runs nothing
        assertEquals(0, new SparkRunner().run(sweep, ResultFolder.open(out), context, SweepListener.NONE).ran());
    }

    @Test
    void theMainWritesTheTablesOfTheSweepCommand() throws Exception {
        final Path file = temp.resolve("sweep.yaml");
        Files.writeString(file, SWEEP);
        final Path out = temp.resolve("out");
        final ByteArrayOutputStream console = new ByteArrayOutputStream();
        final int failed = SparkSweep.run(file, out, context, new SparkRunner(),
                new PrintStream(console, true, StandardCharsets.UTF_8));
        assertEquals(0, failed);
        assertTrue(console.toString(StandardCharsets.UTF_8).contains("4 points (0 done before, 4 run now, 0 failed)"),
                console.toString(StandardCharsets.UTF_8));
        assertEquals(5, Files.readAllLines(out.resolve("results.csv")).size());
        assertEquals(4, Files.readAllLines(out.resolve("results.jsonl")).size());
        assertTrue(Files.readString(out.resolve("summary.csv")).startsWith("axis,value,metric"));
        assertEquals(SWEEP, Files.readString(out.resolve("sweep.yaml")));
    }
}
