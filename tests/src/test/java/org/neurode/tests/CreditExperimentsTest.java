package org.neurode.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurode.models.credit.LearningRun;
import org.neurode.models.experiment.Checkpoints;
import org.neurode.models.experiment.Experiments;
import org.neurode.models.experiment.Progress;
import org.neurode.models.experiment.RunStatus;
import org.neurode.models.experiment.SettingsFiles;
import org.neurode.models.experiment.dendrites.SegregatedDendritesExperiment;
import org.neurode.models.experiment.dendrites.SegregatedDendritesResult;
import org.neurode.models.experiment.dendrites.SegregatedDendritesRun;
import org.neurode.models.experiment.dendrites.SegregatedDendritesSettings;
import org.neurode.models.experiment.learning.CompareLearning;
import org.neurode.models.experiment.learning.CompareLearningResult;
import org.neurode.models.experiment.learning.CompareLearningSettings;

/**
 * The credit-assignment experiments ({@code segregated-dendrites}, {@code compare-learning}): {@code neurode run}
 * from a settings file and from a {@code results.json} gives the command's files and numbers, the library call
 * gives them as typed records, misspelled fields are one-line errors with line and column, and a stop request ends
 * a run with status INTERRUPTED.
 */
class CreditExperimentsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** results.json fields that measure time. */
    private static final Set<String> TIMES = Set.of("trainMsPerImage", "trainCpuMsPerImage", "testMsPerImage",
            "seconds", "patternsPerSecond");

    /** A tiny spiking run: 2 epochs of 12 examples, 10 test images of 40 ms, both feedback modes. */
    private static final String[] DENDRITES = {"segregated-dendrites", "--subset", "--hidden", "8", "--train-size",
        "12", "--test-size", "10", "--test-phase", "40", "--epochs", "2", "--feedback", "random,symmetric", "--seed",
        "3", "--threads", "2", "--no-progress"};
    private static final String DENDRITES_YAML = "kind: segregated-dendrites\nsubset: true\nhidden: [8]\n"
            + "trainSize: 12\ntestSize: 10\ntestPhaseMs: 40\nepochs: 2\nfeedback: [random, symmetric]\nseed: 3\n"
            + "threads: 1\n";
    /** A tiny comparison with a learning-rate scan: 2 rules, 2 tasks, 2 seeds, 240 patterns. */
    private static final String[] LEARNING = {"compare-learning", "--rules", "backprop,feedback-alignment", "--tasks",
        "nonlinear,xor", "--seeds", "2", "--seed", "4", "--budget", "240", "--test-every", "60", "--rate-scales",
        "0.5,2", "--scan-budget", "120", "--threads", "2"};
    private static final String LEARNING_YAML = "kind: compare-learning\nrules: [backprop, feedback-alignment]\n"
            + "tasks: [nonlinear, xor]\nseeds: 2\nseed: 4\nbudget: 240\ntestEvery: 60\nrateScales: [0.5, 2]\n"
            + "scanBudget: 120\nthreads: 1\n";

    @TempDir
    Path temp;

    @Test
    void segregatedDendritesRunFromYamlAndResultsEqualsTheCommandAndTheLibraryCall() throws IOException {
        // GIVEN a tiny run by the command
        final Path command = temp.resolve("command");
        final Cli.Run first = Cli.run(Cli.args(DENDRITES, "--out", command.toString()));
        assertEquals(0, first.exitCode(), first.err());
        // WHEN it is repeated from its results.json, and from a YAML file with the same settings on one thread
        final Path again = temp.resolve("again");
        assertEquals(0, Cli.run("run", command.resolve("results.json").toString(), "--no-progress", "--out",
                again.toString()).exitCode());
        final Path yaml = Files.writeString(temp.resolve("dendrites.yaml"), DENDRITES_YAML);
        final Path fromYaml = temp.resolve("yaml");
        Cli.rerun(yaml, fromYaml);
        // THEN the files are the same and results.json differs only in the times (and the thread count)
        for (final Path p : List.of(again, fromYaml)) {
            for (final String f : List.of("curves.csv", "config.json", "model.ode")) {
                assertEquals(Files.readString(command.resolve(f)), Files.readString(p.resolve(f)), p + "/" + f);
            }
        }
        assertEquals(withoutTimes(command), withoutTimes(again));
        final ObjectNode a = withoutTimes(command);
        final ObjectNode c = withoutTimes(fromYaml);
        assertEquals(2, a.get("settings").get("threads").asInt());
        assertEquals(1, c.get("settings").get("threads").asInt());
        a.remove("settings");
        c.remove("settings");
        assertEquals(a, c);
        // AND the library call gives the command's numbers as typed records
        final SegregatedDendritesResult r = SegregatedDendritesExperiment.INSTANCE.run(
                (SegregatedDendritesSettings) SettingsFiles.read(yaml).settings(), Progress.NONE, Checkpoints.NONE);
        assertEquals(RunStatus.SUCCESS, r.status());
        assertEquals("784-8-10", r.shape());
        assertEquals(12, r.trainSize());
        assertEquals(JSON.readTree(command.resolve("results.json").toFile()).get("runs").get(0).get("finalTestError")
                .asDouble(), r.finalTestError());
        assertTrue(org.neurode.models.experiment.sweep.SweepFiles.metricNames(SegregatedDendritesExperiment.INSTANCE)
                .contains("finalTestError"), "the metric of a sweep");
        final JsonNode runs = JSON.readTree(command.resolve("results.json").toFile()).get("runs");
        final List<String> rows = Files.readAllLines(command.resolve("curves.csv"));
        assertEquals(2, r.configurations().size());
        int row = 1;
        for (int k = 0; k < 2; k++) {
            final SegregatedDendritesResult.Configuration conf = r.configurations().get(k);
            assertEquals(runs.get(k).get("config").asText(), conf.config());
            assertEquals(runs.get(k).get("finalTestError").asDouble(), conf.finalTestError());
            assertEquals(24, conf.examples());
            assertEquals(3, conf.curve().size());
            for (final SegregatedDendritesResult.CurvePoint p : conf.curve()) {
                final String[] cells = rows.get(row++).split(",");
                assertEquals(Double.parseDouble(cells[1]), p.epoch(), 0.0);
                assertEquals(Double.parseDouble(cells[3]), p.testError(), 0.0);
                assertEquals(Double.parseDouble(cells[4]), p.meanAngleDeg(), 0.0);
            }
        }
    }

    @Test
    void compareLearningRunFromYamlAndResultsEqualsTheCommandAndTheLibraryCall() throws IOException {
        // GIVEN a tiny comparison with a learning-rate scan by the command
        final Path command = temp.resolve("command");
        final Cli.Run first = Cli.run(Cli.args(LEARNING, "--out", command.toString()));
        assertEquals(0, first.exitCode(), first.err());
        // WHEN it is repeated from its results.json, and from a YAML file with the same settings on one thread
        final Path again = temp.resolve("again");
        assertEquals(0, Cli.run("run", command.resolve("results.json").toString(), "--out", again.toString())
                .exitCode());
        final Path yaml = Files.writeString(temp.resolve("learning.yaml"), LEARNING_YAML);
        final Path fromYaml = temp.resolve("yaml");
        final Cli.Run third = Cli.run("run", yaml.toString(), "--out", fromYaml.toString());
        assertEquals(0, third.exitCode(), third.err());
        // THEN every run's curve is the same text, and the tables differ only in the times (and the threads)
        final Set<String> files = Cli.fileNames(command.resolve("runs"));
        // a .csv and a .json for each of the 8 runs and the 8 scan runs
        assertEquals(2 * (8 + 8), files.size(), files.toString());
        for (final Path p : List.of(again, fromYaml)) {
            assertEquals(files, Cli.fileNames(p.resolve("runs")));
            for (final String f : files) {
                if (f.endsWith(".csv")) {
                    assertEquals(Files.readString(command.resolve("runs").resolve(f)),
                            Files.readString(p.resolve("runs").resolve(f)), p + "/" + f);
                }
            }
            assertEquals(summaryWithoutTimes(command), summaryWithoutTimes(p));
        }
        assertEquals(withoutTimes(command), withoutTimes(again));
        final ObjectNode a = withoutTimes(command);
        final ObjectNode c = withoutTimes(fromYaml);
        a.remove("settings");
        c.remove("settings");
        assertEquals(a, c);
        // AND the library call gives the command's numbers as typed records
        final CompareLearningResult r = CompareLearning.INSTANCE.run(
                (CompareLearningSettings) SettingsFiles.read(yaml).settings(), Progress.NONE, Checkpoints.NONE);
        assertEquals(RunStatus.SUCCESS, r.status());
        assertEquals(8, r.runs().size());
        assertEquals(8, r.scanRuns().size());
        for (final CompareLearningResult.Run run : r.runs()) {
            final JsonNode json = JSON.readTree(command.resolve("runs").resolve(run.id() + ".json").toFile());
            assertEquals(json.get("finalTestError").asDouble(), run.finalTestError(), run.id());
            assertEquals(json.get("validationError").asDouble(), run.validationError(), run.id());
            assertEquals(json.get("rateScale").asDouble(), run.rateScale(), run.id());
            final List<String> rows = Files.readAllLines(command.resolve("runs").resolve(run.id() + ".csv"));
            assertEquals(rows.size() - 1, run.curve().size());
            for (int i = 0; i < run.curve().size(); i++) {
                final LearningRun.Point p = run.curve().get(i);
                assertEquals(Double.parseDouble(rows.get(i + 1).split(",")[1]), p.testError(), 0.0, run.id());
            }
        }
        final JsonNode json = JSON.readTree(command.resolve("results.json").toFile());
        assertEquals(json.get("summary").size(), r.summary().size());
        for (int i = 0; i < r.summary().size(); i++) {
            final JsonNode row = json.get("summary").get(i);
            assertEquals(row.get("finalTestErrorMean").asDouble(), r.summary().get(i).finalTestErrorMean());
            assertEquals(row.get("finalTestErrorStd").asDouble(), r.summary().get(i).finalTestErrorStd());
            assertEquals(row.get("rateScale").asDouble(), r.summary().get(i).rateScale());
        }
        assertEquals(json.get("rateScan").size(), r.rateScan().size());
        for (int i = 0; i < r.rateScan().size(); i++) {
            assertEquals(json.get("rateScan").get(i).get("chosen").asBoolean(), r.rateScan().get(i).chosen());
            assertEquals(json.get("rateScan").get(i).get("validationError").asDouble(),
                    r.rateScan().get(i).validationError());
        }
    }

    @Test
    void misspelledFieldsAndInvalidSettingsAreOneLineErrorsBeforeAnyOutput() throws IOException {
        final Path yaml = temp.resolve("e.yaml");
        final Path out = temp.resolve("o");
        Files.writeString(yaml, "kind: segregated-dendrites\nsubset: true\n# sizes\nhiden: [8]\n");
        Cli.assertOneLineError(Cli.run("run", yaml.toString(), "--out", out.toString()),
                "e.yaml:4:1: unknown field 'hiden' in segregated-dendrites settings (did you mean 'hidden'?)");
        Files.writeString(yaml, "kind: compare-learning\nrules: [backprop]\nrateScale: [1, 2]\n");
        Cli.assertOneLineError(Cli.run("run", yaml.toString(), "--out", out.toString()), "e.yaml:3:1: unknown field "
                + "'rateScale' in compare-learning settings (did you mean 'rateScales'?)");
        Files.writeString(yaml, "kind: compare-learning\nseeds: 1.5\n");
        Cli.assertOneLineError(Cli.run("run", yaml.toString(), "--out", out.toString()),
                "e.yaml:2:8: field 'seeds': expected a whole number, found 1.5");
        // settings that the experiment rejects name the field
        Files.writeString(yaml, "kind: segregated-dendrites\nsubset: true\nfeedback: [random, mirror]\n");
        Cli.assertOneLineError(Cli.run("run", yaml.toString(), "--out", out.toString()),
                "feedback: unknown mode 'mirror'");
        Files.writeString(yaml, "kind: compare-learning\nrules: [feedback-alignmnet]\n");
        Cli.assertOneLineError(Cli.run("run", yaml.toString(), "--out", out.toString()),
                "rules: unknown rule 'feedback-alignmnet'");
        // and missing data name the Debian package
        final Path empty = Files.createDirectories(temp.resolve("no-data"));
        Files.writeString(yaml, "kind: segregated-dendrites\ndata: " + empty + "\n");
        Cli.assertOneLineError(Cli.run("run", yaml.toString(), "--out", out.toString()), "dataset-fashion-mnist",
                empty.toString());
        assertTrue(Files.notExists(out), "no output folder for invalid settings");
        // the defaults are the commands', and a file with only the kind gives them
        for (final String kind : List.of(SegregatedDendritesExperiment.KIND, CompareLearning.KIND)) {
            final Record defaults = Experiments.get(kind).defaults();
            assertEquals(defaults, SettingsFiles.parse("kind: " + kind + "\n", "k.yaml", true).settings());
            for (final boolean asYaml : new boolean[] {true, false}) {
                assertEquals(defaults, SettingsFiles.parse(SettingsFiles.write(kind, defaults, asYaml), "d", asYaml)
                        .settings());
            }
        }
        assertEquals(13, CompareLearning.INSTANCE.defaults().rules().size());
    }

    @Test
    void aStopRequestEndsTheRunsWithStatusInterrupted() {
        // GIVEN a stop requested after the 5th training example of a segregated-dendrite run
        final SegregatedDendritesSettings s = (SegregatedDendritesSettings) SettingsFiles.parse(DENDRITES_YAML
                .replace("feedback: [random, symmetric]", "feedback: [symmetric]"), "s.yaml", true).settings();
        final AtomicInteger updates = new AtomicInteger();
        final Progress stopAt5 = new Progress() {
            private long done;

            @Override
            public void update(final long d, final long total, final Map<String, Double> metrics) {
                done = d;
                updates.incrementAndGet();
                assertTrue(metrics.containsKey("testError.symmetric-8"), metrics.toString());
            }

            @Override
            public boolean stopRequested() {
                return done >= 5;
            }
        };
        final List<SegregatedDendritesRun.Saved> saved = new ArrayList<>();
        final Checkpoints keep = Checkpoints.at(state -> {
            saved.add(((SegregatedDendritesRun) state).saved());
        });
        final SegregatedDendritesExperiment.Prepared p = SegregatedDendritesExperiment.INSTANCE.prepare(s);
        final SegregatedDendritesResult stopped = SegregatedDendritesExperiment.INSTANCE.run(p, Map.of(), stopAt5,
                keep);
        // THEN it ends there, hands its state over and says so
        assertEquals(RunStatus.INTERRUPTED, stopped.status());
        assertNotNull(stopped.message());
        assertEquals(5, stopped.configurations().get(0).examples());
        assertEquals(5, saved.get(saved.size() - 1).done());
        assertTrue(updates.get() >= 5);
        // AND continued from that state it gives the test errors of an uninterrupted run
        final SegregatedDendritesResult whole = SegregatedDendritesExperiment.INSTANCE.run(s, Progress.NONE,
                Checkpoints.NONE);
        final SegregatedDendritesResult resumed = SegregatedDendritesExperiment.INSTANCE.run(p,
                Map.of("symmetric-8", saved.get(saved.size() - 1)), Progress.NONE, Checkpoints.NONE);
        assertEquals(RunStatus.SUCCESS, resumed.status());
        assertEquals(errors(whole.configurations().get(0).curve()), errors(resumed.configurations().get(0).curve()));

        // GIVEN a stop requested after 100 patterns of a comparison
        final CompareLearningSettings c = (CompareLearningSettings) SettingsFiles.parse(LEARNING_YAML, "c.yaml", true)
                .settings();
        final CompareLearningResult cut = CompareLearning.INSTANCE.run(c, new Progress() {
            private long done;

            @Override
            public void update(final long d, final long total, final Map<String, Double> metrics) {
                done = d;
            }

            @Override
            public boolean stopRequested() {
                return done >= 100;
            }
        }, Checkpoints.NONE);
        // THEN it ends with the runs finished so far, and no runs of the comparison itself
        assertEquals(RunStatus.INTERRUPTED, cut.status());
        assertNotNull(cut.message());
        assertTrue(cut.scanRuns().size() < 8, cut.scanRuns().toString());
        assertEquals(0, cut.runs().size());
    }

    private static List<Double> errors(final List<SegregatedDendritesResult.CurvePoint> curve) {
        final List<Double> e = new ArrayList<>();
        for (final SegregatedDendritesResult.CurvePoint p : curve) {
            e.add(p.testError());
        }
        return e;
    }

    /** results.json without the fields that measure time. */
    private static ObjectNode withoutTimes(final Path folder) throws IOException {
        final ObjectNode n = (ObjectNode) JSON.readTree(folder.resolve("results.json").toFile());
        strip(n);
        return n;
    }

    private static void strip(final JsonNode n) {
        if (n instanceof ObjectNode o) {
            o.remove(TIMES);
        }
        for (final Iterator<JsonNode> it = n.elements(); it.hasNext();) {
            strip(it.next());
        }
    }

    /** summary.md without its wall-time and rate columns. */
    private static String summaryWithoutTimes(final Path folder) throws IOException {
        return Files.readString(folder.resolve("summary.md")).replaceAll("\\| [0-9.]+ \\| [0-9]+ \\|\\R", "| T | T |\n");
    }
}
