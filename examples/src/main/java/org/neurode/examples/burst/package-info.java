/**
 * {@code neurode burst-xor}: the spiking XOR network of Payeur et al. 2021 with burst-dependent plasticity. Units:
 * time in ms (examples' durations), rates in Hz, currents in pA, wall-clock time in s.
 */
package org.neurode.examples.burst;
