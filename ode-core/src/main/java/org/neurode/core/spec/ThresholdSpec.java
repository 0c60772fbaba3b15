package org.neurode.core.spec;

import java.util.Objects;

import org.neurode.core.Detection;

/**
 * Threshold, reset and refractory period of a population: an element that rises above the threshold is set to
 * the reset value (below the threshold) and held for the refractory period.
 *
 * @param variable   the state variable's name
 * @param threshold  threshold (unit of the variable)
 * @param reset      reset value (unit of the variable), below the threshold
 * @param refractory refractory period (time unit), not negative
 * @param detection  root-found crossings or checks at step ends
 * @since 0.3
 */
public record ThresholdSpec(String variable, double threshold, double reset, double refractory,
                            Detection detection) {

    /**
     * @param variable   variable
     * @param threshold  threshold
     * @param reset      reset
     * @param refractory refractory period
     * @param detection  detection
     */
    public ThresholdSpec {
        Objects.requireNonNull(variable, "variable");
        Objects.requireNonNull(detection, "detection");
    }
}
