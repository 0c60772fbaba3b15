/**
 * Linear algebra of the stiff methods: the Jacobian \( J = \partial f/\partial y \) and the Newton matrix
 * \( \alpha I - J \) behind one small interface, {@link org.neurode.solvers.linear.NewtonMatrix}, with dense,
 * sparse and banded storage chosen from the equation's {@link org.neurode.core.JacobianPattern}.
 */
package org.neurode.solvers.linear;
