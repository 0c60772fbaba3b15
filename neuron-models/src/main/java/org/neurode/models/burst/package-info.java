/**
 * Burst multiplexing: the spiking circuits of Payeur, Guerguiev, Zenke, Richards and Naud (2021, Burst-dependent
 * synaptic plasticity can coordinate learning in hierarchical circuits, Nat. Neurosci. 24:1010) and of Naud and
 * Sprekeler (2018, Sparse bursts optimize information transmission in a multiplexed neural code, PNAS
 * 115:E6329), written as fragments of neurode's model language: the two-compartment pyramidal neuron whose
 * dendrite drives bursts ({@link org.neurode.models.burst.BurstNeuron}), AdEx interneurons
 * ({@link org.neurode.models.burst.Interneuron}), the event/burst classification of a population's spikes
 * ({@link org.neurode.models.burst.BurstDetection}) and the Fig. 3 multiplexing circuit
 * ({@link org.neurode.models.burst.MultiplexCircuit}); the simplified BurstPoisson neuron, Poisson backgrounds and
 * the burst-dependent plasticity of their spiking network ({@link org.neurode.models.burst.BurstPoisson}) and
 * their Fig. 4 XOR network ({@link org.neurode.models.burst.BurstXor}).
 *
 * <p>Units, as in the authors' code: time in ms, potentials in mV, currents in pA, capacitances in pF, synaptic
 * conductances dimensionless (in units of the leak conductance), rates in Hz where named so. The models are
 * unit-free in the model language's sense (numbers in these units).
 */
package org.neurode.models.burst;
