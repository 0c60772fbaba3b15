package org.neurode.core.expr;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;
import org.neurode.core.spec.ExprSpec;

/**
 * Evaluates the expressions of values computed once when a model is built: parameter values and initial values
 * ({@code v = -65 + 5 * randn()}, {@code w = 0.1 * i / N}). Each element of the declared block is evaluated on
 * its own, in row-major order, with {@code i} (row), {@code j} (column) and {@code N} (rows) of the block, the
 * scalar parameters declared before, {@code pi} and {@code e}. {@code rand()} (uniform on [0, 1)) and
 * {@code randn()} (standard normal) draw from one generator per model, in the order of the declarations and of
 * the elements, so a seed gives the same values on any machine and any number of threads.
 *
 * <p>Numbers only: a value cannot read the state, the time or another block's elements (those are what
 * equations are for); such a name is an error naming it.
 */
final class ValueEvaluator {

    private final Map<String, Double> parameters;
    private final SplittableRandom random;
    private final String where;
    private int rows;
    private int row;
    private int col;
    /** The value of {@code t} (NaN where a value may not depend on the time). */
    private double time = Double.NaN;

    /**
     * @param parameters values of the scalar parameters declared so far
     * @param random     the generator of {@code rand()} and {@code randn()}
     * @param where      what is evaluated, for messages ("the initial value of 'v'")
     */
    ValueEvaluator(final Map<String, Double> parameters, final SplittableRandom random, final String where) {
        this.parameters = parameters;
        this.random = random;
        this.where = where;
    }

