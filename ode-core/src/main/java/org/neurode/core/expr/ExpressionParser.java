package org.neurode.core.expr;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;

/**
 * Recursive-descent parser of the text form of expressions:
 * {@code + - * / ^ @}, parentheses, numbers ({@code 1.5e-3}), names of variables, inputs, parameters and
 * subexpressions, the time {@code t}, and the functions {@code exp log sqrt tanh sigmoid softplus relu abs
 * sin cos step exprel min max pow outer sum transpose}. Errors name the column.
 */
final class ExpressionParser {

    private static final List<String> FUNCTIONS = List.of("exp", "log", "sqrt", "tanh", "sigmoid", "softplus",
            "relu", "abs", "sin", "cos", "step", "exprel", "min", "max", "pow", "outer", "sum", "transpose", "dot");

    private final String text;
    private final Map<String, Expr> symbols;
    private int pos;

    ExpressionParser(final String text, final Map<String, Expr> symbols) {
        this.text = text;
        this.symbols = symbols;
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
        return new OdeException(ErrorCode.EXPRESSION_SYNTAX, text, pos + 1, message);
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

    private Expr parseUnary() {
        if (accept('-')) {
            return parseUnary().negate();
        }
        if (accept('+')) {
            return parseUnary();
        }
        return parsePower();
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
        if (Character.isDigit(c) || c == '.') {
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
                throw error("unknown name '" + name + "'; known names: " + String.join(", ", symbols.keySet())
                        + ", t");
            }
            return e;
        }
        throw error("unexpected '" + c + "'");
    }

    private Expr number() {
        final int start = pos;
        while (pos < text.length() && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
            pos++;
        }
        if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
            int p = pos + 1;
            if (p < text.length() && (text.charAt(p) == '+' || text.charAt(p) == '-')) {
                p++;
            }
            if (p < text.length() && Character.isDigit(text.charAt(p))) {
                pos = p;
                while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                    pos++;
                }
            }
        }
        try {
            return Expr.constant(Double.parseDouble(text.substring(start, pos)));
        } catch (NumberFormatException e) {
            pos = start;
            throw error("malformed number '" + text.substring(start, Math.max(start + 1, pos)) + "'");
        }
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
