package org.neurode.core.spec;

import java.util.Objects;

/**
 * A per-synapse variable of a projection ({@code w} of Brian2's {@code Synapses(model='w : volt')}): one value per
 * synapse, set when the model is built from numbers or an expression of {@code i} (source index), {@code j} (target
 * index), {@code N_pre}, {@code N_post}, the scalar parameters, units, {@code rand()} and {@code randn()}, and
 * changed by the projection's {@code on_pre} and {@code on_post} statements.
 *
 * <p>It may have an event-driven equation (Brian2's {@code dApre/dt = -Apre / taupre : 1 (event-driven)}): the
 * variable then decays between the events of its synapse and is brought up to date, with the exact exponential of
 * the time since the synapse's last event, just before the synapse's statements run. Only linear homogeneous decay
 * ({@code -X / tau}, tau a number or an expression of scalar parameters) is supported; other forms are refused when
 * the model is built.
 *
 * @param name        the name (unique within the projection; it may not be a name of the model)
 * @param unit        its unit as written ({@code ""}: none)
 * @param initial     its initial value: one number for all synapses, or an expression evaluated per synapse
 * @param rate        the right-hand side of its event-driven equation {@code d name/dt = rate}, or null for none
 * @since 0.5
 */
public record SynapseVariableSpec(String name, String unit, ValueSpec initial, ExprSpec rate) {

    /**
     * @param name    name
     * @param unit    unit
     * @param initial initial value
     * @param rate    event-driven rate or null
     */
    public SynapseVariableSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(initial, "initial");
    }

    /**
     * A variable without equation (changed by statements only).
     *
     * @param name    name
     * @param unit    unit
     * @param initial initial value
     */
    public SynapseVariableSpec(final String name, final String unit, final ValueSpec initial) {
        this(name, unit, initial, null);
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

    /**
     * An event-driven variable, 0 at the start (Brian2's {@code dApre/dt = -Apre / taupre : 1 (event-driven)}).
     *
     * @param name name
     * @param rate the right-hand side as text ({@code -Apre / taupre})
     * @param unit unit ({@code ""}: none)
     * @return the variable
     */
    public static SynapseVariableSpec eventDriven(final String name, final String rate, final String unit) {
        return new SynapseVariableSpec(name, unit, ValueSpec.Values.of(0.0), ExprText.parse(rate));
    }

    /**
     * @param r the event-driven rate (text), or null for none
     * @return a copy with it
     */
    public SynapseVariableSpec withRate(final ExprSpec r) {
        return new SynapseVariableSpec(name, unit, initial, r);
    }

    /**
     * @param v the initial value
     * @return a copy with it
     */
    public SynapseVariableSpec withInitial(final ValueSpec v) {
        return new SynapseVariableSpec(name, unit, v, rate);
    }

    /** @return true if the variable has an event-driven equation */
    public boolean eventDrivenVariable() {
        return rate != null;
    }
}
