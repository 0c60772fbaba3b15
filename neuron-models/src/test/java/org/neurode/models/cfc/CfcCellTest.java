package org.neurode.models.cfc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurode.core.OdeException;
import org.neurode.models.learn.GradientCheck;
import org.neurode.models.learn.Losses;
import org.neurode.models.learn.ParameterVector;

/** CfC networks: BPTT against finite differences, the closed form of the pure mode, save/load, allocation. */
class CfcCellTest {

    /** Irregular elapsed times, from 0.05 to 2.2 model time units. */
    private static final double[] ELAPSED = {0.3, 1.7, 0.05, 2.2, 0.9, 0.6};

    @TempDir
    Path temp;

    private static double[][] randomInputs(final int steps, final int n, final long seed) {
        final SplittableRandom r = new SplittableRandom(seed);
        final double[][] x = new double[steps][n];
        for (final double[] row : x) {
            for (int j = 0; j < n; j++) {
                row[j] = 2 * r.nextDouble() - 1;
            }
        }
        return x;
    }

    /** MSE against fixed targets at every step: a nonlinear loss that reaches every parameter. */
    private static double maxGradientError(final CfcCell.Config config) {
        final CfcCell cell = new CfcCell(config, 11);
        final int steps = ELAPSED.length;
        final double[][] x = randomInputs(steps, config.inputSize(), 3);
        final double[][] target = randomInputs(steps, config.outputSize(), 4);
        final double[][] y = new double[steps][config.outputSize()];
        final double[][] dy = new double[steps][config.outputSize()];
        cell.forward(x, ELAPSED, y);
        Losses.meanSquaredError(y, target, dy);
        final ParameterVector p = cell.parameters();
        p.zeroGradient();
        cell.backward(dy);
        final double[] g = p.gradient().clone();
        return GradientCheck.maxRelativeError(p, g, () -> {
            cell.forward(x, ELAPSED, y);
            return Losses.meanSquaredError(y, target, null);
        }, 1, 1e-3);
    }

    // Tolerance: GradientCheck's central difference (h = 1e-6) has truncation error ~h^2 = 1e-12 relative and
    // rounding error ~1e-16 L / h = 4e-11 absolute for the loss L ~ 0.4 (somewhat more with accumulated rounding
    // in the forward pass). Gradients below the floor of 1e-3 are compared absolutely, so rounding contributes
    // at most ~1e-7; measured maxima are 5e-8 to 1.0e-7. A dropped or wrong term (tested by mutating the
    // backward pass: the factor t of the time gate, the sign of |w_tau|) gives errors of 1.3 to 2.

    @Test
    void defaultModeGradientMatchesCentralDifferences() {
        // GIVEN a default-mode CfC with two backbone layers and irregular elapsed times
        final CfcCell.Config c = CfcCell.Config.of(2, 4, 3).withBackbone(6, 2);
        // WHEN BPTT is compared with central differences on every parameter
        final double err = maxGradientError(c);
        // THEN they agree to 1e-6 relative
        assertTrue(err < 1e-6, "max relative error " + err);
    }

    @Test
    void reluBackboneGradientMatchesCentralDifferences() {
        // GIVEN a default-mode CfC with a two-layer ReLU backbone (the paper's XOR configuration); the random
        // pre-activations are away from ReLU's kink at 0 by far more than the difference step 1e-6
        final CfcCell.Config c = CfcCell.Config.of(2, 4, 3).withBackbone(6, 2)
                .withActivation(CfcCell.Activation.RELU);
        // WHEN BPTT is compared with central differences THEN they agree to 1e-6 relative
        final double err = maxGradientError(c);
        assertTrue(err < 1e-6, "max relative error " + err);
    }

    @Test
    void siluBackboneGradientMatchesCentralDifferences() {
        // GIVEN the no-gate and pure variants with a SiLU backbone (the paper's configurations for them)
        final double noGate = maxGradientError(CfcCell.Config.of(2, 4, 3).withMode(CfcCell.Mode.NO_GATE)
                .withBackbone(6, 2).withActivation(CfcCell.Activation.SILU));
        final double pure = maxGradientError(CfcCell.Config.of(2, 4, 3).withMode(CfcCell.Mode.PURE)
                .withBackbone(6, 1).withActivation(CfcCell.Activation.SILU));
        // THEN BPTT through silu'(x) = s (1 + x (1 - s)) agrees with central differences
        assertTrue(noGate < 1e-6, "max relative error " + noGate);
        assertTrue(pure < 1e-6, "max relative error " + pure);
    }

