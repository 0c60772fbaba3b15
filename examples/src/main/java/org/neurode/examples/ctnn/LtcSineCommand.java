package org.neurode.examples.ctnn;

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
import org.neurode.models.learn.Losses;
import org.neurode.models.learn.Optimizer;
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
    public static final int POINTS = 48;


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
    public Integer call() {
        final picocli.CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
        if (wiringFile != null) {
            for (final String option : List.of("--units", "--wiring-seed")) {
                if (parsed.hasMatchedOption(option)) {
                    throw new IllegalArgumentException(option + " cannot be combined with --wiring: the wiring file "
                            + "gives the network");
                }
            }
        } else {
            checkMemory(units);
        }
        final Wiring wiring = wiringFile != null ? readWiring(wiringFile) : autoNcp();
        if (wiring.inputs() != 2) {
            throw new IllegalArgumentException("--wiring " + wiringFile + ": the sine task has 2 inputs but the wiring "
                    + "has " + wiring.inputs());
        }
        checkMemory(wiring.units());
        final Path folder = OutputFolders.prepare(out, "ltc-sine");
        final LtcCell cell = LtcCell.of(wiring, unfolds, LtcCell.DEFAULT_EPSILON, seed);
        final double[][] inputs = new double[POINTS][2];
        final double[][] targets = new double[POINTS][1];
        data(inputs, targets);
        final double[][] outputs = new double[POINTS][1];
        final double[][] gradient = new double[POINTS][1];
        final Optimizer adam = Optimizer.adam(learningRate);
        final double[] losses = new double[steps];
        final double[] norms = new double[steps];
        long forwardNanos = 0;
        long backwardNanos = 0;
        int done = 0;
        String failure = null;
        final boolean show = progress.enabled();
        final long start = System.nanoTime();
        try (Progress bar = show ? Progress.counting("ltc-sine", " steps", 0, steps) : Progress.none()) {
            for (int k = 0; k < steps; k++) {
                cell.parameters().zeroGradient();
                final long t0 = System.nanoTime();
                cell.forward(inputs, null, outputs);
                final long t1 = System.nanoTime();
                final double loss = Losses.meanSquaredError(outputs, targets, gradient);
                final long t2 = System.nanoTime();
                cell.backward(gradient);
                final long t3 = System.nanoTime();
                forwardNanos += t1 - t0;
                backwardNanos += t3 - t2;
                losses[k] = loss;
                if (!Double.isFinite(loss)) {
                    failure = "the loss became " + loss + " at step " + (k + 1);
                    break;
                }
                norms[k] = Optimizer.clipGradientNorm(cell.parameters(), clip);
                adam.step(cell.parameters());
                done = k + 1;
                bar.update(done, String.format(Locale.ROOT, " loss %.2e", loss));
            }
        }
        final double wall = (System.nanoTime() - start) * 1e-9;
        cell.forward(inputs, null, outputs);
        final double finalLoss = Losses.meanSquaredError(outputs, targets, null);

        final Map<String, Object> results = new LinkedHashMap<>();
        results.put("task", "ncps sine: inputs (sin, cos) of linspace(0, 3 pi, 48), target sin(linspace(0, 6 pi, 48))");
        results.put("wiring", wiring.kind());
        results.put("units", wiring.units());
        results.put("synapses", wiring.synapseCount());
        results.put("sensorySynapses", wiring.sensorySynapseCount());
        results.put("parameters", cell.parameters().size());
        results.put("unfolds", unfolds);
        results.put("optimizer", adam.describe());
        results.put("clip", clip);
        results.put("seed", seed);
        results.put("wiringSeed", wiringFile != null ? null : wiringSeed);
        results.put("steps", done);
        results.put("initialLoss", finiteOrNull(done > 0 ? losses[0] : finalLoss));
        results.put("lastStepLoss", finiteOrNull(done > 0 ? losses[done - 1] : finalLoss));
        results.put("finalLoss", finiteOrNull(finalLoss));
        results.put("minLoss", finiteOrNull(min(losses, done)));
        results.put("wallSeconds", wall);
        results.put("stepsPerSecond", done / wall);
        final int timed = Math.max(1, failure == null ? done : done + 1);
        results.put("forwardSeconds", forwardNanos * 1e-9 / timed);
        results.put("backwardSeconds", backwardNanos * 1e-9 / timed);
        results.put("backwardForwardRatio", forwardNanos > 0 ? (double) backwardNanos / forwardNanos : null);
        results.put("publishedLoss", Map.of("pytorchAutoNcp16", PUBLISHED_PYTORCH_16,
                                            "kerasAutoNcp8", PUBLISHED_KERAS_8));
        results.put("message", failure);
        results.put("files", List.of("results.json", "loss.csv", "model.json", "ltc-sine.png"));

        writeCsv(folder.resolve("loss.csv"), losses, norms, failure == null ? done : done + 1);
        cell.save(folder.resolve("model.json"));
        figure(inputs, targets, outputs, losses, done).writePng(folder.resolve("ltc-sine.png"));
        JsonFiles.write(folder.resolve("results.json"), results);

        final PrintWriter stdout = spec.commandLine().getOut();
        stdout.printf(Locale.ROOT, "ltc-sine: %s, %d neurons, %d parameters, %d unfolds; %d steps of %s%n",
                      wiring.kind(), wiring.units(), cell.parameters().size(), unfolds, done, adam.describe());
        stdout.printf(Locale.ROOT, "  loss %.4g -> %.4g (published: %.3g for AutoNCP(16,1) in PyTorch, %.3g for "
                      + "AutoNCP(8,1) in Keras)%n", done > 0 ? losses[0] : finalLoss, finalLoss,
                      PUBLISHED_PYTORCH_16, PUBLISHED_KERAS_8);
        stdout.printf(Locale.ROOT, "  %.1f steps/s, forward %.3g ms, backward %.3g ms per step; files in %s%n",
                      done / wall, forwardNanos * 1e-6 / timed, backwardNanos * 1e-6 / timed, folder);
        stdout.flush();
        if (failure != null) {
            spec.commandLine().getErr().println("neurode: error: " + failure);
            spec.commandLine().getErr().flush();
            return Main.EXIT_SOLVE_FAILED;
        }
        return Main.EXIT_OK;
    }

    /**
     * The run's memory: the loss curve, the cell's parameters with gradients and Adam moments (up to 10 numbers
     * per pair of neurons and per sensory synapse), and the states the backward pass keeps (about 20 numbers per
     * neuron, unfold and point).
     */
    private void checkMemory(final int neurons) {
        MemoryBudget.require("--steps " + steps + ", --units " + neurons + " and --unfolds " + unfolds,
                16.0 * steps + 80.0 * ((double) neurons * neurons + 2.0 * neurons)
                + 160.0 * POINTS * (double) unfolds * neurons);
    }

    private static Wiring readWiring(final Path file) {
        // parsed first by the output layer, whose errors name the line and column without library internals
        final com.fasterxml.jackson.databind.JsonNode json;
        try {
            json = JsonFiles.read(file);
        } catch (java.io.UncheckedIOException e) {
            throw new IllegalArgumentException("--wiring " + file + ": " + e.getMessage(), e);
        }
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
     * The task's data, as ncps' examples build it with {@code np.linspace} (end points included).
     *
     * @param inputs  {@code [48][2]}: sin and cos of 48 points of [0, 3 pi] (written)
     * @param targets {@code [48][1]}: sin of 48 points of [0, 6 pi] (written)
     */
    public static void data(final double[][] inputs, final double[][] targets) {
        for (int i = 0; i < POINTS; i++) {
            final double t = 3 * Math.PI * i / (POINTS - 1);
            inputs[i][0] = Math.sin(t);
            inputs[i][1] = Math.cos(t);
            targets[i][0] = Math.sin(6 * Math.PI * i / (POINTS - 1));
        }
    }

    private static Double finiteOrNull(final double x) {
        return Double.isFinite(x) ? x : null;
    }

    private static double min(final double[] a, final int n) {
        double m = Double.POSITIVE_INFINITY;
        for (int k = 0; k < n; k++) {
            m = Math.min(m, a[k]);
        }
        return m;
    }

    private static void writeCsv(final Path file, final double[] losses, final double[] norms, final int n) {
        final StringBuilder sb = new StringBuilder("step,loss,gradientNorm\n");
        for (int k = 0; k < Math.min(n, losses.length); k++) {
            sb.append(k + 1).append(',').append(losses[k]).append(',').append(norms[k]).append('\n');
        }
        AtomicFiles.writeString(file, sb.toString());
    }

    private static Figure figure(final double[][] inputs, final double[][] targets, final double[][] outputs,
                                 final double[] losses, final int n) {
        final double[] x = new double[POINTS];
        final double[] target = new double[POINTS];
        final double[] prediction = new double[POINTS];
        final double[] input = new double[POINTS];
        for (int i = 0; i < POINTS; i++) {
            x[i] = i;
            target[i] = targets[i][0];
            prediction[i] = outputs[i][0];
            input[i] = inputs[i][0];
        }
        final XYChart fit = Charts.lines("LTC fit after training", "sample (elapsed time 1 each)", "output",
                List.of(new Series("target sin 2t", x, target), new Series("LTC output", x, prediction),
                        new Series("input sin t", x, input)));
        final double[] stepAxis = new double[Math.max(n, 1)];
        final double[] loss = new double[Math.max(n, 1)];
        for (int k = 0; k < n; k++) {
            stepAxis[k] = k + 1;
            loss[k] = losses[k];
        }
        if (n == 0) {
            stepAxis[0] = 0;
            loss[0] = Double.NaN;
        }
        final XYChart curve = Charts.lines("training loss (MSE)", "step", "loss", List.of(new Series("loss",
                stepAxis, loss)));
        if (n > 0 && min(losses, n) > 0) {
            curve.getStyler().setYAxisLogarithmic(true);
            curve.getStyler().setYAxisDecimalPattern("0.#E0");
        }
        return Figure.of(List.of(fit, curve));
    }
}
