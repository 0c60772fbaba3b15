package org.neurode.core.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.neurode.core.Equation;
import org.neurode.core.ErrorCode;
import org.neurode.core.LinearSplitEquation;
import org.neurode.core.Model;
import org.neurode.core.OdeException;
import org.neurode.core.StateLayout;

class ModelBuilderTest {

    /** The README example: a three-compartment population with a plastic weight matrix. */
    static Model threeCompartment(final int n, final int m) {
        ModelBuilder b = ModelBuilder.named("pyramidal");
        Var x  = b.input("x", m, "1");                     // presynaptic rates
        Var vB = b.vector("vB", n, "mV");                  // basal dendrites
        Var vA = b.vector("vA", n, "mV");                  // apical dendrites
        Var u  = b.vector("u", n, "mV");                   // somata
        Var W  = b.matrix("W", n, m, "1");                 // plastic basal weights
        b.param("gL", 0.1); b.param("gB", 1.0); b.param("gA", 0.8);
        b.param("tauD", 2.0); b.param("eta", 0.01);
        b.ode(vB, "(W @ x - vB) / tauD");
        b.ode(vA, "-vA / tauD");
        b.ode(u,  "-gL * u + gB * (vB - u) + gA * (vA - u)");
        b.let("vHat", "gB / (gL + gB + gA) * vB");
        b.ode(W,  "eta * outer(softplus(u) - softplus(vHat), x)");
        return b.build();
    }

    private static double softplus(final double z) {
        return Math.log1p(Math.exp(z));
    }

