package org.neurode.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.neurode.core.Model;
import org.neurode.core.Problem;
import org.neurode.core.StateLayout;
import org.neurode.solvers.Simulation;
import org.neurode.solvers.SolveOptions;
import org.neurode.solvers.Solvers;

/**
 * The dendritic microcircuit (Sacramento et al. 2018) against the closed forms of docs/microcircuit.md:
 * steady states of every compartment, emergence of the self-predicting state under pre-training, and
 * the direction of the forward-weight change against backpropagation.
 */
class MicrocircuitTest {

    @Test
    void simdAndScalarKernelsGiveTheSameLearningStepToRounding() {
        org.junit.jupiter.api.Assumptions.assumeTrue(org.neurode.core.expr.ArrayKernels.simdAvailable(),
                "SIMD kernels not available in this JVM");
        // GIVEN the paper's circuit without noise, learning on one input and target pattern
        final Microcircuit.Config c = Microcircuit.Config.paperRegression()
                .withNoise(0.0, Microcircuit.NoiseConvention.WHITE, 0.1).withLearningRateScale(100.0);
        final Model built = Microcircuit.build(c);
        final SplittableRandom rnd = new SplittableRandom(11);
        final double[] y0 = built.initialState();
        final Model m = Microcircuit.randomWeights(built, y0, 1.0, rnd)
                .withInput("x", randomVector(rnd, 30, -1, 1)).withInput("uTarget", randomVector(rnd, 10, -1, 1))
                .withInput("plastic", 1.0).withInput("nudge", 1.0);
        // WHEN one 100-ms pattern (1,000 Euler steps) runs with each set of kernels
        final double[][] finals = new double[2][];
        try {
            for (int k = 0; k < 2; k++) {
                org.neurode.core.expr.ArrayKernels.useSimd(k == 1);
                finals[k] = Solvers.get("euler-maruyama").solve(Problem.of(m, y0, 100.0),
                        SolveOptions.fixedStep(0.1)).finalState();
            }
        } finally {
            org.neurode.core.expr.ArrayKernels.useSimd(true);
        }
        // THEN every block agrees to rounding. The kernels differ in summation order and fused multiply-adds
        // (1e-16 relative per operation); over 1,000 steps of this contracting circuit the measured largest
        // difference relative to the block's largest magnitude is 1.3e-14: 1e-12 allows 77 times that, while
        // a wrong element of a kernel (a tail, an operand) differs by the order of the values themselves.
        double change = 0.0;
        for (final StateLayout.Block b : m.layout().blocks()) {
            final double[] scalar = block(m, finals[0], b.name());
            final double[] simd = block(m, finals[1], b.name());
            final double[] start = block(m, y0, b.name());
            double scale = 0.0;
            for (final double v : scalar) {
                scale = Math.max(scale, Math.abs(v));
            }
            for (int i = 0; i < scalar.length; i++) {
                assertEquals(scalar[i], simd[i], 1e-12 * scale, b.name() + "[" + i + "]");
                if (b.name().equals("W2")) {
                    change = Math.max(change, Math.abs(scalar[i] - start[i]));
                }
            }
        }
        // and the pattern did change the output weights (measured 2.4e-4), so the comparison covers the
        // plasticity kernels
        assertTrue(change > 1e-5, "W2 changed by " + change);
    }

