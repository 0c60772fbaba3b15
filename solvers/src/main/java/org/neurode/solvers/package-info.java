/**
 * Solvers behind one {@link org.neurode.solvers.Solver} interface: Hipparchus' integrators through private
 * adapters and neurode's own methods (exponential Euler, Euler-Maruyama). Times are in the model's time
 * unit (ms for built-in neuron models); tolerances are in the units of the state variables.
 */
package org.neurode.solvers;
