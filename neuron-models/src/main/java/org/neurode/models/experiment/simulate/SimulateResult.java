package org.neurode.models.experiment.simulate;

import java.util.Map;

import org.neurode.core.SolveStatistics;
import org.neurode.models.experiment.RunStatus;

/**
 * What one simulation ({@link Simulate}) gave, as numbers a sweep can tabulate; the trajectory itself is written to
 * files by the command line ({@link Simulate#advance} hands it over).
 *
 * @param settings     the settings of the run
 * @param status       SUCCESS, FAILED (the solver failed or the state blew up: the message says when and where) or
 *                     INTERRUPTED (a stop request)
 * @param message      why it failed or stopped (null on success)
 * @param model        the model's name
 * @param neurons      population size of a built-in model (null for a model document)
 * @param dimension    state variables
 * @param solver       the solver's name
 * @param parameters   the model's scalar parameters as run (after {@code params})
 * @param tEnd         the end time asked for
 * @param finalTime    the time reached
 * @param statistics   the solver's work counters
 * @param spikeCount   events of all kinds (null for a model without spikes)
 * @param meanRateHz   events per firing member and second (null for a model without spikes)
 * @param eventCounts  events by kind
 * @param eventRatesHz events per member of the kind and second, by kind (with the model's time unit)
 * @param finalValues  the last recorded sample of every recorded column, by column name
 * @param solveSeconds wall time of the solve (s; not reproducible)
 * @since 0.7
 */
public record SimulateResult(SimulateSettings settings, RunStatus status, String message, String model,
                             Integer neurons, int dimension, String solver, Map<String, Double> parameters,
                             double tEnd, double finalTime, SolveStatistics statistics, Long spikeCount,
                             Double meanRateHz, Map<String, Long> eventCounts, Map<String, Double> eventRatesHz,
                             Map<String, Double> finalValues, double solveSeconds) {
}
