package org.neurode.models.experiment.learning;

/**
 * One run of a comparison ({@link CompareLearning}): a rule on a task for a seed at a learning-rate factor.
 *
 * @param task     the task's name
 * @param rule     the rule's label
 * @param seed     the seed of the task and the student
 * @param scale    the learning-rate factor
 * @param patterns training patterns
 * @param scan     true for a run of the learning-rate scan
 * @since 0.7
 */
public record LearningJob(String task, String rule, long seed, double scale, long patterns, boolean scan) {

    /**
     * @return the run's name, {@code <task>-<rule>-seed<s>}, or {@code scan-<task>-<rule>-x<factor>} for the
     *         scan (the command line's file names)
     */
    public String id() {
        return scan ? "scan-" + task + "-" + rule + "-x" + compact(scale) : task + "-" + rule + "-seed" + seed;
    }

    /**
     * @param v a number
     * @return it without a trailing {@code .0} ({@code 4}, {@code 0.25}, {@code 1e-5})
     */
    public static String compact(final double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v).replace(".0E", "e").replace('E', 'e');
    }
}
