package org.neurode.models.learn;

import org.neurode.core.Checks;

/** Adam with bias correction (see {@link Optimizer#adam}). */
final class Adam implements Optimizer {

    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private double[] m;
    private double[] v;
    private long t;

    Adam(final double learningRate, final double beta1, final double beta2, final double epsilon) {
        Checks.positive("learning rate", learningRate);
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    @Override
    public void step(final ParameterVector p) {
        final double[] x = p.values();
        final double[] g = p.gradient();
        if (m == null) {
            m = new double[x.length];
            v = new double[x.length];
        }
        t++;
        final double c1 = 1.0 - Math.pow(beta1, t);
        final double c2 = 1.0 - Math.pow(beta2, t);
        final double stepSize = learningRate / c1;
        final double sqrtC2 = Math.sqrt(c2);
        for (int i = 0; i < x.length; i++) {
            m[i] = beta1 * m[i] + (1.0 - beta1) * g[i];
            v[i] = beta2 * v[i] + (1.0 - beta2) * g[i] * g[i];
            // PyTorch's form: x -= lr / c1 * m / (sqrt(v) / sqrt(c2) + eps)
            x[i] -= stepSize * m[i] / (Math.sqrt(v[i]) / sqrtC2 + epsilon);
        }
    }

    @Override
    public double[][] state() {
        return m == null ? new double[0][] : new double[][] {m.clone(), v.clone(), {t}};
    }

    @Override
    public void restore(final double[][] state) {
        if (state.length == 0) {
            m = null;
            v = null;
            t = 0;
            return;
        }
        if (state.length != 3 || state[0].length != state[1].length || state[2].length != 1) {
            throw new IllegalArgumentException("Adam state must be m, v and the step count; got " + state.length
                    + " arrays");
        }
        m = state[0].clone();
        v = state[1].clone();
        t = (long) state[2][0];
    }

    @Override
    public String describe() {
        return "adam(lr=" + learningRate + ", beta1=" + beta1 + ", beta2=" + beta2 + ", eps=" + epsilon + ")";
    }
}
