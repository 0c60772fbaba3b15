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
     * Completes the defaults that depend on other fields: settings read from a file (or made by a sweep point) whose
     * field {@code f} was not given take the value the command line would give {@code f} for the other fields (the
     * regression's {@code dt} is its solver's default step). The settings of a {@code results.json} give every
     * field, so a repeated run keeps them.
     *
     * @param settings the settings, with the fields not given at their plain defaults
     * @param given    the fields given
     * @return the settings with the dependent defaults (these settings if there are none)
     * @throws IllegalArgumentException if the completed settings are invalid
     */
    default S completed(final S settings, final java.util.Set<String> given) {
        return settings;
    }

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
