package org.neurode.models.experiment.nodespiral;

/**
 * Settings of a neural-ODE spiral run ({@link NodeSpiral}).
 *
 * @param iterations   optimizer steps
 * @param solver       integration method: dop853, tsit5, vern6..vern9 (adaptive) or rk4 (fixed step)
 * @param rtol         relative tolerance of the adaptive methods
 * @param atol         absolute tolerance of the adaptive methods
 * @param step         step of rk4 (required with it, null for the adaptive methods): at most the sample spacing
 *                     25/999 and at least 2.5e-6
 * @param gradient     backprop (through the solver steps) or adjoint (continuous adjoint)
 * @param batchSize    windows per step
 * @param batchTime    samples per window, at least 2
 * @param learningRate RMSprop learning rate
 * @param testEvery    steps between tests on the full trajectory
 * @param seed         seed of the initial weights and of the windows ({@code java.util.Random}, one stream)
 * @since 0.2
 */
public record NodeSpiralSettings(int iterations, String solver, double rtol, double atol, Double step,
                                 String gradient, int batchSize, int batchTime, double learningRate, int testEvery,
                                 long seed) {
}
