/**
 * Learning tasks and measurements for the models of {@link org.neurode.models}: the teacher network of
 * the Sacramento et al. (2018) nonlinear regression and the self-prediction and alignment measures of a
 * {@link org.neurode.models.Microcircuit} state. Units: dimensionless potentials and rates (rest 0),
 * angles in degrees.
 */
package org.neurode.models.tasks;
