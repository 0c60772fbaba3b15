package org.neurode.models.experiment.burst;

import java.util.ArrayList;
import java.util.List;

import org.neurode.models.burst.BurstXor;
import org.neurode.models.experiment.Checkpoints;
import org.neurode.models.experiment.Experiment;
import org.neurode.models.experiment.Progress;
import org.neurode.models.experiment.RunStatus;

/**
 * The spiking XOR network of Payeur, Guerguiev, Zenke, Richards and Naud (2021, Nat. Neurosci. 24:1010, Fig. 4)
 * trained with burst-dependent plasticity, as an experiment: {@link BurstXor} (five populations of BurstPoisson
 * neurons), a burn-in without plasticity, a test pass over the four patterns, {@code examples} training examples in
 * the order (0,0), (1,0), (0,1), (1,1), a final test pass ({@link BurstXorRun}). The paper ran 2,000 examples of
 * 8 s at N = 500; the defaults keep its 8-s examples and run 60 epochs at N = 250 with the learning rates x3.
 *
 * <p>Progress counts tests and training examples ({@code 2 x 4 + examples}) and reports {@code cost}, the mean
 * cost of the last epoch (NaN before the first). The run is handed to {@link Checkpoints} after the test before
 * training and after every epoch; {@link BurstXorRun#restore} continues from that state with exactly the numbers
 * of an uninterrupted run. A stop request ends the run before the next test or training example (the last
 * checkpoint is where a resumed run continues) with status {@link RunStatus#INTERRUPTED}; a blow-up of the
 * integration ends it with status {@link RunStatus#FAILED}.
 *
 * @since 0.7
 */
public final class BurstXorExperiment implements Experiment<BurstXorSettings, BurstXorResult> {

    /** The experiment. */
    public static final BurstXorExperiment INSTANCE = new BurstXorExperiment();
    /** Its kind. */
    public static final String KIND = "burst-xor";

    private BurstXorExperiment() {
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Class<BurstXorSettings> settingsType() {
        return BurstXorSettings.class;
    }

    /**
     * @return the command line's default run: N = 250 (connection probability 0.4, the paper's 100 synapses per
     *         target), 240 examples (60 epochs) of 8,000 ms, the paper's learning rates x3, a burn-in of 6,000 ms,
     *         model seed 1, seed 1
     */
    @Override
    public BurstXorSettings defaults() {
        return new BurstXorSettings(250, 240, 8000, 3, 6000, 1, 1);
    }

    @Override
    public void check(final BurstXorSettings settings) {
        validate(settings);
    }

    /**
     * Checks the settings beyond their types.
     *
     * @param s settings
     * @throws IllegalArgumentException naming the first field that is out of range
     */
    public static void validate(final BurstXorSettings s) {
        final int patterns = BurstXor.PATTERNS.length;
        check(s.neurons() >= 2, "neurons must be at least 2: " + s.neurons());
        check(s.examples() > 0 && s.examples() % patterns == 0, "examples " + s.examples() + ": a positive "
                + "multiple of " + patterns + " (whole epochs of the four patterns)");
        check(s.durex() > 0 && Double.isFinite(s.durex()), "durex must be finite and positive (ms): " + s.durex());
        check(s.etaFactor() >= 0 && Double.isFinite(s.etaFactor()), "etaFactor must be finite and not negative: "
                + s.etaFactor());
        check(s.burnIn() > 0 && Double.isFinite(s.burnIn()), "burnIn must be finite and positive (ms): "
                + s.burnIn());
    }

    private static void check(final boolean valid, final String message) {
        if (!valid) {
            throw new IllegalArgumentException(message);
        }
    }

    @Override
    public BurstXorResult run(final BurstXorSettings settings, final Progress progress,
                              final Checkpoints checkpoints) {
        return continueRun(new BurstXorRun(settings), progress, checkpoints);
    }

    /**
     * Runs a new or restored run to its end (or to a stop request or a blow-up).
     *
     * @param run         the run (new, or from {@link BurstXorRun#restore})
     * @param progress    progress receiver, polled for stopping before every test and training example
     * @param checkpoints receives the run after the test before training and after every epoch
     * @return the result
     */
    public BurstXorResult continueRun(final BurstXorRun run, final Progress progress, final Checkpoints checkpoints) {
        run.run(progress, checkpoints);
        final RunStatus status = run.failure() != null ? RunStatus.FAILED
                : run.done() < run.total() ? RunStatus.INTERRUPTED : RunStatus.SUCCESS;
        final String message = run.failure() != null ? run.failure()
                : status == RunStatus.INTERRUPTED ? "stopped after " + run.examplesDone() + " of "
                                                    + run.settings().examples() + " examples" : null;
        return result(run, status, message);
    }

    private static BurstXorResult result(final BurstXorRun run, final RunStatus status, final String message) {
        final double[] rb = run.rateBefore();
        final double[] ra = run.rateAfter();
        final double[] tb = run.traceBefore();
        final double[] ta = run.traceAfter();
        final List<BurstXorResult.PatternRates> patterns = new ArrayList<>();
        for (int p = 0; p < BurstXor.PATTERNS.length; p++) {
            final int[] in = BurstXor.PATTERNS[p];
            patterns.add(new BurstXorResult.PatternRates(p, in[0], in[1], in[0] ^ in[1], rb[p], ra[p], tb[p], ta[p]));
        }
        final double[] cost = run.costPerEpoch();
        final List<BurstXorResult.EpochCost> costs = new ArrayList<>();
        for (int e = 0; e < cost.length; e++) {
            costs.add(new BurstXorResult.EpochCost(e + 1, cost[e]));
        }
        return new BurstXorResult(run.settings(), status, message, run.examplesDone(), List.copyOf(patterns),
                List.copyOf(costs), xorMargin(ra), run.simulatedSeconds(), run.runSeconds());
    }

    /**
     * @param rateAfter the output's event rate per pattern after training (Hz)
     * @return the lower of the rates for (1,0) and (0,1) minus the higher of those for (0,0) and (1,1) (Hz)
     */
    public static double xorMargin(final double[] rateAfter) {
        return Math.min(rateAfter[1], rateAfter[2]) - Math.max(rateAfter[0], rateAfter[3]);
    }
}
