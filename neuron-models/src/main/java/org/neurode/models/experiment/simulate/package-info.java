/**
 * The {@code simulate} experiment: one simulation of a built-in model or a model document with any solver
 * ({@link org.neurode.models.experiment.simulate.Simulate}), the library side of {@code neurode simulate}.
 */
package org.neurode.models.experiment.simulate;
