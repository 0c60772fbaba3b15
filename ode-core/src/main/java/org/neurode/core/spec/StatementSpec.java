package org.neurode.core.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;

/**
 * One statement of an event's reset (and, later, of a synapse's {@code on_pre}/{@code on_post} block): an
 * assignment {@code x = expr} or an update {@code x += expr}, {@code x -= expr}, {@code x *= expr},
 * {@code x /= expr} of a state variable, applied per element to the members that fire.
 *
 * @param variable the assigned state variable
 * @param op       the operator: {@code =}, {@code +=}, {@code -=}, {@code *=} or {@code /=}
 * @param value    the right-hand side
 * @since 0.4
 */
public record StatementSpec(String variable, String op, ExprSpec value) {

    /** The operators of statements. */
    public static final List<String> OPERATORS = List.of("=", "+=", "-=", "*=", "/=");

    /** {@code NAME op rest}: the {@code =} of an assignment is not the start of {@code ==}. */
    private static final Pattern FORM = Pattern.compile("\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*(\\+=|-=|\\*=|/=|=(?!=))(.*)",
            Pattern.DOTALL);

    /**
     * @param variable variable
     * @param op       operator
     * @param value    right-hand side
     */
    public StatementSpec {
        Objects.requireNonNull(variable, "variable");
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(value, "value");
        if (!OPERATORS.contains(op)) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "'" + op + "' is not a statement operator; expected "
                    + String.join(" ", OPERATORS));
        }
    }

    /**
     * Parses one statement ({@code w += b}).
     *
     * @param text the statement
     * @return the statement
     * @throws OdeException naming the statement and what is wrong (no assignment, a syntax error in the value
     *                      with its column within the statement)
     */
    public static StatementSpec parse(final String text) {
        final Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "'" + text.strip() + "' is not a statement: expected"
                    + " 'NAME = EXPRESSION' (or +=, -=, *=, /=)");
        }
        final String rhs = m.group(3);
        if (rhs.isBlank()) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "statement '" + text.strip() + "' has no value after '"
                    + m.group(2) + "'");
        }
        final ExprSpec value;
        try {
            value = ExprText.parse(rhs.strip());
        } catch (OdeException e) {
            throw new OdeException(e, ErrorCode.INVALID_ARGUMENT, "in statement '" + text.strip() + "': "
                    + e.getMessage());
        }
        return new StatementSpec(m.group(1), m.group(2), value);
    }

    /**
     * Parses statements separated by {@code ;} (or line breaks): {@code v = Vr; w += b}.
     *
     * @param text the statements (blank: none)
     * @return the statements, in order
     * @throws OdeException as {@link #parse(String)}
     */
    public static List<StatementSpec> parseAll(final String text) {
        final List<StatementSpec> out = new ArrayList<>();
        for (final String part : text.split("[;\\n]")) {
            if (!part.isBlank()) {
                out.add(parse(part));
            }
        }
        return out;
    }

    /**
     * @param statements statements
     * @return their text, separated by {@code "; "} (what {@link #parseAll} reads back)
     */
    public static String text(final List<StatementSpec> statements) {
        final StringBuilder sb = new StringBuilder();
        for (final StatementSpec s : statements) {
            sb.append(sb.length() == 0 ? "" : "; ").append(s.text());
        }
        return sb.toString();
    }

    /** @return the statement as text ({@code w += b}) */
    public String text() {
        return variable + " " + op + " " + value.text();
    }
}
