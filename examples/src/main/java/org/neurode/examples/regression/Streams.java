package org.neurode.examples.regression;

import java.util.SplittableRandom;

import org.neurode.models.tasks.RandomStreams;

/**
 * Independent random streams of a run, each a function of (run seed, purpose, index) only, so that any
 * pattern's input, noise and test pattern can be regenerated after a restart without replaying earlier
 * draws ({@link RandomStreams}).
 *
 * @since 0.1
 */
final class Streams {

    /** Teacher weights. */
    static final long TEACHER = 1;
    /** Initial student weights (shared by all three learners). */
    static final long STUDENT = 2;
    /** Training input of pattern p. */
    static final long TRAIN = 3;
    /** Noise of pattern p. */
    static final long NOISE = 4;
    /** Fresh test pattern of test point p. */
    static final long TEST = 5;
    /** Held-out pattern i. */
    static final long HELD_OUT = 6;

    private Streams() {
    }

    /**
     * @param seed    run seed
     * @param purpose one of the constants of this class
     * @param index   pattern or element index
     * @return the derived seed
     */
    static long seed(final long seed, final long purpose, final long index) {
        return RandomStreams.seed(seed, purpose, index);
    }

    /**
     * @param seed    run seed
     * @param purpose one of the constants of this class
     * @param index   pattern or element index
     * @return a generator for that stream
     */
    static SplittableRandom of(final long seed, final long purpose, final long index) {
        return RandomStreams.of(seed, purpose, index);
    }

    /**
     * Fills an array with U(-1, 1) draws.
     *
     * @param random generator
     * @param out    array (modified)
     */
    static void uniform(final SplittableRandom random, final double[] out) {
        for (int i = 0; i < out.length; i++) {
            out[i] = random.nextDouble(-1.0, 1.0);
        }
    }
}
