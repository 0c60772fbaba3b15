package org.neurode.core.spec;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;

/**
 * The text form of {@link ExprSpec}: a parser from the equation language to trees and a canonical printer back.
 * Printing and parsing are inverse on trees: {@code parse(print(e)).equals(e)} for every tree, and
 * {@code print(parse(s))} is the canonical form of the text {@code s} (parentheses only where the tree needs them,
 * numbers written as {@link Double#toString} writes them, which reads back to the same bits).
 *
 * <p>Grammar, loosest first (Python's precedence; {@code ^} and {@code **} are the same power):
 * <pre>
 *   or          and ('or' and)*
 *   and         not ('and' not)*
 *   not         'not' not | comparison
 *   comparison  sum [('&lt;' | '&lt;=' | '&gt;' | '&gt;=' | '==' | '!=') sum]        (no chains)
 *   sum         product (('+' | '-') product)*                                  a {@link ExprSpec.Sum}
 *   product     unary (('*' | '/') unary)*, with '@' between such chains          a {@link ExprSpec.Product}
 *   unary       ('-' | '+') unary | power
 *   power       part [('^' | '**') unary]                                       right-associative
 *   part        primary ('[' range [',' range] ']')*                            a {@link ExprSpec.Part}
 *   range       INTEGER | [INTEGER] ':' [INTEGER]                               Python's slices, no steps
 *   primary     NUMBER | NAME | FUNCTION '(' or (',' or)* ')' | '(' or ')'
 * </pre>
 * Numbers are unsigned decimals ({@code 2}, {@code .5}, {@code 1.5e-3}); a minus sign is a negation. Functions are
 * those of {@link #arity}; {@code and}, {@code or} and {@code not} are words of the language, not names. Nesting
 * (parentheses, arguments, signs, powers, {@code not}) is limited to {@link #MAX_NESTING} levels so that parsing
 * and every later walk over the tree stays shallow; sums and products of any length are lists.
 *
 * <p>Errors are {@link OdeException}s with {@link ErrorCode#EXPRESSION_SYNTAX}: the text (around the error if it
 * is long), the 1-based column and what is wrong.
 *
 * @since 0.3
 */
public final class ExprText {

    /** Deepest nesting of parentheses, arguments, signs, powers and {@code not}. */
    public static final int MAX_NESTING = 256;
    /** Deepest tree {@link #print} writes: a tree nested deeper cannot be read back ({@link #MAX_NESTING}). */
    static final int MAX_PRINT_DEPTH = 4 * MAX_NESTING;
    /** Longest expression quoted whole in a message; longer ones are quoted around the error. */
    private static final int QUOTE = 80;

    /** Functions and their number of arguments. */
    private static final Map<String, Integer> FUNCTIONS = new LinkedHashMap<>();

    static {
        for (final String f : List.of("exp", "log", "sqrt", "tanh", "sigmoid", "softplus", "relu", "abs", "sin",
                "cos", "tan", "atan", "step", "floor", "ceil", "sign", "exprel")) {
            FUNCTIONS.put(f, 1);
        }
        FUNCTIONS.put("rand", 0);
        FUNCTIONS.put("randn", 0);
        FUNCTIONS.put("where", 3);
        FUNCTIONS.put("clip", 3);
        FUNCTIONS.put("min", 2);
        FUNCTIONS.put("max", 2);
        FUNCTIONS.put("pow", 2);
        FUNCTIONS.put("outer", 2);
        FUNCTIONS.put("sum", 1);
        FUNCTIONS.put("transpose", 1);
        FUNCTIONS.put("dot", 2);
    }

    private ExprText() {
    }

    /**
     * @param function a function name
     * @return its number of arguments, or -1 if the language has no such function
     */
    public static int arity(final String function) {
        return FUNCTIONS.getOrDefault(function, -1);
    }

    /** @return the names of the functions, in the order messages list them */
    public static List<String> functions() {
        return List.copyOf(FUNCTIONS.keySet());
    }

