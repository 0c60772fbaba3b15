package org.neurode.models.ltc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurode.core.OdeException;

/** The CT-RNN baseline: BPTT gradient, its Euler unfolds, save/load. */
class CtRnnCellTest {

    @TempDir
    Path temp;

    @Test
    void bpttGradientMatchesCentralDifferences() {
        // GIVEN a CT-RNN (3 inputs, 5 units, 2 outputs), off its initial values, and 7 irregular steps
        final CtRnnCell cell = CtRnnCell.of(3, 5, 2, 6, 13);
        LtcCellTest.perturb(cell.parameters(), 14);
        // WHEN its BPTT gradient of the MSE is compared with central differences at every parameter
        final double err = LtcCellTest.checkGradient(cell, 7);
        // THEN they agree to 1e-6 relative (measured 1.3e-8; floor 1e-3 as in LtcCellTest)
        assertTrue(err < 1e-6, "max relative error " + err);
    }

    @Test
    void oneUnitWithoutInputDecaysLikeEulerOnMinusXOverTau() {
        // GIVEN one unit whose tanh term is constant: all weights 0 and bias b, tau = softplus(raw) = 1
        final CtRnnCell cell = CtRnnCell.of(1, 1, 1, 4, 1);
        final double[] v = cell.parameters().values();
        java.util.Arrays.fill(v, 0.0);
        v[cell.parameters().offset("b")] = 0.5;
        v[cell.parameters().offset("tau")] = Math.log(Math.E - 1.0);
        v[cell.parameters().offset("output_w")] = 1.0;
        // WHEN one step of elapsed time 2 runs with 4 Euler unfolds (h = 0.5)
        final double[][] out = new double[1][1];
        cell.forward(new double[][] {{0.0}}, new double[] {2.0}, out);
        // THEN x = sum of 4 steps x <- x + h (tanh(0.5) - x) from 0: x_4 = tanh(0.5) (1 - 0.5^4)
        assertEquals(Math.tanh(0.5) * (1 - Math.pow(0.5, 4)), out[0][0], 1e-15);
    }

    @Test
    void saveAndLoadGiveBitIdenticalOutputs() {
        // GIVEN a perturbed cell and its outputs
        final CtRnnCell cell = CtRnnCell.of(2, 4, 1, 3, 5);
        LtcCellTest.perturb(cell.parameters(), 6);
        final LtcCellTest.Task task = new LtcCellTest.Task(cell, 9, 2);
        cell.forward(task.inputs, task.elapsed, task.outputs);
        final double[][] before = LtcCellTest.copy(task.outputs);
        // WHEN saved and loaded
        final Path file = temp.resolve("ctrnn.json");
        cell.save(file);
        final CtRnnCell loaded = CtRnnCell.load(file);
        loaded.forward(task.inputs, task.elapsed, task.outputs);
        // THEN the outputs are identical to the bit
        for (int k = 0; k < before.length; k++) {
            assertArrayEquals(before[k], task.outputs[k], 0.0);
        }
        assertEquals(3, loaded.unfolds());
    }

    @Test
    void badSizesAreNamed() {
        assertTrue(assertThrows(OdeException.class, () -> CtRnnCell.of(2, 0, 1, 6, 1)).getMessage()
                           .contains("units"));
        assertTrue(assertThrows(OdeException.class, () -> CtRnnCell.of(2, 3, 1, 0, 1)).getMessage()
                           .contains("unfolds"));
    }
}
