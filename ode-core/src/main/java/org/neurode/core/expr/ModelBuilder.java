package org.neurode.core.expr;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.neurode.core.Checks;
import org.neurode.core.Detection;
import org.neurode.core.ErrorCode;
import org.neurode.core.EventDetector;
import org.neurode.core.ExponentialEulerKernel;
import org.neurode.core.Model;
import org.neurode.core.NoiseTerm;
import org.neurode.core.OdeException;
import org.neurode.core.Parameters;
import org.neurode.core.StateLayout;
import org.neurode.core.ThresholdEvent;

/**
 * Scripts a model: declare variables (scalars, vectors for populations, matrices for plastic weights),
 * inputs and parameters, then give each variable its differential equation, either as an {@link Expr}
 * or as text such as {@code "(W @ x - vB) / tauB"}. {@link #build()} compiles the equations to Java
 * bytecode (one fused loop per variable) and derives their diagonal linear part for exponential
 * integrators.
 *
 * <pre>{@code
 * ModelBuilder b = ModelBuilder.named("lif");
 * Var v = b.vector("v", 1000, "mV");
 * b.param("tau", 10.0);                  // ms
 * b.param("I", 1.5);                     // mV
 * b.ode(v, "(I - v) / tau");
 * b.threshold(v, 1.0, 0.0, 5.0);         // spike above 1, reset to 0, 5 ms refractory
 * Model lif = b.build();
 * }</pre>
 *
 * <p>Sizes: declarations are checked before anything is allocated (positive sizes, at most 2,147,483,639
 * elements in all, and eight copies of the state within the memory the JVM may use). Compiling takes time
 * linear in the size of the expressions: a named subexpression is computed once however often it is used, and
 * models of 100,000 scalar states or sums of 100,000 terms compile.
 *
 * <p>A builder is single-use and not thread-safe; the built {@link Model} is immutable.
 *
 * @since 0.1
 */
public final class ModelBuilder {

    /** Most elements of one array (the JVM's limit, a little below {@code Integer.MAX_VALUE}). */
    static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;
    /**
     * Copies of the state a model needs at least: initial values, the initial state, derivatives, solver
     * stages and the exponential caches of the compiled kernel. The memory estimate is 8 bytes times this
     * per element.
     */
    static final int STATE_COPIES = 8;
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final String name;
    private final List<Var> vars = new ArrayList<>();
    private final Map<String, Double> scales = new HashMap<>();
    private final Map<String, Expr> symbols = new LinkedHashMap<>();
    private final Map<String, Expr> odes = new HashMap<>();
    private final Map<String, double[]> initial = new HashMap<>();
    private final List<String> paramNames = new ArrayList<>();
    private final List<Double> paramValues = new ArrayList<>();
    private final List<NoiseTerm> noise = new ArrayList<>();
    private final List<Threshold> thresholds = new ArrayList<>();
    private boolean built;
    /** Elements declared so far (state and inputs, with room for the alignment padding). */
    private long elements;
    /** Upper bound of the scratch values of the expressions used so far (see {@link #checkScratch}). */
    private long scratch;
    /** The nodes {@link #checkScratch} has counted. */
    private final Set<Expr> counted = Collections.newSetFromMap(new IdentityHashMap<>());

    private ModelBuilder(final String name) {
        this.name = name;
    }

    /**
     * @param name model name
     * @return a new builder
     */
    public static ModelBuilder named(final String name) {
        return new ModelBuilder(name);
    }

    // ------------------------------------------------------------------ declarations

    /**
     * @param varName variable name
     * @param unit    unit text, e.g. "mV"
     * @return the scalar state variable
     */
    public Var scalar(final String varName, final String unit) {
        return declare(varName, 1, 1, unit, false);
    }

    /**
     * @param varName variable name
     * @param size    population size
     * @param unit    unit text
     * @return the vector state variable
     */
    public Var vector(final String varName, final int size, final String unit) {
        return declare(varName, size, 1, unit, false);
    }

