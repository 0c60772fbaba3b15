package org.neurode.models.credit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import org.neurode.core.StateLayout;

/**
 * The segregated-dendrite network (Guerguiev, Lillicrap and Richards 2017, non-spiking mode): its integrated
 * compartments reach the closed-form steady states, it learns, a restored learner continues bit for bit, and its
 * configuration errors name the field.
 */
class SegregatedDendritesTest {

    private static final SegregatedDendrites.FeedbackMode RANDOM = SegregatedDendrites.FeedbackMode.RANDOM;
    private static final SegregatedDendrites.FeedbackMode SYMMETRIC = SegregatedDendrites.FeedbackMode.SYMMETRIC;

    private static double sigma(final double v) {
        return 1.0 / (1.0 + Math.exp(-v));
    }

    /** A 3-4-5-2 network with weights of order one (shared units) and the paper's constants. */
    private static SegregatedDendrites network(final double forward, final double window) {
        final int[] sizes = {3, 4, 5, 2};
        final SegregatedDendrites.Config c = SegregatedDendrites.Config.paper(sizes,
                SegregatedDendrites.Readout.POTENTIAL, SegregatedDendrites.InputCode.LOGISTIC, RANDOM,
                new double[] {0.1, 0.1, 0.1}, 0.5).withPhases(forward, 50.0, window);
        final SplittableRandom r = new SplittableRandom(7);
        final double[][] w = new double[sizes.length][];
        for (int k = 1; k < sizes.length; k++) {
            w[k] = r.doubles((long) sizes[k] * sizes[k - 1], -1, 1).toArray();
        }
        return new SegregatedDendrites(c, "test", w, new SplittableRandom(8));
    }

    /** The largest deviation of the integrated potentials and plateaus from their closed forms after a phase. */
    private static double[] deviation(final SegregatedDendrites net, final double[] x) {
        final SegregatedDendrites.Config c = net.config();
        final int[] n = c.sizes();
        final int layers = c.layers();
        final double[] out = new double[n[layers]];
        net.predict(x, out);
        final double[] state = net.lastState();
        final StateLayout layout = net.model().layout();
        // the closed form with gA = 0: C = k_B B, U = k_D V, lambda = lambdaMax sigma(.)
        double[] below = new double[n[0]];
        for (int i = 0; i < n[0]; i++) {
            below[i] = c.lambdaMax() * sigma(x[i]);
        }
        final double[][] soma = new double[layers + 1][];
        for (int k = 1; k <= layers; k++) {
            final double[] wk = net.weights(k);
            final double[] bk = net.biases(k);
            soma[k] = new double[n[k]];
            final double[] rate = new double[n[k]];
            for (int i = 0; i < n[k]; i++) {
                double s = bk[i];
                for (int j = 0; j < n[k - 1]; j++) {
                    s += wk[i * n[k - 1] + j] * below[j];
                }
                soma[k][i] = (k == layers ? c.kD() : c.kB()) * s;
                rate[i] = c.lambdaMax() * sigma(soma[k][i]);
            }
            below = rate;
        }
        double potentials = 0;
        double plateaus = 0;
        for (int k = 1; k <= layers; k++) {
            final String name = k == layers ? "U" : "C" + k;
            final String mean = k == layers ? "Ubar" : "Cbar" + k;
            for (int i = 0; i < n[k]; i++) {
                potentials = Math.max(potentials, Math.abs(state[layout.block(name).index(i)] - soma[k][i]));
                potentials = Math.max(potentials, Math.abs(state[layout.block(mean).index(i)] - soma[k][i]));
            }
            if (k < layers) {
                // the plateau sigma(Abar) against sigma(A), A = Y lambda_L
                final double[] y = net.feedbackWeights(k);
                for (int i = 0; i < n[k]; i++) {
                    double a = 0;
                    for (int m = 0; m < n[layers]; m++) {
                        a += y[i * n[layers] + m] * below[m];
                    }
                    plateaus = Math.max(plateaus,
                            Math.abs(sigma(state[layout.block("Abar" + k).index(i)]) - sigma(a)));
                }
            }
        }
        return new double[] {potentials, plateaus};
    }

