package org.neurode.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
