package org.neurode.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.neurode.core.spec.ModelSpec;
import org.neurode.core.spec.NoiseSpec;
import org.neurode.core.spec.ParameterSpec;
import org.neurode.core.spec.ValueSpec;
import org.neurode.core.spec.VariableKind;
import org.neurode.core.spec.VariableSpec;

/**
 * A model: state layout, input layout, parameters, the equation (made fresh per solve by an
 * {@link EquationFactory}), the default initial state and inputs, events (threshold/reset) and white-noise
 * terms. Immutable; variants via {@code with*}. A model compiled from equations also carries its specification
 * ({@link #spec()}), which the variants keep up to date.
 *
 * <p>Three kinds of values, and only the first is integrated:
 * <ul>
 * <li>the state ({@link #layout()}, {@link #dimension()} elements): variables with a differential equation,
 * which solvers step, estimate errors of and differentiate;</li>
 * <li>inputs ({@link #inputLayout()}): piecewise-constant values the equation reads from a buffer of its own
 * ({@link Equation#inputs()}), set by input schedules ({@link InputSchedule}) and by experiments between
 * segments ({@code Simulation.setBlock}); their defaults are {@link #initialInputs()};</li>
 * <li>parameters ({@link #parameters()}): scalars and per-element arrays fixed for a run, set with
 * {@link #withParameter(String, double)} and {@link #withParameter(String, double[])}.</li>
 * </ul>
 * Names are unique across the three.
 *
 * @since 0.1
 */
public final class Model {

    private static final StateLayout NO_INPUTS = StateLayout.builder().build();

    private final String name;
    private final StateLayout layout;
    private final StateLayout inputLayout;
    private final Parameters parameters;
    private final EquationFactory factory;
    private final double[] initialState;
    private final double[] initialInputs;
    private final List<EventDetector> events;
    private final List<NoiseTerm> noise;
    /** Synapses between populations (compiled from the spec's projections). */
    private final List<Projection> projections;
    /** What the model was compiled from (null for a model made by hand). */
    private final ModelSpec spec;

