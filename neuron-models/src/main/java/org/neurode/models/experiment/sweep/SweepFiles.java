package org.neurode.models.experiment.sweep;

import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;
import org.neurode.models.experiment.Experiment;
import org.neurode.models.experiment.ExperimentSpec;
import org.neurode.models.experiment.Seeds;
import org.neurode.models.experiment.SettingsFiles;
import org.neurode.models.experiment.Suggestions;

/**
 * Sweep files: YAML or JSON, strict as settings files (every error names the file, line and column):
 *
 * <pre>
 * base:                      # the settings of the base experiment, as 'neurode run' reads them,
 *   kind: regression         # or the name of such a file (a results.json too), relative to this file
 *   patterns: 3000
 * axes:                      # settings fields of the base kind, each with its values:
 *   learningRateScale: {from: 10, to: 1000, count: 3, scale: log}   # a log range (ends included)
 *   backpropRate: [3, 10]                                            # a list
 *   dt: {from: 0.1, to: 0.5, step: 0.2}                              # a range by step (or count)
 *   emaAlpha: {random: uniform, from: 0.01, to: 0.1, count: 4, seed: 7}   # samples (or log-uniform)
 * seeds: 3                   # replicates: Seeds.seed(seed, Sweep.SEED_PURPOSE, r); or a list of seeds
 * seed: 1                    # the sweep's seed for the replicates (default 1)
 * metric: finalHeldOut.microcircuit   # the number the summary shows
 * </pre>
 *
 * <p>Errors: unknown fields (with "did you mean"), an axis that is not a settings field of the base kind,
 * values of the wrong type for their field, settings that the record rejects at some point, a range with an
 * inconsistent form, an unknown metric.
 *
 * @since 0.7
 */
public final class SweepFiles {

    /** The top-level fields. */
    public static final List<String> FIELDS = List.of("base", "axes", "seeds", "seed", "metric");
    /**
     * The settings field of an experiment's own worker threads: a point whose base and axes leave it out runs on one
     * thread, the sweep's parallelism being across points.
     */
    public static final String THREADS = "threads";
    /** The fields of an axis given as a mapping. */
    public static final List<String> AXIS_FIELDS = List.of("from", "to", "step", "count", "scale", "random", "seed");

    private SweepFiles() {
    }

