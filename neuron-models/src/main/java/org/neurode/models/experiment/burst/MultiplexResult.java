package org.neurode.models.experiment.burst;

import java.util.List;

import org.neurode.models.experiment.RunStatus;

/**
 * What a run of the burst-multiplexing circuit of Fig. 3 of Payeur, Guerguiev, Zenke, Richards and Naud (2021,
 * Nat. Neurosci. 24:1010) measured ({@link Multiplex}): the correlations of the read-out signals with the drives
 * (Pearson over the bins) and the populations' mean rates, per seed and as mean and standard deviation over the
 * seeds. Bottom-up, Pyr2's event rate follows Pyr1's somatic drive; top-down, Pyr1's burst probability follows
 * Pyr2's dendritic drive; the cross terms stay small.
 *
 * @param settings                  the settings of the run
 * @param status                    how it ended ({@link RunStatus#INTERRUPTED}: only the finished seeds are in it;
 *                                  {@link RunStatus#FAILED}: a seed's integration blew up)
 * @param message                   why it failed or stopped (null on success)
 * @param pyramidalPerPopulation    neurons per pyramidal population
 * @param interneuronsPerPopulation neurons per interneuron population
 * @param connectionProbability     connection probability of every projection
 * @param synapses                  synapses between the four populations of the first finished seed (each seed
 *                                  draws its own; 0 if none finished)
 * @param stepMs                    the forward-Euler step (ms)
 * @param seedsSimulated            seeds simulated by this call (the others were given as finished: a resumed run)
 * @param bottomUp                  corr(Pyr2 event rate, Pyr1 somatic drive)
 * @param topDown                   corr(Pyr1 burst probability, Pyr2 dendritic drive)
 * @param crossUp                   corr(Pyr2 event rate, Pyr2 dendritic drive)
 * @param crossDown                 corr(Pyr1 burst probability, Pyr1 somatic drive)
 * @param pyr2Dendrite              corr(Pyr2 burst probability, Pyr2 dendritic drive) (Fig. 3b2)
 * @param eventRelay                corr(Pyr2 event rate, Pyr1 event rate) (Fig. 3b3)
 * @param burstRelay                corr(Pyr1 burst probability, Pyr2 burst rate) (Fig. 3c2)
 * @param pyr1Soma                  corr(Pyr1 event rate, Pyr1 somatic drive) (Fig. 3c3)
 * @param ratesHz                   mean spike rate per neuron of each population over the read-out time (Hz)
 * @param perSeed                   the finished seeds, in the order of the seeds
 * @since 0.7
 */
public record MultiplexResult(MultiplexSettings settings, RunStatus status, String message,
                              int pyramidalPerPopulation, int interneuronsPerPopulation, double connectionProbability,
                              long synapses, double stepMs, int seedsSimulated, Summary bottomUp, Summary topDown,
                              Summary crossUp, Summary crossDown, Summary pyr2Dendrite, Summary eventRelay,
                              Summary burstRelay, Summary pyr1Soma, RateSummaries ratesHz, List<Seed> perSeed) {

    /**
     * A measure over the seeds.
     *
     * @param mean    its mean over the seeds (NaN if a seed's value is NaN, or without seeds)
     * @param sd      its sample standard deviation (0 with one seed, NaN without)
     * @param perSeed its value for each finished seed, in the order of the seeds (NaN where undefined: fewer than 3
     *                bins with both values finite, or no variance)
     */
    public record Summary(double mean, double sd, List<Double> perSeed) {
    }

    /**
     * The mean rates of the populations over the seeds.
     *
     * @param pyr1 Pyr1 (lower pyramidal population; Hz)
     * @param pyr2 Pyr2 (upper pyramidal population; Hz)
     * @param pv   PV interneurons (Hz)
     * @param sst  SST interneurons (Hz)
     */
    public record RateSummaries(Summary pyr1, Summary pyr2, Summary pv, Summary sst) {
    }

    /**
     * Mean spike rate per neuron of each population over the read-out time of one seed.
     *
     * @param pyr1 Pyr1 (Hz)
     * @param pyr2 Pyr2 (Hz)
     * @param pv   PV interneurons (Hz)
     * @param sst  SST interneurons (Hz)
     */
    public record PopulationRates(double pyr1, double pyr2, double pv, double sst) {
    }

    /**
     * The read-out of one seed.
     *
     * @param seed         the seed
     * @param synapses     synapses between the four populations (the backgrounds' one-to-one inputs left out)
     * @param wallSeconds  wall time of its simulation, model building included (s; not reproducible)
     * @param bottomUp     corr(Pyr2 event rate, Pyr1 somatic drive)
     * @param topDown      corr(Pyr1 burst probability, Pyr2 dendritic drive)
     * @param crossUp      corr(Pyr2 event rate, Pyr2 dendritic drive)
     * @param crossDown    corr(Pyr1 burst probability, Pyr1 somatic drive)
     * @param pyr2Dendrite corr(Pyr2 burst probability, Pyr2 dendritic drive)
     * @param eventRelay   corr(Pyr2 event rate, Pyr1 event rate)
     * @param burstRelay   corr(Pyr1 burst probability, Pyr2 burst rate)
     * @param pyr1Soma     corr(Pyr1 event rate, Pyr1 somatic drive)
     * @param ratesHz      mean spike rates of the populations over the read-out time
     * @param bins         the read-out per bin (the rows of {@code rates.csv})
     */
    public record Seed(long seed, long synapses, double wallSeconds, double bottomUp, double topDown,
                       double crossUp, double crossDown, double pyr2Dendrite, double eventRelay, double burstRelay,
                       double pyr1Soma, PopulationRates ratesHz, List<Bin> bins) {
    }

    /**
     * One bin of the read-out of a seed.
     *
     * @param startMs               start of the bin after the burn-in (ms)
     * @param pyr1SomaticDrive      Pyr1's somatic drive at the bin's centre (pA)
     * @param pyr2DendriticDrive    Pyr2's dendritic drive at the bin's centre (pA)
     * @param pyr1EventRate         Pyr1's event rate (Hz per neuron)
     * @param pyr1BurstProbability  Pyr1's bursts per event (NaN without events)
     * @param pyr2EventRate         Pyr2's event rate (Hz per neuron)
     * @param pyr2BurstProbability  Pyr2's bursts per event (NaN without events)
     * @param pyr2BurstRate         Pyr2's burst rate (Hz per neuron)
     */
    public record Bin(double startMs, double pyr1SomaticDrive, double pyr2DendriticDrive, double pyr1EventRate,
                      double pyr1BurstProbability, double pyr2EventRate, double pyr2BurstProbability,
                      double pyr2BurstRate) {
    }
}
