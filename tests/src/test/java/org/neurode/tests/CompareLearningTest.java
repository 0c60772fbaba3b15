package org.neurode.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code neurode compare-learning}: the runs, the table, the figures, resume, and bad options.
 */
class CompareLearningTest {

    @Test
    void comparesRulesOnTasksAndResumesWithoutRepeatingFinishedRuns(@TempDir final Path dir) throws IOException {
        final Path out = dir.resolve("cmp");
        // WHEN two rules run on two tasks for two seeds, 3,000 patterns each
        final Cli.Run run = Cli.run("compare-learning", "--rules", "backprop,shallow", "--tasks", "nonlinear,xor",
                "--seeds", "2", "--budget", "3000", "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        // THEN every run has its curve, and the summary, results and one figure per task are written
        assertEquals(8, Cli.fileNames(out.resolve("runs")).stream().filter(f -> f.endsWith(".csv")).count());
        assertTrue(Cli.fileNames(out).containsAll(List.of("summary.md", "results.json", "nonlinear.png", "xor.png")));
        final String summary = Files.readString(out.resolve("summary.md"));
        assertTrue(summary.contains("| nonlinear | backprop |") && summary.contains("| xor | shallow |"), summary);
        // and backprop ends below half the shallow learner's error on the nonlinear task (measured for seed 1 at
        // 3,000 patterns: 0.0055 against 0.0190, a factor of 3.5)
        final double bp = finalError(out, "nonlinear-backprop-seed1");
        final double shallow = finalError(out, "nonlinear-shallow-seed1");
        assertTrue(bp < 0.5 * shallow, bp + " vs " + shallow);
        // WHEN it is resumed
        final String before = Files.readString(out.resolve("runs/nonlinear-backprop-seed1.csv"));
        final Cli.Run again = Cli.run("compare-learning", "--rules", "backprop,shallow", "--tasks", "nonlinear,xor",
                "--seeds", "2", "--budget", "3000", "--resume", out.toString());
        // THEN no run is repeated and the curves are unchanged
        assertEquals(0, again.exitCode(), again.err());
        assertTrue(again.err().contains("8 runs finished before"), again.err());
        assertEquals(before, Files.readString(out.resolve("runs/nonlinear-backprop-seed1.csv")));
    }

    private static double finalError(final Path out, final String id) {
        return Double.parseDouble(
                org.neurode.examples.io.JsonFiles.read(out.resolve("runs/" + id + ".json")).get("finalTestError")
                        .asText());
    }

    @Test
    void burstpropAndTheEnsembleRunByNameAndTheEnsembleDeclinesTheLinearTask(@TempDir final Path dir)
            throws IOException {
        final Path out = dir.resolve("burst");
        // WHEN the two burst-multiplexing rules run on XOR and the linear task, one seed, 1,000 patterns
        final Cli.Run run = Cli.run("compare-learning", "--rules", "burstprop,ensemble", "--tasks", "xor,linear",
                "--seeds", "1", "--budget", "1000", "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        // THEN three runs are made and the ensemble on the linear task (a linear hidden layer) is listed as not run
        final String summary = Files.readString(out.resolve("summary.md"));
        assertTrue(summary.contains("| xor | burstprop |") && summary.contains("| xor | ensemble |")
                && summary.contains("| linear | burstprop |"), summary);
        assertTrue(summary.contains("- ensemble on linear: ") && summary.contains("linear hidden layer"), summary);
        assertEquals(3, Cli.fileNames(out.resolve("runs")).stream().filter(f -> f.endsWith(".csv")).count());
    }

    @Test
    void missingFashionMnistDataNameTheDebianPackageBeforeAnyOutput(@TempDir final Path dir) throws IOException {
        final Path empty = Files.createDirectories(dir.resolve("no-data"));
        final Path out = dir.resolve("out");
        Cli.assertOneLineError(Cli.run("compare-learning", "--tasks", "fashion-mnist", "--data", empty.toString(),
                "--out", out.toString()), "dataset-fashion-mnist", empty.toString());
        assertTrue(Files.notExists(out), "no output folder for a comparison that cannot start");
    }

    @Test
    void unknownRulesAndTasksAreNamed(@TempDir final Path dir) {
        Cli.assertOneLineError(Cli.run("compare-learning", "--rules", "feedback-alignmnet", "--out",
                dir.resolve("a").toString()), "--rules", "feedback-alignmnet", "feedback-alignment");
        Cli.assertOneLineError(Cli.run("compare-learning", "--tasks", "mnist", "--out",
                dir.resolve("b").toString()), "--tasks", "mnist", "nonlinear");
        Cli.assertOneLineError(Cli.run("compare-learning", "--resume", dir.resolve("missing").toString()),
                "--resume", "no such folder");
    }

    @Test
    void theLearningRateScanChoosesTheLowestValidationErrorPerRuleAndTask(@TempDir final Path dir)
            throws IOException {
        final Path out = dir.resolve("scan");
        // WHEN two rules on two tasks scan three learning-rate factors over 1,000 patterns, then run 2,000
        final Cli.Run run = Cli.run("compare-learning", "--rules", "backprop,microcircuit-steady", "--tasks",
                "nonlinear,xor", "--seeds", "1", "--budget", "2000", "--rate-scales", "0.25,1,4", "--scan-budget",
                "1000", "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        // THEN every pair has three scan runs, one chosen, the one of lowest validation error (the first of equals)
        final com.fasterxml.jackson.databind.JsonNode results = org.neurode.examples.io.JsonFiles.read(
                out.resolve("results.json"));
        final com.fasterxml.jackson.databind.JsonNode scan = results.get("rateScan");
        assertEquals(12, scan.size());
        for (int pair = 0; pair < 4; pair++) {
            double best = Double.POSITIVE_INFINITY;
            double chosenError = Double.NaN;
            int chosen = 0;
            for (int i = 3 * pair; i < 3 * pair + 3; i++) {
                final double v = scan.get(i).get("validationError").asDouble();
                best = Math.min(best, v);
                if (scan.get(i).get("chosen").asBoolean()) {
                    chosen++;
                    chosenError = v;
                }
            }
            assertEquals(1, chosen, scan.toString());
            assertEquals(best, chosenError, scan.toString());
        }
        // and the runs use the chosen factors, which the table shows
        for (final com.fasterxml.jackson.databind.JsonNode row : results.get("summary")) {
            boolean found = false;
            for (final com.fasterxml.jackson.databind.JsonNode s : scan) {
                found |= s.get("chosen").asBoolean() && s.get("task").equals(row.get("task"))
                        && s.get("rule").equals(row.get("rule"))
                        && s.get("rateScale").asDouble() == row.get("rateScale").asDouble();
            }
            assertTrue(found, row.toString());
        }
        assertTrue(Files.readString(out.resolve("summary.md")).contains("Learning-rate scan"));
    }

    @Test
    void aKilledRunContinuesFromItsCheckpointBitForBit(@TempDir final Path dir) throws Exception {
        final String[] options = {"--rules", "microcircuit-steady", "--tasks", "nonlinear", "--seeds", "1",
            "--budget", "40000", "--test-every", "1000", "--threads", "1"};
        // GIVEN the uninterrupted run
        final Path whole = dir.resolve("whole");
        final Cli.Run ref = Cli.run(concat(options, "--out", whole.toString()));
        assertEquals(0, ref.exitCode(), ref.err());
        // WHEN the same run in a child JVM is killed once its checkpoint exists, then resumed
        final Path killed = dir.resolve("killed");
        final Path checkpoint = killed.resolve("runs/nonlinear-microcircuit-steady-seed1.ckpt");
        final Process p = ChildJvm.start(dir.resolve("child.log"), concat(options, "--out", killed.toString()));
        try {
            final long deadline = System.nanoTime() + 120_000_000_000L;
            while (!Files.exists(checkpoint) && p.isAlive()) {
                assertTrue(System.nanoTime() < deadline, "no checkpoint within 120 s");
                Thread.sleep(5);
            }
            assertTrue(p.isAlive(), "the run ended before it could be killed: "
                    + Files.readString(dir.resolve("child.log")));
        } finally {
            p.destroyForcibly();
            p.waitFor();
        }
        assertTrue(Files.exists(checkpoint));
        assertTrue(Files.notExists(killed.resolve("runs/nonlinear-microcircuit-steady-seed1.csv")));
        final Cli.Run again = Cli.run(concat(options, "--resume", killed.toString()));
        assertEquals(0, again.exitCode(), again.err());
        // THEN its curve is the uninterrupted run's, bit for bit, and the checkpoint is gone
        assertEquals(Files.readString(whole.resolve("runs/nonlinear-microcircuit-steady-seed1.csv")),
                Files.readString(killed.resolve("runs/nonlinear-microcircuit-steady-seed1.csv")));
        assertTrue(Files.notExists(checkpoint));
    }

    private static String[] concat(final String[] a, final String... b) {
        final String[] all = new String[1 + a.length + b.length];
        all[0] = "compare-learning";
        System.arraycopy(a, 0, all, 1, a.length);
        System.arraycopy(b, 0, all, 1 + a.length, b.length);
        return all;
    }

    @Test
    void aDamagedCheckpointIsRefusedBeforeAnyRun(@TempDir final Path dir) throws IOException {
        // GIVEN a comparison whose run left a damaged checkpoint and no results
        final Path out = dir.resolve("cmp");
        final Cli.Run run = Cli.run("compare-learning", "--rules", "backprop", "--tasks", "xor", "--seeds", "1",
                "--budget", "1000", "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        final Path runs = out.resolve("runs");
        Files.delete(runs.resolve("xor-backprop-seed1.csv"));
        Files.writeString(runs.resolve("xor-backprop-seed1.ckpt"), "not a checkpoint");
        // WHEN it is resumed THEN the one-line error names the file and what is wrong
        Cli.assertOneLineError(Cli.run("compare-learning", "--rules", "backprop", "--tasks", "xor", "--seeds", "1",
                "--budget", "1000", "--resume", out.toString()), "xor-backprop-seed1.ckpt", "truncated");
    }
}
