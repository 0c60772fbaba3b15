package org.neurode.models.experiment.compare;

import java.util.List;
import java.util.Map;

import org.neurode.models.experiment.RunStatus;
import org.neurode.solvers.compare.WorkPrecision;

/**
 * What a work-precision comparison ({@link CompareSolvers}) measured.
 *
 * @param settings                      the settings of the comparison
 * @param status                        {@link RunStatus#SUCCESS} (a solve that fails is a run with status FAILED,
 *                                      not a failed comparison), or {@link RunStatus#INTERRUPTED} when a stop
 *                                      request ended it early ({@code runs} then holds the runs measured)
 * @param problems                      the problems compared, in order
 * @param solvers                       the solvers' names, in order
 * @param runs                          one run per problem, solver and tolerance (or step count), in that order
 * @param failures                      runs that failed
 * @param toleranceProportionality     per problem and solver: the slope of log error against log rtol (null when
 *                                      it cannot be fitted)
 * @param pooledProportionalityNonstiff per solver: the slope pooled over the non-stiff problems (null when none)
 * @since 0.2
 */
public record CompareSolversResult(CompareSolversSettings settings, RunStatus status, List<Problem> problems,
                                   List<String> solvers, List<WorkPrecision.Run> runs, long failures,
                                   Map<String, Map<String, Double>> toleranceProportionality,
                                   Map<String, Double> pooledProportionalityNonstiff) {

    /**
     * A problem of the comparison.
     *
     * @param name            name (the runs' {@code problem})
     * @param title           title of its figure
     * @param description     one line
     * @param dimension       state variables
     * @param t0              start time
     * @param tEnd            end time
     * @param stiff           whether it is stiff
     * @param atolFactor      atol = rtol times this
     * @param hasReference    whether its end values are given (else computed by a different method at 1e-13)
     * @param referenceSource where the reference comes from
     */
    public record Problem(String name, String title, String description, int dimension, double t0, double tEnd,
                          boolean stiff, double atolFactor, boolean hasReference, String referenceSource) {
    }
}
