package org.neurode.core.expr;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;

/**
 * Recursive-descent parser of the text form of expressions:
 * {@code + - * / ^ @}, parentheses, numbers ({@code 1.5e-3}), names of variables, inputs, parameters and
 * subexpressions, the time {@code t}, and the functions {@code exp log sqrt tanh sigmoid softplus relu abs
 * sin cos step exprel min max pow outer sum transpose}. Errors name the column. Sums and products of any
 * length are read in a loop; nesting (parentheses, function arguments, signs and powers) is limited to
 * {@link #MAX_NESTING} levels, far beyond written models, so that the parser's recursion stays bounded.
 */
final class ExpressionParser {

    /** Deepest nesting of parentheses, arguments, signs and powers. */
    static final int MAX_NESTING = 256;
    /** Longest expression quoted whole in a message; longer ones are quoted around the error. */
    private static final int QUOTE = 80;
    /** Names listed in an unknown-name message. */
    private static final int LISTED = 30;

    private static final List<String> FUNCTIONS = List.of("exp", "log", "sqrt", "tanh", "sigmoid", "softplus",
            "relu", "abs", "sin", "cos", "step", "exprel", "min", "max", "pow", "outer", "sum", "transpose", "dot");

    private final String text;
    private final Map<String, Expr> symbols;
    private final String where;
    private int pos;
    private int nesting;

    /**
     * @param text    the expression
     * @param symbols the names it may use
     * @param where   what the expression is (an equation of a model), added to messages; null for nothing
     */
    ExpressionParser(final String text, final Map<String, Expr> symbols, final String where) {
        this.text = text;
        this.symbols = symbols;
        this.where = where;
    }

    Expr parse() {
        final Expr e = parseSum();
        skipSpace();
        if (pos < text.length()) {
            throw error("unexpected '" + text.charAt(pos) + "'");
        }
        return e;
    }

    private OdeException error(final String message) {
        return new OdeException(ErrorCode.EXPRESSION_SYNTAX, quote(text, pos), pos + 1,
                                where == null ? message : message + " (in " + where + ")");
    }

    /** The text, or for a long one the part around {@code at} with "..." for what is left out. */
    static String quote(final String text, final int at) {
        if (text.length() <= QUOTE) {
            return text;
        }
        final int from = Math.max(0, Math.min(at - QUOTE / 2, text.length() - QUOTE));
        final int to = Math.min(text.length(), from + QUOTE);
        return (from > 0 ? "..." : "") + text.substring(from, to) + (to < text.length() ? "..." : "");
    }

