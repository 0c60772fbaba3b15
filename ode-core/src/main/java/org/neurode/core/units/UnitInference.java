package org.neurode.core.units;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;
import org.neurode.core.spec.ExprSpec;

/**
 * Infers the unit of an expression from the units of its names and checks it on the way, at build time. The
 * rules:
 *
 * <ul>
 * <li>numbers are dimensionless (unit 1), except that the number 0 fits any unit where units must agree
 *     ({@code v > 0}, {@code max(v, 0)}, {@code where(c, v, 0)});</li>
 * <li>{@code + -}, comparisons, {@code min max clip} and the two branches of {@code where} need operands of the
 *     same dimension <em>and</em> the same scale: nothing is converted at run time, so mV + V is an error that
 *     names the factor (1000) between them;</li>
 * <li>{@code * /}, {@code @} (matrix times vector), {@code outer} and {@code dot} multiply units; {@code sum},
 *     {@code transpose}, {@code relu}, {@code abs} and unary minus keep them;</li>
 * <li>{@code x^p} and {@code pow(x, p)} with a constant p (a number, or an expression of numbers such as
 *     {@code -0.5} or {@code (1/2)}) raise the unit to p; the result's exponents must be multiples of 1/2. With
 *     a non-constant p, x must be dimensionless (unit 1). The exponent itself is always dimensionless;</li>
 * <li>{@code sqrt} halves exponents (ms becomes ms^0.5);</li>
 * <li>{@code exp log sin cos tan tanh sinh cosh asin acos atan sigmoid softplus exprel} need a dimensionless
 *     argument of scale 1 (mV/V, a pure number 0.001, is refused); {@code step} (Heaviside) takes any unit, as
 *     it depends on the sign alone; all of them, comparisons, {@code and or not} and {@code rand randn} give
 *     unit 1;</li>
 * <li>a name the symbol table does not know, a function the checker does not know, or an operand whose unit
 *     is unknown makes the result unknown, without an error (the operands that are known are still checked
 *     against each other).</li>
 * </ul>
 *
 * <p>Values computed once at build time (a parameter's value, an initial value) follow the same rules with two
 * differences ({@link #convert}): a name that the model does not declare and that is a unit ({@code ms},
 * {@code mV}, {@code second}, {@code uS}, {@code cm2}) is a unit constant, one of that unit, as in Brian2
 * ({@code 0.01 * second}); and where units of one dimension but different scales meet (a sum, a comparison,
 * {@code exp} of mV/V), the expression is rewritten with the factor between them instead of being refused.
 * The result is an expression without unit constants whose value is in the unit asked for.
 *
 * <p>Cost: linear in the size of the tree; a subtree shared by several parents is inferred once.
 *
 * @since 0.3
 */
public final class UnitInference {

    /** Nesting beyond which inference stops with an error rather than exhaust the stack. */
    static final int MAX_DEPTH = 1000;

    private static final Set<String> DIMENSIONLESS_ARGUMENT = Set.of("exp", "log", "log10", "log2", "expm1",
            "log1p", "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "sigmoid", "softplus",
            "exprel");
    private static final Set<String> COMPARISONS = Set.of("<", "<=", ">", ">=", "==", "!=");

    /**
     * What a unit constant becomes in a converted expression: the number 1 (one of its unit). This instance,
     * compared by identity, is left out of products ({@code 10 * ms} becomes {@code 10}); a factor of 1 changes
     * no value, so leaving it out changes no bit of the result.
     */
    private static final ExprSpec.Num UNIT_CONSTANT = new ExprSpec.Num(1.0);

    /** An expression's unit (null: unknown) and the expression, rewritten when converting. */
    private record Typed(Unit unit, ExprSpec expr) { }

