package org.neurode.models.experiment.burst;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

import org.neurode.core.OdeException;
import org.neurode.models.burst.MultiplexCircuit;
import org.neurode.models.experiment.Checkpointable;
import org.neurode.models.experiment.Checkpoints;
import org.neurode.models.experiment.Experiment;
import org.neurode.models.experiment.Progress;
import org.neurode.models.experiment.RunStatus;

/**
 * The burst-multiplexing circuit of Fig. 3 of Payeur, Guerguiev, Zenke, Richards and Naud (2021, Nat. Neurosci.
 * 24:1010) as an experiment: {@link MultiplexCircuit} (two populations of two-compartment pyramidal neurons with PV
 * and SST interneurons, a sinusoidal somatic drive into the lower population and a dendritic one into the upper)
 * simulated for each of {@code seeds} seeds (forward Euler at 0.1 ms, one simulation a thread, {@code threads} at
 * once), and read out in bins: how well the upper population's event rate follows the lower one's somatic drive
 * (bottom-up) and the lower population's burst probability the upper one's dendritic drive (top-down), with the
 * cross terms, per seed and as mean and standard deviation over the seeds.
 *
 * <p>Progress counts simulated milliseconds over the seeds this call simulates ({@code burnIn + duration} each)
 * and reports {@code seedsDone} (finished seeds) and {@code bottomUp} and {@code topDown} (their means over the
 * finished seeds, NaN before the first). Every finished seed is a checkpoint: it is handed to {@link Checkpoints}
 * as a {@link FinishedSeed} on the run's thread as soon as it is done (the command line writes it to
 * {@code seed-<s>.json}), and {@link #continueRun} takes finished seeds back instead of simulating them again.
 * A stop request ends the seeds in flight within 10 ms of simulated time and returns the finished ones with status
 * {@link RunStatus#INTERRUPTED}; a seed whose integration blows up ends the run with status
 * {@link RunStatus#FAILED}. The numbers of a seed depend on its seed and the settings only, not on
 * {@code threads}.
 *
 * @since 0.7
 */
public final class Multiplex implements Experiment<MultiplexSettings, MultiplexResult> {

    /** The experiment. */
    public static final Multiplex INSTANCE = new Multiplex();
    /** Its kind. */
    public static final String KIND = "multiplex";

    /** Wall time between progress reports and stop polls while seeds run (ms). */
    private static final long POLL_MS = 100;

    /** The circuit's parameter names, built once. */
    private static volatile List<String> parameterNames;