    /** Names for a message: all of them, or the first {@link #LISTED} and how many more. */
    static String list(final Collection<String> names) {
        if (names.size() <= LISTED) {
            return String.join(", ", names);
        }
        final List<String> first = new ArrayList<>(LISTED);
        for (final String n : names) {
            if (first.size() == LISTED) {
                break;
            }
            first.add(n);
        }
        return String.join(", ", first) + " and " + (names.size() - LISTED) + " more";
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private boolean accept(final char c) {
        skipSpace();
        if (pos < text.length() && text.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    private Expr parseSum() {
        Expr e = parseProduct();
        while (true) {
            final int at = pos;
            if (accept('+')) {
                e = wrap(at, e, parseProduct(), '+');
            } else if (accept('-')) {
                e = wrap(at, e, parseProduct(), '-');
            } else {
                return e;
            }
        }
    }

    private Expr parseProduct() {
        Expr e = parseUnary();
        while (true) {
            final int at = pos;
            if (accept('*')) {
                e = wrap(at, e, parseUnary(), '*');
            } else if (accept('/')) {
                e = wrap(at, e, parseUnary(), '/');
            } else if (accept('@')) {
                e = wrap(at, e, parseUnary(), '@');
            } else {
                return e;
            }
        }
    }

    private Expr wrap(final int at, final Expr a, final Expr b, final char op) {
        try {
            switch (op) {
                case '+':
                    return a.plus(b);
                case '-':
                    return a.minus(b);
                case '*':
                    return a.times(b);
                case '/':
                    return a.div(b);
                case '^':
                    return a.pow(b);
                default:
                    return a.matmul(b);
            }
        } catch (OdeException ex) {
            pos = at;
            throw error(ex.getMessage());
        }
    }

    /** A signed power: every nested subexpression passes here, so the nesting is counted here. */
    private Expr parseUnary() {
        if (++nesting > MAX_NESTING) {
            skipSpace();
            throw error("expression nests deeper than " + MAX_NESTING + " levels (parentheses, function "
                    + "arguments, signs and powers); name inner parts with 'let'");
        }
        final Expr e;
        if (accept('-')) {
            e = parseUnary().negate();
        } else if (accept('+')) {
            e = parseUnary();
        } else {
            e = parsePower();
        }
        nesting--;
        return e;
    }

    private Expr parsePower() {
        final Expr base = parsePrimary();
        final int at = pos;
        if (accept('^')) {
            return wrap(at, base, parseUnary(), '^');
        }
        return base;
    }

    private Expr parsePrimary() {
        skipSpace();
        if (pos >= text.length()) {
            throw error("unexpected end of expression");
        }
        final char c = text.charAt(pos);
        if (c == '(') {
            pos++;
            final Expr e = parseSum();
            if (!accept(')')) {
                throw error("missing ')'");
            }
            return e;
        }
        if (digit(c) || c == '.') {
            return number();
        }
        if (Character.isLetter(c) || c == '_') {
            final int start = pos;
            while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
                pos++;
            }
            final String name = text.substring(start, pos);
            skipSpace();
            if (pos < text.length() && text.charAt(pos) == '(') {
                pos++;
                return call(name, start);
            }
            if ("t".equals(name) && !symbols.containsKey("t")) {
                return Expr.time();
            }
            final Expr e = symbols.get(name);
            if (e == null) {
                pos = start;
                throw error("unknown name '" + name + "'; known names: " + list(symbols.keySet()) + ", t");
            }
            return e;
        }
        throw error("unexpected '" + c + "'");
    }

    private static boolean digit(final char c) {
        return c >= '0' && c <= '9';
    }

    private Expr number() {
        final int start = pos;
        while (pos < text.length() && (digit(text.charAt(pos)) || text.charAt(pos) == '.')) {
            pos++;
        }
        if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
            int p = pos + 1;
            if (p < text.length() && (text.charAt(p) == '+' || text.charAt(p) == '-')) {
                p++;
            }
            if (p < text.length() && digit(text.charAt(p))) {
                pos = p;
                while (pos < text.length() && digit(text.charAt(pos))) {
                    pos++;
                }
            }
        }
        final String literal = text.substring(start, pos);
        final double value;
        try {
            value = Double.parseDouble(literal);
        } catch (NumberFormatException e) {
            pos = start;
            throw error("malformed number '" + literal + "'");
        }
        if (!Double.isFinite(value)) {
            pos = start;
            throw error("number '" + literal + "' is too large (the largest is about 1.8e308)");
        }
        return Expr.constant(value);
    }

    private Expr call(final String name, final int start) {
        final List<Expr> args = new ArrayList<>();
        if (!accept(')')) {
            do {
                args.add(parseSum());
            } while (accept(','));
            if (!accept(')')) {
                throw error("missing ')' after the arguments of " + name);
            }
        }
        final int arity = switch (name) {
            case "min", "max", "pow", "outer", "dot" -> 2;
            default -> 1;
        };
        if (!FUNCTIONS.contains(name)) {
            pos = start;
            throw error("unknown function '" + name + "'; known functions: " + String.join(", ", FUNCTIONS));
        }
        if (args.size() != arity) {
            pos = start;
            throw error(name + " takes " + arity + " argument" + (arity == 1 ? "" : "s") + " but got " + args.size());
        }
        try {
            final Expr a = args.get(0);
            return switch (name) {
                case "exp" -> Expr.exp(a);
                case "log" -> Expr.log(a);
                case "sqrt" -> Expr.sqrt(a);
                case "tanh" -> Expr.tanh(a);
                case "sigmoid" -> Expr.sigmoid(a);
                case "softplus" -> Expr.softplus(a);
                case "relu" -> Expr.relu(a);
                case "exprel" -> Expr.exprel(a);
                case "abs" -> Expr.abs(a);
                case "sin" -> Expr.sin(a);
                case "cos" -> Expr.cos(a);
                case "step" -> Expr.step(a);
                case "sum" -> Expr.sum(a);
                case "transpose" -> a.transpose();
                case "min" -> Expr.min(a, args.get(1));
                case "max" -> Expr.max(a, args.get(1));
                case "pow" -> a.pow(args.get(1));
                case "outer" -> Expr.outer(a, args.get(1));
                default -> a.matmul(args.get(1));
            };
        } catch (OdeException ex) {
            if (ex.code() == ErrorCode.EXPRESSION_SYNTAX) {
                throw ex;
            }
            pos = start;
            throw error(ex.getMessage());
        }
    }
}
