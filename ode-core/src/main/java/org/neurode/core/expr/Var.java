package org.neurode.core.expr;

/**
 * A named array declared with a {@link ModelBuilder}, usable in expressions: a state variable (integrated),
 * an input block (piecewise constant, set by schedules and experiments) or a parameter array (constant for a
 * run). Only state variables take equations, tolerance scales, noise and thresholds; inputs and parameters
 * are stored outside the integrated state.
 *
 * @since 0.1
 */
public final class Var extends Expr {

    /** Where a variable's values live. */
    enum Role {
        /** In the integrated state. */
        STATE,
        /** In the input buffer of the equation. */
        INPUT,
        /** In the parameter array of the equation. */
        PARAMETER
    }

    private final String name;
    private final String unit;
    private final Role role;

    Var(final String name, final int rows, final int cols, final String unit, final Role role) {
        super(rows, cols);
        this.name = name;
        this.unit = unit;
        this.role = role;
    }

    /** @return the variable name */
    public String name() {
        return name;
    }

    /** @return the unit text */
    public String unit() {
        return unit;
    }

    /** @return true for an input block */
    public boolean isInput() {
        return role == Role.INPUT;
    }

    /** @return true for a parameter array */
    public boolean isParameter() {
        return role == Role.PARAMETER;
    }

    /** @return true for a state variable (integrated, with an equation) */
    public boolean isState() {
        return role == Role.STATE;
    }

    /** @return where the values live */
    Role role() {
        return role;
    }

    /** @return number of elements */
    public int size() {
        return rows() * cols();
    }

    @Override
    public String text() {
        return name;
    }
}
