package org.neurode.core.expr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.neurode.core.ErrorCode;
import org.neurode.core.Model;
import org.neurode.core.OdeException;

/**
 * The language's conditions, choices, indices, parts and broadcasting (issue 13), checked element by element
 * against values written out by hand. Every expected value here is exact in double arithmetic (small integers,
 * or one library call on both sides), so the comparisons have no tolerance.
 */
class LanguageTest {

    /** The derivative of a one-block model at state {@code y}. */
    private static double[] derivative(final Model m, final double... y) {
        final double[] f = new double[y.length];
        m.equation().derivatives(0.0, y, f);
        return f;
    }

    /** A model dv/dt = rhs(v) with v a vector of {@code n}. */
    private static Model vectorModel(final int n, final Function<Var, Expr> rhs) {
        final ModelBuilder b = ModelBuilder.named("lang");
        final Var v = b.vector("v", n, "1");
        b.ode(v, rhs.apply(v));
        return b.build();
    }

    @Test
    void comparisonsAreOneWhereTheyHoldAndZeroElsewhere() {
        final Expr zero = Expr.constant(0.0);
        final double[] y = {-1.0, 0.0, 2.0};
        assertArrayEquals(new double[] {1, 0, 0}, derivative(vectorModel(3, v -> v.lt(zero)), y));
        assertArrayEquals(new double[] {1, 1, 0}, derivative(vectorModel(3, v -> v.le(zero)), y));
        assertArrayEquals(new double[] {0, 0, 1}, derivative(vectorModel(3, v -> v.gt(zero)), y));
        assertArrayEquals(new double[] {0, 1, 1}, derivative(vectorModel(3, v -> v.ge(zero)), y));
        assertArrayEquals(new double[] {0, 1, 0}, derivative(vectorModel(3, v -> v.eq(zero)), y));
        assertArrayEquals(new double[] {1, 0, 1}, derivative(vectorModel(3, v -> v.ne(zero)), y));
        // conditions are numbers: any value other than 0 holds
        assertArrayEquals(new double[] {1, 0, 1}, derivative(vectorModel(3, v -> v.and(Expr.constant(2.0))), y));
        assertArrayEquals(new double[] {0, 0, 0}, derivative(vectorModel(3, v -> v.and(zero)), y));
        assertArrayEquals(new double[] {1, 0, 1}, derivative(vectorModel(3, v -> v.or(zero)), y));
        assertArrayEquals(new double[] {0, 1, 0}, derivative(vectorModel(3, Expr::not), y));
        // and a condition times a conductance: g where v > 0
        assertArrayEquals(new double[] {0, 0, 5}, derivative(vectorModel(3, v -> v.gt(zero).times(5.0)), y));
    }

    @Test
    void whereEvaluatesOnlyTheChosenOperand() {
        // where(v > 0, log(v), -1): log of 0 and of -1 is never taken, so no NaN or -Infinity leaks
        final Model m = vectorModel(3, v -> Expr.where(v.gt(Expr.constant(0.0)), Expr.log(v), Expr.constant(-1.0)));
        assertArrayEquals(new double[] {-1, -1, Math.log(2.0)}, derivative(m, -1.0, 0.0, 2.0));
        final Model c = vectorModel(4, v -> Expr.clip(v, Expr.constant(-0.5), Expr.constant(0.5)));
        assertArrayEquals(new double[] {-0.5, -0.25, 0.25, 0.5}, derivative(c, -3.0, -0.25, 0.25, 7.0));
    }

    @Test
    void moreFunctions() {
        final double[] y = {-1.5, 0.0, 2.25};
        assertArrayEquals(new double[] {-2, 0, 2}, derivative(vectorModel(3, Expr::floor), y));
        assertArrayEquals(new double[] {-1, 0, 3}, derivative(vectorModel(3, Expr::ceil), y));
        assertArrayEquals(new double[] {-1, 0, 1}, derivative(vectorModel(3, Expr::sign), y));
        assertArrayEquals(new double[] {Math.tan(-1.5), 0, Math.tan(2.25)}, derivative(vectorModel(3, Expr::tan), y));
        assertArrayEquals(new double[] {Math.atan(-1.5), 0, Math.atan(2.25)},
                          derivative(vectorModel(3, Expr::atan), y));
    }

    @Test
    void theElementIndexCountsFromZero() {
        // dv/dt = i for a vector; dm/dt = 10 i + j for a 2 x 3 matrix (row-major state)
        assertArrayEquals(new double[] {0, 1, 2, 3},
                          derivative(vectorModel(4, v -> Expr.index(4, 1, 0)), new double[4]));
        final ModelBuilder b = ModelBuilder.named("index");
        final Var m = b.matrix("m", 2, 3, "1");
        b.ode(m, Expr.index(2, 3, 0).times(10.0).plus(Expr.index(2, 3, 1)));
        assertArrayEquals(new double[] {0, 1, 2, 10, 11, 12}, derivative(b.build(), new double[6]));
        // an index inside a scratch computation (a rate function over the whole vector) keeps its meaning
        final Model r = vectorModel(64, v -> Expr.softplus(v.plus(Expr.index(64, 1, 0))));
        final double[] f = derivative(r, new double[64]);
        for (int k = 0; k < 64; k++) {
            assertEquals(Kernels.softplus(k), f[k], 1e-15 * Math.max(1, k),
                         "element " + k);   // the SIMD softplus is within an ulp or two of the scalar one
        }
    }

