/**
 * Learning rules compared on the same tasks, seeds and budget, as an experiment
 * ({@link org.neurode.models.experiment.learning.CompareLearning}).
 */
package org.neurode.models.experiment.learning;
