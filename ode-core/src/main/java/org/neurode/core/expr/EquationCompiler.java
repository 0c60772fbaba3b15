package org.neurode.core.expr;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.codehaus.commons.compiler.CompileException;
import org.codehaus.janino.SimpleCompiler;
import org.neurode.core.ErrorCode;
import org.neurode.core.ExponentialEulerKernel;
import org.neurode.core.OdeException;
import org.neurode.core.StateLayout;
import org.neurode.core.expr.Expr.Fn;
import org.neurode.core.expr.LinearParts.Split;
import org.neurode.core.spec.ModelSpec;

/**
 * Compiles a model specification ({@link ModelSpec}, what a {@link ModelBuilder} holds) into Java source (one
 * fused loop per state block, one scratch loop per matrix-vector product or named subexpression) and then into
 * bytecode with Janino, in process. The generated class implements {@link LinearSplitEquation} and the fused
 * steps ({@link org.neurode.core.EulerKernel}, {@link ExponentialEulerKernel}).
 *
 * <p>The pipeline, each pass reading only what the one before gave:
 * <ol>
 * <li>specification: a {@link ModelSpec}, made by a {@link ModelBuilder}, a model file or a JSON/YAML
 *     document;</li>
 * <li>units: {@link org.neurode.core.units.UnitCheck}, run by the {@link ModelBuilder} before it compiles,
 *     checks dimensions and converts values to the declared units, so no unit is left for run time;</li>
 * <li>shapes: {@link ResolvedModel} resolves the names and checks the shapes, and gives the state layout, the
 *     input layout, the offsets of the parameter arrays and each equation as an expression graph;</li>
 * <li>linear parts: {@link LinearParts} splits each equation f = a x + b, a free of x where the rules find
 *     it;</li>
 * <li>emission, this class: it cuts the expressions into pieces of bounded size ({@link #cut}), computes named
 *     subexpressions, products and other shared values into scratch space in dependency order
 *     ({@link #collect}), and writes the derivative, the split and the fused Euler and exponential Euler steps,
 *     one loop per block with its loop-invariant scalars hoisted; {@link MethodWriter} keeps each method within
 *     the size limits of the JVM;</li>
 * <li>bytecode: {@link #compile} hands the source to Janino and gives the kernel class's constructor and the
 *     tables its rolled loops read.</li>
 * </ol>
 * The linear parts are found between two steps of the emission: each equation is split in its cut form (so that
 * no walk of the split recurses deeper than one piece), and the parts, new nodes over it, are cut in turn before
 * any code is written ({@link #source}).
 *
 * <p>Storage: the generated code reads the integrated state from {@code y} (the state layout: variables with an
 * equation only), inputs from its own buffer {@code u} (the input layout; simulations write it at input
 * switches through {@code inputs()}), scalar parameters from {@code p} at their indices and parameter arrays
 * from {@code p} at the offsets the builder packed them to. Only {@code y} is integrated: derivatives, linear
 * splits and fused steps cover the state alone, so inputs and parameters never enter error norms, Jacobians
 * or step copies.
 *
 * <p>Why code generation: an interpreter pays a dispatch per operation and element. Measured on this
 * machine class (docs/performance.md), tree-walking interpreters were 80-100x slower than Brian2's C++ on a
 * 1000-neuron LIF model and generated Java on par with it.
 *
 * <p>Size: every pass is linear in the size of the expression graph (shared subexpressions and named
 * subexpressions are visited once), and no pass recurses deeper than {@link #MAX_DEPTH} levels: deeper or
 * larger expressions are first cut into named subexpressions computed in scratch space ({@link #cut}), in
 * their evaluation order, so the numbers do not change. Long method bodies are rolled into loops where
 * consecutive statements differ only in their numbers and split into methods of nested classes
 * ({@link MethodWriter}), which keeps each method below the JVM's 64 KB limit and HotSpot's 8,000-byte
 * limit for compiling a method, and each class below the 65,535 entries of its constant pool.
 */
final class EquationCompiler {

    private static final AtomicLong COUNTER = new AtomicLong();
    /** Functions applied to whole vectors by {@link ArrayKernels} (the name of its method). */
    private static final Map<Fn, String> ARRAY_FUNCTIONS = Map.of(Fn.SOFTPLUS, "softplus", Fn.SIGMOID, "sigmoid",
            Fn.TANH, "tanh");
    /** Vectors shorter than this keep the function inline (no SIMD lane would be filled). */
    private static final int MIN_ARRAY_FUNCTION = 4;
    /**
     * Deepest expression computed in one piece (operations between stored values). Janino's parser and
     * code generator recurse per nesting level and failed, depending on the thread's stack, between 250 and
     * 400 levels; the passes of this compiler recurse as deep.
     */
    static final int MAX_DEPTH = 64;
    /** Largest expression computed in one piece (nodes between stored values); bounds one statement. */
    static final int MAX_SIZE = 256;

