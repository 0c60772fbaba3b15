package org.neurode.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.neurode.core.EventLog;
import org.neurode.core.Model;
import org.neurode.core.Problem;
import org.neurode.core.Recorder;
import org.neurode.core.Trajectory;
import org.neurode.core.expr.ModelBuilder;
import org.neurode.core.spec.ConnectSpec;
import org.neurode.core.spec.PopulationSpec;
import org.neurode.core.spec.ProjectionSpec;
import org.neurode.models.burst.BurstNeuron;
import org.neurode.models.burst.Interneuron;
import org.neurode.solvers.SolveOptions;
import org.neurode.solvers.Solvers;

/**
 * The neurons of the burst-multiplexing circuit (Payeur, Guerguiev, Zenke, Richards and Naud 2021, Nat. Neurosci.
 * 24:1010), written as model-language fragments ({@link BurstNeuron}, {@link Interneuron}), against an independent
 * implementation of the same equations in Brian2 2.5.1 (test resources golden/burst, written by make_burst.py
 * there, whose docstring gives the protocol): forward Euler at 0.1 ms, Brian2's clock (update, thresholds, resets).
 *
 * <p>Two differences of schedule are known and mapped, not tolerated: the golden run fires its event and burst
 * classes in Brian2's {@code after_resets} slot, in the step of the spike, while neurode's classification events
 * fire on flags set by the spike's reset, at the end of the next step (0.1 ms later); and the drives switch at whole
 * steps there, here at times half a step before them (so that the switching does not depend on how k x 0.1 rounds).
 */
class BurstNeuronGoldenTest {

    private static final double DT = 0.1;

    /** Between a and b ms, as whole steps: on in the steps starting at a ... b - dt. */
    private static String window(final double a, final double b) {
        return "(t >= " + (a - DT / 2) + ") * (t < " + (b - DT / 2) + ")";
    }

    private static Model naud() {
        final ModelBuilder b = ModelBuilder.named("naud-golden");
        b.add(BurstNeuron.parameters(BurstNeuron.PAYEUR_2021));
        final String is = "700 * " + window(100, 400) + " + 300 * " + window(600, 900);
        final String id = "1000 * (" + window(250, 260) + " + " + window(350, 360) + ") + 800 * (" + window(650, 670)
                + " + " + window(750, 770) + " + " + window(850, 870) + ")";
        b.add(BurstNeuron.population("N", 2, is, id, "EL", "", List.of()));
        b.population(PopulationSpec.generator("in", 3, new int[] {0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2},
                new double[] {150, 470, 480, 650, 150, 300, 660, 820, 200, 320, 700, 850}));
        b.projection(ProjectionSpec.of("exc", "in", "N", ConnectSpec.arrays(new int[] {0, 1}, new int[] {1, 1}),
                "N_gAS += 0.5; N_gAD += 0.3"));
        b.projection(ProjectionSpec.of("inh", "in", "N", ConnectSpec.arrays(new int[] {2}, new int[] {1}),
                "N_gGS += 0.5; N_gGD += 0.3"));
        return b.build();
    }

    private static Trajectory runNaud() {
        return Solvers.get("euler").solve(Problem.of(naud(), 1000.0), SolveOptions.fixedStep(DT).withRecorder(
                Recorder.every(1.0).of("N_vs", "N_vd", "N_ws", "N_wd", "N_theta", "N_gAS", "N_gAD", "N_gGS",
                        "N_gGD")));
    }

