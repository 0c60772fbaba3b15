package org.neurode.models.experiment.sweep;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;

/**
 * A document read with the location of every value (Jackson's trees keep none): a mapping, a list or a scalar
 * ({@link #value()}), so that every error of a sweep file can name its line and column.
 *
 * @param at     where the value starts
 * @param value  the value as a tree
 * @param fields a mapping's fields in order, each with the location of its name ({@link #nameAt}); empty otherwise
 * @param items  a list's items; empty otherwise
 * @param nameAt the locations of a mapping's field names
 */
record Located(JsonLocation at, JsonNode value, Map<String, Located> fields, List<Located> items,
               Map<String, JsonLocation> nameAt) {

    /**
     * Reads the value at the parser's current token (and its children).
     *
     * @param p      the parser, at the first token of the value
     * @param mapper reads scalars and whole subtrees
     * @param source name of the source in messages
     * @return the located value
     * @throws IOException if the text is not valid
     */
    static Located read(final JsonParser p, final ObjectMapper mapper, final String source) throws IOException {
        final JsonLocation at = p.currentTokenLocation();
        final JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT) {
            final Map<String, Located> fields = new LinkedHashMap<>();
            final Map<String, JsonLocation> names = new LinkedHashMap<>();
            final com.fasterxml.jackson.databind.node.ObjectNode tree = mapper.createObjectNode();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                final String name = p.currentName();
                final JsonLocation nameLocation = p.currentTokenLocation();
                if (fields.containsKey(name)) {
                    throw error(source, nameLocation, "field '" + name + "' is given twice");
                }
                p.nextToken();
                final Located v = read(p, mapper, source);
                fields.put(name, v);
                names.put(name, nameLocation);
                tree.set(name, v.value());
            }
            return new Located(at, tree, Collections.unmodifiableMap(fields), List.of(),
                    Collections.unmodifiableMap(names));
        }
        if (t == JsonToken.START_ARRAY) {
            final List<Located> items = new ArrayList<>();
            final com.fasterxml.jackson.databind.node.ArrayNode tree = mapper.createArrayNode();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                final Located v = read(p, mapper, source);
                items.add(v);
                tree.add(v.value());
            }
            return new Located(at, tree, Map.of(), List.copyOf(items), Map.of());
        }
        final JsonNode scalar = mapper.readTree(p);
        return new Located(at, scalar == null ? mapper.nullNode() : scalar, Map.of(), List.of(), Map.of());
    }

    /** @return true for a mapping */
    boolean isMapping() {
        return value.isObject();
    }

    /**
     * @param source  name of the source
     * @param at      a location (null: none)
     * @param message the message
     * @return an error naming the source, line and column
     */
    static OdeException error(final String source, final JsonLocation at, final String message) {
        final String where = at == null ? source : source + ":" + at.getLineNr() + ":" + at.getColumnNr();
        return new OdeException(ErrorCode.INVALID_ARGUMENT, where + ": " + message);
    }

    /**
     * @param source  name of the source
     * @param message the message
     * @return an error at this value
     */
    OdeException error(final String source, final String message) {
        return error(source, at, message);
    }

    /** @return a short description of the value's type, for messages */
    String describe() {
        if (value.isObject()) {
            return "a mapping";
        }
        if (value.isArray()) {
            return "a list";
        }
        if (value.isTextual()) {
            return "text '" + value.asText() + "'";
        }
        if (value.isNull()) {
            return "nothing";
        }
        return value.toString();
    }
}
