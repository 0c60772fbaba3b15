package org.neurode.models.experiment.ltcsine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.neurode.core.OdeException;
import org.neurode.models.experiment.Checkpoints;
import org.neurode.models.experiment.Experiment;
import org.neurode.models.experiment.Progress;
import org.neurode.models.experiment.RunStatus;
import org.neurode.models.learn.Losses;
import org.neurode.models.learn.Optimizer;
import org.neurode.models.ltc.AutoNcp;
import org.neurode.models.ltc.LtcCell;
import org.neurode.models.ltc.Wiring;

/**
 * The first example of ncps (Lechner et al. 2020; LTC cells of Hasani et al. 2021) as an experiment: an LTC
 * network ({@link LtcCell}) reads \( (\sin t, \cos t) \) at {@value #POINTS} points of \( [0, 3\pi] \) and must
 * output \( \sin 2t \); one sequence is the whole batch; Adam, gradient-norm clipping, mean squared error. The
 * network is an {@code AutoNCP(units, 1)} wiring drawn with {@code wiringSeed} (Java's generator: not ncps' graph
 * for the same seed), or a given wiring; its initial parameters are drawn from {@code seed}
 * ({@link LtcCell#of(Wiring, int, double, long)}, unchanged so that the published numbers hold). Progress counts
 * steps and reports {@code loss}; there are no checkpoints (a run takes seconds); a stop request ends the run
 * after the current step.
 *
 * @since 0.2
 */
public final class LtcSine implements Experiment<LtcSineSettings, LtcSineResult> {

    /** The experiment. */
    public static final LtcSine INSTANCE = new LtcSine();
    /** Its kind. */
    public static final String KIND = "ltc-sine";
    /** Points of the sequence. */
    public static final int POINTS = 48;

    private LtcSine() {
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Class<LtcSineSettings> settingsType() {
        return LtcSineSettings.class;
    }

    /**
     * @return ncps' PyTorch example: 400 steps, AutoNCP(16, 1) with wiring seed 22222, 6 unfolds, Adam 0.01,
     *         clip 1, seed 1
     */
    @Override
    public LtcSineSettings defaults() {
        return new LtcSineSettings(400, 16, 6, 0.01, 1.0, 1, 22222, null);
    }

    /**
     * Checks the settings and builds their wiring.
     *
     * @param s settings
     * @return the wiring: the given one, or AutoNCP(units, 1)
     * @throws IllegalArgumentException naming the first invalid field
     */
    public static Wiring wiring(final LtcSineSettings s) {
        check(s.steps() > 0 && s.unfolds() > 0, "steps and unfolds must be positive");
        check(s.learningRate() > 0 && Double.isFinite(s.learningRate()), "learningRate must be positive: "
                + s.learningRate());
        check(s.clip() > 0 && Double.isFinite(s.clip()), "clip must be positive: " + s.clip());
        final Wiring w;
        if (s.wiring() != null) {
            try {
                w = Wiring.fromJson(s.wiring(), "wiring");
            } catch (OdeException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            check(w.inputs() == 2, "wiring: the sine task has 2 inputs but the wiring has " + w.inputs());
        } else {
            check(s.units() >= 4, "units must be at least 4 for AutoNCP(units, 1), not " + s.units());
            w = AutoNcp.of(s.units(), 1, 2, AutoNcp.DEFAULT_SPARSITY, s.wiringSeed());
        }
        return w;
    }

    private static void check(final boolean valid, final String message) {
        if (!valid) {
            throw new IllegalArgumentException(message);
        }
    }

    @Override
    public LtcSineResult run(final LtcSineSettings settings, final Progress progress, final Checkpoints checkpoints) {
        return run(settings, wiring(settings), progress, cell -> { });
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

    /**
     * Trains a network of a wiring already built from the settings ({@link #wiring}).
     *
     * @param settings the settings
     * @param wiring   their wiring
     * @param progress receives every step
     * @param trained  receives the trained cell (the command line saves it)
     * @return the result
     */
    public LtcSineResult run(final LtcSineSettings settings, final Wiring wiring, final Progress progress,
                             final Consumer<LtcCell> trained) {
        final int steps = settings.steps();
        final LtcCell cell = LtcCell.of(wiring, settings.unfolds(), LtcCell.DEFAULT_EPSILON, settings.seed());
        final double[][] inputs = new double[POINTS][2];
        final double[][] targets = new double[POINTS][1];
        data(inputs, targets);
        final double[][] outputs = new double[POINTS][1];
        final double[][] gradient = new double[POINTS][1];
        final Optimizer adam = Optimizer.adam(settings.learningRate());
        final double[] losses = new double[steps];
        final double[] norms = new double[steps];
        long forwardNanos = 0;
        long backwardNanos = 0;
        int done = 0;
        String failure = null;
        boolean stopped = false;
        final long start = System.nanoTime();
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
            norms[k] = Optimizer.clipGradientNorm(cell.parameters(), settings.clip());
            adam.step(cell.parameters());
            done = k + 1;
            progress.update(done, steps, Map.of("loss", loss));
            if (done < steps && progress.stopRequested()) {
                stopped = true;
                break;
            }
        }
        final double wall = (System.nanoTime() - start) * 1e-9;
        cell.forward(inputs, null, outputs);
        final double finalLoss = Losses.meanSquaredError(outputs, targets, null);
        trained.accept(cell);
        final List<LtcSineResult.LossPoint> curve = new ArrayList<>();
        final int rows = Math.min(failure == null ? done : done + 1, steps);
        for (int k = 0; k < rows; k++) {
            curve.add(new LtcSineResult.LossPoint(k + 1, losses[k], norms[k]));
        }
        final List<LtcSineResult.FitPoint> fit = new ArrayList<>();
        for (int i = 0; i < POINTS; i++) {
            fit.add(new LtcSineResult.FitPoint(i, inputs[i][0], inputs[i][1], targets[i][0], outputs[i][0]));
        }
        double min = Double.POSITIVE_INFINITY;
        for (int k = 0; k < done; k++) {
            min = Math.min(min, losses[k]);
        }
        final int timed = Math.max(1, failure == null ? done : done + 1);
        final RunStatus status = failure != null ? RunStatus.FAILED : stopped ? RunStatus.INTERRUPTED
                : RunStatus.SUCCESS;
        final String message = failure != null ? failure : stopped ? "stopped at step " + done + " of " + steps : null;
        return new LtcSineResult(settings, status, message, wiring.kind(), wiring.units(), wiring.synapseCount(),
                wiring.sensorySynapseCount(), cell.parameters().size(), adam.describe(), done,
                done > 0 ? losses[0] : finalLoss, done > 0 ? losses[done - 1] : finalLoss, finalLoss, min,
                List.copyOf(curve), List.copyOf(fit), wall, forwardNanos * 1e-9 / timed, backwardNanos * 1e-9 / timed,
                forwardNanos > 0 ? (double) backwardNanos / forwardNanos : Double.NaN);
    }
}
