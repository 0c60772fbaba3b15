package org.neurode.core;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A one-step method on the diagonal split form \( \dot y_i = a_i(t, y)\, y_i + b_i(t, y) \) that a compiled
 * model fuses into one pass over its state ({@link Equation#fusedStep}):
 * \[ y_{n+1} = D(a, h)\, y_n + G(a, h)\, b, \]
 * with \( a, b \) at \( (t_n, y_n) \). The solver that owns the method states it; the model compiler generates
 * the step from it, so a new fused method needs a rule, not a change of the compiler. Examples (each solver
 * holds its own): forward Euler, \( D = 1 + h a \), \( G = h \); exponential Euler (Hochbruck and Ostermann
 * 2010), \( D = e^{a h} \), \( G = (e^{a h} - 1)/a \); linearly implicit Euler, \( D = 1/(1 - h a) \),
 * \( G = h/(1 - h a) \).
 *
 * <p>The two factors are Java expressions over the doubles {@code a} (the linear coefficient, 1/ms) and
 * {@code h} (the step, ms), using numbers, operators, {@code ?:} and {@code Math} methods only; they are
 * compiled into the model's step. Where a block has no linear part the step is \( y + h b \), so a rule must
 * reduce to forward Euler at \( a = 0 \) (all the rules above do). Where \( a \) is a scalar fixed for the
 * model's life (a leak, a filter's time constant), \( D \) and \( G \) are computed once per step and
 * plastic weight filters of the form {@code outer(u, v)} take a rank-one kernel. Where \( a \) varies, the
 * rule's {@link PerElement} says how the step is computed.
 *
 * @param name       the method's name (lower case, digits and dashes: the solver's name), naming the
 *                   generated step in errors
 * @param decay      Java expression of \( D(a, h) \)
 * @param gain       Java expression of \( G(a, h) \)
 * @param perElement how the step is computed where \( a \) depends on the state or time
 * @since 0.3
 */
public record StepRule(String name, String decay, String gain, PerElement perElement) {

    /** How a fused step treats blocks whose linear coefficient varies with the state or time. */
    public enum PerElement {
        /**
         * The forward Euler step \( y + h f \) on the whole derivative (no split needed). Only for rules with
         * \( D = 1 + h a \) and \( G = h \), where it gives the same step with fewer operations.
         */
        DERIVATIVE,
        /**
         * \( D \) and \( G \) per element, cached and recomputed only where \( a_i \) or \( h \) changed since
         * the last step: for costly factors ({@code exp}) of coefficients that rarely change.
         */
        CACHED,
        /** \( D \) and \( G \) computed per element at every step: for cheap factors. */
        DIRECT
    }

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");
    private static final Pattern CHARACTERS = Pattern.compile("[A-Za-z0-9_.+\\-*/()?:=<>!&|, ]+");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*");
    private static final Set<String> VARIABLES = Set.of("a", "h");

    /**
     * @throws OdeException if the name is not a lower-case word or a factor uses anything but {@code a},
     *                      {@code h}, numbers, operators and {@code Math} methods
     */
    public StepRule {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "the name of a fused step rule must be a lower-case"
                    + " word (letters, digits, dashes), not '" + name + "'");
        }
        if (perElement == null) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "fused step rule '" + name + "' has no per-element mode");
        }
        check(name, "decay", decay);
        check(name, "gain", gain);
    }

    private static void check(final String rule, final String what, final String code) {
        if (code == null || code.isBlank() || !CHARACTERS.matcher(code).matches()) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "the " + what + " factor of fused step rule '" + rule
                    + "' must be a Java expression over a and h, not '" + code + "'");
        }
        final Matcher m = IDENTIFIER.matcher(code);
        while (m.find()) {
            final String id = m.group();
            // a number's exponent (1e-3) or suffix is not an identifier: skip tokens glued to a digit
            if (m.start() > 0 && Character.isDigit(code.charAt(m.start() - 1))) {
                continue;
            }
            if (!VARIABLES.contains(id) && !id.startsWith("Math.")) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "the " + what + " factor of fused step rule '"
                        + rule + "' reads '" + id + "'; it may read a, h and Math methods only: " + code);
            }
        }
    }
}
