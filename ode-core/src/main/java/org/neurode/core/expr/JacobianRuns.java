package org.neurode.core.expr;

import java.util.Arrays;

/**
 * The sums of a compiled Jacobian, as a table that one loop of this class runs ({@link #apply}); generated code
 * computes only the factors. Every entry of {@code dtmp} (the derivatives of the stored values) and of
 * {@code values} is a sum \( \sum_t \mathrm{factor}_t \cdot d_t \) over its terms, each term a factor (an
 * element of {@code ops}, {@code y} or {@code tmp}), times the stored derivative {@code dtmp[s]} or 1 (a state
 * element), zero where its guard (an element of {@code ops}: 0.0 false, else true) is false. Consecutive
 * entries whose terms read their operands at indices in arithmetic progression form one run: a header
 * {@code (target, first entry, length, terms)} ({@code target} 0 for {@code dtmp}, 1 for {@code values}) and, per
 * term, {@code (operand array, first index, stride, first dtmp slot or -1, stride, first guard or -1, stride)},
 * operand array 0 for {@code ops}, 1 for {@code y}, 2 for {@code tmp}.
 *
 * <p>Why a table and not generated statements: a Jacobian's entries are computed once per call, so statements
 * per entry are straight-line code that HotSpot compiles only after thousands of calls (it ran interpreted, 15-30x
 * slower, through a whole stiff solve; docs/performance.md), and whose size, hundreds of KB of bytecode on a
 * large model, leaves the instruction cache. This loop is compiled on the first large Jacobian and shared by all
 * models. The sums are evaluated term by term in the order of the generated text (the first term assigned, the
 * next ones added), so the values are bit for bit those of the statements.
 *
 * <p>Public only so that generated classes, which live in a package of their own, can call it.
 *
 * @since 0.5
 */
public final class JacobianRuns {

    /** Ints per run header. */
    static final int HEADER = 4;
    /** Ints per term of a run. */
    static final int TERM = 7;

    private JacobianRuns() {
    }

    /**
     * Runs the table.
     *
     * @param runs   the table ({@link Builder})
     * @param ops    the computed factors and guards
     * @param y      the state
     * @param tmp    the stored values of the prelude
     * @param dtmp   the stored derivatives (written)
     * @param values the Jacobian's entries (written)
     */
    public static void apply(final int[] runs, final double[] ops, final double[] y, final double[] tmp,
                             final double[] dtmp, final double[] values) {
        int at = 0;
        final int end = runs.length;
        while (at < end) {
            final double[] out = runs[at] == 0 ? dtmp : values;
            final int d = runs[at + 1];
            final int len = runs[at + 2];
            final int k = runs[at + 3];
            at += HEADER;
            if (k == 0) {
                Arrays.fill(out, d, d + len, 0.0);
                continue;
            }
            for (int t = 0; t < k; t++, at += TERM) {
                final int src = runs[at];
                final double[] a = src == 0 ? ops : src == 1 ? y : tmp;
                final int a0 = runs[at + 1];
                final int da = runs[at + 2];
                final int s0 = runs[at + 3];
                final int ds = runs[at + 4];
                final int g0 = runs[at + 5];
                if (g0 >= 0) {
                    guarded(out, d, len, t == 0, a, a0, da, s0, ds, dtmp, ops, g0, runs[at + 6]);
                } else if (s0 < 0) {
                    if (t == 0) {
                        for (int r = 0; r < len; r++) {
                            out[d + r] = a[a0 + da * r];
                        }
                    } else {
                        for (int r = 0; r < len; r++) {
                            out[d + r] += a[a0 + da * r];
                        }
                    }
                } else if (t == 0) {
                    for (int r = 0; r < len; r++) {
                        out[d + r] = a[a0 + da * r] * dtmp[s0 + ds * r];
                    }
                } else {
                    for (int r = 0; r < len; r++) {
                        out[d + r] += a[a0 + da * r] * dtmp[s0 + ds * r];
                    }
                }
            }
        }
    }

    /**
     * The table as Java statements (one per run: an assignment, or a loop for a run of several entries), for a
     * small Jacobian whose code stays within one method that HotSpot compiles: it then saves the loop's dispatch
     * per run. The same operations in the same order as {@link #apply}.
     *
     * @param runs     the table
     * @param maxChars most characters of the statements
     * @return the statements, or null if they would be longer
     */
    static String code(final int[] runs, final int maxChars) {
        final StringBuilder sb = new StringBuilder();
        int at = 0;
        while (at < runs.length) {
            final String out = runs[at] == 0 ? "dtmp" : "values";
            final int d = runs[at + 1];
            final int len = runs[at + 2];
            final int k = runs[at + 3];
            at += HEADER;
            final StringBuilder sum = new StringBuilder();
            for (int t = 0; t < k; t++, at += TERM) {
                final String a = runs[at] == 0 ? "ops" : runs[at] == 1 ? "y" : "tmp";
                String term = a + "[" + index(runs[at + 1], runs[at + 2], len) + "]";
                if (runs[at + 3] >= 0) {
                    term = term + " * dtmp[" + index(runs[at + 3], runs[at + 4], len) + "]";
                }
                if (runs[at + 5] >= 0) {
                    term = "(ops[" + index(runs[at + 5], runs[at + 6], len) + "] != 0.0 ? " + term + " : 0.0)";
                }
                sum.append(t == 0 ? "" : " + ").append(term);
            }
            final String rhs = k == 0 ? "0.0" : sum.toString();
            if (len == 1) {
                sb.append("    ").append(out).append('[').append(d).append("] = ").append(rhs).append(";\n");
            } else {
                sb.append("    for (int r = 0; r < ").append(len).append("; r++) {\n      ").append(out).append('[')
                  .append(d).append(" + r] = ").append(rhs).append(";\n    }\n");
            }
            if (sb.length() > maxChars) {
                return null;
            }
        }
        return sb.toString();
    }

