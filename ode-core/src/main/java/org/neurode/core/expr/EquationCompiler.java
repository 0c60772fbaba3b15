package org.neurode.core.expr;

import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.codehaus.commons.compiler.CompileException;
import org.codehaus.janino.SimpleCompiler;
import org.neurode.core.ErrorCode;
import org.neurode.core.ExponentialEulerKernel;
import org.neurode.core.OdeException;
import org.neurode.core.StateLayout;
import org.neurode.core.expr.Expr.Fn;

/**
 * Compiles the equations of a {@link ModelBuilder} into Java source (one fused loop per state block,
 * one scratch loop per matrix-vector product or named subexpression) and then into bytecode with
 * Janino, in process. The generated class implements {@link LinearSplitEquation}: the diagonal linear
 * part of each equation is found symbolically ({@link #decompose}).
 *
 * <p>Why code generation: an interpreter pays a dispatch per operation and element; research/scripting.md
 * measured tree-walking interpreters 80-100x slower than Brian2's C++ on a 1000-neuron LIF model and
 * generated Java on par with it.
 */
final class EquationCompiler {

    private static final AtomicLong COUNTER = new AtomicLong();
    /** Functions applied to whole vectors by {@link ArrayKernels} (the name of its method). */
    private static final Map<Fn, String> ARRAY_FUNCTIONS = Map.of(Fn.SOFTPLUS, "softplus", Fn.SIGMOID, "sigmoid",
            Fn.TANH, "tanh");
    /** Vectors shorter than this keep the function inline (no SIMD lane would be filled). */
    private static final int MIN_ARRAY_FUNCTION = 4;

    private final String modelName;
    private final StateLayout layout;
    private final Map<String, Expr> odes;
    private final Map<Expr, Integer> tmpOffset = new IdentityHashMap<>();
    private final Map<Expr, Boolean> dependsMemo = new IdentityHashMap<>();
    private final Map<Expr, Expr> aliases = new IdentityHashMap<>();
    /** Scratch copies of outer-product column operands that live in the state array. */
    private final Map<Expr, Expr> columnCopies = new IdentityHashMap<>();
    private final StringBuilder prelude = new StringBuilder();
    private int tmpSize;
    /** True once generated code reads the time {@code t} (else the equation is autonomous). */
    private boolean usesTime;
    /** Declarations of loop-invariant scalars of the loop being emitted (null outside loops). */
    private StringBuilder hoist;
    private final Map<Expr, String> hoistNames = new IdentityHashMap<>();
    private final Map<Expr, String> reciprocalNames = new IdentityHashMap<>();
    private int hoistCounter;
    /** Declarations of row-invariant values of the matrix loop being emitted (null outside). */
    private StringBuilder rowHoist;

    /**
     * @param modelName model name, for messages
     * @param layout    state layout (inputs included)
     * @param odes      block name to right-hand side, for every non-input block
     */
    EquationCompiler(final String modelName, final StateLayout layout, final Map<String, Expr> odes) {
        this.modelName = modelName;
        this.layout = layout;
        this.odes = odes;
    }

    /** Splits of each equation: f = A * x + B (A, B independent of x where possible). */
    private record Split(Expr a, Expr b) {
    }

    /** @return the generated source text */
    String source(final String className) {
        final List<StateLayout.Block> blocks = layout.blocks();
        final List<Split> splits = new ArrayList<>();
        for (final StateLayout.Block blk : blocks) {
            if (blk.input()) {
                splits.add(null);
                continue;
            }
            final Expr rhs = odes.get(blk.name());
            final Var v = new Var(blk.name(), blk.rows(), blk.cols(), blk.unit(), false);
            dependsMemo.clear();
            final Split s = decompose(rhs, v);
            splits.add(s);
        }
        // materialise scratch values in dependency order
        for (final StateLayout.Block blk : blocks) {
            if (!blk.input()) {
                collect(odes.get(blk.name()));
            }
        }
        for (final Split s : splits) {
            if (s != null) {
                if (s.a() != null) {
                    collect(s.a());
                }
                if (s.b() != null) {
                    collect(s.b());
                }
            }
        }
        final StringBuilder src = new StringBuilder();
        src.append("package org.neurode.generated;\n");
        src.append("public final class ").append(className)
           .append(" implements org.neurode.core.ExponentialEulerKernel, org.neurode.core.EulerKernel {\n");
        src.append("  private final double[] p;\n");
        src.append("  private final double[] tmp = new double[").append(Math.max(1, tmpSize)).append("];\n");
        src.append("  public ").append(className).append("(double[] p) { this.p = p; }\n");
        src.append("  public int dimension() { return ").append(layout.dimension()).append("; }\n");
        src.append("  private void prelude(double t, double[] y) {\n").append(prelude).append("  }\n");
        src.append("  public void derivatives(double t, double[] y, double[] dydt) {\n");
        src.append("    prelude(t, y);\n");
        src.append(padding("java.util.Arrays.fill(dydt, %d, %d, 0.0);"));
        for (final StateLayout.Block blk : blocks) {
            if (blk.input()) {
                src.append(fillZero("dydt", blk));
            } else {
                src.append(assign("dydt", blk, odes.get(blk.name())));
            }
        }
        src.append("  }\n");
        src.append("  public void split(double t, double[] y, double[] a, double[] b) {\n");
        src.append("    prelude(t, y);\n");
        src.append(padding("java.util.Arrays.fill(a, %d, %d, 0.0); java.util.Arrays.fill(b, %d, %d, 0.0);"));
        for (int k = 0; k < blocks.size(); k++) {
            final StateLayout.Block blk = blocks.get(k);
            final Split s = splits.get(k);
            if (s == null) {
                src.append(fillZero("a", blk)).append(fillZero("b", blk));
                continue;
            }
            src.append(s.a() == null ? fillZero("a", blk) : assign("a", blk, s.a()));
            src.append(s.b() == null ? fillZero("b", blk) : assign("b", blk, s.b()));
        }
        src.append("  }\n");
        // weights fused into their filters' kernels: the same pairs for both steps
        final Map<String, Integral> integrals = integrals(blocks, splits);
        src.append(fusedStep(blocks, splits, integrals));
        src.append(eulerStep(blocks, splits, integrals));
        // after all code is generated: did any of it read t?
        src.append("  public boolean autonomous() { return ").append(!usesTime).append("; }\n");
        src.append("}\n");
        return src.toString();
    }

