package org.neurode.examples.io;

import java.util.List;
import java.util.Map;

/**
 * The {@code results.json} of {@code neurode simulate}: what was run, how it ended and what it cost.
 * Times are in ms unless the name says otherwise.
 *
 * @param neurode     version of neurode that wrote the file
 * @param model       model name ({@code lif}, {@code three-compartment}, or the name in the model file)
 * @param n           population size of a built-in model; absent for a model file ({@code --model-file})
 * @param stateDimension number of state variables integrated (inputs not counted)
 * @param solver      solver registry name
 * @param parameters  model parameters by name (units as the model documents them)
 * @param setup       how the run was set up beyond the parameters (inputs, patterns); may be empty
 * @param options     solve options
 * @param tEnd        requested end time (ms)
 * @param finalTime   time reached (ms); below {@code tEnd} only if the run stopped early
 * @param wallSeconds wall-clock time of the integration (s), without writing the output
 * @param status      how the solve ended: {@code SUCCESS}, {@code STOPPED_BY_EVENT},
 *                    {@code MAX_EVALUATIONS} or {@code FAILED}
 * @param message     why the solve did not succeed; absent on success
 * @param statistics  work counters
 * @param spikeCount  number of spikes (spiking models only)
 * @param meanRateHz  mean firing rate per neuron over the time reached (Hz; spiking models only; for a model
 *                    file, all events over the members of all event kinds)
 * @param recorded    recorded variables, the columns of {@code trajectory.csv} after the time
 * @param files       the files of the run by role ({@code trajectory}, {@code spikes}, {@code plot})
 * @param settings    the settings of the run ({@code kind: simulate} and its fields), so that {@code neurode run
 *                    results.json} repeats it
 * @since 0.1
 */
public record SimulationJson(String neurode, String model, Integer n, int stateDimension, String solver,
                             Map<String, Double> parameters,
                             Map<String, Object> setup, SolveOptionsJson options, double tEnd, double finalTime,
                             double wallSeconds, String status, String message, StatisticsJson statistics,
                             Long spikeCount, Double meanRateHz, List<String> recorded, Map<String, String> files,
                             Object settings) {
}