    private final String modelName;
    private final StateLayout layout;
    /** Layout of the input buffer {@code u}. */
    private final StateLayout inputLayout;
    /** Offset in {@code p} of each parameter array. */
    private final Map<String, Integer> parameterOffsets;
    /** The parameter arrays, in declaration order. */
    private final List<Var> parameterArrays;
    /** Length of {@code p}. */
    private final int parameterLength;
    /** The equations as given. */
    private final Map<String, Expr> given;
    /** The equations after {@link #cut}. */
    private final Map<String, Expr> odes = new HashMap<>();
    private final Map<Expr, Integer> tmpOffset = new IdentityHashMap<>();
    private final Map<Expr, Expr> aliases = new IdentityHashMap<>();
    /** Scratch copies of outer-product column operands that live in the state array. */
    private final Map<Expr, Expr> columnCopies = new IdentityHashMap<>();
    /** The statements computing scratch values, in dependency order. */
    private final List<String> prelude = new ArrayList<>();
    /** Nodes {@link #collect} has visited. */
    private final Set<Expr> collected = Collections.newSetFromMap(new IdentityHashMap<>());
    private int tmpSize;
    /** True once generated code reads the time {@code t} (else the equation is autonomous). */
    private boolean usesTime;
    /** Declarations of loop-invariant scalars of the loop being emitted (null outside loops). */
    private StringBuilder hoist;
    private Map<Expr, String> hoistNames = new IdentityHashMap<>();
    private Map<Expr, String> reciprocalNames = new IdentityHashMap<>();
    private int hoistCounter;
    /** Declarations of row-invariant values of the matrix loop being emitted (null outside). */
    private StringBuilder rowHoist;

    // ------------------------------------------------------------------ analysis memos (per node identity)

    /** Original node to its cut form; cut nodes map to themselves. */
    private final Map<Expr, Expr> cutForm = new IdentityHashMap<>();
    /** Size and depth of the piece a cut node is computed in (absent for stored kinds: one leaf). */
    private final Map<Expr, int[]> extent = new IdentityHashMap<>();
    /** Named subexpressions made by {@link #cut}, by the node they name. */
    private final Map<Expr, Expr> cutNames = new IdentityHashMap<>();
    private int cutCounter;
    private final Map<Expr, Boolean> varyingMemo = new IdentityHashMap<>();

    // ------------------------------------------------------------------ the passes this one runs

    /** The linear-parts pass, run by {@link #source} on each equation's cut form. */
    private final LinearParts linear = new LinearParts();

    /** The code-size pass: methods of bounded size, the nested classes and the tables of rolled loops. */
    private final MethodWriter writer = new MethodWriter();

    /**
     * The compiler of a model specification: its only input. The names of the specification are resolved
     * here, in the shape pass ({@link ResolvedModel}).
     *
     * @param spec the model, as checked by a {@link ModelBuilder}
     * @throws OdeException if a name is unknown, a shape does not match or a state has no equation
     */
    EquationCompiler(final ModelSpec spec) {
        this(ResolvedModel.of(spec));
    }

    private EquationCompiler(final ResolvedModel front) {
        this.modelName = front.name();
        this.layout = front.layout();
        this.inputLayout = front.inputLayout();
        this.parameterOffsets = front.parameterOffsets();
        this.parameterArrays = front.parameterArrays();
        this.parameterLength = front.parameterLength();
        this.given = front.odes();
    }

    /** @return the state layout of the model: its integrated variables */
    StateLayout layout() {
        return layout;
    }

    /** @return the layout of the model's input buffer */
    StateLayout inputLayout() {
        return inputLayout;
    }

    /**
     * @return where the compiled code reads each parameter array in its parameter array {@code p} (the scalar
     *         parameters are at their index in the specification)
     */
    Map<String, Integer> parameterOffsets() {
        return parameterOffsets;
    }

    /** @return the length of the parameter array {@code p} the compiled code reads */
    int parameterLength() {
        return parameterLength;
    }

