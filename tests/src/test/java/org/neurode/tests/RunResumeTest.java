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
    void foldersWithoutACheckpointAndWrongCombinationsAreErrors() throws IOException {
        final Path empty = Files.createDirectories(temp.resolve("empty"));
        Cli.assertOneLineError(Cli.run("run", "--resume", empty.toString()), "no checkpoint of a run that resumes",
                "regression, xor");
        Cli.assertOneLineError(Cli.run("run", "--resume", temp.resolve("missing").toString()), "no such folder");
        final Path yaml = temp.resolve("e.yaml");
        Files.writeString(yaml, "kind: regression\n");
        Cli.assertOneLineError(Cli.run("run", yaml.toString(), "--resume", empty.toString()),
                "leave out the settings file");
        Cli.assertOneLineError(Cli.run("run"), "give a settings file (or --resume <folder>)");
    }
}
