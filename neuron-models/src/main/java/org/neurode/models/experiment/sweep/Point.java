package org.neurode.models.experiment.sweep;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.neurode.models.experiment.Checkpoints;
import org.neurode.models.experiment.ExperimentSpec;
import org.neurode.models.experiment.Progress;
import org.neurode.models.experiment.SettingsFiles;

/**
 * One point of a sweep: everything a worker needs to run it, in a serializable value of plain fields (the kind,
 * the complete settings as JSON text, the seed and the point's index), so that a local thread, another process
 * or a cluster runner ships the same points and gets the same numbers: a point's result depends on this value
 * only ({@link #run}).
 *
 * @param index       the point's index in the sweep (0-based; also its result file's name)
 * @param replicate   which of the sweep's seeds (0-based)
 * @param seed        the value of the settings' {@code seed} field (0 if the kind has none)
 * @param kind        the experiment's kind
 * @param settings    the complete settings as a JSON document with {@code kind} ({@link SettingsFiles#document})
 * @param coordinates the axes' values at this point, by axis name in the sweep's order ({@code Long},
 *                    {@code Double}, {@code String} or {@code Boolean})
 * @since 0.7
 */
public record Point(int index, int replicate, long seed, String kind, String settings,
                    Map<String, Object> coordinates) implements Serializable {

    private static final long serialVersionUID = 1L;

    /**
     * @param index       index
     * @param replicate   replicate
     * @param seed        seed
     * @param kind        kind
     * @param settings    settings JSON
     * @param coordinates axis values
     */
    public Point {
        coordinates = Collections.unmodifiableMap(new LinkedHashMap<>(coordinates));
    }

    /** @return the experiment and its settings, read back from {@link #settings()} */
    public ExperimentSpec<?, ?> spec() {
        return SettingsFiles.parse(settings, "point " + index, false);
    }

    /**
     * Runs the point in this thread (without checkpoints: a point stopped or killed is run again from its start).
     * A run that throws (invalid settings found only when it starts) gives a {@link org.neurode.models.experiment
     * .RunStatus#FAILED FAILED} result with the message.
     *
     * @param progress receives the run's progress and is asked whether to stop
     * @return the result
     */
    public PointResult run(final Progress progress) {
        final long start = System.nanoTime();
        Record result;
        try {
            result = spec().run(progress, Checkpoints.NONE);
        } catch (RuntimeException e) {
            return PointResult.failed(this, e.getClass().getSimpleName() + ": " + e.getMessage(),
                    (System.nanoTime() - start) * 1e-9);
        }
        return PointResult.of(this, result, (System.nanoTime() - start) * 1e-9);
    }

    /** @return the file name of its result, {@code point-000042.json} */
    public String fileName() {
        return String.format(java.util.Locale.ROOT, "point-%06d.json", index);
    }

    /** @return the coordinates and seed as one line, {@code learningRateScale=100, seed=123} */
    public String label() {
        final StringBuilder b = new StringBuilder();
        for (final Map.Entry<String, Object> c : coordinates.entrySet()) {
            b.append(b.length() == 0 ? "" : ", ").append(c.getKey()).append('=').append(c.getValue());
        }
        return b.append(b.length() == 0 ? "" : ", ").append("seed=").append(seed).toString();
    }
}