    /**
     * @param e    the expression
     * @param rows rows of the block
     * @param cols columns of the block
     * @return its value per element, row-major
     * @throws OdeException naming what is evaluated and the part at fault (a name that is not a scalar parameter,
     *                      a function that is not element-wise, a value that is not finite)
     */
    double[] evaluate(final ExprSpec e, final int rows, final int cols) {
        this.rows = rows;
        final double[] out = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                row = r;
                col = c;
                final double v = value(e, 0);
                if (!Double.isFinite(v)) {
                    throw error("element " + (cols == 1 ? Integer.toString(r) : "[" + r + ", " + c + "]") + " of "
                            + e.text() + " is " + v);
                }
                out[r * cols + c] = v;
            }
        }
        return out;
    }

    /**
     * One value at the indices {@code i}, {@code j} (a synapse's source and target; {@code N} is 1).
     *
     * @param e the expression
     * @param i the value of {@code i}
     * @param j the value of {@code j}
     * @return its value
     * @throws OdeException as {@link #evaluate}
     * @since 0.5
     */
    double at(final ExprSpec e, final int i, final int j) {
        this.rows = 1;
        this.row = i;
        this.col = j;
        final double v = value(e, 0);
        if (!Double.isFinite(v)) {
            throw error(e.text() + " is " + v + " for i = " + i + ", j = " + j);
        }
        return v;
    }

    /**
     * The value of a time-dependent expression (a Poisson group's rate) for one member at one time; no check of
     * the result and no allocation (the caller checks it where it knows what the value is for).
     *
     * @param e      the expression (of numbers, parameters, units, {@code i}, {@code N} and {@code t})
     * @param member the value of {@code i}
     * @param size   the value of {@code N}
     * @param t      the value of {@code t} (time unit)
     * @return its value
     * @since 0.5
     */
    double at(final ExprSpec e, final int member, final int size, final double t) {
        this.rows = size;
        this.row = member;
        this.col = 0;
        this.time = t;
        return value(e, 0);
    }

    /** @return a uniform draw on [0, 1) from the generator of {@code rand()} */
    double draw() {
        return random.nextDouble();
    }

    /**
     * Checks the names of a value when it is declared, so that a misspelt name is an error where it is written.
     *
     * @param e          the value
     * @param parameters the scalar parameters declared before
     * @param where      what the value is, for the message
     * @throws OdeException naming the first name that is none of the parameters, {@code i j N pi e} or a unit
     */
    static void checkNames(final ExprSpec e, final java.util.Set<String> parameters, final String where) {
        checkNames(e, parameters, false, where);
    }

    /**
     * As {@link #checkNames(ExprSpec, java.util.Set, String)}, where the value may also use the time {@code t} (a
     * Poisson group's rate) if {@code timed}.
     *
     * @param e          the value
     * @param parameters the scalar parameters declared before
     * @param timed      whether {@code t} may be used
     * @param where      what the value is, for the message
     */
    static void checkNames(final ExprSpec e, final java.util.Set<String> parameters, final boolean timed,
                           final String where) {
        final java.util.ArrayDeque<ExprSpec> stack = new java.util.ArrayDeque<>();
        stack.push(e);
        while (!stack.isEmpty()) {
            final ExprSpec x = stack.pop();
            if (x instanceof ExprSpec.Name n && !parameters.contains(n.name()) && !BUILT_IN.contains(n.name())
                    && !(timed && "t".equals(n.name())) && !org.neurode.core.units.Unit.isConstant(n.name())) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "in " + where + ": '" + n.name() + "' is not a "
                        + "number or a parameter declared before (a value is made of numbers, parameters, i, j, N, pi, "
                        + "e, units, " + (timed ? "the time t, " : "") + "rand() and randn())");
            }
            for (final ExprSpec c : children(x)) {
                stack.push(c);
            }
        }
    }

    private static final java.util.Set<String> BUILT_IN = java.util.Set.of("i", "j", "N", "pi", "e");

    /**
     * @param e    an expression
     * @param name a name
     * @return true if the expression uses the name
     */
    static boolean mentions(final ExprSpec e, final String name) {
        final java.util.ArrayDeque<ExprSpec> stack = new java.util.ArrayDeque<>();
        stack.push(e);
        while (!stack.isEmpty()) {
            final ExprSpec x = stack.pop();
            if (x instanceof ExprSpec.Name n && name.equals(n.name())) {
                return true;
            }
            for (final ExprSpec c : children(x)) {
                stack.push(c);
            }
        }
        return false;
    }

    /**
     * @param e an expression
     * @return true if it calls {@code rand()} or {@code randn()}
     */
    static boolean draws(final ExprSpec e) {
        final java.util.ArrayDeque<ExprSpec> stack = new java.util.ArrayDeque<>();
        stack.push(e);
        while (!stack.isEmpty()) {
            final ExprSpec x = stack.pop();
            if (x instanceof ExprSpec.Call c && ("rand".equals(c.function()) || "randn".equals(c.function()))) {
                return true;
            }
            for (final ExprSpec c : children(x)) {
                stack.push(c);
            }
        }
        return false;
    }

    private static List<ExprSpec> children(final ExprSpec e) {
        final List<ExprSpec> c = new ArrayList<>();
        if (e instanceof ExprSpec.Unary u) {
            c.add(u.arg());
        } else if (e instanceof ExprSpec.Binary b) {
            c.add(b.left());
            c.add(b.right());
        } else if (e instanceof ExprSpec.Sum s) {
            for (final ExprSpec.Term t : s.terms()) {
                c.add(t.value());
            }
        } else if (e instanceof ExprSpec.Product p) {
            for (final ExprSpec.Factor f : p.factors()) {
                c.add(f.value());
            }
        } else if (e instanceof ExprSpec.Call call) {
            c.addAll(call.args());
        } else if (e instanceof ExprSpec.Part p) {
            c.add(p.base());
        }
        return c;
    }

    private OdeException error(final String message) {
        return new OdeException(ErrorCode.INVALID_ARGUMENT, "in " + where + ": " + message);
    }

    // recursion as deep as the tree, which the parser bounds (ExprText.MAX_NESTING); depth checked for trees
    // built in Java
    private double value(final ExprSpec e, final int depth) {
        if (depth > 4 * org.neurode.core.spec.ExprText.MAX_NESTING) {
            throw error("the expression nests too deeply for a value");
        }
        final int d = depth + 1;
        if (e instanceof ExprSpec.Num n) {
            return n.value();
        }
        if (e instanceof ExprSpec.Name n) {
            final Double p = parameters.get(n.name());
            if (p != null) {
                return p;
            }
            return switch (n.name()) {
                case "pi" -> Math.PI;
                case "e" -> Math.E;
                case "i" -> row;
                case "j" -> col;
                case "N" -> rows;
                case "t" -> {
                    if (Double.isNaN(time)) {
                        throw error("'t' has no value here: a value is computed once, before the run");
                    }
                    yield time;
                }
                default -> throw error("'" + n.name() + "' is not a scalar parameter declared before: a value is "
                        + "made of numbers, parameters, i, j, N, pi, e, rand() and randn()");
            };
        }
        if (e instanceof ExprSpec.Unary u) {
            final double a = value(u.arg(), d);
            return "not".equals(u.op()) ? (a == 0.0 ? 1.0 : 0.0) : -a;
        }
        if (e instanceof ExprSpec.Binary b) {
            final double x = value(b.left(), d);
            final double y = value(b.right(), d);
            return switch (b.op()) {
                case "^" -> Kernels.pow(x, y);
                case "<" -> x < y ? 1.0 : 0.0;
                case "<=" -> x <= y ? 1.0 : 0.0;
                case ">" -> x > y ? 1.0 : 0.0;
                case ">=" -> x >= y ? 1.0 : 0.0;
                case "==" -> x == y ? 1.0 : 0.0;
                case "!=" -> x != y ? 1.0 : 0.0;
                case "and" -> x != 0.0 && y != 0.0 ? 1.0 : 0.0;
                case "or" -> x != 0.0 || y != 0.0 ? 1.0 : 0.0;
                default -> throw error("'" + b.op() + "' has no value for one element (matrix products are for "
                        + "equations)");
            };
        }
        if (e instanceof ExprSpec.Sum s) {
            double acc = value(s.terms().get(0).value(), d);
            for (int k = 1; k < s.terms().size(); k++) {
                final ExprSpec.Term t = s.terms().get(k);
                final double v = value(t.value(), d);
                acc = t.negative() ? acc - v : acc + v;
            }
            return acc;
        }
        if (e instanceof ExprSpec.Product p) {
            double acc = value(p.factors().get(0).value(), d);
            for (int k = 1; k < p.factors().size(); k++) {
                final ExprSpec.Factor f = p.factors().get(k);
                final double v = value(f.value(), d);
                acc = f.divide() ? acc / v : acc * v;
            }
            return acc;
        }
        if (e instanceof ExprSpec.Part) {
            throw error("parts of blocks (x[k]) have no place in a value: values are computed before any block");
        }
        return call((ExprSpec.Call) e, d);
    }

    private double call(final ExprSpec.Call c, final int d) {
        final String f = c.function();
        final List<ExprSpec> args = c.args();
        if ("rand".equals(f) || "randn".equals(f)) {
            if (!args.isEmpty()) {
                throw error(f + "() takes no arguments");
            }
            return "rand".equals(f) ? random.nextDouble() : normal();
        }
        // where evaluates only the chosen operand, as in equations
        if ("where".equals(f) && args.size() == 3) {
            return value(args.get(0), d) != 0.0 ? value(args.get(1), d) : value(args.get(2), d);
        }
        final double a = args.isEmpty() ? 0.0 : value(args.get(0), d);
        if (args.size() == 1) {
            switch (f) {
                case "exp": return Math.exp(a);
                case "log": return Math.log(a);
                case "sqrt": return Math.sqrt(a);
                case "tanh": return Math.tanh(a);
                case "sigmoid": return Kernels.sigmoid(a);
                case "softplus": return Kernels.softplus(a);
                case "relu": return Math.max(0.0, a);
                case "exprel": return Kernels.exprel(a);
                case "abs": return Math.abs(a);
                case "sin": return Math.sin(a);
                case "cos": return Math.cos(a);
                case "tan": return Math.tan(a);
                case "atan": return Math.atan(a);
                case "step": return Kernels.step(a);
                case "floor": return Math.floor(a);
                case "ceil": return Math.ceil(a);
                case "sign": return Math.signum(a);
                default: break;
            }
        } else if (args.size() == 2) {
            final double b = value(args.get(1), d);
            switch (f) {
                case "min": return Math.min(a, b);
                case "max": return Math.max(a, b);
                case "pow": return Kernels.pow(a, b);
                default: break;
            }
        } else if (args.size() == 3 && "clip".equals(f)) {
            return Math.min(Math.max(a, value(args.get(1), d)), value(args.get(2), d));
        }
        throw error("'" + f + "' with " + args.size() + " argument" + (args.size() == 1 ? "" : "s")
                + " has no value for one element");
    }

    /** A standard normal draw (Box-Muller, using both uniforms of a pair: one value per call, reproducible). */
    private double normal() {
        final double u1 = 1.0 - random.nextDouble();          // in (0, 1]: log is finite
        final double u2 = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }
}
