package org.neurode.core.expr;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;
import org.neurode.core.spec.ExprSpec;
import org.neurode.core.spec.ExprText;

/**
 * Turns expression trees ({@link ExprSpec}, names unresolved) into the shape-checked {@link Expr} the compiler
 * uses, against a table of the names declared so far. A sum or product is folded left to right as its text
 * reads, so {@code a + b + c} and {@code (a + b) + c} give the same {@code Expr}. A tree node reached twice (a
 * part shared by several parents, see {@link ExprToSpec}) is resolved once: the {@code Expr} is shared in turn.
 * The walk uses an explicit stack, so trees of any depth resolve.
 *
 * <p>Errors: for parsed text ({@link ExprText.Parsed}) they have the form of syntax errors: the text, the column
 * of the part at fault and what is wrong (an unknown name where it is written, a shape mismatch at its operator,
 * a function's error where the call starts). For trees without text they name what the expression is.
 */
final class Resolver {

    /** Names listed in an unknown-name message. */
    private static final int LISTED = 30;
    /** The functions of the language this resolver compiles. */
    private static final java.util.Set<String> COMPILED = java.util.Set.of("exp", "log", "sqrt", "tanh", "sigmoid",
            "softplus", "relu", "exprel", "abs", "sin", "cos", "tan", "atan", "step", "floor", "ceil", "sign", "sum",
            "transpose", "min", "max", "pow", "outer", "dot", "where", "clip");
    /** The element-wise binary operators of conditions. */
    private static final java.util.Set<String> CONDITIONS = java.util.Set.of("<", "<=", ">", ">=", "==", "!=", "and",
            "or");

    private final Map<String, Expr> symbols;
    /** Resolved nodes, by identity. */
    private final Map<ExprSpec, Expr> memo = new IdentityHashMap<>();
    /** The text of the tree being resolved (null for a tree without text). */
    private ExprText.Parsed parsed;
    /** What the tree being resolved is, for messages about trees without text. */
    private String where;
    /** Shape of the block the expression is for ({@code i}, {@code j}, {@code N}); rows -1 for none (a let). */
    private int contextRows = -1;
    /** True where {@code rand()}, {@code randn()} and {@code dt} are allowed ({@link #stochastic()}). */
    private boolean stochastic;
    private int contextCols = -1;
    /** Resolved nodes that use {@code i}, {@code j} or {@code N}: forgotten when the block shape changes. */
    private final java.util.Set<ExprSpec> contextual = java.util.Collections.newSetFromMap(new IdentityHashMap<>());

    /**
     * Sets the block the following expressions are for: {@code i}, {@code j} and {@code N} are its row index,
     * column index and number of rows (unless the model declares those names).
     *
     * @param rows rows of the block, or -1 for none (a named subexpression belongs to no block)
     * @param cols columns of the block
     * @return this resolver
     */
    Resolver forBlock(final int rows, final int cols) {
        if (rows != contextRows || cols != contextCols) {
            for (final ExprSpec e : contextual) {
                memo.remove(e);
            }
            contextual.clear();
            contextRows = rows;
            contextCols = cols;
        }
        return this;
    }

    /**
     * @param symbols the names trees may use (the time {@code t} is known unless a symbol has that name); read
     *                at each call, so names declared later are known to later calls
     */
    Resolver(final Map<String, Expr> symbols) {
        this.symbols = symbols;
    }

    /**
     * Lets the following expressions draw random numbers ({@code rand()}, {@code randn()}) and read the step
     * length {@code dt} (unless the model declares that name): for event conditions and statements and projection
     * statements, which are compiled per member or synapse with a generator of their own.
     *
     * @return this resolver
     */
    Resolver stochastic() {
        this.stochastic = true;
        return this;
    }

    /**
     * @param parsed  the tree with its text and positions
     * @param symbols the names it may use
     * @return the expression
     * @throws OdeException ({@link ErrorCode#EXPRESSION_SYNTAX}) naming the column of the first error
     */
    static Expr resolve(final ExprText.Parsed parsed, final Map<String, Expr> symbols) {
        return new Resolver(symbols).resolve(parsed);
    }

    /**
     * @param p a parsed expression
     * @return its expression
     * @throws OdeException ({@link ErrorCode#EXPRESSION_SYNTAX}) naming the column of the first error
     */
    Expr resolve(final ExprText.Parsed p) {
        this.parsed = p;
        this.where = p.where();
        try {
            return walk(p.tree());
        } finally {
            this.parsed = null;
        }
    }

