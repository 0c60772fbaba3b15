package org.neurode.core.expr;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.neurode.core.ErrorCode;
import org.neurode.core.JacobianPattern;
import org.neurode.core.OdeException;
import org.neurode.core.StateLayout;
import org.neurode.core.expr.Expr.Fn;

/**
 * The differentiation pass of the compiler ({@link EquationCompiler} lists the passes): it takes the analysed
 * equations (cut into pieces, their shared values in scratch space in dependency order, {@link EquationCompiler})
 * and gives the structural pattern of the Jacobian \( \partial f/\partial y \) and the statements computing its
 * values, which {@link EquationCompiler#compileJacobian} compiles after the same prelude as the derivatives (so the
 * values of f's named subexpressions, products and sums are computed once and shared).
 *
 * <p>Differentiation is by the chain rule over the stored values. Every element of a stored value (a named
 * subexpression, a product, a sum, a function applied to a whole vector) and every element of every equation is
 * a piece: an expression tree whose leaves are constants, parameters, inputs, the time and stored values. For
 * each piece element, a reverse walk over its tree gives the partial derivative of the element with respect to
 * each stored leaf element, as Java text over the primal values ({@link #walk}); the element's derivative is then
 * \( \sum_L \partial e/\partial L \; dL \) over its leaves L, where dL is 1 for a state element and, for a stored
 * value, the derivative computed before into the scratch array {@code dtmp} (one slot per state element it reads).
 * Work and code are linear in the number of such terms.
 *
 * <p>The pattern is what each element reads: every state element reached through the leaves, including those
 * read only by conditions and piecewise-constant functions (whose derivative is 0 almost everywhere), so it is a
 * superset of the entries that can be nonzero, and an element-wise equation gives a diagonal. Inputs, parameters
 * and the time are not state. The derivative at a kink or jump takes one side, as {@code where} and the functions
 * choose their value there:
 * <ul>
 * <li>{@code min(a, b)}: a's derivative where a &lt;= b, else b's; {@code max(a, b)}: a's where a &gt;= b (so
 *     {@code clip} passes x's derivative at its bounds);</li>
 * <li>{@code where(c, a, b)}: the chosen operand's derivative, the other one not evaluated into the result (a
 *     NaN or infinite derivative of the operand not chosen does not leak);</li>
 * <li>{@code relu}: 0 at 0; {@code abs}: {@code sign}, 0 at 0; {@code step}, {@code floor}, {@code ceil},
 *     {@code sign}, comparisons, {@code and}, {@code or}, {@code not}: 0;</li>
 * <li>{@code x ^ p}: \( p x^{p-1} \) (0 for p = 0) and, for an exponent that reads the state, \( x^p \log x \),
 *     0 where \( x^p = 0 \); {@code sqrt} at 0: infinite, as the true one-sided derivative.</li>
 * </ul>
 *
 * <p>Values are generated for at most {@link #MAX_VALUES} entries and {@link #MAX_TERMS} terms; a larger
 * Jacobian (a scalar that reads thousands of states and drives thousands of equations is dense) has its pattern
 * only, and solvers difference it column group by column group.
 *
 * <p>The output is split in two. The factors (the partial derivatives \( \partial e/\partial L \)) and the
 * guards are the only model-specific arithmetic: generated statements compute each distinct one once into
 * {@code ops} (an element of the state or of the prelude's values is read where it is). The sums, one per entry
 * of {@code dtmp} and of the Jacobian, are a table of runs ({@link JacobianRuns}) that one shared loop evaluates,
 * in the order and with the operations the statements per entry had, so the values are the same bit for bit.
 */
final class JacobianWriter {

    /** Most entries whose values are generated (beyond: the pattern only). */
    static final int MAX_VALUES = 1 << 21;
    /** Most terms of the generated values (products of a partial derivative and a stored derivative). */
    static final long MAX_TERMS = 1L << 22;

