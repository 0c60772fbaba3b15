package org.neurode.core;

/**
 * An equation that also supplies its Jacobian \( J_{ij} = \partial f_i / \partial y_j \), for the stiff
 * solvers (Rosenbrock and BDF methods solve linear systems with \( I - h\gamma J \)). Without it they
 * approximate J by finite differences, one extra right-hand-side evaluation per column.
 *
 * @since 0.1
 */
public interface JacobianEquation extends Equation {

    /**
     * @param t    time (model time unit)
     * @param y    state (not modified)
     * @param dfdy the Jacobian, row-major n x n: {@code dfdy[i * n + j]} = \( \partial f_i / \partial y_j \)
     *             (units of y_i per unit of y_j per time unit); every entry is written
     */
    void jacobian(double t, double[] y, double[] dfdy);
}
