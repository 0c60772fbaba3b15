package org.neurode.core.units;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;
import org.neurode.core.spec.EquationSpec;
import org.neurode.core.spec.EventSpec;
import org.neurode.core.spec.ExprSpec;
import org.neurode.core.spec.LetSpec;
import org.neurode.core.spec.ModelSpec;
import org.neurode.core.spec.ParameterSpec;
import org.neurode.core.spec.PopulationSpec;
import org.neurode.core.spec.ProjectionSpec;
import org.neurode.core.spec.StatementSpec;
import org.neurode.core.spec.SynapseVariableSpec;
import org.neurode.core.spec.ValueSpec;
import org.neurode.core.spec.VariableSpec;

/**
 * Dimensional analysis of a model at build time.
 *
 * <p><b>Only models with units are checked.</b> The check runs when every variable (state and input) and every
 * parameter declares a unit ({@code "1"} for dimensionless). If any of them has no unit ({@code ""}), the model
 * is unit-free: nothing is parsed, checked or converted, and {@link ModelUnits#withoutUnit()} names the
 * declarations without a unit. Unit-free models stay allowed.
 *
 * <p><b>Values are scaled to the declared units once, at build time; there are no units at run time.</b> In a
 * checked model:
 * <ul>
 * <li>the time unit must be a time, and each unit text must parse ({@link Unit#parse});</li>
 * <li>the value expression of a parameter and the initial value expression of a variable are computed once, so
 *     they may carry units and are <em>converted</em>: a name the model does not declare that is a unit is a unit
 *     constant ({@code tau = 0.01 * second} for a {@code tau} declared in ms is 10), and units of one dimension
 *     but different scales are converted where they meet ({@code 10 * ms + 0.5 * second}). The result must
 *     have the declared unit's dimension, or be dimensionless (plain numbers, read in the declared unit). The
 *     converted values are {@link ModelUnits#values()}; {@link ModelUnits#apply(ModelSpec)} puts them into
 *     the spec the compiler and the value evaluator use;</li>
 * <li>numbers written for a declaration are in its unit: values and initial values given as numbers,
 *     thresholds and resets in the variable's unit, refractory periods in the time unit, noise amplitudes in
 *     unit(variable) per square root of the time unit ({@link ModelUnits#noiseSigma}). A reader that finds a
 *     number with a unit ({@code "10 ms"}) converts it with {@link Quantity#in};</li>
 * <li>expressions evaluated at run time are checked <em>strictly</em> and never converted: each {@code let} is
 *     inferred in order (its unit is that of its body), and each equation's right-hand side must be in
 *     unit(variable) / time unit, dimension <em>and</em> scale. mV/s for a variable in mV with time in ms is an
 *     error that names the factor 1000, as is {@code v - E} with v in mV and E in V. Declare such quantities in
 *     one scale: the equations then run on plain doubles, unchanged. Unit constants are not allowed there;</li>
 * <li>a threshold condition or any other run-time expression a builder adds is checked with
 *     {@link ModelUnits#infer}, by the same strict rules.</li>
 * </ul>
 *
 * <p>The rules for expressions are those of {@link UnitInference}, with the names of
 * {@link UnitInference#builtIns} where the model does not declare them. Names the model does not declare (a
 * misspelt name, a function the checker does not know) have an unknown unit and are not reported here; the
 * compiler reports them. The first inconsistency found is reported, as {@link ErrorCode#UNIT_MISMATCH} with
 * the declaration in the model language's words ({@code in dv/dt = (I - v) / tau}, {@code in let ...},
 * {@code in parameter tau = ...}, {@code in the initial value of v = ...}) and both units as the user wrote
 * them.
 *
 * @since 0.3
 */
public final class UnitCheck {

    private UnitCheck() {
    }

