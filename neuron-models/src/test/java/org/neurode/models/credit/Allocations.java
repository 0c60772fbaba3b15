package org.neurode.models.credit;

import java.lang.management.ManagementFactory;

/** The bytes this thread has allocated, for the learners' no-allocation tests. */
final class Allocations {

    private Allocations() {
    }

    /** @return the bytes allocated by the current thread so far */
    static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getThreadAllocatedBytes(Thread.currentThread().getId());
    }
}
