package org.neurode.solvers.linear;

import java.util.Objects;

import org.neurode.solvers.adaptive.StepContext;

/**
 * What every storage shares: the dimension, the context that counts the work, the equilibration by the error
 * weights ({@link Equilibration}) and the solve that scales the right-hand side by \( D^{-1} \) and the solution by
 * D around the storage's own solve of the equilibrated system.
 *
 * @since 0.7
 */
abstract class EquilibratedNewtonMatrix implements NewtonMatrix {

    /** The simulation's context. */
    final StepContext context;
    /** The dimension. */
    final int n;
    /** The equilibration by the error weights at the point of the last {@link #evaluate}. */
    final Equilibration scaling;

    /** @param context the simulation's context */
    EquilibratedNewtonMatrix(final StepContext context) {
        this.context = Objects.requireNonNull(context, "context");
        this.n = context.dimension();
        this.scaling = new Equilibration(context);
    }

    @Override
    public final int dimension() {
        return n;
    }

    @Override
    public final void solve(final double[] b) {
        final boolean scaled = scaling.scaled();
        if (scaled) {
            scaling.scaleRightHandSide(b);
        }
        solveEquilibrated(b);
        if (scaled) {
            scaling.scaleSolution(b);
        }
    }

    /**
     * Solves \( D^{-1} (\alpha I - J) D\, x = b \) in place with the last successful factorization.
     *
     * @param b the right-hand side, replaced by the solution
     */
    abstract void solveEquilibrated(double[] b);
}
