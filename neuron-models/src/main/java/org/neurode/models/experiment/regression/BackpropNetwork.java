package org.neurode.models.experiment.regression;

import java.util.function.DoubleUnaryOperator;

/**
 * The backprop baseline of the regression experiment: a rate network
 * \( r_1 = \varphi(W_1 x) \), \( r_2 = \varphi(W_2 r_1) \) without biases (the microcircuit has none), trained
 * by plain stochastic gradient descent on \( L = |r_2 - r^{trgt}|^2 \), one update per pattern. Its output
 * rate is defined as the microcircuit's, \( \varphi \) of the output potential. Weights are row-major
 * (rows = postsynaptic) and may be read and replaced for checkpoints. Not thread-safe (work arrays).
 *
 * @since 0.1
 */
final class BackpropNetwork {

    private final int nIn;
    private final int nHidden;
    private final int nOut;
    private final double[] w1;
    private final double[] w2;
    private final double learningRate;
    private final DoubleUnaryOperator phi;
    private final DoubleUnaryOperator phiPrime;
    private final double[] u1;
    private final double[] r1;
    private final double[] u2;
    private final double[] delta2;

    /**
     * @param nIn          input size
     * @param nHidden      hidden size
     * @param nOut         output size
     * @param w1           hidden weights, nHidden x nIn (copied)
     * @param w2           output weights, nOut x nHidden (copied)
     * @param learningRate SGD step on \( L \)
     * @param phi          rate function
     * @param phiPrime     its derivative
     */
    BackpropNetwork(final int nIn, final int nHidden, final int nOut, final double[] w1, final double[] w2,
                    final double learningRate, final DoubleUnaryOperator phi, final DoubleUnaryOperator phiPrime) {
        this.nIn = nIn;
        this.nHidden = nHidden;
        this.nOut = nOut;
        this.w1 = w1.clone();
        this.w2 = w2.clone();
        this.learningRate = learningRate;
        this.phi = phi;
        this.phiPrime = phiPrime;
        this.u1 = new double[nHidden];
        this.r1 = new double[nHidden];
        this.u2 = new double[nOut];
        this.delta2 = new double[nOut];
    }

    /**
     * Forward pass.
     *
     * @param x     input rates (not modified)
     * @param rates output rates (modified)
     */
    void predict(final double[] x, final double[] rates) {
        for (int j = 0; j < nHidden; j++) {
            double s = 0.0;
            for (int i = 0; i < nIn; i++) {
                s += w1[j * nIn + i] * x[i];
            }
            u1[j] = s;
            r1[j] = phi.applyAsDouble(s);
        }
        for (int o = 0; o < nOut; o++) {
            double s = 0.0;
            for (int j = 0; j < nHidden; j++) {
                s += w2[o * nHidden + j] * r1[j];
            }
            u2[o] = s;
            rates[o] = phi.applyAsDouble(s);
        }
    }

    /**
     * One SGD step on one pattern.
     *
     * @param x      input rates (not modified)
     * @param target target rates (not modified)
     * @param rates  work array of the output size (modified: the output before the update)
     */
    void train(final double[] x, final double[] target, final double[] rates) {
        predict(x, rates);
        for (int o = 0; o < nOut; o++) {
            delta2[o] = 2.0 * (rates[o] - target[o]) * phiPrime.applyAsDouble(u2[o]);
        }
        for (int j = 0; j < nHidden; j++) {
            double back = 0.0;
            for (int o = 0; o < nOut; o++) {
                back += w2[o * nHidden + j] * delta2[o];
            }
            final double delta1 = back * phiPrime.applyAsDouble(u1[j]);
            for (int i = 0; i < nIn; i++) {
                w1[j * nIn + i] -= learningRate * delta1 * x[i];
            }
        }
        for (int o = 0; o < nOut; o++) {
            for (int j = 0; j < nHidden; j++) {
                w2[o * nHidden + j] -= learningRate * delta2[o] * r1[j];
            }
        }
    }

    /** @return the hidden weights (live; modified by training and by checkpoint restore) */
    double[] hiddenWeights() {
        return w1;
    }

    /** @return the output weights (live; modified by training and by checkpoint restore) */
    double[] outputWeights() {
        return w2;
    }
}
