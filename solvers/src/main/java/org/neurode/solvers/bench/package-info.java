/**
 * Benchmark support: baselines run in the same process as neurode's solvers so that costs are reported as
 * ratios. Times in the model's unit (ms for neuron models).
 */
package org.neurode.solvers.bench;
