/**
 * Parameter sweeps over any registered experiment: a sweep file ({@link org.neurode.models.experiment.sweep
 * .SweepFiles}) names a base experiment, axes over fields of its settings and seeds; it expands into
 * {@link org.neurode.models.experiment.sweep.Point}s, serializable values that a runner ships to its workers
 * ({@link org.neurode.models.experiment.sweep.LocalRunner}: the threads of this JVM); each point's result goes to
 * its own file as it finishes ({@link org.neurode.models.experiment.sweep.ResultFolder}), so that a killed sweep
 * resumes with the points it had not finished; {@link org.neurode.models.experiment.sweep.SweepTable} gathers
 * them into one table and summarises a metric against each axis. The package never prints.
 *
 * @since 0.7
 */
package org.neurode.models.experiment.sweep;
