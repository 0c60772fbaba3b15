package org.neurode.core.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The linear-parts pass on its own (issue 13): f = a v + b with a and b free of v where the rules find it. */
class LinearPartsTest {

    private static final Var V = new Var("v", 1, 1, "mV", Var.Role.STATE);
    private static final Var I = new Var("I", 1, 1, "mV", Var.Role.INPUT);
    private static final Expr TAU = new Nodes.Param("tau", 0);

    /** @return true if {@code e} reads the variable {@code v} anywhere */
    private static boolean reads(final Expr e, final Var v) {
        final Set<Expr> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        final ArrayDeque<Expr> todo = new ArrayDeque<>();
        todo.push(e);
        while (!todo.isEmpty()) {
            final Expr n = todo.pop();
            if (n instanceof Var w && w.name().equals(v.name())) {
                return true;
            }
            if (seen.add(n)) {
                Nodes.operands(n).forEach(todo::push);
            }
        }
        return false;
    }

    @Test
    void issue13_leakSplitsIntoFactorAndRestFreeOfTheVariable() {
        // GIVEN dv/dt = (I - v) / tau, through a named subexpression of the block's shape
        final Expr rhs = new Nodes.Let("drive", I.minus(V)).div(TAU);
        // WHEN split in v
        final LinearParts.Split s = new LinearParts().split(rhs, V);
        // THEN both parts exist and neither reads v
        assertNotNull(s.a());
        assertNotNull(s.b());
        assertFalse(reads(s.a(), V), s.a().text());
        assertFalse(reads(s.b(), V), s.b().text());
    }

    @Test
    void issue13_nonlinearTermStaysInTheRest() {
        // GIVEN dv/dt = v * v + I
        final Expr rhs = V.times(V).plus(I);
        // WHEN split in v
        final LinearParts.Split s = new LinearParts().split(rhs, V);
        // THEN there is no linear factor: the whole right-hand side is the rest, evaluated at the current state
        assertNull(s.a());
        assertEquals(rhs.text(), s.b().text());
    }

    @Test
    void issue13_namedSubexpressionAboveTheWeightLimitIsNotLookedInto() {
        // GIVEN a named subexpression of more than MAX_SPLIT_WEIGHT nodes that is linear in v
        Expr big = V;
        for (int k = 0; k < LinearParts.MAX_SPLIT_WEIGHT; k++) {
            big = big.plus(TAU);
        }
        final Expr let = new Nodes.Let("big", big);
        // WHEN split in v
        final LinearParts.Split s = new LinearParts().split(let, V);
        // THEN it is one term of the rest, as if it were not linear (the bound on the work of the split)
        assertNull(s.a());
        assertSame(let, s.b());
    }
}