    @Test
    void compiledDerivativesMatchAHandWrittenRightHandSide() {
        // GIVEN the README model and a random state
        final int n = 4;
        final int m = 3;
        final Model model = threeCompartment(n, m);
        final StateLayout l = model.layout();
        final double[] y = new double[model.dimension()];
        final SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < y.length; i++) {
            y[i] = rnd.nextDouble(-1, 1);
        }
        // AND random inputs, which are not part of the state but in the equation's input buffer
        final Equation eq = model.equation();
        final double[] in = eq.inputs();
        assertEquals(m, in.length);
        for (int j = 0; j < m; j++) {
            in[j] = rnd.nextDouble(-1, 1);
        }
        // WHEN evaluating the compiled equation
        final double[] f = new double[y.length];
        eq.derivatives(0.0, y, f);
        // THEN each block equals the formula evaluated by hand
        final int x = model.inputLayout().block("x").offset();
        final int vB = l.block("vB").offset();
        final int vA = l.block("vA").offset();
        final int u = l.block("u").offset();
        final int w = l.block("W").offset();
        for (int i = 0; i < n; i++) {
            double wx = 0;
            for (int j = 0; j < m; j++) {
                wx += y[w + i * m + j] * in[x + j];
            }
            assertEquals((wx - y[vB + i]) / 2.0, f[vB + i], 1e-15);
            assertEquals(-y[vA + i] / 2.0, f[vA + i], 1e-15);
            assertEquals(-0.1 * y[u + i] + (y[vB + i] - y[u + i]) + 0.8 * (y[vA + i] - y[u + i]), f[u + i], 1e-15);
            final double vHat = 1.0 / 1.9 * y[vB + i];
            for (int j = 0; j < m; j++) {
                assertEquals(0.01 * (softplus(y[u + i]) - softplus(vHat)) * in[x + j], f[w + i * m + j], 1e-15);
            }
        }
        // AND the state holds the integrated variables only: 3 vectors of n, the n x m weights at the next multiple
        // of 8 (alignment padding) and no inputs
        assertEquals(java.util.List.of("vB", "vA", "u", "W"), l.names());
        assertEquals(16 + n * m, model.dimension());
    }

    @Test
    void linearSplitReproducesTheDerivativesAndFindsTheDiagonal() {
        final Model model = threeCompartment(5, 2);
        final Equation eq = model.equation();
        assertInstanceOf(LinearSplitEquation.class, eq);
        final double[] y = new double[model.dimension()];
        final SplittableRandom rnd = new SplittableRandom(3);
        for (int i = 0; i < y.length; i++) {
            y[i] = rnd.nextDouble(-2, 2);
        }
        final double[] f = new double[y.length];
        final double[] a = new double[y.length];
        final double[] b = new double[y.length];
        eq.derivatives(0.0, y, f);
        ((LinearSplitEquation) eq).split(0.0, y, a, b);
        for (int i = 0; i < y.length; i++) {
            assertEquals(f[i], a[i] * y[i] + b[i], 1e-14, "element " + model.layout().variableName(i));
        }
        // the soma is linear in u with a = -(gL + gB + gA); the basal dendrite with -1/tauD
        assertEquals(-1.9, a[model.layout().index("u[0]")], 1e-15);
        assertEquals(-0.5, a[model.layout().index("vB[3]")], 1e-15);
        // the weight rule does not contain W linearly: a = 0
        assertEquals(0.0, a[model.layout().index("W[0,1]")]);
    }

    @Test
    void transposedProductsSumsAndFunctionsCompile() {
        final ModelBuilder b = ModelBuilder.named("ops");
        final Var x = b.vector("x", 3, "1");
        final Var w = b.matrix("W", 3, 2, "1");
        final Var z = b.vector("z", 2, "1");
        final Var s = b.scalar("s", "1");
        b.ode(x, "-x + sigmoid(x) * tanh(1) + relu(-x) + step(x) + abs(x)^2 + min(x, 0.5) - max(x, -0.5)");
        b.ode(w, "-W");
        b.ode(z, "transpose(W) @ x - z");
        b.ode(s, "sum(x) + dot(x, x) + exp(-t) + sqrt(4) + log(2) + sin(0) + cos(0)");
        final Model model = b.initial(x, new double[] {0.3, -0.7, 1.1})
                .initial(w, new double[] {1, 2, 3, 4, 5, 6}).build();
        final double[] y = model.initialState();
        final double[] f = new double[y.length];
        model.equation().derivatives(0.5, y, f);
        final double[] xs = {0.3, -0.7, 1.1};
        final int zOff = model.layout().block("z").offset();
        assertEquals(1 * 0.3 + 3 * -0.7 + 5 * 1.1, f[zOff], 1e-14);
        assertEquals(2 * 0.3 + 4 * -0.7 + 6 * 1.1, f[zOff + 1], 1e-14);
        final double expectedS = (0.3 - 0.7 + 1.1) + (0.09 + 0.49 + 1.21) + Math.exp(-0.5) + 2 + Math.log(2) + 1;
        assertEquals(expectedS, f[model.layout().index("s")], 1e-14);
        for (int i = 0; i < 3; i++) {
            final double xi = xs[i];
            final double expected = -xi + 1 / (1 + Math.exp(-xi)) * Math.tanh(1) + Math.max(0, -xi)
                    + (xi > 0 ? 1 : 0) + xi * xi + Math.min(xi, 0.5) - Math.max(xi, -0.5);
            assertEquals(expected, f[i], 1e-14);
        }
    }

    @Test
    void parametersCanBeChangedWithoutRecompiling() {
        final ModelBuilder b = ModelBuilder.named("decay");
        final Var v = b.scalar("v", "mV");
        b.param("tau", 10.0);
        b.ode(v, "-v / tau");
        final Model m = b.initial(v, 1.0).build();
        final double[] f = new double[1];
        m.withParameter("tau", 2.0).equation().derivatives(0, new double[] {1.0}, f);
        assertEquals(-0.5, f[0]);
        m.equation().derivatives(0, new double[] {1.0}, f);
        assertEquals(-0.1, f[0]);
    }

    @Test
    void parameterArraysAreReadByTheEquationsAndSetPerModel() {
        // GIVEN v' = (W @ x + drive - v) / tau with a fixed 3x2 weight matrix and per-neuron drives as parameter
        // arrays, x an input
        final ModelBuilder b = ModelBuilder.named("arrays");
        final Var x = b.input("x", 2, "1");
        final Var v = b.vector("v", 3, "mV");
        b.param("tau", 2.0);
        b.param("W", 3, 2, new double[] {1, 2, 3, 4, 5, 6});
        b.param("drive", new double[] {0.5, 0.25, 0.125});
        b.ode(v, "(W @ x + drive - v) / tau");
        final Model m = b.initial(x, new double[] {1.0, -1.0}).build();
        // THEN only v is integrated
        assertEquals(3, m.dimension());
        assertEquals(java.util.List.of("tau", "W", "drive"), m.parameters().names());
        // AND the derivative reads the parameters and the input: W @ x = (-1, -1, -1)
        final double[] f = new double[3];
        m.equation().derivatives(0, new double[3], f);
        assertEquals((-1 + 0.5) / 2, f[0]);
        assertEquals((-1 + 0.125) / 2, f[2]);
        // AND a model with other values, made from the same compiled code, reads those; the original is unchanged
        final Model other = m.withParameter("W", new double[] {1, 0, 0, 1, 1, 1}).withParameter("tau", 1.0);
        other.equation().derivatives(0, new double[3], f);
        assertEquals(1 + 0.5, f[0]);
        assertEquals(0 + 0.125, f[2]);
        m.equation().derivatives(0, new double[3], f);
        assertEquals((-1 + 0.5) / 2, f[0]);
        // AND parameters and inputs take no equation, scale, noise, threshold or initial value
        final ModelBuilder c = ModelBuilder.named("roles");
        final Var p = c.param("p", new double[] {1, 2});
        final Var in = c.input("in", 2, "1");
        for (final Var k : new Var[] {p, in}) {
            assertThrows(OdeException.class, () -> c.ode(k, "-" + k.name()));
            assertThrows(OdeException.class, () -> c.scale(k, 2.0));
            assertThrows(OdeException.class, () -> c.noise(k, 1.0));
            assertThrows(OdeException.class, () -> c.threshold(k, 1.0, 0.0, 0.0));
        }
        final OdeException init = assertThrows(OdeException.class, () -> c.initial(p, 1.0));
        assertTrue(init.getMessage().contains("'p' is a parameter"), init.getMessage());
        final OdeException noise = assertThrows(OdeException.class, () -> c.noise(in, 1.0));
        assertTrue(noise.getMessage().contains("'in' is an input"), noise.getMessage());
        final OdeException shape = assertThrows(OdeException.class, () -> c.param("q", 2, 2, new double[3]));
        assertTrue(shape.getMessage().contains("parameter 'q'"), shape.getMessage());
    }

    @Test
    void syntaxErrorsNameTheColumn() {
        final ModelBuilder b = ModelBuilder.named("bad");
        final Var v = b.vector("v", 3, "mV");
        b.param("tau", 10.0);
        final OdeException unknown = assertThrows(OdeException.class, () -> b.ode(v, "(E_L - v) / tau"));
        assertEquals(ErrorCode.EXPRESSION_SYNTAX, unknown.code());
        assertTrue(unknown.getMessage().contains("column 2") && unknown.getMessage().contains("'E_L'")
                && unknown.getMessage().contains("known names: v, tau"), unknown.getMessage());
        final OdeException paren = assertThrows(OdeException.class, () -> b.ode(v, "(v - 1"));
        assertTrue(paren.getMessage().contains("missing ')'"), paren.getMessage());
        final OdeException fn = assertThrows(OdeException.class, () -> b.ode(v, "expp(v)"));
        assertTrue(fn.getMessage().contains("unknown function 'expp'") && fn.getMessage().contains("column 1"),
                fn.getMessage());
        final OdeException trailing = assertThrows(OdeException.class, () -> b.ode(v, "v v"));
        assertTrue(trailing.getMessage().contains("column 3"), trailing.getMessage());
    }

    @Test
    void shapeErrorsNameTheExpression() {
        final ModelBuilder b = ModelBuilder.named("shapes");
        final Var v = b.vector("v", 3, "mV");
        final Var w = b.vector("w", 2, "mV");
        final Var m = b.matrix("M", 3, 2, "1");
        final OdeException add = assertThrows(OdeException.class, () -> b.ode(v, "v + w"));
        assertTrue(add.getMessage().contains("3x1") && add.getMessage().contains("2x1"), add.getMessage());
        final OdeException mv = assertThrows(OdeException.class, () -> b.ode(v, "M @ v"));
        assertTrue(mv.getMessage().contains("matrix-vector product"), mv.getMessage());
        final OdeException rhs = assertThrows(OdeException.class, () -> b.ode(w, m.matmul(w)));
        assertTrue(rhs.getMessage().contains("equation of 'w'"), rhs.getMessage());
    }

    @Test
    void everyStateNeedsAnEquationAndNamesAreUnique() {
        final ModelBuilder b = ModelBuilder.named("missing");
        b.vector("v", 3, "mV");
        final Var u = b.vector("u", 3, "mV");
        b.ode(u, "-u");
        final OdeException e = assertThrows(OdeException.class, b::build);
        assertEquals(ErrorCode.MISSING_EQUATION, e.code());
        assertTrue(e.getMessage().contains("'v'"), e.getMessage());
        assertThrows(OdeException.class, () -> b.param("u", 1.0));
        assertThrows(OdeException.class, () -> b.param("t", 1.0));
    }

    @Test
    void compiledEquationsKnowWhetherTheyReadTheTime() {
        // GIVEN the README model (no t) and a driven oscillator that reads t
        final Model autonomous = threeCompartment(3, 2);
        final ModelBuilder b = ModelBuilder.named("driven");
        final Var x = b.scalar("x", "1");
        final Var v = b.scalar("v", "1");
        b.ode(x, "v");
        b.ode(v, "-x + sin(t)");
        final Model driven = b.build();
        // WHEN asked THEN the first is autonomous (stiff solvers skip df/dt) and the second is not
        assertTrue(autonomous.equation().autonomous());
        assertTrue(!driven.equation().autonomous());
    }
}