    @Test
    void noGateModeGradientMatchesCentralDifferences() {
        // GIVEN the no-gate variant with one backbone layer
        final CfcCell.Config c = CfcCell.Config.of(2, 4, 3).withMode(CfcCell.Mode.NO_GATE).withBackbone(5, 1);
        // WHEN / THEN as above
        final double err = maxGradientError(c);
        assertTrue(err < 1e-6, "max relative error " + err);
    }

    @Test
    void pureModeGradientMatchesCentralDifferences() {
        // GIVEN the pure (Cf-S) variant, with and without backbone
        final double withBackbone = maxGradientError(
                CfcCell.Config.of(2, 4, 3).withMode(CfcCell.Mode.PURE).withBackbone(5, 1));
        final double without = maxGradientError(
                CfcCell.Config.of(2, 4, 3).withMode(CfcCell.Mode.PURE).withBackbone(5, 0));
        // THEN BPTT agrees with central differences (w_tau and p are Xavier-initialised away from |.|'s kink)
        assertTrue(withBackbone < 1e-6, "max relative error " + withBackbone);
        assertTrue(without < 1e-6, "max relative error " + without);
    }

    @Test
    void gatedModesWithoutBackboneHaveCorrectGradients() {
        // GIVEN backbone_layers = 0 (heads read [u; h] directly, as a wired CfC layer does)
        final double err = maxGradientError(CfcCell.Config.of(3, 4, 2).withBackbone(7, 0));
        // THEN the gradient is right too
        assertTrue(err < 1e-6, "max relative error " + err);
    }

    @Test
    void mixedMemoryGradientMatchesCentralDifferences() {
        // GIVEN the mixed-memory CfC (LSTM in front, forget bias 0.6 as the paper's XOR model) with a ReLU and a
        // LeCun-tanh backbone, and without backbone
        final CfcCell.Config base = CfcCell.Config.of(2, 4, 3).withMixedMemory(0.6);
        final double relu = maxGradientError(base.withBackbone(6, 1).withActivation(CfcCell.Activation.RELU));
        final double lecun = maxGradientError(base.withBackbone(5, 2));
        final double none = maxGradientError(base.withBackbone(5, 0).withMode(CfcCell.Mode.NO_GATE));
        // THEN BPTT through the LSTM's cell and recurrent paths agrees with central differences
        assertTrue(relu < 1e-6, "max relative error " + relu);
        assertTrue(lecun < 1e-6, "max relative error " + lecun);
        assertTrue(none < 1e-6, "max relative error " + none);
    }

    @Test
    void mixedMemoryInitialisationFollowsNcpsLstm() {
        // GIVEN a mixed-memory cell with 8 hidden units and 1 input
        final CfcCell cell = new CfcCell(CfcCell.Config.of(1, 8, 2).withMixedMemory(1.0), 7);
        final ParameterVector p = cell.parameters();
        // THEN the LSTM adds 4H x (inputs + 1 + H) = 32 x 10 parameters to a CfC whose backbone reads [x; h] of
        // width 16
        final int plain = new CfcCell(CfcCell.Config.of(8, 8, 2), 7).parameters().size();
        assertEquals(plain + 32 * 10, p.size());
        // AND the recurrent map [32 x 8] has orthonormal columns (ncps' orthogonal_), to rounding: modified
        // Gram-Schmidt on 8 vectors of 32 leaves errors of a few 1e-16 in each dot product
        final double[] w = p.get("lstm.recurrent_map.weight");
        for (int a = 0; a < 8; a++) {
            for (int b = 0; b < 8; b++) {
                double dot = 0.0;
                for (int r = 0; r < 32; r++) {
                    dot += w[r * 8 + a] * w[r * 8 + b];
                }
                assertEquals(a == b ? 1.0 : 0.0, dot, 1e-14, a + "," + b);
            }
        }
        // AND the bias is within ncps' U(-0.1, 0.1), and the name says mixed
        for (final double b : p.get("lstm.input_map.bias")) {
            assertTrue(Math.abs(b) <= 0.1, "bias " + b);
        }
        assertEquals("cfc-mixed", cell.name());
    }

