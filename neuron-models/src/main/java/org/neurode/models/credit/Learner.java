package org.neurode.models.credit;

/**
 * A learner of a supervised task that trains on one pattern at a time (online learning, as the biologically
 * motivated rules do) and predicts. Implementations are not thread-safe; give each thread its own learner.
 *
 * @since 0.1
 */
public interface Learner {

    /** @return the rule's name as the command line spells it, e.g. {@code feedback-alignment} */
    String rule();

    /** @return the input size */
    int inputs();

    /** @return the output size */
    int outputs();

    /**
     * Trains on one pattern.
     *
     * @param input  input (not modified)
     * @param target target output: values for regression, a one-hot vector for classification (not modified)
     */
    void train(double[] input, double[] target);

    /**
     * Predicts without learning.
     *
     * @param input  input (not modified)
     * @param output prediction (modified; {@link #outputs()} values)
     */
    void predict(double[] input, double[] output);

    /**
     * The angle between this rule's update of the first hidden layer on the latest pattern and the update
     * backprop would have made from the same weights on the same pattern (the measure of Lillicrap et al. 2016,
     * Fig. 2).
     *
     * @return the angle in degrees, or NaN if the rule does not update a hidden layer or no pattern was trained
     */
    double hiddenUpdateAngle();

    /** @return the learner's trainable state as one array (a copy), for checkpoints */
    double[] state();

    /**
     * Restores a state returned by {@link #state()}.
     *
     * @param state the state (not modified)
     * @throws IllegalArgumentException if its length is not this learner's
     */
    void restore(double[] state);
}
