package org.neurode.models.experiment.xor;

import java.util.List;

import org.neurode.models.experiment.RunStatus;

/**
 * What a bit-stream XOR run ({@link Xor}) measured.
 *
 * @param settings         the settings of the run
 * @param status           how it ended
 * @param message          why it failed or stopped (null on success)
 * @param parameters       trainable parameters of the network
 * @param steps            optimizer steps done
 * @param samples          training sequences done
 * @param epochsDone       epochs completed
 * @param finalLoss        mean training loss of the last logging interval
 * @param finalAccuracy    training accuracy of the last logging interval
 * @param testAccuracy     accuracy on the whole test set at the end
 * @param testLoss         mean loss on the test set at the end
 * @param bestTestAccuracy best test accuracy of all evaluations
 * @param curve            one point per logging interval (50 per epoch) and test evaluation
 * @param trainSeconds     wall time of the training, evaluations excluded (s; not reproducible)
 * @since 0.2
 */
public record XorResult(XorSettings settings, RunStatus status, String message, int parameters, long steps,
                        long samples, int epochsDone, double finalLoss, double finalAccuracy, double testAccuracy,
                        double testLoss, double bestTestAccuracy, List<CurvePoint> curve, double trainSeconds) {

    /**
     * One logged point (a row of {@code curves.csv}).
     *
     * @param step          optimizer steps done
     * @param samples       training sequences done
     * @param epoch         epochs done, fractional
     * @param trainLoss     mean training loss of the interval
     * @param trainAccuracy training accuracy of the interval
     * @param testAccuracy  test accuracy if the test set was evaluated here, else NaN
     * @param testLoss      test loss if the test set was evaluated here, else NaN
     * @param learningRate  learning rate at this point
     * @param seconds       training time up to here (s; not reproducible)
     */
    public record CurvePoint(long step, long samples, double epoch, double trainLoss, double trainAccuracy,
                             double testAccuracy, double testLoss, double learningRate, double seconds) {
    }
}