    @Test
    void pureModeIsTheClosedFormSolutionOfItsLinearOde() {
        // GIVEN a pure cell without backbone, 1 input, 1 hidden unit: p = w_u u + w_h h + b
        final CfcCell cell = new CfcCell(new CfcCell.Config(1, 1, 1, CfcCell.Mode.PURE, 1, 0), 1);
        final double wu = 0.3;
        final double wh = -0.4;
        final double b = 0.2;
        final double a = 2.0;
        final double wTau = -0.5;
        cell.parameters().set("ff1.weight", new double[] {wu, wh});
        cell.parameters().set("ff1.bias", new double[] {b});
        cell.parameters().set("A", new double[] {a});
        cell.parameters().set("w_tau", new double[] {wTau});
        cell.parameters().set("fc.weight", new double[] {1.0});
        cell.parameters().set("fc.bias", new double[] {0.0});
        // WHEN u = 1 for t = 2, then u = -1 for t = 0.7
        final double[][] y = new double[2][1];
        cell.forward(new double[][] {{1.0}, {-1.0}}, new double[] {2.0, 0.7}, y);
        // THEN step 1: p = 0.5, h = A - A exp(-2 (0.5 + 0.5)) 0.5 = 2 - exp(-2), computed by hand
        assertEquals(2.0 - Math.exp(-2.0), y[0][0], 1e-15);
        // AND step 2 follows Eq. 3 from the new p = -0.3 - 0.4 h1 + 0.2 (h0 enters only through p)
        final double p2 = -wu - 0.4 * y[0][0] + b;
        assertEquals(a - a * Math.exp(-0.7 * (0.5 + Math.abs(p2))) * p2, y[1][0], 1e-15);
        // AND as a function of t the first step solves dh/dt = -(|w_tau| + |p|)(h - A), h(0) = A (1 - p):
        // central differences in t agree to their O(dt^2) = 1e-10 truncation error
        final double dt = 1e-5;
        for (final double t : new double[] {0.1, 0.5, 1.0, 3.0}) {
            final double hPlus = firstStep(cell, t + dt);
            final double hMinus = firstStep(cell, t - dt);
            final double h = firstStep(cell, t);
            assertEquals(-(Math.abs(wTau) + 0.5) * (h - a), (hPlus - hMinus) / (2 * dt), 1e-8);
        }
        assertEquals(a * (1 - 0.5), firstStep(cell, 0.0), 1e-15);
        assertEquals(a, firstStep(cell, 60.0), 1e-12);
    }

    private static double firstStep(final CfcCell cell, final double t) {
        final double[][] y = new double[1][1];
        cell.forward(new double[][] {{1.0}}, new double[] {t}, y);
        return y[0][0];
    }

    @Test
    void elapsedTimeChangesTheGatedOutputAndNullMeansOne() {
        // GIVEN a default CfC and one input sequence
        final CfcCell cell = new CfcCell(CfcCell.Config.of(2, 8, 2), 5);
        final double[][] x = randomInputs(4, 2, 9);
        final double[][] y1 = new double[4][2];
        final double[][] yNull = new double[4][2];
        final double[][] y3 = new double[4][2];
        // WHEN run with elapsed 1, null and 3
        cell.forward(x, new double[] {1, 1, 1, 1}, y1);
        cell.forward(x, null, yNull);
        cell.forward(x, new double[] {3, 3, 3, 3}, y3);
        // THEN null equals 1 exactly, and a longer time changes the output through the time gate
        for (int k = 0; k < 4; k++) {
            assertArrayEquals(y1[k], yNull[k], 0.0);
        }
        assertNotEquals(y1[3][0], y3[3][0]);
    }

