package org.neurode.models.experiment.sweep;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.neurode.models.experiment.Futures;
import org.neurode.models.experiment.Progress;
import org.neurode.models.experiment.RunStatus;

/**
 * Runs the points of a sweep on a pool of threads of this JVM, one point a thread, skipping the points whose
 * results are already in the folder. Each point's result is a function of the {@link Point} only, so the numbers
 * do not depend on the number of threads or on the order in which points finish.
 *
 * @since 0.7
 */
public final class LocalRunner {

    private final int threads;

    /**
     * @param threads worker threads (at least 1)
     */
    public LocalRunner(final int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1: " + threads);
        }
        this.threads = threads;
    }

    /** @return the number of cores this JVM may use: the default number of threads */
    public static int defaultThreads() {
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * What a run of the runner did.
     *
     * @param results the results of all finished points (skipped and run), by index
     * @param skipped points whose results were in the folder already
     * @param ran     points run (and written) now
     * @param total   points of the sweep
     */
    public record Outcome(List<PointResult> results, int skipped, int ran, int total) {

        /** @return true if every point has its result */
        public boolean complete() {
            return results.size() == total;
        }

        /** @return the finished points that failed */
        public long failed() {
            return results.stream().filter(r -> r.status() != RunStatus.SUCCESS).count();
        }
    }

    /**
     * Runs the points of the sweep that have no result in the folder, in the order of their indices, and writes
     * each result as it finishes.
     *
     * @param sweep    the sweep
     * @param folder   where the results are
     * @param listener progress and stop
     * @return the outcome; incomplete if the listener stopped it
     * @throws java.io.UncheckedIOException if a result cannot be written (the other points are stopped)
     */
    public Outcome run(final Sweep sweep, final ResultFolder folder, final SweepListener listener) {
        final List<PointResult> results = new ArrayList<>(folder.finished(sweep));
        final int skipped = results.size();
        final List<Point> pending = new ArrayList<>();
        final java.util.Set<Integer> done = new java.util.HashSet<>();
        results.forEach(r -> done.add(r.point().index()));
        for (final Point p : sweep.points()) {
            if (!done.contains(p.index())) {
                pending.add(p);
            }
        }
        final int total = sweep.points().size();
        listener.started(total, skipped);
        final AtomicInteger finished = new AtomicInteger(skipped);
        final List<PointResult> fresh = java.util.Collections.synchronizedList(new ArrayList<>());
        if (!pending.isEmpty()) {
            final AtomicInteger n = new AtomicInteger();
            final ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, pending.size()), r -> {
                final Thread t = new Thread(r, "sweep-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            try {
                final List<Future<?>> futures = new ArrayList<>();
                for (final Point p : pending) {
                    futures.add(pool.submit(() -> {
                        if (listener.stopRequested()) {
                            return;
                        }
                        final PointResult r = p.run(Progress.stoppable((d, t, metrics) -> listener.pointProgress(p,
                                d, t), listener::stopRequested));
                        if (r.status() == RunStatus.INTERRUPTED) {
                            return;
                        }
                        folder.write(r);
                        fresh.add(r);
                        listener.pointFinished(r, finished.incrementAndGet(), total);
                    }));
                }
                for (final Future<?> f : futures) {
                    Futures.join(f);
                }
            } finally {
                pool.shutdownNow();
            }
        }
        results.addAll(fresh);
        results.sort(Comparator.comparingInt(r -> r.point().index()));
        return new Outcome(List.copyOf(results), skipped, fresh.size(), total);
    }
}