    @Test
    void fixedTopDownWeightsAreParametersDrawnInTheOrderOfPlasticOnes() {
        // GIVEN the paper's circuit with fixed top-down weights and the same circuit with learning ones
        final Microcircuit.Config fixed = Microcircuit.Config.paperRegression();
        final Microcircuit.Config learning = fixed.withTopDownRate(1e-3);
        final Model f = Microcircuit.build(fixed);
        final Model l = Microcircuit.build(learning);
        // THEN fixed weights are not state: 500 fewer integrated variables (and their filters), an array parameter
        assertTrue(!f.layout().has("B1") && f.parameters().isArray("B1"), f.layout().names().toString());
        assertTrue(l.layout().has("B1") && !l.parameters().has("B1"));
        assertEquals(List.of("x", "uTarget", "nudge", "plastic"), f.inputLayout().names());
        // WHEN random weights are drawn from the same seed
        final double[] yf = f.initialState();
        final double[] yl = l.initialState();
        final Model fw = Microcircuit.randomWeights(f, yf, 1.0, new SplittableRandom(4));
        final Model lw = Microcircuit.randomWeights(l, yl, 1.0, new SplittableRandom(4));
        // THEN both draw the same numbers in the same order (W1, B1, P1, Q1, W2): wherever B lives
        assertArrayEquals(block(l, yl, "B1"), fw.parameters().array("B1"), 0.0);
        assertArrayEquals(Microcircuit.topDown(lw, yl, 1), Microcircuit.topDown(fw, yf, 1), 0.0);
        for (final String w : new String[] {"W1", "P1", "Q1", "W2"}) {
            assertArrayEquals(block(l, yl, w), block(f, yf, w), 0.0, w);
        }
        // AND the weights are uniform in (-1, 1) and the fixed model's default B was zero
        assertTrue(Math.abs(fw.parameters().array("B1")[7]) > 0 && Math.abs(fw.parameters().array("B1")[7]) < 1);
        assertEquals(0.0, f.parameters().array("B1")[7]);
    }

    /** Reads block {@code name} of the state. */
    static double[] block(final Model m, final double[] y, final String name) {
        final StateLayout.Block b = m.layout().block(name);
        return java.util.Arrays.copyOfRange(y, b.offset(), b.offset() + b.size());
    }

    /** Sets block {@code name} of the state. */
    static void set(final Model m, final double[] y, final String name, final double... v) {
        final StateLayout.Block b = m.layout().block(name);
        System.arraycopy(v, 0, y, b.offset(), b.size());
    }

    /** Row-major matrix-vector product. */
    static double[] mul(final double[] w, final double[] x) {
        final double[] out = new double[w.length / x.length];
        for (int i = 0; i < out.length; i++) {
            for (int j = 0; j < x.length; j++) {
                out[i] += w[i * x.length + j] * x[j];
            }
        }
        return out;
    }

    static double[] phi(final Microcircuit.Config c, final double[] u) {
        final double[] r = new double[u.length];
        for (int i = 0; i < u.length; i++) {
            r[i] = c.phi(u[i]);
        }
        return r;
    }