    private Model(final ModelSpec spec, final String name, final StateLayout layout, final StateLayout inputLayout,
                  final Parameters parameters, final EquationFactory factory, final double[] initialState,
                  final double[] initialInputs, final List<EventDetector> events, final List<NoiseTerm> noise,
                  final List<Projection> projections) {
        this.spec = spec;
        this.projections = List.copyOf(projections);
        this.name = name;
        this.layout = layout;
        this.inputLayout = inputLayout;
        this.parameters = parameters;
        this.factory = factory;
        this.initialState = Checks.finiteArray("initial state of model '" + name + "'", initialState,
                                               layout.dimension()).clone();
        this.initialInputs = Checks.finiteArray("inputs of model '" + name + "'", initialInputs,
                                                inputLayout.dimension()).clone();
        this.events = List.copyOf(events);
        this.noise = List.copyOf(noise);
        for (final StateLayout.Block b : layout.blocks()) {
            if (b.input()) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "the state layout of model '" + name
                        + "' declares the input block '" + b.name() + "': inputs are not integrated; give them in the"
                        + " model's input layout");
            }
        }
        for (final StateLayout.Block b : inputLayout.blocks()) {
            if (!b.input()) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "the input layout of model '" + name
                        + "' declares '" + b.name() + "' as a state block (declare it with StateLayout.Builder.input)");
            }
            if (layout.has(b.name())) {
                throw new OdeException(ErrorCode.DUPLICATE_NAME, b.name());
            }
        }
        for (final NoiseTerm n : noise) {
            layout.block(n.block());
        }
    }

    /** A variant of this model with other values. */
    private Model with(final ModelSpec s, final String newName, final Parameters p, final double[] y0,
                       final double[] u0, final List<EventDetector> e, final List<NoiseTerm> n) {
        return new Model(s, newName, layout, inputLayout, p, factory, y0, u0, e, n, projections);
    }

    /**
     * @param name         model name
     * @param layout       state layout
     * @param parameters   parameter values
     * @param factory      creates the equation for given parameters
     * @param initialState default initial state (copied)
     * @return the model, without inputs, events or noise
     */
    public static Model of(final String name, final StateLayout layout, final Parameters parameters,
                           final EquationFactory factory, final double[] initialState) {
        return new Model(null, name, layout, NO_INPUTS, parameters, factory, initialState, new double[0], List.of(),
                         List.of(), List.of());
    }

    /**
     * A model with its events and noise terms at once (adding them one by one copies the model each time).
     *
     * @param name         model name
     * @param layout       state layout
     * @param parameters   parameter values
     * @param factory      creates the equation for given parameters
     * @param initialState default initial state (copied)
     * @param events       event detectors (copied)
     * @param noise        noise terms (copied)
     * @return the model, without inputs
     */
    public static Model of(final String name, final StateLayout layout, final Parameters parameters,
                           final EquationFactory factory, final double[] initialState,
                           final List<EventDetector> events, final List<NoiseTerm> noise) {
        return new Model(null, name, layout, NO_INPUTS, parameters, factory, initialState, new double[0], events,
                         noise, List.of());
    }

    /**
     * A model with inputs, events and noise terms. The factory's equations must return an input buffer of the
     * input layout's dimension ({@link Equation#inputs()}).
     *
     * @param name          model name
     * @param layout        state layout (no input blocks)
     * @param inputLayout   input layout (input blocks only; {@link StateLayout.Builder#input})
     * @param parameters    parameter values
     * @param factory       creates the equation for given parameters
     * @param initialState  default initial state (copied)
     * @param initialInputs default input values (copied; input layout dimension)
     * @param events        event detectors (copied)
     * @param noise         noise terms (copied)
     * @return the model
     * @since 0.3
     */
    public static Model of(final String name, final StateLayout layout, final StateLayout inputLayout,
                           final Parameters parameters, final EquationFactory factory, final double[] initialState,
                           final double[] initialInputs, final List<EventDetector> events,
                           final List<NoiseTerm> noise) {
        return new Model(null, name, layout, inputLayout, parameters, factory, initialState, initialInputs, events,
                         noise, List.of());
    }

    /**
     * A model compiled from its specification (what {@code ModelBuilder.build()} makes).
     *
     * @param spec          the specification the equation was compiled from (its name is the model's)
     * @param layout        state layout (the variables with an equation)
     * @param inputLayout   input layout
     * @param parameters    parameter values (those of the specification)
     * @param factory       creates the equation for given parameters
     * @param initialState  default initial state (copied; that of the specification)
     * @param initialInputs default input values (copied; those of the specification)
     * @param events        event detectors (copied)
     * @param noise         noise terms (copied)
     * @return the model
     * @since 0.3
     */
    public static Model of(final ModelSpec spec, final StateLayout layout, final StateLayout inputLayout,
                           final Parameters parameters, final EquationFactory factory, final double[] initialState,
                           final double[] initialInputs, final List<EventDetector> events,
                           final List<NoiseTerm> noise) {
        return new Model(java.util.Objects.requireNonNull(spec, "spec"), spec.name(), layout, inputLayout,
                         parameters, factory, initialState, initialInputs, events, noise, List.of());
    }

    /**
     * A model compiled from its specification, with the synapses of its projections.
     *
     * @param spec          the specification
     * @param layout        state layout
     * @param inputLayout   input layout
     * @param parameters    parameter values
     * @param factory       creates the equation for given parameters
     * @param initialState  default initial state (copied)
     * @param initialInputs default input values (copied)
     * @param events        event detectors (copied)
     * @param noise         noise terms (copied)
     * @param projections   synapses (copied); each names a detector of {@code events} as its source
     * @return the model
     * @since 0.5
     */
    public static Model of(final ModelSpec spec, final StateLayout layout, final StateLayout inputLayout,
                           final Parameters parameters, final EquationFactory factory, final double[] initialState,
                           final double[] initialInputs, final List<EventDetector> events,
                           final List<NoiseTerm> noise, final List<Projection> projections) {
        return new Model(java.util.Objects.requireNonNull(spec, "spec"), spec.name(), layout, inputLayout,
                         parameters, factory, initialState, initialInputs, events, noise, projections);
    }

    /**
     * @return the projections (synapses between populations), bound to the model's parameters; empty without
     * @since 0.5
     */
    public List<Projection> projections() {
        return projections;
    }

    /**
     * The specification of the model: variables, parameters, equations, noise and events as data (to print,
     * save or compose). The variants made with {@code with*} carry it along: new parameter values, initial
     * state, default inputs, noise and name are written into it. Empty for a model made by hand with
     * {@code Model.of} and an {@link EquationFactory}, and for a variant with an event detector added
     * ({@link #withEvent}), which a specification cannot describe.
     *
     * @return the specification, if the model has one
     * @since 0.3
     */
    public Optional<ModelSpec> spec() {
        return Optional.ofNullable(spec);
    }

    /** @return the model name */
    public String name() {
        return name;
    }

    /** @return the state layout: the integrated variables */
    public StateLayout layout() {
        return layout;
    }

    /** @return the input layout: blocks of piecewise-constant inputs, in their own buffer (may be empty) */
    public StateLayout inputLayout() {
        return inputLayout;
    }

    /** @return the parameter values */
    public Parameters parameters() {
        return parameters;
    }

    /** @return the state dimension: the number of integrated variables (inputs and parameters excluded) */
    public int dimension() {
        return layout.dimension();
    }

    /**
     * A state block or an input block by name ({@link StateLayout.Block#input()} tells which buffer its offset
     * is in).
     *
     * @param blockName a state variable or input name
     * @return the block
     * @throws OdeException naming the known variables and inputs if there is neither
     */
    public StateLayout.Block block(final String blockName) {
        if (layout.has(blockName)) {
            return layout.block(blockName);
        }
        if (inputLayout.has(blockName)) {
            return inputLayout.block(blockName);
        }
        final List<String> known = new ArrayList<>(layout.names());
        known.addAll(inputLayout.names());
        throw new OdeException(ErrorCode.UNKNOWN_VARIABLE, blockName, known.size() <= 30 ? String.join(", ", known)
                : String.join(", ", known.subList(0, 30)) + " and " + (known.size() - 30) + " more");
    }

    /**
     * Creates a fresh equation for the current parameters (not shared: safe to use on one thread), its input
     * buffer filled with the default inputs.
     *
     * @return the equation
     */
    public Equation equation() {
        final Equation e = factory.create(parameters);
        if (e.dimension() != layout.dimension()) {
            throw new OdeException(ErrorCode.DIMENSION_MISMATCH, "equation of model '" + name + "'",
                                   layout.dimension(), e.dimension());
        }
        final double[] in = e.inputs();
        if (in.length != inputLayout.dimension()) {
            throw new OdeException(ErrorCode.DIMENSION_MISMATCH, "input buffer of the equation of model '" + name
                    + "'", inputLayout.dimension(), in.length);
        }
        System.arraycopy(initialInputs, 0, in, 0, in.length);
        return e;
    }

    /** @return the equation factory */
    public EquationFactory equationFactory() {
        return factory;
    }

    /** @return a copy of the default initial state */
    public double[] initialState() {
        return initialState.clone();
    }

    /** @return a copy of the default input values (laid out by {@link #inputLayout()}) */
    public double[] initialInputs() {
        return initialInputs.clone();
    }

    /** @return event detectors (unmodifiable) */
    public List<EventDetector> events() {
        return events;
    }

    /** @return white-noise terms (unmodifiable) */
    public List<NoiseTerm> noise() {
        return noise;
    }

    /** @return true if any noise term has a positive amplitude */
    public boolean isStochastic() {
        for (final NoiseTerm n : noise) {
            if (n.sigma() > 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param p new parameters
     * @return a copy with those parameters
     */
    public Model withParameters(final Parameters p) {
        ModelSpec s = spec;
        if (s != null) {
            final List<ParameterSpec> ps = new ArrayList<>(s.parameters().size());
            for (final ParameterSpec q : s.parameters()) {
                ps.add(p.has(q.name()) ? withValue(q, p) : q);
            }
            s = s.withLists(s.variables(), ps, s.noise());
        }
        return with(s, name, p, initialState, initialInputs, events, noise);
    }

    /** The specification of a parameter with its value in {@code p} (itself if the value is the same). */
    private static ParameterSpec withValue(final ParameterSpec q, final Parameters p) {
        final String n = q.name();
        if (p.isArray(n)) {
            final double[] now = p.array(n);
            return q.rows() * q.cols() == now.length && initialIs(q.value(), now) ? q
                    : new ParameterSpec(n, q.rows(), q.cols(), q.unit(), values(now));
        }
        return q.rows() == 1 && q.cols() == 1 && initialIs(q.value(), new double[] {p.get(n)}) ? q
                : new ParameterSpec(n, q.rows(), q.cols(), q.unit(), ValueSpec.Values.of(p.get(n)));
    }

    /**
     * @param parameter an existing scalar parameter name
     * @param value     its new value
     * @return a copy with that value
     */
    public Model withParameter(final String parameter, final double value) {
        return withParameters(parameters.withValue(parameter, value));
    }

    /**
     * Sets a per-element parameter (a vector or row-major matrix of constants, such as fixed weights) for the
     * runs of the returned model.
     *
     * @param parameter an existing array parameter name
     * @param values    its elements, row-major (copied; as many as it has)
     * @return a copy with those values
     * @since 0.3
     */
    public Model withParameter(final String parameter, final double[] values) {
        return withParameters(parameters.withValue(parameter, values));
    }

    /**
     * @param y0 new default initial state (copied)
     * @return a copy with that initial state
     */
    public Model withInitialState(final double[] y0) {
        ModelSpec s = spec;
        if (s != null && y0 != null && y0.length == layout.dimension()) {
            final List<VariableSpec> vs = new ArrayList<>(s.variables().size());
            for (final VariableSpec v : s.variables()) {
                if (v.kind() == VariableKind.INPUT) {
                    vs.add(v);
                    continue;
                }
                final StateLayout.Block b = layout.block(v.name());
                final double[] now = Arrays.copyOfRange(y0, b.offset(), b.offset() + b.size());
                vs.add(initialIs(v.initial(), now) ? v : v.withInitial(values(now)));
            }
            s = s.withLists(vs, s.parameters(), s.noise());
        }
        return with(s, name, parameters, y0, initialInputs, events, noise);
    }

    /**
     * Sets the default value of one input block (what runs start with before any schedule sets it).
     *
     * @param input  an input name
     * @param values its values (copied; one per element, or one for all)
     * @return a copy with those default values
     * @since 0.3
     */
    public Model withInput(final String input, final double... values) {
        if (!inputLayout.has(input)) {
            if (layout.has(input)) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "'" + input + "' is a state variable of model '"
                        + name + "', not an input: set it in the initial state");
            }
            throw new OdeException(ErrorCode.UNKNOWN_VARIABLE, input, String.join(", ", inputLayout.names()));
        }
        final StateLayout.Block b = inputLayout.block(input);
        final double[] in = initialInputs.clone();
        if (values.length == 1) {
            Arrays.fill(in, b.offset(), b.offset() + b.size(), Checks.finite("input '" + input + "'", values[0]));
        } else {
            Checks.finiteArray("values of input '" + input + "'", values, b.size());
            System.arraycopy(values, 0, in, b.offset(), b.size());
        }
        ModelSpec s = spec;
        if (s != null) {
            final double[] now = Arrays.copyOfRange(in, b.offset(), b.offset() + b.size());
            final List<VariableSpec> vs = new ArrayList<>(s.variables().size());
            for (final VariableSpec v : s.variables()) {
                vs.add(v.name().equals(input) && !initialIs(v.initial(), now) ? v.withInitial(values(now)) : v);
            }
            s = s.withLists(vs, s.parameters(), s.noise());
        }
        return with(s, name, parameters, initialState, in, events, noise);
    }

    /** True if the initial value gives exactly these numbers. */
    private static boolean initialIs(final ValueSpec value, final double[] now) {
        if (!(value instanceof ValueSpec.Values v)) {
            return false;
        }
        if (v.size() != 1 && v.size() != now.length) {
            return false;
        }
        for (int i = 0; i < now.length; i++) {
            if (Double.doubleToLongBits(v.get(v.size() == 1 ? 0 : i)) != Double.doubleToLongBits(now[i])) {
                return false;
            }
        }
        return true;
    }

    /** One number if all are the same, else all of them. */
    private static ValueSpec values(final double[] now) {
        for (final double x : now) {
            if (Double.doubleToLongBits(x) != Double.doubleToLongBits(now[0])) {
                return new ValueSpec.Values(now);
            }
        }
        return ValueSpec.Values.of(now[0]);
    }

    /**
     * @param detector an event detector to add
     * @return a copy with the detector appended
     */
    public Model withEvent(final EventDetector detector) {
        final List<EventDetector> e = new ArrayList<>(events);
        e.add(detector);
        return with(null, name, parameters, initialState, initialInputs, e, noise);
    }

    /**
     * @param term a noise term to add
     * @return a copy with the term appended
     */
    public Model withNoise(final NoiseTerm term) {
        final List<NoiseTerm> n = new ArrayList<>(noise);
        n.add(term);
        final ModelSpec s = spec == null ? null : spec.withNoise(new NoiseSpec(term.block(), term.sigma()));
        return with(s, name, parameters, initialState, initialInputs, events, n);
    }

    /** @return a copy without noise terms (the deterministic skeleton) */
    public Model withoutNoise() {
        final ModelSpec s = spec == null ? null : spec.withLists(spec.variables(), spec.parameters(), List.of());
        return with(s, name, parameters, initialState, initialInputs, events, List.of());
    }

    /**
     * @param newName model name
     * @return a renamed copy
     */
    public Model withName(final String newName) {
        return with(spec == null ? null : spec.withName(newName), newName, parameters, initialState, initialInputs,
                    events, noise);
    }

    @Override
    public String toString() {
        return "Model[" + name + ", " + layout + (inputLayout.blocks().isEmpty() ? "" : ", inputs " + inputLayout)
                + "]";
    }
}
