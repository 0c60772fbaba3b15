package org.neurode.core.spec;

import java.util.Objects;

/**
 * A per-synapse variable of a projection ({@code w} of Brian2's {@code Synapses(model='w : volt')}): one value per
 * synapse, set when the model is built from numbers or an expression of {@code i} (source index), {@code j} (target
 * index), {@code N_pre}, {@code N_post}, the scalar parameters, units, {@code rand()} and {@code randn()}, and
 * changed by the projection's {@code on_pre} statements.
 *
 * @param name    the name (unique within the projection; it may not be a name of the model)
 * @param unit    its unit as written ({@code ""}: none)
 * @param initial its initial value: one number for all synapses, or an expression evaluated per synapse
 * @since 0.5
 */
public record SynapseVariableSpec(String name, String unit, ValueSpec initial) {

    /**
     * @param name    name
     * @param unit    unit
     * @param initial initial value
     */
    public SynapseVariableSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(initial, "initial");
    }

    /**
     * @param name  name
     * @param value its value as text (a number or an expression)
     * @param unit  unit ({@code ""}: none)
     * @return the variable
     */
    public static SynapseVariableSpec of(final String name, final String value, final String unit) {
        final ExprSpec e = ExprText.parse(value);
        return new SynapseVariableSpec(name, unit, e instanceof ExprSpec.Num n ? ValueSpec.Values.of(n.value())
                : new ValueSpec.Expression(e));
    }
}
