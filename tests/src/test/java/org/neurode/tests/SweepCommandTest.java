package org.neurode.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code neurode sweep}: the gathered table, summary and figure are written; a sweep killed with {@code kill -9}
 * (a child JVM) resumes with the points it had not finished and gives the numbers of an uninterrupted sweep;
 * strict sweep files fail in one line with line and column.
 */
class SweepCommandTest {

    /** Six tiny regressions, about a second each in a fresh JVM. */
    private static final String SWEEP = "base:\n  kind: regression\n  patterns: 150\n  testEvery: 10\n"
            + "  heldOut: 2\n  heldOutEvery: 50\naxes:\n  learningRateScale: {from: 10, to: 1000, count: 3, "
            + "scale: log}\nseeds: 2\nmetric: finalHeldOut.microcircuit\n";

    @TempDir
    Path temp;

    @Test
    void aSweepKilledWithSigkillResumesWithTheMissingPointsOnly() throws Exception {
        final Path file = temp.resolve("sweep.yaml");
        Files.writeString(file, SWEEP);
        // GIVEN a sweep on one thread in a child JVM, killed (SIGKILL) once two points are written
        final Path out = temp.resolve("killed");
        final Process child = ChildJvm.start(temp.resolve("child.log"), "sweep", file.toString(), "--threads", "1",
                "--no-progress", "--out", out.toString());
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (pointFiles(out).size() < 2 && child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        child.destroyForcibly();
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        final Map<Path, byte[]> before = new HashMap<>();
        for (final Path p : pointFiles(out)) {
            before.put(p, Files.readAllBytes(p));
        }
        assertTrue(before.size() >= 2 && before.size() < 6, "points written before the kill: " + before.size()
                + "; " + Files.readString(temp.resolve("child.log")));
        // WHEN the same command runs again with the same folder
        final Cli.Run resumed = Cli.run("sweep", file.toString(), "--threads", "2", "--no-progress", "--out",
                out.toString());
        // THEN it runs only the others, leaves the finished files as they were, and writes the table and figure
        assertEquals(0, resumed.exitCode(), resumed.err());
        assertTrue(resumed.out().contains("6 points (" + before.size() + " done before, " + (6 - before.size())
                + " run now, 0 failed)"), resumed.out());
        assertEquals(6, pointFiles(out).size());
        for (final Map.Entry<Path, byte[]> e : before.entrySet()) {
            assertTrue(java.util.Arrays.equals(e.getValue(), Files.readAllBytes(e.getKey())), e.getKey().toString());
        }
        for (final String name : List.of("results.csv", "results.jsonl", "summary.csv", "summary.png",
                "sweep.yaml")) {
            assertTrue(Files.isRegularFile(out.resolve(name)), name);
        }
        assertEquals(7, Files.readAllLines(out.resolve("results.csv")).size());
        assertEquals(6, Files.readAllLines(out.resolve("results.jsonl")).size());
        assertEquals(1 + 3, Files.readAllLines(out.resolve("summary.csv")).size());
        assertTrue(ImageIO.read(out.resolve("summary.png").toFile()).getWidth() > 100);
        // AND the numbers are those of an uninterrupted sweep (all but the times)
        final Path whole = temp.resolve("whole");
        final Cli.Run uninterrupted = Cli.run("sweep", file.toString(), "--no-progress", "--out", whole.toString());
        assertEquals(0, uninterrupted.exitCode(), uninterrupted.err());
        assertEquals(withoutTimes(out.resolve("results.csv")), withoutTimes(whole.resolve("results.csv")));
        assertEquals(Files.readString(out.resolve("summary.csv")), Files.readString(whole.resolve("summary.csv")));
    }

    @Test
    void aMisspelledAxisIsAOneLineErrorWithLineAndColumn() throws IOException {
        final Path file = temp.resolve("bad.yaml");
        Files.writeString(file, SWEEP.replace("learningRateScale:", "learningRateScal:"));
        final Cli.Run run = Cli.run("sweep", file.toString(), "--no-progress", "--out", temp.resolve("o").toString());
        assertEquals(2, run.exitCode());
        Cli.assertOneLineError(run, "bad.yaml:8:3: unknown axis 'learningRateScal'",
                "did you mean 'learningRateScale'?");
    }

    private static List<Path> pointFiles(final Path out) throws IOException {
        final Path points = out.resolve("points");
        if (!Files.isDirectory(points)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(points)) {
            return s.filter(p -> p.getFileName().toString().matches("point-\\d+\\.json")).sorted().toList();
        }
    }

    /** The CSV without its time columns (wallSeconds, trainSeconds). */
    private static List<String> withoutTimes(final Path csv) throws IOException {
        final List<String> lines = Files.readAllLines(csv);
        final List<String> header = List.of(lines.get(0).split(",", -1));
        return lines.stream().map(l -> {
            final String[] cells = l.split(",", -1);
            final StringBuilder b = new StringBuilder();
            for (int k = 0; k < cells.length; k++) {
                if (!header.get(k).endsWith("Seconds")) {
                    b.append(cells[k]).append(',');
                }
            }
            return b.toString();
        }).toList();
    }
}