    /**
     * Checks a model's units and converts its values, once, when it is built (before it is compiled).
     *
     * @param spec the model
     * @return the units found and the converted values: unchecked ({@link ModelUnits#checked()} false) for a
     *         unit-free model
     * @throws OdeException {@link ErrorCode#UNIT_SYNTAX} for a unit that does not parse, naming the declaration;
     *                      {@link ErrorCode#UNIT_MISMATCH} for an inconsistency, naming the equation, let,
     *                      parameter or variable, the subexpression and both units as a user writes them, e.g.
     *                      {@code in dv/dt = (I - v) / tau: 'I - v' subtracts 'v' in mV from 'I' in nA (a
     *                      voltage and a current)}
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
            return ModelUnits.unchecked(without);
        }
        // a model declared dimensionless throughout (every unit "1", as rate networks and textbook systems are)
        // runs on a dimensionless clock: nothing to check, and its equations need no 1/time
        boolean dimensionless = true;
        for (final VariableSpec v : spec.variables()) {
            dimensionless &= "1".equals(v.unit().trim());
        }
        for (final ParameterSpec p : spec.parameters()) {
            dimensionless &= "1".equals(p.unit().trim());
        }
        if (dimensionless) {
            return ModelUnits.unchecked(List.of());
        }
        final Unit time = Unit.parse(spec.timeUnit(), "time unit of model '" + spec.name() + "'");
        if (!time.dimension().equals(Dimension.of(Dimension.Base.TIME))) {
            throw new OdeException(ErrorCode.UNIT_MISMATCH, "model '" + spec.name() + "'", "the time unit "
                    + time + " is " + time.dimension().describe() + ", not a time");
        }
        // name -> unit; a null value is a let of unknown unit (it shadows a built-in of the same name)
        final Map<String, Unit> units = new LinkedHashMap<>();
        final Set<String> declared = new HashSet<>();
        for (final VariableSpec v : spec.variables()) {
            units.put(v.name(), Unit.parse(v.unit(), "unit of variable '" + v.name() + "'"));
            declared.add(v.name());
        }
        for (final ParameterSpec p : spec.parameters()) {
            units.put(p.name(), Unit.parse(p.unit(), "unit of parameter '" + p.name() + "'"));
            declared.add(p.name());
        }
        for (final LetSpec let : spec.lets()) {
            declared.add(let.name());
        }
        final ModelUnits.Symbols symbols = new ModelUnits.Symbols(units, declared, time);
        final Map<String, ValueSpec> values = new LinkedHashMap<>();
        for (final ParameterSpec p : spec.parameters()) {
            values.put(p.name(), value(p.value(), units.get(p.name()), "in parameter " + p.name() + " = ",
                    symbols));
        }
        for (final VariableSpec v : spec.variables()) {
            values.put(v.name(), value(v.initial(), units.get(v.name()), "in the initial value of " + v.name()
                    + " = ", symbols));
        }
        for (final LetSpec let : spec.lets()) {
            final Supplier<String> where = () -> "in let " + let.name() + " = " + ExprText.of(let.body());
            unitConstants(let.body(), symbols, where);
            final Optional<Unit> u = UnitInference.infer(let.body(), symbols::unit, where);
            units.put(let.name(), u.orElse(null));
        }
        for (final EquationSpec eq : spec.equations()) {
            equation(eq, units, time, symbols);
        }
        for (final EventSpec ev : spec.events()) {
            event(ev, units, time, symbols);
        }
        for (final ProjectionSpec pr : spec.projections()) {
            projection(pr, spec, units, declared, time);
        }
        return ModelUnits.checked(time, symbols, values);
    }

    private static ValueSpec value(final ValueSpec value, final Unit declared, final String where,
                                   final ModelUnits.Symbols symbols) {
        if (!(value instanceof ValueSpec.Expression x)) {
            return value;
        }
        final ExprSpec converted = UnitInference.convert(x.expression(), symbols::unit, symbols::declares,
                declared, where + ExprText.of(x.expression()));
        return converted == x.expression() ? value : new ValueSpec.Expression(converted);
    }

    private static void equation(final EquationSpec eq, final Map<String, Unit> units, final Unit time,
                                 final ModelUnits.Symbols symbols) {
        final Supplier<String> where = () -> "in d" + eq.variable() + "/dt = " + ExprText.of(eq.rhs());
        unitConstants(eq.rhs(), symbols, where);
        final Optional<Unit> rhs = UnitInference.infer(eq.rhs(), symbols::unit, where);
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
            throw new OdeException(ErrorCode.UNIT_MISMATCH, where.get(), "the right-hand side is in " + u + " ("
                    + u.dimension().describe() + ") but d" + eq.variable() + "/dt is in " + rate(variable, time)
                    + (u.sameDimension(expected) ? "" : " (" + expected.dimension().describe() + ")") + hint);
        }
    }

    /**
     * An event: its condition by the rules of run-time expressions; each statement's value in the unit of the
     * variable it assigns ({@code =}, {@code +=}, {@code -=}) or dimensionless ({@code *=}, {@code /=}); its
     * refractory period, computed once, a time (unit constants allowed, converted).
     */
    private static void event(final EventSpec ev, final Map<String, Unit> units, final Unit time,
                              final ModelUnits.Symbols symbols) {
        final Supplier<String> threshold = () -> "in event " + ev.name() + ": threshold " + ExprText.of(ev.threshold());
        unitConstants(ev.threshold(), symbols, threshold);
        UnitInference.infer(ev.threshold(), symbols::unit, threshold);
        for (final StatementSpec st : ev.reset()) {
            statement(st, units.get(st.variable()), symbols, () -> "in event " + ev.name() + ": statement '"
                    + st.variable() + " " + st.op() + " " + ExprText.of(st.value()) + "'");
        }
        if (!ev.hasNoRefractory()) {
            UnitInference.convert(ev.refractory(), symbols::unit, symbols::declares, time, "in event " + ev.name()
                    + ": refractory " + ExprText.of(ev.refractory()));
        }
    }