    /** The steps of one kind and neuron in a golden spike file (kind, neuron, step, t). */
    private static long[] goldenSteps(final String kind, final int neuron) throws IOException {
        final List<Long> out = new ArrayList<>();
        try (BufferedReader r = Brian2GoldenRunTest.reader("/golden/burst/naud_spikes.csv")) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                final String[] f = line.split(",");
                if (f.length == 4 && f[0].equals(kind) && f[1].equals(Integer.toString(neuron))) {
                    out.add(Long.parseLong(f[2]));
                }
            }
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    private static long[] steps(final EventLog ev, final String kind, final int neuron, final long shift) {
        final double[] t = ev.times(kind);
        final int[] m = ev.members(kind);
        final List<Long> out = new ArrayList<>();
        for (int k = 0; k < t.length; k++) {
            if (m[k] == neuron) {
                out.add(Math.round(t[k] / DT) - shift);
            }
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    @Test
    void burstNeuronsSpikeAndBurstOnBrian2sSteps() throws IOException {
        // GIVEN Brian2's spikes, events and bursts of the two neurons (39 spikes, 15 events, 11 bursts)
        // WHEN the fragments run with the same method, step and drive
        final EventLog ev = runNaud().events();
        for (int neuron = 0; neuron < 2; neuron++) {
            // THEN every spike is on the same step
            assertArrayEquals(goldenSteps("spike", neuron), steps(ev, "N", neuron, 0), "spikes of neuron " + neuron);
            // AND every event and burst is classified alike (one step later here, see the class comment)
            assertArrayEquals(goldenSteps("event", neuron), steps(ev, "N_event", neuron, 1), "events " + neuron);
            assertArrayEquals(goldenSteps("burst", neuron), steps(ev, "N_burst", neuron, 1), "bursts " + neuron);
        }
        assertTrue(goldenSteps("burst", 0).length >= 5 && goldenSteps("event", 1).length >= 5,
                "the protocol exercises both classes");
    }

    @Test
    void burstNeuronTracesFollowBrian2s() throws IOException {
        // GIVEN Brian2's state every 1 ms (t, neuron, vs, vd, ws, wd, theta, gAS, gAD, gGS, gGD)
        final List<double[]> golden = AdexGoldenTest.csv("/golden/burst/naud_trace.csv");
        assertEquals(2000, golden.size());
        // WHEN the fragments run
        final Trajectory tr = runNaud();
        final String[] vars = {"N_vs", "N_vd", "N_ws", "N_wd", "N_theta", "N_gAS", "N_gAD", "N_gGS", "N_gGD"};
        // THEN every sample agrees to 1e-9 in absolute terms (mV; 1 for ws and the conductances). Both sides do the
        // same forward-Euler arithmetic on the same steps with the same spikes; what differs is the order of the
        // additions inside the right-hand sides (rounding of 1e-14 mV), which the dynamics carry over 1 s without
        // amplifying beyond 1e-11 (measured: largest difference 1.4e-12)
        for (final double[] row : golden) {
            final int sample = (int) Math.round(row[0]);
            final int neuron = (int) row[1];
            for (int v = 0; v < vars.length; v++) {
                final double mine = tr.column(vars[v] + "[" + neuron + "]")[sample];
                assertEquals(row[2 + v], mine, 1e-9, vars[v] + "[" + neuron + "] at " + row[0] + " ms");
            }
        }
    }

    private static Trajectory runAdex() {
        final ModelBuilder b = ModelBuilder.named("adex-golden");
        b.add(BurstNeuron.parameters(BurstNeuron.PAYEUR_2021));
        b.add(Interneuron.parameters(Interneuron.PV));
        b.add(Interneuron.parameters(Interneuron.SST));
        b.add(Interneuron.population("PVn", Interneuron.PV, 1, "205 + 100 * " + window(200, 400), "PV_EL", "",
                List.of()));
        b.add(Interneuron.population("SSTn", Interneuron.SST, 1, "40", "SST_EL", "", List.of()));
        return Solvers.get("euler").solve(Problem.of(b.build(), 500.0), SolveOptions.fixedStep(DT).withRecorder(
                Recorder.every(1.0).of("PVn_v", "PVn_w", "SSTn_v", "SSTn_w")));
    }

    @Test
    void interneuronsSpikeOnBrian2sSteps() throws IOException {
        // GIVEN Brian2's spikes of the PV (neuron 0) and SST (neuron 1) cells and their traces every 1 ms
        final List<double[]> spikes = AdexGoldenTest.csv("/golden/burst/adex_pv_sst_spikes.csv");
        final List<double[]> trace = AdexGoldenTest.csv("/golden/burst/adex_pv_sst_trace.csv");
        // WHEN the fragments run
        final Trajectory tr = runAdex();
        // THEN the spikes are on the same steps
        for (int neuron = 0; neuron < 2; neuron++) {
            final int n = neuron;
            final long[] expected = spikes.stream().filter(r -> r[0] == n).mapToLong(r -> (long) r[1]).toArray();
            assertArrayEquals(expected, steps(tr.events(), n == 0 ? "PVn" : "SSTn", 0, 0), "neuron " + neuron);
        }
        // AND v and w agree to 1e-9 (mV, pA) at every sample: the same Euler arithmetic (see the traces test)
        for (final double[] row : trace) {
            final int sample = (int) Math.round(row[0]);
            final String p = row[1] == 0 ? "PVn" : "SSTn";
            assertEquals(row[2], tr.column(p + "_v")[sample], 1e-9, p + " v at " + row[0]);
            assertEquals(row[3], tr.column(p + "_w")[sample], 1e-9, p + " w at " + row[0]);
        }
    }
}
