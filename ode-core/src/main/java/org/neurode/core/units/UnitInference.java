package org.neurode.core.units;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.Function;

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

    private final Function<String, Unit> symbols;
    private final String where;
    private final Map<ExprSpec, Unit> memo = new IdentityHashMap<>();
    private int depth;

    private UnitInference(final Function<String, Unit> symbols, final String where) {
        this.symbols = symbols;
        this.where = where;
    }

    /**
     * The unit of an expression.
     *
     * @param expression the expression
     * @param symbols    the unit of each name, null for a name whose unit is unknown (e.g. {@code map::get});
     *                   see {@link #builtIns(Unit)} for {@code t}, {@code xi}, {@code pi}, {@code e}, {@code i},
     *                   {@code N}
     * @param where      what the expression is, the start of every message (e.g. {@code "equation of 'v'"})
     * @return the unit, or empty if it depends on a name or function of unknown unit
     * @throws OdeException {@link ErrorCode#UNIT_MISMATCH} naming {@code where}, the subexpression and the units
     *                      in user-facing form
     */
    public static Optional<Unit> infer(final ExprSpec expression, final Function<String, Unit> symbols,
                                       final String where) {
        Objects.requireNonNull(expression, "expression");
        Objects.requireNonNull(symbols, "symbols");
        return Optional.ofNullable(new UnitInference(symbols, Objects.requireNonNull(where, "where"))
                .unit(expression));
    }

    /**
     * The names every model has: the time {@code t} in the model's time unit, white noise {@code xi} (and
     * {@code xi_1}, {@code xi_2}, ... by {@link #builtIn}) in time^-1/2, and the dimensionless {@code pi},
     * {@code e}, element index {@code i} and block size {@code N}.
     *
     * @param time the model's time unit
     * @return name to unit
     */
    public static Map<String, Unit> builtIns(final Unit time) {
        return Map.of("t", time, "xi", time.power(-0.5), "pi", Unit.ONE, "e", Unit.ONE, "i", Unit.ONE,
                "N", Unit.ONE);
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

    private OdeException mismatch(final String message) {
        return new OdeException(ErrorCode.UNIT_MISMATCH, where, message);
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

    /** Null for unknown. */
    private Unit unit(final ExprSpec e) {
        if (e instanceof ExprSpec.Num) {
            return Unit.ONE;
        }
        if (e instanceof ExprSpec.Name n) {
            return symbols.apply(n.name());
        }
        if (memo.containsKey(e)) {
            return memo.get(e);
        }
        if (++depth > MAX_DEPTH) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, where + ": the expression nests deeper than "
                    + MAX_DEPTH + " levels; name inner parts with 'let'");
        }
        final Unit u;
        if (e instanceof ExprSpec.Unary un) {
            final Unit a = unit(un.arg());
            u = "-".equals(un.op()) ? a : "not".equals(un.op()) ? Unit.ONE : null;
        } else if (e instanceof ExprSpec.Binary b) {
            u = binary(b);
        } else if (e instanceof ExprSpec.Sum s) {
            u = sum(s);
        } else if (e instanceof ExprSpec.Product p) {
            u = product(p);
        } else {
            u = call((ExprSpec.Call) e);
        }
        depth--;
        memo.put(e, u);
        return u;
    }

    private Unit binary(final ExprSpec.Binary b) {
        final String op = b.op();
        if ("^".equals(op)) {
            return power(b, b.left(), b.right());
        }
        final Unit l = unit(b.left());
        final Unit r = unit(b.right());
        if ("@".equals(op)) {
            return l == null || r == null ? null : multiply(b, l, r, false);
        }
        if (COMPARISONS.contains(op)) {
            same(b.left(), l, b.right(), r, "(" + ExprText.of(b) + ") compares ", " with ");
            return Unit.ONE;
        }
        if ("and".equals(op) || "or".equals(op)) {
            return Unit.ONE;
        }
        return null;
    }

    private Unit sum(final ExprSpec.Sum s) {
        Unit ref = null;
        ExprSpec refTerm = null;
        boolean unknown = false;
        for (final ExprSpec.Term term : s.terms()) {
            final Unit u = unit(term.value());
            if (u == null) {
                unknown = true;
            } else if (!isZero(term.value())) {
                if (ref == null) {
                    ref = u;
                    refTerm = term.value();
                } else if (!u.equals(ref)) {
                    final String text = "(" + ExprText.of(s) + ") ";
                    throw mismatch((term.negative()
                            ? text + "subtracts " + operand(term.value(), u) + " from " + operand(refTerm, ref)
                            : text + "adds " + operand(term.value(), u) + " to " + operand(refTerm, ref))
                            + factorNote(term.value(), u, ref));
                }
            }
        }
        return unknown ? null : ref == null ? Unit.ONE : ref;
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

    /** Checks that a and b have the same unit unless either is unknown or a literal 0. */
    private void same(final ExprSpec a, final Unit ua, final ExprSpec b, final Unit ub, final String text,
                      final String conjunction) {
        if (ua != null && ub != null && !isZero(a) && !isZero(b) && !ua.equals(ub)) {
            throw mismatch(text + operand(a, ua) + conjunction + operand(b, ub) + factorNote(b, ub, ua));
        }
    }

    /** The common unit of arguments that must agree (min, max, clip, where's branches), null if unknown. */
    private Unit agree(final ExprSpec.Call c, final List<ExprSpec> args, final String verb,
                       final String conjunction) {
        Unit ref = null;
        ExprSpec refArg = null;
        boolean unknown = false;
        for (final ExprSpec a : args) {
            final Unit u = unit(a);
            if (u == null) {
                unknown = true;
            } else if (!isZero(a)) {
                if (ref == null) {
                    ref = u;
                    refArg = a;
                } else {
                    same(refArg, ref, a, u, ExprText.of(c) + " " + verb + " ", conjunction);
                }
            }
        }
        return unknown ? null : ref == null ? Unit.ONE : ref;
    }

    private Unit product(final ExprSpec.Product p) {
        Unit acc = Unit.ONE;
        boolean unknown = false;
        for (final ExprSpec.Factor f : p.factors()) {
            final Unit u = unit(f.value());
            if (u == null) {
                unknown = true;
            } else if (!unknown) {
                acc = multiply(p, acc, u, f.divide());
            }
        }
        return unknown ? null : acc;
    }

    private Unit multiply(final ExprSpec e, final Unit a, final Unit b, final boolean divide) {
        final double scale = divide ? a.scale() / b.scale() : a.scale() * b.scale();
        checkScale(e, scale);
        return Unit.of(divide ? a.dimension().dividedBy(b.dimension()) : a.dimension().times(b.dimension()),
                scale);
    }

    private void checkScale(final ExprSpec e, final double scale) {
        if (!(scale >= 1e-300 && scale <= 1e300)) {
            throw mismatch(quote(e) + " has a unit whose scale (" + Unit.number(scale) + " in SI) is out of range");
        }
    }

    private Unit power(final ExprSpec e, final ExprSpec base, final ExprSpec exponent) {
        final Unit b = unit(base);
        final Unit x = unit(exponent);
        if (x != null && !x.isOne()) {
            throw mismatch(quote(e) + " has the exponent " + operand(exponent, x) + "; an exponent must be "
                    + "dimensionless (unit 1)");
        }
        final OptionalDouble p = constant(exponent);
        if (b == null) {
            return null;
        }
        if (p.isEmpty()) {
            if (!b.isOne()) {
                throw mismatch(quote(e) + " raises " + operand(base, b) + " to the power " + quote(exponent)
                        + ", which is not a constant; only a dimensionless base (unit 1) can have a variable "
                        + "exponent");
            }
            return Unit.ONE;
        }
        final double v = p.getAsDouble();
        if (!b.dimension().canPower(v)) {
            throw mismatch(quote(e) + " raises " + operand(base, b) + " to the power " + Unit.number(v)
                    + ", which gives no unit: exponents of units must be multiples of 1/2");
        }
        final double scale = Math.pow(b.scale(), v);
        checkScale(e, scale);
        return Unit.of(b.dimension().power(v), scale);
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

    private Unit call(final ExprSpec.Call c) {
        final String f = c.function();
        final List<ExprSpec> args = c.args();
        final int n = args.size();
        if (DIMENSIONLESS_ARGUMENT.contains(f) && n == 1) {
            final Unit a = unit(args.get(0));
            if (a != null && !a.isOne()) {
                throw mismatch(ExprText.of(c) + " needs a dimensionless argument (unit 1) but "
                        + operand(args.get(0), a) + (a.dimension().isNone() ? ", a factor "
                        + Unit.number(a.scale()) + " from 1 (nothing is converted at run time)" : ""));
            }
            return Unit.ONE;
        }
        switch (f) {
            case "step":
            case "rand":
            case "randn":
                args.forEach(this::unit);
                return Unit.ONE;
            case "relu":
            case "abs":
            case "sum":
            case "transpose":
                if (n == 1) {
                    return unit(args.get(0));
                }
                break;
            case "sqrt":
                if (n == 1) {
                    final Unit a = unit(args.get(0));
                    if (a != null && !a.dimension().canPower(0.5)) {
                        throw mismatch(ExprText.of(c) + " takes the square root of " + operand(args.get(0), a)
                                + ", which gives no unit: exponents of units must be multiples of 1/2");
                    }
                    return a == null ? null : a.sqrt();
                }
                break;
            case "pow":
                if (n == 2) {
                    return power(c, args.get(0), args.get(1));
                }
                break;
            case "outer":
            case "dot":
                if (n == 2) {
                    final Unit a = unit(args.get(0));
                    final Unit b = unit(args.get(1));
                    return a == null || b == null ? null : multiply(c, a, b, false);
                }
                break;
            case "min":
            case "max":
                if (n >= 2) {
                    return agree(c, args, "takes", " and ");
                }
                break;
            case "clip":
                if (n == 3) {
                    return agree(c, args, "takes", " and ");
                }
                break;
            case "where":
                if (n == 3) {
                    unit(args.get(0));
                    return agree(c, args.subList(1, 3), "chooses between", " and ");
                }
                break;
            default:
                break;
        }
        // unknown function or wrong number of arguments (the compiler reports those): check inside, unit unknown
        args.forEach(this::unit);
        return null;
    }
}
