package org.neurode.models.learn;

import org.neurode.core.Checks;

/**
 * A first-order optimizer: updates parameter values in place from their accumulated gradient. Each
 * instance keeps its moment estimates for one parameter vector.
 *
 * @since 0.2
 */
public interface Optimizer {

    /**
     * One update: {@code values -= f(gradient)}; the gradient is left as it is.
     *
     * @param parameters the parameters (values updated)
     */
    void step(ParameterVector parameters);

    /**
     * The optimizer's internal state (moment estimates, step count), copied, for checkpoints: a resumed
     * optimizer given it by {@link #restore} continues bit for bit.
     *
     * @return copies of the state arrays; none for a stateless optimizer or before the first step
     */
    default double[][] state() {
        return new double[0][];
    }

    /**
     * Restores a {@link #state()} of an optimizer of the same kind and size.
     *
     * @param state the arrays (copied)
     * @throws IllegalArgumentException if they do not fit this optimizer
     */
    default void restore(final double[][] state) {
        if (state.length != 0) {
            throw new IllegalArgumentException(describe() + " has no state; got " + state.length + " arrays");
        }
    }

    /** @return a short description with the hyper-parameters, e.g. {@code adam(lr=0.01)} */
    String describe();

    /**
     * Adam (Kingma and Ba 2015, ICLR, Algorithm 1) with bias correction; defaults as PyTorch's
     * {@code torch.optim.Adam}: beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8.
     *
     * @param learningRate step size (positive)
     * @return a new optimizer
     */
    static Optimizer adam(final double learningRate) {
        return new Adam(learningRate, 0.9, 0.999, 1e-8);
    }

    /**
     * RMSprop (Hinton, Coursera lecture 6e, 2012) as PyTorch's {@code torch.optim.RMSprop} defaults:
     * alpha = 0.99, epsilon = 1e-8 added outside the square root, no momentum, not centred.
     *
     * @param learningRate step size (positive)
     * @return a new optimizer
     */
    static Optimizer rmsProp(final double learningRate) {
        return new RmsProp(learningRate, 0.99, 1e-8);
    }

    /**
     * RMSprop with a chosen decay and epsilon, e.g. Keras' {@code tf.keras.optimizers.RMSprop} defaults
     * (rho = 0.9, epsilon = 1e-7, outside the square root, no momentum), which the CfC paper's TensorFlow
     * experiments use.
     *
     * @param learningRate step size (positive)
     * @param rho          decay of the mean square, in [0, 1)
     * @param epsilon      added to the root mean square (positive)
     * @return a new optimizer
     */
    static Optimizer rmsProp(final double learningRate, final double rho, final double epsilon) {
        if (!(rho >= 0.0 && rho < 1.0)) {
            throw new IllegalArgumentException("RMSprop rho must be in [0, 1): " + rho);
        }
        Checks.positive("RMSprop epsilon", epsilon);
        return new RmsProp(learningRate, rho, epsilon);
    }

    /**
     * Plain gradient descent.
     *
     * @param learningRate step size (positive)
     * @return a new optimizer
     */
    static Optimizer sgd(final double learningRate) {
        return new Optimizer() {
            @Override
            public void step(final ParameterVector p) {
                final double[] v = p.values();
                final double[] g = p.gradient();
                for (int i = 0; i < v.length; i++) {
                    v[i] -= learningRate * g[i];
                }
            }

            @Override
            public String describe() {
                return "sgd(lr=" + learningRate + ")";
            }
        };
    }

    /**
     * Scales the gradient so that its Euclidean norm is at most {@code maxNorm} (PyTorch's
     * {@code clip_grad_norm_}, the gradient clipping of the ncps examples).
     *
     * @param parameters parameters whose gradient is clipped in place
     * @param maxNorm    largest norm (positive)
     * @return the norm before clipping
     */
    static double clipGradientNorm(final ParameterVector parameters, final double maxNorm) {
        final double[] g = parameters.gradient();
        double sum = 0.0;
        for (final double x : g) {
            sum += x * x;
        }
        final double norm = Math.sqrt(sum);
        if (norm > maxNorm) {
            final double scale = maxNorm / (norm + 1e-6);
            for (int i = 0; i < g.length; i++) {
                g[i] *= scale;
            }
        }
        return norm;
    }
}
