package org.neurode.core.units;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.neurode.core.Detection;
import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;
import org.neurode.core.spec.EquationSpec;
import org.neurode.core.spec.ExprSpec;
import org.neurode.core.spec.LetSpec;
import org.neurode.core.spec.ModelSpec;
import org.neurode.core.spec.NoiseSpec;
import org.neurode.core.spec.ParameterSpec;
import org.neurode.core.spec.ThresholdSpec;
import org.neurode.core.spec.ValueSpec;
import org.neurode.core.spec.VariableKind;
import org.neurode.core.spec.VariableSpec;

class UnitCheckTest {

    /** A model written as text: {@code state v mV = -65}, {@code param tau ms = 10}, {@code let x = ...}. */
    private static final class Spec {
        private final String timeUnit;
        private final List<VariableSpec> variables = new ArrayList<>();
        private final List<ParameterSpec> parameters = new ArrayList<>();
        private final List<LetSpec> lets = new ArrayList<>();
        private final List<EquationSpec> equations = new ArrayList<>();
        private final List<NoiseSpec> noise = new ArrayList<>();
        private final List<ThresholdSpec> thresholds = new ArrayList<>();

        Spec(final String timeUnit) {
            this.timeUnit = timeUnit;
        }

        private static ValueSpec value(final String text) {
            final ExprSpec e = SpecText.parse(text);
            return e instanceof ExprSpec.Num n ? ValueSpec.Values.of(n.value()) : new ValueSpec.Expression(e);
        }

        Spec state(final String name, final String unit, final String initial) {
            variables.add(new VariableSpec(name, VariableKind.STATE, 1, 1, unit, value(initial), 1.0));
            return this;
        }

        Spec input(final String name, final String unit) {
            variables.add(new VariableSpec(name, VariableKind.INPUT, 1, 1, unit, ValueSpec.Values.of(0), 1.0));
            return this;
        }

        Spec param(final String name, final String unit, final String value) {
            parameters.add(new ParameterSpec(name, 1, 1, unit, value(value)));
            return this;
        }

        Spec let(final String name, final String body) {
            lets.add(new LetSpec(name, SpecText.parse(body)));
            return this;
        }

        Spec ode(final String variable, final String rhs) {
            equations.add(new EquationSpec(variable, SpecText.parse(rhs)));
            return this;
        }

        Spec noise(final String variable, final double sigma) {
            noise.add(new NoiseSpec(variable, sigma));
            return this;
        }

        Spec threshold(final String variable, final double theta, final double reset) {
            thresholds.add(new ThresholdSpec(variable, theta, reset, 2.0, Detection.STEP_END));
            return this;
        }

        ModelSpec build() {
            return new ModelSpec("m", timeUnit, variables, parameters, lets, equations, noise, thresholds);
        }

        ModelUnits check() {
            return UnitCheck.check(build());
        }

        String error() {
            final OdeException e = assertThrows(OdeException.class, this::check);
            assertEquals(ErrorCode.UNIT_MISMATCH, e.code(), e.getMessage());
            return e.getMessage();
        }
    }

    /** A leaky integrate-and-fire neuron driven by a current: E and v in mV, R in Mohm, I in nA, tau in ms. */
    private static Spec lif() {
        return new Spec("ms").state("v", "mV", "-65").input("I", "nA").param("E", "mV", "-65")
                .param("R", "Mohm", "10").param("tau", "ms", "10");
    }

    @Test
    void acceptsAConsistentModelAndReportsItsUnits() {
        final ModelUnits u = lif().let("drive", "R * I").ode("v", "(E - v + drive) / tau").noise("v", 0.5)
                .threshold("v", -50, -65).check();
        assertTrue(u.checked());
        assertEquals("ms", u.time().orElseThrow().toString());
        // Mohm * nA is mV: 1e6 * 1e-9 = 1e-3
        assertEquals(Unit.parse("mV"), u.unit("drive").orElseThrow());
        assertEquals("mV", u.unit("drive").orElseThrow().toString());
        assertEquals("mV/ms", u.rate("v").orElseThrow().format());
        assertEquals("mV/ms^0.5", u.noiseSigma("v").orElseThrow().format());
        assertEquals(List.of("v", "I", "E", "R", "tau", "drive"), List.copyOf(u.units().keySet()));
    }

    @Test
    void theIssueExampleNamesTheEquationAndBothUnits() {
        // dv/dt = (I - v)/tau with I in nA and v in mV
        assertEquals("in dv/dt = (I - v) / tau: 'I - v' subtracts 'v' in mV from 'I' in nA (a voltage and a "
                + "current)", lif().ode("v", "(I - v) / tau").error());
    }

