package org.neurode.solvers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.neurode.core.Model;
import org.neurode.core.OdeException;
import org.neurode.core.Problem;
import org.neurode.core.Recorder;
import org.neurode.core.Samples;
import org.neurode.core.Trajectory;
import org.neurode.core.expr.ModelBuilder;
import org.neurode.core.expr.Var;

/**
 * Several recorders per run, each with its own variables and interval; named subexpressions and ranges recorded.
 */
class MultipleRecordersTest {

    /** Solvers of each engine: fixed-step (own, with and without dense output), adaptive (own), Hipparchus. */
    private static final String[] SOLVERS = {"euler", "rk4", "exponential-euler", "tsit5", "dop853",
        "dormand-prince-853", "hipparchus-rk4"};

    /**
     * A spiking network with a plastic weight matrix, an input, a per-neuron parameter array and named
     * subexpressions of each kind: a matrix-vector product, a sum over a vector, an element-wise one using both.
     */
    static Model network() {
        final ModelBuilder b = ModelBuilder.named("recorders");
        final Var x = b.input("x", 5, "1");
        final Var v = b.vector("v", 20, "1");
        final Var w = b.matrix("W", 20, 5, "1");
        b.param("tau", 10.0);
        final double[] gain = new double[20];
        final double[] v0 = new double[20];
        final double[] w0 = new double[100];
        for (int i = 0; i < 20; i++) {
            gain[i] = 0.5 + 0.05 * i;
            v0[i] = 0.04 * i;
        }
        for (int k = 0; k < 100; k++) {
            w0[k] = 0.02 + 0.003 * (k % 7);
        }
        b.param("gain", 20, 1, gain);
        b.let("drive", "W @ x");
        b.let("mean_v", "sum(v) / 20");
        b.let("leak", "gain * (mean_v - v) / tau");
        b.ode(v, "(drive + leak - v) / tau + 0.12");
        b.ode(w, "0.001 * outer(tanh(v), x) - W / 1000");
        b.threshold(v, 1.0, 0.0, 2.0);
        return b.initial(x, 1.0).initial(v, v0).initial(w, w0).build();
    }

    private static SolveOptions options(final String solver) {
        return Solvers.get(solver).info().adaptive() ? SolveOptions.tolerances(1e-6, 1e-8)
                : SolveOptions.fixedStep(0.05);
    }

    @Test
    void addingRecordersLeavesTheMainRecordingBitIdentical() {
        for (final String solver : SOLVERS) {
            // GIVEN the network recorded by one recorder, and by the same recorder with two more of other intervals
            final Problem problem = Problem.of(network(), 40.0);
            final Recorder main = Recorder.every(0.5).of("v[0..9]", "W[3,1]");
            final Trajectory alone = Solvers.get(solver).solve(problem, options(solver).withRecorder(main));
            final Trajectory together = Solvers.get(solver).solve(problem, options(solver).withRecorder(main)
                    .addRecorder(Recorder.every(0.1).of("v[3]", "leak[0..2]").named("fast"))
                    .addRecorder(Recorder.every(2.0).of("W").named("slow")));
            // THEN the main samples, the events and the final state are the same to the last bit (the extra
            // recorders only read the state; a shared interpolated sample must not change anything)
            assertArrayEquals(alone.times(), together.times(), solver);
            assertEquals(alone.columnNames(), together.columnNames(), solver);
            for (int j = 0; j < alone.columnNames().size(); j++) {
                assertArrayEquals(alone.column(j), together.column(j), solver + " " + alone.columnNames().get(j));
            }
            assertArrayEquals(alone.events().times(), together.events().times(), solver);
            assertArrayEquals(alone.finalState(), together.finalState(), solver);
            assertTrue(alone.eventCount() > 5, solver + ": the network spikes (" + alone.eventCount() + ")");
            assertEquals(List.of("default", "fast", "slow"), together.recordingNames());
        }
    }

    @Test
    void eachRecorderKeepsItsOwnVariablesAndInterval() {
        for (final String solver : SOLVERS) {
            // GIVEN v of 10 neurons every 0.1 and W every 2 time units as two named recorders
            final Problem problem = Problem.of(network(), 40.0);
            final Trajectory t = Solvers.get(solver).solve(problem, options(solver)
                    .withRecorder(Recorder.every(0.1).of("v[0..9]").named("v"))
                    .addRecorder(Recorder.every(2.0).of("W[0..1, 1]").named("w")));
            // THEN each has its own times and columns
            final Samples v = t.recording("v");
            final Samples w = t.recording("w");
            assertEquals(401, v.size(), solver);
            assertEquals(21, w.size(), solver);
            assertEquals(10, v.columns());
            assertEquals(List.of("W[0,1]", "W[1,1]"), w.columnNames());
            assertEquals(38.0, w.time(19), 1e-12);
            // AND each equals what that recorder records when it is the only one (to the last bit)
            final Trajectory alone = Solvers.get(solver).solve(problem, options(solver)
                    .withRecorder(Recorder.every(2.0).of("W[0..1, 1]").named("w")));
            assertArrayEquals(alone.column("W[1,1]"), w.column("W[1,1]"), solver);
        }
    }