    /**
     * One statement per gap of alignment padding between blocks. The template gets (from, to) for fills,
     * or (from, from, length) for copies.
     */
    private String padding(final String template) {
        final StringBuilder sb = new StringBuilder();
        int end = 0;
        final List<int[]> gaps = new ArrayList<>();
        for (final StateLayout.Block b : layout.blocks()) {
            if (b.offset() > end) {
                gaps.add(new int[] {end, b.offset()});
            }
            end = b.offset() + b.size();
        }
        if (layout.dimension() > end) {
            gaps.add(new int[] {end, layout.dimension()});
        }
        for (final int[] g : gaps) {
            final String stmt = template.startsWith("System.arraycopy")
                    ? String.format(template, g[0], g[0], g[1] - g[0])
                    : String.format(template, g[0], g[1], g[0], g[1]);
            sb.append("    ").append(stmt).append("\n");
        }
        return sb.toString();
    }

    /** True if {@code e} reads the state or the time (so its value may change from step to step). */
    private boolean varying(final Expr e) {
        if (e instanceof Var || e instanceof Nodes.Time) {
            return true;
        }
        for (final Expr child : children(e)) {
            if (varying(child)) {
                return true;
            }
        }
        return false;
    }

    /** @return the operands of a node (none for leaves) */
    private static List<Expr> children(final Expr e) {
        if (e instanceof Nodes.Let l) {
            return List.of(l.body);
        }
        if (e instanceof Nodes.Unary u) {
            return List.of(u.arg);
        }
        if (e instanceof Nodes.Binary b) {
            return List.of(b.a, b.b);
        }
        if (e instanceof Nodes.MatVec mv) {
            return List.of(mv.matrix, mv.vector);
        }
        if (e instanceof Nodes.Transpose tr) {
            return List.of(tr.arg);
        }
        if (e instanceof Nodes.Outer o) {
            return List.of(o.a, o.b);
        }
        if (e instanceof Nodes.Sum sum) {
            return List.of(sum.arg);
        }
        return List.of();
    }

    /**
     * The fused exponential Euler step: per block, {@code out = e^{a h} y + h phi1(a h) b}. Where a is a
     * state-independent scalar the exponentials are computed once per call; otherwise they are cached per
     * element and recomputed only when a or h changes. Ordered for in-place steps like {@link #eulerStep}.
     */
    private String fusedStep(final List<StateLayout.Block> blocks, final List<Split> splits,
                             final Map<String, Integral> integrals) {
        final List<Update> updates = new ArrayList<>();
        for (int k = 0; k < blocks.size(); k++) {
            final StateLayout.Block blk = blocks.get(k);
            final Split s = splits.get(k);
            if (fusedIntegral(integrals, blk)) {
                continue;
            }
            if (s == null) {
                updates.add(copy(blk));
                continue;
            }
            final Expr b = s.b() == null ? Expr.constant(0.0) : s.b();
            if (s.a() == null) {
                updates.add(update(blk, elementLoop(blk, "out[#K] = y[#K] + h * %B;", null, b), null, b));
            } else if (s.a().isScalar() && !varying(s.a())) {
                final Integral integral = integrals.get(blk.name());
                updates.add(withIntegral(update(blk, "    {\n      final double a = " + element(s.a(), "0", "0")
                        + ";\n      final double e = Math.exp(a * h);\n"
                        + "      final double ph = a * h == 0.0 ? h : Math.expm1(a * h) / a;\n"
                        + scaledLoop(blk, "e", "ph", b, integral) + "    }\n", null, b), integral));
            } else {
                updates.add(update(blk, elementLoop(blk, "final double a = %A;\n"
                        + "        if (fresh || a != cacheA[#K]) { cacheA[#K] = a; final double z = a * h;"
                        + " cacheE[#K] = Math.exp(z); cacheP[#K] = z == 0.0 ? h : Math.expm1(z) / a; }\n"
                        + "        out[#K] = cacheE[#K] * y[#K] + cacheP[#K] * %B;", s.a(), b), s.a(), b));
            }
        }
        final int[] order = readersFirst(updates);
        final StringBuilder src = new StringBuilder();
        src.append("  private double cachedH = Double.NaN;\n");
        // exponential caches, allocated on first use (most instances never take an exponential step)
        src.append("  private double[] cacheA;\n  private double[] cacheE;\n  private double[] cacheP;\n");
        src.append("  public boolean exponentialInPlace() { return ").append(order != null).append("; }\n");
        src.append("  public void exponentialEulerStep(double t, double h, double[] y, double[] out) {\n");
        src.append("    if (cacheA == null) { cacheA = new double[").append(layout.dimension())
           .append("]; cacheE = new double[").append(layout.dimension()).append("]; cacheP = new double[")
           .append(layout.dimension()).append("]; }\n");
        src.append("    prelude(t, y);\n");
        src.append("    final boolean fresh = h != cachedH;\n    cachedH = h;\n");
        src.append(padding("System.arraycopy(y, %d, out, %d, %d);"));
        appendInOrder(src, updates, order);
        src.append("  }\n");
        return src.toString();
    }

