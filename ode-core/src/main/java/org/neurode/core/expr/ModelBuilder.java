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
import java.util.SplittableRandom;
import java.util.Set;
import java.util.regex.Pattern;

import org.neurode.core.Checks;
import org.neurode.core.Detection;
import org.neurode.core.ErrorCode;
import org.neurode.core.EventDetector;
import org.neurode.core.LinearSplitEquation;
import org.neurode.core.Model;
import org.neurode.core.NoiseTerm;
import org.neurode.core.OdeException;
import org.neurode.core.Parameters;
import org.neurode.core.Projection;
import org.neurode.core.StateLayout;
import org.neurode.core.StepRule;
import org.neurode.core.ThresholdEvent;
import org.neurode.core.spec.EquationSpec;
import org.neurode.core.spec.EventSpec;
import org.neurode.core.spec.ExprSpec;
import org.neurode.core.spec.ExprText;
import org.neurode.core.spec.LetSpec;
import org.neurode.core.spec.ModelSpec;
import org.neurode.core.spec.NoiseSpec;
import org.neurode.core.spec.ParameterSpec;
import org.neurode.core.spec.PopulationSpec;
import org.neurode.core.spec.ProjectionSpec;
import org.neurode.core.spec.StatementSpec;
import org.neurode.core.spec.SynapseVariableSpec;
import org.neurode.core.spec.ThresholdSpec;
import org.neurode.core.spec.ValueSpec;
import org.neurode.core.units.ModelUnits;
import org.neurode.core.units.UnitCheck;
import org.neurode.core.spec.VariableKind;
import org.neurode.core.spec.VariableSpec;

