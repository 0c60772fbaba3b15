package org.neurode.examples.ctnn;

/**
 * The {@code results.json} of {@code neurode node-spiral} (written last, so its presence means the run ended).
 *
 * @param command                    "node-spiral"
 * @param status                     SUCCESS, or FAILED if the loss became non-finite
 * @param gradient                   adjoint or backprop
 * @param solver                     integration method of training (rk4, tsit5, vern6-9, dop853) and the
 *                                   registered solver of the test predictions
 * @param rtol                       relative tolerance (adaptive methods; absent for rk4)
 * @param atol                       absolute tolerance (adaptive methods; absent for rk4)
 * @param step                       fixed step (rk4; absent for adaptive methods), time units of the data
 * @param seed                       seed of the initial weights and of the batches
 * @param steps                      optimizer steps (iterations) done
 * @param batchSize                  windows per step
 * @param batchTime                  observations per window
 * @param learningRate               RMSprop learning rate
 * @param optimizer                  the optimizer with its hyper-parameters
 * @param parameters                 trainable parameters
 * @param initialLoss                test loss (mean |pred - true| on the full 1000-point trajectory) before training
 * @param finalLoss                  test loss on the full trajectory after training
 * @param bestLoss                   smallest test loss seen during training
 * @param finalTrainLoss             mean batch loss over the last test interval
 * @param heldOutInitialState        initial state of the held-out trajectory (not trained on)
 * @param heldOutInitialLoss         mean |pred - true| on the held-out trajectory before training
 * @param heldOutLoss                mean |pred - true| on the held-out trajectory after training
 * @param heldOutInitialPathDistance path distance on the held-out trajectory before training
 * @param heldOutPathDistance        path distance after training: the symmetric mean distance from each point of
 *                                   the learned curve to the nearest point of the true one and back (insensitive to
 *                                   the phase drift that dominates the pointwise loss after four turns)
 * @param heldOutThreshold           the criterion: a held-out path distance below this counts as reproduced
 * @param heldOutReproduced          whether the criterion is met
 * @param wallSeconds                wall time of the whole command (s)
 * @param trainSeconds               wall time of the optimizer steps without tests (s)
 * @param stepsPerSecond             optimizer steps per second of training time
 * @param forwardSeconds             forward-pass time per optimizer step (s)
 * @param backwardSeconds            backward-pass time per optimizer step (s)
 * @param backwardForwardRatio       backward / forward time
 * @param forwardEvaluations         vector-field evaluations of all forward passes
 * @param backwardEvaluations        evaluations of all backward passes (vector-Jacobian products and lazy
 *                                   dense-output stages)
 * @param forwardEvaluationsPerStep  forward evaluations per optimizer step
 * @param backwardEvaluationsPerStep backward evaluations per optimizer step
 * @param forwardSolverSteps         accepted forward integration steps
 * @param backwardSolverSteps        accepted backward (adjoint) or reversed (backprop) steps
 * @param rejectedSolverSteps        rejected integration steps, forward and backward
 * @param network                    the model specification: the neural ODE's configuration and initialisation
 * @param settings                   the settings of the run ({@code neurode run results.json} repeats it)
 * @since 0.2
 */
public record NodeSpiralResults(String command, String status, String gradient, String solver, Double rtol,
                                Double atol, Double step, long seed, long steps, int batchSize, int batchTime,
                                double learningRate, String optimizer, int parameters, double initialLoss,
                                double finalLoss, double bestLoss, double finalTrainLoss,
                                double[] heldOutInitialState, double heldOutInitialLoss, double heldOutLoss,
                                double heldOutInitialPathDistance, double heldOutPathDistance,
                                double heldOutThreshold, boolean heldOutReproduced, double wallSeconds,
                                double trainSeconds, double stepsPerSecond, double forwardSeconds,
                                double backwardSeconds, double backwardForwardRatio, long forwardEvaluations,
                                long backwardEvaluations, double forwardEvaluationsPerStep,
                                double backwardEvaluationsPerStep, long forwardSolverSteps, long backwardSolverSteps,
                                long rejectedSolverSteps, java.util.Map<String, Object> network,
                                java.util.Map<String, Object> settings) {
}
