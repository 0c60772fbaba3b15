package org.neurode.solvers;

/**
 * What a solver is: its registry name, order, step control and stiffness suitability.
 *
 * @param name        registry name, e.g. {@code dormand-prince-853}
 * @param order       order of the solution (the propagated one for embedded pairs)
 * @param adaptive    true if the step size is controlled by an error estimate
 * @param stiffness   which problems it suits
 * @param stochastic  true if it integrates white-noise terms
 * @param description one line: method and reference
 * @since 0.1
 */
public record SolverInfo(String name, int order, boolean adaptive, Stiffness stiffness, boolean stochastic,
                         String description) {
}