    /**
     * @param word a name
     * @return true if it is a word of the language ({@code and}, {@code or}, {@code not}), which no variable
     *         may be called
     */
    public static boolean isKeyword(final String word) {
        return "and".equals(word) || "or".equals(word) || "not".equals(word);
    }

    /**
     * Parses expression text.
     *
     * @param text the expression
     * @return the tree
     * @throws OdeException ({@link ErrorCode#EXPRESSION_SYNTAX}) naming the column of the first error
     */
    public static ExprSpec parse(final String text) {
        return parse(text, null).tree();
    }

    /**
     * Parses expression text and keeps where each part was written (for messages about the tree).
     *
     * @param text  the expression
     * @param where what the expression is (for example "the equation of 'v' of model 'lif'"), added to messages;
     *              null for nothing
     * @return the tree with its positions
     * @throws OdeException ({@link ErrorCode#EXPRESSION_SYNTAX}) naming the column of the first error
     */
    public static Parsed parse(final String text, final String where) {
        final Parser p = new Parser(text, where);
        final ExprSpec tree = p.parse();
        return new Parsed(text, where, tree, p.positions);
    }

    /**
     * The canonical text of a tree.
     *
     * @param e the tree
     * @return its text, which {@link #parse} reads back to an equal tree
     * @throws OdeException if the tree holds an operator the language does not have, or nests deeper than
     *                      {@link #MAX_NESTING} levels can be written
     */
    public static String print(final ExprSpec e) {
        final StringBuilder sb = new StringBuilder();
        print(e, sb, 0);
        return sb.toString();
    }

    /**
     * A number as expressions, model files and documents write it: {@link Double#toString} without a trailing
     * {@code .0} ({@code 2}, {@code 0.5}, {@code 1.0E-4}); reads back to the same bits.
     *
     * @param v the number
     * @return its text
     */
    public static String number(final double v) {
        final String s = Double.toString(v);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }

    /**
     * The text for a message: all of it, or for a long text the part around {@code at} with "..." for what is
     * left out.
     *
     * @param text the text
     * @param at   the index the message is about
     * @return the text to quote
     */
    public static String quote(final String text, final int at) {
        if (text.length() <= QUOTE) {
            return text;
        }
        final int from = Math.max(0, Math.min(at - QUOTE / 2, text.length() - QUOTE));
        final int to = Math.min(text.length(), from + QUOTE);
        return (from > 0 ? "..." : "") + text.substring(from, to) + (to < text.length() ? "..." : "");
    }

    /**
     * A parsed expression with the index in its text of each part a message may be about: a {@link ExprSpec.Name}
     * and a {@link ExprSpec.Call} where they start, a {@link ExprSpec.Term}, {@link ExprSpec.Factor} and
     * {@link ExprSpec.Binary} where the text before their operator ends, a {@link ExprSpec.Unary} at its operator.
     *
     * @param text      the text
     * @param where     what the expression is, for messages (null for nothing)
     * @param tree      the tree
     * @param positions index by part (by identity)
     */
    public record Parsed(String text, String where, ExprSpec tree, Map<Object, Integer> positions) {

        /**
         * @param text      text
         * @param where     description
         * @param tree      tree
         * @param positions positions (not copied: parts are keyed by identity)
         */
        public Parsed {
        }

        /**
         * @param part a part of {@link #tree}
         * @return its index in the text (0 if unknown)
         */
        public int position(final Object part) {
            return positions.getOrDefault(part, 0);
        }

        /**
         * An error about a part of the expression, in the form syntax errors have.
         *
         * @param at      index in the text
         * @param message what is wrong
         * @return the exception ({@link ErrorCode#EXPRESSION_SYNTAX})
         */
        public OdeException error(final int at, final String message) {
            return new OdeException(ErrorCode.EXPRESSION_SYNTAX, quote(text, at), at + 1,
                                    where == null ? message : message + " (in " + where + ")");
        }
    }