    @Test
    void equationsKeepTheStrictSameScaleRule() {
        // same dimension, another scale: an error that names the factor, since nothing is converted at run time
        assertEquals("in dv/dt = (E - v) / tau: 'E - v' subtracts 'v' in mV from 'E' in V; they differ by a "
                + "factor 1000 and nothing is converted at run time: give both the same unit (e.g. 'v' in V)",
                new Spec("ms").state("v", "mV", "0").param("E", "V", "0").param("tau", "ms", "10")
                        .ode("v", "(E - v) / tau").error());
        // the right-hand side in mV/s while dv/dt is in mV/ms
        assertEquals("in dv/dt = -v / tau: the right-hand side is in mV/s (a voltage per time) but dv/dt is in "
                + "mV/ms (they differ by a factor 1000; nothing is converted at run time)",
                new Spec("ms").state("v", "mV", "0").param("tau", "s", "0.01").ode("v", "-v / tau").error());
        // a forgotten time constant
        assertEquals("in dv/dt = E - v: the right-hand side is in mV (a voltage) but dv/dt is in mV/ms "
                + "(a voltage per time) (divide by a time constant?)",
                new Spec("ms").state("v", "mV", "0").param("E", "mV", "0").ode("v", "E - v").error());
        // exp of a dimensional argument
        assertEquals("in dm/dt = exp(v) / tau: 'exp(v)' needs a dimensionless argument (unit 1) but 'v' in mV is "
                + "a voltage", new Spec("ms").state("v", "mV", "0").state("m", "1", "0").param("tau", "ms", "1")
                .ode("m", "exp(v) / tau").ode("v", "0").error());
    }

    @Test
    void letsAreInferredInOrderAndChecked() {
        assertEquals("in let x = v + I: 'v + I' adds 'I' in nA to 'v' in mV (a current and a voltage)",
                lif().let("x", "v + I").ode("v", "x / tau").error());
        // a let's unit flows into the equations that use it: R*I/tau is mV/ms
        assertTrue(lif().let("x", "R * I").ode("v", "x / tau").check().checked());
        assertEquals("in dv/dt = x: the right-hand side is in mV (a voltage) but dv/dt is in mV/ms (a voltage per "
                + "time) (divide by a time constant?)", lif().let("x", "R * I").ode("v", "x").error());
    }

    @Test
    void thresholdConditionsAreCheckedLikeEquations() {
        final ModelUnits u = lif().param("theta", "V", "-0.05").ode("v", "(E - v) / tau").check();
        assertEquals("in threshold v > theta: 'v > theta' compares 'v' in mV with 'theta' in V; they differ by a "
                + "factor 1000 and nothing is converted at run time: give both the same unit (e.g. 'theta' in mV)",
                assertThrows(OdeException.class, () -> u.infer(SpecText.parse("v > theta"), "in threshold v > theta"))
                        .getMessage());
        assertEquals(Unit.ONE, u.infer(SpecText.parse("v > E"), "threshold").orElseThrow());
        assertEquals("in threshold: 'v > I' compares 'v' in mV with 'I' in nA (a voltage and a current)",
                assertThrows(OdeException.class, () -> u.infer(SpecText.parse("v > I"), "in threshold"))
                        .getMessage());
    }

    @Test
    void parameterValuesWithUnitsAreConvertedOnceToTheDeclaredUnit() {
        final ModelSpec spec = lif().param("tau2", "ms", "0.01 * second").param("gL", "nS", "0.1 * uS")
                .param("C", "pF", "200 * pF").param("tauS", "s", "2 * tau").param("mix", "ms", "10 * ms + 0.5 * second")
                .param("k", "1", "tau / tauS").ode("v", "(E - v) / tau").build();
        final ModelUnits u = UnitCheck.check(spec);
        final Map<String, Double> values = evaluate(u.apply(spec));
        // the factors are rounded to 12 digits first (1/0.001 is 1000); these products then round to the
        // decimal results exactly, so they compare bit for bit
        assertEquals(10.0, values.get("tau2"), 0.0);
        assertEquals(100.0, values.get("gL"), 0.0);
        assertEquals(200.0, values.get("C"), 0.0);
        assertEquals(0.02, values.get("tauS"), 0.0);
        assertEquals(510.0, values.get("mix"), 0.0);
        // 10 ms / 0.02 s: 500 in ms/s, a dimensionless unit of scale 1e-3, is the pure number 0.5
        assertEquals(0.5, values.get("k"), 0.0);
        // the converted expressions have no unit names left
        assertEquals("0.01 * 1000", ExprText.of(((ValueSpec.Expression) u.values().get("tau2")).expression()));
        assertEquals("200", ExprText.of(((ValueSpec.Expression) u.values().get("C")).expression()));
        // values that needed nothing are the spec's own
        assertSame(spec.parameters().get(0).value(), u.values().get("E"));
    }

