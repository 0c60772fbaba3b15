package org.neurode.models.credit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * The learning rules of {@link LayeredNetwork}: backprop is the gradient (against central differences of the loss),
 * the rules reduce to each other where the papers say they do, every rule learns, and feedback alignment aligns.
 */
class LayeredNetworkTest {

    @Test
    void backpropUpdateIsMinusTheGradientOfTheSquaredErrorAndOfTheCrossEntropy() {
        for (final LayeredNetwork.Loss loss : LayeredNetwork.Loss.values()) {
            // GIVEN a 5-4-3-3 network with tanh hidden layers and biases, learning rate 1
            final LayeredNetwork.Config c = new LayeredNetwork.Config(new int[] {5, 4, 3, 3}, Activation.TANH,
                    Activation.LINEAR, loss, Feedback.BACKPROP, new double[] {1, 1, 1}, 1.0, true, 0.5, true);
            final LayeredNetwork net = new LayeredNetwork(c, new SplittableRandom(3), new SplittableRandom(4));
            final SplittableRandom r = new SplittableRandom(5);
            final double[] x = r.doubles(5, -1, 1).toArray();
            final double[] t = loss == LayeredNetwork.Loss.SQUARED_ERROR ? r.doubles(3, -1, 1).toArray()
                    : new double[] {0, 1, 0};
            final double[] before = net.state();
            // WHEN it trains once
            net.train(x, t);
            final double[] step = net.state();
            // THEN each parameter moved by minus the loss's derivative, as central differences (h = 1e-6) give it:
            // their error is O(h^2) ~ 1e-12 times third derivatives of order 1, plus rounding 1e-16 / 1e-6 = 1e-10
            final LayeredNetwork probe = new LayeredNetwork(c, new SplittableRandom(3), new SplittableRandom(4));
            for (int i = 0; i < before.length; i++) {
                final double[] p = before.clone();
                p[i] += 1e-6;
                probe.restore(p);
                final double up = loss(probe, x, t, loss);
                p[i] -= 2e-6;
                probe.restore(p);
                final double down = loss(probe, x, t, loss);
                final double gradient = (up - down) / 2e-6;
                assertEquals(-gradient, step[i] - before[i], 1e-8, loss + " parameter " + i);
            }
        }
    }

    private static double loss(final LayeredNetwork net, final double[] x, final double[] t,
                               final LayeredNetwork.Loss loss) {
        final double[] y = new double[t.length];
        net.predict(x, y);
        double s = 0;
        for (int i = 0; i < t.length; i++) {
            s += loss == LayeredNetwork.Loss.SQUARED_ERROR ? 0.5 * (y[i] - t[i]) * (y[i] - t[i])
                    : -t[i] * Math.log(y[i]);
        }
        return s;
    }

    @Test
    void theAngleIsThatBetweenTheFirstLayersUpdatesOfTheRuleAndOfBackprop() {
        for (final Feedback rule : List.of(Feedback.FEEDBACK_ALIGNMENT, Feedback.DIRECT_FEEDBACK_ALIGNMENT,
                Feedback.KICKBACK)) {
            // GIVEN a network whose second hidden layer is wider than its first (4-3-7-2, or 4-3-7-1 for Kickback)
            final int[] sizes = {4, 3, 7, rule == Feedback.KICKBACK ? 1 : 2};
            final LayeredNetwork.Config c = new LayeredNetwork.Config(sizes, Activation.TANH, Activation.LINEAR,
                    LayeredNetwork.Loss.SQUARED_ERROR, rule, new double[] {0.1, 0.1, 0.1}, 1.0, true, 0.5, true);
            final LayeredNetwork mine = new LayeredNetwork(c, new SplittableRandom(8), new SplittableRandom(9));
            final LayeredNetwork bp = new LayeredNetwork(c.withFeedback(Feedback.BACKPROP), new SplittableRandom(8),
                    new SplittableRandom(9));
            final double[] w1 = mine.weights(1);
            final SplittableRandom r = new SplittableRandom(10);
            final double[] x = r.doubles(4, -1, 1).toArray();
            final double[] t = r.doubles(sizes[3], -1, 1).toArray();
            // WHEN both train on one pattern from the same forward weights
            mine.train(x, t);
            bp.train(x, t);
            // THEN the reported angle is the angle between the two updates of W_1, computed from the weights (the
            // same numbers by another route; 1e-9 degrees leaves room for the rounding of the two sums only)
            final double[] a = mine.weights(1);
            final double[] b = bp.weights(1);
            double dot = 0;
            double na = 0;
            double nb = 0;
            for (int i = 0; i < w1.length; i++) {
                final double da = a[i] - w1[i];
                final double db = b[i] - w1[i];
                dot += da * db;
                na += da * da;
                nb += db * db;
            }
            final double expected = Math.toDegrees(Math.acos(dot / Math.sqrt(na * nb)));
            assertEquals(expected, mine.hiddenUpdateAngle(), 1e-9, rule.label());
            assertEquals(0.0, bp.hiddenUpdateAngle(), rule.label());
        }
    }

