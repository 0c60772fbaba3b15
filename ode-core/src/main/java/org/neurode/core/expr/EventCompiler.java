package org.neurode.core.expr;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.neurode.core.Detection;
import org.neurode.core.ErrorCode;
import org.neurode.core.EventAction;
import org.neurode.core.EventDetector;
import org.neurode.core.OdeException;
import org.neurode.core.Parameters;
import org.neurode.core.StateLayout;
import org.neurode.core.spec.EquationSpec;
import org.neurode.core.spec.EventSpec;
import org.neurode.core.spec.ExprSpec;
import org.neurode.core.spec.ExprText;
import org.neurode.core.spec.LetSpec;
import org.neurode.core.spec.ModelSpec;
import org.neurode.core.spec.ParameterSpec;
import org.neurode.core.spec.StatementSpec;
import org.neurode.core.spec.VariableKind;
import org.neurode.core.spec.VariableSpec;

/**
 * Checks and compiles events with conditions and statements ({@link EventSpec}) to Java bytecode: per event a
 * class ({@link EventKernel}) with its switching function, its condition, a scan of all members for step-end
 * detection, its reset statements and its refractory period, each a loop-free expression per member over the
 * state, the packed parameters and the inputs (nothing is interpreted per element or per step, and nothing
 * allocates). All events of a model are compiled in one Janino call.
 *
 * <p>What an event may use: numbers, parameters (scalars and per-element arrays), state variables and inputs of
 * its population (one element per member) and scalar ones, elements of others ({@code x[3]}), named
 * subexpressions that are element-wise, {@code t}, {@code i} and {@code N}, and the functions and operators of
 * equations. Products, sums over a vector and transposes are refused with a message naming the event: an event
 * computes one member at a time.
 *
 * <p>The switching function of a condition: {@code a > b} and {@code a >= b} give {@code a - b}, {@code a < b}
 * and {@code a <= b} give {@code b - a}, {@code and} the smaller and {@code or} the larger of its operands',
 * {@code not} the negation. It is positive where the condition holds (except at the boundary of {@code >=}) and
 * continuous where its operands are, so root finding locates the time the condition becomes true.
 */
final class EventCompiler {

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Set<String> COMPARISONS = Set.of("<", "<=", ">", ">=");

    private EventCompiler() {
    }

    /** A statement resolved against the model's names. */
    record Statement(StatementSpec spec, Var target, Expr value) {
    }

    /**
     * An event resolved against the model's names.
     *
     * @param spec       the event
     * @param members    number of members (rows of its population)
     * @param threshold  the condition
     * @param statements the reset statements
     * @param refractory the refractory period (null while it holds unit constants, before the units check)
     * @param draws      true if the condition draws random numbers (it is then checked at step ends)
     * @param step       true if the condition or a statement reads the step length {@code dt}
     */
    record Checked(EventSpec spec, int members, Expr threshold, List<Statement> statements, Expr refractory,
                   boolean draws, boolean step) {
    }

