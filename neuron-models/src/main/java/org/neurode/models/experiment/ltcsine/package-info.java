/**
 * ncps' sine task with an LTC network as an experiment ({@link org.neurode.models.experiment.ltcsine.LtcSine}).
 */
package org.neurode.models.experiment.ltcsine;
