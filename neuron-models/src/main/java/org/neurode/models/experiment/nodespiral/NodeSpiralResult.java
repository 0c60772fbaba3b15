package org.neurode.models.experiment.nodespiral;

import java.util.List;

import org.neurode.models.experiment.RunStatus;

/**
 * What a neural-ODE spiral run ({@link NodeSpiral}) measured. Losses are mean |pred - true| over the 1000 samples.
 *
 * @param settings                   the settings of the run
 * @param status                     how it ended ({@link RunStatus#FAILED}: the loss stopped being finite)
 * @param message                    why it failed or stopped (null on success)
 * @param optimizer                  the optimizer with its hyper-parameters
 * @param parameters                 trainable parameters
 * @param steps                      optimizer steps done (the failed one included)
 * @param initialLoss                test loss on the full trajectory before training
 * @param finalLoss                  test loss after training
 * @param bestLoss                   smallest test loss seen
 * @param finalTrainLoss             mean batch loss over the last test interval (NaN before the first)
 * @param heldOutInitialState        initial state of the held-out trajectory (never trained on)
 * @param heldOutInitialLoss         held-out loss before training
 * @param heldOutLoss                held-out loss after training
 * @param heldOutInitialPathDistance held-out path distance before training
 * @param heldOutPathDistance        held-out path distance after training ({@link NodeSpiral#pathDistance})
 * @param heldOutThreshold           the criterion on the path distance
 * @param heldOutReproduced          whether the held-out path distance is below it
 * @param curve                      the loss curve: before training, then every {@code testEvery} steps and at
 *                                   the end
 * @param trajectory                 the true and the learned trajectory from (2, 0)
 * @param heldOutTrajectory          the true and the learned held-out trajectory
 * @param trainSeconds               wall time of the optimizer steps without tests (s; not reproducible)
 * @param forwardSeconds             forward time per step (s; not reproducible)
 * @param backwardSeconds            backward time per step (s; not reproducible)
 * @param forwardEvaluations         vector-field evaluations of all forward passes
 * @param backwardEvaluations        evaluations of all backward passes
 * @param forwardSolverSteps         accepted forward integration steps
 * @param backwardSolverSteps        accepted backward (adjoint) or reversed (backprop) steps
 * @param rejectedSolverSteps        rejected integration steps
 * @since 0.2
 */
public record NodeSpiralResult(NodeSpiralSettings settings, RunStatus status, String message, String optimizer,
                               int parameters, long steps, double initialLoss, double finalLoss, double bestLoss,
                               double finalTrainLoss, List<Double> heldOutInitialState, double heldOutInitialLoss,
                               double heldOutLoss, double heldOutInitialPathDistance, double heldOutPathDistance,
                               double heldOutThreshold, boolean heldOutReproduced, List<LossPoint> curve,
                               List<PhasePoint> trajectory, List<PhasePoint> heldOutTrajectory, double trainSeconds,
                               double forwardSeconds, double backwardSeconds, long forwardEvaluations,
                               long backwardEvaluations, long forwardSolverSteps, long backwardSolverSteps,
                               long rejectedSolverSteps) {

    /**
     * A point of the loss curve (a row of {@code loss.csv}).
     *
     * @param iteration    steps done
     * @param trainLoss    mean batch loss since the previous point (NaN at 0)
     * @param testLoss     loss on the full trajectory
     * @param heldOutLoss  loss on the held-out trajectory
     */
    public record LossPoint(int iteration, double trainLoss, double testLoss, double heldOutLoss) {
    }

    /**
     * A sample of a true and a learned trajectory.
     *
     * @param t        time
     * @param trueY1   true first coordinate
     * @param trueY2   true second coordinate
     * @param learnedY1 learned first coordinate
     * @param learnedY2 learned second coordinate
     */
    public record PhasePoint(double t, double trueY1, double trueY2, double learnedY1, double learnedY2) {
    }
}