    /**
     * Checks an event against the names of a model: its condition is a comparison (or {@code and}, {@code or},
     * {@code not} of comparisons), its statements assign state variables of one element per member, its
     * refractory period uses numbers, parameters, {@code i} and {@code N}, and every part is element-wise.
     *
     * @param e       the event
     * @param symbols the model's names (variables, parameters, named subexpressions)
     * @return the resolved event
     * @throws OdeException naming the event and the part at fault (the statement, the condition)
     */
    static Checked check(final EventSpec e, final Map<String, Expr> symbols) {
        final String what = "event '" + e.name() + "'";
        requireCondition(e, e.threshold());
        final int n = members(e, symbols);
        final Resolver resolver = new Resolver(symbols).forBlock(n, 1).stochastic();
        final Expr threshold = resolve(resolver, e.threshold(), what + ": in the threshold '" + e.threshold().text()
                + "'");
        final boolean draws = uses(threshold, Nodes.Random.class);
        if (draws && e.detection() == Detection.CONTINUOUS) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, what + ": the threshold '" + e.threshold().text()
                    + "' draws random numbers, so it can only be checked at the end of each step (Brian2's stochastic "
                    + "threshold), not located by root finding: remove 'detection continuous' (auto checks it at step "
                    + "ends) or write 'detection step-end'");
        }
        boolean step = uses(threshold, Nodes.Step.class);
        requireColumn(what + ": the threshold '" + e.threshold().text() + "'", threshold, n);
        elementwise(threshold, what + ": the threshold '" + e.threshold().text() + "'");
        final List<Statement> statements = new ArrayList<>();
        for (final StatementSpec s : e.reset()) {
            final String where = what + ": in statement '" + s.text() + "'";
            final Var target = target(s, symbols, where, n);
            final Expr value = resolve(resolver, s.value(), where);
            requireColumn(where + ": the value '" + s.value().text() + "'", value, n);
            elementwise(value, where + ": the value '" + s.value().text() + "'");
            statements.add(new Statement(s, target, value));
            step |= uses(value, Nodes.Step.class);
        }
        final String rwhere = what + ": in the refractory period '" + e.refractory().text() + "'";
        Expr refractory = null;
        if (!refractoryNames(e.refractory(), symbols, rwhere)) {
            // evaluated once per member when a run starts: no draws, no step
            refractory = resolve(new Resolver(symbols).forBlock(n, 1), e.refractory(), rwhere);
            requireColumn(rwhere, refractory, n);
            elementwise(refractory, rwhere);
        }
        return new Checked(e, n, threshold, statements, refractory, draws, step);
    }

    /** True if the expression has a node of the given type (a draw, the step). */
    static boolean uses(final Expr root, final Class<? extends Expr> type) {
        final ArrayDeque<Expr> stack = new ArrayDeque<>();
        final Set<Expr> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        stack.push(root);
        while (!stack.isEmpty()) {
            final Expr x = stack.pop();
            if (type.isInstance(x)) {
                return true;
            }
            if (seen.add(x)) {
                Nodes.operands(x).forEach(stack::push);
            }
        }
        return false;
    }

    /** The condition must be a comparison, or and/or/not of comparisons (so that it can be located in time). */
    private static void requireCondition(final EventSpec e, final ExprSpec c) {
        if (c instanceof ExprSpec.Binary b && COMPARISONS.contains(b.op())) {
            return;
        }
        if (c instanceof ExprSpec.Binary b && ("and".equals(b.op()) || "or".equals(b.op()))) {
            requireCondition(e, b.left());
            requireCondition(e, b.right());
            return;
        }
        if (c instanceof ExprSpec.Unary u && "not".equals(u.op())) {
            requireCondition(e, u.arg());
            return;
        }
        final String head = "event '" + e.name() + "': the threshold '" + e.threshold().text() + "'";
        if (c instanceof ExprSpec.Binary b && ("==".equals(b.op()) || "!=".equals(b.op()))) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, head + " compares with '" + b.op() + "', which no "
                    + "solver can locate in time (a continuous value is never exactly equal): use <, <=, > or >=");
        }
        throw new OdeException(ErrorCode.INVALID_ARGUMENT, head + " is not a condition: '" + c.text() + "' must be"
                + " a comparison with <, <=, > or >= (joined by and, or, not), e.g. 'v > VT'");
    }

    /** The rows of the event's population: the most rows among the names it mentions and assigns (1 if none). */
    private static int members(final EventSpec e, final Map<String, Expr> symbols) {
        final List<ExprSpec> parts = new ArrayList<>();
        parts.add(e.threshold());
        for (final StatementSpec s : e.reset()) {
            parts.add(s.value());
            parts.add(new ExprSpec.Name(s.variable()));
        }
        int n = 1;
        final ArrayDeque<ExprSpec> stack = new ArrayDeque<>(parts);
        final Set<ExprSpec> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        while (!stack.isEmpty()) {
            final ExprSpec x = stack.pop();
            if (!seen.add(x)) {
                continue;
            }
            if (x instanceof ExprSpec.Name name) {
                final Expr s = symbols.get(name.name());
                if (s != null && s.cols() == 1) {
                    n = Math.max(n, s.rows());
                }
            } else if (!(x instanceof ExprSpec.Part)) {
                // a part (x[3], x[0:2]) does not make its base's rows the population's
                ExprSpec.operands(x).forEach(stack::push);
            }
        }
        return n;
    }

    /**
     * Most operations nested in one condition, statement value or synapse expression: they are generated as one
     * Java expression, and Janino's parser and code generator recurse per nesting level (failing between 250
     * and 400 levels, depending on the thread's stack), as do the emitters here.
     */
    static final int MAX_STATEMENT_DEPTH = 200;

    /**
     * Resolves an expression of an event or projection, refusing one nested deeper than
     * {@link #MAX_STATEMENT_DEPTH} operations (a long sum is a chain as deep as its terms).
     */
    static Expr resolve(final Resolver resolver, final ExprSpec tree, final String where) {
        final Expr e;
        try {
            e = resolver.resolve(ExprText.parse(tree.text(), null));
        } catch (OdeException ex) {
            throw new OdeException(ex, ErrorCode.INVALID_ARGUMENT, where + ": " + ex.getMessage());
        }
        if (ExprWalk.depth(e) > MAX_STATEMENT_DEPTH) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, where + ": the expression is nested deeper than "
                    + MAX_STATEMENT_DEPTH + " operations (a sum of many terms is as deep as its terms): compute part "
                    + "of it in a named subexpression or a parameter");
        }
        return e;
    }

    private static void requireColumn(final String what, final Expr e, final int n) {
        if (e.cols() != 1 || e.rows() != 1 && e.rows() != n) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, what + " has shape " + e.rows() + "x" + e.cols()
                    + " but the event has " + n + " member" + (n == 1 ? "" : "s") + ": give one value, or one per"
                    + " member (" + n + "x1)");
        }
    }

    /** The variable a statement assigns: a state variable with one element per member. */
    private static Var target(final StatementSpec s, final Map<String, Expr> symbols, final String where,
                              final int n) {
        final Expr x = symbols.get(s.variable());
        if (x instanceof Var v && v.isState()) {
            if (v.cols() != 1 || v.rows() != n) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, where + ": '" + v.name() + "' has shape "
                        + v.rows() + "x" + v.cols() + " but the event has " + n + " member" + (n == 1 ? "" : "s")
                        + ": a statement assigns a variable of one element per member");
            }
            return v;
        }
        final String is;
        if (x instanceof Var v && v.isInput()) {
            is = "an input: inputs are set by schedules and experiments, not by events";
        } else if (x instanceof Var || x instanceof Nodes.Param) {
            is = "a parameter, which is constant for a run; declare it as a state variable (with d"
                    + s.variable() + "/dt = 0) to change it at events";
        } else if (x instanceof Nodes.Let) {
            is = "a named subexpression, which is computed, not assigned";
        } else if ("t".equals(s.variable())) {
            is = "the time";
        } else {
            final List<String> states = new ArrayList<>();
            for (final Expr e : symbols.values()) {
                if (e instanceof Var v && v.isState()) {
                    states.add(v.name());
                }
            }
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, where + ": '" + s.variable() + "' is not a variable "
                    + "of the model; state variables: " + Resolver.list(states));
        }
        throw new OdeException(ErrorCode.INVALID_ARGUMENT, where + ": '" + s.variable() + "' is " + is);
    }

    /**
     * The refractory period is evaluated when a run starts: numbers, parameters, i and N only.
     *
     * @return true if it uses unit constants ({@code 2 * ms}): it is resolved once the units check has converted
     *         them (when the model is built)
     */
    private static boolean refractoryNames(final ExprSpec e, final Map<String, Expr> symbols, final String where) {
        boolean units = false;
        final ArrayDeque<ExprSpec> stack = new ArrayDeque<>();
        stack.push(e);
        while (!stack.isEmpty()) {
            final ExprSpec x = stack.pop();
            if (x instanceof ExprSpec.Name name) {
                final Expr s = symbols.get(name.name());
                final String bad = s instanceof Var v && v.isState() ? "the state variable"
                        : s instanceof Var v && v.isInput() ? "the input"
                        : s instanceof Nodes.Let ? "the named subexpression"
                        : s == null && "t".equals(name.name()) ? "the time" : null;
                if (bad != null) {
                    throw new OdeException(ErrorCode.INVALID_ARGUMENT, where + ": it may use numbers, parameters, i "
                            + "and N (it is evaluated per member when a run starts), not " + bad + " '" + name.name()
                            + "'");
                }
                units |= s == null && isUnit(name.name());
            } else {
                ExprSpec.operands(x).forEach(stack::push);
            }
        }
        return units;
    }

    private static boolean isUnit(final String name) {
        if ("i".equals(name) || "N".equals(name) || "pi".equals(name) || "e".equals(name)) {
            return false;
        }
        try {
            org.neurode.core.units.Unit.parse(name);
            return true;
        } catch (OdeException ex) {
            return false;
        }
    }

    /** Refuses what an event cannot compute one member at a time (products, sums, transposes, matrices). */
    private static void elementwise(final Expr root, final String what) {
        final ArrayDeque<Expr> stack = new ArrayDeque<>();
        final Set<Expr> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        stack.push(root);
        while (!stack.isEmpty()) {
            final Expr e = stack.pop();
            if (!seen.add(e)) {
                continue;
            }
            final boolean bad = e instanceof Nodes.MatVec || e instanceof Nodes.Outer || e instanceof Nodes.Sum
                    || e instanceof Nodes.Transpose || e.cols() != 1
                    || e instanceof Nodes.Index ix && ix.axis != 0;
            if (bad) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, what + " uses '" + e.text() + "', which is not "
                        + "element-wise: an event computes one member at a time (products, sums over vectors, "
                        + "transposes and matrices are not available in events; compute them in the equations)");
            }
            for (final Expr o : Nodes.operands(e)) {
                stack.push(o);
            }
        }
    }

    // ------------------------------------------------------------------ symbols of a spec

    /**
     * The names of a model as the compiler resolves them: variables, scalar parameters (at their declaration
     * index), parameter arrays and named subexpressions.
     *
     * @param spec the model
     * @return name to expression, in declaration order
     */
    static Map<String, Expr> symbols(final ModelSpec spec) {
        final Map<String, Expr> symbols = new LinkedHashMap<>();
        for (final VariableSpec v : spec.variables()) {
            symbols.put(v.name(), new Var(v.name(), v.rows(), v.cols(), v.unit(),
                    v.kind() == VariableKind.INPUT ? Var.Role.INPUT : Var.Role.STATE));
        }
        final List<ParameterSpec> parameters = spec.parameters();
        for (int k = 0; k < parameters.size(); k++) {
            final ParameterSpec p = parameters.get(k);
            symbols.put(p.name(), p.rows() == 1 && p.cols() == 1 ? new Nodes.Param(p.name(), k)
                    : new Var(p.name(), p.rows(), p.cols(), p.unit(), Var.Role.PARAMETER));
        }
        final Resolver resolver = new Resolver(symbols);
        for (final LetSpec l : spec.lets()) {
            symbols.put(l.name(), new Nodes.Let(l.name(), resolver.forBlock(-1, -1).resolve(l.body(),
                    "named subexpression '" + l.name() + "'")));
        }
        return symbols;
    }

    // ------------------------------------------------------------------ compiling

    /**
     * Compiles the events of a model.
     *
     * @param spec             the model (its values converted to the declared units)
     * @param refractory       the refractory period of each event converted to the time unit (same order)
     * @param layout           the state layout
     * @param inputLayout      the input layout
     * @param parameterOffsets offset of each parameter array in the packed parameters
     * @param pack             packs a run's parameters
     * @param parameters       the model's parameters (the events of the model are bound to them)
     * @param inputs           the model's default inputs
     * @return one detector per event, in order
     * @throws OdeException naming the event at fault (a negative refractory period, a duplicate name)
     */
    static List<EventDetector> compile(final ModelSpec spec, final List<ExprSpec> refractory,
                                       final StateLayout layout, final StateLayout inputLayout,
                                       final Map<String, Integer> parameterOffsets,
                                       final Function<Parameters, double[]> pack, final Parameters parameters,
                                       final double[] inputs) {
        if (spec.events().isEmpty()) {
            return List.of();
        }
        final Map<String, Expr> symbols = symbols(spec);
        final String outer = "Events" + COUNTER.incrementAndGet() + "_" + spec.name().replaceAll("[^A-Za-z0-9_]",
                "_");
        final StringBuilder src = new StringBuilder();
        src.append("package org.neurode.generated;\n\n");
        src.append("/** Events of model ").append(comment(spec.name())).append(". */\n");
        src.append("public final class ").append(outer).append(" {\n");
        final List<Checked> checked = new ArrayList<>();
        for (int k = 0; k < spec.events().size(); k++) {
            final EventSpec e = spec.events().get(k).withRefractory(refractory.get(k));
            final Checked c = check(e, symbols);
            if (c.refractory() == null) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "event '" + e.name() + "': the refractory period '"
                        + e.refractory().text() + "' uses units, but the model is unit-free (some declaration has no"
                        + " unit): write the period as a number in the time unit");
            }
            checked.add(c);
            new Emitter(c, layout, inputLayout, parameterOffsets).emit("E" + k, src);
        }
        src.append("}\n");
        final List<Constructor<? extends EventKernel>> constructors = JavaText.nested(spec.name(), outer,
                src.toString(), "E", checked.size(), EventKernel.class, double[].class, double[].class);
        final List<EventDetector> out = new ArrayList<>();
        for (int k = 0; k < checked.size(); k++) {
            final Checked c = checked.get(k);
            // a condition that draws can only be checked at step ends
            final Detection detection = c.draws() && c.spec().detection() == Detection.AUTO ? Detection.STEP_END
                    : c.spec().detection();
            out.add(new CompiledEvent(c.spec().name(), c.members(), detection,
                    held(spec, c.spec().name(), c.members(), layout), constructors.get(k), pack, parameters, inputs,
                    k, c.step(), 0L, Double.NaN));
        }
        return out;
    }

    /**
     * The offsets of the blocks held while a member is refractory: the flagged equations of its population (the
     * declared population of the event's variables, else the blocks with as many rows as the event has members).
     */
    private static int[] held(final ModelSpec spec, final String event, final int members,
                              final StateLayout layout) {
        final List<Integer> offsets = new ArrayList<>();
        final org.neurode.core.spec.PopulationSpec population = SynapseCompiler.eventPopulation(spec, event);
        for (final EquationSpec q : spec.equations()) {
            if (q.unlessRefractory() && population != null) {
                // a population's events hold its own equations only
                if (population.owns(q.variable())) {
                    offsets.add(layout.block(q.variable()).offset());
                }
            } else if (q.unlessRefractory()) {
                final StateLayout.Block b = layout.block(q.variable());
                if (b.rows() == members && b.cols() == 1) {
                    offsets.add(b.offset());
                }
            }
        }
        return offsets.stream().mapToInt(Integer::intValue).toArray();
    }

    static String comment(final String text) {
        return text.replace("*/", "* /").replace('\n', ' ').replace('\r', ' ').replace("\\u", "\\ u");
    }

    /** Java source of one event's kernel. */
    static final class Emitter {
        private final Checked event;
        private final StateLayout layout;
        private final StateLayout inputLayout;
        private final Map<String, Integer> parameterOffsets;

        Emitter(final Checked event, final StateLayout layout, final StateLayout inputLayout,
                final Map<String, Integer> parameterOffsets) {
            this.event = event;
            this.layout = layout;
            this.inputLayout = inputLayout;
            this.parameterOffsets = parameterOffsets;
        }

        void emit(final String name, final StringBuilder src) {
            final EventSpec e = event.spec();
            src.append("  /** event ").append(comment(e.name())).append(": threshold ")
               .append(comment(e.threshold().text())).append(", reset ")
               .append(comment(StatementSpec.text(e.reset()))).append(", refractory ")
               .append(comment(e.refractory().text())).append(" */\n");
            src.append("  public static final class ").append(name)
               .append(" extends org.neurode.core.expr.EventKernel {\n");
            src.append("    public ").append(name).append("(final double[] p, final double[] u) {\n")
               .append("      super(p, u);\n    }\n");
            // the comments label the generated expressions (named in an error of the Java compiler)
            final String threshold = "// the threshold: " + comment(e.threshold().text()) + "\n";
            src.append("    public double g(final int m, final double t, final double[] y) {\n      ").append(threshold)
               .append("      return ").append(g(event.threshold())).append(";\n    }\n");
            final String cond = condition(event.threshold());
            src.append("    public boolean holds(final int m, final double t, final double[] y) {\n      ")
               .append(threshold).append("      return ").append(cond).append(";\n    }\n");
            src.append("    public int scan(final double t, final double[] y, final double[] until, ")
               .append("final double stepStart, final int[] out) {\n");
            final String kernel = kernelScan(event.threshold());
            if (kernel != null) {
                src.append("      ").append(threshold).append("      return ").append(kernel).append(";\n    }\n");
            } else {
                emitScan(src, threshold, cond);
            }
            src.append("    public void reset(final int m, final double t, final double[] y) {\n");
            for (final Statement s : event.statements()) {
                src.append("      // ").append(comment(s.spec().text())).append('\n');
                src.append("      y[").append(index(layout.block(s.target().name()).offset(), s.target(), "m"))
                   .append("] ").append(s.spec().op()).append(' ').append(element(s.value(), "m")).append(";\n");
            }
            src.append("    }\n");
            src.append("    public double refractory(final int m) {\n      // the refractory period: ")
               .append(comment(e.refractory().text())).append("\n      return ")
               .append(element(event.refractory(), "m")).append(";\n    }\n");
            src.append("  }\n");
        }

        /**
         * The scan of any condition, one member at a time. The condition is tested first (it is pure, and rarely
         * holds): the refractory ends are read only for the members whose condition holds (the scan of the CUBA
         * network's 4,000 members took 0.93 instead of 1.6 us).
         */
        private void emitScan(final StringBuilder src, final String threshold, final String cond) {
            src.append("      int c = 0;\n")
               .append("      for (int m = 0; m < ").append(event.members()).append("; m++) {\n        ")
               .append(threshold)
               .append("        if (").append(cond).append(" && (until == null || stepStart >= until[m])) {\n")
               .append("          out[c++] = m;\n        }\n      }\n      return c;\n    }\n");
        }

        /**
         * The scan of a condition that compares each member's element of a state variable with one value (the same
         * for all members, such as {@code v > VT}) as a call of {@link ArrayKernels#scan}, which compares a vector
         * of members at once; null for any other condition.
         */
        private String kernelScan(final Expr c) {
            if (!(c instanceof Nodes.Binary b)) {
                return null;
            }
            final boolean left = member(b.a) && b.b.rows() == 1;
            final boolean right = !left && member(b.b) && b.a.rows() == 1;
            if (!left && !right) {
                return null;
            }
            final String op;
            switch (b.op) {
                case GT: op = right ? "LT" : "GT"; break;
                case GE: op = right ? "LE" : "GE"; break;
                case LT: op = right ? "GT" : "LT"; break;
                case LE: op = right ? "GE" : "LE"; break;
                default: return null;
            }
            final Var v = (Var) (left ? b.a : b.b);
            return "org.neurode.core.expr.ArrayKernels.scan(y, " + layout.block(v.name()).offset() + ", "
                    + event.members() + ", org.neurode.core.expr.ArrayKernels." + op + ", "
                    + element(left ? b.b : b.a, "m") + ", until, stepStart, out)";
        }

        /** True for a state variable with one element per member. */
        private boolean member(final Expr e) {
            return e instanceof Var v && v.isState() && v.rows() == event.members() && v.cols() == 1;
        }

        /** The switching function of a condition. */
        private String g(final Expr c) {
            if (c instanceof Nodes.Binary b) {
                switch (b.op) {
                    case GT, GE: return "(" + element(b.a, "m") + " - " + element(b.b, "m") + ")";
                    case LT, LE: return "(" + element(b.b, "m") + " - " + element(b.a, "m") + ")";
                    case AND: return "Math.min(" + g(b.a) + ", " + g(b.b) + ")";
                    case OR: return "Math.max(" + g(b.a) + ", " + g(b.b) + ")";
                    default: break;
                }
            }
            if (c instanceof Nodes.Unary u && u.fn == Expr.Fn.NOT) {
                return "(-" + g(u.arg) + ")";
            }
            throw Nodes.unsupported(c);
        }

        /** The condition as a Java boolean. */
        private String condition(final Expr c) {
            if (c instanceof Nodes.Binary b) {
                switch (b.op) {
                    case GT, GE, LT, LE:
                        return "(" + element(b.a, "m") + " " + b.op.symbol + " " + element(b.b, "m") + ")";
                    case AND: return "(" + condition(b.a) + " && " + condition(b.b) + ")";
                    case OR: return "(" + condition(b.a) + " || " + condition(b.b) + ")";
                    default: break;
                }
            }
            if (c instanceof Nodes.Unary u && u.fn == Expr.Fn.NOT) {
                return "(!" + condition(u.arg) + ")";
            }
            throw Nodes.unsupported(c);
        }

        /** The index of row {@code row} of a variable stored at {@code off} (scalars: their one element). */
        private static String index(final int off, final Expr v, final String row) {
            if (v.rows() == 1 || "0".equals(row)) {
                return Integer.toString(off);
            }
            return off + " + " + row;
        }

        private static String shift(final String row, final int by) {
            if (by == 0) {
                return row;
            }
            return "0".equals(row) ? Integer.toString(by) : "(" + row + " + " + by + ")";
        }

        /** Java source of element {@code row} of {@code e} (a scalar is the same for every row). */
        private String element(final Expr e, final String rowOfMember) {
            final String row = e.rows() == 1 ? "0" : rowOfMember;
            if (e instanceof Var v) {
                switch (v.role()) {
                    case INPUT: return "u[" + index(inputLayout.block(v.name()).offset(), v, row) + "]";
                    case PARAMETER: return "p[" + index(parameterOffsets.get(v.name()), v, row) + "]";
                    default: return "y[" + index(layout.block(v.name()).offset(), v, row) + "]";
                }
            }
            if (e instanceof Nodes.Const c) {
                return "(" + Double.toString(c.value) + ")";
            }
            if (e instanceof Nodes.Time) {
                return "t";
            }
            if (e instanceof Nodes.Step) {
                return "dt";
            }
            if (e instanceof Nodes.Random r) {
                return r.normal ? "randn()" : "rand()";
            }
            if (e instanceof Nodes.Param p) {
                return "p[" + p.index + "]";
            }
            if (e instanceof Nodes.Let l) {
                return element(l.body, row);
            }
            if (e instanceof Nodes.Index) {
                return "((double) " + row + ")";
            }
            if (e instanceof Nodes.Part p) {
                return element(p.arg, shift(row, p.r0));
            }
            if (e instanceof Nodes.Where w) {
                return "(" + element(w.condition, row) + " != 0.0 ? " + element(w.a, row) + " : "
                        + element(w.b, row) + ")";
            }
            if (e instanceof Nodes.Unary u) {
                return JavaText.unary(u.fn, element(u.arg, row), e);
            }
            if (e instanceof Nodes.Binary b) {
                return JavaText.binary(b.op, element(b.a, row), element(b.b, row), e);
            }
            throw Nodes.unsupported(e);
        }
    }

    // ------------------------------------------------------------------ the detector

    /**
     * The seed of the generator of event or projection {@code position} in a run: the run's seed, a salt that tells
     * events from projections, and the position mixed by MurmurHash3's finalizer, so that neighbouring seeds and
     * positions give unrelated streams (the generators that draw connections use other salts).
     *
     * @param seed     the run's seed ({@code SolveOptions.seed})
     * @param position the event's position among the events (or, salted with {@code ~}, the projection's)
     * @return the generator's seed
     */
    static long seed(final long seed, final long position) {
        return mix(seed * 0x9E3779B97F4A7C15L + (position + 1) * 0xD1B54A32D192ED03L + 0x2545F4914F6CDD1DL);
    }

    /**
     * MurmurHash3's 64-bit finalizer: every input bit affects every output bit, so that seeds built from
     * neighbouring numbers give unrelated generators (SplittableRandom's own seeds step by its gamma).
     *
     * @param z0 the number to mix
     * @return the mixed number
     */
    static long mix(final long z0) {
        long z = (z0 ^ (z0 >>> 33)) * 0xFF51AFD7ED558CCDL;
        z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
        return z ^ (z >>> 33);
    }

    /**
     * @param what the event or projection, as the message names it ({@code event 'spike'})
     * @return the error of a run on a solver that chooses its steps, for an event or projection that reads {@code dt}
     */
    static OdeException dtNeedsFixedStep(final String what) {
        return new OdeException(ErrorCode.INVALID_ARGUMENT, what + " uses dt, the step length of a fixed-step solver, "
                + "and this solver chooses its steps: use a fixed-step solver (e.g. euler with --dt) or write the "
                + "interval as a parameter");
    }

    /**
     * An event as a detector: the compiled kernel bound to a run's parameters and inputs, its members' refractory
     * periods evaluated once.
     */
    static final class CompiledEvent implements EventDetector {
        private final String name;
        private final int size;
        private final Detection detection;
        private final int[] held;
        private final Constructor<? extends EventKernel> constructor;
        private final Function<Parameters, double[]> pack;
        private final EventKernel kernel;
        /** Per member (null if all are equal: {@link #period}). */
        private final double[] periods;
        private final double period;
        /** The event's position among the events of its model (mixed into the seed of its generator). */
        private final int position;
        /** True if the event reads the step length {@code dt}. */
        private final boolean usesStep;

        CompiledEvent(final String name, final int size, final Detection detection, final int[] held,
                      final Constructor<? extends EventKernel> constructor, final Function<Parameters, double[]> pack,
                      final Parameters parameters, final double[] inputs, final int position,
                      final boolean usesStep, final long seed, final double step) {
            this.name = name;
            this.position = position;
            this.usesStep = usesStep;
            this.size = size;
            this.detection = detection;
            this.held = held;
            this.constructor = constructor;
            this.pack = pack;
            try {
                this.kernel = constructor.newInstance(pack.apply(parameters), inputs);
            } catch (InstantiationException | IllegalAccessException | InvocationTargetException e) {
                throw new OdeException(e, ErrorCode.COMPILATION_FAILED, constructor.getDeclaringClass().getName(),
                        e.toString());
            }
            kernel.start(seed(seed, position), step);
            final double[] all = new double[size];
            boolean same = true;
            double max = 0.0;
            for (int m = 0; m < size; m++) {
                all[m] = kernel.refractory(m);
                if (!(all[m] >= 0) || Double.isInfinite(all[m])) {
                    throw new OdeException(ErrorCode.INVALID_ARGUMENT, "event '" + name + "': the refractory period"
                            + (size == 1 ? "" : " of member " + m) + " is " + all[m] + "; it must be a finite number"
                            + " that is not negative");
                }
                same &= all[m] == all[0];
                max = Math.max(max, all[m]);
            }
            this.periods = same ? null : all;
            this.period = max;
        }

        @Override
        public EventDetector bind(final Parameters parameters, final double[] inputs) {
            return bind(parameters, inputs, 0L, Double.NaN);
        }

        @Override
        public EventDetector bind(final Parameters parameters, final double[] inputs, final long seed,
                                  final double step) {
            if (usesStep && !(step > 0)) {
                throw dtNeedsFixedStep("event '" + name + "'");
            }
            return new CompiledEvent(name, size, detection, held, constructor, pack, parameters, inputs, position,
                    usesStep, seed, step);
        }

        @Override
        public void reseed(final long seed) {
            kernel.reseed(seed(seed, position));
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public double g(final int member, final double t, final double[] y) {
            return kernel.g(member, t, y);
        }

        @Override
        public boolean holds(final int member, final double t, final double[] y) {
            return kernel.holds(member, t, y);
        }

        @Override
        public int stepEndMembers(final double t, final double[] y, final double[] refractoryUntil,
                                  final double stepStart, final int[] out) {
            return kernel.scan(t, y, refractoryUntil, stepStart, out);
        }

        @Override
        public EventAction onEvent(final int member, final double t, final double[] y) {
            kernel.reset(member, t, y);
            return EventAction.RESET_STATE;
        }

        @Override
        public Detection detection() {
            return detection;
        }

        @Override
        public double refractoryPeriod() {
            return period;
        }

        @Override
        public double refractoryPeriod(final int member) {
            return periods == null ? period : periods[member];
        }

        @Override
        public int refractoryIndex(final int member) {
            return held.length == 0 ? -1 : held[0] + member;
        }

        @Override
        public int[] refractoryOffsets() {
            return held;
        }

        @Override
        public String toString() {
            return "event '" + name + "' (" + size + " member" + (size == 1 ? "" : "s") + ")";
        }
    }
}