    @Test
    void withOneHiddenLayerKickbackIsBackpropAndDirectFeedbackAlignmentIsFeedbackAlignment() {
        // GIVEN XOR (one hidden layer, one output) and the linear task (one hidden layer)
        final Task xor = new XorTask();
        final LearningRun bp = new LearningRun(xor, LearningRun.network(xor, Feedback.BACKPROP, 2));
        final LearningRun kb = new LearningRun(xor, LearningRun.network(xor, Feedback.KICKBACK, 2));
        final Task linear = ImitationTask.linear(2);
        final LearningRun fa = new LearningRun(linear.copy(), LearningRun.network(linear, Feedback.FEEDBACK_ALIGNMENT, 2));
        final LearningRun dfa = new LearningRun(linear.copy(),
                LearningRun.network(linear, Feedback.DIRECT_FEEDBACK_ALIGNMENT, 2));
        // WHEN each trains 1,000 patterns
        bp.train(1000, 500, null);
        kb.train(1000, 500, null);
        fa.train(1000, 500, null);
        dfa.train(1000, 500, null);
        // THEN the pairs end with the same weights, bit for bit: with a linear output the kickback of the last
        // hidden layer is the output weight itself, and a layer whose feedback comes from the output has B = D
        assertArrayEquals(bp.learner().state(), kb.learner().state());
        assertArrayEquals(fa.learner().state(), dfa.learner().state());
        // and the rules are not all the same: feedback alignment is not backprop (their weights differ by up to 1.5
        // after 1,000 patterns, against weights of size 0.9; a tenth of that would still tell them apart)
        final LearningRun bpLinear = new LearningRun(linear.copy(), LearningRun.network(linear, Feedback.BACKPROP, 2));
        bpLinear.train(1000, 500, null);
        assertTrue(maxDifference(bpLinear.learner().state(), fa.learner().state()) > 0.1);
    }

