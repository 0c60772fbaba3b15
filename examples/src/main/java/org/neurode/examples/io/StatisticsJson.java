package org.neurode.examples.io;

import org.neurode.core.SolveStatistics;

/**
 * Work counters of a solve as written to {@code results.json}.
 *
 * @param rhsEvaluations      right-hand-side evaluations
 * @param acceptedSteps       accepted steps
 * @param rejectedSteps       rejected step attempts
 * @param jacobianEvaluations Jacobian evaluations (implicit methods; 0 otherwise)
 * @param luFactorizations    LU factorizations (implicit methods; 0 otherwise)
 * @param events              events handled (spikes)
 * @since 0.1
 */
public record StatisticsJson(long rhsEvaluations, long acceptedSteps, long rejectedSteps, long jacobianEvaluations,
                             long luFactorizations, long events) {

    /**
     * @param s counters (not modified)
     * @return their JSON form
     */
    public static StatisticsJson from(final SolveStatistics s) {
        return new StatisticsJson(s.rhsEvaluations(), s.acceptedSteps(), s.rejectedSteps(), s.jacobianEvaluations(),
                                  s.luFactorizations(), s.events());
    }
}
