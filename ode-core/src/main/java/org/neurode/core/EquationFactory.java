package org.neurode.core;

/**
 * Creates a fresh {@link Equation} for given parameter values; called once per solve, so that scratch
 * arrays are never shared between threads.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface EquationFactory {

    /**
     * @param parameters parameter values (not modified)
     * @return a new equation instance
     */
    Equation create(Parameters parameters);
}
