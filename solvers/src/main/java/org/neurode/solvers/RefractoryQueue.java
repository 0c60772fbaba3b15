package org.neurode.solvers;

/**
 * The refractory members of one event detector. All members share one refractory period, so they leave
 * in the order they entered: a FIFO queue holds the refractory members, and holding them still costs
 * O(refractory members) per step instead of O(population). Not thread-safe.
 */
final class RefractoryQueue {

    /** Per member: end of its refractory period minus the time slack; -Infinity if never refractory. */
    final double[] until;
    /** Per member: the state index whose derivative is held at zero. */
    final int[] index;
    private final int[] queue;
    private int head;
    private int count;

    RefractoryQueue(final int[] index) {
        this.index = index;
        this.until = new double[index.length];
        java.util.Arrays.fill(until, Double.NEGATIVE_INFINITY);
        this.queue = new int[index.length];
    }

    /**
     * A member fires at {@code time}: it is refractory until {@code end} (already reduced by the time
     * slack). Members whose period ended by {@code time} leave first, so a member that fires again is
     * never queued twice (callers never fire a member that is still refractory).
     */
    void enter(final int member, final double time, final double end) {
        expire(time);
        if (count == queue.length) {
            throw new IllegalStateException("refractory member " + member + " fired while refractory");
        }
        until[member] = end;
        queue[(head + count) % queue.length] = member;
        count++;
    }

    /** Drops the members whose period has ended by the accepted time {@code time}. */
    void expire(final double time) {
        while (count > 0 && until[queue[head]] <= time) {
            head = (head + 1) % queue.length;
            count--;
        }
    }

    /** @return number of queued members */
    int size() {
        return count;
    }

    /** Copies {@code from} into {@code out} for members refractory at {@code time}. */
    void hold(final double time, final double[] from, final double[] out) {
        for (int k = 0; k < count; k++) {
            final int m = queue[(head + k) % queue.length];
            if (time < until[m]) {
                out[index[m]] = from[index[m]];
            }
        }
    }

    /** Zeroes {@code a} (and {@code b} if not null) for members refractory at {@code time}. */
    void mask(final double time, final double[] a, final double[] b) {
        for (int k = 0; k < count; k++) {
            final int m = queue[(head + k) % queue.length];
            if (time < until[m]) {
                a[index[m]] = 0.0;
                if (b != null) {
                    b[index[m]] = 0.0;
                }
            }
        }
    }

    /** @return the earliest period end after {@code time}, or +Infinity */
    double nextEnd(final double time) {
        double next = Double.POSITIVE_INFINITY;
        for (int k = 0; k < count; k++) {
            final double u = until[queue[(head + k) % queue.length]];
            if (u > time) {
                next = Math.min(next, u);
                break;      // ends are queued in increasing order
            }
        }
        return next;
    }
}
