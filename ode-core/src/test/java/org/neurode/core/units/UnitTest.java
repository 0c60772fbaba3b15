package org.neurode.core.units;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;

class UnitTest {

    /** m^a kg^b s^c A^d K^e mol^f. */
    static Dimension dim(final int m, final int kg, final int s, final int a, final int k, final int mol) {
        return Dimension.of(Dimension.Base.LENGTH).power(m)
                .times(Dimension.of(Dimension.Base.MASS).power(kg))
                .times(Dimension.of(Dimension.Base.TIME).power(s))
                .times(Dimension.of(Dimension.Base.CURRENT).power(a))
                .times(Dimension.of(Dimension.Base.TEMPERATURE).power(k))
                .times(Dimension.of(Dimension.Base.AMOUNT).power(mol));
    }

    static final Dimension VOLT = dim(2, 1, -3, -1, 0, 0);
    static final Dimension AMPERE = dim(0, 0, 0, 1, 0, 0);
    static final Dimension SIEMENS = dim(-2, -1, 3, 2, 0, 0);
    static final Dimension FARAD = dim(-2, -1, 4, 2, 0, 0);
    static final Dimension OHM = dim(2, 1, -3, -2, 0, 0);
    static final Dimension SECOND = dim(0, 0, 1, 0, 0, 0);
    static final Dimension HERTZ = dim(0, 0, -1, 0, 0, 0);
    static final Dimension MOLAR = dim(-3, 0, 0, 0, 0, 1);
    static final Dimension METRE = dim(1, 0, 0, 0, 0, 0);

    private static void assertUnit(final Dimension d, final double scale, final String text) {
        final Unit u = Unit.parse(text);
        assertEquals(d, u.dimension(), text);
        // scales are rounded to 12 significant digits on construction: compare at that precision
        assertEquals(scale, u.scale(), Math.abs(scale) * 1e-11, text);
        assertEquals(Unit.of(d, scale), u, text);
        assertEquals(text.strip(), u.toString());
    }

    @Test
    void parsesTheSpellingsOfBrianNeuroMlAndNmodl() {
        assertUnit(VOLT, 1, "V");
        assertUnit(VOLT, 1e-3, "mV");
        assertUnit(VOLT, 1e-6, "uV");
        assertUnit(AMPERE, 1, "A");
        assertUnit(AMPERE, 1e-9, "nA");
        assertUnit(AMPERE, 1e-12, "pA");
        assertUnit(AMPERE, 1e-6, "uA");
        assertUnit(AMPERE, 1e-3, "mA");
        assertUnit(SIEMENS, 1, "S");
        assertUnit(SIEMENS, 1e-9, "nS");
        assertUnit(SIEMENS, 1e-6, "uS");
        assertUnit(SIEMENS, 1e-3, "mS");
        assertUnit(FARAD, 1, "F");
        assertUnit(FARAD, 1e-12, "pF");
        assertUnit(FARAD, 1e-9, "nF");
        assertUnit(FARAD, 1e-6, "uF");
        assertUnit(OHM, 1, "ohm");
        assertUnit(OHM, 1, "Ohm");
        assertUnit(OHM, 1, "\u03a9");
        assertUnit(OHM, 1, "\u2126");
        assertUnit(OHM, 1e3, "kohm");
        assertUnit(OHM, 1e6, "Mohm");
        assertUnit(OHM, 1e6, "M\u03a9");
        assertUnit(SECOND, 1, "s");
        assertUnit(SECOND, 1e-3, "ms");
        assertUnit(SECOND, 1e-6, "us");
        assertUnit(HERTZ, 1, "Hz");
        assertUnit(HERTZ, 1e3, "kHz");
        assertUnit(MOLAR, 1e3, "M");
        assertUnit(MOLAR, 1, "mM");
        assertUnit(MOLAR, 1e-3, "uM");
        assertUnit(MOLAR, 1e-6, "nM");
        assertUnit(dim(0, 0, 0, 0, 0, 1), 1, "mol");
        assertUnit(METRE, 1, "m");
        assertUnit(METRE, 1e-2, "cm");
        assertUnit(METRE, 1e-6, "um");
        assertUnit(METRE, 1e-3, "mm");
        assertUnit(dim(0, 0, 0, 0, 1, 0), 1, "K");
        assertUnit(Dimension.NONE, 1, "1");
        assertUnit(dim(0, 1, 0, 0, 0, 0), 1, "kg");
    }

