package org.neurode.models.experiment;

/**
 * An experiment as a library call: a settings record in, a typed result record out. An experiment is stateless;
 * everything a run depends on is in its settings (and, for a resumed run, in its checkpoint), so that the same
 * settings give the same numbers on any machine and a run can be repeated from the settings embedded in its
 * results. Experiments never print: they report through {@link Progress} and hand their state to
 * {@link Checkpoints}.
 *
 * @param <S> the settings record (read and written as YAML or JSON by {@link SettingsFiles})
 * @param <R> the result record
 * @since 0.2
 */
public interface Experiment<S extends Record, R extends Record> {

    /** @return the kind that selects this experiment in a settings file ({@code kind: regression}) */
    String kind();

    /** @return the class of the settings record */
    Class<S> settingsType();

    /**
     * @return the settings of a default run: the fields that a settings file leaves out take these values
     */
    S defaults();

    /**
     * Checks settings beyond what their record's constructor checks, without running anything: what
     * {@link #run} would reject at its start (a sweep checks its base and every axis value with it, so that a bad
     * value is an error in the sweep file, not a failed point).
     *
     * @param settings the settings
     * @throws IllegalArgumentException naming the field at fault
     */
    default void check(final S settings) {
    }

    /**
     * Runs the experiment.
     *
     * @param settings    the settings (validated by their record)
     * @param progress    receives progress and is asked whether to stop; {@link Progress#NONE} for neither
     * @param checkpoints receives the run's state at the experiment's checkpoint times; {@link Checkpoints#NONE}
     *                    for none
     * @return the result; a run that blew up or was stopped returns a result with that status, not an exception
     * @throws IllegalArgumentException if the settings are invalid for this experiment
     */
    R run(S settings, Progress progress, Checkpoints checkpoints);
}
