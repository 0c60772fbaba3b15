package org.neurode.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.neurode.examples.plot.Figure;
import org.neurode.examples.plot.WorkPrecisionChart;

/** The work-precision panel of {@code compare-solvers} (issue 12: failures, labels, markers, tick labels). */
class WorkPrecisionChartTest {

    private static WorkPrecisionChart.Curve curve(final String name, final double[] x, final double[] y,
                                                  final int failures) {
        final String[] labels = new String[x.length];
        for (int k = 0; k < labels.length; k++) {
            labels[k] = WorkPrecisionChart.tickLabel(Math.pow(10.0, -4 - 2 * k));
        }
        return new WorkPrecisionChart.Curve(name, x, y, labels, failures, x.length);
    }

    @Test
    void issue12_powersOfTenAreWrittenAsTenToAPowerNotInEngineeringNotation() {
        assertEquals("10⁻³", WorkPrecisionChart.tickLabel(1e-3));
        assertEquals("10⁻¹⁰", WorkPrecisionChart.tickLabel(1e-10));
        assertEquals("10⁴", WorkPrecisionChart.tickLabel(1e4));
        assertEquals("1", WorkPrecisionChart.tickLabel(1.0));
        assertEquals("10", WorkPrecisionChart.tickLabel(10.0));
        assertEquals("0.00250", WorkPrecisionChart.tickLabel(2.5e-3));
    }

    @Test
    void issue12_failedSolversStayInTheLegendWithTheirFailureCountAndCurvesGetDistinctMarkersAndDashes() {
        // GIVEN two overlapping curves, one solver with one of three runs failed and one with all failed
        final List<WorkPrecisionChart.Curve> curves = List.of(
                curve("a", new double[] {100, 200, 400}, new double[] {1e-4, 1e-6, 1e-8}, 0),
                curve("b", new double[] {100, 200, 400}, new double[] {1e-4, 1e-6, Double.NaN}, 1),
                curve("c", new double[] {5, 5, 5}, new double[] {Double.NaN, Double.NaN, Double.NaN}, 3));
        // WHEN charted
        final XYChart chart = WorkPrecisionChart.of("Title", "RHS evaluations", "error", curves);
        // THEN every solver is in the legend, the failures counted
        final List<String> names = List.copyOf(chart.getSeriesMap().keySet());
        assertEquals(List.of("a", "b (1 of 3 failed)", "c (all 3 runs failed)"), names);
        // AND the drawn curves differ in marker and in line pattern
        final XYSeries a = chart.getSeriesMap().get("a");
        final XYSeries b = chart.getSeriesMap().get("b (1 of 3 failed)");
        assertTrue(a.getMarker() != b.getMarker());
        assertTrue(!java.util.Arrays.equals(a.getLineStyle().getDashArray(), b.getLineStyle().getDashArray()));
        // AND it renders (XChart's tick search must end: a regression here hung the command)
        final BufferedImage image = Assertions.assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> Figure.of(List.of(chart)).render());
        assertTrue(image.getWidth() > 0);
    }

    @Test
    void aChartWhoseRunsAllFailedStillRenders() {
        final XYChart chart = WorkPrecisionChart.of("Title", "x", "y",
                List.of(curve("c", new double[] {1}, new double[] {Double.NaN}, 1)));
        assertEquals(List.of("c (failed)"), List.copyOf(chart.getSeriesMap().keySet()));
        Assertions.assertTimeoutPreemptively(Duration.ofSeconds(30), () -> Figure.of(List.of(chart)).render());
    }
}
