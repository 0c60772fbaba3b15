package org.neurode.core.expr;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.neurode.core.expr.Expr.Fn;

/**
 * The linear-parts pass of the compiler ({@link EquationCompiler} lists the passes): it takes the right-hand side
 * f of one equation dx/dt = f, as an expression graph over the model's storage (the emission pass gives the form
 * it has cut into pieces of bounded size, so that no walk here recurses deeper than one piece), and gives its
 * split f = a * x + b, element-wise, with a free of x where the symbolic rules find it (sums, differences,
 * negations, products and quotients by factors free of x, named subexpressions of the block's shape). Terms that
 * are not linear in x stay in b, evaluated at the current state. The generated {@code split} method and the fused
 * exponential Euler step compute a and b per block; the fused Euler step uses a state-independent scalar a.
 *
 * <p>The parts are new nodes over the nodes of f (shared with it); the emission pass cuts them again and
 * emits them. One instance serves all equations of a model: the weights of named subexpressions are kept
 * across equations, the other memos are per equation.
 */
final class LinearParts {

    /**
     * Named subexpressions larger than this (nodes, counted through the named subexpressions they use) are
     * not looked into for the linear split: they count as state-dependent terms. Bounds the work of the
     * split per equation when many equations read one large named subexpression.
     */
    static final int MAX_SPLIT_WEIGHT = 4096;

    /**
     * The split of an expression: {@code f = a * x + b} (a and b free of x where possible).
     *
     * @param a the factor of x, or null for zero
     * @param b the rest, or null for zero
     */
    record Split(Expr a, Expr b) {
    }

    private final Map<Expr, Integer> weights = new IdentityHashMap<>();
    /** Per equation (new maps for each, so that clearing costs nothing). */
    private Map<Expr, Boolean> dependsMemo = new IdentityHashMap<>();
    private Map<Expr, Split> splitMemo = new IdentityHashMap<>();

    /**
     * The linear split of one equation. The dependence on {@code v} is found bottom-up for every node first,
     * and the named subexpressions are split children first, so that {@link #decompose} recurses at most
     * through one piece ({@link EquationCompiler#MAX_DEPTH} levels) and splits every node once.
     *
     * @param rhs the right-hand side of the equation of {@code v}
     * @param v   the variable of the equation (a state block)
     * @return the split of {@code rhs} in {@code v}
     */
    Split split(final Expr rhs, final Var v) {
        dependsMemo = new IdentityHashMap<>(8);
        splitMemo = new IdentityHashMap<>(8);
        ExprWalk.bottomUp(rhs, dependsMemo, n -> opaque(n) ? List.of() : Nodes.operands(n), n -> {
            if (n instanceof Var w) {
                return w.name().equals(v.name());
            }
            if (opaque(n)) {
                return true;
            }
            for (final Expr child : Nodes.operands(n)) {
                if (dependsMemo.get(child)) {
                    return true;
                }
            }
            return false;
        });
        final Map<Expr, Boolean> done = new IdentityHashMap<>(8);
        ExprWalk.bottomUp(rhs, done, n -> splitChildren(n, v), n -> {
            if (n instanceof Nodes.Let) {
                decompose(n, v);
            }
            return Boolean.TRUE;
        });
        return decompose(rhs, v);
    }

    /** The operands {@link #decompose} looks into. */
    private List<Expr> splitChildren(final Expr e, final Var v) {
        if (e instanceof Nodes.Let l) {
            return opaque(l) || l.body.rows() != v.rows() || l.body.cols() != v.cols() ? List.of() : List.of(l.body);
        }
        if (e instanceof Nodes.Unary u) {
            return u.fn == Fn.NEG ? List.of(u.arg) : List.of();
        }
        return e instanceof Nodes.Binary ? Nodes.operands(e) : List.of();
    }