    @Test
    void theIntegratedSomataAndPlateausReachTheClosedForms() {
        final double[] x = {0.3, -1.2, 2.0};
        // GIVEN a long forward phase (300 ms, window the last 20 ms) at the paper's 1-ms exponential Euler steps
        final double[] late = deviation(network(300.0, 20.0), x);
        // THEN C = k_B B, U = k_D V and their window means, and the plateau sigma(Abar) = sigma(A), to rounding:
        // exponential Euler's fixed point is the ODE's steady state exactly (y = e^{ah} y + (e^{ah} - 1)/a b has
        // y = -b/a), and the transient left after 280 ms is e^{-0.7 * 280} ~ 1e-85; what remains is the rounding of
        // a few dozen operations on values of order 10, ~1e-14
        assertTrue(late[0] < 1e-12, "potentials off by " + late[0]);
        assertTrue(late[1] < 1e-12, "plateaus off by " + late[1]);
        // AND at the paper's 50-ms phase the window means differ from the steady state by the settling left at the
        // window's start (30 ms): per step the somata contract by e^{-0.7} and the chain of three layers adds a
        // polynomial factor, (0.5^30 ~ 1e-9) x 30^2 / 2 x potentials of order 10 ~ 5e-6
        final double[] paper = deviation(network(50.0, 20.0), x);
        assertTrue(paper[0] < 5e-6, "potentials off by " + paper[0]);
        assertTrue(paper[0] > 1e-14, "a 50-ms phase should not have settled to rounding");
        assertTrue(paper[1] < 5e-6, "plateaus off by " + paper[1]);
    }

    @Test
    void bothFeedbackModesLearnXor() {
        for (final String label : List.of("segregated-dendrites", "segregated-dendrites-symmetric")) {
            // GIVEN the xor task's student trained by the rule (seed 1)
            final Task task = new XorTask();
            final LearningRun run = new LearningRun(task, Rules.of(label).learner(task, 1, 1.0));
            final double before = run.testError();
            // WHEN it trains on XOR_PATTERNS patterns
            run.train(XOR_PATTERNS, XOR_PATTERNS, null);
            // THEN it classifies the four combinations
            assertEquals(0.0, run.testError(), label);
        }
    }

    private static final long XOR_PATTERNS = 8000;

    @Test
    void bothFeedbackModesLearnTheScalarTask() {
        for (final String label : List.of("segregated-dendrites", "segregated-dendrites-symmetric")) {
            // GIVEN the one-output nonlinear imitation task (30-20-10-1) trained by the rule (seed 1)
            final Task task = ImitationTask.scalar(1);
            final LearningRun run = new LearningRun(task, Rules.of(label).learner(task, 1, 1.0));
            final double before = run.testError();
            // WHEN it trains on 5,000 patterns
            run.train(5000, 5000, null);
            // THEN its test error fell well below the initial one
            assertTrue(run.testError() < 0.2 * before, label + ": " + before + " -> " + run.testError());
        }
    }

