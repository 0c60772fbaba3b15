package org.neurode.models.credit;

/**
 * Exclusive or: inputs (0,0), (0,1), (1,0), (1,1) presented in turn (pattern p is combination p mod 4), target
 * x1 XOR x2 as one output; the test set is the four combinations, an output above 0.5 counting as 1. The student
 * is 2-8-1 with tanh hidden units and a logistic output under the squared error; weights U(-1, 1) / sqrt(fan-in),
 * biases from 0. The error is the fraction of the four combinations misclassified.
 *
 * @since 0.1
 */
public final class XorTask implements Task {

    private final LayeredNetwork.Config student = new LayeredNetwork.Config(new int[] {2, 8, 1}, Activation.TANH,
            Activation.LOGISTIC, LayeredNetwork.Loss.SQUARED_ERROR, Feedback.BACKPROP, new double[] {0.2, 0.2}, 1.0,
            true, 0.5, true);

    @Override
    public String name() {
        return "xor";
    }

    @Override
    public int inputs() {
        return 2;
    }

    @Override
    public int outputs() {
        return 1;
    }

    @Override
    public boolean classification() {
        return true;
    }

    @Override
    public void trainingPattern(final long index, final double[] input, final double[] target) {
        testPattern((int) (index & 3), input, target);
    }

    @Override
    public int testSize() {
        return 4;
    }

    @Override
    public void testPattern(final int index, final double[] input, final double[] target) {
        input[0] = index & 1;
        input[1] = (index >> 1) & 1;
        target[0] = ((index & 1) ^ ((index >> 1) & 1));
    }

    @Override
    public double error(final double[] prediction, final double[] target) {
        return (prediction[0] > 0.5 ? 1.0 : 0.0) == target[0] ? 0.0 : 1.0;
    }

    @Override
    public LayeredNetwork.Config network(final Feedback rule) {
        return student.withFeedback(rule);
    }

    @Override
    public Task copy() {
        return this;
    }
}
