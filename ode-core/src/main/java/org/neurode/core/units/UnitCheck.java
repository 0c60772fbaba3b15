package org.neurode.core.units;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;
import org.neurode.core.spec.EquationSpec;
import org.neurode.core.spec.ExprSpec;
import org.neurode.core.spec.LetSpec;
import org.neurode.core.spec.ModelSpec;
import org.neurode.core.spec.ParameterSpec;
import org.neurode.core.spec.ValueSpec;
import org.neurode.core.spec.VariableSpec;

/**
 * Dimensional analysis of a model at build time.
 *
 * <p><b>Only models with units are checked.</b> The check runs when every variable (state and input) and every
 * parameter declares a unit ({@code "1"} for dimensionless). If any of them has no unit ({@code ""}), the model
 * is unit-free: nothing is parsed or checked, and {@link ModelUnits#withoutUnit()} names the declarations without
 * a unit. Unit-free models stay allowed.
 *
 * <p>A checked model: the time unit must be a time; each unit text must parse ({@link Unit#parse});
 * the value expressions of parameters and the initial value expressions of variables must be in the declared unit,
 * or dimensionless (their numbers are then read in the declared unit); each {@code let} is inferred in order
 * (its unit is that of its body); each equation's right-hand side must be in unit(variable) / time unit,
 * dimension <em>and</em> scale (mV/s for a variable in mV with time in ms is an error that names the factor
 * 1000: nothing is converted at run time). Numbers written into the model are in the declared units:
 * initial values and thresholds in the variable's unit, refractory periods in the time unit, noise amplitudes in
 * unit(variable) per square root of the time unit ({@link ModelUnits#noiseSigma}); these are numbers, so there
 * is nothing to check. The rules for expressions are those of {@link UnitInference}, with the names of
 * {@link UnitInference#builtIns} where the model does not declare them.
 *
 * <p>Names the model does not declare (a misspelt name, a function the checker does not know) have an unknown
 * unit and are not reported here; the compiler reports them. The first inconsistency found is reported.
 *
 * @since 0.3
 */
public final class UnitCheck {

    private UnitCheck() {
    }

    /**
     * Checks a model's units, once, when it is built (before it is compiled).
     *
     * @param spec the model
     * @return the units found: unchecked ({@link ModelUnits#checked()} false) for a unit-free model
     * @throws OdeException {@link ErrorCode#UNIT_SYNTAX} for a unit that does not parse, naming the declaration;
     *                      {@link ErrorCode#UNIT_MISMATCH} for an inconsistency, naming the equation, let,
     *                      parameter or variable, the subexpression and both units as a user writes them, e.g.
     *                      {@code equation of 'v': (I - v) subtracts 'v' in mV from 'I' in nA}
     */
    public static ModelUnits check(final ModelSpec spec) {
        final List<String> without = new ArrayList<>();
        for (final VariableSpec v : spec.variables()) {
            if (v.unit().isBlank()) {
                without.add(v.name());
            }
        }
        for (final ParameterSpec p : spec.parameters()) {
            if (p.unit().isBlank()) {
                without.add(p.name());
            }
        }
        if (!without.isEmpty()) {
            return new ModelUnits(false, without, Optional.empty(), Map.of());
        }
        final Unit time = Unit.parse(spec.timeUnit(), "time unit of model '" + spec.name() + "'");
        if (!time.dimension().equals(Dimension.of(Dimension.Base.TIME))) {
            throw new OdeException(ErrorCode.UNIT_MISMATCH, "model '" + spec.name() + "'", "the time unit "
                    + time + " is " + time.dimension().describe() + ", not a time");
        }
        // name -> unit; a null value is a let of unknown unit (it shadows a built-in of the same name)
        final Map<String, Unit> units = new LinkedHashMap<>();
        for (final VariableSpec v : spec.variables()) {
            units.put(v.name(), Unit.parse(v.unit(), "unit of variable '" + v.name() + "'"));
        }
        for (final ParameterSpec p : spec.parameters()) {
            units.put(p.name(), Unit.parse(p.unit(), "unit of parameter '" + p.name() + "'"));
        }
        final Function<String, Unit> symbols = name -> units.containsKey(name)
                ? units.get(name) : UnitInference.builtIn(name, time);
        for (final ParameterSpec p : spec.parameters()) {
            value(p.value(), units.get(p.name()), "value of parameter '" + p.name() + "'", p.name(), symbols);
        }
        for (final VariableSpec v : spec.variables()) {
            value(v.initial(), units.get(v.name()), "initial value of '" + v.name() + "'", v.name(), symbols);
        }
        for (final LetSpec let : spec.lets()) {
            final Optional<Unit> u = UnitInference.infer(let.body(), symbols, "let '" + let.name() + "'");
            units.put(let.name(), u.orElse(null));
        }
        for (final EquationSpec eq : spec.equations()) {
            equation(eq, units, time, symbols);
        }
        final Map<String, Unit> known = new LinkedHashMap<>();
        units.forEach((name, unit) -> {
            if (unit != null) {
                known.put(name, unit);
            }
        });
        return new ModelUnits(true, List.of(), Optional.of(time), known);
    }

    private static void value(final ValueSpec value, final Unit declared, final String where, final String name,
                              final Function<String, Unit> symbols) {
        if (!(value instanceof ValueSpec.Expression x)) {
            return;
        }
        final Optional<Unit> u = UnitInference.infer(x.expression(), symbols, where);
        if (u.isPresent() && !u.get().isOne() && !u.get().equals(declared)) {
            throw new OdeException(ErrorCode.UNIT_MISMATCH, where, "the expression is in " + u.get() + " but '"
                    + name + "' is declared in " + declared + differ(u.get(), declared));
        }
    }

    private static void equation(final EquationSpec eq, final Map<String, Unit> units, final Unit time,
                                 final Function<String, Unit> symbols) {
        final String where = "equation of '" + eq.variable() + "'";
        final Optional<Unit> rhs = UnitInference.infer(eq.rhs(), symbols, where);
        final Unit variable = units.get(eq.variable());
        if (rhs.isEmpty() || variable == null || isZero(eq.rhs())) {
            return;
        }
        final Unit expected = variable.dividedBy(time);
        final Unit u = rhs.get();
        if (!u.equals(expected)) {
            String hint = differ(u, expected);
            if (hint.isEmpty() && u.sameDimension(variable)) {
                hint = " (divide by a time constant?)";
            }
            throw new OdeException(ErrorCode.UNIT_MISMATCH, where, "the right-hand side is in " + u + " but d"
                    + eq.variable() + "/dt is in " + rate(variable, time) + hint);
        }
    }

    private static boolean isZero(final ExprSpec e) {
        return e instanceof ExprSpec.Num n && n.value() == 0.0;
    }

    /** The text of unit(variable)/time as the user wrote the two: mV/ms, uA/cm^2/ms, (mV*ms)/ms. */
    static String rate(final Unit variable, final Unit time) {
        final String v = variable.toString();
        final boolean plain = v.chars().noneMatch(c -> c == ' ' || c == '*' || c == '.' || c == '_' || c == '(');
        if ("1".equals(v)) {
            return "1/" + time;
        }
        return (plain ? v : "(" + v + ")") + "/" + time;
    }

    /** " (they differ by a factor F)" for units of one dimension and different scales, else "". */
    private static String differ(final Unit a, final Unit b) {
        if (!a.sameDimension(b)) {
            return "";
        }
        return " (they differ by a factor " + Unit.number(Math.max(a.scale() / b.scale(), b.scale() / a.scale()))
                + "; nothing is converted at run time)";
    }
}