    /**
     * A projection: each {@code on_pre} statement's value in the unit of the variable it assigns, or dimensionless
     * for {@code *=} and {@code /=}; names as the statements resolve them ({@code x_pre}, {@code x_post}, a bare
     * name of the target, synapse variables, {@code i}, {@code j}, {@code N_pre}, {@code N_post}); each event- or
     * clock-driven equation in the unit of its variable per time unit; each summed variable in the unit of the
     * input it sets.
     */
    private static void projection(final ProjectionSpec pr, final ModelSpec spec, final Map<String, Unit> units,
                                   final Set<String> declared, final Unit time) {
        final PopulationSpec source = spec.population(pr.source());
        final PopulationSpec target = spec.population(pr.target());
        if (source == null || target == null) {
            return;
        }
        final Map<String, Unit> local = new LinkedHashMap<>(units);
        final Set<String> names = new HashSet<>(declared);
        for (final String v : source.variables()) {
            local.put(v + "_pre", units.get(v));
            names.add(v + "_pre");
        }
        for (final String v : target.variables()) {
            local.put(v + "_post", units.get(v));
            local.put(v, units.get(v));
            names.add(v + "_post");
        }
        for (final SynapseVariableSpec v : pr.variables()) {
            local.put(v.name(), v.unit().isBlank() ? null : Unit.parse(v.unit(), "unit of synapse variable '"
                    + v.name() + "' of projection '" + pr.name() + "'"));
            names.add(v.name());
        }
        for (final String n : List.of("i", "j", "N_pre", "N_post")) {
            local.put(n, Unit.ONE);
            names.add(n);
        }
        final ModelUnits.Symbols symbols = new ModelUnits.Symbols(local, names, time);
        for (final StatementSpec st : pr.onPre()) {
            final Supplier<String> where = () -> "in projection " + pr.name() + ": on_pre statement '"
                    + st.variable() + " " + st.op() + " " + ExprText.of(st.value()) + "'";
            statement(st, local.get(st.variable()), symbols, where);
        }
        for (final StatementSpec st : pr.onPost()) {
            final Supplier<String> where = () -> "in projection " + pr.name() + ": on_post statement '"
                    + st.variable() + " " + st.op() + " " + ExprText.of(st.value()) + "'";
            statement(st, local.get(st.variable()), symbols, where);
        }
        for (final SynapseVariableSpec v : pr.variables()) {
            if (v.rate() == null) {
                continue;
            }
            final Supplier<String> where = () -> "in projection " + pr.name() + ": " + v.update() + " equation 'd"
                    + v.name() + "/dt = " + ExprText.of(v.rate()) + "'";
            unitConstants(v.rate(), symbols, where);
            final Optional<Unit> rate = UnitInference.infer(v.rate(), symbols::unit, where);
            final Unit own = local.get(v.name());
            if (rate.isPresent() && own != null && !rate.get().equals(own.dividedBy(time))) {
                throw new OdeException(ErrorCode.UNIT_MISMATCH, where.get(), "the right-hand side is in "
                        + rate.get() + ", not in the unit of " + v.name() + " per time unit");
            }
        }
        for (final StatementSpec st : pr.summed()) {
            final Supplier<String> where = () -> "in projection " + pr.name() + ": summed variable '"
                    + st.variable() + " = " + ExprText.of(st.value()) + "'";
            statement(st, local.get(st.variable()), symbols, where);
        }
    }