    private final Function<String, Unit> symbols;
    /** Null when checking; when converting, the names the model declares (they are never unit constants). */
    private final Predicate<String> declared;
    /** What the expression is, computed only for a message. */
    private final Supplier<String> where;
    /** Results of composite nodes, so that a shared subtree is inferred once; created at the first one. */
    private Map<ExprSpec, Typed> memo;
    private int depth;
    /** When converting: whether a unit constant was read, and the first subexpression of unknown unit. */
    private boolean constants;
    private ExprSpec firstUnknown;

    private UnitInference(final Function<String, Unit> symbols, final Predicate<String> declared,
                          final Supplier<String> where) {
        this.symbols = symbols;
        this.declared = declared;
        this.where = where;
    }

    /**
     * The unit of an expression evaluated at run time (an equation, a named subexpression, a condition): units
     * must agree exactly, and names are those of the symbol table alone.
     *
     * @param expression the expression
     * @param symbols    the unit of each name, null for a name whose unit is unknown (e.g. {@code map::get});
     *                   see {@link #builtIns(Unit)} for {@code t}, {@code xi}, {@code pi}, {@code e}, {@code i},
     *                   {@code N}
     * @param where      what the expression is, the start of every message (e.g. {@code "in dv/dt = -v / tau"})
     * @return the unit, or empty if it depends on a name or function of unknown unit
     * @throws OdeException {@link ErrorCode#UNIT_MISMATCH} naming {@code where}, the subexpression and the units
     *                      in user-facing form
     */
    public static Optional<Unit> infer(final ExprSpec expression, final Function<String, Unit> symbols,
                                       final String where) {
        Objects.requireNonNull(where, "where");
        return infer(expression, symbols, () -> where);
    }

    /** {@link #infer(ExprSpec, Function, String)} with the text of {@code where} made only for a message. */
    static Optional<Unit> infer(final ExprSpec expression, final Function<String, Unit> symbols,
                                final Supplier<String> where) {
        Objects.requireNonNull(expression, "expression");
        Objects.requireNonNull(symbols, "symbols");
        return Optional.ofNullable(new UnitInference(symbols, null, where).unit(expression).unit());
    }

    /**
     * Converts an expression evaluated once at build time (a parameter's value, an initial value) to a target
     * unit: the result has no unit constants and its value is in {@code target}. An expression of unit 1 (plain
     * numbers, {@code rand()}, dimensionless parameters) is a number in the target unit, as numbers written for
     * a declaration are.
     *
     * @param expression the expression
     * @param symbols    the unit of each declared name, null for a name whose unit is unknown
     * @param declared   the names the model declares (whatever their unit): they are never unit constants
     * @param target     the unit wanted
     * @param where      what the expression is, the start of every message
     * @return the expression in the target unit ({@code expression} itself if nothing needed converting)
     * @throws OdeException {@link ErrorCode#UNIT_MISMATCH} for units of different dimensions (naming both), or
     *                      for unit constants in an expression whose unit is unknown (they could not be
     *                      converted)
     */
    static ExprSpec convert(final ExprSpec expression, final Function<String, Unit> symbols,
                            final Predicate<String> declared, final Unit target, final String where) {
        final UnitInference inference = new UnitInference(symbols, Objects.requireNonNull(declared, "declared"),
                () -> where);
        final Typed t = inference.unit(expression);
        if (t.unit() == null) {
            if (inference.constants) {
                throw inference.mismatch("the unit of " + quote(inference.firstUnknown) + " is unknown, so the "
                        + "units in the expression cannot be converted to " + target);
            }
            return expression;
        }
        if (t.unit().dimension().isNone()) {
            return fresh(scaled(t.expr(), t.unit().scale()));
        }
        if (!t.unit().sameDimension(target)) {
            throw inference.mismatch(quote(expression) + " is in " + t.unit() + " (" + t.unit().dimension().describe()
                    + ") but the declared unit is " + target + " (" + target.dimension().describe() + ")");
        }
        return fresh(scaled(t.expr(), t.unit().factorTo(target)));
    }

    /** The marker of a unit constant, alone, as a plain number 1 (so that converting again sees no marker). */
    private static ExprSpec fresh(final ExprSpec e) {
        return e == UNIT_CONSTANT ? new ExprSpec.Num(1.0) : e;
    }

