package org.neurode.models.credit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * The ensemble-multiplexing network (Richards, ICLR 2018 talk; the lab's time-stepped code): its deltas in closed
 * form, learning, resuming, allocation and configuration errors.
 */
class EnsembleNetworkTest {

    private static final int[] SIZES = {4, 5, 3, 2};
    private static final double OMEGA = 0.2;

    /**
     * One pattern on a 4-5-3-2 network with tanh hidden layers (run as (1 + tanh) / 2), a linear output, learning
     * rates 1, Y ~ U(-s, s) and Z = 0: the output's deviation from omega^2 (h - y) and the largest relative
     * deviation of a hidden delta from sigma'(0) h_l * (Y_l delta_{l+1}).
     */
    private static double[] deviations(final double feedbackScale) {
        final LayeredNetwork.Config c = new LayeredNetwork.Config(SIZES, Activation.TANH, Activation.LINEAR,
                LayeredNetwork.Loss.SQUARED_ERROR, Feedback.FEEDBACK_ALIGNMENT, new double[] {1, 1, 1}, 1.0, true,
                feedbackScale, true);
        final EnsembleNetwork net = new EnsembleNetwork(new EnsembleNetwork.Config(c, OMEGA, 0.2, 0.3, 0, 0.05, 0),
                new SplittableRandom(3), new SplittableRandom(4));
        final SplittableRandom r = new SplittableRandom(5);
        final double[] x = r.doubles(4, -1, 1).toArray();
        final double[] t = r.doubles(2, -1, 1).toArray();
        // the settled event rates from the initial weights (biases 0)
        final int top = SIZES.length - 1;
        final double[][] h = new double[SIZES.length][];
        h[0] = x;
        for (int k = 1; k <= top; k++) {
            final double[] w = net.weights(k);
            h[k] = new double[SIZES[k]];
            for (int i = 0; i < SIZES[k]; i++) {
                double s = 0;
                for (int j = 0; j < SIZES[k - 1]; j++) {
                    s += w[i * SIZES[k - 1] + j] * h[k - 1][j];
                }
                h[k][i] = k == top ? s : 0.5 * (1 + Math.tanh(s));
                // p is near 1/2, so beta = p h stays below the box's upper edge 0.5 if h < 0.9
                assertTrue(k == top || h[k][i] < 0.9, "h = " + h[k][i]);
            }
        }
        final double[] before = net.state();
        net.train(x, t);
        final double[] after = net.state();
        final double[][] d = new double[SIZES.length][];
        int at = 0;
        for (int k = 1; k <= top; k++) {
            at += SIZES[k] * SIZES[k - 1];
            d[k] = new double[SIZES[k]];
            for (int i = 0; i < SIZES[k]; i++) {
                d[k][i] = -(after[at + i] - before[at + i]);
            }
            at += SIZES[k];
        }
        double output = 0;
        for (int i = 0; i < SIZES[top]; i++) {
            output = Math.max(output, Math.abs(d[top][i] - OMEGA * OMEGA * (h[top][i] - t[i])));
        }
        double hidden = 0;
        for (int l = top - 1; l >= 1; l--) {
            final double[] y = net.feedbackWeights(l);
            for (int j = 0; j < SIZES[l]; j++) {
                double s = 0;
                for (int m = 0; m < SIZES[l + 1]; m++) {
                    s += y[j * SIZES[l + 1] + m] * d[l + 1][m];
                }
                hidden = Math.max(hidden, Math.abs(d[l][j] / (0.25 * h[l][j] * s) - 1));
            }
        }
        return new double[] {output, hidden};
    }

    @Test
    void theOutputDeltaIsOmegaSquaredTimesTheGradientAndHiddenDeltasFollowTheBurstRateChangeToFirstOrder() {
        // GIVEN / WHEN one pattern at feedback scales 0.1 and 0.01
        final double[] coarse = deviations(0.1);
        final double[] fine = deviations(0.01);
        // THEN the nudge changes the output's delta to omega^2 (h - y) (times the slope 1), up to the rounding of
        // omega y - omega h, a few 1e-17 (measured 3.5e-18)
        assertTrue(coarse[0] < 1e-15 && fine[0] < 1e-15, coarse[0] + " " + fine[0]);
        // and each hidden delta is sigma'(0) h_l * (Y_l delta_{l+1}) to first order in the apical input: the relative
        // deviation is second order, falling 100-fold per decade of s (measured 3.8e-4 and 3.8e-6); asked: 30-fold,
        // and below 1e-4 at s = 0.01
        assertTrue(coarse[1] > 30 * fine[1], coarse[1] + " -> " + fine[1]);
        assertTrue(fine[1] < 1e-4, "at s = 0.01: " + fine[1]);
    }

    @Test
    void theEnsembleLearnsXorAndTheNonlinearTask() {
        // GIVEN the registered rule, seed 1
        final Rule rule = Rules.of(EnsembleNetwork.LABEL);
        final Task xor = new XorTask();
        final LearningRun x = new LearningRun(xor, rule.learner(xor, 1, 1.0));
        final Task nonlinear = ImitationTask.nonlinear(1);
        final LearningRun nl = new LearningRun(nonlinear.copy(), rule.learner(nonlinear, 1, 1.0));
        // WHEN it trains 20,000 XOR presentations and 20,000 patterns of the nonlinear task
        x.train(20_000, 20_000, null);
        nl.train(20_000, 20_000, null);
        // THEN XOR is classified (measured: from 7,000 presentations on for seeds 1 and 2, 4,000 for seed 3)
        assertEquals(0.0, x.curve().get(1).testError());
        // and the nonlinear task's error ends below a fifth of the initial one (measured: 0.117 to 0.0090, 7.6%;
        // seeds 2 and 3 6.1% and 11%; the shallow learner ends at 0.015)
        final double initial = nl.curve().get(0).testError();
        final double end = nl.curve().get(1).testError();
        assertTrue(end < 0.2 * initial, end + " from " + initial);
    }

    @Test
    void aResumedRunContinuesBitForBit() {
        // GIVEN a run of 3,000 patterns and one stopped after 1,234 and resumed from its state in a new learner (the
        // activity carried between patterns is not in the state: it must not matter), with Z learning on
        final Task task = ImitationTask.nonlinear(4);
        final EnsembleNetwork.Config d = EnsembleNetwork.Config.forTask(task, 1.0);
        final EnsembleNetwork.Config c = new EnsembleNetwork.Config(d.network(), d.outputBurst(), d.boxCentre(),
                d.boxHalfWidth(), 1e-3, d.desiredApical(), d.recurrentInit());
        final LearningRun whole = new LearningRun(task.copy(), learner(c, 4));
        whole.train(3000, 1000, null);
        final LearningRun first = new LearningRun(task.copy(), learner(c, 4));
        final int[] polls = {0};
        assertTrue(!first.train(3000, 1000, () -> polls[0]++ == 1234));
        final LearningRun second = new LearningRun(task.copy(), learner(c, 4));
        second.resume(first.learner().state(), first.done(), first.curve());
        second.train(3000, 1000, null);
        // THEN both end with the same weights and the same test errors
        assertEquals(1234, first.done());
        assertArrayEquals(whole.learner().state(), second.learner().state());
        assertEquals(whole.curve().get(3).testError(), second.curve().get(3).testError());
    }

    private static EnsembleNetwork learner(final EnsembleNetwork.Config c, final long seed) {
        return new EnsembleNetwork(c, LearningRun.studentRandom(seed), LearningRun.feedbackRandom(seed));
    }

    @Test
    void trainingAndPredictionAllocateNothing() {
        // GIVEN the ensemble on the nonlinear task's student, warmed up
        final Task task = ImitationTask.nonlinear(1);
        final EnsembleNetwork net = learner(EnsembleNetwork.Config.forTask(task, 1.0), 1);
        final double[] x = new double[30];
        final double[] t = new double[10];
        final double[] y = new double[10];
        task.trainingPattern(0, x, t);
        for (int i = 0; i < 20_000; i++) {
            net.train(x, t);
            net.predict(x, y);
        }
        // WHEN 20,000 more patterns train and predict
        final long before = Allocations.allocatedBytes();
        for (int i = 0; i < 20_000; i++) {
            net.train(x, t);
            net.predict(x, y);
        }
        final long bytes = Allocations.allocatedBytes() - before;
        // THEN nothing is allocated (a few hundred bytes of slack for the measurement itself)
        assertTrue(bytes < 1024, "allocated " + bytes + " bytes");
    }

    @Test
    void badConfigurationsNameTheFieldAtFault() {
        final LayeredNetwork.Config c = new XorTask().network(Feedback.BACKPROP);
        final IllegalArgumentException omega = assertThrows(IllegalArgumentException.class,
                () -> new EnsembleNetwork.Config(c, 1.5, 0.2, 0.3, 0, 0.05, 0.01));
        assertTrue(omega.getMessage().startsWith("outputBurst"), omega.getMessage());
        final IllegalArgumentException width = assertThrows(IllegalArgumentException.class,
                () -> new EnsembleNetwork.Config(c, 0.2, 0.2, 0, 0, 0.05, 0.01));
        assertTrue(width.getMessage().startsWith("boxHalfWidth"), width.getMessage());
        final IllegalArgumentException rate = assertThrows(IllegalArgumentException.class,
                () -> new EnsembleNetwork.Config(c, 0.2, 0.2, 0.3, Double.POSITIVE_INFINITY, 0.05, 0.01));
        assertTrue(rate.getMessage().startsWith("recurrentRate"), rate.getMessage());
        final IllegalArgumentException init = assertThrows(IllegalArgumentException.class,
                () -> new EnsembleNetwork.Config(c, 0.2, 0.2, 0.3, 0, 0.05, -1));
        assertTrue(init.getMessage().startsWith("recurrentInit"), init.getMessage());
        // a linear hidden layer has no non-negative event rate: the rule says so and refuses the linear task
        final LayeredNetwork.Config linear = ImitationTask.linear(1).network(Feedback.BACKPROP);
        final IllegalArgumentException hidden = assertThrows(IllegalArgumentException.class,
                () -> new EnsembleNetwork.Config(linear, 0.2, 0.2, 0.3, 0, 0.05, 0.01));
        assertTrue(hidden.getMessage().startsWith("network.hidden"), hidden.getMessage());
        final Rule rule = Rules.of(EnsembleNetwork.LABEL);
        assertNotNull(rule.notApplicable(ImitationTask.linear(1)));
        assertNull(rule.notApplicable(ImitationTask.scalar(1)));
        assertThrows(IllegalArgumentException.class, () -> rule.learner(ImitationTask.linear(1), 1, 1.0));
        final EnsembleNetwork net = learner(new EnsembleNetwork.Config(c, 0.2, 0.2, 0.3, 0, 0.05, 0.01), 1);
        final IllegalArgumentException state = assertThrows(IllegalArgumentException.class,
                () -> net.restore(new double[3]));
        assertTrue(state.getMessage().startsWith("state"), state.getMessage());
    }
}
