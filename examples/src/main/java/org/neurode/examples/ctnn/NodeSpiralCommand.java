package org.neurode.examples.ctnn;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;

import org.knowm.xchart.XYChart;
import org.neurode.core.Equation;
import org.neurode.core.Model;
import org.neurode.core.Parameters;
import org.neurode.core.Problem;
import org.neurode.core.Recorder;
import org.neurode.core.StateLayout;
import org.neurode.core.Trajectory;
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
import org.neurode.models.learn.Losses;
import org.neurode.models.learn.Optimizer;
import org.neurode.models.node.NeuralOde;
import org.neurode.models.node.NeuralOde.GradientMethod;
import org.neurode.models.node.NeuralOde.Integration;
import org.neurode.solvers.SolveOptions;
import org.neurode.solvers.Solver;
import org.neurode.solvers.Solvers;

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
    public static final int DATA_SIZE = 1000;
    /** End time of the trajectory. */
    public static final double T_END = 25.0;
    /** Held-out path distance below which the learned field counts as reproducing the trajectory. */
    public static final double HELD_OUT_THRESHOLD = 0.05;
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

    private static final double[] Y0 = {2.0, 0.0};
    private static final double[] HELD_OUT_Y0 = {0.0, 1.5};
    private static final List<String> METHODS = List.of("rk4", "tsit5", "vern6", "vern7", "vern8", "vern9",
                                                        "dop853");

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
        final long wallStart = System.nanoTime();
        final String method = solver.trim().toLowerCase(Locale.ROOT);
        if (!METHODS.contains(method)) {
            throw new IllegalArgumentException("--solver " + solver + ": choose one of " + String.join(", ", METHODS));
        }
        final GradientMethod gm = switch (gradient.trim().toLowerCase(Locale.ROOT)) {
            case "adjoint" -> GradientMethod.ADJOINT;
            case "backprop" -> GradientMethod.BACKPROP;
            default -> throw new IllegalArgumentException("--gradient " + gradient + ": choose adjoint or backprop");
        };
        if (batchTime < 2) {
            throw new IllegalArgumentException("--batch-time must be at least 2: " + batchTime);
        }
        if (batchSize + batchTime > DATA_SIZE) {
            throw new IllegalArgumentException("--batch-size " + batchSize + " with --batch-time " + batchTime
                    + ": the windows must fit into the " + DATA_SIZE + " samples (batch size + batch time at most "
                    + DATA_SIZE + ")");
        }
        final double[] t = NodeSpiralData.times(DATA_SIZE, T_END);
        checkStep(method, t[1] - t[0]);
        MemoryBudget.require("--iterations " + iterations + " with --test-every " + testEvery,
                ((double) iterations / testEvery + 2) * ROW_BYTES);
        final Path folder = OutputFolders.prepare(out, "node-spiral");
        final double h = step != null ? step : t[1] - t[0];
        final Integration integration = "rk4".equals(method) ? Integration.fixed(method, h)
                : Integration.adaptive(method, rtol, atol);
        final Solver testSolver = Solvers.get(method);
        final SolveOptions testOptions = "rk4".equals(method) ? SolveOptions.fixedStep(h)
                : SolveOptions.tolerances(rtol, atol);
        final double[][] trueY = NodeSpiralData.groundTruth(Y0, t);
        final double[][] heldOutY = NodeSpiralData.groundTruth(HELD_OUT_Y0, t);

        final Random random = new Random(seed);
        final NeuralOde ode = NeuralOde.spiral(random);
        final Optimizer optimizer = Optimizer.rmsProp(learningRate);
        final NeuralOde.Sensitivity sens = ode.sensitivity(gm, integration);
        final double[] batchT = java.util.Arrays.copyOf(t, batchTime);
        final double[][] pred = new double[batchTime][2];
        final double[][] target = new double[batchTime][2];
        final double[][] lossGrad = new double[batchTime][2];
        final double[][] full = new double[DATA_SIZE][2];
        final int[] starts = new int[DATA_SIZE - batchTime];

        final List<double[]> rows = new ArrayList<>();
        final double initialLoss = testLoss(ode, testSolver, testOptions, Y0, t, trueY, full);
        final double heldOutInitial = testLoss(ode, testSolver, testOptions, HELD_OUT_Y0, t, heldOutY, full);
        final double heldOutInitialPath = pathDistance(full, heldOutY);
        rows.add(new double[] {0, Double.NaN, initialLoss, heldOutInitial});
        double bestLoss = initialLoss;
        double trainSum = 0.0;
        int trainCount = 0;
        double lastTrain = Double.NaN;
        long trainNanos = 0;
        String status = "SUCCESS";
        int done = 0;
        try (Progress bar = progress.enabled() ? Progress.counting("node-spiral", " steps", 0, iterations)
                                               : Progress.none()) {
            for (int it = 1; it <= iterations; it++) {
                final long stepStart = System.nanoTime();
                ode.parameters().zeroGradient();
                sample(random, starts, batchSize);
                double batchLoss = 0.0;
                for (int bIdx = 0; bIdx < batchSize; bIdx++) {
                    final int s0 = starts[bIdx];
                    for (int k = 0; k < batchTime; k++) {
                        target[k][0] = trueY[s0 + k][0];
                        target[k][1] = trueY[s0 + k][1];
                    }
                    sens.forward(trueY[s0], batchT, pred);
                    batchLoss += Losses.meanAbsoluteError(pred, target, lossGrad) / batchSize;
                    for (final double[] row : lossGrad) {
                        row[0] /= batchSize;
                        row[1] /= batchSize;
                    }
                    sens.backward(lossGrad, null);
                }
                optimizer.step(ode.parameters());
                trainNanos += System.nanoTime() - stepStart;
                done = it;
                if (!Double.isFinite(batchLoss)) {
                    status = "FAILED";
                    break;
                }
                trainSum += batchLoss;
                trainCount++;
                if (it % testEvery == 0 || it == iterations) {
                    lastTrain = trainSum / trainCount;
                    trainSum = 0.0;
                    trainCount = 0;
                    final double test = testLoss(ode, testSolver, testOptions, Y0, t, trueY, full);
                    final double held = testLoss(ode, testSolver, testOptions, HELD_OUT_Y0, t, heldOutY, full);
                    rows.add(new double[] {it, lastTrain, test, held});
                    bestLoss = Math.min(bestLoss, test);
                    bar.update(it, String.format(Locale.ROOT, "test loss %.4f", test));
                }
            }
        }
        final double[][] learned = new double[DATA_SIZE][2];
        final double[][] learnedHeldOut = new double[DATA_SIZE][2];
        final double finalLoss = testLoss(ode, testSolver, testOptions, Y0, t, trueY, learned);
        final double heldOutLoss = testLoss(ode, testSolver, testOptions, HELD_OUT_Y0, t, heldOutY, learnedHeldOut);
        final double heldOutPath = pathDistance(learnedHeldOut, heldOutY);

        ode.save(folder.resolve(MODEL_FILE));
        CsvFiles.writeColumns(folder.resolve(LOSS_FILE), LOSS_COLUMNS, columns(rows));
        lossFigure(rows, method, gm).writePng(folder.resolve(LOSS_FIGURE));
        phaseFigure(trueY, learned, heldOutY, learnedHeldOut).writePng(folder.resolve(PHASE_FIGURE));

        final NeuralOde.Statistics st = sens.statistics();
        final double steps = Math.max(1, done);
        final double fwd = st.forwardNanos() * 1e-9 / steps;
        final double bwd = st.backwardNanos() * 1e-9 / steps;
        final double trainSeconds = trainNanos * 1e-9;
        final NodeSpiralResults results = new NodeSpiralResults("node-spiral", status,
                gm.name().toLowerCase(Locale.ROOT), method,
                integration.adaptive() ? Double.valueOf(rtol) : null,
                integration.adaptive() ? Double.valueOf(atol) : null,
                integration.adaptive() ? null : Double.valueOf(h), seed, done,
                batchSize, batchTime, learningRate, optimizer.describe(), ode.parameters().size(), initialLoss,
                finalLoss, bestLoss, lastTrain, HELD_OUT_Y0.clone(), heldOutInitial, heldOutLoss,
                heldOutInitialPath, heldOutPath, HELD_OUT_THRESHOLD, heldOutPath < HELD_OUT_THRESHOLD,
                (System.nanoTime() - wallStart) * 1e-9, trainSeconds,
                done / Math.max(1e-9, trainSeconds), fwd, bwd, fwd > 0 ? bwd / fwd : Double.NaN,
                st.forwardEvaluations(), st.backwardEvaluations(), st.forwardEvaluations() / steps,
                st.backwardEvaluations() / steps, st.forwardSteps(), st.backwardSteps(), st.rejectedSteps());
        JsonFiles.write(folder.resolve(RESULTS_FILE), results);
        printSummary(spec.commandLine().getOut(), results, folder);
        return "SUCCESS".equals(status) ? Main.EXIT_OK : Main.EXIT_SOLVE_FAILED;
    }

    /** Memory of one row of loss.csv as the run holds it. */
    private static final double ROW_BYTES = 120;
    /** Most rk4 steps per prediction of the whole trajectory. */
    private static final double MAX_STEPS = 1e7;

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

    /** Mean |pred - true| over a whole trajectory predicted by the registered solver. */
    private static double testLoss(final NeuralOde ode, final Solver solver, final SolveOptions options,
                                   final double[] y0, final double[] t, final double[][] truth,
                                   final double[][] predicted) {
        ode.predict(solver, options, y0, t, predicted);
        return Losses.meanAbsoluteError(predicted, truth, null);
    }

    /**
     * Symmetric mean nearest-point distance between two sampled curves (a discrete Chamfer distance): 0 when the
     * learned curve lies on the true one and covers it, whatever its timing.
     */
    static double pathDistance(final double[][] a, final double[][] b) {
        return 0.5 * (oneWay(a, b) + oneWay(b, a));
    }

    private static double oneWay(final double[][] from, final double[][] to) {
        double sum = 0.0;
        for (final double[] p : from) {
            double best = Double.POSITIVE_INFINITY;
            for (final double[] q : to) {
                final double dx = p[0] - q[0];
                final double dy = p[1] - q[1];
                best = Math.min(best, dx * dx + dy * dy);
            }
            sum += Math.sqrt(best);
        }
        return sum / from.length;
    }

    /** The first {@code count} entries of {@code starts} become distinct random window starts (no replacement). */
    private static void sample(final Random random, final int[] starts, final int count) {
        for (int i = 0; i < starts.length; i++) {
            starts[i] = i;
        }
        for (int i = 0; i < count; i++) {
            final int j = i + random.nextInt(starts.length - i);
            final int tmp = starts[i];
            starts[i] = starts[j];
            starts[j] = tmp;
        }
    }

    private static List<double[]> columns(final List<double[]> rows) {
        final List<double[]> cols = new ArrayList<>();
        for (int j = 0; j < LOSS_COLUMNS.size(); j++) {
            final double[] c = new double[rows.size()];
            for (int k = 0; k < c.length; k++) {
                c[k] = rows.get(k)[j];
            }
            cols.add(c);
        }
        return cols;
    }

    private static Figure lossFigure(final List<double[]> rows, final String method, final GradientMethod gm) {
        final List<double[]> cols = columns(rows);
        final XYChart chart = Charts.lines("node-spiral (" + method + ", " + gm.name().toLowerCase(Locale.ROOT)
                + "): mean |pred - true|", "iteration", "loss", List.of(
                new Series("train (batch mean)", cols.get(0), cols.get(1)),
                new Series("test (full trajectory)", cols.get(0), cols.get(2)),
                new Series("held-out y0 = (0, 1.5)", cols.get(0), cols.get(3))));
        chart.getStyler().setYAxisLogarithmic(true);
        return Figure.of(List.of(chart));
    }

    private static Figure phaseFigure(final double[][] trueY, final double[][] learned, final double[][] heldOut,
                                      final double[][] learnedHeldOut) {
        final XYChart train = Charts.lines("phase portrait, y0 = (2, 0): true vs learned", "y1", "y2", List.of(
                new Series("true", column(trueY, 0), column(trueY, 1)),
                new Series("learned", column(learned, 0), column(learned, 1))));
        final XYChart held = Charts.lines("held-out y0 = (0, 1.5): true vs learned", "y1", "y2", List.of(
                new Series("true", column(heldOut, 0), column(heldOut, 1)),
                new Series("learned", column(learnedHeldOut, 0), column(learnedHeldOut, 1))));
        for (final XYChart c : List.of(train, held)) {
            c.getStyler().setXAxisMin(-2.2);
            c.getStyler().setXAxisMax(2.2);
            c.getStyler().setYAxisMin(-2.2);
            c.getStyler().setYAxisMax(2.2);
        }
        return Figure.of(List.of(train, held));
    }

    private static double[] column(final double[][] rows, final int j) {
        final double[] c = new double[rows.length];
        for (int k = 0; k < rows.length; k++) {
            c[k] = rows[k][j];
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

    /** The spiral's data: sample times and the ground truth by a tight adaptive solve. */
    static final class NodeSpiralData {

        private NodeSpiralData() {
        }

        /** {@code numpy.linspace(0, tEnd, size)}. */
        static double[] times(final int size, final double tEnd) {
            final double[] t = new double[size];
            for (int k = 0; k < size; k++) {
                t[k] = tEnd * k / (size - 1);
            }
            return t;
        }

        /** dy/dt = (y^3) A, row-vector convention, by DOP853 at rtol = atol = 1e-10, sampled on its dense output. */
        static double[][] groundTruth(final double[] y0, final double[] t) {
            final StateLayout layout = StateLayout.builder().vector("y", 2, "1", 1.0).build();
            final Model model = Model.of("spiral", layout, Parameters.empty(), p -> new Equation() {
                @Override
                public int dimension() {
                    return 2;
                }

                @Override
                public void derivatives(final double time, final double[] y, final double[] dydt) {
                    final double c0 = y[0] * y[0] * y[0];
                    final double c1 = y[1] * y[1] * y[1];
                    // (c0, c1) @ [[-0.1, 2.0], [-2.0, -0.1]]
                    dydt[0] = -0.1 * c0 - 2.0 * c1;
                    dydt[1] = 2.0 * c0 - 0.1 * c1;
                }

                @Override
                public boolean autonomous() {
                    return true;
                }
            }, y0);
            final Trajectory tr = Solvers.get("dop853").solve(new Problem(model, y0, t[0], t[t.length - 1], List.of()),
                    SolveOptions.tolerances(1e-10, 1e-10).withRecorder(Recorder.at(t)));
            final double[][] y = new double[t.length][2];
            for (int k = 0; k < t.length; k++) {
                y[k][0] = tr.value(k, 0);
                y[k][1] = tr.value(k, 1);
            }
            return y;
        }
    }
}
