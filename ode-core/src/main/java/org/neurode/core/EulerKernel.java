package org.neurode.core;

/**
 * An {@link Equation} that also offers a fused forward Euler step, \( y_{n+1} = y_n + h f(t_n, y_n) \),
 * computed in one pass without a separate derivative array. Models compiled by
 * {@link org.neurode.core.expr.ModelBuilder} implement it; the {@code euler} and {@code euler-maruyama} solvers
 * use it when present (tests check it equals the two-pass step).
 *
 * @since 0.1
 */
public interface EulerKernel extends Equation {

    /**
     * One forward Euler step of size {@code h} from {@code (t, y)}.
     *
     * @param t   step start time
     * @param h   step size
     * @param y   state at {@code t} (not modified)
     * @param out state after the step (modified; may be {@code y} only if {@link #eulerInPlace()})
     */
    void eulerStep(double t, double h, double[] y, double[] out);

    /**
     * True if {@link #eulerStep} may be called with {@code out == y}, updating the state in place: then a
     * step reads and writes the state once instead of reading one array and writing another (the state of a
     * plastic network is mostly weights and their filters, so this halves its memory traffic).
     *
     * @return whether in-place steps are allowed (false unless a kernel says so)
     */
    default boolean eulerInPlace() {
        return false;
    }
}
