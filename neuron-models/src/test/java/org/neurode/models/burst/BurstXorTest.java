package org.neurode.models.burst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * A small version of Payeur et al.'s XOR network (N = 50, 8 epochs of 2-s examples, learning rates x20): what it
 * learns in a few seconds. It does not learn XOR at this size and length: measured with these seeds, the output
 * rates (Hz) for (0,0), (1,0), (0,1), (1,1) go from 0.76, 0.98, 0.80, 0.96 before training to 2.22, 4.04, 1.52, 2.94
 * after (N = 100: 0.94, 1.00, 0.95, 0.93 to 1.82, 6.73, 1.06, 2.27): the output learns to answer (1,0) but not yet
 * (0,1), and the cost per epoch does not fall steadily at this size (with other background draws it rose). What
 * the test proves is that the teaching signal and burst-dependent plasticity make the output respond to a pattern
 * whose target is 1, from a start where it ignores its inputs.
 */
class BurstXorTest {

    @Test
    void teachingAndPlasticityMoveTheOutputTowardsItsTargets() {
        // GIVEN the network at N = 50 after the paper's 6-s burn-in
        final BurstXor xor = new BurstXor(50, 2000.0, 1L, 1L, 20.0);
        xor.settle(0, 6000.0);
        final double[] before = new double[4];
        for (int p = 0; p < 4; p++) {
            before[p] = xor.test(p)[0];
        }
        // WHEN trained on 32 examples (8 epochs) in the paper's order
        for (int k = 0; k < 32; k++) {
            xor.example(k % 4);
        }
        final double[] after = new double[4];
        for (int p = 0; p < 4; p++) {
            after[p] = xor.test(p)[0];
        }
        // THEN before training the output ignores its inputs: all four rates within 0.5 Hz of each other (measured
        // 0.76 to 0.98; the input-to-hidden weights start net inhibitory near threshold)
        final double spread = Math.max(Math.max(before[0], before[1]), Math.max(before[2], before[3]))
                - Math.min(Math.min(before[0], before[1]), Math.min(before[2], before[3]));
        assertEquals(0.0, spread, 0.5, "rates before: " + java.util.Arrays.toString(before));
        // and after training the target-1 pattern (1,0) ends at least 1 Hz above (0,0) and 2 Hz above its own rate
        // before (measured 4.04 against 2.22 and 0.98; the Poisson fluctuation of a 1-s count over 50 neurons at 2
        // to 5 Hz is 0.2 to 0.3 Hz, so both bounds fail for a network that does not learn)
        assertTrue(after[1] - after[0] > 1.0, "rates after: " + java.util.Arrays.toString(after));
        assertTrue(after[1] - before[1] > 2.0, "(1,0): " + before[1] + " Hz before, " + after[1] + " after");
    }
}
