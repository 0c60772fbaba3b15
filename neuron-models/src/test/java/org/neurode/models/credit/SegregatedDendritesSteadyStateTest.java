package org.neurode.models.credit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * The steady-state form of the segregated-dendrite network against the integrated one: from the same weights the
 * updates differ by no more than the ODE's measured distance from the steady state allows, so do the weights after
 * a short run; the steady form learns, resumes bit for bit and allocates nothing per pattern.
 */
class SegregatedDendritesSteadyStateTest {

    /** sup |sigma''| = sup |sigma'(1 - 2 sigma)| = 1 / (6 sqrt 3), at sigma = (3 -+ sqrt 3) / 6. */
    private static final double SIGMA2 = 1.0 / (6.0 * Math.sqrt(3.0));

    private static final List<String> FORMS = List.of("segregated-dendrites", "segregated-dendrites-symmetric");

    private static SegregatedDendrites learner(final String label, final Task task, final long seed) {
        return (SegregatedDendrites) Rules.of(label).learner(task, seed, 1.0);
    }

    private static double maxAbs(final double[] a) {
        double m = 0;
        for (final double v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    private static double maxAbsDiff(final double[] a, final double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    private static double[] minus(final double[] a, final double[] b) {
        final double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i] - b[i];
        }
        return d;
    }

    /**
     * How far the updates of layer k can differ between the forms when every value they learn from (the window means
     * and plateau arguments of both phases, {@link SegregatedDendrites#phaseMeans}) differs by at most rho. The
     * update is Delta W = -eta P E pre^T, Delta b = -eta P E, a function of those values only, so
     * E^f pre^f - E^s pre^s = (E^f - E^s) pre^f + E^s (pre^f - pre^s) gives
     * |Delta W^f - Delta W^s| &lt;= eta P (|dE| lambdaMax + max|E^s| rho) (|pre| &lt;= lambdaMax; at k = 1 pre is the
     * input rates, the same in both forms), and by the mean value theorem with sup sigma' = 1/4, sup |sigma''| =
     * 1 / (6 sqrt 3):
     * <pre>
     *   E_L = -(r^t - lambdaMax sigma(U)) k_D lambdaMax sigma'(U):
     *         |dE_L| &lt;= k_D lambdaMax rho (1/4 + lambdaMax/16 + lambdaMax sup|sigma''|)
     *         (|r^t - lambdaMax sigma| &lt;= lambdaMax)
     *   E_l = -(sigma(A^t) - sigma(A^f)) k_B lambdaMax sigma'(C):
     *         |dE_l| &lt;= k_B lambdaMax rho (1/16 + 1/16 + D sup|sigma''|)   D = max |sigma(A^t) - sigma(A^f)| + rho/2
     * </pre>
     * Global bounds, so they hold for any rho, not only to first order.
     *
     * @return {bound on the weights' update difference, bound on the biases'}
     */
    private static double[] updateBound(final SegregatedDendrites.Config c, final int k, final double rho,
                                        final double maxErrSteady, final double plateauChange) {
        final double lm = c.lambdaMax();
        final double etaP = c.learningRates()[k - 1] * (k == c.layers() ? 20.0 / (lm * lm) : 20.0 / lm);
        final double dE = k == c.layers() ? c.kD() * lm * rho * (0.25 + lm / 16.0 + lm * SIGMA2)
                : c.kB() * lm * rho * (0.125 + (plateauChange + rho / 2) * SIGMA2);
        return new double[] {etaP * (dE * lm + (k == 1 ? 0.0 : maxErrSteady * rho)), etaP * dE};
    }

    /** max |sigma(A^t) - sigma(A^f)| over the hidden units of a {@link SegregatedDendrites#phaseMeans} vector. */
    private static double plateauChange(final SegregatedDendrites.Config c, final double[] means) {
        final int[] n = c.sizes();
        final int layers = c.layers();
        int at = n[layers];
        final int[] abarF = new int[layers];
        for (int k = 1; k < layers; k++) {
            abarF[k] = at + n[k];
            at += 3 * n[k];
        }
        double d = 0;
        for (int k = 1; k < layers; k++) {
            for (int j = 0; j < n[k]; j++) {
                d = Math.max(d, Math.abs(sigma(means[at + j]) - sigma(means[abarF[k] + j])));
            }
            at += n[k];
        }
        return d;
    }

    private static double sigma(final double v) {
        return 1.0 / (1.0 + Math.exp(-v));
    }

    /**
     * Trains both learners on one example and asserts that each layer's update differs by no more than
     * {@link #updateBound} at the measured rho (plus rounding); adds the bounds to {@code bounds[2k]} (weights) and
     * {@code bounds[2k + 1]} (biases) if given.
     *
     * @return {rho, max over layers of the weights' update difference over its bound (measured 0.05 to 0.16)}
     */
    private static double[] compareOneExample(final SegregatedDendrites full, final SegregatedDendrites steady,
                                              final double[] x, final double[] t, final double[] bounds) {
        final SegregatedDendrites.Config c = steady.config();
        final int layers = c.layers();
        // each learner's weights before (the same in the one-example test, slightly apart in a run)
        final double[][] w0 = new double[layers + 1][];
        final double[][] b0 = new double[layers + 1][];
        final double[][] w0s = new double[layers + 1][];
        final double[][] b0s = new double[layers + 1][];
        for (int k = 1; k <= layers; k++) {
            w0[k] = full.weights(k);
            b0[k] = full.biases(k);
            w0s[k] = steady.weights(k);
            b0s[k] = steady.biases(k);
        }
        full.train(x, t);
        steady.train(x, t);
        final double[] ms = steady.phaseMeans();
        final double rho = maxAbsDiff(full.phaseMeans(), ms);
        final double plateau = plateauChange(c, ms);
        double worst = 0;
        for (int k = 1; k <= layers; k++) {
            final double[] dwF = minus(full.weights(k), w0[k]);
            final double[] dwS = minus(steady.weights(k), w0s[k]);
            final double[] dbF = minus(full.biases(k), b0[k]);
            final double[] dbS = minus(steady.biases(k), b0s[k]);
            final double lm = c.lambdaMax();
            final double etaP = c.learningRates()[k - 1] * (k == layers ? 20.0 / (lm * lm) : 20.0 / lm);
            final double[] bound = updateBound(c, k, rho, maxAbs(dbS) / etaP, plateau);
            // plus the rounding: each form adds its update to weights of size |W| (half an ulp each) and computes it
            // in its own operation order (a few ulps of the update)
            // in its own operation order (a few ulps of the update); the differences W_after - W_before are exact
            // (Sterbenz) or rounded by another half ulp
            final double big = Math.max(maxAbs(w0[k]), maxAbs(w0s[k])) + maxAbs(dwS);
            final double bigB = Math.max(maxAbs(b0[k]), maxAbs(b0s[k])) + maxAbs(dbS);
            final double slackW = 4 * Math.ulp(big) + 8 * Math.ulp(maxAbs(dwS));
            final double slackB = 4 * Math.ulp(bigB) + 8 * Math.ulp(maxAbs(dbS));
            final double dW = maxAbsDiff(dwF, dwS);
            final double dB = maxAbsDiff(dbF, dbS);
            assertTrue(dW <= bound[0] + slackW, "layer " + k + ": weights' updates differ by " + dW + ", bound "
                    + bound[0] + " at rho " + rho);
            assertTrue(dB <= bound[1] + slackB, "layer " + k + ": biases' updates differ by " + dB + ", bound "
                    + bound[1] + " at rho " + rho);
            worst = Math.max(worst, dW / (bound[0] + slackW));
            if (bounds != null) {
                bounds[2 * k] += bound[0] + slackW;
                bounds[2 * k + 1] += bound[1] + slackB;
            }
        }
        return new double[] {rho, worst};
    }

    @Test
    void fromTheSameWeightsTheFormsMakeTheSameUpdateToTheOdesResidual() {
        for (final String label : FORMS) {
            // the nonlinear task (30-20-10-10, two hidden layers, logistic inputs, potential readout) and xor (2-?-1,
            // linear inputs, rate readout)
            for (final Task task : List.of(ImitationTask.nonlinear(1), new XorTask())) {
                // GIVEN the integrated and the steady-state learner of the rule with the same weights
                final SegregatedDendrites full = learner(label, task, 1);
                final SegregatedDendrites steady = learner(label + "-steady", task, 1);
                final double[] x = new double[task.inputs()];
                final double[] t = new double[task.outputs()];
                double rhoMax = 0;
                double rhoMin = Double.POSITIVE_INFINITY;
                double relMax = 0;
                for (int p = 0; p < 20; p++) {
                    task.trainingPattern(p, x, t);
                    if (maxAbs(x) == 0) {
                        // xor's (0, 0): no input, no transient beyond the biases'; skip it for the residual's floor
                        continue;
                    }
                    steady.restore(full.state());
                    final double[] before = full.state();
                    assertArrayEquals(before, steady.state());
                    // WHEN each learns one example from those weights
                    final double[] r = compareOneExample(full, steady, x, t, null);
                    // THEN every layer's update agrees to the bound derived from the measured residual rho
                    // (asserted inside); the residual is the ODE's transient left at the window: at least the
                    // rounding floor (the ODE has not settled to rounding in 30 ms at the slowest rate 0.7/ms) and
                    // below the 5e-6 that SegregatedDendritesTest bounds it by from e^(-0.7 x 30) and the layer chain
                    rhoMax = Math.max(rhoMax, r[0]);
                    rhoMin = Math.min(rhoMin, r[0]);
                    relMax = Math.max(relMax, maxAbsDiff(full.state(), steady.state())
                            / maxAbs(minus(steady.state(), before)));
                }
                final String what = label + " on " + task.name();
                assertTrue(rhoMax < 5e-6, what + ": residual " + rhoMax);
                assertTrue(rhoMin > 1e-12, what + ": residual " + rhoMin + " at the rounding floor");
                // AND relative to the update the difference is of the residual's order (measured 1e-7 at most:
                // rho up to 1.5e-7 over updates' error factors of order 1)
                assertTrue(relMax < 1e-5, what + ": relative difference " + relMax);
            }
        }
    }

    @Test
    void aShortTrainingRunEndsWithinTheSumOfThePerExampleBounds() {
        for (final String label : FORMS) {
            // GIVEN both forms of the rule on the scalar task (30-20-10-1), the same initial weights
            final Task task = ImitationTask.scalar(1);
            final SegregatedDendrites full = learner(label, task, 1);
            final SegregatedDendrites steady = learner(label + "-steady", task, 1);
            final int layers = full.config().layers();
            final double[] x = new double[task.inputs()];
            final double[] t = new double[task.outputs()];
            final double[] bounds = new double[2 * layers + 2];
            // WHEN both train on the same 2,000 patterns, side by side
            for (int p = 0; p < 2000; p++) {
                task.trainingPattern(p, x, t);
                // (each example's update difference is bounded by its own residual rho_p, measured from the two
                // learners' means, whose weights now differ slightly: the bound holds whatever caused rho_p)
                final double rho = compareOneExample(full, steady, x, t, bounds)[0];
                // AND the learners' means stay as close as the ODE's residual allows (the 5e-6 of
                // SegregatedDendritesTest, from e^(-0.7 x 30) and the layer chain): their weights did not drift apart
                assertTrue(rho < 5e-6, label + ": means " + rho + " apart at pattern " + p);
            }
            // THEN each layer's weights differ by at most the sum of the per-example bounds (W_N = W_0 + sum of the
            // updates, the same W_0: the triangle inequality)
            for (int k = 1; k <= layers; k++) {
                final double dW = maxAbsDiff(full.weights(k), steady.weights(k));
                final double dB = maxAbsDiff(full.biases(k), steady.biases(k));
                assertTrue(dW <= bounds[2 * k], label + " layer " + k + ": " + dW + " > " + bounds[2 * k]);
                assertTrue(dB <= bounds[2 * k + 1], label + " layer " + k + ": " + dB + " > " + bounds[2 * k + 1]);
            }
        }
    }

    @Test
    void theSteadyFormsLearnXor() {
        for (final String label : List.of("segregated-dendrites-steady", "segregated-dendrites-symmetric-steady")) {
            // GIVEN the xor task's student trained by the steady form (seed 1)
            final Task task = new XorTask();
            final LearningRun run = new LearningRun(task, Rules.of(label).learner(task, 1, 1.0));
            assertTrue(run.testError() > 0, label + " should start with errors");
            // WHEN it trains on 8,000 patterns (as the integrated forms in SegregatedDendritesTest)
            run.train(8000, 8000, null);
            // THEN it classifies the four combinations
            assertEquals(0.0, run.testError(), label);
        }
    }

    @Test
    void aRestoredSteadyLearnerContinuesBitForBit() {
        for (final String label : List.of("segregated-dendrites-steady", "segregated-dendrites-symmetric-steady")) {
            final Task task = ImitationTask.nonlinear(2);
            final double[] x = new double[task.inputs()];
            final double[] t = new double[task.outputs()];
            // GIVEN a learner trained on 200 patterns, and its state
            final Learner a = Rules.of(label).learner(task, 3, 1.0);
            for (int p = 0; p < 200; p++) {
                task.trainingPattern(p, x, t);
                a.train(x, t);
            }
            final double[] checkpoint = a.state();
            // WHEN it continues for 100 patterns, and a new learner restored from the state does the same
            final double[] angles = new double[100];
            for (int p = 200; p < 300; p++) {
                task.trainingPattern(p, x, t);
                a.train(x, t);
                angles[p - 200] = a.hiddenUpdateAngle();
            }
            final Learner b = Rules.of(label).learner(task, 3, 1.0);
            b.restore(checkpoint);
            final double[] anglesB = new double[100];
            for (int p = 200; p < 300; p++) {
                task.trainingPattern(p, x, t);
                b.train(x, t);
                anglesB[p - 200] = b.hiddenUpdateAngle();
            }
            // THEN both end with the same bits, updates at the same angles, and predict the same
            assertArrayEquals(a.state(), b.state(), label);
            assertArrayEquals(angles, anglesB, label);
            final double[] ya = new double[t.length];
            final double[] yb = new double[t.length];
            task.testPattern(0, x, t);
            a.predict(x, ya);
            b.predict(x, yb);
            assertArrayEquals(ya, yb, label);
        }
    }

    @Test
    void trainingAndPredictionAllocateNothing() {
        for (final String label : List.of("segregated-dendrites-steady", "segregated-dendrites-symmetric-steady")) {
            // GIVEN the steady form on the nonlinear task's student (two hidden layers), warmed up
            final Task task = ImitationTask.nonlinear(1);
            final Learner l = Rules.of(label).learner(task, 1, 1.0);
            final double[] x = new double[task.inputs()];
            final double[] t = new double[task.outputs()];
            final double[] y = new double[task.outputs()];
            for (int i = 0; i < 20_000; i++) {
                task.trainingPattern(i % 100, x, t);
                l.train(x, t);
                l.predict(x, y);
            }
            // WHEN 20,000 more patterns train and predict
            final long before = Allocations.allocatedBytes();
            for (int i = 0; i < 20_000; i++) {
                l.train(x, t);
                l.predict(x, y);
            }
            final long bytes = Allocations.allocatedBytes() - before;
            // THEN nothing is allocated (a few hundred bytes of slack for the measurement itself)
            assertTrue(bytes < 1024, label + ": allocated " + bytes + " bytes");
        }
    }

    @Test
    void symmetricFeedbackFollowsTheWeightsAndApicalCouplingIsRefused() {
        // GIVEN the steady form with symmetric feedback on xor (one hidden layer), after an update
        final SegregatedDendrites net = learner("segregated-dendrites-symmetric-steady", new XorTask(), 4);
        net.train(new double[] {1, 0}, new double[] {1});
        // THEN its feedback, refreshed when asked, is the new W^T, and its update is backprop's to a small angle
        assertArrayEquals(net.weights(2), net.feedbackWeights(1));
        assertTrue(net.hiddenUpdateAngle() < 10.0, "angle " + net.hiddenUpdateAngle());
        // AND the steady form refuses gA > 0, whose steady state is no closed form, naming the field
        final SegregatedDendrites.Config c = SegregatedDendrites.Config.paper(new int[] {2, 3, 1},
                SegregatedDendrites.Readout.RATE, SegregatedDendrites.InputCode.LINEAR,
                SegregatedDendrites.FeedbackMode.RANDOM, new double[] {0.1, 0.1}, 0.5).withApicalConductance(0.05);
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> c.withForm(SegregatedDendrites.Form.STEADY_STATE));
        assertTrue(e.getMessage().startsWith("gA"), e.getMessage());
        final IllegalArgumentException f = assertThrows(IllegalArgumentException.class,
                () -> c.withForm(null));
        assertTrue(f.getMessage().startsWith("form"), f.getMessage());
        // (the full form integrates gA > 0)
        new SegregatedDendrites(c, "test", new double[][] {null, new double[6], new double[3]},
                new SplittableRandom(1));
    }
}