    private static double maxDifference(final double[] a, final double[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }

    @Test
    void everyRuleLearnsTheNonlinearTaskAndTheHiddenLayersMatter() {
        // GIVEN the nonlinear 30-20-10-10 imitation task, seed 1
        final Task task = ImitationTask.nonlinear(1);
        double shallow = Double.NaN;
        double initial = Double.NaN;
        final double[] end = new double[Feedback.values().length];
        for (final Feedback rule : List.of(Feedback.BACKPROP, Feedback.FEEDBACK_ALIGNMENT,
                Feedback.DIRECT_FEEDBACK_ALIGNMENT, Feedback.SHALLOW)) {
            // WHEN each rule trains 20,000 patterns from the same weights
            final LearningRun run = new LearningRun(task.copy(), LearningRun.network(task, rule, 1));
            run.train(20_000, 20_000, null);
            initial = run.curve().get(0).testError();
            end[rule.ordinal()] = run.curve().get(1).testError();
            if (rule == Feedback.SHALLOW) {
                shallow = end[rule.ordinal()];
            }
        }
        // THEN (measured: from 0.040, backprop 0.0011, FA 0.0014, DFA 0.0013, shallow 0.0149) every rule that
        // trains the hidden layers ends below a tenth of the initial error and below half the shallow learner's,
        // which itself learns (below 0.6 of the initial error): margins of 3x and more against the measured values
        assertTrue(shallow < 0.6 * initial, "shallow " + shallow + " from " + initial);
        for (final Feedback rule : List.of(Feedback.BACKPROP, Feedback.FEEDBACK_ALIGNMENT,
                Feedback.DIRECT_FEEDBACK_ALIGNMENT)) {
            final double e = end[rule.ordinal()];
            assertTrue(e < 0.1 * initial && e < 0.5 * shallow, rule + " ends at " + e + " (initial " + initial
                    + ", shallow " + shallow + ")");
        }
    }

    @Test
    void kickbackLearnsTheScalarTaskWithTwoHiddenLayers() {
        // GIVEN the one-output task 30-20-10-1 with rectifiers, where Kickback differs from backprop in layer 1
        final Task task = ImitationTask.scalar(1);
        final LearningRun kb = new LearningRun(task.copy(), LearningRun.network(task, Feedback.KICKBACK, 1));
        final LearningRun sh = new LearningRun(task.copy(), LearningRun.network(task, Feedback.SHALLOW, 1));
        // WHEN both train 20,000 patterns
        kb.train(20_000, 10_000, null);
        sh.train(20_000, 10_000, null);
        // THEN (measured: from 0.0267, Kickback 0.0008, shallow 0.0166) Kickback ends below a tenth of the initial
        // error and of the shallow learner's, and its first-layer updates point within 60 degrees of backprop's
        // (measured 38-45 over the last 10,000 patterns; random directions would be at 90)
        final double initial = kb.curve().get(0).testError();
        final double kickback = kb.curve().get(2).testError();
        final double shallow = sh.curve().get(2).testError();
        assertTrue(kickback < 0.1 * initial && kickback < 0.1 * shallow, kickback + " " + initial + " " + shallow);
        assertTrue(kb.curve().get(2).angleDeg() < 60, "angle " + kb.curve().get(2).angleDeg());
    }

    @Test
    void feedbackAlignmentAlignsBelowNinetyDegreesOnTheLinearTask() {
        // GIVEN the linear 30-20-10 task of Lillicrap et al. (2016)
        final Task task = ImitationTask.linear(1);
        final LearningRun fa = new LearningRun(task.copy(), LearningRun.network(task, Feedback.FEEDBACK_ALIGNMENT, 1));
        // WHEN feedback alignment trains 4,000 patterns
        fa.train(4000, 2000, null);
        // THEN the error falls by a factor of 100 (measured: 10.5 to below 1e-4), and its hidden updates point
        // within 60 degrees of backprop's (measured 30; the paper's Fig. 2 shows the angle falling well below 90)
        final List<LearningRun.Point> c = fa.curve();
        assertTrue(c.get(2).testError() < 0.01 * c.get(0).testError(), c.toString());
        assertTrue(c.get(2).angleDeg() < 60, c.toString());
    }

    @Test
    void xorIsLearnedByEveryRuleThatTrainsItsHiddenLayer() {
        final Task xor = new XorTask();
        for (final Feedback rule : List.of(Feedback.BACKPROP, Feedback.FEEDBACK_ALIGNMENT,
                Feedback.DIRECT_FEEDBACK_ALIGNMENT, Feedback.KICKBACK)) {
            final LearningRun run = new LearningRun(xor, LearningRun.network(xor, rule, 1));
            // WHEN it trains 4,000 presentations (1,000 of each combination; measured: all rules right after 800)
            run.train(4000, 4000, null);
            // THEN it classifies all four combinations
            assertEquals(0.0, run.curve().get(1).testError(), rule.label());
        }
    }

    @Test
    void aResumedRunContinuesBitForBit() {
        // GIVEN a run of 3,000 patterns and one stopped after 1,234 and resumed from its state in a new learner
        final Task task = ImitationTask.nonlinear(4);
        final LearningRun whole = new LearningRun(task.copy(), LearningRun.network(task, Feedback.FEEDBACK_ALIGNMENT, 4));
        whole.train(3000, 1000, null);
        final LearningRun first = new LearningRun(task.copy(), LearningRun.network(task, Feedback.FEEDBACK_ALIGNMENT, 4));
        final int[] polls = {0};
        assertTrue(!first.train(3000, 1000, () -> polls[0]++ == 1234));
        final LearningRun second = new LearningRun(task.copy(), LearningRun.network(task, Feedback.FEEDBACK_ALIGNMENT, 4));
        second.resume(first.learner().state(), first.done(), first.curve());
        second.train(3000, 1000, null);
        // THEN both end with the same weights and the same test errors (angles are averaged over what each saw)
        assertEquals(1234, first.done());
        assertArrayEquals(whole.learner().state(), second.learner().state());
        assertEquals(whole.curve().get(3).testError(), second.curve().get(3).testError());
    }

    @Test
    void badConfigurationsNameTheFieldAtFault() {
        final IllegalArgumentException kickback = assertThrows(IllegalArgumentException.class,
                () -> LearningRun.network(ImitationTask.nonlinear(1), Feedback.KICKBACK, 1));
        assertTrue(kickback.getMessage().contains("one output"), kickback.getMessage());
        final IllegalArgumentException rates = assertThrows(IllegalArgumentException.class,
                () -> new LayeredNetwork.Config(new int[] {2, 3, 1}, Activation.TANH, Activation.LINEAR,
                        LayeredNetwork.Loss.SQUARED_ERROR, Feedback.BACKPROP, new double[] {0.1}, 1, true, 1, true));
        assertTrue(rates.getMessage().contains("learningRates"), rates.getMessage());
        final IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> Feedback.of("feedback-alignmnet"));
        assertTrue(unknown.getMessage().contains("feedback-alignment"), unknown.getMessage());
    }
}
