package org.neurode.core.expr;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;
import org.neurode.core.spec.ExprSpec;

/**
 * Turns an {@link Expr} built with the Java API into the tree a {@link org.neurode.core.spec.ModelSpec} holds,
 * so that {@link Resolver} gives back an {@code Expr} of the same structure: the same operations in the same
 * order, and a node shared by several parents (built once, used twice) is one shared {@link ExprSpec} node, which
 * {@link Resolver} resolves once (its memo), so the compiler sees the same sharing.
 *
 * <p>Chains: the left operand of an addition or subtraction that is itself one (and used nowhere else) joins
 * the chain, {@code a.plus(b).minus(c)} becomes the {@link ExprSpec.Sum} {@code a + b - c}, which resolves to
 * {@code (a + b) - c} again; likewise for products. Conversion walks with an explicit stack, so expressions of
 * any depth convert (the compiler cuts deep ones).
 *
 * <p>One converter serves one builder: parts shared between equations stay shared.
 */
final class ExprToSpec {

    private final Map<String, Expr> symbols;
    /** Converted nodes (only those that are not inner links of a chain). */
    private final Map<Expr, ExprSpec> memo = new IdentityHashMap<>();

    /** Shape of the block being converted for (the shape of {@code i} and {@code j}); -1 for none. */
    private int blockRows = -1;
    private int blockCols = -1;

    /** @param symbols the builder's names: a named node must be the builder's own */
    ExprToSpec(final Map<String, Expr> symbols) {
        this.symbols = symbols;
    }

    /**
     * @param rows rows of the block the next expressions are for, or -1 for none (a named subexpression)
     * @param cols its columns
     * @return this converter
     */
    ExprToSpec forBlock(final int rows, final int cols) {
        blockRows = rows;
        blockCols = cols;
        return this;
    }

    /**
     * @param root  an expression
     * @param where what it is (an equation, a named subexpression), for messages
     * @return its tree
     * @throws OdeException if it uses a variable, parameter or named subexpression of another builder
     */
    ExprSpec convert(final Expr root, final String where) {
        final Map<Expr, Integer> parents = parents(root);
        final ArrayDeque<Expr> stack = new ArrayDeque<>();
        stack.push(root);
        while (!stack.isEmpty()) {
            final Expr e = stack.peek();
            if (memo.containsKey(e)) {
                stack.pop();
                continue;
            }
            final List<Expr> ops = operands(e, parents);
            boolean ready = true;
            for (int i = ops.size() - 1; i >= 0; i--) {
                if (!memo.containsKey(ops.get(i))) {
                    stack.push(ops.get(i));
                    ready = false;
                }
            }
            if (ready) {
                stack.pop();
                memo.put(e, node(e, parents, where));
            }
        }
        return memo.get(root);
    }

    /** How many parents each node not yet converted has in {@code root} (counting both uses of {@code x + x}). */
    private Map<Expr, Integer> parents(final Expr root) {
        final Map<Expr, Integer> count = new IdentityHashMap<>();
        final ArrayDeque<Expr> stack = new ArrayDeque<>();
        count.put(root, 0);
        stack.push(root);
        while (!stack.isEmpty()) {
            final Expr e = stack.pop();
            if (memo.containsKey(e)) {
                continue;
            }
            for (final Expr c : children(e)) {
                final Integer n = count.get(c);
                count.put(c, n == null ? 1 : n + 1);
                if (n == null) {
                    stack.push(c);
                }
            }
        }
        return count;
    }

    private static List<Expr> children(final Expr e) {
        // a named subexpression is a name here (its body was given to let)
        return e instanceof Nodes.Let ? List.of() : Nodes.operands(e);
    }

    private static boolean additive(final Expr e) {
        return e instanceof Nodes.Binary b && (b.op == Expr.Op.ADD || b.op == Expr.Op.SUB);
    }

    private static boolean multiplicative(final Expr e) {
        return e instanceof Nodes.Binary b && (b.op == Expr.Op.MUL || b.op == Expr.Op.DIV);
    }

    /** A link that joins its parent's chain: of the same kind, used once, not converted before. */
    private boolean joins(final Expr e, final boolean sum, final Map<Expr, Integer> parents) {
        return (sum ? additive(e) : multiplicative(e)) && parents.getOrDefault(e, 0) == 1 && !memo.containsKey(e);
    }

    /** The nodes whose trees {@link #node} needs: a chain's operands, or a node's children. */
    private List<Expr> operands(final Expr e, final Map<Expr, Integer> parents) {
        final boolean sum = additive(e);
        if (!sum && !multiplicative(e)) {
            return children(e);
        }
        final List<Expr> ops = new ArrayList<>();
        Expr link = e;
        do {
            final Nodes.Binary b = (Nodes.Binary) link;
            ops.add(b.b);
            link = b.a;
        } while (joins(link, sum, parents));
        ops.add(link);
        java.util.Collections.reverse(ops);
        return ops;
    }

