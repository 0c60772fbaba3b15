package org.neurode.models.experiment.burst;

/**
 * Settings of a training run of the spiking XOR network of Payeur, Guerguiev, Zenke, Richards and Naud (2021, Nat.
 * Neurosci. 24:1010, Fig. 4) with burst-dependent plasticity ({@link BurstXorExperiment}; the network is
 * {@link org.neurode.models.burst.BurstXor}). The options of {@code neurode burst-xor} with the same names.
 *
 * @param neurons   N, neurons per population, at least 2 (the paper's run script: 500; below about 250 the
 *                  excitation and inhibition of an input arrive together and cancel)
 * @param examples  training examples, a multiple of 4, in the order (0,0), (1,0), (0,1), (1,1) (the paper: 2,000)
 * @param durex     duration of one example (ms): 90 % prediction, 10 % learning (the paper: 8,000)
 * @param etaFactor factor on the paper's learning rates (8e-3 into the hidden populations, 4e-3 into the output)
 * @param burnIn    burn-in without plasticity before the test before training (ms; the paper: 3 tau_avg = 6,000)
 * @param modelSeed seed of the connections, the backgrounds and the initial potentials
 * @param seed      seed of the run: the burst draws and, mixed with the model seed, the backgrounds' spikes
 * @since 0.7
 */
public record BurstXorSettings(int neurons, int examples, double durex, double etaFactor, double burnIn,
                               long modelSeed, long seed) {

    /**
     * @param n training examples
     * @return a copy with that many (a resumed run may have more than the run it continues)
     */
    public BurstXorSettings withExamples(final int n) {
        return new BurstXorSettings(neurons, n, durex, etaFactor, burnIn, modelSeed, seed);
    }
}
