package org.neurode.models.experiment.learning;

import java.util.List;

import org.neurode.models.credit.LearningRun;
import org.neurode.models.experiment.RunStatus;

/**
 * What a comparison of learning rules ({@link CompareLearning}) measured. Test errors are the task's: the fraction
 * misclassified for classification tasks, else the mean squared error.
 *
 * @param settings  the settings of the comparison
 * @param status    {@link RunStatus#SUCCESS}, or {@link RunStatus#INTERRUPTED} by a stop request (then
 *                  {@code runs} and the tables hold the runs finished); a run whose error stopped being finite is
 *                  a run with status FAILED, not a failed comparison
 * @param message   why it stopped (null on success)
 * @param testEvery patterns between test points
 * @param tasks     the tasks compared, in order
 * @param rules     the rules' labels, in order
 * @param runs      the runs per task, rule and seed, in that order (rules that do not apply to a task left out)
 * @param scanRuns  the runs of the learning-rate scan per task, rule and factor (empty without a scan)
 * @param summary   per task and rule (in that order): the final test error over the seeds
 * @param rateScan  per task, rule and factor: the scan's validation error and whether it was chosen
 * @param notRun    the rules that do not apply to a task, and why ({@code "<rule> on <task>: <why>"})
 * @since 0.7
 */
public record CompareLearningResult(CompareLearningSettings settings, RunStatus status, String message,
                                    int testEvery, List<TaskInfo> tasks, List<String> rules, List<Run> runs,
                                    List<Run> scanRuns, List<SummaryRow> summary, List<ScanRow> rateScan,
                                    List<String> notRun) {

    /**
     * A task of the comparison.
     *
     * @param name           its name
     * @param classification true if its error is the fraction misclassified, false for a mean squared error
     * @param inputs         inputs of its network
     * @param outputs        outputs of its network
     */
    public record TaskInfo(String name, boolean classification, int inputs, int outputs) {
    }

    /**
     * One run (the command line's {@code runs/<id>.json} and {@code .csv}).
     *
     * @param id              {@link LearningJob#id()}
     * @param task            the task
     * @param rule            the rule's label
     * @param seed            the seed
     * @param rateScale       the learning-rate factor
     * @param patterns        training patterns
     * @param scan            true for a run of the learning-rate scan
     * @param status          {@link RunStatus#FAILED} if a test error was not finite, else SUCCESS
     * @param message         the first pattern count with an error that was not finite (null on success)
     * @param finalTestError  test error at the end
     * @param validationError error on the task's validation patterns at the end (NaN if an output is not finite)
     * @param seconds         wall time of the training and tests (s; of the last session if resumed; not
     *                        reproducible)
     * @param curve           the test error every {@code testEvery} patterns, from 0, with the mean angle of the
     *                        first hidden layer's update to backprop's over each interval (degrees; NaN if none)
     */
    public record Run(String id, String task, String rule, long seed, double rateScale, long patterns, boolean scan,
                      RunStatus status, String message, double finalTestError, double validationError,
                      double seconds, List<LearningRun.Point> curve) {

        /** @return the run's job */
        public LearningJob job() {
            return new LearningJob(task, rule, seed, rateScale, patterns, scan);
        }

        /**
         * A finished run: status {@link RunStatus#FAILED} if a test error of its curve is not finite.
         *
         * @param job             the job
         * @param curve           its curve (not empty)
         * @param validationError its validation error at the end
         * @param seconds         its wall time (s)
         * @return the run
         */
        public static Run of(final LearningJob job, final List<LearningRun.Point> curve, final double validationError,
                             final double seconds) {
            String message = null;
            for (final LearningRun.Point p : curve) {
                if (!Double.isFinite(p.testError())) {
                    message = "the test error is not finite from pattern " + p.patterns() + " on";
                    break;
                }
            }
            return new Run(job.id(), job.task(), job.rule(), job.seed(), job.scale(), job.patterns(), job.scan(),
                    message == null ? RunStatus.SUCCESS : RunStatus.FAILED, message,
                    curve.get(curve.size() - 1).testError(), validationError, seconds, List.copyOf(curve));
        }
    }

    /**
     * A row of the summary (a line of {@code summary.md}).
     *
     * @param task               the task
     * @param rule               the rule's label
     * @param seeds              runs (seeds)
     * @param rateScale          the learning-rate factor of the runs
     * @param finalTestErrorMean mean over the seeds of the final test error
     * @param finalTestErrorStd  its sample standard deviation (0 for one seed)
     * @param seconds            wall time of all seeds (s; not reproducible)
     * @param patternsPerSecond  training patterns per second (not reproducible)
     */
    public record SummaryRow(String task, String rule, int seeds, double rateScale, double finalTestErrorMean,
                             double finalTestErrorStd, double seconds, double patternsPerSecond) {
    }

    /**
     * A run of the learning-rate scan.
     *
     * @param task            the task
     * @param rule            the rule's label
     * @param rateScale       the factor
     * @param validationError validation error after the scan budget
     * @param chosen          true if the comparison runs at this factor
     */
    public record ScanRow(String task, String rule, double rateScale, double validationError, boolean chosen) {
    }
}
