package org.neurode.core.spec;

import java.util.Objects;

/**
 * The differential equation {@code d variable / dt = rhs} of a state variable.
 *
 * @param variable the state variable's name
 * @param rhs      the right-hand side
 * @since 0.3
 */
public record EquationSpec(String variable, ExprSpec rhs) {

    /**
     * @param variable variable
     * @param rhs      right-hand side
     */
    public EquationSpec {
        Objects.requireNonNull(variable, "variable");
        Objects.requireNonNull(rhs, "rhs");
    }
}
