package org.neurode.solvers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The ring of refractory members: positions wrap past the end of the ring without a remainder. */
class RefractoryQueueTest {

    @Test
    void membersQueuedAcrossTheEndOfTheRingAreHeldMaskedAndExpiredInOrder() {
        // GIVEN a population of 3 with one refractory period of 1.0, whose ring has wrapped: members 0, 1 and 2
        // fired at 0, 0.5 and 1.0 and member 0 again at 1.5, so the ring holds 1, 2, 0 starting at position 1
        final RefractoryQueue q = new RefractoryQueue(3, null, new int[] {0}, true);
        q.enter(0, 0.0, 1.0);
        q.enter(1, 0.5, 1.5);
        q.enter(2, 1.0, 2.0);
        q.enter(0, 1.5, 2.5);
        assertEquals(2, q.size(), "member 1's period ended at 1.5");
        // WHEN the step from 1.6 is held and masked
        final double[] from = {10.0, 11.0, 12.0};
        final double[] out = {20.0, 21.0, 22.0};
        q.hold(1.6, from, out);
        final double[] a = {1.0, 1.0, 1.0};
        q.mask(1.6, a, null);
        // THEN members 2 and 0 (the second at the ring's first position) are held, member 1 moves
        assertArrayEquals(new double[] {10.0, 21.0, 12.0}, out);
        assertArrayEquals(new double[] {0.0, 1.0, 0.0}, a);
        assertEquals(2.0, q.nextEnd(1.6));
        // AND they leave in the order they entered, across the end of the ring
        q.expire(2.0);
        assertEquals(1, q.size());
        assertEquals(2.5, q.nextEnd(2.0));
        q.expire(2.5);
        assertEquals(0, q.size());
        assertEquals(Double.POSITIVE_INFINITY, q.nextEnd(2.5));
    }
}