    /**
     * The names every model has: the time {@code t} and the step length {@code dt} (events and projection
     * statements only) in the model's time unit, white noise {@code xi} (and
     * {@code xi_1}, {@code xi_2}, ... by {@link #builtIn}) in time^-1/2, and the dimensionless {@code pi},
     * {@code e}, element index {@code i} and block size {@code N}.
     *
     * @param time the model's time unit
     * @return name to unit
     */
    public static Map<String, Unit> builtIns(final Unit time) {
        return Map.of("t", time, "dt", time, "xi", time.power(-0.5), "pi", Unit.ONE, "e", Unit.ONE, "i", Unit.ONE,
                "j", Unit.ONE, "N", Unit.ONE);
    }

    /**
     * The unit of a built-in name: see {@link #builtIns(Unit)}; {@code xi_} followed by anything is white noise
     * too (Brian2's independent noise terms).
     *
     * @param name the name
     * @param time the model's time unit
     * @return its unit, or null if it is not built in
     */
    public static Unit builtIn(final String name, final Unit time) {
        if (name.startsWith("xi_")) {
            return time.power(-0.5);
        }
        return builtIns(time).get(name);
    }

    private boolean converting() {
        return declared != null;
    }

    private OdeException mismatch(final String message) {
        return new OdeException(ErrorCode.UNIT_MISMATCH, where.get(), message);
    }

    private static String quote(final ExprSpec e) {
        return "'" + ExprText.of(e) + "'";
    }

    private static String operand(final ExprSpec e, final Unit u) {
        return quote(e) + " in " + u;
    }

    private static boolean isZero(final ExprSpec e) {
        if (e instanceof ExprSpec.Num n) {
            return n.value() == 0.0;
        }
        return e instanceof ExprSpec.Unary u && "-".equals(u.op()) && isZero(u.arg());
    }

    /**
     * {@code e} times a factor: {@code e} itself for a factor of 1 (to 1e-9) or a literal 0, the factor
     * appended to a product, else a product of the two.
     */
    private static ExprSpec scaled(final ExprSpec e, final double factor) {
        if (Unit.sameScale(factor, 1.0) || isZero(e)) {
            return e;
        }
        final ExprSpec.Factor f = new ExprSpec.Factor(false, new ExprSpec.Num(Unit.normalize(factor)));
        if (e == UNIT_CONSTANT) {
            return f.value();
        }
        final List<ExprSpec.Factor> factors = new ArrayList<>();
        if (e instanceof ExprSpec.Product p) {
            factors.addAll(p.factors());
        } else {
            factors.add(new ExprSpec.Factor(false, e));
        }
        factors.add(f);
        return new ExprSpec.Product(factors);
    }

    /** A result of unknown unit. */
    private static Typed unknown(final ExprSpec e) {
        return new Typed(null, e);
    }

    /** A leaf of unknown unit (a name, a function or an operator the checker does not know), as written. */
    private Typed unknownLeaf(final ExprSpec original, final ExprSpec rewritten) {
        if (firstUnknown == null) {
            firstUnknown = original;
        }
        return unknown(rewritten);
    }

