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
import org.neurode.core.spec.EquationSpec;
import org.neurode.core.spec.ExprSpec;
import org.neurode.core.spec.ExprText;
import org.neurode.core.spec.LetSpec;
import org.neurode.core.spec.ModelSpec;
import org.neurode.core.spec.NoiseSpec;
import org.neurode.core.spec.ParameterSpec;
import org.neurode.core.spec.ThresholdSpec;
import org.neurode.core.spec.ValueSpec;
import org.neurode.core.spec.VariableKind;
import org.neurode.core.spec.VariableSpec;

/**
 * Scripts a model: declare variables (scalars, vectors for populations, matrices for plastic weights),
 * inputs and parameters, then give each variable its differential equation, either as an {@link Expr}
 * or as text such as {@code "(W @ x - vB) / tauB"}. What is declared is a {@link ModelSpec} ({@link #spec()}),
 * checked as it is given (names, shapes, sizes); {@link #build()} compiles it to Java bytecode (one fused loop
 * per variable) and derives the equations' diagonal linear part for exponential integrators.
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
    /** Expressions given as {@link Expr} become trees here (one converter: shared parts stay shared). */
    private final ExprToSpec converter = new ExprToSpec(symbols);
    /** Trees become shape-checked expressions here. */
    private final Resolver resolver = new Resolver(symbols);
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
        final String u = checkUnit("'" + varName + "'", unit);
        elements = checkSize(varName, rows, cols, elements);
        final Var v = new Var(varName, rows, cols, u, isInput);
        vars.add(v);
        symbols.put(varName, v);
        variableIndex.put(varName, variables.size());
        variables.add(isInput ? VariableSpec.input(varName, rows, cols, u) : VariableSpec.state(varName, rows, cols, u));
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
     * Names a subexpression; it is computed once per right-hand-side evaluation and usable by name in
     * later text.
     *
     * @param letName name
     * @param body    the expression
     * @return the named expression
     */
    public Expr let(final String letName, final Expr body) {
        checkName(letName);
        return let(letName, body, converter.convert(body, "named subexpression '" + letName + "'"));
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
        final Expr body = resolver.resolve(text);
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
        return resolver.resolve(ExprText.parse(text, null));
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
        if (v.isInput()) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "'" + v.name()
                    + "' is an input: inputs have no equation");
        }
        if (!rhs.isScalar() && (rhs.rows() != v.rows() || rhs.cols() != v.cols())) {
            throw new OdeException(ErrorCode.SHAPE_MISMATCH, "equation of '" + v.name() + "'", v.shape(),
                                   rhs.shape(), "d" + v.name() + "/dt = " + rhs.text());
        }
        if (withEquation.contains(v.name())) {
            throw new OdeException(ErrorCode.DUPLICATE_NAME, "equation of " + v.name());
        }
        final ExprSpec t = tree != null ? tree : converter.convert(rhs, "the equation of '" + v.name() + "'");
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
        return ode(v, ExprText.parse(rhs, "the equation of '" + v.name() + "' of model '" + name + "'"));
    }

    /** An equation from parsed text (errors name the column). */
    ModelBuilder ode(final Var v, final ExprText.Parsed rhs) {
        return ode(v, resolver.resolve(rhs), rhs.tree());
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
     * @param v     a variable
     * @param value initial value of every element
     * @return this builder
     */
    public ModelBuilder initial(final Var v, final double value) {
        own(v);
        return setVariable(variableSpec(v).withInitial(ValueSpec.Values.of(value)));
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
        if (v.isInput()) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "'" + v.name() + "' is an input: inputs are not "
                    + "integrated and take no tolerance scale");
        }
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

    private static void stateOnly(final Var v, final String what) {
        if (v.isInput()) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "'" + v.name() + "' is an input: inputs are not "
                    + "integrated and take no " + what.replaceFirst("^a ", ""));
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
        private final long elementCount = elements;
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
            elements = elementCount;
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
            return (v.isInput() ? "an input" : "a state variable") + " of model '" + name + "'";
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
            let(l.name(), resolver.resolve(l.body(), "named subexpression '" + l.name() + "'"), l.body());
        }
        for (final EquationSpec e : spec.equations()) {
            add(e.variable(), e.rhs());
        }
        for (final NoiseSpec n : spec.noise()) {
            noise(variable(n.variable()), n.sigma());
        }
        for (final ThresholdSpec t : spec.thresholds()) {
            threshold(variable(t.variable()), t.threshold(), t.reset(), t.refractory(), t.detection());
        }
    }

    /**
     * Declares a variable as its specification says.
     *
     * @param v the variable
     * @return the declared variable
     */
    Var add(final VariableSpec v) {
        final boolean input = v.kind() == VariableKind.INPUT;
        final Var var = declare(v.name(), v.rows(), v.cols(), v.unit(), input);
        if (v.initial() instanceof ValueSpec.Values values) {
            if (values.size() == 1) {
                initial(var, values.get(0));
            } else {
                initial(var, values.values());
            }
        } else {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "the initial value of '" + v.name() + "' is an "
                    + "expression, which cannot be evaluated yet: give numbers");
        }
        if (v.scale() != 1.0) {
            scale(var, v.scale());
        }
        return var;
    }

    /**
     * Declares a parameter as its specification says (scalars only).
     *
     * @param p the parameter
     * @return the parameter as an expression
     */
    Expr add(final ParameterSpec p) {
        if (p.rows() != 1 || p.cols() != 1) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "parameter '" + p.name() + "' is "
                    + (p.cols() == 1 ? p.rows() + " elements" : p.rows() + "x" + p.cols()) + ": vector and matrix "
                    + "parameters cannot be compiled yet (declare it as an input)");
        }
        if (!(p.value() instanceof ValueSpec.Values values) || values.size() != 1) {
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
        return ode(v, resolver.resolve(rhs, "the equation of '" + variable + "'"), rhs);
    }

    // ------------------------------------------------------------------ build

    /**
     * What has been declared so far, as data.
     *
     * @return the specification
     */
    public ModelSpec spec() {
        return new ModelSpec(name, timeUnit, variables, parameters, lets, equations, noise, thresholds);
    }

    /**
     * The state layout the built model will have (inputs included), without compiling it.
     *
     * @return the layout of the variables declared so far
     * @since 0.3
     */
    public StateLayout layout() {
        return EquationCompiler.layout(spec());
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
        return compile(spec());
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
    private static Model compile(final ModelSpec spec) {
        final EquationCompiler compiler = new EquationCompiler(spec);
        final EquationCompiler.Compiled compiled = compiler.compile();
        final StateLayout layout = compiler.layout();
        final Map<String, Double> values = new LinkedHashMap<>();
        final String[] pNames = new String[spec.parameters().size()];
        for (int i = 0; i < pNames.length; i++) {
            final ParameterSpec p = spec.parameters().get(i);
            pNames[i] = p.name();
            values.put(p.name(), ((ValueSpec.Values) p.value()).get(0));
        }
        final Parameters params = Parameters.of(values);
        final double[] y0 = new double[layout.dimension()];
        for (final VariableSpec v : spec.variables()) {
            final StateLayout.Block b = layout.block(v.name());
            final ValueSpec.Values init = (ValueSpec.Values) v.initial();
            if (init.size() == 1) {
                java.util.Arrays.fill(y0, b.offset(), b.offset() + b.size(), init.get(0));
            } else {
                System.arraycopy(init.values(), 0, y0, b.offset(), b.size());
            }
        }
        final List<EventDetector> events = new ArrayList<>();
        for (final ThresholdSpec t : spec.thresholds()) {
            events.add(ThresholdEvent.of(layout.block(t.variable()), t.threshold(), t.reset())
                    .withRefractory(t.refractory()).withDetection(t.detection())
                    .withName(spec.thresholds().size() == 1 ? "spike" : "spike_" + t.variable()));
        }
        final List<NoiseTerm> terms = new ArrayList<>();
        for (final NoiseSpec n : spec.noise()) {
            terms.add(new NoiseTerm(n.variable(), n.sigma()));
        }
        // all at once: adding them one by one would copy the model (and its initial state) each time
        return Model.of(spec, layout, params, p -> instantiate(compiled, pNames, p), y0, events, terms);
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

    private static ExponentialEulerKernel instantiate(final EquationCompiler.Compiled compiled,
                                                   final String[] names, final Parameters p) {
        final double[] values = new double[names.length];
        for (int i = 0; i < names.length; i++) {
            values[i] = p.get(names[i]);
        }
        return compiled.newInstance(values);
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