    /**
     * The fused forward Euler step: per block, {@code out = y + h f}; inputs are copied. Where f = a y + b
     * with a state-independent scalar a (leaks, low-pass filters), the step is {@code out = (1 + h a) y + h b}:
     * the same Euler step with fewer operations per element (measured 7% on the dendritic microcircuit,
     * whose weight filters are such blocks).
     *
     * <p>Where possible the block updates are ordered so that {@code out} may be {@code y} (reported by
     * {@code eulerInPlace()}): everything computed from several blocks is in scratch space after the
     * prelude, so a block update reads the state only for its own element and for blocks it reads directly;
     * each such reader is emitted before the update of the block it reads. A cycle (two blocks reading each
     * other directly) keeps the two-buffer step.
     */
    private String eulerStep(final List<StateLayout.Block> blocks, final List<Split> splits,
                             final Map<String, Integral> integrals) {
        final List<Update> updates = new ArrayList<>();
        for (int k = 0; k < blocks.size(); k++) {
            final StateLayout.Block blk = blocks.get(k);
            final Split s = splits.get(k);
            if (fusedIntegral(integrals, blk)) {
                continue;
            }
            if (blk.input()) {
                updates.add(copy(blk));
            } else if (s != null && s.a() != null && s.a().isScalar() && !varying(s.a())) {
                final Expr b = s.b() == null ? Expr.constant(0.0) : s.b();
                final Integral integral = integrals.get(blk.name());
                updates.add(withIntegral(update(blk, "    {\n      final double g = 1.0 + h * "
                        + element(s.a(), "0", "0") + ";\n" + scaledLoop(blk, "g", "h", b, integral) + "    }\n",
                        null, b), integral));
            } else {
                final Expr f = odes.get(blk.name());
                updates.add(update(blk, elementLoop(blk, "out[#K] = y[#K] + h * %B;", null, f), null, f));
            }
        }
        final int[] order = readersFirst(updates);
        final StringBuilder src = new StringBuilder();
        src.append("  public boolean eulerInPlace() { return ").append(order != null).append("; }\n");
        src.append("  public void eulerStep(double t, double h, double[] y, double[] out) {\n");
        src.append("    prelude(t, y);\n");
        src.append(padding("System.arraycopy(y, %d, out, %d, %d);"));
        appendInOrder(src, updates, order);
        src.append("  }\n");
        return src.toString();
    }

    /**
     * The code of one block update of a fused step, the blocks it writes and the blocks whose state it reads
     * (other than its own element); {@code elementwise} is false if it reads its own block at other elements.
     */
    private record Update(String code, java.util.Set<String> writes, java.util.Set<String> reads, boolean elementwise) {
    }

    /** An input block: copied unchanged (a no-op when out == y), and no update changes it. */
    private static Update copy(final StateLayout.Block blk) {
        return new Update("    System.arraycopy(y, " + blk.offset() + ", out, " + blk.offset() + ", " + blk.size()
                + ");\n", java.util.Set.of(), java.util.Set.of(), true);
    }

    /** The update of {@code blk} by {@code code}, which reads the state through {@code a} and {@code b}. */
    private Update update(final StateLayout.Block blk, final String code, final Expr a, final Expr b) {
        final java.util.Set<String> reads = new java.util.HashSet<>();
        final boolean ok = directReads(a, blk, false, reads) & directReads(b, blk, false, reads);
        reads.remove(blk.name());
        return new Update(code, java.util.Set.of(blk.name()), reads, ok);
    }

    /** Adds the integrating block that rides along in a filter's kernel to the filter's update. */
    private Update withIntegral(final Update u, final Integral integral) {
        if (integral == null) {
            return u;
        }
        final StateLayout.Block ib = integral.block();
        final java.util.Set<String> writes = new java.util.HashSet<>(u.writes());
        writes.add(ib.name());
        final java.util.Set<String> reads = new java.util.HashSet<>(u.reads());
        final boolean ok = directReads(odes.get(ib.name()), ib, false, reads);
        reads.removeAll(writes);
        return new Update(u.code(), writes, reads, u.elementwise() && ok);
    }

    private static void appendInOrder(final StringBuilder src, final List<Update> updates, final int[] order) {
        for (int i = 0; i < updates.size(); i++) {
            src.append(updates.get(order == null ? i : order[i]).code());
        }
    }

    /**
     * Adds to {@code acc} the blocks whose state the update code of {@code self} reads for {@code e},
     * excluding values already in scratch space.
     *
     * @param underTranspose true below a transpose (element (i, j) reads (j, i))
     * @return false if {@code self} is read at an element other than the one being written (a transpose of
     *         itself), which rules out updating in place
     */
    private boolean directReads(final Expr e, final StateLayout.Block self, final boolean underTranspose,
                                final java.util.Set<String> acc) {
        if (e == null) {
            return true;
        }
        if (stored(e)) {
            final Expr target = resolve(e);
            if (target instanceof Var v) {
                if (v.name().equals(self.name()) && (underTranspose || v.rows() != self.rows()
                        || v.cols() != self.cols())) {
                    return false;
                }
                acc.add(v.name());
            }
            return true;
        }
        if (e instanceof Nodes.Outer o) {
            // operands: the row one as stored, the column one possibly a scratch copy
            final Expr column = columnCopies.getOrDefault(resolve(o.b), o.b);
            return directReads(o.a, self, underTranspose, acc) && directReads(column, self, underTranspose, acc);
        }
        boolean ok = true;
        for (final Expr child : children(e)) {
            ok &= directReads(child, self, underTranspose || e instanceof Nodes.Transpose, acc);
        }
        return ok;
    }