    /** A statement's value: in the unit of its variable ({@code =, +=, -=}) or dimensionless ({@code *=, /=}). */
    private static void statement(final StatementSpec st, final Unit variable, final ModelUnits.Symbols symbols,
                                  final Supplier<String> where) {
        unitConstants(st.value(), symbols, where);
        final Optional<Unit> value = UnitInference.infer(st.value(), symbols::unit, where);
        if (value.isEmpty() || variable == null || isZero(st.value())) {
            return;
        }
        final Unit u = value.get();
        final boolean scaling = "*=".equals(st.op()) || "/=".equals(st.op());
        final Unit expected = scaling ? Unit.ONE : variable;
        if (!u.equals(expected)) {
            throw new OdeException(ErrorCode.UNIT_MISMATCH, where.get(), "'" + ExprText.of(st.value()) + "' is in "
                    + u + " (" + u.dimension().describe() + ") but " + (scaling ? "a factor ('" + st.op()
                    + "') must be dimensionless" : "'" + st.variable() + "' is in " + variable + " ("
                    + variable.dimension().describe() + ")") + differ(u, expected));
        }
    }

    /**
     * A unit constant in a run-time expression is refused with advice (the compiler would only call it an
     * unknown name): equations run on numbers in the declared units.
     */
    static void unitConstants(final ExprSpec e, final ModelUnits.Symbols symbols, final Supplier<String> where) {
        final String name = firstUnitConstant(e, symbols, Collections.newSetFromMap(new IdentityHashMap<>(8)), 0);
        if (name != null) {
            throw new OdeException(ErrorCode.UNIT_MISMATCH, where.get(), "'" + name + "' is a unit, which an equation "
                    + "cannot use: equations compute with numbers in the declared units (write -65 for -65 mV "
                    + "when the variable is in mV, or declare a parameter for the constant); unit constants are "
                    + "for values and initial values");
        }
    }

    /** Depth first, each shared subtree once; null if there is none. */
    private static String firstUnitConstant(final ExprSpec e, final ModelUnits.Symbols symbols,
                                            final Set<ExprSpec> seen, final int depth) {
        if (e instanceof ExprSpec.Num) {
            return null;
        }
        if (e instanceof ExprSpec.Name n) {
            return !symbols.declares(n.name()) && symbols.unit(n.name()) == null
                    && UnitParser.constant(n.name()) != null ? n.name() : null;
        }
        if (depth > UnitInference.MAX_DEPTH || !seen.add(e)) {
            return null;
        }
        String found = null;
        if (e instanceof ExprSpec.Unary u) {
            found = firstUnitConstant(u.arg(), symbols, seen, depth + 1);
        } else if (e instanceof ExprSpec.Binary b) {
            found = firstUnitConstant(b.left(), symbols, seen, depth + 1);
            if (found == null) {
                found = firstUnitConstant(b.right(), symbols, seen, depth + 1);
            }
        } else if (e instanceof ExprSpec.Sum s) {
            for (int k = 0; k < s.terms().size() && found == null; k++) {
                found = firstUnitConstant(s.terms().get(k).value(), symbols, seen, depth + 1);
            }
        } else if (e instanceof ExprSpec.Product p) {
            for (int k = 0; k < p.factors().size() && found == null; k++) {
                found = firstUnitConstant(p.factors().get(k).value(), symbols, seen, depth + 1);
            }
        } else if (e instanceof ExprSpec.Call c) {
            for (int k = 0; k < c.args().size() && found == null; k++) {
                found = firstUnitConstant(c.args().get(k), symbols, seen, depth + 1);
            }
        } else if (e instanceof ExprSpec.Part p) {
            found = firstUnitConstant(p.base(), symbols, seen, depth + 1);
        }
        return found;
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

    /** " (they differ by a factor F ...)" for units of one dimension and different scales, else "". */
    private static String differ(final Unit a, final Unit b) {
        if (!a.sameDimension(b)) {
            return "";
        }
        return " (they differ by a factor " + Unit.number(Math.max(a.scale() / b.scale(), b.scale() / a.scale()))
                + "; nothing is converted at run time)";
    }
}
