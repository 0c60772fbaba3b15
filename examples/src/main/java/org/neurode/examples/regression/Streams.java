package org.neurode.examples.regression;

import java.util.SplittableRandom;

/**
 * Independent random streams of a run, each a function of (run seed, purpose, index) only, so that any
 * pattern's input, noise and test pattern can be regenerated after a restart without replaying earlier
 * draws. The seed of a stream is the SplitMix64 finalizer of a linear combination of the three values
 * with odd 64-bit constants.
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
        long z = seed * 0x9E3779B97F4A7C15L + purpose * 0xD1B54A32D192ED03L + index * 0x8CB92BA72F3D8DD7L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * @param seed    run seed
     * @param purpose one of the constants of this class
     * @param index   pattern or element index
     * @return a generator for that stream
     */
    static SplittableRandom of(final long seed, final long purpose, final long index) {
        return new SplittableRandom(seed(seed, purpose, index));
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
