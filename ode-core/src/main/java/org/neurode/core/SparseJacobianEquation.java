package org.neurode.core;

/**
 * An equation that knows the sparsity pattern of its Jacobian and, optionally, its values. Stiff solvers then store
 * and factor sparse Newton matrices, and finite differences perturb structurally independent columns together.
 *
 * <p>An equation that also implements {@link JacobianEquation} must give the same values through both.
 *
 * @since 0.5
 */
public interface SparseJacobianEquation extends Equation {

    /** @return the structural pattern of \( \partial f/\partial y \) (the same object on every call) */
    JacobianPattern jacobianPattern();

    /**
     * @return true if {@link #jacobianValues} gives analytic values; false if only the pattern is known (the
     *         solver then uses finite differences grouped by the pattern)
     */
    boolean hasJacobianValues();

    /**
     * The Jacobian's values at the listed entries.
     *
     * @param t      time (model time unit)
     * @param y      state (not modified)
     * @param values \( \partial f_i/\partial y_j \) in the pattern's order, {@link JacobianPattern#nonZeros()}
     *               entries; every entry is written
     * @throws UnsupportedOperationException if {@link #hasJacobianValues()} is false
     */
    void jacobianValues(double t, double[] y, double[] values);
}
