package org.neurode.core;

import java.util.ArrayList;
import java.util.List;

/**
 * A model: state layout, parameters, the equation (made fresh per solve by an {@link EquationFactory}),
 * the default initial state, events (threshold/reset) and white-noise terms. Immutable; variants via
 * {@code with*}.
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

    private Model(final String name, final StateLayout layout, final Parameters parameters,
                  final EquationFactory factory, final double[] initialState, final List<EventDetector> events,
                  final List<NoiseTerm> noise) {
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
        return new Model(name, layout, p, factory, initialState, events, noise);
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
        return new Model(name, layout, parameters, factory, y0, events, noise);
    }

    /**
     * @param detector an event detector to add
     * @return a copy with the detector appended
     */
    public Model withEvent(final EventDetector detector) {
        final List<EventDetector> e = new ArrayList<>(events);
        e.add(detector);
        return new Model(name, layout, parameters, factory, initialState, e, noise);
    }

    /**
     * @param term a noise term to add
     * @return a copy with the term appended
     */
    public Model withNoise(final NoiseTerm term) {
        final List<NoiseTerm> n = new ArrayList<>(noise);
        n.add(term);
        return new Model(name, layout, parameters, factory, initialState, events, n);
    }

    /** @return a copy without noise terms (the deterministic skeleton) */
    public Model withoutNoise() {
        return new Model(name, layout, parameters, factory, initialState, events, List.of());
    }

    /**
     * @param newName model name
     * @return a renamed copy
     */
    public Model withName(final String newName) {
        return new Model(newName, layout, parameters, factory, initialState, events, noise);
    }

    @Override
    public String toString() {
        return "Model[" + name + ", " + layout + "]";
    }
}
