package org.neurode.core.expr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.neurode.core.Model;
import org.neurode.core.OdeException;
import org.neurode.core.spec.ExprSpec;

/**
 * The language as a Brian2 user writes it (issue 13): {@code v**2}, {@code (v > 0)}, {@code pi}, the element index
 * {@code i}, {@code N}, parts {@code x[k]} and {@code x[a:b]}, {@code where} and {@code clip}, in text. Expected
 * values are small integers or one library call computed the same way on both sides: compared exactly.
 */
class LanguageTextTest {

    private static double[] derivative(final Model m, final double... y) {
        final double[] f = new double[m.dimension()];
        final double[] state = new double[m.dimension()];
        System.arraycopy(y, 0, state, 0, y.length);
        m.equation().derivatives(0.0, state, f);
        return java.util.Arrays.copyOf(f, y.length);
    }

    private static Model vector(final int n, final String rhs) {
        final ModelBuilder b = ModelBuilder.named("text");
        final Var v = b.vector("v", n, "1");
        b.param("g", 5.0);
        b.ode(v, rhs);
        return b.build();
    }

    @Test
    void brian2Vocabulary() {
        final double[] y = {-1.0, 0.0, 2.0};
        assertArrayEquals(new double[] {1, 0, 4}, derivative(vector(3, "v**2"), y));
        assertArrayEquals(new double[] {0, 0, 5}, derivative(vector(3, "(v > 0) * g"), y));
        assertArrayEquals(new double[] {1, 0, 0}, derivative(vector(3, "v < 0 or v > 3"), y));
        assertArrayEquals(new double[] {0, 1, 0}, derivative(vector(3, "not (v < 0 or v > 1)"), y));
        assertArrayEquals(new double[] {0, 1, 1}, derivative(vector(3, "v >= 0 and v != 3"), y));
        assertArrayEquals(new double[] {Math.PI, Math.PI, Math.PI}, derivative(vector(3, "pi"), y));
        assertArrayEquals(new double[] {Math.E * 2, Math.E * 2, Math.E * 2}, derivative(vector(3, "e * 2"), y));
        // the element index and the block size: v_i relaxes to i / N
        assertArrayEquals(new double[] {1.0, 1.0 / 3 - 0.0, 2.0 / 3 - 2.0}, derivative(vector(3, "i / N - v"), y));
        assertArrayEquals(new double[] {-1, -1, 0.5}, derivative(vector(3, "where(v > 0, 1 / v, -1)"), y));
        assertArrayEquals(new double[] {-0.5, 0, 0.5}, derivative(vector(3, "clip(v, -0.5, 0.5)"), y));
        // floor(-1) + ceil(-1) - sign(-1) = -1, 0 + 0 - 0 = 0, 2 + 2 - 1 = 3
        assertArrayEquals(new double[] {-1, 0, 3}, derivative(vector(3, "floor(v) + ceil(v) - sign(v)"), y));
    }

    @Test
    void partsAndRanges() {
        final double[] y = {1.0, 2.0, 4.0, 8.0};
        // every element relaxes to the first one
        assertArrayEquals(new double[] {0, -1, -3, -7}, derivative(vector(4, "v[0] - v"), y));
        // a sum over a range
        assertArrayEquals(new double[] {6, 6, 6, 6}, derivative(vector(4, "sum(v[1:3])"), y));
        assertArrayEquals(new double[] {14, 14, 14, 14}, derivative(vector(4, "sum(v[1:])"), y));
        assertArrayEquals(new double[] {3, 3, 3, 3}, derivative(vector(4, "sum(v[:2])"), y));
        final ModelBuilder b = ModelBuilder.named("matrix");
        final Var w = b.matrix("W", 2, 3, "1");
        final Var r = b.vector("r", 3, "1");
        b.ode(w, "0 * W");
        b.ode(r, "transpose(W[1:2, :]) + W[0, 2]");
        final Model m = b.build();
        final double[] state = new double[m.dimension()];
        final int wo = m.layout().block("W").offset();
        final int ro = m.layout().block("r").offset();
        for (int k = 0; k < 6; k++) {
            state[wo + k] = k + 1;              // W = [[1 2 3], [4 5 6]]
        }
        final double[] f = new double[state.length];
        m.equation().derivatives(0.0, state, f);
        assertArrayEquals(new double[] {4 + 3, 5 + 3, 6 + 3}, java.util.Arrays.copyOfRange(f, ro, ro + 3));
    }

    @Test
    void theMatrixBroadcastFromTheIssue() {
        // r * r * W with r a column and W a matrix (failed before: "shapes 3x1 and 3x4 do not match")
        final ModelBuilder b = ModelBuilder.named("rrW");
        final Var r = b.vector("r", 3, "1");
        final Var w = b.matrix("W", 3, 4, "1");
        b.ode(r, "0 * r");
        b.ode(w, "r * r * W");
        final Model m = b.build();
        final double[] state = new double[m.dimension()];
        final int ro = m.layout().block("r").offset();
        final int wo = m.layout().block("W").offset();
        state[ro + 2] = 3;
        state[wo + 8] = 1;
        final double[] f = new double[state.length];
        m.equation().derivatives(0.0, state, f);
        assertEquals(9.0, f[wo + 8], 0.0);
    }

    @Test
    void textRoundTripsThroughTheCanonicalPrinter() {
        for (final String text : new String[] {"v ** 2", "(v > 0) * g", "not (v < 0 or v > 1)", "W[1:2, :]",
                "v[0] - v", "sum(v[:2]) + x[3:]", "where(v > 0, 1 / v, -1)", "clip(v, -0.5, 0.5)", "(a + b)[2]"}) {
            final ExprSpec tree = ExprSpec.parse(text);
            assertEquals(tree, ExprSpec.parse(tree.text()), text + " printed as " + tree.text());
        }
        assertEquals("W[1:2, :]", ExprSpec.parse("W[1:2, :]").text());
        assertEquals("v^2", ExprSpec.parse("v**2").text());
    }

    @Test
    void badPartsAndNamesAreErrorsWithAColumn() {
        assertError("v[4]", "at column 2: part [4:5, 0:1] of 'v' (3x1) is empty or out of range");
        assertError("v[2:2]", "is empty");
        assertError("v[-1]", "whole number from 0");
        assertError("v[1.5]", "whole number from 0");
        assertError("v[0, 1]", "index it with one range");
        assertError("v[0", "missing ']'");
        assertError("xi * v", "white noise must be one term 'sigma * xi'");
    }

    private static void assertError(final String rhs, final String fragment) {
        final OdeException e = assertThrows(OdeException.class, () -> vector(3, rhs));
        assertTrue(e.getMessage().contains(fragment), "'" + fragment + "' not in: " + e.getMessage());
    }
}
