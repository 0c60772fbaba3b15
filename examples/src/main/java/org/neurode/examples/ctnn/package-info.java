/**
 * Experiments with continuous-time neural networks trained through their solvers: {@code ltc-sine} (the
 * ncps sine task with an LTC network), {@code xor} (the bit-stream XOR task with CfC and LTC cells) and
 * {@code node-spiral} (torchdiffeq's spiral with a neural ODE, adjoint or backpropagation). Each writes
 * {@code results.json}, the loss curve as CSV, the trained model as JSON and PNG plots of fit and loss.
 */
package org.neurode.examples.ctnn;
