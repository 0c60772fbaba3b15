package org.neurode.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.neurode.core.EventLog;
import org.neurode.core.Model;
import org.neurode.core.Problem;
import org.neurode.core.Recorder;
import org.neurode.core.io.ArrayFile;
import org.neurode.core.expr.ModelBuilder;
import org.neurode.core.expr.ModelFile;
import org.neurode.core.spec.ConnectSpec;
import org.neurode.core.spec.ModelSpec;
import org.neurode.core.spec.ProjectionSpec;
import org.neurode.core.spec.ValueSpec;
import org.neurode.core.spec.VariableSpec;
import org.neurode.solvers.SolveOptions;
import org.neurode.solvers.Solvers;

/**
 * Issue 14: the CUBA network of Brette et al. (2007), {@code examples/models/cuba.ode}, against Brian2 2.5.1 (test
 * resources golden/cuba, written by make_cuba.py there): forward Euler at dt = 0.1 ms for 1 s, 4000 neurons,
 * 319,765 synapses.
 */
class CubaGoldenTest {

    static final Path CUBA = Path.of("..", "examples", "models", "cuba.ode");
    private static final Path GOLDEN = Path.of("src", "test", "resources", "golden", "cuba");
    private static final int N = 4000;
    private static final int STEPS = 10_000;

    /** The CSR arrays of make_cuba.py as explicit (i, j) pairs. */
    private static ConnectSpec connections(final String prefix, final int sources) {
        final double[] start = ArrayFile.read(GOLDEN.resolve(prefix + "_start.npy"), sources + 1, 1);
        final int n = (int) start[sources];
        final double[] j = ArrayFile.read(GOLDEN.resolve(prefix + "_j.npy"), n, 1);
        final int[] pre = new int[n];
        final int[] post = new int[n];
        for (int i = 0; i < sources; i++) {
            for (int k = (int) start[i]; k < (int) start[i + 1]; k++) {
                pre[k] = i;
                post[k] = (int) j[k];
            }
        }
        return ConnectSpec.arrays(pre, post);
    }

    /** cuba.ode with Brian2's initial v and synapses. */
    static Model brian2Network() throws java.io.IOException {
        final ModelSpec spec = ModelFile.document(java.nio.file.Files.readString(CUBA), "cuba.ode", "cuba").model();
        final List<VariableSpec> vars = new ArrayList<>();
        for (final VariableSpec v : spec.variables()) {
            vars.add("v".equals(v.name())
                    ? v.withInitial(new ValueSpec.Values(ArrayFile.read(GOLDEN.resolve("v0.npy"), N, 1))) : v);
        }
        ModelSpec s = spec.withLists(vars, spec.parameters(), spec.noise());
        final List<ProjectionSpec> ps = new ArrayList<>();
        for (final ProjectionSpec p : spec.projections()) {
            ps.add(new ProjectionSpec(p.name(), p.source(), p.sourceFrom(), p.sourceTo(), p.event(), p.target(),
                    p.targetFrom(), p.targetTo(), connections("Ce".equals(p.name()) ? "e" : "i",
                    "Ce".equals(p.name()) ? 3200 : 800), p.variables(), p.onPre(), p.delay()));
        }
        s = new ModelSpec(s.name(), s.timeUnit(), s.variables(), s.parameters(), s.lets(), s.equations(), s.noise(),
                s.thresholds(), s.events(), s.populations(), ps);
        return ModelBuilder.from(s).build();
    }

    static EventLog run(final Model m) {
        return Solvers.get("euler").solve(Problem.of(m, 1000.0), SolveOptions.fixedStep(0.1)
                .withRecorder(Recorder.every(1000.0).of("v"))).events();
    }

    @Test
    void ownSynapsesAndInitialValuesGiveBrian2sMeanRate() throws java.io.IOException {
        // GIVEN Brian2's spike counts of the network with its own synapses and initial v, seeds 1 to 72: mean
        // 22,549 (5.64 Hz per neuron), standard deviation 1,031 (4.6%) from one realisation to the next, so a
        // single realisation says little and the mean rate is compared over many
        final List<double[]> rows = new ArrayList<>();
        for (final String line : java.nio.file.Files.readAllLines(GOLDEN.resolve("rates.csv"))) {
            if (!line.isBlank() && Character.isDigit(line.charAt(0))) {
                rows.add(java.util.Arrays.stream(line.split(",")).mapToDouble(Double::parseDouble).toArray());
            }
        }
        assertEquals(72, rows.size());
        final double brian2 = rows.stream().mapToDouble(r -> r[1]).average().orElseThrow();
        // WHEN neurode runs examples/models/cuba.ode with its own synapses and initial v, seeds 1 to 24
        final ModelSpec spec = ModelFile.document(java.nio.file.Files.readString(CUBA), "cuba.ode", "cuba").model();
        double sum = 0;
        for (int seed = 1; seed <= 24; seed++) {
            sum += run(ModelBuilder.from(spec).seed(seed).build()).size();
        }
        final double neurode = sum / 24;
        // THEN the mean rates agree within 2%. Measured: neurode 22,367 over these 24 seeds (22,470 over 72),
        // -0.8% (-0.35%); the standard error of the difference of the means is 0.94% (standard deviations 840 and
        // 1,031 over 24 and 72 realisations), so 2% is 2.1 standard errors; a connection probability 5% off moves
        // neurode's mean over these seeds by more (measured: p = 0.021 gives 21,894, -2.1%; p = 0.019 gives 23,100,
        // +3.3%)
        assertEquals(brian2, neurode, 0.02 * brian2, "neurode " + neurode + ", Brian2 " + brian2);
    }

    @Test
    void spikesEqualBrian2sWithItsConnectivity() throws java.io.IOException {
        // GIVEN Brian2's spikes (neuron, step), in its order (by step, neurons increasing within a step)
        final double[] golden = ArrayFile.read(GOLDEN.resolve("spikes.npy"), 2, 22650);
        // WHEN neurode runs the network with Brian2's synapses and initial v
        final EventLog ev = run(brian2Network());
        // THEN the spikes agree
        int same = 0;
        final int n = Math.min(ev.size(), 22650);
        while (same < n && ev.member(same) == (int) golden[same]
                && Math.round(ev.time(same) / 0.1) == (long) golden[22650 + same]) {
            same++;
        }
        assertEquals(22650, ev.size(), "spike count; first difference at spike " + same
                + (same < n ? " (neurode " + ev.member(same) + " at step " + Math.round(ev.time(same) / 0.1)
                + ", Brian2 " + (int) golden[same] + " at step " + (long) golden[22650 + same] + ")" : ""));
        assertEquals(22650, same);
    }
}
