package org.neurode.models.experiment.sweep;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The JSON of the sweep package: strict reading (as settings files), NaN written as text and read back. */
final class Json {

    /** Strict, as {@code SettingsFiles}; NaN and infinities are written as the strings "NaN", "Infinity". */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private Json() {
    }

    /**
     * @param value a value
     * @return compact JSON text
     */
    static String text(final Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param text JSON text
     * @return its tree
     */
    static JsonNode tree(final String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The numbers of a result as flat names: the numeric fields, and those of nested records joined with dots
     * ({@code finalHeldOut.microcircuit}); lists and the embedded {@code settings} are left out.
     *
     * @param result a result as a tree
     * @return the numbers by name, in the record's order
     */
    static Map<String, Double> flatten(final JsonNode result) {
        final Map<String, Double> out = new LinkedHashMap<>();
        flatten("", result, out);
        return out;
    }

    private static void flatten(final String prefix, final JsonNode node, final Map<String, Double> out) {
        final Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            final Map.Entry<String, JsonNode> f = it.next();
            final String name = prefix + f.getKey();
            final JsonNode v = f.getValue();
            if (prefix.isEmpty() && "settings".equals(f.getKey())) {
                continue;
            }
            if (v.isNumber()) {
                out.put(name, v.doubleValue());
            } else if (v.isTextual() && isNonFinite(v.asText())) {
                out.put(name, Double.parseDouble(v.asText()));
            } else if (v.isObject()) {
                flatten(name + ".", v, out);
            }
        }
    }

    private static boolean isNonFinite(final String s) {
        return "NaN".equals(s) || "Infinity".equals(s) || "-Infinity".equals(s);
    }

    /**
     * @param v a scalar tree
     * @return it as {@code Long}, {@code Double}, {@code String} or {@code Boolean}
     */
    static Object scalar(final JsonNode v) {
        if (v.isIntegralNumber()) {
            return v.longValue();
        }
        if (v.isNumber()) {
            return v.doubleValue();
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        return v.asText();
    }
}
