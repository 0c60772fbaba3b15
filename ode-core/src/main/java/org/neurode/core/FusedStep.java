package org.neurode.core;

/**
 * A one-pass step of a compiled model for one {@link StepRule}: the split and the update in one loop over the
 * state, without derivative arrays. Obtained from {@link Equation#fusedStep}; it reads the same parameters and
 * the same input buffer as the equation that made it, so inputs written through {@link Equation#inputs()}
 * apply to both. Not thread-safe (it owns scratch space), like its equation.
 *
 * @since 0.3
 */
public interface FusedStep {

    /**
     * One step of size {@code h} from {@code (t, y)}.
     *
     * @param t   step start time (ms)
     * @param h   step size (ms, positive)
     * @param y   state at {@code t} (not modified unless {@code out == y})
     * @param out state after the step (modified; may be {@code y} only if {@link #inPlace()})
     */
    void step(double t, double h, double[] y, double[] out);

    /**
     * True if {@link #step} may be called with {@code out == y}, updating the state in place: a step then
     * reads and writes the state once instead of reading one array and writing another (the state of a plastic
     * network is mostly weights and their filters, so this halves its memory traffic). The compiler orders the
     * block updates so that each block is read before it is overwritten; a cycle of direct reads rules it out.
     *
     * @return whether in-place steps are allowed
     */
    boolean inPlace();
}