    @Test
    void namedSubexpressionsAreComputedFromTheRecordedState() {
        for (final String solver : SOLVERS) {
            // GIVEN the whole state and every named subexpression recorded every 0.25
            final Model m = network();
            final Trajectory t = Solvers.get(solver).solve(Problem.of(m, 20.0), options(solver)
                    .withRecorder(Recorder.every(0.25).of("v", "W", "x"))
                    .addRecorder(Recorder.every(0.25).of("drive", "mean_v", "leak[5..7]").named("lets")));
            final Samples lets = t.recording("lets");
            assertEquals(List.of("drive[0]", "drive[1]"), lets.columnNames().subList(0, 2));
            assertEquals("mean_v", lets.columnNames().get(20));
            assertEquals("leak[7]", lets.columnNames().get(23));
            // THEN each equals the expression evaluated here from the recorded state (same operations in the same
            // order, so the same to the last bit except the sum, whose order is the generated loop's: the same
            // left-to-right order, so exact too)
            for (int k = 0; k < t.size(); k++) {
                double sum = 0.0;
                for (int i = 0; i < 20; i++) {
                    sum += t.value(k, i);
                }
                final double mean = sum / 20;
                assertEquals(mean, lets.value(k, 20), 0.0, solver + " mean_v at sample " + k);
                for (int i = 0; i < 20; i++) {
                    double drive = 0.0;
                    for (int c = 0; c < 5; c++) {
                        drive += t.value(k, 20 + i * 5 + c) * t.value(k, 120 + c);
                    }
                    assertEquals(drive, lets.value(k, i), 0.0, solver + " drive[" + i + "] at sample " + k);
                }
                for (int i = 5; i <= 7; i++) {
                    final double leak = (0.5 + 0.05 * i) * (mean - t.value(k, i)) / 10.0;
                    assertEquals(leak, lets.value(k, 21 + i - 5), 0.0, solver + " leak[" + i + "] at sample " + k);
                }
            }
        }
    }

    @Test
    void badReferencesAndNamesAreErrorsNamingThem() {
        final Problem problem = Problem.of(network(), 1.0);
        final SolveOptions o = SolveOptions.fixedStep(0.1);
        final Solver euler = Solvers.get("euler");
        OdeException e = assertThrows(OdeException.class,
                () -> euler.solve(problem, o.withRecorder(Recorder.every(0.5).of("v[0..20]"))));
        assertEquals("recorded variable 'v[0..20]': index 20 is out of range: 'v' has 20 elements, indices 0 to 19",
                e.getMessage());
        e = assertThrows(OdeException.class,
                () -> euler.solve(problem, o.withRecorder(Recorder.every(0.5).of("W[0..1, 5]"))));
        assertEquals("recorded variable 'W[0..1, 5]': index 5 is out of range: 'W' (20x5) has 5 columns, indices 0 "
                + "to 4", e.getMessage());
        e = assertThrows(OdeException.class,
                () -> euler.solve(problem, o.withRecorder(Recorder.every(0.5).of("v[4..2]"))));
        assertEquals("recorded variable 'v[4..2]': the range 4..2 is empty (2 < 4)", e.getMessage());
        e = assertThrows(OdeException.class,
                () -> euler.solve(problem, o.withRecorder(Recorder.every(0.5).of("leak[x]"))));
        assertTrue(e.getMessage().startsWith("recorded variable 'leak[x]': 'x' is not an index or a range"),
                e.getMessage());
        e = assertThrows(OdeException.class,
                () -> euler.solve(problem, o.withRecorder(Recorder.every(0.5).of("drve"))));
        assertTrue(e.getMessage().contains("'drve'") && e.getMessage().contains("drive, mean_v, leak"),
                e.getMessage());
        e = assertThrows(OdeException.class, () -> o.withRecorder(Recorder.every(0.5).named("a"))
                .addRecorder(Recorder.every(1.0).named("a")));
        assertEquals("two recorders are named 'a': give each its own name (Recorder.named)", e.getMessage());
        e = assertThrows(OdeException.class, () -> Recorder.every(1.0).named("a/b"));
        assertTrue(e.getMessage().startsWith("recorder name 'a/b'"), e.getMessage());
        final Trajectory t = euler.solve(problem, o.withRecorder(Recorder.every(0.5).of("v[0]")));
        e = assertThrows(OdeException.class, () -> t.recording("fast"));
        assertEquals("no recorder is named 'fast'; recorders: default", e.getMessage());
    }
}
