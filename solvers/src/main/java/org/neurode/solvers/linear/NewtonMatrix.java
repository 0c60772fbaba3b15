package org.neurode.solvers.linear;

import org.neurode.solvers.adaptive.StepContext;

/**
 * The Jacobian \( J = \partial f/\partial y \) of a stiff method and the factorization of its Newton matrix
 * \( \alpha I - J \) (Rosenbrock: \( \alpha = 1/(h\gamma) \); BDF: \( \alpha = 1/(h\beta_0) \); Radau IIA:
 * \( \gamma/h \)), in one object whose storage (dense, sparse or banded) the method does not see.
 *
 * <p>Protocol, per simulation (one thread): {@link #evaluate} stores J at a point; {@link #factor} factors
 * \( \alpha I - J \) for that J (any number of times, e.g. after a step-size change, J is kept);
 * {@link #solve} solves with the last successful factorization; {@link #multiply} multiplies by the stored J.
 * Jacobians and factorizations are counted through the {@link StepContext}
 * ({@link StepContext#jacobian}/{@link StepContext#jacobianValues} count Jacobians,
 * {@link StepContext#countFactorization()} factorizations). Instances are created in
 * {@link org.neurode.solvers.adaptive.StepMethod#initialize} (they allocate everything then); no method below
 * allocates.
 *
 * <pre>{@code
 * NewtonMatrix m = NewtonMatrix.of(context);   // in initialize
 * m.evaluate(t, y, fy);                       // J at (t, y), f(t, y) = fy already evaluated
 * if (!m.factor(1.0 / (h * gamma))) { ... }   // singular: reject the step
 * m.solve(rhs);                               // rhs := (I/(h gamma) - J)^-1 rhs
 * }</pre>
 *
 * @since 0.5
 */
public interface NewtonMatrix {

    /** @return the dimension n */
    int dimension();

    /**
     * Evaluates and stores \( J(t, y) \) through the context: the equation's analytic Jacobian (dense or sparse),
     * else forward differences. Invalidates the factorization. Every storage also records the error weights
     * \( atol_i + rtol_i |y_i| \) at y and equilibrates its factorizations by them (the solutions are the same;
     * the rounding of each component scales with its own weight: {@code Equilibration}).
     *
     * @param t  time
     * @param y  state (not modified, not kept)
     * @param fy \( f(t, y) \), already evaluated (not modified, not kept; finite differences start from it)
     */
    void evaluate(double t, double[] y, double[] fy);

    /**
     * Factors \( \alpha I - J \) with the stored J and counts one factorization. J is kept: another
     * {@code alpha} needs no new {@link #evaluate}.
     *
     * @param alpha the diagonal shift (finite, typically \( 1/(h\gamma) \))
     * @return false if the matrix is singular to working precision (a zero or non-finite pivot); {@link #solve}
     *         must not be called until a later factorization succeeds
     */
    boolean factor(double alpha);

    /**
     * Solves \( (\alpha I - J) x = b \) with the last successful factorization.
     *
     * @param b the right-hand side on entry, the solution x on return
     */
    void solve(double[] b);

    /**
     * Multiplies by the stored Jacobian (for residuals).
     *
     * @param x   vector (not modified)
     * @param out \( J x \) (modified; must not be {@code x})
     */
    void multiply(double[] x, double[] out);

    /** @return the storage: {@code "dense"}, {@code "sparse"} or {@code "banded"} (for reports and tests) */
    String storage();

    /**
     * The Newton matrix a stiff method should use for the context's equation (the selection rule of
     * {@link LinearAlgebra#choose}).
     *
     * @param context the simulation's context (its dimension and Jacobian pattern)
     * @return a new matrix, with its work arrays allocated
     */
    static NewtonMatrix of(final StepContext context) {
        return LinearAlgebra.choose(context);
    }

    /**
     * @param context the simulation's context
     * @return a dense matrix (n x n, EJML's LU with partial pivoting), whatever the pattern
     */
    static NewtonMatrix dense(final StepContext context) {
        return new DenseNewtonMatrix(context);
    }

    /**
     * @param context the simulation's context; it must give a {@link StepContext#jacobianPattern()}
     * @return a sparse matrix (fill-reducing minimum-degree order computed now, EJML's sparse LU)
     */
    static NewtonMatrix sparse(final StepContext context) {
        return new SparseNewtonMatrix(context);
    }

    /**
     * @param context the simulation's context; it must give a {@link StepContext#jacobianPattern()}
     * @return a banded matrix with the pattern's bandwidths (LAPACK-style band LU with partial pivoting)
     */
    static NewtonMatrix banded(final StepContext context) {
        return new BandedNewtonMatrix(context);
    }
}
