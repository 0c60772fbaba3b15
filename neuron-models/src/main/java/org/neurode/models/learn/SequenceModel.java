package org.neurode.models.learn;

/**
 * A recurrent model over sampled sequences (LTC, CfC, CT-RNN cells with their input and output maps),
 * trained by backpropagation through time: {@link #forward} keeps what {@link #backward} needs.
 *
 * <p>Per step {@code k} the model reads {@code inputs[k]} (held constant over the step), advances its
 * hidden state over the elapsed time {@code elapsed[k]} (irregular sampling: one value per step, in the
 * model's time unit; 1 when {@code null}) and writes {@code outputs[k]}.
 *
 * @since 0.2
 */
public interface SequenceModel {

    /** @return a short name, e.g. {@code ltc} */
    String name();

    /** @return the trainable parameters (values and accumulated gradient) */
    ParameterVector parameters();

    /** @return input features per step */
    int inputSize();

    /** @return outputs per step */
    int outputSize();

    /**
     * Runs one sequence from the zero hidden state and records the activations of every step.
     *
     * @param inputs  inputs, {@code [steps][inputSize]} (not modified)
     * @param elapsed elapsed time of each step, or {@code null} for 1
     * @param outputs outputs, {@code [steps][outputSize]} (written)
     */
    void forward(double[][] inputs, double[] elapsed, double[][] outputs);

    /**
     * Reverse mode through the last {@link #forward}: adds \( \partial L / \partial \theta \) to
     * {@link ParameterVector#gradient()} (it is not cleared here).
     *
     * @param outputGradient \( \partial L / \partial \mathrm{outputs} \), {@code [steps][outputSize]}
     */
    void backward(double[][] outputGradient);
}
