package org.neurode.models.learn;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;

/**
 * Saves and loads a trained network as one JSON document: its kind, its configuration (sizes, wiring,
 * options: everything needed to rebuild it) and every parameter block with its shape and values. Doubles are
 * written in full precision, so a loaded network computes bit-identical outputs. Files are written
 * atomically (temporary file, then rename).
 *
 * <pre>{@code
 * { "format": "neurode-network", "version": 1, "kind": "ltc",
 *   "config": { ... },
 *   "parameters": { "gleak": { "rows": 1, "cols": 8, "values": [ ... ] }, ... } }
 * }</pre>
 *
 * @since 0.2
 */
public final class ModelJson {

    /** The {@code format} field of every file. */
    public static final String FORMAT = "neurode-network";

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * A loaded document.
     *
     * @param kind   the network kind, e.g. {@code ltc}
     * @param config its configuration
     * @param json   the whole document (to read the parameters with {@link #readParameters})
     */
    public record Document(String kind, JsonNode config, JsonNode json) {
    }

    private ModelJson() {
    }

    /** @return the shared mapper (for building configurations) */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * Writes a network.
     *
     * @param file       destination (parent folders created)
     * @param kind       network kind
     * @param config     configuration (any Jackson-serializable map)
     * @param parameters the parameters
     */
    public static void write(final Path file, final String kind, final Map<String, ?> config,
                             final ParameterVector parameters) {
        final ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", 1);
        root.put("kind", kind);
        root.set("config", MAPPER.valueToTree(config));
        final ObjectNode ps = root.putObject("parameters");
        final double[] v = parameters.values();
        for (final ParameterVector.Block b : parameters.blocks()) {
            final ObjectNode node = ps.putObject(b.name());
            node.put("rows", b.rows());
            node.put("cols", b.cols());
            final var arr = node.putArray("values");
            for (int i = 0; i < b.size(); i++) {
                arr.add(v[b.offset() + i]);
            }
        }
        try {
            final Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            final Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
            MAPPER.writeValue(tmp.toFile(), root);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a network file and checks its format.
     *
     * @param file the file
     * @return the document
     * @throws OdeException naming the file and field if it is not a neurode network
     */
    public static Document read(final Path file) {
        final JsonNode root;
        try {
            root = MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, file + ": not readable JSON: " + e.getMessage());
        }
        if (root == null || !FORMAT.equals(root.path("format").asText())) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, file + ": field 'format' must be '" + FORMAT + "'");
        }
        if (!root.path("kind").isTextual()) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, file + ": field 'kind' is missing");
        }
        if (!root.path("parameters").isObject()) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, file + ": field 'parameters' is missing");
        }
        return new Document(root.get("kind").asText(), root.path("config"), root);
    }

    /**
     * Copies the document's parameter values into a vector built from its configuration; every block must be
     * present with the same shape.
     *
     * @param document   the document
     * @param parameters the vector to fill
     * @param source     file name for messages
     */
    public static void readParameters(final Document document, final ParameterVector parameters,
                                      final String source) {
        final JsonNode ps = document.json().get("parameters");
        final double[] v = parameters.values();
        for (final ParameterVector.Block b : parameters.blocks()) {
            final JsonNode node = ps.get(b.name());
            final String where = source + ": parameters." + b.name();
            if (node == null) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, where + " is missing");
            }
            if (node.path("rows").asInt() != b.rows() || node.path("cols").asInt() != b.cols()) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, where + " has shape " + node.path("rows").asInt()
                        + " x " + node.path("cols").asInt() + ", the configuration needs " + b.rows() + " x "
                        + b.cols());
            }
            final JsonNode values = node.path("values");
            if (!values.isArray() || values.size() != b.size()) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, where + ".values must hold " + b.size()
                        + " numbers");
            }
            for (int i = 0; i < b.size(); i++) {
                final JsonNode x = values.get(i);
                if (!x.isNumber()) {
                    throw new OdeException(ErrorCode.INVALID_ARGUMENT, where + ".values[" + i + "] is not a number");
                }
                v[b.offset() + i] = x.asDouble();
            }
        }
    }

    /**
     * @param entries alternating keys and values
     * @return an ordered configuration map
     */
    public static Map<String, Object> config(final Object... entries) {
        final Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < entries.length; i += 2) {
            m.put((String) entries[i], entries[i + 1]);
        }
        return m;
    }
}
