package org.neurode.models.experiment.simulate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.neurode.core.EventDetector;
import org.neurode.core.InputSchedule;
import org.neurode.core.Model;
import org.neurode.core.Problem;
import org.neurode.core.ThresholdEvent;

/**
 * A ready-to-run set-up of a model for {@code neurode simulate}: the model, its input schedules, what to
 * record and plot by default, and a description of the set-up for {@code results.json}.
 *
 * @param model         the model
 * @param inputs        input schedules (copied)
 * @param defaultRecord variables recorded when {@code --record} is not given, e.g. {@code v[0..4]}
 * @param panelTitles   plot panel titles by block name (copied)
 * @param setup         how the run is set up beyond the model parameters (copied; JSON-friendly values)
 * @param spiking       true if the model's events are spikes (raster plot, spike count, rate)
 * @since 0.1
 */
public record Scenario(Model model, List<InputSchedule> inputs, List<String> defaultRecord,
                       Map<String, String> panelTitles, Map<String, Object> setup, boolean spiking) {

    /**
     * Copies the collections.
     *
     * @param model         the model
     * @param inputs        input schedules
     * @param defaultRecord default recorded variables
     * @param panelTitles   panel titles
     * @param setup         set-up description
     * @param spiking       true for spiking models
     */
    public Scenario {
        inputs = List.copyOf(inputs);
        defaultRecord = List.copyOf(defaultRecord);
        panelTitles = Map.copyOf(panelTitles);
        setup = withEvents(model, setup);
    }

    /**
     * @param changed the same model with other parameters or without noise
     * @return this scenario with that model (events in the set-up description are listed anew)
     */
    public Scenario withModel(final Model changed) {
        return new Scenario(changed, inputs, defaultRecord, panelTitles, setup, spiking);
    }

    /**
     * @param tEnd end time (ms)
     * @return the problem from t = 0 and the model's initial state, with the inputs
     */
    public Problem problem(final double tEnd) {
        return new Problem(model, model.initialState(), 0.0, tEnd, inputs);
    }

    /** Most elements of a variable a model file's run records by default. */
    public static final int WHOLE_RECORD_LIMIT = 1000;

    /**
     * A scenario for a model read from a text file ({@link org.neurode.core.expr.ModelFile}): no input
     * schedule, every state variable recorded (plots show the first elements of each); of a variable with more
     * than {@link #WHOLE_RECORD_LIMIT} elements only the first ten (of its first row, for a matrix), so that a
     * 4,000-neuron network does not record 12,000 columns by default (measured on CUBA: 2.2 s of a 2.4-s run).
     *
     * @param file   the parsed file
     * @param source the file name (kept in the set-up description)
     * @return the scenario
     */
    public static Scenario fromModelFile(final org.neurode.core.expr.ModelFile file, final String source) {
        final List<String> record = new ArrayList<>();
        for (final org.neurode.core.StateLayout.Block b : file.model().layout().blocks()) {
            if (b.size() <= WHOLE_RECORD_LIMIT) {
                record.add(b.name());
            } else if (b.cols() == 1) {
                record.add(b.name() + "[0..9]");
            } else {
                record.add(b.name() + "[0, 0.." + (Math.min(10, b.cols()) - 1) + "]");
            }
        }
        final Map<String, Object> setup = new LinkedHashMap<>();
        setup.put("modelFile", source);
        return new Scenario(file.model(), List.of(), record, Map.of(), setup, !file.model().events().isEmpty());
    }

    private static Map<String, Object> withEvents(final Model model, final Map<String, Object> setup) {
        final Map<String, Object> all = new LinkedHashMap<>(setup);
        final List<Map<String, Object>> events = new ArrayList<>();
        for (final EventDetector d : model.events()) {
            if (d instanceof ThresholdEvent te) {
                final Map<String, Object> e = new LinkedHashMap<>();
                e.put("name", te.name());
                e.put("variable", te.block().name());
                e.put("threshold", te.threshold());
                e.put("reset", te.reset());
                e.put("refractory", te.refractoryPeriod());
                e.put("detection", te.detection().name());
                events.add(e);
            }
        }
        if (!events.isEmpty()) {
            all.put("thresholds", events);
        }
        return Collections.unmodifiableMap(all);
    }
}