    @Test
    void initialValuesWithUnitsAreConvertedOnce() {
        final ModelSpec spec = new Spec("ms").state("v", "V", "-65 * mV").state("w", "mV", "-0.07 * volt")
                .state("n", "1", "0.3 + 0.1 * rand()").param("tau", "ms", "10")
                .ode("v", "-v / tau").ode("w", "-w / tau").ode("n", "-n / tau").build();
        final ModelUnits u = UnitCheck.check(spec);
        final Map<String, Double> values = evaluate(u.apply(spec));
        // -65 * 0.001 is -0.065 to one ulp (1.4e-17)
        assertEquals(-0.065, values.get("v"), 1.4e-17);
        assertEquals(-70.0, values.get("w"), 0.0);
        // a dimensionless expression (rand() evaluates to 0.5 here) is left alone
        assertEquals(0.35, values.get("n"), 0.0);
        assertSame(spec.variables().get(2).initial(), u.values().get("n"));
    }

    @Test
    void valuesOfTheWrongDimensionAreErrorsNamingBothUnits() {
        assertEquals("in parameter tau = 5 * mV: '5 * mV' is in mV (a voltage) but the declared unit is ms (a time)",
                new Spec("ms").state("v", "mV", "0").param("tau", "ms", "5 * mV").ode("v", "-v / tau").error());
        assertEquals("in the initial value of v = 2 * nA: '2 * nA' is in nA (a current) but the declared unit is mV "
                + "(a voltage)", new Spec("ms").state("v", "mV", "2 * nA").param("tau", "ms", "1")
                .ode("v", "-v / tau").error());
        // sums inside values convert scales but not dimensions
        assertEquals("in parameter tau = 10 * ms + 2 * mV: '10 * ms + 2 * mV' adds '2 * mV' in mV to '10 * ms' in "
                + "ms (a voltage and a time)", new Spec("ms").state("v", "mV", "0")
                .param("tau", "ms", "10 * ms + 2 * mV").ode("v", "-v / tau").error());
        // unit constants cannot be converted when part of the expression has an unknown unit
        assertEquals("in parameter tau = foo(2) * ms: the unit of 'foo(2)' is unknown, so the units in the "
                + "expression cannot be converted to ms", new Spec("ms").state("v", "mV", "0")
                .param("tau", "ms", "foo(2) * ms").ode("v", "-v / tau").error());
    }

    @Test
    void equationsAndLetsCannotUseUnitConstants() {
        assertEquals("in dv/dt = (-65 * mV - v) / tau: 'mV' is a unit, which an equation cannot use: equations "
                + "compute with numbers in the declared units (write -65 for -65 mV when the variable is in mV, "
                + "or declare a parameter for the constant); unit constants are for values and initial values",
                new Spec("ms").state("v", "mV", "0").param("tau", "ms", "10").ode("v", "(-65 * mV - v) / tau")
                        .error());
        assertTrue(new Spec("ms").state("v", "mV", "0").param("tau", "ms", "10").let("x", "v / ms")
                .ode("v", "x").error().startsWith("in let x = v / ms: 'ms' is a unit"));
        // a declared name that is also a unit spelling is the declared name (m, the gating variable)
        assertTrue(new Spec("ms").state("m", "1", "0").param("tau", "ms", "1").ode("m", "(1 - m) / tau").check()
                .checked());
    }

    @Test
    void aUnitFreeModelIsNeitherCheckedNorConverted() {
        final ModelSpec spec = new Spec("ms").state("v", "mV", "-65").param("tau", "", "0.01 * second")
                .param("I", "", "1").ode("v", "(I - v) / tau").build();
        final ModelUnits u = UnitCheck.check(spec);
        assertFalse(u.checked());
        assertEquals(List.of("tau", "I"), u.withoutUnit());
        assertTrue(u.time().isEmpty());
        assertTrue(u.values().isEmpty());
        assertSame(spec, u.apply(spec));
        assertTrue(u.infer(SpecText.parse("v > I"), "x").isEmpty());
    }

