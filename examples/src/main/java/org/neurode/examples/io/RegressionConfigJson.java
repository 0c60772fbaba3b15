package org.neurode.examples.io;

import java.util.List;
import java.util.Map;

/**
 * The {@code config.json} of {@code neurode regression}: everything that defines the run. Times in ms,
 * rates per ms.
 *
 * @param neurode               version of neurode that wrote the file
 * @param seed                  run seed (teacher, initial weights, inputs, noise and test patterns derive from it)
 * @param solver                solver registry name
 * @param dt                    step size (ms)
 * @param patterns              training patterns in total
 * @param patternMs             presentation time of a pattern (ms)
 * @param testEvery             patterns between test points
 * @param emaAlpha              weight of a new test error in the moving average (per test point)
 * @param heldOutPatterns       size of the held-out set measured before and after training
 * @param heldOutEvery          patterns between measurements of the held-out set (the main curve)
 * @param learningRateScale     factor on the published learning rates (1 = {@code --paper})
 * @param paper                 true if the published learning rates are used unscaled
 * @param learningRates         the student's learning rates after scaling (1/ms)
 * @param backpropLearningRate  SGD learning rate of the backprop baseline
 * @param studentSizes          layer sizes of the student
 * @param teacherSizes          layer sizes of the teacher
 * @param teacherGains          the teacher's gains k10, k21
 * @param noiseSigma            noise amplitude, per-step convention (std sigma dt per step at dt 0.1 ms)
 * @param whiteNoiseSigma       the same as white-noise amplitude (per sqrt(ms))
 * @param checkpointMinutes     minutes between checkpoints
 * @param notes                 what differs from the paper's protocol
 * @since 0.1
 */
public record RegressionConfigJson(String neurode, long seed, String solver, double dt, long patterns, double patternMs,
                                   int testEvery, double emaAlpha, int heldOutPatterns, int heldOutEvery,
                                   double learningRateScale,
                                   boolean paper, Map<String, Double> learningRates, double backpropLearningRate,
                                   List<Integer> studentSizes, List<Integer> teacherSizes, List<Double> teacherGains,
                                   double noiseSigma, double whiteNoiseSigma, double checkpointMinutes,
                                   List<String> notes) {
}
