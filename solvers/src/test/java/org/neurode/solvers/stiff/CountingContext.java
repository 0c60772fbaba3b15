package org.neurode.solvers.stiff;

import org.neurode.solvers.adaptive.StepContext;

/**
 * A {@link StepContext} for driving a step method by hand in tests: right-hand side and analytic Jacobian
 * from lambdas, counted evaluations, Jacobians and factorizations, scalar tolerances and Hairer's RMS norm
 * (the driver's).
 */
class CountingContext implements StepContext {

    /** A function of (t, y) written into an output array. */
    @FunctionalInterface
    interface Function {
        void apply(double t, double[] y, double[] out);
    }

    final int n;
    final double rtol;
    final double atol;
    long evaluations;
    long jacobians;
    long factorizations;
    private final Function rhs;
    private final Function jacobian;

    /**
     * @param n        dimension
     * @param rhs      right-hand side
     * @param jacobian its Jacobian, row-major n x n
     * @param rtol     relative tolerance
     * @param atol     absolute tolerance
     */
    CountingContext(final int n, final Function rhs, final Function jacobian, final double rtol, final double atol) {
        this.n = n;
        this.rhs = rhs;
        this.jacobian = jacobian;
        this.rtol = rtol;
        this.atol = atol;
    }

    @Override
    public int dimension() {
        return n;
    }

    @Override
    public void derivatives(final double t, final double[] y, final double[] dydt) {
        evaluations++;
        rhs.apply(t, y, dydt);
    }

    @Override
    public void jacobian(final double t, final double[] y, final double[] fy, final double[] dfdy) {
        jacobians++;
        jacobian.apply(t, y, dfdy);
    }

    @Override
    public void countFactorization() {
        factorizations++;
    }

    @Override
    public double absoluteTolerance(final int i) {
        return atol;
    }

    @Override
    public double relativeTolerance(final int i) {
        return rtol;
    }

    @Override
    public double errorNorm(final double[] error, final double[] y, final double[] yNew) {
        double sum = 0.0;
        for (int i = 0; i < n; i++) {
            final double r = error[i] / (atol + rtol * Math.max(Math.abs(y[i]), Math.abs(yNew[i])));
            sum += r * r;
        }
        return Math.sqrt(sum / n);
    }
}
