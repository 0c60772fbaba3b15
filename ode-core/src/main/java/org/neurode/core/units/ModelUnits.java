package org.neurode.core.units;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The units of a model as {@link UnitCheck#check} found them.
 *
 * @param checked     true if the model declares every unit and was checked; false for a unit-free model
 * @param withoutUnit the variables and parameters without a unit, in declaration order (empty when checked)
 * @param time        the time unit (empty when not checked)
 * @param units       the unit of every variable, parameter and let whose unit is known, in declaration order
 *                    (empty when not checked)
 * @since 0.3
 */
public record ModelUnits(boolean checked, List<String> withoutUnit, Optional<Unit> time, Map<String, Unit> units) {

    /**
     * @param checked     checked
     * @param withoutUnit declarations without a unit
     * @param time        time unit
     * @param units       units by name
     */
    public ModelUnits {
        withoutUnit = List.copyOf(withoutUnit);
        Objects.requireNonNull(time, "time");
        units = Collections.unmodifiableMap(new LinkedHashMap<>(units));
    }

    /**
     * @param name a variable, parameter or let
     * @return its unit, if known
     */
    public Optional<Unit> unit(final String name) {
        return Optional.ofNullable(units.get(name));
    }

    /**
     * The unit of a variable's derivative: unit(variable) / time unit.
     *
     * @param variable a variable
     * @return the unit, if the model was checked and the variable is known
     */
    public Optional<Unit> rate(final String variable) {
        return time.flatMap(t -> unit(variable).map(u -> u.dividedBy(t)));
    }

    /**
     * The unit of a noise amplitude on a variable: unit(variable) per square root of the time unit (mV/ms^0.5).
     *
     * @param variable a variable
     * @return the unit, if the model was checked and the variable is known
     */
    public Optional<Unit> noiseSigma(final String variable) {
        return time.flatMap(t -> unit(variable).map(u -> u.dividedBy(t.sqrt())));
    }
}
