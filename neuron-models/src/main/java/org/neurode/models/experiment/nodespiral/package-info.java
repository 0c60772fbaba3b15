/**
 * torchdiffeq's spiral demo with a neural ODE as an experiment
 * ({@link org.neurode.models.experiment.nodespiral.NodeSpiral}).
 */
package org.neurode.models.experiment.nodespiral;
