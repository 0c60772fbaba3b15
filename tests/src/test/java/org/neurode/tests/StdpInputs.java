package org.neurode.tests;

import java.util.Arrays;

/**
 * The input spike trains and initial weights of the STDP reference run (Song, Miller and Abbott 2000, as
 * Brian2's example), regenerated exactly as {@code golden/stdp/make_stdp.py} made them for Brian2: per input
 * an independent Bernoulli process with p = rate dt per 0.1-ms step, drawn as geometric gaps from a SplitMix64
 * stream (Steele, Lea and Flood 2014) with initial state {@code seed * 1000003 + i}. Test code: neurode's own
 * Poisson sources use their own generator.
 */
final class StdpInputs {

    /** Inputs. */
    static final int N = 1000;
    /** Rate of every input (Hz). */
    static final double RATE_HZ = 15.0;
    /** Step (ms). */
    static final double DT_MS = 0.1;
    /** Steps simulated: 100 s. */
    static final int STEPS = 1_000_000;
    /** Seed of the spike trains. */
    static final long SEED = 2000;
    /** Seed of the initial weights. */
    static final long WEIGHT_SEED = 2001;

    private StdpInputs() {
    }

    /** One SplitMix64 output for the state after {@code state} (the state advances by the golden gamma). */
    static long mix(final long advancedState) {
        long z = advancedState;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A uniform number in (0, 1] from a SplitMix64 output, as make_stdp.py computes it. */
    static double uniform(final long z) {
        return ((z >>> 11) + 1.0) * 0x1.0p-53;
    }

    /**
     * The spike steps of one input, in increasing order.
     *
     * @param input the input index
     * @return its spike steps below {@link #STEPS}
     */
    static int[] steps(final int input) {
        final double p = RATE_HZ * DT_MS * 1e-3;
        final double denominator = Math.log1p(-p);
        long state = SEED * 1000003L + input;
        int[] out = new int[2048];
        int n = 0;
        long step = -1;
        while (true) {
            state += 0x9E3779B97F4A7C15L;
            final long gap = 1 + (long) Math.floor(Math.log(uniform(mix(state))) / denominator);
            step += gap;
            if (step >= STEPS) {
                return Arrays.copyOf(out, n);
            }
            if (n == out.length) {
                out = Arrays.copyOf(out, 2 * n);
            }
            out[n++] = (int) step;
        }
    }

    /**
     * @param gmax the largest weight
     * @return the initial weights, {@code gmax * u_i}
     */
    static double[] initialWeights(final double gmax) {
        final double[] w = new double[N];
        for (int i = 0; i < N; i++) {
            w[i] = gmax * uniform(mix(WEIGHT_SEED * 1000003L + i + 0x9E3779B97F4A7C15L));
        }
        return w;
    }
}
