package org.neurode.solvers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.neurode.core.OdeException;
import org.neurode.core.Problem;
import org.neurode.core.Recorder;
import org.neurode.core.Samples;
import org.neurode.core.Trajectory;
import org.neurode.core.expr.ModelBuilder;
import org.neurode.core.expr.Var;
import org.neurode.core.spec.ConnectSpec;
import org.neurode.core.spec.PopulationSpec;
import org.neurode.core.spec.ProjectionSpec;
import org.neurode.core.spec.SynapseVariableSpec;

/**
 * Issue 14: recorders of per-synapse variables ({@code C.A[0]}, Brian2's {@code StateMonitor(synapses, 'A',
 * record=[0])}) read the values as stored: an event-driven variable as of its synapse's last update.
 */
class SynapseRecordingTest {

    /**
     * A spike generator (one member, spikes at 0 and 0.5) onto two neurons: on_pre {@code A += 1; n += 1}, A
     * event-driven with tau = 2, n a plain counter, w = 3 + j fixed.
     */
    private static ModelBuilder model() {
        final ModelBuilder b = ModelBuilder.named("syn");
        b.param("tau", 2.0);
        final Var s = b.vector("s", 2, "");
        b.ode(s, "0 * s");
        b.population(new PopulationSpec("T", 2, List.of("s")));
        b.population(PopulationSpec.generator("in", 1, new int[2], new double[] {0.0, 0.5}));
        b.projection(ProjectionSpec.of("C", "in", "T", ConnectSpec.ALL, "A += 1; n += 1")
                .withVariable(SynapseVariableSpec.eventDriven("A", "-A / tau", ""))
                .withVariable(SynapseVariableSpec.of("n", "0", ""))
                .withVariable(SynapseVariableSpec.of("w", "3 + j", "")));
        return b;
    }

    @Test
    void eventDrivenAndPlainSynapseVariablesAreRecordedAsStored() {
        for (final String solver : new String[] {"euler", "rk4"}) {
            // WHEN the synapse variables are recorded every step (0.1) by a second recorder
            final Trajectory tr = Solvers.get(solver).solve(Problem.of(model().build(), 1.0),
                    SolveOptions.fixedStep(0.1).withRecorder(Recorder.every(0.5).of("s"))
                            .addRecorder(Recorder.every(0.1).of("C.A[1]", "C.n", "C.w").named("syn")));
            final Samples syn = tr.recording("syn");
            assertEquals(List.of("C.A[1]", "C.n[0]", "C.n[1]", "C.w[0]", "C.w[1]"), syn.columnNames());
            final double[] a = syn.column("C.A[1]");
            final double[] n = syn.column("C.n[0]");
            assertEquals(11, a.length);
            for (int k = 0; k < a.length; k++) {
                // THEN before the first spike acts (the sample at 0) A and n are 0; from the step of the first spike
                // to that of the second A is 1 as stored, not decayed (Brian2 records the stored value too); then
                // 1 decayed exactly over 0.5 plus 1 (the same operations as the formula: bit-identical)
                final double expectedA = k == 0 ? 0 : k <= 5 ? 1 : Math.exp(-0.5 / 2.0) + 1;
                assertEquals(expectedA, a[k], 0.0, solver + ", A at sample " + k);
                assertEquals(k == 0 ? 0 : k <= 5 ? 1 : 2, n[k], 0.0, solver + ", n at sample " + k);
                assertEquals(4.0, syn.column("C.w[1]")[k], 0.0);
            }
        }
    }

    @Test
    void badSynapseReferencesAreErrorsWhenTheRunStarts() {
        final Problem problem = Problem.of(model().build(), 1.0);
        final OdeException e = assertThrows(OdeException.class, () -> Solvers.get("euler").start(problem,
                SolveOptions.fixedStep(0.1).withRecorder(Recorder.every(0.1).of("C.A[2]"))));
        assertEquals("recorded variable 'C.A[2]': index 2 is out of range: projection 'C' has 2 synapses, indices 0 "
                + "to 1", e.getMessage());
        final OdeException f = assertThrows(OdeException.class, () -> Solvers.get("tsit5").start(problem,
                SolveOptions.tolerances(1e-6, 1e-6).withRecorder(Recorder.every(0.1).of("D.A"))));
        assertTrue(f.getMessage().contains("no projection 'D'; its projections: C"), f.getMessage());
    }
}
