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
    void unknownRulesAndTasksAreNamed(@TempDir final Path dir) {
        Cli.assertOneLineError(Cli.run("compare-learning", "--rules", "feedback-alignmnet", "--out",
                dir.resolve("a").toString()), "--rules", "feedback-alignmnet", "feedback-alignment");
        Cli.assertOneLineError(Cli.run("compare-learning", "--tasks", "mnist", "--out",
                dir.resolve("b").toString()), "--tasks", "mnist", "nonlinear");
        Cli.assertOneLineError(Cli.run("compare-learning", "--resume", dir.resolve("missing").toString()),
                "--resume", "no such folder");
    }
}
