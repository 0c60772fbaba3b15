package org.neurode.models.tasks;

import java.util.SplittableRandom;

/**
 * Independent random streams, each a function of (run seed, purpose, index) only, so that any pattern's input,
 * noise or test pattern can be regenerated after a restart without replaying earlier draws, and every learner of
 * a comparison sees the same patterns in the same order. The seed of a stream is the SplitMix64 finalizer of a
 * linear combination of the three values with odd 64-bit constants.
 *
 * @since 0.1
 */
public final class RandomStreams {

    private RandomStreams() {
    }

    /**
     * @param seed    run seed
     * @param purpose what the stream is for (a constant of the caller)
     * @param index   pattern or element index
     * @return the derived seed
     */
    public static long seed(final long seed, final long purpose, final long index) {
        long z = seed * 0x9E3779B97F4A7C15L + purpose * 0xD1B54A32D192ED03L + index * 0x8CB92BA72F3D8DD7L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * @param seed    run seed
     * @param purpose what the stream is for
     * @param index   pattern or element index
     * @return a generator for that stream
     */
    public static SplittableRandom of(final long seed, final long purpose, final long index) {
        return new SplittableRandom(seed(seed, purpose, index));
    }
}
