package org.neurode.examples.io;

import java.util.List;
import java.util.Map;

/**
 * The {@code results.json} of {@code neurode regression}. Test errors are squared output-rate errors
 * \( \sum_i (r_{2,i} - r^{trgt}_i)^2 \) on noise-free patterns; {@code initial*} and {@code final*TestError}
 * are the moving average at the first and the last curve point (the first is the held-out mean before
 * training), {@code heldOut*} the mean over the fixed held-out set.
 *
 * @param neurode                  version of neurode that wrote the file
 * @param seed                     run seed
 * @param solver                   solver registry name
 * @param dt                       step size (ms)
 * @param patterns                 training patterns done
 * @param learningRateScale        factor on the published learning rates
 * @param paper                    true if the published learning rates are used unscaled
 * @param note                     a remark on the learning rates (scaled or not)
 * @param initialTestError         microcircuit, before training
 * @param finalTestError           microcircuit, moving average at the end
 * @param shallowInitialTestError  shallow learner, before training
 * @param shallowFinalTestError    shallow learner, moving average at the end
 * @param backpropInitialTestError backprop network, before training
 * @param backpropFinalTestError   backprop network, moving average at the end
 * @param heldOutInitial           held-out mean errors before training by learner
 * @param heldOutFinal             held-out mean errors after training by learner
 * @param heldOutPatterns          size of the fixed held-out set
 * @param heldOutEvery             patterns between held-out measurements (the curve in {@code heldout.csv})
 * @param learningVisible          whether the run shows learning by the documented criterion (false: too short,
 *                                 or the held-out error did not fall); absent if the run failed or was stopped
 * @param learningNote             why the run does not show learning; absent when it does
 * @param apicalMismatch           \( |v_{A,1}|^2 \) at the end of the last test presentation (not nudged)
 * @param interneuronMismatch      \( |u_2 - u^I_1|^2 \) at the end of the last test presentation
 * @param alignmentAngleDeg        angle between \( W_2^T \) and \( B_1 \) at the last test point (degrees)
 * @param patternsPerSecond        training patterns per wall-clock second in this session (all three
 *                                 learners, tests included)
 * @param wallSeconds              wall-clock time of all sessions (s)
 * @param resumedFrom              patterns done when this session started (0 for a fresh run)
 * @param status                   {@code SUCCESS}, or {@code FAILED} if the integration blew up
 * @param message                  why it failed; absent on success
 * @param files                    the files of the run by role
 * @param settings                the settings that produced the run, with their {@code kind}: {@code neurode run
 *                                 results.json} repeats it
 * @since 0.1
 */
public record RegressionResultsJson(String neurode, long seed, String solver, double dt, long patterns,
                                    double learningRateScale, boolean paper, String note, double initialTestError,
                                    double finalTestError, double shallowInitialTestError,
                                    double shallowFinalTestError, double backpropInitialTestError,
                                    double backpropFinalTestError, Map<String, Double> heldOutInitial,
                                    Map<String, Double> heldOutFinal, int heldOutPatterns, int heldOutEvery,
                                    Boolean learningVisible, String learningNote, double apicalMismatch,
                                    double interneuronMismatch, double alignmentAngleDeg, double patternsPerSecond,
                                    double wallSeconds, long resumedFrom, String status, String message,
                                    Map<String, String> files, Map<String, Object> settings) {
}
