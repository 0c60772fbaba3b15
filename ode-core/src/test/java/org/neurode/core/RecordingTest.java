package org.neurode.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;

import org.junit.jupiter.api.Test;

/** A recording's columns (ranges, inputs, named subexpressions) and its reserved room. */
class RecordingTest {

    private static final StateLayout LAYOUT = StateLayout.builder().vector("v", 4, "mV", 1.0)
            .matrix("W", 2, 3, "1", 1.0).build();
    private static final StateLayout INPUTS = StateLayout.builder().input("I", 2, "1").build();

    /** One named subexpression {@code k} (2x2): element (r, c) = 100 t + 10 r + c + y[0]. */
    private static final class Lets implements LetValues {
        int prepared;

        @Override
        public int count() {
            return 1;
        }

        @Override
        public String name(final int id) {
            return "k";
        }

        @Override
        public int rows(final int id) {
            return 2;
        }

        @Override
        public int cols(final int id) {
            return 2;
        }

        @Override
        public void prepare(final double t, final double[] y) {
            prepared++;
        }

        @Override
        public double value(final int id, final int row, final int col, final double t, final double[] y) {
            return 100 * t + 10 * row + col + y[0];
        }
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    @Test
    void rangesInputsAndNamedSubexpressionsAreColumns() {
        final double[] inputs = {7.0, 8.0};
        final Lets lets = new Lets();
        final Recording r = new Recording(Recorder.every(1.0).of("v[1..2]", "W[0..1, 2]", "W[1, 0..1]", "I[1]",
                "k[1, 0..1]", "W[4]"), LAYOUT, INPUTS, inputs, () -> lets, 0.0);
        final double[] y = {0, 1, 2, 3, 10, 11, 12, 13, 14, 15};
        r.sample(0.0, y);
        assertEquals(List.of("v[1]", "v[2]", "W[0,2]", "W[1,2]", "W[1,0]", "W[1,1]", "I[1]", "k[1,0]", "k[1,1]",
                "W[1,1]"), List.of(r.names()));
        assertArrayEquals(new double[] {1, 2, 12, 15, 13, 14, 8, 10, 11, 14}, r.data());
        assertEquals(1, lets.prepared, "prepared once per sample");
    }

    @Test
    void namedSubexpressionsAreAskedForOnlyWhenNamed() {
        final Recording r = new Recording(Recorder.every(1.0).of("v"), LAYOUT, INPUTS, new double[2], () -> {
            throw new AssertionError("compiled although no let is recorded");
        }, 0.0);
        assertEquals(4, r.columns());
    }

    @Test
    void reservedRoomTakesTheRunsSamplesWithoutAllocating() {
        // GIVEN a recording of 6 columns every 0.5 over 10,000 time units, its room reserved
        final Recording r = new Recording(Recorder.every(0.5).of("v", "W[0..1, 0]"), LAYOUT, 0.0);
        assertEquals(20_002, r.expectedSamples(10_000.0));
        r.reserve((int) r.expectedSamples(10_000.0));
        final double[] y = new double[LAYOUT.dimension()];
        // WHEN the samples are taken (a warm-up of 1,000 first: the loop compiled)
        for (int k = 0; k < 1000; k++) {
            y[0] = k;
            r.sample(0.5 * k, y);
        }
        final long before = allocatedBytes();
        for (int k = 1000; k <= 20_000; k++) {
            y[0] = k;
            r.sample(0.5 * k, y);
        }
        final long bytes = allocatedBytes() - before;
        // THEN nothing was allocated (growing the store by doubling would allocate over 1.9 MB: 2 x 20,001 x 6 x 8)
        assertTrue(bytes < 10_000, bytes + " bytes");
        assertEquals(20_001, r.size());
        assertEquals(20_000.0, r.data()[6 * 20_000], 0.0);
    }

    /** A projection of 5 synapses with variables w (value 10 k + 1 for synapse k) and A (changed by the test). */
    private static final class Synapses implements Projection {
        final double[] a = new double[5];

        @Override
        public String name() {
            return "S";
        }

        @Override
        public String sourceEvent() {
            return "spike";
        }

        @Override
        public List<String> variables() {
            return List.of("w", "A");
        }

        @Override
        public double value(final int variable, final int synapse) {
            return variable == 0 ? 10 * synapse + 1 : a[synapse];
        }

        @Override
        public int synapses() {
            return 5;
        }

        @Override
        public int source(final int k) {
            return 0;
        }

        @Override
        public int target(final int k) {
            return k;
        }

        @Override
        public boolean delayed() {
            return false;
        }

        @Override
        public double[] initialValues(final String variable) {
            return null;
        }

        @Override
        public Projection bind(final Parameters parameters, final double[] inputs, final double step) {
            return this;
        }

        @Override
        public void spike(final int member, final double t, final double[] y) {
        }

        @Override
        public boolean deliver(final double t, final double[] y) {
            return false;
        }
    }

    private static Recording synapseRecording(final Synapses s, final String... names) {
        return new Recording(Recorder.every(1.0).of(names), LAYOUT, INPUTS, new double[2], () -> null, List.of(s),
                0.0);
    }

    @Test
    void synapseVariablesAreColumnsReadAsStoredAtEachSample() {
        // GIVEN a recording of synapses 1..3 of w, synapse 4 of A, all of A and a state element
        final Synapses s = new Synapses();
        final Recording r = synapseRecording(s, "S.w[1..3]", "S.A[4]", "v[0]", "S.A");
        final double[] y = new double[LAYOUT.dimension()];
        // WHEN sampled twice, A changed in between (as statements change it)
        r.sample(0.0, y);
        s.a[4] = 0.5;
        s.a[0] = -2.0;
        y[0] = 3.0;
        r.sample(1.0, y);
        // THEN the columns are named after the projection, variable and synapse, and hold the values at each sample
        assertEquals(List.of("S.w[1]", "S.w[2]", "S.w[3]", "S.A[4]", "v[0]", "S.A[0]", "S.A[1]", "S.A[2]",
                "S.A[3]", "S.A[4]"), List.of(r.names()));
        assertArrayEquals(new double[] {11, 21, 31, 0, 0, 0, 0, 0, 0, 0, 11, 21, 31, 0.5, 3, -2, 0, 0, 0, 0.5},
                r.data());
    }

    @Test
    void unknownProjectionsVariablesAndSynapsesAreErrorsNamingThem() {
        final Synapses s = new Synapses();
        assertEquals("recorded variable 'T.w': the model has no projection 'T'; its projections: S",
                assertThrows(OdeException.class, () -> synapseRecording(s, "T.w")).getMessage());
        assertEquals("recorded variable 'S.x[0]': projection 'S' has no synapse variable 'x'; its synapse "
                + "variables: w, A", assertThrows(OdeException.class, () -> synapseRecording(s, "S.x[0]"))
                .getMessage());
        assertEquals("recorded variable 'S.w[2..5]': index 5 is out of range: projection 'S' has 5 synapses, "
                + "indices 0 to 4", assertThrows(OdeException.class, () -> synapseRecording(s, "S.w[2..5]"))
                .getMessage());
        assertTrue(assertThrows(OdeException.class, () -> synapseRecording(s, "S.w[0, 1]")).getMessage()
                .contains("the synapses of a projection take one"));
        assertEquals("recorded variable 'S.w': the model has no projection 'S' (it has no projections)",
                assertThrows(OdeException.class, () -> new Recording(Recorder.every(1.0).of("S.w"), LAYOUT, 0.0))
                        .getMessage());
    }
}
