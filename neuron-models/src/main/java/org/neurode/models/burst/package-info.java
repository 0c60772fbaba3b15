/**
 * Burst multiplexing and burst-dependent plasticity (Payeur, Guerguiev, Zenke, Richards &amp; Naud 2021, Nat.
 * Neurosci. 24:1010), written in the model language: the BurstPoisson neuron with its event/burst classification,
 * Poisson backgrounds, the plasticity rule of their spiking network and the XOR network of their Fig. 4. Units: time
 * in ms, potentials in mV, currents in pA, capacitances in pF, conductances relative to the leak (dimensionless),
 * rates and rate traces in Hz.
 */
package org.neurode.models.burst;
