package org.neurode.spark;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

import org.neurode.models.experiment.Progress;
import org.neurode.models.experiment.sweep.LocalRunner;
import org.neurode.models.experiment.sweep.Point;
import org.neurode.models.experiment.sweep.PointResult;
import org.neurode.models.experiment.sweep.ResultFolder;
import org.neurode.models.experiment.sweep.Sweep;
import org.neurode.models.experiment.sweep.SweepListener;

/**
 * Runs the points of a sweep on a Spark cluster: the points whose results are not in the folder yet are
 * parallelized (one partition a point by default), each executor runs its points with the same
 * {@link Point#run} as the {@link LocalRunner} (so a point gives the same numbers here as there), the results are
 * collected on the driver and written through the same {@link ResultFolder}, one atomic file a point. Run again
 * with the same folder, it runs only the points without a file.
 *
 * <p>The results are written when the Spark job ends: a driver killed during the job loses that job's points
 * (they run again on resume). {@code batch} bounds that loss: the pending points are run in jobs of at most
 * {@code batch} points, each written as its job ends.
 */
public final class SparkRunner {

    private final int partitions;
    private final int batch;

    /** One partition a point, all pending points in one job. */
    public SparkRunner() {
        this(0, Integer.MAX_VALUE);
    }

    /**
     * @param partitions partitions of a job (0: one a point)
     * @param batch      most points of one job (at least 1); the results are written as each job ends
     */
    public SparkRunner(final int partitions, final int batch) {
        if (partitions < 0) {
            throw new IllegalArgumentException("partitions must be 0 (one a point) or positive: " + partitions);
        }
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be at least 1: " + batch);
        }
        this.partitions = partitions;
        this.batch = batch;
    }

    /**
     * Runs on the executors the points of the sweep that have no result in the folder, and writes their results.
     *
     * @param sweep    the sweep
     * @param folder   where the results are (on the driver)
     * @param context  the Spark context
     * @param listener told of the start and of each point written (on the driver); asked before each job whether
     *                 to stop
     * @return the outcome, as the local runner's
     * @throws java.io.UncheckedIOException if a result cannot be written
     */
    public LocalRunner.Outcome run(final Sweep sweep, final ResultFolder folder, final JavaSparkContext context,
                                   final SweepListener listener) {
        final List<PointResult> results = new ArrayList<>(folder.finished(sweep));
        final int skipped = results.size();
        final Set<Integer> done = new HashSet<>();
        results.forEach(r -> done.add(r.point().index()));
        final List<Point> pending = new ArrayList<>();
        for (final Point p : sweep.points()) {
            if (!done.contains(p.index())) {
                pending.add(p);
            }
        }
        final int total = sweep.points().size();
        listener.started(total, skipped);
        int ran = 0;
        for (int from = 0; from < pending.size() && !listener.stopRequested(); from += batch) {
            final List<Point> job = pending.subList(from, (int) Math.min(pending.size(), (long) from + batch));
            for (final PointResult r : run(job, context)) {
                folder.write(r);
                results.add(r);
                ran++;
                listener.pointFinished(r, skipped + ran, total);
            }
        }
        results.sort(Comparator.comparingInt(r -> r.point().index()));
        return new LocalRunner.Outcome(List.copyOf(results), skipped, ran, total);
    }

    /**
     * Runs points on the executors, without files.
     *
     * @param points  the points
     * @param context the Spark context
     * @return their results, in the points' order
     */
    public List<PointResult> run(final List<Point> points, final JavaSparkContext context) {
        if (points.isEmpty()) {
            return List.of();
        }
        final int slices = partitions == 0 ? points.size() : Math.min(partitions, points.size());
        final JavaRDD<Point> rdd = context.parallelize(new ArrayList<>(points), slices);
        return rdd.map(SparkRunner::runPoint).collect();
    }

    /** The task: the local runner's run of one point, without progress. */
    private static PointResult runPoint(final Point point) {
        return point.run(Progress.NONE);
    }
}
