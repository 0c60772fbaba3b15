package org.neurode.core.units;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;
import org.neurode.core.spec.ExprSpec;

class UnitInferenceTest {

    private static final Unit MS = Unit.parse("ms");
    private static final Map<String, Unit> NAMES = Map.of("v", Unit.parse("mV"), "E", Unit.parse("V"),
            "tau", MS, "g", Unit.parse("nS"), "I", Unit.parse("pA"), "x", Unit.ONE, "sigma",
            Unit.parse("mV/ms^0.5"));
    private static final Function<String, Unit> SYMBOLS = n -> NAMES.containsKey(n) ? NAMES.get(n)
            : UnitInference.builtIn(n, MS);

    private static Optional<Unit> infer(final String text) {
        return UnitInference.infer(SpecText.parse(text), SYMBOLS, "in test");
    }

    private static String unit(final String text) {
        return infer(text).orElseThrow().format();
    }

    private static String error(final String text) {
        final OdeException e = assertThrows(OdeException.class, () -> infer(text));
        assertEquals(ErrorCode.UNIT_MISMATCH, e.code());
        return e.getMessage();
    }

    @Test
    void productsPowersAndFunctionsCombineUnits() {
        assertEquals("pA", unit("g * v"));
        assertEquals("mV/ms", unit("-v / tau"));
        assertEquals("mV^2", unit("v^2"));
        assertEquals("mV^2", unit("pow(v, 4/2)"));
        assertEquals("ms^0.5", unit("sqrt(tau)"));
        assertEquals("1/mV", unit("v^-1"));
        assertEquals("mV", unit("abs(relu(v))"));
        assertEquals("1", unit("exp(x) + sigmoid(v / v) + step(v) + rand()"));
        assertEquals("mV/ms", unit("sigma * xi"));
        assertEquals("mV/ms", unit("sigma * xi_2"));
        assertEquals("1", unit("(v > 0) and not (tau < t)"));
        assertEquals("mV", unit("where(v > 0, v, 0)"));
        assertEquals("mV", unit("max(v, 0) + min(v, v, -v) + clip(v, 0, v)"));
        assertEquals("1", unit("x^x"));
        assertEquals("1", unit("i / N + pi + e"));
    }

    @Test
    void unknownNamesAndFunctionsGiveNoUnitButKnownPartsAreStillChecked() {
        assertTrue(infer("v + nope").isEmpty());
        assertTrue(infer("foo(v)").isEmpty());
        assertTrue(infer("v @ nope").isEmpty());
        assertEquals("in test: 'v + I' adds 'I' in pA to 'v' in mV (a current and a voltage)",
                error("foo(v + I)"));
    }

    @Test
    void mismatchesNameTheSubexpressionAndBothUnits() {
        assertEquals("in test: 'v + tau' adds 'tau' in ms to 'v' in mV (a time and a voltage)", error("v + tau"));
        assertEquals("in test: 'max(v, I)' takes 'v' in mV and 'I' in pA (a voltage and a current)",
                error("max(v, I)"));
        assertEquals("in test: 'where(x > 0, v, tau)' chooses between 'v' in mV and 'tau' in ms (a voltage and a "
                + "time)", error("where(x > 0, v, tau)"));
        assertEquals("in test: 'v^x' raises 'v' in mV to the power 'x', which is not a constant; only a "
                + "dimensionless base (unit 1) can have a variable exponent", error("v^x"));
        assertEquals("in test: 'x^tau' has the exponent 'tau' in ms; an exponent must be dimensionless (unit 1)",
                error("x^tau"));
        assertEquals("in test: 'v^0.25' raises 'v' in mV to the power 0.25, which gives no unit: exponents of "
                + "units must be multiples of 1/2", error("v^0.25"));
        assertEquals("in test: 'sqrt(sigma)' takes the square root of 'sigma' in mV/ms^0.5, which gives no unit: "
                + "exponents of units must be multiples of 1/2", error("sqrt(sigma)"));
        assertEquals("in test: 'exp(v / E)' needs a dimensionless argument (unit 1) but 'v / E' in mV/V, a factor "
                + "0.001 from 1 (nothing is converted at run time)", error("exp(v / E)"));
        // a scale beyond doubles is named from its logarithm, not as Infinity
        assertEquals("in test: 'tau^200' has a unit whose scale (1e-600 in SI) is out of range", error("tau^200"));
    }

