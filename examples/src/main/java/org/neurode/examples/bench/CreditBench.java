package org.neurode.examples.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.neurode.models.credit.ImageTask;
import org.neurode.models.credit.Learner;
import org.neurode.models.credit.Rules;
import org.neurode.models.credit.Task;
import org.neurode.models.tasks.FashionMnist;

/**
 * {@code neurode bench credit}: online training speed of two learners of the learning-rule comparison on
 * Fashion-MNIST 784-500-10, one pattern at a time on one thread: {@code backprop} (the {@code LayeredNetwork}, softmax
 * and cross-entropy) and {@code microcircuit-steady} (the two-pass steady-state dendritic microcircuit), each from
 * {@link Rules#of}{@code (rule).learner(task, 1, factor)} as {@code compare-learning} builds them, at the
 * learning-rate factors of {@link #RATE_SCALES}. Each rule has its own learner and its own copy of the task (the
 * same presentation order); after an untimed warm-up round the two rules take turns for {@link #ROUNDS} timed
 * rounds, each continuing its learner's training through the epoch. Each rule is reported by the median of its
 * rounds in patterns per second (with the best and worst), its test error after all the patterns it trained, and the
 * ratio to an idiomatic NumPy implementation of the same rule measured on this machine class
 * ({@code examples/scripts/credit_numpy.py}, one BLAS thread; docs/performance.md).
 */
public final class CreditBench {

    /** The rules timed, in order. */
    public static final List<String> RULES = List.of("backprop", "microcircuit-steady");
    /**
     * The learning-rate factor of each rule: the ones the Fashion-MNIST comparison's scan chose (backprop 1, the
     * steady-state microcircuit 0.25). At 0.25 no pattern needs the microcircuit's sub-steps (measured: none of
     * 110,000), so the rule timed is the one-step two-pass form that the NumPy script implements.
     */
    public static final List<Double> RATE_SCALES = List.of(1.0, 0.25);
    /** Timed rounds per rule (after one warm-up round). */
    public static final int ROUNDS = 5;
    /** Hidden units. */
    public static final int HIDDEN = 500;
    /** The learners' seed and the task's order seed. */
    public static final long SEED = 1;
    /**
     * NumPy 2.4 (OpenBLAS, one thread), {@code examples/scripts/credit_numpy.py} with its defaults (np.outer updates,
     * one epoch timed in five rounds), backprop: the mean of two runs' medians on the quiet 2-core development VM,
     * 2026-12-05 (2,401-2,423; docs/performance.md). Rerun the script for this machine's figure.
     */
    public static final double NUMPY_BACKPROP_PATTERNS_PER_SECOND = 2412;
    /** The same for the steady-state microcircuit at factor 0.25 (2,145-2,435). */
    public static final double NUMPY_MICROCIRCUIT_PATTERNS_PER_SECOND = 2290;

    private CreditBench() {
    }

    /**
     * @param folder the folder of the Fashion-MNIST IDX files
     * @return the 784-500-10 task on them
     * @throws org.neurode.core.OdeException naming the Debian package {@code dataset-fashion-mnist} if the files are
     *                                       missing
     */
    public static ImageTask fashionMnist(final Path folder) {
        return ImageTask.fashionMnist(SEED, FashionMnist.train(folder), FashionMnist.test(folder),
                new int[] {HIDDEN});
    }

    /**
     * @param task     the image task (Fashion-MNIST, or the bundled subset in tests)
     * @param patterns patterns per round
     * @param rounds   timed rounds per rule (after one warm-up round each)
     * @return one entry per rule
     */
    public static List<Map<String, Object>> run(final ImageTask task, final int patterns, final int rounds) {
        final int count = RULES.size();
        final Learner[] learners = new Learner[count];
        final Task[] tasks = new Task[count];
        for (int k = 0; k < count; k++) {
            tasks[k] = task.copy();
            learners[k] = Rules.of(RULES.get(k)).learner(tasks[k], SEED, RATE_SCALES.get(k));
        }
        final double[] input = new double[task.inputs()];
        final double[] target = new double[task.outputs()];
        final long[] done = new long[count];
        final double[][] rates = new double[count][rounds];
        for (int round = -1; round < rounds; round++) {
            for (int k = 0; k < count; k++) {
                final long t0 = System.nanoTime();
                for (int i = 0; i < patterns; i++) {
                    tasks[k].trainingPattern(done[k]++, input, target);
                    learners[k].train(input, target);
                }
                final double seconds = (System.nanoTime() - t0) * 1e-9;
                if (round >= 0) {
                    rates[k][round] = patterns / seconds;
                }
            }
        }
        final List<Map<String, Object>> out = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            final double[] r = rates[k].clone();
            Arrays.sort(r);
            final double median = r[rounds / 2];
            final double numpy = RULES.get(k).equals("backprop") ? NUMPY_BACKPROP_PATTERNS_PER_SECOND
                    : NUMPY_MICROCIRCUIT_PATTERNS_PER_SECOND;
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("rule", RULES.get(k));
            m.put("task", task.name());
            m.put("sizes", task.network(org.neurode.models.credit.Feedback.BACKPROP).sizes());
            m.put("threads", 1);
            m.put("patternsPerRound", patterns);
            m.put("rounds", rounds);
            m.put("patternsTrained", done[k]);
            m.put("patternsPerSecond", median);
            m.put("patternsPerSecondBest", r[rounds - 1]);
            m.put("patternsPerSecondWorst", r[0]);
            m.put("microsecondsPerPattern", 1e6 / median);
            m.put("testError", testError(tasks[k], learners[k]));
            m.put("numpyPatternsPerSecond", numpy);
            m.put("speedupOverNumpy", median / numpy);
            out.add(m);
        }
        return out;
    }

    private static double testError(final Task task, final Learner learner) {
        final double[] input = new double[task.inputs()];
        final double[] target = new double[task.outputs()];
        final double[] output = new double[task.outputs()];
        double sum = 0;
        for (int i = 0; i < task.testSize(); i++) {
            task.testPattern(i, input, target);
            learner.predict(input, output);
            sum += task.error(output, target);
        }
        return sum / task.testSize();
    }
}
