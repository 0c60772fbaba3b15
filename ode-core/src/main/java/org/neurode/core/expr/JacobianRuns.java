package org.neurode.core.expr;

import java.util.Arrays;

/**
 * The sums of a compiled Jacobian, as a table that one loop of this class runs ({@link #apply}); generated code
 * computes only the factors. Every entry of {@code dtmp} (the derivatives of the stored values) and of
 * {@code values} is a sum \( \sum_t \mathrm{factor}_t \cdot d_t \) over its terms, each term a factor (an
 * element of {@code ops}, {@code y} or {@code tmp}), times the stored derivative {@code dtmp[s]} or 1 (a state
 * element), zero where its guard (an element of {@code ops}: 0.0 false, else true) is false. Consecutive
 * entries whose terms read their operands at indices in arithmetic progression form one run, and so do the
 * entries a fixed period apart (2 to {@link Builder#MAX_PERIOD}) of a group of consecutive entries that repeats
 * (one run per entry of the group; {@link Builder}): a header {@code (target, first entry, entry stride, length,
 * terms)} ({@code target} 0 for {@code dtmp}, 1 for {@code values}) and, per
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
    static final int HEADER = 5;
    /** Most terms (over all entries) of a table emitted as statements ({@link #code}). */
    static final int STATEMENT_TERMS = 512;
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
            final int dd = runs[at + 2];
            final int len = runs[at + 3];
            final int k = runs[at + 4];
            at += HEADER;
            if (k == 0) {
                for (int r = 0; r < len; r++) {
                    out[d + dd * r] = 0.0;
                }
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
                    guarded(out, d, dd, len, t == 0, a, a0, da, s0, ds, dtmp, ops, g0, runs[at + 6]);
                } else if (s0 < 0) {
                    if (t == 0) {
                        for (int r = 0; r < len; r++) {
                            out[d + dd * r] = a[a0 + da * r];
                        }
                    } else {
                        for (int r = 0; r < len; r++) {
                            out[d + dd * r] += a[a0 + da * r];
                        }
                    }
                } else if (t == 0) {
                    for (int r = 0; r < len; r++) {
                        out[d + dd * r] = a[a0 + da * r] * dtmp[s0 + ds * r];
                    }
                } else {
                    for (int r = 0; r < len; r++) {
                        out[d + dd * r] += a[a0 + da * r] * dtmp[s0 + ds * r];
                    }
                }
            }
        }
    }

    /**
     * The table as Java statements (one per run: an assignment, or a loop for a run of several entries), for a
     * small Jacobian whose code stays within one method that HotSpot compiles: it then saves the loop's dispatch
     * per run. The same operations in the same order as {@link #apply}. Only for at most {@link #STATEMENT_TERMS}
     * terms: a short table of long runs (a diffusion chain: 4 runs of 30,000 entries) would be loops in a
     * generated method called once per Jacobian, interpreted until HotSpot compiles it on stack replacement
     * (measured 400 us per call for the chain's first calls, against 80 us in the shared loop compiled before).
     *
     * @param runs     the table
     * @param maxChars most characters of the statements
     * @return the statements, or null if they would be longer
     */
    static String code(final int[] runs, final int maxChars) {
        final StringBuilder sb = new StringBuilder();
        long terms = 0;
        int at = 0;
        while (at < runs.length) {
            final String out = runs[at] == 0 ? "dtmp" : "values";
            final int d = runs[at + 1];
            final int dd = runs[at + 2];
            final int len = runs[at + 3];
            final int k = runs[at + 4];
            at += HEADER;
            terms += (long) Math.max(k, 1) * len;
            if (terms > STATEMENT_TERMS) {
                return null;
            }
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
                  .append(index(d, dd, len)).append("] = ").append(rhs).append(";\n    }\n");
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

    private static void guarded(final double[] out, final int d, final int dd, final int len, final boolean first, final double[] a,
                                final int a0, final int da, final int s0, final int ds, final double[] dtmp,
                                final double[] ops, final int g0, final int dg) {
        for (int r = 0; r < len; r++) {
            final double v = ops[g0 + dg * r] != 0.0 ? (s0 < 0 ? a[a0 + da * r] : a[a0 + da * r] * dtmp[s0 + ds * r])
                    : 0.0;
            if (first) {
                out[d + dd * r] = v;
            } else {
                out[d + dd * r] += v;
            }
        }
    }

    /**
     * Builds the table entry by entry, in the order the entries are computed, then cuts it into runs as
     * {@link MethodWriter} rolls statements into loops: at each entry, the group of 1 to {@link #MAX_PERIOD}
     * consecutive entries that repeats with the most entries per run (a group of p entries gives p runs), each
     * repetition's terms continuing the progressions of the one before (the same operand arrays, guards and
     * stored derivatives, their indices stepping by a fixed amount per repetition), becomes one run per entry of the group, whose entries are
     * {@code period} apart. A {@code dtmp} run reads no slot from its first entry on (its entries are computed
     * term by term over the run, not entry by entry). So the rows of a diffusion chain, which alternate the
     * coefficients D and -2 D, give three runs over the whole chain instead of one run per entry.
     */
    static final class Builder {
        /** Most entries in the repeated group of a run. */
        static final int MAX_PERIOD = 8;
        /** Buffered terms beyond which the runs that end before the last buffered entry are written out. */
        private static final int FLUSH_TERMS = 1 << 20;

        private int[] table = new int[256];
        private int size;
        // the buffered entries: target, destination, first term, and (one more) the end of their terms
        private int entries;
        private int[] eTarget = new int[64];
        private int[] eDest = new int[64];
        private int[] eTerm = new int[65];
        // the buffered terms: operand array, operand index, dtmp slot or -1, guard or -1
        private int terms;
        private int[] tSrc = new int[256];
        private int[] tA = new int[256];
        private int[] tS = new int[256];
        private int[] tG = new int[256];

        /**
         * Adds an entry: {@code out[dest] = sum over t of term t}.
         *
         * @param target 0 for {@code dtmp}, 1 for {@code values}
         * @param dest   its index in the target
         * @param n      its number of terms
         * @param src    per term, the operand array (0 ops, 1 y, 2 tmp)
         * @param a      per term, the operand's index
         * @param s      per term, the dtmp slot, or -1
         * @param g      per term, the guard's index in ops, or -1
         */
        void entry(final int target, final int dest, final int n, final int[] src, final int[] a, final int[] s,
                   final int[] g) {
            if (entries + 1 >= eTarget.length) {
                final int cap = Math.multiplyExact(eTarget.length, 2);
                eTarget = Arrays.copyOf(eTarget, cap);
                eDest = Arrays.copyOf(eDest, cap);
                eTerm = Arrays.copyOf(eTerm, cap + 1);
            }
            if (terms + n > tSrc.length) {
                final int cap = Math.max(terms + n, Math.multiplyExact(tSrc.length, 2));
                tSrc = Arrays.copyOf(tSrc, cap);
                tA = Arrays.copyOf(tA, cap);
                tS = Arrays.copyOf(tS, cap);
                tG = Arrays.copyOf(tG, cap);
            }
            eTarget[entries] = target;
            eDest[entries] = dest;
            eTerm[entries] = terms;
            System.arraycopy(src, 0, tSrc, terms, n);
            System.arraycopy(a, 0, tA, terms, n);
            System.arraycopy(s, 0, tS, terms, n);
            System.arraycopy(g, 0, tG, terms, n);
            terms += n;
            entries++;
            eTerm[entries] = terms;
            if (terms > FLUSH_TERMS) {
                cut(false);
            }
        }

        /**
         * Writes out the buffered entries as runs; unless {@code all}, stops at the first run that reaches the
         * last buffered entry (it may go on) and keeps it and the entries after it.
         */
        private void cut(final boolean all) {
            int i = 0;
            while (i < entries) {
                int period = 1;
                int covered = extent(i, 1);
                for (int p = 2; p <= MAX_PERIOD && i + 2 * p <= entries; p++) {
                    final int c = extent(i, p) / p * p;
                    // the fewest runs: most entries per run emitted (a period of p emits p runs)
                    if (c >= 2 * p && (long) c * period > (long) covered * p) {
                        period = p;
                        covered = c;
                    }
                }
                if (!all && i + covered == entries && i > 0) {
                    break;
                }
                final int repeats = covered / period;
                for (int q = 0; q < period; q++) {
                    emit(i + q, period, repeats);
                }
                i += covered;
            }
            // keep the entries from i on
            final int t0 = eTerm[i];
            final int left = entries - i;
            System.arraycopy(eTarget, i, eTarget, 0, left);
            System.arraycopy(eDest, i, eDest, 0, left);
            for (int e = 0; e <= left; e++) {
                eTerm[e] = eTerm[i + e] - t0;
            }
            final int leftTerms = terms - t0;
            System.arraycopy(tSrc, t0, tSrc, 0, leftTerms);
            System.arraycopy(tA, t0, tA, 0, leftTerms);
            System.arraycopy(tS, t0, tS, 0, leftTerms);
            System.arraycopy(tG, t0, tG, 0, leftTerms);
            entries = left;
            terms = leftTerms;
        }

        /** @return how many entries from {@code i} on repeat with period {@code p} (at least min(p, entries - i)) */
        private int extent(final int i, final int p) {
            final int target = eTarget[i];
            // the first repetition: consecutive destinations of one target, a dtmp run reading before its start
            int len = 0;
            while (len < p && i + len < entries && eTarget[i + len] == target && eDest[i + len] == eDest[i] + len
                    && readsBefore(i + len, target, eDest[i])) {
                len++;
            }
            if (len < p) {
                return Math.max(len, 1);
            }
            while (i + len < entries && continues(i, p, i + len)) {
                len++;
            }
            return len;
        }

        private boolean readsBefore(final int e, final int target, final int first) {
            if (target == 0) {
                for (int t = eTerm[e]; t < eTerm[e + 1]; t++) {
                    if (tS[t] >= first) {
                        return false;
                    }
                }
            }
            return true;
        }

        /** True if entry j, in the run from entry i of period p, is entry j - p a repetition on. */
        private boolean continues(final int i, final int p, final int j) {
            final int prev = j - p;
            final int n = eTerm[j + 1] - eTerm[j];
            if (eTarget[j] != eTarget[i] || eDest[j] != eDest[j - 1] + 1 || n != eTerm[prev + 1] - eTerm[prev]
                    || !readsBefore(j, eTarget[i], eDest[i])) {
                return false;
            }
            final boolean third = prev - p >= i;
            for (int k = 0; k < n; k++) {
                final int t = eTerm[j] + k;
                final int u = eTerm[prev] + k;
                if (tSrc[t] != tSrc[u] || (tS[t] < 0) != (tS[u] < 0) || (tG[t] < 0) != (tG[u] < 0)) {
                    return false;
                }
                if (third) {
                    final int w = eTerm[prev - p] + k;
                    if ((long) tA[t] - tA[u] != (long) tA[u] - tA[w]
                            || tS[t] >= 0 && (long) tS[t] - tS[u] != (long) tS[u] - tS[w]
                            || tG[t] >= 0 && (long) tG[t] - tG[u] != (long) tG[u] - tG[w]) {
                        return false;
                    }
                }
            }
            return true;
        }

        /** Writes the run of entries e, e + period, ... ({@code repeats} of them). */
        private void emit(final int e, final int period, final int repeats) {
            final int k = eTerm[e + 1] - eTerm[e];
            add(eTarget[e], eDest[e], period, repeats, k);
            for (int x = 0; x < k; x++) {
                final int t = eTerm[e] + x;
                final int u = repeats > 1 ? eTerm[e + period] + x : t;
                add(tSrc[t], tA[t], tA[u] - tA[t], tS[t], tS[t] < 0 ? 0 : tS[u] - tS[t], tG[t],
                        tG[t] < 0 ? 0 : tG[u] - tG[t]);
            }
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
            cut(true);
            return Arrays.copyOf(table, size);
        }
    }
}
