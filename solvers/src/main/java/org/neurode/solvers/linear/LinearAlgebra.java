package org.neurode.solvers.linear;

import org.neurode.solvers.adaptive.StepContext;

/**
 * The selection rule of {@link NewtonMatrix#of}: which storage a stiff method gets for the context's equation.
 *
 * <p>Today: dense for every equation (EJML's dense LU).
 *
 * @since 0.5
 */
public final class LinearAlgebra {

    private LinearAlgebra() {
    }

    /**
     * @param context the simulation's context
     * @return the Newton matrix for its equation
     */
    public static NewtonMatrix choose(final StepContext context) {
        return new DenseNewtonMatrix(context);
    }
}
