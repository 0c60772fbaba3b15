package org.neurode.core.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.neurode.core.OdeException;

/**
 * A model as data: what {@code ModelBuilder}, model files and JSON/YAML documents produce and what the compiler
 * consumes. Immutable; lists are copied. Declaration order is kept (it fixes the state layout).
 *
 * <p>Units: a model whose variables and parameters all declare a unit is checked for dimensional consistency
 * when it is built; a model in which some declaration has no unit ({@code ""}) is unit-free and is not checked.
 * The time {@code t} is in {@code timeUnit}.
 *
 * <p>Fragments: a spec need not be a whole model. A function can return the variables, parameters, named
 * subexpressions and equations of a part (a compartment, a population, a plasticity rule) as a spec, which
 * {@code ModelBuilder.add} adds to a model; its expressions may use names the model declared before.
 * <pre>{@code
 * static final ExprSpec LEAK = ExprSpec.parse("(E_L - v) / tau");
 *
 * static ModelSpec leak(String v, int n) {                  // a leaky membrane potential v of n neurons
 *     return ModelSpec.fragment("leak " + v)
 *             .withVariable(VariableSpec.state(v, n, 1, "mV"))
 *             .withEquation(v, LEAK.rename(Map.of("v", v)));
 * }
 * // b.param("E_L", -65.0); b.param("tau", 10.0); b.add(leak("v", 100)); b.add(leak("w", 20));
 * }</pre>
 *
 * @param name       the model's name
 * @param timeUnit   the unit of the time {@code t} ({@code "ms"} by default)
 * @param variables  states and inputs, in layout order
 * @param parameters parameters (constants)
 * @param lets       named subexpressions, each defined before its first use
 * @param equations  one per state variable
 * @param noise      additive white-noise terms
 * @param thresholds threshold/reset/refractory events of one variable to constants (the first form; each is the
 *                   event {@code v > theta} with the reset {@code v = reset} that holds {@code v} while refractory)
 * @param events     events with conditions, statements and refractoriness ({@link EventSpec}); since 0.4
 * @param populations named populations owning variables and events ({@link PopulationSpec}); since 0.5
 * @param projections synapses between populations ({@link ProjectionSpec}); since 0.5
 * @since 0.3
 */