    private Multiplex() {
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Class<MultiplexSettings> settingsType() {
        return MultiplexSettings.class;
    }

    /**
     * @return the command line's default run, the paper's circuit: 4,000 + 4,000 pyramidal and 1,000 + 1,000
     *         interneurons (p = 0.05), 5 seeds from 1, a burn-in of 1,000 ms, 3,000 ms of read-out in 50-ms bins, no
     *         changed parameters, all cores
     */
    @Override
    public MultiplexSettings defaults() {
        return new MultiplexSettings(4000, 5, 1, 1000, 3000, 50, Map.of(), null);
    }

    /**
     * @return the names of the circuit's parameters that {@link MultiplexSettings#parameters()} may change
     */
    public static List<String> parameterNames() {
        List<String> names = parameterNames;
        if (names == null) {
            names = List.copyOf(MultiplexCircuit.parameterNames());
            parameterNames = names;
        }
        return names;
    }

    @Override
    public void check(final MultiplexSettings settings) {
        validate(settings);
    }

    /**
     * Checks the settings beyond their types.
     *
     * @param s settings
     * @throws IllegalArgumentException naming the first field that is out of range
     */
    public static void validate(final MultiplexSettings s) {
        check(s.neurons() >= 1, "neurons must be at least 1: " + s.neurons());
        check(s.seeds() >= 1, "seeds must be at least 1: " + s.seeds());
        check(s.seed() <= Long.MAX_VALUE - (s.seeds() - 1), "seed " + s.seed() + " with seeds " + s.seeds()
                + ": the last seed would overflow");
        check(s.burnIn() >= 0 && Double.isFinite(s.burnIn()), "burnIn must be finite and not negative (ms): "
                + s.burnIn());
        check(s.duration() > 0 && Double.isFinite(s.duration()), "duration must be finite and positive (ms): "
                + s.duration());
        check(s.bin() > 0 && s.bin() <= s.duration(), "bin " + s.bin() + " ms: positive and at most the duration "
                + s.duration() + " ms");
        check(s.threads() == null || s.threads() >= 1, "threads must be at least 1 (or null for all cores): "
                + s.threads());
        final List<String> names = parameterNames();
        for (final Map.Entry<String, Double> e : s.parameters().entrySet()) {
            check(names.contains(e.getKey()), "parameters: the circuit has no parameter '" + e.getKey()
                    + "'; its parameters: " + String.join(", ", names));
            check(e.getValue() != null && Double.isFinite(e.getValue()), "parameters." + e.getKey()
                    + " must be a finite number: " + e.getValue());
        }
    }

    private static void check(final boolean valid, final String message) {
        if (!valid) {
            throw new IllegalArgumentException(message);
        }
    }

    /**
     * The circuit of the settings' first seed ({@link MultiplexCircuit.Config#withSeed} gives the others).
     *
     * @param s settings
     * @return the paper's circuit scaled to {@code neurons} ({@link MultiplexCircuit.Config#withPyramidal}) with the
     *         settings' times
     */
    public static MultiplexCircuit.Config config(final MultiplexSettings s) {
        final MultiplexCircuit.Config base = MultiplexCircuit.Config.paper().withPyramidal(s.neurons())
                .withTimes(s.burnIn(), s.duration());
        return new MultiplexCircuit.Config(base.pyramidal(), base.interneurons(), base.p(), s.seed(), s.burnIn(),
                s.duration(), s.bin());
    }

    /**
     * @param s settings
     * @return the threads the run uses: {@code threads}, or all cores if it is null
     */
    public static int threads(final MultiplexSettings s) {
        return s.threads() != null ? s.threads() : Runtime.getRuntime().availableProcessors();
    }

    /**
     * A seed that has just finished, as handed to {@link Checkpoints#save}.
     *
     * @param seed      its read-out
     * @param seedsDone seeds finished so far (given ones included)
     * @param done      simulated milliseconds of this call so far, over all seeds (the unit of progress)
     */
    public record FinishedSeed(MultiplexResult.Seed seed, int seedsDone, long done) implements Checkpointable {
    }

    @Override
    public MultiplexResult run(final MultiplexSettings settings, final Progress progress,
                               final Checkpoints checkpoints) {
        return continueRun(settings, List.of(), progress, checkpoints);
    }

    /**
     * Runs the seeds that are not given as finished (a resumed run: the command line reads them from their
     * {@code seed-<s>.json}).
     *
     * @param settings    the settings
     * @param finished    seeds of this run finished earlier (each of {@code seed .. seed + seeds - 1} at most once)
     * @param progress    progress receiver, polled for stopping
     * @param checkpoints receives every seed this call finishes
     * @return the result: the given and the simulated seeds, in the order of the seeds
     * @throws IllegalArgumentException if the settings are invalid or a given seed is not one of the run's
     */
    public MultiplexResult continueRun(final MultiplexSettings settings, final List<MultiplexResult.Seed> finished,
                                       final Progress progress, final Checkpoints checkpoints) {
        validate(settings);
        final MultiplexCircuit.Config config = config(settings);
        final MultiplexResult.Seed[] results = new MultiplexResult.Seed[settings.seeds()];
        for (final MultiplexResult.Seed f : finished) {
            final long k = f.seed() - settings.seed();
            check(k >= 0 && k < settings.seeds() && results[(int) k] == null, "seed " + f.seed() + " is not one of "
                    + "the run's seeds " + settings.seed() + ".." + (settings.seed() + settings.seeds() - 1)
                    + ", or is given twice");
            results[(int) k] = f;
        }
        final List<Integer> todo = new ArrayList<>();
        for (int k = 0; k < results.length; k++) {
            if (results[k] == null) {
                todo.add(k);
            }
        }
        final long total = Math.round(config.end()) * todo.size();
        final AtomicLong done = new AtomicLong();
        final AtomicBoolean halt = new AtomicBoolean();
        String failure = null;
        int seedsDone = settings.seeds() - todo.size();
        final ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads(settings),
                todo.size())));
        try {
            final CompletionService<MultiplexResult.Seed> completion = new ExecutorCompletionService<>(pool);
            final java.util.Map<Future<MultiplexResult.Seed>, Long> seedOf = new java.util.HashMap<>();
            for (final int k : todo) {
                final long seed = settings.seed() + k;
                seedOf.put(completion.submit(() -> halt.get() ? null
                        : simulate(config.withSeed(seed), settings.parameters(), done, halt)), seed);
            }
            for (int left = todo.size(); left > 0; ) {
                if (!halt.get() && progress.stopRequested()) {
                    halt.set(true);
                }
                final Future<MultiplexResult.Seed> f;
                try {
                    f = completion.poll(POLL_MS, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    halt.set(true);
                    break;
                }
                if (f != null) {
                    left--;
                    try {
                        final MultiplexResult.Seed s = f.get();
                        if (s != null) {
                            results[(int) (s.seed() - settings.seed())] = s;
                            seedsDone++;
                            checkpoints.save(new FinishedSeed(s, seedsDone, done.get()));
                        }
                    } catch (ExecutionException e) {
                        if (!(e.getCause() instanceof OdeException o)) {
                            throw rethrow(e.getCause());
                        }
                        if (failure == null) {
                            failure = "seed " + seedOf.get(f) + ": " + o.getMessage();
                        }
                        halt.set(true);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        halt.set(true);
                        break;
                    }
                }
                progress.update(Math.min(done.get(), total), total, metrics(results, seedsDone));
            }
        } finally {
            pool.shutdownNow();
        }
        final List<MultiplexResult.Seed> seeds = new ArrayList<>();
        for (final MultiplexResult.Seed s : results) {
            if (s != null) {
                seeds.add(s);
            }
        }
        final RunStatus status = failure != null ? RunStatus.FAILED
                : seeds.size() < settings.seeds() ? RunStatus.INTERRUPTED : RunStatus.SUCCESS;
        final String message = failure != null ? failure
                : status == RunStatus.INTERRUPTED ? "stopped with " + seeds.size() + " of " + settings.seeds()
                                                    + " seeds finished" : null;
        return result(settings, config, status, message, seeds, seeds.size() - (settings.seeds() - todo.size()));
    }

    /** One seed on the calling (pool) thread; null if the run was halted. */
    private static MultiplexResult.Seed simulate(final MultiplexCircuit.Config c, final Map<String, Double> parameters,
                                                 final AtomicLong done, final AtomicBoolean halt) {
        final long t0 = System.nanoTime();
        final double[] last = {0};
        final MultiplexCircuit.Run run = MultiplexCircuit.run(c, parameters, t -> {
            done.addAndGet(Math.round(t - last[0]));
            last[0] = Math.round(t);
        }, halt::get);
        return run == null ? null : seed(run, (System.nanoTime() - t0) * 1e-9);
    }

    /**
     * The read-out of a run of the circuit as a typed record.
     *
     * @param run         the run
     * @param wallSeconds its wall time (s)
     * @return the seed's record
     */
    public static MultiplexResult.Seed seed(final MultiplexCircuit.Run run, final double wallSeconds) {
        final MultiplexCircuit.Readout o = run.readout();
        final List<MultiplexResult.Bin> bins = new ArrayList<>(o.times().length);
        for (int k = 0; k < o.times().length; k++) {
            bins.add(new MultiplexResult.Bin(o.times()[k], o.drive1()[k], o.drive2()[k], o.eventRate1()[k],
                    o.burstProb1()[k], o.eventRate2()[k], o.burstProb2()[k], o.burstRate2()[k]));
        }
        final Map<String, Double> r = run.rates();
        return new MultiplexResult.Seed(run.config().seed(), run.synapses(), wallSeconds, o.bottomUp(), o.topDown(),
                o.crossUp(), o.crossDown(), o.pyr2Dendrite(), o.eventRelay(), o.burstRelay(), o.pyr1Soma(),
                new MultiplexResult.PopulationRates(r.get(MultiplexCircuit.PYR1), r.get(MultiplexCircuit.PYR2),
                        r.get(MultiplexCircuit.PV), r.get(MultiplexCircuit.SST)), List.copyOf(bins));
    }

    private static Map<String, Double> metrics(final MultiplexResult.Seed[] results, final int seedsDone) {
        final List<MultiplexResult.Seed> seeds = new ArrayList<>();
        for (final MultiplexResult.Seed s : results) {
            if (s != null) {
                seeds.add(s);
            }
        }
        final Map<String, Double> m = new TreeMap<>();
        m.put("seedsDone", (double) seedsDone);
        m.put("bottomUp", mean(values(seeds, MultiplexResult.Seed::bottomUp)));
        m.put("topDown", mean(values(seeds, MultiplexResult.Seed::topDown)));
        return m;
    }

    private static MultiplexResult result(final MultiplexSettings s, final MultiplexCircuit.Config c,
                                          final RunStatus status, final String message,
                                          final List<MultiplexResult.Seed> seeds, final int simulated) {
        return new MultiplexResult(s, status, message, c.pyramidal(), c.interneurons(), c.p(),
                seeds.isEmpty() ? 0 : seeds.get(0).synapses(), MultiplexCircuit.STEP, simulated,
                summary(seeds, MultiplexResult.Seed::bottomUp), summary(seeds, MultiplexResult.Seed::topDown),
                summary(seeds, MultiplexResult.Seed::crossUp), summary(seeds, MultiplexResult.Seed::crossDown),
                summary(seeds, MultiplexResult.Seed::pyr2Dendrite), summary(seeds, MultiplexResult.Seed::eventRelay),
                summary(seeds, MultiplexResult.Seed::burstRelay), summary(seeds, MultiplexResult.Seed::pyr1Soma),
                new MultiplexResult.RateSummaries(summary(seeds, x -> x.ratesHz().pyr1()),
                        summary(seeds, x -> x.ratesHz().pyr2()), summary(seeds, x -> x.ratesHz().pv()),
                        summary(seeds, x -> x.ratesHz().sst())), List.copyOf(seeds));
    }

    private static MultiplexResult.Summary summary(final List<MultiplexResult.Seed> seeds,
                                                   final ToDoubleFunction<MultiplexResult.Seed> f) {
        final double[] v = values(seeds, f);
        final List<Double> perSeed = new ArrayList<>(v.length);
        for (final double x : v) {
            perSeed.add(x);
        }
        return new MultiplexResult.Summary(mean(v), v.length == 0 ? Double.NaN : sd(v), List.copyOf(perSeed));
    }

    private static double[] values(final List<MultiplexResult.Seed> seeds,
                                   final ToDoubleFunction<MultiplexResult.Seed> f) {
        final double[] v = new double[seeds.size()];
        for (int k = 0; k < v.length; k++) {
            v[k] = f.applyAsDouble(seeds.get(k));
        }
        return v;
    }

    /**
     * @param v values
     * @return their mean (NaN for none)
     */
    public static double mean(final double[] v) {
        double s = 0;
        for (final double x : v) {
            s += x;
        }
        return s / v.length;
    }

    /**
     * @param v values
     * @return their sample standard deviation (0 for fewer than two)
     */
    public static double sd(final double[] v) {
        if (v.length < 2) {
            return 0;
        }
        final double m = mean(v);
        double s = 0;
        for (final double x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / (v.length - 1));
    }

    private static RuntimeException rethrow(final Throwable t) {
        if (t instanceof RuntimeException re) {
            return re;
        }
        if (t instanceof Error err) {
            throw err;
        }
        return new IllegalStateException(t);
    }
}
