package org.neurode.examples.burst;

/**
 * The {@code results.json} of {@code neurode burst-xor} (written last).
 *
 * @param command          "burst-xor"
 * @param status           SUCCESS, INTERRUPTED (a stop request) or FAILED (the integration blew up)
 * @param message          why it stopped or failed (null, and left out, on success)
 * @param neurons          N per population
 * @param examples         training examples run
 * @param durexMs          duration of one example (ms)
 * @param etaFactor        factor on the paper's learning rates
 * @param burnInMs         burn-in without plasticity (ms)
 * @param modelSeed        seed of the connections, backgrounds and initial potentials
 * @param seed             seed of the run (burst draws)
 * @param patterns         the input patterns, in order
 * @param rateBefore       output event rate per pattern before training (Hz, second half of an example)
 * @param rateAfter        the same after training (Hz)
 * @param traceBefore      the output's mean event trace at the end of each test example before training (Hz)
 * @param traceAfter       the same after training (Hz)
 * @param costPerEpoch     mean cost of the four examples of each epoch (nats)
 * @param xorMarginHz      after training: the lower of the rates for (1,0) and (0,1) minus the higher of those for
 *                         (0,0) and (1,1) (Hz; positive when the output computes XOR)
 * @param simulatedSeconds simulated time (s)
 * @param wallSeconds      wall time of the simulation (s)
 * @param simulatedPerWall simulated seconds per wall second
 * @param settings         the settings of the run ({@code neurode run results.json} repeats it)
 */
public record BurstXorResults(String command, String status, String message, int neurons, int examples,
                              double durexMs, double etaFactor, double burnInMs, long modelSeed, long seed,
                              int[][] patterns,
                              double[] rateBefore, double[] rateAfter, double[] traceBefore, double[] traceAfter,
                              double[] costPerEpoch, double xorMarginHz, double simulatedSeconds, double wallSeconds,
                              double simulatedPerWall, java.util.Map<String, Object> settings) {
}
