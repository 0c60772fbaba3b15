package org.neurode.models.learn;

import org.neurode.core.Checks;

/** RMSprop (see {@link Optimizer#rmsProp}). */
final class RmsProp implements Optimizer {

    private final double learningRate;
    private final double alpha;
    private final double epsilon;
    private double[] square;

    RmsProp(final double learningRate, final double alpha, final double epsilon) {
        Checks.positive("learning rate", learningRate);
        this.learningRate = learningRate;
        this.alpha = alpha;
        this.epsilon = epsilon;
    }

    @Override
    public void step(final ParameterVector p) {
        final double[] x = p.values();
        final double[] g = p.gradient();
        if (square == null) {
            square = new double[x.length];
        }
        for (int i = 0; i < x.length; i++) {
            square[i] = alpha * square[i] + (1.0 - alpha) * g[i] * g[i];
            x[i] -= learningRate * g[i] / (Math.sqrt(square[i]) + epsilon);
        }
    }

    @Override
    public double[][] state() {
        return square == null ? new double[0][] : new double[][] {square.clone()};
    }

    @Override
    public void restore(final double[][] state) {
        if (state.length > 1) {
            throw new IllegalArgumentException("RMSprop state is the mean square; got " + state.length + " arrays");
        }
        square = state.length == 0 ? null : state[0].clone();
    }

    @Override
    public String describe() {
        return "rmsprop(lr=" + learningRate + ", alpha=" + alpha + ", eps=" + epsilon + ")";
    }
}
