package org.neurode.core.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.neurode.core.JacobianPattern;
import org.neurode.core.Model;

/** Compiled Jacobians (issue 18): symbolic derivatives and structural patterns. */
class JacobianCompilerTest {

    @Test
    void issue18_exampleModelFilesMatchCentralDifferences() throws Exception {
        final List<Path> files;
        try (Stream<Path> s = Files.list(Path.of("..", "examples", "models"))) {
            files = s.filter(f -> f.toString().endsWith(".ode")).sorted().toList();
        }
        for (final Path f : files) {
            final Model m = ModelFile.read(f).model();
            if (m.dimension() > 600) {
                continue;
            }
            final SplittableRandom rnd = new SplittableRandom(f.toString().hashCode());
            for (int k = 0; k < 3; k++) {
                JacobianChecks.check(m.equation(), 1.5, JacobianChecks.randomState(m, rnd), f.getFileName() + "#" + k);
            }
        }
    }

    /** Every function and operator of the language, on vectors, a scalar and matrices, state and parameters. */
    private static Model everything() {
        final ModelBuilder b = ModelBuilder.named("everything");
        final Var x = b.vector("x", 3, "");
        final Var s = b.scalar("s", "");
        final Var m = b.matrix("M", 3, 3, "");
        b.param("W", 3, 3, new double[] {0.5, -1, 0.25, 2, 0.1, -0.3, 1, 1, -1}, "");
        b.param("k", 0.7);
        b.let("q", "softplus(x * s) + exprel(x - 1) + exprel(1e-3 * (x - 1))");
        b.ode(x, "exp(-x) + log(x) * sqrt(x) + tanh(x - s) + sigmoid(2 * x) + q + relu(x - 1) + abs(x - 0.9)"
                + " + sin(x) * cos(s) + step(x - 1) + min(x, s) + max(x, 2 * s) + tan(0.3 * x) + atan(x)"
                + " + floor(x) + ceil(x) + sign(x - 1) + x ^ s + x ^ 2 + x ** 3.5 + where(x > 1, x * x, -x)"
                + " + (x < s) + (not (x > 2)) + clip(x, 0.8, 1.2) + M @ tanh(x) + transpose(M) @ x + W @ x"
                + " + (x >= 1 and s < 2) * x + (x == 1 or x != 3) - x / s + k * x[1] + pow(s, x) + i * x");
        b.ode(s, "sum(x * x) - s / (1 + s ^ 2) + M[0, 1] * t + dot(x, M[0:3, 2]) + sum(q)");
        b.ode(m, "0.1 * outer(x, sigmoid(x)) - M * s + transpose(M) * 0.5 + x * M + transpose(x) * M[1, 2]"
                + " + where(M > 0.5, sqrt(abs(M)), M ^ 2) + i - j * M");
        b.initial(x, new double[] {0.6, 1.1, 1.4});
        b.initial(s, 1.3);
        b.initial(m, new double[] {0.2, 0.7, -0.4, 1.1, 0.3, 0.9, -0.6, 0.5, 0.8});
        return b.build();
    }

    @Test
    void issue18_everyFunctionMatchesCentralDifferences() {
        final Model m = everything();
        final SplittableRandom rnd = new SplittableRandom(18);
        for (int k = 0; k < 5; k++) {
            JacobianChecks.check(m.equation(), 0.3 * k, JacobianChecks.randomState(m, rnd), "everything#" + k);
        }
    }

