package org.neurode.models.cfc;

import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;

/**
 * The synthetic bit-stream XOR task of the CfC paper (Hasani et al. 2022, Nature Machine Intelligence,
 * "Closed-form continuous-time neural networks", event-based sequential XOR): a random bit string of length
 * 2 to {@code padSize - 1} whose label is its parity (XOR of all bits). Generated exactly as
 * {@code XORData} in raminmh/CfC {@code irregular_sampled_datasets.py}, including its random numbers: the
 * generator is NumPy's legacy {@code RandomState} (MT19937 with {@code init_genrand} seeding and the masked
 * rejection sampling of {@code randint}), re-implemented here, so the same seed gives the same bits, events,
 * elapsed counts and labels as the Python code (100,000 training samples with seed 1,234,984 and 10,000
 * test samples with seed 48,736 there).
 *
 * <ul>
 * <li>Dense mode: one step per bit, input = the bit, elapsed count 1.</li>
 * <li>Event mode (irregular sampling, the paper's hard case): a step only where the bit changes (and at the
 * first bit), input = the new bit, elapsed count = bits since the previous event; after the last bit a final
 * step repeats the last bit with the count of the bits since the last change, if any. The model must
 * integrate elapsed time exactly to know how many ones a run held.</li>
 * </ul>
 * Elapsed times are the counts divided by {@code padSize} (the model's time unit is then "{@code padSize}
 * bits"), as the Python code does after generating.
 *
 * <p>Differences from the Python code: sequences are stored at their own length instead of being padded to
 * {@code padSize} with a mask (a Keras RNN with a mask keeps the state over padded steps, so the final state
 * is the same); elapsed times are doubles instead of float32; the abort counter is not kept.
 *
 * @since 0.2
 */
public final class XorTask {

    /** Pad size of {@code XORData}'s default. */
    public static final int DEFAULT_PAD_SIZE = 24;
    /** Pad size of raminmh/CfC {@code train_xor.py}. */
    public static final int CFC_PAD_SIZE = 32;
    /** Training-set seed of {@code XORData}. */
    public static final long TRAIN_SEED = 1_234_984L;
    /** Test-set seed of {@code XORData}. */
    public static final long TEST_SEED = 48_736L;
    /** Training-set size of {@code XORData}. */
    public static final int TRAIN_SIZE = 100_000;
    /** Test-set size of {@code XORData}. */
    public static final int TEST_SIZE = 10_000;

    /**
     * One sequence.
     *
     * @param inputs  the bit of each step, {@code [steps][1]} (0 or 1; reference kept, do not modify)
     * @param elapsed elapsed time of each step (counts / pad size; reference kept, do not modify)
     * @param label   parity of {@code bits} (0 or 1)
     * @param bits    the underlying bit string (reference kept, do not modify)
     * @since 0.2
     */
    public record Sample(double[][] inputs, double[] elapsed, int label, int[] bits) {

        /** @return number of steps the model sees */
        public int steps() {
            return inputs.length;
        }
    }

    private final Sample[] samples;
    private final boolean eventBased;
    private final int padSize;
    private final long seed;

    private XorTask(final Sample[] samples, final boolean eventBased, final int padSize, final long seed) {
        this.samples = samples;
        this.eventBased = eventBased;
        this.padSize = padSize;
        this.seed = seed;
    }

