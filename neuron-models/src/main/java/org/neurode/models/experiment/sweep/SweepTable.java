package org.neurode.models.experiment.sweep;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The results of a sweep gathered into one table, a row a point in the order of the indices: {@code index},
 * {@code replicate}, {@code seed}, one column an axis, {@code status}, {@code wallSeconds}, the result's numbers
 * (the union of their flat names, in the order first met) and {@code message}. Written as CSV and as JSON lines;
 * and summarised per axis ({@link #summary}).
 *
 * @param sweep   the sweep
 * @param rows    the finished points' results, by index
 * @param metrics the numbers' columns
 * @since 0.7
 */
public record SweepTable(Sweep sweep, List<PointResult> rows, List<String> metrics) {

    /**
     * @param sweep   sweep
     * @param rows    rows
     * @param metrics metric columns
     */
    public SweepTable {
        rows = List.copyOf(rows);
        metrics = List.copyOf(metrics);
    }

    /**
     * @param sweep   the sweep
     * @param results the finished points' results
     * @return the table
     */
    public static SweepTable of(final Sweep sweep, final List<PointResult> results) {
        final List<PointResult> rows = new ArrayList<>(results);
        rows.sort(java.util.Comparator.comparingInt(r -> r.point().index()));
        final Set<String> names = new LinkedHashSet<>();
        rows.forEach(r -> names.addAll(r.metrics().keySet()));
        return new SweepTable(sweep, rows, new ArrayList<>(names));
    }

    /** The columns of every point, whatever the experiment. */
    private static final List<String> FIXED_COLUMNS = List.of("index", "replicate", "seed", "status", "wallSeconds",
            "message");

    /** @return the column names of the CSV */
    public List<String> columns() {
        final Set<String> fixed = new LinkedHashSet<>(FIXED_COLUMNS);
        final List<String> c = new ArrayList<>(List.of("index", "replicate", "seed"));
        for (final Axis a : sweep.axes()) {
            // an axis named as a column of the point (an axis over 'seed') gets a prefix
            c.add(fixed.contains(a.name()) ? "axis." + a.name() : a.name());
        }
        c.addAll(List.of("status", "wallSeconds"));
        fixed.addAll(c);
        for (final String m : metrics) {
            // a result number named as a column of the point (a result's own wallSeconds) gets a prefix
            c.add(fixed.contains(m) ? "result." + m : m);
        }
        c.add("message");
        return c;
    }

    /**
     * Writes the table as CSV (numbers in Java's shortest round-trip form, NaN as {@code NaN}).
     *
     * @param out the writer (not closed)
     * @throws IOException if writing fails
     */
    public void writeCsv(final Writer out) throws IOException {
        out.write(String.join(",", columns()) + "\n");
        for (final PointResult r : rows) {
            final List<String> cells = new ArrayList<>();
            cells.add(Integer.toString(r.point().index()));
            cells.add(Integer.toString(r.point().replicate()));
            cells.add(Long.toString(r.point().seed()));
            for (final Axis a : sweep.axes()) {
                cells.add(csv(String.valueOf(r.point().coordinates().get(a.name()))));
            }
            cells.add(r.status().name());
            cells.add(Double.toString(r.wallSeconds()));
            for (final String m : metrics) {
                final Double v = r.metrics().get(m);
                cells.add(v == null ? "" : number(v));
            }
            cells.add(r.message() == null ? "" : csv(r.message()));
            out.write(String.join(",", cells) + "\n");
        }
    }

    /**
     * Writes the table as JSON lines: an object a point with the CSV's columns (coordinates under their axis
     * names, numbers under {@code metrics}; NaN as the text {@code "NaN"}).
     *
     * @param out the writer (not closed)
     * @throws IOException if writing fails
     */
    public void writeJsonLines(final Writer out) throws IOException {
        for (final PointResult r : rows) {
            final ObjectNode o = Json.MAPPER.createObjectNode();
            o.put("index", r.point().index());
            o.put("replicate", r.point().replicate());
            o.put("seed", r.point().seed());
            o.set("coordinates", Json.MAPPER.valueToTree(r.point().coordinates()));
            o.put("status", r.status().name());
            o.put("wallSeconds", r.wallSeconds());
            o.set("metrics", Json.MAPPER.valueToTree(r.metrics()));
            o.put("message", r.message());
            out.write(Json.text(o) + "\n");
        }
    }

    /**
     * One value of an axis in the summary.
     *
     * @param value  the axis value
     * @param mean   the mean over the seeds of the metric (each seed's value first averaged over the other axes)
     * @param sd     the standard deviation over the seeds (0 with one seed)
     * @param min    the smallest of the seeds' values
     * @param max    the largest
     * @param seeds  seeds with a finite value
     */
    public record Level(Object value, double mean, double sd, double min, double max, int seeds) {
    }

    /**
     * The metric against one axis.
     *
     * @param axis   the axis
     * @param metric the metric's flat name
     * @param levels one per value of the axis, in the axis's order
     */
    public record AxisSummary(Axis axis, String metric, List<Level> levels) {
    }

    /**
     * The chosen metric against each axis: for each value of the axis and each seed, the mean over the other
     * axes (finite values only; failed points give NaN and are left out), then the mean and spread of those over
     * the seeds. A sweep without axes gives one summary over the seeds alone (axis {@code seed}).
     *
     * @param metric a metric's flat name
     * @return one summary an axis
     */
    public List<AxisSummary> summary(final String metric) {
        final List<Axis> axes = sweep.axes().isEmpty()
                ? List.of(new Axis("seed", Axis.Form.LIST, List.of("all"))) : sweep.axes();
        final List<AxisSummary> out = new ArrayList<>();
        for (final Axis a : axes) {
            final List<Level> levels = new ArrayList<>();
            for (final Object v : a.values()) {
                final Map<Integer, double[]> perSeed = new LinkedHashMap<>();
                for (final PointResult r : rows) {
                    if (!sweep.axes().isEmpty() && !v.equals(r.point().coordinates().get(a.name()))) {
                        continue;
                    }
                    final double x = r.metric(metric);
                    if (Double.isFinite(x)) {
                        final double[] s = perSeed.computeIfAbsent(r.point().replicate(), k -> new double[2]);
                        s[0] += x;
                        s[1]++;
                    }
                }
                final double[] means = perSeed.values().stream().mapToDouble(s -> s[0] / s[1]).toArray();
                double mean = 0;
                for (final double m : means) {
                    mean += m / means.length;
                }
                double ss = 0;
                for (final double m : means) {
                    ss += (m - mean) * (m - mean);
                }
                levels.add(new Level(v, means.length == 0 ? Double.NaN : mean,
                        means.length > 1 ? Math.sqrt(ss / (means.length - 1)) : 0.0,
                        java.util.Arrays.stream(means).min().orElse(Double.NaN),
                        java.util.Arrays.stream(means).max().orElse(Double.NaN), means.length));
            }
            out.add(new AxisSummary(a, metric, levels));
        }
        return out;
    }

    /**
     * Writes the summary of a metric as CSV: {@code axis,value,mean,sd,min,max,seeds}.
     *
     * @param metric the metric
     * @param out    the writer (not closed)
     * @throws IOException if writing fails
     */
    public void writeSummaryCsv(final String metric, final Writer out) throws IOException {
        out.write("axis,value,metric,mean,sd,min,max,seeds\n");
        for (final AxisSummary s : summary(metric)) {
            for (final Level l : s.levels()) {
                out.write(String.join(",", csv(s.axis().name()), csv(String.valueOf(l.value())), csv(metric),
                        number(l.mean()), number(l.sd()), number(l.min()), number(l.max()),
                        Integer.toString(l.seeds())) + "\n");
            }
        }
    }

    private static String number(final double v) {
        return Double.toString(v);
    }

    private static String csv(final String s) {
        if (s.contains(",") || s.contains("\"") || s.contains("\n")) {
            return "\"" + s.replace("\"", "\"\"").replace("\n", " ") + "\"";
        }
        return s;
    }
}