    @Test
    void issue18_elementwiseEquationsGiveDiagonalBlocks() {
        // GIVEN 100 neurons with element-wise equations, a scalar state read by all of them and one by none
        final ModelBuilder b = ModelBuilder.named("diagonal");
        final Var v = b.vector("v", 100, "");
        final Var w = b.vector("w", 100, "");
        final Var s = b.scalar("s", "");
        b.input("I", 100, "");
        b.param("tau", 10.0);
        b.ode(v, "(-v + softplus(w) * s + I) / tau");
        b.ode(w, "where(v > 0, v - w, -w)");
        b.ode(s, "-s / tau");
        b.initial(s, 1.0);
        final Model m = b.build();
        // WHEN the pattern is asked for
        final JacobianPattern p = ((org.neurode.core.SparseJacobianEquation) m.equation()).jacobianPattern();
        // THEN v reads v, w and s per element, w reads v and w, s itself (inputs and parameters are not state)
        assertEquals(100 * 3 + 100 * 2 + 1, p.nonZeros());
        final int vi = m.layout().block("v").offset();
        final int wi = m.layout().block("w").offset();
        final int si = m.layout().block("s").offset();
        for (int k = 0; k < 100; k++) {
            assertEquals(3, p.rowStart()[vi + k + 1] - p.rowStart()[vi + k]);
            assertEquals(true, p.indexOf(vi + k, wi + k) >= 0 && p.indexOf(vi + k, si) >= 0);
            assertEquals(true, p.indexOf(wi + k, vi + k) >= 0 && p.indexOf(wi + k, wi + k) >= 0);
        }
        JacobianChecks.check(m.equation(), 0.0, JacobianChecks.randomState(m, new SplittableRandom(1)), "diagonal");
    }

    @Test
    void issue18_productsAndPartsGiveTheirBlocks() {
        // GIVEN a rate network: parameter weights (dense block), plastic state weights (a row of W per neuron and
        // one weight per synapse), a part and a transpose
        final ModelBuilder b = ModelBuilder.named("products");
        final Var x = b.vector("x", 8, "");
        final Var r = b.vector("r", 6, "");
        final Var w = b.matrix("W", 6, 8, "");
        b.param("A", 6, 6, new double[36]);
        b.ode(x, "-x + transpose(W) @ r");
        b.ode(r, "-r + A @ tanh(r) + W @ sigmoid(x) + r[0:6] * x[2]");
        b.ode(w, "0.01 * outer(r, x) - W");
        b.initial(x, 0.5);
        b.initial(w, 0.1);
        final Model m = b.build();
        final JacobianPattern p = ((org.neurode.core.SparseJacobianEquation) m.equation()).jacobianPattern();
        // THEN x_k reads x_k, all of r and column k of W (1 + 6 + 6); r_i reads all of r (A is dense), all of x,
        // row i of W (6 + 8 + 8); W_ij reads r_i, x_j and itself (3)
        assertEquals(8 * 13 + 6 * 22 + 48 * 3, p.nonZeros());
        JacobianChecks.check(m.equation(), 0.0, JacobianChecks.randomState(m, new SplittableRandom(2)), "products");
    }

    @Test
    void issue18_generatedOnRequestOnceForAllThreads() throws Exception {
        // GIVEN a built model: nothing about its Jacobian is analysed yet
        final Model m = everything();
        final org.neurode.core.Equation e0 = m.equation();
        final java.lang.reflect.Field f = e0.getClass().getDeclaredField("jac");
        f.setAccessible(true);
        final ModelJacobian jac = (ModelJacobian) f.get(e0);
        assertEquals(false, jac.analysed());
        // WHEN 4 threads ask their own equations for the pattern and the values at once
        final int threads = 4;
        final java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
        final java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        final double[] y = JacobianChecks.randomState(m, new SplittableRandom(3));
        try {
            final List<java.util.concurrent.Future<Object[]>> out = new java.util.ArrayList<>();
            for (int k = 0; k < threads; k++) {
                out.add(pool.submit(() -> {
                    final org.neurode.core.SparseJacobianEquation eq = (org.neurode.core.SparseJacobianEquation) m.equation();
                    start.await();
                    final JacobianPattern p = eq.jacobianPattern();
                    final double[] v = new double[p.nonZeros()];
                    eq.jacobianValues(0.5, y, v);
                    return new Object[] {p, v};
                }));
            }
            // THEN they share one pattern object and get the same values
            final Object[] first = out.get(0).get();
            for (final java.util.concurrent.Future<Object[]> o : out) {
                final Object[] r = o.get();
                org.junit.jupiter.api.Assertions.assertSame(first[0], r[0]);
                org.junit.jupiter.api.Assertions.assertArrayEquals((double[]) first[1], (double[]) r[1]);
            }
            org.junit.jupiter.api.Assertions.assertSame(first[0],
                    ((org.neurode.core.SparseJacobianEquation) m.withParameter("k", 2.0).equation()).jacobianPattern());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(true, jac.analysed());
    }

    @Test
    void issue18_tooLargeJacobiansHaveThePatternOnly() {
        // GIVEN 1,500 states each reading the sum of all: 2.25 million entries, beyond the values generated
        final ModelBuilder b = ModelBuilder.named("mean-field");
        final Var x = b.vector("x", 1500, "");
        b.ode(x, "-x + 0.001 * sum(tanh(x))");
        final org.neurode.core.SparseJacobianEquation eq = (org.neurode.core.SparseJacobianEquation) b.build().equation();
        // THEN the pattern is dense, there are no values, and asking for them says why
        assertEquals(true, eq.jacobianPattern().isDense());
        assertEquals(false, eq.hasJacobianValues());
        final UnsupportedOperationException e = org.junit.jupiter.api.Assertions.assertThrows(
                UnsupportedOperationException.class, () -> eq.jacobianValues(0.0, new double[1504], new double[0]));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("2250000 entries"), e.getMessage());
    }