public record ModelSpec(String name, String timeUnit, List<VariableSpec> variables, List<ParameterSpec> parameters,
                        List<LetSpec> lets, List<EquationSpec> equations, List<NoiseSpec> noise,
                        List<ThresholdSpec> thresholds, List<EventSpec> events, List<PopulationSpec> populations,
                        List<ProjectionSpec> projections) {

    /** Version of the serialized form (JSON, YAML); a reader refuses other versions. */
    public static final int SCHEMA_VERSION = 1;
    /** The value of the {@code schema} field of JSON and YAML documents of this version. */
    public static final String SCHEMA = "neurode-model/" + SCHEMA_VERSION;
    /** The time unit of a model that does not name one. */
    public static final String DEFAULT_TIME_UNIT = "ms";

    /**
     * @param name       name
     * @param timeUnit   unit of t
     * @param variables  variables
     * @param parameters parameters
     * @param lets       subexpressions
     * @param equations  equations
     * @param noise      noise terms
     * @param thresholds threshold events
     * @param events     events
     * @param populations populations
     * @param projections projections
     */
    public ModelSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(timeUnit, "timeUnit");
        variables = List.copyOf(variables);
        parameters = List.copyOf(parameters);
        lets = List.copyOf(lets);
        equations = List.copyOf(equations);
        noise = List.copyOf(noise);
        thresholds = List.copyOf(thresholds);
        events = List.copyOf(events);
        populations = List.copyOf(populations);
        projections = List.copyOf(projections);
    }

    /**
     * A spec without populations and projections (the form of version 0.4).
     *
     * @param name       name
     * @param timeUnit   unit of t
     * @param variables  variables
     * @param parameters parameters
     * @param lets       subexpressions
     * @param equations  equations
     * @param noise      noise terms
     * @param thresholds threshold events
     * @param events     events
     */
    public ModelSpec(final String name, final String timeUnit, final List<VariableSpec> variables,
                     final List<ParameterSpec> parameters, final List<LetSpec> lets, final List<EquationSpec> equations,
                     final List<NoiseSpec> noise, final List<ThresholdSpec> thresholds, final List<EventSpec> events) {
        this(name, timeUnit, variables, parameters, lets, equations, noise, thresholds, events, List.of(), List.of());
    }

    /**
     * A spec without {@link EventSpec events} (the form of version 0.3).
     *
     * @param name       name
     * @param timeUnit   unit of t
     * @param variables  variables
     * @param parameters parameters
     * @param lets       subexpressions
     * @param equations  equations
     * @param noise      noise terms
     * @param thresholds threshold events
     */
    public ModelSpec(final String name, final String timeUnit, final List<VariableSpec> variables,
                     final List<ParameterSpec> parameters, final List<LetSpec> lets, final List<EquationSpec> equations,
                     final List<NoiseSpec> noise, final List<ThresholdSpec> thresholds) {
        this(name, timeUnit, variables, parameters, lets, equations, noise, thresholds, List.of());
    }

    /**
     * An empty spec to add parts to, in the default time unit.
     *
     * @param name a name for messages
     * @return the empty spec
     */
    public static ModelSpec fragment(final String name) {
        return new ModelSpec(name, DEFAULT_TIME_UNIT, List.of(), List.of(), List.of(), List.of(), List.of(),
                             List.of(), List.of(), List.of(), List.of());
    }

    /**
     * @param v a variable
     * @return a copy with the variable appended
     */
    public ModelSpec withVariable(final VariableSpec v) {
        return new ModelSpec(name, timeUnit, append(variables, v), parameters, lets, equations, noise, thresholds,
                             events, populations, projections);
    }

    /**
     * @param p a parameter
     * @return a copy with the parameter appended
     */
    public ModelSpec withParameter(final ParameterSpec p) {
        return new ModelSpec(name, timeUnit, variables, append(parameters, p), lets, equations, noise, thresholds,
                             events, populations, projections);
    }

    /**
     * @param letName name of the subexpression
     * @param body    its expression
     * @return a copy with the named subexpression appended
     */
    public ModelSpec withLet(final String letName, final ExprSpec body) {
        return new ModelSpec(name, timeUnit, variables, parameters, append(lets, new LetSpec(letName, body)),
                             equations, noise, thresholds, events, populations, projections);
    }

    /**
     * @param letName name of the subexpression
     * @param body    its expression as text ({@link ExprText#parse})
     * @return a copy with the named subexpression appended
     * @throws OdeException naming the column of a syntax error
     */
    public ModelSpec withLet(final String letName, final String body) {
        return withLet(letName, ExprText.parse(body));
    }

    /**
     * @param variable a state variable's name
     * @param rhs      the right-hand side of its equation as text ({@link ExprText#parse})
     * @return a copy with the equation appended
     * @throws OdeException naming the column of a syntax error
     */
    public ModelSpec withEquation(final String variable, final String rhs) {
        return withEquation(variable, ExprText.parse(rhs));
    }

    /**
     * @param variable a state variable's name
     * @param rhs      the right-hand side of its equation
     * @return a copy with the equation appended
     */
    public ModelSpec withEquation(final String variable, final ExprSpec rhs) {
        return new ModelSpec(name, timeUnit, variables, parameters, lets,
                             append(equations, new EquationSpec(variable, rhs)), noise, thresholds,
                             events, populations, projections);
    }

    /**
     * @param e an equation
     * @return a copy with the equation appended
     * @since 0.4
     */
    public ModelSpec withEquation(final EquationSpec e) {
        return new ModelSpec(name, timeUnit, variables, parameters, lets, append(equations, e), noise, thresholds,
                             events, populations, projections);
    }

    /**
     * @param n a noise term
     * @return a copy with the noise term appended
     */
    public ModelSpec withNoise(final NoiseSpec n) {
        return new ModelSpec(name, timeUnit, variables, parameters, lets, equations, append(noise, n), thresholds,
                             events, populations, projections);
    }

    /**
     * @param t a threshold event
     * @return a copy with the event appended
     */
    public ModelSpec withThreshold(final ThresholdSpec t) {
        return new ModelSpec(name, timeUnit, variables, parameters, lets, equations, noise, append(thresholds, t),
                             events, populations,
                             projections);
    }

    /**
     * @param e an event
     * @return a copy with the event appended
     * @since 0.4
     */
    public ModelSpec withEvent(final EventSpec e) {
        return new ModelSpec(name, timeUnit, variables, parameters, lets, equations, noise, thresholds,
                             append(events, e), populations, projections);
    }

    /**
     * @param p a population
     * @return a copy with the population appended
     * @since 0.5
     */
    public ModelSpec withPopulation(final PopulationSpec p) {
        return new ModelSpec(name, timeUnit, variables, parameters, lets, equations, noise, thresholds, events,
                             append(populations, p), projections);
    }

    /**
     * @param p a projection
     * @return a copy with the projection appended
     * @since 0.5
     */
    public ModelSpec withProjection(final ProjectionSpec p) {
        return new ModelSpec(name, timeUnit, variables, parameters, lets, equations, noise, thresholds, events,
                             populations, append(projections, p));
    }

    /**
     * @param vs the variables
     * @param ps the parameters
     * @param ns the noise terms
     * @return a copy with these lists instead of its own (everything else kept)
     * @since 0.5
     */
    public ModelSpec withLists(final List<VariableSpec> vs, final List<ParameterSpec> ps, final List<NoiseSpec> ns) {
        return new ModelSpec(name, timeUnit, vs, ps, lets, equations, ns, thresholds, events, populations,
                             projections);
    }

    /**
     * @param populationName a name
     * @return the population of that name, or null
     * @since 0.5
     */
    public PopulationSpec population(final String populationName) {
        for (final PopulationSpec p : populations) {
            if (p.name().equals(populationName)) {
                return p;
            }
        }
        return null;
    }

    /**
     * @param variableName a variable's name
     * @return the population that owns it, or null
     * @since 0.5
     */
    public PopulationSpec populationOf(final String variableName) {
        for (final PopulationSpec p : populations) {
            if (p.owns(variableName)) {
                return p;
            }
        }
        return null;
    }

    /**
     * The population an event belongs to: the one owning a variable its condition or statements name (for the
     * events of {@link #thresholds()}, the population of the variable).
     *
     * @param event an event's name
     * @return the population, or null if the model has no event of that name (the events of Poisson groups and
     *         spike generators are not in the specification's events) or it names no population's variable
     * @since 0.5
     */
    public PopulationSpec eventPopulation(final String event) {
        for (final EventSpec e : events) {
            if (e.name().equals(event)) {
                final List<String> names = new ArrayList<>();
                collectNames(e.threshold(), names);
                for (final StatementSpec s : e.reset()) {
                    names.add(s.variable());
                    collectNames(s.value(), names);
                }
                for (final String n : names) {
                    final PopulationSpec p = populationOf(n);
                    if (p != null) {
                        return p;
                    }
                }
                return null;
            }
        }
        for (final ThresholdSpec t : thresholds) {
            final String name = thresholds.size() == 1 ? EventSpec.SPIKE : "spike_" + t.variable();
            if (name.equals(event)) {
                return populationOf(t.variable());
            }
        }
        return null;
    }

    /** Every name of a tree, depth first. */
    private static void collectNames(final ExprSpec e, final List<String> out) {
        ExprSpec.names(e, out);
    }

    /**
     * @param newName a name
     * @return a renamed copy
     */
    public ModelSpec withName(final String newName) {
        return new ModelSpec(newName, timeUnit, variables, parameters, lets, equations, noise, thresholds,
                             events, populations, projections);
    }

    /**
     * Two fragments as one: each list of {@code other} appended to the same list of this spec (name and time
     * unit are this spec's).
     *
     * @param other another spec
     * @return the concatenation
     */
    public ModelSpec plus(final ModelSpec other) {
        return new ModelSpec(name, timeUnit, concat(variables, other.variables), concat(parameters, other.parameters),
                             concat(lets, other.lets), concat(equations, other.equations), concat(noise, other.noise),
                             concat(thresholds, other.thresholds), concat(events, other.events),
                             concat(populations, other.populations), concat(projections, other.projections));
    }

    /**
     * @param variableName a name
     * @return the variable of that name, or null
     */
    public VariableSpec variable(final String variableName) {
        for (final VariableSpec v : variables) {
            if (v.name().equals(variableName)) {
                return v;
            }
        }
        return null;
    }

    private static <T> List<T> append(final List<T> list, final T item) {
        final List<T> l = new ArrayList<>(list.size() + 1);
        l.addAll(list);
        l.add(Objects.requireNonNull(item));
        return l;
    }

    private static <T> List<T> concat(final List<T> a, final List<T> b) {
        final List<T> l = new ArrayList<>(a.size() + b.size());
        l.addAll(a);
        l.addAll(b);
        return l;
    }
}
