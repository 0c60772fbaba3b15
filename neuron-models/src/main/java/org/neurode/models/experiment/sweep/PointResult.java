package org.neurode.models.experiment.sweep;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.neurode.models.experiment.RunStatus;

/**
 * What one point of a sweep gave: the point, how its run ended, its numbers by flat name and the whole result
 * record as JSON. Serializable, and written to and read from its own file ({@link ResultFolder}) without loss:
 * the numbers are written as the shortest decimal that reads back to the same double.
 *
 * @param point       the point
 * @param status      how the run ended
 * @param message     why it failed (null on success)
 * @param metrics     the result's numbers by flat name ({@code finalHeldOut.microcircuit}, {@code testAccuracy};
 *                    lists and settings left out), in the result record's order
 * @param result      the whole result record as JSON text ({@code null} if the run threw)
 * @param wallSeconds wall time of the run (s; the one field that is not reproducible, with the result's own
 *                    times such as {@code trainSeconds})
 * @since 0.7
 */
public record PointResult(Point point, RunStatus status, String message, Map<String, Double> metrics,
                          String result, double wallSeconds) implements Serializable {

    private static final long serialVersionUID = 1L;

    /**
     * @param point       point
     * @param status      status
     * @param message     message
     * @param metrics     metrics
     * @param result      result JSON
     * @param wallSeconds wall time
     */
    public PointResult {
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    /**
     * @param point       the point
     * @param result      its experiment's result record
     * @param wallSeconds wall time
     * @return the point's result
     */
    static PointResult of(final Point point, final Record result, final double wallSeconds) {
        final JsonNode tree = Json.MAPPER.valueToTree(result);
        RunStatus status = RunStatus.SUCCESS;
        if (tree.path("status").isTextual()) {
            try {
                status = RunStatus.valueOf(tree.get("status").asText());
            } catch (IllegalArgumentException e) {
                status = RunStatus.SUCCESS;
            }
        }
        final String message = tree.path("message").isTextual() ? tree.get("message").asText() : null;
        return new PointResult(point, status, message, Json.flatten(tree), Json.text(tree), wallSeconds);
    }

    /**
     * @param point       the point
     * @param message     what went wrong
     * @param wallSeconds wall time
     * @return a failed result without numbers
     */
    static PointResult failed(final Point point, final String message, final double wallSeconds) {
        return new PointResult(point, RunStatus.FAILED, message, Map.of(), null, wallSeconds);
    }

    /**
     * @param name a metric's flat name
     * @return its value, NaN if the result has none of that name
     */
    public double metric(final String name) {
        final Double v = metrics.get(name);
        return v == null ? Double.NaN : v;
    }

    /**
     * The document of its file: the point's fields, the outcome, {@code settings} (so that {@code neurode run}
     * repeats the point from its file) and {@code result}.
     *
     * @return the document
     */
    ObjectNode document() {
        final ObjectNode d = Json.MAPPER.createObjectNode();
        d.put("index", point.index());
        d.put("replicate", point.replicate());
        d.put("seed", point.seed());
        d.set("coordinates", Json.MAPPER.valueToTree(point.coordinates()));
        d.put("status", status.name());
        d.put("message", message);
        d.put("wallSeconds", wallSeconds);
        d.set("metrics", Json.MAPPER.valueToTree(metrics));
        d.set("settings", Json.tree(point.settings()));
        d.set("result", result == null ? Json.MAPPER.nullNode() : Json.tree(result));
        return d;
    }

    /**
     * Reads the document of a result file back.
     *
     * @param d the document
     * @return the result
     */
    static PointResult fromDocument(final JsonNode d) {
        final Map<String, Object> coordinates = new LinkedHashMap<>();
        d.get("coordinates").fields().forEachRemaining(e -> coordinates.put(e.getKey(), Json.scalar(e.getValue())));
        final JsonNode settings = d.get("settings");
        final Point point = new Point(d.get("index").intValue(), d.get("replicate").intValue(),
                d.get("seed").longValue(), settings.get("kind").asText(), Json.text(settings), coordinates);
        final Map<String, Double> metrics = new LinkedHashMap<>();
        d.get("metrics").fields().forEachRemaining(e -> metrics.put(e.getKey(), e.getValue().isNumber()
                ? e.getValue().doubleValue() : Double.parseDouble(e.getValue().asText())));
        final JsonNode result = d.get("result");
        return new PointResult(point, RunStatus.valueOf(d.get("status").asText()),
                d.path("message").isTextual() ? d.get("message").asText() : null, metrics,
                result == null || result.isNull() ? null : Json.text(result), d.get("wallSeconds").doubleValue());
    }
}
