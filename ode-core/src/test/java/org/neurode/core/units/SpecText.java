package org.neurode.core.units;

import java.util.ArrayList;
import java.util.List;

import org.neurode.core.spec.ExprSpec;

/**
 * Test helper: reads a small expression language into {@link ExprSpec} trees (numbers, names, {@code + - * / @ ^},
 * comparisons, {@code and or not}, calls), so that tests can write equations as text. Flat sums and products,
 * {@code ^} right-associative with a signed exponent, as the model language.
 */
final class SpecText {

    private final String s;
    private int pos;

    private SpecText(final String s) {
        this.s = s;
    }

    static ExprSpec parse(final String text) {
        final SpecText p = new SpecText(text);
        final ExprSpec e = p.or();
        p.space();
        if (p.pos != text.length()) {
            throw new IllegalArgumentException("trailing text at " + p.pos + " in " + text);
        }
        return e;
    }

    private void space() {
        while (pos < s.length() && s.charAt(pos) == ' ') {
            pos++;
        }
    }

    private boolean eat(final String t) {
        space();
        if (s.startsWith(t, pos)) {
            pos += t.length();
            return true;
        }
        return false;
    }

    private ExprSpec or() {
        ExprSpec e = and();
        while (eat("or ")) {
            e = new ExprSpec.Binary("or", e, and());
        }
        return e;
    }

    private ExprSpec and() {
        ExprSpec e = not();
        while (eat("and ")) {
            e = new ExprSpec.Binary("and", e, not());
        }
        return e;
    }

    private ExprSpec not() {
        if (eat("not ")) {
            return new ExprSpec.Unary("not", not());
        }
        return compare();
    }

    private ExprSpec compare() {
        final ExprSpec e = sum();
        for (final String op : new String[] {"<=", ">=", "==", "!=", "<", ">"}) {
            if (eat(op)) {
                return new ExprSpec.Binary(op, e, sum());
            }
        }
        return e;
    }

    private ExprSpec sum() {
        final List<ExprSpec.Term> terms = new ArrayList<>();
        terms.add(new ExprSpec.Term(false, product()));
        while (true) {
            if (eat("+")) {
                terms.add(new ExprSpec.Term(false, product()));
            } else if (eat("-")) {
                terms.add(new ExprSpec.Term(true, product()));
            } else {
                return terms.size() == 1 ? terms.get(0).value() : new ExprSpec.Sum(terms);
            }
        }
    }

    private ExprSpec product() {
        final List<ExprSpec.Factor> factors = new ArrayList<>();
        factors.add(new ExprSpec.Factor(false, unary()));
        while (true) {
            if (eat("*")) {
                factors.add(new ExprSpec.Factor(false, unary()));
            } else if (eat("/")) {
                factors.add(new ExprSpec.Factor(true, unary()));
            } else if (eat("@")) {
                final ExprSpec left = factors.size() == 1 ? factors.get(0).value() : new ExprSpec.Product(factors);
                factors.clear();
                factors.add(new ExprSpec.Factor(false, new ExprSpec.Binary("@", left, unary())));
            } else {
                return factors.size() == 1 ? factors.get(0).value() : new ExprSpec.Product(factors);
            }
        }
    }

    private ExprSpec unary() {
        if (eat("-")) {
            return new ExprSpec.Unary("-", unary());
        }
        final ExprSpec base = primary();
        if (eat("^")) {
            return new ExprSpec.Binary("^", base, unary());
        }
        return base;
    }

    private ExprSpec primary() {
        space();
        final char c = s.charAt(pos);
        if (c == '(') {
            pos++;
            final ExprSpec e = or();
            if (!eat(")")) {
                throw new IllegalArgumentException("missing ) in " + s);
            }
            return e;
        }
        final int start = pos;
        if (Character.isDigit(c) || c == '.') {
            while (pos < s.length() && (Character.isDigit(s.charAt(pos)) || s.charAt(pos) == '.'
                    || s.charAt(pos) == 'e' && pos + 1 < s.length() && s.charAt(pos + 1) == '-'
                    || s.charAt(pos) == '-' && s.charAt(pos - 1) == 'e')) {
                pos++;
            }
            return new ExprSpec.Num(Double.parseDouble(s.substring(start, pos)));
        }
        while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
            pos++;
        }
        final String name = s.substring(start, pos);
        if (name.isEmpty()) {
            throw new IllegalArgumentException("unexpected " + c + " in " + s);
        }
        if (eat("(")) {
            final List<ExprSpec> args = new ArrayList<>();
            if (!eat(")")) {
                do {
                    args.add(or());
                } while (eat(","));
                if (!eat(")")) {
                    throw new IllegalArgumentException("missing ) in " + s);
                }
            }
            return new ExprSpec.Call(name, args);
        }
        return new ExprSpec.Name(name);
    }
}
