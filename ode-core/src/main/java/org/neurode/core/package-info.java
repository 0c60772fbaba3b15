/**
 * The neurode modeling core: {@link org.neurode.core.StateLayout} (named blocks of one flat state),
 * {@link org.neurode.core.Parameters}, {@link org.neurode.core.Equation}, {@link org.neurode.core.Model},
 * {@link org.neurode.core.Problem}, recorders, events and {@link org.neurode.core.Trajectory}.
 *
 * <p>Units: neurode stores plain doubles. Built-in neuron models use ms for time, mV for potentials,
 * µA/cm² for current densities, mS/cm² for conductances and Hz (1/s) for rates unless their Javadoc
 * says otherwise; a model's unit strings document its own choice.
 */
package org.neurode.core;
