/**
 * Commands of the burst-multiplexing circuits of Payeur, Guerguiev, Zenke, Richards and Naud (2021, Nat. Neurosci.
 * 24:1010): {@code neurode multiplex} (their Fig. 3). Times in ms, currents in pA, rates in Hz.
 */
package org.neurode.examples.burst;