    @Test
    void deepNestingIsAnErrorNotAStackOverflow() {
        ExprSpec e = new ExprSpec.Name("v");
        for (int k = 0; k < UnitInference.MAX_DEPTH + 5; k++) {
            e = new ExprSpec.Call("abs", List.of(e));
        }
        final ExprSpec deep = e;
        final OdeException x = assertThrows(OdeException.class,
                () -> UnitInference.infer(deep, SYMBOLS, "in test"));
        assertEquals("in test: the expression nests deeper than 1000 levels; name inner parts with 'let'",
                x.getMessage());
    }

    @Test
    void exponentsOutOfRangeAreUnitErrors() {
        // s has scale 1, so only the exponent can overflow: s^524288 is the limit, s^524288 * s and s^524289 pass it
        final Function<String, Unit> second = n -> Unit.parse("s");
        for (final String text : new String[] {"t^524288 * t", "t^524289"}) {
            final OdeException e = assertThrows(OdeException.class,
                    () -> UnitInference.infer(SpecText.parse(text), second, "in test"));
            assertEquals(ErrorCode.UNIT_MISMATCH, e.code());
            assertEquals("in test: '" + text + "' has a unit with an exponent above 524288", e.getMessage());
        }
        assertEquals(Dimension.of(Dimension.Base.TIME).power(524288),
                UnitInference.infer(SpecText.parse("t^524288"), second, "in test").orElseThrow().dimension());
    }

    @Test
    void sharedSubtreesAreInferredOnce() {
        // a chain of 200 sums each using the previous one twice: 2^200 paths, one visit per node
        ExprSpec e = new ExprSpec.Name("v");
        for (int k = 0; k < 200; k++) {
            e = new ExprSpec.Sum(List.of(new ExprSpec.Term(false, e), new ExprSpec.Term(true, e)));
        }
        assertEquals(Unit.parse("mV"), UnitInference.infer(e, SYMBOLS, "in test").orElseThrow());
    }

    private static ExprSpec convert(final String text, final String target) {
        return UnitInference.convert(SpecText.parse(text), SYMBOLS, NAMES::containsKey, Unit.parse(target),
                "in test");
    }

    @Test
    void conversionRewritesValuesIntoTheTargetUnit() {
        assertEquals("10", ExprText.of(convert("10 * ms", "ms")));
        assertEquals("0.01 * 1000", ExprText.of(convert("0.01 * second", "ms")));
        assertEquals("1 / 2", ExprText.of(convert("ms / 2", "ms")));
        assertEquals("1000", ExprText.of(convert("second", "ms")));
        assertEquals("1", ExprText.of(convert("ms", "ms")));
        assertEquals("-65 * 0.001", ExprText.of(convert("-65 * mV", "V")));
        assertEquals("tau * 0.001", ExprText.of(convert("tau", "s")));
        // scales meet inside: sums, comparisons, min/max/where, dimensionless function arguments
        assertEquals("10 + 0.5 * 1000", ExprText.of(convert("10 * ms + 0.5 * second", "ms")));
        assertEquals("where(v > E * 1000, v, 0)", ExprText.of(convert("where(v > E, v, 0)", "mV")));
        assertEquals("max(v, 2 * 1000)", ExprText.of(convert("max(v, 2 * volt)", "mV")));
        assertEquals("exp(v / E * 0.001) * 2", ExprText.of(convert("exp(v / E) * 2 * ms", "ms")));
        assertEquals("4", ExprText.of(convert("4 * ms^2 / ms", "ms")));
        assertEquals("sqrt(4) * 1000", ExprText.of(convert("sqrt(4 * second^2)", "ms")));
        assertEquals("v / v * 1000", ExprText.of(convert("second * v / v", "ms")));
        // plain numbers and names of the target unit are returned as they are
        final ExprSpec plain = SpecText.parse("2 * tau + 1 * tau");
        assertSame(plain, UnitInference.convert(plain, SYMBOLS, NAMES::containsKey, MS, "in test"));
        // a declared name is never a unit constant, even when it spells one
        assertEquals("in test: 'g * 2' is in nS (a conductance) but the declared unit is ms (a time)",
                assertThrows(OdeException.class, () -> convert("g * 2", "ms")).getMessage());
    }

    @Test
    void conversionKeepsEveryValueItDoesNotScale() {
        // leaving out a factor of one changes no bit: 1/3 * ms is 1/3, not 1/3 * 1
        final List<String> texts = List.of("1 / 3 * ms", "ms * 1 / 3", "0.1 * ms * 3");
        final double[] expected = {1.0 / 3, 1.0 / 3, 0.1 * 3};
        for (int k = 0; k < texts.size(); k++) {
            final ExprSpec c = convert(texts.get(k), "ms");
            assertEquals(expected[k], constant(c), 0.0, texts.get(k));
        }
    }

    private static double constant(final ExprSpec e) {
        return UnitInference.constant(e).orElseThrow();
    }
}
