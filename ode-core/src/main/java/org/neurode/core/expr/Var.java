package org.neurode.core.expr;

/**
 * A state variable or input block declared with a {@link ModelBuilder}; usable in expressions.
 *
 * @since 0.1
 */
public final class Var extends Expr {

    private final String name;
    private final String unit;
    private final boolean input;

    Var(final String name, final int rows, final int cols, final String unit, final boolean input) {
        super(rows, cols);
        this.name = name;
        this.unit = unit;
        this.input = input;
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
        return input;
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
