package org.neurode.solvers;

/**
 * The continuous extension of one step, used for recording and event location.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface DenseOutput {

    /**
     * @param t   a time inside the current step
     * @param out state at {@code t} (modified)
     */
    void stateAt(double t, double[] out);
}
