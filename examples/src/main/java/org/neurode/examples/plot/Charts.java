package org.neurode.examples.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.List;
import java.util.Locale;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Chart panels in one consistent look, for stacking into a {@link Figure}: line charts of traces and
 * spike rasters. Every chart has a title, axis titles (put the unit in them, e.g. {@code "t (ms)"}) and,
 * for line charts, a legend to the right. The returned charts are ordinary XChart charts, so callers can
 * adjust them further (for example {@code chart.getStyler().setYAxisLogarithmic(true)}).
 *
 * @since 0.1
 */
public final class Charts {

    /** Panel width (pixels). */
    public static final int WIDTH = 1100;
    /** Panel height (pixels). */
    public static final int HEIGHT = 340;
    /** Axis title of simulated time. */
    public static final String TIME_AXIS = "t (ms)";

    private static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 15);
    private static final Font AXIS_TITLE_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    private static final Font TICK_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    private static final Font LEGEND_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

    private Charts() {
    }

    /**
     * A line chart. Infinite values are left out like NaN (a gap in the line), so a run that blew up
     * still plots up to the failure.
     *
     * @param title  chart title
     * @param xLabel x-axis title with unit
     * @param yLabel y-axis title with unit
     * @param series the curves (not modified; may be empty)
     * @return the chart
     */
    public static XYChart lines(final String title, final String xLabel, final String yLabel,
                                final List<Series> series) {
        return lines(title, xLabel, yLabel, series, HEIGHT);
    }

    /**
     * A line chart of a given height (a main panel taller, a secondary one smaller than {@link #HEIGHT}).
     *
     * @param title  chart title
     * @param xLabel x-axis title with unit
     * @param yLabel y-axis title with unit
     * @param series the curves (not modified; may be empty)
     * @param height panel height (pixels)
     * @return the chart
     * @since 0.3
     */
    public static XYChart lines(final String title, final String xLabel, final String yLabel,
                                final List<Series> series, final int height) {
        final XYChart chart = base(title, xLabel, yLabel, height);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        for (final Series s : series) {
            final XYSeries xy = chart.addSeries(s.name(), s.x(), finiteOrNaN(s.y()));
            xy.setMarker(SeriesMarkers.NONE);
            xy.setLineWidth(1.4f);
        }
        if (series.isEmpty()) {
            chart.getStyler().setLegendVisible(false);
        } else {
            fitXAxis(chart, series);
            roundTicks(chart, series);
        }
        return chart;
    }

    /**
     * A spike raster: one dot per spike at (time, neuron index). It keeps a legend like the line charts,
     * so that stacked panels have plot areas of about the same width and their time axes line up.
     *
     * @param title          chart title
     * @param times          spike times (ms; not modified)
     * @param neurons        neuron index of each spike (not modified)
     * @param tStart         left end of the time axis (ms)
     * @param tEnd           right end of the time axis (ms)
     * @param populationSize number of neurons shown (sets the y range)
     * @return the chart
     */
    public static XYChart raster(final String title, final double[] times, final int[] neurons, final double tStart,
                                 final double tEnd, final int populationSize) {
        if (times.length != neurons.length) {
            throw new IllegalArgumentException("raster: " + times.length + " spike times but " + neurons.length
                    + " neuron indices");
        }
        final XYChart chart = base(title, TIME_AXIS, "neuron index");
        final XYStyler styler = chart.getStyler();
        styler.setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        styler.setXAxisMin(tStart);
        styler.setXAxisMax(tEnd);
        styler.setYAxisMin(-0.5);
        styler.setYAxisMax(populationSize - 0.5);
        styler.setYAxisDecimalPattern("0");
        styler.setMarkerSize(populationSize > 200 ? 2 : 4);
        if (times.length > 0) {
            final double[] y = new double[neurons.length];
            for (int k = 0; k < y.length; k++) {
                y[k] = neurons[k];
            }
            final XYSeries xy = chart.addSeries("spike", times, y);
            xy.setMarker(SeriesMarkers.CIRCLE);
            xy.setMarkerColor(Color.BLACK);
        }
        return chart;
    }

    /**
     * A log-log chart of measured points joined by lines (work-precision diagrams). Points that are not
     * positive and finite (failed runs, exact results) are left out; a series with no such point is shown
     * in the legend only.
     *
     * @param title  chart title
     * @param xLabel x-axis title with unit
     * @param yLabel y-axis title with unit
     * @param series the curves (not modified)
     * @return the chart
     */
    public static XYChart logLog(final String title, final String xLabel, final String yLabel,
                                 final List<Series> series) {
        final XYChart chart = base(title, xLabel, yLabel);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setXAxisDecimalPattern("0.#E0");
        chart.getStyler().setYAxisDecimalPattern("0.#E0");
        boolean any = false;
        for (final Series s : series) {
            final List<Double> xs = new java.util.ArrayList<>();
            final List<Double> ys = new java.util.ArrayList<>();
            for (int k = 0; k < s.x().length; k++) {
                if (s.x()[k] > 0 && s.y()[k] > 0 && Double.isFinite(s.x()[k]) && Double.isFinite(s.y()[k])) {
                    xs.add(s.x()[k]);
                    ys.add(s.y()[k]);
                }
            }
            if (xs.isEmpty()) {
                continue;
            }
            any = true;
            final XYSeries xy = chart.addSeries(s.name(), xs, ys);
            xy.setMarker(SeriesMarkers.CIRCLE);
            xy.setLineWidth(1.4f);
        }
        if (!any) {
            chart.getStyler().setXAxisLogarithmic(false);
            chart.getStyler().setYAxisLogarithmic(false);
            chart.getStyler().setLegendVisible(false);
        }
        return chart;
    }

    /**
     * A bar chart of values per category, one bar per series side by side (e.g. the output rate per input pattern
     * before and after training). NaN values are drawn as no bar.
     *
     * @param title      chart title
     * @param xLabel     category axis title
     * @param yLabel     value axis title with unit
     * @param categories the category names, in order
     * @param names      the series' names (legend)
     * @param values     per series, one value per category (not modified)
     * @return the chart
     * @since 0.6
     */
    public static org.knowm.xchart.CategoryChart bars(final String title, final String xLabel, final String yLabel,
                                                      final List<String> categories, final List<String> names,
                                                      final List<double[]> values) {
        final org.knowm.xchart.CategoryChart chart = new org.knowm.xchart.CategoryChartBuilder().width(WIDTH)
                .height(HEIGHT).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        look(chart.getStyler());
        for (int k = 0; k < names.size(); k++) {
            final List<Double> ys = new java.util.ArrayList<>();
            for (final double v : values.get(k)) {
                ys.add(Double.isFinite(v) ? v : 0.0);
            }
            chart.addSeries(names.get(k), categories, ys);
        }
        return chart;
    }

    /**
     * Means with a spread as error bars, joined by a line (a metric against a sweep's axis: the mean over seeds
     * and one standard deviation). Points whose mean is not finite are left out.
     *
     * @param title  chart title
     * @param xLabel x-axis title
     * @param yLabel y-axis title
     * @param name   legend entry
     * @param x      abscissae
     * @param mean   means
     * @param spread half-lengths of the error bars (0: none)
     * @param logX   a logarithmic x axis (positive x only)
     * @return the chart
     * @since 0.7
     */
    public static XYChart meanWithSpread(final String title, final String xLabel, final String yLabel,
                                         final String name, final double[] x, final double[] mean,
                                         final double[] spread, final boolean logX) {
        final XYChart chart = base(title, xLabel, yLabel);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        final List<Double> xs = new java.util.ArrayList<>();
        final List<Double> ys = new java.util.ArrayList<>();
        final List<Double> es = new java.util.ArrayList<>();
        for (int k = 0; k < x.length; k++) {
            if (Double.isFinite(mean[k]) && Double.isFinite(x[k]) && (!logX || x[k] > 0)) {
                xs.add(x[k]);
                ys.add(mean[k]);
                es.add(Double.isFinite(spread[k]) ? spread[k] : 0.0);
            }
        }
        if (xs.isEmpty()) {
            chart.getStyler().setLegendVisible(false);
            return chart;
        }
        chart.getStyler().setXAxisLogarithmic(logX && xs.size() > 1);
        chart.getStyler().setErrorBarsColorSeriesColor(true);
        final XYSeries xy = chart.addSeries(name, xs, ys, es);
        xy.setMarker(SeriesMarkers.CIRCLE);
        xy.setLineWidth(1.4f);
        return chart;
    }

    /**
     * Means with a spread as error bars, one bar per category (a metric against a sweep's axis of names).
     *
     * @param title      chart title
     * @param xLabel     category axis title
     * @param yLabel     value axis title
     * @param name       legend entry
     * @param categories the categories
     * @param mean       means (NaN: no bar)
     * @param spread     half-lengths of the error bars
     * @return the chart
     * @since 0.7
     */
    public static org.knowm.xchart.CategoryChart categoryMeanWithSpread(final String title, final String xLabel,
                                                                        final String yLabel, final String name,
                                                                        final List<String> categories,
                                                                        final double[] mean, final double[] spread) {
        final org.knowm.xchart.CategoryChart chart = new org.knowm.xchart.CategoryChartBuilder().width(WIDTH)
                .height(HEIGHT).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        look(chart.getStyler());
        final List<Double> ys = new java.util.ArrayList<>();
        final List<Double> es = new java.util.ArrayList<>();
        for (int k = 0; k < mean.length; k++) {
            ys.add(Double.isFinite(mean[k]) ? mean[k] : 0.0);
            es.add(Double.isFinite(spread[k]) ? spread[k] : 0.0);
        }
        chart.getStyler().setErrorBarsColor(Color.DARK_GRAY);
        chart.addSeries(name, categories, ys, es);
        return chart;
    }

    private static XYChart base(final String title, final String xLabel, final String yLabel) {
        return base(title, xLabel, yLabel, HEIGHT);
    }

    private static XYChart base(final String title, final String xLabel, final String yLabel, final int height) {
        final XYChart chart = new XYChartBuilder().width(WIDTH).height(height).title(title)
                .xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        final XYStyler styler = chart.getStyler();
        look(styler);
        styler.setPlotGridLinesStroke(new BasicStroke(0.8f));
        styler.setXAxisTickMarkSpacingHint(90);
        return chart;
    }

    /** The look every panel shares: fonts, the legend to the right, white backgrounds, light grid lines. */
    private static void look(final org.knowm.xchart.style.AxesChartStyler styler) {
        styler.setChartTitleFont(TITLE_FONT);
        styler.setAxisTitleFont(AXIS_TITLE_FONT);
        styler.setAxisTickLabelsFont(TICK_FONT);
        styler.setLegendFont(LEGEND_FONT);
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotBorderColor(Color.GRAY);
        styler.setPlotGridLinesColor(new Color(225, 225, 225));
        styler.setChartTitleBoxVisible(false);
        styler.setLegendBorderColor(Color.LIGHT_GRAY);
        // Tick labels the same on every machine (no locale-dependent decimal commas).
        styler.setLocale(Locale.ROOT);
    }

    /**
     * Sets the x range to the data: XChart then picks round tick steps (with a free range it labels
     * every few samples of a long time axis).
     */
    private static void fitXAxis(final XYChart chart, final List<Series> series) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (final Series s : series) {
            for (final double x : s.x()) {
                if (Double.isFinite(x)) {
                    min = Math.min(min, x);
                    max = Math.max(max, x);
                }
            }
        }
        if (min < max) {
            chart.getStyler().setXAxisMin(min);
            chart.getStyler().setXAxisMax(max);
        }
    }

    /**
     * XChart 3.8 puts x ticks only at sample positions when all x values of a chart are equally spaced
     * (as recorded traces are), which crowds the axis with labels such as 0, 6, 12, ... 198. One invisible
     * point between the first two samples breaks the equal spacing, so XChart picks round steps instead.
     */
    private static void roundTicks(final XYChart chart, final List<Series> series) {
        for (final Series s : series) {
            final double[] x = s.x();
            final double[] y = s.y();
            for (int k = 0; k + 1 < x.length; k++) {
                if (Double.isFinite(y[k]) && x[k + 1] > x[k]) {
                    final XYSeries helper = chart.addSeries(" ", new double[] {0.5 * (x[k] + x[k + 1])},
                                                            new double[] {y[k]});
                    helper.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                    helper.setMarker(SeriesMarkers.NONE);
                    helper.setShowInLegend(false);
                    return;
                }
            }
        }
    }

    private static double[] finiteOrNaN(final double[] y) {
        double[] out = y;
        for (int k = 0; k < y.length; k++) {
            if (Double.isInfinite(y[k])) {
                if (out == y) {
                    out = y.clone();
                }
                out[k] = Double.NaN;
            }
        }
        return out;
    }
}
