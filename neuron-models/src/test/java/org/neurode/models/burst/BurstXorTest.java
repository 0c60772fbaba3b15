package org.neurode.models.burst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * A small version of Payeur et al.'s XOR network (N = 50, 8 epochs of 2-s examples, learning rates x20): what it
 * learns in under a minute. It does not learn XOR at this size and length: measured with these seeds, the output
 * rates (Hz) for (0,0), (1,0), (0,1), (1,1) go from 1.06, 1.06, 1.14, 1.12 before training to 1.80, 4.70, 1.74, 3.90
 * after (the output follows input1 and has not yet separated (0,1) from (0,0) nor (1,1) from (1,0)); 20 epochs gave
 * 2.56, 4.96, 3.40, 5.28 (OR-like). What the test proves is that the teaching signal and burst-dependent plasticity
 * move the output: its cost falls, and a pattern with target 1 ends far above (0,0).
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
        final double[] epochCost = new double[8];
        for (int k = 0; k < 32; k++) {
            epochCost[k / 4] += xor.example(k % 4) / 4;
        }
        final double[] after = new double[4];
        for (int p = 0; p < 4; p++) {
            after[p] = xor.test(p)[0];
        }
        // THEN before training the output ignores its inputs: all four rates within 0.5 Hz of each other (measured
        // 1.06 to 1.14; the input-to-hidden weights start net inhibitory near threshold)
        final double spread = Math.max(Math.max(before[0], before[1]), Math.max(before[2], before[3]))
                - Math.min(Math.min(before[0], before[1]), Math.min(before[2], before[3]));
        assertEquals(0.0, spread, 0.5, "rates before: " + java.util.Arrays.toString(before));
        // the mean cost of the last four epochs is below 0.8 of the first epoch's (measured 0.99 against 1.65 nats:
        // the untrained output at 1 Hz is clipped to r = 0.01, 4.6 nats, for both target-1 patterns); a run
        // without plasticity keeps the first epoch's cost, so the bound fails for a rule that does not learn
        final double late = (epochCost[4] + epochCost[5] + epochCost[6] + epochCost[7]) / 4;
        assertTrue(late < 0.8 * epochCost[0], "cost: first epoch " + epochCost[0] + ", last four " + late);
        // and the target-1 pattern (1,0) ends at least 1 Hz above (0,0) (measured 4.70 against 1.80; the Poisson
        // fluctuation of a 1-s count over 50 neurons at 2 to 5 Hz is about 0.2 to 0.3 Hz)
        assertTrue(after[1] - after[0] > 1.0, "rates after: " + java.util.Arrays.toString(after));
    }
}