    @Test
    void parsesProductsQuotientsAndPowers() {
        assertUnit(VOLT.dividedBy(SECOND), 1, "mV/ms");
        assertUnit(AMPERE.dividedBy(METRE.power(2)), 1e-2, "uA/cm^2");
        assertUnit(AMPERE.dividedBy(METRE.power(2)), 1e-2, "uA/cm2");
        assertUnit(SIEMENS.dividedBy(METRE.power(2)), 10, "mS/cm^2");
        assertUnit(FARAD.dividedBy(METRE.power(2)), 1e-2, "uF/cm^2");
        assertUnit(HERTZ, 1, "1/s");
        assertUnit(HERTZ, 1, "s^-1");
        assertUnit(METRE.power(2), 1, "m^2");
        assertUnit(SECOND.power(-0.5), Math.pow(1e-3, -0.5), "ms^-0.5");
        assertUnit(VOLT.times(SECOND), 1e-6, "mV * ms");
        assertUnit(SIEMENS.dividedBy(METRE.power(2)), 1e-2, "\u00b5S/cm\u00b2");
        assertUnit(SIEMENS.dividedBy(METRE.power(2)), 1e-2, "\u03bcS/cm\u00b2");
        assertUnit(HERTZ, 1, "s\u207b\u00b9");
        assertUnit(METRE.power(2), 1, "m**2");
        assertUnit(METRE.power(0.5), 1e-3, "um^(1/2)");
        assertUnit(VOLT.times(SECOND.power(-0.5)), 1e-3 / Math.sqrt(1e-3), "mV/ms^0.5");
        assertUnit(VOLT.dividedBy(SECOND).power(2), 1, "(mV/ms)^2");
        assertUnit(VOLT.times(SECOND), 1e-6, "mV ms");
        assertUnit(VOLT.times(SECOND), 1e-6, "mV\u00b7ms");
        // division and multiplication associate to the left, as in Brian2 and NMODL
        assertUnit(dim(2, 1, -2, 0, -1, -1), 1, "J/mol/K");
        assertUnit(dim(2, 1, -2, 0, -1, -1), 1, "J/(mol*K)");
    }

    @Test
    void parsesBrian2NamesNeuroMlUnderscoresAndNmodlShorthands() {
        // Brian2: prefixed full names
        assertUnit(VOLT, 1e-3, "mvolt");
        assertUnit(AMPERE, 1e-9, "namp");
        assertUnit(SIEMENS, 1e-9, "nsiemens");
        assertUnit(FARAD, 1e-12, "pfarad");
        assertUnit(SECOND, 1e-3, "msecond");
        assertUnit(METRE, 1e-6, "umetre");
        assertUnit(METRE.power(2), 1e-4, "cmetre2");
        assertUnit(MOLAR, 1, "mmolar");
        assertUnit(HERTZ, 1, "hertz");
        // NeuroML: _per_, per_ and _ for a product
        assertUnit(HERTZ, 1e3, "per_ms");
        assertUnit(SIEMENS.dividedBy(METRE.power(2)), 10, "mS_per_cm2");
        assertUnit(AMPERE.dividedBy(METRE.power(2)), 1e-2, "uA_per_cm2");
        assertUnit(OHM.times(METRE), 1e-2, "ohm_cm");
        assertUnit(MOLAR, 1, "mol_per_m3");
        // NMODL: a leading slash, mho, micron, sec
        assertUnit(HERTZ, 1e3, "/ms");
        assertUnit(SIEMENS.dividedBy(METRE.power(2)), 1e4, "mho/cm2");
        assertUnit(METRE, 1e-6, "micron");
        assertUnit(SECOND, 1e-3, "msec");
        assertUnit(HERTZ, 1, "s-1");
    }

    private static OdeException syntax(final String text) {
        final OdeException e = assertThrows(OdeException.class, () -> Unit.parse(text));
        assertEquals(ErrorCode.UNIT_SYNTAX, e.code());
        return e;
    }