    /**
     * An order of the block updates in which every update comes before the updates of the blocks it reads
     * (Kahn's algorithm, taking the earliest available update first, so that the layout order is kept where
     * nothing forces a change).
     *
     * @return the order, or null if two updates read each other's blocks or one reads its own block at
     *         other elements
     */
    private static int[] readersFirst(final List<Update> updates) {
        for (final Update u : updates) {
            if (!u.elementwise()) {
                return null;
            }
        }
        final int n = updates.size();
        // edge i -> j: i reads a block that j writes, so i must come first
        final int[] pending = new int[n];
        final List<List<Integer>> after = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            after.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i != j && !java.util.Collections.disjoint(updates.get(i).reads(), updates.get(j).writes())) {
                    after.get(i).add(j);
                    pending[j]++;
                }
            }
        }
        final java.util.PriorityQueue<Integer> ready = new java.util.PriorityQueue<>();
        for (int i = 0; i < n; i++) {
            if (pending[i] == 0) {
                ready.add(i);
            }
        }
        final int[] order = new int[n];
        int m = 0;
        while (!ready.isEmpty()) {
            final int i = ready.poll();
            order[m++] = i;
            for (final int j : after.get(i)) {
                if (--pending[j] == 0) {
                    ready.add(j);
                }
            }
        }
        return m == n ? order : null;
    }

    /**
     * A block integrating another one: its derivative is {@code factor * F} for a same-shaped block F (the
     * weights of a plasticity rule integrating their filter, dW/dt = plastic * D).
     *
     * @param block  the integrating block
     * @param factor scalar factor, or null for 1
     */
    private record Integral(StateLayout.Block block, Expr factor) {
    }

    /**
     * The integrating blocks whose update can ride along with their filter's rank-one kernel, keyed by the
     * filter's name. Both then take one pass over the filter instead of two (a third of the Euler step of the
     * dendritic microcircuit, whose weights and filters are nearly all of its state).
     */
    private Map<String, Integral> integrals(final List<StateLayout.Block> blocks, final List<Split> splits) {
        final Map<String, Integral> found = new java.util.HashMap<>();
        for (int k = 0; k < blocks.size(); k++) {
            final StateLayout.Block blk = blocks.get(k);
            final Split s = splits.get(k);
            if (blk.input() || s == null || s.a() != null || s.b() == null) {
                continue;
            }
            Expr factor = null;
            Expr f = s.b();
            if (f instanceof Nodes.Binary bin && bin.op == Expr.Op.MUL) {
                if (bin.a.isScalar() && bin.b instanceof Var) {
                    factor = bin.a;
                    f = bin.b;
                } else if (bin.b.isScalar() && bin.a instanceof Var) {
                    factor = bin.b;
                    f = bin.a;
                }
            }
            if (!(f instanceof Var filter)) {
                continue;
            }
            final int index = blocks.indexOf(layout.block(filter.name()));
            final StateLayout.Block fb = blocks.get(index);
            final Split fs = splits.get(index);
            if (fb.input() || fb.rows() != blk.rows() || fb.cols() != blk.cols() || found.containsKey(fb.name())
                    || fs == null || fs.a() == null || !fs.a().isScalar() || varying(fs.a())
                    || rank1Factors(fb, fs.b()) == null) {
                continue;
            }
            found.put(fb.name(), new Integral(blk, factor));
        }
        return found;
    }

    /** True if {@code blk} is updated inside its filter's kernel (see {@link #integrals}). */
    private static boolean fusedIntegral(final Map<String, Integral> integrals, final StateLayout.Block blk) {
        for (final Integral i : integrals.values()) {
            if (i.block() == blk) {
                return true;
            }
        }
        return false;
    }

    /**
     * The factors of {@code b = scalars * outer(u, v)} for a matrix block, with u and v stored so that
     * {@link ArrayKernels#rank1} can read them; null if b is not such a product (or is null).
     */
    private List<Expr> rank1Factors(final StateLayout.Block blk, final Expr b) {
        final List<Expr> factors = new ArrayList<>();
        if (b == null || blk.cols() <= 1 || blk.rows() <= 1 || !outerFactors(b, factors)) {
            return null;
        }
        for (final Expr f : factors) {
            if (f instanceof Nodes.Outer o && !(stored(o.a) && stored(columnCopies.getOrDefault(resolve(o.b), o.b)))) {
                return null;
            }
        }
        return factors;
    }

    /**
     * The update {@code out = decay * y + factor * b} of a block. Where b is a product of scalars and one
     * outer product (a plasticity rule such as {@code eta * outer(e, r) / tau}), it is one call of
     * {@link ArrayKernels#rank1}: the factor and the scalars are multiplied into the row operand once per
     * row, so that each element costs one multiplication by the column operand, and an integrating block
     * (the weights) is updated in the same pass.
     *
     * @param decay    name of the decay factor (g for Euler, e for exponential Euler)
     * @param factor   name of the factor of b (h or phi1)
     * @param integral the block integrating this one, or null
     */
    private String scaledLoop(final StateLayout.Block blk, final String decay, final String factor, final Expr b,
                              final Integral integral) {
        final List<Expr> factors = rank1Factors(blk, b);
        if (factors != null) {
            Nodes.Outer outer = null;
            for (final Expr f : factors) {
                if (f instanceof Nodes.Outer o) {
                    outer = o;
                }
            }
            final Nodes.Outer op = outer;
            final Expr column = columnCopies.getOrDefault(resolve(op.b), op.b);
            return hoisted(() -> {
                final StringBuilder scale = new StringBuilder(factor);
                for (final Expr f : factors) {
                    if (f instanceof Nodes.Binary d && d.op == Expr.Op.DIV) {
                        // marker for a reciprocal: 1 / d.b
                        final String den = element(d.b, "0", "0");
                        scale.append(" * ").append(hoistScalar(d.b, () -> "1.0 / " + den, reciprocalNames));
                    } else if (!(f instanceof Nodes.Outer)) {
                        scale.append(" * ").append(element(f, "0", "0"));
                    }
                }
                final String w = integral == null ? "-1" : Integer.toString(integral.block().offset());
                final String wFactor = integral == null || integral.factor() == null ? "1.0"
                        : element(integral.factor(), "0", "0");
                return "    org.neurode.core.expr.ArrayKernels.rank1(y, out, " + blk.offset() + ", " + blk.rows()
                        + ", " + blk.cols() + ", " + decay + ", " + scale + ", " + array(op.a) + ", "
                        + offset(op.a) + ", " + array(column) + ", " + offset(column) + ", " + w + ", h, "
                        + wFactor + ");\n";
            });
        }
        if (integral != null) {
            // integrals() pairs a block with a filter only if the filter takes the kernel path above
            throw new IllegalStateException("weights " + integral.block().name() + " fused into " + blk.name()
                    + ", which is not a rank-one update");
        }
        return elementLoop(blk, "out[#K] = " + decay + " * y[#K] + " + factor + " * %B;", null, b);
    }

    /**
     * Flattens a product of scalars and exactly one outer product into its factors (a division by a scalar
     * d becomes the marker node {@code 1 / d}).
     *
     * @return false if {@code e} is not such a product
     */
    private boolean outerFactors(final Expr e, final List<Expr> factors) {
        final int before = outers(factors);
        if (!collectFactors(e, factors)) {
            return false;
        }
        return outers(factors) - before == 1;
    }

    private static int outers(final List<Expr> factors) {
        int n = 0;
        for (final Expr f : factors) {
            if (f instanceof Nodes.Outer) {
                n++;
            }
        }
        return n;
    }

    private boolean collectFactors(final Expr e, final List<Expr> factors) {
        if (e instanceof Nodes.Outer o && !stored(e) && !(o.b.cols() > 1)) {
            factors.add(e);
            return true;
        }
        if (e.isScalar()) {
            factors.add(e);
            return true;
        }
        if (stored(e)) {
            return false;
        }
        if (e instanceof Nodes.Binary bin && bin.op == Expr.Op.MUL) {
            return collectFactors(bin.a, factors) && collectFactors(bin.b, factors);
        }
        if (e instanceof Nodes.Binary bin && bin.op == Expr.Op.DIV && bin.b.isScalar()) {
            factors.add(new Nodes.Binary(Expr.Op.DIV, Expr.constant(1.0), bin.b));
            return collectFactors(bin.a, factors);
        }
        return false;
    }

    /** A loop over a block; #K is the flat state index, %A and %B the elements of a and b. */
    private String elementLoop(final StateLayout.Block blk, final String body, final Expr a, final Expr b) {
        return hoisted(() -> elementLoopCode(blk, body, a, b));
    }

    private String elementLoopCode(final StateLayout.Block blk, final String body, final Expr a, final Expr b) {
        final int off = blk.offset();
        final String row;
        final String col;
        final String head;
        final String tail;
        final String k;
        if (blk.size() == 1) {
            row = "0";
            col = "0";
            k = Integer.toString(off);
            head = "    {\n";
            tail = "    }\n";
        } else if (blk.cols() == 1) {
            row = "i";
            col = "0";
            k = "(" + off + " + i)";
            head = "    for (int i = 0; i < " + blk.rows() + "; i++) {\n";
            tail = "    }\n";
        } else if (!needsRowCol(b) && (a == null || !needsRowCol(a))) {
            row = "i";
            col = FLAT;
            k = "(" + off + " + i)";
            head = "    for (int i = 0; i < " + blk.size() + "; i++) {\n";
            tail = "    }\n";
        } else {
            row = "r";
            col = "c";
            k = "(" + off + " + r * " + blk.cols() + " + c)";
            head = "    for (int r = 0; r < " + blk.rows() + "; r++) {\n      for (int c = 0; c < " + blk.cols()
                    + "; c++) {\n";
            tail = "      }\n    }\n";
        }
        final boolean rows = "c".equals(col);
        if (rows) {
            rowHoist = new StringBuilder();
        }
        String code = body.replace("#K", k).replace("%B", element(b, row, col));
        if (a != null) {
            code = code.replace("%A", element(a, row, col));
        }
        if (rows) {
            final String decls = rowHoist.toString();
            rowHoist = null;
            return "    for (int r = 0; r < " + blk.rows() + "; r++) {\n" + decls + "      for (int c = 0; c < "
                    + blk.cols() + "; c++) {\n        " + code + "\n" + tail;
        }
        return head + "        " + code + "\n" + tail;
    }

    /**
     * Compiles and returns the constructor taking the parameter array.
     *
     * @return constructor {@code (double[] p)}
     */
    Constructor<? extends ExponentialEulerKernel> compile() {
        final String className = "Model" + COUNTER.incrementAndGet() + "_"
                + modelName.replaceAll("[^A-Za-z0-9_]", "_");
        final String src = source(className);
        final String dump = System.getProperty("neurode.generated.dir");
        if (dump != null) {
            // debugging aid: -Dneurode.generated.dir=DIR keeps the generated source of every model
            try {
                java.nio.file.Files.createDirectories(java.nio.file.Path.of(dump));
                java.nio.file.Files.writeString(java.nio.file.Path.of(dump, className + ".java"), src);
            } catch (java.io.IOException e) {
                throw new OdeException(e, ErrorCode.INVALID_ARGUMENT, "cannot write generated source to " + dump
                        + ": " + e.getMessage());
            }
        }
        try {
            final SimpleCompiler sc = new SimpleCompiler();
            sc.setDebuggingInformation(true, true, false);   // line numbers in profiles and stack traces
            sc.setParentClassLoader(EquationCompiler.class.getClassLoader());
            sc.cook(src);
            final Class<?> c = sc.getClassLoader().loadClass("org.neurode.generated." + className);
            return c.asSubclass(ExponentialEulerKernel.class).getConstructor(double[].class);
        } catch (CompileException | ClassNotFoundException | NoSuchMethodException e) {
            throw new OdeException(e, ErrorCode.COMPILATION_FAILED, modelName, e.getMessage() + "\n" + src);
        }
    }

    // ------------------------------------------------------------------ linear split

    private boolean depends(final Expr e, final Var v) {
        final Boolean m = dependsMemo.get(e);
        if (m != null) {
            return m;
        }
        boolean d = e instanceof Var w && w.name().equals(v.name());
        for (final Expr child : children(e)) {
            d = d || depends(child, v);
        }
        dependsMemo.put(e, d);
        return d;
    }

    /**
     * Writes {@code e = A * v + B} with A free of {@code v} (element-wise); terms that are not linear in
     * {@code v} stay in B (evaluated at the current state). Null stands for zero.
     */
    private Split decompose(final Expr e, final Var v) {
        if (e instanceof Var w && w.name().equals(v.name())) {
            return new Split(Expr.constant(1.0), null);
        }
        if (!depends(e, v)) {
            return new Split(null, e);
        }
        if (e instanceof Nodes.Let l && l.body.rows() == v.rows() && l.body.cols() == v.cols()) {
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
                    if (!depends(b.b, v)) {
                        final Split l = decompose(b.a, v);
                        return new Split(mul(l.a(), b.b), mul(l.b(), b.b));
                    }
                    if (!depends(b.a, v)) {
                        final Split r = decompose(b.b, v);
                        return new Split(mul(b.a, r.a()), mul(b.a, r.b()));
                    }
                    break;
                case DIV:
                    if (!depends(b.b, v)) {
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

    // ------------------------------------------------------------------ scratch values

    /** Column marker of a flat loop: the row index is the flat element index. */
    private static final String FLAT = "#FLAT";

    /**
     * True if element (r, c) of {@code e} needs the row and column separately (an outer product or a
     * transpose inside); otherwise a matrix expression is computed in one flat loop, which the JIT
     * vectorizes better than short nested loops.
     */
    private boolean needsRowCol(final Expr e) {
        if (stored(e) || e.isScalar()) {
            return false;
        }
        if (e instanceof Nodes.Outer || e instanceof Nodes.Transpose) {
            return true;
        }
        if (e instanceof Nodes.Unary u) {
            return needsRowCol(u.arg);
        }
        if (e instanceof Nodes.Binary b) {
            return needsRowCol(b.a) || needsRowCol(b.b);
        }
        if (e instanceof Nodes.Let l) {
            return needsRowCol(l.body);
        }
        return true;
    }

    private static boolean arrayBacked(final Expr e) {
        return e instanceof Var;
    }

    private boolean stored(final Expr e) {
        return arrayBacked(e) || tmpOffset.containsKey(e) || aliases.containsKey(e);
    }

    /** @return the node whose storage holds {@code e} (itself unless {@code e} is an alias) */
    private Expr resolve(final Expr e) {
        Expr r = e;
        while (aliases.containsKey(r)) {
            r = aliases.get(r);
        }
        return r;
    }

    /** Walks an expression and emits scratch computations for the nodes that need them, children first. */
    private void collect(final Expr e) {
        if (stored(e)) {
            return;
        }
        if (e instanceof Nodes.Let l) {
            collect(l.body);
            if (stored(l.body)) {
                aliases.put(e, l.body);          // a name for a stored value: no copy
            } else {
                materialize(e, l.body);
            }
        } else if (e instanceof Nodes.Unary u) {
            collect(u.arg);
            final String kernel = ARRAY_FUNCTIONS.get(u.fn);
            if (kernel != null && e.rows() * e.cols() >= MIN_ARRAY_FUNCTION && varying(u.arg)) {
                // a rate function over a whole vector: its argument into scratch space, then one call that
                // applies the function in place (SIMD exponentials and logarithms where available)
                final int off = tmpSize;
                materialize(e, u.arg);
                prelude.append("    org.neurode.core.expr.ArrayKernels.").append(kernel).append("(tmp, ").append(off)
                       .append(", ").append(e.rows() * e.cols()).append(");\n");
            }
        } else if (e instanceof Nodes.Binary b) {
            collect(b.a);
            collect(b.b);
        } else if (e instanceof Nodes.Transpose tr) {
            collect(tr.arg);
        } else if (e instanceof Nodes.Outer o) {
            // the operands are read once per matrix element: compute them once into scratch space
            collect(o.a);
            collect(o.b);
            if (!stored(o.a)) {
                materialize(o.a, o.a);
            }
            // the column operand is read along each row: keep it in scratch space even when it is a state
            // block, so that the row loop reads two different arrays (the JIT of Java 17 does not vectorize
            // loops reading one array at offsets whose distance is not a multiple of the vector length)
            final Expr column = resolve(o.b);
            if (!tmpOffset.containsKey(column) && !(column instanceof Nodes.Const) && !columnCopies.containsKey(column)) {
                final Expr copy = new Nodes.Let("column", column);
                materialize(copy, column);
                columnCopies.put(column, copy);
            }
        } else if (e instanceof Nodes.Sum s) {
            collect(s.arg);
            final int off = allocate(e);
            prelude.append("    { double s = 0.0;\n").append(loop(s.arg, "      s += %s;\n"))
                   .append("      tmp[").append(off).append("] = s; }\n");
        } else if (e instanceof Nodes.MatVec mv) {
            Expr m = mv.matrix;
            final boolean transposed = m instanceof Nodes.Transpose;
            if (transposed) {
                m = ((Nodes.Transpose) m).arg;
            }
            collect(m);
            collect(mv.vector);
            if (!stored(m)) {
                materialize(m, m);
            }
            if (!stored(mv.vector)) {
                materialize(mv.vector, mv.vector);
            }
            final int off = allocate(e);
            final String mArr = array(m);
            final int mOff = offset(m);
            final String xArr = array(mv.vector);
            final int xOff = offset(mv.vector);
            final int rows = m.rows();
            final int cols = m.cols();
            if (!transposed) {
                // scalar: rows in blocks of four sharing each x[j] load (measured 25% faster than one row at a
                // time, Java 17); SIMD: fused multiply-adds over vectors of columns (ArrayKernels)
                prelude.append("    org.neurode.core.expr.ArrayKernels.matvec(").append(mArr).append(", ").append(mOff)
                       .append(", ").append(rows).append(", ").append(cols).append(", ").append(xArr).append(", ")
                       .append(xOff).append(", tmp, ").append(off).append(");\n");
            } else {
                prelude.append("    for (int j = 0; j < ").append(cols).append("; j++) { tmp[").append(off)
                       .append(" + j] = 0.0; }\n")
                       .append("    for (int i = 0; i < ").append(rows).append("; i++) {\n")
                       .append("      final double xi = ").append(xArr).append("[").append(xOff).append(" + i];\n")
                       .append("      final int base = ").append(mOff).append(" + i * ").append(cols).append(";\n")
                       .append("      for (int j = 0; j < ").append(cols).append("; j++) { tmp[").append(off)
                       .append(" + j] += ").append(mArr).append("[base + j] * xi; }\n    }\n");
            }
        }
    }

    /**
     * Emits a loop with its scalar subexpressions hoisted in front of it: every scalar is loop-invariant
     * (it has no element index), so it is computed once per call instead of once per element, and a
     * division by a scalar becomes a multiplication by its reciprocal (Brian2's loop-invariant lifting).
     */
    private String hoisted(final java.util.function.Supplier<String> loopCode) {
        final StringBuilder outer = hoist;
        hoist = new StringBuilder();
        hoistNames.clear();
        reciprocalNames.clear();
        final String code = loopCode.get();
        final String decls = hoist.toString();
        hoist = outer;
        hoistNames.clear();
        reciprocalNames.clear();
        return decls.isEmpty() ? code : "    {\n" + decls + code + "    }\n";
    }

    private String hoistScalar(final Expr e, final java.util.function.Supplier<String> value,
                               final Map<Expr, String> names) {
        String name = names.get(e);
        if (name == null) {
            final String v = value.get();
            name = "h" + hoistCounter++;
            hoist.append("      final double ").append(name).append(" = ").append(v).append(";\n");
            names.put(e, name);
        }
        return name;
    }

    private int allocate(final Expr e) {
        final int off = tmpSize;
        tmpOffset.put(e, off);
        tmpSize += e.rows() * e.cols();
        return off;
    }

    private void materialize(final Expr node, final Expr body) {
        final int off = tmpSize;
        final String code = loop(body, "      tmp[" + off + " + k] = %s;\n");
        allocate(node);
        prelude.append(code);
    }

    /** A loop over all elements of {@code e}, with {@code k} the flat index; {@code %s} is the element. */
    private String loop(final Expr e, final String bodyTemplate) {
        return hoisted(() -> loopCode(e, bodyTemplate));
    }

    private String loopCode(final Expr e, final String bodyTemplate) {
        final int rows = e.rows();
        final int cols = e.cols();
        if (rows * cols == 1) {
            return "    { final int k = 0;\n" + String.format(bodyTemplate, element(e, "0", "0")) + "    }\n";
        }
        if (cols == 1) {
            return "    for (int k = 0; k < " + rows + "; k++) {\n" + String.format(bodyTemplate, element(e, "k", "0"))
                    + "    }\n";
        }
        return "    for (int r = 0; r < " + rows + "; r++) {\n      for (int c = 0; c < " + cols + "; c++) {\n"
                + "      final int k = r * " + cols + " + c;\n" + String.format(bodyTemplate, element(e, "r", "c"))
                + "      }\n    }\n";
    }

    private String assign(final String target, final StateLayout.Block blk, final Expr rhs) {
        return hoisted(() -> assignCode(target, blk, rhs));
    }

    private String assignCode(final String target, final StateLayout.Block blk, final Expr rhs) {
        final int off = blk.offset();
        if (blk.size() == 1) {
            return "    " + target + "[" + off + "] = " + element(rhs, "0", "0") + ";\n";
        }
        if (blk.cols() == 1) {
            return "    for (int i = 0; i < " + blk.rows() + "; i++) {\n      " + target + "[" + off + " + i] = "
                    + element(rhs, "i", "0") + ";\n    }\n";
        }
        if (!needsRowCol(rhs)) {
            return "    for (int i = 0; i < " + blk.size() + "; i++) {\n      " + target + "[" + off + " + i] = "
                    + element(rhs, "i", FLAT) + ";\n    }\n";
        }
        rowHoist = new StringBuilder();
        final String value = element(rhs, "r", "c");
        final String decls = rowHoist.toString();
        rowHoist = null;
        return "    for (int r = 0; r < " + blk.rows() + "; r++) {\n      final int base = " + off + " + r * "
                + blk.cols() + ";\n" + decls + "      for (int c = 0; c < " + blk.cols() + "; c++) {\n        " + target
                + "[base + c] = " + value + ";\n      }\n    }\n";
    }

    private static String fillZero(final String target, final StateLayout.Block blk) {
        return "    java.util.Arrays.fill(" + target + ", " + blk.offset() + ", " + (blk.offset() + blk.size())
                + ", 0.0);\n";
    }

    private String array(final Expr e) {
        return arrayBacked(resolve(e)) ? "y" : "tmp";
    }

    private int offset(final Expr x) {
        final Expr e = resolve(x);
        if (e instanceof Var v) {
            return layout.block(v.name()).offset();
        }
        return tmpOffset.get(e);
    }

    private static String index(final Expr e, final int off, final String row, final String col) {
        if (e.rows() * e.cols() == 1) {
            return Integer.toString(off);
        }
        if (FLAT.equals(col)) {
            return off + " + " + row;         // element-wise over same-shaped blocks: one flat index
        }
        if (e.cols() == 1) {
            return off + " + " + row;
        }
        if (e.rows() == 1) {
            return off + " + " + col;
        }
        return off + " + (" + row + ") * " + e.cols() + " + " + col;
    }

    /** Java source of element (row, col) of {@code e}; scalars ignore the indices (broadcast). */
    private String element(final Expr e, final String row, final String col) {
        if (hoist != null && e.isScalar() && !(e instanceof Nodes.Const) && !(e instanceof Nodes.Time)) {
            final StringBuilder inLoop = hoist;
            return hoistScalar(e, () -> {
                // the value itself is computed outside the loop, where nothing more is hoisted
                hoist = null;
                final String v = element(e, "0", "0");
                hoist = inLoop;
                return v;
            }, hoistNames);
        }
        if (stored(e)) {
            return array(e) + "[" + index(resolve(e), offset(e), row, col) + "]";
        }
        if (e instanceof Nodes.Const c) {
            return "(" + Double.toString(c.value) + ")";
        }
        if (e instanceof Nodes.Time) {
            usesTime = true;
            return "t";
        }
        if (e instanceof Nodes.Param p) {
            return "p[" + p.index + "]";
        }
        if (e instanceof Nodes.Unary u) {
            final String a = element(u.arg, row, col);
            switch (u.fn) {
                case NEG: return "(-" + a + ")";
                case EXP: return "Math.exp(" + a + ")";
                case LOG: return "Math.log(" + a + ")";
                case SQRT: return "Math.sqrt(" + a + ")";
                case TANH: return "Math.tanh(" + a + ")";
                case SIGMOID: return "org.neurode.core.expr.Kernels.sigmoid(" + a + ")";
                case SOFTPLUS: return "org.neurode.core.expr.Kernels.softplus(" + a + ")";
                case RELU: return "Math.max(0.0, " + a + ")";
                case EXPREL: return "org.neurode.core.expr.Kernels.exprel(" + a + ")";
                case ABS: return "Math.abs(" + a + ")";
                case SIN: return "Math.sin(" + a + ")";
                case COS: return "Math.cos(" + a + ")";
                case STEP: return "org.neurode.core.expr.Kernels.step(" + a + ")";
                default: throw Nodes.unsupported(e);
            }
        }
        if (e instanceof Nodes.Binary b) {
            final String x = element(b.a, row, col);
            final String y = element(b.b, row, col);
            switch (b.op) {
                case ADD: return "(" + x + " + " + y + ")";
                case SUB: return "(" + x + " - " + y + ")";
                case MUL: return "(" + x + " * " + y + ")";
                case DIV:
                    if (hoist != null && b.b.isScalar()) {
                        return "(" + x + " * " + hoistScalar(b.b, () -> "1.0 / " + y, reciprocalNames) + ")";
                    }
                    return "(" + x + " / " + y + ")";
                case POW: return "org.neurode.core.expr.Kernels.pow(" + x + ", " + y + ")";
                case MIN: return "Math.min(" + x + ", " + y + ")";
                case MAX: return "Math.max(" + x + ", " + y + ")";
                default: throw Nodes.unsupported(e);
            }
        }
        if (e instanceof Nodes.Transpose tr) {
            return element(tr.arg, col, row);
        }
        if (e instanceof Nodes.Outer o) {
            final Expr column = columnCopies.getOrDefault(resolve(o.b), o.b);
            String rowFactor = element(o.a, row, "0");
            if (rowHoist != null) {
                // the row factor is invariant in the column loop: a local, so that the loop vectorizes
                final String name = "row" + hoistCounter++;
                rowHoist.append("      final double ").append(name).append(" = ").append(rowFactor).append(";\n");
                rowFactor = name;
            }
            return "(" + rowFactor + " * " + element(column, col, "0") + ")";
        }
        throw Nodes.unsupported(e);
    }
}