    /**
     * The analysis of a model's Jacobian.
     *
     * @param pattern    the structural pattern
     * @param statements the statements after the prelude that compute the factors and guards into {@code ops}
     *                   (null if the values are not generated)
     * @param operands   length of {@code ops}
     * @param scratch    length of {@code dtmp}
     * @param runs       the table of the sums writing {@code dtmp} and {@code values} ({@link JacobianRuns})
     * @param reason     why the values are not generated, or null
     */
    record Result(JacobianPattern pattern, List<String> statements, Integer operands, Integer scratch, int[] runs,
                  String reason) {

        /** A result without values. */
        static Result patternOnly(final JacobianPattern pattern, final String reason) {
            return new Result(pattern, null, null, null, null, reason);
        }
    }

    /** A leaf of a piece: a stored element, and the piece's partial derivative with respect to it. */
    private record Leaf(Expr node, int index, String factor, String guard) {
    }

    /** The derivative of one element of a stored value or an equation. */
    private static final class Element {
        Leaf[] leaves;
        /** The state indices it reads, increasing. */
        int[] reads;
        /** First slot of its derivative in {@code dtmp} (-1: not stored). */
        int slot = -1;
        boolean needed;
    }

    private static final int[] NONE = new int[0];

    private final EquationCompiler c;
    private final StateLayout layout;
    private final String model;
    private final Map<Expr, Element[]> stored = new IdentityHashMap<>();
    private final Map<Expr, Boolean> readsStateMemo = new IdentityHashMap<>();
    /** Position of each stored node in the prelude. */
    private final Map<Expr, Integer> position = new IdentityHashMap<>();
    /**
     * Stored values from this position on are not leaves of the piece being walked: they are computed after it in
     * the prelude (a piece may hold a node that a later one stores), so their derivatives are not there yet.
     */
    private int limit = Integer.MAX_VALUE;
    private int scratch;
    private long terms;
    /** The statements computing the factors and guards into {@code ops}, and their slots by text. */
    private final List<String> factors = new ArrayList<>();
    private final Map<String, Integer> operandSlots = new HashMap<>();
    private final JacobianRuns.Builder runs = new JacobianRuns.Builder();

    JacobianWriter(final EquationCompiler compiler, final String model) {
        this.c = compiler;
        this.layout = compiler.layout();
        this.model = model;
    }

