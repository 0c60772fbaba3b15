package org.neurode.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurode.models.experiment.Checkpoints;
import org.neurode.models.experiment.Progress;
import org.neurode.models.experiment.RunStatus;
import org.neurode.models.experiment.SettingsFiles;
import org.neurode.models.experiment.regression.Regression;
import org.neurode.models.experiment.regression.RegressionResult;
import org.neurode.models.experiment.regression.RegressionSettings;
import org.neurode.models.experiment.xor.Xor;
import org.neurode.models.experiment.xor.XorResult;
import org.neurode.models.experiment.xor.XorSettings;

/**
 * {@code neurode run}: a settings file, or the results.json of an earlier run, gives the files and numbers of the
 * dedicated command with the same settings; the library call gives the same numbers; misspelled fields are one-line
 * errors with line and column.
 */
class RunCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** results.json fields that measure time (and the version). */
    private static final Set<String> TIMES = Set.of("neurode", "wallSeconds", "patternsPerSecond", "trainSeconds",
            "evaluationSeconds", "stepsPerSecond", "samplesPerSecond", "forwardSeconds", "backwardSeconds",
            "backwardForwardRatio", "version");

    @TempDir
    Path temp;

    @Test
    void regressionRunFromItsResultsAndFromYamlEqualsTheCommand() throws IOException {
        // GIVEN a tiny regression run by its command
        final Path command = temp.resolve("command");
        final Cli.Run first = Cli.run("regression", "--patterns", "30", "--test-every", "10", "--held-out", "4",
                "--held-out-every", "15", "--seed", "4", "--no-progress", "--out", command.toString());
        assertEquals(0, first.exitCode(), first.err());
        // WHEN it is repeated from its results.json, and from a YAML file with the same settings
        final Path again = temp.resolve("again");
        Cli.rerun(command.resolve("results.json"), again);
        final Path yaml = temp.resolve("experiment.yaml");
        Files.writeString(yaml, "kind: regression\nseed: 4\npatterns: 30\ntestEvery: 10\nheldOut: 4\n"
                + "heldOutEvery: 15\n");
        final Path fromYaml = temp.resolve("yaml");
        Cli.rerun(yaml, fromYaml);
        // THEN the curves are byte for byte the same and results.json differs only in times
        for (final Path p : List.of(again, fromYaml)) {
            for (final String csv : List.of("curves.csv", "heldout.csv")) {
                assertEquals(Files.readString(command.resolve(csv)), Files.readString(p.resolve(csv)), csv);
            }
            assertEquals(withoutTimes(command), withoutTimes(p));
        }
        assertEquals(withoutTimes(command).get("settings"), JSON.readTree(SettingsFiles.write("regression",
                SettingsFiles.read(yaml).settings(), false)));
        // AND the library call gives the same numbers as typed records
        final RegressionResult r = Regression.INSTANCE.run((RegressionSettings) SettingsFiles.read(yaml).settings(),
                Progress.NONE, Checkpoints.NONE);
        final JsonNode json = JSON.readTree(command.resolve("results.json").toFile());
        assertEquals(RunStatus.SUCCESS, r.status());
        assertEquals(json.get("heldOutFinal").get("microcircuit").asDouble(), r.finalHeldOut().microcircuit());
        assertEquals(json.get("heldOutFinal").get("backprop").asDouble(), r.finalHeldOut().backprop());
        assertEquals(json.get("finalTestError").asDouble(), r.finalTestError().microcircuit());
        assertEquals(json.get("alignmentAngleDeg").asDouble(), r.alignmentAngleDeg());
        assertEquals(Files.readAllLines(command.resolve("heldout.csv")).size() - 1, r.heldOut().size());
    }

    @Test
    void xorRunEqualsTheCommandAndTheLibraryCall() throws IOException {
        final Path command = temp.resolve("command");
        final Cli.Run first = Cli.run("xor", "--train-size", "64", "--test-size", "32", "--epochs", "2", "--batch",
                "16", "--hidden", "4", "--backbone-units", "8", "--evaluations", "2", "--seed", "5", "--no-progress",
                "--out", command.toString());
        assertEquals(0, first.exitCode(), first.err());
        final Path again = temp.resolve("again");
        Cli.rerun(command.resolve("results.json"), again);
        assertEquals(withoutTimes(command), withoutTimes(again));
        assertEquals(Files.readString(command.resolve("model.json")), Files.readString(again.resolve("model.json")));
        // the library call with the embedded settings: the same final numbers and curve (seconds aside)
        final XorSettings s = (XorSettings) SettingsFiles.read(command.resolve("results.json")).settings();
        final XorResult r = Xor.INSTANCE.run(s, Progress.NONE, Checkpoints.NONE);
        final JsonNode json = JSON.readTree(command.resolve("results.json").toFile());
        assertEquals(RunStatus.SUCCESS, r.status());
        assertEquals(json.get("testAccuracy").asDouble(), r.testAccuracy());
        assertEquals(json.get("testLoss").asDouble(), r.testLoss());
        assertEquals(json.get("finalLoss").asDouble(), r.finalLoss());
        final List<String> rows = Files.readAllLines(command.resolve("curves.csv"));
        assertEquals(rows.size() - 1, r.curve().size());
        for (int i = 0; i < r.curve().size(); i++) {
            final String[] cells = rows.get(i + 1).split(",");
            final XorResult.CurvePoint p = r.curve().get(i);
            assertEquals(Double.parseDouble(cells[3]), p.trainLoss(), 0.0, "row " + i);
            assertEquals(Double.parseDouble(cells[0]), p.step(), 0.0, "row " + i);
        }
    }

    @Test
    void ltcSineRunFromItsResultsAndFromYamlEqualsTheCommandAndTheLibraryCall() throws IOException {
        final Path command = temp.resolve("command");
        final Cli.Run first = Cli.run("ltc-sine", "--units", "8", "--steps", "12", "--seed", "3", "--no-progress",
                "--out", command.toString());
        assertEquals(0, first.exitCode(), first.err());
        final Path yaml = temp.resolve("sine.yaml");
        Files.writeString(yaml, "kind: ltc-sine\nunits: 8\nsteps: 12\nseed: 3\n");
        for (final Path source : List.of(command.resolve("results.json"), yaml)) {
            final Path again = temp.resolve("again-" + source.getFileName());
            final Cli.Run second = Cli.run("run", source.toString(), "--no-progress", "--out", again.toString());
            assertEquals(0, second.exitCode(), second.err());
            assertEquals(withoutTimes(command), withoutTimes(again));
            for (final String f : List.of("loss.csv", "model.json")) {
                assertEquals(Files.readString(command.resolve(f)), Files.readString(again.resolve(f)), f);
            }
        }
        final JsonNode json = JSON.readTree(command.resolve("results.json").toFile());
        assertEquals(8, json.get("network").get("units").asInt(), "the wiring is embedded");
        final org.neurode.models.experiment.ltcsine.LtcSineResult r = org.neurode.models.experiment.ltcsine.LtcSine
                .INSTANCE.run((org.neurode.models.experiment.ltcsine.LtcSineSettings) SettingsFiles.read(yaml)
                        .settings(), Progress.NONE, Checkpoints.NONE);
        assertEquals(RunStatus.SUCCESS, r.status());
        assertEquals(json.get("finalLoss").asDouble(), r.finalLoss());
        assertEquals(json.get("parameters").asInt(), r.parameters());
        final List<String> rows = Files.readAllLines(command.resolve("loss.csv"));
        assertEquals(rows.size() - 1, r.losses().size());
        assertEquals(Double.parseDouble(rows.get(12).split(",")[1]), r.losses().get(11).loss());
    }

    @Test
    void nodeSpiralRunFromItsResultsEqualsTheCommandAndTheLibraryCall() throws IOException {
        final Path command = temp.resolve("command");
        final Cli.Run first = Cli.run("node-spiral", "--iterations", "4", "--test-every", "2", "--batch-size", "3",
                "--batch-time", "4", "--solver", "rk4", "--step", "0.025", "--seed", "5", "--no-progress", "--out",
                command.toString());
        assertEquals(0, first.exitCode(), first.err());
        final Path again = temp.resolve("again");
        Cli.rerun(command.resolve("results.json"), again);
        assertEquals(withoutTimes(command), withoutTimes(again));
        for (final String f : List.of("loss.csv", "model.json")) {
            assertEquals(Files.readString(command.resolve(f)), Files.readString(again.resolve(f)), f);
        }
        final JsonNode json = JSON.readTree(command.resolve("results.json").toFile());
        assertEquals("neural-ode", json.get("network").get("kind").asText());
        final org.neurode.models.experiment.nodespiral.NodeSpiralResult r = org.neurode.models.experiment.nodespiral
                .NodeSpiral.INSTANCE.run((org.neurode.models.experiment.nodespiral.NodeSpiralSettings) SettingsFiles
                        .read(command.resolve("results.json")).settings(), Progress.NONE, Checkpoints.NONE);
        assertEquals(RunStatus.SUCCESS, r.status());
        assertEquals(json.get("finalLoss").asDouble(), r.finalLoss());
        assertEquals(json.get("heldOutPathDistance").asDouble(), r.heldOutPathDistance());
        assertEquals(json.get("forwardEvaluations").asLong(), r.forwardEvaluations());
        assertEquals(Files.readAllLines(command.resolve("loss.csv")).size() - 1, r.curve().size());
    }

    @Test
    void compareSolversRunFromItsResultsEmbedsTheProblemFileAndEqualsTheCommand() throws IOException {
        final Path model = temp.resolve("osc.ode");
        Files.writeString(model, "state x = 1\nstate v = 0\nparameter k = 4\ndx/dt = v\ndv/dt = -k * x\n"
                + "time 0 3\n");
        final Path command = temp.resolve("command");
        final Cli.Run first = Cli.run("compare-solvers", "--problems", "DETEST_B5", "--problem-file",
                model.toString(), "--solvers", "tsit5,rk4", "--tolerances", "1e-5,1e-7", "--fixed-steps", "200",
                "--repeats", "1", "--no-progress", "--out", command.toString());
        assertEquals(0, first.exitCode(), first.err());
        Files.delete(model);
        // WHEN the comparison is repeated from its results.json, without the model file
        final Path again = temp.resolve("again");
        Cli.rerun(command.resolve("results.json"), again);
        // THEN every run has the same numbers but the wall times
        final ObjectNode a = (ObjectNode) withoutTimes(command);
        final ObjectNode b = (ObjectNode) withoutTimes(again);
        for (final ObjectNode n : List.of(a, b)) {
            for (final JsonNode run : n.get("runs")) {
                ((ObjectNode) run).remove("wallSeconds");
            }
        }
        assertEquals(a, b);
        assertEquals(6, a.get("runs").size());
        assertEquals("osc.ode", a.get("settings").get("problemFiles").get(0).get("name").asText());
        final org.neurode.models.experiment.compare.CompareSolversResult r = org.neurode.models.experiment.compare
                .CompareSolvers.INSTANCE.run((org.neurode.models.experiment.compare.CompareSolversSettings)
                        SettingsFiles.read(command.resolve("results.json")).settings(), Progress.NONE,
                        Checkpoints.NONE);
        for (int i = 0; i < r.runs().size(); i++) {
            assertEquals(a.get("runs").get(i).get("rhsEvaluations").asLong(), r.runs().get(i).rhsEvaluations());
            assertEquals(a.get("runs").get(i).get("maxAbsError").asDouble(), r.runs().get(i).maxAbsError());
        }
    }

    @Test
    void misspelledFieldIsAOneLineErrorWithLineAndColumn() throws IOException {
        final Path yaml = temp.resolve("experiment.yaml");
        Files.writeString(yaml, "kind: regression\nseed: 2\n  # comment\npaterns: 100\n");
        Cli.assertOneLineError(Cli.run("run", yaml.toString(), "--out", temp.resolve("o").toString()),
                "experiment.yaml:4:1: unknown field 'paterns' in regression settings (did you mean 'patterns'?)");
        Files.writeString(yaml, "kind: xor\nepochs: 1\nbatch: 1000\ntrainSize: 10\n");
        Cli.assertOneLineError(Cli.run("run", yaml.toString(), "--out", temp.resolve("o").toString()),
                "batch 1000 is larger than trainSize 10");
        assertTrue(Files.notExists(temp.resolve("o")), "no output folder for invalid settings");
    }

    private static JsonNode withoutTimes(final Path folder) throws IOException {
        final ObjectNode n = (ObjectNode) JSON.readTree(folder.resolve("results.json").toFile());
        n.remove(TIMES);
        if (n.has("files")) {
            n.remove("files");
        }
        n.remove("message");
        return n;
    }
}
