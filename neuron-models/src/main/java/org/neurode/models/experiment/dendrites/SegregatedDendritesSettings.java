package org.neurode.models.experiment.dendrites;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Settings of a spiking segregated-dendrite run ({@link SegregatedDendritesExperiment}): the network of Guerguiev,
 * Lillicrap and Richards (2017, eLife 6:e22901, "Towards deep learning with segregated dendrites") on
 * Fashion-MNIST, one configuration per feedback mode.
 *
 * @param data            folder of the Fashion-MNIST IDX files; null for the Debian package
 *                        {@code dataset-fashion-mnist}'s {@code /usr/share/datasets/fashion-mnist} (ignored, and
 *                        to be left null, with {@code subset})
 * @param subset          use the 1,000 training (100 of them held out) and 500 test images bundled with neurode
 *                        instead of {@code data}
 * @param hidden          hidden layer sizes, input side first (the paper's 500, or 500 and 100)
 * @param epochs          epochs of {@code trainSize} examples
 * @param trainSize       training examples per epoch; null for all of the task's (55,000 of Fashion-MNIST's
 *                        60,000 with 5,000 held out; 900 of the subset)
 * @param testSize        test images per test; null for all (10,000; 500 of the subset); more than there are
 *                        means all
 * @param feedback        feedback modes, one configuration each: {@code random} (fixed random feedback weights,
 *                        the paper's) or {@code symmetric} (the transposed forward weights, its control)
 * @param testPhaseMs     length of a test phase (ms; the paper's 250); the output rate is averaged over its last
 *                        {@code testPhaseMs - 30} ms
 * @param rateScale       factor on the derived learning rates (1: the derived ones)
 * @param seed            seed of the weights, the presentation order, the spikes and the phase lengths
 * @param checkpointEvery training examples between checkpoints besides the one after every test (does not change
 *                        the numbers)
 * @param threads         threads: the configurations in parallel and the test images of each split over them; null
 *                        for all cores (does not change the numbers: a test image's spikes depend on its index
 *                        only)
 * @since 0.7
 */
public record SegregatedDendritesSettings(String data, boolean subset, List<Integer> hidden, int epochs,
                                          Integer trainSize, Integer testSize, List<String> feedback,
                                          double testPhaseMs, double rateScale, long seed, int checkpointEvery,
                                          Integer threads) {

    /**
     * Copies the lists (unmodifiable; null stays null, for {@link SegregatedDendritesExperiment#validate} to name).
     *
     * @param data            data folder
     * @param subset          bundled subset
     * @param hidden          hidden sizes
     * @param epochs          epochs
     * @param trainSize       examples per epoch
     * @param testSize        test images
     * @param feedback        feedback modes
     * @param testPhaseMs     test phase (ms)
     * @param rateScale       learning-rate factor
     * @param seed            seed
     * @param checkpointEvery examples between checkpoints
     * @param threads         threads
     */
    public SegregatedDendritesSettings {
        hidden = copy(hidden);
        feedback = copy(feedback);
    }

    static <T> List<T> copy(final List<T> list) {
        return list == null ? null : Collections.unmodifiableList(new ArrayList<>(list));
    }
}