    /**
     * Reads a sweep file and expands it into points.
     *
     * @param file the file ({@code .yaml}, {@code .yml} or {@code .json})
     * @return the sweep
     * @throws OdeException naming the file, line and column of the first error
     */
    public static Sweep read(final Path file) {
        final String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new OdeException(e, ErrorCode.INVALID_ARGUMENT, file + ": cannot read it ("
                    + e.getClass().getSimpleName() + (e.getMessage() != null ? ": " + e.getMessage() : "") + ")");
        }
        final String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        final Path folder = file.toAbsolutePath().getParent();
        return parse(text, name, !name.toLowerCase(Locale.ROOT).endsWith(".json"), folder);
    }

    /**
     * Reads a sweep from text.
     *
     * @param text   the document
     * @param source its name in messages
     * @param yaml   true for YAML, false for JSON
     * @param folder the folder that a {@code base} file name is relative to
     * @return the sweep
     * @throws OdeException naming the source, line and column of the first error
     */
    public static Sweep parse(final String text, final String source, final boolean yaml, final Path folder) {
        final JsonFactory factory = yaml ? new YAMLFactory() : new JsonFactory();
        final Located doc;
        try (JsonParser p = factory.createParser(text)) {
            final JsonToken first = p.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw Located.error(source, p.currentTokenLocation(), "expected a mapping with 'base', 'axes' and "
                        + "'metric', found " + (first == null ? "an empty document" : first.asString()));
            }
            doc = Located.read(p, Json.MAPPER, source);
        } catch (JsonProcessingException e) {
            final JsonLocation at = e.getLocation();
            throw Located.error(source, at, e.getOriginalMessage());
        } catch (IOException e) {
            throw new OdeException(e, ErrorCode.INVALID_ARGUMENT, source + ": " + e.getMessage());
        }
        checkFields(doc, FIELDS, "sweep", source);
        final Located baseNode = doc.fields().get("base");
        if (baseNode == null) {
            throw doc.error(source, "no 'base' field: the settings of the experiment to sweep (a mapping with "
                    + "'kind', or the name of a settings file)");
        }
        final ExperimentSpec<?, ?> base;
        if (baseNode.isMapping()) {
            base = SettingsFiles.parseField(text, source, yaml, "base", folder);
        } else if (baseNode.value().isTextual()) {
            base = SettingsFiles.read((folder == null ? Path.of("") : folder).resolve(baseNode.value().asText()));
        } else {
            throw baseNode.error(source, "'base' must be a settings mapping or a file name, found "
                    + baseNode.describe());
        }
        return expand(doc, base, source);
    }

    private static <S extends Record> Sweep expand(final Located doc, final ExperimentSpec<S, ?> base,
                                                   final String source) {
        final Experiment<S, ?> experiment = base.experiment();
        final Class<S> type = experiment.settingsType();
        final List<String> fields = SettingsFiles.fieldNames(type);
        final ObjectNode baseDoc = Json.MAPPER.valueToTree(base.settings());
        try {
            experiment.check(base.settings());
        } catch (IllegalArgumentException | OdeException e) {
            throw doc.fields().get("base").error(source, "base: " + e.getMessage());
        }
        // axes
        final List<Axis> axes = new ArrayList<>();
        final Located axesNode = doc.fields().get("axes");
        if (axesNode != null && !axesNode.value().isNull()) {
            if (!axesNode.isMapping()) {
                throw axesNode.error(source, "'axes' must be a mapping of settings fields to their values, found "
                        + axesNode.describe());
            }
            for (final Map.Entry<String, Located> a : axesNode.fields().entrySet()) {
                final String name = a.getKey();
                if (!fields.contains(name) && !isMapEntry(type, name)) {
                    final String hint = Suggestions.closest(name, fields);
                    throw Located.error(source, axesNode.nameAt().get(name), "unknown axis '" + name + "': not a "
                            + "field of " + experiment.kind() + " settings" + (hint != null ? " (did you mean '"
                            + hint + "'?)" : "; its fields are " + String.join(", ", fields)));
                }
                final java.util.Set<String> withAxis = new java.util.LinkedHashSet<>(base.given());
                withAxis.add(name.contains(".") ? name.substring(0, name.indexOf('.')) : name);
                axes.add(axis(name, a.getValue(), componentType(type, name), baseDoc, experiment, withAxis, source));
            }
        }
        // seeds
        final Located seedNode = doc.fields().get("seed");
        final long sweepSeed = seedNode == null ? 1 : whole(seedNode, "'seed'", source);
        if (seedNode != null && !doc.fields().containsKey("seeds")) {
            throw seedNode.error(source, "'seed' seeds the replicates of 'seeds: n'; give 'seeds' too, or set the "
                    + "experiment's seed under 'base'");
        }
        final boolean hasSeedField = fields.contains("seed");
        final List<Long> seeds = new ArrayList<>();
        final Located seedsNode = doc.fields().get("seeds");
        if (seedsNode != null) {
            if (!hasSeedField) {
                throw seedsNode.error(source, experiment.kind() + " settings have no 'seed' field to vary");
            }
            if (axes.stream().anyMatch(a -> a.name().equals("seed"))) {
                throw seedsNode.error(source, "give either 'seeds' or an axis over 'seed', not both");
            }
            if (seedsNode.value().isArray()) {
                if (seedsNode.items().isEmpty()) {
                    throw seedsNode.error(source, "'seeds' is an empty list");
                }
                for (final Located s : seedsNode.items()) {
                    seeds.add(whole(s, "a seed", source));
                }
            } else {
                final long n = whole(seedsNode, "'seeds'", source);
                if (n < 1 || n > Sweep.MAX_POINTS) {
                    throw seedsNode.error(source, "'seeds' must be a number of replicates from 1 to "
                            + Sweep.MAX_POINTS + " or a list of seeds, found " + n);
                }
                for (long r = 0; r < n; r++) {
                    seeds.add(Seeds.seed(sweepSeed, Sweep.SEED_PURPOSE, r));
                }
            }
        } else {
            seeds.add(hasSeedField ? baseDoc.get("seed").asLong() : 0L);
        }
        // metric
        final List<String> metrics = metricNames(experiment);
        final Located metricNode = doc.fields().get("metric");
        if (metricNode == null) {
            throw doc.error(source, "no 'metric' field: the number of the result that the summary shows"
                    + (metrics.isEmpty() ? "" : ", one of " + String.join(", ", metrics)));
        }
        if (!metricNode.value().isTextual()) {
            throw metricNode.error(source, "'metric' must be a name, found " + metricNode.describe());
        }
        final String metric = metricNode.value().asText();
        if (!metrics.isEmpty() && !isMetric(metric, metrics)) {
            final String hint = Suggestions.closest(metric, metrics);
            throw metricNode.error(source, "unknown metric '" + metric + "' of " + experiment.kind() + " results"
                    + (hint != null ? " (did you mean '" + hint + "'?)" : "; one of " + String.join(", ", metrics)));
        }
        // points: the product of the axes (the last fastest), each with every seed (fastest)
        long count = seeds.size();
        for (final Axis a : axes) {
            count *= a.values().size();
            if (count > Sweep.MAX_POINTS) {
                throw doc.error(source, "more than " + Sweep.MAX_POINTS + " points");
            }
        }
        // the fields the base gave and the axes set: the others take the defaults that depend on them
        final java.util.Set<String> given = new java.util.LinkedHashSet<>(base.given());
        for (final Axis a : axes) {
            given.add(a.name().contains(".") ? a.name().substring(0, a.name().indexOf('.')) : a.name());
        }
        if (seedsNode != null) {
            given.add("seed");
        }
        final boolean oneThread = fields.contains(THREADS) && !given.contains(THREADS);
        final List<Point> points = new ArrayList<>((int) count);
        final int[] at = new int[axes.size()];
        for (int index = 0; index < count; index++) {
            final int replicate = index % seeds.size();
            long rest = index / seeds.size();
            for (int k = axes.size() - 1; k >= 0; k--) {
                final int n = axes.get(k).values().size();
                at[k] = (int) (rest % n);
                rest /= n;
            }
            final ObjectNode settings = baseDoc.deepCopy();
            final Map<String, Object> coordinates = new LinkedHashMap<>();
            for (int k = 0; k < axes.size(); k++) {
                final Object v = axes.get(k).values().get(at[k]);
                coordinates.put(axes.get(k).name(), v);
                setField(settings, axes.get(k).name(), Json.MAPPER.valueToTree(v));
            }
            if (seedsNode != null) {
                settings.put("seed", seeds.get(replicate));
            }
            if (oneThread) {
                // the sweep runs points in parallel: a point's own threads (all cores by default) would only compete
                settings.put(THREADS, 1);
            }
            final S record;
            try {
                record = experiment.completed(Json.MAPPER.treeToValue(settings, type), given);
            } catch (IllegalArgumentException e) {
                throw (axesNode != null ? axesNode : doc).error(source, "point " + index + " (" + coordinates
                        + "): " + experiment.kind() + " settings: " + e.getMessage());
            } catch (JsonProcessingException e) {
                final Throwable cause = e instanceof ValueInstantiationException && e.getCause() != null
                        ? e.getCause() : e;
                throw (axesNode != null ? axesNode : doc).error(source, "point " + index + " (" + coordinates
                        + "): " + experiment.kind() + " settings: " + cause.getMessage());
            }
            final long seed = hasSeedField ? settings.get("seed").asLong() : 0L;
            points.add(new Point(index, replicate, seed, experiment.kind(),
                    Json.text(SettingsFiles.document(experiment.kind(), record)), coordinates));
        }
        return new Sweep(source, experiment.kind(), base.settings(), axes, seeds, metric, metrics, points);
    }

    private static <S extends Record> Axis axis(final String name, final Located node, final Class<?> fieldType,
                                                final ObjectNode baseDoc, final Experiment<S, ?> experiment,
                                                final java.util.Set<String> given, final String source) {
        final boolean integral = fieldType == int.class || fieldType == long.class || fieldType == Integer.class
                || fieldType == Long.class;
        final boolean numeric = integral || fieldType == double.class || fieldType == float.class
                || fieldType == Double.class;
        final List<Object> values = new ArrayList<>();
        final Axis.Form form;
        if (node.value().isArray()) {
            if (node.items().isEmpty()) {
                throw node.error(source, "axis '" + name + "' has no values");
            }
            for (final Located item : node.items()) {
                check(name, item, baseDoc, experiment, given, source);
                values.add(Json.scalar(item.value()));
            }
            form = Axis.Form.LIST;
        } else if (node.isMapping()) {
            checkFields(node, AXIS_FIELDS, "axis '" + name + "'", source);
            if (!numeric) {
                throw node.error(source, "axis '" + name + "' takes " + (fieldType == String.class ? "names"
                        : fieldType.getSimpleName() + " values") + ": give them as a list");
            }
            final Map<String, Located> f = node.fields();
            final double from = number(f, "from", node, name, source);
            final double to = number(f, "to", node, name, source);
            final Located random = f.get("random");
            final Located scale = f.get("scale");
            final Located step = f.get("step");
            final Located countNode = f.get("count");
            if (random != null) {
                final String how = random.value().asText();
                if (!random.value().isTextual() || !(how.equals("uniform") || how.equals("log-uniform"))) {
                    throw random.error(source, "'random' is uniform or log-uniform, found " + random.describe());
                }
                if (step != null || scale != null) {
                    throw (step != null ? step : scale).error(source, "random samples take from, to, count and "
                            + "seed, not " + (step != null ? "step" : "scale"));
                }
                if (countNode == null || f.get("seed") == null) {
                    throw node.error(source, "random samples of axis '" + name + "' need 'count' and their own "
                            + "'seed'");
                }
                final int count = count(countNode, 1, source);
                final long seed = whole(f.get("seed"), "'seed'", source);
                final boolean log = how.equals("log-uniform");
                if (!(to > from) || log && !(from > 0)) {
                    throw node.error(source, "random samples need from < to" + (log ? " and from > 0" : ""));
                }
                for (int k = 0; k < count; k++) {
                    final SplittableRandom r = Seeds.stream(seed, Sweep.SAMPLE_PURPOSE, k);
                    final double u = r.nextDouble();
                    if (integral && !log) {
                        checkWhole(from, f.get("from"), source);
                        checkWhole(to, f.get("to"), source);
                        values.add((long) from + (long) Math.floor(u * (to - from + 1)));
                    } else {
                        final double v = log ? Math.exp(Math.log(from) + u * (Math.log(to) - Math.log(from)))
                                : from + u * (to - from);
                        values.add(integral ? (Object) Math.round(v) : (Object) v);
                    }
                }
                form = log ? Axis.Form.LOG_RANDOM : Axis.Form.RANDOM;
            } else {
                if (f.get("seed") != null) {
                    throw f.get("seed").error(source, "'seed' belongs to random samples ('random: uniform')");
                }
                final boolean log = scale != null && "log".equals(scale.value().asText());
                if (scale != null && (!scale.value().isTextual() || !(log || "linear".equals(scale.value().asText())))) {
                    throw scale.error(source, "'scale' is linear or log, found " + scale.describe());
                }
                if ((step == null) == (countNode == null) || log && step != null) {
                    throw node.error(source, "a range of axis '" + name + "' needs " + (log ? "'count'"
                            : "either 'step' or 'count'"));
                }
                if (log) {
                    if (!(from > 0 && to > 0)) {
                        throw node.error(source, "a log range needs positive from and to");
                    }
                    final int count = count(countNode, 1, source);
                    for (int k = 0; k < count; k++) {
                        final double v = k == 0 ? from : k == count - 1 ? to : new BigDecimal(
                                from * Math.pow(to / from, (double) k / (count - 1))).round(new MathContext(12))
                                .doubleValue();
                        values.add(integral ? (Object) Math.round(v) : (Object) v);
                    }
                    form = Axis.Form.LOG_RANGE;
                } else {
                    final BigDecimal a = BigDecimal.valueOf(from);
                    final BigDecimal b = BigDecimal.valueOf(to);
                    final List<BigDecimal> vs = new ArrayList<>();
                    if (step != null) {
                        final double s = number(f, "step", node, name, source);
                        if (!(s > 0)) {
                            throw step.error(source, "'step' must be positive, found " + step.describe());
                        }
                        final BigDecimal ds = BigDecimal.valueOf(to >= from ? s : -s);
                        final long n = (long) Math.floor(Math.abs(to - from) / s + 1e-9) + 1;
                        if (n > Sweep.MAX_POINTS) {
                            throw step.error(source, "the range has more than " + Sweep.MAX_POINTS + " values");
                        }
                        for (long k = 0; k < n; k++) {
                            vs.add(a.add(ds.multiply(BigDecimal.valueOf(k))));
                        }
                    } else {
                        final int count = count(countNode, 1, source);
                        for (int k = 0; k < count; k++) {
                            vs.add(count == 1 ? a : a.add(b.subtract(a).multiply(BigDecimal.valueOf(k))
                                    .divide(BigDecimal.valueOf(count - 1), MathContext.DECIMAL64)));
                        }
                    }
                    for (final BigDecimal v : vs) {
                        if (integral) {
                            if (v.stripTrailingZeros().scale() > 0) {
                                throw node.error(source, "axis '" + name + "' takes whole numbers; the range gives "
                                        + v.stripTrailingZeros().toPlainString());
                            }
                            values.add(v.longValue());
                        } else {
                            values.add(v.doubleValue());
                        }
                    }
                    form = Axis.Form.RANGE;
                }
                if (integral && values.stream().distinct().count() < values.size()) {
                    throw node.error(source, "axis '" + name + "' takes whole numbers; the range repeats values: "
                            + values);
                }
            }
            for (final Object v : values) {
                check(name, new Located(node.at(), Json.MAPPER.valueToTree(v), Map.of(), List.of(), Map.of()),
                        baseDoc, experiment, given, source);
            }
        } else {
            throw node.error(source, "axis '" + name + "' needs a list of values or a range mapping (from, to and "
                    + "step or count; scale: log; random: uniform), found " + node.describe());
        }
        return new Axis(name, form, values);
    }

    /**
     * Checks a value of an axis against its field's type, the record's validation and the experiment's
     * {@link Experiment#check}, with the base's other fields.
     */
    private static <S extends Record> void check(final String name, final Located value, final ObjectNode baseDoc,
                                                 final Experiment<S, ?> experiment, final java.util.Set<String> given,
                                                 final String source) {
        final Class<S> type = experiment.settingsType();
        final String kind = experiment.kind();
        final ObjectNode settings = baseDoc.deepCopy();
        setField(settings, name, value.value());
        final S record;
        try {
            record = experiment.completed(Json.MAPPER.treeToValue(settings, type), given);
        } catch (IllegalArgumentException e) {
            throw value.error(source, "axis '" + name + "' = " + value.value() + ": " + kind + " settings: "
                    + e.getMessage());
        } catch (ValueInstantiationException e) {
            final Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw value.error(source, "axis '" + name + "' = " + value.value() + ": " + kind + " settings: "
                    + cause.getMessage());
        } catch (JsonMappingException e) {
            throw value.error(source, "axis '" + name + "': " + SettingsFiles.expected(componentType(type, name))
                    + ", found " + value.describe());
        } catch (JsonProcessingException e) {
            throw value.error(source, e.getOriginalMessage());
        }
        try {
            experiment.check(record);
        } catch (IllegalArgumentException | OdeException e) {
            throw value.error(source, "axis '" + name + "' = " + value.value() + ": " + e.getMessage());
        }
    }

    /**
     * Sets a field of a settings document: a component, or with a dot an entry of a component that is a map of
     * numbers ({@code params.tau_m}).
     */
    private static void setField(final ObjectNode settings, final String name, final JsonNode value) {
        final int dot = name.indexOf('.');
        if (dot < 0) {
            settings.set(name, value);
            return;
        }
        final JsonNode map = settings.get(name.substring(0, dot));
        final ObjectNode entries = map instanceof ObjectNode o ? o : settings.putObject(name.substring(0, dot));
        entries.set(name.substring(dot + 1), value);
    }

    /** Whether a name is {@code field.key} with a field that is a map from names to numbers. */
    private static boolean isMapEntry(final Class<? extends Record> type, final String name) {
        final int dot = name.indexOf('.');
        if (dot <= 0 || dot == name.length() - 1) {
            return false;
        }
        for (final RecordComponent c : type.getRecordComponents()) {
            if (c.getName().equals(name.substring(0, dot)) && Map.class.isAssignableFrom(c.getType())
                    && c.getGenericType() instanceof ParameterizedType pt
                    && pt.getActualTypeArguments()[1] instanceof Class<?> v && Number.class.isAssignableFrom(v)) {
                return true;
            }
        }
        return false;
    }

    private static Class<?> componentType(final Class<? extends Record> type, final String name) {
        if (isMapEntry(type, name)) {
            return Double.class;
        }
        for (final RecordComponent c : type.getRecordComponents()) {
            if (c.getName().equals(name)) {
                return c.getType();
            }
        }
        throw new IllegalArgumentException(name);
    }

    private static void checkFields(final Located node, final List<String> known, final String what,
                                    final String source) {
        for (final String name : node.fields().keySet()) {
            if (!known.contains(name)) {
                final String hint = Suggestions.closest(name, known);
                throw Located.error(source, node.nameAt().get(name), "unknown field '" + name + "' in " + what
                        + (hint != null ? " (did you mean '" + hint + "'?)" : "; its fields are "
                        + String.join(", ", known)));
            }
        }
    }

    private static double number(final Map<String, Located> fields, final String field, final Located node,
                                 final String axis, final String source) {
        final Located v = fields.get(field);
        if (v == null) {
            throw node.error(source, "axis '" + axis + "' needs '" + field + "'");
        }
        if (!v.value().isNumber() || !Double.isFinite(v.value().doubleValue())) {
            throw v.error(source, "'" + field + "': expected a number, found " + v.describe());
        }
        return v.value().doubleValue();
    }

    private static long whole(final Located v, final String what, final String source) {
        if (!v.value().isIntegralNumber() || !v.value().canConvertToLong()) {
            throw v.error(source, what + ": expected a whole number, found " + v.describe());
        }
        return v.value().longValue();
    }

    private static int count(final Located v, final int min, final String source) {
        final long n = whole(v, "'count'", source);
        if (n < min || n > Sweep.MAX_POINTS) {
            throw v.error(source, "'count' must be from " + min + " to " + Sweep.MAX_POINTS + ", found " + n);
        }
        return (int) n;
    }

    private static void checkWhole(final double v, final Located at, final String source) {
        if (v != Math.rint(v)) {
            throw at.error(source, "expected a whole number for a whole-number axis, found " + at.describe());
        }
    }

    /**
     * The flat names of the numbers of an experiment's result record, from its type: numeric components, those of
     * nested records joined with dots, and {@code name.*} for a map of numbers (its entries are named at run time);
     * lists, text and the embedded settings are left out.
     *
     * @param experiment an experiment
     * @return the names, or an empty list if the result type cannot be told from the experiment's class
     */
    public static List<String> metricNames(final Experiment<?, ?> experiment) {
        final List<String> names = new ArrayList<>();
        for (Class<?> c = experiment.getClass(); c != null; c = c.getSuperclass()) {
            for (final Type t : c.getGenericInterfaces()) {
                if (t instanceof ParameterizedType pt && pt.getRawType() == Experiment.class
                        && pt.getActualTypeArguments()[1] instanceof Class<?> r && r.isRecord()) {
                    collect("", r, experiment.settingsType(), names);
                    return names;
                }
            }
        }
        return names;
    }

    /** Whether a metric is one of the names, or an entry of a map among them ({@code eventRatesHz.spike}). */
    private static boolean isMetric(final String metric, final List<String> metrics) {
        for (final String m : metrics) {
            if (m.equals(metric) || m.endsWith(".*") && metric.length() > m.length() - 1
                    && metric.startsWith(m.substring(0, m.length() - 1))) {
                return true;
            }
        }
        return false;
    }

    private static void collect(final String prefix, final Class<?> type, final Class<?> settingsType,
                                final List<String> names) {
        for (final RecordComponent c : type.getRecordComponents()) {
            final Class<?> t = c.getType();
            if (t.isPrimitive() && t != boolean.class && t != char.class || Number.class.isAssignableFrom(t)) {
                names.add(prefix + c.getName());
            } else if (t.isRecord() && t != settingsType) {
                collect(prefix + c.getName() + ".", t, settingsType, names);
            } else if (Map.class.isAssignableFrom(t) && c.getGenericType() instanceof ParameterizedType pt
                    && pt.getActualTypeArguments()[1] instanceof Class<?> v && Number.class.isAssignableFrom(v)) {
                // a map of numbers by name (spike rates by event kind): each entry is a number, named at run time
                names.add(prefix + c.getName() + ".*");
            }
        }
    }
}
