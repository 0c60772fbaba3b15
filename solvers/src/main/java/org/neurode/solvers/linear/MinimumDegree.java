package org.neurode.solvers.linear;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.TreeSet;
import java.util.WeakHashMap;

import org.neurode.core.JacobianPattern;

/**
 * A fill-reducing symmetric ordering: minimum degree on the graph of \( A + A^T \) (Tinney and Walker's scheme 2,
 * as in George and Liu, "The evolution of the minimum degree ordering algorithm", SIAM Review 31, 1989), with
 * the elimination graph kept explicitly (each eliminated node's neighbours become a clique). Ties go to the lower
 * index. Cost: about the number of entries of the filled graph times the neighbourhood sizes, small for the
 * Jacobians this is used on (a chain or a grid, networks whose rows have tens of entries); it runs once per
 * pattern, and the result is kept per pattern (by value, weakly) for later simulations of the same model: on the
 * 30-50-10 microcircuit (6,148 variables, 220,110 entries, rows of up to 102) the analysis takes 0.2 s warm, up to
 * 0.8 s in a cold JVM, because hubs (a rate read by fifty weights' equations) have their neighbour lists rebuilt at
 * every elimination next to them (10^8 list operations; an approximate-minimum-degree quotient graph would avoid
 * that). (EJML's sparse LU offers no fill-reducing ordering of its own, only none or random.)
 *
 * @since 0.5
 */
final class MinimumDegree {

    private MinimumDegree() {
    }

    /**
     * An elimination order and the symbolic cost of eliminating in it (symmetric structure, no pivoting).
     *
     * @param order {@code order[k]}: the original index eliminated k-th
     * @param fill  off-diagonal entries of the factor L (of \( A + A^T \)): \( \sum_k d_k \), d_k the degree of the
     *              k-th node when it is eliminated
     * @param work  \( \sum_k d_k^2 \): the multiply-adds of the elimination (LU: about that many in U's updates)
     */
    record Result(int[] order, long fill, long work) {
    }

    /**
     * @param pattern the Jacobian pattern
     * @return the order: {@code order[k]} is the original index eliminated k-th
     */
    static int[] order(final JacobianPattern pattern) {
        return analyse(pattern, Long.MAX_VALUE).order();
    }

    /**
     * @param pattern the Jacobian pattern
     * @param maxWork stop once the work \( \sum_k d_k^2 \) exceeds this (the analysis itself costs about twice the
     *                work)
     * @return the minimum-degree order and its symbolic cost, or null if the work exceeded {@code maxWork}
     */
    static Result analyse(final JacobianPattern pattern, final long maxWork) {
        final Object known = CACHE.get(pattern);
        if (known instanceof Result r) {
            return r;
        }
        if (known instanceof Long exceeded && exceeded >= maxWork) {
            return null;
        }
        final Result r = compute(pattern, maxWork);
        CACHE.put(pattern, r != null ? r : (Object) Long.valueOf(maxWork));
        return r;
    }

    /** Analyses by pattern (equal patterns share one): a Result, or the work budget a computation exceeded. */
    private static final Map<JacobianPattern, Object> CACHE = Collections.synchronizedMap(new WeakHashMap<>());

    private static Result compute(final JacobianPattern pattern, final long maxWork) {
        final int n = pattern.dimension();
        final int[][] adj = symmetricAdjacency(pattern);
        final int[] size = new int[n];
        for (int v = 0; v < n; v++) {
            size[v] = adj[v].length;
        }
        final boolean[] eliminated = new boolean[n];
        final TreeSet<Long> queue = new TreeSet<>();
        for (int v = 0; v < n; v++) {
            queue.add(key(size[v], v));
        }
        final int[] mark = new int[n];
        Arrays.fill(mark, -1);
        final int[] order = new int[n];
        int[] merged = new int[16];
        long fill = 0;
        long work = 0;
        for (int k = 0; k < n; k++) {
            final long first = queue.pollFirst();
            final int v = (int) first;
            order[k] = v;
            eliminated[v] = true;
            final int[] nv = adj[v];
            final int dv = size[v];
            fill += dv;
            work += (long) dv * dv;
            if (work > maxWork) {
                return null;
            }
            // the neighbours of v become a clique
            for (int a = 0; a < dv; a++) {
                final int u = nv[a];
                queue.remove(key(size[u], u));
                // mark u's current neighbours, then add v's other neighbours that are not yet there
                final int[] nu = adj[u];
                int m = 0;
                if (merged.length < size[u] + dv) {
                    merged = new int[2 * (size[u] + dv)];
                }
                for (int b = 0; b < size[u]; b++) {
                    final int w = nu[b];
                    if (w != v) {
                        mark[w] = u;
                        merged[m++] = w;
                    }
                }
                for (int b = 0; b < dv; b++) {
                    final int w = nv[b];
                    if (w != u && mark[w] != u) {
                        mark[w] = u;
                        merged[m++] = w;
                    }
                }
                if (adj[u].length < m) {
                    adj[u] = Arrays.copyOf(merged, Math.max(m, 2 * adj[u].length));
                } else {
                    System.arraycopy(merged, 0, adj[u], 0, m);
                }
                size[u] = m;
                queue.add(key(m, u));
            }
            adj[v] = null;
        }
        return new Result(order, fill, work);
    }

    private static long key(final int degree, final int node) {
        return ((long) degree << 32) | node;
    }

    /** @return the neighbours of each node in the graph of A + A^T, without the diagonal */
    private static int[][] symmetricAdjacency(final JacobianPattern pattern) {
        final int n = pattern.dimension();
        final int[] rowStart = pattern.rowStart();
        final int[] cols = pattern.columns();
        final int[] count = new int[n];
        for (int i = 0; i < n; i++) {
            for (int k = rowStart[i]; k < rowStart[i + 1]; k++) {
                final int j = cols[k];
                if (j != i) {
                    count[i]++;
                    count[j]++;
                }
            }
        }
        final int[][] adj = new int[n][];
        for (int i = 0; i < n; i++) {
            adj[i] = new int[count[i]];
        }
        final int[] fill = new int[n];
        for (int i = 0; i < n; i++) {
            for (int k = rowStart[i]; k < rowStart[i + 1]; k++) {
                final int j = cols[k];
                if (j != i) {
                    adj[i][fill[i]++] = j;
                    adj[j][fill[j]++] = i;
                }
            }
        }
        // remove duplicates (entries (i, j) and (j, i) both listed)
        final int[] mark = new int[n];
        Arrays.fill(mark, -1);
        for (int i = 0; i < n; i++) {
            int m = 0;
            final int[] a = adj[i];
            for (int b = 0; b < a.length; b++) {
                if (mark[a[b]] != i) {
                    mark[a[b]] = i;
                    a[m++] = a[b];
                }
            }
            adj[i] = m == a.length ? a : Arrays.copyOf(a, m);
        }
        return adj;
    }
}
