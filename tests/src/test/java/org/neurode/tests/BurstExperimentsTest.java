package org.neurode.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurode.models.burst.BurstXor;
import org.neurode.models.experiment.Checkpoints;
import org.neurode.models.experiment.Progress;
import org.neurode.models.experiment.RunStatus;
import org.neurode.models.experiment.SettingsFiles;
import org.neurode.models.experiment.burst.BurstXorExperiment;
import org.neurode.models.experiment.burst.BurstXorResult;
import org.neurode.models.experiment.burst.BurstXorRun;
import org.neurode.models.experiment.burst.BurstXorSettings;
import org.neurode.models.experiment.burst.Multiplex;
import org.neurode.models.experiment.burst.MultiplexResult;
import org.neurode.models.experiment.burst.MultiplexSettings;

/**
 * The burst experiments ({@code multiplex}, {@code burst-xor}) through {@code neurode run} and as library calls: a
 * settings file and the results.json of a run give the files and numbers of the command; the library call gives
 * them as typed records; a stop request ends a run with status INTERRUPTED and what it finished, from which a
 * run continues to the numbers of an uninterrupted one; a blow-up is status FAILED; misspelled or invalid fields
 * are one-line errors.
 */
class BurstExperimentsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** results.json fields that measure wall time. */
    private static final Set<String> TIMES = Set.of("wallSeconds", "wallSecondsPerSeed",
            "simulatedSecondsPerWallSecond", "simulatedPerWall");

    /** A small circuit: 100 + 100 pyramidal neurons (all-to-all), 25 + 25 interneurons, 50 + 250 ms. */
    private static final String[] MULTIPLEX = {"multiplex", "--neurons", "100", "--burn-in", "50", "--duration",
        "250", "--bin", "25", "--seeds", "2", "--seed", "4", "--param", "w21=0.5", "--threads", "2",
        "--no-progress"};
    private static final String MULTIPLEX_YAML = "kind: multiplex\nneurons: 100\nburnIn: 50\nduration: 250\n"
            + "bin: 25\nseeds: 2\nseed: 4\nparameters:\n  w21: 0.5\nthreads: 1\n";
    /** A small XOR network: N = 10, 400-ms examples, two epochs. */
    private static final String[] BURST_XOR = {"burst-xor", "--neurons", "10", "--durex", "400", "--burn-in", "200",
        "--examples", "8", "--eta-factor", "2", "--model-seed", "2", "--seed", "3", "--no-progress"};
    private static final String BURST_XOR_YAML = "kind: burst-xor\nneurons: 10\ndurex: 400\nburnIn: 200\n"
            + "examples: 8\netaFactor: 2\nmodelSeed: 2\nseed: 3\n";

    @TempDir
    Path temp;

    @Test
    void multiplexRunFromYamlAndFromResultsEqualsTheCommandAndTheLibraryCall() throws IOException {
        // GIVEN a small circuit run by its command (two seeds on two threads)
        final Path command = temp.resolve("command");
        final Cli.Run first = Cli.run(Cli.args(MULTIPLEX, "--out", command.toString()));
        assertEquals(0, first.exitCode(), first.err());
        // WHEN it is run from a YAML file with the same settings (one thread) and repeated from its results.json
        final Path yaml = temp.resolve("multiplex.yaml");
        Files.writeString(yaml, MULTIPLEX_YAML);
        for (final Path source : List.of(yaml, command.resolve("results.json"))) {
            final Path again = temp.resolve("again-" + source.getFileName());
            Cli.rerun(source, again);
            // THEN rates.csv and the seed files are the command's and results.json differs only in the times
            assertEquals(Files.readString(command.resolve("rates.csv")), Files.readString(again.resolve("rates.csv")));
            for (final String seedFile : List.of("seed-4.json", "seed-5.json")) {
                assertEquals(withoutTimes(command.resolve(seedFile)), withoutTimes(again.resolve(seedFile)));
            }
            final ObjectNode a = withoutTimes(command.resolve("results.json"));
            final ObjectNode b = withoutTimes(again.resolve("results.json"));
            if (source == yaml) {
                // the YAML file asked for one thread, the command for two: the numbers do not depend on it
                assertEquals(2, a.get("settings").get("threads").asInt());
                assertEquals(1, b.get("settings").get("threads").asInt());
                ((ObjectNode) a.get("settings")).remove("threads");
                ((ObjectNode) b.get("settings")).remove("threads");
            }
            assertEquals(a, b);
        }
        // AND the library call gives the command's numbers as typed records
        final JsonNode json = JSON.readTree(command.resolve("results.json").toFile());
        final MultiplexResult r = Multiplex.INSTANCE.run((MultiplexSettings) SettingsFiles.read(yaml).settings(),
                Progress.NONE, Checkpoints.NONE);
        assertEquals(RunStatus.SUCCESS, r.status());
        assertEquals(null, r.message());
        assertEquals(Map.of("w21", 0.5), r.settings().parameters());
        assertEquals(json.get("synapses").asLong(), r.synapses());
        assertEquals(json.get("connectionProbability").asDouble(), r.connectionProbability());
        assertEquals(2, r.seedsSimulated());
        assertEquals(List.of(4L, 5L), List.of(r.perSeed().get(0).seed(), r.perSeed().get(1).seed()));
        assertEquals(json.get("bottomUp").get("mean").asDouble(), r.bottomUp().mean());
        assertEquals(json.get("topDown").get("sd").asDouble(), r.topDown().sd());
        assertEquals(json.get("burstRelay").get("perSeed").get(1).asDouble(), r.burstRelay().perSeed().get(1));
        assertEquals(json.get("ratesHz").get("PV").get("mean").asDouble(), r.ratesHz().pv().mean());
        assertTrue(r.ratesHz().pyr1().mean() > 0, "Pyr1 fires");
        // the bins are the rows of rates.csv
        final List<String> rows = Files.readAllLines(command.resolve("rates.csv"));
        final List<String> header = List.of(rows.get(0).split(","));
        final int rate = header.indexOf("pyr2_event_rate_Hz_seed5");
        final int probability = header.indexOf("pyr1_burst_probability_seed5");
        final List<MultiplexResult.Bin> bins = r.perSeed().get(1).bins();
        assertEquals(rows.size() - 1, bins.size());
        assertEquals(10, bins.size());
        for (int k = 0; k < bins.size(); k++) {
            final String[] cells = rows.get(k + 1).split(",");
            assertEquals(Double.parseDouble(cells[0]), bins.get(k).startMs(), 0.0, "bin " + k);
            assertEquals(Double.parseDouble(cells[rate]), bins.get(k).pyr2EventRate(), 0.0, "bin " + k);
            assertEquals(Double.parseDouble(cells[probability]), bins.get(k).pyr1BurstProbability(), 0.0, "bin " + k);
        }
    }

    @Test
    void burstXorRunFromYamlAndFromResultsEqualsTheCommandAndTheLibraryCall() throws IOException {
        final Path command = temp.resolve("command");
        final Cli.Run first = Cli.run(Cli.args(BURST_XOR, "--out", command.toString()));
        assertEquals(0, first.exitCode(), first.err());
        final Path yaml = temp.resolve("burst-xor.yaml");
        Files.writeString(yaml, BURST_XOR_YAML);
        for (final Path source : List.of(yaml, command.resolve("results.json"))) {
            final Path again = temp.resolve("again-" + source.getFileName());
            Cli.rerun(source, again);
            for (final String csv : List.of("rates.csv", "cost.csv")) {
                assertEquals(Files.readString(command.resolve(csv)), Files.readString(again.resolve(csv)), csv);
            }
            assertEquals(withoutTimes(command.resolve("results.json")), withoutTimes(again.resolve("results.json")));
            assertTrue(Files.exists(again.resolve("checkpoint.bin")), "run writes the command's checkpoint");
        }
        final JsonNode json = JSON.readTree(command.resolve("results.json").toFile());
        assertEquals("SUCCESS", json.get("status").asText());
        assertEquals(JSON.readTree(SettingsFiles.write(BurstXorExperiment.KIND, SettingsFiles.read(yaml).settings(),
                false)), json.get("settings"));
        // the library call: the same rates, costs and margin as typed records
        final List<Long> done = new ArrayList<>();
        final List<Double> costs = new ArrayList<>();
        final BurstXorResult r = BurstXorExperiment.INSTANCE.run((BurstXorSettings) SettingsFiles.read(yaml)
                .settings(), (d, total, metrics) -> {
                    assertEquals(16, total);
                    done.add(d);
                    costs.add(metrics.get("cost"));
                }, Checkpoints.NONE);
        assertEquals(RunStatus.SUCCESS, r.status());
        assertEquals(8, r.examplesDone());
        assertEquals(json.get("xorMarginHz").asDouble(), r.xorMarginHz());
        assertEquals(json.get("simulatedSeconds").asDouble(), r.simulatedSeconds());
        final List<String> rates = Files.readAllLines(command.resolve("rates.csv"));
        assertEquals(BurstXor.PATTERNS.length, r.patterns().size());
        for (final BurstXorResult.PatternRates p : r.patterns()) {
            final String[] cells = rates.get(p.pattern() + 1).split(",");
            assertEquals(Double.parseDouble(cells[1]), p.rateBefore(), 0.0);
            assertEquals(Double.parseDouble(cells[2]), p.rateAfter(), 0.0);
            assertEquals(Double.parseDouble(cells[4]), p.traceAfter(), 0.0);
            assertEquals(p.input1() ^ p.input2(), p.target());
        }
        final List<String> cost = Files.readAllLines(command.resolve("cost.csv"));
        assertEquals(List.of(1, 2), List.of(r.costs().get(0).epoch(), r.costs().get(1).epoch()));
        assertEquals(cost.size() - 1, r.costs().size());
        assertEquals(Double.parseDouble(cost.get(2).split(",")[1]), r.costs().get(1).cost(), 0.0);
        // progress: one unit a test and a training example, the last epoch's cost by name
        assertEquals(16, done.size());
        assertEquals(16L, done.get(15));
        assertTrue(Double.isNaN(costs.get(3)), "no cost before the first epoch");
        assertEquals(r.costs().get(0).cost(), costs.get(7));
    }

    @Test
    void burstXorStopGivesInterruptedAndTheLastCheckpointContinuesToTheUninterruptedNumbers() {
        final BurstXorSettings s = new BurstXorSettings(10, 8, 400, 2, 200, 2, 3);
        final BurstXorResult straight = BurstXorExperiment.INSTANCE.run(s, Progress.NONE, Checkpoints.NONE);
        // GIVEN a run stopped during its second epoch (the test before, one epoch and one example: 9 units)
        final AtomicReference<Saved> saved = new AtomicReference<>();
        final BurstXorRun run = new BurstXorRun(s);
        final BurstXorResult stopped = BurstXorExperiment.INSTANCE.continueRun(run, new Progress() {
            @Override
            public void update(final long done, final long total, final Map<String, Double> metrics) {
            }

            @Override
            public boolean stopRequested() {
                return run.done() >= 9;
            }
        }, Checkpoints.at(state -> {
            final BurstXorRun r = (BurstXorRun) state;
            saved.set(new Saved(r.examplesDone(), r.rateBefore(), r.traceBefore(), r.costPerEpoch(),
                    r.snapshot()));
        }));
        // THEN it is INTERRUPTED with what it did, and no final test
        assertEquals(RunStatus.INTERRUPTED, stopped.status());
        assertNotNull(stopped.message());
        assertEquals(5, stopped.examplesDone());
        assertEquals(1, stopped.costs().size());
        assertTrue(Double.isNaN(stopped.xorMarginHz()));
        assertEquals(straight.patterns().get(2).rateBefore(), stopped.patterns().get(2).rateBefore());
        // AND the run restored from its last checkpoint (after the first epoch) ends with the straight run's numbers
        final Saved c = saved.get();
        assertEquals(4, c.examplesDone());
        final BurstXorResult resumed = BurstXorExperiment.INSTANCE.continueRun(BurstXorRun.restore(s,
                c.examplesDone(), c.rateBefore(), c.traceBefore(), c.cost(), c.snapshot()), Progress.NONE,
                Checkpoints.NONE);
        assertEquals(RunStatus.SUCCESS, resumed.status());
        assertEquals(straight.patterns(), resumed.patterns());
        assertEquals(straight.costs(), resumed.costs());
        assertEquals(straight.xorMarginHz(), resumed.xorMarginHz());
        assertEquals(straight.simulatedSeconds(), resumed.simulatedSeconds());
    }

    /** What a test keeps of a burst-xor checkpoint. */
    private record Saved(int examplesDone, double[] rateBefore, double[] traceBefore, double[] cost,
                         BurstXor.Snapshot snapshot) {
    }

    @Test
    void multiplexStopKeepsTheFinishedSeedsFromWhichTheRunContinuesAndABlowUpFails() throws IOException {
        final MultiplexSettings s = new MultiplexSettings(40, 2, 7, 20, 100, 10, Map.of(), 1);
        final MultiplexResult whole = Multiplex.INSTANCE.run(s, Progress.NONE, Checkpoints.NONE);
        assertEquals(RunStatus.SUCCESS, whole.status());
        // GIVEN a run on one thread stopped once its first seed is handed over
        final List<MultiplexResult.Seed> finished = new ArrayList<>();
        final List<Map<String, Double>> reports = new ArrayList<>();
        final MultiplexResult stopped = Multiplex.INSTANCE.run(s, new Progress() {
            @Override
            public void update(final long done, final long total, final Map<String, Double> metrics) {
                assertEquals(240, total);
                reports.add(metrics);
            }

            @Override
            public boolean stopRequested() {
                return !finished.isEmpty();
            }
        }, Checkpoints.at(state -> {
            finished.add(((Multiplex.FinishedSeed) state).seed());
        }));
        // THEN it is INTERRUPTED with that seed, whose numbers are those of the whole run's
        assertEquals(RunStatus.INTERRUPTED, stopped.status());
        assertTrue(stopped.message().contains("1 of 2 seeds"), stopped.message());
        assertEquals(1, stopped.perSeed().size());
        assertEquals(1, finished.size());
        assertEquals(withoutWall(whole.perSeed().get(0)), withoutWall(stopped.perSeed().get(0)));
        assertEquals(1.0, reports.get(reports.size() - 1).get("seedsDone"));
        assertEquals(whole.perSeed().get(0).bottomUp(), reports.get(reports.size() - 1).get("bottomUp"));
        // AND the run continued from the finished seed simulates only the other and ends with the whole run's numbers
        final MultiplexResult continued = Multiplex.INSTANCE.continueRun(s, finished, Progress.NONE,
                Checkpoints.NONE);
        assertEquals(RunStatus.SUCCESS, continued.status());
        assertEquals(1, continued.seedsSimulated());
        assertEquals(withoutWall(whole.perSeed().get(1)), withoutWall(continued.perSeed().get(1)));
        assertEquals(whole.bottomUp(), continued.bottomUp());
        assertEquals(whole.ratesHz(), continued.ratesHz());
        // AND a stop before anything is done gives no seeds, no exception
        final MultiplexResult none = Multiplex.INSTANCE.run(s, new Progress() {
            @Override
            public void update(final long done, final long total, final Map<String, Double> metrics) {
            }

            @Override
            public boolean stopRequested() {
                return true;
            }
        }, Checkpoints.NONE);
        assertEquals(RunStatus.INTERRUPTED, none.status());
        assertEquals(List.of(), none.perSeed());
        assertEquals(0, none.synapses());
        assertTrue(Double.isNaN(none.bottomUp().mean()));
        // AND a circuit that blows up (a negative dendritic time constant) is FAILED with the solver's message, and
        // neurode run writes its results and exits with 3
        final MultiplexResult failed = Multiplex.INSTANCE.run(s.withParameters(Map.of("tauD", -1e-3)), Progress.NONE,
                Checkpoints.NONE);
        assertEquals(RunStatus.FAILED, failed.status());
        assertTrue(failed.message().contains("blew up"), failed.message());
        assertTrue(failed.message().startsWith("seed "), "the message names the seed: " + failed.message());
        final Path yaml = temp.resolve("unstable.yaml");
        Files.writeString(yaml, "kind: multiplex\nneurons: 40\nseeds: 1\nburnIn: 20\nduration: 100\nbin: 10\n"
                + "parameters: {tauD: -0.001}\n");
        final Cli.Run run = Cli.run("run", yaml.toString(), "--no-progress", "--out", temp.resolve("u").toString());
        assertEquals(3, run.exitCode(), run.err());
        assertTrue(run.err().strip().startsWith("neurode: error: seed 1: integration blew up"), run.err());
        assertEquals("FAILED", JSON.readTree(temp.resolve("u/results.json").toFile()).get("status").asText());
    }

    @Test
    void misspelledAndInvalidFieldsAreOneLineErrors() throws IOException {
        final Path yaml = temp.resolve("experiment.yaml");
        final Path out = temp.resolve("o");
        Files.writeString(yaml, "kind: multiplex\nneurons: 100\nparamters:\n  w21: 0\n");
        Cli.assertOneLineError(Cli.run("run", yaml.toString(), "--out", out.toString()),
                "experiment.yaml:3:1: unknown field 'paramters' in multiplex settings (did you mean 'parameters'?)");
        Files.writeString(yaml, "kind: multiplex\nparameters:\n  w21: none\n");
        Cli.assertOneLineError(Cli.run("run", yaml.toString(), "--out", out.toString()),
                "experiment.yaml:3:3: field 'parameters', entry 'w21': expected a number, found \"none\"");
        Files.writeString(yaml, "kind: burst-xor\nneurons: 10\netafactor: 2\n");
        Cli.assertOneLineError(Cli.run("run", yaml.toString(), "--out", out.toString()),
                "experiment.yaml:3:1: unknown field 'etafactor' in burst-xor settings (did you mean 'etaFactor'?)");
        // settings the experiment rejects name the field, before any output folder exists
        Files.writeString(yaml, "kind: burst-xor\nexamples: 6\n");
        Cli.assertOneLineError(Cli.run("run", yaml.toString(), "--out", out.toString()), "examples 6");
        Files.writeString(yaml, "kind: multiplex\nparameters: {w99: 1}\n");
        Cli.assertOneLineError(Cli.run("run", yaml.toString(), "--out", out.toString()),
                "parameters: the circuit has no parameter 'w99'");
        Files.writeString(yaml, "kind: multiplex\nduration: 100\nbin: 200\n");
        Cli.assertOneLineError(Cli.run("run", yaml.toString(), "--out", out.toString()), "bin 200.0 ms");
        assertTrue(Files.notExists(out), "no output folder for invalid settings");
    }

    private static MultiplexResult.Seed withoutWall(final MultiplexResult.Seed s) {
        return new MultiplexResult.Seed(s.seed(), s.synapses(), 0, s.bottomUp(), s.topDown(), s.crossUp(),
                s.crossDown(), s.pyr2Dendrite(), s.eventRelay(), s.burstRelay(), s.pyr1Soma(), s.ratesHz(), s.bins());
    }

    private static ObjectNode withoutTimes(final Path file) throws IOException {
        final ObjectNode n = (ObjectNode) JSON.readTree(file.toFile());
        n.remove(TIMES);
        return n;
    }
}
