package org.neurode.examples.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A work-precision panel (error against work, both axes logarithmic) in the look of {@link Charts}: one
 * curve per solver, each with its own marker and dash pattern so that overlapping curves stay apart, each
 * point labelled with its setting (the tolerance), powers of ten written as 10⁻³, and solvers with failed
 * runs marked in the legend with their failure count (a solver whose runs all failed is listed without a
 * curve instead of being dropped).
 *
 * @since 0.2
 */
public final class WorkPrecisionChart {

    private static final Marker[] MARKERS = {SeriesMarkers.CIRCLE, SeriesMarkers.SQUARE, SeriesMarkers.DIAMOND,
        SeriesMarkers.TRIANGLE_UP, SeriesMarkers.TRIANGLE_DOWN, SeriesMarkers.CROSS, SeriesMarkers.PLUS,
        SeriesMarkers.OVAL};
    /** Ten well-separated colours (Tableau 10), by solver position, so a solver keeps its colour. */
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
        new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
        new Color(0xbcbd22), new Color(0x17becf)};
    private static final float LINE_WIDTH = 1.6f;
    private static final float[][] DASHES = {null, {7f, 4f}, {2f, 3f}, {9f, 3f, 2f, 3f}, {4f, 2f}};
    private static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 10);
    /** Label offset above a point, as a fraction of the y range in decades. */
    private static final double LABEL_OFFSET = 0.045;
    private static final String SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹";

    private WorkPrecisionChart() {
    }

    /**
     * One solver's points.
     *
     * @param name     legend name (the solver)
     * @param x        work of each run (evaluations or seconds; not modified)
     * @param y        error of each run (not modified); runs that are not positive and finite are not drawn
     * @param labels   label of each point (its tolerance or step count), as many as x
     * @param failures how many of the solver's runs on this problem failed
     * @param runs     how many runs it had on this problem
     */
    public record Curve(String name, double[] x, double[] y, String[] labels, int failures, int runs) {

        /**
         * Validates the curve.
         *
         * @param name     legend name
         * @param x        work
         * @param y        error
         * @param labels   point labels
         * @param failures failed runs
         * @param runs     all runs
         */
        public Curve {
            if (x.length != y.length || labels.length != x.length) {
                throw new IllegalArgumentException("curve '" + name + "' has " + x.length + " x values, " + y.length
                        + " y values and " + labels.length + " labels");
            }
        }

        /** @return the legend entry: the name, with the failures if there were any */
        public String legend() {
            if (failures == 0) {
                return name;
            }
            if (runs == 1 && failures == 1) {
                return name + " (failed)";
            }
            return failures == runs ? name + " (all " + runs + " runs failed)"
                    : name + " (" + failures + " of " + runs + " failed)";
        }
    }

    /**
     * @param title  chart title
     * @param xLabel x-axis title with unit
     * @param yLabel y-axis title with unit
     * @param curves one per solver, in legend order (not modified)
     * @return the chart
     */
    public static XYChart of(final String title, final String xLabel, final String yLabel, final List<Curve> curves) {
        final XYChart chart = Charts.lines(title, xLabel, yLabel, List.of());
        final XYStyler styler = chart.getStyler();
        styler.setLegendVisible(true);
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        styler.setAnnotationTextFont(LABEL_FONT);
        styler.setAnnotationTextFontColor(new Color(90, 90, 90));
        final List<double[][]> drawn = new ArrayList<>();
        double yMin = Double.POSITIVE_INFINITY;
        double yMax = Double.NEGATIVE_INFINITY;
        for (final Curve c : curves) {
            final double[][] points = plottable(c);
            drawn.add(points);
            for (final double v : points[1]) {
                yMin = Math.min(yMin, v);
                yMax = Math.max(yMax, v);
            }
        }
        if (!(yMin <= yMax)) {
            // nothing to draw: no logarithmic axes, and the legend says why
            for (final Curve c : curves) {
                legendOnly(chart, c.legend(), 0.0, 0.0);
            }
            if (curves.isEmpty()) {
                styler.setLegendVisible(false);
            }
            return chart;
        }
        // logarithmic axes drawn as linear axes of log10 values, so that the tick labels can be 10⁻³ (XChart's
        // logarithmic axes only take a decimal pattern, which writes 1E-3); the axis ends are whole decades
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        for (final double[][] points : drawn) {
            for (final double v : points[0]) {
                xMin = Math.min(xMin, v);
                xMax = Math.max(xMax, v);
            }
        }
        final double[] xRange = decades(xMin, xMax);
        final double[] yRange = decades(yMin, yMax);
        styler.setXAxisMin(xRange[0]);
        styler.setXAxisMax(xRange[1]);
        styler.setYAxisMin(yRange[0]);
        styler.setYAxisMax(yRange[1]);
        chart.setCustomXAxisTickLabelsFormatter(WorkPrecisionChart::logTickLabel);
        chart.setCustomYAxisTickLabelsFormatter(WorkPrecisionChart::logTickLabel);
        final double lift = LABEL_OFFSET * (yRange[1] - yRange[0]);
        double anyX = 0.0;
        double anyY = 0.0;
        for (int i = 0; i < curves.size(); i++) {
            final double[][] points = drawn.get(i);
            if (points[0].length > 0) {
                anyX = Math.log10(points[0][0]);
                anyY = Math.log10(points[1][0]);
            }
        }
        for (int i = 0; i < curves.size(); i++) {
            final Curve c = curves.get(i);
            final double[][] points = drawn.get(i);
            if (points[0].length == 0) {
                continue;                                 // listed after the drawn curves
            }
            final double[] lx = new double[points[0].length];
            final double[] ly = new double[points[0].length];
            for (int k = 0; k < lx.length; k++) {
                lx[k] = Math.log10(points[0][k]);
                ly[k] = Math.log10(points[1][k]);
            }
            final XYSeries s = chart.addSeries(c.legend(), lx, ly);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            s.setMarker(MARKERS[i % MARKERS.length]);
            final Color color = COLORS[i % COLORS.length];
            s.setLineColor(color);
            s.setMarkerColor(color);
            final float[] dash = DASHES[i % DASHES.length];
            s.setLineStyle(dash == null ? new BasicStroke(LINE_WIDTH)
                    : new BasicStroke(LINE_WIDTH, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, dash, 0f));
            for (int k = 0; k < lx.length; k++) {
                chart.addAnnotation(new AnnotationText(c.labels()[(int) points[2][k]], lx[k], ly[k] + lift, false));
            }
        }
        for (int i = 0; i < curves.size(); i++) {
            if (drawn.get(i)[0].length == 0) {
                legendOnly(chart, curves.get(i).legend(), anyX, anyY);
            }
        }
        return chart;
    }

    /** The whole decades around [min, max] (positive), at least one decade apart, as log10 values. */
    private static double[] decades(final double min, final double max) {
        double lo = Math.floor(Math.log10(min));
        double hi = Math.ceil(Math.log10(max));
        if (hi - lo < 1) {
            hi = lo + 1;
        }
        return new double[] {lo, hi};
    }

    /**
     * A tick of a log10 axis: 10 to that power (as {@link #tickLabel}) at whole decades, and no label between
     * them. XChart widens the tick spacing until the labels are distinct, which leaves only whole decades
     * (the axis ends are whole decades).
     */
    private static String logTickLabel(final Double exponent) {
        if (exponent == null || Math.abs(exponent - Math.rint(exponent)) > 1e-9) {
            return "";
        }
        return tickLabel(Math.pow(10.0, Math.rint(exponent)));
    }

    /**
     * A power of ten as 10 with a superscript exponent (10⁻³, 10⁴; 1 and 10 as such), anything else with
     * three significant digits.
     *
     * @param v a tick value or a tolerance
     * @return its label
     */
    public static String tickLabel(final Double v) {
        if (v == null || !(v > 0) || !Double.isFinite(v)) {
            return "";
        }
        final double e = Math.log10(v);
        final long k = Math.round(e);
        if (Math.abs(e - k) > 1e-9) {
            return String.format(Locale.ROOT, "%.3g", v);
        }
        if (k == 0) {
            return "1";
        }
        if (k == 1) {
            return "10";
        }
        final StringBuilder sb = new StringBuilder("10");
        if (k < 0) {
            sb.append('⁻');
        }
        for (final char d : Long.toString(Math.abs(k)).toCharArray()) {
            sb.append(SUPERSCRIPT_DIGITS.charAt(d - '0'));
        }
        return sb.toString();
    }

    /** The positive, finite points of a curve: {x, y, index of the point in the curve}. */
    private static double[][] plottable(final Curve c) {
        int count = 0;
        for (int k = 0; k < c.x().length; k++) {
            if (usable(c.x()[k]) && usable(c.y()[k])) {
                count++;
            }
        }
        final double[][] out = new double[3][count];
        for (int k = 0, j = 0; k < c.x().length; k++) {
            if (usable(c.x()[k]) && usable(c.y()[k])) {
                out[0][j] = c.x()[k];
                out[1][j] = c.y()[k];
                out[2][j] = k;
                j++;
            }
        }
        return out;
    }

    private static boolean usable(final double v) {
        return v > 0 && Double.isFinite(v);
    }

    /** A legend entry without anything drawn (an invisible point at a drawn one). */
    private static void legendOnly(final XYChart chart, final String legend, final double x, final double y) {
        final XYSeries s = chart.addSeries(legend, new double[] {x}, new double[] {y});
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineStyle(new BasicStroke(0f));
        s.setLineColor(new Color(0, 0, 0, 0));
    }
}