    /**
     * @param tree  a tree without text (from the Java API or a fragment)
     * @param what  what it is, for messages ("the equation of 'v' of model 'm'")
     * @return its expression
     * @throws OdeException naming {@code what} and the part at fault
     */
    Expr resolve(final ExprSpec tree, final String what) {
        this.parsed = null;
        this.where = what;
        return walk(tree);
    }

    /** Forgets what was resolved (after names were removed: the resolved expressions may use them). */
    void forget() {
        memo.clear();
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

    /** The operands of a node, left to right. */
    private static List<ExprSpec> children(final ExprSpec e) {
        if (e instanceof ExprSpec.Unary u) {
            return List.of(u.arg());
        }
        if (e instanceof ExprSpec.Binary b) {
            return List.of(b.left(), b.right());
        }
        if (e instanceof ExprSpec.Sum s) {
            final List<ExprSpec> c = new ArrayList<>(s.terms().size());
            for (final ExprSpec.Term t : s.terms()) {
                c.add(t.value());
            }
            return c;
        }
        if (e instanceof ExprSpec.Product p) {
            final List<ExprSpec> c = new ArrayList<>(p.factors().size());
            for (final ExprSpec.Factor f : p.factors()) {
                c.add(f.value());
            }
            return c;
        }
        if (e instanceof ExprSpec.Call c) {
            return c.args();
        }
        if (e instanceof ExprSpec.Part p) {
            return List.of(p.base());
        }
        return List.of();
    }

    /** Children first, left to right (the order in which the text is read), each node once. */
    private Expr walk(final ExprSpec root) {
        final ArrayDeque<ExprSpec> stack = new ArrayDeque<>();
        final ArrayDeque<Boolean> expanded = new ArrayDeque<>();
        stack.push(root);
        expanded.push(Boolean.FALSE);
        while (!stack.isEmpty()) {
            final ExprSpec e = stack.pop();
            final boolean ready = expanded.pop();
            if (memo.containsKey(e)) {
                continue;
            }
            if (ready) {
                memo.put(e, node(e));
                for (final ExprSpec c : children(e)) {
                    if (contextual.contains(c)) {
                        contextual.add(e);
                        break;
                    }
                }
                continue;
            }
            stack.push(e);
            expanded.push(Boolean.TRUE);
            final List<ExprSpec> c = children(e);
            for (int i = c.size() - 1; i >= 0; i--) {
                if (!memo.containsKey(c.get(i))) {
                    stack.push(c.get(i));
                    expanded.push(Boolean.FALSE);
                }
            }
        }
        return memo.get(root);
    }

    private OdeException error(final Object part, final String message) {
        if (parsed != null) {
            return parsed.error(parsed.position(part), message);
        }
        return new OdeException(ErrorCode.INVALID_ARGUMENT, (where == null ? "" : "in " + where + ": ") + message);
    }

    /** One node from its resolved operands. */
    private Expr node(final ExprSpec e) {
        if (e instanceof ExprSpec.Num n) {
            return Expr.constant(n.value());
        }
        if (e instanceof ExprSpec.Name n) {
            final Expr s = symbols.get(n.name());
            if (s != null) {
                return s;
            }
            switch (n.name()) {
                case "t":
                    return Expr.time();
                case "dt":
                    if (stochastic) {
                        return Nodes.Step.INSTANCE;
                    }
                    throw error(n, "'dt' (the step length) is known in event conditions and statements and in "
                            + "projection statements, not here; declare a parameter to use a fixed interval");
                case "pi":
                    return Expr.constant(Math.PI);
                case "e":
                    return Expr.constant(Math.E);
                case "i":
                case "j":
                case "N":
                    return blockName(n);
                case "xi":
                    throw error(n, "'xi' (white noise) must be a term of the equation, 'sigma * xi' with sigma "
                            + "made of numbers and parameters (multiplicative noise is not supported)");
                default:
                    throw error(n, "unknown name '" + n.name() + "'; known names: " + list(symbols.keySet())
                            + ", t, pi, e, and in an equation i, j, N");
            }
        }
        if (e instanceof ExprSpec.Unary u) {
            if ("not".equals(u.op())) {
                return Expr.not(memo.get(u.arg()));
            }
            if (!"-".equals(u.op())) {
                throw unsupported(u, u.op());
            }
            return memo.get(u.arg()).negate();
        }
        if (e instanceof ExprSpec.Binary b) {
            final Expr left = memo.get(b.left());
            final Expr right = memo.get(b.right());
            try {
                return switch (b.op()) {
                    case "^" -> left.pow(right);
                    case "@" -> left.matmul(right);
                    case "<" -> left.lt(right);
                    case "<=" -> left.le(right);
                    case ">" -> left.gt(right);
                    case ">=" -> left.ge(right);
                    case "==" -> left.eq(right);
                    case "!=" -> left.ne(right);
                    case "and" -> left.and(right);
                    case "or" -> left.or(right);
                    default -> throw unsupported(b, b.op());
                };
            } catch (OdeException ex) {
                if (ex.code() == ErrorCode.EXPRESSION_SYNTAX) {
                    throw ex;
                }
                throw error(b, ex.getMessage());
            }
        }
        if (e instanceof ExprSpec.Part p) {
            final Expr base = memo.get(p.base());
            final int r0 = p.rows().from();
            final int r1 = p.rows().end(base.rows());
            final int c0 = p.cols() == null ? 0 : p.cols().from();
            final int c1 = p.cols() == null ? base.cols() : p.cols().end(base.cols());
            if (p.cols() != null && base.cols() == 1 && !(c0 == 0 && c1 == 1)) {
                throw error(p, "'" + base.text() + "' is a vector (" + base.shape() + "): index it with one range");
            }
            try {
                return base.part(r0, r1, c0, c1);
            } catch (OdeException ex) {
                throw error(p, ex.getMessage());
            }
        }
        if (e instanceof ExprSpec.Sum s) {
            Expr acc = memo.get(s.terms().get(0).value());
            for (int k = 1; k < s.terms().size(); k++) {
                final ExprSpec.Term t = s.terms().get(k);
                final Expr v = memo.get(t.value());
                try {
                    acc = t.negative() ? acc.minus(v) : acc.plus(v);
                } catch (OdeException ex) {
                    throw error(t, ex.getMessage());
                }
            }
            return acc;
        }
        if (e instanceof ExprSpec.Product p) {
            Expr acc = memo.get(p.factors().get(0).value());
            for (int k = 1; k < p.factors().size(); k++) {
                final ExprSpec.Factor f = p.factors().get(k);
                final Expr v = memo.get(f.value());
                try {
                    acc = f.divide() ? acc.div(v) : acc.times(v);
                } catch (OdeException ex) {
                    throw error(f, ex.getMessage());
                }
            }
            return acc;
        }
        return call((ExprSpec.Call) e);
    }

    private OdeException unsupported(final Object part, final String op) {
        return error(part, "unknown operator '" + op + "'");
    }

    /** {@code i}, {@code j} or {@code N} of the block the expression is for. */
    private Expr blockName(final ExprSpec.Name n) {
        if (contextRows < 0) {
            throw error(n, "'" + n.name() + "' refers to the block of an equation or initial value, and a named "
                    + "subexpression belongs to no block: use '" + n.name() + "' in the equation");
        }
        contextual.add(n);
        return switch (n.name()) {
            case "i" -> Expr.index(contextRows, contextCols, 0);
            case "j" -> Expr.index(contextRows, contextCols, 1);
            default -> Expr.constant(contextRows);
        };
    }

    private Expr call(final ExprSpec.Call c) {
        final String name = c.function();
        final int arity = ExprText.arity(name);
        if (arity < 0) {
            throw error(c, "unknown function '" + name + "'; known functions: "
                    + String.join(", ", ExprText.functions()));
        }
        if (c.args().size() != arity) {
            throw error(c, name + " takes " + arity + " argument" + (arity == 1 ? "" : "s") + " but got "
                    + c.args().size());
        }
        final List<Expr> args = new ArrayList<>(arity);
        for (final ExprSpec a : c.args()) {
            args.add(memo.get(a));
        }
        if (("rand".equals(name) || "randn".equals(name)) && stochastic) {
            return "rand".equals(name) ? Nodes.Random.UNIFORM : Nodes.Random.NORMAL;
        }
        if ("rand".equals(name) || "randn".equals(name)) {
            throw error(c, name + "() draws initial and parameter values when the model is built, and in event "
                    + "conditions and statements and projection statements when they run; in equations, white noise "
                    + "is written 'sigma * xi'");
        }
        if (!COMPILED.contains(name)) {
            throw error(c, "function '" + name + "' cannot be compiled yet");
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
                case "tan" -> Expr.tan(a);
                case "atan" -> Expr.atan(a);
                case "floor" -> Expr.floor(a);
                case "ceil" -> Expr.ceil(a);
                case "sign" -> Expr.sign(a);
                case "where" -> Expr.where(a, args.get(1), args.get(2));
                case "clip" -> Expr.clip(a, args.get(1), args.get(2));
                case "outer" -> Expr.outer(a, args.get(1));
                default -> a.matmul(args.get(1));       // dot
            };
        } catch (OdeException ex) {
            throw error(c, ex.getMessage());
        }
    }
}
