package org.neurode.models.experiment.simulate;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.neurode.models.experiment.compare.ProblemFile;

/**
 * Settings of one simulation ({@link Simulate}): a built-in model or a model document, a solver, a time span and
 * what to record. Times are in the model's time unit (ms for the built-in models and for model files that name no
 * other unit). The fields are those of {@code neurode simulate}'s options; a field left null takes the default
 * that the Javadoc gives.
 *
 * @param model       built-in model: {@code lif} or {@code three-compartment} (null: {@code lif}, or the model
 *                    document when {@code modelFile} is given; the two exclude each other)
 * @param n           population size of a built-in model (null: 100 for lif, 20 for three-compartment); not with a
 *                    model document
 * @param modelFile   a model document with its text (model-file text, or a JSON/YAML model document by the name's
 *                    extension): the model specification embedded in the settings, so a run repeats without the
 *                    file
 * @param params      scalar model parameters to set, by name (empty: the model's values)
 * @param noNoise     drop the model's white-noise terms
 * @param solver      solver name (as {@code neurode solvers} lists them)
 * @param dt          step of a fixed-step solver (null: 0.1); not with an adaptive solver
 * @param rtol        relative tolerance of an adaptive solver, 1e-14 to below 1 (null: 1e-6); not with a
 *                    fixed-step solver
 * @param atol        absolute tolerance of an adaptive solver, the same for every variable (null: rtol times each
 *                    variable's typical scale)
 * @param tEnd        simulated time (null: the model document's {@code time} line, else 200)
 * @param recordEvery sampling interval of the recorded variables
 * @param record      variables to record, as {@code --record} takes them ({@code v[0..9]}, {@code W[0,1]},
 *                    {@code I_syn[0..4]}, {@code S.w[0..9]}, an entry with {@code @<interval>} on its own clock);
 *                    null: the model's default
 * @param spikes      event kinds or member slices whose spikes are written ({@code P}, {@code P[0:100]}; empty:
 *                    every event kind; null: none)
 * @param rateBin     bin width of the population rates written (null: none)
 * @param rateSmooth  width of the smoothing window of the rates (null: none; needs {@code rateBin})
 * @param rateWindow  {@code flat} or {@code gaussian} (null: flat; needs {@code rateSmooth})
 * @param npy         also write NumPy files
 * @param seed        seed of the random numbers: the built-in models' set-up, {@code rand()} in model files, and
 *                    the noise of stochastic models
 * @since 0.7
 */
public record SimulateSettings(String model, Integer n, ProblemFile modelFile, Map<String, Double> params,
                               boolean noNoise, String solver, Double dt, Double rtol, Double atol, Double tEnd,
                               double recordEvery, List<String> record, List<String> spikes, Double rateBin,
                               Double rateSmooth, String rateWindow, boolean npy, long seed) {

    /**
     * Copies the collections (null {@code params} become none).
     *
     * @param model       model
     * @param n           size
     * @param modelFile   model document
     * @param params      parameters
     * @param noNoise     no noise
     * @param solver      solver
     * @param dt          step
     * @param rtol        relative tolerance
     * @param atol        absolute tolerance
     * @param tEnd        end time
     * @param recordEvery sampling interval
     * @param record      recorded variables
     * @param spikes      spike monitors
     * @param rateBin     rate bin
     * @param rateSmooth  smoothing width
     * @param rateWindow  smoothing window
     * @param npy         NumPy files
     * @param seed        seed
     */
    public SimulateSettings {
        params = params == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(params));
        record = record == null ? null : List.copyOf(record);
        spikes = spikes == null ? null : List.copyOf(spikes);
    }
}
