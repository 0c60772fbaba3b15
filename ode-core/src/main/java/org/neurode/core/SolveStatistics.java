package org.neurode.core;

/**
 * Work counters of one solve. Counts that a method does not have (Jacobians for explicit methods) are 0.
 *
 * @param rhsEvaluations      right-hand-side evaluations (full {@link Equation#derivatives} calls or
 *                            {@link LinearSplitEquation#split} calls)
 * @param acceptedSteps       accepted steps
 * @param rejectedSteps       rejected step attempts (error too large or non-finite)
 * @param jacobianEvaluations Jacobian evaluations (implicit methods)
 * @param luFactorizations    LU factorizations (implicit methods)
 * @param events              events handled
 * @since 0.1
 */
public record SolveStatistics(long rhsEvaluations, long acceptedSteps, long rejectedSteps,
                              long jacobianEvaluations, long luFactorizations, long events) {

    /** No work. */
    public static final SolveStatistics ZERO = new SolveStatistics(0, 0, 0, 0, 0, 0);

    /**
     * @param o other counters
     * @return the element-wise sum
     */
    public SolveStatistics plus(final SolveStatistics o) {
        return new SolveStatistics(rhsEvaluations + o.rhsEvaluations, acceptedSteps + o.acceptedSteps,
                rejectedSteps + o.rejectedSteps, jacobianEvaluations + o.jacobianEvaluations,
                luFactorizations + o.luFactorizations, events + o.events);
    }
}