    private Typed unit(final ExprSpec e) {
        if (e instanceof ExprSpec.Num) {
            return new Typed(Unit.ONE, e);
        }
        if (e instanceof ExprSpec.Name n) {
            return name(n);
        }
        if (memo == null) {
            memo = new IdentityHashMap<>(8);
        }
        final Typed known = memo.get(e);
        if (known != null) {
            return known;
        }
        if (++depth > MAX_DEPTH) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, where.get() + ": the expression nests deeper than "
                    + MAX_DEPTH + " levels; name inner parts with 'let'");
        }
        final Typed t;
        if (e instanceof ExprSpec.Unary un) {
            final Typed a = unit(un.arg());
            final ExprSpec x = a.expr() == un.arg() ? un : new ExprSpec.Unary(un.op(), a.expr());
            t = "-".equals(un.op()) ? new Typed(a.unit(), x)
                    : "not".equals(un.op()) ? new Typed(Unit.ONE, x) : unknownLeaf(un, x);
        } else if (e instanceof ExprSpec.Binary b) {
            t = binary(b);
        } else if (e instanceof ExprSpec.Sum s) {
            t = sum(s);
        } else if (e instanceof ExprSpec.Product p) {
            t = product(p);
        } else if (e instanceof ExprSpec.Part p) {
            // a part has the unit of what it is a part of
            final Typed b = unit(p.base());
            t = new Typed(b.unit(), b.expr() == p.base() ? p : new ExprSpec.Part(b.expr(), p.rows(), p.cols()));
        } else {
            t = call((ExprSpec.Call) e);
        }
        depth--;
        memo.put(e, t);
        return t;
    }

    private Typed name(final ExprSpec.Name n) {
        final Unit u = symbols.apply(n.name());
        if (u != null) {
            return new Typed(u, n);
        }
        if (converting() && !declared.test(n.name())) {
            final Unit constant = UnitParser.constant(n.name());
            if (constant != null) {
                constants = true;
                return new Typed(constant, UNIT_CONSTANT);
            }
        }
        return unknownLeaf(n, n);
    }

    /**
     * Makes {@code b} (in unit {@code ub}) agree with {@code a} (in {@code ua}) where units must be equal:
     * returns b, converted to ua when converting and the scales differ; null units (unknown) and literal zeros
     * agree with anything.
     *
     * @throws OdeException for different dimensions, or different scales when checking
     */
    private ExprSpec agreeWith(final ExprSpec a, final Unit ua, final ExprSpec b, final Unit ub,
                               final ExprSpec bConverted, final ExprSpec whole, final String verb,
                               final String conjunction, final boolean bFirst) {
        if (ua == null || ub == null || isZero(a) || isZero(b) || ua.equals(ub)) {
            return bConverted;
        }
        if (converting() && ua.sameDimension(ub)) {
            return scaled(bConverted, ub.factorTo(ua));
        }
        final String pair = bFirst ? operand(b, ub) + conjunction + operand(a, ua) + kinds(ub, ua)
                : operand(a, ua) + conjunction + operand(b, ub) + kinds(ua, ub);
        throw mismatch(quote(whole) + " " + verb + " " + pair + factorNote(b, ub, ua));
    }

    /** " (a current and a voltage)" for units of different dimensions, else "". */
    private static String kinds(final Unit a, final Unit b) {
        return a.sameDimension(b) ? "" : " (" + a.dimension().describe() + " and " + b.dimension().describe() + ")";
    }

    /** For units of one dimension: how far apart they are and what to do, since nothing is converted. */
    private static String factorNote(final ExprSpec e, final Unit u, final Unit ref) {
        if (!u.sameDimension(ref)) {
            return "";
        }
        return "; they differ by a factor " + Unit.number(Math.max(u.scale() / ref.scale(),
                ref.scale() / u.scale())) + " and nothing is converted at run time: give both the same unit "
                + "(e.g. " + quote(e) + " in " + ref + ")";
    }

    private Typed binary(final ExprSpec.Binary b) {
        final String op = b.op();
        if ("^".equals(op)) {
            return power(b, b.left(), b.right());
        }
        final Typed l = unit(b.left());
        final Typed r = unit(b.right());
        ExprSpec right = r.expr();
        final Unit u;
        if ("@".equals(op)) {
            u = l.unit() == null || r.unit() == null ? null : multiply(b, l.unit(), r.unit(), false);
        } else if (COMPARISONS.contains(op)) {
            right = agreeWith(b.left(), l.unit(), b.right(), r.unit(), r.expr(), b, "compares", " with ", false);
            u = Unit.ONE;
        } else if ("and".equals(op) || "or".equals(op)) {
            u = Unit.ONE;
        } else {
            u = null;
        }
        final ExprSpec x = l.expr() == b.left() && right == b.right() ? b
                : new ExprSpec.Binary(op, l.expr(), right);
        if (u == null && !"@".equals(op)) {
            return unknownLeaf(b, x);
        }
        return u == null ? unknown(x) : new Typed(u, x);
    }

    private Typed sum(final ExprSpec.Sum s) {
        Unit ref = null;
        ExprSpec refTerm = null;
        boolean unknown = false;
        boolean changed = false;
        final List<ExprSpec.Term> terms = new ArrayList<>(s.terms().size());
        for (final ExprSpec.Term term : s.terms()) {
            final Typed t = unit(term.value());
            ExprSpec x = t.expr();
            if (t.unit() == null) {
                unknown = true;
            } else if (!isZero(term.value())) {
                if (ref == null) {
                    ref = t.unit();
                    refTerm = term.value();
                } else {
                    x = agreeWith(refTerm, ref, term.value(), t.unit(), x, s, term.negative() ? "subtracts" : "adds",
                            term.negative() ? " from " : " to ", true);
                }
            }
            changed |= x != term.value();
            terms.add(x == term.value() ? term : new ExprSpec.Term(term.negative(), x));
        }
        final ExprSpec x = changed ? new ExprSpec.Sum(terms) : s;
        return unknown ? unknown(x) : new Typed(ref == null ? Unit.ONE : ref, x);
    }

    private Typed product(final ExprSpec.Product p) {
        Unit acc = Unit.ONE;
        boolean unknown = false;
        boolean changed = false;
        final List<ExprSpec.Factor> factors = new ArrayList<>(p.factors().size());
        for (final ExprSpec.Factor f : p.factors()) {
            final Typed t = unit(f.value());
            if (t.unit() == null) {
                unknown = true;
            } else if (!unknown) {
                acc = multiply(p, acc, t.unit(), f.divide());
            }
            changed |= t.expr() != f.value();
            if (t.expr() != UNIT_CONSTANT) {
                factors.add(t.expr() == f.value() ? f : new ExprSpec.Factor(f.divide(), t.expr()));
            }
        }
        final ExprSpec x = changed ? productOf(factors) : p;
        return unknown ? unknown(x) : new Typed(acc, x);
    }

    /** A product of what is left once unit constants are dropped: 1 for nothing, 1 / x for a leading divisor. */
    private static ExprSpec productOf(final List<ExprSpec.Factor> factors) {
        if (factors.isEmpty()) {
            return UNIT_CONSTANT;
        }
        if (factors.get(0).divide()) {
            factors.add(0, new ExprSpec.Factor(false, new ExprSpec.Num(1.0)));
        }
        return factors.size() == 1 ? factors.get(0).value() : new ExprSpec.Product(factors);
    }

    private Unit multiply(final ExprSpec e, final Unit a, final Unit b, final boolean divide) {
        final double scale = divide ? a.scale() / b.scale() : a.scale() * b.scale();
        checkScale(e, scale, Math.log10(a.scale()) + (divide ? -1 : 1) * Math.log10(b.scale()));
        if (!a.dimension().canCombine(b.dimension(), divide ? -1 : 1)) {
            throw mismatch(quote(e) + " has a unit with an exponent above " + Dimension.MAX_HALVES / 2);
        }
        return Unit.of(divide ? a.dimension().dividedBy(b.dimension()) : a.dimension().times(b.dimension()),
                scale);
    }

    private void checkScale(final ExprSpec e, final double scale, final double log10) {
        if (!(scale >= 1e-300 && scale <= 1e300)) {
            throw mismatch(quote(e) + " has a unit whose scale (" + Unit.powerOfTen(log10)
                    + " in SI) is out of range");
        }
    }

    private Typed power(final ExprSpec e, final ExprSpec base, final ExprSpec exponent) {
        final Typed b = unit(base);
        final Typed x = unit(exponent);
        ExprSpec exp = x.expr();
        if (x.unit() != null && !x.unit().isOne()) {
            if (converting() && x.unit().dimension().isNone()) {
                exp = scaled(exp, x.unit().scale());
            } else {
                throw mismatch(quote(e) + " has the exponent " + operand(exponent, x.unit()) + "; an exponent "
                        + "must be dimensionless (unit 1)");
            }
        }
        final ExprSpec rewritten = b.expr() == UNIT_CONSTANT ? UNIT_CONSTANT
                : b.expr() == base && exp == exponent ? e
                : e instanceof ExprSpec.Call c ? new ExprSpec.Call(c.function(), List.of(b.expr(), exp))
                : new ExprSpec.Binary("^", b.expr(), exp);
        final OptionalDouble p = constant(exponent);
        if (b.unit() == null) {
            return unknown(rewritten);
        }
        if (p.isEmpty()) {
            if (!b.unit().isOne()) {
                throw mismatch(quote(e) + " raises " + operand(base, b.unit()) + " to the power " + quote(exponent)
                        + ", which is not a constant; only a dimensionless base (unit 1) can have a variable "
                        + "exponent");
            }
            return new Typed(Unit.ONE, rewritten);
        }
        final double v = p.getAsDouble();
        if (!b.unit().dimension().canPower(v) && b.unit().dimension().halvesAfterPower(v)) {
            throw mismatch(quote(e) + " has a unit with an exponent above " + Dimension.MAX_HALVES / 2);
        }
        if (!b.unit().dimension().canPower(v)) {
            throw mismatch(quote(e) + " raises " + operand(base, b.unit()) + " to the power " + Unit.number(v)
                    + ", which gives no unit: exponents of units must be multiples of 1/2");
        }
        final double scale = Math.pow(b.unit().scale(), v);
        checkScale(e, scale, Math.log10(b.unit().scale()) * v);
        return new Typed(Unit.of(b.unit().dimension().power(v), scale), rewritten);
    }

    /** The value of an expression made of numbers alone (-0.5, 1/2, 2^-1), or empty. */
    static OptionalDouble constant(final ExprSpec e) {
        double v;
        if (e instanceof ExprSpec.Num n) {
            v = n.value();
        } else if (e instanceof ExprSpec.Unary u && "-".equals(u.op())) {
            final OptionalDouble a = constant(u.arg());
            if (a.isEmpty()) {
                return a;
            }
            v = -a.getAsDouble();
        } else if (e instanceof ExprSpec.Sum s) {
            v = 0;
            for (final ExprSpec.Term t : s.terms()) {
                final OptionalDouble a = constant(t.value());
                if (a.isEmpty()) {
                    return a;
                }
                v = t.negative() ? v - a.getAsDouble() : v + a.getAsDouble();
            }
        } else if (e instanceof ExprSpec.Product p) {
            v = 1;
            for (final ExprSpec.Factor f : p.factors()) {
                final OptionalDouble a = constant(f.value());
                if (a.isEmpty()) {
                    return a;
                }
                v = f.divide() ? v / a.getAsDouble() : v * a.getAsDouble();
            }
        } else if (e instanceof ExprSpec.Binary b && "^".equals(b.op())) {
            final OptionalDouble l = constant(b.left());
            final OptionalDouble r = constant(b.right());
            if (l.isEmpty() || r.isEmpty()) {
                return OptionalDouble.empty();
            }
            v = Math.pow(l.getAsDouble(), r.getAsDouble());
        } else {
            return OptionalDouble.empty();
        }
        return Double.isFinite(v) ? OptionalDouble.of(v) : OptionalDouble.empty();
    }

    /** The arguments, each inferred, and the call rebuilt if any changed. */
    private final class Args {
        private final ExprSpec.Call call;
        private final Typed[] typed;
        private final ExprSpec[] exprs;

        Args(final ExprSpec.Call call) {
            this.call = call;
            typed = new Typed[call.args().size()];
            exprs = new ExprSpec[typed.length];
            for (int k = 0; k < typed.length; k++) {
                typed[k] = UnitInference.this.unit(call.args().get(k));
                exprs[k] = typed[k].expr();
            }
        }

        Unit unit(final int k) {
            return typed[k].unit();
        }

        ExprSpec arg(final int k) {
            return call.args().get(k);
        }

        ExprSpec rebuilt() {
            for (int k = 0; k < exprs.length; k++) {
                if (exprs[k] != call.args().get(k)) {
                    return new ExprSpec.Call(call.function(), List.of(exprs));
                }
            }
            return call;
        }

        Typed typed(final Unit u) {
            return u == null ? unknown(rebuilt()) : new Typed(u, rebuilt());
        }

        /** The common unit of arguments from..to-1 that must agree (min, max, clip, where's branches). */
        Typed agree(final int from, final String verb) {
            Unit ref = null;
            int refArg = -1;
            boolean anyUnknown = false;
            for (int k = from; k < typed.length; k++) {
                final Unit u = unit(k);
                if (u == null) {
                    anyUnknown = true;
                } else if (!isZero(arg(k))) {
                    if (ref == null) {
                        ref = u;
                        refArg = k;
                    } else {
                        exprs[k] = agreeWith(arg(refArg), ref, arg(k), u, exprs[k], call, verb, " and ", false);
                    }
                }
            }
            return typed(anyUnknown ? null : ref == null ? Unit.ONE : ref);
        }
    }

    private Typed call(final ExprSpec.Call c) {
        final String f = c.function();
        final int n = c.args().size();
        if ("pow".equals(f) && n == 2) {
            return power(c, c.args().get(0), c.args().get(1));
        }
        final Args a = new Args(c);
        if (DIMENSIONLESS_ARGUMENT.contains(f) && n == 1) {
            final Unit u = a.unit(0);
            if (u != null && !u.isOne()) {
                if (converting() && u.dimension().isNone()) {
                    a.exprs[0] = scaled(a.exprs[0], u.scale());
                } else {
                    throw mismatch(quote(c) + " needs a dimensionless argument (unit 1) but "
                            + operand(a.arg(0), u) + (u.dimension().isNone() ? ", a factor "
                            + Unit.number(u.scale()) + " from 1 (nothing is converted at run time)"
                            : " is " + u.dimension().describe()));
                }
            }
            return a.typed(Unit.ONE);
        }
        switch (f) {
            case "step":
            case "sign":
            case "rand":
            case "randn":
                return a.typed(Unit.ONE);
            case "relu":
            case "floor":
            case "ceil":
            case "abs":
            case "sum":
            case "transpose":
                if (n == 1) {
                    return a.typed(a.unit(0));
                }
                break;
            case "sqrt":
                if (n == 1) {
                    final Unit u = a.unit(0);
                    if (u != null && !u.dimension().canPower(0.5)) {
                        throw mismatch(quote(c) + " takes the square root of " + operand(a.arg(0), u)
                                + ", which gives no unit: exponents of units must be multiples of 1/2");
                    }
                    if (a.exprs[0] == UNIT_CONSTANT) {
                        return new Typed(u.sqrt(), UNIT_CONSTANT);
                    }
                    return a.typed(u == null ? null : u.sqrt());
                }
                break;
            case "outer":
            case "dot":
                if (n == 2) {
                    return a.typed(a.unit(0) == null || a.unit(1) == null ? null
                            : multiply(c, a.unit(0), a.unit(1), false));
                }
                break;
            case "min":
            case "max":
                if (n >= 2) {
                    return a.agree(0, "takes");
                }
                break;
            case "clip":
                if (n == 3) {
                    return a.agree(0, "takes");
                }
                break;
            case "where":
                if (n == 3) {
                    return a.agree(1, "chooses between");
                }
                break;
            default:
                break;
        }
        // unknown function or wrong number of arguments (the compiler reports those): checked inside, unit unknown
        return unknownLeaf(c, a.rebuilt());
    }
}