    // ------------------------------------------------------------------ printer

    /** Binding strength of a tree's top operator: a child looser than its place requires is parenthesized. */
    private static int strength(final ExprSpec e) {
        if (e instanceof ExprSpec.Binary b) {
            return switch (b.op()) {
                case "or" -> 1;
                case "and" -> 2;
                case "^" -> 8;
                case "@" -> 6;
                default -> 4;       // comparisons
            };
        }
        if (e instanceof ExprSpec.Unary u) {
            return "not".equals(u.op()) ? 3 : 7;
        }
        if (e instanceof ExprSpec.Sum) {
            return 5;
        }
        if (e instanceof ExprSpec.Product) {
            return 6;
        }
        return 9;
    }

    private static void print(final ExprSpec e, final StringBuilder sb, final int depth) {
        if (depth > MAX_PRINT_DEPTH) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "an expression nests deeper than " + MAX_PRINT_DEPTH
                    + " levels and cannot be written as text; name inner parts with 'let'");
        }
        final int d = depth + 1;
        if (e instanceof ExprSpec.Num n) {
            sb.append(number(n.value()));
        } else if (e instanceof ExprSpec.Name n) {
            sb.append(n.name());
        } else if (e instanceof ExprSpec.Unary u) {
            if ("-".equals(u.op())) {
                sb.append('-');
                child(u.arg(), 7, sb, d);
            } else if ("not".equals(u.op())) {
                sb.append("not ");
                child(u.arg(), 3, sb, d);
            } else {
                throw unknownOperator(u.op());
            }
        } else if (e instanceof ExprSpec.Binary b) {
            final String op = b.op();
            switch (op) {
                case "^" -> {
                    child(b.left(), 9, sb, d);
                    sb.append('^');
                    child(b.right(), 7, sb, d);
                }
                case "@" -> {
                    child(b.left(), 6, sb, d);
                    sb.append(" @ ");
                    child(b.right(), 7, sb, d);
                }
                case "and", "or" -> {
                    final int s = strength(b);
                    child(b.left(), s, sb, d);
                    sb.append(' ').append(op).append(' ');
                    child(b.right(), s + 1, sb, d);
                }
                case "<", "<=", ">", ">=", "==", "!=" -> {
                    child(b.left(), 5, sb, d);
                    sb.append(' ').append(op).append(' ');
                    child(b.right(), 5, sb, d);
                }
                default -> throw unknownOperator(op);
            }
        } else if (e instanceof ExprSpec.Sum s) {
            final List<ExprSpec.Term> terms = s.terms();
            for (int k = 0; k < terms.size(); k++) {
                final ExprSpec.Term t = terms.get(k);
                if (k > 0) {
                    sb.append(t.negative() ? " - " : " + ");
                }
                child(t.value(), 6, sb, d);
            }
        } else if (e instanceof ExprSpec.Product p) {
            final List<ExprSpec.Factor> factors = p.factors();
            for (int k = 0; k < factors.size(); k++) {
                final ExprSpec.Factor f = factors.get(k);
                if (k == 0) {
                    // a product as first factor would merge into this one: parenthesize it
                    if (f.value() instanceof ExprSpec.Product) {
                        parenthesized(f.value(), sb, d);
                    } else {
                        child(f.value(), 6, sb, d);
                    }
                } else {
                    sb.append(f.divide() ? " / " : " * ");
                    child(f.value(), 7, sb, d);
                }
            }
        } else if (e instanceof ExprSpec.Part p) {
            child(p.base(), 9, sb, d);
            sb.append('[').append(p.rows().text());
            if (p.cols() != null) {
                sb.append(", ").append(p.cols().text());
            }
            sb.append(']');
        } else if (e instanceof ExprSpec.Call c) {
            sb.append(c.function()).append('(');
            for (int k = 0; k < c.args().size(); k++) {
                if (k > 0) {
                    sb.append(", ");
                }
                print(c.args().get(k), sb, d);
            }
            sb.append(')');
        }
    }

    /** Writes a child that must bind at least {@code strength}: parenthesized if it binds more loosely. */
    private static void child(final ExprSpec e, final int strength, final StringBuilder sb, final int depth) {
        // a sum as a term of a sum would merge into it as well: its strength (5) is below a term's (6)
        if (strength(e) < strength) {
            parenthesized(e, sb, depth);
        } else {
            print(e, sb, depth);
        }
    }

    private static void parenthesized(final ExprSpec e, final StringBuilder sb, final int depth) {
        sb.append('(');
        print(e, sb, depth);
        sb.append(')');
    }

    private static OdeException unknownOperator(final String op) {
        return new OdeException(ErrorCode.INVALID_ARGUMENT, "unknown operator '" + op + "' in an expression");
    }

    // ------------------------------------------------------------------ parser

    /** Recursive descent over the grammar of the class comment; sums and products in loops. */
    private static final class Parser {
        private final String text;
        private final String where;
        private final Map<Object, Integer> positions = new IdentityHashMap<>();
        private int pos;
        private int nesting;

        Parser(final String text, final String where) {
            this.text = text;
            this.where = where;
        }

        ExprSpec parse() {
            final ExprSpec e = parseOr();
            skipSpace();
            if (pos < text.length()) {
                throw error("unexpected '" + text.charAt(pos) + "'");
            }
            return e;
        }

        private OdeException error(final String message) {
            return new OdeException(ErrorCode.EXPRESSION_SYNTAX, quote(text, pos), pos + 1,
                                    where == null ? message : message + " (in " + where + ")");
        }

        private <T> T at(final T part, final int index) {
            positions.put(part, index);
            return part;
        }

        private void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        private boolean accept(final char c) {
            skipSpace();
            if (pos < text.length() && text.charAt(pos) == c) {
                pos++;
                return true;
            }
            return false;
        }

        /** Accepts an operator of two characters. */
        private boolean accept(final String op) {
            skipSpace();
            if (text.startsWith(op, pos)) {
                pos += op.length();
                return true;
            }
            return false;
        }

        /** Accepts a word ({@code and}, {@code or}, {@code not}) not followed by a letter, digit or _. */
        private boolean acceptWord(final String word) {
            skipSpace();
            final int end = pos + word.length();
            if (text.startsWith(word, pos) && (end == text.length() || !identifierPart(text.charAt(end)))) {
                pos = end;
                return true;
            }
            return false;
        }

        private static boolean identifierPart(final char c) {
            return Character.isLetterOrDigit(c) || c == '_';
        }

        /** Counts one level of nesting; every recursion of the parser passes here or in {@link #parseUnary}. */
        private void enter() {
            if (++nesting > MAX_NESTING) {
                skipSpace();
                throw error("expression nests deeper than " + MAX_NESTING + " levels (parentheses, function "
                        + "arguments, signs and powers); name inner parts with 'let'");
            }
        }

        private ExprSpec parseOr() {
            ExprSpec e = parseAnd();
            while (true) {
                final int at = pos;
                if (!acceptWord("or")) {
                    return e;
                }
                e = at(new ExprSpec.Binary("or", e, parseAnd()), at);
            }
        }

        private ExprSpec parseAnd() {
            ExprSpec e = parseNot();
            while (true) {
                final int at = pos;
                if (!acceptWord("and")) {
                    return e;
                }
                e = at(new ExprSpec.Binary("and", e, parseNot()), at);
            }
        }

        private ExprSpec parseNot() {
            skipSpace();
            final int at = pos;
            if (acceptWord("not")) {
                enter();
                final ExprSpec e = at(new ExprSpec.Unary("not", parseNot()), at);
                nesting--;
                return e;
            }
            return parseComparison();
        }

        private String comparison() {
            for (final String op : new String[] {"<=", ">=", "==", "!=", "<", ">"}) {
                if (accept(op)) {
                    return op;
                }
            }
            return null;
        }

        private ExprSpec parseComparison() {
            final ExprSpec left = parseSum();
            final int at = pos;
            final String op = comparison();
            if (op == null) {
                return left;
            }
            final ExprSpec e = at(new ExprSpec.Binary(op, left, parseSum()), at);
            final int again = pos;
            if (comparison() != null) {
                pos = again;
                skipSpace();
                throw error("comparisons do not chain: write 'a < b and b < c'");
            }
            return e;
        }

        private ExprSpec parseSum() {
            final ExprSpec first = parseProduct();
            List<ExprSpec.Term> terms = null;
            while (true) {
                final int at = pos;
                final boolean minus;
                if (accept('+')) {
                    minus = false;
                } else if (accept('-')) {
                    minus = true;
                } else {
                    return terms == null ? first : new ExprSpec.Sum(terms);
                }
                if (terms == null) {
                    terms = new ArrayList<>();
                    terms.add(new ExprSpec.Term(false, first));
                }
                terms.add(at(new ExprSpec.Term(minus, parseProduct()), at));
            }
        }

        private ExprSpec parseProduct() {
            List<ExprSpec.Factor> factors = new ArrayList<>(1);
            factors.add(new ExprSpec.Factor(false, parseUnary()));
            while (true) {
                final int at = pos;
                if (accept('*')) {
                    factors.add(at(new ExprSpec.Factor(false, parseUnary()), at));
                } else if (accept('/')) {
                    factors.add(at(new ExprSpec.Factor(true, parseUnary()), at));
                } else if (accept('@')) {
                    final ExprSpec left = close(factors);
                    final ExprSpec matmul = at(new ExprSpec.Binary("@", left, parseUnary()), at);
                    factors = new ArrayList<>(1);
                    factors.add(new ExprSpec.Factor(false, matmul));
                } else {
                    return close(factors);
                }
            }
        }

        private static ExprSpec close(final List<ExprSpec.Factor> factors) {
            return factors.size() == 1 ? factors.get(0).value() : new ExprSpec.Product(factors);
        }

        /** A signed power: every nested subexpression passes here, so the nesting is counted here. */
        private ExprSpec parseUnary() {
            enter();
            final ExprSpec e;
            skipSpace();
            final int at = pos;
            if (accept('-')) {
                e = at(new ExprSpec.Unary("-", parseUnary()), at);
            } else if (accept('+')) {
                e = parseUnary();
            } else {
                e = parsePower();
            }
            nesting--;
            return e;
        }

        private ExprSpec parsePower() {
            ExprSpec base = parsePrimary();
            skipSpace();
            while (pos < text.length() && text.charAt(pos) == '[') {
                final int start = pos++;
                final ExprSpec.Range rows = range();
                ExprSpec.Range cols = null;
                if (accept(',')) {
                    cols = range();
                }
                if (!accept(']')) {
                    throw error("missing ']'");
                }
                base = at(new ExprSpec.Part(base, rows, cols), start);
                skipSpace();
            }
            final int at = pos;
            if (accept("**") || accept('^')) {
                return at(new ExprSpec.Binary("^", base, parseUnary()), at);
            }
            return base;
        }

        private ExprSpec parsePrimary() {
            skipSpace();
            if (pos >= text.length()) {
                throw error("unexpected end of expression");
            }
            final char c = text.charAt(pos);
            if (c == '(') {
                pos++;
                final ExprSpec e = parseOr();
                if (!accept(')')) {
                    throw error("missing ')'");
                }
                return e;
            }
            if (digit(c) || c == '.') {
                return number();
            }
            if (Character.isLetter(c) || c == '_') {
                final int start = pos;
                while (pos < text.length() && identifierPart(text.charAt(pos))) {
                    pos++;
                }
                final String name = text.substring(start, pos);
                if (isKeyword(name)) {
                    pos = start;
                    throw error("unexpected '" + name + "'");
                }
                skipSpace();
                if (pos < text.length() && text.charAt(pos) == '(') {
                    pos++;
                    return call(name, start);
                }
                return at(new ExprSpec.Name(name), start);
            }
            throw error("unexpected '" + c + "'");
        }

        private static boolean digit(final char c) {
            return c >= '0' && c <= '9';
        }

        /** A range of a part: {@code k}, {@code a:b}, {@code a:}, {@code :b} or {@code :}. */
        private ExprSpec.Range range() {
            skipSpace();
            final int from = index(0);
            if (accept(':')) {
                skipSpace();
                final int start = pos;
                final int to = index(ExprSpec.Range.END);
                if (to <= from) {
                    pos = start;
                    throw error("the range " + from + ":" + to + " is empty");
                }
                return new ExprSpec.Range(from, to, false);
            }
            if (from == -1) {
                throw error("an index (a whole number from 0) or a range a:b was expected");
            }
            return ExprSpec.Range.of(from);
        }

        /** A whole number, or {@code missing} where there is none; -1 if neither a number nor ':' follows. */
        private int index(final int missing) {
            skipSpace();
            final int start = pos;
            while (pos < text.length() && digit(text.charAt(pos))) {
                pos++;
            }
            if (pos == start) {
                if (pos < text.length() && (text.charAt(pos) == ':' || text.charAt(pos) == ']'
                        || text.charAt(pos) == ',')) {
                    return missing == 0 && text.charAt(pos) != ':' ? -1 : missing;
                }
                throw error("an index must be a whole number from 0 (expressions and negative indices are not "
                        + "supported)");
            }
            if (pos < text.length() && (text.charAt(pos) == '.' || Character.isLetter(text.charAt(pos)))) {
                pos = start;
                throw error("an index must be a whole number from 0");
            }
            final long v;
            try {
                v = Long.parseLong(text.substring(start, pos));
            } catch (NumberFormatException e) {
                pos = start;
                throw error("index " + text.substring(start, pos) + " is too large");
            }
            if (v >= Integer.MAX_VALUE) {
                pos = start;
                throw error("index " + v + " is too large");
            }
            return (int) v;
        }

        private ExprSpec number() {
            final int start = pos;
            while (pos < text.length() && (digit(text.charAt(pos)) || text.charAt(pos) == '.')) {
                pos++;
            }
            if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
                int p = pos + 1;
                if (p < text.length() && (text.charAt(p) == '+' || text.charAt(p) == '-')) {
                    p++;
                }
                if (p < text.length() && digit(text.charAt(p))) {
                    pos = p;
                    while (pos < text.length() && digit(text.charAt(pos))) {
                        pos++;
                    }
                }
            }
            final String literal = text.substring(start, pos);
            final double value;
            try {
                value = Double.parseDouble(literal);
            } catch (NumberFormatException e) {
                pos = start;
                throw error("malformed number '" + literal + "'");
            }
            if (!Double.isFinite(value)) {
                pos = start;
                throw error("number '" + literal + "' is too large (the largest is about 1.8e308)");
            }
            return new ExprSpec.Num(value);
        }

        private ExprSpec call(final String name, final int start) {
            final List<ExprSpec> args = new ArrayList<>();
            if (!accept(')')) {
                do {
                    args.add(parseOr());
                } while (accept(','));
                if (!accept(')')) {
                    throw error("missing ')' after the arguments of " + name);
                }
            }
            final int arity = arity(name);
            if (arity < 0) {
                pos = start;
                throw error("unknown function '" + name + "'; known functions: " + String.join(", ", functions()));
            }
            if (args.size() != arity) {
                pos = start;
                throw error(name + " takes " + arity + " argument" + (arity == 1 ? "" : "s") + " but got "
                        + args.size());
            }
            return at(new ExprSpec.Call(name, args), start);
        }
    }
}