    private static String index(final int first, final int stride, final int len) {
        return len == 1 || stride == 0 ? Integer.toString(first) : first + " + " + stride + " * r";
    }

    private static void guarded(final double[] out, final int d, final int len, final boolean first, final double[] a,
                                final int a0, final int da, final int s0, final int ds, final double[] dtmp,
                                final double[] ops, final int g0, final int dg) {
        for (int r = 0; r < len; r++) {
            final double v = ops[g0 + dg * r] != 0.0 ? (s0 < 0 ? a[a0 + da * r] : a[a0 + da * r] * dtmp[s0 + ds * r])
                    : 0.0;
            if (first) {
                out[d + r] = v;
            } else {
                out[d + r] += v;
            }
        }
    }

    /**
     * Builds the table entry by entry, in the order the entries are computed: an entry joins the open run if its
     * terms continue the run's progressions and, for a {@code dtmp} run, it reads no slot the run writes.
     */
    static final class Builder {
        private int[] table = new int[256];
        private int size;
        // the open run (len 0: none)
        private int target;
        private int first;
        private int len;
        private int k;
        private int[] src = new int[0];
        private long[] a0 = new long[0];
        private long[] da = new long[0];
        private long[] s0 = new long[0];
        private long[] ds = new long[0];
        private long[] g0 = new long[0];
        private long[] dg = new long[0];

        /**
         * Adds an entry: {@code out[dest] = sum over t of term t}.
         *
         * @param target 0 for {@code dtmp}, 1 for {@code values}
         * @param dest   its index in the target
         * @param n      its number of terms
         * @param tSrc   per term, the operand array (0 ops, 1 y, 2 tmp)
         * @param tA     per term, the operand's index
         * @param tS     per term, the dtmp slot, or -1
         * @param tG     per term, the guard's index in ops, or -1
         */
        void entry(final int target, final int dest, final int n, final int[] tSrc, final int[] tA, final int[] tS,
                   final int[] tG) {
            if (len > 0 && continues(target, dest, n, tSrc, tA, tS, tG)) {
                if (len == 1) {
                    for (int t = 0; t < n; t++) {
                        da[t] = tA[t] - a0[t];
                        ds[t] = tS[t] < 0 ? 0 : tS[t] - s0[t];
                        dg[t] = tG[t] < 0 ? 0 : tG[t] - g0[t];
                    }
                }
                len++;
                return;
            }
            flush();
            this.target = target;
            first = dest;
            len = 1;
            k = n;
            if (src.length < n) {
                src = new int[n];
                a0 = new long[n];
                da = new long[n];
                s0 = new long[n];
                ds = new long[n];
                g0 = new long[n];
                dg = new long[n];
            }
            for (int t = 0; t < n; t++) {
                src[t] = tSrc[t];
                a0[t] = tA[t];
                s0[t] = tS[t];
                g0[t] = tG[t];
                da[t] = 0;
                ds[t] = 0;
                dg[t] = 0;
            }
        }

        private boolean continues(final int target, final int dest, final int n, final int[] tSrc, final int[] tA,
                                  final int[] tS, final int[] tG) {
            if (target != this.target || n != k || dest != (long) first + len) {
                return false;
            }
            for (int t = 0; t < n; t++) {
                if (tSrc[t] != src[t] || (tS[t] < 0) != (s0[t] < 0) || (tG[t] < 0) != (g0[t] < 0)) {
                    return false;
                }
                // a dtmp run is computed term by term over all its entries: it must not read what it writes
                if (target == 0 && tS[t] >= first) {
                    return false;
                }
                if (len > 1 && (tA[t] != a0[t] + da[t] * len || tS[t] >= 0 && tS[t] != s0[t] + ds[t] * len
                        || tG[t] >= 0 && tG[t] != g0[t] + dg[t] * len)) {
                    return false;
                }
            }
            return true;
        }

        private void flush() {
            if (len == 0) {
                return;
            }
            add(target, first, len, k);
            for (int t = 0; t < k; t++) {
                add(src[t], (int) a0[t], (int) da[t], (int) s0[t], (int) ds[t], (int) g0[t], (int) dg[t]);
            }
            len = 0;
        }

        private void add(final int... v) {
            if (size + v.length > table.length) {
                table = Arrays.copyOf(table, Math.max(size + v.length, Math.multiplyExact(table.length, 2)));
            }
            System.arraycopy(v, 0, table, size, v.length);
            size += v.length;
        }

        /** @return the table (the builder is done) */
        int[] toArray() {
            flush();
            return Arrays.copyOf(table, size);
        }
    }
}
