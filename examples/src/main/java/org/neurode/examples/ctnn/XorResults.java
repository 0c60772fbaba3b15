package org.neurode.examples.ctnn;

import java.util.Map;

/**
 * The {@code results.json} of {@code neurode xor} (written last, so its presence means the run ended).
 *
 * @param command                "xor"
 * @param status                 SUCCESS, FAILED (non-finite loss) or INTERRUPTED
 * @param message                why it failed or stopped, or null
 * @param model                  cfc, cfc-nogate, cfc-pure or ltc
 * @param eventBased             event-based (irregular) sequences, else dense
 * @param padSize                pad size (longest bit string + 1; elapsed counts are divided by it)
 * @param trainSize              training sequences
 * @param testSize               test sequences
 * @param epochs                 epochs trained (planned)
 * @param batch                  sequences per step (gradients averaged over them)
 * @param learningRate           Adam learning rate at the start
 * @param learningRateDecay      factor on the learning rate after every epoch
 * @param clipNorm               gradient-norm clipping threshold of the averaged gradient
 * @param weightDecay            L2 factor on the weight matrices (0: none)
 * @param threads                threads sharing each minibatch
 * @param forgetBias             forget-gate bias of the mixed-memory LSTM (null for other models)
 * @param hidden                 hidden units (CfC) or neurons (LTC)
 * @param backboneUnits          CfC backbone units (null for LTC)
 * @param backboneLayers         CfC backbone layers (null for LTC)
 * @param parameters             trainable parameters
 * @param seed                   seed of the initial weights and the batch order
 * @param trainSeed              NumPy seed of the training set
 * @param testSeed               NumPy seed of the test set
 * @param steps                  optimizer steps done
 * @param samples                training sequences processed
 * @param finalLoss              mean training cross-entropy over the last logging interval (nats)
 * @param trainAccuracy          training accuracy over the last logging interval
 * @param testAccuracy           accuracy on the test set at the end
 * @param testLoss               mean test cross-entropy at the end (nats)
 * @param bestTestAccuracy       best test accuracy of the evaluations during training
 * @param majorityClassAccuracy  accuracy of always answering the test set's majority class (chance)
 * @param wallSeconds            wall time of the whole command (s)
 * @param trainSeconds           wall time of training without test evaluations (s)
 * @param evaluationSeconds      wall time of the test evaluations (s)
 * @param stepsPerSecond         optimizer steps per second of training time
 * @param samplesPerSecond       training sequences per second of training time
 * @param forwardSeconds         forward-pass time per step (s)
 * @param backwardSeconds        backward-pass time per step (s)
 * @param backwardForwardRatio   backward / forward time
 * @param optimizer              the optimizer with its hyper-parameters
 * @param published              the published reference numbers
 * @param settings               the settings that produced the run, with their {@code kind}: {@code neurode run
 *                               results.json} repeats it
 * @since 0.2
 */
public record XorResults(String command, String status, String message, String model, boolean eventBased,
                         int padSize, int trainSize, int testSize, int epochs, int batch, double learningRate,
                         double learningRateDecay, double clipNorm, double weightDecay, int threads, Double forgetBias, int hidden, Integer backboneUnits,
                         Integer backboneLayers, int parameters, long seed, long trainSeed, long testSeed, long steps,
                         long samples, double finalLoss, double trainAccuracy, double testAccuracy, double testLoss,
                         double bestTestAccuracy, double majorityClassAccuracy, double wallSeconds,
                         double trainSeconds, double evaluationSeconds, double stepsPerSecond,
                         double samplesPerSecond, double forwardSeconds, double backwardSeconds,
                         double backwardForwardRatio, String optimizer, String published,
                         Map<String, Object> settings) {
}
