package org.neurode.solvers;

/**
 * The refractory members of one event detector. When all members share one refractory period they leave in the
 * order they entered: a FIFO queue holds them, and holding them still costs O(refractory members) per step
 * instead of O(population). Members with periods of their own are kept in an unordered list instead (removal
 * by swapping with the last). Not thread-safe.
 */
final class RefractoryQueue {

    /** Per member: end of its refractory period minus the time slack; -Infinity if never refractory. */
    final double[] until;
    /** Per member: the state index held still (null if {@link #offsets} says it), or -1 for none. */
    private final int[] index;
    /** The blocks held still: member m holds offset + m for each offset (null: {@link #index}). */
    private final int[] offsets;
    /** True if members leave in the order they enter (one period for all). */
    private final boolean ordered;
    private final int[] queue;
    private int head;
    private int count;

    /**
     * @param size    members
     * @param index   per member, the state index it holds still (or -1); used if {@code offsets} is null
     * @param offsets the block offsets each member holds still (offset + member), or null
     * @param ordered true if all members have the same refractory period
     */
    RefractoryQueue(final int size, final int[] index, final int[] offsets, final boolean ordered) {
        this.index = index;
        this.offsets = offsets;
        this.ordered = ordered;
        this.until = new double[size];
        java.util.Arrays.fill(until, Double.NEGATIVE_INFINITY);
        this.queue = new int[size];
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
        queue[wrap(head + count)] = member;
        count++;
    }

    /** Drops the members whose period has ended by the accepted time {@code time}. */
    void expire(final double time) {
        if (ordered) {
            while (count > 0 && until[queue[head]] <= time) {
                head = wrap(head + 1);
                count--;
            }
            return;
        }
        // unordered: head stays 0
        for (int k = 0; k < count; k++) {
            if (until[queue[k]] <= time) {
                queue[k--] = queue[--count];
            }
        }
    }

    /**
     * A position in the ring of queued members: {@code k} itself, or {@code k - size} past the end (a compare
     * instead of the division of a remainder, per queued member and step).
     *
     * @param k a position below twice the ring's size
     * @return the position in the ring
     */
    private int wrap(final int k) {
        return k >= queue.length ? k - queue.length : k;
    }

    /** @return number of queued members */
    int size() {
        return count;
    }

    /** @return how many values {@link #save} may write at most: every member's held elements */
    int heldCapacity() {
        return until.length * (offsets == null ? 1 : offsets.length);
    }

    /**
     * Copies the held elements of the members refractory at {@code time} into {@code buf} from {@code at}, with their
     * state indices in {@code where}, so that a step written over the state (in place) can be undone for them
     * ({@code y[where[k]] = buf[k]}, in any order: each element is held by one member).
     *
     * @return the position after the last value written
     */
    int save(final double time, final double[] y, final double[] buf, final int[] where, final int at) {
        int w = at;
        for (int k = 0, q = head; k < count; k++, q = wrap(q + 1)) {
            final int m = queue[q];
            if (time < until[m]) {
                if (offsets == null) {
                    final int i = index[m];
                    if (i >= 0) {
                        where[w] = i;
                        buf[w++] = y[i];
                    }
                } else {
                    for (final int off : offsets) {
                        where[w] = off + m;
                        buf[w++] = y[off + m];
                    }
                }
            }
        }
        return w;
    }

    /** Copies {@code from} into {@code out} for the elements of members refractory at {@code time}. */
    void hold(final double time, final double[] from, final double[] out) {
        for (int k = 0, at = head; k < count; k++, at = wrap(at + 1)) {
            final int m = queue[at];
            if (time < until[m]) {
                if (offsets == null) {
                    if (index[m] >= 0) {
                        out[index[m]] = from[index[m]];
                    }
                } else {
                    for (final int off : offsets) {
                        out[off + m] = from[off + m];
                    }
                }
            }
        }
    }

    /** Zeroes {@code a} (and {@code b} if not null) for the elements of members refractory at {@code time}. */
    void mask(final double time, final double[] a, final double[] b) {
        for (int k = 0, at = head; k < count; k++, at = wrap(at + 1)) {
            final int m = queue[at];
            if (time < until[m]) {
                if (offsets == null) {
                    if (index[m] >= 0) {
                        a[index[m]] = 0.0;
                        if (b != null) {
                            b[index[m]] = 0.0;
                        }
                    }
                } else {
                    for (final int off : offsets) {
                        a[off + m] = 0.0;
                        if (b != null) {
                            b[off + m] = 0.0;
                        }
                    }
                }
            }
        }
    }

    /** @return the earliest period end after {@code time}, or +Infinity */
    double nextEnd(final double time) {
        double next = Double.POSITIVE_INFINITY;
        for (int k = 0, at = head; k < count; k++, at = wrap(at + 1)) {
            final double u = until[queue[at]];
            if (u > time) {
                next = Math.min(next, u);
                if (ordered) {
                    break;      // ends are queued in increasing order
                }
            }
        }
        return next;
    }
}
