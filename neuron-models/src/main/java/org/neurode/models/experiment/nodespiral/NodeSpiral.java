package org.neurode.models.experiment.nodespiral;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

import org.neurode.core.Equation;
import org.neurode.core.Model;
import org.neurode.core.Parameters;
import org.neurode.core.Problem;
import org.neurode.core.Recorder;
import org.neurode.core.StateLayout;
import org.neurode.core.Trajectory;
import org.neurode.models.experiment.Checkpoints;
import org.neurode.models.experiment.Experiment;
import org.neurode.models.experiment.Progress;
import org.neurode.models.experiment.RunStatus;
import org.neurode.models.learn.Losses;
import org.neurode.models.learn.Optimizer;
import org.neurode.models.node.NeuralOde;
import org.neurode.models.node.NeuralOde.GradientMethod;
import org.neurode.models.node.NeuralOde.Integration;
import org.neurode.solvers.SolveOptions;
import org.neurode.solvers.Solver;
import org.neurode.solvers.Solvers;

/**
 * torchdiffeq's spiral demo ({@code examples/ode_demo.py}; Chen et al. 2018) as an experiment: a neural ODE
 * (Linear(2,50)-tanh-Linear(50,2) on \( y^3 \), {@link NeuralOde#spiral}) learns \( dy/dt = (y^3) A \) from random
 * windows of the 1000-sample trajectory from (2, 0), with gradients by backpropagation through the solver or by the
 * continuous adjoint; a held-out trajectory from (0, 1.5) must be traced with a path distance below
 * {@value #HELD_OUT_THRESHOLD}. One {@code java.util.Random(seed)} draws the initial weights and then the windows
 * (unchanged, so that the published numbers hold). Progress counts steps and reports {@code testLoss} at every
 * test; there are no checkpoints; a stop request ends the run after the current step.
 *
 * @since 0.2
 */
public final class NodeSpiral implements Experiment<NodeSpiralSettings, NodeSpiralResult> {

    /** The experiment. */
    public static final NodeSpiral INSTANCE = new NodeSpiral();
    /** Its kind. */
    public static final String KIND = "node-spiral";
    /** Samples of the trajectory. */
    public static final int DATA_SIZE = 1000;
    /** End time of the trajectory. */
    public static final double T_END = 25.0;
    /** Held-out path distance below which the learned field counts as reproducing the trajectory. */
    public static final double HELD_OUT_THRESHOLD = 0.05;
    /** The integration methods. */
    public static final List<String> METHODS = List.of("rk4", "tsit5", "vern6", "vern7", "vern8", "vern9", "dop853");
    /** Most rk4 steps per prediction of the whole trajectory. */
    public static final double MAX_STEPS = 1e7;

    private static final double[] Y0 = {2.0, 0.0};
    private static final double[] HELD_OUT_Y0 = {0.0, 1.5};

