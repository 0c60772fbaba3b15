package org.neurode.core.units;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;

/** The spellings of Brian2, NeuroML and NMODL, each with its size in SI units and its dimension in SI bases. */
class UnitSpellingTest {

    @ParameterizedTest(name = "{0} ({1}) = {2} {3}")
    @CsvSource(delimiter = '|', textBlock = """
            # spelling     | used by              | SI scale | SI dimension
            mV             | all                  | 1e-3     | m^2 kg s^-3 A^-1
            mvolt          | Brian2               | 1e-3     | m^2 kg s^-3 A^-1
            millivolt      | NMODL units file     | 1e-3     | m^2 kg s^-3 A^-1
            V              | all                  | 1        | m^2 kg s^-3 A^-1
            ms             | all                  | 1e-3     | s
            msecond        | Brian2               | 1e-3     | s
            msec           | NMODL                | 1e-3     | s
            s              | all                  | 1        | s
            second         | Brian2               | 1        | s
            nS             | all                  | 1e-9     | m^-2 kg^-1 s^3 A^2
            nsiemens       | Brian2               | 1e-9     | m^-2 kg^-1 s^3 A^2
            uS             | all                  | 1e-6     | m^-2 kg^-1 s^3 A^2
            µS             | Brian2 output        | 1e-6     | m^-2 kg^-1 s^3 A^2
            umho           | NMODL                | 1e-6     | m^-2 kg^-1 s^3 A^2
            mho            | NMODL                | 1        | m^-2 kg^-1 s^3 A^2
            pF             | all                  | 1e-12    | m^-2 kg^-1 s^4 A^2
            pfarad         | Brian2               | 1e-12    | m^-2 kg^-1 s^4 A^2
            nA             | all                  | 1e-9     | A
            namp           | Brian2               | 1e-9     | A
            milliamp       | NMODL units file     | 1e-3     | A
            mM             | all                  | 1        | m^-3 mol
            mmolar         | Brian2               | 1        | m^-3 mol
            molar          | NMODL                | 1e3      | m^-3 mol
            mol_per_m3     | NeuroML              | 1        | m^-3 mol
            Hz             | all                  | 1        | s^-1
            hertz          | Brian2               | 1        | s^-1
            1/s            | Brian2, NMODL        | 1        | s^-1
            /ms            | NMODL                | 1e3      | s^-1
            per_ms         | NeuroML              | 1e3      | s^-1
            s-1            | NMODL                | 1        | s^-1
            ohm            | all                  | 1        | m^2 kg s^-3 A^-2
            Ω              | Brian2 output        | 1        | m^2 kg s^-3 A^-2
            Mohm           | all                  | 1e6      | m^2 kg s^-3 A^-2
            kohm           | all                  | 1e3      | m^2 kg s^-3 A^-2
            ohm_cm         | NeuroML              | 1e-2     | m^3 kg s^-3 A^-2
            ohm cm         | NMODL                | 1e-2     | m^3 kg s^-3 A^-2
            um             | all                  | 1e-6     | m
            micron         | NMODL                | 1e-6     | m
            umetre         | Brian2               | 1e-6     | m
            cm2            | NMODL, NeuroML       | 1e-4     | m^2
            cm**2          | Brian2               | 1e-4     | m^2
            mA/cm2         | NMODL                | 10       | m^-2 A
            uA_per_cm2     | NeuroML              | 1e-2     | m^-2 A
            S/cm2          | NMODL                | 1e4      | m^-4 kg^-1 s^3 A^2
            mS_per_cm2     | NeuroML              | 10       | m^-4 kg^-1 s^3 A^2
            mho/cm2        | NMODL                | 1e4      | m^-4 kg^-1 s^3 A^2
            uF/cm2         | NMODL                | 1e-2     | m^-4 kg^-1 s^4 A^2
            uF_per_cm2     | NeuroML              | 1e-2     | m^-4 kg^-1 s^4 A^2
            mM/ms          | NMODL                | 1e3      | m^-3 s^-1 mol
            K              | all                  | 1        | K
            kelvin         | Brian2               | 1        | K
            1              | all (dimensionless)  | 1        | 1
            """)
    void spellings(final String spelling, final String usedBy, final double scale, final String dimension) {
        final Unit u = Unit.parse(spelling);
        // scales of products of prefixes are rounded once (1e-3 / 1e-2^2); 1e-12 relative is far below the 1e-9
        // at which two units are the same and far above the few ulps (2e-16) of that rounding
        assertEquals(scale, u.scale(), scale * 1e-12, spelling);
        assertEquals(dimension, u.dimension().toString(), spelling);
        assertEquals(spelling, u.toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # prefix | factor
            Y        | 1e24
            Z        | 1e21
            E        | 1e18
            P        | 1e15
            T        | 1e12
            G        | 1e9
            M        | 1e6
            k        | 1e3
            h        | 1e2
            da       | 1e1
            d        | 1e-1
            c        | 1e-2
            m        | 1e-3
            u        | 1e-6
            µ        | 1e-6
            μ        | 1e-6
            n        | 1e-9
            p        | 1e-12
            f        | 1e-15
            a        | 1e-18
            z        | 1e-21
            y        | 1e-24
            """)
    void siPrefixes(final String prefix, final double factor) {
        // every prefix on the ampere: exact powers of ten as doubles, compared to one ulp (2.2e-16 relative)
        assertEquals(factor, Unit.parse(prefix + "A").scale(), factor * 2.3e-16, prefix);
        assertEquals(factor, Unit.parse(prefix + "amp").scale(), factor * 2.3e-16, prefix);
    }

    @Test
    void celsiusIsOutOfScopeAndSaysSo() {
        // an offset scale (0 degC = 273.15 K) is not a factor, so it cannot be converted by scaling
        for (final String c : new String[] {"degC", "celsius", "\u00b0C"}) {
            final OdeException e = assertThrows(OdeException.class, () -> Unit.parse(c));
            assertEquals(ErrorCode.UNIT_SYNTAX, e.code());
            assertTrue(e.getMessage().contains("'" + c + "' is not supported: Celsius starts at 273.15 K"),
                    e.getMessage());
        }
    }

    @Test
    void unitConstantsInExpressionsAreSingleWords() {
        assertEquals(Unit.parse("ms"), UnitParser.constant("ms"));
        assertEquals(Unit.parse("s"), UnitParser.constant("second"));
        assertEquals(Unit.parse("uS"), UnitParser.constant("umho"));
        assertEquals(Unit.parse("cm^2"), UnitParser.constant("cm2"));
        assertEquals(Unit.parse("um^3"), UnitParser.constant("um3"));
        // not units: names with underscores, other powers, digits inside, unknown words
        assertNull(UnitParser.constant("g_L"));
        assertNull(UnitParser.constant("cm4"));
        assertNull(UnitParser.constant("cm22"));
        assertNull(UnitParser.constant("m2x"));
        assertNull(UnitParser.constant("tau"));
        assertNull(UnitParser.constant("2"));
    }
}
