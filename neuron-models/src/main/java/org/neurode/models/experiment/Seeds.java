package org.neurode.models.experiment;

import java.util.SplittableRandom;

import org.neurode.models.tasks.RandomStreams;

/**
 * Reproducible, independent random streams of all experiments, each a function of (run seed, purpose, index)
 * only: the teacher of seed 3, the noise of pattern 1,234 or the initial weights of the second network of a
 * sweep can be regenerated without replaying earlier draws, and a run resumed from a checkpoint draws what an
 * uninterrupted one would. The seed of a stream is the SplitMix64 finalizer of a combination of the three numbers
 * with odd 64-bit constants ({@link RandomStreams}, which the regression and the credit-assignment tasks used
 * before this class, so their numbers are unchanged).
 *
 * <p>Purposes are small numbers that an experiment fixes once (constants of its own); two purposes, or two
 * indices, give unrelated streams. The purposes of the shared streams are the constants of this class.
 *
 * @since 0.2
 */
public final class Seeds {

    /** Teacher (target network) weights. */
    public static final long TEACHER = 1;
    /** Initial weights of the learner. */
    public static final long WEIGHTS = 2;
    /** Training input of pattern {@code index}. */
    public static final long TRAIN = 3;
    /** Noise of pattern {@code index}. */
    public static final long NOISE = 4;
    /** Fresh test pattern {@code index}. */
    public static final long TEST = 5;
    /** Held-out pattern {@code index}. */
    public static final long HELD_OUT = 6;
    /** Order of the training samples in epoch {@code index}. */
    public static final long SHUFFLE = 7;
    /** Run {@code index} of a sweep or a seed pool: its own run seed. */
    public static final long RUN = 8;

    private Seeds() {
    }

    /**
     * @param seed    the run seed
     * @param purpose what the stream is for (a constant of this class or of the experiment)
     * @param index   pattern, epoch or element index
     * @return the seed of that stream
     */
    public static long seed(final long seed, final long purpose, final long index) {
        return RandomStreams.seed(seed, purpose, index);
    }

    /**
     * @param seed    the run seed
     * @param purpose what the stream is for
     * @param index   pattern, epoch or element index
     * @return a fresh generator of that stream
     */
    public static SplittableRandom stream(final long seed, final long purpose, final long index) {
        return RandomStreams.of(seed, purpose, index);
    }
}
