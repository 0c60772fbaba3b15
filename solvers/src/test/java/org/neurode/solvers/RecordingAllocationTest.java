package org.neurode.solvers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;

import org.junit.jupiter.api.Test;
import org.neurode.core.Problem;
import org.neurode.core.Recorder;

/**
 * Recording allocates nothing per sample: several recorders, named subexpressions (a sum, a matrix-vector product, an
 * element-wise one) and ranges, with room for the run's samples reserved when it starts.
 */
class RecordingAllocationTest {

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    /** Windows measured at most (12,000 time units with the warm-up's 2,000: the span of the problem). */
    private static final int WINDOWS = 12;

    @Test
    void recordingSeveralRecordersAndNamedSubexpressionsAllocatesNothingPerSample() {
        for (final String name : new String[] {"euler", "rk4", "tsit5"}) {
            // GIVEN the spiking network of MultipleRecordersTest recorded by two recorders, one of them every 0.2
            // (every other step) with lets, over a span known when the run starts (14,000 time units: room for
            // 70,001 samples of 9 columns is reserved)
            final SolveOptions base = Solvers.get(name).info().adaptive()
                    ? SolveOptions.tolerances(1e-6, 1e-6).withMaxStep(0.1) : SolveOptions.fixedStep(0.1);
            final Simulation sim = Solvers.get(name).start(Problem.of(MultipleRecordersTest.network(), 14000.0),
                    base.withRecorder(Recorder.every(1.0).of("W[0..1, 1]"))
                        .addRecorder(Recorder.every(0.2).of("v[0..3]", "mean_v", "drive[2..4]", "leak[1]")
                                .named("fast")));
            for (int k = 1; k <= 200; k++) {
                sim.advanceTo(10.0 * k);
            }
            // WHEN advancing 1,000 time units (5,000 samples of 9 columns, 10,000 or more steps), the quietest of up
            // to WINDOWS such windows (see AllocationTest: a JIT deoptimization or the spike log's doubling may fall
            // into one window, and on a busy machine the JIT compiles later: code not yet compiled by C2 allocates
            // the SIMD kernels' vectors; the first quiet window ends the measurement)
            long fewest = Long.MAX_VALUE;
            for (int w = 0; w < WINDOWS && fewest >= 20_000; w++) {
                final long before = allocatedBytes();
                for (int k = 201 + 100 * w; k <= 200 + 100 * (w + 1); k++) {
                    sim.advanceTo(10.0 * k);
                }
                fewest = Math.min(fewest, allocatedBytes() - before);
            }
            // THEN almost nothing was allocated: under 4 bytes per sample; one boxed double per sample would be
            // 80,000 bytes, growing the sample store (without the reserved room) 360,000 or more
            assertTrue(fewest < 20_000, name + " allocated " + fewest + " bytes over 5,000 samples");
        }
    }
}
