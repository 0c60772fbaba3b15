/**
 * Experiments as library calls: a settings record in, a typed result record out
 * ({@link org.neurode.models.experiment.Experiment}), with progress and checkpoint callbacks, settings files in
 * YAML or JSON ({@link org.neurode.models.experiment.SettingsFiles}), a registry by kind
 * ({@link org.neurode.models.experiment.Experiments}) and the random streams that all experiments derive from
 * (seed, purpose, index) ({@link org.neurode.models.experiment.Seeds}). See docs/experiments.md.
 */
package org.neurode.models.experiment;
