package org.neurode.core.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@link ExprSpec#substitute}: a walk that rebuilds only what changes. */
final class Substitution {
    private Substitution() {
    }

    static ExprSpec apply(final ExprSpec e, final Map<String, ExprSpec> r) {
        if (e instanceof ExprSpec.Name n) {
            final ExprSpec to = r.get(n.name());
            return to == null ? e : to;
        }
        if (e instanceof ExprSpec.Unary u) {
            final ExprSpec a = apply(u.arg(), r);
            return a == u.arg() ? e : new ExprSpec.Unary(u.op(), a);
        }
        if (e instanceof ExprSpec.Binary b) {
            final ExprSpec l = apply(b.left(), r);
            final ExprSpec rr = apply(b.right(), r);
            return l == b.left() && rr == b.right() ? e : new ExprSpec.Binary(b.op(), l, rr);
        }
        if (e instanceof ExprSpec.Sum s) {
            final List<ExprSpec.Term> terms = new ArrayList<>(s.terms().size());
            boolean changed = false;
            for (int k = 0; k < s.terms().size(); k++) {
                final ExprSpec.Term t = s.terms().get(k);
                final ExprSpec v = apply(t.value(), r);
                changed |= v != t.value();
                if (k == 0 && v != t.value() && v instanceof ExprSpec.Sum inner) {
                    terms.addAll(inner.terms());
                } else {
                    terms.add(v == t.value() ? t : new ExprSpec.Term(t.negative(), v));
                }
            }
            return changed ? new ExprSpec.Sum(terms) : e;
        }
        if (e instanceof ExprSpec.Product p) {
            final List<ExprSpec.Factor> factors = new ArrayList<>(p.factors().size());
            boolean changed = false;
            for (int k = 0; k < p.factors().size(); k++) {
                final ExprSpec.Factor f = p.factors().get(k);
                final ExprSpec v = apply(f.value(), r);
                changed |= v != f.value();
                if (k == 0 && v != f.value() && v instanceof ExprSpec.Product inner) {
                    factors.addAll(inner.factors());
                } else {
                    factors.add(v == f.value() ? f : new ExprSpec.Factor(f.divide(), v));
                }
            }
            return changed ? new ExprSpec.Product(factors) : e;
        }
        if (e instanceof ExprSpec.Part p) {
            final ExprSpec b = apply(p.base(), r);
            return b == p.base() ? e : new ExprSpec.Part(b, p.rows(), p.cols());
        }
        if (e instanceof ExprSpec.Call c) {
            final List<ExprSpec> args = new ArrayList<>(c.args().size());
            boolean changed = false;
            for (final ExprSpec a : c.args()) {
                final ExprSpec v = apply(a, r);
                changed |= v != a;
                args.add(v);
            }
            return changed ? new ExprSpec.Call(c.function(), args) : e;
        }
        return e;
    }
}