    @Test
    void savedAndLoadedNetworkIsBitIdentical() {
        for (final CfcCell.Mode mode : CfcCell.Mode.values()) {
            // GIVEN a trained-looking network (random weights, seed 21) of each mode
            // (and the mixed-memory variant of the default mode, with its forget bias)
            final CfcCell.Config config = CfcCell.Config.of(1, 6, 2).withMode(mode).withBackbone(9, 2);
            final CfcCell cell = new CfcCell(mode == CfcCell.Mode.DEFAULT ? config.withMixedMemory(0.6) : config, 21);
            final Path file = temp.resolve(mode.ncpsName() + ".json");
            // WHEN saved and loaded
            cell.save(file);
            final CfcCell loaded = CfcCell.load(file);
            // THEN configuration and every parameter are identical, and so are the outputs
            assertEquals(cell.config(), loaded.config());
            assertArrayEquals(cell.parameters().values(), loaded.parameters().values(), 0.0);
            final double[][] x = randomInputs(7, 1, 2);
            final double[] t = {0.1, 0.2, 1.5, 0.03, 0.4, 0.9, 2.0};
            final double[][] a = new double[7][2];
            final double[][] b = new double[7][2];
            cell.forward(x, t, a);
            loaded.forward(x, t, b);
            for (int k = 0; k < 7; k++) {
                assertArrayEquals(a[k], b[k], 0.0);
            }
        }
    }

    @Test
    void loadRejectsAnotherKind() {
        // GIVEN a file whose kind is not cfc
        final Path file = temp.resolve("other.json");
        org.neurode.models.learn.ModelJson.write(file, "ltc", java.util.Map.of(),
                ParameterVector.builder().vector("x", 1).build());
        // WHEN / THEN loading names the problem
        final OdeException e = assertThrows(OdeException.class, () -> CfcCell.load(file));
        assertTrue(e.getMessage().contains("kind"), e.getMessage());
    }

    @Test
    void parameterCountAndInitialisationFollowNcps() {
        // GIVEN ncps' CfC(1, 64, proj_size=2) in default mode: backbone (1 + 64) x 128 + 128, four heads of
        // 128 x 64 + 64, output 64 x 2 + 2
        final CfcCell cell = new CfcCell(CfcCell.Config.of(1, 64, 2), 3);
        // THEN the count is the PyTorch count
        assertEquals(65 * 128 + 128 + 4 * (128 * 64 + 64) + 64 * 2 + 2, cell.parameters().size());
        // AND Xavier-uniform weights stay inside +-sqrt(6 / (fan_in + fan_out)), biases inside +-1/sqrt(fan_in)
        final double bound = Math.sqrt(6.0 / (128 + 64));
        for (final double w : cell.parameters().get("ff1.weight")) {
            assertTrue(Math.abs(w) <= bound, "weight " + w);
        }
        for (final double w : cell.parameters().get("backbone.0.bias")) {
            assertTrue(Math.abs(w) <= 1 / Math.sqrt(65), "bias " + w);
        }
        // AND the same seed gives the same weights, another seed others
        assertArrayEquals(cell.parameters().values(), new CfcCell(CfcCell.Config.of(1, 64, 2), 3).parameters()
                .values(), 0.0);
        assertNotEquals(cell.parameters().values()[0], new CfcCell(CfcCell.Config.of(1, 64, 2), 4).parameters()
                .values()[0]);
    }

    @Test
    void forwardAndBackwardAllocateNothingAfterTheFirstCall() {
        // GIVEN a default CfC that has run a 12-step sequence once
        final CfcCell cell = new CfcCell(CfcCell.Config.of(1, 16, 2).withBackbone(32, 1), 1);
        final double[][] x = randomInputs(12, 1, 1);
        final double[] t = new double[12];
        java.util.Arrays.fill(t, 0.25);
        final double[][] y = new double[12][2];
        final double[][] dy = new double[12][2];
        dy[11][0] = 1.0;
        for (int k = 0; k < 50; k++) {
            cell.forward(x, t, y);
            cell.backward(dy);
        }
        final com.sun.management.ThreadMXBean mx =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final long id = Thread.currentThread().getId();
        // WHEN it runs 200 more sequences of that length and shorter
        final long before = mx.getThreadAllocatedBytes(id);
        for (int k = 0; k < 200; k++) {
            cell.forward(x, t, y);
            cell.backward(dy);
        }
        final long allocated = mx.getThreadAllocatedBytes(id) - before;
        // THEN (almost) nothing was allocated: one new double[] per call would be 200 x 100+ bytes; the slack of
        // 2 KB covers the measurement itself
        assertTrue(allocated < 2048, "allocated " + allocated + " bytes");
    }
}