    private NodeSpiral() {
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Class<NodeSpiralSettings> settingsType() {
        return NodeSpiralSettings.class;
    }

    /**
     * @return torchdiffeq's demo: 2000 steps of dop853 at rtol 1e-7, atol 1e-9, backprop, 20 windows of 10
     *         samples, RMSprop 1e-3, a test every 20 steps, seed 1
     */
    @Override
    public NodeSpiralSettings defaults() {
        return new NodeSpiralSettings(2000, "dop853", 1e-7, 1e-9, null, "backprop", 20, 10, 1e-3, 20, 1);
    }

    /**
     * Checks the settings beyond their types.
     *
     * @param s settings
     * @return the gradient method
     * @throws IllegalArgumentException naming the first invalid field
     */
    public static GradientMethod validate(final NodeSpiralSettings s) {
        check(s.solver() != null && METHODS.contains(s.solver()), "solver " + s.solver() + ": choose one of "
                + String.join(", ", METHODS));
        final GradientMethod gm = switch (String.valueOf(s.gradient())) {
            case "adjoint" -> GradientMethod.ADJOINT;
            case "backprop" -> GradientMethod.BACKPROP;
            default -> throw new IllegalArgumentException("gradient " + s.gradient() + ": choose adjoint or backprop");
        };
        check(s.iterations() > 0 && s.batchSize() > 0 && s.testEvery() > 0, "iterations, batchSize and testEvery "
                + "must be positive");
        check(s.batchTime() >= 2, "batchTime must be at least 2: " + s.batchTime());
        check(s.batchSize() + s.batchTime() <= DATA_SIZE, "batchSize " + s.batchSize() + " with batchTime "
                + s.batchTime() + ": the windows must fit into the " + DATA_SIZE + " samples");
        check(s.learningRate() > 0 && Double.isFinite(s.learningRate()), "learningRate must be positive");
        final double spacing = T_END / (DATA_SIZE - 1);
        if ("rk4".equals(s.solver())) {
            check(s.step() != null, "solver rk4 takes fixed steps: give one with step (e.g. " + (float) spacing
                    + ", the sample spacing)");
            check(s.step() > 0 && s.step() <= spacing * (1 + 1e-12), "step " + s.step() + " must be positive and at "
                    + "most the sample spacing " + spacing);
            check(T_END / s.step() <= MAX_STEPS, "step " + s.step() + " would take more than 1e7 steps per "
                    + "prediction of the trajectory");
        } else {
            check(s.step() == null, "step applies to solver rk4 only; " + s.solver() + " chooses its own steps");
            check(s.rtol() > 0 && s.rtol() < 1 && s.atol() > 0 && Double.isFinite(s.atol()), "rtol must be in "
                    + "(0, 1) and atol positive");
        }
        return gm;
    }

    private static void check(final boolean valid, final String message) {
        if (!valid) {
            throw new IllegalArgumentException(message);
        }
    }

    @Override
    public NodeSpiralResult run(final NodeSpiralSettings settings, final Progress progress,
                                final Checkpoints checkpoints) {
        return run(settings, progress, ode -> { });
    }

    /**
     * Trains.
     *
     * @param s        the settings
     * @param progress receives every step ({@code testLoss} at the tests)
     * @param trained  receives the trained model (the command line saves it)
     * @return the result
     */
    public NodeSpiralResult run(final NodeSpiralSettings s, final Progress progress,
                                final Consumer<NeuralOde> trained) {
        final GradientMethod gm = validate(s);
        final String method = s.solver();
        final int batchSize = s.batchSize();
        final int batchTime = s.batchTime();
        final double[] t = times(DATA_SIZE, T_END);
        final double h = s.step() != null ? s.step() : t[1] - t[0];
        final Integration integration = "rk4".equals(method) ? Integration.fixed(method, h)
                : Integration.adaptive(method, s.rtol(), s.atol());
        final Solver testSolver = Solvers.get(method);
        final SolveOptions testOptions = "rk4".equals(method) ? SolveOptions.fixedStep(h)
                : SolveOptions.tolerances(s.rtol(), s.atol());
        final double[][] trueY = groundTruth(Y0, t);
        final double[][] heldOutY = groundTruth(HELD_OUT_Y0, t);

        final Random random = new Random(s.seed());
        final NeuralOde ode = NeuralOde.spiral(random);
        final Optimizer optimizer = Optimizer.rmsProp(s.learningRate());
        final NeuralOde.Sensitivity sens = ode.sensitivity(gm, integration);
        final double[] batchT = Arrays.copyOf(t, batchTime);
        final double[][] pred = new double[batchTime][2];
        final double[][] target = new double[batchTime][2];
        final double[][] lossGrad = new double[batchTime][2];
        final double[][] full = new double[DATA_SIZE][2];
        final int[] starts = new int[DATA_SIZE - batchTime];

        final List<NodeSpiralResult.LossPoint> rows = new ArrayList<>();
        final double initialLoss = testLoss(ode, testSolver, testOptions, Y0, t, trueY, full);
        final double heldOutInitial = testLoss(ode, testSolver, testOptions, HELD_OUT_Y0, t, heldOutY, full);
        final double heldOutInitialPath = pathDistance(full, heldOutY);
        rows.add(new NodeSpiralResult.LossPoint(0, Double.NaN, initialLoss, heldOutInitial));
        double bestLoss = initialLoss;
        double trainSum = 0.0;
        int trainCount = 0;
        double lastTrain = Double.NaN;
        long trainNanos = 0;
        RunStatus status = RunStatus.SUCCESS;
        String message = null;
        int done = 0;
        final int iterations = s.iterations();
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
                status = RunStatus.FAILED;
                message = "the batch loss became " + batchLoss + " at step " + it;
                break;
            }
            trainSum += batchLoss;
            trainCount++;
            final boolean stop = it < iterations && progress.stopRequested();
            if (it % s.testEvery() == 0 || it == iterations || stop) {
                lastTrain = trainSum / trainCount;
                trainSum = 0.0;
                trainCount = 0;
                final double test = testLoss(ode, testSolver, testOptions, Y0, t, trueY, full);
                final double held = testLoss(ode, testSolver, testOptions, HELD_OUT_Y0, t, heldOutY, full);
                rows.add(new NodeSpiralResult.LossPoint(it, lastTrain, test, held));
                bestLoss = Math.min(bestLoss, test);
                progress.update(it, iterations, Map.of("testLoss", test));
            }
            if (stop) {
                status = RunStatus.INTERRUPTED;
                message = "stopped at step " + it + " of " + iterations;
                break;
            }
        }
        final double[][] learned = new double[DATA_SIZE][2];
        final double[][] learnedHeldOut = new double[DATA_SIZE][2];
        final double finalLoss = testLoss(ode, testSolver, testOptions, Y0, t, trueY, learned);
        final double heldOutLoss = testLoss(ode, testSolver, testOptions, HELD_OUT_Y0, t, heldOutY, learnedHeldOut);
        final double heldOutPath = pathDistance(learnedHeldOut, heldOutY);
        trained.accept(ode);
        final NeuralOde.Statistics st = sens.statistics();
        final double steps = Math.max(1, done);
        return new NodeSpiralResult(s, status, message, optimizer.describe(), ode.parameters().size(), done,
                initialLoss, finalLoss, bestLoss, lastTrain, List.of(HELD_OUT_Y0[0], HELD_OUT_Y0[1]), heldOutInitial,
                heldOutLoss, heldOutInitialPath, heldOutPath, HELD_OUT_THRESHOLD, heldOutPath < HELD_OUT_THRESHOLD,
                List.copyOf(rows), phase(t, trueY, learned), phase(t, heldOutY, learnedHeldOut), trainNanos * 1e-9,
                st.forwardNanos() * 1e-9 / steps, st.backwardNanos() * 1e-9 / steps, st.forwardEvaluations(),
                st.backwardEvaluations(), st.forwardSteps(), st.backwardSteps(), st.rejectedSteps());
    }

    private static List<NodeSpiralResult.PhasePoint> phase(final double[] t, final double[][] truth,
                                                           final double[][] learned) {
        final List<NodeSpiralResult.PhasePoint> out = new ArrayList<>(t.length);
        for (int k = 0; k < t.length; k++) {
            out.add(new NodeSpiralResult.PhasePoint(t[k], truth[k][0], truth[k][1], learned[k][0], learned[k][1]));
        }
        return List.copyOf(out);
    }

    /** @return the gradient method's name as results report it */
    static String name(final GradientMethod gm) {
        return gm.name().toLowerCase(Locale.ROOT);
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
     *
     * @param a points of one curve
     * @param b points of the other
     * @return the distance
     */
    public static double pathDistance(final double[][] a, final double[][] b) {
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

    /**
     * @param size points
     * @param tEnd end time
     * @return {@code numpy.linspace(0, tEnd, size)}
     */
    public static double[] times(final int size, final double tEnd) {
        final double[] t = new double[size];
        for (int k = 0; k < size; k++) {
            t[k] = tEnd * k / (size - 1);
        }
        return t;
    }

    /**
     * dy/dt = (y^3) A, row-vector convention, by DOP853 at rtol = atol = 1e-10, sampled on its dense output.
     *
     * @param y0 initial state
     * @param t  sample times
     * @return the states at the times
     */
    public static double[][] groundTruth(final double[] y0, final double[] t) {
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