    @Test
    void issue18_cubaIsDiagonalPerNeuron() {
        // GIVEN the CUBA network file: 4,000 neurons, v reading v, ge and gi; ge and gi decaying on their own
        final Model m = ModelFile.read(Path.of("..", "examples", "models", "cuba.ode")).model();
        final org.neurode.core.Equation eq = m.equation();
        final JacobianPattern p = ((org.neurode.core.SparseJacobianEquation) eq).jacobianPattern();
        assertEquals(4000 * 3 + 4000 + 4000, p.nonZeros());
        final SplittableRandom rnd = new SplittableRandom(4);
        final int[] columns = rnd.ints(40, 0, m.dimension()).toArray();
        JacobianChecks.checkColumns(eq, 0.0, JacobianChecks.randomState(m, rnd), columns, "cuba");
    }

    /**
     * A diffusion chain of n scalar states as model-file text: du_i/dt = D (u_(i-1) - 2 u_i + u_(i+1)), ends held at
     * 0. The language has no shift of a vector (x[1:] and x[:-1] have other shapes than x, and there is no
     * concatenation), so neighbours are coupled through scalar states, one equation each.
     */
    static String diffusionChain(final int n) {
        final StringBuilder sb = new StringBuilder("model chain\nparameter D = 0.5\n");
        for (int i = 0; i < n; i++) {
            sb.append("state u").append(i).append(" = ").append(Math.sin(0.01 * i)).append('\n');
        }
        for (int i = 0; i < n; i++) {
            sb.append("du").append(i).append("/dt = D * (").append(i == 0 ? "0" : "u" + (i - 1)).append(" - 2 * u")
              .append(i).append(" + ").append(i == n - 1 ? "0" : "u" + (i + 1)).append(")\n");
        }
        return sb.toString();
    }

    @Test
    void issue18_tenThousandVariableChainIsTridiagonal() {
        // GIVEN a 10,000-variable diffusion chain written as a model file
        final Model m = ModelFile.parse(diffusionChain(10_000), "chain.ode", "chain").model();
        final org.neurode.core.Equation eq = m.equation();
        // THEN its pattern is tridiagonal and its values are D, -2 D, D (checked on 30 columns)
        final JacobianPattern p = ((org.neurode.core.SparseJacobianEquation) eq).jacobianPattern();
        assertEquals(3 * 10_000 - 2, p.nonZeros());
        final double[] y = JacobianChecks.randomState(m, new SplittableRandom(5));
        final double[] v = new double[p.nonZeros()];
        ((org.neurode.core.SparseJacobianEquation) eq).jacobianValues(0.0, y, v);
        for (int i = 0; i < 10_000; i++) {
            assertEquals(-1.0, v[p.indexOf(i, i)], 0.0);
            if (i > 0) {
                assertEquals(0.5, v[p.indexOf(i, i - 1)], 0.0);
            }
        }
        JacobianChecks.checkColumns(eq, 0.0, y, new SplittableRandom(6).ints(30, 0, 10_000).toArray(), "chain");
    }
}
