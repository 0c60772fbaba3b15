package org.neurode.core.expr;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Walks over expression graphs shared by the compiler's passes. */
final class ExprWalk {

    private ExprWalk() {
    }

    /**
     * Evaluates a function of the nodes bottom-up without recursion: {@code combine} sees the values of the
     * nodes {@code next} names in {@code memo}. Each node is evaluated once.
     *
     * @return the value of {@code root}
     */
    static <T> T bottomUp(final Expr root, final Map<Expr, T> memo, final Function<Expr, List<Expr>> next,
                          final Function<Expr, T> combine) {
        final T known = memo.get(root);
        if (known != null) {
            return known;
        }
        final ArrayDeque<Expr> stack = new ArrayDeque<>();
        stack.push(root);
        while (!stack.isEmpty()) {
            final Expr e = stack.peek();
            if (memo.containsKey(e)) {
                stack.pop();
                continue;
            }
            boolean ready = true;
            for (final Expr child : next.apply(e)) {
                if (!memo.containsKey(child)) {
                    stack.push(child);
                    ready = false;
                }
            }
            if (ready) {
                stack.pop();
                memo.put(e, combine.apply(e));
            }
        }
        return memo.get(root);
    }

    /**
     * The depth of an expression tree (0 for null; a leaf is 1), without recursion.
     *
     * @param root the tree
     * @return its depth in nodes
     */
    static int depth(final Expr root) {
        if (root == null) {
            return 0;
        }
        final Map<Expr, Integer> memo = new java.util.IdentityHashMap<>();
        return bottomUp(root, memo, Nodes::operands, n -> {
            int d = 0;
            for (final Expr child : Nodes.operands(n)) {
                d = Math.max(d, memo.get(child));
            }
            return d + 1;
        });
    }
}
