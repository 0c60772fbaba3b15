package org.neurode.core.spec;

import java.util.List;
import java.util.Objects;

/**
 * A model as data: what {@code ModelBuilder}, model files and JSON/YAML documents produce and what the compiler
 * consumes. Immutable; lists are copied. Declaration order is kept (it fixes the state layout).
 *
 * <p>Units: a model whose variables and parameters all declare a unit is checked for dimensional consistency
 * when it is built; a model in which some declaration has no unit ({@code ""}) is unit-free and is not checked.
 * The time {@code t} is in {@code timeUnit}.
 *
 * @param name       the model's name
 * @param timeUnit   the unit of the time {@code t} ({@code "ms"} by default)
 * @param variables  states and inputs, in layout order
 * @param parameters parameters (constants)
 * @param lets       named subexpressions, each defined before its first use
 * @param equations  one per state variable
 * @param noise      additive white-noise terms
 * @param thresholds threshold/reset/refractory events
 * @since 0.3
 */
public record ModelSpec(String name, String timeUnit, List<VariableSpec> variables, List<ParameterSpec> parameters,
                        List<LetSpec> lets, List<EquationSpec> equations, List<NoiseSpec> noise,
                        List<ThresholdSpec> thresholds) {

    /** Version of the serialized form (JSON, YAML); a reader refuses other versions. */
    public static final int SCHEMA_VERSION = 1;

    /**
     * @param name       name
     * @param timeUnit   unit of t
     * @param variables  variables
     * @param parameters parameters
     * @param lets       subexpressions
     * @param equations  equations
     * @param noise      noise terms
     * @param thresholds events
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
    }
}
