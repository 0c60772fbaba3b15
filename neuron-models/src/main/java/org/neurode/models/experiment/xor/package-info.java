/**
 * The bit-stream XOR benchmark of the CfC paper (Hasani et al. 2022) as an experiment
 * ({@link org.neurode.models.experiment.xor.Xor}).
 */
package org.neurode.models.experiment.xor;
