package org.neurode.models.experiment.xor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.neurode.models.cfc.CfcCell;
import org.neurode.models.cfc.XorTask;
import org.neurode.models.experiment.Checkpoints;
import org.neurode.models.experiment.Experiment;
import org.neurode.models.experiment.Progress;
import org.neurode.models.experiment.RunStatus;

/**
 * The bit-stream XOR (parity) benchmark of the CfC paper (Hasani et al. 2022) as an experiment: a CfC or LTC
 * network classifies event-based or dense bit streams ({@link XorTask}), trained with minibatches ({@link XorRun}).
 * Progress counts training sequences and reports {@code loss}, {@code accuracy} and {@code testAccuracy}; a
 * checkpoint is taken after every epoch and hands over the {@link XorRun}, whose {@link XorRun#writeState} and
 * {@link XorRun#readState} continue with exactly the numbers of an uninterrupted run. The data sets keep
 * raminmh/CfC's seeds; {@code seed} draws the initial weights and the batch order.
 *
 * @since 0.2
 */
public final class Xor implements Experiment<XorSettings, XorResult> {

    /** The experiment. */
    public static final Xor INSTANCE = new Xor();
    /** Its kind. */
    public static final String KIND = "xor";
    /** The network models. */
    public static final List<String> MODELS = List.of("cfc", "cfc-nogate", "cfc-pure", "cfc-mixed", "ltc");
    /** The optimizers. */
    public static final List<String> OPTIMIZERS = List.of("adam", "rmsprop", "rmsprop-keras");
    /** Most worker threads. */
    public static final int MAX_THREADS = 256;

    private Xor() {
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Class<XorSettings> settingsType() {
        return XorSettings.class;
    }

    /**
     * @return the command line's default run: a gated CfC of 32 hidden units (backbone 64, one layer, LeCun tanh)
     *         on event-based sequences of pad 32, 100,000 training and 10,000 test sequences, 3 epochs of batches
     *         of 32, Adam 0.005 x0.7 per epoch, gradient norm clipped to 1, seed 1, 10 evaluations, one thread (the
     *         command line's defaults for {@code ltc} differ: 16 neurons, learning rate 0.01)
     */
    @Override
    public XorSettings defaults() {
        return new XorSettings("cfc", true, XorTask.CFC_PAD_SIZE, XorTask.TRAIN_SIZE, XorTask.TEST_SIZE, 3, 32, 0.005,
                0.7, 1.0, 32, 64, 1, 1, 10, "adam", CfcCell.Activation.LECUN_TANH, 0.0, 1, 1.0);
    }

    @Override
    public void check(final XorSettings settings) {
        validate(settings);
    }

    /**
     * Checks the settings beyond their types.
     *
     * @param s settings
     * @throws IllegalArgumentException naming the first field that is out of range
     */
    public static void validate(final XorSettings s) {
        check(MODELS.contains(s.model()), "model " + s.model() + ": expected " + String.join(", ", MODELS));
        check(OPTIMIZERS.contains(s.optimizerName()), "optimizerName " + s.optimizerName() + ": expected "
                + String.join(", ", OPTIMIZERS));
        check(s.activation() != null, "activation: expected LECUN_TANH, RELU or SILU");
        check(s.padSize() >= 3, "padSize must be at least 3: " + s.padSize());
        check(s.trainSize() > 0 && s.testSize() > 0 && s.epochs() > 0 && s.batch() > 0 && s.hidden() > 0
                && s.backboneUnits() > 0 && s.evaluations() > 0 && s.backboneLayers() >= 0, "trainSize, testSize, "
                + "epochs, batch, hidden, backboneUnits and evaluations must be positive and backboneLayers not "
                + "negative");
        check(s.learningRate() > 0 && Double.isFinite(s.learningRate()), "learningRate must be positive: "
                + s.learningRate());
        check(s.learningRateDecay() > 0 && s.learningRateDecay() <= 1, "learningRateDecay " + s.learningRateDecay()
                + ": above 0 and at most 1");
        check(s.clipNorm() >= 0 && Double.isFinite(s.clipNorm()), "clipNorm must be 0 or more: " + s.clipNorm());
        check(s.weightDecay() >= 0 && Double.isFinite(s.weightDecay()), "weightDecay must be 0 or more: "
                + s.weightDecay());
        check(Double.isFinite(s.forgetBias()), "forgetBias must be finite: " + s.forgetBias());
        check(s.batch() <= s.trainSize(), "batch " + s.batch() + " is larger than trainSize " + s.trainSize());
        check(s.threads() >= 1 && s.threads() <= Math.min(s.batch(), MAX_THREADS), "threads " + s.threads()
                + ": 1 to " + Math.min(s.batch(), MAX_THREADS) + " (every thread takes a share of the batch)");
    }

    private static void check(final boolean valid, final String message) {
        if (!valid) {
            throw new IllegalArgumentException(message);
        }
    }

    @Override
    public XorResult run(final XorSettings settings, final Progress progress, final Checkpoints checkpoints) {
        validate(settings);
        try (XorRun run = new XorRun(settings)) {
            return continueRun(run, progress, checkpoints, () -> { });
        }
    }

    /**
     * Trains a new or restored run to its epochs.
     *
     * @param run             the run (new, or restored with {@link XorRun#readState})
     * @param progress        progress receiver
     * @param checkpoints     receives the run after every epoch
     * @param afterEvaluation called after every test evaluation during training (the command line rewrites its
     *                        curves, figure and model there)
     * @return the result
     */
    public XorResult continueRun(final XorRun run, final Progress progress, final Checkpoints checkpoints,
                                 final Runnable afterEvaluation) {
        final long total = (long) run.settings().trainSize() * run.settings().epochs();
        run.run((done, loss, acc, testAcc) -> progress.update(done, total, Map.of("loss", loss, "accuracy", acc,
                "testAccuracy", testAcc)), progress::stopRequested, afterEvaluation, () -> checkpoints.save(run));
        final RunStatus status = run.failure() != null ? RunStatus.FAILED
                : run.steps() < run.totalSteps() ? RunStatus.INTERRUPTED : RunStatus.SUCCESS;
        final String message = run.failure() != null ? run.failure()
                : status == RunStatus.INTERRUPTED ? "stopped at step " + run.steps() + " of " + run.totalSteps()
                : null;
        final List<XorResult.CurvePoint> curve = new ArrayList<>();
        for (final double[] r : run.curves()) {
            curve.add(new XorResult.CurvePoint((long) r[0], (long) r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8]));
        }
        return new XorResult(run.settings(), status, message, run.model().parameters().size(), run.steps(),
                run.samples(), run.epochsDone(), run.lastLoss(), run.lastAccuracy(), run.testAccuracy(),
                run.testLoss(), run.bestTestAccuracy(), List.copyOf(curve), run.trainSeconds());
    }
}