    /** @return the pattern and, within the limits, the statements of the values */
    Result run() {
        final List<Expr> order = c.materializedOrder();
        for (int k = 0; k < order.size(); k++) {
            position.put(order.get(k), k);
        }
        for (final Expr node : order) {
            limit = position.get(node);
            final Element[] els = new Element[node.rows() * node.cols()];
            for (int r = 0; r < node.rows(); r++) {
                for (int k = 0; k < node.cols(); k++) {
                    els[r * node.cols() + k] = element(definition(node), r, k, definition(node) == node);
                }
            }
            stored.put(node, els);
        }
        limit = Integer.MAX_VALUE;
        final int n = layout.dimension();
        final Element[] rows = new Element[n];
        for (final StateLayout.Block blk : layout.blocks()) {
            final Expr rhs = c.cutOde(blk.name());
            for (int r = 0; r < blk.rows(); r++) {
                for (int k = 0; k < blk.cols(); k++) {
                    rows[blk.offset() + r * blk.cols() + k] = element(rhs, rhs.rows() == 1 ? 0 : r,
                            rhs.cols() == 1 ? 0 : k, false);
                }
            }
        }
        final JacobianPattern pattern = pattern(rows);
        if (pattern.nonZeros() > MAX_VALUES) {
            return Result.patternOnly(pattern, "its Jacobian has " + pattern.nonZeros() + " entries, more than the "
                    + MAX_VALUES + " whose values are generated");
        }
        // the stored derivatives that the equations need, found from the equations down
        for (final Element e : rows) {
            if (e != null) {
                need(e);
            }
        }
        for (int k = order.size() - 1; k >= 0; k--) {
            for (final Element e : stored.get(order.get(k))) {
                if (e.needed) {
                    need(e);
                }
            }
        }
        for (final Expr node : order) {
            for (final Element e : stored.get(node)) {
                if (e.needed && e.reads.length > 0) {
                    e.slot = scratch;
                    scratch += e.reads.length;
                    if (scratch > ModelBuilder.MAX_ELEMENTS) {
                        return Result.patternOnly(pattern, "the derivatives of its named subexpressions and "
                                + "products need more than " + ModelBuilder.MAX_ELEMENTS + " scratch values");
                    }
                    write(e, 0, e.slot);
                }
            }
            if (terms > MAX_TERMS) {
                break;
            }
        }
        for (final StateLayout.Block blk : layout.blocks()) {
            for (int i = blk.offset(); i < blk.offset() + blk.size(); i++) {
                write(rows[i], 1, pattern.rowStart()[i]);
            }
        }
        if (terms > MAX_TERMS) {
            return Result.patternOnly(pattern, "its Jacobian needs " + terms + " terms, more than the " + MAX_TERMS
                    + " whose values are generated");
        }
        ModelBuilder.checkMemory("the Jacobian of model '" + model + "' (scratch space for derivatives)", scratch, 1);
        ModelBuilder.checkMemory("the Jacobian of model '" + model + "' (factors)", operandSlots.size(), 1);
        return new Result(pattern, factors, Math.max(1, operandSlots.size()), Math.max(1, scratch), runs.toArray(),
                null);
    }

    /** The expression a stored node's elements are computed from (the node itself for its own kinds). */
    private static Expr definition(final Expr node) {
        return node instanceof Nodes.Let l ? l.body : node;
    }

    private void need(final Element e) {
        for (final Leaf l : e.leaves) {
            if (l.factor() != null && !(l.node() instanceof Var)) {
                stored.get(l.node())[l.index()].needed = true;
            }
        }
    }

    // ------------------------------------------------------------------ the pattern

