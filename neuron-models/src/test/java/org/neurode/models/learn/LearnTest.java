package org.neurode.models.learn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurode.core.OdeException;

/** Parameter vectors, optimizers, losses and save/load. */
class LearnTest {

    private static ParameterVector vector() {
        return ParameterVector.builder().matrix("W", 2, 3).vector("b", 2).build();
    }

    @Test
    void adamMinimizesAQuadraticAndItsFirstStepIsTheLearningRate() {
        // GIVEN f(x) = sum (x_i - c_i)^2 from x = 0
        final ParameterVector p = ParameterVector.builder().vector("x", 3).build();
        final double[] c = {1.0, -2.0, 0.5};
        final Optimizer adam = Optimizer.adam(0.01);
        for (int k = 0; k < 2000; k++) {
            for (int i = 0; i < 3; i++) {
                p.gradient()[i] = 2 * (p.values()[i] - c[i]);
            }
            adam.step(p);
            if (k == 0) {
                // THEN the bias-corrected first step moves every coordinate by lr * sign(g) (m/sqrt(v) = +-1,
                // up to eps = 1e-8 against |g| of 1 to 4)
                assertArrayEquals(new double[] {0.01, -0.01, 0.01}, p.values(), 1e-9);
            }
        }
        // AND after 2,000 steps it sits at the minimum (Adam's steps shrink with the gradient near it)
        assertArrayEquals(c, p.values(), 1e-3);
    }

    @Test
    void rmsPropFirstStepIsLearningRateOverSqrtOneMinusAlpha() {
        // GIVEN a gradient of 3 and RMSprop(lr 1e-3, alpha 0.99)
        final ParameterVector p = ParameterVector.builder().vector("x", 1).build();
        p.gradient()[0] = 3.0;
        Optimizer.rmsProp(1e-3).step(p);
        // THEN x = -lr g / (sqrt(0.01 g^2) + eps) = -lr / 0.1 (PyTorch's update)
        assertEquals(-1e-3 * 3.0 / (Math.sqrt(0.01 * 9.0) + 1e-8), p.values()[0], 1e-15);
    }