    /** @return the generated source text */
    String source(final String className) {
        // the state layout holds the integrated blocks only: every block has an equation
        final List<StateLayout.Block> blocks = layout.blocks();
        for (final StateLayout.Block blk : blocks) {
            odes.put(blk.name(), cut(given.get(blk.name())));
        }
        final List<Split> splits = new ArrayList<>();
        for (final StateLayout.Block blk : blocks) {
            final Expr rhs = odes.get(blk.name());
            final Var v = new Var(blk.name(), blk.rows(), blk.cols(), blk.unit(), Var.Role.STATE);
            final Split s = linear.split(rhs, v);
            splits.add(new Split(s.a() == null ? null : cut(s.a()), s.b() == null ? null : cut(s.b())));
        }
        // materialise scratch values in dependency order
        for (final StateLayout.Block blk : blocks) {
            collect(odes.get(blk.name()));
        }
        for (final Split s : splits) {
            if (s.a() != null) {
                collect(s.a());
            }
            if (s.b() != null) {
                collect(s.b());
            }
        }
        final List<String> derivatives = new ArrayList<>(padding("java.util.Arrays.fill(dydt, %d, %d, 0.0);"));
        for (final StateLayout.Block blk : blocks) {
            derivatives.add(comment("d" + blk.name() + "/dt = " + given.get(blk.name()).text() + "   for "
                    + describe(blk)));
            derivatives.add(assign("dydt", blk, odes.get(blk.name())));
        }
        final List<String> split = new ArrayList<>(
                padding("java.util.Arrays.fill(a, %d, %d, 0.0); java.util.Arrays.fill(b, %d, %d, 0.0);"));
        for (int k = 0; k < blocks.size(); k++) {
            final StateLayout.Block blk = blocks.get(k);
            final Split s = splits.get(k);
            split.add(comment("d" + blk.name() + "/dt = a " + blk.name() + " + b   for " + describe(blk)));
            split.add(s.a() == null ? fillZero("a", blk) : assign("a", blk, s.a()));
            split.add(s.b() == null ? fillZero("b", blk) : assign("b", blk, s.b()));
        }
        // weights fused into their filters' kernels: the same pairs for both steps
        final Map<String, Integral> integrals = integrals(blocks, splits);
        final String fused = fusedStep(blocks, splits, integrals);
        final String euler = eulerStep(blocks, splits, integrals);
        final StringBuilder methods = new StringBuilder();
        methods.append(method("  private void prelude(double t, double[] y)", "", Context.PRELUDE, prelude));
        methods.append(method("  public void derivatives(double t, double[] y, double[] dydt)",
                "    prelude(t, y);\n", Context.DERIVATIVES, derivatives));
        methods.append(method("  public void split(double t, double[] y, double[] a, double[] b)",
                "    prelude(t, y);\n", Context.SPLIT, split));
        methods.append(fused).append(euler);
        final StringBuilder src = new StringBuilder();
        src.append("package org.neurode.generated;\n");
        src.append("public final class ").append(className)
           .append(" implements org.neurode.core.ExponentialEulerKernel, org.neurode.core.EulerKernel {\n");
        src.append("  // model '").append(safe(modelName)).append("': state layout");
        if (blocks.size() + inputLayout.blocks().size() + parameterOffsets.size() <= MAX_LAYOUT_COMMENT) {
            for (final StateLayout.Block blk : blocks) {
                src.append("\n  //   ").append(safe(describe(blk)));
            }
            for (final StateLayout.Block blk : inputLayout.blocks()) {
                src.append("\n  //   input ").append(safe(describe(blk.name(), "u", blk.offset(), blk.rows(),
                        blk.cols(), blk.unit())));
            }
            for (final Var v : parameterArrays) {
                src.append("\n  //   parameter ").append(safe(describe(v.name(), "p", parameterOffsets.get(v.name()),
                        v.rows(), v.cols(), v.unit())));
            }
        } else {
            src.append(" of ").append(blocks.size()).append(" blocks, ").append(inputLayout.blocks().size())
               .append(" inputs and ").append(parameterOffsets.size()).append(" parameter arrays (see Model.layout(), "
               + "Model.inputLayout(), Model.parameters())");
        }
        src.append("\n  private final double[] p;\n");
        src.append("  private final double[] u = new double[").append(inputLayout.dimension()).append("];\n");
        src.append("  private final double[] tmp = new double[").append(Math.max(1, tmpSize)).append("];\n");
        if (writer.hasTables()) {
            src.append("  private final int[] I;\n  private final double[] D;\n");
            src.append("  public ").append(className)
               .append("(double[] p, int[] I, double[] D) { this.p = p; this.I = I; this.D = D; }\n");
        } else {
            src.append("  public ").append(className).append("(double[] p) { this.p = p; }\n");
        }
        src.append("  public int dimension() { return ").append(layout.dimension()).append("; }\n");
        src.append("  public double[] inputs() { return u; }\n");
        src.append(methods);
        // after all code is generated: did any of it read t?
        src.append("  public boolean autonomous() { return ").append(!usesTime).append("; }\n");
        src.append(writer.nestedClasses());
        src.append("}\n");
        return src.toString();
    }

    // ------------------------------------------------------------------ methods, loops and chunks

    /** The methods whose bodies may be split, with the parameters a chunk of their body needs. */
    private enum Context {
        PRELUDE("double[] p, double[] u, double[] tmp, double t, double[] y", "p, u, tmp, t, y"),
        DERIVATIVES("double[] p, double[] u, double[] tmp, double t, double[] y, double[] dydt",
                "p, u, tmp, t, y, dydt"),
        SPLIT("double[] p, double[] u, double[] tmp, double t, double[] y, double[] a, double[] b",
                "p, u, tmp, t, y, a, b"),
        EXPONENTIAL("double[] p, double[] u, double[] tmp, double t, double h, double[] y, double[] out, "
                + "boolean fresh, double[] cacheA, double[] cacheE, double[] cacheP",
                "p, u, tmp, t, h, y, out, fresh, cacheA, cacheE, cacheP"),
        EULER("double[] p, double[] u, double[] tmp, double t, double h, double[] y, double[] out",
                "p, u, tmp, t, h, y, out");

