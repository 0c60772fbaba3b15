package org.neurode.models.experiment.sweep;

import java.util.List;

/**
 * One axis of a sweep: a settings field of the base experiment and the values it takes.
 *
 * @param name   the settings field
 * @param form   how the file gave the values
 * @param values the values in order: {@code Long}, {@code Double}, {@code String} or {@code Boolean}, of the
 *               field's type
 * @since 0.7
 */
public record Axis(String name, Form form, List<Object> values) {

    /** How an axis's values are given. */
    public enum Form {
        /** A list: {@code [1, 3, 10]}. */
        LIST,
        /** Evenly spaced: {@code {from: 0.1, to: 0.5, step: 0.1}} or {@code {from: 1, to: 9, count: 5}}. */
        RANGE,
        /** Geometrically spaced: {@code {from: 10, to: 1000, count: 5, scale: log}}. */
        LOG_RANGE,
        /** Uniform random samples with their own seed: {@code {random: uniform, from: 0, to: 1, count: 8, seed: 3}}. */
        RANDOM,
        /** Log-uniform random samples: {@code {random: log-uniform, from: 1e-3, to: 1, count: 8, seed: 3}}. */
        LOG_RANDOM
    }

    /**
     * @param name   field
     * @param form   form
     * @param values values
     */
    public Axis {
        values = List.copyOf(values);
    }

    /** @return true if the values are spread on a log scale (a summary figure draws a log axis) */
    public boolean logScale() {
        return form == Form.LOG_RANGE || form == Form.LOG_RANDOM;
    }

    /** @return true if every value is a number (a line chart; else categories) */
    public boolean numeric() {
        return values.stream().allMatch(v -> v instanceof Number);
    }
}
