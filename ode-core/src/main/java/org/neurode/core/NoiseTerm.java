package org.neurode.core;

/**
 * Additive white noise on every element of a state block: \( dX = f\,dt + \sigma\, dW_t \) with
 * independent Wiener processes per element. Over a step \( h \) the increment has standard deviation
 * \( \sigma \sqrt{h} \). {@code sigma} has the block's unit per square root of the time unit.
 *
 * @param block the noisy variable
 * @param sigma noise amplitude (unit of the variable per sqrt(ms)); not negative
 * @since 0.1
 */
public record NoiseTerm(String block, double sigma) {

    /**
     * Validates the amplitude.
     *
     * @param block the noisy variable
     * @param sigma noise amplitude
     */
    public NoiseTerm {
        Checks.nonNegative("noise sigma of '" + block + "'", sigma);
    }
}
