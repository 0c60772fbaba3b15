package org.neurode.examples.io;

import org.neurode.solvers.SolverInfo;

/**
 * A solver as written by {@code neurode solvers --json}.
 *
 * @param name        registry name, e.g. {@code exponential-euler}
 * @param order       order of the method
 * @param adaptive    true if the step size is error-controlled, false for fixed-step methods
 * @param stiffness   suitability label: {@code non-stiff}, {@code stiff linear part} or {@code stiff}
 * @param stochastic  true if the method integrates white-noise terms
 * @param description one line: method and reference
 * @since 0.1
 */
public record SolverInfoJson(String name, int order, boolean adaptive, String stiffness, boolean stochastic,
                             String description) {

    /**
     * @param info a solver description (not modified)
     * @return its JSON form
     */
    public static SolverInfoJson from(final SolverInfo info) {
        return new SolverInfoJson(info.name(), info.order(), info.adaptive(), info.stiffness().label(),
                                  info.stochastic(), info.description());
    }
}