    /**
     * @param varName variable name
     * @param rows    rows (postsynaptic)
     * @param cols    columns (presynaptic)
     * @param unit    unit text
     * @return the matrix state variable (row-major)
     */
    public Var matrix(final String varName, final int rows, final int cols, final String unit) {
        return declare(varName, rows, cols, unit, false);
    }

    /**
     * Declares a piecewise-constant input (no equation; set by input schedules or a simulation).
     *
     * @param varName input name
     * @param size    number of elements
     * @param unit    unit text
     * @return the input variable
     */
    public Var input(final String varName, final int size, final String unit) {
        return declare(varName, size, 1, unit, true);
    }

    /**
     * Declares a matrix input: fixed weights (for example top-down feedback) that equations read but do
     * not integrate; a simulation may replace them between segments.
     *
     * @param varName input name
     * @param rows    rows
     * @param cols    columns
     * @param unit    unit text
     * @return the input variable
     */
    public Var input(final String varName, final int rows, final int cols, final String unit) {
        return declare(varName, rows, cols, unit, true);
    }

    private Var declare(final String varName, final int rows, final int cols, final String unit,
                        final boolean isInput) {
        checkName(varName);
        elements = checkSize(varName, rows, cols, elements);
        final Var v = new Var(varName, rows, cols, unit, isInput);
        vars.add(v);
        symbols.put(varName, v);
        return v;
    }

    /**
     * Declares a scalar parameter; its value can later be changed with {@link Model#withParameter}.
     *
     * @param paramName parameter name
     * @param value     default value (finite)
     * @return the parameter as an expression
     */
    public Expr param(final String paramName, final double value) {
        checkName(paramName);
        if (!Double.isFinite(value)) {
            throw new OdeException(ErrorCode.NOT_FINITE, "parameter '" + paramName + "'", value);
        }
        final Expr p = new Nodes.Param(paramName, paramNames.size());
        paramNames.add(paramName);
        paramValues.add(value);
        symbols.put(paramName, p);
        return p;
    }

    /**
     * Names a subexpression; it is computed once per right-hand-side evaluation and usable by name in
     * later text.
     *
     * @param letName name
     * @param body    the expression
     * @return the named expression
     */
    public Expr let(final String letName, final Expr body) {
        checkName(letName);
        final Expr l = new Nodes.Let(letName, body);
        checkScratch(l, "'" + letName + "'");
        symbols.put(letName, l);
        return l;
    }

    /**
     * @param letName name
     * @param text    the expression text
     * @return the named expression
     */
    public Expr let(final String letName, final String text) {
        return let(letName, expr(text, "named subexpression '" + letName + "'"));
    }

    /**
     * Parses expression text against the names declared so far.
     *
     * @param text expression text
     * @return the expression
     * @throws OdeException with the column of a syntax error or unknown name
     */
    public Expr expr(final String text) {
        return new ExpressionParser(text, symbols, null).parse();
    }

    /** Parses text whose errors also name {@code where} (an equation or named subexpression). */
    private Expr expr(final String text, final String where) {
        return new ExpressionParser(text, symbols, where + " of model '" + name + "'").parse();
    }

    // ------------------------------------------------------------------ dynamics

