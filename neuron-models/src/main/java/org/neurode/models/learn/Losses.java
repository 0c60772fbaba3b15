package org.neurode.models.learn;

/**
 * Losses over sequences of outputs with their gradients, in the conventions of PyTorch.
 *
 * @since 0.2
 */
public final class Losses {

    private Losses() {
    }

    /**
     * Mean squared error over all elements, {@code torch.nn.MSELoss()} (mean reduction).
     *
     * @param outputs  predictions {@code [steps][k]}
     * @param targets  targets of the same shape
     * @param gradient \( \partial L/\partial \mathrm{outputs} \) (written; same shape), or null
     * @return the loss
     */
    public static double meanSquaredError(final double[][] outputs, final double[][] targets,
                                          final double[][] gradient) {
        int count = 0;
        for (final double[] row : outputs) {
            count += row.length;
        }
        double sum = 0.0;
        for (int s = 0; s < outputs.length; s++) {
            for (int j = 0; j < outputs[s].length; j++) {
                final double d = outputs[s][j] - targets[s][j];
                sum += d * d;
                if (gradient != null) {
                    gradient[s][j] = 2.0 * d / count;
                }
            }
        }
        return sum / count;
    }

    /**
     * Mean absolute error over all elements, {@code torch.mean(torch.abs(pred - true))} (the loss of
     * torchdiffeq's spiral demo); the gradient at zero difference is taken as 0.
     *
     * @param outputs  predictions {@code [steps][k]}
     * @param targets  targets of the same shape
     * @param gradient \( \partial L/\partial \mathrm{outputs} \) (written), or null
     * @return the loss
     */
    public static double meanAbsoluteError(final double[][] outputs, final double[][] targets,
                                           final double[][] gradient) {
        int count = 0;
        for (final double[] row : outputs) {
            count += row.length;
        }
        double sum = 0.0;
        for (int s = 0; s < outputs.length; s++) {
            for (int j = 0; j < outputs[s].length; j++) {
                final double d = outputs[s][j] - targets[s][j];
                sum += Math.abs(d);
                if (gradient != null) {
                    gradient[s][j] = Math.signum(d) / count;
                }
            }
        }
        return sum / count;
    }

    /**
     * Softmax cross-entropy of one logit vector against a class, {@code torch.nn.CrossEntropyLoss} for one
     * sample; numerically stable (max subtracted).
     *
     * @param logits   logits (not modified)
     * @param label    the true class
     * @param gradient \( \partial L/\partial \mathrm{logits} \) (written; same length), or null
     * @return the loss
     */
    public static double softmaxCrossEntropy(final double[] logits, final int label, final double[] gradient) {
        double max = Double.NEGATIVE_INFINITY;
        for (final double z : logits) {
            max = Math.max(max, z);
        }
        double sum = 0.0;
        for (final double z : logits) {
            sum += Math.exp(z - max);
        }
        final double logSum = max + Math.log(sum);
        if (gradient != null) {
            for (int j = 0; j < logits.length; j++) {
                gradient[j] = Math.exp(logits[j] - logSum) - (j == label ? 1.0 : 0.0);
            }
        }
        return logSum - logits[label];
    }
}