    @Test
    void kerasRmsPropFirstStepUsesRhoAndEpsilon() {
        // GIVEN a gradient of 3 and RMSprop(lr 0.05, rho 0.9, eps 1e-7), Keras' defaults
        final ParameterVector p = ParameterVector.builder().vector("x", 1).build();
        p.gradient()[0] = 3.0;
        Optimizer.rmsProp(0.05, 0.9, 1e-7).step(p);
        // THEN x = -lr g / (sqrt(0.1 g^2) + eps): a first step of lr / sqrt(0.1) = 0.158 whatever the gradient
        assertEquals(-0.05 * 3.0 / (Math.sqrt(0.1 * 9.0) + 1e-7), p.values()[0], 1e-15);
        // AND a decay outside [0, 1) is refused with its name
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Optimizer.rmsProp(0.05, 1.0, 1e-7));
        assertTrue(e.getMessage().contains("rho"), e.getMessage());
    }

    @Test
    void restoredOptimizerStateContinuesBitForBit() {
        for (final java.util.function.Supplier<Optimizer> make : List.<java.util.function.Supplier<Optimizer>>of(
                () -> Optimizer.adam(0.01), () -> Optimizer.rmsProp(0.01, 0.9, 1e-7))) {
            // GIVEN an optimizer after 5 steps on a quadratic, its state copied into a fresh one
            final ParameterVector a = vector();
            final Optimizer first = make.get();
            for (int k = 0; k < 5; k++) {
                quadraticGradient(a);
                first.step(a);
            }
            final ParameterVector b = vector();
            b.copyFrom(a);
            final Optimizer second = make.get();
            second.restore(first.state());
            // WHEN both take 5 more steps
            for (int k = 0; k < 5; k++) {
                quadraticGradient(a);
                first.step(a);
                quadraticGradient(b);
                second.step(b);
            }
            // THEN they agree exactly (the bias correction of Adam continues from the restored step count)
            assertArrayEquals(a.values(), b.values(), 0.0, first.describe());
        }
        // AND a state of the wrong shape is refused
        assertThrows(IllegalArgumentException.class, () -> Optimizer.adam(0.1).restore(new double[1][2]));
        assertThrows(IllegalArgumentException.class, () -> Optimizer.sgd(0.1).restore(new double[1][2]));
    }

    private static void quadraticGradient(final ParameterVector p) {
        for (int i = 0; i < p.size(); i++) {
            p.gradient()[i] = 2 * (p.values()[i] - 0.1 * i) + 0.3;
        }
    }

    @Test
    void clippingScalesTheGradientToTheMaximumNorm() {
        final ParameterVector p = vector();
        p.gradient()[0] = 3.0;
        p.gradient()[7] = 4.0;
        // WHEN clipped to norm 1 THEN the norm before is 5 and after is 1 (PyTorch adds 1e-6 to the divisor)
        assertEquals(5.0, Optimizer.clipGradientNorm(p, 1.0), 0.0);
        assertEquals(0.6, p.gradient()[0], 1e-6);
        assertEquals(0.8, p.gradient()[7], 1e-6);
        // AND a gradient within the bound is left alone
        assertEquals(1.0, Optimizer.clipGradientNorm(p, 2.0), 1e-6);
        assertEquals(0.6, p.gradient()[0], 1e-6);
    }

    @Test
    void lossGradientsMatchCentralDifferences() {
        final double[][] out = {{0.3, -1.2}, {2.0, 0.1}};
        final double[][] target = {{0.0, -1.0}, {1.5, 0.4}};
        final double[][] g = new double[2][2];
        final double mse = Losses.meanSquaredError(out, target, g);
        assertEquals((0.09 + 0.04 + 0.25 + 0.09) / 4, mse, 1e-15);
        final double h = 1e-6;
        out[1][0] += h;
        final double up = Losses.meanSquaredError(out, target, null);
        out[1][0] -= 2 * h;
        final double down = Losses.meanSquaredError(out, target, null);
        assertEquals((up - down) / (2 * h), g[1][0], 1e-8);
        final double[] logits = {0.2, -1.0, 3.0};
        final double[] gl = new double[3];
        final double ce = Losses.softmaxCrossEntropy(logits, 1, gl);
        final double z = Math.exp(0.2) + Math.exp(-1.0) + Math.exp(3.0);
        assertEquals(Math.log(z) + 1.0, ce, 1e-12);
        assertEquals(Math.exp(-1.0) / z - 1.0, gl[1], 1e-12);
        assertEquals(Math.exp(3.0) / z, gl[2], 1e-12);
    }

    @Test
    void saveAndLoadRoundTripIsExactAndBadFilesAreNamed(@TempDir final Path dir) throws Exception {
        // GIVEN parameters with awkward doubles
        final ParameterVector p = vector();
        for (int i = 0; i < p.size(); i++) {
            p.values()[i] = Math.PI * (i - 3) / 7.0 + 1e-300 * i;
        }
        final Path file = dir.resolve("net.json");
        // WHEN written and read back
        ModelJson.write(file, "test", ModelJson.config("hidden", 2, "inputs", 3), p);
        final ModelJson.Document doc = ModelJson.read(file);
        final ParameterVector q = vector();
        ModelJson.readParameters(doc, q, file.toString());
        // THEN every value is bit-identical and the configuration is there
        assertArrayEquals(p.values(), q.values(), 0.0);
        assertEquals("test", doc.kind());
        assertEquals(2, doc.config().get("hidden").asInt());
        // AND a wrong shape or a missing field is reported with its path
        final ParameterVector other = ParameterVector.builder().matrix("W", 3, 2).vector("b", 2).build();
        final OdeException e = assertThrows(OdeException.class, () -> ModelJson.readParameters(doc, other, "net.json"));
        assertTrue(e.getMessage().contains("net.json: parameters.W has shape 2 x 3"), e.getMessage());
        Files.writeString(file, "{\"format\": \"something\"}");
        final OdeException f = assertThrows(OdeException.class, () -> ModelJson.read(file));
        assertTrue(f.getMessage().contains("field 'format'"), f.getMessage());
    }
}
