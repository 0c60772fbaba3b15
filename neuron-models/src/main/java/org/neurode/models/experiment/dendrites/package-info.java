/**
 * The spiking segregated-dendrite network of Guerguiev, Lillicrap and Richards (2017, eLife 6:e22901) trained on
 * Fashion-MNIST, as an experiment
 * ({@link org.neurode.models.experiment.dendrites.SegregatedDendritesExperiment}).
 */
package org.neurode.models.experiment.dendrites;
