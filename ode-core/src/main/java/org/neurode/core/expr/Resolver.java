package org.neurode.core.expr;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;
import org.neurode.core.spec.ExprSpec;
import org.neurode.core.spec.ExprText;

/**
 * Turns an expression tree ({@link ExprSpec}, names unresolved) into the shape-checked {@link Expr} the compiler
 * uses, against a table of the names declared so far. A sum or product is folded left to right as its text
 * reads, so {@code a + b + c} and {@code (a + b) + c} give the same {@code Expr}. Errors have the form of syntax
 * errors: the text, the column of the part at fault and what is wrong (an unknown name where it is written, a
 * shape mismatch at its operator, a function's error where the call starts).
 */
final class Resolver {

    /** Names listed in an unknown-name message. */
    private static final int LISTED = 30;

    private final ExprText.Parsed parsed;
    private final Map<String, Expr> symbols;

    private Resolver(final ExprText.Parsed parsed, final Map<String, Expr> symbols) {
        this.parsed = parsed;
        this.symbols = symbols;
    }

    /**
     * @param parsed  the tree with its text and positions
     * @param symbols the names it may use (the time {@code t} is known unless a symbol has that name)
     * @return the expression
     * @throws OdeException ({@link ErrorCode#EXPRESSION_SYNTAX}) naming the column of the first error
     */
    static Expr resolve(final ExprText.Parsed parsed, final Map<String, Expr> symbols) {
        return new Resolver(parsed, symbols).resolve(parsed.tree());
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

    // recursion is as deep as the tree, which the parser bounds (ExprText.MAX_NESTING)
    private Expr resolve(final ExprSpec e) {
        if (e instanceof ExprSpec.Num n) {
            return Expr.constant(n.value());
        }
        if (e instanceof ExprSpec.Name n) {
            final Expr s = symbols.get(n.name());
            if (s != null) {
                return s;
            }
            if ("t".equals(n.name())) {
                return Expr.time();
            }
            throw parsed.error(parsed.position(n), "unknown name '" + n.name() + "'; known names: "
                    + list(symbols.keySet()) + ", t");
        }
        if (e instanceof ExprSpec.Unary u) {
            if (!"-".equals(u.op())) {
                throw unsupported(parsed.position(u), u.op());
            }
            return resolve(u.arg()).negate();
        }
        if (e instanceof ExprSpec.Binary b) {
            final int at = parsed.position(b);
            if (!"^".equals(b.op()) && !"@".equals(b.op())) {
                throw unsupported(at, b.op());
            }
            final Expr left = resolve(b.left());
            final Expr right = resolve(b.right());
            try {
                return "^".equals(b.op()) ? left.pow(right) : left.matmul(right);
            } catch (OdeException ex) {
                throw parsed.error(at, ex.getMessage());
            }
        }
        if (e instanceof ExprSpec.Sum s) {
            Expr acc = resolve(s.terms().get(0).value());
            for (int k = 1; k < s.terms().size(); k++) {
                final ExprSpec.Term t = s.terms().get(k);
                final Expr v = resolve(t.value());
                try {
                    acc = t.negative() ? acc.minus(v) : acc.plus(v);
                } catch (OdeException ex) {
                    throw parsed.error(parsed.position(t), ex.getMessage());
                }
            }
            return acc;
        }
        if (e instanceof ExprSpec.Product p) {
            Expr acc = resolve(p.factors().get(0).value());
            for (int k = 1; k < p.factors().size(); k++) {
                final ExprSpec.Factor f = p.factors().get(k);
                final Expr v = resolve(f.value());
                try {
                    acc = f.divide() ? acc.div(v) : acc.times(v);
                } catch (OdeException ex) {
                    throw parsed.error(parsed.position(f), ex.getMessage());
                }
            }
            return acc;
        }
        return call((ExprSpec.Call) e);
    }

    private OdeException unsupported(final int at, final String op) {
        return parsed.error(at, "'" + op + "' cannot be used in equations yet (comparisons, 'and', 'or' and 'not' "
                + "are read but not compiled)");
    }

    private Expr call(final ExprSpec.Call c) {
        final int start = parsed.position(c);
        final String name = c.function();
        final int arity = ExprText.arity(name);
        if (arity < 0) {
            throw parsed.error(start, "unknown function '" + name + "'; known functions: "
                    + String.join(", ", ExprText.functions()));
        }
        if (c.args().size() != arity) {
            throw parsed.error(start, name + " takes " + arity + " argument" + (arity == 1 ? "" : "s") + " but got "
                    + c.args().size());
        }
        final List<Expr> args = new ArrayList<>(arity);
        for (final ExprSpec a : c.args()) {
            args.add(resolve(a));
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
                case "dot" -> a.matmul(args.get(1));
                default -> throw parsed.error(start, "function '" + name + "' cannot be compiled");
            };
        } catch (OdeException ex) {
            if (ex.code() == ErrorCode.EXPRESSION_SYNTAX) {
                throw ex;
            }
            throw parsed.error(start, ex.getMessage());
        }
    }
}
