package org.neurode.models.experiment.xor;

import org.neurode.models.cfc.CfcCell;

/**
 * Settings of a bit-stream XOR run ({@link Xor}).
 *
 * @param model             cfc, cfc-nogate, cfc-pure, cfc-mixed or ltc
 * @param eventBased        event-based sequences
 * @param padSize           pad size
 * @param trainSize         training sequences
 * @param testSize          test sequences
 * @param epochs            epochs
 * @param batch             batch size
 * @param learningRate      Adam learning rate
 * @param learningRateDecay factor per epoch
 * @param clipNorm          gradient-norm clip (0: none)
 * @param hidden            hidden units
 * @param backboneUnits     CfC backbone units
 * @param backboneLayers    CfC backbone layers
 * @param seed              seed of the weights and batch order
 * @param evaluations       test evaluations during training (besides the final one)
 * @param optimizerName     {@code adam} or {@code rmsprop}
 * @param activation        CfC backbone activation
 * @param weightDecay       L2 factor on the weight matrices except the output layer's (Keras'
 *                          {@code kernel_regularizer=L2(weightDecay)}: adds {@code 2 weightDecay w} to the
 *                          gradient); 0 for none
 * @param threads           threads sharing each minibatch (each a fixed contiguous slice, gradients summed in
 *                          slice order: the same numbers for the same thread count)
 * @param forgetBias        forget-gate bias of the mixed-memory LSTM (cfc-mixed)
 * @since 0.2
 */
public record XorSettings(String model, boolean eventBased, int padSize, int trainSize, int testSize, int epochs,
                          int batch, double learningRate, double learningRateDecay, double clipNorm, int hidden,
                          int backboneUnits, int backboneLayers, long seed, int evaluations, String optimizerName,
                          CfcCell.Activation activation, double weightDecay, int threads, double forgetBias) {
}
