/**
 * The {@code neurode regression} command: the teacher-student nonlinear regression of Sacramento, Costa,
 * Bengio and Senn (NeurIPS 2018, Fig. 2) with the dendritic microcircuit, the shallow learner and a
 * backprop rate network, with exactly resumable checkpoints. Units: time in ms, dimensionless potentials
 * and rates (rest 0), learning rates per ms, wall-clock time in s, angles in degrees.
 */
package org.neurode.examples.regression;
