package org.neurode.core.units;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;
import org.neurode.core.spec.ExprSpec;
import org.neurode.core.spec.ModelSpec;
import org.neurode.core.spec.ParameterSpec;
import org.neurode.core.spec.ValueSpec;
import org.neurode.core.spec.VariableSpec;

/**
 * The units of a model as {@link UnitCheck#check} found them, and its values converted to the declared units.
 *
 * <p>The rule: values are scaled to the declared units once, at build time, and nothing about units is left at
 * run time. A parameter declared in ms whose value is {@code 0.01 * second} has the value expression {@code 10}
 * here ({@link #values()}); a builder evaluates these, not the spec's, through {@link #apply(ModelSpec)}.
 * Equations are never converted: they must already agree in scale (see {@link UnitCheck}).
 *
 * <p>A unit-free model ({@link #checked()} false) has no units, no time unit and its values as they are.
 * Immutable.
 *
 * @since 0.3
 */
public final class ModelUnits {

    /** The units of a checked model's names: declared ones, lets (null while unknown) and built-ins. */
    static final class Symbols {
        private final Map<String, Unit> units;
        private final Set<String> declared;
        private final Unit time;

        Symbols(final Map<String, Unit> units, final Set<String> declared, final Unit time) {
            this.units = units;
            this.declared = declared;
            this.time = time;
        }

        /** @return the unit of a name, null if unknown (a let of unknown unit, an undeclared name) */
        Unit unit(final String name) {
            return units.containsKey(name) ? units.get(name) : UnitInference.builtIn(name, time);
        }

        /** @return the units of the declared names and lets (null: a let of unknown unit) */
        Map<String, Unit> units() {
            return units;
        }

        /** @return true for a name the model declares (never a unit constant) */
        boolean declares(final String name) {
            return declared.contains(name);
        }
    }

    private final boolean checked;
    private final List<String> withoutUnit;
    private final Optional<Unit> time;
    private final Map<String, Unit> units;
    private final Map<String, ValueSpec> values;
    private final Symbols symbols;

    private ModelUnits(final boolean checked, final List<String> withoutUnit, final Optional<Unit> time,
                       final Map<String, Unit> units, final Map<String, ValueSpec> values, final Symbols symbols) {
        this.checked = checked;
        this.withoutUnit = List.copyOf(withoutUnit);
        this.time = Objects.requireNonNull(time, "time");
        this.units = Collections.unmodifiableMap(new LinkedHashMap<>(units));
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        this.symbols = symbols;
    }

    static ModelUnits unchecked(final List<String> withoutUnit) {
        return new ModelUnits(false, withoutUnit, Optional.empty(), Map.of(), Map.of(), null);
    }

    static ModelUnits checked(final Unit time, final Symbols symbols, final Map<String, ValueSpec> values) {
        final Map<String, Unit> known = new LinkedHashMap<>();
        symbols.units().forEach((name, unit) -> {
            if (unit != null) {
                known.put(name, unit);
            }
        });
        return new ModelUnits(true, List.of(), Optional.of(time), known, values, symbols);
    }

    /** @return true if the model declares every unit and was checked; false for a unit-free model */
    public boolean checked() {
        return checked;
    }

    /** @return the variables and parameters without a unit, in declaration order (empty when checked) */
    public List<String> withoutUnit() {
        return withoutUnit;
    }

    /** @return the time unit (empty when not checked) */
    public Optional<Unit> time() {
        return time;
    }

    /**
     * @return the unit of every variable, parameter and let whose unit is known, in declaration order (empty
     *         when not checked)
     */
    public Map<String, Unit> units() {
        return units;
    }

    /**
     * The values in the declared units: for each parameter its value and for each variable its initial value,
     * by name, in declaration order (parameters first). Numbers are as declared (they are in the declared
     * unit); an expression is rewritten without unit constants and with the factors between scales, so that
     * evaluating it gives a number in the declared unit ({@code 0.01 * second} for a parameter in ms becomes
     * {@code 0.01 * 1000}); an expression that needed nothing is the spec's own. Empty when not checked.
     *
     * @return name to value
     */
    public Map<String, ValueSpec> values() {
        return values;
    }

    /**
     * The spec with its values replaced by {@link #values()}: what a builder compiles and evaluates. The spec
     * itself when the model is unit-free or nothing was converted.
     *
     * @param spec the spec this was checked from
     * @return the spec with converted values
     * @throws OdeException {@link ErrorCode#INVALID_ARGUMENT} if the spec has a parameter or variable this
     *                      check did not see
     */
    public ModelSpec apply(final ModelSpec spec) {
        if (!checked) {
            return spec;
        }
        boolean changed = false;
        final List<ParameterSpec> parameters = new ArrayList<>(spec.parameters().size());
        for (final ParameterSpec p : spec.parameters()) {
            final ValueSpec v = converted(p.name(), p.value());
            changed |= v != p.value();
            parameters.add(v == p.value() ? p : new ParameterSpec(p.name(), p.rows(), p.cols(), p.unit(), v));
        }
        final List<VariableSpec> variables = new ArrayList<>(spec.variables().size());
        for (final VariableSpec x : spec.variables()) {
            final ValueSpec v = converted(x.name(), x.initial());
            changed |= v != x.initial();
            variables.add(v == x.initial() ? x : new VariableSpec(x.name(), x.kind(), x.rows(), x.cols(), x.unit(),
                    v, x.scale()));
        }
        if (!changed) {
            return spec;
        }
        return spec.withLists(variables, parameters, spec.noise());
    }

    private ValueSpec converted(final String name, final ValueSpec value) {
        final ValueSpec v = values.get(name);
        if (v == null) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "'" + name + "' was not in the model whose units "
                    + "were checked; check the units of this spec");
        }
        // the spec's own value (equal, as records are) stays the same object
        return v.equals(value) ? value : v;
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

    /**
     * Checks an expression evaluated at run time (a threshold condition such as {@code v > theta}) by the strict
     * rules of equations, with the model's names.
     *
     * @param expression the expression
     * @param where      what it is, the start of every message (e.g. {@code "in threshold v > theta"})
     * @return its unit; empty if unknown or the model is unit-free
     * @throws OdeException {@link ErrorCode#UNIT_MISMATCH} as {@link UnitInference#infer}
     */
    public Optional<Unit> infer(final ExprSpec expression, final String where) {
        if (!checked) {
            return Optional.empty();
        }
        UnitCheck.unitConstants(expression, symbols, () -> where);
        return UnitInference.infer(expression, symbols::unit, where);
    }

    /**
     * Converts an expression evaluated once at build time to a unit, as {@link #values()} are: unit constants
     * and factors between scales allowed, the model's names in their declared units.
     *
     * @param expression the expression
     * @param target     the unit wanted
     * @param where      what it is, the start of every message
     * @return an expression whose value is in {@code target}; {@code expression} itself for a unit-free model
     * @throws OdeException {@link ErrorCode#UNIT_MISMATCH} for a dimension other than the target's
     */
    public ExprSpec convert(final ExprSpec expression, final Unit target, final String where) {
        if (!checked) {
            return expression;
        }
        return UnitInference.convert(expression, symbols::unit, symbols::declares, target, where);
    }

    @Override
    public String toString() {
        return checked ? "ModelUnits[time " + time.orElseThrow() + ", " + units + "]"
                : "ModelUnits[unit-free; without unit: " + withoutUnit + "]";
    }
}
