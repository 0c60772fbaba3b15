package org.neurode.examples.ctnn;

import static org.neurode.models.experiment.Progress.stoppable;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.LinkedHashMap;
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
import org.neurode.examples.io.CsvFiles;
import org.neurode.examples.io.JsonFiles;
import org.neurode.examples.plot.Charts;
import org.neurode.examples.plot.Figure;
import org.neurode.examples.plot.Series;
import org.neurode.models.experiment.RunStatus;
import org.neurode.models.experiment.SettingsFiles;
import org.neurode.models.experiment.nodespiral.NodeSpiral;
import org.neurode.models.experiment.nodespiral.NodeSpiralResult;
import org.neurode.models.experiment.nodespiral.NodeSpiralSettings;
import org.neurode.models.node.NeuralOde;
import org.neurode.models.node.NeuralOde.GradientMethod;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code neurode node-spiral}: torchdiffeq's spiral demo ({@code examples/ode_demo.py}; Chen et al. 2018,
 * NeurIPS) trained through the solver. The data: \( dy/dt = (y^3) A \) (row vector), \( A = [[-0.1, 2], [-2,
 * -0.1]] \), \( y_0 = (2, 0) \), 1000 samples on [0, 25], ground truth by DOP853 at 1e-10. The model:
 * Linear(2,50)-tanh-Linear(50,2) on \( y^3 \), weights N(0, 0.1), biases 0. Training: 20 random windows of 10
 * samples per step, mean |pred - true|, RMSprop lr 1e-3, gradients by backpropagation through the Runge-Kutta
 * steps or by the continuous adjoint; every 20 steps the test loss on the full trajectory, predicted by the
 * registered solver of the same name. Held-out criterion: the trajectory from a second initial state,
 * (0, 1.5), never trained on, must be traced with a path distance (symmetric mean distance between the learned
 * and the true curve over [0, 25]) below {@value #HELD_OUT_THRESHOLD}, 2.5 % of the spiral's initial radius; the
 * pointwise loss on it is reported too, but after four turns it measures mostly phase drift.
 *
 * <p>Writes {@code loss.csv}, {@code model.json} (kind {@code neural-ode}), {@code loss.png}, {@code phase.png}
 * and {@code results.json} (last).
 *
 * @since 0.2
 */
@Command(name = "node-spiral",
         mixinStandardHelpOptions = true,
         versionProvider = VersionProvider.class,
         sortOptions = false,
         description = {"Neural ODE on torchdiffeq's spiral (ode_demo.py): learns dy/dt = (y^3) A from 20 random "
                        + "windows per step; writes loss.csv, model.json, loss.png, phase.png and results.json."})
public final class NodeSpiralCommand implements Callable<Integer> {

    /** Samples of the trajectory. */
    public static final int DATA_SIZE = NodeSpiral.DATA_SIZE;
    /** End time of the trajectory. */
    public static final double T_END = NodeSpiral.T_END;
    /** Held-out path distance below which the learned field counts as reproducing the trajectory. */
    public static final double HELD_OUT_THRESHOLD = NodeSpiral.HELD_OUT_THRESHOLD;
    /** Results file. */
    public static final String RESULTS_FILE = "results.json";
    /** Loss curve file. */
    public static final String LOSS_FILE = "loss.csv";
    /** Model file. */
    public static final String MODEL_FILE = "model.json";
    /** Loss figure. */
    public static final String LOSS_FIGURE = "loss.png";
    /** Phase-portrait figure. */
    public static final String PHASE_FIGURE = "phase.png";
    /** Columns of {@link #LOSS_FILE}. */
    public static final List<String> LOSS_COLUMNS = List.of("iteration", "train_loss", "test_loss", "held_out_loss");


    @Spec
    private CommandSpec spec;

    @Option(names = "--iterations", defaultValue = "2000", converter = PositiveInt.class, paramLabel = "<n>",
            description = "Optimizer steps (default: ${DEFAULT-VALUE}, as torchdiffeq).")
    private int iterations;

    @Option(names = "--solver", defaultValue = "dop853", paramLabel = "<name>",
            description = "Integration method: dop853, tsit5, vern6..vern9 (adaptive, --rtol/--atol) or rk4 "
                          + "(fixed step --step) (default: ${DEFAULT-VALUE}).")
    private String solver;

    @Option(names = "--rtol", defaultValue = "1e-7", converter = OptionConverters.RelativeTolerance.class,
            paramLabel = "<rtol>",
            description = "Relative tolerance of adaptive methods (default: ${DEFAULT-VALUE}, torchdiffeq's).")
    private double rtol;

    @Option(names = "--atol", defaultValue = "1e-9", converter = PositiveDouble.class, paramLabel = "<atol>",
            description = "Absolute tolerance of adaptive methods (default: ${DEFAULT-VALUE}, torchdiffeq's).")
    private double atol;

    @Option(names = "--step", converter = PositiveDouble.class, paramLabel = "<h>",
            description = "Step of rk4, required with it and used only by it: at most the sample spacing 25/999 = "
                          + "0.025 (the solver stops at every sample) and at least 2.5e-6 (10^7 steps per prediction).")
    private Double step;

    @Option(names = "--gradient", defaultValue = "backprop", paramLabel = "<method>",
            description = "backprop (through the solver steps) or adjoint (continuous adjoint) "
                          + "(default: ${DEFAULT-VALUE}).")
    private String gradient;

    @Option(names = "--batch-size", defaultValue = "20", converter = PositiveInt.class, paramLabel = "<n>",
            description = "Windows per step (default: ${DEFAULT-VALUE}).")
    private int batchSize;

    @Option(names = "--batch-time", defaultValue = "10", converter = PositiveInt.class, paramLabel = "<n>",
            description = "Samples per window, at least 2 (default: ${DEFAULT-VALUE}).")
    private int batchTime;

    @Option(names = "--learning-rate", defaultValue = "1e-3", converter = PositiveDouble.class,
            paramLabel = "<lr>", description = "RMSprop learning rate (default: ${DEFAULT-VALUE}).")
    private double learningRate;

    @Option(names = "--test-every", defaultValue = "20", converter = PositiveInt.class, paramLabel = "<n>",
            description = "Steps between tests on the full trajectory (default: ${DEFAULT-VALUE}).")
    private int testEvery;

    @Option(names = "--seed", defaultValue = "1", converter = OptionConverters.Seed.class, paramLabel = "<seed>",
            description = "Seed of the initial weights and the batches (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--out", converter = OptionConverters.OutputPath.class, paramLabel = "<folder>",
            description = "Output folder (default: runs/node-spiral-<yyyyMMdd-HHmmss>).")
    private Path out;

    @Mixin
    private ProgressOption progress;

    /**
     * Runs the experiment.
     *
     * @return {@value Main#EXIT_OK}, or {@value Main#EXIT_SOLVE_FAILED} if the loss became non-finite
     */
    @Override
    public Integer call() {
        final String method = solver.trim().toLowerCase(Locale.ROOT);
        if (!NodeSpiral.METHODS.contains(method)) {
            throw new IllegalArgumentException("--solver " + solver + ": choose one of "
                    + String.join(", ", NodeSpiral.METHODS));
        }
        final String gm = gradient.trim().toLowerCase(Locale.ROOT);
        if (!List.of("adjoint", "backprop").contains(gm)) {
            throw new IllegalArgumentException("--gradient " + gradient + ": choose adjoint or backprop");
        }
        if (batchTime < 2) {
            throw new IllegalArgumentException("--batch-time must be at least 2: " + batchTime);
        }
        if (batchSize + batchTime > DATA_SIZE) {
            throw new IllegalArgumentException("--batch-size " + batchSize + " with --batch-time " + batchTime
                    + ": the windows must fit into the " + DATA_SIZE + " samples (batch size + batch time at most "
                    + DATA_SIZE + ")");
        }
        checkStep(method, T_END / (DATA_SIZE - 1));
        return runSettings(spec.commandLine(), new NodeSpiralSettings(iterations, method, rtol, atol, step, gm,
                batchSize, batchTime, learningRate, testEvery, seed), out, progress.enabled(), () -> false);
    }

    /**
     * Runs one spiral training with the given settings into a folder, as {@code neurode node-spiral} with the same
     * settings would (the same files and numbers, console summary and exit code): the shell of {@code neurode run}
     * for {@code kind: node-spiral}.
     *
     * @param cl           the command line printing the summary
     * @param s            the settings
     * @param out          output folder (null: {@code runs/node-spiral-<time>})
     * @param showProgress show a progress bar
     * @param stop         polled after every step: true stops the run (it writes its files)
     * @return the exit code
     */
    public static int runSettings(final picocli.CommandLine cl, final NodeSpiralSettings s, final Path out,
                                  final boolean showProgress, final java.util.function.BooleanSupplier stop) {
        final long wallStart = System.nanoTime();
        final GradientMethod gm = NodeSpiral.validate(s);
        MemoryBudget.require("--iterations " + s.iterations() + " with --test-every " + s.testEvery(),
                ((double) s.iterations() / s.testEvery() + 2) * ROW_BYTES);
        final Path folder = OutputFolders.prepare(out, "node-spiral");
        final String method = s.solver();
        final boolean adaptive = !"rk4".equals(method);
        final NeuralOde[] trained = new NeuralOde[1];
        final NodeSpiralResult r;
        try (Progress bar = showProgress ? Progress.counting("node-spiral", " steps", 0, s.iterations())
                                         : Progress.none()) {
            r = NodeSpiral.INSTANCE.run(s, stoppable((done, total, m) -> {
                bar.update(done, String.format(Locale.ROOT, "test loss %.4f", m.get("testLoss")));
            }, stop), ode -> trained[0] = ode);
        }
        trained[0].save(folder.resolve(MODEL_FILE));
        CsvFiles.writeColumns(folder.resolve(LOSS_FILE), LOSS_COLUMNS, columns(r.curve()));
        lossFigure(r.curve(), method, gm).writePng(folder.resolve(LOSS_FIGURE));
        phaseFigure(r.trajectory(), r.heldOutTrajectory()).writePng(folder.resolve(PHASE_FIGURE));

        final double steps = Math.max(1, r.steps());
        final double fwd = r.forwardSeconds();
        final double bwd = r.backwardSeconds();
        final double trainSeconds = r.trainSeconds();
        final Map<String, Object> network = new LinkedHashMap<>();
        network.put("kind", NeuralOde.KIND);
        network.put("configuration", trained[0].configuration());
        network.put("initialization", "weights N(0, 0.1^2), biases 0, drawn by java.util.Random(seed) before the "
                + "windows");
        final NodeSpiralResults results = new NodeSpiralResults("node-spiral", r.status().name(),
                gm.name().toLowerCase(Locale.ROOT), method,
                adaptive ? Double.valueOf(s.rtol()) : null,
                adaptive ? Double.valueOf(s.atol()) : null,
                adaptive ? null : s.step(), s.seed(), r.steps(),
                s.batchSize(), s.batchTime(), s.learningRate(), r.optimizer(), r.parameters(), r.initialLoss(),
                r.finalLoss(), r.bestLoss(), r.finalTrainLoss(),
                new double[] {r.heldOutInitialState().get(0), r.heldOutInitialState().get(1)},
                r.heldOutInitialLoss(), r.heldOutLoss(), r.heldOutInitialPathDistance(), r.heldOutPathDistance(),
                r.heldOutThreshold(), r.heldOutReproduced(),
                (System.nanoTime() - wallStart) * 1e-9, trainSeconds,
                r.steps() / Math.max(1e-9, trainSeconds), fwd, bwd, fwd > 0 ? bwd / fwd : Double.NaN,
                r.forwardEvaluations(), r.backwardEvaluations(), r.forwardEvaluations() / steps,
                r.backwardEvaluations() / steps, r.forwardSolverSteps(), r.backwardSolverSteps(),
                r.rejectedSolverSteps(), network, SettingsFiles.document(NodeSpiral.KIND, s));
        JsonFiles.write(folder.resolve(RESULTS_FILE), results);
        printSummary(cl.getOut(), results, folder);
        return r.status() == RunStatus.SUCCESS ? Main.EXIT_OK : Main.EXIT_SOLVE_FAILED;
    }

    /** Memory of one row of loss.csv as the run holds it. */
    private static final double ROW_BYTES = 120;
    /** Most rk4 steps per prediction of the whole trajectory. */
    private static final double MAX_STEPS = NodeSpiral.MAX_STEPS;

    /** rk4 needs --step, the adaptive methods take --rtol/--atol instead; the step must fit the samples. */
    private void checkStep(final String method, final double spacing) {
        final picocli.CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
        if ("rk4".equals(method)) {
            if (step == null) {
                throw new IllegalArgumentException("--solver rk4 takes fixed steps: give one with --step (e.g. --step "
                        + (float) spacing + ", the sample spacing)");
            }
            for (final String option : List.of("--rtol", "--atol")) {
                if (parsed.hasMatchedOption(option)) {
                    throw new IllegalArgumentException(option + " applies to the adaptive methods, not to --solver "
                            + "rk4 (it takes --step)");
                }
            }
            if (step > spacing * (1 + 1e-12)) {
                throw new IllegalArgumentException("--step " + step + " is longer than the sample spacing " + spacing
                        + ": the solver stops at every sample, so it could never take that step");
            }
            if (T_END / step > MAX_STEPS) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "--step %s would take %.3g steps per "
                        + "prediction of the trajectory, more than %.0e", step, T_END / step, MAX_STEPS));
            }
        } else if (step != null) {
            throw new IllegalArgumentException("--step applies to --solver rk4 only; " + method + " chooses its own "
                    + "steps (control them with --rtol and --atol)");
        }
    }

    /**
     * Symmetric mean nearest-point distance between two sampled curves ({@link NodeSpiral#pathDistance}).
     */
    static double pathDistance(final double[][] a, final double[][] b) {
        return NodeSpiral.pathDistance(a, b);
    }

    private static List<double[]> columns(final List<NodeSpiralResult.LossPoint> rows) {
        final List<double[]> cols = new ArrayList<>();
        for (int j = 0; j < LOSS_COLUMNS.size(); j++) {
            cols.add(new double[rows.size()]);
        }
        for (int k = 0; k < rows.size(); k++) {
            final NodeSpiralResult.LossPoint p = rows.get(k);
            cols.get(0)[k] = p.iteration();
            cols.get(1)[k] = p.trainLoss();
            cols.get(2)[k] = p.testLoss();
            cols.get(3)[k] = p.heldOutLoss();
        }
        return cols;
    }

    private static Figure lossFigure(final List<NodeSpiralResult.LossPoint> rows, final String method,
                                     final GradientMethod gm) {
        final List<double[]> cols = columns(rows);
        final XYChart chart = Charts.lines("node-spiral (" + method + ", " + gm.name().toLowerCase(Locale.ROOT)
                + "): mean |pred - true|", "iteration", "loss", List.of(
                new Series("train (batch mean)", cols.get(0), cols.get(1)),
                new Series("test (full trajectory)", cols.get(0), cols.get(2)),
                new Series("held-out y0 = (0, 1.5)", cols.get(0), cols.get(3))));
        chart.getStyler().setYAxisLogarithmic(true);
        return Figure.of(List.of(chart));
    }

    private static Figure phaseFigure(final List<NodeSpiralResult.PhasePoint> trained,
                                      final List<NodeSpiralResult.PhasePoint> heldOut) {
        final XYChart train = Charts.lines("phase portrait, y0 = (2, 0): true vs learned", "y1", "y2", List.of(
                new Series("true", column(trained, 0), column(trained, 1)),
                new Series("learned", column(trained, 2), column(trained, 3))));
        final XYChart held = Charts.lines("held-out y0 = (0, 1.5): true vs learned", "y1", "y2", List.of(
                new Series("true", column(heldOut, 0), column(heldOut, 1)),
                new Series("learned", column(heldOut, 2), column(heldOut, 3))));
        for (final XYChart c : List.of(train, held)) {
            c.getStyler().setXAxisMin(-2.2);
            c.getStyler().setXAxisMax(2.2);
            c.getStyler().setYAxisMin(-2.2);
            c.getStyler().setYAxisMax(2.2);
        }
        return Figure.of(List.of(train, held));
    }

    /** Column j of the points: 0, 1 the true coordinates, 2, 3 the learned ones. */
    private static double[] column(final List<NodeSpiralResult.PhasePoint> points, final int j) {
        final double[] c = new double[points.size()];
        for (int k = 0; k < c.length; k++) {
            final NodeSpiralResult.PhasePoint p = points.get(k);
            c[k] = switch (j) {
                case 0 -> p.trueY1();
                case 1 -> p.trueY2();
                case 2 -> p.learnedY1();
                default -> p.learnedY2();
            };
        }
        return c;
    }

    private static void printSummary(final PrintWriter w, final NodeSpiralResults r, final Path folder) {
        w.printf(Locale.ROOT, "node-spiral %s %s: %d steps in %.1f s (%.1f steps/s)%n", r.solver(), r.gradient(),
                 r.steps(), r.trainSeconds(), r.stepsPerSecond());
        w.printf(Locale.ROOT, "  test loss (full trajectory) %.4f -> %.4f (best %.4f)%n", r.initialLoss(),
                 r.finalLoss(), r.bestLoss());
        w.printf(Locale.ROOT, "  held-out y0 = (0, 1.5): loss %.4f -> %.4f, path distance %.4f -> %.4f (%s; threshold"
                 + " %.2f)%n", r.heldOutInitialLoss(), r.heldOutLoss(), r.heldOutInitialPathDistance(),
                 r.heldOutPathDistance(), r.heldOutReproduced() ? "reproduced" : "not reproduced",
                 r.heldOutThreshold());
        w.printf(Locale.ROOT, "  per step: forward %.2f ms, backward %.2f ms (ratio %.2f); evaluations %.0f / %.0f%n",
                 r.forwardSeconds() * 1e3, r.backwardSeconds() * 1e3, r.backwardForwardRatio(),
                 r.forwardEvaluationsPerStep(), r.backwardEvaluationsPerStep());
        w.printf(Locale.ROOT, "  wrote %s%n", folder);
        w.flush();
    }
}
