package org.neurode.examples.io;

/**
 * The solve options of a run as written to {@code results.json}.
 *
 * @param stepControl    {@code fixed} or {@code adaptive}
 * @param step           step size of a fixed-step method (ms); absent for adaptive methods
 * @param rtol           relative tolerance of an adaptive method; absent for fixed-step methods
 * @param atol           absolute tolerance of an adaptive method; absent when derived from the layout
 *                       scales or for fixed-step methods
 * @param atolFromScales true if the absolute tolerances are {@code rtol} times each variable's scale
 *                       (adaptive methods only; absent otherwise)
 * @param recordEvery    sampling interval of the recorded variables (ms)
 * @param seed           seed of the run's random numbers (noise, random initial weights and inputs)
 * @param maxEvaluations right-hand-side evaluation budget
 * @since 0.1
 */
public record SolveOptionsJson(String stepControl, Double step, Double rtol, Double atol, Boolean atolFromScales,
                               double recordEvery, long seed, long maxEvaluations) {
}
