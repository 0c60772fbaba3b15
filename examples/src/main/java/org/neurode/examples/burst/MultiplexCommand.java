package org.neurode.examples.burst;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import org.knowm.xchart.XYChart;
import org.neurode.examples.Main;
import org.neurode.examples.MemoryBudget;
import org.neurode.examples.OptionConverters;
import org.neurode.examples.OptionConverters.PositiveDouble;
import org.neurode.examples.OptionConverters.PositiveInt;
import org.neurode.examples.OutputFolders;
import org.neurode.examples.Progress;
import org.neurode.examples.ProgressOption;
import org.neurode.examples.VersionProvider;
import org.neurode.examples.io.AtomicFiles;
import org.neurode.examples.io.CsvFiles;
import org.neurode.examples.io.JsonFiles;
import org.neurode.examples.plot.Charts;
import org.neurode.examples.plot.Figure;
import org.neurode.examples.plot.Series;
import org.neurode.models.burst.MultiplexCircuit;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code neurode multiplex}: the burst-multiplexing circuit of Fig. 3 of Payeur, Guerguiev, Zenke, Richards and Naud
 * (2021, Nat. Neurosci. 24:1010), {@link MultiplexCircuit}: two pyramidal populations, PV and SST interneurons,
 * a sinusoidal somatic drive into the lower population and one into the upper population's dendrites. Reports how
 * well the upper population's event rate follows the lower one's somatic drive (bottom-up) and the lower population's
 * burst probability follows the upper one's dendritic drive (top-down), and the cross terms, per seed and as mean and
 * standard deviation over seeds.
 *
 * <p>Writes {@code results.json}, {@code rates.csv} (per bin: the drives, event rates and burst probabilities of
 * each seed), {@code multiplex.png} (the first seed: drives, event rates, burst probabilities) and {@code
 * seed-<s>.json} per finished seed, from which {@code --resume} continues (a killed run loses at most the seeds in
 * flight).
 *
 * @since 0.6
 */
@Command(name = "multiplex",
         mixinStandardHelpOptions = true,
         versionProvider = VersionProvider.class,
         sortOptions = false,
         description = {"The burst-multiplexing circuit of Payeur et al. 2021 (Fig. 3): two populations of "
                        + "two-compartment pyramidal neurons with PV and SST interneurons; the upper population's "
                        + "event rate follows the lower one's somatic drive, the lower one's burst probability the "
                        + "upper one's dendritic drive. Writes results.json, rates.csv, multiplex.png and one "
                        + "seed-<s>.json per seed into the output folder."})
