/**
 * The burst-multiplexing experiments of Payeur, Guerguiev, Zenke, Richards and Naud (2021, Nat. Neurosci.
 * 24:1010) as library calls: the multiplexing circuit of their Fig. 3
 * ({@link org.neurode.models.experiment.burst.Multiplex}, kind {@code multiplex}) and the spiking XOR network of
 * their Fig. 4 trained with burst-dependent plasticity
 * ({@link org.neurode.models.experiment.burst.BurstXorExperiment}, kind {@code burst-xor}). Times in ms, currents
 * in pA, rates in Hz, wall-clock times in s.
 */
package org.neurode.models.experiment.burst;
