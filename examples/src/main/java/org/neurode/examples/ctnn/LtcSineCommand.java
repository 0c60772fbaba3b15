package org.neurode.examples.ctnn;

import static org.neurode.models.experiment.Progress.stoppable;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.knowm.xchart.XYChart;
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
import org.neurode.examples.io.JsonFiles;
import org.neurode.examples.plot.Charts;
import org.neurode.examples.plot.Figure;
import org.neurode.examples.plot.Series;
import org.neurode.models.experiment.RunStatus;
import org.neurode.models.experiment.SettingsFiles;
import org.neurode.models.experiment.ltcsine.LtcSine;
import org.neurode.models.experiment.ltcsine.LtcSineResult;
import org.neurode.models.experiment.ltcsine.LtcSineSettings;
import org.neurode.models.ltc.AutoNcp;
import org.neurode.models.ltc.LtcCell;
import org.neurode.models.ltc.Wiring;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code neurode ltc-sine}: the first example of ncps (Lechner et al. 2020, Nature Machine Intelligence 2:642;
 * LTC cells of Hasani et al. 2021, AAAI 35:7657) with neurode's {@link LtcCell}. The network reads
 * \( (\sin t, \cos t) \) at 48 points of \( t \in [0, 3\pi] \) and must output \( \sin 2t \) (48 points of
 * \( [0, 6\pi] \)); one sequence is the whole batch. Training: Adam (lr 0.01), gradient norm clipped to 1, mean
 * squared error, 400 steps, an {@code AutoNCP(units, 1)} wiring with 2 inputs and 6 ODE unfolds per sample
 * (elapsed time 1), as ncps' PyTorch example {@code pt_example.py} with {@code AutoNCP(16, 1)}, which reports a
 * final loss of 0.000459; ncps' Keras example uses {@code AutoNCP(8, 1)} (350 parameters) and reports 2.3e-4
 * after 400 epochs. The wiring graph is drawn with Java's random generator (seed 22222 as ncps' default), so it
 * is not ncps' graph for that seed; {@code --wiring} takes a graph exported from ncps instead.
 *
 * <p>Writes {@code results.json} (losses, sizes, timings: forward and backward seconds per step),
 * {@code loss.csv} (loss and gradient norm per step), {@code model.json} (the trained cell, loadable with
 * {@link LtcCell#load}) and {@code ltc-sine.png} (fit and loss curve).
 *
 * @since 0.2
 */
@Command(name = "ltc-sine",
         mixinStandardHelpOptions = true,
         versionProvider = VersionProvider.class,
         sortOptions = false,
         description = {"The ncps sine task with an LTC network (AutoNCP wiring): inputs (sin t, cos t) on 48 points "
                        + "of [0, 3 pi], target sin 2t; Adam, gradient clipping, MSE. Writes results.json, loss.csv, "
                        + "model.json and ltc-sine.png into the output folder."})
public final class LtcSineCommand implements Callable<Integer> {

    /** Published final loss of ncps' PyTorch example (LTC, AutoNCP(16, 1), 400 steps). */
    public static final double PUBLISHED_PYTORCH_16 = 0.000459;
    /** Published final loss of ncps' Keras example (LTC, AutoNCP(8, 1), 400 epochs). */
    public static final double PUBLISHED_KERAS_8 = 2.3024e-4;
    /** Points of the sequence. */
    public static final int POINTS = LtcSine.POINTS;


    @Spec
    private CommandSpec spec;

    @Option(names = "--steps", defaultValue = "400", converter = PositiveInt.class, paramLabel = "<n>",
            description = "Optimizer steps, one per pass over the sequence (default: ${DEFAULT-VALUE}).")
    private int steps;

    @Option(names = "--units", defaultValue = "16", converter = PositiveInt.class, paramLabel = "<n>",
            description = "Neurons of the AutoNCP(units, 1) wiring: 16 as ncps' PyTorch example, 8 as its Keras "
                          + "example (default: ${DEFAULT-VALUE}).")
    private int units;

    @Option(names = "--unfolds", defaultValue = "6", converter = PositiveInt.class, paramLabel = "<n>",
            description = "Fused ODE steps per sample (default: ${DEFAULT-VALUE}, as ncps).")
    private int unfolds;

    @Option(names = "--lr", defaultValue = "0.01", converter = PositiveDouble.class, paramLabel = "<rate>",
            description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    private double learningRate;

    @Option(names = "--clip", defaultValue = "1.0", converter = PositiveDouble.class, paramLabel = "<norm>",
            description = "Largest gradient norm (default: ${DEFAULT-VALUE}).")
    private double clip;

    @Option(names = "--seed", defaultValue = "1", converter = OptionConverters.Seed.class, paramLabel = "<seed>",
            description = "Seed of the initial parameters (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--wiring-seed", defaultValue = "22222", converter = OptionConverters.Seed.class,
            paramLabel = "<seed>",
            description = "Seed of the AutoNCP graph (default: ${DEFAULT-VALUE}, ncps' default; Java's generator "
                          + "gives another graph than numpy's).")
    private long wiringSeed;

    @Option(names = "--wiring", converter = OptionConverters.InputFile.class, paramLabel = "<file.json>",
            description = "Use this wiring (2 inputs; e.g. exported from ncps with Wiring.get_config()) instead "
                          + "of AutoNCP; it excludes --units and --wiring-seed.")
    private Path wiringFile;

    @Option(names = "--out", converter = OptionConverters.OutputPath.class, paramLabel = "<folder>",
            description = "Output folder (default: runs/ltc-sine-<yyyyMMdd-HHmmss>).")
    private Path out;

    @Mixin
    private ProgressOption progress;

    /**
     * Trains and writes the files.
     *
     * @return {@value Main#EXIT_OK}, or {@value Main#EXIT_SOLVE_FAILED} if the loss became NaN or infinite (the
     *         files are written up to that step)
     */
    @Override
    public Integer call() throws Exception {
        // Ctrl-C or SIGTERM: stop after the current step and write the files
        return stop.run("ltc-sine-stop", this::runCommand);
    }

    private final org.neurode.examples.StopOnSignal stop = new org.neurode.examples.StopOnSignal();

    private Integer runCommand() {
        final picocli.CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
        if (wiringFile != null) {
            for (final String option : List.of("--units", "--wiring-seed")) {
                if (parsed.hasMatchedOption(option)) {
                    throw new IllegalArgumentException(option + " cannot be combined with --wiring: the wiring file "
                            + "gives the network");
                }
            }
        } else {
            checkMemory(steps, units, unfolds);
        }
        final com.fasterxml.jackson.databind.JsonNode wiringJson = wiringFile != null ? readWiringJson(wiringFile)
                                                                                    : null;
        final Wiring wiring = wiringFile != null ? readWiring(wiringJson, wiringFile) : autoNcp();
        if (wiring.inputs() != 2) {
            throw new IllegalArgumentException("--wiring " + wiringFile + ": the sine task has 2 inputs but the wiring "
                    + "has " + wiring.inputs());
        }
        final LtcSineSettings settings = new LtcSineSettings(steps, wiring.units(), unfolds, learningRate, clip, seed,
                wiringSeed, wiringJson);
        return train(spec.commandLine(), settings, wiring, out, progress.enabled(), stop::requested);
    }

    /**
     * Runs one LTC sine training with the given settings into a folder, as {@code neurode ltc-sine} with the same
     * settings would (the same files and numbers, console summary and exit code): the shell of {@code neurode run}
     * for {@code kind: ltc-sine}.
     *
     * @param cl           the command line printing the summary
     * @param settings     the settings
     * @param out          output folder (null: {@code runs/ltc-sine-<time>})
     * @param showProgress show a progress bar
     * @param stop         polled after every step: true ends the training there (the files are written)
     * @return the exit code
     */
    public static int runSettings(final picocli.CommandLine cl, final LtcSineSettings settings, final Path out,
                                  final boolean showProgress, final java.util.function.BooleanSupplier stop) {
        final Wiring wiring = LtcSine.wiring(settings);
        return train(cl, settings, wiring, out, showProgress, stop);
    }

    private static int train(final picocli.CommandLine cl, final LtcSineSettings settings, final Wiring wiring,
                             final Path out, final boolean show, final java.util.function.BooleanSupplier stop) {
        checkMemory(settings.steps(), wiring.units(), settings.unfolds());
        final Path folder = OutputFolders.prepare(out, "ltc-sine");
        final LtcCell[] trained = new LtcCell[1];
        final LtcSineResult r;
        try (Progress bar = show ? Progress.counting("ltc-sine", " steps", 0, settings.steps()) : Progress.none()) {
            r = LtcSine.INSTANCE.run(settings, wiring, stoppable((done, total, m) -> {
                bar.update(done, String.format(Locale.ROOT, " loss %.2e", m.get("loss")));
            }, stop), cell -> trained[0] = cell);
        }
        final double wall = r.trainSeconds();
        final int done = r.steps();
        final Map<String, Object> results = new LinkedHashMap<>();
        results.put("task", "ncps sine: inputs (sin, cos) of linspace(0, 3 pi, 48), target sin(linspace(0, 6 pi, 48))");
        results.put("wiring", r.wiringKind());
        results.put("units", r.units());
        results.put("synapses", r.synapses());
        results.put("sensorySynapses", r.sensorySynapses());
        results.put("parameters", r.parameters());
        results.put("unfolds", settings.unfolds());
        results.put("optimizer", r.optimizer());
        results.put("clip", settings.clip());
        results.put("seed", settings.seed());
        results.put("wiringSeed", settings.wiring() != null ? null : settings.wiringSeed());
        results.put("steps", done);
        results.put("initialLoss", finiteOrNull(r.initialLoss()));
        results.put("lastStepLoss", finiteOrNull(r.lastStepLoss()));
        results.put("finalLoss", finiteOrNull(r.finalLoss()));
        results.put("minLoss", finiteOrNull(r.minLoss()));
        results.put("wallSeconds", wall);
        results.put("stepsPerSecond", done / wall);
        results.put("forwardSeconds", r.forwardSeconds());
        results.put("backwardSeconds", r.backwardSeconds());
        results.put("backwardForwardRatio", Double.isNaN(r.backwardForwardRatio()) ? null : r.backwardForwardRatio());
        results.put("publishedLoss", Map.of("pytorchAutoNcp16", PUBLISHED_PYTORCH_16,
                                            "kerasAutoNcp8", PUBLISHED_KERAS_8));
        results.put("message", r.message());
        results.put("files", List.of("results.json", "loss.csv", "model.json", "ltc-sine.png"));
        // the model specification: the wiring the network was built on (the AutoNCP graph drawn, or the file's)
        results.put("network", wiring.toJson());
        results.put("settings", SettingsFiles.document(LtcSine.KIND, settings));

        writeCsv(folder.resolve("loss.csv"), r.losses());
        trained[0].save(folder.resolve("model.json"));
        figure(r.fit(), r.losses(), done).writePng(folder.resolve("ltc-sine.png"));
        JsonFiles.write(folder.resolve("results.json"), results);

        final PrintWriter stdout = cl.getOut();
        stdout.printf(Locale.ROOT, "ltc-sine: %s, %d neurons, %d parameters, %d unfolds; %d steps of %s%n",
                      r.wiringKind(), r.units(), r.parameters(), settings.unfolds(), done, r.optimizer());
        stdout.printf(Locale.ROOT, "  loss %.4g -> %.4g (published: %.3g for AutoNCP(16,1) in PyTorch, %.3g for "
                      + "AutoNCP(8,1) in Keras)%n", r.initialLoss(), r.finalLoss(),
                      PUBLISHED_PYTORCH_16, PUBLISHED_KERAS_8);
        stdout.printf(Locale.ROOT, "  %.1f steps/s, forward %.3g ms, backward %.3g ms per step; files in %s%n",
                      done / wall, r.forwardSeconds() * 1e3, r.backwardSeconds() * 1e3, folder);
        stdout.flush();
        if (r.status() == RunStatus.INTERRUPTED) {
            stdout.println("  " + r.message());
            stdout.flush();
        }
        if (r.status() == RunStatus.FAILED) {
            cl.getErr().println("neurode: error: " + r.message());
            cl.getErr().flush();
            return Main.EXIT_SOLVE_FAILED;
        }
        return Main.EXIT_OK;
    }

    /**
     * The run's memory: the loss curve, the cell's parameters with gradients and Adam moments (up to 10 numbers
     * per pair of neurons and per sensory synapse), and the states the backward pass keeps (about 20 numbers per
     * neuron, unfold and point).
     */
    private static void checkMemory(final int steps, final int neurons, final int unfolds) {
        MemoryBudget.require("--steps " + steps + ", --units " + neurons + " and --unfolds " + unfolds,
                16.0 * steps + 80.0 * ((double) neurons * neurons + 2.0 * neurons)
                + 160.0 * POINTS * (double) unfolds * neurons);
    }

    private static com.fasterxml.jackson.databind.JsonNode readWiringJson(final Path file) {
        // parsed first by the output layer, whose errors name the line and column without library internals
        try {
            return JsonFiles.read(file);
        } catch (java.io.UncheckedIOException e) {
            throw new IllegalArgumentException("--wiring " + file + ": " + e.getMessage(), e);
        }
    }

    private static Wiring readWiring(final com.fasterxml.jackson.databind.JsonNode json, final Path file) {
        try {
            return Wiring.fromJson(json, file.toString());
        } catch (org.neurode.core.OdeException | IllegalArgumentException e) {
            throw new IllegalArgumentException("--wiring " + file + ": " + e.getMessage(), e);
        }
    }

    private Wiring autoNcp() {
        if (units < 4) {
            throw new IllegalArgumentException("--units must be at least 4 for AutoNCP(units, 1), not " + units);
        }
        return AutoNcp.of(units, 1, 2, AutoNcp.DEFAULT_SPARSITY, wiringSeed);
    }

    /**
     * The task's data ({@link LtcSine#data}).
     *
     * @param inputs  {@code [48][2]}: sin and cos of 48 points of [0, 3 pi] (written)
     * @param targets {@code [48][1]}: sin of 48 points of [0, 6 pi] (written)
     */
    public static void data(final double[][] inputs, final double[][] targets) {
        LtcSine.data(inputs, targets);
    }

    private static Double finiteOrNull(final double x) {
        return Double.isFinite(x) ? x : null;
    }

    private static void writeCsv(final Path file, final List<LtcSineResult.LossPoint> losses) {
        final StringBuilder sb = new StringBuilder("step,loss,gradientNorm\n");
        for (final LtcSineResult.LossPoint p : losses) {
            sb.append(p.step()).append(',').append(p.loss()).append(',').append(p.gradientNorm()).append('\n');
        }
        AtomicFiles.writeString(file, sb.toString());
    }

    private static Figure figure(final List<LtcSineResult.FitPoint> fitPoints, final List<LtcSineResult.LossPoint> losses,
                                 final int n) {
        final double[] x = new double[POINTS];
        final double[] target = new double[POINTS];
        final double[] prediction = new double[POINTS];
        final double[] input = new double[POINTS];
        for (int i = 0; i < POINTS; i++) {
            final LtcSineResult.FitPoint p = fitPoints.get(i);
            x[i] = i;
            target[i] = p.target();
            prediction[i] = p.output();
            input[i] = p.sinT();
        }
        final XYChart fit = Charts.lines("LTC fit after training", "sample (elapsed time 1 each)", "output",
                List.of(new Series("target sin 2t", x, target), new Series("LTC output", x, prediction),
                        new Series("input sin t", x, input)));
        final double[] stepAxis = new double[Math.max(n, 1)];
        final double[] loss = new double[Math.max(n, 1)];
        double min = Double.POSITIVE_INFINITY;
        for (int k = 0; k < n; k++) {
            stepAxis[k] = k + 1;
            loss[k] = losses.get(k).loss();
            min = Math.min(min, loss[k]);
        }
        if (n == 0) {
            stepAxis[0] = 0;
            loss[0] = Double.NaN;
        }
        final XYChart curve = Charts.lines("training loss (MSE)", "step", "loss", List.of(new Series("loss",
                stepAxis, loss)));
        if (n > 0 && min > 0) {
            curve.getStyler().setYAxisLogarithmic(true);
            curve.getStyler().setYAxisDecimalPattern("0.#E0");
        }
        return Figure.of(List.of(fit, curve));
    }
}