    @Test
    void partsReadOtherElementsSoEulerDoesNotStepInPlace() {
        // dv/dt = v[0] - v: every element relaxes to the first one
        final Model m = vectorModel(3, v -> v.get(0).minus(v));
        assertArrayEquals(new double[] {0, -1, -2}, derivative(m, 1.0, 2.0, 3.0));
        final org.neurode.core.FusedStep k = Rules.euler(m);
        // an in-place step would update v[0] before the other elements read it
        assertFalse(k.inPlace());
        final double[] out = new double[3];
        k.step(0.0, 0.5, new double[] {1.0, 2.0, 3.0}, out);
        assertArrayEquals(new double[] {1.0, 1.5, 2.0}, out);
        // ranges: dv/dt = [v[1:3]; 0]-style shifts written as parts of a matrix
        final ModelBuilder b = ModelBuilder.named("parts");
        final Var w = b.matrix("w", 3, 3, "1");
        final Var s = b.matrix("s", 2, 2, "1");
        b.ode(w, Expr.constant(0.0));
        b.ode(s, w.part(1, 3, 0, 2));
        final double[] y = {0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0};
        final double[] f = derivative(b.build(), y);
        assertArrayEquals(new double[] {3, 4, 6, 7}, java.util.Arrays.copyOfRange(f, 9, 13));
    }

    @Test
    void columnsBroadcastAlongRowsOfAMatrix() {
        // dW/dt = r * r * W with r a 3 x 1 column and W 3 x 4: row i of W scaled by r[i]^2 (failed before with
        // "shapes 3x1 and 3x4 do not match")
        final ModelBuilder b = ModelBuilder.named("broadcast");
        final Var r = b.vector("r", 3, "1");
        final Var w = b.matrix("W", 3, 4, "1");
        b.ode(r, Expr.constant(0.0));
        b.ode(w, r.times(r).times(w));
        final Model model = b.build();
        final int ro = model.layout().block("r").offset();
        final int wo = model.layout().block("W").offset();
        final double[] y = new double[model.dimension()];
        for (int i = 0; i < 3; i++) {
            y[ro + i] = i + 1;
        }
        for (int k = 0; k < 12; k++) {
            y[wo + k] = k + 1;
        }
        final double[] f = derivative(model, y);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 4; j++) {
                final int at = wo + i * 4 + j;
                assertEquals(y[ro + i] * y[ro + i] * y[at], f[at], 0.0, "W[" + i + "," + j + "]");
            }
        }
        // a column plus a row gives the matrix of all sums
        final ModelBuilder c = ModelBuilder.named("outerSum");
        final Var a = c.vector("a", 2, "1");
        final Var x = c.vector("x", 3, "1");
        final Var m = c.matrix("m", 2, 3, "1");
        c.ode(a, Expr.constant(0.0));
        c.ode(x, Expr.constant(0.0));
        c.ode(m, a.plus(x.transpose()));
        final Model cm = c.build();
        final double[] z = new double[cm.dimension()];
        final int ao = cm.layout().block("a").offset();
        final int xo = cm.layout().block("x").offset();
        final int mo = cm.layout().block("m").offset();
        z[ao] = 10;
        z[ao + 1] = 20;
        for (int k = 0; k < 3; k++) {
            z[xo + k] = k + 1;
        }
        final double[] g = derivative(cm, z);
        assertArrayEquals(new double[] {11, 12, 13, 21, 22, 23}, java.util.Arrays.copyOfRange(g, mo, mo + 6));
    }

    @Test
    void aBroadcastDecayRateSplitsLinearly() {
        // dW/dt = -k * W with a per-row rate k (3 x 1): the exponential Euler step is exact, W e^{-k h}
        final ModelBuilder b = ModelBuilder.named("rowDecay");
        final Var k = b.vector("k", 3, "1");
        final Var w = b.matrix("W", 3, 2, "1");
        b.ode(k, Expr.constant(0.0));
        b.ode(w, k.negate().times(w));
        final Model model = b.build();
        final org.neurode.core.FusedStep kernel = Rules.exponential(model);
        final int ko = model.layout().block("k").offset();
        final int wo = model.layout().block("W").offset();
        final double[] y = new double[model.dimension()];
        y[ko] = 0.5;
        y[ko + 1] = 1.0;
        y[ko + 2] = 2.0;
        for (int e = 0; e < 6; e++) {
            y[wo + e] = e + 1;
        }
        final double[] out = new double[y.length];
        kernel.step(0.0, 0.1, y, out);
        final double[] euler = new double[y.length];
        Rules.euler(model).step(0.0, 0.1, y, euler);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 2; j++) {
                final int at = wo + i * 2 + j;
                // the same expression on both sides: exp(a h) with a = -k[i], then times W[i, j]
                assertEquals(Math.exp(-y[ko + i] * 0.1) * y[at], out[at], 0.0, "W[" + i + "," + j + "]");
                assertEquals(y[at] + 0.1 * (-y[ko + i] * y[at]), euler[at], 0.0, "Euler W[" + i + "," + j + "]");
            }
        }
    }

    @Test
    void shapesThatDoNotBroadcastAreErrors() {
        final ModelBuilder b = ModelBuilder.named("bad");
        final Var u = b.vector("u", 3, "1");
        final Var x = b.vector("x", 4, "1");
        final OdeException e = assertThrows(OdeException.class, () -> u.plus(x));
        assertEquals(ErrorCode.SHAPE_MISMATCH, e.code());
        assertTrue(e.getMessage().contains("3x1 and 4x1"), e.getMessage());
        assertEquals(ErrorCode.SHAPE_MISMATCH,
                     assertThrows(OdeException.class, () -> Expr.where(u.gt(Expr.constant(0)), u, x)).code());
        final OdeException part = assertThrows(OdeException.class, () -> u.part(2, 4, 0, 1));
        assertTrue(part.getMessage().contains("out of range"), part.getMessage());
        assertThrows(OdeException.class, () -> u.get(3));
    }
}
