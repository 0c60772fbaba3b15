package org.neurode.models.credit;

/**
 * A supervised task of the comparison: a stream of training patterns that is a function of (seed, index) only, so
 * every learner sees the same patterns in the same order and a resumed run continues with the pattern it stopped
 * at; a fixed test set; the error measure; and the student network the task is studied with. Implementations are
 * immutable apart from scratch space: give each thread its own task ({@link #copy()}).
 *
 * @since 0.1
 */
public interface Task {

    /** @return the name as the command line spells it */
    String name();

    /** @return input size */
    int inputs();

    /** @return output size */
    int outputs();

    /** @return true if the error is the fraction misclassified, false for the squared error */
    boolean classification();

    /**
     * @param index pattern index from 0
     * @param input input (modified)
     * @param target target (modified)
     */
    void trainingPattern(long index, double[] input, double[] target);

    /** @return the number of test patterns */
    int testSize();

    /**
     * @param index  test pattern 0..testSize()-1
     * @param input  input (modified)
     * @param target target (modified)
     */
    void testPattern(int index, double[] input, double[] target);

    /**
     * @return the number of validation patterns: patterns of the training distribution that are never trained on,
     *         on which a learning-rate scan chooses (so that the test set stays unseen)
     */
    default int validationSize() {
        return Math.min(testSize(), 1000);
    }

    /**
     * A validation pattern. By default the training stream's pattern {@code 2^62 + index}, which no run reaches.
     *
     * @param index  validation pattern 0..validationSize()-1
     * @param input  input (modified)
     * @param target target (modified)
     */
    default void validationPattern(final int index, final double[] input, final double[] target) {
        trainingPattern((1L << 62) + index, input, target);
    }

    /**
     * The error of one prediction: 1 or 0 for a wrong or right class (the largest output against the one-hot
     * target), or the squared error averaged over the outputs.
     *
     * @param prediction the learner's output (not modified)
     * @param target     the target (not modified)
     * @return the error
     */
    default double error(final double[] prediction, final double[] target) {
        if (classification()) {
            return argmax(prediction) == argmax(target) ? 0.0 : 1.0;
        }
        double s = 0;
        for (int i = 0; i < target.length; i++) {
            final double d = prediction[i] - target[i];
            s += d * d;
        }
        return s / target.length;
    }

    /**
     * The student network this task is studied with, for a rule.
     *
     * @param rule the learning rule
     * @return the network's configuration
     */
    LayeredNetwork.Config network(Feedback rule);

    /**
     * @param rule a learning rule
     * @return null if the rule applies to this task, else why not (e.g. Kickback needs one output)
     */
    default String notApplicable(final Feedback rule) {
        final String why = rule.unsupported(outputs());
        return why == null ? null : why + " (task " + name() + ")";
    }

    /** @return a task with the same patterns and its own scratch space, for another thread */
    Task copy();

    /**
     * @param v values
     * @return the index of the largest (the first of equals)
     */
    static int argmax(final double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
