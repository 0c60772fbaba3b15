/**
 * The work-precision comparison of solvers as an experiment
 * ({@link org.neurode.models.experiment.compare.CompareSolvers}), and the neuron problems it adds to the reference
 * problems ({@link org.neurode.models.experiment.compare.NeuronProblems}).
 */
package org.neurode.models.experiment.compare;
