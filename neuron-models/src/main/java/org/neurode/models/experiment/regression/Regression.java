package org.neurode.models.experiment.regression;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;

import org.neurode.core.OdeException;
import org.neurode.models.experiment.Checkpoints;
import org.neurode.models.experiment.Experiment;
import org.neurode.models.experiment.Progress;
import org.neurode.models.experiment.RunStatus;

/**
 * The teacher-student nonlinear regression of Sacramento et al. (2018, Fig. 2) as an experiment: the dendritic
 * microcircuit, the shallow learner and a backprop network learn the same teacher from the same patterns and
 * noise ({@link RegressionRun}). Progress counts patterns and reports {@code testError}, the microcircuit's moving
 * average; checkpoints are taken every {@link Checkpoints#intervalSeconds()} and at the end, and hand over the
 * {@link RegressionRun}, whose state {@link RegressionRun#restore} continues with exactly the numbers of an
 * uninterrupted run.
 *
 * @since 0.2
 */
public final class Regression implements Experiment<RegressionSettings, RegressionResult> {

    /** The experiment. */
    public static final Regression INSTANCE = new Regression();
    /** Its kind. */
    public static final String KIND = "regression";

    private Regression() {
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Class<RegressionSettings> settingsType() {
        return RegressionSettings.class;
    }

    /**
     * @return the command line's default run: seed 1, exponential Euler at 0.5 ms, 30,000 patterns, a test point
     *         every 10, learning rates x100, 100 held-out patterns measured every 1,000
     */
    /**
     * The default step of each solver: the largest at which the default run (learning rates x100, 30,000 patterns)
     * ends with held-out errors within the seed spread of the papers' protocol, Euler-Maruyama at 0.1 ms (measured
     * on seeds 1-3, docs/microcircuit.md), and the papers' own step for Euler-Maruyama.
     *
     * @param solver a solver of {@link RegressionSettings#SOLVERS}
     * @return its default step (ms)
     */
    public static double defaultStep(final String solver) {
        return switch (solver) {
            case "exponential-euler" -> 0.5;
            case "exponential-trapezoid" -> 2.0;
            default -> 0.1;
        };
    }

    /**
     * @return the settings with {@code dt} at the solver's {@link #defaultStep} unless given, and
     *         {@code heldOutEvery} at {@link RegressionSettings#defaultHeldOutEvery} of {@code heldOut} unless
     *         given, as the {@code regression} command sets them
     */
    @Override
    public RegressionSettings completed(final RegressionSettings settings, final java.util.Set<String> given) {
        RegressionSettings s = settings;
        if (!given.contains("dt") && s.dt() != defaultStep(s.solver())) {
            s = s.withDt(defaultStep(s.solver()));
        }
        final int every = RegressionSettings.defaultHeldOutEvery(s.heldOut());
        if (!given.contains("heldOutEvery") && s.heldOutEvery() != every) {
            s = s.withHeldOutEvery(every);
        }
        return s;
    }

    @Override
    public RegressionSettings defaults() {
        return new RegressionSettings(1, "exponential-euler", 0.5, 30_000, 10,
                RegressionSettings.DEFAULT_LEARNING_RATE_SCALE, RegressionSettings.DEFAULT_BACKPROP_RATE, 50, 20,
                RegressionSettings.DEFAULT_HELD_OUT, 100.0, RegressionSettings.DEFAULT_EMA_ALPHA);
    }

    @Override
    public RegressionResult run(final RegressionSettings settings, final Progress progress,
                                final Checkpoints checkpoints) {
        if (!RegressionSettings.SOLVERS.contains(settings.solver())) {
            throw new IllegalArgumentException("solver " + settings.solver() + ": the regression needs a stochastic "
                    + "fixed-step solver, one of " + String.join(", ", RegressionSettings.SOLVERS));
        }
        return continueRun(RegressionRun.start(settings), progress, checkpoints, null);
    }

    /**
     * Trains a started or restored run to its {@code patterns}.
     *
     * @param run         the run ({@link RegressionRun#start} or {@link RegressionRun#restore})
     * @param progress    progress receiver
     * @param checkpoints checkpoint receiver
     * @param helper      executor that trains the shallow learner beside the microcircuit (the same numbers; null:
     *                    one thread)
     * @return the result
     */
    public RegressionResult continueRun(final RegressionRun run, final Progress progress,
                                        final Checkpoints checkpoints, final ExecutorService helper) {
        final long startedAt = run.done();
        final long total = run.settings().patterns();
        final double interval = checkpoints.intervalSeconds();
        final long every = interval * 1e9 >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) (interval * 1e9);
        final long trainStart = System.nanoTime();
        RunStatus status = RunStatus.SUCCESS;
        String message = null;
        try {
            run.runTo(helper, progress::stopRequested,
                    (done, err) -> progress.update(done, total, Map.of("testError", err)), every,
                    checkpoints::save);
        } catch (OdeException e) {
            // a blow-up (too large learning rates or step): keep what was computed
            status = RunStatus.FAILED;
            message = e.getMessage() + " (at pattern " + (run.done() + 1) + ")";
        }
        final double trainSeconds = (System.nanoTime() - trainStart) * 1e-9;
        if (message == null && run.done() < total) {
            status = RunStatus.INTERRUPTED;
            message = "stopped at pattern " + run.done() + " of " + total;
        }
        final double[] heldOut = message == null ? run.finalHeldOut()
                : new double[] {Double.NaN, Double.NaN, Double.NaN};
        return result(run, status, message, startedAt, heldOut, trainSeconds);
    }

    /**
     * @param run          a run
     * @param status       how it ended
     * @param message      why it failed or stopped
     * @param startedAt    patterns done when the session started
     * @param finalHeldOut the final held-out errors
     * @param trainSeconds wall time of the training
     * @return its result
     */
    static RegressionResult result(final RegressionRun run, final RunStatus status, final String message,
                                   final long startedAt, final double[] finalHeldOut, final double trainSeconds) {
        final List<double[]> rows = run.curves();
        final List<RegressionResult.CurvePoint> curve = new ArrayList<>(rows.size());
        for (final double[] r : rows) {
            curve.add(new RegressionResult.CurvePoint((long) r[0], RegressionResult.Errors.of(r, 1),
                    RegressionResult.Errors.of(r, 4), r[7], r[8], r[9]));
        }
        final List<RegressionResult.HeldOutPoint> heldOut = new ArrayList<>();
        for (final double[] r : run.heldOutCurve()) {
            heldOut.add(new RegressionResult.HeldOutPoint((long) r[0], RegressionResult.Errors.of(r, 1)));
        }
        final double[] first = rows.get(0);
        final double[] last = rows.get(rows.size() - 1);
        return new RegressionResult(run.settings(), status, message, run.done(), startedAt,
                RegressionResult.Errors.of(first, 1), RegressionResult.Errors.of(run.ema(), 0),
                RegressionResult.Errors.of(run.initialHeldOut(), 0), RegressionResult.Errors.of(finalHeldOut, 0),
                last[7], last[8], last[9], List.copyOf(curve), List.copyOf(heldOut), trainSeconds);
    }
}
