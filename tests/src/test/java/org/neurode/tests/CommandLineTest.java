package org.neurode.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.neurode.tests.Cli.run;
import static org.neurode.tests.Cli.fileNames;
import static org.neurode.tests.Cli.assertOneLineError;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurode.solvers.Solver;
import org.neurode.solvers.Solvers;

/**
 * The {@code neurode} command line, run in-process with captured output: help, version, the solver
 * listing, end-to-end simulations into a temporary folder, and one-line errors with exit code 2 for bad
 * input. Runs are kept short (tens of ms simulated) so the class takes a few seconds.
 */
class CommandLineTest {

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    private static List<String> lines(final Path file) throws IOException {
        return Files.readAllLines(file);
    }

    @Test
    void helpListsTheSubcommands() {
        // WHEN
        final Cli.Run run = run("--help");
        // THEN
        assertEquals(0, run.exitCode());
        assertTrue(run.out().contains("solvers"), run.out());
        assertTrue(run.out().contains("simulate"), run.out());
        assertEquals("", run.err());
    }

    @Test
    void everyCommandsHelpFormatsWithoutPicocliWarnings() {
        // GIVEN every command and subcommand (picocli reads option descriptions as format strings: a bare '%' in
        // one is printed as a warning on the process's standard error, outside the command's own streams)
        final java.util.List<String[]> commands = new java.util.ArrayList<>();
        for (final java.util.Map.Entry<String, picocli.CommandLine> c : org.neurode.examples.Main.commandLine()
                .getSubcommands().entrySet()) {
            commands.add(new String[] {c.getKey(), "--help"});
            for (final String sub : c.getValue().getSubcommands().keySet()) {
                commands.add(new String[] {c.getKey(), sub, "--help"});
            }
        }
        final java.io.PrintStream stderr = System.err;
        final java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        try {
            System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
            for (final String[] args : commands) {
                // WHEN its help is printed
                final Cli.Run run = run(args);
                // THEN it succeeds and nothing warns
                assertEquals(0, run.exitCode(), String.join(" ", args) + ": " + run.err());
            }
        } finally {
            System.setErr(stderr);
        }
        final String warnings = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertFalse(warnings.contains("picocli WARN"), warnings);
        assertTrue(commands.size() > 10, commands.size() + " commands");
    }

    @Test
    void versionNamesTheProjectVersion() {
        // WHEN
        final Cli.Run run = run("--version");
        // THEN
        assertEquals(0, run.exitCode());
        assertTrue(run.out().matches("(?s)neurode \\d+\\.\\d+\\.\\d+.*"), run.out());
    }

    @Test
    void solversListsEveryRegisteredSolver() {
        // WHEN
        final Cli.Run run = run("solvers");
        // THEN
        assertEquals(0, run.exitCode());
        assertTrue(run.out().contains("exponential-euler"), run.out());
        assertTrue(run.out().contains("euler-maruyama"), run.out());
        for (final String name : Solvers.names()) {
            assertTrue(run.out().contains(name), name + " missing in: " + run.out());
        }
    }

    @Test
    void solversJsonParsesAndDescribesEachSolver() throws IOException {
        // WHEN
        final Cli.Run run = run("solvers", "--json");
        // THEN
        assertEquals(0, run.exitCode());
        final JsonNode list = JSON.readTree(run.out());
        assertTrue(list.isArray());
        assertEquals(Solvers.all().size(), list.size());
        final List<String> names = new ArrayList<>();
        for (final JsonNode s : list) {
            names.add(s.get("name").asText());
            assertTrue(s.get("order").asInt() >= 1, s.toString());
            assertTrue(s.has("adaptive") && s.has("stiffness") && s.has("stochastic") && s.has("description"));
        }
        assertEquals(Solvers.names(), names);
    }

    @Test
    void simulateLifWritesResultsTrajectorySpikesAndPlot() throws IOException {
        // GIVEN
        final Path out = temp.resolve("lif");
        // WHEN
        final long before = System.nanoTime();
        final Cli.Run run = run("simulate", "--out", out.toString(), "--t-end", "50", "--no-progress");
        final double elapsed = (System.nanoTime() - before) * 1e-9;
        // THEN
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains(out.toAbsolutePath().toString()), run.out());
        assertEquals(Set.of("results.json", "trajectory.csv", "spikes.csv", "plot.png"), fileNames(out),
                     "no temporary files left behind");