    private ExprSpec node(final Expr e, final Map<Expr, Integer> parents, final String where) {
        if (e instanceof Nodes.Const c) {
            final double v = c.value;
            // a number is never negative in a tree: -2 is the negation of 2
            return Double.doubleToRawLongBits(v) < 0 ? new ExprSpec.Unary("-", new ExprSpec.Num(-v))
                    : new ExprSpec.Num(v);
        }
        if (e instanceof Nodes.Time) {
            return new ExprSpec.Name("t");
        }
        if (e instanceof Var v) {
            return own(e, v.name(), where);
        }
        if (e instanceof Nodes.Param p) {
            return own(e, p.name, where);
        }
        if (e instanceof Nodes.Let l) {
            return own(e, l.name, where);
        }
        if (e instanceof Nodes.Unary u) {
            if (u.fn == Expr.Fn.NOT) {
                return new ExprSpec.Unary("not", memo.get(u.arg));
            }
            return u.fn == Expr.Fn.NEG ? new ExprSpec.Unary("-", memo.get(u.arg))
                    : call(u.fn.name().toLowerCase(Locale.ROOT), u.arg);
        }
        if (e instanceof Nodes.Where w) {
            return call("where", w.condition, w.a, w.b);
        }
        if (e instanceof Nodes.Index ix) {
            if (ix.rows() != blockRows || ix.cols() != blockCols) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "the element index " + ix.text() + " (" + ix.shape()
                        + ") in " + where + (blockRows < 0 ? " belongs to no block: use it in an equation"
                        : " must have the shape of the equation's block, " + blockRows + "x" + blockCols));
            }
            return new ExprSpec.Name(ix.axis == 0 ? "i" : "j");
        }
        if (e instanceof Nodes.Part p) {
            final int rows = p.rows();
            final int cols = p.cols();
            final ExprSpec.Range r = rows == 1 ? ExprSpec.Range.of(p.r0) : new ExprSpec.Range(p.r0, p.r0 + rows, false);
            final ExprSpec.Range c = p.c0 == 0 && cols == p.arg.cols() ? null
                    : cols == 1 ? ExprSpec.Range.of(p.c0) : new ExprSpec.Range(p.c0, p.c0 + cols, false);
            return new ExprSpec.Part(memo.get(p.arg), r, c);
        }
        if (e instanceof Nodes.MatVec mv) {
            return new ExprSpec.Binary("@", memo.get(mv.matrix), memo.get(mv.vector));
        }
        if (e instanceof Nodes.Transpose tr) {
            return call("transpose", tr.arg);
        }
        if (e instanceof Nodes.Outer o) {
            return call("outer", o.a, o.b);
        }
        if (e instanceof Nodes.Sum s) {
            return call("sum", s.arg);
        }
        final Nodes.Binary b = (Nodes.Binary) e;
        switch (b.op) {
            case POW:
                return new ExprSpec.Binary("^", memo.get(b.a), memo.get(b.b));
            case MIN:
                return call("min", b.a, b.b);
            case MAX:
                return call("max", b.a, b.b);
            case LT:
            case LE:
            case GT:
            case GE:
            case EQ:
            case NE:
            case AND:
            case OR:
                return new ExprSpec.Binary(b.op.symbol, memo.get(b.a), memo.get(b.b));
            default:
                return chain(b, parents);
        }
    }

    /** A sum or product with the links that join it (see {@link #operands}). */
    private ExprSpec chain(final Nodes.Binary top, final Map<Expr, Integer> parents) {
        final boolean sum = additive(top);
        final List<Nodes.Binary> links = new ArrayList<>();
        Expr link = top;
        do {
            links.add((Nodes.Binary) link);
            link = ((Nodes.Binary) link).a;
        } while (joins(link, sum, parents));
        if (sum) {
            final List<ExprSpec.Term> terms = new ArrayList<>(links.size() + 1);
            terms.add(new ExprSpec.Term(false, memo.get(link)));
            for (int k = links.size() - 1; k >= 0; k--) {
                final Nodes.Binary b = links.get(k);
                terms.add(new ExprSpec.Term(b.op == Expr.Op.SUB, memo.get(b.b)));
            }
            return new ExprSpec.Sum(terms);
        }
        final List<ExprSpec.Factor> factors = new ArrayList<>(links.size() + 1);
        factors.add(new ExprSpec.Factor(false, memo.get(link)));
        for (int k = links.size() - 1; k >= 0; k--) {
            final Nodes.Binary b = links.get(k);
            factors.add(new ExprSpec.Factor(b.op == Expr.Op.DIV, memo.get(b.b)));
        }
        return new ExprSpec.Product(factors);
    }

    private ExprSpec call(final String function, final Expr... args) {
        final List<ExprSpec> a = new ArrayList<>(args.length);
        for (final Expr x : args) {
            a.add(memo.get(x));
        }
        return new ExprSpec.Call(function, a);
    }

    private ExprSpec own(final Expr e, final String name, final String where) {
        if (symbols.get(name) != e) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "'" + name + "' in " + where
                    + " was not declared by this builder");
        }
        return new ExprSpec.Name(name);
    }
}
