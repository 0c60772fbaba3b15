/**
 * The teacher-student regression of Sacramento et al. (2018, Fig. 2) as an experiment
 * ({@link org.neurode.models.experiment.regression.Regression}): the dendritic microcircuit, the shallow learner and a
 * backprop network.
 */
package org.neurode.models.experiment.regression;