        final JsonNode results = JSON.readTree(out.resolve("results.json").toFile());
        assertEquals("SUCCESS", results.get("status").asText());
        assertEquals("lif", results.get("model").asText());
        assertEquals("exponential-euler", results.get("solver").asText());
        assertEquals(100, results.get("n").asInt());
        assertEquals(50.0, results.get("finalTime").asDouble(), 1e-12);
        // the model is deterministic and exactly solvable: neuron i (drive D = 10 + 20 i/99 mV, start v0 =
        // -65 + 15 frac(0.618 i) mV) first reaches -50 mV at 10 ln((D - v0 - 65)/(D - 15)) ms and then fires every
        // 2 + 10 ln(D/(D - 15)) ms; counted up to 50 ms that is 278 spikes (closedFormSpikeCount; no spike lies
        // within 0.25 ms of 50 ms, and the run's spike times agree with the closed form to 0.015 ms)
        assertEquals(278, closedFormSpikeCount(100, 50.0));
        assertEquals(278, results.get("spikeCount").asLong(), results.toString());
        assertEquals(278 / (100 * 0.050), results.get("meanRateHz").asDouble(), 1e-9, results.toString());
        assertTrue(results.get("statistics").get("rhsEvaluations").asLong() > 0, results.toString());
        // the integration's own wall time: positive, and part of what the whole command took
        final double wall = results.get("wallSeconds").asDouble();
        assertTrue(wall > 0 && wall <= elapsed, "wallSeconds " + wall + " outside (0, " + elapsed + "]");

        final List<String> trajectory = lines(out.resolve("trajectory.csv"));
        final String[] header = trajectory.get(0).split(",");
        assertEquals("t_ms", header[0]);
        assertEquals(results.get("recorded").size() + 1, header.length);
        assertEquals(101 + 1, trajectory.size(), "header and samples every 0.5 ms from 0 to 50 ms");
        assertEquals(header.length, trajectory.get(1).split(",").length);

        final List<String> spikes = lines(out.resolve("spikes.csv"));
        assertEquals("t_ms,neuron", spikes.get(0));
        assertEquals(results.get("spikeCount").asLong() + 1, spikes.size());

