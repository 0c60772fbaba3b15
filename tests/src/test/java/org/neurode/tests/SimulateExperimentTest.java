package org.neurode.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurode.models.experiment.Checkpoints;
import org.neurode.models.experiment.Progress;
import org.neurode.models.experiment.RunStatus;
import org.neurode.models.experiment.SettingsFiles;
import org.neurode.models.experiment.simulate.Simulate;
import org.neurode.models.experiment.simulate.SimulateResult;
import org.neurode.models.experiment.simulate.SimulateSettings;

/**
 * The {@code simulate} experiment: {@code neurode run} from a settings file or from a results.json gives the files
 * of {@code neurode simulate} with the same settings (a model file embedded in the settings included), the library
 * call gives its numbers, a stop request ends the run after a segment, errors name the settings field, and a sweep
 * varies a model parameter through {@code params.NAME}.
 */
class SimulateExperimentTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A small LIF population driven above threshold from random initial potentials, with a refractory period. */
    private static final String NETWORK = """
            model net
            parameter tau_m = 10 unit ms
            parameter Vt = -50 unit mV
            parameter Vr = -60 unit mV
            parameter El = -45 unit mV
            state v[20] = Vr + rand() * (Vt - Vr) unit mV
            dv/dt = (El - v) / tau_m (unless refractory)
            population P 20: v
            threshold v > Vt
            reset v = Vr
            refractory 2 ms
            time 0 80
            """;

    @TempDir
    Path temp;

    @Test
    void runFromYamlAndFromResultsEqualsTheCommandAndTheLibraryCall() throws IOException {
        // GIVEN a model file simulated by the command, with spike monitors and rates
        final Path model = temp.resolve("net.ode");
        Files.writeString(model, NETWORK);
        final Path command = temp.resolve("command");
        final Cli.Run first = Cli.run("simulate", "--model-file", model.toString(), "--solver", "dop853", "--rtol",
                "1e-7", "--spikes", "--rate", "5", "--param", "tau_m=12", "--seed", "3", "--no-progress", "--out",
                command.toString());
        assertEquals(0, first.exitCode(), first.err());
        // WHEN it is repeated from its results.json (the model text is embedded: the file is deleted first) and from a
        // YAML file with the same settings
        final Path yaml = temp.resolve("simulate.yaml");
        Files.writeString(yaml, "kind: simulate\nmodelFile:\n  name: " + model + "\n  text: |\n"
                + NETWORK.indent(4) + "solver: dop853\nrtol: 1.0e-7\nspikes: []\nrateBin: 5\nparams: {tau_m: 12}\n"
                + "seed: 3\n");
        Files.delete(model);
        for (final Path source : List.of(command.resolve("results.json"), yaml)) {
            final Path again = temp.resolve("again-" + source.getFileName());
            Cli.rerun(source, again);
            // THEN every data file is byte for byte the same, and results.json but for the wall time
            for (final String f : List.of("trajectory.csv", "spikes.csv", "spikes-spike.csv", "rates.csv")) {
                assertEquals(Files.readString(command.resolve(f)), Files.readString(again.resolve(f)), f);
            }
            assertEquals(withoutTimes(command), withoutTimes(again));
        }
        // AND the library call gives the command's numbers as a typed record
        final SimulateSettings settings = (SimulateSettings) SettingsFiles.read(yaml).settings();
        final SimulateResult r = Simulate.INSTANCE.run(settings, Progress.NONE, Checkpoints.NONE);
        final JsonNode json = JSON.readTree(command.resolve("results.json").toFile());
        assertEquals(RunStatus.SUCCESS, r.status());
        assertNull(r.message());
        assertEquals(json.get("spikeCount").asLong(), r.spikeCount());
        assertTrue(r.spikeCount() > 20, "the network fires: " + r.spikeCount());
        assertEquals(json.get("meanRateHz").asDouble(), r.meanRateHz());
        assertEquals(json.get("statistics").get("rhsEvaluations").asLong(), r.statistics().rhsEvaluations());
        assertEquals(json.get("statistics").get("acceptedSteps").asLong(), r.statistics().acceptedSteps());
        assertEquals(12.0, r.parameters().get("tau_m"));
        assertEquals(80.0, r.finalTime());
        // one event kind: its rate is the mean rate, and its count the spikes file's rows
        assertEquals(r.spikeCount(), r.eventCounts().get("spike"));
        assertEquals(r.meanRateHz(), r.eventRatesHz().get("spike"), 1e-12 * r.meanRateHz());
        assertEquals(r.spikeCount() + 1, Files.readAllLines(command.resolve("spikes-spike.csv")).size());
        // the final values are the last row of trajectory.csv
        final List<String> rows = Files.readAllLines(command.resolve("trajectory.csv"));
        final String[] header = rows.get(0).split(",");
        final String[] last = rows.get(rows.size() - 1).split(",");
        assertEquals(header.length - 1, r.finalValues().size());
        for (int j = 1; j < header.length; j++) {
            assertEquals(Double.parseDouble(last[j]), r.finalValues().get(header[j]), 0.0, header[j]);
        }
    }

    @Test
    void aStopRequestEndsTheRunAfterTheFirstSegment() {
        // GIVEN the default LIF run (200 ms, fixed steps of 0.1 ms: segments of 20 steps) and a receiver that asks
        // to stop at once
        final SimulateSettings settings = Simulate.INSTANCE.defaults();
        final long[] updates = new long[1];
        final Progress stopAtOnce = new Progress() {
            @Override
            public void update(final long done, final long total, final Map<String, Double> metrics) {
                updates[0]++;
                assertEquals(1000, total);
                assertEquals(10, done, "a hundredth of the run, in thousandths");
            }

            @Override
            public boolean stopRequested() {
                return true;
            }
        };
        // WHEN it runs
        final SimulateResult r = Simulate.INSTANCE.run(settings, stopAtOnce, Checkpoints.NONE);
        // THEN it ends after one segment, interrupted, with the work and spikes of a run to 2 ms
        assertEquals(RunStatus.INTERRUPTED, r.status());
        assertEquals(1, updates[0]);
        assertEquals(2.0, r.finalTime(), 1e-12);
        final SimulateResult shortRun = Simulate.INSTANCE.run(new SimulateSettings(null, null, null, Map.of(), false,
                "exponential-euler", null, null, null, 2.0, 0.5, null, null, null, null, null, false, 1L),
                Progress.NONE, Checkpoints.NONE);
        assertEquals(RunStatus.SUCCESS, shortRun.status());
        assertEquals(shortRun.statistics(), r.statistics());
        assertEquals(shortRun.spikeCount(), r.spikeCount());
        assertEquals(shortRun.finalValues(), r.finalValues());
        assertTrue(r.message().startsWith("stopped at t = 2"), r.message());
    }

    @Test
    void settingsErrorsNameTheFieldAndTheFile() throws IOException {
        final Path unknown = temp.resolve("unknown.yaml");
        Files.writeString(unknown, "kind: simulate\ntEnd: 20\nparams: {tau_x: 12}\n");
        Cli.assertOneLineError(Cli.run("run", unknown.toString(), "--no-progress", "--out",
                temp.resolve("a").toString()), "unknown.yaml: params tau_x=12: model 'lif' has no parameter 'tau_x'",
                "its parameters: tau_m, E_L");
        final Path step = temp.resolve("step.yaml");
        Files.writeString(step, "kind: simulate\nsolver: dop853\ndt: 0.2\n");
        Cli.assertOneLineError(Cli.run("run", step.toString(), "--no-progress", "--out",
                temp.resolve("b").toString()), "step.yaml: dt applies to fixed-step solvers, but solver dop853");
        final Path misspelled = temp.resolve("misspelled.yaml");
        Files.writeString(misspelled, "kind: simulate\ntEnd: 20\nrecordEvry: 0.5\n");
        Cli.assertOneLineError(Cli.run("run", misspelled.toString(), "--no-progress"),
                "misspelled.yaml:3:1: unknown field 'recordEvry' in simulate settings (did you mean 'recordEvery'?)");
        final Path model = temp.resolve("broken.yaml");
        Files.writeString(model, "kind: simulate\nmodelFile: {name: broken.ode, text: \"state v = 0\\ndv/dt = -w\\n\"}\n");
        Cli.assertOneLineError(Cli.run("run", model.toString(), "--no-progress"), "broken.ode line 2", "unknown name 'w'");
        // the command keeps naming its options
        Cli.assertOneLineError(Cli.run("simulate", "--solver", "dop853", "--dt", "0.2", "--no-progress"),
                "--dt applies to fixed-step solvers, but --solver dop853");
        Cli.assertOneLineError(Cli.run("simulate", "--param", "tau_x=3", "--no-progress"),
                "--param tau_x=3: model 'lif' has no parameter 'tau_x'");
    }

    @Test
    void aSweepVariesAModelParameterAndTabulatesRatesByEventKind() throws IOException {
        // GIVEN a sweep over the membrane time constant of the LIF population with constant drives
        final Path sweep = temp.resolve("sweep.yaml");
        Files.writeString(sweep, """
                base:
                  kind: simulate
                  n: 10
                  tEnd: 100
                axes:
                  params.tau_m: [5, 10, 20]
                metric: eventRatesHz.spike
                """);
        final Path out = temp.resolve("sweep");
        // WHEN it runs
        final Cli.Run run = Cli.run("sweep", sweep.toString(), "--no-progress", "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        // THEN each point ran with its value, and the rate falls as tau_m grows (the drive charges the membrane more
        // slowly): monotone, and the same as a simulate command with that parameter
        final List<String> rows = Files.readAllLines(out.resolve("results.csv"));
        final List<String> columns = List.of(rows.get(0).split(","));
        assertEquals(1, columns.stream().filter("wallSeconds"::equals).count(), "one wallSeconds column: " + columns);
        final int rate = columns.indexOf("eventRatesHz.spike");
        final int tau = columns.indexOf("parameters.tau_m");
        double previous = Double.POSITIVE_INFINITY;
        for (int k = 1; k <= 3; k++) {
            final String[] cells = rows.get(k).split(",");
            assertEquals(new double[] {5, 10, 20}[k - 1], Double.parseDouble(cells[tau]));
            final double hz = Double.parseDouble(cells[rate]);
            assertTrue(hz < previous, "rate " + hz + " after " + previous);
            previous = hz;
        }
        final Path single = temp.resolve("single");
        assertEquals(0, Cli.run("simulate", "--n", "10", "--t-end", "100", "--param", "tau_m=10", "--no-progress",
                "--out", single.toString()).exitCode());
        assertEquals(JSON.readTree(single.resolve("results.json").toFile()).get("meanRateHz").asDouble(),
                Double.parseDouble(rows.get(2).split(",")[rate]));
        // AND an axis over a parameter that the model lacks is an error at its line
        Files.writeString(sweep, "base: {kind: simulate, tEnd: 20}\naxes:\n  params.tau_x: [1, 2]\nmetric: meanRateHz\n");
        Cli.assertOneLineError(Cli.run("sweep", sweep.toString(), "--no-progress", "--out",
                temp.resolve("bad").toString()), "sweep.yaml:3:", "params tau_x=1: model 'lif' has no parameter");
    }

    @Test
    void theShippedCubaSweepRunsAndItsRateRisesWithTheExcitatoryWeight() throws IOException {
        // GIVEN examples/sweeps/cuba-we.yaml, whose base names the CUBA model file relative to itself
        final Path out = temp.resolve("cuba");
        // WHEN it runs (18 points of 300 ms of the 4,000-neuron network)
        final Cli.Run run = Cli.run("sweep", Path.of("..", "examples", "sweeps", "cuba-we.yaml").toString(),
                "--no-progress", "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        // THEN every point embeds the model text, and the mean rate over seeds rises with the excitatory weight
        // (more excitation, more spikes: a property of the network, strict at these weights, whose means are
        // 0.7 Hz or more apart while their seed spreads are 0.1-1 Hz)
        final JsonNode point = JSON.readTree(out.resolve("points").resolve("point-000000.json").toFile());
        assertTrue(point.toString().contains("projection Ce"), "the model text is embedded");
        final List<String> rows = Files.readAllLines(out.resolve("summary.csv"));
        assertEquals(7, rows.size(), String.join("\n", rows));
        double previous = 0;
        for (final String row : rows.subList(1, rows.size())) {
            final double mean = Double.parseDouble(row.split(",")[3]);
            assertTrue(mean > previous, row);
            previous = mean;
        }
    }

    private static JsonNode withoutTimes(final Path folder) throws IOException {
        final ObjectNode n = (ObjectNode) JSON.readTree(folder.resolve("results.json").toFile());
        n.remove(List.of("wallSeconds", "neurode", "files"));
        return n;
    }
}
