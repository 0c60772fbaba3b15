package org.neurode.models.experiment.sweep;

import java.util.List;

/**
 * A sweep: a base experiment, axes over fields of its settings and seeds, expanded into {@link Point}s (the
 * product of the axes, in the file's order with the last axis fastest, each with every seed; the seeds
 * fastest). Read from a sweep file by {@link SweepFiles}.
 *
 * <p>Seeds: without {@code seeds} every point keeps the base settings' seed; {@code seeds: n} gives replicate
 * {@code r} the seed {@code Seeds.seed(seed, SEED_PURPOSE, r)} (the same seeds at every combination of the axes,
 * so that axis values are compared on the same random streams); {@code seeds: [1, 2, 3]} gives the seeds
 * themselves. An axis over {@code seed} is an ordinary axis.
 *
 * @param source  the file's name
 * @param kind    the base experiment's kind
 * @param base    the base settings (the file's {@code base} over the experiment's defaults)
 * @param axes    the axes in the file's order
 * @param seeds   the replicate seeds ({@code [base seed]} without {@code seeds})
 * @param metric  the result's number that the summary shows (a flat name, {@code finalHeldOut.microcircuit})
 * @param metrics the flat names of the result's numbers known before running (empty if the result's type is
 *                not known)
 * @param points  the points, by index
 * @since 0.7
 */
public record Sweep(String source, String kind, Record base, List<Axis> axes, List<Long> seeds, String metric,
                    List<String> metrics, List<Point> points) {

    /** Purpose of the replicate seeds: {@code Seeds.seed(seed, SEED_PURPOSE, replicate)}. */
    public static final long SEED_PURPOSE = 101;
    /** Purpose of the random samples of an axis: {@code Seeds.stream(axis seed, SAMPLE_PURPOSE, k)}. */
    public static final long SAMPLE_PURPOSE = 102;
    /** Most points of a sweep. */
    public static final int MAX_POINTS = 1_000_000;

    /**
     * @param source  source
     * @param kind    kind
     * @param base    base
     * @param axes    axes
     * @param seeds   seeds
     * @param metric  metric
     * @param metrics metrics
     * @param points  points
     */
    public Sweep {
        axes = List.copyOf(axes);
        seeds = List.copyOf(seeds);
        metrics = List.copyOf(metrics);
        points = List.copyOf(points);
    }

    /**
     * @param name an axis name
     * @return the axis
     * @throws IllegalArgumentException if there is none of that name
     */
    public Axis axis(final String name) {
        return axes.stream().filter(a -> a.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no axis " + name));
    }
}