        final String parameters;
        final String arguments;

        Context(final String parameters, final String arguments) {
            this.parameters = parameters;
            this.arguments = arguments;
        }
    }

    /** A method of the generated class, its body kept below the size limits ({@link MethodWriter#method}). */
    private String method(final String signature, final String header, final Context context,
                          final List<String> body) {
        return writer.method(signature, header, context.parameters, context.arguments, body);
    }

    /** Most blocks listed in the layout comment at the top of a generated class. */
    private static final int MAX_LAYOUT_COMMENT = 200;

    /** A comment line of generated code (one line; the text is a name or an equation). */
    private static String comment(final String text) {
        return "    // " + safe(text) + "\n";
    }

    /**
     * Text that is safe in a line comment of Java source: printable ASCII without backslashes (Java reads
     * unicode escapes such as a backslash-u000a even in comments, where it would end the line).
     */
    private static String safe(final String text) {
        final StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f && c != '\\' ? c : '?');
        }
        return sb.toString();
    }

    /** A block as a comment names it: {@code v (y[0..99], 100x1, mV)}. */
    private static String describe(final StateLayout.Block blk) {
        return describe(blk.name(), "y", blk.offset(), blk.rows(), blk.cols(), blk.unit());
    }

    /** An array as a comment names it: {@code W (p[16..27], 3x4)}. */
    private static String describe(final String name, final String array, final int offset, final int rows,
                                   final int cols, final String unit) {
        final int size = rows * cols;
        final String range = size == 1 ? array + "[" + offset + "]"
                : array + "[" + offset + ".." + (offset + size - 1) + "]";
        final String u = unit == null || unit.isEmpty() || "1".equals(unit) ? "" : ", " + unit;
        return name + " (" + range + ", " + rows + "x" + cols + u + ")";
    }

    /**
     * One statement per gap of alignment padding between blocks. The template gets (from, to) for fills,
     * or (from, from, length) for copies.
     */
    private List<String> padding(final String template) {
        final List<String> statements = new ArrayList<>();
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
            statements.add("    " + stmt + "\n");
        }
        return statements;
    }

    /**
     * True if {@code e} reads the state, an input or the time (so its value may change from call to call).
     * Parameters, scalars and arrays, are fixed for an equation's life.
     */
    private boolean varying(final Expr e) {
        return ExprWalk.bottomUp(e, varyingMemo, EquationCompiler::children, n -> {
            if (n instanceof Var v && !v.isParameter() || n instanceof Nodes.Time) {
                return true;
            }
            for (final Expr child : children(n)) {
                if (varyingMemo.get(child)) {
                    return true;
                }
            }
            return false;
        });
    }

    /** @return the operands of a node (none for leaves) */
    private static List<Expr> children(final Expr e) {
        return Nodes.operands(e);
    }

    /**
     * The fused exponential Euler step: per block, {@code out = e^{a h} y + h phi1(a h) b}. Where a is a
     * state-independent scalar the exponentials are computed once per call; otherwise they are cached per
     * element and recomputed only when a or h changes. Ordered for in-place steps like {@link #eulerStep}.
     */
    private String fusedStep(final List<StateLayout.Block> blocks, final List<Split> splits,
                             final Map<String, Integral> integrals) {
        final List<Update> updates = new ArrayList<>();
        final Set<String> riding = fusedIntegrals(integrals);
        for (int k = 0; k < blocks.size(); k++) {
            final StateLayout.Block blk = blocks.get(k);
            final Split s = splits.get(k);
            if (riding.contains(blk.name())) {
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
        final String header = "    if (cacheA == null) { cacheA = new double[" + layout.dimension()
                + "]; cacheE = new double[" + layout.dimension() + "]; cacheP = new double[" + layout.dimension()
                + "]; }\n";
        final List<String> body = new ArrayList<>(padding("System.arraycopy(y, %d, out, %d, %d);"));
        appendInOrder(body, updates, order);
        src.append(method("  public void exponentialEulerStep(double t, double h, double[] y, double[] out)",
                header + "    prelude(t, y);\n    final boolean fresh = h != cachedH;\n    cachedH = h;\n",
                Context.EXPONENTIAL, body));
        return src.toString();
    }

    /**
     * The fused forward Euler step: per block, {@code out = y + h f}. Where f = a y + b
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
        final Set<String> riding = fusedIntegrals(integrals);
        for (int k = 0; k < blocks.size(); k++) {
            final StateLayout.Block blk = blocks.get(k);
            final Split s = splits.get(k);
            if (riding.contains(blk.name())) {
                continue;
            }
            if (s.a() != null && s.a().isScalar() && !varying(s.a())) {
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
        final List<String> body = new ArrayList<>(padding("System.arraycopy(y, %d, out, %d, %d);"));
        appendInOrder(body, updates, order);
        src.append(method("  public void eulerStep(double t, double h, double[] y, double[] out)",
                "    prelude(t, y);\n", Context.EULER, body));
        return src.toString();
    }

    /**
     * The code of one block update of a fused step, the blocks it writes and the blocks whose state it reads
     * (other than its own element); {@code elementwise} is false if it reads its own block at other elements.
     */
    private record Update(String code, java.util.Set<String> writes, java.util.Set<String> reads, boolean elementwise) {
    }

    /** The update of {@code blk} by {@code code}, which reads the state through {@code a} and {@code b}. */
    private Update update(final StateLayout.Block blk, final String code, final Expr a, final Expr b) {
        final java.util.Set<String> reads = new java.util.HashSet<>();
        final boolean ok = directReads(a, blk, false, reads) & directReads(b, blk, false, reads);
        reads.remove(blk.name());
        return new Update(comment(blk.name() + ": " + describe(blk)) + code, java.util.Set.of(blk.name()), reads,
                          ok);
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

    private static void appendInOrder(final List<String> body, final List<Update> updates, final int[] order) {
        for (int i = 0; i < updates.size(); i++) {
            body.add(updates.get(order == null ? i : order[i]).code());
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
            // inputs and parameters are not in the state: no update writes them
            if (target instanceof Var v && v.isState()) {
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
            // below a transpose or a part, element (i, j) reads other elements of its operand
            ok &= directReads(child, self, underTranspose || e instanceof Nodes.Transpose
                    || e instanceof Nodes.Part, acc);
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
        final Map<String, Integer> writer = new HashMap<>();
        for (int j = 0; j < n; j++) {
            for (final String w : updates.get(j).writes()) {
                writer.put(w, j);
            }
        }
        // edge i -> j: i reads a block that j writes, so i must come first
        final int[] pending = new int[n];
        final List<List<Integer>> after = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            final List<Integer> targets = new ArrayList<>(updates.get(i).reads().size());
            for (final String r : updates.get(i).reads()) {
                final Integer j = writer.get(r);
                if (j != null && j != i && !targets.contains(j)) {
                    targets.add(j);
                    pending[j]++;
                }
            }
            after.add(targets);
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
        final Map<String, Integer> indexOf = new HashMap<>();
        for (int k = 0; k < blocks.size(); k++) {
            indexOf.put(blocks.get(k).name(), k);
        }
        for (int k = 0; k < blocks.size(); k++) {
            final StateLayout.Block blk = blocks.get(k);
            final Split s = splits.get(k);
            if (s.a() != null || s.b() == null) {
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
            if (!(f instanceof Var filter) || !filter.isState()) {
                continue;
            }
            final int index = indexOf.get(filter.name());
            final StateLayout.Block fb = blocks.get(index);
            final Split fs = splits.get(index);
            if (fb.rows() != blk.rows() || fb.cols() != blk.cols() || found.containsKey(fb.name())
                    || fs == null || fs.a() == null || !fs.a().isScalar() || varying(fs.a())
                    || rank1Factors(fb, fs.b()) == null) {
                continue;
            }
            found.put(fb.name(), new Integral(blk, factor));
        }
        return found;
    }

    /** @return the names of the blocks updated inside their filter's kernel (see {@link #integrals}) */
    private static Set<String> fusedIntegrals(final Map<String, Integral> integrals) {
        final Set<String> names = new HashSet<>();
        for (final Integral i : integrals.values()) {
            names.add(i.block().name());
        }
        return names;
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
        } else if (flat(blk, b) && flat(blk, a)) {
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
     * A compiled kernel class and the tables its rolled loops read (null if it has none).
     *
     * @param constructor the constructor: {@code (double[] p)}, or {@code (double[] p, int[] I, double[] D)}, where
     *                    {@code p} holds the scalar parameters and the parameter arrays (see
     *                    {@link ModelBuilder})
     * @param ints        integer table of the rolled loops, or null
     * @param doubles     number table of the rolled loops, or null
     */
    record Compiled(Constructor<? extends ExponentialEulerKernel> constructor, int[] ints, double[] doubles) {

        /**
         * @param p parameter values (shared, not copied)
         * @return a new kernel
         */
        ExponentialEulerKernel newInstance(final double[] p) {
            try {
                return ints == null ? constructor.newInstance((Object) p) : constructor.newInstance(p, ints, doubles);
            } catch (InstantiationException | IllegalAccessException | InvocationTargetException e) {
                throw new OdeException(e, ErrorCode.COMPILATION_FAILED, constructor.getDeclaringClass().getName(),
                                       e.toString());
            }
        }
    }

    /**
     * Compiles the equations.
     *
     * @return the class and its tables
     */
    Compiled compile() {
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
        final boolean tables = writer.hasTables();
        try {
            final SimpleCompiler sc = new SimpleCompiler();
            sc.setDebuggingInformation(true, true, false);   // line numbers in profiles and stack traces
            sc.setParentClassLoader(EquationCompiler.class.getClassLoader());
            sc.cook(src);
            final Class<? extends ExponentialEulerKernel> c = sc.getClassLoader()
                    .loadClass("org.neurode.generated." + className).asSubclass(ExponentialEulerKernel.class);
            if (!tables) {
                return new Compiled(c.getConstructor(double[].class), null, null);
            }
            return new Compiled(c.getConstructor(double[].class, int[].class, double[].class),
                    writer.ints(), writer.doubles());
        } catch (CompileException | ClassNotFoundException | NoSuchMethodException e) {
            // the source is not in the message (it may be megabytes); -Dneurode.generated.dir keeps it
            throw new OdeException(e, ErrorCode.COMPILATION_FAILED, modelName, e.getMessage()
                    + " (run with -Dneurode.generated.dir=DIR to keep the generated source)");
        }
    }

    // ------------------------------------------------------------------ size limits

    /** Kinds computed into storage of their own: a parent reads them as one value. */
    private static boolean storedKind(final Expr e) {
        return e instanceof Nodes.Let || e instanceof Nodes.Sum || e instanceof Nodes.MatVec;
    }

    private static boolean leaf(final Expr e) {
        return e instanceof Var || e instanceof Nodes.Const || e instanceof Nodes.Param || e instanceof Nodes.Time
                || e instanceof Nodes.Index;
    }

    /**
     * Cuts an expression into pieces of at most {@link #MAX_SIZE} nodes and {@link #MAX_DEPTH} levels between
     * stored values: where a node would exceed either, its largest operands become named subexpressions
     * (computed once into scratch space before the node). A left-deep sum of many terms becomes a chain
     * {@code s1 = t1 + ... + t64}, {@code s2 = s1 + t65 + ...}, which adds in the same order, so the results
     * are bit-identical. Shared operands are cut once (the result is memoized per node), so an expression graph
     * of n nodes costs O(n) however often its nodes are shared. Iterative: any depth.
     *
     * @return the cut expression ({@code e} itself if it is within the limits)
     */
    private Expr cut(final Expr e) {
        return ExprWalk.bottomUp(e, cutForm, EquationCompiler::children, this::cutNode);
    }

    /** Rebuilds one node over the cut forms of its operands, naming operands if the node is too large. */
    private Expr cutNode(final Expr e) {
        final List<Expr> given = children(e);
        final Expr[] ops = new Expr[given.size()];
        boolean changed = false;
        for (int i = 0; i < ops.length; i++) {
            ops[i] = cutForm.get(given.get(i));
            changed |= ops[i] != given.get(i);
        }
        if (!storedKind(e) && !leaf(e)) {
            while (true) {
                int size = 1;
                int depth = 1;
                int largest = -1;
                for (int i = 0; i < ops.length; i++) {
                    final int[] x = extent.get(ops[i]);
                    if (x != null) {
                        size += x[0];
                        depth = Math.max(depth, x[1] + 1);
                        if (largest < 0 || x[0] > extent.get(ops[largest])[0]) {
                            largest = i;
                        }
                    } else {
                        size++;
                    }
                }
                if (size <= MAX_SIZE && depth <= MAX_DEPTH) {
                    break;
                }
                ops[largest] = cutNames.computeIfAbsent(ops[largest],
                        x -> new Nodes.Let("cut" + cutCounter++, x));
                changed = true;
            }
        }
        final Expr result = changed ? rebuild(e, ops) : e;
        if (!storedKind(result) && !leaf(result)) {
            int size = 1;
            int depth = 1;
            for (final Expr op : ops) {
                final int[] x = extent.get(op);
                size += x == null ? 1 : x[0];
                depth = Math.max(depth, x == null ? 1 : x[1] + 1);
            }
            extent.put(result, new int[] {size, depth});
        }
        // cut forms are cut already (a second cut, of the split's parts, leaves them as they are)
        if (result != e) {
            cutForm.put(result, result);
            for (int i = 0; i < ops.length; i++) {
                if (ops[i] != given.get(i)) {
                    cutForm.put(ops[i], ops[i]);
                }
            }
        }
        return result;
    }

    /** A node like {@code e} over other operands (of the same shapes). */
    private static Expr rebuild(final Expr e, final Expr[] ops) {
        if (e instanceof Nodes.Let l) {
            return new Nodes.Let(l.name, ops[0]);
        }
        if (e instanceof Nodes.Unary u) {
            return new Nodes.Unary(u.fn, ops[0]);
        }
        if (e instanceof Nodes.Binary b) {
            return new Nodes.Binary(b.op, ops[0], ops[1]);
        }
        if (e instanceof Nodes.MatVec) {
            return new Nodes.MatVec(ops[0], ops[1]);
        }
        if (e instanceof Nodes.Transpose) {
            return new Nodes.Transpose(ops[0]);
        }
        if (e instanceof Nodes.Outer) {
            return new Nodes.Outer(ops[0], ops[1]);
        }
        if (e instanceof Nodes.Sum) {
            return new Nodes.Sum(ops[0]);
        }
        if (e instanceof Nodes.Where) {
            return new Nodes.Where(ops[0], ops[1], ops[2]);
        }
        if (e instanceof Nodes.Part p) {
            return new Nodes.Part(ops[0], p.r0, p.rows(), p.c0, p.cols());
        }
        throw Nodes.unsupported(e);
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
        if (e instanceof Nodes.Outer || e instanceof Nodes.Transpose || e instanceof Nodes.Index
                || e instanceof Nodes.Part) {
            return true;
        }
        if (e instanceof Nodes.Unary u) {
            return needsRowCol(u.arg);
        }
        if (e instanceof Nodes.Binary b) {
            return broadcasts(e, b.a) || broadcasts(e, b.b) || needsRowCol(b.a) || needsRowCol(b.b);
        }
        if (e instanceof Nodes.Where w) {
            return broadcasts(e, w.condition) || broadcasts(e, w.a) || broadcasts(e, w.b) || needsRowCol(w.condition)
                    || needsRowCol(w.a) || needsRowCol(w.b);
        }
        if (e instanceof Nodes.Let l) {
            return needsRowCol(l.body);
        }
        return true;
    }

    /**
     * True if {@code e} (null for none) can be computed for matrix block {@code blk} in one flat loop: it needs no
     * row and column indices and has the block's shape or is a scalar (a column repeated along the block's rows
     * needs them).
     */
    private boolean flat(final StateLayout.Block blk, final Expr e) {
        return e == null || !needsRowCol(e) && (e.isScalar() || e.rows() == blk.rows() && e.cols() == blk.cols());
    }

    /** True if {@code operand} is repeated along rows or columns in {@code e} (a scalar is not: it has no index). */
    private static boolean broadcasts(final Expr e, final Expr operand) {
        return !operand.isScalar() && (operand.rows() != e.rows() || operand.cols() != e.cols());
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

    /**
     * Walks an expression and emits scratch computations for the nodes that need them, children first (the
     * order of a recursive walk, but with an explicit stack: any depth). Each node is visited once.
     */
    private void collect(final Expr root) {
        if (stored(root) || !collected.add(root)) {
            return;
        }
        final ArrayDeque<Expr> nodes = new ArrayDeque<>();
        final ArrayDeque<List<Expr>> operands = new ArrayDeque<>();
        final ArrayDeque<int[]> next = new ArrayDeque<>();
        nodes.push(root);
        operands.push(collectOperands(root));
        next.push(new int[1]);
        while (!nodes.isEmpty()) {
            final List<Expr> ops = operands.peek();
            final int[] i = next.peek();
            if (i[0] < ops.size()) {
                final Expr c = ops.get(i[0]++);
                if (!stored(c) && collected.add(c)) {
                    nodes.push(c);
                    operands.push(collectOperands(c));
                    next.push(new int[1]);
                }
            } else {
                operands.pop();
                next.pop();
                collectNode(nodes.pop());
            }
        }
    }

    /** The operands {@link #collect} visits before a node. */
    private static List<Expr> collectOperands(final Expr e) {
        if (e instanceof Nodes.MatVec mv) {
            final Expr m = mv.matrix instanceof Nodes.Transpose tr ? tr.arg : mv.matrix;
            return List.of(m, mv.vector);
        }
        return children(e);
    }

    /** Emits the scratch computation of one node whose operands are collected. */
    private void collectNode(final Expr e) {
        if (stored(e)) {
            return;
        }
        if (e instanceof Nodes.Let l) {
            if (stored(l.body)) {
                aliases.put(e, resolve(l.body));          // a name for a stored value: no copy
            } else {
                prelude.add(comment("let " + l.name + " = " + l.body.text()));
                materialize(e, l.body);
            }
        } else if (e instanceof Nodes.Unary u) {
            final String kernel = ARRAY_FUNCTIONS.get(u.fn);
            if (kernel != null && e.rows() * e.cols() >= MIN_ARRAY_FUNCTION && varying(u.arg)) {
                // a rate function over a whole vector: its argument into scratch space, then one call that
                // applies the function in place (SIMD exponentials and logarithms where available)
                final int off = tmpSize;
                materialize(e, u.arg);
                prelude.add("    org.neurode.core.expr.ArrayKernels." + kernel + "(tmp, " + off + ", "
                        + e.rows() * e.cols() + ");\n");
            }
        } else if (e instanceof Nodes.Outer o) {
            // the operands are read once per matrix element: compute them once into scratch space
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
            final int off = allocate(e);
            prelude.add("    { double s = 0.0;\n" + loop(s.arg, "      s += %s;\n") + "      tmp[" + off + "] = s; }\n");
        } else if (e instanceof Nodes.MatVec mv) {
            Expr m = mv.matrix;
            final boolean transposed = m instanceof Nodes.Transpose;
            if (transposed) {
                m = ((Nodes.Transpose) m).arg;
            }
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
                prelude.add("    org.neurode.core.expr.ArrayKernels.matvec(" + mArr + ", " + mOff + ", " + rows + ", "
                        + cols + ", " + xArr + ", " + xOff + ", tmp, " + off + ");\n");
            } else {
                prelude.add("    for (int j = 0; j < " + cols + "; j++) { tmp[" + off + " + j] = 0.0; }\n");
                prelude.add("    for (int i = 0; i < " + rows + "; i++) {\n"
                        + "      final double xi = " + xArr + "[" + xOff + " + i];\n"
                        + "      final int base = " + mOff + " + i * " + cols + ";\n"
                        + "      for (int j = 0; j < " + cols + "; j++) { tmp[" + off + " + j] += " + mArr
                        + "[base + j] * xi; }\n    }\n");
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
        // new maps rather than clear(): clearing costs the capacity, which a large loop may have grown
        fresh();
        final String code = loopCode.get();
        final String decls = hoist.toString();
        hoist = outer;
        fresh();
        return decls.isEmpty() ? code : "    {\n" + decls + code + "    }\n";
    }

    /** Empties the hoisting maps (new ones where something was hoisted). */
    private void fresh() {
        if (!hoistNames.isEmpty()) {
            hoistNames = new IdentityHashMap<>(4);
        }
        if (!reciprocalNames.isEmpty()) {
            reciprocalNames = new IdentityHashMap<>(4);
        }
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
        final long size = (long) tmpSize + (long) e.rows() * e.cols();
        if (size > ModelBuilder.MAX_ELEMENTS) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "model '" + modelName + "' needs more than "
                    + ModelBuilder.MAX_ELEMENTS + " scratch values for its named subexpressions and products");
        }
        ModelBuilder.checkMemory("model '" + modelName + "' (scratch space for named subexpressions and products)",
                size, 2);
        tmpOffset.put(e, off);
        tmpSize = (int) size;
        return off;
    }

    private void materialize(final Expr node, final Expr body) {
        final int off = tmpSize;
        final String code = loop(body, "      tmp[" + off + " + k] = %s;\n");
        allocate(node);
        prelude.add(code);
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
        if (flat(blk, rhs)) {
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

    /** The array holding a stored value: the state, the inputs, the parameters or the scratch space. */
    private String array(final Expr e) {
        if (resolve(e) instanceof Var v) {
            switch (v.role()) {
                case INPUT: return "u";
                case PARAMETER: return "p";
                default: return "y";
            }
        }
        return "tmp";
    }

    private int offset(final Expr x) {
        final Expr e = resolve(x);
        if (e instanceof Var v) {
            switch (v.role()) {
                case INPUT: return inputLayout.block(v.name()).offset();
                case PARAMETER: return parameterOffsets.get(v.name());
                default: return layout.block(v.name()).offset();
            }
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

    /** An index expression plus a constant offset. */
    private static String shift(final String index, final int by) {
        if (by == 0) {
            return index;
        }
        return "0".equals(index) ? Integer.toString(by) : "(" + index + " + " + by + ")";
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
                case NOT: return "(" + a + " == 0.0 ? 1.0 : 0.0)";
                case FLOOR: return "Math.floor(" + a + ")";
                case CEIL: return "Math.ceil(" + a + ")";
                case SIGN: return "Math.signum(" + a + ")";
                case TAN: return "Math.tan(" + a + ")";
                case ATAN: return "Math.atan(" + a + ")";
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
                case LT: return "(" + x + " < " + y + " ? 1.0 : 0.0)";
                case LE: return "(" + x + " <= " + y + " ? 1.0 : 0.0)";
                case GT: return "(" + x + " > " + y + " ? 1.0 : 0.0)";
                case GE: return "(" + x + " >= " + y + " ? 1.0 : 0.0)";
                case EQ: return "(" + x + " == " + y + " ? 1.0 : 0.0)";
                case NE: return "(" + x + " != " + y + " ? 1.0 : 0.0)";
                case AND: return "(" + x + " != 0.0 && " + y + " != 0.0 ? 1.0 : 0.0)";
                case OR: return "(" + x + " != 0.0 || " + y + " != 0.0 ? 1.0 : 0.0)";
                default: throw Nodes.unsupported(e);
            }
        }
        if (e instanceof Nodes.Where w) {
            // only the chosen operand is evaluated (Java's conditional), so the other may be NaN or infinite
            return "(" + element(w.condition, row, col) + " != 0.0 ? " + element(w.a, row, col) + " : "
                    + element(w.b, row, col) + ")";
        }
        if (e instanceof Nodes.Index ix) {
            return "((double) " + (ix.axis == 0 ? row : col) + ")";
        }
        if (e instanceof Nodes.Part p) {
            return element(p.arg, shift(row, p.r0), shift(col, p.c0));
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
