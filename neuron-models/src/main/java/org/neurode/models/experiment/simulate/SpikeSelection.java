package org.neurode.models.experiment.simulate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.neurode.core.EventDetector;
import org.neurode.core.Model;
import org.neurode.core.spec.ModelSpec;
import org.neurode.core.spec.PopulationSpec;

/**
 * The spike monitors of {@code neurode simulate --spikes}: which event kinds, and which slice of their members, to
 * write. An entry is a population ({@code P}: each of its events), an event kind ({@code burst}) or either with a
 * slice ({@code P[0:100]}, {@code P[100:]}, {@code P[:10]}: Python's slices, the end excluded); no entry (a bare
 * {@code --spikes}) selects every event kind whole.
 *
 * @param slices per selected event kind, in the model's order: its first member and its end (excluded)
 */
public record SpikeSelection(Map<String, int[]> slices) {

    private static final Pattern ENTRY = Pattern.compile(
            "\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*(?:\\[\\s*(\\d{0,9})\\s*:\\s*(\\d{0,9})\\s*])?\\s*");

    /**
     * @param entries the values of {@code --spikes} (none, or an empty text: every event kind)
     * @param model   the model
     * @param field   how the field is named in errors ({@code --spikes})
     * @return the selection
     * @throws IllegalArgumentException naming {@code --spikes} and the entry: malformed, unknown (with the
     *                                  populations and event kinds), a population without events, a slice outside
     *                                  the members or empty, an event kind selected twice
     */
    public static SpikeSelection of(final List<String> entries, final Model model, final String field) {
        final Map<String, int[]> picked = new LinkedHashMap<>();
        final Map<String, String> by = new LinkedHashMap<>();
        for (final String entry : entries.isEmpty() ? List.of("") : entries) {
            if (entry.isBlank()) {
                for (final EventDetector d : model.events()) {
                    put(picked, by, d.name(), new int[] {0, d.size()}, field, field);
                }
                continue;
            }
            final Matcher m = ENTRY.matcher(entry);
            if (!m.matches()) {
                throw new IllegalArgumentException(field + " " + entry.trim() + ": write a population or event kind "
                        + "(P), or a slice of its members (P[0:100], P[100:])");
            }
            final String name = m.group(1);
            final List<EventDetector> events = eventsOf(name, model, field);
            for (final EventDetector d : events) {
                final int size = d.size();
                final int from = m.group(2) == null || m.group(2).isEmpty() ? 0 : Integer.parseInt(m.group(2));
                final int to = m.group(3) == null || m.group(3).isEmpty() ? size : Integer.parseInt(m.group(3));
                if (to > size) {
                    throw new IllegalArgumentException(field + " " + entry.trim() + ": the slice ends after the "
                            + size + " members of '" + name + "' (indices 0 to " + (size - 1) + ")");
                }
                if (from >= to) {
                    throw new IllegalArgumentException(field + " " + entry.trim() + ": the slice " + from + ":" + to
                            + " is empty");
                }
                put(picked, by, d.name(), new int[] {from, to}, field + " " + entry.trim(), field);
            }
        }
        // in the model's order of events
        final Map<String, int[]> ordered = new LinkedHashMap<>();
        for (final EventDetector d : model.events()) {
            if (picked.containsKey(d.name())) {
                ordered.put(d.name(), picked.get(d.name()));
            }
        }
        return new SpikeSelection(ordered);
    }

    private static void put(final Map<String, int[]> picked, final Map<String, String> by, final String event,
                            final int[] slice, final String entry, final String field) {
        if (picked.containsKey(event)) {
            throw new IllegalArgumentException(field + ": the event kind '" + event + "' is selected twice ("
                    + by.get(event) + " and " + entry + "); give one slice per event kind");
        }
        picked.put(event, slice);
        by.put(event, entry);
    }

    /** The event kinds of a name: the event of that name, else every event of the population of that name. */
    private static List<EventDetector> eventsOf(final String name, final Model model, final String field) {
        final List<EventDetector> out = new ArrayList<>();
        for (final EventDetector d : model.events()) {
            if (d.name().equals(name)) {
                out.add(d);
                return out;
            }
        }
        final ModelSpec spec = model.spec().orElse(null);
        final PopulationSpec population = spec == null ? null : spec.population(name);
        if (population != null) {
            for (final EventDetector d : model.events()) {
                final PopulationSpec owner = spec.eventPopulation(d.name());
                if (owner != null && owner.name().equals(name)) {
                    out.add(d);
                }
            }
            if (out.isEmpty()) {
                throw new IllegalArgumentException(field + " " + name + ": population '" + name + "' has no events "
                        + "(declare its threshold)");
            }
            return out;
        }
        final List<String> known = new ArrayList<>();
        if (spec != null) {
            spec.populations().forEach(p -> known.add(p.name()));
        }
        final List<String> kinds = new ArrayList<>();
        model.events().forEach(d -> kinds.add(d.name()));
        throw new IllegalArgumentException(field + " " + name + ": no population or event kind '" + name + "'; "
                + (known.isEmpty() ? "" : "populations: " + String.join(", ", known) + "; ") + "event kinds: "
                + String.join(", ", kinds));
    }
}