    /**
     * Sets the differential equation {@code d var/dt = rhs}.
     *
     * @param v   a state variable of this builder
     * @param rhs right-hand side of the same shape, or a scalar (broadcast)
     * @return this builder
     */
    public ModelBuilder ode(final Var v, final Expr rhs) {
        own(v);
        if (v.isInput()) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "'" + v.name()
                    + "' is an input: inputs have no equation");
        }
        if (!rhs.isScalar() && (rhs.rows() != v.rows() || rhs.cols() != v.cols())) {
            throw new OdeException(ErrorCode.SHAPE_MISMATCH, "equation of '" + v.name() + "'", v.shape(),
                                   rhs.shape(), "d" + v.name() + "/dt = " + rhs.text());
        }
        if (odes.containsKey(v.name())) {
            throw new OdeException(ErrorCode.DUPLICATE_NAME, "equation of " + v.name());
        }
        checkScratch(rhs, "the equation of '" + v.name() + "'");
        odes.put(v.name(), rhs);
        return this;
    }

    /**
     * @param v   a state variable of this builder
     * @param rhs right-hand side text
     * @return this builder
     */
    public ModelBuilder ode(final Var v, final String rhs) {
        own(v);
        return ode(v, expr(rhs, "the equation of '" + v.name() + "'"));
    }

    /**
     * @param varName name of a declared state variable
     * @param rhs     right-hand side text
     * @return this builder
     */
    public ModelBuilder ode(final String varName, final String rhs) {
        final Expr e = symbols.get(varName);
        if (!(e instanceof Var v)) {
            throw new OdeException(ErrorCode.UNKNOWN_VARIABLE, varName, String.join(", ", varNames()));
        }
        return ode(v, rhs);
    }

    /**
     * @param v     a variable
     * @param value initial value of every element
     * @return this builder
     */
    public ModelBuilder initial(final Var v, final double value) {
        own(v);
        final double[] a = new double[v.size()];
        java.util.Arrays.fill(a, value);
        return initial(v, a);
    }

    /**
     * @param v      a variable
     * @param values initial values (copied; row-major for matrices)
     * @return this builder
     */
    public ModelBuilder initial(final Var v, final double[] values) {
        own(v);
        if (values.length != v.size()) {
            throw new OdeException(ErrorCode.DIMENSION_MISMATCH, "initial values of '" + v.name() + "'",
                                   v.size(), values.length);
        }
        initial.put(v.name(), values.clone());
        return this;
    }

    /**
     * Sets the tolerance scale (typical magnitude) of a variable; default 1.
     *
     * @param v     a variable
     * @param scale typical magnitude in the variable's unit (positive)
     * @return this builder
     */
    public ModelBuilder scale(final Var v, final double scale) {
        own(v);
        if (!(scale > 0) || !Double.isFinite(scale)) {
            throw new OdeException(ErrorCode.NOT_POSITIVE, "tolerance scale of '" + v.name() + "'", scale);
        }
        scales.put(v.name(), scale);
        return this;
    }

    /**
     * Adds white noise {@code sigma dW} to every element of a variable (see {@link NoiseTerm}).
     *
     * @param v     a state variable
     * @param sigma amplitude (unit of v per sqrt(ms))
     * @return this builder
     */
    public ModelBuilder noise(final Var v, final double sigma) {
        own(v);
        noise.add(new NoiseTerm(v.name(), sigma));
        return this;
    }

    /**
     * Adds threshold/reset/refractory spiking to a population (continuous detection).
     *
     * @param v          membrane potential variable
     * @param threshold  threshold (unit of v)
     * @param reset      reset value (unit of v)
     * @param refractory refractory period (ms), 0 for none
     * @return this builder
     */
    public ModelBuilder threshold(final Var v, final double threshold, final double reset, final double refractory) {
        return threshold(v, threshold, reset, refractory, Detection.CONTINUOUS);
    }

    /**
     * Adds threshold/reset/refractory spiking to a population.
     *
     * @param v          membrane potential variable
     * @param threshold  threshold (unit of v)
     * @param reset      reset value (unit of v)
     * @param refractory refractory period (ms), 0 for none
     * @param detection  continuous root finding or step-end checks
     * @return this builder
     */
    public ModelBuilder threshold(final Var v, final double threshold, final double reset, final double refractory,
                                  final Detection detection) {
        own(v);
        // checked here, where the values are given (the event itself is made when the model is built)
        Checks.finite("threshold of '" + v.name() + "'", threshold);
        Checks.finite("reset of '" + v.name() + "'", reset);
        Checks.nonNegative("refractory period of '" + v.name() + "'", refractory);
        org.neurode.core.ThresholdEvent.requireResetBelowThreshold(v.name(), threshold, reset);
        if (detection == null) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "detection mode of '" + v.name() + "' is null");
        }
        thresholds.add(new Threshold(v.name(), threshold, reset, refractory, detection));
        return this;
    }

    // ------------------------------------------------------------------ build

    /**
     * Compiles the model.
     *
     * @return the model
     * @throws OdeException if a state variable has no equation, or compilation fails
     */
    public Model build() {
        if (built) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "ModelBuilder '" + name + "' was already built");
        }
        built = true;
        final StateLayout layout = layout();
        final EquationCompiler.Compiled compiled = new EquationCompiler(name, layout, odes).compile();
        final Map<String, Double> values = new LinkedHashMap<>();
        for (int i = 0; i < paramNames.size(); i++) {
            values.put(paramNames.get(i), paramValues.get(i));
        }
        final Parameters params = Parameters.of(values);
        final String[] pNames = paramNames.toArray(new String[0]);
        final double[] y0 = new double[layout.dimension()];
        for (final Map.Entry<String, double[]> e : initial.entrySet()) {
            final StateLayout.Block b = layout.block(e.getKey());
            System.arraycopy(e.getValue(), 0, y0, b.offset(), b.size());
        }
        final List<EventDetector> events = new ArrayList<>();
        for (final Threshold t : thresholds) {
            events.add(ThresholdEvent.of(layout.block(t.variable()), t.threshold(), t.reset())
                    .withRefractory(t.refractory()).withDetection(t.detection())
                    .withName(thresholds.size() == 1 ? "spike" : "spike_" + t.variable()));
        }
        // all at once: adding them one by one would copy the model (and its initial state) each time
        return Model.of(name, layout, params, p -> instantiate(compiled, pNames, p), y0, events, noise);
    }

    /** @return the state layout of the declared variables */
    private StateLayout layout() {
        final StateLayout.Builder lb = StateLayout.builder().align(8);
        for (final Var v : vars) {
            if (!v.isInput() && !odes.containsKey(v.name())) {
                throw new OdeException(ErrorCode.MISSING_EQUATION, v.name());
            }
            final StateLayout.Kind kind = v.cols() > 1 ? StateLayout.Kind.MATRIX
                    : v.rows() > 1 ? StateLayout.Kind.VECTOR : StateLayout.Kind.SCALAR;
            lb.add(v.name(), kind, v.rows(), v.cols(), v.unit(), scales.getOrDefault(v.name(), 1.0), v.isInput());
        }
        return lb.build();
    }

    /**
     * The Java source {@link #build()} would compile (for tests of the code generator).
     *
     * @return the source of a class named {@code Generated}
     */
    String generatedSource() {
        return new EquationCompiler(name, layout(), odes).source("Generated");
    }

    private static ExponentialEulerKernel instantiate(final EquationCompiler.Compiled compiled,
                                                   final String[] names, final Parameters p) {
        final double[] values = new double[names.length];
        for (int i = 0; i < names.length; i++) {
            values[i] = p.get(names[i]);
        }
        return compiled.newInstance(values);
    }

    /**
     * Checks the size of a declaration before anything is allocated: positive, and the model's elements
     * within the JVM's array limit and (as {@link #STATE_COPIES} copies of 8 bytes) within the memory the JVM
     * may use.
     *
     * @param what     the variable name
     * @param rows     rows as declared
     * @param cols     columns as declared
     * @param declared elements declared before
     * @return the elements declared including this one
     * @throws OdeException naming the variable and the size
     */
    static long checkSize(final String what, final long rows, final long cols, final long declared) {
        if (rows <= 0 || cols <= 0) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "size of '" + what + "' must be positive but is "
                    + (cols == 1 ? Long.toString(rows) : rows + "x" + cols));
        }
        final long size = rows > MAX_ELEMENTS || cols > MAX_ELEMENTS ? Long.MAX_VALUE : rows * cols;
        final long total = size > MAX_ELEMENTS ? Long.MAX_VALUE : declared + size + 7;   // + alignment padding
        if (size > MAX_ELEMENTS || total > MAX_ELEMENTS) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "'" + what + "' has " + (cols == 1 ? rows
                    + " elements" : rows + "x" + cols + " elements") + ": a model holds at most " + MAX_ELEMENTS
                    + " elements in all");
        }
        checkMemory("'" + what + "' (" + size + " elements)", total, STATE_COPIES);
        return total;
    }

    /**
     * Checks that {@code copies} arrays of {@code elements} doubles fit in the memory the JVM may use.
     *
     * @param what     what needs the memory, for the message
     * @param elements elements per copy
     * @param copies   number of copies
     * @throws OdeException if they do not fit
     */
    static void checkMemory(final String what, final long elements, final int copies) {
        final long max = Runtime.getRuntime().maxMemory();
        final double bytes = 8.0 * copies * elements;
        if (bytes > max) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, String.format(Locale.ROOT,
                    "%s would need about %.0f MB (%d copies of %d values of 8 bytes) but at most %d MB of memory "
                    + "are available (the JVM's -Xmx option sets it)", what, bytes / 1e6, copies, elements,
                    max / 1_000_000));
        }
    }

    /**
     * Adds the scratch space an expression may need (named subexpressions, products, sums and vector rate
     * functions are computed into scratch space) to the model's estimate and checks its memory, so that an
     * expression such as {@code outer(u, u)} of a large {@code u} fails where it is written.
     */
    private void checkScratch(final Expr e, final String where) {
        final ArrayDeque<Expr> stack = new ArrayDeque<>();
        stack.push(e);
        long added = 0;
        while (!stack.isEmpty()) {
            final Expr n = stack.pop();
            if (!counted.add(n)) {
                continue;
            }
            if (n instanceof Nodes.Let || n instanceof Nodes.MatVec || n instanceof Nodes.Sum
                    || n instanceof Nodes.Unary u && u.fn != Expr.Fn.NEG) {
                added += (long) n.rows() * n.cols();
            } else if (n instanceof Nodes.Outer o) {
                added += (long) o.a.rows() + o.b.rows();       // its operands; the matrix is not stored
            }
            if (n instanceof Nodes.MatVec mv) {
                // operands that are not state are computed into scratch space (a matrix in full)
                final Expr m = mv.matrix instanceof Nodes.Transpose tr ? tr.arg : mv.matrix;
                added += (m instanceof Var ? 0L : (long) m.rows() * m.cols())
                        + (mv.vector instanceof Var ? 0L : mv.vector.rows());
            }
            if (n instanceof Nodes.Let l) {
                stack.push(l.body);
            } else if (n instanceof Nodes.Unary u) {
                stack.push(u.arg);
            } else if (n instanceof Nodes.Binary b) {
                stack.push(b.b);
                stack.push(b.a);
            } else if (n instanceof Nodes.MatVec mv) {
                stack.push(mv.vector);
                stack.push(mv.matrix);
            } else if (n instanceof Nodes.Transpose tr) {
                stack.push(tr.arg);
            } else if (n instanceof Nodes.Outer o) {
                stack.push(o.b);
                stack.push(o.a);
            } else if (n instanceof Nodes.Sum sum) {
                stack.push(sum.arg);
            } else if (n instanceof Nodes.Where w) {
                stack.push(w.b);
                stack.push(w.a);
                stack.push(w.condition);
            } else if (n instanceof Nodes.Part p) {
                stack.push(p.arg);
            }
        }
        scratch += added;
        if (added > 0) {
            checkMemory(where + " (scratch space for named subexpressions and products, " + scratch
                    + " values in the model so far)", scratch, 2);
        }
    }

    private void checkName(final String n) {
        if (n == null || !IDENTIFIER.matcher(n).matches()) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "name '" + n
                    + "' must be an identifier (letters, digits, _)");
        }
        if (symbols.containsKey(n) || "t".equals(n)) {
            throw new OdeException(ErrorCode.DUPLICATE_NAME, n);
        }
    }

    private void own(final Var v) {
        if (symbols.get(v.name()) != v) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "variable '" + v.name()
                    + "' was not declared by this builder");
        }
    }

    private List<String> varNames() {
        final List<String> n = new ArrayList<>();
        for (final Var v : vars) {
            n.add(v.name());
        }
        return n;
    }

    /** A threshold declaration, turned into a {@link ThresholdEvent} once the layout exists. */
    private record Threshold(String variable, double threshold, double reset, double refractory,
                             Detection detection) {
    }
}
