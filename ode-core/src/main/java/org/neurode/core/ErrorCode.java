package org.neurode.core;

import java.text.MessageFormat;
import java.util.Locale;

/**
 * Every failure neurode reports, each with a message template that names the offending values
 * (Hipparchus' {@code LocalizedFormats} idea, without localisation).
 *
 * @since 0.1
 */
public enum ErrorCode {
    /** Unknown state variable: {0} name, {1} known names. */
    UNKNOWN_VARIABLE("unknown variable ''{0}''; known variables: {1}"),
    /** Unknown parameter: {0} name, {1} known names. */
    UNKNOWN_PARAMETER("unknown parameter ''{0}''; known parameters: {1}"),
    /** Duplicate name: {0} name. */
    DUPLICATE_NAME("name ''{0}'' is already defined"),
    /** Dimension mismatch: {0} what, {1} expected, {2} actual. */
    DIMENSION_MISMATCH("{0} has dimension {2} but {1} was expected"),
    /** Index out of range: {0} variable, {1} index, {2} size. */
    INDEX_OUT_OF_RANGE("index {1} is out of range for ''{0}'' of size {2}"),
    /** Not a finite number: {0} what, {1} value. */
    NOT_FINITE("{0} must be a finite number but is {1}"),
    /** Value must be positive: {0} what, {1} value. */
    NOT_POSITIVE("{0} must be positive but is {1}"),
    /** Value must not be negative: {0} what, {1} value. */
    NEGATIVE("{0} must not be negative but is {1}"),
    /** Invalid time span: {0} start, {1} end. */
    BAD_TIME_SPAN("time span [{0}, {1}] is empty or not finite: the end time must be after the start time"),
    /** Non-finite state during integration: {0} variable, {1} time, {2} value, {3} extra. */
    NON_FINITE_STATE("integration blew up: {0} became {2} at t = {1}{3}"),
    /** Step size underflow: {0} time, {1} step, {2} cause. */
    STEP_SIZE_UNDERFLOW("step size underflow at t = {0} (step {1} is below the minimum step){2}"),
    /** Maximum number of right-hand-side evaluations exceeded: {0} limit, {1} time. */
    MAX_EVALUATIONS("maximum number of right-hand-side evaluations ({0}) exceeded at t = {1}"),
    /**
     * An event member fires without end (see {@link EventDetector}): {0} the variable and member, {1} how
     * (again with no time elapsed, or too often within a window), {2} time, {3} advice.
     */
    EVENT_RUNAWAY("runaway events: {0} fired {1} at t = {2}{3}"),
    /** Expression syntax error: {0} text, {1} column, {2} message. */
    EXPRESSION_SYNTAX("in expression ''{0}'' at column {1}: {2}"),
    /** Unit syntax error: {0} text, {1} column, {2} message. */
    UNIT_SYNTAX("in unit ''{0}'' at column {1}: {2}"),
    /** Inconsistent units: {0} where (an equation, a parameter), {1} what is inconsistent, in user-facing units. */
    UNIT_MISMATCH("{0}: {1}"),
    /** A parameter array file that cannot be used: {0} file, {1} what is wrong (with line and column for CSV). */
    ARRAY_FILE("array file {0}: {1}"),
    /**
     * A data set that cannot be read (a missing folder or file, a defective IDX file): {0} the data set or file
     * at fault, {1} what is wrong (the field, with the value expected and the value found).
     */
    DATA_SET("{0}: {1}"),
    /** Shape mismatch in an expression: {0} operation, {1} left shape, {2} right shape, {3} text. */
    SHAPE_MISMATCH("{0}: shapes {1} and {2} do not match in ''{3}''"),
    /** Missing equation: {0} variable. */
    MISSING_EQUATION("state variable ''{0}'' has no differential equation (declare it with ode(...) or as an input)"),
    /** Unknown solver: {0} name, {1} known names. */
    UNKNOWN_SOLVER("unknown solver ''{0}''; available solvers: {1}"),
    /** Solver cannot handle the problem: {0} solver, {1} reason. */
    UNSUPPORTED("solver ''{0}'' cannot solve this problem: {1}"),
    /** Invalid argument: {0} message. */
    INVALID_ARGUMENT("{0}"),
    /** Code generation failed (a neurode bug): {0} model, {1} cause. */
    COMPILATION_FAILED("internal error compiling model ''{0}'': {1}");

    private final String template;

    ErrorCode(final String template) {
        this.template = template;
    }

    /**
     * Formats the message with the given values.
     *
     * @param values the values named in the template (not modified)
     * @return the message
     */
    public String format(final Object... values) {
        // numbers without grouping, to 12 significant digits ("1.1", not "1.0999999999999999" or "1,100")
        final Object[] text = new Object[values.length];
        for (int i = 0; i < values.length; i++) {
            text[i] = values[i] instanceof Number v ? number(v) : values[i];
        }
        return new MessageFormat(template, Locale.ROOT).format(text);
    }

    private static String number(final Number v) {
        if (v instanceof Double || v instanceof Float) {
            final double d = v.doubleValue();
            if (!Double.isFinite(d) || d == 0.0) {
                return String.valueOf(d);
            }
            final java.math.BigDecimal b = new java.math.BigDecimal(d).round(new java.math.MathContext(12))
                    .stripTrailingZeros();
            final double a = Math.abs(d);
            return a >= 1e-6 && a < 1e12 ? b.toPlainString() : b.toString();
        }
        return String.valueOf(v);
    }
}
