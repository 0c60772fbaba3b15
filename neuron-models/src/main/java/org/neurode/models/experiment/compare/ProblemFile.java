package org.neurode.models.experiment.compare;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.neurode.core.expr.ModelDocuments;
import org.neurode.core.expr.ModelFile;
import org.neurode.solvers.compare.IvpProblem;

/**
 * A problem written as a model document, with its text: the model specification that a comparison's settings
 * embed, so that the comparison can be repeated from its {@code results.json} without the file.
 *
 * @param name the file name (its extension selects the format: {@code .json}, {@code .yaml}/{@code .yml}, else
 *             model-file text; without the extension it is the model's default name)
 * @param text the document
 * @since 0.2
 */
public record ProblemFile(String name, String text) {

    /**
     * @param name file name
     * @param text document
     */
    public ProblemFile {
        if (name == null || name.isBlank() || text == null) {
            throw new IllegalArgumentException("a problem file needs a name and a text");
        }
    }

    /**
     * Reads a file's text.
     *
     * @param file the file
     * @return its name and text
     * @throws UncheckedIOException if it cannot be read
     */
    public static ProblemFile read(final Path file) {
        try {
            return new ProblemFile(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Compiles the document into a comparison problem, as {@code ModelFile.read} and {@code IvpProblem.from} do for
     * the file.
     *
     * @param source the name in error messages (the file's path when it was read from one)
     * @return the problem (named by its model; the title names the file)
     */
    public IvpProblem problem(final String source) {
        final String lower = name.toLowerCase(Locale.ROOT);
        final int dot = name.lastIndexOf('.');
        final String base = dot > 0 ? name.substring(0, dot) : name;
        final ModelFile file;
        if (lower.endsWith(".json") || lower.endsWith(".yaml") || lower.endsWith(".yml")) {
            file = ModelFile.of(ModelDocuments.parse(text, lower.endsWith(".json") ? ModelDocuments.Format.JSON
                    : ModelDocuments.Format.YAML, source, base), source);
        } else {
            file = ModelFile.parse(text, source, base);
        }
        return IvpProblem.from(file, name);
    }
}
