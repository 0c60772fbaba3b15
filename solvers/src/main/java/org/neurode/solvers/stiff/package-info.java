/**
 * One-step methods for stiff problems, as {@link org.neurode.solvers.adaptive.StepMethod}s for the adaptive
 * driver {@link org.neurode.solvers.adaptive.AdaptiveSolver}. The Rosenbrock (linearly implicit) methods are
 * {@link org.neurode.solvers.stiff.Rosenbrock} with the coefficients of
 * {@link org.neurode.solvers.stiff.RosenbrockTableau}: Rodas5P (G. Steinebach, BIT Numer. Math. 63, 2023) and
 * Rodas4 (Hairer and Wanner, Solving ODEs II, Section VI.4). Each of their steps solves linear systems with
 * \( W = I/(h\gamma) - \partial f/\partial y \) (EJML's dense LU) and needs no Newton iteration; Jacobians come
 * from the equation if it supplies one, else from forward differences.
 *
 * <p>Times are in the model's time unit (ms for built-in neuron models), tolerances in the units of the state
 * variables.
 */
package org.neurode.solvers.stiff;
