package org.neurode.examples.burst;

import static org.neurode.models.experiment.Progress.stoppable;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.function.ToDoubleFunction;

import org.knowm.xchart.XYChart;
import org.neurode.examples.Main;
import org.neurode.examples.MemoryBudget;
import org.neurode.examples.OptionConverters;
import org.neurode.examples.OptionConverters.PositiveDouble;
import org.neurode.examples.OptionConverters.PositiveInt;
import org.neurode.examples.OutputFolders;
import org.neurode.examples.Progress;
import org.neurode.examples.ProgressOption;
import org.neurode.examples.StopOnSignal;
import org.neurode.examples.VersionProvider;
import org.neurode.examples.io.CsvFiles;
import org.neurode.examples.io.ExperimentFile;
import org.neurode.examples.io.JsonFiles;
import org.neurode.examples.plot.Charts;
import org.neurode.examples.plot.Figure;
import org.neurode.examples.plot.Series;
import org.neurode.models.burst.MultiplexCircuit;
import org.neurode.models.experiment.Checkpoints;
import org.neurode.models.experiment.RunStatus;
import org.neurode.models.experiment.SettingsFiles;
import org.neurode.models.experiment.burst.Multiplex;
import org.neurode.models.experiment.burst.MultiplexResult;
import org.neurode.models.experiment.burst.MultiplexSettings;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine;
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
 * flight; Ctrl-C ends those and writes the files of the finished ones). The simulation is the library experiment
 * {@link Multiplex} ({@code neurode run} with {@code kind: multiplex} goes through {@link #runSettings}), and
 * {@code results.json} embeds its settings.
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

    private final StopOnSignal stop = new StopOnSignal();

    /**
     * Runs the experiment.
     *
     * @return {@value Main#EXIT_OK}, or {@value Main#EXIT_SOLVE_FAILED} if a seed's integration blew up (the files
     *         of the finished seeds are written)
     */
    @Override
    public Integer call() throws Exception {
        // Ctrl-C or SIGTERM: end the seeds in flight, write the files of the finished ones (see StopOnSignal)
        return stop.run("multiplex-stop", this::runCommand);
    }

    private Integer runCommand() {
        if (out != null && resume != null) {
            throw new IllegalArgumentException("--out and --resume exclude each other: --resume continues in its "
                                               + "folder");
        }
        final MultiplexSettings settings = resume != null && ExperimentFile.applies(resume,
                spec.commandLine().getParseResult())
                ? ExperimentFile.settings(resume, MultiplexSettings.class, threads)
                : new MultiplexSettings(neurons, seeds, seed, burnIn, duration, bin, overrides(), threads);
        return execute(spec.commandLine(), settings, out, resume, progress.enabled(), stop::requested);
    }

    /**
     * Continues the run in a folder with its settings (those of its {@code experiment.json}): the shell of
     * {@code neurode run --resume} for {@code kind: multiplex}.
     *
     * @param cl           the command line printing the summary
     * @param settings     the run's settings
     * @param folder       the run's folder
     * @param showProgress show a progress bar
     * @param stop         polled every 0.1 s: true ends the seeds in flight
     * @return the exit code
     */
    public static int resumeSettings(final CommandLine cl, final MultiplexSettings settings, final Path folder,
                                     final boolean showProgress, final BooleanSupplier stop) {
        return execute(cl, settings, null, folder, showProgress, stop);
    }

    /**
     * Runs the circuit with the given settings into a folder, as {@code neurode multiplex} with the same settings
     * would (the same files and numbers, console summary and exit code): the shell of {@code neurode run} for
     * {@code kind: multiplex}.
     *
     * @param cl           the command line printing the summary
     * @param settings     the settings
     * @param out          output folder (null: {@code runs/multiplex-<time>})
     * @param showProgress show a progress bar
     * @param stop         polled every 0.1 s: true ends the seeds in flight (the finished ones are written)
     * @return {@value Main#EXIT_OK}, or {@value Main#EXIT_SOLVE_FAILED} if a seed's integration blew up
     */
    public static int runSettings(final CommandLine cl, final MultiplexSettings settings, final Path out,
                                  final boolean showProgress, final BooleanSupplier stop) {
        return execute(cl, settings, out, null, showProgress, stop);
    }

    /** A new run into {@code out}, or the run in {@code resume} continued; writes every file. */
    private static int execute(final CommandLine cl, final MultiplexSettings settings, final Path out,
                               final Path resume, final boolean showProgress, final BooleanSupplier stop) {
        Multiplex.validate(settings);
        final int threads = Multiplex.threads(settings);
        final MultiplexCircuit.Config config = Multiplex.config(settings);
        final int neurons = settings.neurons();
        // synapses: 8 projections of about p n^2 (pyramidal) or p n m; about 20 bytes per synapse, 40 per neuron
        // and state variable, per seed in flight
        final double synapses = 4.0 * config.p() * neurons * (double) neurons
                + 4.0 * config.p() * neurons * (double) config.interneurons();
        MemoryBudget.require("--neurons " + neurons + " with --threads " + threads,
                Math.min(threads, settings.seeds()) * (24.0 * synapses + 40.0 * 30 * 2.5 * neurons));
        final Map<String, Double> overrides = settings.parameters();
        final Path folder = resume != null ? resume : OutputFolders.prepare(out, "multiplex");
        if (resume != null && !Files.isDirectory(resume)) {
            throw new IllegalArgumentException("--resume " + resume + ": no such folder");
        }
        final List<MultiplexResult.Seed> finished = new ArrayList<>();
        for (int k = 0; k < settings.seeds(); k++) {
            final Path file = folder.resolve(seedFile(settings.seed() + k));
            if (resume != null && Files.exists(file)) {
                finished.add(readSeed(file, config.withSeed(settings.seed() + k), overrides));
            }
        }
        // the settings, for --resume (after the finished seeds were checked against them)
        ExperimentFile.write(folder, Multiplex.KIND, settings);
        final long total = Math.round(config.end()) * (settings.seeds() - finished.size());
        final long start = System.nanoTime();
        final MultiplexResult result;
        try (Progress bar = showProgress ? Progress.counting("multiplex", " ms", 0, total) : Progress.none()) {
            result = Multiplex.INSTANCE.continueRun(settings, finished, stoppable((done, all, metrics) -> {
                bar.update(done, "");
            }, stop), Checkpoints.at(state -> {
                final MultiplexResult.Seed s = ((Multiplex.FinishedSeed) state).seed();
                JsonFiles.write(folder.resolve(seedFile(s.seed())), seedJson(s, overrides));
            }));
        }
        final double wall = (System.nanoTime() - start) * 1e-9;
        final List<MultiplexResult.Seed> rs = result.perSeed();
        write(folder, config, settings, result, wall);
        final PrintWriter stdout = cl.getOut();
        stdout.printf(Locale.ROOT, "multiplex: %d + %d pyramidal, %d PV, %d SST neurons, p = %.3g, %d synapses; "
                      + "%d seeds (%d simulated, %.1f s)%n", neurons, neurons, config.interneurons(),
                      config.interneurons(), config.p(), result.synapses(), settings.seeds(),
                      result.seedsSimulated(), wall);
        stdout.printf(Locale.ROOT, "  bottom-up corr(Pyr2 event rate, Pyr1 somatic drive)       %s%n",
                      meanSd(result.bottomUp()));
        stdout.printf(Locale.ROOT, "  top-down  corr(Pyr1 burst probability, Pyr2 dendritic drive) %s%n",
                      meanSd(result.topDown()));
        stdout.printf(Locale.ROOT, "  cross     corr(Pyr2 event rate, Pyr2 dendritic drive)     %s%n",
                      meanSd(result.crossUp()));
        stdout.printf(Locale.ROOT, "  cross     corr(Pyr1 burst probability, Pyr1 somatic drive) %s%n",
                      meanSd(result.crossDown()));
        stdout.printf(Locale.ROOT, "  Fig. 3 chain: corr(Pyr2 BP, Pyr2 dendritic drive) %s, corr(Pyr2 ER, Pyr1 ER) %s,%n"
                      + "               corr(Pyr1 BP, Pyr2 burst rate) %s, corr(Pyr1 ER, Pyr1 somatic drive) %s%n",
                      meanSd(result.pyr2Dendrite()), meanSd(result.eventRelay()), meanSd(result.burstRelay()),
                      meanSd(result.pyr1Soma()));
        final double meanWall = Multiplex.mean(walls(rs));
        stdout.printf(Locale.ROOT, "  %.3g simulated s per wall s per seed (%.1f s per seed)%n",
                      config.end() * 1e-3 / meanWall, meanWall);
        if (result.status() != RunStatus.SUCCESS) {
            stdout.printf(Locale.ROOT, "  %s: %s%s%n", result.status(), result.message(),
                    result.status() == RunStatus.INTERRUPTED ? "; --resume " + folder + " simulates the others" : "");
        }
        stdout.printf(Locale.ROOT, "  files in %s%n", folder);
        stdout.flush();
        if (result.status() == RunStatus.FAILED) {
            cl.getErr().println("neurode: error: " + result.message());
            cl.getErr().flush();
            return Main.EXIT_SOLVE_FAILED;
        }
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

    private static Map<String, Object> seedJson(final MultiplexResult.Seed r, final Map<String, Double> overrides) {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("seed", r.seed());
        m.put("parameters", overrides);
        m.put("bottomUp", finite(r.bottomUp()));
        m.put("topDown", finite(r.topDown()));
        m.put("crossUp", finite(r.crossUp()));
        m.put("crossDown", finite(r.crossDown()));
        m.put("pyr2Dendrite", finite(r.pyr2Dendrite()));
        m.put("eventRelay", finite(r.eventRelay()));
        m.put("burstRelay", finite(r.burstRelay()));
        m.put("pyr1Soma", finite(r.pyr1Soma()));
        m.put("rates", rates(r.ratesHz()));
        m.put("synapses", r.synapses());
        m.put("wallSeconds", r.wallSeconds());
        m.put("binStart", column(r, MultiplexResult.Bin::startMs));
        m.put("pyr1SomaticDrive", column(r, MultiplexResult.Bin::pyr1SomaticDrive));
        m.put("pyr2DendriticDrive", column(r, MultiplexResult.Bin::pyr2DendriticDrive));
        m.put("pyr1EventRate", column(r, MultiplexResult.Bin::pyr1EventRate));
        m.put("pyr1BurstProbability", nulls(column(r, MultiplexResult.Bin::pyr1BurstProbability)));
        m.put("pyr2EventRate", column(r, MultiplexResult.Bin::pyr2EventRate));
        m.put("pyr2BurstProbability", nulls(column(r, MultiplexResult.Bin::pyr2BurstProbability)));
        m.put("pyr2BurstRate", column(r, MultiplexResult.Bin::pyr2BurstRate));
        return m;
    }

    /** The rates of the populations by name, in the circuit's order. */
    private static Map<String, Double> rates(final MultiplexResult.PopulationRates r) {
        final Map<String, Double> m = new LinkedHashMap<>();
        m.put(MultiplexCircuit.PYR1, r.pyr1());
        m.put(MultiplexCircuit.PYR2, r.pyr2());
        m.put(MultiplexCircuit.PV, r.pv());
        m.put(MultiplexCircuit.SST, r.sst());
        return m;
    }

    private static double[] column(final MultiplexResult.Seed r, final ToDoubleFunction<MultiplexResult.Bin> f) {
        final double[] c = new double[r.bins().size()];
        for (int k = 0; k < c.length; k++) {
            c[k] = f.applyAsDouble(r.bins().get(k));
        }
        return c;
    }

    /** Reads a finished seed back; a damaged or foreign file is an error naming it. */
    private static MultiplexResult.Seed readSeed(final Path file, final MultiplexCircuit.Config c,
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
            final double[][] cols = {times, array(j, "pyr1SomaticDrive", file), array(j, "pyr2DendriticDrive", file),
                array(j, "pyr1EventRate", file), array(j, "pyr1BurstProbability", file),
                array(j, "pyr2EventRate", file), array(j, "pyr2BurstProbability", file),
                array(j, "pyr2BurstRate", file)};
            final List<MultiplexResult.Bin> rows = new ArrayList<>(times.length);
            for (int k = 0; k < times.length; k++) {
                rows.add(new MultiplexResult.Bin(at(cols[0], k, file), at(cols[1], k, file), at(cols[2], k, file),
                        at(cols[3], k, file), at(cols[4], k, file), at(cols[5], k, file), at(cols[6], k, file),
                        at(cols[7], k, file)));
            }
            final JsonNode r = j.path("rates");
            return new MultiplexResult.Seed(c.seed(), j.path("synapses").asLong(), j.path("wallSeconds").asDouble(),
                    number(j, "bottomUp"), number(j, "topDown"), number(j, "crossUp"), number(j, "crossDown"),
                    number(j, "pyr2Dendrite"), number(j, "eventRelay"), number(j, "burstRelay"), number(j, "pyr1Soma"),
                    new MultiplexResult.PopulationRates(number(r, MultiplexCircuit.PYR1),
                            number(r, MultiplexCircuit.PYR2), number(r, MultiplexCircuit.PV),
                            number(r, MultiplexCircuit.SST)), List.copyOf(rows));
        } catch (java.io.UncheckedIOException e) {
            throw new IllegalArgumentException("--resume: " + file + ": " + e.getMessage(), e);
        }
    }

    /** Element k of a column of a seed file, which must have one per bin. */
    private static double at(final double[] column, final int k, final Path file) {
        if (k >= column.length) {
            throw new IllegalArgumentException("--resume: " + file + " has columns of different lengths; delete the "
                                               + "file to simulate that seed again");
        }
        return column[k];
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

    private static List<Double> nulls(final List<Double> a) {
        final List<Double> out = new ArrayList<>(a.size());
        for (final double x : a) {
            out.add(finite(x));
        }
        return out;
    }

    private static double[] walls(final List<MultiplexResult.Seed> rs) {
        final double[] v = new double[rs.size()];
        for (int k = 0; k < v.length; k++) {
            v[k] = rs.get(k).wallSeconds();
        }
        return v;
    }

    private static String meanSd(final MultiplexResult.Summary s) {
        return String.format(Locale.ROOT, "%.3f +- %.3f", s.mean(), s.sd());
    }

    private static Map<String, Object> summary(final MultiplexResult.Summary s) {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("mean", finite(s.mean()));
        m.put("sd", finite(s.sd()));
        m.put("perSeed", nulls(s.perSeed()));
        return m;
    }

    private static void write(final Path folder, final MultiplexCircuit.Config c, final MultiplexSettings s,
                              final MultiplexResult r, final double wall) {
        final List<MultiplexResult.Seed> rs = r.perSeed();
        final Map<String, Object> results = new LinkedHashMap<>();
        results.put("model", "Payeur et al. 2021 Fig. 3 multiplexing circuit");
        // only for a run that did not finish every seed (the files of a complete run are as they were)
        results.put("status", r.status() == RunStatus.SUCCESS ? null : r.status().name());
        results.put("message", r.message());
        results.put("parameters", s.parameters());
        results.put("pyramidalPerPopulation", c.pyramidal());
        results.put("interneuronsPerPopulation", c.interneurons());
        results.put("connectionProbability", c.p());
        results.put("synapses", r.synapses());
        results.put("burnInMs", c.burnIn());
        results.put("durationMs", c.duration());
        results.put("binMs", c.bin());
        results.put("stepMs", r.stepMs());
        results.put("solver", "euler");
        final List<Long> seedList = new ArrayList<>();
        for (final MultiplexResult.Seed x : rs) {
            seedList.add(x.seed());
        }
        results.put("seeds", seedList);
        results.put("bottomUp", summary(r.bottomUp()));
        results.put("topDown", summary(r.topDown()));
        results.put("crossUp", summary(r.crossUp()));
        results.put("crossDown", summary(r.crossDown()));
        results.put("pyr2Dendrite", summary(r.pyr2Dendrite()));
        results.put("eventRelay", summary(r.eventRelay()));
        results.put("burstRelay", summary(r.burstRelay()));
        results.put("pyr1Soma", summary(r.pyr1Soma()));
        final Map<String, Object> rates = new LinkedHashMap<>();
        rates.put(MultiplexCircuit.PYR1, summary(r.ratesHz().pyr1()));
        rates.put(MultiplexCircuit.PYR2, summary(r.ratesHz().pyr2()));
        rates.put(MultiplexCircuit.PV, summary(r.ratesHz().pv()));
        rates.put(MultiplexCircuit.SST, summary(r.ratesHz().sst()));
        results.put("ratesHz", rates);
        final double[] walls = walls(rs);
        results.put("wallSecondsPerSeed", walls);
        results.put("simulatedSecondsPerWallSecond", finite(c.end() * 1e-3 / Multiplex.mean(walls)));
        results.put("wallSeconds", wall);
        results.put("seedsSimulated", r.seedsSimulated());
        if (rs.isEmpty()) {
            results.put("files", List.of("results.json"));
        } else {
            results.put("files", List.of("results.json", "rates.csv", "multiplex.png"));
            writeCsv(folder.resolve("rates.csv"), rs);
            figure(rs.get(0)).writePng(folder.resolve("multiplex.png"));
        }
        results.put("settings", SettingsFiles.document(Multiplex.KIND, s));
        JsonFiles.write(folder.resolve("results.json"), results);
    }

    private static void writeCsv(final Path file, final List<MultiplexResult.Seed> rs) {
        final List<String> header = new ArrayList<>(List.of(CsvFiles.TIME_COLUMN, "pyr1_somatic_pA",
                "pyr2_dendritic_pA"));
        final MultiplexResult.Seed first = rs.get(0);
        final List<double[]> cols = new ArrayList<>(List.of(column(first, MultiplexResult.Bin::startMs),
                column(first, MultiplexResult.Bin::pyr1SomaticDrive),
                column(first, MultiplexResult.Bin::pyr2DendriticDrive)));
        for (final MultiplexResult.Seed r : rs) {
            final String s = "_seed" + r.seed();
            header.addAll(List.of("pyr1_event_rate_Hz" + s, "pyr1_burst_probability" + s, "pyr2_event_rate_Hz" + s,
                    "pyr2_burst_probability" + s, "pyr2_burst_rate_Hz" + s));
            cols.addAll(List.of(column(r, MultiplexResult.Bin::pyr1EventRate),
                    column(r, MultiplexResult.Bin::pyr1BurstProbability), column(r, MultiplexResult.Bin::pyr2EventRate),
                    column(r, MultiplexResult.Bin::pyr2BurstProbability), column(r, MultiplexResult.Bin::pyr2BurstRate)));
        }
        CsvFiles.writeColumns(file, header, cols);
    }

    private static Figure figure(final MultiplexResult.Seed r) {
        final double[] times = column(r, MultiplexResult.Bin::startMs);
        final double[] mid = new double[times.length];
        for (int k = 0; k < mid.length; k++) {
            mid[k] = times[k] + (k + 1 < mid.length ? 0.5 * (times[k + 1] - times[k]) : 0);
        }
        final XYChart drives = Charts.lines("drives (seed " + r.seed() + ")", "t after burn-in (ms)", "pA",
                List.of(new Series("Pyr1 somatic", mid, column(r, MultiplexResult.Bin::pyr1SomaticDrive)),
                        new Series("Pyr2 dendritic", mid, column(r, MultiplexResult.Bin::pyr2DendriticDrive))));
        final XYChart er = Charts.lines("event rates", "t after burn-in (ms)", "Hz",
                List.of(new Series("Pyr1", mid, column(r, MultiplexResult.Bin::pyr1EventRate)),
                        new Series("Pyr2", mid, column(r, MultiplexResult.Bin::pyr2EventRate))));
        final XYChart bp = Charts.lines("burst probabilities", "t after burn-in (ms)", "bursts / events",
                List.of(new Series("Pyr1", mid, column(r, MultiplexResult.Bin::pyr1BurstProbability)),
                        new Series("Pyr2", mid, column(r, MultiplexResult.Bin::pyr2BurstProbability))));
        return Figure.of(List.of(drives, er, bp));
    }
}
