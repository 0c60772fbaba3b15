package org.neurode.core.spec;

import java.util.Objects;

/**
 * A named subexpression, computed once per evaluation of the right-hand side.
 *
 * @param name the name
 * @param body the expression
 * @since 0.3
 */
public record LetSpec(String name, ExprSpec body) {

    /**
     * @param name name
     * @param body expression
     */
    public LetSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(body, "body");
    }
}
