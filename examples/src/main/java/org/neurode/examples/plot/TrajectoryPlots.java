package org.neurode.examples.plot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.knowm.xchart.XYChart;
import org.neurode.core.EventLog;
import org.neurode.core.StateLayout;
import org.neurode.core.Trajectory;

/**
 * Standard panels for a {@link Trajectory}: a spike raster from its events and one trace panel per
 * recorded state block (all recorded {@code v[i]} together, all {@code W[i,j]} together), each labelled
 * with the block's unit from the state layout.
 *
 * @since 0.1
 */
public final class TrajectoryPlots {

    /** Most curves drawn in one trace panel; more would make the legend unreadable. */
    public static final int MAX_SERIES_PER_PANEL = 10;
    /**
     * Most trace panels in one figure (one per recorded block): a model file with 1,000 scalar states would
     * otherwise draw 1,000 panels, a 24-MB image that took 35 s; the CSV file keeps every recorded column.
     */
    public static final int MAX_PANELS = 12;
    /** Most neurons drawn in a raster; larger populations show their first neurons only. */
    public static final int MAX_RASTER_NEURONS = 500;

    private TrajectoryPlots() {
    }

    /**
     * A spike raster of the trajectory's events over the time span it reached.
     *
     * @param trajectory     the trajectory (not modified)
     * @param title          chart title
     * @param tStart         start time (ms)
     * @param populationSize number of neurons
     * @return the chart; with more than {@value #MAX_RASTER_NEURONS} neurons only the first ones, as the
     *         title says
     */
    public static XYChart raster(final Trajectory trajectory, final String title, final double tStart,
                                 final int populationSize) {
        final EventLog events = trajectory.events();
        final int shown = Math.min(populationSize, MAX_RASTER_NEURONS);
        final double[] allTimes = events.times();
        final int[] allMembers = events.members();
        int count = 0;
        for (final int m : allMembers) {
            if (m < shown) {
                count++;
            }
        }
        final double[] times = new double[count];
        final int[] members = new int[count];
        int k = 0;
        for (int e = 0; e < allMembers.length; e++) {
            if (allMembers[e] < shown) {
                times[k] = allTimes[e];
                members[k] = allMembers[e];
                k++;
            }
        }
        final String fullTitle = shown < populationSize
                ? title + " (first " + shown + " of " + populationSize + " neurons)" : title;
        return Charts.raster(fullTitle, times, members, tStart, Math.max(trajectory.finalTime(), tStart + 1e-9),
                             shown);
    }

    /**
     * One trace panel per recorded block, in recording order.
     *
     * @param trajectory   the trajectory (not modified)
     * @param descriptions optional panel titles by block name, e.g. {@code "v" -> "membrane potential"}
     *                     (not modified; blocks without one are titled by name)
     * @return the charts; a block with more than {@value #MAX_SERIES_PER_PANEL} recorded elements shows
     *         its first ones, and of more than {@value #MAX_PANELS} recorded blocks the first ones get a panel,
     *         as the titles say
     */
    public static List<XYChart> tracePanels(final Trajectory trajectory, final Map<String, String> descriptions) {
        final Map<String, List<Integer>> byBlock = new LinkedHashMap<>();
        final List<String> names = trajectory.columnNames();
        for (int j = 0; j < names.size(); j++) {
            byBlock.computeIfAbsent(blockName(names.get(j)), b -> new ArrayList<>()).add(j);
        }
        final double[] times = trajectory.times();
        final List<XYChart> charts = new ArrayList<>();
        for (final Map.Entry<String, List<Integer>> entry : byBlock.entrySet()) {
            if (charts.size() == MAX_PANELS) {
                break;
            }
            final String block = entry.getKey();
            final List<Integer> columns = entry.getValue();
            final int shown = Math.min(columns.size(), MAX_SERIES_PER_PANEL);
            final List<Series> series = new ArrayList<>(shown);
            for (int s = 0; s < shown; s++) {
                final int j = columns.get(s);
                series.add(new Series(names.get(j), times, trajectory.column(j)));
            }
            final String description = descriptions.getOrDefault(block, block);
            String title = shown < columns.size()
                    ? description + " (first " + shown + " of " + columns.size() + " recorded)" : description;
            if (charts.isEmpty() && byBlock.size() > MAX_PANELS) {
                title += " [panels for the first " + MAX_PANELS + " of " + byBlock.size()
                        + " recorded variables; all are in the CSV file]";
            }
            charts.add(Charts.lines(title, Charts.TIME_AXIS, axisLabel(trajectory.layout().has(block)
                    ? trajectory.layout() : trajectory.inputLayout(), block), series));
        }
        return charts;
    }

    /**
     * @param column a column name such as {@code v[3]}, {@code W[0,1]} or {@code x}
     * @return its block name: {@code v}, {@code W}, {@code x}
     */
    public static String blockName(final String column) {
        final int open = column.indexOf('[');
        return open < 0 ? column : column.substring(0, open);
    }

    /**
     * @param layout the state layout or the input layout
     * @param block  a block name
     * @return an axis title with the unit, e.g. {@code "v (mV)"} or {@code "W (dimensionless)"}
     */
    public static String axisLabel(final StateLayout layout, final String block) {
        final String unit = layout.has(block) ? layout.block(block).unit() : "";
        if (unit.isEmpty()) {
            return block;
        }
        return block + " (" + ("1".equals(unit) ? "dimensionless" : unit) + ")";
    }
}
