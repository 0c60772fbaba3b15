package org.neurode.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code neurode run --resume <folder>}: the kind is told by the folder's checkpoint, and the kind's own command
 * resumes it (its checks and messages included); folders without a checkpoint and wrong combinations are one-line
 * errors.
 */
class RunResumeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @Test
    void aRegressionFolderResumesThroughRunFromItsCheckpoint() throws IOException {
        // GIVEN a finished tiny regression (its last checkpoint is at the end)
        final Path folder = temp.resolve("regression");
        assertEquals(0, Cli.run("regression", "--patterns", "30", "--test-every", "10", "--held-out", "4",
                "--held-out-every", "15", "--seed", "4", "--no-progress", "--out", folder.toString()).exitCode());
        final JsonNode before = JSON.readTree(folder.resolve("results.json").toFile());
        // WHEN run resumes it
        final Cli.Run resumed = Cli.run("run", "--resume", folder.toString(), "--no-progress");
        // THEN the regression command continued it: nothing is left to train and the numbers are the run's
        assertEquals(0, resumed.exitCode(), resumed.err());
        final JsonNode after = JSON.readTree(folder.resolve("results.json").toFile());
        assertEquals(before.get("heldOutFinal"), after.get("heldOutFinal"));
        assertEquals(before.get("finalTestError"), after.get("finalTestError"));
        assertEquals(before.get("settings"), after.get("settings"));
    }

    @Test
    void anXorFolderGoesToTheXorCommandWithItsMessages() {
        final Path folder = temp.resolve("xor");
        assertEquals(0, Cli.run("xor", "--train-size", "32", "--test-size", "16", "--epochs", "1", "--batch", "16",
                "--hidden", "4", "--backbone-units", "8", "--evaluations", "1", "--no-progress", "--out",
                folder.toString()).exitCode());
        // the xor command's own check: a finished run needs a larger --epochs to continue
        Cli.assertOneLineError(Cli.run("run", "--resume", folder.toString(), "--no-progress"),
                "the run already has 1 epochs; give --epochs a larger total");
    }

    @Test
    void aMultiplexFolderResumesWithItsSavedSettingsThroughRunAndThroughTheCommandWithoutOptions()
            throws IOException {
        // GIVEN a two-seed multiplex run whose second seed and results are lost (a kill after the first seed)
        final Path folder = temp.resolve("multiplex");
        assertEquals(0, Cli.run("multiplex", "--neurons", "100", "--burn-in", "50", "--duration", "200", "--bin", "25",
                "--seeds", "2", "--seed", "3", "--threads", "1", "--no-progress", "--out", folder.toString())
                .exitCode());
        final JsonNode seed4 = withoutWallTime(folder.resolve("seed-4.json"));
        final JsonNode results = JSON.readTree(folder.resolve("results.json").toFile());
        final String rates = Files.readString(folder.resolve("rates.csv"));
        for (final String command : new String[] {"run", "multiplex", "multiplex --threads 2"}) {
            Files.delete(folder.resolve("seed-4.json"));
            Files.delete(folder.resolve("results.json"));
            // WHEN it is resumed by run, or by its command with no option but --resume (not the defaults: 4,000
            // neurons and 5 seeds)
            // (--threads changes no number and may be given)
            final Cli.Run resumed = command.equals("run")
                    ? Cli.run("run", "--resume", folder.toString(), "--no-progress")
                    : command.equals("multiplex") ? Cli.run("multiplex", "--resume", folder.toString(), "--no-progress")
                    : Cli.run("multiplex", "--resume", folder.toString(), "--threads", "2", "--no-progress");
            assertEquals(0, resumed.exitCode(), resumed.err());
            // THEN the lost seed is simulated again to the same numbers, with the saved settings
            assertEquals(seed4, withoutWallTime(folder.resolve("seed-4.json")), command);
            assertEquals(rates, Files.readString(folder.resolve("rates.csv")), command);
            final JsonNode again = JSON.readTree(folder.resolve("results.json").toFile());
            final com.fasterxml.jackson.databind.node.ObjectNode saved = results.get("settings").deepCopy();
            if (command.endsWith("--threads 2")) {
                saved.put("threads", 2);
            }
            assertEquals(saved, again.get("settings"), command);
            assertEquals(100, again.get("settings").get("neurons").asInt(), command);
        }
    }

    @Test
    void aCompareLearningFolderResumesItsOwnRunsNotTheDefaults() throws IOException {
        // GIVEN a comparison of two rules on one task whose second run was lost
        final Path folder = temp.resolve("compare");
        assertEquals(0, Cli.run("compare-learning", "--rules", "backprop,shallow", "--tasks", "xor", "--seeds", "1",
                "--budget", "200", "--threads", "1", "--out", folder.toString()).exitCode());
        final Path runs = folder.resolve("runs");
        final JsonNode shallow = withoutSeconds(runs.resolve("xor-shallow-seed1.json"));
        final String curve = Files.readString(runs.resolve("xor-shallow-seed1.csv"));
        for (final String command : new String[] {"run", "compare-learning"}) {
            Files.delete(runs.resolve("xor-shallow-seed1.json"));
            Files.delete(runs.resolve("xor-shallow-seed1.csv"));
            // WHEN it is resumed with no option but the folder
            final Cli.Run resumed = command.equals("run")
                    ? Cli.run("run", "--resume", folder.toString(), "--no-progress")
                    : Cli.run("compare-learning", "--resume", folder.toString());
            assertEquals(0, resumed.exitCode(), resumed.err());
            // THEN only the lost run ran again, to the same numbers: the saved rules and tasks, not all of them
            assertEquals(4, Cli.fileNames(runs).size(), command + ": " + Cli.fileNames(runs));
            assertEquals(shallow, withoutSeconds(runs.resolve("xor-shallow-seed1.json")), command);
            assertEquals(curve, Files.readString(runs.resolve("xor-shallow-seed1.csv")), command);
        }
    }

    @Test
    void foldersWithoutACheckpointAndWrongCombinationsAreErrors() throws IOException {
        final Path empty = Files.createDirectories(temp.resolve("empty"));
        Cli.assertOneLineError(Cli.run("run", "--resume", empty.toString()), "no run that resumes",
                "regression, xor and burst-xor by their checkpoint.bin");
        Cli.assertOneLineError(Cli.run("run", "--resume", temp.resolve("missing").toString()), "no such folder");
        final Path yaml = temp.resolve("e.yaml");
        Files.writeString(yaml, "kind: regression\n");
        Cli.assertOneLineError(Cli.run("run", yaml.toString(), "--resume", empty.toString()),
                "leave out the settings file");
        Cli.assertOneLineError(Cli.run("run"), "give a settings file (or --resume <folder>)");
    }

    private static JsonNode withoutWallTime(final Path file) throws IOException {
        final com.fasterxml.jackson.databind.node.ObjectNode n = (com.fasterxml.jackson.databind.node.ObjectNode) JSON
                .readTree(file.toFile());
        n.remove("wallSeconds");
        return n;
    }

    private static JsonNode withoutSeconds(final Path file) throws IOException {
        final com.fasterxml.jackson.databind.node.ObjectNode n = (com.fasterxml.jackson.databind.node.ObjectNode) JSON
                .readTree(file.toFile());
        n.remove("seconds");
        return n;
    }
}
