/**
 * Commands of the burst-multiplexing circuits of Payeur, Guerguiev, Zenke, Richards and Naud (2021, Nat. Neurosci.
 * 24:1010): {@code neurode multiplex} (their Fig. 3) and {@code neurode burst-xor} (their Fig. 4, the XOR network
 * with burst-dependent plasticity). Times in ms, currents in pA, rates in Hz, wall-clock time in s.
 */
package org.neurode.examples.burst;
