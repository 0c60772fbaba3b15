package org.neurode.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The inputs of the STDP reference run (golden/stdp, made by Brian2 with make_stdp.py) are reproduced exactly
 * here: the spike trains Brian2 was fed and the initial weights, so that a neurode run of the same network
 * sees the same inputs. Checked before any network runs on them: a difference between Java's and NumPy's
 * logarithm that moved one spike by one step would show here.
 */
class StdpGoldenInputsTest {

    @Test
    void theRegeneratedSpikeTrainsAreBriansInputs() throws IOException {
        final List<double[]> rows = AdexGoldenTest.csv("/golden/stdp/inputs.csv");
        assertEquals(StdpInputs.N, rows.size());
        long total = 0;
        for (final double[] row : rows) {
            final int input = (int) row[0];
            final int[] steps = StdpInputs.steps(input);
            long sum = 0;
            for (final int s : steps) {
                sum += s;
            }
            // exact: counts and sums of spike steps (sums up to 1.5e9, exact in a double)
            assertEquals((long) row[1], steps.length, "spike count of input " + input);
            assertEquals((long) row[2], sum, "sum of the spike steps of input " + input);
            for (int k = 1; k < steps.length; k++) {
                assertTrue(steps[k] > steps[k - 1], "at most one spike per step");
            }
            total += steps.length;
        }
        // 1,000 inputs at 15 Hz for 100 s: 1.5 million spikes; the Poisson count has sd 1,225 (0.08%)
        assertEquals(1.5e6, total, 5 * Math.sqrt(1.5e6));
    }

    @Test
    void theInitialWeightsAreBriansInitialWeights() throws IOException {
        final double gmax = 0.01;
        final double[] w = StdpInputs.initialWeights(gmax);
        final List<double[]> rows = AdexGoldenTest.csv("/golden/stdp/weights.csv");
        assertEquals(StdpInputs.N, rows.size());
        for (final double[] row : rows) {
            // exact: the same product of the same uniform number, printed with repr (round-trip digits)
            assertEquals(row[1], w[(int) row[0]], 0.0, "initial weight " + (int) row[0]);
        }
    }
}
