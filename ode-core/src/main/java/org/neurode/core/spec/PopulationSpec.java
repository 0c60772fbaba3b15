package org.neurode.core.spec;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;

/**
 * A named population of {@code size} members. Of neurons (Brian2's {@code NeuronGroup}): it owns the state vectors
 * it lists (each has one element per member), the equations of those vectors and the events whose condition or
 * statements name them. Or a source of spikes without state: a Poisson group (Brian2's {@code PoissonGroup}: member
 * i fires in a step of length dt with probability {@code rate(i) * dt}) or a spike generator (Brian2's
 * {@code SpikeGeneratorGroup}: member {@code indices[k]} fires in the step that holds {@code times[k]}). Events,
 * refractoriness ({@code (unless refractory)}) and projections ({@link ProjectionSpec}) refer to a population
 * instead of to "the rows of the variables": an {@code (unless refractory)} equation is held after the events of its
 * own population only, even when another population has the same size. A source's one event is {@code spike}.
 *
 * <p>A model without populations behaves as before (the members of an event are the rows of its variables).
 *
 * @param name      the population's name (an identifier, unique among populations and events)
 * @param size      number of members (positive)
 * @param variables the state variables (and inputs) it owns, each of {@code size} x 1 elements, in order (none for
 *                  a source)
 * @param rate      a Poisson group's rate: an expression of numbers, scalar parameters, units, {@code i} and
 *                  {@code N} (per member, in 1 / time unit, or with a unit: {@code 15 * Hz}); null otherwise
 * @param indices   a spike generator's members, one per spike; null otherwise
 * @param times     a spike generator's spike times (time unit), as many as {@code indices}; null otherwise
 * @since 0.5
 */
public record PopulationSpec(String name, int size, List<String> variables, ExprSpec rate, int[] indices,
                             double[] times) {

    /** What a population is. */
    public enum Kind {
        /** Neurons owning state variables and events. */
        NEURONS,
        /** A Poisson group. */
        POISSON,
        /** A spike generator. */
        GENERATOR
    }

    /**
     * @param name      name
     * @param size      members
     * @param variables owned variables (copied)
     * @param rate      Poisson rate or null
     * @param indices   generator members or null
     * @param times     generator times or null
     */
    public PopulationSpec {
        Objects.requireNonNull(name, "name");
        variables = List.copyOf(variables);
        if (size <= 0) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "population '" + name + "' must have at least one "
                    + "member but has " + size);
        }
        if ((indices == null) != (times == null)) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "spike generator '" + name + "' needs both the members"
                    + " and the times of its spikes");
        }
        if (rate != null && indices != null || (rate != null || indices != null) && !variables.isEmpty()) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "population '" + name + "' is either of neurons "
                    + "(with variables), a Poisson group (a rate) or a spike generator (spikes), not several");
        }
        if (indices != null) {
            if (indices.length != times.length) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "spike generator '" + name + "': "
                        + indices.length + " members but " + times.length + " times");
            }
            indices = indices.clone();
            times = times.clone();
            for (int k = 0; k < indices.length; k++) {
                if (indices[k] < 0 || indices[k] >= size) {
                    throw new OdeException(ErrorCode.INVALID_ARGUMENT, "spike generator '" + name + "': spike " + k
                            + " is of member " + indices[k] + ", outside 0 to " + (size - 1));
                }
                if (!Double.isFinite(times[k])) {
                    throw new OdeException(ErrorCode.INVALID_ARGUMENT, "spike generator '" + name + "': the time of "
                            + "spike " + k + " is " + times[k]);
                }
            }
        }
    }

    /**
     * A population of neurons.
     *
     * @param name      name
     * @param size      members
     * @param variables owned variables
     */
    public PopulationSpec(final String name, final int size, final List<String> variables) {
        this(name, size, variables, null, null, null);
    }

    /**
     * @param name name
     * @param size members
     * @param rate the rate as text ({@code 15 * Hz}, {@code 0.01 * (1 + i)})
     * @return a Poisson group
     */
    public static PopulationSpec poisson(final String name, final int size, final String rate) {
        return new PopulationSpec(name, size, List.of(), ExprText.parse(rate), null, null);
    }

    /**
     * @param name    name
     * @param size    members
     * @param indices the member of each spike
     * @param times   the time of each spike (time unit)
     * @return a spike generator
     */
    public static PopulationSpec generator(final String name, final int size, final int[] indices,
                                           final double[] times) {
        return new PopulationSpec(name, size, List.of(), null, indices, times);
    }

    /** @return what the population is */
    public Kind kind() {
        return rate != null ? Kind.POISSON : indices != null ? Kind.GENERATOR : Kind.NEURONS;
    }

    /** @return true for a Poisson group or a spike generator (a population without state) */
    public boolean isSource() {
        return kind() != Kind.NEURONS;
    }

    /**
     * @param variable a variable's name
     * @return true if the population owns it
     */
    public boolean owns(final String variable) {
        return variables.contains(variable);
    }

    @Override
    public int[] indices() {
        return indices == null ? null : indices.clone();
    }

    @Override
    public double[] times() {
        return times == null ? null : times.clone();
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof PopulationSpec p && name.equals(p.name) && size == p.size
                && variables.equals(p.variables) && Objects.equals(rate, p.rate)
                && Arrays.equals(indices, p.indices) && Arrays.equals(times, p.times);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, size, variables, rate, Arrays.hashCode(indices), Arrays.hashCode(times));
    }

    @Override
    public String toString() {
        return "PopulationSpec[" + name + " " + size + (kind() == Kind.NEURONS ? ": " + variables
                : kind() == Kind.POISSON ? " poisson " + rate.text() : " generator of " + indices.length + " spikes")
                + "]";
    }
}
