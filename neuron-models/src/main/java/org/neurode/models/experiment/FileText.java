package org.neurode.models.experiment;

/**
 * A file embedded in settings: its name and its whole text (a model document, a wiring). A settings field of a
 * record type that implements this, or a list of them, can be given in a settings or sweep file as a file name: the
 * file is read (relative to the settings file's folder) and embedded, so that the settings, and the
 * {@code results.json} that embeds them, repeat the run without the file. The record's components are
 * {@code name} and {@code text}.
 *
 * @since 0.7
 */
public interface FileText {

    /** @return the file name as given (its extension may select a format) */
    String name();

    /** @return the file's text */
    String text();
}
