package org.neurode.core.spec;

import java.util.Objects;

/**
 * A per-synapse variable of a projection ({@code w} of Brian2's {@code Synapses(model='w : volt')}): one value per
 * synapse, set when the model is built from numbers or an expression of {@code i} (source index), {@code j} (target
 * index), {@code N_pre}, {@code N_post}, the scalar parameters, units, {@code rand()} and {@code randn()}, and
 * changed by the projection's {@code on_pre} and {@code on_post} statements.
 *
 * <p>It may have an event-driven equation (Brian2's {@code dApre/dt = -Apre / taupre : 1 (event-driven)}): the
 * variable then relaxes between the events of its synapse and is brought up to date, exactly for the time since the
 * synapse's last event, just before the synapse's statements run. Only linear relaxations with constant
 * coefficients ({@code -X / tau}, {@code (A - X) / tau}, tau and A numbers or expressions of scalar parameters) are
 * supported; other forms are refused when the model is built.
 *
 * <p>Or a clock-driven equation (Brian2's {@code dg/dt = -a * g + b * x * (1 - g) : 1 (clock-driven)}): the
 * variable is advanced at every step of a fixed-step solver, after the state of the populations, and its right-hand
 * side may read synapse variables, {@code x_pre}, {@code x_post}, {@code i}, {@code j}, {@code t} and parameters.
 *
 * @param name        the name (unique within the projection; it may not be a name of the model)
 * @param unit        its unit as written ({@code ""}: none)
 * @param initial     its initial value: one number for all synapses, or an expression evaluated per synapse
 * @param rate        the right-hand side of its equation {@code d name/dt = rate}, or null for none
 * @param clockDriven true if the equation is clock-driven (advanced every step), false if event-driven
 * @since 0.5
 */
public record SynapseVariableSpec(String name, String unit, ValueSpec initial, ExprSpec rate, boolean clockDriven) {

    /**
     * @param name        name
     * @param unit        unit
     * @param initial     initial value
     * @param rate        rate or null
     * @param clockDriven true for a clock-driven equation
     */
    public SynapseVariableSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(initial, "initial");
        if (rate == null && clockDriven) {
            throw new org.neurode.core.OdeException(org.neurode.core.ErrorCode.INVALID_ARGUMENT, "synapse variable '"
                    + name + "' is clock-driven but has no equation");
        }
    }

    /**
     * A variable without equation or with an event-driven one.
     *
     * @param name    name
     * @param unit    unit
     * @param initial initial value
     * @param rate    event-driven rate or null
     */
    public SynapseVariableSpec(final String name, final String unit, final ValueSpec initial, final ExprSpec rate) {
        this(name, unit, initial, rate, false);
    }

    /**
     * A variable without equation (changed by statements only).
     *
     * @param name    name
     * @param unit    unit
     * @param initial initial value
     */
    public SynapseVariableSpec(final String name, final String unit, final ValueSpec initial) {
        this(name, unit, initial, null, false);
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
     * A clock-driven variable, 0 at the start (Brian2's {@code dx/dt = -c * x : 1 (clock-driven)}), advanced at every
     * step of a fixed-step solver.
     *
     * @param name name
     * @param rate the right-hand side as text ({@code -a * g + b * x * (1 - g)})
     * @param unit unit ({@code ""}: none)
     * @return the variable
     * @since 0.5
     */
    public static SynapseVariableSpec clockDriven(final String name, final String rate, final String unit) {
        return new SynapseVariableSpec(name, unit, ValueSpec.Values.of(0.0), ExprText.parse(rate), true);
    }

    /**
     * @param r the event-driven rate (text), or null for none
     * @return a copy with it, event-driven
     */
    public SynapseVariableSpec withRate(final ExprSpec r) {
        return new SynapseVariableSpec(name, unit, initial, r, false);
    }

    /**
     * @param r      the rate, not null
     * @param clock  true for a clock-driven equation, false for an event-driven one
     * @return a copy with it
     * @since 0.5
     */
    public SynapseVariableSpec withRate(final ExprSpec r, final boolean clock) {
        return new SynapseVariableSpec(name, unit, initial, r, clock);
    }

    /**
     * @param v the initial value
     * @return a copy with it
     */
    public SynapseVariableSpec withInitial(final ValueSpec v) {
        return new SynapseVariableSpec(name, unit, v, rate, clockDriven);
    }

    /** @return true if the variable has an event-driven equation */
    public boolean eventDrivenVariable() {
        return rate != null && !clockDriven;
    }

    /**
     * @return true if the variable has a clock-driven equation
     * @since 0.5
     */
    public boolean clockDrivenVariable() {
        return clockDriven;
    }

    /** @return the flag of its equation as Brian2 writes it: {@code clock-driven} or {@code event-driven} */
    public String update() {
        return clockDriven ? "clock-driven" : "event-driven";
    }
}