    @Test
    void errorsNameTheUnitTextAndTheColumn() {
        assertEquals("in unit 'mX' at column 1: unknown unit 'mX'; known: V A S F ohm s Hz M mol m g K C J W N Pa "
                + "L with SI prefixes (mV, uS, kohm, ...), their names (volt, siemens, ...), 1 for none",
                syntax("mX").getMessage());
        assertEquals("in unit 'nA/mv' at column 4: unknown unit 'mv'; did you mean 'mV'?",
                syntax("nA/mv").getMessage());
        assertEquals("in unit 'mV/' at column 4: unexpected end of unit", syntax("mV/").getMessage());
        assertEquals("in unit 'mV/(ms' at column 7: missing ')'", syntax("mV/(ms").getMessage());
        assertEquals("in unit 'mV)' at column 3: ')' without '('", syntax("mV)").getMessage());
        assertEquals("in unit 'mV $' at column 4: unexpected '$'", syntax("mV $").getMessage());
        assertEquals("in unit '10 ms' at column 1: unexpected number '10': a unit has no numbers but 1 (as in "
                + "1/ms) and powers (cm^2)", syntax("10 ms").getMessage());
        assertEquals("in unit 'm^0.25' at column 2: the power 0.25 gives an exponent that is not a multiple of "
                + "1/2 (or is out of range)", syntax("m^0.25").getMessage());
        assertEquals("in unit 'm^' at column 3: expected a number as exponent", syntax("m^").getMessage());
        assertEquals("in unit ' ' at column 2: empty unit (write 1 for a dimensionless quantity)",
                syntax(" ").getMessage());
        assertEquals("in unit 'YV^20' at column 1: the unit's scale 1e480 is out of range (1e-300 to 1e300)",
                syntax("YV^20").getMessage());
        assertTrue(syntax("degC").getMessage().startsWith("in unit 'degC' at column 1: 'degC' is not supported: "
                + "Celsius starts at 273.15 K"), syntax("degC").getMessage());
        final OdeException where = assertThrows(OdeException.class,
                () -> Unit.parse("mS/cm^", "unit of parameter 'gNa'"));
        assertEquals("in unit 'mS/cm^' at column 7: expected a number as exponent (unit of parameter 'gNa')",
                where.getMessage());
    }

    @Test
    void formatsAsAUserWritesUnits() {
        final Unit mV = Unit.parse("mV");
        final Unit ms = Unit.parse("ms");
        // named units win, whatever the spelling parsed
        assertEquals("mV", Unit.parse("mvolt").format());
        assertEquals("mV/ms", mV.dividedBy(ms).format());
        assertEquals("mV/ms", Unit.parse("V/s").format());
        assertEquals("uA/cm^2", Unit.parse("uA_per_cm2").format());
        assertEquals("mS/cm^2", Unit.parse("mS_per_cm2").format());
        assertEquals("S/cm^2", Unit.parse("mho/cm2").format());
        assertEquals("Hz", Unit.parse("1/s").format());
        assertEquals("1/ms", Unit.parse("kHz").format());
        // conductance times voltage: 1 nS * 1 mV = 1e-12 A, 1 uS * 1 mV = 1e-9 A
        assertEquals("pA", Unit.parse("nS").times(mV).format());
        assertEquals("nA", Unit.parse("uS").times(mV).format());
        assertEquals("1", Unit.parse("mV").dividedBy(Unit.parse("mvolt")).format());
        // then powers, quotients and products of two common units
        assertEquals("mV^2", mV.times(mV).format());
        assertEquals("ms^-0.5", ms.power(-0.5).format());
        assertEquals("mV/s", mV.dividedBy(Unit.parse("s")).format());
        assertEquals("mV*ms", mV.times(ms).format());
        assertEquals("1/mV", Unit.ONE.dividedBy(mV).format());
        assertEquals("mV/V", mV.dividedBy(Unit.parse("V")).format());
        assertEquals("mV/ms^0.5", mV.dividedBy(ms.sqrt()).format());
        // then SI base powers, with the scale in front
        assertEquals("mol cd", Unit.parse("mol*cd").format());
        assertEquals("0.001 mol cd", Unit.parse("mmol*cd").format());
        // toString is the text as written; computed units format
        assertEquals("uA/cm2", Unit.parse(" uA/cm2 ").toString());
        assertEquals("mV/ms", mV.dividedBy(ms).toString());
        assertEquals("m^2 kg s^-3 A^-1", mV.dimension().toString());
        assertEquals("s^-0.5", ms.power(-0.5).dimension().toString());
    }

