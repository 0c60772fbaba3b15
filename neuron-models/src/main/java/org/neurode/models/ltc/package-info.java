/**
 * Liquid time-constant networks in the conductance form of ncps (Hasani et al. 2021, AAAI 35:7657; Lechner et
 * al. 2020, Nature Machine Intelligence 2:642) and the continuous-time RNN baseline: the cells
 * {@link org.neurode.models.ltc.LtcCell} and {@link org.neurode.models.ltc.CtRnnCell} (trained by
 * backpropagation through time, see {@link org.neurode.models.learn.SequenceModel}) and the synapse graphs
 * {@link org.neurode.models.ltc.Wiring}, {@link org.neurode.models.ltc.FullyConnected},
 * {@link org.neurode.models.ltc.Ncp} and {@link org.neurode.models.ltc.AutoNcp}.
 *
 * <p>Units: the neuron states, conductances, capacitances and reversal potentials are dimensionless (as in ncps);
 * time is in the unit of the elapsed times given per input step (1 per sample by default).
 */
package org.neurode.models.ltc;