    @Test
    void aRestoredLearnerContinuesBitForBit() {
        for (final String label : List.of("segregated-dendrites", "segregated-dendrites-symmetric")) {
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
            assertArrayEquals(checkpoint, b.state(), "restore then state");
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
    void symmetricFeedbackIsTheTransposedForwardWeightsAndItsUpdateIsCloseToBackprops() {
        // GIVEN the xor student (one hidden layer) with symmetric feedback
        final Task task = new XorTask();
        final SegregatedDendrites net = (SegregatedDendrites) Rules.of("segregated-dendrites-symmetric")
                .learner(task, 4, 1.0);
        final double[] w2 = net.weights(2);
        final double[] y1 = net.feedbackWeights(1);
        // THEN Y = W^T (one output: the same vector)
        assertArrayEquals(w2, y1);
        // WHEN it trains on a pattern
        net.train(new double[] {1, 0}, new double[] {1});
        // THEN its hidden error differs from backprop's only by each unit's apical slope sigma'(A_j) over a common
        // factor, so the angle is small; random feedback's is not
        final SegregatedDendrites random = (SegregatedDendrites) Rules.of("segregated-dendrites").learner(task, 4,
                1.0);
        random.train(new double[] {1, 0}, new double[] {1});
        assertTrue(net.hiddenUpdateAngle() < 10.0, "symmetric angle " + net.hiddenUpdateAngle());
        assertTrue(random.hiddenUpdateAngle() > 30.0, "random angle " + random.hiddenUpdateAngle());
        // AND after the update the feedback follows the new forward weights
        assertArrayEquals(net.weights(2), net.feedbackWeights(1));
    }

    @Test
    void configurationErrorsNameTheField() {
        final int[] sizes = {2, 3, 1};
        final double[] eta = {0.1, 0.1};
        final SegregatedDendrites.Readout ro = SegregatedDendrites.Readout.RATE;
        final SegregatedDendrites.InputCode ic = SegregatedDendrites.InputCode.LINEAR;
        final SegregatedDendrites.Config ok = SegregatedDendrites.Config.paper(sizes, ro, ic, RANDOM, eta, 0.5);
        assertMessage("sizes", () -> SegregatedDendrites.Config.paper(new int[] {2, 1}, ro, ic, RANDOM, eta, 0.5));
        assertMessage("sizes[1]", () -> SegregatedDendrites.Config.paper(new int[] {2, 0, 1}, ro, ic, RANDOM,
                eta, 0.5));
        assertMessage("learningRates", () -> SegregatedDendrites.Config.paper(sizes, ro, ic, RANDOM,
                new double[] {0.1}, 0.5));
        assertMessage("learningRates[1]", () -> SegregatedDendrites.Config.paper(sizes, ro, ic, RANDOM,
                new double[] {0.1, -1}, 0.5));
        assertMessage("feedbackScale", () -> SegregatedDendrites.Config.paper(sizes, ro, ic, RANDOM, eta,
                Double.NaN));
        assertMessage("readout", () -> SegregatedDendrites.Config.paper(sizes, null, ic, RANDOM, eta, 0.5));
        assertMessage("window", () -> ok.withPhases(50, 10, 20));
        assertMessage("window", () -> ok.withPhases(50, 50, 0.5));
        assertMessage("forwardPhase", () -> ok.withPhases(-1, 50, 20));
        assertMessage("gA", () -> ok.withApicalConductance(-0.1));
        assertMessage("solver", () -> ok.withSolver("no-such-solver", 1.0));
        assertMessage("step", () -> ok.withSolver("euler", 0.0));
        final SegregatedDendrites net = new SegregatedDendrites(ok, "test",
                new double[][] {null, new double[6], new double[3]}, new SplittableRandom(1));
        assertMessage("state", () -> net.restore(new double[3]));
        assertMessage("sharedWeights[2]", () -> new SegregatedDendrites(ok, "test",
                new double[][] {null, new double[6], new double[2]}, new SplittableRandom(1)));
        // AND a task whose output the network cannot read is refused by name
        final Task xor = new XorTask();
        final Task tanhOut = new Task() {
            public String name() { return "tanh-xor"; }
            public int inputs() { return 2; }
            public int outputs() { return 1; }
            public boolean classification() { return false; }
            public void trainingPattern(final long i, final double[] x, final double[] t) {
                xor.trainingPattern(i, x, t);
            }
            public int testSize() { return 4; }
            public void testPattern(final int i, final double[] x, final double[] t) { xor.testPattern(i, x, t); }
            public LayeredNetwork.Config network(final Feedback rule) {
                final LayeredNetwork.Config c = xor.network(rule);
                return new LayeredNetwork.Config(c.sizes(), c.hidden(), Activation.TANH, c.loss(), rule,
                        c.learningRates(), c.initScale(), c.scaleByFanIn(), c.feedbackScale(), c.biases());
            }
            public Task copy() { return this; }
        };
        assertTrue(Rules.of("segregated-dendrites").notApplicable(tanhOut).contains("tanh"));
    }

    private static void assertMessage(final String field, final org.junit.jupiter.api.function.Executable e) {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage().startsWith(field), "'" + ex.getMessage() + "' should name " + field);
    }

    @Test
    void theRulesAreRegisteredAfterTheFeedbackRules() {
        final List<String> labels = new java.util.ArrayList<>();
        for (final Rule r : Rules.all()) {
            labels.add(r.label());
        }
        final int at = labels.indexOf("segregated-dendrites");
        assertTrue(at >= Feedback.values().length, labels.toString());
        assertEquals("segregated-dendrites-symmetric", labels.get(at + 1));
        assertEquals("segregated-dendrites-steady", labels.get(at + 2));
        assertEquals("segregated-dendrites-symmetric-steady", labels.get(at + 3));
        assertEquals(Rules.of("segregated-dendrites-symmetric").label(), "segregated-dendrites-symmetric");
    }
}