public final class MultiplexCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--neurons", defaultValue = "4000", converter = PositiveInt.class, paramLabel = "<n>",
            description = "Neurons per pyramidal population; each interneuron population has a quarter, and the "
                          + "connection probability is 0.05 x 4000 / n (at most 1) so every neuron gets the paper's "
                          + "number of synapses (default: ${DEFAULT-VALUE}, the paper's).")
    private int neurons;

    @Option(names = "--seeds", defaultValue = "5", converter = PositiveInt.class, paramLabel = "<n>",
            description = "Seeds (independent networks, initial states and inputs; default: ${DEFAULT-VALUE}).")
    private int seeds;

    @Option(names = "--seed", defaultValue = "1", converter = OptionConverters.Seed.class, paramLabel = "<seed>",
            description = "First seed; the runs use seed, seed + 1, ... (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--burn-in", defaultValue = "1000", converter = OptionConverters.NonNegativeDouble.class,
            paramLabel = "<ms>", description = "Time before the read-out (default: ${DEFAULT-VALUE} ms).")
    private double burnIn;

    @Option(names = "--duration", defaultValue = "3000", converter = PositiveDouble.class, paramLabel = "<ms>",
            description = "Read-out time after the burn-in (default: ${DEFAULT-VALUE} ms).")
    private double duration;

    @Option(names = "--bin", defaultValue = "50", converter = PositiveDouble.class, paramLabel = "<ms>",
            description = "Bin of the event rates and burst probabilities (default: ${DEFAULT-VALUE} ms).")
    private double bin;

    @Option(names = "--param", paramLabel = "<name>=<value>",
            description = {"Set a parameter of the circuit (repeatable), e.g. --param w21=0 to cut the feedback from "
                           + "Pyr2 to Pyr1's dendrites: weights w12 w1pv wpv2 w21 w2sst wsst1 wrec, drives A1 T1 M2 A2 "
                           + "T2 (pA, ms), and the neurons' constants (an unknown name lists them)."})
    private List<String> params;

    @Option(names = "--threads", converter = PositiveInt.class, paramLabel = "<n>",
            description = "Seeds simulated at once, each on one thread (default: all cores; the results do not "
                          + "depend on it).")
    private Integer threads;

    @Option(names = "--out", converter = OptionConverters.OutputPath.class, paramLabel = "<folder>",
            description = "Output folder (default: runs/multiplex-<yyyyMMdd-HHmmss>).")
    private Path out;

    @Option(names = "--resume", converter = OptionConverters.OutputPath.class, paramLabel = "<folder>",
            description = "Continue the run in this folder: seeds with a seed-<s>.json are read, not simulated "
                          + "again; the options must be those of that run.")
    private Path resume;

    @Mixin
    private ProgressOption progress;

    /** The read-out of one seed, as stored in {@code seed-<s>.json}. */
    private record SeedResult(long seed, MultiplexCircuit.Readout readout, Map<String, Double> rates, long synapses,
                              double wallSeconds) {
    }

    @Override
    public Integer call() {
        if (out != null && resume != null) {
            throw new IllegalArgumentException("--out and --resume exclude each other: --resume continues in its "
                                               + "folder");
        }
        final int threads = this.threads != null ? this.threads : Runtime.getRuntime().availableProcessors();
        final MultiplexCircuit.Config base = MultiplexCircuit.Config.paper().withPyramidal(neurons)
                .withTimes(burnIn, duration);
        final MultiplexCircuit.Config config = new MultiplexCircuit.Config(base.pyramidal(), base.interneurons(),
                base.p(), seed, burnIn, duration, bin);
        // synapses: 8 projections of about p n^2 (pyramidal) or p n m; about 20 bytes per synapse, 40 per neuron
        // and state variable, per seed in flight
        final double synapses = 4.0 * config.p() * neurons * (double) neurons
                + 4.0 * config.p() * neurons * (double) config.interneurons();
        MemoryBudget.require("--neurons " + neurons + " with --threads " + threads,
                Math.min(threads, seeds) * (24.0 * synapses + 40.0 * 30 * 2.5 * neurons));
        final Map<String, Double> overrides = overrides();
        final Path folder = resume != null ? resume : OutputFolders.prepare(out, "multiplex");
        if (resume != null && !Files.isDirectory(resume)) {
            throw new IllegalArgumentException("--resume " + resume + ": no such folder");
        }
        final SeedResult[] results = new SeedResult[seeds];
        final List<Integer> todo = new ArrayList<>();
        for (int k = 0; k < seeds; k++) {
            final Path file = folder.resolve(seedFile(seed + k));
            if (resume != null && Files.exists(file)) {
                results[k] = readSeed(file, config.withSeed(seed + k), overrides);
            } else {
                todo.add(k);
            }
        }
        final long total = Math.round(config.end()) * todo.size();
        final AtomicLong done = new AtomicLong();
        final long start = System.nanoTime();
        try (Progress bar = progress.enabled() ? Progress.counting("multiplex", " ms", 0, total) : Progress.none()) {
            final ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, todo.size())));
            try {
                final List<Future<SeedResult>> futures = new ArrayList<>();
                for (final int k : todo) {
                    futures.add(pool.submit(() -> {
                        final long t0 = System.nanoTime();
                        final double[] last = {0};
                        final MultiplexCircuit.Run run = MultiplexCircuit.run(config.withSeed(seed + k), overrides,
                                t -> {
                            final long now = done.addAndGet(Math.round(t - last[0]));
                            last[0] = Math.round(t);
                            synchronized (bar) {
                                bar.update(now, "");
                            }
                        });
                        final SeedResult r = new SeedResult(seed + k, run.readout(), run.rates(), run.synapses(),
                                (System.nanoTime() - t0) * 1e-9);
                        JsonFiles.write(folder.resolve(seedFile(seed + k)), seedJson(r, overrides));
                        return r;
                    }));
                }
                for (int f = 0; f < futures.size(); f++) {
                    results[todo.get(f)] = org.neurode.models.experiment.Futures.join(futures.get(f));
                }
            } finally {
                pool.shutdownNow();
            }
        }
        final double wall = (System.nanoTime() - start) * 1e-9;
        write(folder, config, overrides, results, wall, todo.size());
        final PrintWriter stdout = spec.commandLine().getOut();
        stdout.printf(Locale.ROOT, "multiplex: %d + %d pyramidal, %d PV, %d SST neurons, p = %.3g, %d synapses; "
                      + "%d seeds (%d simulated, %.1f s)%n", neurons, neurons, config.interneurons(),
                      config.interneurons(), config.p(), results[0].synapses(), seeds, todo.size(), wall);
        stdout.printf(Locale.ROOT, "  bottom-up corr(Pyr2 event rate, Pyr1 somatic drive)       %s%n",
                      meanSd(results, r -> r.readout().bottomUp()));
        stdout.printf(Locale.ROOT, "  top-down  corr(Pyr1 burst probability, Pyr2 dendritic drive) %s%n",
                      meanSd(results, r -> r.readout().topDown()));
        stdout.printf(Locale.ROOT, "  cross     corr(Pyr2 event rate, Pyr2 dendritic drive)     %s%n",
                      meanSd(results, r -> r.readout().crossUp()));
        stdout.printf(Locale.ROOT, "  cross     corr(Pyr1 burst probability, Pyr1 somatic drive) %s%n",
                      meanSd(results, r -> r.readout().crossDown()));
        stdout.printf(Locale.ROOT, "  Fig. 3 chain: corr(Pyr2 BP, Pyr2 dendritic drive) %s, corr(Pyr2 ER, Pyr1 ER) %s,%n"
                      + "               corr(Pyr1 BP, Pyr2 burst rate) %s, corr(Pyr1 ER, Pyr1 somatic drive) %s%n",
                      meanSd(results, r -> r.readout().pyr2Dendrite()), meanSd(results, r -> r.readout().eventRelay()),
                      meanSd(results, r -> r.readout().burstRelay()), meanSd(results, r -> r.readout().pyr1Soma()));
        stdout.printf(Locale.ROOT, "  %.3g simulated s per wall s per seed (%.1f s per seed)%n",
                      config.end() * 1e-3 / mean(values(results, SeedResult::wallSeconds)),
                      mean(values(results, SeedResult::wallSeconds)));
        stdout.printf(Locale.ROOT, "  files in %s%n", folder);
        stdout.flush();
        return Main.EXIT_OK;
    }

    /** The --param values, checked against the circuit's parameters. */
    private Map<String, Double> overrides() {
        final Map<String, Double> out = new java.util.TreeMap<>();
        if (params == null) {
            return out;
        }
        final List<String> names = MultiplexCircuit.parameterNames();
        for (final String p : params) {
            final int eq = p.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("--param " + p + ": expected NAME=VALUE, e.g. --param w21=0");
            }
            final String name = p.substring(0, eq).trim();
            if (!names.contains(name)) {
                throw new IllegalArgumentException("--param " + p + ": the circuit has no parameter '" + name
                        + "'; its parameters: " + String.join(", ", names));
            }
            final double value;
            try {
                value = OptionConverters.number(p.substring(eq + 1).trim());
            } catch (picocli.CommandLine.TypeConversionException e) {
                throw new IllegalArgumentException("--param " + p + ": " + e.getMessage(), e);
            }
            if (out.put(name, value) != null) {
                throw new IllegalArgumentException("--param " + name + " is given twice");
            }
        }
        return out;
    }

    private static String seedFile(final long s) {
        return "seed-" + s + ".json";
    }

    private static Map<String, Object> seedJson(final SeedResult r, final Map<String, Double> overrides) {
        final MultiplexCircuit.Readout o = r.readout();
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("seed", r.seed());
        m.put("parameters", overrides);
        m.put("bottomUp", finite(o.bottomUp()));
        m.put("topDown", finite(o.topDown()));
        m.put("crossUp", finite(o.crossUp()));
        m.put("crossDown", finite(o.crossDown()));
        m.put("pyr2Dendrite", finite(o.pyr2Dendrite()));
        m.put("eventRelay", finite(o.eventRelay()));
        m.put("burstRelay", finite(o.burstRelay()));
        m.put("pyr1Soma", finite(o.pyr1Soma()));
        m.put("rates", r.rates());
        m.put("synapses", r.synapses());
        m.put("wallSeconds", r.wallSeconds());
        m.put("binStart", o.times());
        m.put("pyr1SomaticDrive", o.drive1());
        m.put("pyr2DendriticDrive", o.drive2());
        m.put("pyr1EventRate", o.eventRate1());
        m.put("pyr1BurstProbability", nulls(o.burstProb1()));
        m.put("pyr2EventRate", o.eventRate2());
        m.put("pyr2BurstProbability", nulls(o.burstProb2()));
        m.put("pyr2BurstRate", o.burstRate2());
        return m;
    }

    /** Reads a finished seed back; a damaged or foreign file is an error naming it. */
    private static SeedResult readSeed(final Path file, final MultiplexCircuit.Config c,
                                       final Map<String, Double> overrides) {
        try {
            final JsonNode j = JsonFiles.read(file);
            final double[] times = array(j, "binStart", file);
            final int bins = (int) Math.ceil(c.duration() / c.bin() - 1e-9);
            final Map<String, Double> saved = new LinkedHashMap<>();
            j.path("parameters").fields().forEachRemaining(e -> saved.put(e.getKey(), e.getValue().asDouble()));
            if (!saved.equals(overrides)) {
                throw new IllegalArgumentException("--resume: " + file + " was written with --param " + saved
                        + ", not " + overrides + ": was it written with other options?");
            }
            if (j.path("seed").asLong(Long.MIN_VALUE) != c.seed() || times.length != bins) {
                throw new IllegalArgumentException("--resume: " + file + " holds seed " + j.path("seed").asText()
                        + " with " + times.length + " bins, not seed " + c.seed() + " with " + bins + " bins: was it "
                        + "written with other options?");
            }
            final MultiplexCircuit.Readout o = new MultiplexCircuit.Readout(times, array(j, "pyr1SomaticDrive", file),
                    array(j, "pyr2DendriticDrive", file), array(j, "pyr1EventRate", file),
                    array(j, "pyr1BurstProbability", file), array(j, "pyr2EventRate", file),
                    array(j, "pyr2BurstProbability", file), array(j, "pyr2BurstRate", file), number(j, "bottomUp"),
                    number(j, "topDown"), number(j, "crossUp"), number(j, "crossDown"), number(j, "pyr2Dendrite"),
                    number(j, "eventRelay"), number(j, "burstRelay"), number(j, "pyr1Soma"));
            final Map<String, Double> rates = new LinkedHashMap<>();
            j.path("rates").fields().forEachRemaining(e -> rates.put(e.getKey(), e.getValue().asDouble()));
            return new SeedResult(c.seed(), o, rates, j.path("synapses").asLong(), j.path("wallSeconds").asDouble());
        } catch (java.io.UncheckedIOException e) {
            throw new IllegalArgumentException("--resume: " + file + ": " + e.getMessage(), e);
        }
    }

    private static double[] array(final JsonNode j, final String field, final Path file) {
        final JsonNode a = j.get(field);
        if (a == null || !a.isArray()) {
            throw new IllegalArgumentException("--resume: " + file + " has no array '" + field + "'; delete the file "
                                               + "to simulate that seed again");
        }
        final double[] out = new double[a.size()];
        for (int k = 0; k < out.length; k++) {
            out[k] = a.get(k).isNull() ? Double.NaN : a.get(k).asDouble();
        }
        return out;
    }

    private static double number(final JsonNode j, final String field) {
        final JsonNode v = j.get(field);
        return v == null || v.isNull() ? Double.NaN : v.asDouble();
    }

    private static Double finite(final double x) {
        return Double.isFinite(x) ? x : null;
    }

    private static List<Double> nulls(final double[] a) {
        final List<Double> out = new ArrayList<>(a.length);
        for (final double x : a) {
            out.add(finite(x));
        }
        return out;
    }

    private static double[] values(final SeedResult[] rs, final java.util.function.ToDoubleFunction<SeedResult> f) {
        final double[] v = new double[rs.length];
        for (int k = 0; k < rs.length; k++) {
            v[k] = f.applyAsDouble(rs[k]);
        }
        return v;
    }

    private static double mean(final double[] v) {
        double s = 0;
        for (final double x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static double sd(final double[] v) {
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

    private static String meanSd(final SeedResult[] rs, final java.util.function.ToDoubleFunction<SeedResult> f) {
        final double[] v = values(rs, f);
        return String.format(Locale.ROOT, "%.3f +- %.3f", mean(v), sd(v));
    }

    private static Map<String, Object> summary(final SeedResult[] rs,
                                               final java.util.function.ToDoubleFunction<SeedResult> f) {
        final double[] v = values(rs, f);
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("mean", finite(mean(v)));
        m.put("sd", finite(sd(v)));
        m.put("perSeed", nulls(v));
        return m;
    }

    private void write(final Path folder, final MultiplexCircuit.Config c, final Map<String, Double> overrides,
                       final SeedResult[] rs, final double wall, final int simulated) {
        final Map<String, Object> results = new LinkedHashMap<>();
        results.put("model", "Payeur et al. 2021 Fig. 3 multiplexing circuit");
        results.put("parameters", overrides);
        results.put("pyramidalPerPopulation", c.pyramidal());
        results.put("interneuronsPerPopulation", c.interneurons());
        results.put("connectionProbability", c.p());
        results.put("synapses", rs[0].synapses());
        results.put("burnInMs", c.burnIn());
        results.put("durationMs", c.duration());
        results.put("binMs", c.bin());
        results.put("stepMs", MultiplexCircuit.STEP);
        results.put("solver", "euler");
        final List<Long> seedList = new ArrayList<>();
        for (final SeedResult r : rs) {
            seedList.add(r.seed());
        }
        results.put("seeds", seedList);
        results.put("bottomUp", summary(rs, r -> r.readout().bottomUp()));
        results.put("topDown", summary(rs, r -> r.readout().topDown()));
        results.put("crossUp", summary(rs, r -> r.readout().crossUp()));
        results.put("crossDown", summary(rs, r -> r.readout().crossDown()));
        results.put("pyr2Dendrite", summary(rs, r -> r.readout().pyr2Dendrite()));
        results.put("eventRelay", summary(rs, r -> r.readout().eventRelay()));
        results.put("burstRelay", summary(rs, r -> r.readout().burstRelay()));
        results.put("pyr1Soma", summary(rs, r -> r.readout().pyr1Soma()));
        final Map<String, Object> rates = new LinkedHashMap<>();
        for (final String pop : rs[0].rates().keySet()) {
            rates.put(pop, summary(rs, r -> r.rates().get(pop)));
        }
        results.put("ratesHz", rates);
        final double[] walls = values(rs, SeedResult::wallSeconds);
        results.put("wallSecondsPerSeed", walls);
        results.put("simulatedSecondsPerWallSecond", c.end() * 1e-3 / mean(walls));
        results.put("wallSeconds", wall);
        results.put("seedsSimulated", simulated);
        results.put("files", List.of("results.json", "rates.csv", "multiplex.png"));
        writeCsv(folder.resolve("rates.csv"), rs);
        figure(rs[0]).writePng(folder.resolve("multiplex.png"));
        JsonFiles.write(folder.resolve("results.json"), results);
    }

    private static void writeCsv(final Path file, final SeedResult[] rs) {
        final List<String> header = new ArrayList<>(List.of(CsvFiles.TIME_COLUMN, "pyr1_somatic_pA",
                "pyr2_dendritic_pA"));
        final MultiplexCircuit.Readout first = rs[0].readout();
        final List<double[]> cols = new ArrayList<>(List.of(first.times(), first.drive1(), first.drive2()));
        for (final SeedResult r : rs) {
            final String s = "_seed" + r.seed();
            header.addAll(List.of("pyr1_event_rate_Hz" + s, "pyr1_burst_probability" + s, "pyr2_event_rate_Hz" + s,
                    "pyr2_burst_probability" + s, "pyr2_burst_rate_Hz" + s));
            cols.addAll(List.of(r.readout().eventRate1(), r.readout().burstProb1(), r.readout().eventRate2(),
                    r.readout().burstProb2(), r.readout().burstRate2()));
        }
        CsvFiles.writeColumns(file, header, cols);
    }

    private static Figure figure(final SeedResult r) {
        final MultiplexCircuit.Readout o = r.readout();
        final double[] mid = new double[o.times().length];
        for (int k = 0; k < mid.length; k++) {
            mid[k] = o.times()[k] + (k + 1 < mid.length ? 0.5 * (o.times()[k + 1] - o.times()[k]) : 0);
        }
        final XYChart drives = Charts.lines("drives (seed " + r.seed() + ")", "t after burn-in (ms)", "pA",
                List.of(new Series("Pyr1 somatic", mid, o.drive1()), new Series("Pyr2 dendritic", mid, o.drive2())));
        final XYChart er = Charts.lines("event rates", "t after burn-in (ms)", "Hz",
                List.of(new Series("Pyr1", mid, o.eventRate1()), new Series("Pyr2", mid, o.eventRate2())));
        final XYChart bp = Charts.lines("burst probabilities", "t after burn-in (ms)", "bursts / events",
                List.of(new Series("Pyr1", mid, o.burstProb1()), new Series("Pyr2", mid, o.burstProb2())));
        return Figure.of(List.of(drives, er, bp));
    }
}
