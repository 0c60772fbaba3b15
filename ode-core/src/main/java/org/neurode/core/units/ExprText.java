package org.neurode.core.units;

import java.util.List;

import org.neurode.core.spec.ExprSpec;

/** An expression as text for messages, with only the parentheses it needs, cut after {@link #LIMIT} characters. */
final class ExprText {

    /** Characters shown before "...". */
    static final int LIMIT = 60;

    private static final int OR = 1;
    private static final int AND = 2;
    private static final int NOT = 3;
    private static final int COMPARE = 4;
    private static final int SUM = 5;
    private static final int PRODUCT = 6;
    private static final int NEGATE = 7;
    private static final int POWER = 8;
    private static final int ATOM = 9;

    private final StringBuilder sb = new StringBuilder();

    private ExprText() {
    }

    /**
     * @param e an expression
     * @return its text, at most {@link #LIMIT} characters and "..."
     */
    static String of(final ExprSpec e) {
        final ExprText t = new ExprText();
        t.print(e, 0);
        if (t.sb.length() > LIMIT) {
            t.sb.setLength(LIMIT);
            t.sb.append("...");
        }
        return t.sb.toString();
    }

    private boolean full() {
        return sb.length() > LIMIT;
    }

    private static int precedence(final ExprSpec e) {
        if (e instanceof ExprSpec.Sum) {
            return SUM;
        }
        if (e instanceof ExprSpec.Product) {
            return PRODUCT;
        }
        if (e instanceof ExprSpec.Unary u) {
            return "not".equals(u.op()) ? NOT : NEGATE;
        }
        if (e instanceof ExprSpec.Binary b) {
            return switch (b.op()) {
                case "or" -> OR;
                case "and" -> AND;
                case "^" -> POWER;
                case "@" -> PRODUCT;
                default -> COMPARE;
            };
        }
        if (e instanceof ExprSpec.Num n) {
            return n.value() < 0 || isNegativeZero(n.value()) ? NEGATE : ATOM;
        }
        return ATOM;
    }

    private static boolean isNegativeZero(final double v) {
        return v == 0.0 && 1.0 / v < 0;
    }

    private void print(final ExprSpec e, final int min) {
        if (full()) {
            return;
        }
        final boolean parens = precedence(e) < min;
        if (parens) {
            sb.append('(');
        }
        if (e instanceof ExprSpec.Num n) {
            sb.append(number(n.value()));
        } else if (e instanceof ExprSpec.Name n) {
            sb.append(n.name());
        } else if (e instanceof ExprSpec.Unary u) {
            sb.append("not".equals(u.op()) ? "not " : u.op());
            print(u.arg(), "not".equals(u.op()) ? NOT : NEGATE);
        } else if (e instanceof ExprSpec.Binary b) {
            final int p = precedence(b);
            if ("^".equals(b.op())) {
                print(b.left(), POWER + 1);
                sb.append('^');
                print(b.right(), NEGATE);
            } else {
                print(b.left(), p == COMPARE ? COMPARE + 1 : p);
                sb.append(' ').append(b.op()).append(' ');
                print(b.right(), p + 1);
            }
        } else if (e instanceof ExprSpec.Sum s) {
            final List<ExprSpec.Term> terms = s.terms();
            for (int k = 0; k < terms.size() && !full(); k++) {
                if (k > 0) {
                    sb.append(terms.get(k).negative() ? " - " : " + ");
                }
                print(terms.get(k).value(), k == 0 ? SUM : SUM + 1);
            }
        } else if (e instanceof ExprSpec.Product p) {
            final List<ExprSpec.Factor> factors = p.factors();
            for (int k = 0; k < factors.size() && !full(); k++) {
                if (k > 0) {
                    sb.append(factors.get(k).divide() ? " / " : " * ");
                }
                print(factors.get(k).value(), k == 0 ? PRODUCT : PRODUCT + 1);
            }
        } else if (e instanceof ExprSpec.Call c) {
            sb.append(c.function()).append('(');
            for (int k = 0; k < c.args().size() && !full(); k++) {
                if (k > 0) {
                    sb.append(", ");
                }
                print(c.args().get(k), 0);
            }
            sb.append(')');
        } else if (e instanceof ExprSpec.Part p) {
            print(p.base(), ATOM);
            sb.append('[').append(p.rows().text()).append(p.cols() == null ? "" : ", " + p.cols().text()).append(']');
        }
        if (parens) {
            sb.append(')');
        }
    }

    /** A number as written: {@code 65}, {@code 0.5}, {@code 1e-05}. */
    static String number(final double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return (isNegativeZero(v) ? "-" : "") + Long.toString((long) v);
        }
        return Double.toString(v).replace("E", "e");
    }
}
