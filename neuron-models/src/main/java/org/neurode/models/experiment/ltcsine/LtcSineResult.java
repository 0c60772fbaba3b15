package org.neurode.models.experiment.ltcsine;

import java.util.List;

import org.neurode.models.experiment.RunStatus;

/**
 * What an LTC sine run ({@link LtcSine}) measured. Losses that are not finite are NaN or infinite here (the
 * command line writes them as null).
 *
 * @param settings             the settings of the run
 * @param status               how it ended
 * @param message              why it failed or stopped (null on success)
 * @param wiringKind           the wiring's kind (for example {@code ncp})
 * @param units                neurons
 * @param synapses             synapses between neurons
 * @param sensorySynapses      synapses from the inputs
 * @param parameters           trainable parameters
 * @param optimizer            the optimizer with its hyper-parameters
 * @param steps                optimizer steps done
 * @param initialLoss          loss of the first step (the final loss if no step was done)
 * @param lastStepLoss         loss of the last step done (the final loss if none)
 * @param finalLoss            loss of the trained network
 * @param minLoss              smallest step loss (infinite if no step was done)
 * @param losses               one point per step (and the failed step, with gradient norm 0)
 * @param fit                  the trained network's output on the sequence
 * @param trainSeconds         wall time of the steps (s; not reproducible)
 * @param forwardSeconds       forward time per step (s; not reproducible)
 * @param backwardSeconds      backward time per step (s; not reproducible)
 * @param backwardForwardRatio backward / forward time (NaN if no forward time was measured)
 * @since 0.2
 */
public record LtcSineResult(LtcSineSettings settings, RunStatus status, String message, String wiringKind, int units,
                            int synapses, int sensorySynapses, int parameters, String optimizer, int steps,
                            double initialLoss, double lastStepLoss, double finalLoss, double minLoss,
                            List<LossPoint> losses, List<FitPoint> fit, double trainSeconds, double forwardSeconds,
                            double backwardSeconds, double backwardForwardRatio) {

    /**
     * One optimizer step (a row of {@code loss.csv}).
     *
     * @param step         step, from 1
     * @param loss         mean squared error before the update
     * @param gradientNorm gradient norm before clipping
     */
    public record LossPoint(int step, double loss, double gradientNorm) {
    }

    /**
     * One point of the sequence with the trained network's output.
     *
     * @param sample index (elapsed time 1 each)
     * @param sinT   input sin t
     * @param cosT   input cos t
     * @param target target sin 2t
     * @param output the network's output
     */
    public record FitPoint(int sample, double sinT, double cosT, double target, double output) {
    }
}
