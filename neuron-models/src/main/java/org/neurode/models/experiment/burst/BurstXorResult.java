package org.neurode.models.experiment.burst;

import java.util.List;

import org.neurode.models.experiment.RunStatus;

/**
 * What a training run of the spiking XOR network of Payeur, Guerguiev, Zenke, Richards and Naud (2021, Nat.
 * Neurosci. 24:1010, Fig. 4) measured ({@link BurstXorExperiment}): the output's event rate per input pattern
 * before and after training, and the cost per epoch.
 *
 * @param settings         the settings of the run
 * @param status           how it ended ({@link RunStatus#INTERRUPTED}: the rates of the tests not run are NaN)
 * @param message          why it failed or stopped (null on success)
 * @param examplesDone     training examples done (whole epochs unless stopped)
 * @param patterns         per input pattern, in the paper's order: the rates before and after training (the rows
 *                         of {@code rates.csv})
 * @param costs            the mean cost of the four examples of each epoch (the rows of {@code cost.csv})
 * @param xorMarginHz      after training: the lower of the rates for (1,0) and (0,1) minus the higher of those for
 *                         (0,0) and (1,1) (Hz; positive when the output computes XOR; NaN without the final test)
 * @param simulatedSeconds simulated time of the whole run, resumed parts included (s)
 * @param runSeconds       wall time since the run was built or restored, its network's construction included (s;
 *                         not reproducible)
 * @since 0.7
 */
public record BurstXorResult(BurstXorSettings settings, RunStatus status, String message, int examplesDone,
                             List<PatternRates> patterns, List<EpochCost> costs, double xorMarginHz,
                             double simulatedSeconds, double runSeconds) {

    /**
     * The output's response to one input pattern, tested without plasticity for one example's duration.
     *
     * @param pattern     index of the pattern (0 to 3)
     * @param input1      the first input bit
     * @param input2      the second input bit
     * @param target      the XOR of the bits
     * @param rateBefore  event rate of the output over the second half of the example, before training (Hz; NaN if
     *                    not tested)
     * @param rateAfter   the same after training (Hz; NaN if not tested)
     * @param traceBefore the output's mean event trace at the end of the example before training (Hz)
     * @param traceAfter  the same after training (Hz)
     */
    public record PatternRates(int pattern, int input1, int input2, int target, double rateBefore, double rateAfter,
                               double traceBefore, double traceAfter) {
    }

    /**
     * The cost of one epoch.
     *
     * @param epoch the epoch, from 1
     * @param cost  mean binary cross-entropy of its four examples at the end of their prediction phases (nats)
     */
    public record EpochCost(int epoch, double cost) {
    }
}
