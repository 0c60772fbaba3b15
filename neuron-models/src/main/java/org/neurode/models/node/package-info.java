/**
 * Neural ordinary differential equations (Chen, Rubanova, Bettencourt and Duvenaud, NeurIPS 2018): an
 * {@link org.neurode.models.node.Mlp} vector field \( dz/dt = f_\theta(g(z)) \) as an ode-core model, and its
 * gradients by reverse mode through the Runge-Kutta steps (discretise-then-optimise) or by the continuous
 * adjoint of Pontryagin with the forward dense output (optimise-then-discretise).
 * Units: time and state are dimensionless (the units of the data); field outputs are per time unit.
 */
package org.neurode.models.node;
