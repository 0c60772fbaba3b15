package org.neurode.models.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.neurode.models.learn.GradientCheck;
import org.neurode.models.node.Mlp.Activation;

/** The dense network: vector-Jacobian products against finite differences, no allocation. */
class MlpTest {

    private static final long SEED = 20_181_203L;

    /** Three layers with all three activations, random weights of unit scale. */
    private static Mlp network(final Random random) {
        final Mlp mlp = new Mlp(new int[] {3, 7, 5, 2},
                                new Activation[] {Activation.TANH, Activation.SOFTPLUS, Activation.IDENTITY});
        mlp.initialize(random, 0.7, 0.0);
        final double[] v = mlp.parameters().values();
        for (final String bias : new String[] {"layer0.bias", "layer1.bias", "layer2.bias"}) {
            final int off = mlp.parameters().offset(bias);
            for (int j = 0; j < mlp.parameters().block(bias).size(); j++) {
                v[off + j] = 0.3 * random.nextGaussian();
            }
        }
        return mlp;
    }

    /** L = yBar . y(x). */
    private static double dot(final Mlp mlp, final double[] x, final double[] yBar) {
        final double[] y = new double[mlp.outputSize()];
        mlp.forward(x, y, new double[mlp.recordSize()], 0);
        double sum = 0.0;
        for (int j = 0; j < y.length; j++) {
            sum += yBar[j] * y[j];
        }
        return sum;
    }

    @Test
    void vectorJacobianProductsMatchCentralDifferences() {
        // GIVEN a tanh-softplus-identity network, an input and an output cotangent
        final Random random = new Random(SEED);
        final Mlp mlp = network(random);
        final double[] x = {0.4, -1.1, 0.8};
        final double[] yBar = {0.9, -0.6};
        // WHEN both products come from one recorded evaluation (record at an offset inside a larger tape)
        final double[] tape = new double[5 + mlp.recordSize()];
        final double[] y = new double[2];
        mlp.forward(x, y, tape, 5);
        final double[] xBar = new double[3];
        final double[] thetaBar = new double[mlp.parameters().size()];
        mlp.backward(tape, 5, yBar, xBar, thetaBar, new double[mlp.scratchSize()]);
        // THEN every parameter derivative matches the central difference of yBar . y: the difference's
        // truncation is ~h^2 = 1e-12 and rounding ~1e-16 / 1e-6 = 1e-10 absolute, so 1e-7 relative (floor 1e-6
        // for the near-zero entries) is four orders above the noise and far below any formula error
        final double thetaError = GradientCheck.maxRelativeError(mlp.parameters(), thetaBar,
                () -> dot(mlp, x, yBar), 1, 1e-6);
        assertTrue(thetaError < 1e-7, "parameter VJP relative error " + thetaError);
        // AND every input derivative too
        for (int i = 0; i < 3; i++) {
            final double h = 1e-6;
            final double[] up = x.clone();
            up[i] += h;
            final double[] down = x.clone();
            down[i] -= h;
            final double fd = (dot(mlp, up, yBar) - dot(mlp, down, yBar)) / (2 * h);
            assertEquals(fd, xBar[i], 1e-7 * Math.max(1.0, Math.abs(fd)), "input " + i);
        }
    }

    @Test
    void backwardAccumulatesParameterGradientsAndMayOmitTheInputProduct() {
        // GIVEN one evaluation and its parameter product
        final Mlp mlp = network(new Random(SEED + 1));
        final double[] record = new double[mlp.recordSize()];
        mlp.forward(new double[] {0.1, 0.2, -0.3}, new double[2], record, 0);
        final double[] once = new double[mlp.parameters().size()];
        mlp.backward(record, 0, new double[] {1.0, 2.0}, null, once, new double[mlp.scratchSize()]);
        // WHEN the product is taken twice into the same array, without the input product
        final double[] twice = new double[mlp.parameters().size()];
        mlp.backward(record, 0, new double[] {1.0, 2.0}, null, twice, new double[mlp.scratchSize()]);
        mlp.backward(record, 0, new double[] {1.0, 2.0}, null, twice, new double[mlp.scratchSize()]);
        // THEN it is accumulated (exactly twice: the same additions in the same order)
        for (int k = 0; k < once.length; k++) {
            assertEquals(2 * once[k], twice[k], 0.0);
        }
    }

    @Test
    void forwardAndBackwardAllocateNothing() {
        // GIVEN the spiral field and its work arrays
        final Mlp mlp = Mlp.tanhHidden(2, 50, 2);
        mlp.initialize(new Random(SEED), 0.1, 0.0);
        final double[] x = {0.5, -0.2};
        final double[] y = new double[2];
        final double[] record = new double[mlp.recordSize()];
        final double[] scratch = new double[mlp.scratchSize()];
        final double[] xBar = new double[2];
        final double[] grad = mlp.parameters().gradient();
        for (int k = 0; k < 20_000; k++) {
            mlp.forward(x, y, record, 0);
            mlp.backward(record, 0, y, xBar, grad, scratch);
        }
        // WHEN 100,000 evaluations and products run after warm-up
        final long before = allocatedBytes();
        for (int k = 0; k < 100_000; k++) {
            mlp.forward(x, y, record, 0);
            mlp.backward(record, 0, y, xBar, grad, scratch);
        }
        final long bytes = allocatedBytes() - before;
        // THEN they allocate nothing (a few hundred bytes of slack for the measurement itself)
        assertTrue(bytes < 1024, "allocated " + bytes + " bytes");
    }

    @Test
    void rejectsInconsistentShapes() {
        // GIVEN / WHEN / THEN one activation too few, or a zero width, is refused with the shapes in the message
        assertThrows(IllegalArgumentException.class,
                () -> new Mlp(new int[] {2, 3, 2}, new Activation[] {Activation.TANH}));
        assertThrows(IllegalArgumentException.class,
                () -> new Mlp(new int[] {2, 0}, new Activation[] {Activation.TANH}));
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getThreadAllocatedBytes(Thread.currentThread().getId());
    }
}
