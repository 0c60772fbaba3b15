package org.neurode.solvers;

import java.lang.management.ManagementFactory;

/**
 * Measures what a running simulation allocates per window of 100 segments of 10 time units, for the allocation
 * tests. The quietest of several windows counts, the first quiet one ending the measurement: in the shared test JVM
 * a SIMD kernel recompiled by C2 (after a speculation failed, e.g. a loop predicate when another test's model gave
 * it a new length) can run in C1 for seconds while the compiler is busy with other tests' generated classes, and
 * C1 code allocates the Vector API's values. That is the JIT, not the code: code that allocates per step allocates
 * in every window.
 */
final class AllocationWindows {

    private AllocationWindows() {
    }

    /** @return the bytes the calling thread has allocated so far */
    static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    /**
     * @param sim     the simulation, advanced to {@code 10 * after} time units
     * @param after   segments advanced so far
     * @param windows windows measured at most (the problem must span them)
     * @param quiet   bytes below which a window is quiet
     * @return the bytes of the quietest window
     */
    static long quietest(final Simulation sim, final int after, final int windows, final long quiet) {
        long fewest = Long.MAX_VALUE;
        for (int w = 0; w < windows && fewest >= quiet; w++) {
            final long before = allocatedBytes();
            for (int k = after + 100 * w + 1; k <= after + 100 * (w + 1); k++) {
                sim.advanceTo(10.0 * k);
            }
            fewest = Math.min(fewest, allocatedBytes() - before);
        }
        return fewest;
    }
}
