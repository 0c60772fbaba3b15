package org.neurode.models.experiment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;

/**
 * Settings files: an experiment's settings as a YAML or JSON mapping whose {@code kind} field selects the
 * experiment ({@link Experiments}) and whose other fields are the components of its settings record. Fields left
 * out take the experiment's {@link Experiment#defaults() defaults}. An unknown or misspelled field, a field given
 * twice, a value of the wrong type (a fraction for a whole number, text for a number) and invalid settings are
 * errors ({@link OdeException}) that name the file, line and column:
 * {@code experiment.yaml:3:5: unknown field 'paterns' in regression settings (did you mean 'patterns'?)}.
 *
 * <p>A results file that embeds its settings under {@code settings} (as every experiment's {@code results.json}
 * does) reads as its settings, so that a run can be repeated from its own output.
 *
 * @since 0.2
 */
public final class SettingsFiles {

    /** Field that selects the experiment. */
    public static final String KIND = "kind";
    /** Field of a results file that holds its settings. */
    public static final String SETTINGS = "settings";

    /** Strict reading: no coercion of fractions to whole numbers or of text to numbers, no nulls for numbers. */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private SettingsFiles() {
    }

    /**
     * Reads a settings file, or the settings embedded in a results file.
     *
     * @param file a {@code .yaml}/{@code .yml} or {@code .json} file (other names: YAML unless the text starts
     *             with <code>{</code>)
     * @return the experiment and its settings
     * @throws OdeException naming the file (and line and column) if it cannot be read or is invalid
     */
    public static ExperimentSpec<?, ?> read(final Path file) {
        final String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new OdeException(e, ErrorCode.INVALID_ARGUMENT, file + ": cannot read it ("
                    + e.getClass().getSimpleName() + (e.getMessage() != null ? ": " + e.getMessage() : "") + ")");
        }
        return parse(text, file.getFileName() == null ? file.toString() : file.getFileName().toString(),
                isYaml(file.toString(), text), file.toAbsolutePath().getParent());
    }

    /**
     * @param name a file name
     * @param text its text
     * @return true if the file is read as YAML
     */
    static boolean isYaml(final String name, final String text) {
        final String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".json")) {
            return false;
        }
        if (lower.endsWith(".yaml") || lower.endsWith(".yml")) {
            return true;
        }
        return !text.stripLeading().startsWith("{");
    }

    /**
     * Reads settings from text.
     *
     * @param text   the document
     * @param source name of the source in messages (a file name)
     * @param yaml   true for YAML, false for JSON
     * @return the experiment and its settings
     * @throws OdeException naming the source, line and column of the first error
     */
    public static ExperimentSpec<?, ?> parse(final String text, final String source, final boolean yaml) {
        return parse(text, source, yaml, null);
    }

    /**
     * Reads settings from text whose file names ({@link FileText} fields) are relative to a folder.
     *
     * @param text   the document
     * @param source name of the source in messages (a file name)
     * @param yaml   true for YAML, false for JSON
     * @param folder the folder of relative file names (null: the working directory)
     * @return the experiment and its settings
     * @throws OdeException naming the source, line and column of the first error
     * @since 0.7
     */
    public static ExperimentSpec<?, ?> parse(final String text, final String source, final boolean yaml,
                                             final Path folder) {
        final JsonFactory factory = yaml ? new YAMLFactory() : new JsonFactory();
        // pass 1: where are the settings (top level, or under 'settings' in a results file) and of which kind
        final JsonNode tree;
        try (JsonParser p = factory.createParser(text)) {
            final JsonToken first = p.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw error(source, p.currentTokenLocation(), "expected a mapping with a '" + KIND + "' field, found "
                        + (first == null ? "an empty document" : describe(first)));
            }
            tree = MAPPER.readTree(p);
        } catch (JsonProcessingException e) {
            throw syntax(source, e);
        } catch (IOException e) {
            throw new OdeException(e, ErrorCode.INVALID_ARGUMENT, source + ": " + e.getMessage());
        }
        final boolean nested = !tree.has(KIND) && tree.path(SETTINGS).isObject();
        return parseMapping(factory, text, source, nested ? SETTINGS : null, nested ? tree.get(SETTINGS) : tree,
                folder);
    }

    /**
     * Reads the settings that a field of a larger document holds (the {@code base} of a sweep file), with the
     * same checks as {@link #parse} and the locations of the whole document.
     *
     * @param text   the document: a mapping
     * @param source name of the source in messages (a file name)
     * @param yaml   true for YAML, false for JSON
     * @param field  the top-level field whose value is the settings mapping
     * @return the experiment and its settings
     * @throws OdeException naming the source, line and column of the first error
     * @since 0.7
     */
    public static ExperimentSpec<?, ?> parseField(final String text, final String source, final boolean yaml,
                                                  final String field) {
        return parseField(text, source, yaml, field, null);
    }

    /**
     * As {@link #parseField(String, String, boolean, String)}, with file names relative to a folder.
     *
     * @param text   the document: a mapping
     * @param source name of the source in messages (a file name)
     * @param yaml   true for YAML, false for JSON
     * @param field  the top-level field whose value is the settings mapping
     * @param folder the folder of relative file names ({@link FileText} fields; null: the working directory)
     * @return the experiment and its settings
     * @throws OdeException naming the source, line and column of the first error
     * @since 0.7
     */
    public static ExperimentSpec<?, ?> parseField(final String text, final String source, final boolean yaml,
                                                  final String field, final Path folder) {
        final JsonFactory factory = yaml ? new YAMLFactory() : new JsonFactory();
        final JsonNode tree;
        try (JsonParser p = factory.createParser(text)) {
            p.nextToken();
            tree = MAPPER.readTree(p);
        } catch (JsonProcessingException e) {
            throw syntax(source, e);
        } catch (IOException e) {
            throw new OdeException(e, ErrorCode.INVALID_ARGUMENT, source + ": " + e.getMessage());
        }
        if (tree == null || !tree.path(field).isObject()) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, source + ": '" + field + "' is not a mapping");
        }
        return parseMapping(factory, text, source, field, tree.get(field), folder);
    }

    private static ExperimentSpec<?, ?> parseMapping(final JsonFactory factory, final String text,
                                                     final String source, final String field,
                                                     final JsonNode settingsNode, final Path folder) {
        // pass 2: the fields of that mapping, each with its location
        try (JsonParser p = factory.createParser(text)) {
            p.nextToken();
            if (field != null) {
                moveToField(p, field);
            }
            final JsonLocation start = p.currentTokenLocation();
            final JsonNode kindNode = settingsNode.get(KIND);
            if (kindNode == null) {
                throw error(source, start, "no '" + KIND + "' field: it names the experiment, one of "
                        + String.join(", ", Experiments.kinds()));
            }
            final Map<String, JsonLocation> where = new LinkedHashMap<>();
            final Map<String, JsonLocation> valueAt = new LinkedHashMap<>();
            final Map<String, JsonNode> values = new LinkedHashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                final String name = p.currentName();
                final JsonLocation at = p.currentTokenLocation();
                p.nextToken();
                if (where.containsKey(name)) {
                    throw error(source, at, "field '" + name + "' is given twice");
                }
                where.put(name, at);
                valueAt.put(name, p.currentTokenLocation());
                values.put(name, MAPPER.readTree(p));
            }
            if (!kindNode.isTextual()) {
                throw error(source, valueAt.get(KIND), "'" + KIND + "' must be a name, one of "
                        + String.join(", ", Experiments.kinds()));
            }
            final Experiment<?, ?> experiment;
            try {
                experiment = Experiments.get(kindNode.asText());
            } catch (OdeException e) {
                throw error(source, valueAt.get(KIND), e.getMessage());
            }
            return spec(experiment, values, where, valueAt, start, source, folder);
        } catch (JsonProcessingException e) {
            throw syntax(source, e);
        } catch (IOException e) {
            throw new OdeException(e, ErrorCode.INVALID_ARGUMENT, source + ": " + e.getMessage());
        }
    }

    private static <S extends Record, R extends Record> ExperimentSpec<S, R> spec(
            final Experiment<S, R> experiment, final Map<String, JsonNode> values, final Map<String, JsonLocation> where,
            final Map<String, JsonLocation> valueAt, final JsonLocation start, final String source,
            final Path folder) {
        final Class<S> type = experiment.settingsType();
        final List<String> fields = fieldNames(type);
        final ObjectNode merged = MAPPER.valueToTree(experiment.defaults());
        for (final Map.Entry<String, JsonNode> v : values.entrySet()) {
            final String name = v.getKey();
            if (KIND.equals(name)) {
                continue;
            }
            if (!fields.contains(name)) {
                final String hint = Suggestions.closest(name, fields);
                throw error(source, where.get(name), "unknown field '" + name + "' in " + experiment.kind()
                        + " settings" + (hint != null ? " (did you mean '" + hint + "'?)"
                                                      : "; its fields are " + String.join(", ", fields)));
            }
            final Class<?> entryType = mapValueType(type, name);
            if (entryType != null && v.getValue().isObject()) {
                // a mapping field takes no empty entries (parameters: {w21: null} would fail only when it runs)
                final Iterator<Map.Entry<String, JsonNode>> entries = v.getValue().fields();
                while (entries.hasNext()) {
                    final Map.Entry<String, JsonNode> e = entries.next();
                    if (e.getValue().isNull()) {
                        throw error(source, valueAt.getOrDefault(name, start), "field '" + name + "', entry '"
                                + e.getKey() + "': " + expected(entryType) + ", found null");
                    }
                }
            }
            merged.set(name, embedFiles(type, name, v.getValue(), folder, source, valueAt.getOrDefault(name, start)));
        }
        final java.util.Set<String> given = new java.util.LinkedHashSet<>(values.keySet());
        given.remove(KIND);
        try {
            final S read = MAPPER.treeToValue(merged, type);
            final S settings;
            try {
                settings = experiment.completed(read, given);
            } catch (IllegalArgumentException e) {
                throw error(source, start, experiment.kind() + " settings: " + e.getMessage());
            }
            return new ExperimentSpec<>(experiment, settings, given);
        } catch (ValueInstantiationException e) {
            // the record's own validation: a combination of fields, so the location of the mapping
            final Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw error(source, start, experiment.kind() + " settings: " + cause.getMessage());
        } catch (JsonMappingException e) {
            final String field = e.getPath().isEmpty() ? null : e.getPath().get(0).getFieldName();
            final JsonLocation at = field != null && valueAt.containsKey(field) ? valueAt.get(field) : start;
            final JsonNode value = field != null ? values.get(field) : null;
            // an entry of a mapping field (parameters: {w21: "0"}): name the entry and what its values take
            final String entry = e.getPath().size() > 1 ? e.getPath().get(1).getFieldName() : null;
            final Class<?> entryType = entry != null ? mapValueType(type, field) : null;
            if (entryType != null && value != null && value.has(entry)) {
                throw error(source, at, "field '" + field + "', entry '" + entry + "': " + expected(entryType)
                        + ", found " + value.get(entry));
            }
            throw error(source, at, (field != null ? "field '" + field + "'" : experiment.kind() + " settings")
                    + ": " + expected(type, field) + (value != null ? ", found " + value : ""));
        } catch (JsonProcessingException e) {
            throw syntax(source, e);
        }
    }

    /**
     * A {@link FileText} field (or list of them) given as a file name: the file read and embedded as
     * {@code {name, text}}; any other value as it is.
     */
    private static JsonNode embedFiles(final Class<?> type, final String field, final JsonNode value, final Path folder,
                                       final String source, final JsonLocation at) {
        for (final var c : type.getRecordComponents()) {
            if (!c.getName().equals(field)) {
                continue;
            }
            final boolean single = FileText.class.isAssignableFrom(c.getType());
            final boolean list = List.class.isAssignableFrom(c.getType())
                    && c.getGenericType() instanceof java.lang.reflect.ParameterizedType pt
                    && pt.getActualTypeArguments()[0] instanceof Class<?> e && FileText.class.isAssignableFrom(e);
            if (single && value.isTextual()) {
                return embedded(field, value.asText(), folder, source, at);
            }
            if (list && value.isArray()) {
                final com.fasterxml.jackson.databind.node.ArrayNode out = MAPPER.createArrayNode();
                for (final JsonNode item : value) {
                    out.add(item.isTextual() ? embedded(field, item.asText(), folder, source, at) : item);
                }
                return out;
            }
        }
        return value;
    }

    private static JsonNode embedded(final String field, final String name, final Path folder, final String source,
                                     final JsonLocation at) {
        final Path file = (folder == null ? Path.of("") : folder).resolve(name);
        try {
            final ObjectNode o = MAPPER.createObjectNode();
            o.put("name", name);
            o.put("text", Files.readString(file, StandardCharsets.UTF_8));
            return o;
        } catch (IOException e) {
            throw error(source, at, "field '" + field + "': cannot read " + name + " ("
                    + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getClass().getSimpleName()
                    + (e.getMessage() != null ? ": " + e.getMessage() : "")) + ")");
        }
    }

    /** The value type of a settings field declared as {@code Map<String, V>}, or null. */
    private static Class<?> mapValueType(final Class<?> type, final String field) {
        for (final var c : type.getRecordComponents()) {
            if (c.getName().equals(field) && Map.class.isAssignableFrom(c.getType())
                    && c.getGenericType() instanceof java.lang.reflect.ParameterizedType pt
                    && pt.getActualTypeArguments().length == 2
                    && pt.getActualTypeArguments()[1] instanceof Class<?> v) {
                return v;
            }
        }
        return null;
    }

    private static String expected(final Class<?> type, final String field) {
        for (final var c : type.getRecordComponents()) {
            if (c.getName().equals(field)) {
                return expected(c.getType());
            }
        }
        return "invalid value";
    }

    /**
     * What a settings field of a type takes, for error messages.
     *
     * @param t the field's type
     * @return e.g. "expected a whole number", "expected one of A, B"
     */
    public static String expected(final Class<?> t) {
        if (t == int.class || t == long.class || t == Integer.class || t == Long.class) {
            return "expected a whole number";
        }
        if (t == double.class || t == float.class || t == Double.class) {
            return "expected a number";
        }
        if (t == boolean.class || t == Boolean.class) {
            return "expected true or false";
        }
        if (t.isEnum()) {
            final List<String> names = new ArrayList<>();
            for (final Object o : t.getEnumConstants()) {
                names.add(((Enum<?>) o).name());
            }
            return "expected one of " + String.join(", ", names);
        }
        if (t == String.class) {
            return "expected a name";
        }
        if (java.util.List.class.isAssignableFrom(t)) {
            return "expected a list";
        }
        if (Map.class.isAssignableFrom(t)) {
            return "expected a mapping of names to values";
        }
        return "expected a " + t.getSimpleName();
    }

    /** Moves a parser at the start of the top-level mapping to the value of one of its fields. */
    private static void moveToField(final JsonParser p, final String name) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            final boolean found = name.equals(p.currentName());
            p.nextToken();
            if (found) {
                return;
            }
            p.skipChildren();
        }
    }

    /**
     * @param type a settings record
     * @return its field names in declaration order
     */
    public static List<String> fieldNames(final Class<? extends Record> type) {
        final List<String> names = new ArrayList<>();
        for (final var c : type.getRecordComponents()) {
            names.add(c.getName());
        }
        return names;
    }

    /**
     * The settings as a document: {@code kind} first, then every field of the record in declaration order (the
     * form results files embed under {@code settings}).
     *
     * @param kind     the experiment's kind
     * @param settings the settings record
     * @return a map of JSON values (numbers, text, booleans), in order
     */
    public static Map<String, Object> document(final String kind, final Record settings) {
        final Map<String, Object> doc = new LinkedHashMap<>();
        doc.put(KIND, kind);
        @SuppressWarnings("unchecked")
        final Map<String, Object> fields = MAPPER.convertValue(settings, LinkedHashMap.class);
        doc.putAll(fields);
        return doc;
    }

    /**
     * Writes settings as a document that {@link #parse} reads back to equal settings.
     *
     * @param kind     the experiment's kind
     * @param settings the settings record
     * @param yaml     true for YAML, false for JSON
     * @return the text
     */
    public static String write(final String kind, final Record settings, final boolean yaml) {
        try {
            if (yaml) {
                final YAMLFactory f = YAMLFactory.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                        .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).build();
                return new ObjectMapper(f).writeValueAsString(document(kind, settings));
            }
            return MAPPER.writeValueAsString(document(kind, settings)) + System.lineSeparator();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String describe(final JsonToken t) {
        return switch (t) {
            case START_ARRAY -> "a list";
            case VALUE_STRING -> "text";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "true or false";
            case VALUE_NULL -> "null";
            default -> t.toString();
        };
    }

    private static OdeException syntax(final String source, final JsonProcessingException e) {
        final JsonLocation at = e.getLocation();
        return at == null ? new OdeException(e, ErrorCode.INVALID_ARGUMENT, source + ": " + e.getOriginalMessage())
                : error(source, at, e.getOriginalMessage(), e);
    }

    private static OdeException error(final String source, final JsonLocation at, final String message) {
        return error(source, at, message, null);
    }

    private static OdeException error(final String source, final JsonLocation at, final String message,
                                      final Throwable cause) {
        final String where = at == null ? source : source + ":" + at.getLineNr() + ":" + at.getColumnNr();
        return cause == null ? new OdeException(ErrorCode.INVALID_ARGUMENT, where + ": " + message)
                : new OdeException(cause, ErrorCode.INVALID_ARGUMENT, where + ": " + message);
    }
}