    @Test
    void theConsistentSetsOfTheDocumentationAgree() {
        final Unit mV = Unit.parse("mV");
        final Unit ms = Unit.parse("ms");
        assertEquals(Unit.parse("nA"), Unit.parse("uS").times(mV));
        assertEquals(Unit.parse("nA"), Unit.parse("nF").times(mV).dividedBy(ms));
        assertEquals(mV, Unit.parse("Mohm").times(Unit.parse("nA")));
        assertEquals(Unit.parse("pA"), Unit.parse("nS").times(mV));
        assertEquals(Unit.parse("pA"), Unit.parse("pF").times(mV).dividedBy(ms));
        assertEquals(mV, Unit.parse("Gohm").times(Unit.parse("pA")));
    }

    @Test
    void equalUnitsAreEqualWhateverTheirSpellingOrPath() {
        // mS/cm^2 is 10 S/m^2 computed as 1e-3 / 1e-2^2; scales rounded to 12 digits make them equal
        final Unit a = Unit.parse("mS/cm^2");
        final Unit b = Unit.parse("daS/m^2");
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertEquals(Unit.parse("S/m^2"), Unit.parse("pS/um^2"));
        assertEquals(Unit.parse("Hz"), Unit.parse("1/s"));
        assertEquals(Unit.parse("ms^-0.5").power(-2), Unit.parse("ms"));
        assertNotEquals(Unit.parse("mV"), Unit.parse("V"));
        assertTrue(Unit.parse("mV").sameDimension(Unit.parse("V")));
        assertFalse(Unit.parse("mV").sameDimension(Unit.parse("mA")));
        assertTrue(Unit.parse("mV/mV").isOne());
        assertFalse(Unit.parse("mV/V").isOne());
    }

    @Test
    void convertsValuesOnceBetweenUnitsOfOneDimension() {
        // 0.01 s is 10 ms exactly: the factor 1/0.001 is rounded to 1000 first
        assertEquals(10.0, Unit.parse("s").convert(0.01, Unit.parse("ms")), 0.0);
        // -65 mV in V: -65 * 0.001, within one ulp of -0.065 (1.4e-17)
        assertEquals(-0.065, Unit.parse("mV").convert(-65, Unit.parse("V")), 1.4e-17);
        // equal scales return the value itself, bit for bit
        assertEquals(3.3, Unit.parse("Hz").convert(3.3, Unit.parse("1/s")), 0.0);
        assertEquals(1000.0, Unit.parse("V").factorTo(Unit.parse("mV")), 0.0);
        assertEquals(10.0, Unit.parse("mS/cm^2").convert(1, Unit.parse("S/m^2")), 1e-14);
        final OdeException e = assertThrows(OdeException.class,
                () -> Unit.parse("s").convert(0.01, Unit.parse("mV"), "parameter 'tau'"));
        assertEquals(ErrorCode.UNIT_MISMATCH, e.code());
        assertEquals("parameter 'tau': cannot convert 0.01 s to mV: s is a time but mV is a voltage",
                e.getMessage());
        final OdeException plain = assertThrows(OdeException.class,
                () -> Unit.parse("nA").convert(2, Unit.parse("mol*cd")));
        assertEquals("cannot convert 2 nA to mol*cd: nA is a current but mol*cd is of dimension mol cd",
                plain.getMessage());
        assertThrows(OdeException.class, () -> Unit.parse("s").factorTo(Unit.parse("m")));
    }

    @Test
    void dimensionsAllowHalfExponentsOnly() {
        final Dimension t = Dimension.of(Dimension.Base.TIME);
        assertEquals(-0.5, t.power(-0.5).exponent(Dimension.Base.TIME));
        assertTrue(t.power(0.5).canPower(3));
        assertFalse(t.power(0.5).canPower(0.5));
        assertThrows(OdeException.class, () -> t.power(0.25));
        assertEquals(Dimension.NONE, t.power(0.5).power(2).dividedBy(t));
        assertTrue(Dimension.NONE.canPower(0.123));
        assertEquals("a voltage", VOLT.describe());
        assertEquals("of dimension m kg", dim(1, 1, 0, 0, 0, 0).describe());
    }
}
