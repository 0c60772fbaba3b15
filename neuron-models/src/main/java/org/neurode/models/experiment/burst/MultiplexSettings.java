package org.neurode.models.experiment.burst;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Settings of a run of the burst-multiplexing circuit of Fig. 3 of Payeur, Guerguiev, Zenke, Richards and Naud
 * (2021, Nat. Neurosci. 24:1010) ({@link Multiplex}; the circuit is
 * {@link org.neurode.models.burst.MultiplexCircuit}). The options of {@code neurode multiplex} with the same names.
 *
 * @param neurons    neurons per pyramidal population (the paper: 4,000); each interneuron population has a
 *                   quarter (at least 1), and the connection probability is 0.05 x 4,000 / neurons (at most 1), so
 *                   that every neuron receives the paper's number of synapses
 * @param seeds      seeds, each an independent network, initial state and set of inputs
 * @param seed       the first seed: the runs use {@code seed}, {@code seed + 1}, ...
 * @param burnIn     time before the read-out (ms; the paper: 1,000)
 * @param duration   read-out time after the burn-in (ms; the paper: 3,000)
 * @param bin        bin of the event rates and burst probabilities (ms; 50)
 * @param parameters changed parameters of the circuit by name ({@code --param name=value}): the weights
 *                   {@code w12 w1pv wpv2 w21 w2sst wsst1 wrec}, the drives {@code A1 T1 M2 A2 T2} (pA, ms) and the
 *                   neurons' constants ({@link org.neurode.models.burst.MultiplexCircuit#parameterNames()}); empty
 *                   for the paper's circuit. Kept sorted by name and unmodifiable
 * @param threads    seeds simulated at once, each on one thread; null for all cores. The results do not depend on
 *                   it: each seed is one simulation on one thread, seeded by its seed alone
 * @since 0.7
 */
public record MultiplexSettings(int neurons, int seeds, long seed, double burnIn, double duration, double bin,
                                Map<String, Double> parameters, Integer threads) {

    /**
     * Keeps a sorted, unmodifiable copy of the parameters (null: none); the values are checked by
     * {@link Multiplex#validate}.
     *
     * @param neurons    neurons per pyramidal population
     * @param seeds      seeds
     * @param seed       first seed
     * @param burnIn     burn-in (ms)
     * @param duration   read-out time (ms)
     * @param bin        bin (ms)
     * @param parameters changed parameters by name, or null
     * @param threads    threads, or null for all cores
     */
    public MultiplexSettings {
        parameters = parameters == null ? Collections.emptySortedMap()
                : Collections.unmodifiableSortedMap(new TreeMap<>(parameters));
    }

    /**
     * @param p changed parameters by name
     * @return a copy with these parameters
     */
    public MultiplexSettings withParameters(final Map<String, Double> p) {
        return new MultiplexSettings(neurons, seeds, seed, burnIn, duration, bin, p, threads);
    }
}
