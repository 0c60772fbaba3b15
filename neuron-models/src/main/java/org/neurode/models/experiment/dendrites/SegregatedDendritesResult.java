package org.neurode.models.experiment.dendrites;

import java.util.List;

import org.neurode.models.experiment.RunStatus;

/**
 * What a spiking segregated-dendrite run ({@link SegregatedDendritesExperiment}; Guerguiev, Lillicrap and Richards
 * 2017, eLife 6:e22901) measured.
 *
 * @param settings       the settings of the run
 * @param status         how it ended ({@link RunStatus#FAILED}: a configuration's weights stopped being finite;
 *                       {@link RunStatus#INTERRUPTED}: a stop request)
 * @param message        why it failed or stopped (null on success)
 * @param shape          the layer sizes, e.g. {@code 784-500-10}
 * @param trainSize      training examples per epoch (the settings' or all of the task's)
 * @param testSize       test images per test
 * @param threads        threads used (the numbers do not depend on them)
 * @param finalTestError the first configuration's final test error (the only one with one feedback mode; the metric
 *                       of a sweep)
 * @param configurations one per feedback mode, in the settings' order
 * @since 0.7
 */
public record SegregatedDendritesResult(SegregatedDendritesSettings settings, RunStatus status, String message,
                                        String shape, int trainSize, int testSize, int threads,
                                        double finalTestError, List<Configuration> configurations) {

    /**
     * One configuration (an entry of {@code runs} in {@code results.json}).
     *
     * @param config             its name: the feedback mode and the hidden sizes, e.g. {@code random-500}
     * @param feedback           {@code random} or {@code symmetric}
     * @param examples           training examples done
     * @param finalTestError     fraction of the test images misclassified at the last test
     * @param trainMsPerImage    wall time per training example (ms; over all sessions; not reproducible)
     * @param trainCpuMsPerImage CPU time of the training thread per example of this session (ms; NaN if none; not
     *                           reproducible)
     * @param testMsPerImage     wall time per test image of this session (ms; NaN if none; not reproducible)
     * @param curve              the test error before training and after every epoch
     */
    public record Configuration(String config, String feedback, long examples, double finalTestError,
                                double trainMsPerImage, double trainCpuMsPerImage, double testMsPerImage,
                                List<CurvePoint> curve) {
    }

    /**
     * A point of a learning curve (a row of {@code curves.csv}).
     *
     * @param examples     training examples so far
     * @param epoch        epochs so far ({@code examples / trainSize})
     * @param testError    fraction of the test images misclassified
     * @param meanAngleDeg mean angle of the hidden-layer update to backprop's over the epoch before (degrees; NaN
     *                     before training)
     */
    public record CurvePoint(long examples, double epoch, double testError, double meanAngleDeg) {
    }
}
