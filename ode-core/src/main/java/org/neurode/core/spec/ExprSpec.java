package org.neurode.core.spec;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;

/**
 * An expression as an immutable tree of names, numbers, operators and function calls, before any name is
 * resolved. Chains of additions and subtractions, and of multiplications and divisions, are flat lists
 * ({@link Sum}, {@link Product}) rather than left-deep binary trees, so that a sum of 10^5 terms is a list, not
 * a tree 10^5 levels deep (records compare and hash recursively); the order of the list is the order of
 * evaluation, left to right, as in the text.
 *
 * <p>The text form ({@link ExprText}) reads and writes trees without loss: {@code parse(e.text())} equals
 * {@code e}. A tree is a value: two equal trees compile to the same code, whether or not they share parts.
 *
 * <p>Building a model from parts: {@link #parse} a template once and {@link #substitute} names in it, e.g.
 * {@code ExprSpec.parse("gamma * softplus(beta * (u - theta))").substitute(Map.of("u", new Name("u1")))}.
 *
 * @since 0.3
 */
public sealed interface ExprSpec permits ExprSpec.Num, ExprSpec.Name, ExprSpec.Unary, ExprSpec.Binary,
        ExprSpec.Sum, ExprSpec.Product, ExprSpec.Call, ExprSpec.Part {

    /**
     * Parses expression text ({@link ExprText#parse(String)}).
     *
     * @param text the expression
     * @return the tree
     * @throws OdeException naming the column of a syntax error
     */
    static ExprSpec parse(final String text) {
        return ExprText.parse(text);
    }

    /**
     * The operand trees of a node, in writing order (none for numbers and names; the base of a part).
     *
     * @param e a node
     * @return its operands
     */
    static List<ExprSpec> operands(final ExprSpec e) {
        if (e instanceof Unary u) {
            return List.of(u.arg());
        }
        if (e instanceof Binary b) {
            return List.of(b.left(), b.right());
        }
        if (e instanceof Sum s) {
            return s.terms().stream().map(Term::value).toList();
        }
        if (e instanceof Product p) {
            return p.factors().stream().map(Factor::value).toList();
        }
        if (e instanceof Call c) {
            return c.args();
        }
        if (e instanceof Part p) {
            return List.of(p.base());
        }
        return List.of();
    }

    /**
     * Every name of a tree, depth first, with repeats (the walk of the checks that look for names).
     *
     * @param e   a tree
     * @param out where the names are added
     */
    static void names(final ExprSpec e, final List<String> out) {
        final java.util.ArrayDeque<ExprSpec> stack = new java.util.ArrayDeque<>();
        stack.push(e);
        while (!stack.isEmpty()) {
            final ExprSpec x = stack.pop();
            if (x instanceof Name n) {
                out.add(n.name());
            } else {
                operands(x).forEach(stack::push);
            }
        }
    }

    /** @return the canonical text of this tree ({@link ExprText#print}) */
    default String text() {
        return ExprText.print(this);
    }

    /**
     * Replaces names by trees: every {@link Name} that is a key of {@code replacements} becomes its value (the
     * replacements are not searched again). Where a replacement that is a sum (product) becomes the first term
     * (factor) of a sum (product), its terms (factors) join the outer chain: the order of evaluation is the same
     * and the text needs no parentheses.
     *
     * @param replacements trees by name
     * @return the new tree (this one if nothing was replaced)
     */
    default ExprSpec substitute(final Map<String, ExprSpec> replacements) {
        return Substitution.apply(this, replacements);
    }

    /**
     * Renames names: {@code RATE.rename(Map.of("u", "u1"))} is {@code RATE} with {@code u1} where it says
     * {@code u} (a template for each layer of a network).
     *
     * @param names new names by old name
     * @return the new tree (this one if no name was renamed)
     */
    default ExprSpec rename(final Map<String, String> names) {
        final Map<String, ExprSpec> r = new java.util.HashMap<>();
        for (final Map.Entry<String, String> e : names.entrySet()) {
            r.put(e.getKey(), new Name(e.getValue()));
        }
        return Substitution.apply(this, r);
    }

    /**
     * A number, never negative: {@code -2} is the negation of {@code 2}, as the text reads.
     *
     * @param value the value (finite, sign bit clear)
     */
    record Num(double value) implements ExprSpec {
        /** @param value the value */
        public Num {
            if (!Double.isFinite(value)) {
                throw new OdeException(ErrorCode.NOT_FINITE, "a number in an expression", value);
            }
            if (Double.doubleToRawLongBits(value) < 0) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "a number in an expression is never negative ("
                        + value + "): write a negation of the number, new Unary(\"-\", new Num(" + -value + "))");
            }
        }
    }

    /**
     * A name: a variable, parameter, input, named subexpression, constant or the time {@code t}.
     *
     * @param name the name
     */
    record Name(String name) implements ExprSpec {
        /** @param name the name */
        public Name {
            Objects.requireNonNull(name, "name");
        }
    }

    /**
     * A prefix operator.
     *
     * @param op  the operator: {@code "-"} (negation) or {@code "not"}
     * @param arg the operand
     */
    record Unary(String op, ExprSpec arg) implements ExprSpec {
        /**
         * @param op  operator
         * @param arg operand
         */
        public Unary {
            Objects.requireNonNull(op, "op");
            Objects.requireNonNull(arg, "arg");
        }
    }

    /**
     * A binary operator other than the chains {@link Sum} and {@link Product}.
     *
     * @param op    the operator: {@code "^"} (power), {@code "@"} (matrix-vector product), a comparison
     *              ({@code < <= > >= == !=}), {@code "and"} or {@code "or"}
     * @param left  left operand
     * @param right right operand
     */
    record Binary(String op, ExprSpec left, ExprSpec right) implements ExprSpec {
        /**
         * @param op    operator
         * @param left  left operand
         * @param right right operand
         */
        public Binary {
            Objects.requireNonNull(op, "op");
            Objects.requireNonNull(left, "left");
            Objects.requireNonNull(right, "right");
        }
    }

    /**
     * One term of a {@link Sum}.
     *
     * @param negative true if the term is subtracted
     * @param value    the term
     */
    record Term(boolean negative, ExprSpec value) {
        /**
         * @param negative subtracted
         * @param value    term
         */
        public Term {
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * A chain {@code t0 ± t1 ± t2 ...}, evaluated left to right. The first term is never negative (a leading
     * minus sign is a {@link Unary}).
     *
     * @param terms at least two terms (copied)
     */
    record Sum(List<Term> terms) implements ExprSpec {
        /** @param terms the terms */
        public Sum {
            terms = List.copyOf(terms);
            if (terms.size() < 2 || terms.get(0).negative()) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "a sum needs at least two terms and a first term "
                        + "that is added");
            }
        }
    }

    /**
     * One factor of a {@link Product}.
     *
     * @param divide true if the product is divided by it
     * @param value  the factor
     */
    record Factor(boolean divide, ExprSpec value) {
        /**
         * @param divide divisor
         * @param value  factor
         */
        public Factor {
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * A chain {@code f0 * f1 / f2 ...}, evaluated left to right. The first factor is never a divisor.
     *
     * @param factors at least two factors (copied)
     */
    record Product(List<Factor> factors) implements ExprSpec {
        /** @param factors the factors */
        public Product {
            factors = List.copyOf(factors);
            if (factors.size() < 2 || factors.get(0).divide()) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "a product needs at least two factors and a first "
                        + "one that multiplies");
            }
        }
    }

    /**
     * A function call such as {@code exp(x)}, {@code outer(a, b)} or {@code where(c, a, b)}.
     *
     * @param function the function's name
     * @param args     its arguments (copied)
     */
    record Call(String function, List<ExprSpec> args) implements ExprSpec {
        /**
         * @param function name
         * @param args     arguments
         */
        public Call {
            Objects.requireNonNull(function, "function");
            args = List.copyOf(args);
        }
    }

    /**
     * A part of a vector or matrix, {@code x[k]}, {@code x[a:b]}, {@code W[r, c]} or {@code W[a:b, :]}: Python's
     * slices without steps, counted from 0. One range on a matrix selects rows.
     *
     * @param base the vector or matrix
     * @param rows the range of rows (of elements, for a vector)
     * @param cols the range of columns, or null for all of them (one range)
     */
    record Part(ExprSpec base, Range rows, Range cols) implements ExprSpec {
        /**
         * @param base base
         * @param rows rows
         * @param cols columns or null
         */
        public Part {
            Objects.requireNonNull(base, "base");
            Objects.requireNonNull(rows, "rows");
        }
    }

    /**
     * A range of indices: one index {@code k} ({@code single}: the dimension is dropped for printing, the part has
     * size 1 there), or {@code from:to} with {@code to} exclusive, {@link #END} for "to the end".
     *
     * @param from   first index (not negative)
     * @param to     end index, exclusive, or {@link #END}
     * @param single true for one index written without a colon
     */
    record Range(int from, int to, boolean single) {
        /** The end of a range written without one ({@code a:}, {@code :}). */
        public static final int END = Integer.MAX_VALUE;

        /**
         * @param from   from
         * @param to     to
         * @param single single
         */
        public Range {
            if (from < 0 || to <= from || single && to != from + 1) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "range " + from + ":" + (to == END ? "" : to)
                        + " is empty or negative");
            }
        }

        /**
         * @param k the index
         * @return the range of one index
         */
        public static Range of(final int k) {
            return new Range(k, k + 1, true);
        }

        /**
         * @param size size of the dimension
         * @return the end index for a dimension of that size
         */
        public int end(final int size) {
            return to == END ? size : to;
        }

        /** @return the text: {@code k}, {@code a:b}, {@code a:}, {@code :b} or {@code :} */
        public String text() {
            if (single) {
                return Integer.toString(from);
            }
            return (from == 0 ? "" : Integer.toString(from)) + ":" + (to == END ? "" : Integer.toString(to));
        }
    }
}
