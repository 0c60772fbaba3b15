package org.neurode.examples.ctnn;

import static org.neurode.models.experiment.Progress.stoppable;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.knowm.xchart.XYChart;
import org.neurode.models.experiment.Checkpoints;
import org.neurode.models.experiment.RunStatus;
import org.neurode.models.experiment.SettingsFiles;
import org.neurode.models.experiment.xor.Xor;
import org.neurode.models.experiment.xor.XorResult;
import org.neurode.models.experiment.xor.XorRun;
import org.neurode.models.experiment.xor.XorSettings;
import org.neurode.examples.Main;
import org.neurode.examples.MemoryBudget;
import org.neurode.examples.OptionConverters;
import org.neurode.examples.OutputFolders;
import org.neurode.examples.OptionConverters.PositiveDouble;
import org.neurode.examples.OptionConverters.PositiveInt;
import org.neurode.examples.Progress;
import org.neurode.examples.ProgressOption;
import org.neurode.examples.VersionProvider;
import org.neurode.examples.io.AtomicFiles;
import org.neurode.examples.io.CsvFiles;
import org.neurode.examples.io.JsonFiles;
import org.neurode.examples.plot.Charts;
import org.neurode.examples.plot.Figure;
import org.neurode.examples.plot.Series;
import org.neurode.models.cfc.CfcCell;
import org.neurode.models.cfc.XorTask;
import org.neurode.models.learn.SequenceModel;
import org.neurode.models.ltc.LtcCell;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code neurode xor}: the bit-stream XOR benchmark of the CfC paper (Hasani et al. 2022, Nature Machine
 * Intelligence, "Closed-form continuous-time neural networks"): a CfC ({@link CfcCell}, three modes) or an LTC
 * network ({@link LtcCell}) reads an event-based (irregularly sampled) or dense bit stream generated exactly as
 * raminmh/CfC's {@code XORData} ({@link XorTask}) and classifies its parity. Writes {@code results.json}
 * (last), {@code curves.csv}, {@code model.json} and {@code xor.png} (loss and accuracy against steps).
 * Published (raminmh/CfC {@code train_xor.py}, 200 epochs of 100,000 sequences): CfC 99.42 % +- 0.42,
 * no-gate 96.29 % +- 1.61, Cf-S 85.42 % +- 2.84, LTC 49.11 % (the test set's share of label 0).
 *
 * @since 0.2
 */
@Command(name = "xor",
         mixinStandardHelpOptions = true,
         versionProvider = VersionProvider.class,
         sortOptions = false,
         description = {"Bit-stream XOR (parity) of event-based, irregularly sampled sequences with CfC or LTC "
                        + "networks (Hasani et al. 2022); writes results.json, curves.csv, model.json and xor.png "
                        + "into the output folder."})
public final class XorCommand implements Callable<Integer> {

    /** Results file. */
    public static final String RESULTS_FILE = "results.json";
    /** Curves file. */
    public static final String CURVES_FILE = "curves.csv";
    /** Model file. */
    public static final String MODEL_FILE = "model.json";
    /** Figure file. */
    public static final String PLOT_FILE = "xor.png";

    /** Most worker threads: more than a few times the cores only adds overhead. */
    static final int MAX_THREADS = 256;
    private static final String PUBLISHED = "raminmh/CfC train_xor.py (event-based, pad 32, 200 epochs of 100,000): "
            + "CfC 99.42 % +- 0.42, CfC no-gate 96.29 % +- 1.61, Cf-S 85.42 % +- 2.84, LTC 49.11 % +- 0.00";

    @Spec
    private CommandSpec spec;

    @Option(names = "--model", defaultValue = "cfc", paramLabel = "<name>",
            description = "cfc (gated, Eq. 4), cfc-nogate, cfc-pure (Cf-S, Eq. 3), cfc-mixed (an LSTM in front of "
                          + "the gated cell, the paper's mmRNN) or ltc (fully connected, 6 unfolds) "
                          + "(default: ${DEFAULT-VALUE}).")
    private String model;

    @Option(names = "--epochs", converter = PositiveInt.class, paramLabel = "<n>",
            description = "Passes over the training set (default: 3; with --resume: the new total, default the "
                          + "saved one).")
    private Integer epochs;

    @Option(names = "--paper",
            description = "The published configuration of the chosen model (raminmh/CfC train_xor.py: cfc 192 "
                          + "hidden, ReLU backbone 128, RMSprop 0.05, clip 1, batch 128, weight decay 3e-6; "
                          + "cfc-mixed 64 hidden, RMSprop 0.005, clip 10, forget bias 0.6; cfc-nogate and "
                          + "cfc-pure with SiLU backbones; ltc 64 neurons, Adam 0.005; all 200 epochs, x0.95 or "
                          + "x0.9 per epoch). Options given explicitly override it.")
    private boolean paper;

    @Option(names = "--resume", converter = OptionConverters.InputFolder.class, paramLabel = "<folder>",
            description = "Continue the run in this folder from its checkpoint (written after every epoch) with "
                          + "its saved settings; only --epochs, --progress and --evaluations' cadence of the "
                          + "new total apply. The result equals an uninterrupted run's.")
    private Path resume;

    @Option(names = "--train-size", defaultValue = "" + XorTask.TRAIN_SIZE, converter = PositiveInt.class,
            paramLabel = "<n>", description = "Training sequences, XORData seed 1234984 (default: ${DEFAULT-VALUE}).")
    private int trainSize;

    @Option(names = "--test-size", defaultValue = "" + XorTask.TEST_SIZE, converter = PositiveInt.class,
            paramLabel = "<n>", description = "Test sequences, XORData seed 48736 (default: ${DEFAULT-VALUE}).")
    private int testSize;

    @Option(names = "--batch", defaultValue = "32", converter = PositiveInt.class, paramLabel = "<n>",
            description = "Sequences per step; the gradient is their mean (default: ${DEFAULT-VALUE}).")
    private int batch;

    @Option(names = "--lr", converter = PositiveDouble.class, paramLabel = "<rate>",
            description = "Adam learning rate (default: 0.005 for CfC, 0.01 for LTC).")
    private Double learningRate;

    @Option(names = "--lr-decay", defaultValue = "0.7", converter = PositiveDouble.class, paramLabel = "<factor>",
            description = "Factor on the learning rate after every epoch, above 0 and at most 1 "
                          + "(default: ${DEFAULT-VALUE}).")
    private double learningRateDecay;

    @Option(names = "--clip", defaultValue = "1.0", converter = OptionConverters.NonNegativeDouble.class,
            paramLabel = "<norm>",
            description = "Clip the norm of the mean gradient to this; 0 turns clipping off "
                          + "(default: ${DEFAULT-VALUE}).")
    private double clipNorm;

    @Option(names = "--hidden", converter = PositiveInt.class, paramLabel = "<n>",
            description = "Hidden units (default: 32 for CfC, 16 for LTC).")
    private Integer hidden;

    @Option(names = "--backbone-units", defaultValue = "64", converter = PositiveInt.class, paramLabel = "<n>",
            description = "CfC backbone units (default: ${DEFAULT-VALUE}; ncps: 128).")
    private int backboneUnits;

    @Option(names = "--backbone-layers", defaultValue = "1", converter = OptionConverters.NonNegativeInt.class,
            paramLabel = "<n>",
            description = "CfC backbone layers, 0 or more (default: ${DEFAULT-VALUE}).")
    private int backboneLayers;

    @Option(names = "--backbone-activation", defaultValue = "lecun_tanh", paramLabel = "<name>",
            description = "CfC backbone activation: lecun_tanh (ncps' PyTorch default) or relu (the CfC paper's XOR "
                          + "configurations) (default: ${DEFAULT-VALUE}).")
    private String backboneActivation;

    @Option(names = "--optimizer", defaultValue = "adam", paramLabel = "<name>",
            description = "adam, rmsprop (PyTorch's defaults: alpha 0.99, eps 1e-8) or rmsprop-keras (rho 0.9, "
                          + "eps 1e-7; the CfC paper's XOR runs use it at 0.05 with batch 128, 192 hidden units, a "
                          + "ReLU backbone of 128, weight decay 3e-6 and 200 epochs) (default: ${DEFAULT-VALUE}).")
    private String optimizerName;

    @Option(names = "--weight-decay", defaultValue = "0", converter = OptionConverters.NonNegativeDouble.class,
            paramLabel = "<factor>",
            description = "L2 penalty factor on the weight matrices except the output layer's, as Keras' "
                          + "kernel_regularizer (default: ${DEFAULT-VALUE}).")
    private double weightDecay;

    @Option(names = "--threads", converter = PositiveInt.class, paramLabel = "<n>",
            description = "Threads sharing each minibatch, at most --batch and " + MAX_THREADS + "; results depend "
                          + "on the count, not on timing (default: 1).")
    private Integer threads;

    @Option(names = "--forget-bias", defaultValue = "1.0", converter = OptionConverters.FiniteDouble.class,
            paramLabel = "<bias>",
            description = "Forget-gate bias of cfc-mixed's LSTM (ncps: 1; the paper's XOR model: 0.6) "
                          + "(default: ${DEFAULT-VALUE}).")
    private double forgetBias;

    @Option(names = "--event", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Event-based, irregularly sampled sequences (the paper's hard case; default); "
                          + "--no-event gives one step per bit.")
    private boolean event;

    @Option(names = "--pad", defaultValue = "" + XorTask.CFC_PAD_SIZE, converter = PositiveInt.class,
            paramLabel = "<n>",
            description = "Pad size: bit strings are 2 to pad - 1 long; elapsed counts are divided by it "
                          + "(default: ${DEFAULT-VALUE}).")
    private int pad;

    @Option(names = "--evaluations", defaultValue = "10", converter = PositiveInt.class, paramLabel = "<n>",
            description = "Test-set evaluations during training, besides the final one (default: ${DEFAULT-VALUE}).")
    private int evaluations;

    @Option(names = "--seed", defaultValue = "1", converter = OptionConverters.Seed.class, paramLabel = "<seed>",
            description = "Seed of the initial weights and of the batch order; the data sets keep XORData's "
                          + "seeds (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--out", converter = OptionConverters.OutputPath.class, paramLabel = "<folder>",
            description = "Output folder (default: runs/xor-<yyyyMMdd-HHmmss>).")
    private Path out;

    @Mixin
    private ProgressOption progress;

    private final org.neurode.examples.StopOnSignal stop = new org.neurode.examples.StopOnSignal();

    /**
     * Runs the experiment.
     *
     * @return {@value Main#EXIT_OK}, or {@value Main#EXIT_SOLVE_FAILED} if the loss stopped being finite (the
     *         files are written)
     */
    @Override
    public Integer call() throws Exception {
        // Ctrl-C or SIGTERM: stop after the current step or pattern and write the files (see StopOnSignal)
        return stop.run("xor-stop", this::runCommand);
    }

    private Integer runCommand() {
        final long wallStart = System.nanoTime();
        final CommandLine.ParseResult given = spec.commandLine().getParseResult();
        if (resume != null) {
            for (final picocli.CommandLine.Model.OptionSpec o : given.matchedOptions()) {
                if (!List.of("--resume", "--epochs", "--progress", "--no-progress").contains(o.longestName())) {
                    throw new IllegalArgumentException(o.longestName() + " cannot be combined with --resume: a "
                            + "resumed run keeps the settings saved in its checkpoint (only --epochs and --progress "
                            + "apply)");
                }
            }
            final Path folder = resume.toAbsolutePath().normalize();
            final XorCheckpoint.Restored restored;
            try {
                restored = XorCheckpoint.read(folder.resolve(XorCheckpoint.FILE), epochs);
            } catch (IllegalArgumentException | org.neurode.core.OdeException | java.io.UncheckedIOException e) {
                throw new IllegalArgumentException("--resume " + resume + ": " + e.getMessage(), e);
            }
            // files that a killed session was writing (hidden temporaries, see AtomicFiles)
            AtomicFiles.removeStaleTemporaries(folder);
            try {
                return train(restored.run(), folder, wallStart, restored.wallSeconds());
            } finally {
                restored.run().close();
            }
        }
        final boolean ltc = "ltc".equals(model);
        if (!List.of("cfc", "cfc-nogate", "cfc-pure", "cfc-mixed", "ltc").contains(model)) {
            throw new IllegalArgumentException("--model " + model
                    + ": expected cfc, cfc-nogate, cfc-pure, cfc-mixed or ltc");
        }
        if (!"cfc-mixed".equals(model) && given.hasMatchedOption("--forget-bias")) {
            throw new IllegalArgumentException("--forget-bias applies to --model cfc-mixed only (its LSTM), not to "
                    + model);
        }
        if (ltc) {
            for (final String option : List.of("--backbone-units", "--backbone-layers", "--backbone-activation")) {
                if (given.hasMatchedOption(option)) {
                    throw new IllegalArgumentException(option + " applies to the CfC models; --model ltc has no "
                            + "backbone");
                }
            }
        }
        if (paper) {
            applyPaperPreset();
        }
        if (pad < 3) {
            throw new IllegalArgumentException("--pad must be at least 3: " + pad);
        }
        if (learningRateDecay > 1) {
            throw new IllegalArgumentException("--lr-decay " + learningRateDecay + ": at most 1 (a factor that "
                    + "lowers the learning rate after every epoch)");
        }
        if (!List.of("adam", "rmsprop", "rmsprop-keras").contains(optimizerName)) {
            throw new IllegalArgumentException("--optimizer " + optimizerName
                    + ": expected adam, rmsprop or rmsprop-keras");
        }
        final CfcCell.Activation activation;
        try {
            activation = CfcCell.Activation.of(backboneActivation);
        } catch (org.neurode.core.OdeException e) {
            throw new IllegalArgumentException("--backbone-activation " + backboneActivation
                    + ": expected lecun_tanh, relu or silu", e);
        }
        final int batchSize = batch;
        if (batchSize > trainSize) {
            throw new IllegalArgumentException("--batch " + batchSize + " is larger than --train-size " + trainSize);
        }
        final int threadCount = threads != null ? threads : 1;
        if (threadCount > Math.min(batchSize, MAX_THREADS)) {
            throw new IllegalArgumentException("--threads " + threadCount + ": at most " + Math.min(batchSize,
                    MAX_THREADS) + " (every thread takes a share of the --batch " + batchSize + " sequences)");
        }
        final int hiddenUnits = hidden != null ? hidden : ltc ? 16 : 32;
        // data sets: a sequence of up to --pad steps holds about 6 numbers per step; networks: about 10 numbers per
        // weight (values, gradients, optimizer moments) for each thread's copy
        final double width = Math.max(hiddenUnits, ltc ? 0 : backboneUnits) + 2.0;
        MemoryBudget.require("--train-size " + trainSize + ", --test-size " + testSize + ", --pad " + pad
                + ", --hidden " + hiddenUnits + ", --backbone-units " + backboneUnits + " and --backbone-layers "
                + backboneLayers, ((double) trainSize + testSize) * pad * 48.0
                + 80.0 * threadCount * width * width * (backboneLayers + 4.0)
                + 8.0 * threadCount * batchSize * pad * width * 8);
        final Path folder = OutputFolders.prepare(out, "xor");
        final XorSettings settings = new XorSettings(model, event, pad, trainSize, testSize,
                epochs != null ? epochs : 3, batch,
                learningRate != null ? learningRate : ltc ? 0.01 : 0.005, learningRateDecay, clipNorm,
                hiddenUnits, backboneUnits, backboneLayers, seed, evaluations,
                optimizerName, activation, weightDecay, threadCount, forgetBias);
        final XorRun run = new XorRun(settings);
        try {
            return train(run, folder, wallStart, 0.0);
        } finally {
            run.close();
        }
    }

    /**
     * Sets the options not given on the command line to the published configuration of the model
     * (raminmh/CfC {@code train_xor.py}: BEST_DEFAULT, BEST_MIXED, BEST_NO_GATE, BEST_MINIMAL, LTC_TEST).
     * Deviations: Keras clips each weight tensor's norm separately, neurode the whole gradient's; the no-gate
     * configuration's backbone dropout of 0.3 is not implemented; the LTC's weight decay is not applied (the
     * TensorFlow LTC cell has no regularizer).
     */
    private void applyPaperPreset() {
        final Preset p = switch (model) {
            case "cfc" -> new Preset(192, 128, "relu", "rmsprop-keras", 0.05, 0.95, 1.0, 128, 3e-6, null);
            case "cfc-mixed" -> new Preset(64, 128, "relu", "rmsprop-keras", 0.005, 0.95, 10.0, 128, 2e-6, 0.6);
            case "cfc-nogate" -> new Preset(128, 192, "silu", "rmsprop-keras", 0.005, 0.95, 10.0, 128, 5e-6, null);
            case "cfc-pure" -> new Preset(64, 64, "silu", "adam", 0.005, 0.9, 5.0, 256, 3e-5, null);
            default -> new Preset(64, null, null, "adam", 0.005, 0.9, 5.0, 256, 0.0, null);
        };
        final CommandLine.ParseResult given = spec.commandLine().getParseResult();
        epochs = given.hasMatchedOption("--epochs") ? epochs : 200;
        hidden = given.hasMatchedOption("--hidden") ? hidden : p.hidden();
        if (p.backboneUnits() != null && !given.hasMatchedOption("--backbone-units")) {
            backboneUnits = p.backboneUnits();
        }
        if (p.activation() != null && !given.hasMatchedOption("--backbone-activation")) {
            backboneActivation = p.activation();
        }
        optimizerName = given.hasMatchedOption("--optimizer") ? optimizerName : p.optimizer();
        learningRate = given.hasMatchedOption("--lr") ? learningRate : p.learningRate();
        learningRateDecay = given.hasMatchedOption("--lr-decay") ? learningRateDecay : p.decay();
        clipNorm = given.hasMatchedOption("--clip") ? clipNorm : p.clip();
        batch = given.hasMatchedOption("--batch") ? batch : p.batch();
        weightDecay = given.hasMatchedOption("--weight-decay") ? weightDecay : p.weightDecay();
        if (p.forgetBias() != null && !given.hasMatchedOption("--forget-bias")) {
            forgetBias = p.forgetBias();
        }
    }

    /** One train_xor.py configuration; null leaves the option as it is. */
    private record Preset(int hidden, Integer backboneUnits, String activation, String optimizer, double learningRate,
                          double decay, double clip, int batch, double weightDecay, Double forgetBias) {
    }

    /** Trains (from the start or from a restored epoch) and writes every file. */
    private Integer train(final XorRun run, final Path folder, final long wallStart, final double earlierWall) {
        return train(spec.commandLine(), run, folder, wallStart, earlierWall, progress.enabled(), stop::requested);
    }

    /**
     * Runs one XOR training with the given settings into a folder, as {@code neurode xor} with the same settings
     * would (the same files and numbers, console summary and exit code): the shell of {@code neurode run} for
     * {@code kind: xor}.
     *
     * @param cl           the command line printing the summary
     * @param settings     the settings
     * @param out          output folder (null: {@code runs/xor-<time>})
     * @param showProgress show a progress bar
     * @param stop         polled after every step: true stops the run (it saves its files)
     * @return the exit code
     */
    public static int runSettings(final CommandLine cl, final XorSettings settings, final Path out,
                                  final boolean showProgress, final java.util.function.BooleanSupplier stop) {
        final long wallStart = System.nanoTime();
        Xor.validate(settings);
        final Path folder = OutputFolders.prepare(out, "xor");
        try (XorRun run = new XorRun(settings)) {
            return train(cl, run, folder, wallStart, 0.0, showProgress, stop);
        }
    }

    private static int train(final CommandLine cl, final XorRun run, final Path folder, final long wallStart,
                             final double earlierWall, final boolean showProgress,
                             final java.util.function.BooleanSupplier stop) {
        final XorSettings settings = run.settings();
        final String name = settings.model();
        // start Java2D now: after Ctrl-C the JVM is shutting down and can no longer start it to draw the figure
        Figure.warmUp();
        final long total = (long) settings.trainSize() * settings.epochs();
        final XorResult result;
        try (Progress bar = showProgress ? Progress.counting("xor " + name, " seq", run.samples(), total)
                                               : Progress.none()) {
            final org.neurode.models.experiment.Progress report = stoppable((done, all, m) -> {
                bar.update(done, String.format(Locale.ROOT, " loss %.4f acc %.1f%% test %.1f%%", m.get("loss"),
                        100 * m.get("accuracy"), 100 * m.get("testAccuracy")));
            }, stop);
            final Checkpoints checkpoints = Checkpoints.at(state -> {
                XorCheckpoint.write(folder.resolve(XorCheckpoint.FILE), run, settings,
                        earlierWall + (System.nanoTime() - wallStart) * 1e-9);
            });
            result = Xor.INSTANCE.continueRun(run, report, checkpoints, () -> {
                // intermediate files, rewritten atomically at every test evaluation
                saveModel(run.model(), folder.resolve(MODEL_FILE));
                CsvFiles.writeColumns(folder.resolve(CURVES_FILE), XorRun.COLUMNS, columns(run.curves()));
                figure(run.curves(), name).writePng(folder.resolve(PLOT_FILE));
            });
        }
        final String status = result.status().name();
        final String message = result.status() == RunStatus.INTERRUPTED
                ? result.message() + (run.epochsDone() > 0 ? "; --resume " + folder + " continues after epoch "
                                                              + run.epochsDone() : "")
                : result.message();
        saveModel(run.model(), folder.resolve(MODEL_FILE));
        CsvFiles.writeColumns(folder.resolve(CURVES_FILE), XorRun.COLUMNS, columns(run.curves()));
        figure(run.curves(), name).writePng(folder.resolve(PLOT_FILE));
        final XorResults results = results(run, settings, status, message,
                earlierWall + (System.nanoTime() - wallStart) * 1e-9);
        JsonFiles.write(folder.resolve(RESULTS_FILE), results);
        printSummary(cl.getOut(), results, folder);
        if (run.failure() != null) {
            cl.getErr().println("neurode: error: " + run.failure());
            cl.getErr().flush();
            return Main.EXIT_SOLVE_FAILED;
        }
        return Main.EXIT_OK;
    }

    private static void saveModel(final SequenceModel m, final Path file) {
        if (m instanceof CfcCell c) {
            c.save(file);
        } else if (m instanceof LtcCell l) {
            l.save(file);
        } else {
            throw new IllegalStateException("no save for " + m.name());
        }
    }

    private static XorResults results(final XorRun run, final XorSettings s, final String status,
                                      final String message, final double wall) {
        final boolean cfc = run.model() instanceof CfcCell;
        final double steps = Math.max(1, run.steps());
        final double fwd = run.forwardSeconds() / steps;
        final double bwd = run.backwardSeconds() / steps;
        final double train = run.trainSeconds();
        final double zeros = 1.0 - run.test().positiveFraction();
        return new XorResults("xor", status, message, s.model(), s.eventBased(), s.padSize(), s.trainSize(),
                s.testSize(), s.epochs(), s.batch(), s.learningRate(), s.learningRateDecay(), s.clipNorm(),
                s.weightDecay(), s.threads(), "cfc-mixed".equals(s.model()) ? s.forgetBias() : null, s.hidden(),
                cfc ? s.backboneUnits() : null, cfc ? s.backboneLayers() : null, run.model().parameters().size(),
                s.seed(), XorTask.TRAIN_SEED, XorTask.TEST_SEED, run.steps(), run.samples(), run.lastLoss(),
                run.lastAccuracy(), run.testAccuracy(), run.testLoss(), run.bestTestAccuracy(),
                Math.max(zeros, 1.0 - zeros), wall, train, run.evaluationSeconds(),
                train > 0 ? run.steps() / train : Double.NaN, train > 0 ? run.samples() / train : Double.NaN,
                fwd, bwd, fwd > 0 ? bwd / fwd : Double.NaN, run.optimizerDescription(), PUBLISHED,
                SettingsFiles.document(Xor.KIND, s));
    }

    private static List<double[]> columns(final List<double[]> rows) {
        final int width = XorRun.COLUMNS.size();
        final List<double[]> cols = new ArrayList<>(width);
        for (int j = 0; j < width; j++) {
            final double[] c = new double[rows.size()];
            for (int k = 0; k < c.length; k++) {
                c[k] = rows.get(k)[j];
            }
            cols.add(c);
        }
        return cols;
    }

    /** Training loss, and training and test accuracy, against optimizer steps. */
    static Figure figure(final List<double[]> rows, final String modelName) {
        final List<Double> stepL = new ArrayList<>();
        final List<Double> loss = new ArrayList<>();
        final List<Double> acc = new ArrayList<>();
        final List<Double> stepT = new ArrayList<>();
        final List<Double> testAcc = new ArrayList<>();
        for (final double[] r : rows) {
            if (Double.isFinite(r[3])) {
                stepL.add(r[0]);
                loss.add(r[3]);
                acc.add(100 * r[4]);
            }
            if (Double.isFinite(r[5])) {
                stepT.add(r[0]);
                testAcc.add(100 * r[5]);
            }
        }
        final XYChart lossChart = Charts.lines("XOR " + modelName + ": training loss", "optimizer step",
                "cross-entropy (nats)", List.of(new Series("train loss", array(stepL), array(loss))));
        final XYChart accChart = Charts.lines("XOR " + modelName + ": accuracy", "optimizer step", "accuracy (%)",
                List.of(new Series("train (interval)", array(stepL), array(acc)),
                        new Series("test", array(stepT), array(testAcc))));
        return Figure.of(List.of(lossChart, accChart));
    }

    private static double[] array(final List<Double> xs) {
        final double[] a = new double[xs.size()];
        for (int k = 0; k < a.length; k++) {
            a[k] = xs.get(k);
        }
        return a;
    }

    private static void printSummary(final PrintWriter stdout, final XorResults r, final Path folder) {
        stdout.printf(Locale.ROOT, "xor %s (%s, pad %d): %d parameters, %d steps of %d (%d sequences), %s%n",
                r.model(), r.eventBased() ? "event-based" : "dense", r.padSize(), r.parameters(), r.steps(), r.batch(),
                r.samples(), r.optimizer());
        stdout.printf(Locale.ROOT, "  test accuracy %.2f %% (best %.2f %%, majority class %.2f %%), test loss %.4f, "
                + "final training loss %.4f%n", 100 * r.testAccuracy(), 100 * r.bestTestAccuracy(),
                100 * r.majorityClassAccuracy(), r.testLoss(), r.finalLoss());
        stdout.printf(Locale.ROOT, "  %.1f steps/s, %.0f sequences/s, backward/forward %.2f, wall %.1f s%n",
                r.stepsPerSecond(), r.samplesPerSecond(), r.backwardForwardRatio(), r.wallSeconds());
        stdout.printf(Locale.ROOT, "  files in %s%n", folder);
        stdout.flush();
    }

}
