package org.neurode.core;

/**
 * A {@link LinearSplitEquation} that also offers a fused exponential Euler step: the split and the update
 * \( y_{n+1} = e^{a h} y_n + h \varphi_1(a h) b \) in one pass over the state, with exponentials hoisted
 * out of the loop where \( a \) does not depend on the state (Brian2's loop-invariant lifting). Models
 * compiled by {@link org.neurode.core.expr.ModelBuilder} implement it; the exponential Euler solver uses
 * it when present and the generic split otherwise (tests check both agree).
 *
 * @since 0.1
 */
public interface ExponentialEulerKernel extends LinearSplitEquation {

    /**
     * One exponential Euler step of size {@code h} from {@code (t, y)}.
     *
     * @param t   step start time
     * @param h   step size (positive)
     * @param y   state at {@code t} (not modified)
     * @param out state after the step (modified; may be {@code y} only if {@link #exponentialInPlace()})
     */
    void exponentialEulerStep(double t, double h, double[] y, double[] out);

    /**
     * True if {@link #exponentialEulerStep} may be called with {@code out == y} (see
     * {@link EulerKernel#eulerInPlace()}).
     *
     * @return whether in-place steps are allowed (false unless a kernel says so)
     */
    default boolean exponentialInPlace() {
        return false;
    }
}
