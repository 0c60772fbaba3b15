package org.neurode.core.spec;

/**
 * What a {@link VariableSpec} is.
 *
 * @since 0.3
 */
public enum VariableKind {
    /** Integrated: it has an equation. */
    STATE,
    /** Read by equations, set by input schedules or experiments between segments; no equation. */
    INPUT
}
