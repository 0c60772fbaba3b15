package org.neurode.core.expr;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.neurode.core.Detection;
import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;
import org.neurode.core.spec.ConnectSpec;
import org.neurode.core.spec.EquationSpec;
import org.neurode.core.spec.EventSpec;
import org.neurode.core.spec.ExprSpec;
import org.neurode.core.spec.ExprText;
import org.neurode.core.spec.ModelDocument;
import org.neurode.core.spec.ModelSpec;
import org.neurode.core.spec.ParameterSpec;
import org.neurode.core.spec.PopulationSpec;
import org.neurode.core.spec.ProblemSettings;
import org.neurode.core.spec.ProjectionSpec;
import org.neurode.core.spec.StatementSpec;
import org.neurode.core.spec.SynapseVariableSpec;
import org.neurode.core.spec.ValueSpec;
import org.neurode.core.spec.VariableKind;
import org.neurode.core.spec.VariableSpec;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads a JSON or YAML model document (the schema of {@link ModelDocuments}) with Jackson's streaming parser,
 * which reports where each value is, and declares what it reads to a {@link ModelBuilder}, so that the document
 * is checked as a model file is. Every error is an {@link OdeException} naming the source, the line and the column
 * and the field ({@code variables[2].shape}): malformed text, an unknown field, a field given twice, a value of
 * the wrong type, a wrong schema version, and everything the builder refuses (a duplicate name, an unknown name
 * or a shape mismatch in an expression, with the column within the expression).
 */
final class SpecReader {

    /** Longest value quoted in a message. */
    private static final int QUOTE = 40;
    private static final Set<String> DOCUMENT = Set.of("schema", "name", "timeUnit", "variables", "parameters", "lets",
            "equations", "noise", "thresholds", "events", "populations", "projections", "problem");
    private static final Set<String> POPULATION = Set.of("name", "size", "variables", "rate", "spikes");
    private static final Set<String> SPIKES = Set.of("i", "t");
    private static final Set<String> PROJECTION = Set.of("name", "source", "target", "event", "connect", "variables",
            "on_pre", "on_post", "post_event", "summed", "delay");
    private static final Set<String> EXPLICIT = Set.of("i", "j", "file");
    private static final Set<String> SYNAPSE_VARIABLE = Set.of("name", "initial", "unit", "equation", "update");
    /** {@code P} or {@code P[a:b]}. */
    private static final java.util.regex.Pattern SLICE = java.util.regex.Pattern.compile(
            "\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*(?:\\[\\s*(\\d+)\\s*:\\s*(\\d*)\\s*\\])?\\s*");
    private static final Set<String> VARIABLE = Set.of("name", "kind", "shape", "unit", "initial", "scale");
    private static final Set<String> PARAMETER = Set.of("name", "shape", "value", "unit");
    private static final Set<String> NOISE = Set.of("variable", "sigma");
    private static final Set<String> THRESHOLD = Set.of("variable", "threshold", "reset", "refractory", "detection");
    private static final Set<String> EVENT = Set.of("name", "threshold", "reset", "refractory", "detection");
    private static final Set<String> PROBLEM = Set.of("time", "t0", "reference", "stiff", "atolFactor");

    private final JsonParser p;
    private final String source;

    // what the document says, with where
    private String schema;
    private String name;
    private At nameAt;
    private String timeUnit = ModelSpec.DEFAULT_TIME_UNIT;
    private At timeUnitAt;
    private final List<Item<VariableSpec>> variables = new ArrayList<>();
    private final List<Item<ParameterSpec>> parameters = new ArrayList<>();
    private final List<Item<String[]>> lets = new ArrayList<>();
    private final List<Item<String[]>> equations = new ArrayList<>();
    private final List<Item<Object[]>> noise = new ArrayList<>();
    private final List<Item<Object[]>> thresholds = new ArrayList<>();
    private final List<Item<EventSpec>> events = new ArrayList<>();
    private final List<Item<PopulationSpec>> populations = new ArrayList<>();
    private final List<Item<ProjectionSpec>> projections = new ArrayList<>();
    private double t0;
    private double tEnd = Double.NaN;
    private At timeAt;
    private final Map<String, double[]> reference = new LinkedHashMap<>();
    private final Map<String, At> referenceAt = new LinkedHashMap<>();
    private boolean stiff;
    private double atolFactor = 1.0;

    /** Where a value is written, and its path in the document. */
    private record At(int line, int column, String path) {
    }

    /** A value read with where it is. */
    private record Item<T>(At at, T value) {
    }

    private SpecReader(final JsonParser p, final String source) {
        this.p = p;
        this.source = source;
    }