    /**
     * True for a named subexpression too large for the split to look into (see {@link #MAX_SPLIT_WEIGHT}):
     * it counts as depending on the variable, and stays a term evaluated at the current state.
     */
    private boolean opaque(final Expr e) {
        return e instanceof Nodes.Let && weight(e) >= MAX_SPLIT_WEIGHT;
    }

    /**
     * An estimate of the nodes of an expression, saturating at the split limit: one plus the weights of its
     * distinct operands. Exact for trees and for nodes that use one operand twice ({@code l + l}); larger than
     * the number of distinct nodes where two operands share a subexpression.
     */
    private int weight(final Expr e) {
        return ExprWalk.bottomUp(e, weights, Nodes::operands, n -> {
            final List<Expr> ops = Nodes.operands(n);
            long w = 1;
            for (int i = 0; i < ops.size(); i++) {
                if (i == 0 || ops.get(i) != ops.get(0)) {
                    w += weights.get(ops.get(i));
                }
            }
            return (int) Math.min(w, MAX_SPLIT_WEIGHT);
        });
    }

    /** @return true if {@code e} may depend on the variable being split (see {@link #split}) */
    private boolean depends(final Expr e) {
        final Boolean d = dependsMemo.get(e);
        if (d == null) {
            throw new IllegalStateException("no dependence computed for " + e.text());
        }
        return d;
    }

    /**
     * Writes {@code e = A * v + B} with A free of {@code v} (element-wise); terms that are not linear in
     * {@code v} stay in B (evaluated at the current state). Null stands for zero. Memoized per node, so that
     * a subexpression shared n times is split once and its parts are shared in turn.
     */
    private Split decompose(final Expr e, final Var v) {
        final Split known = splitMemo.get(e);
        if (known != null) {
            return known;
        }
        final Split s = decomposeNode(e, v);
        splitMemo.put(e, s);
        return s;
    }

    /** The split of one node from the splits of its operands (see {@link #decompose}). */
    private Split decomposeNode(final Expr e, final Var v) {
        if (e instanceof Var w && w.name().equals(v.name())) {
            return new Split(Expr.constant(1.0), null);
        }
        if (!depends(e)) {
            return new Split(null, e);
        }
        if (e instanceof Nodes.Let l && !opaque(l) && l.body.rows() == v.rows() && l.body.cols() == v.cols()) {
            return decompose(l.body, v);
        }
        if (e instanceof Nodes.Unary u && u.fn == Fn.NEG) {
            final Split s = decompose(u.arg, v);
            return new Split(neg(s.a()), neg(s.b()));
        }
        if (e instanceof Nodes.Binary b) {
            switch (b.op) {
                case ADD: {
                    final Split l = decompose(b.a, v);
                    final Split r = decompose(b.b, v);
                    return new Split(add(l.a(), r.a()), add(l.b(), r.b()));
                }
                case SUB: {
                    final Split l = decompose(b.a, v);
                    final Split r = decompose(b.b, v);
                    return new Split(add(l.a(), neg(r.a())), add(l.b(), neg(r.b())));
                }
                case MUL:
                    if (!depends(b.b)) {
                        final Split l = decompose(b.a, v);
                        return new Split(mul(l.a(), b.b), mul(l.b(), b.b));
                    }
                    if (!depends(b.a)) {
                        final Split r = decompose(b.b, v);
                        return new Split(mul(b.a, r.a()), mul(b.a, r.b()));
                    }
                    break;
                case DIV:
                    if (!depends(b.b)) {
                        final Split l = decompose(b.a, v);
                        return new Split(l.a() == null ? null : l.a().div(b.b), l.b() == null ? null : l.b().div(b.b));
                    }
                    break;
                default:
                    break;
            }
        }
        return new Split(null, e);
    }

    private static Expr add(final Expr a, final Expr b) {
        return a == null ? b : b == null ? a : a.plus(b);
    }

    private static Expr neg(final Expr a) {
        return a == null ? null : a.negate();
    }

    private static Expr mul(final Expr a, final Expr b) {
        return a == null || b == null ? null : a.times(b);
    }
}
