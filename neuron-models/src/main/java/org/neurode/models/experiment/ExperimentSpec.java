package org.neurode.models.experiment;

/**
 * An experiment and the settings to run it with, as a settings file gives them.
 *
 * @param experiment the experiment its {@code kind} selects
 * @param settings   the settings: the file's fields over the experiment's {@link Experiment#defaults() defaults}
 * @param given      the fields the file gave (the others took defaults; a sweep completes the defaults that depend
 *                   on other fields, {@link Experiment#completed}, from it)
 * @param <S>        the settings record
 * @param <R>        the result record
 * @since 0.2
 */
public record ExperimentSpec<S extends Record, R extends Record>(Experiment<S, R> experiment, S settings,
                                                                java.util.Set<String> given) {

    /**
     * @param experiment the experiment
     * @param settings   its settings
     * @param given      the fields given (copied)
     */
    public ExperimentSpec {
        given = java.util.Set.copyOf(given);
    }

    /**
     * Settings with every field given (built in code, not read from a file).
     *
     * @param experiment the experiment
     * @param settings   its settings
     */
    public ExperimentSpec(final Experiment<S, R> experiment, final S settings) {
        this(experiment, settings, java.util.Arrays.stream(settings.getClass().getRecordComponents())
                .map(java.lang.reflect.RecordComponent::getName).collect(java.util.stream.Collectors.toSet()));
    }

    /**
     * Runs the experiment with these settings.
     *
     * @param progress    progress receiver
     * @param checkpoints checkpoint receiver
     * @return the result
     */
    public R run(final Progress progress, final Checkpoints checkpoints) {
        return experiment.run(settings, progress, checkpoints);
    }

    /** @return the kind of the experiment */
    public String kind() {
        return experiment.kind();
    }
}