    @Test
    void aTimeUnitMustBeATime() {
        assertEquals("model 'm': the time unit mV is a voltage, not a time",
                new Spec("mV").state("v", "mV", "0").ode("v", "0").error());
        final OdeException e = assertThrows(OdeException.class,
                () -> new Spec("ms").state("v", "mv", "0").ode("v", "0").check());
        assertEquals(ErrorCode.UNIT_SYNTAX, e.code());
        assertEquals("in unit 'mv' at column 1: unknown unit 'mv'; did you mean 'mV'? (unit of variable 'v')",
                e.getMessage());
    }

    @Test
    void quantitiesFromFilesConvertToTheDeclaredUnit() {
        final Unit ms = Unit.parse("ms");
        assertEquals(10.0, Quantity.parse("10 ms", null).in(ms, null), 0.0);
        assertEquals(10.0, Quantity.parse("0.01 s", null).in(ms, null), 0.0);
        assertEquals(20.0, Quantity.parse(" 20*ms ", null).in(ms, null), 0.0);
        assertEquals(2.5, Quantity.parse("2.5ms", null).in(ms, null), 0.0);
        assertEquals(3.0, Quantity.parse("3", null).in(ms, null), 0.0);
        // -65 * 0.001 to one ulp (1.4e-17)
        assertEquals(-0.065, Quantity.parse("-65 mV", null).in(Unit.parse("V"), null), 1.4e-17);
        // 0.12 S/cm^2 is 120 mS/cm^2: 0.12 * 1000, to one ulp of 120 (1.5e-14)
        assertEquals(120.0, Quantity.parse("1.2e-1 S/cm2", null).in(Unit.parse("mS/cm^2"), null), 1.5e-14);
        assertEquals("10 ms", Quantity.parse("10 ms", null).toString());
        assertEquals("parameter 'tau': cannot convert 10 mV to ms: mV is a voltage but ms is a time",
                assertThrows(OdeException.class, () -> Quantity.parse("10 mV", null).in(ms, "parameter 'tau'"))
                        .getMessage());
        assertEquals("in unit '10 xs' at column 4: unknown unit 'xs'; known: V A S F ohm s Hz M mol m g K C J W N Pa "
                + "L with SI prefixes (mV, uS, kohm, ...), their names (volt, siemens, ...), 1 for none (tau)",
                assertThrows(OdeException.class, () -> Quantity.parse("10 xs", "tau")).getMessage());
        assertEquals("in unit 'ms' at column 1: expected a number, then a unit (as in 10 ms)",
                assertThrows(OdeException.class, () -> Quantity.parse("ms", null)).getMessage());
        assertEquals("in unit '10 *' at column 5: expected a unit after '*'",
                assertThrows(OdeException.class, () -> Quantity.parse("10 *", null)).getMessage());
        assertEquals("in unit '1.2.3 ms' at column 1: malformed number '1.2.3'",
                assertThrows(OdeException.class, () -> Quantity.parse("1.2.3 ms", null)).getMessage());
    }

    /** Evaluates the parameters, then the initial values, of a spec (rand() is 0.5). */
    private static Map<String, Double> evaluate(final ModelSpec spec) {
        final Map<String, Double> values = new HashMap<>();
        for (final ParameterSpec p : spec.parameters()) {
            values.put(p.name(), evaluate(p.value(), values));
        }
        for (final VariableSpec v : spec.variables()) {
            values.put(v.name(), evaluate(v.initial(), values));
        }
        return values;
    }

    private static double evaluate(final ValueSpec v, final Map<String, Double> names) {
        return v instanceof ValueSpec.Values n ? n.get(0) : evaluate(((ValueSpec.Expression) v).expression(), names);
    }

    private static double evaluate(final ExprSpec e, final Map<String, Double> names) {
        if (e instanceof ExprSpec.Num n) {
            return n.value();
        }
        if (e instanceof ExprSpec.Name n) {
            final Double v = names.get(n.name());
            if (v == null) {
                throw new IllegalArgumentException("unknown name " + n.name());
            }
            return v;
        }
        if (e instanceof ExprSpec.Unary u) {
            return -evaluate(u.arg(), names);
        }
        if (e instanceof ExprSpec.Sum s) {
            double acc = 0;
            for (final ExprSpec.Term t : s.terms()) {
                acc = t.negative() ? acc - evaluate(t.value(), names) : acc + evaluate(t.value(), names);
            }
            return acc;
        }
        if (e instanceof ExprSpec.Product p) {
            double acc = 1;
            for (final ExprSpec.Factor f : p.factors()) {
                acc = f.divide() ? acc / evaluate(f.value(), names) : acc * evaluate(f.value(), names);
            }
            return acc;
        }
        if (e instanceof ExprSpec.Call c && "rand".equals(c.function())) {
            return 0.5;
        }
        throw new IllegalArgumentException("cannot evaluate " + e);
    }
}