    /**
     * Generates a data set as {@code XORData.create_set(size, seed)}.
     *
     * @param size       number of sequences (positive)
     * @param seed       NumPy seed, 0 to 2<sup>32</sup> - 1
     * @param eventBased event mode (true) or dense mode
     * @param padSize    pad size (at least 3): lengths are 2 to {@code padSize - 1}
     * @return the data set
     */
    public static XorTask generate(final int size, final long seed, final boolean eventBased, final int padSize) {
        if (size <= 0) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "XOR data set size must be positive: " + size);
        }
        if (seed < 0 || seed > 0xFFFF_FFFFL) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "XOR seed must be in 0 .. 2^32 - 1 (a NumPy "
                    + "RandomState seed): " + seed);
        }
        if (padSize < 3) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "XOR pad size must be at least 3: " + padSize);
        }
        final LegacyRandom rng = new LegacyRandom(seed);
        final Sample[] out = new Sample[size];
        final int[] chars = new int[padSize];
        final double[] elapsed = new double[padSize];
        for (int s = 0; s < size; s++) {
            final int length = rng.randint(2, padSize);
            final int[] bits = new int[length];
            int label = 0;
            int written = 0;
            if (eventBased) {
                int last = -1;
                int counter = 0;
                int ch = 0;
                for (int i = 0; i < length; i++) {
                    counter++;
                    ch = rng.randint(0, 2);
                    bits[i] = ch;
                    label += ch;
                    if (last != ch) {
                        chars[written] = ch;
                        elapsed[written] = counter;
                        written++;
                        counter = 0;
                        if (written >= padSize - 1) {
                            // the Python code stops here ("enough 1s"); the label counts the bits drawn so far
                            break;
                        }
                    }
                    last = ch;
                }
                if (counter > 0) {
                    chars[written] = ch;
                    elapsed[written] = counter;
                    written++;
                }
            } else {
                for (int i = 0; i < length; i++) {
                    final int ch = rng.randint(0, 2);
                    bits[i] = ch;
                    label += ch;
                    chars[written] = ch;
                    elapsed[written] = 1;
                    written++;
                }
            }
            final double[][] inputs = new double[written][1];
            final double[] times = new double[written];
            for (int k = 0; k < written; k++) {
                inputs[k][0] = chars[k];
                times[k] = elapsed[k] / padSize;
            }
            out[s] = new Sample(inputs, times, label % 2, bits);
        }
        return new XorTask(out, eventBased, padSize, seed);
    }

    /** @return number of sequences */
    public int size() {
        return samples.length;
    }

    /**
     * @param index sequence index
     * @return the sequence
     */
    public Sample sample(final int index) {
        return samples[index];
    }

    /** @return true for event mode */
    public boolean eventBased() {
        return eventBased;
    }

    /** @return the pad size */
    public int padSize() {
        return padSize;
    }

    /** @return the seed */
    public long seed() {
        return seed;
    }

    /** @return the longest sequence in steps */
    public int maxSteps() {
        int m = 0;
        for (final Sample s : samples) {
            m = Math.max(m, s.steps());
        }
        return m;
    }

    /** @return the fraction of sequences with label 1 */
    public double positiveFraction() {
        long ones = 0;
        for (final Sample s : samples) {
            ones += s.label();
        }
        return (double) ones / samples.length;
    }

    @Override
    public String toString() {
        return "XorTask[" + samples.length + " " + (eventBased ? "event-based" : "dense") + ", pad " + padSize
                + ", seed " + seed + "]";
    }

    /**
     * NumPy's legacy {@code RandomState}: MT19937 (Matsumoto and Nishimura 1998) seeded by
     * {@code init_genrand}, and {@code randint(low, high)} by masked rejection on 32-bit draws.
     */
    static final class LegacyRandom {
        private static final int N = 624;
        private static final int M = 397;
        private static final int UPPER = 0x8000_0000;
        private static final int LOWER = 0x7FFF_FFFF;
        private static final int MATRIX_A = 0x9908_B0DF;

        private final int[] mt = new int[N];
        private int index;

        LegacyRandom(final long seed) {
            mt[0] = (int) seed;
            for (int i = 1; i < N; i++) {
                mt[i] = 1_812_433_253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
            }
            index = N;
        }

        /** @return the next 32 random bits as an unsigned value */
        long nextUint32() {
            if (index >= N) {
                for (int i = 0; i < N; i++) {
                    final int y = (mt[i] & UPPER) | (mt[(i + 1) % N] & LOWER);
                    mt[i] = mt[(i + M) % N] ^ (y >>> 1) ^ ((y & 1) != 0 ? MATRIX_A : 0);
                }
                index = 0;
            }
            int y = mt[index++];
            y ^= y >>> 11;
            y ^= (y << 7) & 0x9D2C_5680;
            y ^= (y << 15) & 0xEFC6_0000;
            y ^= y >>> 18;
            return y & 0xFFFF_FFFFL;
        }

        /**
         * @param low  lowest value
         * @param high one above the highest value (high - low below 2^32)
         * @return a uniform integer in [low, high)
         */
        int randint(final int low, final int high) {
            final long range = (long) high - low - 1;
            if (range == 0) {
                return low;
            }
            long mask = range;
            mask |= mask >>> 1;
            mask |= mask >>> 2;
            mask |= mask >>> 4;
            mask |= mask >>> 8;
            mask |= mask >>> 16;
            long v;
            do {
                v = nextUint32() & mask;
            } while (v > range);
            return (int) (low + v);
        }
    }
}
