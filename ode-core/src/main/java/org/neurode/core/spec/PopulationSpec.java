package org.neurode.core.spec;

import java.util.List;
import java.util.Objects;

import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;

/**
 * A named population of {@code size} members (Brian2's {@code NeuronGroup}): it owns the state vectors it lists
 * (each has one element per member), the equations of those vectors and the events whose condition or statements
 * name them. Events, refractoriness ({@code (unless refractory)}) and projections ({@link ProjectionSpec}) refer
 * to a population instead of to "the rows of the variables": an {@code (unless refractory)} equation is held after
 * the events of its own population only, even when another population has the same size.
 *
 * <p>A model without populations behaves as before (the members of an event are the rows of its variables).
 *
 * @param name      the population's name (an identifier, unique among populations)
 * @param size      number of members (positive)
 * @param variables the state variables (and inputs) it owns, each of {@code size} x 1 elements, in order
 * @since 0.5
 */
public record PopulationSpec(String name, int size, List<String> variables) {

    /**
     * @param name      name
     * @param size      members
     * @param variables owned variables (copied)
     */
    public PopulationSpec {
        Objects.requireNonNull(name, "name");
        variables = List.copyOf(variables);
        if (size <= 0) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "population '" + name + "' must have at least one "
                    + "member but has " + size);
        }
    }

    /**
     * @param variable a variable's name
     * @return true if the population owns it
     */
    public boolean owns(final String variable) {
        return variables.contains(variable);
    }
}