        try (InputStream png = Files.newInputStream(out.resolve("plot.png"))) {
            assertArrayEquals(PNG_SIGNATURE, png.readNBytes(PNG_SIGNATURE.length));
        }
    }

    /** Spikes of LifPopulation.standard(n) in [0, tEnd] from the closed-form solution (see the LIF test). */
    private static long closedFormSpikeCount(final int n, final double tEnd) {
        long count = 0;
        for (int i = 0; i < n; i++) {
            final double drive = 10.0 + 20.0 * i / (n - 1);
            final double v0 = -65.0 + 15.0 * ((i * 0.618033988749895) % 1.0);
            if (drive <= 15.0) {
                continue;
            }
            final double period = 2.0 + 10.0 * Math.log(drive / (drive - 15.0));
            for (double t = 10.0 * Math.log((drive - (v0 + 65.0)) / (drive - 15.0)); t <= tEnd; t += period) {
                count++;
            }
        }
        return count;
    }

    @Test
    void simulateThreeCompartmentWritesResultsWithoutSpikes() throws IOException {
        // GIVEN
        final Path out = temp.resolve("three-compartment");
        // WHEN
        final Cli.Run run = run("simulate", "--model", "three-compartment", "--n", "3", "--t-end", "45", "--seed", "7",
                            "--out", out.toString(), "--no-progress");
        // THEN
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(Set.of("results.json", "trajectory.csv", "plot.png"), fileNames(out));
        final JsonNode results = JSON.readTree(out.resolve("results.json").toFile());
        assertEquals("SUCCESS", results.get("status").asText());
        assertEquals(3, results.get("n").asInt());
        assertFalse(results.has("spikeCount"), "a rate model has no spikes");
        assertTrue(results.get("statistics").get("rhsEvaluations").asLong() > 0);
        assertEquals(7, results.get("options").get("seed").asLong());
        final List<String> recorded = new ArrayList<>();
        results.get("recorded").forEach(r -> recorded.add(r.asText()));
        assertEquals(List.of("u[0]", "u[1]", "u[2]", "vB[0]", "vA[0]", "W[0,0]"), recorded);
        // the matrix element's comma is quoted in the CSV header
        assertEquals("t_ms,u[0],u[1],u[2],vB[0],vA[0],\"W[0,0]\"", lines(out.resolve("trajectory.csv")).get(0));
    }

    @Test
    void simulateAModelFileWithSpikesAndTheFilesTimeSpan() throws IOException {
        // GIVEN two leaky integrate-and-fire neurons written as a file: dv/dt = (I - v)/10 with I = 2 and 3,
        // threshold 1, reset 0; closed-form first spike at 10 ln(I/(I - 1)): 6.93 and 4.05 ms
        final Path file = temp.resolve("lif2.ode");
        Files.writeString(file, String.join("\n", "model lif2", "parameter tau = 10", "input I[2] = 2, 3",
                "state v[2] = 0 unit mV", "dv/dt = (I - v) / tau", "threshold v = 1 reset 0", "time 0 30"));
        final Path out = temp.resolve("file");
        // WHEN simulated without --t-end (the file's time line applies)
        final Cli.Run run = run("simulate", "--model-file", file.toString(), "--dt", "0.01", "--out", out.toString(),
                            "--no-progress");
        // THEN the run spans the file's 30 ms, records v and writes the spikes
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(Set.of("results.json", "trajectory.csv", "spikes.csv", "plot.png"), fileNames(out));
        final JsonNode results = JSON.readTree(out.resolve("results.json").toFile());
        assertEquals("lif2", results.get("model").asText());
        assertEquals(30.0, results.get("finalTime").asDouble(), 1e-9);
        // spikes every 6.93 ms (neuron 0) and 4.05 ms (neuron 1) in 30 ms: 4 + 7
        assertEquals(11, results.get("spikeCount").asInt());
        // a model file has no population size: its state dimension (v[2]; the input I does not count)
        assertFalse(results.has("n"), results.toString());
        assertEquals(2, results.get("stateDimension").asInt(), results.toString());
        // AND --model-file excludes --model
        final Cli.Run both = run("simulate", "--model-file", file.toString(), "--model", "lif", "--out",
                             temp.resolve("y").toString());
        assertOneLineError(both, "--model-file excludes --model");
    }

    @Test
    void issue13_modelFileConstantsAreNotStateAndInputsAreRecordedWhenAsked() throws IOException {
        // GIVEN three neurons with per-neuron drives (a parameter vector), fixed coupling weights (a parameter
        // matrix) and an input gain
        final Path file = temp.resolve("coupled.ode");
        Files.writeString(file, String.join("\n", "model coupled", "parameter tau = 10",
                "parameter drive[3] = 1, 2, 3", "parameter G[3, 3] = 0.1", "input gain = 0.5",
                "state v[3] = 0 unit mV", "dv/dt = (gain * drive + G @ v - v) / tau", "time 0 5"));
        final Path out = temp.resolve("coupled");
        // WHEN simulated, recording the state and the input
        final Cli.Run run = run("simulate", "--model-file", file.toString(), "--record", "v[0..1],gain", "--out",
                            out.toString(), "--no-progress");
        // THEN only the 3 potentials are integrated, and the input is a column of its own
        assertEquals(0, run.exitCode(), run.err());
        final JsonNode results = JSON.readTree(out.resolve("results.json").toFile());
        assertEquals(3, results.get("stateDimension").asInt(), results.toString());
        assertEquals("t_ms,v[0],v[1],gain", lines(out.resolve("trajectory.csv")).get(0));
        assertTrue(lines(out.resolve("trajectory.csv")).get(1).endsWith(",0.5"),
                lines(out.resolve("trajectory.csv")).get(1));
        // AND --param sets scalars only: an array parameter is a one-line error naming the option
        final Cli.Run array = run("simulate", "--model-file", file.toString(), "--param", "G=1", "--out",
                              temp.resolve("g").toString());
        assertOneLineError(array, "--param G=1", "'G' is an array parameter (3x3");
        // AND an unknown recorded name lists the state variables and the inputs
        final Cli.Run unknown = run("simulate", "--model-file", file.toString(), "--record", "w", "--out",
                                temp.resolve("w").toString());
        assertOneLineError(unknown, "--record", "v, gain");
    }

    @Test
    void simulateWithAnAdaptiveSolverRecordsItsTolerances() throws IOException {
        // GIVEN the first adaptive solver of the registry, if any
        final Solver adaptive = Solvers.all().stream().filter(s -> s.info().adaptive()).findFirst().orElse(null);
        assumeTrue(adaptive != null, "no adaptive solver registered");
        final Path out = temp.resolve("adaptive");
        // WHEN
        final Cli.Run run = run("simulate", "--model", "three-compartment", "--n", "2", "--t-end", "20",
                            "--solver", adaptive.name(), "--rtol", "1e-5", "--out", out.toString(), "--no-progress");
        // THEN
        assertEquals(0, run.exitCode(), run.err());
        final JsonNode options = JSON.readTree(out.resolve("results.json").toFile()).get("options");
        assertEquals("adaptive", options.get("stepControl").asText());
        assertEquals(1e-5, options.get("rtol").asDouble(), 0.0);
        assertTrue(options.get("atolFromScales").asBoolean());
        assertFalse(options.has("step"));
    }

    @Test
    void simulateThatBlowsUpWritesItsResultsAndExitsWithThree() throws IOException {
        // GIVEN forward Euler far beyond its stability limit (|1 - 1.9 * 5| > 1 for the soma)
        final Path out = temp.resolve("unstable");
        // WHEN
        final Cli.Run run = run("simulate", "--model", "three-compartment", "--n", "2", "--solver", "euler-maruyama",
                            "--dt", "5", "--t-end", "5000", "--out", out.toString(), "--no-progress");
        // THEN
        assertEquals(3, run.exitCode(), run.err());
        assertTrue(run.err().contains("FAILED"), run.err());
        final JsonNode results = JSON.readTree(out.resolve("results.json").toFile());
        assertEquals("FAILED", results.get("status").asText());
        assertTrue(results.get("message").asText().contains("blew up"), results.toString());
        assertTrue(results.get("finalTime").asDouble() < 5000.0);
    }

    @Test
    void unknownSolverIsAOneLineErrorListingTheValidNames() {
        // WHEN
        final Cli.Run run = run("simulate", "--solver", "runge-kutta-99", "--out", temp.resolve("x").toString());
        // THEN
        assertOneLineError(run, "runge-kutta-99", "exponential-euler", "euler-maruyama");
        assertFalse(Files.exists(temp.resolve("x")), "nothing is created for invalid input");
    }

    @Test
    void unknownModelIsAOneLineErrorListingTheValidNames() {
        // WHEN
        final Cli.Run run = run("simulate", "--model", "hodgkin-huxley", "--out", temp.resolve("x").toString());
        // THEN
        assertOneLineError(run, "hodgkin-huxley", "lif", "three-compartment");
    }

    @Test
    void negativeStepIsAOneLineError() {
        // WHEN
        final Cli.Run run = run("simulate", "--dt", "-1", "--out", temp.resolve("x").toString());
        // THEN
        assertOneLineError(run, "--dt", "-1");
    }

    @Test
    void notANumberEndTimeIsAOneLineError() {
        // WHEN
        final Cli.Run nan = run("simulate", "--t-end", "NaN", "--out", temp.resolve("x").toString());
        final Cli.Run text = run("simulate", "--t-end", "soon", "--out", temp.resolve("x").toString());
        // THEN
        assertOneLineError(nan, "--t-end");
        assertOneLineError(text, "--t-end", "soon");
    }

    @Test
    void unknownRecordedVariableIsAOneLineErrorListingTheKnownOnes() {
        // WHEN
        final Cli.Run run = run("simulate", "--record", "w[0]", "--out", temp.resolve("x").toString());
        // THEN
        assertOneLineError(run, "w", "v");
    }

    @Test
    void outputFolderUnderARegularFileIsAOneLineError() throws IOException {
        // GIVEN a regular file where a parent folder would have to be
        final Path file = Files.writeString(temp.resolve("not-a-folder"), "x");
        // WHEN
        final Cli.Run run = run("simulate", "--out", file.resolve("run").toString(), "--t-end", "1", "--no-progress");
        // THEN
        assertOneLineError(run, "cannot write", file.toString());
    }

    @Test
    void issue12_paramSetsAModelParameterAndUnknownNamesListTheValidOnes() throws IOException {
        // GIVEN the LIF network with the membrane time constant doubled (tau_m = 20 ms)
        final Path out = temp.resolve("param");
        // WHEN
        final Cli.Run run = run("simulate", "--param", "tau_m=20", "--t-end", "52", "--out", out.toString());
        // THEN the parameter is in results.json and the neurons fire less: with tau 20 ms the times to threshold
        // double (period 2 + 20 ln(D/(D - 15)) ms), 151 spikes up to 52 ms by the closed form of the LIF test (no
        // spike within 0.4 ms of 52 ms; 290 with tau 10)
        assertEquals(0, run.exitCode(), run.err());
        final JsonNode results = JSON.readTree(out.resolve("results.json").toFile());
        assertEquals(20.0, results.get("parameters").get("tau_m").asDouble(), 0.0);
        assertEquals(151, closedFormSpikeCount20());
        assertEquals(151, results.get("spikeCount").asLong(), results.toString());
        // AND an unknown name is an error listing the model's parameters, naming the option
        final Cli.Run unknown = run("simulate", "--param", "tau=20", "--out", temp.resolve("u").toString());
        assertOneLineError(unknown, "--param", "tau_m", "E_L");
    }

    private static long closedFormSpikeCount20() {
        long count = 0;
        for (int i = 0; i < 100; i++) {
            final double drive = 10.0 + 20.0 * i / 99;
            final double v0 = -65.0 + 15.0 * ((i * 0.618033988749895) % 1.0);
            if (drive <= 15.0) {
                continue;
            }
            final double period = 2.0 + 20.0 * Math.log(drive / (drive - 15.0));
            for (double t = 20.0 * Math.log((drive - (v0 + 65.0)) / (drive - 15.0)); t <= 52.0; t += period) {
                count++;
            }
        }
        return count;
    }

    @Test
    void issue12_noisyModelFileNeedsAStochasticSolverOrNoNoise() throws IOException {
        // GIVEN an Ornstein-Uhlenbeck process written as a model file (white noise on x)
        final Path file = temp.resolve("ou.ode");
        Files.writeString(file, String.join("\n", "model ou", "parameter tau = 10", "state x = 1",
                "dx/dt = -x / tau", "noise x = 0.5", "time 0 10"));
        // WHEN an adaptive deterministic solver is asked to integrate it
        final Cli.Run refused = run("simulate", "--model-file", file.toString(), "--solver", "dop853", "--out",
                temp.resolve("ou-refused").toString());
        // THEN the error names the options to change, never a Java call
        assertOneLineError(refused, "--solver dop853", "--no-noise", "euler-maruyama");
        assertFalse(refused.err().contains("()"), refused.err());
        // AND with --no-noise the deterministic part runs: x(10) = exp(-1) (dop853 at rtol 1e-6)
        final Path out = temp.resolve("ou");
        final Cli.Run run = run("simulate", "--model-file", file.toString(), "--solver", "dop853", "--no-noise",
                "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        final List<String> rows = lines(out.resolve("trajectory.csv"));
        final String[] last = rows.get(rows.size() - 1).split(",");
        assertEquals(10.0, Double.parseDouble(last[0]), 1e-12);
        assertEquals(Math.exp(-1.0), Double.parseDouble(last[1]), 1e-5);
    }

    @Test
    void issue12_optionsOfTheOtherKindOfSolverAreRefused() {
        // WHEN a step is given to an adaptive solver, or a tolerance to a fixed-step one (both used to be ignored
        // with a note)
        final Cli.Run dt = run("simulate", "--solver", "dop853", "--dt", "0.1", "--out", temp.resolve("a").toString());
        final Cli.Run rtol = run("simulate", "--rtol", "1e-3", "--out", temp.resolve("b").toString());
        // THEN
        assertOneLineError(dt, "--dt", "dop853", "--rtol");
        assertOneLineError(rtol, "--rtol", "exponential-euler", "--dt");
    }

    @Test
    void issue13_eulerAndRk4ByNameAreNeurodesOwnWithHipparchusUnderItsName() throws IOException {
        // GIVEN two leaky integrate-and-fire neurons as a file (spikes at 6.93 and 4.05 ms, then every +2 ms)
        final Path file = temp.resolve("lif2.ode");
        Files.writeString(file, String.join("\n", "model lif2", "parameter tau = 10", "input I[2] = 2, 3",
                "state v[2] = 0 unit mV", "dv/dt = (I - v) / tau", "threshold v = 1 reset 0 refractory 2",
                "time 0 30"));
        // WHEN simulated by name with each fixed-step solver on the same grid
        for (final String name : List.of("euler", "euler-maruyama", "rk4", "hipparchus-rk4", "hipparchus-euler")) {
            final Cli.Run run = run("simulate", "--model-file", file.toString(), "--solver", name, "--dt", "0.01",
                                "--record-every", "0.01", "--out", temp.resolve(name).toString(), "--no-progress");
            assertEquals(0, run.exitCode(), name + ": " + run.err());
            assertEquals(name, JSON.readTree(temp.resolve(name).resolve("results.json").toFile()).get("solver")
                    .asText());
        }
        // THEN euler writes euler-maruyama's trajectory and spikes byte for byte (the same step: the model has
        // no noise)
        for (final String f : List.of("trajectory.csv", "spikes.csv")) {
            assertEquals(Files.readString(temp.resolve("euler-maruyama").resolve(f)),
                         Files.readString(temp.resolve("euler").resolve(f)), f);
        }
        // and rk4 and Hipparchus' rk4 log the same spikes at the same times to 1e-8 ms (measured 1.1e-9: each
        // engine's root search stops within 1e-9 ms of the crossing on its own third-order dense output)
        final List<String> own = lines(temp.resolve("rk4").resolve("spikes.csv"));
        final List<String> hip = lines(temp.resolve("hipparchus-rk4").resolve("spikes.csv"));
        assertEquals(hip.size(), own.size());
        assertTrue(own.size() > 8, own.toString());
        double worst = 0;
        for (int k = 1; k < own.size(); k++) {
            final String[] a = own.get(k).split(",");
            final String[] b = hip.get(k).split(",");
            assertEquals(b[1], a[1], "neuron of spike " + k);
            worst = Math.max(worst, Math.abs(Double.parseDouble(b[0]) - Double.parseDouble(a[0])));
        }
        assertTrue(worst < 1e-8, "spike times differ by " + worst);
        // AND a step given to an adaptive solver, or a tolerance to Hipparchus' Euler, is a one-line error
        assertOneLineError(run("simulate", "--model-file", file.toString(), "--solver", "tsit5", "--dt", "0.1",
                               "--out", temp.resolve("a").toString()), "--dt", "tsit5");
        assertOneLineError(run("simulate", "--model-file", file.toString(), "--solver", "hipparchus-euler",
                               "--rtol", "1e-3", "--out", temp.resolve("b").toString()), "--rtol", "hipparchus-euler");
    }

    @Test
    void issue12_runsTooLargeForTheHeapOrTooManyStepsAreRefusedBeforeAllocating() {
        // WHEN --n or --record-every ask for far more memory than any heap, or --dt for 2 * 10^10 steps
        final Cli.Run n = run("simulate", "--n", "2000000000", "--out", temp.resolve("n").toString());
        final Cli.Run samples = run("simulate", "--solver", "dop853", "--record-every", "1e-300", "--out",
                temp.resolve("r").toString());
        final Cli.Run steps = run("simulate", "--dt", "1e-8", "--out", temp.resolve("s").toString());
        // THEN each is a one-line error naming the option (before: an OutOfMemoryError with a stack trace, and a
        // run that would not end)
        assertOneLineError(n, "--n 2000000000", "memory");
        assertOneLineError(samples, "--record-every", "memory");
        assertOneLineError(steps, "--dt", "steps");
    }

    @Test
    void issue12_emptyOutputPathIsRefusedInsteadOfWritingIntoTheCurrentFolder() {
        // WHEN
        final Cli.Run run = run("simulate", "--out", "", "--t-end", "1");
        // THEN
        assertOneLineError(run, "--out", "empty");
    }
}
