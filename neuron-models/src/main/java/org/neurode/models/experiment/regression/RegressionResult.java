package org.neurode.models.experiment.regression;

import java.util.List;

import org.neurode.models.experiment.RunStatus;

/**
 * What a regression run ({@link Regression}) measured. Test errors are squared output-rate errors on noise-free
 * patterns; the moving average of single fresh test patterns starts at the held-out mean before training.
 *
 * @param settings            the settings of the run
 * @param status              how it ended
 * @param message             why it failed or stopped (null on success)
 * @param done                patterns trained in total
 * @param startedAt           patterns done when this session started (0 for a fresh run, more for a resumed one)
 * @param initialTestError    the moving averages at the first curve point (the held-out means before training)
 * @param finalTestError      the moving averages at the end
 * @param initialHeldOut      held-out errors before training
 * @param finalHeldOut        held-out errors at the end (NaN if the run failed or was stopped)
 * @param apicalMismatch      |vA1|^2 at the last curve point
 * @param interneuronMismatch |u2 - uI1|^2 at the last curve point
 * @param alignmentAngleDeg   angle between W2^T and B1 at the last curve point (degrees)
 * @param curve               one point per test point (and the start)
 * @param heldOut             the held-out curve: at the start, every {@code heldOutEvery} patterns and at the end
 *                            (unless the run failed or was stopped)
 * @param trainSeconds        wall time of this session's training (s; not reproducible)
 * @since 0.2
 */
public record RegressionResult(RegressionSettings settings, RunStatus status, String message, long done,
                               long startedAt, Errors initialTestError, Errors finalTestError, Errors initialHeldOut,
                               Errors finalHeldOut, double apicalMismatch, double interneuronMismatch,
                               double alignmentAngleDeg, List<CurvePoint> curve, List<HeldOutPoint> heldOut,
                               double trainSeconds) {

    /**
     * Errors of the three learners.
     *
     * @param microcircuit the dendritic microcircuit
     * @param shallow      the shallow learner (the microcircuit with the hidden layer's forward learning off)
     * @param backprop     the rate network trained with backprop
     */
    public record Errors(double microcircuit, double shallow, double backprop) {

        static Errors of(final double[] e, final int from) {
            return new Errors(e[from], e[from + 1], e[from + 2]);
        }
    }

    /**
     * One test point (a row of {@code curves.csv}).
     *
     * @param pattern             patterns trained
     * @param testError           moving averages of the test errors
     * @param testErrorSample     the errors of this point's single test pattern
     * @param apicalMismatch      |vA1|^2
     * @param interneuronMismatch |u2 - uI1|^2
     * @param alignmentAngleDeg   angle between W2^T and B1 (degrees)
     */
    public record CurvePoint(long pattern, Errors testError, Errors testErrorSample, double apicalMismatch,
                             double interneuronMismatch, double alignmentAngleDeg) {
    }

    /**
     * One measurement of the held-out set (a row of {@code heldout.csv}).
     *
     * @param pattern patterns trained
     * @param error   mean errors over the held-out set
     */
    public record HeldOutPoint(long pattern, Errors error) {
    }
}
