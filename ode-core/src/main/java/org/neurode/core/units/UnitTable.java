package org.neurode.core.units;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The spellings {@link UnitParser} knows, the SI prefixes, the common neuroscience units {@link Unit#format()}
 * prefers, and names of quantities for messages.
 */
final class UnitTable {

    /** A unit symbol or name: its dimension, its scale to SI and whether SI prefixes may precede it. */
    record Symbol(Dimension dimension, double scale, boolean prefixable) { }

    private static final Map<String, Symbol> SYMBOLS = new HashMap<>();
    private static final Map<String, Double> PREFIXES = new LinkedHashMap<>();

    /** Spellings of Celsius, refused with advice (an offset scale cannot be a factor). */
    static final List<String> CELSIUS = List.of("degC", "°C", "celsius", "degc", "DegC");

    static {
        final Dimension length = Dimension.of(Dimension.Base.LENGTH);
        final Dimension mass = Dimension.of(Dimension.Base.MASS);
        final Dimension time = Dimension.of(Dimension.Base.TIME);
        final Dimension current = Dimension.of(Dimension.Base.CURRENT);
        final Dimension temperature = Dimension.of(Dimension.Base.TEMPERATURE);
        final Dimension amount = Dimension.of(Dimension.Base.AMOUNT);
        final Dimension candela = Dimension.of(Dimension.Base.LUMINOUS_INTENSITY);
        final Dimension force = mass.times(length).dividedBy(time.power(2));
        final Dimension energy = force.times(length);
        final Dimension power = energy.dividedBy(time);
        final Dimension volt = power.dividedBy(current);
        final Dimension ohm = volt.dividedBy(current);
        final Dimension charge = current.times(time);
        put(length, 1, "m", "metre", "meter");
        put(mass, 1e-3, "g", "gram", "gramme");
        put(time, 1, "s", "second", "sec");
        put(current, 1, "A", "amp", "ampere");
        put(temperature, 1, "K", "kelvin");
        put(amount, 1, "mol", "mole");
        put(candela, 1, "cd", "candela");
        put(Dimension.NONE.dividedBy(time), 1, "Hz", "hertz");
        put(force, 1, "N", "newton");
        put(force.dividedBy(length.power(2)), 1, "Pa", "pascal");
        put(energy, 1, "J", "joule");
        put(power, 1, "W", "watt");
        put(charge, 1, "C", "coulomb");
        put(volt, 1, "V", "volt");
        put(charge.dividedBy(volt), 1, "F", "farad");
        put(ohm, 1, "ohm", "Ohm", "\u03a9", "\u2126");
        put(Dimension.NONE.dividedBy(ohm), 1, "S", "siemens", "mho");
        put(amount.dividedBy(length.power(3)), 1e3, "M", "molar");
        put(length.power(3), 1e-3, "L", "litre", "liter");
        SYMBOLS.put("micron", new Symbol(length, 1e-6, false));
        final Object[] prefixes = {"Y", 1e24, "Z", 1e21, "E", 1e18, "P", 1e15, "T", 1e12, "G", 1e9, "M", 1e6,
            "k", 1e3, "h", 1e2, "da", 1e1, "d", 1e-1, "c", 1e-2, "m", 1e-3, "u", 1e-6, "\u00b5", 1e-6,
            "\u03bc", 1e-6, "n", 1e-9, "p", 1e-12, "f", 1e-15, "a", 1e-18, "z", 1e-21, "y", 1e-24,
            // NMODL's units file also spells prefixes out: millivolt, milliamp, microsiemens
            "giga", 1e9, "mega", 1e6, "kilo", 1e3, "centi", 1e-2, "milli", 1e-3, "micro", 1e-6, "nano", 1e-9,
            "pico", 1e-12, "femto", 1e-15};
        for (int k = 0; k < prefixes.length; k += 2) {
            PREFIXES.put((String) prefixes[k], (Double) prefixes[k + 1]);
        }
    }

    /** Preferred display names, in order of preference among units of equal dimension and scale. */
    private static final List<Unit> NAMED = units("1",
            "mV", "V", "uV", "nA", "pA", "uA", "mA", "A", "nS", "uS", "mS", "pS", "S", "pF", "nF", "uF", "F",
            "Mohm", "kohm", "Gohm", "ohm", "ms", "s", "us", "Hz", "1/ms", "kHz", "mM", "uM", "nM", "M",
            "mol", "mmol", "umol", "um", "mm", "cm", "nm", "m", "um^2", "cm^2", "m^2", "um^3", "L", "K",
            "C", "nC", "pC", "uA/cm^2", "mA/cm^2", "A/m^2", "mS/cm^2", "S/cm^2", "S/m^2", "pS/um^2",
            "uF/cm^2", "F/m^2", "mV/ms", "V/s", "nA/ms", "pA/ms", "nS/ms", "mM/ms", "ohm*cm", "kohm*cm",
            "ohm*m", "g", "kg", "J", "W", "N");

    /** Units combined in pairs when no named unit fits, in order of preference. */
    private static final List<Unit> ATOMS = units("1", "mV", "ms", "nA", "pA", "uA", "mA", "nS", "uS", "mS",
            "pS", "pF", "nF", "uF", "Mohm", "kohm", "ohm", "mM", "uM", "nM", "mol", "um", "cm", "mm", "m", "K",
            "Hz", "V", "A", "S", "F", "s", "us", "M", "C", "L", "g", "kg", "J", "W");

    /** Powers tried in {@link #format}: single units first, then in quotients and products. */
    private static final double[] POWERS = {2, 3, 4, 0.5, 1.5, -0.5};

    private static final Map<Dimension, String> QUANTITIES = new HashMap<>();

    static {
        final Object[] q = {"1", "dimensionless", "V", "a voltage", "A", "a current", "S", "a conductance",
            "F", "a capacitance", "ohm", "a resistance", "s", "a time", "Hz", "a rate (1/time)", "M",
            "a concentration", "mol", "an amount of substance", "m", "a length", "m^2", "an area", "m^3",
            "a volume", "K", "a temperature", "C", "a charge", "A/m^2", "a current density", "S/m^2",
            "a conductance density", "F/m^2", "a capacitance density", "V/s", "a voltage per time",
            "A/s", "a current per time", "M/s", "a concentration per time", "ohm*m", "a resistivity",
            "kg", "a mass", "J", "an energy", "W", "a power", "N", "a force", "s^-0.5",
            "a time^-1/2 (white noise)", "1/V", "an inverse voltage"};
        for (int k = 0; k < q.length; k += 2) {
            QUANTITIES.put(new UnitParser((String) q[k], null).parse().dimension(), (String) q[k + 1]);
        }
    }

    private UnitTable() {
    }

    private static void put(final Dimension dimension, final double scale, final String... names) {
        for (final String n : names) {
            SYMBOLS.put(n, new Symbol(dimension, scale, true));
        }
    }

    private static List<Unit> units(final String... texts) {
        final List<Unit> list = new ArrayList<>(texts.length);
        for (final String t : texts) {
            final Unit u = new UnitParser(t, null).parse();
            list.add(Unit.named(u.dimension(), u.scale(), t));
        }
        return List.copyOf(list);
    }

    /**
     * A word of a unit text: a symbol or name ({@code "ohm"}), or a prefix and a prefixable symbol
     * ({@code "kohm"}, {@code "mvolt"}, {@code "µS"}); an exact symbol wins over a prefix reading ({@code "m"}
     * is the metre, {@code "M"} the molar).
     *
     * @return the symbol with the prefix folded into its scale, or null if the word is not a unit
     */
    static Symbol lookup(final String word) {
        final Symbol exact = SYMBOLS.get(word);
        if (exact != null) {
            return exact;
        }
        for (final Map.Entry<String, Double> p : PREFIXES.entrySet()) {
            if (word.length() > p.getKey().length() && word.startsWith(p.getKey())) {
                final Symbol s = SYMBOLS.get(word.substring(p.getKey().length()));
                if (s != null && s.prefixable()) {
                    return new Symbol(s.dimension(), s.scale() * p.getValue(), false);
                }
            }
        }
        return null;
    }

    /** A known spelling equal to {@code word} but for letter case ("mv" -> "mV"), or null. */
    static String suggestion(final String word) {
        final String lower = word.toLowerCase(Locale.ROOT);
        String best = null;
        int bestMatches = -1;
        for (final String p : PREFIXES.keySet()) {
            for (final Map.Entry<String, Symbol> s : SYMBOLS.entrySet()) {
                for (final String candidate : new String[] {s.getKey(), p + s.getKey()}) {
                    if (candidate.toLowerCase(Locale.ROOT).equals(lower)
                            && (candidate.equals(s.getKey()) || s.getValue().prefixable())) {
                        // among spellings equal but for case, the one with most letters as typed ("mv": mV, not MV)
                        int matches = 0;
                        for (int k = 0; k < word.length(); k++) {
                            matches += word.charAt(k) == candidate.charAt(k) ? 1 : 0;
                        }
                        if (matches > bestMatches || matches == bestMatches && candidate.compareTo(best) < 0) {
                            best = candidate;
                            bestMatches = matches;
                        }
                    }
                }
            }
        }
        return best;
    }

    /** The name of a quantity of this dimension for messages ("a voltage"), or null. */
    static String quantityName(final Dimension d) {
        return QUANTITIES.get(d);
    }

    /** See {@link Unit#format()}. */
    static String format(final Unit u) {
        for (final Unit n : NAMED) {
            if (n.equals(u)) {
                return n.toString();
            }
        }
        for (final double p : POWERS) {
            for (final Unit a : ATOMS) {
                if (!a.isOne() && fits(a, p, null, 0, u)) {
                    return a + "^" + Unit.number(p);
                }
            }
        }
        for (final Unit a : ATOMS) {
            for (final Unit b : ATOMS) {
                if (!b.isOne() && fits(a, 1, b, -1, u)) {
                    return a + "/" + b;
                }
            }
        }
        for (final Unit a : ATOMS) {
            for (final Unit b : ATOMS) {
                if (!a.isOne() && !b.isOne() && fits(a, 1, b, 1, u)) {
                    return a + "*" + b;
                }
            }
        }
        for (final double p : POWERS) {
            for (final Unit a : ATOMS) {
                for (final Unit b : ATOMS) {
                    if (!b.isOne() && fits(a, 1, b, -p, u)) {
                        return a + "/" + b + "^" + Unit.number(p);
                    }
                    if (!a.isOne() && !b.isOne() && fits(a, 1, b, p, u)) {
                        return a + "*" + b + "^" + Unit.number(p);
                    }
                }
            }
        }
        final String dim = u.dimension().toString();
        return u.scale() == 1.0 ? dim : Unit.number(u.scale()) + (u.dimension().isNone() ? "" : " " + dim);
    }

    /** Whether a^p b^q (b null: a^p) equals u, tested on dimensions first (cheap) and then on scales. */
    private static boolean fits(final Unit a, final double p, final Unit b, final double q, final Unit u) {
        if (!a.dimension().canPower(p) || b != null && !b.dimension().canPower(q)) {
            return false;
        }
        Dimension d = a.dimension().power(p);
        double s = Math.pow(a.scale(), p);
        if (b != null) {
            d = d.times(b.dimension().power(q));
            s *= Math.pow(b.scale(), q);
        }
        return d.equals(u.dimension()) && Unit.sameScale(s, u.scale());
    }
}