    static double[] randomVector(final SplittableRandom rnd, final int n, final double lo, final double hi) {
        final double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = rnd.nextDouble(lo, hi);
        }
        return v;
    }

    @Test
    void everyCompartmentSettlesAtItsClosedFormSteadyState() {
        // GIVEN the paper's 30-50-10 circuit without noise and plasticity, random weights, a fixed input and
        // target, teaching on
        final Microcircuit.Config c = Microcircuit.Config.paperRegression().withNoise(0, Microcircuit.NoiseConvention.WHITE, 0.1);
        final Model built = Microcircuit.build(c);
        final double[] y = built.initialState();
        final SplittableRandom rnd = new SplittableRandom(11);
        final Model weighted = Microcircuit.randomWeights(built, y, 1.0, rnd);
        final double[] x = randomVector(rnd, 30, -1, 1);
        final double[] target = randomVector(rnd, 10, -1, 1);
        final Model m = weighted.withInput("x", x).withInput("uTarget", target).withInput("nudge", 1.0)
                .withInput("plastic", 0.0);
        // WHEN integrating 200 ms (400 effective somatic time constants, 67 input-filter time constants)
        final double[] s = Solvers.get("exponential-euler").solve(Problem.of(m, y, 200.0), SolveOptions.fixedStep(0.1))
                .finalState();
        // THEN (microcircuit.md section 3) u1 = (gB vB1 + gA vA1)/(gL+gB+gA), u2 = (gB vB2 + gSom uT)/(gL+gB+gSom),
        // uI = (gD vI + gSom u2)/(gL+gD+gSom), with the dendritic potentials computed here from the weights
        final double[] r0 = block(m, s, "r0");
        final double[] u1 = block(m, s, "u1");
        final double[] u2 = block(m, s, "u2");
        final double[] uI = block(m, s, "uI1");
        final double[] vB1 = mul(block(m, s, "W1"), r0);
        final double[] vB2 = mul(block(m, s, "W2"), phi(c, u1));
        final double[] vA1 = add(mul(Microcircuit.topDown(m, s, 1), phi(c, u2)), mul(block(m, s, "Q1"), phi(c, uI)));
        final double[] vI = mul(block(m, s, "P1"), phi(c, u1));
        for (int i = 0; i < 30; i++) {
            assertEquals(x[i], r0[i], 1e-12, "filtered input");
        }
        // tolerance: the slowest mode (input filter, 3 ms) has decayed by e^-67 ~ 1e-29; round-off ~1e-15
        for (int i = 0; i < 50; i++) {
            assertEquals((c.gB() * vB1[i] + c.gA() * vA1[i]) / (c.gL() + c.gB() + c.gA()), u1[i], 1e-12, "u1[" + i + "]");
        }
        for (int i = 0; i < 10; i++) {
            assertEquals((c.gB() * vB2[i] + c.gSom() * target[i]) / (c.gL() + c.gB() + c.gSom()), u2[i], 1e-12);
            assertEquals((c.gD() * vI[i] + c.gSom() * u2[i]) / (c.gL() + c.gD() + c.gSom()), uI[i], 1e-12);
        }
    }

    static double[] add(final double[] a, final double[] b) {
        final double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] + b[i];
        }
        return out;
    }

    /** The paper's circuit in the theta = 0 regime, where rates and their slopes are ten times larger. */
    static Microcircuit.Config regime(final int[] sizes, final double[] etaForward, final double etaIP,
                                      final double etaPI) {
        final Microcircuit.Config p = Microcircuit.Config.paperRegression();
        return new Microcircuit.Config(sizes, p.gL(), p.gB(), p.gA(), p.gD(), p.gSom(), p.gamma(), p.beta(), 0.0,
                p.tau0(), p.tauW(), etaForward, etaIP, etaPI, 0.0, 0.0, Microcircuit.NoiseConvention.WHITE, 0.1);
    }

    static double apicalMismatch(final Microcircuit.Config c, final Model m, final double[] s) {
        final double[] va = add(mul(Microcircuit.topDown(m, s, 1), phi(c, block(m, s, "u2"))),
                mul(block(m, s, "Q1"), phi(c, block(m, s, "uI1"))));
        return dot(va, va);
    }

    static double interneuronMismatch(final Model m, final double[] s) {
        final double[] d = add(block(m, s, "u2"), scaled(block(m, s, "uI1"), -1));
        return dot(d, d);
    }

    static double dot(final double[] a, final double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    static double[] scaled(final double[] a, final double f) {
        final double[] out = a.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] *= f;
        }
        return out;
    }

    @Test
    void preTrainingReachesTheSelfPredictingStateFromARandomStart() {
        // GIVEN a 30-50-10 circuit with random weights, no target (nudge 0), only the interneuron weights P and Q
        // plastic (section 5a). Deviations from Fig. S1's protocol, chosen so that the test runs in seconds:
        // theta = 0 (rates ~0.07 instead of ~0.005), learning rates 1000x the Fig. S1 values (eta_IP 0.2375,
        // eta_PI 0.5), no noise (the noise floor of single-time mismatch readings is ~0.01), exponential Euler
        // at dt = 0.5 ms
        final Microcircuit.Config c = regime(new int[] {30, 50, 10}, new double[] {0, 0}, 0.2375, 0.5);
        final Model built = Microcircuit.build(c);
        final double[] y = built.initialState();
        final SplittableRandom rnd = new SplittableRandom(3);
        final Model m = Microcircuit.randomWeights(built, y, 1.0, rnd).withInput("nudge", 0.0);
        final Simulation sim = Solvers.get("exponential-euler").start(Problem.of(m, y, 1e9), SolveOptions.fixedStep(0.5));
        final double[] s = new double[m.dimension()];
        double apical0 = 0;
        double inter0 = 0;
        double apical = 0;
        double inter = 0;
        // the random start, read over 20 patterns without plasticity
        for (int k = 0; k < 20; k++) {
            sim.setBlock("x", randomVector(rnd, 30, 0, 1));
            sim.advance(100.0);
            sim.copyState(s);
            apical0 += apicalMismatch(c, m, s) / 20;
            inter0 += interneuronMismatch(m, s) / 20;
        }
        // WHEN 1000 random input patterns U(0, 1) of 100 ms are presented with plasticity on
        sim.setBlock("plastic", new double[] {1.0});
        for (int k = 0; k < 1000; k++) {
            sim.setBlock("x", randomVector(rnd, 30, 0, 1));
            sim.advance(100.0);
            sim.copyState(s);
            if (k >= 980) {
                apical += apicalMismatch(c, m, s) / 20;
                inter += interneuronMismatch(m, s) / 20;
            }
        }
        // THEN both mismatches, averaged over 20 patterns, fall by at least 10x (measured: apical 1.29 -> 3.0e-5,
        // interneuron 0.61 -> 0.016)
        assertTrue(apical < apical0 / 10, "apical mismatch " + apical0 + " -> " + apical);
        assertTrue(inter < inter0 / 10, "interneuron mismatch " + inter0 + " -> " + inter);
    }

    @Test
    void forwardWeightChangePointsAlongTheBackpropagationGradient() {
        // GIVEN a small 6-8-4 circuit in the self-predicting state with top-down weights B1 = W2^T (so that the
        // apical error is the backpropagated one), only the forward weights plastic, no noise
        final Microcircuit.Config c = regime(new int[] {6, 8, 4}, new double[] {1e-3, 1e-3}, 0, 0);
        final Model built = Microcircuit.build(c);
        final double[] y = built.initialState();
        final SplittableRandom rnd = new SplittableRandom(5);
        Microcircuit.randomWeights(built, y, 1.0, rnd);
        final double[] w2 = block(built, y, "W2");
        final double[] b1 = new double[32];
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 8; j++) {
                b1[j * 4 + i] = w2[i * 8 + j];
            }
        }
        // the fixed top-down weights are a parameter of the model
        final double[] x = randomVector(rnd, 6, 0, 1);
        final double[] target = randomVector(rnd, 4, -1, 1);
        final Model m = built.withParameter("B1", b1).withInput("x", x).withInput("uTarget", target);
        Microcircuit.selfPredicting(c, m, y);
        set(m, y, "r0", x);
        final Simulation sim = Solvers.get("exponential-euler").start(Problem.of(m, y, 1e9), SolveOptions.fixedStep(0.05));
        // the free (un-nudged) steady state, without plasticity
        sim.advance(50.0);
        final double[] free = new double[m.dimension()];
        sim.copyState(free);
        // WHEN the target is switched on with plasticity for 20 ms
        sim.setBlock("nudge", new double[] {1.0});
        sim.setBlock("plastic", new double[] {1.0});
        sim.advance(20.0);
        final double[] after = new double[m.dimension()];
        sim.copyState(after);
        final double[] dW1 = add(block(m, after, "W1"), scaled(block(m, free, "W1"), -1));
        // THEN dW1 points along the negative gradient of the rate loss |phi(uT) - phi(u2)|^2 / 2 of the rate network
        // at the free state: delta2 = phi'(u2) (phi(uT) - phi(u2)), delta1 = phi'(u1) (W2^T delta2), -grad = delta1 x^T
        final double[] u1 = block(m, free, "u1");
        final double[] u2 = block(m, free, "u2");
        final double[] d2 = new double[4];
        for (int i = 0; i < 4; i++) {
            d2[i] = slope(c, u2[i]) * (c.phi(target[i]) - c.phi(u2[i]));
        }
        final double[] grad = new double[48];
        for (int j = 0; j < 8; j++) {
            double back = 0;
            for (int i = 0; i < 4; i++) {
                back += w2[i * 8 + j] * d2[i];
            }
            final double d1 = slope(c, u1[j]) * back;
            for (int k = 0; k < 6; k++) {
                grad[j * 6 + k] = d1 * x[k];
            }
        }
        final double cosine = dot(dW1, grad) / Math.sqrt(dot(dW1, dW1) * dot(grad, grad));
        // (measured: 0.99998; the issue asks for a positive cosine, 0.9 leaves room for other seeds)
        assertTrue(cosine > 0.9, "cosine " + cosine);
    }

    /** phi'(u) = gamma beta sigmoid(beta (u - theta)). */
    static double slope(final Microcircuit.Config c, final double u) {
        return c.gamma() * c.beta() / (1 + Math.exp(-c.beta() * (u - c.theta())));
    }
}