/**
 * Scripts a model: declare variables (scalars, vectors for populations, matrices for plastic weights),
 * inputs and parameters, then give each variable its differential equation, either as an {@link Expr}
 * or as text such as {@code "(W @ x - vB) / tauB"}. What is declared is a {@link ModelSpec} ({@link #spec()}),
 * checked as it is given (names, shapes, sizes); {@link #build()} compiles it to Java bytecode (one fused loop
 * per variable) and derives the equations' diagonal linear part for exponential integrators.
 *
 * <p>Only variables with an equation are integrated. Inputs ({@link #input}: piecewise constant, set by
 * schedules and experiments) and parameters ({@link #param(String, double)} scalars and
 * {@link #param(String, int, int, double[])} arrays such as fixed weights: constant for a run) are read by the
 * compiled equations from buffers of their own, so they never enter the state, error norms, Jacobians or step
 * copies of a solver.
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
 * <p>Parts: a {@link ModelSpec} returned by a function (a compartment, a population, a plasticity rule) is
 * added with {@link #add(ModelSpec)}; its expressions may use what the model declared before. A name the model
 * already has is an error naming the fragment, the name and what it is.
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
    /**
     * Copies of inputs and parameter arrays a model needs at least: the specification's values, the model's
     * defaults, and the packed parameters or an equation's input buffer.
     */
    static final int CONSTANT_COPIES = 3;
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final String name;
    private String timeUnit = ModelSpec.DEFAULT_TIME_UNIT;
    /** The names the expressions may use: variables, parameters and named subexpressions. */
    private final Map<String, Expr> symbols = new LinkedHashMap<>();
    private final List<Var> vars = new ArrayList<>();
    // the specification as declared so far
    private final List<VariableSpec> variables = new ArrayList<>();
    private final Map<String, Integer> variableIndex = new HashMap<>();
    private final List<ParameterSpec> parameters = new ArrayList<>();
    private final List<LetSpec> lets = new ArrayList<>();
    private final List<EquationSpec> equations = new ArrayList<>();
    private final Set<String> withEquation = new java.util.HashSet<>();
    private final List<NoiseSpec> noise = new ArrayList<>();
    private final List<ThresholdSpec> thresholds = new ArrayList<>();
    private final List<EventSpec> events = new ArrayList<>();
    private final List<PopulationSpec> populations = new ArrayList<>();
    private final List<ProjectionSpec> projections = new ArrayList<>();
    /** Expressions given as {@link Expr} become trees here (one converter: shared parts stay shared). */
    private final ExprToSpec converter = new ExprToSpec(symbols);
    /** Trees become shape-checked expressions here. */
    private final Resolver resolver = new Resolver(symbols);
    private boolean built;
    /** Seed of rand() and randn() in values (see {@link #seed}). */
    private long seed;
    /** Elements declared so far (state and inputs, with room for the alignment padding). */
    private long elements;
    /** Input and parameter-array elements declared so far (with room for the alignment padding). */
    private long constants;
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
        if (name == null) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "the model name is null");
        }
        return new ModelBuilder(name);
    }

    /**
     * A builder holding a whole specification, checked as if each of its declarations were made by hand (so
     * more may be added before {@link #build()}).
     *
     * @param spec a model specification (from a file, a JSON/YAML document or another builder)
     * @return the builder
     * @throws OdeException naming the declaration at fault
     */
    public static ModelBuilder from(final ModelSpec spec) {
        final ModelBuilder b = named(spec.name()).timeUnit(spec.timeUnit());
        try {
            b.replay(spec);
        } catch (OdeException e) {
            throw new OdeException(e, ErrorCode.INVALID_ARGUMENT, "model '" + spec.name() + "': "
                    + b.explain(e));
        }
        return b;
    }

    /**
     * Sets the unit of the time {@code t} ({@code "ms"} unless set).
     *
     * @param unit the unit
     * @return this builder
     */
    public ModelBuilder timeUnit(final String unit) {
        this.timeUnit = checkUnit("the time", unit);
        return this;
    }

    // ------------------------------------------------------------------ declarations

    /**
     * @param varName variable name
     * @param unit    unit text, e.g. "mV" ({@code ""} for none)
     * @return the scalar state variable
     */
    public Var scalar(final String varName, final String unit) {
        return declare(varName, 1, 1, unit, Var.Role.STATE);
    }

    /**
     * @param varName variable name
     * @param size    population size
     * @param unit    unit text
     * @return the vector state variable
     */
    public Var vector(final String varName, final int size, final String unit) {
        return declare(varName, size, 1, unit, Var.Role.STATE);
    }

    /**
     * @param varName variable name
     * @param rows    rows (postsynaptic)
     * @param cols    columns (presynaptic)
     * @param unit    unit text
     * @return the matrix state variable (row-major)
     */
    public Var matrix(final String varName, final int rows, final int cols, final String unit) {
        return declare(varName, rows, cols, unit, Var.Role.STATE);
    }

    /**
     * Declares a piecewise-constant input (no equation; set by input schedules or a simulation). It is not part
     * of the integrated state; {@link #initial(Var, double[])} gives its default value.
     *
     * @param varName input name
     * @param size    number of elements
     * @param unit    unit text
     * @return the input variable
     */
    public Var input(final String varName, final int size, final String unit) {
        return declare(varName, size, 1, unit, Var.Role.INPUT);
    }

    /**
     * Declares a matrix input: weights that equations read but do not integrate and that a simulation replaces
     * between segments. Weights fixed for a whole run are better a parameter array
     * ({@link #param(String, int, int, double[])}).
     *
     * @param varName input name
     * @param rows    rows
     * @param cols    columns
     * @param unit    unit text
     * @return the input variable
     */
    public Var input(final String varName, final int rows, final int cols, final String unit) {
        return declare(varName, rows, cols, unit, Var.Role.INPUT);
    }

    private Var declare(final String varName, final int rows, final int cols, final String unit,
                        final Var.Role role) {
        checkName(varName);
        final String u = checkUnit("'" + varName + "'", unit);
        if (role == Var.Role.STATE) {
            elements = checkSize(varName, rows, cols, elements);
        } else {
            constants = checkSize(varName, rows, cols, constants, CONSTANT_COPIES);
        }
        final Var v = new Var(varName, rows, cols, u, role);
        symbols.put(varName, v);
        if (role != Var.Role.PARAMETER) {
            vars.add(v);
            variableIndex.put(varName, variables.size());
            variables.add(role == Var.Role.INPUT ? VariableSpec.input(varName, rows, cols, u)
                    : VariableSpec.state(varName, rows, cols, u));
        }
        return v;
    }

    /**
     * Declares a scalar parameter without a unit; its value can later be changed with
     * {@link Model#withParameter}.
     *
     * @param paramName parameter name
     * @param value     default value (finite)
     * @return the parameter as an expression
     */
    public Expr param(final String paramName, final double value) {
        return param(paramName, value, "");
    }

    /**
     * Declares a scalar parameter; its value can later be changed with {@link Model#withParameter}.
     *
     * @param paramName parameter name
     * @param value     default value (finite)
     * @param unit      its unit ({@code ""} for none)
     * @return the parameter as an expression
     */
    public Expr param(final String paramName, final double value, final String unit) {
        checkName(paramName);
        final String u = checkUnit("parameter '" + paramName + "'", unit);
        if (!Double.isFinite(value)) {
            throw new OdeException(ErrorCode.NOT_FINITE, "parameter '" + paramName + "'", value);
        }
        final Expr p = new Nodes.Param(paramName, parameters.size());
        parameters.add(new ParameterSpec(paramName, 1, 1, u, ValueSpec.Values.of(value)));
        symbols.put(paramName, p);
        return p;
    }

    /**
     * Declares a scalar parameter whose value is an expression of numbers, the parameters declared before,
     * {@code pi}, {@code e} and {@code rand()}/{@code randn()}, evaluated once when the model is built (e.g.
     * {@code "2 * pi / 3"}, or {@code "0.01 * second"} for a parameter in ms, converted to 10 by the units check).
     *
     * @param paramName  parameter name
     * @param expression its value
     * @param unit       its unit ({@code ""} for none)
     * @return the parameter as an expression
     * @throws OdeException with the column of a syntax error
     * @since 0.3
     */
    public Expr param(final String paramName, final String expression, final String unit) {
        checkName(paramName);
        final String u = checkUnit("parameter '" + paramName + "'", unit);
        final ExprSpec value = ExprText.parse(expression, "the value of parameter '" + paramName + "' of model '"
                + name + "'").tree();
        ValueEvaluator.checkNames(value, scalarParameters(), "the value of parameter '" + paramName + "'");
        final Expr p = new Nodes.Param(paramName, parameters.size());
        parameters.add(new ParameterSpec(paramName, 1, 1, u, new ValueSpec.Expression(value)));
        symbols.put(paramName, p);
        return p;
    }

    /**
     * Declares a vector parameter without a unit: one constant per element (per-neuron drives, thresholds, time
     * constants), read by the equations but never integrated; its values can later be changed with
     * {@link Model#withParameter(String, double[])}.
     *
     * @param paramName parameter name
     * @param values    default values (copied; finite), one per element
     * @return the parameter, usable in expressions like a vector variable
     * @since 0.3
     */
    public Var param(final String paramName, final double[] values) {
        return param(paramName, values.length, 1, values, "");
    }

    /**
     * Declares a matrix parameter without a unit: constants read by the equations but never integrated (fixed
     * weights such as the top-down feedback of a microcircuit); its values can later be changed with
     * {@link Model#withParameter(String, double[])}.
     *
     * @param paramName parameter name
     * @param rows      rows
     * @param cols      columns
     * @param values    default values, row-major (copied; finite; rows x cols of them, or one for all)
     * @return the parameter, usable in expressions like a matrix variable
     * @since 0.3
     */
    public Var param(final String paramName, final int rows, final int cols, final double[] values) {
        return param(paramName, rows, cols, values, "");
    }

    /**
     * Declares a vector or matrix parameter (see {@link #param(String, int, int, double[])}).
     *
     * @param paramName parameter name
     * @param rows      rows
     * @param cols      columns
     * @param values    default values, row-major (copied; finite; rows x cols of them, or one for all)
     * @param unit      its unit ({@code ""} for none)
     * @return the parameter, usable in expressions like a matrix variable
     * @since 0.3
     */
    public Var param(final String paramName, final int rows, final int cols, final double[] values,
                     final String unit) {
        checkName(paramName);
        if (rows > 0 && cols > 0 && values.length != 1 && values.length != (long) rows * cols) {
            throw new OdeException(ErrorCode.DIMENSION_MISMATCH, "values of parameter '" + paramName + "'",
                                   (long) rows * cols, values.length);
        }
        return arrayParameter(paramName, rows, cols, unit, new ValueSpec.Values(Checks.finiteArray("parameter '"
                + paramName + "'", values, values.length)));
    }

    /** Declares a vector or matrix parameter of a checked value (numbers, or an expression per element). */
    private Var arrayParameter(final String paramName, final int rows, final int cols, final String unit,
                               final ValueSpec value) {
        // checks the name, the shape and the memory before it is declared
        final Var v = declare(paramName, rows, cols, unit, Var.Role.PARAMETER);
        parameters.add(new ParameterSpec(paramName, rows, cols, v.unit(), value));
        return v;
    }

    /**
     * Seeds {@code rand()} and {@code randn()} in initial and parameter values: they are drawn when the model is
     * built, from one generator, in the order of the declarations and of the elements (row-major), so the same
     * seed gives the same values on any machine. Default 0.
     *
     * @param s the seed
     * @return this builder
     * @since 0.3
     */
    public ModelBuilder seed(final long s) {
        this.seed = s;
        return this;
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
        return let(letName, body, converter.forBlock(-1, -1).convert(body, "named subexpression '" + letName + "'"));
    }

    /**
     * @param letName name
     * @param text    the expression text
     * @return the named expression
     */
    public Expr let(final String letName, final String text) {
        final ExprText.Parsed p = ExprText.parse(text, "named subexpression '" + letName + "' of model '" + name
                + "'");
        return let(letName, p);
    }

    /** A named subexpression from parsed text (errors name the column). */
    Expr let(final String letName, final ExprText.Parsed text) {
        final Expr body = resolver.forBlock(-1, -1).resolve(text);
        checkName(letName);
        return let(letName, body, text.tree());
    }

    private Expr let(final String letName, final Expr body, final ExprSpec tree) {
        final Expr l = new Nodes.Let(letName, body);
        checkScratch(l, "'" + letName + "'");
        symbols.put(letName, l);
        lets.add(new LetSpec(letName, tree));
        return l;
    }

    /**
     * Parses expression text against the names declared so far.
     *
     * @param text expression text
     * @return the expression
     * @throws OdeException with the column of a syntax error or unknown name
     */
    public Expr expr(final String text) {
        return resolver.forBlock(-1, -1).resolve(ExprText.parse(text, null));
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
        return ode(v, rhs, null);
    }

    /** The equation with its tree (null: convert {@code rhs}). */
    private ModelBuilder ode(final Var v, final Expr rhs, final ExprSpec tree) {
        if (!v.isState()) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "'" + v.name() + "' is "
                    + (v.isInput() ? "an input: inputs have no equation" : "a parameter: parameters have no equation"));
        }
        if (!rhs.isScalar() && (rhs.rows() != v.rows() || rhs.cols() != v.cols())) {
            throw new OdeException(ErrorCode.SHAPE_MISMATCH, "equation of '" + v.name() + "'", v.shape(),
                                   rhs.shape(), "d" + v.name() + "/dt = " + rhs.text());
        }
        if (withEquation.contains(v.name())) {
            throw new OdeException(ErrorCode.DUPLICATE_NAME, "equation of " + v.name());
        }
        final ExprSpec t = tree != null ? tree : converter.forBlock(v.rows(), v.cols()).convert(rhs,
                "the equation of '" + v.name() + "'");
        checkScratch(rhs, "the equation of '" + v.name() + "'");
        withEquation.add(v.name());
        equations.add(new EquationSpec(v.name(), t));
        return this;
    }

    /**
     * @param v   a state variable of this builder
     * @param rhs right-hand side text
     * @return this builder
     */
    public ModelBuilder ode(final Var v, final String rhs) {
        own(v);
        final String body = EquationSpec.withoutFlag(rhs);
        ode(v, ExprText.parse(body, "the equation of '" + v.name() + "' of model '" + name + "'"));
        return body.equals(rhs) ? this : unlessRefractory(v);
    }

    /**
     * Marks the equation of a variable {@code (unless refractory)}, Brian2's flag: each element is held still
     * while its member is refractory after an event with a refractory period whose members are the variable's
     * rows ({@link #event(EventSpec)}). Text equations may end with the flag instead:
     * {@code b.ode(v, "(EL - v) / tau (unless refractory)")}.
     *
     * @param v a state variable with an equation
     * @return this builder
     * @throws OdeException if the variable has no equation yet
     * @since 0.4
     */
    public ModelBuilder unlessRefractory(final Var v) {
        own(v);
        for (int k = 0; k < equations.size(); k++) {
            if (equations.get(k).variable().equals(v.name())) {
                equations.set(k, equations.get(k).withUnlessRefractory(true));
                return this;
            }
        }
        throw new OdeException(ErrorCode.INVALID_ARGUMENT, "'" + v.name() + "' has no equation to mark (unless "
                + "refractory); give its equation first");
    }

    /** An equation from parsed text (errors name the column). */
    ModelBuilder ode(final Var v, final ExprText.Parsed rhs) {
        final ExprSpec drift = withoutNoise(v, rhs.tree());
        if (drift != rhs.tree()) {
            return ode(v, resolver.forBlock(v.rows(), v.cols()).resolve(drift, "the equation of '" + v.name() + "'"),
                       drift);
        }
        return ode(v, resolver.forBlock(v.rows(), v.cols()).resolve(rhs), rhs.tree());
    }

    /**
     * White noise written into an equation, Brian2's way: {@code dv/dt = f + sigma * xi} is the equation
     * {@code dv/dt = f} with the noise {@code sigma dW} ({@link #noise}), where sigma is made of numbers and
     * parameters given as numbers, evaluated now (its sign does not matter: -xi is white noise too). Only additive
     * noise: one term with {@code xi} as a factor; {@code xi} elsewhere is an error.
     *
     * @return the equation without its noise term ({@code rhs} itself if it has none)
     */
    private ExprSpec withoutNoise(final Var v, final ExprSpec rhs) {
        if (symbols.containsKey("xi") || !ValueEvaluator.mentions(rhs, "xi")) {
            return rhs;
        }
        final List<ExprSpec.Term> terms = rhs instanceof ExprSpec.Sum s ? s.terms()
                : List.of(new ExprSpec.Term(false, rhs));
        final List<ExprSpec.Term> drift = new ArrayList<>();
        ExprSpec sigma = null;
        for (final ExprSpec.Term t : terms) {
            if (!ValueEvaluator.mentions(t.value(), "xi")) {
                drift.add(t);
                continue;
            }
            final ExprSpec coefficient = xiCoefficient(t.value());
            if (coefficient == null || sigma != null) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "in the equation of '" + v.name() + "': white "
                        + "noise must be one term 'sigma * xi' with sigma made of numbers and parameters (not '"
                        + t.value().text() + "'; multiplicative noise is not supported)");
            }
            sigma = coefficient;
        }
        final Map<String, Double> known = new HashMap<>();
        for (final ParameterSpec p : parameters) {
            if (p.value() instanceof ValueSpec.Values values && values.size() == 1) {
                known.put(p.name(), values.get(0));
            }
        }
        final double amplitude;
        try {
            amplitude = Math.abs(new ValueEvaluator(known, new SplittableRandom(0),
                    "the noise amplitude of '" + v.name() + "'").evaluate(sigma, 1, 1)[0]);
        } catch (OdeException ex) {
            throw new OdeException(ex, ErrorCode.INVALID_ARGUMENT, "in the equation of '" + v.name() + "': white "
                    + "noise must be one term 'sigma * xi' with sigma made of numbers and parameters given as "
                    + "numbers; multiplicative noise is not supported (" + ex.getMessage() + ")");
        }
        noise(v, amplitude);
        if (drift.isEmpty()) {
            return new ExprSpec.Num(0.0);
        }
        if (drift.get(0).negative()) {
            drift.set(0, new ExprSpec.Term(false, new ExprSpec.Unary("-", drift.get(0).value())));
        }
        return drift.size() == 1 ? drift.get(0).value() : new ExprSpec.Sum(drift);
    }

    /** The coefficient c of a term {@code c * xi}, {@code xi * c} or {@code xi}; null for any other use of xi. */
    private static ExprSpec xiCoefficient(final ExprSpec term) {
        if (term instanceof ExprSpec.Name n && "xi".equals(n.name())) {
            return new ExprSpec.Num(1.0);
        }
        if (term instanceof ExprSpec.Unary u && "-".equals(u.op())) {
            return xiCoefficient(u.arg());
        }
        if (!(term instanceof ExprSpec.Product p)) {
            return null;
        }
        final List<ExprSpec.Factor> rest = new ArrayList<>();
        int found = 0;
        for (final ExprSpec.Factor f : p.factors()) {
            if (f.value() instanceof ExprSpec.Name n && "xi".equals(n.name()) && !f.divide()) {
                found++;
            } else if (ValueEvaluator.mentions(f.value(), "xi")) {
                return null;
            } else {
                rest.add(f);
            }
        }
        if (found != 1) {
            return null;
        }
        if (rest.get(0).divide()) {
            rest.add(0, new ExprSpec.Factor(false, new ExprSpec.Num(1.0)));
        }
        return rest.size() == 1 ? rest.get(0).value() : new ExprSpec.Product(rest);
    }

    /**
     * @param varName name of a declared state variable
     * @param rhs     right-hand side text
     * @return this builder
     */
    public ModelBuilder ode(final String varName, final String rhs) {
        return ode(variable(varName), rhs);
    }

    /**
     * @param varName a declared variable's name
     * @return the variable
     * @throws OdeException if no variable has that name
     */
    public Var variable(final String varName) {
        final Expr e = symbols.get(varName);
        if (!(e instanceof Var v)) {
            throw new OdeException(ErrorCode.UNKNOWN_VARIABLE, varName, Resolver.list(varNames()));
        }
        return v;
    }

    /**
     * Sets the initial value of a variable to an expression evaluated per element when the model is built: numbers,
     * scalar parameters, {@code i} (row), {@code j} (column), {@code N} (rows), {@code pi}, {@code e}, and
     * {@code rand()} (uniform on [0, 1)) or {@code randn()} (standard normal) drawn with the builder's
     * {@link #seed}, e.g. {@code "-65 + 5 * randn()"} or {@code "0.1 * i / N"}.
     *
     * @param v          a state variable or input of this builder
     * @param expression the value
     * @return this builder
     * @throws OdeException with the column of a syntax error
     * @since 0.3
     */
    public ModelBuilder initial(final Var v, final String expression) {
        own(v);
        notParameter(v);
        final ExprSpec value = ExprText.parse(expression, "the initial value of '" + v.name() + "' of model '" + name
                + "'").tree();
        ValueEvaluator.checkNames(value, scalarParameters(), "the initial value of '" + v.name() + "'");
        return setVariable(variableSpec(v).withInitial(new ValueSpec.Expression(value)));
    }

    /** The names of the scalar parameters declared so far. */
    private java.util.Set<String> scalarParameters() {
        final java.util.Set<String> names = new java.util.HashSet<>();
        for (final ParameterSpec p : parameters) {
            if (p.rows() == 1 && p.cols() == 1) {
                names.add(p.name());
            }
        }
        return names;
    }

    /**
     * @param v     a state variable, or an input (its default value)
     * @param value initial value of every element
     * @return this builder
     */
    public ModelBuilder initial(final Var v, final double value) {
        own(v);
        notParameter(v);
        return setVariable(variableSpec(v).withInitial(ValueSpec.Values.of(value)));
    }

    /**
     * @param v      a state variable, or an input (its default value)
     * @param values initial values (copied; row-major for matrices)
     * @return this builder
     */
    public ModelBuilder initial(final Var v, final double[] values) {
        own(v);
        notParameter(v);
        if (values.length != v.size()) {
            throw new OdeException(ErrorCode.DIMENSION_MISMATCH, "initial values of '" + v.name() + "'",
                                   v.size(), values.length);
        }
        return setVariable(variableSpec(v).withInitial(new ValueSpec.Values(values)));
    }

    /**
     * Sets the tolerance scale (typical magnitude) of a state variable; default 1.
     *
     * @param v     a state variable
     * @param scale typical magnitude in the variable's unit (positive)
     * @return this builder
     */
    public ModelBuilder scale(final Var v, final double scale) {
        own(v);
        stateOnly(v, "tolerance scale");
        if (!(scale > 0) || !Double.isFinite(scale)) {
            throw new OdeException(ErrorCode.NOT_POSITIVE, "tolerance scale of '" + v.name() + "'", scale);
        }
        return setVariable(variableSpec(v).withScale(scale));
    }

    private VariableSpec variableSpec(final Var v) {
        return variables.get(variableIndex.get(v.name()));
    }

    private ModelBuilder setVariable(final VariableSpec v) {
        variables.set(variableIndex.get(v.name()), v);
        return this;
    }

    /**
     * Adds white noise {@code sigma dW} to every element of a state variable (see {@link NoiseTerm}).
     *
     * @param v     a state variable
     * @param sigma amplitude (unit of v per sqrt(ms))
     * @return this builder
     */
    public ModelBuilder noise(final Var v, final double sigma) {
        own(v);
        stateOnly(v, "white noise");
        final NoiseTerm term = new NoiseTerm(v.name(), sigma);
        noise.add(new NoiseSpec(term.block(), term.sigma()));
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
        stateOnly(v, "a threshold");
        // checked here, where the values are given (the event itself is made when the model is built)
        Checks.finite("threshold of '" + v.name() + "'", threshold);
        Checks.finite("reset of '" + v.name() + "'", reset);
        Checks.nonNegative("refractory period of '" + v.name() + "'", refractory);
        ThresholdEvent.requireResetBelowThreshold(v.name(), threshold, reset);
        if (detection == null) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "detection mode of '" + v.name() + "' is null");
        }
        thresholds.add(new ThresholdSpec(v.name(), threshold, reset, refractory, detection));
        return this;
    }

    /**
     * Adds an event with a condition, reset statements and refractoriness (Brian2's threshold, reset and
     * refractory; see {@link EventSpec}), e.g. the spikes of an adaptive exponential neuron:
     * <pre>{@code
     * b.event(EventSpec.of("spike", "v > VT + 5 * DeltaT", "v = Vr; w += b"));
     * }</pre>
     * The condition, the statements and the refractory period are checked against the names declared so far:
     * the condition must be a comparison ({@code <}, {@code <=}, {@code >}, {@code >=}, joined by {@code and},
     * {@code or}, {@code not}), statements assign state variables of one element per member, every part is
     * element-wise. Units are checked when the model is built.
     *
     * @param e the event
     * @return this builder
     * @throws OdeException naming the event and the statement or part at fault
     * @since 0.4
     */
    public ModelBuilder event(final EventSpec e) {
        if (e == null) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "the event is null");
        }
        if (!IDENTIFIER.matcher(e.name()).matches()) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "event name '" + e.name() + "' must be an identifier "
                    + "(letters, digits, _)");
        }
        for (final EventSpec other : events) {
            if (other.name().equals(e.name())) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "event '" + e.name() + "' is declared twice; give"
                        + " each kind of event its own name");
            }
        }
        for (final PopulationSpec p : populations) {
            if (p.isSource() && p.name().equals(e.name())) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "event '" + e.name() + "' has the name of the "
                        + "Poisson group or spike generator '" + p.name() + "', whose event it is; give it another name");
            }
        }
        final EventCompiler.Checked checked = EventCompiler.check(e, symbols);
        refractoryNotNegative(e, checked.members());
        events.add(e);
        return this;
    }

    /**
     * Declares a population ({@link PopulationSpec}): {@code size} members owning the listed variables, declared
     * before, each with {@code size} x 1 elements. Its events are those whose condition or statements name its
     * variables; its {@code (unless refractory)} equations are held after its own events only.
     *
     * @param p the population
     * @return this builder
     * @throws OdeException naming the population and the variable at fault (unknown, of another size, owned by
     *                      another population)
     * @since 0.5
     */
    public ModelBuilder population(final PopulationSpec p) {
        if (p == null) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "the population is null");
        }
        final String what = "population '" + p.name() + "'";
        if (!IDENTIFIER.matcher(p.name()).matches()) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, what + ": the name must be an identifier (letters, "
                    + "digits, _)");
        }
        for (final PopulationSpec other : populations) {
            if (other.name().equals(p.name())) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, what + " is declared twice");
            }
        }
        if (p.isSource()) {
            // its spikes are the event named after it
            for (final EventSpec e : events) {
                if (e.name().equals(p.name())) {
                    throw new OdeException(ErrorCode.INVALID_ARGUMENT, what + " has the name of an event; a Poisson "
                            + "group or spike generator sends the event named after it: give it another name");
                }
            }
            if (p.rate() != null) {
                final java.util.Set<String> known = new java.util.HashSet<>();
                parameters.forEach(q -> known.add(q.name()));
                ValueEvaluator.checkNames(p.rate(), known, true, what + ": the rate");
                if (ValueEvaluator.mentions(p.rate(), "t") && ValueEvaluator.draws(p.rate())) {
                    throw new OdeException(ErrorCode.INVALID_ARGUMENT, what + ": a rate that depends on the time t "
                            + "cannot draw random numbers (rand(), randn()): it is evaluated again at every step");
                }
            }
        }
        for (final String v : p.variables()) {
            final Integer k = variableIndex.get(v);
            if (k == null) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, what + ": '" + v + "' is not a variable declared "
                        + "before (declare the population after its variables)");
            }
            final VariableSpec vs = variables.get(k);
            if (vs.rows() != p.size() || vs.cols() != 1) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, what + ": '" + v + "' has " + vs.rows() + "x"
                        + vs.cols() + " elements but the population has " + p.size() + " members: each of its "
                        + "variables has one element per member (" + p.size() + "x1)");
            }
            for (final PopulationSpec other : populations) {
                if (other.owns(v)) {
                    throw new OdeException(ErrorCode.INVALID_ARGUMENT, what + ": '" + v + "' already belongs to "
                            + "population '" + other.name() + "'");
                }
            }
        }
        populations.add(p);
        return this;
    }

    /**
     * Declares a projection ({@link ProjectionSpec}, Brian2's {@code Synapses}): from an event of a source
     * population to a target population, with its connectivity, per-synapse variables, {@code on_pre} statements
     * and delay. Checked against the populations and events declared so far; units are checked, the synapses drawn
     * and the statements compiled when the model is built.
     *
     * @param p the projection
     * @return this builder
     * @throws OdeException naming the projection and the statement or field at fault
     * @since 0.5
     */
    public ModelBuilder projection(final ProjectionSpec p) {
        if (p == null) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "the projection is null");
        }
        if (!IDENTIFIER.matcher(p.name()).matches()) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "projection name '" + p.name() + "' must be an "
                    + "identifier (letters, digits, _)");
        }
        for (final ProjectionSpec other : projections) {
            if (other.name().equals(p.name())) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "projection '" + p.name() + "' is declared twice");
            }
        }
        for (final SynapseVariableSpec v : p.variables()) {
            if (v.initial() instanceof ValueSpec.Expression x) {
                final java.util.Set<String> known = new java.util.HashSet<>();
                parameters.forEach(q -> known.add(q.name()));
                known.add("N_pre");
                known.add("N_post");
                ValueEvaluator.checkNames(x.expression(), known, "projection '" + p.name() + "': the value of "
                        + "synapse variable '" + v.name() + "'");
            }
        }
        final ModelSpec declared = spec();
        SynapseCompiler.check(p, declared);
        SynapseCompiler.checkSummedOverlap(p, projections, declared);
        projections.add(p);
        return this;
    }

    /**
     * A refractory period made of numbers and scalar parameters given as numbers is evaluated where it is declared
     * and must not be negative (others, using per-element parameters, are checked when the model is built). In a
     * model with units the value is in the time unit unless it uses unit constants, which are converted later.
     */
    private void refractoryNotNegative(final EventSpec e, final int members) {
        final Map<String, Double> known = new HashMap<>();
        for (final ParameterSpec p : parameters) {
            if (p.value() instanceof ValueSpec.Values values && values.size() == 1 && p.rows() == 1
                    && p.cols() == 1) {
                known.put(p.name(), values.get(0));
            }
        }
        final double[] values;
        try {
            values = new ValueEvaluator(known, new SplittableRandom(0), "the refractory period of event '"
                    + e.name() + "'").evaluate(e.refractory(), members, 1);
        } catch (OdeException ex) {
            return;     // not made of known numbers: checked per member when the model is built
        }
        for (int m = 0; m < values.length; m++) {
            if (!(values[m] >= 0) || Double.isInfinite(values[m])) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "event '" + e.name() + "': the refractory period '"
                        + e.refractory().text() + "' is " + values[m] + (values.length == 1 ? "" : " for member " + m)
                        + "; it must be a finite number that is not negative");
            }
        }
    }

    /**
     * Adds an event without refractory period ({@link #event(EventSpec)}).
     *
     * @param eventName the event's name ({@code spike})
     * @param threshold the condition ({@code v > VT + 5 * DeltaT})
     * @param reset     the statements, separated by {@code ;} ({@code v = Vr; w += b}; blank for none)
     * @return this builder
     * @throws OdeException naming the event and the statement or part at fault
     * @since 0.4
     */
    public ModelBuilder event(final String eventName, final String threshold, final String reset) {
        final EventSpec e;
        try {
            e = new EventSpec(eventName, ExprText.parse(threshold), StatementSpec.parseAll(reset),
                              new ExprSpec.Num(0.0), Detection.AUTO);
        } catch (OdeException ex) {
            throw new OdeException(ex, ErrorCode.INVALID_ARGUMENT, "event '" + eventName + "': " + ex.getMessage());
        }
        return event(e);
    }

    private static void stateOnly(final Var v, final String what) {
        if (!v.isState()) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "'" + v.name() + "' is " + (v.isInput() ? "an input: "
                    + "inputs" : "a parameter: parameters") + " are not integrated and take no "
                    + what.replaceFirst("^a ", ""));
        }
    }

    private static void notParameter(final Var v) {
        if (v.isParameter()) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "'" + v.name() + "' is a parameter: its values are "
                    + "given when it is declared (param) or with Model.withParameter");
        }
    }

    // ------------------------------------------------------------------ fragments

    /**
     * Adds a part of a model: its variables, parameters, named subexpressions, equations, noise terms and
     * thresholds, in that order, each checked as if declared by hand. Its expressions may use the names this
     * builder declared before (and the fragment's own); its name and time unit are not used.
     *
     * <pre>{@code
     * static final ExprSpec LEAK = ExprSpec.parse("(E_L - v) / tau");
     *
     * static ModelSpec leak(String v, int n) {           // a leaky membrane on v
     *     return ModelSpec.fragment("leak " + v)
     *             .withVariable(VariableSpec.state(v, n, 1, "mV"))
     *             .withEquation(v, LEAK.rename(Map.of("v", v)));
     * }
     * b.param("E_L", -65.0); b.param("tau", 10.0);
     * b.add(leak("v", 100)).add(leak("w", 20));
     * }</pre>
     *
     * @param fragment the part
     * @return this builder
     * @throws OdeException naming the fragment and what clashes (a name the model already has, a second
     *                      equation for a variable) or is wrong; the builder is then as it was before
     */
    public ModelBuilder add(final ModelSpec fragment) {
        final Mark mark = new Mark();
        try {
            replay(fragment);
        } catch (OdeException e) {
            final String message = explain(e);
            mark.restore();
            throw new OdeException(e, ErrorCode.INVALID_ARGUMENT, "adding fragment '" + fragment.name()
                    + "' to model '" + name + "': " + message);
        }
        return this;
    }

    /** What the builder holds at one moment, to undo a fragment that fails half-way ({@link #add(ModelSpec)}). */
    private final class Mark {
        private final int symbolCount = symbols.size();
        private final int variableCount = variables.size();
        private final int parameterCount = parameters.size();
        private final int letCount = lets.size();
        private final int equationCount = equations.size();
        private final int noiseCount = noise.size();
        private final int thresholdCount = thresholds.size();
        private final int eventCount = events.size();
        private final long elementCount = elements;
        private final long constantCount = constants;
        private final long scratchCount = scratch;

        void restore() {
            final List<String> added = new ArrayList<>(symbols.keySet()).subList(symbolCount, symbols.size());
            for (final String n : added) {
                symbols.remove(n);
                variableIndex.remove(n);
            }
            while (vars.size() > 0 && !symbols.containsKey(vars.get(vars.size() - 1).name())) {
                vars.remove(vars.size() - 1);
            }
            for (final EquationSpec e : equations.subList(equationCount, equations.size())) {
                withEquation.remove(e.variable());
            }
            variables.subList(variableCount, variables.size()).clear();
            parameters.subList(parameterCount, parameters.size()).clear();
            lets.subList(letCount, lets.size()).clear();
            equations.subList(equationCount, equations.size()).clear();
            noise.subList(noiseCount, noise.size()).clear();
            thresholds.subList(thresholdCount, thresholds.size()).clear();
            events.subList(eventCount, events.size()).clear();
            elements = elementCount;
            constants = constantCount;
            scratch = scratchCount;
            resolver.forget();
        }
    }

    /** The message of an error while adding declarations, with what a clashing name already is. */
    private String explain(final OdeException e) {
        if (e.code() == ErrorCode.DUPLICATE_NAME && e.getMessage().startsWith("name 'equation of ")) {
            final String v = e.getMessage().substring(18, e.getMessage().indexOf('\'', 18));
            return "a second equation for '" + v + "', which has one already";
        }
        if (e.code() == ErrorCode.DUPLICATE_NAME && e.getMessage().startsWith("name '")) {
            final String n = e.getMessage().substring(6, e.getMessage().indexOf('\'', 6));
            final String what = describe(n);
            if (what != null) {
                return e.getMessage() + " (" + what + ")";
            }
        }
        return e.getMessage();
    }

    /** @return what a declared name is ("a state variable of the model"), null if not declared */
    private String describe(final String n) {
        final Expr e = symbols.get(n);
        if (e instanceof Var v) {
            return (v.isInput() ? "an input" : v.isParameter() ? "a parameter" : "a state variable") + " of model '"
                    + name + "'";
        }
        if (e instanceof Nodes.Param) {
            return "a parameter of model '" + name + "'";
        }
        if (e instanceof Nodes.Let) {
            return "a named subexpression of model '" + name + "'";
        }
        return "t".equals(n) ? "the time" : null;
    }

    private void replay(final ModelSpec spec) {
        for (final VariableSpec v : spec.variables()) {
            add(v);
        }
        for (final ParameterSpec p : spec.parameters()) {
            add(p);
        }
        for (final LetSpec l : spec.lets()) {
            checkName(l.name());
            let(l.name(), resolver.forBlock(-1, -1).resolve(l.body(), "named subexpression '" + l.name() + "'"), l.body());
        }
        for (final EquationSpec e : spec.equations()) {
            add(e.variable(), e.rhs());
            if (e.unlessRefractory()) {
                unlessRefractory(variable(e.variable()));
            }
        }
        for (final NoiseSpec n : spec.noise()) {
            noise(variable(n.variable()), n.sigma());
        }
        for (final ThresholdSpec t : spec.thresholds()) {
            threshold(variable(t.variable()), t.threshold(), t.reset(), t.refractory(), t.detection());
        }
        for (final PopulationSpec p : spec.populations()) {
            population(p);
        }
        for (final EventSpec e : spec.events()) {
            event(e);
        }
        for (final ProjectionSpec p : spec.projections()) {
            projection(p);
        }
    }

    /**
     * Declares a variable as its specification says.
     *
     * @param v the variable
     * @return the declared variable
     */
    Var add(final VariableSpec v) {
        final Var var = declare(v.name(), v.rows(), v.cols(), v.unit(),
                                v.kind() == VariableKind.INPUT ? Var.Role.INPUT : Var.Role.STATE);
        if (v.initial() instanceof ValueSpec.Values values) {
            if (values.size() == 1) {
                initial(var, values.get(0));
            } else {
                initial(var, values.values());
            }
        } else {
            setVariable(variableSpec(var).withInitial(v.initial()));
        }
        if (v.scale() != 1.0) {
            scale(var, v.scale());
        }
        return var;
    }

    /**
     * Declares a parameter as its specification says: a scalar, or a vector or matrix of constants (numbers, or an
     * expression evaluated per element when the model is built).
     *
     * @param p the parameter
     * @return the parameter as an expression
     */
    Expr add(final ParameterSpec p) {
        if (p.rows() != 1 || p.cols() != 1) {
            if (p.value() instanceof ValueSpec.Values v) {
                return param(p.name(), p.rows(), p.cols(), v.values(), p.unit());
            }
            checkName(p.name());
            return arrayParameter(p.name(), p.rows(), p.cols(), checkUnit("parameter '" + p.name() + "'", p.unit()),
                                  p.value());
        }
        if (p.value() instanceof ValueSpec.Expression x) {
            return param(p.name(), x.expression().text(), p.unit());
        }
        final ValueSpec.Values values = (ValueSpec.Values) p.value();
        if (values.size() != 1) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "the value of parameter '" + p.name() + "' must be "
                    + "one number");
        }
        return param(p.name(), values.get(0), p.unit());
    }

    /**
     * Sets the equation of a declared state variable from a tree.
     *
     * @param variable the variable's name
     * @param rhs      the right-hand side
     * @return this builder
     */
    ModelBuilder add(final String variable, final ExprSpec rhs) {
        final Var v = variable(variable);
        final ExprSpec drift = withoutNoise(v, rhs);
        return ode(v, resolver.forBlock(v.rows(), v.cols()).resolve(drift, "the equation of '" + variable + "'"),
                   drift);
    }

    // ------------------------------------------------------------------ build

    /**
     * What has been declared so far, as data.
     *
     * @return the specification
     */
    public ModelSpec spec() {
        return new ModelSpec(name, timeUnit, variables, parameters, lets, equations, noise, thresholds, events,
                             populations, projections);
    }

    /**
     * The state layout the built model will have, without compiling it: the state variables (inputs are not
     * integrated; see {@link #inputLayout()}).
     *
     * @return the layout of the state variables declared so far
     * @since 0.3
     */
    public StateLayout layout() {
        return ResolvedModel.layout(spec());
    }

    /**
     * The layout of the inputs the built model will have, without compiling it.
     *
     * @return the layout of the inputs declared so far
     * @since 0.3
     */
    public StateLayout inputLayout() {
        return ResolvedModel.inputLayout(spec());
    }

    /**
     * Compiles the model.
     *
     * @return the model ({@link Model#spec()} is {@link #spec()})
     * @throws OdeException if a state variable has no equation, or compilation fails
     */
    public Model build() {
        if (built) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "ModelBuilder '" + name + "' was already built");
        }
        requireEquations();
        built = true;
        return compile(spec(), seed);
    }

    private void requireEquations() {
        for (final Var v : vars) {
            if (!v.isInput() && !withEquation.contains(v.name())) {
                throw new OdeException(ErrorCode.MISSING_EQUATION, v.name());
            }
        }
    }

    /**
     * Compiles a specification that a builder has checked (its declarations are not checked again).
     *
     * @param spec the model
     * @return the model
     */
    private static Model compile(final ModelSpec spec, final long seed) {
        // units: checked once, values with units converted to the declared ones (nothing at run time)
        final ModelUnits units = UnitCheck.check(spec);
        final ModelSpec checked = units.apply(spec);
        final EquationCompiler compiler = new EquationCompiler(spec);
        final EquationCompiler.Compiled<LinearSplitEquation> compiled = compiler.compile();
        final FusedSteps steps = new FusedSteps(spec);
        // generated on request only: most runs never ask for a Jacobian
        final ModelJacobian jacobian = new ModelJacobian(spec);
        final StateLayout layout = compiler.layout();
        final StateLayout inputLayout = compiler.inputLayout();
        final Map<String, Double> values = new LinkedHashMap<>();
        // one generator for all values, drawn in declaration order: a seed gives the same model everywhere
        final SplittableRandom random = new SplittableRandom(seed);
        Parameters params = Parameters.empty();
        for (final ParameterSpec p : checked.parameters()) {
            if (p.rows() == 1 && p.cols() == 1) {
                final double v = p.value() instanceof ValueSpec.Values n ? n.get(0)
                        : new ValueEvaluator(values, random, "the value of parameter '" + p.name() + "'")
                                .evaluate(((ValueSpec.Expression) p.value()).expression(), 1, 1)[0];
                values.put(p.name(), v);
                params = params.with(p.name(), v);
            } else {
                params = params.withArray(p.name(), p.rows(), p.cols(), evaluate(p.value(), p.rows(), p.cols(),
                        values, random, "the value of parameter '" + p.name() + "'"));
            }
        }
        final double[] y0 = new double[layout.dimension()];
        final double[] u0 = new double[inputLayout.dimension()];
        for (final VariableSpec v : checked.variables()) {
            final boolean input = v.kind() == VariableKind.INPUT;
            final StateLayout.Block b = (input ? inputLayout : layout).block(v.name());
            System.arraycopy(evaluate(v.initial(), v.rows(), v.cols(), values, random, "the initial value of '"
                    + v.name() + "'"), 0, input ? u0 : y0, b.offset(), b.size());
        }
        final List<EventDetector> events = new ArrayList<>();
        for (final ThresholdSpec t : spec.thresholds()) {
            events.add(ThresholdEvent.of(layout.block(t.variable()), t.threshold(), t.reset())
                    .withRefractory(t.refractory()).withDetection(t.detection())
                    .withName(spec.thresholds().size() == 1 ? "spike" : "spike_" + t.variable()));
        }
        final ParameterPack pack = new ParameterPack(spec, compiler.parameterOffsets(), compiler.parameterLength());
        events.addAll(compileEvents(spec, units, layout, inputLayout, compiler.parameterOffsets(), pack, params, u0));
        events.addAll(spikeSources(spec, units, values, seed));
        final List<Projection> synapses = compileProjections(spec, units, layout, inputLayout,
                compiler.parameterOffsets(), pack, params, u0, values, seed);
        final List<NoiseTerm> terms = new ArrayList<>();
        for (final NoiseSpec n : spec.noise()) {
            terms.add(new NoiseTerm(n.variable(), n.sigma()));
        }
        // all at once: adding them one by one would copy the model (and its initial state) each time
        return Model.of(spec, layout, inputLayout, params, p -> compiled.newInstance(pack.pack(p), steps, jacobian),
                        y0, u0, events, terms, synapses);
    }

    /**
     * Compiles the events with conditions and statements, their refractory periods converted to the time unit,
     * and checks that detector names are unique (a threshold of the first form is named {@code spike}, or
     * {@code spike_v} if there are several).
     */
    private static List<EventDetector> compileEvents(final ModelSpec spec, final ModelUnits units,
                                                     final StateLayout layout, final StateLayout inputLayout,
                                                     final Map<String, Integer> offsets, final ParameterPack pack,
                                                     final Parameters params, final double[] u0) {
        final java.util.Set<String> names = new java.util.HashSet<>();
        for (final ThresholdSpec t : spec.thresholds()) {
            names.add(spec.thresholds().size() == 1 ? "spike" : "spike_" + t.variable());
        }
        final List<ExprSpec> refractory = new ArrayList<>();
        for (final EventSpec e : spec.events()) {
            if (!names.add(e.name())) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "event '" + e.name() + "' has the name of the "
                        + "threshold event of model '" + spec.name() + "'; give it another name");
            }
            refractory.add(units.time().isEmpty() ? e.refractory() : units.convert(e.refractory(),
                    units.time().get(), "in event " + e.name() + ": refractory " + e.refractory().text()));
        }
        return EventCompiler.compile(spec, refractory, layout, inputLayout, offsets, pack::pack, params, u0);
    }

    /**
     * Draws the synapses of each projection (one generator per projection, from the model's seed and the
     * projection's position), evaluates their variables and delays (units converted) and compiles the statements.
     */
    private static List<Projection> compileProjections(final ModelSpec spec, final ModelUnits units,
                                                       final StateLayout layout, final StateLayout inputLayout,
                                                       final Map<String, Integer> offsets,
                                                       final ParameterPack pack, final Parameters params,
                                                       final double[] u0, final Map<String, Double> values,
                                                       final long seed) {
        if (spec.projections().isEmpty()) {
            return List.of();
        }
        final List<SynapseCompiler.Checked> checked = new ArrayList<>();
        final List<SynapseCompiler.Connectivity> conns = new ArrayList<>();
        final List<double[][]> initial = new ArrayList<>();
        final boolean withUnits = units.time().isPresent();
        for (int k = 0; k < spec.projections().size(); k++) {
            ProjectionSpec p = spec.projections().get(k);
            final String what = "projection " + p.name();
            if (withUnits && !p.hasNoDelay()) {
                final ExprSpec d = unitConvertible(p.delay(), p) ? units.convert(p.delay(), units.time().get(),
                        "in " + what + ": delay " + p.delay().text()) : p.delay();
                p = new ProjectionSpec(p.name(), p.source(), p.sourceFrom(), p.sourceTo(), p.event(), p.target(),
                        p.targetFrom(), p.targetTo(), p.connect(), p.variables(), p.onPre(), d, p.onPost(),
                        p.summed(), p.postEvent());
            }
            final SynapseCompiler.Checked c = SynapseCompiler.check(p, spec);
            if (c.delay() == null) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, what + ": the delay '" + p.delay().text()
                        + "' uses units, but the model is unit-free: write it as a number in the time unit");
            }
            final List<ValueSpec> vs = new ArrayList<>();
            for (final SynapseVariableSpec v : p.variables()) {
                ValueSpec value = v.initial();
                if (withUnits && value instanceof ValueSpec.Expression x && !v.unit().isBlank()) {
                    value = new ValueSpec.Expression(units.convert(x.expression(), org.neurode.core.units.Unit.parse(
                            v.unit(), "unit of synapse variable '" + v.name() + "'"), "in " + what
                            + ": the value of " + v.name()));
                }
                vs.add(value);
            }
            final SplittableRandom random = new SplittableRandom(projectionSeed(seed, k));
            final SynapseCompiler.Connectivity conn = SynapseCompiler.connect(c, values, random);
            checked.add(c);
            conns.add(conn);
            initial.add(SynapseCompiler.initialValues(c, vs, conn, values, random));
        }
        return SynapseCompiler.compile(checked, conns, initial, spec.name(), layout, inputLayout, offsets, pack::pack,
                params, u0);
    }

    /**
     * The Poisson groups and spike generators as detectors named after them, in declaration order; the rates in
     * 1 / time unit, evaluated per member ({@code i}, {@code N}), drawn from a generator per group.
     */
    private static List<EventDetector> spikeSources(final ModelSpec spec, final ModelUnits units,
                                                    final Map<String, Double> values, final long seed) {
        final List<EventDetector> out = new ArrayList<>();
        for (int k = 0; k < spec.populations().size(); k++) {
            final PopulationSpec p = spec.populations().get(k);
            if (p.kind() == PopulationSpec.Kind.POISSON) {
                ExprSpec rate = p.rate();
                if (units.time().isPresent()) {
                    rate = units.convert(rate, org.neurode.core.units.Unit.ONE.dividedBy(units.time().get()),
                            "in population " + p.name() + ": rate " + rate.text());
                }
                final SplittableRandom random = new SplittableRandom(projectionSeed(~seed, k));
                final String what = "the rate of Poisson group '" + p.name() + "'";
                if (ValueEvaluator.mentions(rate, "t")) {
                    out.add(new SpikeSources.Poisson(p.name(), p.size(), rate, Map.copyOf(values), what,
                            random.nextLong()));
                } else {
                    final double[] r = new ValueEvaluator(values, random, what).evaluate(rate, p.size(), 1);
                    out.add(new SpikeSources.Poisson(p.name(), r, random.nextLong()));
                }
            } else if (p.kind() == PopulationSpec.Kind.GENERATOR) {
                out.add(new SpikeSources.Generator(p.name(), p.size(), p.indices(), p.times()));
            }
        }
        return out;
    }

    /**
     * The seed of projection k's generator: the model's seed and k mixed (MurmurHash3's finalizer), so that
     * neighbouring seeds give unrelated synapses (SplittableRandom's own seeds step by its gamma: seed + gamma
     * would only shift the sequence by one draw).
     */
    static long projectionSeed(final long seed, final int k) {
        return EventCompiler.mix(seed * 0xBF58476D1CE4E5B9L + (k + 1) * 0x94D049BB133111EBL);
    }

    /** A delay of numbers, parameters and units only (no synapse variable, i or j) can be converted to time. */
    private static boolean unitConvertible(final ExprSpec delay, final ProjectionSpec p) {
        final List<String> names = new ArrayList<>();
        SynapseCompiler.names(delay, names);
        for (final String n : names) {
            if ("i".equals(n) || "j".equals(n) || p.variables().stream().anyMatch(v -> v.name().equals(n))) {
                return false;
            }
        }
        return true;
    }

    /** The elements of a value of a block: its numbers (one repeated for all), or its expression per element. */
    private static double[] evaluate(final ValueSpec value, final int rows, final int cols,
                                     final Map<String, Double> parameters, final SplittableRandom random,
                                     final String where) {
        if (value instanceof ValueSpec.Expression x) {
            return new ValueEvaluator(parameters, random, where).evaluate(x.expression(), rows, cols);
        }
        final ValueSpec.Values v = (ValueSpec.Values) value;
        if (v.size() != 1) {
            return v.values();
        }
        final double[] all = new double[rows * cols];
        java.util.Arrays.fill(all, v.get(0));
        return all;
    }

    /**
     * The Java source {@link #build()} would compile, with the class named {@code Generated} (to read what the
     * compiler makes of the equations, or to compare two models; {@code -Dneurode.generated.dir=DIR} keeps the
     * source of every model compiled).
     *
     * @return the source
     * @throws OdeException if a state variable has no equation
     * @since 0.3
     */
    public String generatedSource() {
        requireEquations();
        return new EquationCompiler(spec()).source("Generated");
    }

    /**
     * The Java source of the fused step a solver's rule gets from this model ({@link Model#equation()}'s
     * {@code fusedStep}), for inspection, like {@link #generatedSource()}.
     *
     * @param rule the solver's step (e.g. {@code ExponentialEulerSolver.RULE} of the solvers module)
     * @return the source of the step class, named {@code GeneratedStep}
     * @throws OdeException if a state has no equation
     */
    public String generatedSource(final StepRule rule) {
        requireEquations();
        return new EquationCompiler(spec()).stepSource("GeneratedStep", rule);
    }

    /**
     * Packs parameters into the one array compiled code reads: each scalar at its index in the specification,
     * then each array at the offset the compiler gave it. Packed once per {@link Parameters} object and shared,
     * read-only, by the equations made from it (a model's parameters are immutable), so a model with a large
     * parameter matrix does not copy it for every run.
     */
    private static final class ParameterPack {
        private final String model;
        private final List<ParameterSpec> declared;
        private final Map<String, Integer> offsets;
        private final int length;
        /** The parameters packed last and their packed values (replaced, never modified). */
        private volatile Packed last;

        ParameterPack(final ModelSpec spec, final Map<String, Integer> offsets, final int length) {
            this.model = spec.name();
            this.declared = spec.parameters();
            this.offsets = offsets;
            this.length = length;
        }

        double[] pack(final Parameters p) {
            final Packed known = last;
            if (known != null && known.parameters() == p) {
                return known.values();
            }
            final double[] values = new double[length];
            for (int i = 0; i < declared.size(); i++) {
                final ParameterSpec d = declared.get(i);
                final String n = d.name();
                final boolean array = d.rows() != 1 || d.cols() != 1;
                if (!p.has(n) || p.isArray(n) != array || p.rows(n) != d.rows() || p.cols(n) != d.cols()) {
                    throw new OdeException(ErrorCode.INVALID_ARGUMENT, "model '" + model + "' reads parameter '"
                            + n + "' as " + (array ? "a " + d.rows() + "x" + d.cols() + " array" : "a scalar")
                            + ", but the parameters " + (p.has(n) ? "give " + (p.isArray(n) ? "a " + p.rows(n) + "x"
                            + p.cols(n) + " array" : "a scalar") : "do not have it"));
                }
                if (array) {
                    p.copyArray(n, values, offsets.get(n));
                } else {
                    values[i] = p.get(n);
                }
            }
            last = new Packed(p, values);
            return values;
        }
    }

    /** Parameters and their packed values. */
    private record Packed(Parameters parameters, double[] values) {
    }

    private static String checkUnit(final String what, final String unit) {
        if (unit == null) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "the unit of " + what + " is null (give \"\" for "
                    + "none)");
        }
        return unit;
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
        return checkSize(what, rows, cols, declared, STATE_COPIES);
    }

    /**
     * {@link #checkSize(String, long, long, long)} for arrays kept in {@code copies} copies (inputs and
     * parameters: {@link #CONSTANT_COPIES}).
     *
     * @param what     the variable name
     * @param rows     rows as declared
     * @param cols     columns as declared
     * @param declared elements of the same kind declared before
     * @param copies   copies of 8 bytes per element the model keeps
     * @return the elements declared including this one
     */
    static long checkSize(final String what, final long rows, final long cols, final long declared,
                          final int copies) {
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
        checkMemory("'" + what + "' (" + size + " elements)", total, copies);
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
            final List<Expr> ops = Nodes.operands(n);
            for (int k = ops.size() - 1; k >= 0; k--) {
                stack.push(ops.get(k));
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
        if (ExprText.isKeyword(n)) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "name '" + n + "' is a word of the expression "
                    + "language (and, or, not)");
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
}
