package org.neurode.examples.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jdk.incubator.vector.DoubleVector;

import org.neurode.core.Model;
import org.neurode.core.Problem;
import org.neurode.models.Microcircuit;
import org.neurode.solvers.Simulation;
import org.neurode.solvers.SolveOptions;
import org.neurode.solvers.Solvers;

/**
 * {@code neurode bench seeds}: does integrating several seeds of the regression microcircuit in one interleaved
 * state ({@link SeedBatch}) beat one seed per simulation, on one core and on all cores? Three layouts: the compiled
 * model, one simulation per seed (what {@code regression --seeds} does); the same step written by hand, one seed per
 * array with the library's kernels (the control: what writing the step by hand gains); and the hand-written step
 * with the seeds interleaved, one per vector lane (what the layout gains on top). Every configuration
 * trains the same number of seeds (one vector's lanes) pattern by pattern with exponential Euler, noise,
 * nudging and plasticity on; the configurations take turns over five rounds after a warm-up, and each is reported
 * by the median of its rounds in seed-patterns per second (100-ms patterns), with the ratio to one seed per
 * simulation on the same number of threads in the same rounds.
 */
final class SeedBatching {

    private static final double PATTERN_MS = 100.0;

    private SeedBatching() {
    }

    /** One workload: a number of seeds trained pattern by pattern, on the thread that calls it. */
    private interface Workload {
        /** Trains every seed on one new pattern. @return the seed-patterns done */
        int pattern();
    }

    /**
     * @param seconds measuring time per configuration (after an equally long warm-up)
     * @return one entry per configuration
     */
    static List<Map<String, Object>> run(final double seconds) {
        final Microcircuit.Config config = Microcircuit.Config.paperRegression();
        final Model built = Microcircuit.build(config);
        final int seeds = DoubleVector.SPECIES_PREFERRED.length();
        final int threadsMax = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
        final List<String> names = new ArrayList<>();
        final List<Workload[]> loads = new ArrayList<>();
        final List<double[]> meta = new ArrayList<>();
        for (final double dt : new double[] {0.5, 2.0}) {
            for (int threads = 1; threads <= threadsMax; threads++) {
                final Workload[] separate = new Workload[threads];
                for (int t = 0; t < threads; t++) {
                    separate[t] = separate(built, config, seeds, dt, 100L * t);
                }
                names.add("one seed per simulation");
                loads.add(separate);
                meta.add(new double[] {dt, threads, 0});
                for (final boolean interleaved : new boolean[] {false, true}) {
                    final Workload[] batched = new Workload[threads];
                    for (int t = 0; t < threads; t++) {
                        batched[t] = batched(built, config, interleaved, seeds, dt, 100L * t);
                    }
                    names.add(interleaved ? seeds + " seeds interleaved, by hand" : "one seed per array, by hand");
                    loads.add(batched);
                    meta.add(new double[] {dt, threads, interleaved ? seeds : 1});
                }
            }
        }
        final int rounds = 5;
        final double[][] rates = new double[loads.size()][rounds];
        final ExecutorService pool = Executors.newFixedThreadPool(threadsMax);
        try {
            for (int round = -1; round < rounds; round++) {
                for (int k = 0; k < loads.size(); k++) {
                    final double budget = round < 0 ? seconds : seconds / rounds;
                    final double rate = measure(pool, loads.get(k), budget);
                    if (round >= 0) {
                        rates[k][round] = rate;
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
        final List<Map<String, Object>> out = new ArrayList<>();
        double baseline = Double.NaN;
        for (int k = 0; k < loads.size(); k++) {
            final double[] r = rates[k].clone();
            Arrays.sort(r);
            final double median = r[rounds / 2];
            final double[] m = meta.get(k);
            if (m[2] == 0) {
                baseline = median;
            }
            final Map<String, Object> e = new LinkedHashMap<>();
            e.put("layout", names.get(k));
            e.put("dtMs", m[0]);
            e.put("threads", (int) m[1]);
            e.put("seeds", seeds * (int) m[1]);
            e.put("seedPatternsPerSecond", median);
            e.put("seedPatternsPerSecondBest", r[rounds - 1]);
            e.put("seedPatternsPerSecondWorst", r[0]);
            e.put("ratioToOneSeedPerSimulation", median / baseline);
            out.add(e);
        }
        return out;
    }

    /** Runs the workloads on their threads for {@code seconds}; @return seed-patterns per second, all threads */
    private static double measure(final ExecutorService pool, final Workload[] loads, final double seconds) {
        final List<Future<Long>> done = new ArrayList<>();
        final long t0 = System.nanoTime();
        for (final Workload w : loads) {
            done.add(pool.submit(() -> {
                long n = 0;
                while (System.nanoTime() - t0 < seconds * 1e9) {
                    n += w.pattern();
                }
                return n;
            }));
        }
        long total = 0;
        for (final Future<Long> f : done) {
            total += org.neurode.models.experiment.Futures.join(f);
        }
        return total / ((System.nanoTime() - t0) * 1e-9);
    }

    /** @return the initial state of seed {@code seed}: U(-1, 1) weights (the regression's), and its model */
    private static Model seeded(final Model built, final double[] y, final long seed) {
        return Microcircuit.randomWeights(built, y, 1.0, new SplittableRandom(seed))
                .withInput("plastic", 1.0).withInput("nudge", 1.0);
    }

    private static Workload separate(final Model built, final Microcircuit.Config config, final int seeds,
                                     final double dt, final long first) {
        final Simulation[] sims = new Simulation[seeds];
        for (int s = 0; s < seeds; s++) {
            final double[] y = built.initialState();
            final Model model = seeded(built, y, first + s);
            sims[s] = Solvers.get("exponential-euler").start(Problem.of(model, y, 1e15),
                    SolveOptions.fixedStep(dt).withSeed(first + s));
        }
        final SplittableRandom inputs = new SplittableRandom(first);
        final double[] x = new double[config.sizes()[0]];
        final double[] target = new double[config.sizes()[config.layers()]];
        return () -> {
            for (final Simulation sim : sims) {
                fill(inputs, x);
                fill(inputs, target);
                sim.setBlock("x", x);
                sim.setBlock("uTarget", target);
                sim.advance(PATTERN_MS);
            }
            return sims.length;
        };
    }

    private static Workload batched(final Model built, final Microcircuit.Config config, final boolean interleaved,
                                    final int seeds, final double dt, final long first) {
        final SeedBatch[] batches = new SeedBatch[interleaved ? 1 : seeds];
        for (int b = 0; b < batches.length; b++) {
            batches[b] = new SeedBatch(config, interleaved, first + b);
            for (int lane = 0; lane < batches[b].lanes(); lane++) {
                final double[] y = built.initialState();
                final Model model = seeded(built, y, first + b + lane);
                batches[b].load(lane, model, y);
            }
        }
        final SplittableRandom inputs = new SplittableRandom(first);
        final double[] x = new double[config.sizes()[0]];
        final double[] target = new double[config.sizes()[config.layers()]];
        final int steps = (int) Math.round(PATTERN_MS / dt);
        return () -> {
            for (final SeedBatch batch : batches) {
                for (int lane = 0; lane < batch.lanes(); lane++) {
                    fill(inputs, x);
                    fill(inputs, target);
                    batch.setPattern(lane, x, target);
                }
                batch.advance(steps, dt, true);
            }
            return seeds;
        };
    }

    private static void fill(final SplittableRandom random, final double[] a) {
        for (int i = 0; i < a.length; i++) {
            a[i] = random.nextDouble(-1, 1);
        }
    }
}
