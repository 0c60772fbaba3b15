package org.neurode.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.neurode.core.EventLog;
import org.neurode.core.Model;
import org.neurode.core.Problem;
import org.neurode.core.Recorder;
import org.neurode.core.Trajectory;
import org.neurode.models.LifPopulation;
import org.neurode.solvers.SolveOptions;
import org.neurode.solvers.Solvers;

/**
 * The Brian2 2.5.1 golden run (test resources brian2/, with its provenance in README.md there): 1000 LIF neurons,
 * dv/dt = (I - v)/tau, tau = 10 ms, I_i = 2 i / 999, threshold v &gt; 1, reset 0, refractory 5 ms,
 * dt = 0.1 ms, 1 s, started from Brian2's initial values. Brian2 integrates the linear equation exactly,
 * checks the threshold at the end of each step and logs the spike at the step's start time.
 */
class Brian2GoldenRunTest {

    static double[] readColumn(final String resource) throws IOException {
        final List<Double> v = new ArrayList<>();
        try (BufferedReader r = reader(resource)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isBlank()) {
                    v.add(Double.parseDouble(line.trim()));
                }
            }
        }
        return v.stream().mapToDouble(Double::doubleValue).toArray();
    }

    static BufferedReader reader(final String resource) {
        return new BufferedReader(new InputStreamReader(
                Objects.requireNonNull(Brian2GoldenRunTest.class.getResourceAsStream(resource), resource),
                StandardCharsets.UTF_8));
    }

    static Model lif(final double[] v0) {
        return LifPopulation.brian2Benchmark(v0);
    }

    @Test
    void reproducesEverySpikeOfTheBrian2GoldenRun() throws IOException {
        // GIVEN Brian2's initial values and spikes
        final double[] v0 = readColumn("/brian2/lif_init_v.csv");
        final Set<Long> expected = new HashSet<>();
        try (BufferedReader r = reader("/brian2/lif_spikes_i_t.csv")) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                final String[] f = line.split(",");
                final long step = Math.round(Double.parseDouble(f[1]) / 1e-4);
                expected.add(Integer.parseInt(f[0]) * 100_000L + step);
            }
        }
        assertEquals(30_006, expected.size());

        // WHEN integrating with exponential Euler (exact for this linear equation) at dt = 0.1 ms
        final Trajectory tr = Solvers.get("exponential-euler").solve(Problem.of(lif(v0), 1000.0),
                SolveOptions.fixedStep(0.1).withRecorder(Recorder.every(1.0).of("v[0]", "v[1]")));

        // THEN every (neuron, step) pair matches; step-end events are logged at the step start, as in Brian2
        final EventLog ev = tr.events();
        final Set<Long> actual = new HashSet<>();
        for (int k = 0; k < ev.size(); k++) {
            final long step = Math.round(ev.time(k) / 0.1);
            actual.add(ev.member(k) * 100_000L + step);
        }
        final Set<Long> missing = new HashSet<>(expected);
        missing.removeAll(actual);
        final Set<Long> extra = new HashSet<>(actual);
        extra.removeAll(expected);
        assertTrue(missing.isEmpty() && extra.isEmpty(),
                "missing " + missing.size() + " " + first(missing) + ", extra " + extra.size() + " " + first(extra));
        assertEquals(30_006, ev.size());
    }

    private static String first(final Set<Long> s) {
        return s.stream().sorted().limit(5).map(x -> "(" + x / 100_000 + "," + x % 100_000 + ")").toList().toString();
    }

    @Test
    void membranePotentialTraceMatchesBrian2() throws IOException {
        // GIVEN Brian2's v of neurons 0..9 every 1 ms (10 significant digits in the file)
        final double[] v0 = readColumn("/brian2/lif_init_v.csv");
        final List<double[]> rows = new ArrayList<>();
        try (BufferedReader r = reader("/brian2/lif_v_0to9_every10.csv")) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                rows.add(java.util.Arrays.stream(line.split(",")).mapToDouble(Double::parseDouble).toArray());
            }
        }
        // WHEN recording the same neurons every 1 ms
        final Trajectory tr = Solvers.get("exponential-euler").solve(Problem.of(lif(v0), 999.0),
                SolveOptions.fixedStep(0.1).withRecorder(Recorder.every(1.0).of("v[0]", "v[5]", "v[9]")));
        // THEN the traces agree to the 10 printed digits (tolerance 1e-9 absolute on values below 1)
        assertEquals(rows.size(), tr.size());
        final double[] v5 = tr.column("v[5]");
        final double[] v9 = tr.column("v[9]");
        for (int k = 0; k < rows.size(); k++) {
            assertEquals(rows.get(k)[5], v5[k], 1e-9, "v[5] at sample " + k);
            assertEquals(rows.get(k)[9], v9[k], 1e-9, "v[9] at sample " + k);
        }
    }
}
