/**
 * Solvers behind one {@link org.neurode.solvers.Solver} interface: Hipparchus' integrators through private
 * adapters (their Euler and RK4 as {@code hipparchus-euler} and {@code hipparchus-rk4}) and neurode's own
 * methods (forward Euler and classical RK4 at fixed steps, exponential, semi-implicit and stochastic Euler,
 * adaptive Runge-Kutta pairs, stiff methods). Times are in the model's time
 * unit (ms for built-in neuron models); tolerances are in the units of the state variables.
 */
package org.neurode.solvers;
