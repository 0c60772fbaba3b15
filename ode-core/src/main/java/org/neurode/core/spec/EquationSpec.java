package org.neurode.core.spec;

import java.util.Objects;

/**
 * The differential equation {@code d variable / dt = rhs} of a state variable.
 *
 * @param variable         the state variable's name
 * @param rhs              the right-hand side
 * @param unlessRefractory Brian2's flag {@code (unless refractory)}: each element is held still (its derivative
 *                         is 0) while its member is refractory after an event with a refractory period
 *                         ({@link EventSpec}) whose members are the variable's rows
 * @since 0.3
 */
public record EquationSpec(String variable, ExprSpec rhs, boolean unlessRefractory) {

    /** The flag as written after an equation in model files and documents. */
    public static final String UNLESS_REFRACTORY = "(unless refractory)";

    /**
     * @param variable         variable
     * @param rhs              right-hand side
     * @param unlessRefractory held while refractory
     */
    public EquationSpec {
        Objects.requireNonNull(variable, "variable");
        Objects.requireNonNull(rhs, "rhs");
    }

    /**
     * An equation that integrates also while its member is refractory.
     *
     * @param variable variable
     * @param rhs      right-hand side
     */
    public EquationSpec(final String variable, final ExprSpec rhs) {
        this(variable, rhs, false);
    }

    /**
     * @param flag the {@code (unless refractory)} flag
     * @return a copy with it
     * @since 0.4
     */
    public EquationSpec withUnlessRefractory(final boolean flag) {
        return new EquationSpec(variable, rhs, flag);
    }

    /**
     * The equation text without a trailing {@code (unless refractory)} flag.
     *
     * @param text an equation's right-hand side as written, possibly with the flag
     * @return the text without the flag, or {@code text} itself if it has none
     * @since 0.4
     */
    public static String withoutFlag(final String text) {
        final String s = text.stripTrailing();
        if (!s.endsWith(")")) {
            return text;
        }
        final int open = s.lastIndexOf('(');
        if (open < 0) {
            return text;
        }
        final String flag = s.substring(open + 1, s.length() - 1).strip().replaceAll("\\s+", " ");
        return "unless refractory".equals(flag) ? s.substring(0, open).stripTrailing() : text;
    }

    /**
     * @param text an equation's right-hand side as written
     * @return true if it ends with the flag {@code (unless refractory)}
     * @since 0.4
     */
    public static boolean hasFlag(final String text) {
        return !withoutFlag(text).equals(text);
    }

    /** @return the right-hand side as text, with the flag if set (as model files and documents write it) */
    public String text() {
        return rhs.text() + (unlessRefractory ? " " + UNLESS_REFRACTORY : "");
    }
}
