package org.neurode.models.experiment.regression;

import java.util.SplittableRandom;

import org.neurode.models.experiment.Seeds;

/**
 * Independent random streams of a run, each a function of (run seed, purpose, index) only, so that any
 * pattern's input, noise and test pattern can be regenerated after a restart without replaying earlier
 * draws ({@link Seeds}).
 *
 * @since 0.1
 */
final class Streams {

    /** Teacher weights. */
    static final long TEACHER = Seeds.TEACHER;
    /** Initial student weights (shared by all three learners). */
    static final long STUDENT = Seeds.WEIGHTS;
    /** Training input of pattern p. */
    static final long TRAIN = Seeds.TRAIN;
    /** Noise of pattern p. */
    static final long NOISE = Seeds.NOISE;
    /** Fresh test pattern of test point p. */
    static final long TEST = Seeds.TEST;
    /** Held-out pattern i. */
    static final long HELD_OUT = Seeds.HELD_OUT;

    private Streams() {
    }

    /**
     * @param seed    run seed
     * @param purpose one of the constants of this class
     * @param index   pattern or element index
     * @return the derived seed
     */
    static long seed(final long seed, final long purpose, final long index) {
        return Seeds.seed(seed, purpose, index);
    }

    /**
     * @param seed    run seed
     * @param purpose one of the constants of this class
     * @param index   pattern or element index
     * @return a generator for that stream
     */
    static SplittableRandom of(final long seed, final long purpose, final long index) {
        return Seeds.stream(seed, purpose, index);
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
