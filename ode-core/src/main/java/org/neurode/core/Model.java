package org.neurode.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.neurode.core.spec.ModelSpec;
import org.neurode.core.spec.NoiseSpec;
import org.neurode.core.spec.ParameterSpec;
import org.neurode.core.spec.ValueSpec;
import org.neurode.core.spec.VariableSpec;

/**
 * A model: state layout, parameters, the equation (made fresh per solve by an {@link EquationFactory}),
 * the default initial state, events (threshold/reset) and white-noise terms. Immutable; variants via
 * {@code with*}. A model compiled from equations also carries its specification ({@link #spec()}), which the
 * variants keep up to date.
 *
 * @since 0.1
 */
public final class Model {

    private final String name;
    private final StateLayout layout;
    private final Parameters parameters;
    private final EquationFactory factory;
    private final double[] initialState;
    private final List<EventDetector> events;
    private final List<NoiseTerm> noise;
    /** What the model was compiled from (null for a model made by hand). */
    private final ModelSpec spec;

    private Model(final String name, final StateLayout layout, final Parameters parameters,
                  final EquationFactory factory, final double[] initialState, final List<EventDetector> events,
                  final List<NoiseTerm> noise) {
        this(null, name, layout, parameters, factory, initialState, events, noise);
    }

    private Model(final ModelSpec spec, final String name, final StateLayout layout, final Parameters parameters,
                  final EquationFactory factory, final double[] initialState, final List<EventDetector> events,
                  final List<NoiseTerm> noise) {
        this.spec = spec;
        this.name = name;
        this.layout = layout;
        this.parameters = parameters;
        this.factory = factory;
        this.initialState = Checks.finiteArray("initial state of model '" + name + "'", initialState,
                                               layout.dimension()).clone();
        this.events = List.copyOf(events);
        this.noise = List.copyOf(noise);
        for (final NoiseTerm n : noise) {
            layout.block(n.block());
        }
    }

    /**
     * @param name         model name
     * @param layout       state layout
     * @param parameters   parameter values
     * @param factory      creates the equation for given parameters
     * @param initialState default initial state (copied)
     * @return the model, without events or noise
     */
    public static Model of(final String name, final StateLayout layout, final Parameters parameters,
                           final EquationFactory factory, final double[] initialState) {
        return new Model(name, layout, parameters, factory, initialState, List.of(), List.of());
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
     * @return the model
     */
    public static Model of(final String name, final StateLayout layout, final Parameters parameters,
                           final EquationFactory factory, final double[] initialState,
                           final List<EventDetector> events, final List<NoiseTerm> noise) {
        return new Model(name, layout, parameters, factory, initialState, events, noise);
    }

    /**
     * A model compiled from its specification (what {@code ModelBuilder.build()} makes).
     *
     * @param spec         the specification the equation was compiled from (its name is the model's)
     * @param layout       state layout
     * @param parameters   parameter values (those of the specification)
     * @param factory      creates the equation for given parameters
     * @param initialState default initial state (copied; that of the specification)
     * @param events       event detectors (copied)
     * @param noise        noise terms (copied)
     * @return the model
     * @since 0.3
     */
    public static Model of(final ModelSpec spec, final StateLayout layout, final Parameters parameters,
                           final EquationFactory factory, final double[] initialState,
                           final List<EventDetector> events, final List<NoiseTerm> noise) {
        return new Model(java.util.Objects.requireNonNull(spec, "spec"), spec.name(), layout, parameters, factory,
                         initialState, events, noise);
    }

    /**
     * The specification of the model: variables, parameters, equations, noise and events as data (to print,
     * save or compose). The variants made with {@code with*} carry it along: new parameter values, initial
     * state, noise and name are written into it. Empty for a model made by hand with {@code Model.of} and an
     * {@link EquationFactory}, and for a variant with an event detector added ({@link #withEvent}), which a
     * specification cannot describe.
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

    /** @return the state layout */
    public StateLayout layout() {
        return layout;
    }

    /** @return the parameter values */
    public Parameters parameters() {
        return parameters;
    }

    /** @return the state dimension */
    public int dimension() {
        return layout.dimension();
    }

    /**
     * Creates a fresh equation for the current parameters (not shared: safe to use on one thread).
     *
     * @return the equation
     */
    public Equation equation() {
        final Equation e = factory.create(parameters);
        if (e.dimension() != layout.dimension()) {
            throw new OdeException(ErrorCode.DIMENSION_MISMATCH, "equation of model '" + name + "'",
                                   layout.dimension(), e.dimension());
        }
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
                ps.add(p.has(q.name()) && !sameValue(q.value(), p.get(q.name()))
                        ? new ParameterSpec(q.name(), q.rows(), q.cols(), q.unit(), ValueSpec.Values.of(p.get(q.name())))
                        : q);
            }
            s = new ModelSpec(s.name(), s.timeUnit(), s.variables(), ps, s.lets(), s.equations(), s.noise(),
                              s.thresholds());
        }
        return new Model(s, name, layout, p, factory, initialState, events, noise);
    }

    private static boolean sameValue(final ValueSpec v, final double x) {
        return v instanceof ValueSpec.Values n && n.size() == 1
                && Double.doubleToLongBits(n.get(0)) == Double.doubleToLongBits(x);
    }

    /**
     * @param parameter an existing parameter name
     * @param value     its new value
     * @return a copy with that value
     */
    public Model withParameter(final String parameter, final double value) {
        return withParameters(parameters.withValue(parameter, value));
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
                final StateLayout.Block b = layout.block(v.name());
                final double[] now = Arrays.copyOfRange(y0, b.offset(), b.offset() + b.size());
                vs.add(initialIs(v.initial(), now) ? v : v.withInitial(values(now)));
            }
            s = new ModelSpec(s.name(), s.timeUnit(), vs, s.parameters(), s.lets(), s.equations(), s.noise(),
                              s.thresholds());
        }
        return new Model(s, name, layout, parameters, factory, y0, events, noise);
    }

    /** True if the initial value gives exactly these numbers. */
    private static boolean initialIs(final ValueSpec value, final double[] now) {
        if (!(value instanceof ValueSpec.Values v)) {
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
        return new Model(null, name, layout, parameters, factory, initialState, e, noise);
    }

    /**
     * @param term a noise term to add
     * @return a copy with the term appended
     */
    public Model withNoise(final NoiseTerm term) {
        final List<NoiseTerm> n = new ArrayList<>(noise);
        n.add(term);
        final ModelSpec s = spec == null ? null : spec.withNoise(new NoiseSpec(term.block(), term.sigma()));
        return new Model(s, name, layout, parameters, factory, initialState, events, n);
    }

    /** @return a copy without noise terms (the deterministic skeleton) */
    public Model withoutNoise() {
        final ModelSpec s = spec == null ? null : new ModelSpec(spec.name(), spec.timeUnit(), spec.variables(),
                spec.parameters(), spec.lets(), spec.equations(), List.of(), spec.thresholds());
        return new Model(s, name, layout, parameters, factory, initialState, events, List.of());
    }

    /**
     * @param newName model name
     * @return a renamed copy
     */
    public Model withName(final String newName) {
        return new Model(spec == null ? null : spec.withName(newName), newName, layout, parameters, factory,
                         initialState, events, noise);
    }

    @Override
    public String toString() {
        return "Model[" + name + ", " + layout + "]";
    }
}