    /**
     * @param text        the document
     * @param yaml        true for YAML, false for JSON
     * @param source      name of the source in messages (a file name)
     * @param defaultName model name if the document has none
     * @return the checked document
     * @throws OdeException naming the source, line, column and field of the first error
     */
    static ModelDocument read(final String text, final boolean yaml, final String source, final String defaultName) {
        final JsonFactory factory;
        if (yaml) {
            // SnakeYAML's limit of 3 MB of text would refuse models that a model file holds
            final LoaderOptions options = new LoaderOptions();
            options.setCodePointLimit(Integer.MAX_VALUE);
            factory = YAMLFactory.builder().loaderOptions(options).build();
        } else {
            factory = new JsonFactory();
        }
        factory.setStreamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build());
        final SpecReader r;
        try (JsonParser parser = factory.createParser(text)) {
            r = new SpecReader(parser, source);
            try {
                r.document();
            } catch (IOException e) {
                throw malformed(source, yaml, e, parser.currentLocation());
            } catch (YAMLException e) {
                // SnakeYAML's own errors that Jackson passes on (its reader's, for example a forbidden character)
                throw new OdeException(e, ErrorCode.INVALID_ARGUMENT, where(source, parser.currentLocation())
                        + ": not valid YAML: " + firstLine(e.getMessage()));
            }
        } catch (IOException e) {
            throw malformed(source, yaml, e, null);
        }
        return r.declare(defaultName);
    }

    /** The source with the line and column of a location (the first line if there is none). */
    private static String where(final String source, final JsonLocation l) {
        return l != null && l.getLineNr() > 0 ? source + " line " + l.getLineNr() + ", column "
                + Math.max(1, l.getColumnNr()) : source + " line 1, column 1";
    }

    private static OdeException malformed(final String source, final boolean yaml, final IOException e,
                                          final JsonLocation reached) {
        String where = where(source, reached);
        String message = e.getMessage();
        if (e.getCause() instanceof MarkedYAMLException m && m.getProblemMark() != null) {
            // SnakeYAML says what is wrong and where ("found unexpected end of stream") and what it was doing
            message = (m.getProblem() == null ? firstLine(m.getMessage()) : m.getProblem())
                    + (m.getContext() == null ? "" : " (" + m.getContext() + ")");
            where = source + " line " + (m.getProblemMark().getLine() + 1) + ", column "
                    + (m.getProblemMark().getColumn() + 1);
        } else if (e instanceof StreamConstraintsException) {
            // the reader's limits (Jackson's message names its Java settings)
            message = "the document nests too deeply or holds a value that is too long";
        } else if (e instanceof JsonProcessingException j) {
            message = j.getOriginalMessage();
            final JsonLocation l = j.getLocation();
            if (l != null && l.getLineNr() > 0) {
                where = where(source, l);
            }
        }
        return new OdeException(e, ErrorCode.INVALID_ARGUMENT, where + ": not valid " + (yaml ? "YAML" : "JSON")
                + ": " + firstLine(message));
    }

    private static String firstLine(final String message) {
        if (message == null) {
            return "malformed text";
        }
        final String m = message.strip();
        final int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl).strip();
    }

    // ------------------------------------------------------------------ reading

    private JsonToken next() throws IOException {
        return p.nextToken();
    }

    private At at(final String path) {
        final JsonLocation l = p.currentTokenLocation();
        return new At(Math.max(1, l.getLineNr()), Math.max(1, l.getColumnNr()), path);
    }

    private OdeException error(final At at, final String message) {
        return new OdeException(ErrorCode.INVALID_ARGUMENT, source + " line " + at.line() + ", column " + at.column()
                + ": " + (at.path().isEmpty() ? "" : at.path() + ": ") + message);
    }

    private OdeException error(final Throwable cause, final At at, final String message) {
        return new OdeException(cause, ErrorCode.INVALID_ARGUMENT, source + " line " + at.line() + ", column "
                + at.column() + ": " + (at.path().isEmpty() ? "" : at.path() + ": ") + message);
    }

    /** What the current value is, for a message about a value of the wrong type. */
    private String found() throws IOException {
        final JsonToken t = p.currentToken();
        if (t == null) {
            return "nothing (the document is empty)";
        }
        if (t == JsonToken.START_OBJECT) {
            return "a mapping";
        }
        if (t == JsonToken.START_ARRAY) {
            return "a list";
        }
        if (t == JsonToken.VALUE_NULL) {
            return "nothing (null)";
        }
        final String text = p.getText();
        final String q = text.length() > QUOTE ? text.substring(0, QUOTE) + "..." : text;
        return t == JsonToken.VALUE_STRING ? "the text '" + q + "'" : "'" + q + "'";
    }

    private void document() throws IOException {
        if (next() != JsonToken.START_OBJECT) {
            throw error(at(""), "a model document is a mapping with the fields " + String.join(", ", order(DOCUMENT))
                    + "; found " + found());
        }
        fields("", DOCUMENT, (field, at) -> {
            switch (field) {
                case "schema" -> {
                    schema = text(at);
                    if (!ModelSpec.SCHEMA.equals(schema)) {
                        throw error(at, "this version reads " + ModelSpec.SCHEMA + ", not '" + quote(schema) + "'");
                    }
                }
                case "name" -> {
                    name = text(at);
                    nameAt = at;
                }
                case "timeUnit" -> {
                    timeUnit = text(at);
                    timeUnitAt = at;
                }
                case "variables" -> list(at, k -> variable(at(at.path() + "[" + k + "]")));
                case "parameters" -> list(at, k -> parameter(at(at.path() + "[" + k + "]")));
                case "lets" -> expressions(at, lets);
                case "equations" -> expressions(at, equations);
                case "noise" -> list(at, k -> noise(at(at.path() + "[" + k + "]")));
                case "thresholds" -> list(at, k -> threshold(at(at.path() + "[" + k + "]")));
                case "events" -> list(at, k -> event(at(at.path() + "[" + k + "]")));
                case "populations" -> list(at, k -> population(at(at.path() + "[" + k + "]")));
                case "projections" -> list(at, k -> projection(at(at.path() + "[" + k + "]")));
                default -> problem(at);
            }
        });
        final JsonToken after = next();
        if (after != null) {
            throw error(at(""), "the document goes on after its end (one model per file)");
        }
        if (schema == null) {
            throw error(new At(1, 1, ""), "the field 'schema' is missing: the first line should be 'schema: "
                    + ModelSpec.SCHEMA + "' (\"schema\": \"" + ModelSpec.SCHEMA + "\" in JSON)");
        }
    }

    /** The known fields in the order messages list them. */
    private static List<String> order(final Set<String> fields) {
        final List<String> all = List.of("schema", "name", "timeUnit", "variables", "parameters", "lets", "equations",
                "noise", "thresholds", "events", "populations", "projections", "problem", "variable", "kind", "shape", "unit", "initial", "value", "scale",
                "sigma", "threshold", "reset", "refractory", "detection", "time", "t0", "reference", "stiff",
                "atolFactor", "size", "rate", "spikes", "t", "source", "target", "event", "connect", "on_pre", "on_post", "post_event", "delay",
                "i", "j", "file", "equation", "update");
        final List<String> l = new ArrayList<>();
        for (final String f : all) {
            if (fields.contains(f)) {
                l.add(f);
            }
        }
        return l;
    }

    /** A field's handler, positioned on its value. */
    private interface FieldReader {
        void read(String field, At at) throws IOException;
    }

    /** An index's handler, positioned on the element. */
    private interface ElementReader {
        void read(int index) throws IOException;
    }

    /** The fields of the mapping the parser is on: each known field once. */
    private void fields(final String path, final Set<String> known, final FieldReader reader) throws IOException {
        final Set<String> seen = new HashSet<>();
        while (next() == JsonToken.FIELD_NAME) {
            final String field = p.currentName();
            final At fieldAt = at(path.isEmpty() ? field : path + "." + field);
            if (!known.contains(field)) {
                throw error(fieldAt, "unknown field '" + quote(field) + "'; expected " + String.join(", ",
                        order(known)));
            }
            if (!seen.add(field)) {
                throw error(fieldAt, "the field '" + field + "' is given twice");
            }
            next();
            reader.read(field, at(fieldAt.path()));
        }
    }

    private static String quote(final String s) {
        return s.length() > QUOTE ? s.substring(0, QUOTE) + "..." : s;
    }

    private void list(final At at, final ElementReader element) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw error(at, "must be a list; found " + found());
        }
        int k = 0;
        while (next() != JsonToken.END_ARRAY) {
            element.read(k++);
        }
    }

    private void object(final At at, final String what) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw error(at, "must be a mapping (" + what + "); found " + found());
        }
    }

    /** A text; a number is read as the text it is written as (a YAML unit {@code 1}). */
    private String text(final At at) throws IOException {
        final JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_STRING || t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            return p.getText();
        }
        throw error(at, "must be text; found " + found());
    }

    private double number(final At at) throws IOException {
        final JsonToken t = p.currentToken();
        if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
            throw error(at, "must be a number; found " + found());
        }
        final double v;
        try {
            v = p.getDoubleValue();
        } catch (JsonProcessingException e) {
            // YAML's .nan and .inf, for example
            throw error(e, at, "must be a finite number; found '" + quote(p.getText()) + "'");
        }
        if (!Double.isFinite(v)) {
            throw error(at, "must be a finite number; found '" + quote(p.getText()) + "'");
        }
        return v;
    }

    /** One number or a list of numbers. */
    private double[] numbers(final At at) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            return new double[] {number(at)};
        }
        final List<Double> values = new ArrayList<>();
        int k = 0;
        while (next() != JsonToken.END_ARRAY) {
            values.add(number(at(at.path() + "[" + k++ + "]")));
        }
        if (values.isEmpty()) {
            throw error(at, "an empty list: give one number, or one per element");
        }
        final double[] v = new double[values.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = values.get(i);
        }
        return v;
    }

    /** Numbers, or an expression as text. */
    private ValueSpec value(final At at) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_STRING) {
            final String text = p.getText();
            try {
                return new ValueSpec.Expression(ExprText.parse(text));
            } catch (OdeException e) {
                throw error(e, at, e.getMessage());
            }
        }
        if (p.currentToken() != JsonToken.START_ARRAY && p.currentToken() != JsonToken.VALUE_NUMBER_INT
                && p.currentToken() != JsonToken.VALUE_NUMBER_FLOAT) {
            throw error(at, "must be a number, a list of numbers or an expression; found " + found());
        }
        return new ValueSpec.Values(numbers(at));
    }

    /** {@code [n]} or {@code [rows, cols]}, whole positive numbers. */
    private int[] shape(final At at) throws IOException {
        final String form = "must be [n] or [rows, cols] with whole positive numbers";
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw error(at, form + "; found " + found());
        }
        final List<Integer> dims = new ArrayList<>(2);
        while (next() != JsonToken.END_ARRAY) {
            final At d = at(at.path() + "[" + dims.size() + "]");
            if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
                throw error(d, form + "; found " + found());
            }
            if (p.getNumberType() != JsonParser.NumberType.INT || p.getIntValue() <= 0 || dims.size() == 2) {
                throw error(d, form + " (at most " + ModelBuilder.MAX_ELEMENTS + " each); found '" + quote(p.getText())
                        + "'");
            }
            dims.add(p.getIntValue());
        }
        if (dims.isEmpty()) {
            throw error(at, form + "; found an empty list");
        }
        return new int[] {dims.get(0), dims.size() == 2 ? dims.get(1) : 1};
    }

    private void variable(final At at) throws IOException {
        object(at, "name, kind, shape, unit, initial, scale");
        final String[] n = {null};
        final At[] nAt = {at};
        final boolean[] input = {false};
        final int[][] shape = {{1, 1}};
        final String[] unit = {""};
        final ValueSpec[] initial = {ValueSpec.Values.of(0.0)};
        final double[] scale = {1.0};
        fields(at.path(), VARIABLE, (field, a) -> {
            switch (field) {
                case "name" -> {
                    n[0] = text(a);
                    nAt[0] = new At(a.line(), a.column(), at.path());     // where the declaration names itself
                }
                case "kind" -> {
                    final String k = text(a);
                    if (!"state".equals(k) && !"input".equals(k)) {
                        throw error(a, "must be state or input; found '" + quote(k) + "'");
                    }
                    input[0] = "input".equals(k);
                }
                case "shape" -> shape[0] = shape(a);
                case "unit" -> unit[0] = text(a);
                case "initial" -> initial[0] = value(a);
                default -> {
                    scale[0] = number(a);
                    if (!(scale[0] > 0)) {
                        throw error(a, "the tolerance scale must be positive; found " + quote(p.getText()));
                    }
                }
            }
        });
        if (n[0] == null) {
            throw error(at, "the field 'name' is missing");
        }
        variables.add(new Item<>(nAt[0], new VariableSpec(n[0], input[0] ? VariableKind.INPUT : VariableKind.STATE,
                shape[0][0], shape[0][1], unit[0], initial[0], scale[0])));
    }

    private void parameter(final At at) throws IOException {
        object(at, "name, shape, value, unit");
        final String[] n = {null};
        final At[] nAt = {at};
        final int[][] shape = {{1, 1}};
        final String[] unit = {""};
        final ValueSpec[] value = {null};
        fields(at.path(), PARAMETER, (field, a) -> {
            switch (field) {
                case "name" -> {
                    n[0] = text(a);
                    nAt[0] = new At(a.line(), a.column(), at.path());     // where the declaration names itself
                }
                case "shape" -> shape[0] = shape(a);
                case "unit" -> unit[0] = text(a);
                default -> value[0] = value(a);
            }
        });
        if (n[0] == null || value[0] == null) {
            throw error(at, "the field '" + (n[0] == null ? "name" : "value") + "' is missing");
        }
        parameters.add(new Item<>(nAt[0], new ParameterSpec(n[0], shape[0][0], shape[0][1], unit[0], value[0])));
    }

    /** A mapping from names to expressions (lets, equations). */
    private void expressions(final At at, final List<Item<String[]>> into) throws IOException {
        object(at, "names to expressions");
        fieldsAnyName(at.path(), (field, a) -> into.add(new Item<>(a, new String[] {field, text(a)})));
    }

    /** The fields of a mapping whose keys are names, each once. */
    private void fieldsAnyName(final String path, final FieldReader reader) throws IOException {
        final Set<String> seen = new HashSet<>();
        while (next() == JsonToken.FIELD_NAME) {
            final String field = p.currentName();
            final At fieldAt = at(path + "." + field);
            if (!seen.add(field)) {
                throw error(fieldAt, "'" + quote(field) + "' is given twice");
            }
            next();
            reader.read(field, at(fieldAt.path()));
        }
    }

    private void noise(final At at) throws IOException {
        object(at, "variable, sigma");
        final Object[] v = {null, null};
        fields(at.path(), NOISE, (field, a) -> {
            if ("variable".equals(field)) {
                v[0] = text(a);
            } else {
                v[1] = number(a);
            }
        });
        require(at, v, "variable", "sigma");
        noise.add(new Item<>(at, v));
    }

    private void threshold(final At at) throws IOException {
        object(at, "variable, threshold, reset, refractory, detection");
        final Object[] v = {null, null, null, 0.0, Detection.CONTINUOUS};
        fields(at.path(), THRESHOLD, (field, a) -> {
            switch (field) {
                case "variable" -> v[0] = text(a);
                case "threshold" -> v[1] = number(a);
                case "reset" -> v[2] = number(a);
                case "refractory" -> v[3] = number(a);
                default -> {
                    final String d = text(a);
                    if (!"continuous".equals(d) && !"step-end".equals(d)) {
                        throw error(a, "must be continuous or step-end; found '" + quote(d) + "'");
                    }
                    v[4] = "continuous".equals(d) ? Detection.CONTINUOUS : Detection.STEP_END;
                }
            }
        });
        require(at, v, "variable", "threshold", "reset");
        thresholds.add(new Item<>(at, v));
    }

    /** An event: name, threshold (a condition), reset (statements as one text or a list), refractory, detection. */
    private void event(final At at) throws IOException {
        object(at, "name, threshold, reset, refractory, detection");
        final String[] n = {null};
        final ExprSpec[] threshold = {null};
        final List<StatementSpec> reset = new ArrayList<>();
        final ExprSpec[] refractory = {new ExprSpec.Num(0.0)};
        final Detection[] detection = {Detection.AUTO};
        fields(at.path(), EVENT, (field, a) -> {
            switch (field) {
                case "name" -> n[0] = text(a);
                case "threshold" -> threshold[0] = expression(a);
                case "reset" -> {
                    if (p.currentToken() == JsonToken.START_ARRAY) {
                        int k = 0;
                        while (next() != JsonToken.END_ARRAY) {
                            reset.addAll(statements(at(a.path() + "[" + k++ + "]")));
                        }
                    } else {
                        reset.addAll(statements(a));
                    }
                }
                case "refractory" -> {
                    if (p.currentToken() == JsonToken.VALUE_STRING) {
                        refractory[0] = expression(a);
                    } else {
                        final double r = number(a);
                        if (r < 0) {
                            throw error(a, "the refractory period must not be negative; found " + quote(p.getText()));
                        }
                        refractory[0] = new ExprSpec.Num(Math.abs(r));
                    }
                }
                default -> {
                    final String d = text(a);
                    detection[0] = Detection.of(d);
                    if (detection[0] == null) {
                        throw error(a, "must be auto, continuous or step-end; found '" + quote(d) + "'");
                    }
                }
            }
        });
        if (n[0] == null || threshold[0] == null) {
            throw error(at, "the field '" + (n[0] == null ? "name" : "threshold") + "' is missing");
        }
        events.add(new Item<>(at, new EventSpec(n[0], threshold[0], reset, refractory[0], detection[0])));
    }

    /** A population: name, size, and variables (a list of names), rate (text) or spikes ({i: [...], t: [...]}). */
    private void population(final At at) throws IOException {
        object(at, "name, size, variables, rate, spikes");
        final String[] n = {null};
        final int[] size = {0};
        final List<String> vars = new ArrayList<>();
        final ExprSpec[] rate = {null};
        final double[][] spikes = {null, null};
        fields(at.path(), POPULATION, (field, a) -> {
            switch (field) {
                case "name" -> n[0] = text(a);
                case "size" -> {
                    if (p.currentToken() != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT
                            || p.getIntValue() <= 0) {
                        throw error(a, "must be a whole positive number; found '" + quote(p.getText()) + "'");
                    }
                    size[0] = p.getIntValue();
                }
                case "rate" -> rate[0] = expression(a);
                case "spikes" -> {
                    object(a, "i, t");
                    fields(a.path(), SPIKES, (f, b) -> spikes["i".equals(f) ? 0 : 1] = numbers(b));
                    if (spikes[0] == null || spikes[1] == null) {
                        throw error(a, "the field '" + (spikes[0] == null ? "i" : "t") + "' is missing");
                    }
                }
                default -> list(a, k -> vars.add(text(at(a.path() + "[" + k + "]"))));
            }
        });
        if (n[0] == null || size[0] == 0) {
            throw error(at, "the field '" + (n[0] == null ? "name" : "size") + "' is missing");
        }
        try {
            int[] members = null;
            if (spikes[0] != null) {
                members = new int[spikes[0].length];
                for (int k = 0; k < members.length; k++) {
                    if (spikes[0][k] != Math.rint(spikes[0][k])) {
                        throw new OdeException(org.neurode.core.ErrorCode.INVALID_ARGUMENT, "spikes.i[" + k + "] is "
                                + spikes[0][k] + ", not a whole number");
                    }
                    members[k] = (int) spikes[0][k];
                }
            }
            populations.add(new Item<>(at, new PopulationSpec(n[0], size[0], vars, rate[0], members, spikes[1])));
        } catch (OdeException e) {
            throw error(e, at, e.getMessage());
        }
    }

    /**
     * A projection: name, source and target ({@code P} or {@code P[a:b]}), event, connect (a rule as text, or a
     * mapping of the indices i and j and the file they came from), variables, on_pre, delay.
     */
    private void projection(final At at) throws IOException {
        object(at, "name, source, target, event, connect, variables, on_pre, on_post, post_event, summed, delay");
        final String[] text = {null, null, null, EventSpec.SPIKE, EventSpec.SPIKE};
        final int[][] slices = {{0, -1}, {0, -1}};
        final ConnectSpec[] connect = {null};
        final List<SynapseVariableSpec> vars = new ArrayList<>();
        final List<StatementSpec> onPre = new ArrayList<>();
        final List<StatementSpec> onPost = new ArrayList<>();
        final List<StatementSpec> summed = new ArrayList<>();
        final ExprSpec[] delay = {new ExprSpec.Num(0.0)};
        fields(at.path(), PROJECTION, (field, a) -> {
            switch (field) {
                case "name" -> text[0] = text(a);
                case "source", "target" -> {
                    final java.util.regex.Matcher m = SLICE.matcher(text(a));
                    if (!m.matches()) {
                        throw error(a, "must be a population or a slice of one, such as P or P[0:3200]; found '"
                                + quote(p.getText()) + "'");
                    }
                    final int k = "source".equals(field) ? 0 : 1;
                    text[1 + k] = m.group(1);
                    slices[k][0] = m.group(2) == null ? 0 : bound(a, m.group(2));
                    slices[k][1] = m.group(3) == null || m.group(3).isEmpty() ? -1 : bound(a, m.group(3));
                }
                case "event" -> text[3] = text(a);
                case "post_event" -> text[4] = text(a);
                case "connect" -> connect[0] = connect(a);
                case "variables" -> list(a, k -> vars.add(synapseVariable(at(a.path() + "[" + k + "]"))));
                case "on_pre", "on_post", "summed" -> {
                    final List<StatementSpec> into = "on_pre".equals(field) ? onPre : "on_post".equals(field) ? onPost
                            : summed;
                    if (p.currentToken() == JsonToken.START_ARRAY) {
                        int k = 0;
                        while (next() != JsonToken.END_ARRAY) {
                            into.addAll(statements(at(a.path() + "[" + k++ + "]")));
                        }
                    } else {
                        into.addAll(statements(a));
                    }
                }
                default -> {
                    if (p.currentToken() == JsonToken.VALUE_STRING) {
                        delay[0] = expression(a);
                    } else {
                        final double d = number(a);
                        if (d < 0) {
                            throw error(a, "the delay must not be negative; found " + quote(p.getText()));
                        }
                        delay[0] = new ExprSpec.Num(Math.abs(d));
                    }
                }
            }
        });
        for (final String[] f : new String[][] {{"name", text[0]}, {"source", text[1]}, {"target", text[2]}}) {
            if (f[1] == null) {
                throw error(at, "the field '" + f[0] + "' is missing");
            }
        }
        if (connect[0] == null) {
            throw error(at, "the field 'connect' is missing (all, one-to-one, p = P, if CONDITION [p = P], or i and "
                    + "j)");
        }
        try {
            projections.add(new Item<>(at, new ProjectionSpec(text[0], text[1], slices[0][0], slices[0][1], text[3],
                    text[2], slices[1][0], slices[1][1], connect[0], vars, onPre, delay[0], onPost, summed,
                    text[4])));
        } catch (OdeException e) {
            throw error(e, at, e.getMessage());
        }
    }

    /** A bound of a slice: digits that must fit an int. */
    private int bound(final At at, final String digits) {
        final String d = digits.replaceFirst("^0+(?=.)", "");
        if (d.length() > 10 || Long.parseLong(d) > Integer.MAX_VALUE) {
            throw error(at, "the slice bound " + quote(digits) + " is too large (at most " + Integer.MAX_VALUE + ")");
        }
        return Integer.parseInt(d);
    }

    private ConnectSpec connect(final At at) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            final String rule = text(at);
            try {
                return ConnectSpec.parse(rule);
            } catch (OdeException e) {
                throw error(e, at, e.getMessage());
            }
        }
        final int[][] ij = {null, null};
        final String[] file = {""};
        fields(at.path(), EXPLICIT, (field, a) -> {
            if ("file".equals(field)) {
                file[0] = text(a);
                return;
            }
            final double[] v = numbers(a);
            final int[] out = new int[v.length];
            for (int k = 0; k < v.length; k++) {
                if (v[k] != Math.rint(v[k]) || v[k] < 0 || v[k] > Integer.MAX_VALUE) {
                    throw error(a, "index " + k + " is " + v[k] + ", not a whole number from 0");
                }
                out[k] = (int) v[k];
            }
            ij["i".equals(field) ? 0 : 1] = out;
        });
        if (ij[0] == null || ij[1] == null) {
            throw error(at, "the field '" + (ij[0] == null ? "i" : "j") + "' is missing");
        }
        try {
            return ConnectSpec.arrays(ij[0], ij[1]).withFile(file[0]);
        } catch (OdeException e) {
            throw error(e, at, e.getMessage());
        }
    }

    private SynapseVariableSpec synapseVariable(final At at) throws IOException {
        object(at, "name, initial, unit, equation, update");
        final String[] n = {null, "", null};
        final ValueSpec[] v = {ValueSpec.Values.of(0.0)};
        final ExprSpec[] rate = {null};
        fields(at.path(), SYNAPSE_VARIABLE, (field, a) -> {
            switch (field) {
                case "name" -> n[0] = text(a);
                case "unit" -> n[1] = text(a);
                case "equation" -> rate[0] = expression(a);
                case "update" -> {
                    n[2] = text(a);
                    if (!"event-driven".equals(n[2]) && !"clock-driven".equals(n[2])) {
                        throw error(a, "update must be 'event-driven' or 'clock-driven'; found '" + quote(n[2])
                                + "'");
                    }
                }
                default -> v[0] = value(a);
            }
        });
        if (n[0] == null) {
            throw error(at, "the field 'name' is missing");
        }
        if (rate[0] != null && n[2] == null) {
            throw error(at, "the equation of synapse variable '" + n[0] + "' needs 'update: event-driven' or "
                    + "'update: clock-driven'");
        }
        if (rate[0] == null && n[2] != null) {
            throw error(at, "synapse variable '" + n[0] + "' has 'update: " + n[2] + "' but no 'equation'");
        }
        return new SynapseVariableSpec(n[0], n[1], v[0], rate[0], "clock-driven".equals(n[2]));
    }

    private ExprSpec expression(final At at) throws IOException {
        final String text = text(at);
        try {
            return ExprText.parse(text);
        } catch (OdeException e) {
            throw error(e, at, e.getMessage());
        }
    }

    private List<StatementSpec> statements(final At at) throws IOException {
        final String text = text(at);
        try {
            return StatementSpec.parseAll(text);
        } catch (OdeException e) {
            throw error(e, at, e.getMessage());
        }
    }

    private void require(final At at, final Object[] v, final String... fields) {
        for (int i = 0; i < fields.length; i++) {
            if (v[i] == null) {
                throw error(at, "the field '" + fields[i] + "' is missing");
            }
        }
    }

    private void problem(final At at) throws IOException {
        object(at, "time, reference, stiff, atolFactor");
        fields(at.path(), PROBLEM, (field, a) -> {
            switch (field) {
                case "time" -> {
                    final double[] span = numbers(a);
                    if (span.length != 2 || !(span[1] > span[0])) {
                        throw error(a, "must be [t0, t1] with t1 after t0");
                    }
                    t0 = span[0];
                    tEnd = span[1];
                    timeAt = a;
                }
                case "t0" -> t0 = number(a);
                case "reference" -> {
                    object(a, "variable names to end values");
                    fieldsAnyName(a.path(), (name, r) -> {
                        reference.put(name, numbers(r));
                        referenceAt.put(name, r);
                    });
                }
                case "stiff" -> {
                    if (p.currentToken() != JsonToken.VALUE_TRUE && p.currentToken() != JsonToken.VALUE_FALSE) {
                        throw error(a, "must be true or false; found " + found());
                    }
                    stiff = p.currentToken() == JsonToken.VALUE_TRUE;
                }
                default -> {
                    atolFactor = number(a);
                    if (!(atolFactor > 0)) {
                        throw error(a, "must be positive");
                    }
                }
            }
        });
    }

    // ------------------------------------------------------------------ declaring

    /** Declares what was read to a builder, in the order a model file would (variables first). */
    private ModelDocument declare(final String defaultName) {
        final At top = new At(1, 1, "");
        final ModelBuilder b;
        try {
            b = ModelBuilder.named(name == null ? defaultName : name).timeUnit(timeUnit);
        } catch (OdeException e) {
            throw error(e, timeUnitAt != null ? timeUnitAt : nameAt != null ? nameAt : top, e.getMessage());
        }
        for (final Item<VariableSpec> v : variables) {
            declare(v.at(), () -> b.add(v.value()));
        }
        for (final Item<ParameterSpec> v : parameters) {
            declare(v.at(), () -> b.add(v.value()));
        }
        for (final Item<String[]> l : lets) {
            declare(l.at(), () -> b.let(l.value()[0], ExprText.parse(l.value()[1], null)));
        }
        for (final Item<String[]> e : equations) {
            final String body = EquationSpec.withoutFlag(e.value()[1]);
            declare(e.at(), () -> {
                b.ode(b.variable(e.value()[0]), ExprText.parse(body, null));
                if (!body.equals(e.value()[1])) {
                    b.unlessRefractory(b.variable(e.value()[0]));
                }
            });
        }
        for (final Item<Object[]> n : noise) {
            declare(n.at(), () -> b.noise(b.variable((String) n.value()[0]), (Double) n.value()[1]));
        }
        for (final Item<Object[]> t : thresholds) {
            final Object[] v = t.value();
            declare(t.at(), () -> b.threshold(b.variable((String) v[0]), (Double) v[1], (Double) v[2], (Double) v[3],
                    (Detection) v[4]));
        }
        for (final Item<PopulationSpec> q : populations) {
            declare(q.at(), () -> b.population(q.value()));
        }
        for (final Item<EventSpec> e : events) {
            declare(e.at(), () -> b.event(e.value()));
        }
        for (final Item<ProjectionSpec> q : projections) {
            declare(q.at(), () -> b.projection(q.value()));
        }
        final ModelSpec spec = b.spec();
        final Set<String> withEquation = new HashSet<>();
        for (final Item<String[]> e : equations) {
            withEquation.add(e.value()[0]);
        }
        for (final Item<VariableSpec> v : variables) {
            if (v.value().kind() == VariableKind.STATE && !withEquation.contains(v.value().name())) {
                throw error(v.at(), "state variable '" + v.value().name() + "' has no equation: add it under "
                        + "'equations' (or declare it with kind: input)");
            }
        }
        for (final Map.Entry<String, double[]> r : reference.entrySet()) {
            final VariableSpec v = spec.variable(r.getKey());
            final At at = referenceAt.get(r.getKey());
            if (v == null || v.kind() != VariableKind.STATE) {
                throw error(at, "'" + quote(r.getKey()) + "' is not a state variable of the model");
            }
            if (r.getValue().length != v.size()) {
                throw error(at, "has " + r.getValue().length + " values but '" + r.getKey() + "' has " + v.size());
            }
        }
        checkUnits(spec);
        final ProblemSettings problem;
        try {
            problem = new ProblemSettings(t0, tEnd, reference, stiff, atolFactor);
        } catch (OdeException e) {
            throw error(e, timeAt != null ? timeAt : top, e.getMessage());
        }
        return new ModelDocument(spec, problem);
    }

    /**
     * Checks the model's units once all declarations are read, and reports an inconsistency at the place of the
     * declaration its message names.
     */
    private void checkUnits(final ModelSpec spec) {
        try {
            org.neurode.core.units.UnitCheck.check(spec);
        } catch (OdeException e) {
            if (e.code() != org.neurode.core.ErrorCode.UNIT_MISMATCH
                    && e.code() != org.neurode.core.ErrorCode.UNIT_SYNTAX) {
                throw e;
            }
            final Map<String, At> places = new java.util.HashMap<>();
            for (final Item<VariableSpec> v : variables) {
                places.putIfAbsent("state:" + v.value().name(), v.at());
            }
            for (final Item<ParameterSpec> p : parameters) {
                places.putIfAbsent("parameter:" + p.value().name(), p.at());
            }
            for (final Item<String[]> l : lets) {
                places.putIfAbsent("let:" + l.value()[0], l.at());
            }
            for (final Item<String[]> q : equations) {
                places.putIfAbsent("equation:" + q.value()[0], q.at());
            }
            for (final Item<EventSpec> ev : events) {
                places.putIfAbsent("event:" + ev.value().name(), ev.at());
            }
            for (final Item<ProjectionSpec> q : projections) {
                places.putIfAbsent("projection:" + q.value().name(), q.at());
            }
            if (timeUnitAt != null) {
                places.put("time-unit:", timeUnitAt);
            }
            final String key = UnitErrors.declaration(e.getMessage());
            final At at = key == null ? null : places.get(key);
            throw error(e, at != null ? at : new At(1, 1, ""), e.getMessage());
        }
    }

    private void declare(final At at, final Runnable declaration) {
        try {
            declaration.run();
        } catch (OdeException e) {
            throw error(e, at, e.getMessage());
        }
    }
}