    private JacobianPattern pattern(final Element[] rows) {
        final int n = rows.length;
        final int[] start = new int[n + 1];
        long nnz = 0;
        for (int i = 0; i < n; i++) {
            nnz += rows[i] == null ? 0 : rows[i].reads.length;
            if (nnz > ModelBuilder.MAX_ELEMENTS) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "the Jacobian of model '" + model + "' has more than "
                        + ModelBuilder.MAX_ELEMENTS + " structural entries");
            }
            start[i + 1] = (int) nnz;
        }
        ModelBuilder.checkMemory("the Jacobian pattern of model '" + model + "'", nnz, 1);
        final int[] cols = new int[(int) nnz];
        for (int i = 0; i < n; i++) {
            if (rows[i] != null) {
                System.arraycopy(rows[i].reads, 0, cols, start[i], rows[i].reads.length);
            }
        }
        return new JacobianPattern(n, start, cols);
    }

    private Element element(final Expr def, final int r, final int k, final boolean top) {
        final List<Leaf> leaves = new ArrayList<>(4);
        walk(def, r, k, "1.0", null, top, leaves);
        final Element e = new Element();
        e.leaves = leaves.toArray(new Leaf[0]);
        e.reads = union(e.leaves);
        return e;
    }

    private int[] reads(final Leaf l) {
        if (l.node() instanceof Var v) {
            return v.isState() ? new int[] {layout.block(v.name()).offset() + l.index()} : NONE;
        }
        return stored.get(l.node())[l.index()].reads;
    }

    private int[] union(final Leaf[] leaves) {
        int[] only = NONE;
        int total = 0;
        int nonEmpty = 0;
        for (final Leaf l : leaves) {
            final int[] r = reads(l);
            if (r.length > 0) {
                nonEmpty++;
                total += r.length;
                only = r;
            }
        }
        if (nonEmpty <= 1) {
            return only;
        }
        final int[] all = new int[total];
        int at = 0;
        for (final Leaf l : leaves) {
            final int[] r = reads(l);
            System.arraycopy(r, 0, all, at, r.length);
            at += r.length;
        }
        Arrays.sort(all);
        int m = 0;
        for (int i = 0; i < all.length; i++) {
            if (m == 0 || all[i] != all[m - 1]) {
                all[m++] = all[i];
            }
        }
        return m == all.length ? all : Arrays.copyOf(all, m);
    }

    // ------------------------------------------------------------------ the walk

    /** True if {@code e} reads a state variable (through named subexpressions too). */
    private boolean readsState(final Expr e) {
        return ExprWalk.bottomUp(e, readsStateMemo, Nodes::operands, n -> {
            if (n instanceof Var v) {
                return v.isState();
            }
            for (final Expr child : Nodes.operands(n)) {
                if (readsStateMemo.get(child)) {
                    return true;
                }
            }
            return false;
        });
    }

    /**
     * Adds the leaves of element (r, k) of {@code e} to {@code out}, each with the partial derivative of the piece
     * with respect to it: {@code f} (Java text; null for a leaf that is only read, by a condition or a
     * piecewise-constant function) times the local derivative along the path, and {@code g}, the conditions of the
     * {@code where}s and kinks the path takes (null for none).
     *
     * @param top true for the stored node whose definition this is (it is not its own leaf)
     */
    private void walk(final Expr e, final int r, final int k, final String f, final String g, final boolean top,
                      final List<Leaf> out) {
        if (!top && c.isStored(e)) {
            final Expr s = c.storage(e);
            if (s instanceof Var v) {
                if (v.isState()) {
                    out.add(new Leaf(s, r * s.cols() + k, f, g));
                }
                return;
            }
            if (position.get(s) < limit) {
                out.add(new Leaf(s, r * s.cols() + k, f, g));
                return;
            }
        }
        if (!readsState(e)) {
            return;
        }
        if (e instanceof Nodes.Let l) {
            walk(l.body, r, k, f, g, false, out);
        } else if (e instanceof Nodes.Unary u) {
            final String a = val(u.arg, r, k);
            switch (u.fn) {
                case NEG -> walk(u.arg, r, k, neg(f), g, false, out);
                case STEP, FLOOR, CEIL, SIGN, NOT -> walk(u.arg, r, k, null, g, false, out);
                case RELU -> walk(u.arg, r, k, f, and(g, "(" + a + " > 0.0)"), false, out);
                default -> walk(u.arg, r, k, mul(f, derivative(u.fn, a, e, r, k)), g, false, out);
            }
        } else if (e instanceof Nodes.Binary b) {
            final int ra = b.a.rows() == 1 ? 0 : r;
            final int ka = b.a.cols() == 1 ? 0 : k;
            final int rb = b.b.rows() == 1 ? 0 : r;
            final int kb = b.b.cols() == 1 ? 0 : k;
            switch (b.op) {
                case ADD -> {
                    walk(b.a, ra, ka, f, g, false, out);
                    walk(b.b, rb, kb, f, g, false, out);
                }
                case SUB -> {
                    walk(b.a, ra, ka, f, g, false, out);
                    walk(b.b, rb, kb, neg(f), g, false, out);
                }
                case MUL -> {
                    walk(b.a, ra, ka, readsState(b.a) ? mul(f, val(b.b, rb, kb)) : f, g, false, out);
                    walk(b.b, rb, kb, readsState(b.b) ? mul(f, val(b.a, ra, ka)) : f, g, false, out);
                }
                case DIV -> {
                    final String y = val(b.b, rb, kb);
                    walk(b.a, ra, ka, readsState(b.a) ? mul(f, "(1.0 / " + y + ")") : f, g, false, out);
                    if (readsState(b.b)) {
                        // d(a/b)/db = -(a/b)/b: the quotient is read where it is stored
                        walk(b.b, rb, kb, neg(mul(f, "(" + val(e, r, k) + " / " + y + ")")), g, false, out);
                    }
                }
                case POW -> {
                    final String x = val(b.a, ra, ka);
                    final String p = val(b.b, rb, kb);
                    if (readsState(b.a)) {
                        walk(b.a, ra, ka, mul(f, KERNELS + "powBaseDerivative(" + x + ", " + p + ")"), g, false, out);
                    }
                    if (readsState(b.b)) {
                        walk(b.b, rb, kb, mul(f, KERNELS + "powExponentDerivative(" + x + ", " + p + ")"), g, false,
                                out);
                    }
                }
                case MIN, MAX -> {
                    final String first = "(" + val(b.a, ra, ka) + (b.op == Expr.Op.MIN ? " <= " : " >= ")
                            + val(b.b, rb, kb) + ")";
                    walk(b.a, ra, ka, f, and(g, first), false, out);
                    walk(b.b, rb, kb, f, and(g, "!" + first), false, out);
                }
                default -> {
                    // comparisons and logic: piecewise constant
                    walk(b.a, ra, ka, null, g, false, out);
                    walk(b.b, rb, kb, null, g, false, out);
                }
            }
        } else if (e instanceof Nodes.Where w) {
            final String cv = val(w.condition, w.condition.rows() == 1 ? 0 : r, w.condition.cols() == 1 ? 0 : k);
            walk(w.condition, w.condition.rows() == 1 ? 0 : r, w.condition.cols() == 1 ? 0 : k, null, g, false, out);
            walk(w.a, w.a.rows() == 1 ? 0 : r, w.a.cols() == 1 ? 0 : k, f, and(g, "(" + cv + " != 0.0)"), false, out);
            walk(w.b, w.b.rows() == 1 ? 0 : r, w.b.cols() == 1 ? 0 : k, f, and(g, "(" + cv + " == 0.0)"), false, out);
        } else if (e instanceof Nodes.Part p) {
            walk(p.arg, r + p.r0, k + p.c0, f, g, false, out);
        } else if (e instanceof Nodes.Transpose tr) {
            walk(tr.arg, k, r, f, g, false, out);
        } else if (e instanceof Nodes.Outer o) {
            final Expr column = c.columnOf(o);
            walk(o.a, r, 0, readsState(o.a) ? mul(f, val(column, k, 0)) : f, g, false, out);
            walk(column, k, 0, readsState(column) ? mul(f, val(o.a, r, 0)) : f, g, false, out);
        } else if (e instanceof Nodes.Sum s) {
            for (int i = 0; i < s.arg.rows(); i++) {
                for (int j = 0; j < s.arg.cols(); j++) {
                    walk(s.arg, i, j, f, g, false, out);
                }
            }
        } else if (e instanceof Nodes.MatVec mv) {
            final Expr x = mv.vector;
            final boolean matrixReads = readsState(mv.matrix);
            final boolean vectorReads = readsState(x);
            for (int j = 0; j < x.rows(); j++) {
                if (matrixReads) {
                    walk(mv.matrix, r, j, mul(f, val(x, j, 0)), g, false, out);
                }
                if (vectorReads) {
                    walk(x, j, 0, mul(f, val(mv.matrix, r, j)), g, false, out);
                }
            }
        } else if (!(e instanceof Nodes.Const || e instanceof Nodes.Param || e instanceof Nodes.Time
                || e instanceof Nodes.Index)) {
            throw Nodes.unsupported(e);
        }
    }

    private static final String KERNELS = "org.neurode.core.expr.Kernels.";

    /** The derivative of a function at its argument {@code a} (Java text); {@code e} is the node. */
    private String derivative(final Fn fn, final String a, final Expr e, final int r, final int k) {
        return switch (fn) {
            case EXP -> val(e, r, k);
            case LOG -> "(1.0 / " + a + ")";
            case SQRT -> "(0.5 / " + val(e, r, k) + ")";
            case TANH -> KERNELS + "tanhDerivative(" + a + ")";
            case SIGMOID -> KERNELS + "sigmoidDerivative(" + a + ")";
            case SOFTPLUS -> KERNELS + "sigmoid(" + a + ")";
            case EXPREL -> KERNELS + "exprelDerivative(" + a + ")";
            case ABS -> "Math.signum(" + a + ")";
            case SIN -> "Math.cos(" + a + ")";
            case COS -> "(-Math.sin(" + a + "))";
            case TAN -> "(1.0 / (Math.cos(" + a + ") * Math.cos(" + a + ")))";
            case ATAN -> "(1.0 / (1.0 + " + a + " * " + a + "))";
            default -> throw Nodes.unsupported(e);
        };
    }

    private static String mul(final String f, final String d) {
        if (f == null) {
            return null;
        }
        if ("1.0".equals(f)) {
            return d;
        }
        if ("1.0".equals(d)) {
            return f;
        }
        return "(" + f + " * " + d + ")";
    }

    private static String neg(final String f) {
        if (f == null) {
            return null;
        }
        if ("1.0".equals(f)) {
            return "(-1.0)";
        }
        if ("(-1.0)".equals(f)) {
            return "1.0";
        }
        return "(-" + f + ")";
    }

    private static String and(final String g, final String condition) {
        return g == null ? condition : "(" + g + " && " + condition + ")";
    }

    /** Java text of the value of element (r, k) of {@code e}, as computed after the prelude. */
    private String val(final Expr e, final int r, final int k) {
        if (c.isStored(e)) {
            final Expr s = c.storage(e);
            return c.arrayOf(e) + "[" + (c.offsetOf(e) + r * s.cols() + k) + "]";
        }
        if (e instanceof Nodes.Const x) {
            return "(" + Double.toString(x.value) + ")";
        }
        if (e instanceof Nodes.Time) {
            return "t";
        }
        if (e instanceof Nodes.Param p) {
            return "p[" + p.index + "]";
        }
        if (e instanceof Nodes.Index ix) {
            return "(" + (double) (ix.axis == 0 ? r : k) + ")";
        }
        if (e instanceof Nodes.Let l) {
            return val(l.body, r, k);
        }
        if (e instanceof Nodes.Unary u) {
            return JavaText.unary(u.fn, val(u.arg, r, k), e);
        }
        if (e instanceof Nodes.Binary b) {
            return JavaText.binary(b.op, val(b.a, b.a.rows() == 1 ? 0 : r, b.a.cols() == 1 ? 0 : k),
                    val(b.b, b.b.rows() == 1 ? 0 : r, b.b.cols() == 1 ? 0 : k), e);
        }
        if (e instanceof Nodes.Where w) {
            return "(" + val(w.condition, w.condition.rows() == 1 ? 0 : r, w.condition.cols() == 1 ? 0 : k)
                    + " != 0.0 ? " + val(w.a, w.a.rows() == 1 ? 0 : r, w.a.cols() == 1 ? 0 : k) + " : "
                    + val(w.b, w.b.rows() == 1 ? 0 : r, w.b.cols() == 1 ? 0 : k) + ")";
        }
        if (e instanceof Nodes.Part p) {
            return val(p.arg, r + p.r0, k + p.c0);
        }
        if (e instanceof Nodes.Transpose tr) {
            return val(tr.arg, k, r);
        }
        if (e instanceof Nodes.Outer o) {
            return "(" + val(o.a, r, 0) + " * " + val(c.columnOf(o), k, 0) + ")";
        }
        throw Nodes.unsupported(e);
    }

    // ------------------------------------------------------------------ statements

    /** A factor or guard read where it is: one element of the state or of the prelude's values. */
    private static final Pattern DIRECT = Pattern.compile("(y|tmp)\\[([0-9]+)\\]");

    /**
     * The operand of a factor: an element of {@code y} or {@code tmp} read where it is, else a slot of
     * {@code ops} that a statement computes (one per distinct text: factors are pure functions of the primal
     * values, so equal texts have equal values).
     *
     * @return {@code {operand array, index}} (array 0 ops, 1 y, 2 tmp)
     */
    private int[] operand(final String factor) {
        final Matcher m = DIRECT.matcher(factor);
        if (m.matches()) {
            return new int[] {"y".equals(m.group(1)) ? 1 : 2, Integer.parseInt(m.group(2))};
        }
        return new int[] {0, slot(factor, "", factor)};
    }

    /** @return the slot of {@code ops} holding 1.0 where the guard holds, else 0.0 */
    private int guard(final String guard) {
        return slot("guard ", guard, "(" + guard + ") ? 1.0 : 0.0");
    }

    /** @return the slot of {@code ops} computed as {@code code}, known by {@code kind + text} */
    private int slot(final String kind, final String text, final String code) {
        final String key = kind + text;
        final Integer known = operandSlots.get(key);
        if (known != null) {
            return known;
        }
        final int k = operandSlots.size();
        operandSlots.put(key, k);
        factors.add("    ops[" + k + "] = " + code + ";\n");
        return k;
    }

    /**
     * Adds the entries of the derivative of {@code e} to the table: entry q (its q-th read state index) to
     * {@code target[base + q]} (target 0 {@code dtmp}, 1 {@code values}), its factors to the statements.
     */
    private void write(final Element e, final int target, final int base) {
        final int m = e.reads.length;
        if (m == 0) {
            return;
        }
        // per entry, the leaves contributing to it and the slot of the leaf's derivative (-1: a state element)
        final int[] count = new int[m];
        for (final Leaf l : e.leaves) {
            if (l.factor() != null) {
                for (final int j : reads(l)) {
                    count[Arrays.binarySearch(e.reads, j)]++;
                }
            }
        }
        final int[][] leafOf = new int[m][];
        final int[][] slotOf = new int[m][];
        int most = 0;
        for (int q = 0; q < m; q++) {
            leafOf[q] = new int[count[q]];
            slotOf[q] = new int[count[q]];
            most = Math.max(most, count[q]);
            count[q] = 0;
        }
        for (int li = 0; li < e.leaves.length; li++) {
            final Leaf l = e.leaves[li];
            if (l.factor() == null) {
                continue;
            }
            final int[] r = reads(l);
            final Element le = l.node() instanceof Var ? null : stored.get(l.node())[l.index()];
            for (int x = 0; x < r.length; x++) {
                final int q = Arrays.binarySearch(e.reads, r[x]);
                leafOf[q][count[q]] = li;
                slotOf[q][count[q]++] = le == null ? -1 : le.slot + x;
                terms++;
            }
        }
        // the operands of the leaves, found on first use (in the order of the terms, as the statements had them)
        final int[][] operands = new int[e.leaves.length][];
        final int[] guards = new int[e.leaves.length];
        final int[] src = new int[most];
        final int[] a = new int[most];
        final int[] g = new int[most];
        for (int q = 0; q < m; q++) {
            for (int t = 0; t < leafOf[q].length; t++) {
                final int li = leafOf[q][t];
                if (operands[li] == null) {
                    final Leaf l = e.leaves[li];
                    operands[li] = operand(l.factor());
                    guards[li] = l.guard() == null ? -1 : guard(l.guard());
                }
                src[t] = operands[li][0];
                a[t] = operands[li][1];
                g[t] = guards[li];
            }
            runs.entry(target, base + q, leafOf[q].length, src, a, slotOf[q], g);
        }
    }
}
