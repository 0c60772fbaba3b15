package org.neurode.examples.burst;

import static org.neurode.models.experiment.Progress.stoppable;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;

import org.knowm.xchart.XYChart;
import org.neurode.examples.Main;
import org.neurode.examples.OptionConverters;
import org.neurode.examples.OptionConverters.PositiveDouble;
import org.neurode.examples.OptionConverters.PositiveInt;
import org.neurode.examples.OutputFolders;
import org.neurode.examples.Progress;
import org.neurode.examples.ProgressOption;
import org.neurode.examples.StopOnSignal;
import org.neurode.examples.VersionProvider;
import org.neurode.examples.io.CsvFiles;
import org.neurode.examples.io.JsonFiles;
import org.neurode.examples.plot.Charts;
import org.neurode.examples.plot.Figure;
import org.neurode.examples.plot.Series;
import org.neurode.models.burst.BurstXor;
import org.neurode.models.experiment.Checkpoints;
import org.neurode.models.experiment.RunStatus;
import org.neurode.models.experiment.SettingsFiles;
import org.neurode.models.experiment.burst.BurstXorExperiment;
import org.neurode.models.experiment.burst.BurstXorResult;
import org.neurode.models.experiment.burst.BurstXorRun;
import org.neurode.models.experiment.burst.BurstXorSettings;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code neurode burst-xor}: the XOR network of Payeur, Guerguiev, Zenke, Richards &amp; Naud 2021 (Nat. Neurosci.
 * 24:1010, Fig. 4) trained with burst-dependent plasticity ({@link BurstXor}): a burn-in, a test pass over the four
 * patterns, training examples in the paper's order, a final test pass. Writes {@code rates.csv} (the output's event
 * rate per pattern before and after), {@code cost.csv} (cost per epoch), {@code burst-xor.png} and
 * {@code results.json} (last), and {@code checkpoint.bin} after the test before training and every
 * {@code --checkpoint-every} epochs, from which {@code --resume} continues bit for bit. The paper ran 2,000 examples
 * of 8 s (16,000 simulated s) at N = 500; the defaults keep its 8-s examples and run 60 epochs at N = 250 (p = 0.4,
 * the same 100 synapses per target) with the learning rates x3 (docs/burst.md says why these and what they give).
 * The training is the library experiment {@link BurstXorExperiment} ({@code neurode run} with {@code kind: burst-xor}
 * goes through {@link #runSettings}), and {@code results.json} embeds its settings.
 *
 * @since 0.6
 */
@Command(name = "burst-xor",
         mixinStandardHelpOptions = true,
         versionProvider = VersionProvider.class,
         sortOptions = false,
         description = {"The spiking XOR network of Payeur et al. 2021 (Fig. 4): BurstPoisson neurons, burst-dependent "
                        + "plasticity; writes rates.csv, cost.csv, burst-xor.png, results.json and checkpoint.bin "
                        + "into the output folder."})
public final class BurstXorCommand implements Callable<Integer> {

    /** Results file. */
    public static final String RESULTS_FILE = "results.json";
    /** Rates file. */
    public static final String RATES_FILE = "rates.csv";
    /** Cost file. */
    public static final String COST_FILE = "cost.csv";
    /** Figure file. */
    public static final String PLOT_FILE = "burst-xor.png";

    @Spec
    private CommandSpec spec;

    @Option(names = "--neurons", defaultValue = "250", converter = PositiveInt.class, paramLabel = "<n>",
            description = "Neurons per population, at least 2 (the paper's run script: 500; below about 250 the "
                          + "excitation and inhibition of an input arrive together and cancel) "
                          + "(default: ${DEFAULT-VALUE}).")
    private int neurons;

    @Option(names = "--examples", defaultValue = "240", converter = PositiveInt.class, paramLabel = "<n>",
            description = "Training examples, a multiple of 4, in the order (0,0), (1,0), (0,1), (1,1) (paper: 2000) "
                          + "(default: ${DEFAULT-VALUE}).")
    private int examples;

    @Option(names = "--durex", defaultValue = "8000", converter = PositiveDouble.class, paramLabel = "<ms>",
            description = "Duration of one example in ms: 90%% prediction, 10%% learning (paper: 8000) "
                          + "(default: ${DEFAULT-VALUE}).")
    private double durex;

    @Option(names = "--eta-factor", defaultValue = "3", converter = OptionConverters.NonNegativeDouble.class,
            paramLabel = "<factor>",
            description = "Factor on the paper's learning rates (8e-3 hidden, 4e-3 output) (default: "
                          + "${DEFAULT-VALUE}).")
    private double etaFactor;

    @Option(names = "--burn-in", defaultValue = "6000", converter = PositiveDouble.class, paramLabel = "<ms>",
            description = "Burn-in without plasticity in ms (paper: 3 tau_avg = 6000) (default: ${DEFAULT-VALUE}).")
    private double burnIn;

    @Option(names = "--model-seed", defaultValue = "1", converter = OptionConverters.Seed.class,
            paramLabel = "<seed>",
            description = "Seed of the connections, backgrounds and initial potentials (default: ${DEFAULT-VALUE}).")
    private long modelSeed;

    @Option(names = "--seed", defaultValue = "1", converter = OptionConverters.Seed.class, paramLabel = "<seed>",
            description = "Seed of the run: the burst draws and, mixed with the model seed, the background "
                          + "spikes (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--out", converter = OptionConverters.OutputPath.class, paramLabel = "<folder>",
            description = "Output folder (default: runs/burst-xor-<yyyyMMdd-HHmmss>).")
    private Path out;

    @Option(names = "--checkpoint-every", defaultValue = "1", converter = PositiveInt.class, paramLabel = "<epochs>",
            description = "Write checkpoint.bin after the test before training and every n epochs "
                          + "(default: ${DEFAULT-VALUE}).")
    private int checkpointEvery;

    @Option(names = "--resume", converter = OptionConverters.OutputPath.class, paramLabel = "<folder>",
            description = "Continue the run in this folder from its checkpoint.bin, with the same options (--examples "
                          + "may be larger); the results equal those of an uninterrupted run.")
    private Path resume;

    @Mixin
    private ProgressOption progress;

    private final StopOnSignal stop = new StopOnSignal();

    /**
     * Runs the experiment.
     *
     * @return {@value Main#EXIT_OK}
     */
    @Override
    public Integer call() throws Exception {
        return stop.run("burst-xor-stop", this::runCommand);
    }

    private Integer runCommand() {
        if (neurons < 2) {
            throw new IllegalArgumentException("--neurons " + neurons + ": at least 2");
        }
        final int patterns = BurstXor.PATTERNS.length;
        if (examples % patterns != 0) {
            throw new IllegalArgumentException("--examples " + examples + ": a multiple of " + patterns
                    + " (whole epochs of the four patterns)");
        }
        if (resume != null && out != null) {
            throw new IllegalArgumentException("--out and --resume exclude each other: --resume continues in its "
                    + "own folder");
        }
        if (resume != null && !Files.isDirectory(resume)) {
            throw new IllegalArgumentException("--resume " + resume + ": no such folder");
        }
        final BurstXorSettings settings = new BurstXorSettings(neurons, examples, durex, etaFactor, burnIn, modelSeed,
                seed);
        BurstXorCheckpoint.State saved = null;
        if (resume != null) {
            final Path file = resume.resolve(BurstXorCheckpoint.FILE);
            saved = BurstXorCheckpoint.read(file);
            final String differs = BurstXorCheckpoint.Settings.of(settings).difference(saved.settings());
            if (differs != null) {
                throw new IllegalArgumentException("--resume " + resume + ": " + differs + "; give the run's options");
            }
            if (saved.examplesDone() > examples) {
                throw new IllegalArgumentException("--resume " + resume + ": the run has done " + saved.examplesDone()
                        + " examples, more than --examples " + examples);
            }
        }
        BurstXorExperiment.validate(settings);
        final Path folder = resume != null ? resume.toAbsolutePath() : OutputFolders.prepare(out, "burst-xor");
        return execute(spec.commandLine(), settings, saved, folder, checkpointEvery, progress.enabled(),
                stop::requested);
    }

    /**
     * Runs one training of the spiking XOR network with the given settings into a folder, as {@code neurode
     * burst-xor} with the same settings would (the same files and numbers, console summary and exit code; a
     * checkpoint after every epoch): the shell of {@code neurode run} for {@code kind: burst-xor}.
     *
     * @param cl           the command line printing the summary
     * @param settings     the settings
     * @param out          output folder (null: {@code runs/burst-xor-<time>})
     * @param showProgress show a progress bar
     * @param stop         polled before every test and training example: true stops the run (it writes its files;
     *                     {@code --resume} continues from the last epoch's checkpoint)
     * @return {@value Main#EXIT_OK}, or {@value Main#EXIT_SOLVE_FAILED} if the integration blew up (the files are
     *         written)
     */
    public static int runSettings(final CommandLine cl, final BurstXorSettings settings, final Path out,
                                  final boolean showProgress, final BooleanSupplier stop) {
        BurstXorExperiment.validate(settings);
        final Path folder = OutputFolders.prepare(out, "burst-xor");
        return execute(cl, settings, null, folder, 1, showProgress, stop);
    }

    /** Runs a new or resumed training through the library and writes every file. */
    private static int execute(final CommandLine cl, final BurstXorSettings settings,
                               final BurstXorCheckpoint.State saved, final Path folder, final int checkpointEvery,
                               final boolean showProgress, final BooleanSupplier stop) {
        final int patterns = BurstXor.PATTERNS.length;
        final Path checkpoint = folder.resolve(BurstXorCheckpoint.FILE);
        final BurstXorCheckpoint.Settings key = BurstXorCheckpoint.Settings.of(settings);
        Figure.warmUp();
        final long start = System.nanoTime();
        final double earlierWall = saved != null ? saved.wallSeconds() : 0.0;
        final BurstXorRun run = saved == null ? new BurstXorRun(settings)
                : BurstXorRun.restore(settings, saved.examplesDone(), saved.before()[0], saved.before()[1],
                        saved.cost(), saved.snapshot());
        final BurstXorResult result;
        try (Progress bar = showProgress ? Progress.counting("burst-xor N=" + settings.neurons(), " examples",
                run.done(), run.total()) : Progress.none()) {
            final org.neurode.models.experiment.Progress report = stoppable((done, total, m) -> {
                bar.update(done, done <= patterns ? " test before" : done > total - patterns ? " test after"
                        : String.format(Locale.ROOT, " cost %.3f", m.get("cost")));
            }, stop);
            final Checkpoints checkpoints = Checkpoints.at(state -> {
                final int done = run.examplesDone();
                if (done == 0 || (done / patterns) % checkpointEvery == 0 || done == settings.examples()) {
                    BurstXorCheckpoint.write(checkpoint, new BurstXorCheckpoint.State(key, done,
                            new double[][] {run.rateBefore(), run.traceBefore()}, run.costPerEpoch(),
                            earlierWall + (System.nanoTime() - start) * 1e-9, run.snapshot()));
                }
            });
            result = BurstXorExperiment.INSTANCE.continueRun(run, report, checkpoints);
        }
        final double wall = earlierWall + (System.nanoTime() - start) * 1e-9;
        final double[][] rates = new double[5][patterns];
        for (final BurstXorResult.PatternRates p : result.patterns()) {
            rates[0][p.pattern()] = p.pattern();
            rates[1][p.pattern()] = p.rateBefore();
            rates[2][p.pattern()] = p.rateAfter();
            rates[3][p.pattern()] = p.traceBefore();
            rates[4][p.pattern()] = p.traceAfter();
        }
        CsvFiles.writeColumns(folder.resolve(RATES_FILE), List.of("pattern", "rate_before_hz", "rate_after_hz",
                "trace_before_hz", "trace_after_hz"), List.of(rates));
        final double[] epochs = new double[result.costs().size()];
        final double[] cost = new double[epochs.length];
        for (int e = 0; e < epochs.length; e++) {
            epochs[e] = result.costs().get(e).epoch();
            cost[e] = result.costs().get(e).cost();
        }
        CsvFiles.writeColumns(folder.resolve(COST_FILE), List.of("epoch", "cost_nats"), List.of(epochs, cost));
        figure(rates[1], rates[2], epochs, cost).writePng(folder.resolve(PLOT_FILE));
        final String message = result.status() == RunStatus.INTERRUPTED && run.testedBefore()
                ? result.message() + "; --resume " + folder + " continues from the last checkpoint"
                : result.message();
        final BurstXorResults results = new BurstXorResults("burst-xor", result.status().name(), message,
                settings.neurons(), result.examplesDone(), settings.durex(), settings.etaFactor(), settings.burnIn(),
                settings.modelSeed(), settings.seed(), BurstXor.PATTERNS, rates[1], rates[2], rates[3], rates[4],
                cost, result.xorMarginHz(), result.simulatedSeconds(), wall, result.simulatedSeconds() / wall,
                SettingsFiles.document(BurstXorExperiment.KIND, settings));
        JsonFiles.write(folder.resolve(RESULTS_FILE), results);
        summary(cl.getOut(), results, folder);
        if (result.status() == RunStatus.FAILED) {
            cl.getErr().println("neurode: error: " + result.message());
            cl.getErr().flush();
            return Main.EXIT_SOLVE_FAILED;
        }
        return Main.EXIT_OK;
    }

    /** The four output rates before and after training, and the cost per epoch. */
    static Figure figure(final double[] before, final double[] after, final double[] epochs, final double[] cost) {
        final org.knowm.xchart.CategoryChart rates = Charts.bars("Output event rate per input pattern",
                "input pattern (target: 0, 1, 1, 0)", "event rate (Hz)", List.of("(0,0)", "(1,0)", "(0,1)", "(1,1)"),
                List.of("before training", "after training"), List.of(before, after));
        final XYChart costChart = Charts.lines("Cost per epoch (binary cross-entropy)", "epoch", "cost (nats)",
                cost.length == 0 ? List.of() : List.of(new Series("cost", epochs, cost)));
        return Figure.of(List.of(rates, costChart));
    }

    private static void summary(final PrintWriter stdout, final BurstXorResults r, final Path folder) {
        stdout.printf(Locale.ROOT, "burst-xor N=%d: %d examples of %.0f ms, eta x%s, %.1f simulated s in %.1f s "
                + "(%.2f simulated s per s)%n", r.neurons(), r.examples(), r.durexMs(), r.etaFactor(),
                r.simulatedSeconds(), r.wallSeconds(), r.simulatedPerWall());
        stdout.printf(Locale.ROOT, "  output rate (Hz) (0,0) (1,0) (0,1) (1,1): before %.2f %.2f %.2f %.2f, after "
                + "%.2f %.2f %.2f %.2f; XOR margin %.2f Hz%n", r.rateBefore()[0], r.rateBefore()[1],
                r.rateBefore()[2], r.rateBefore()[3], r.rateAfter()[0], r.rateAfter()[1], r.rateAfter()[2],
                r.rateAfter()[3], r.xorMarginHz());
        stdout.printf(Locale.ROOT, "  files in %s%n", folder);
        stdout.flush();
    }
}
