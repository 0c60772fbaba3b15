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
public record ProblemFile(String name, String text) implements org.neurode.models.experiment.FileText {

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
        return IvpProblem.from(compile(source, 0L), name);
    }

    /**
     * Compiles the document, as {@code ModelFile.read(file, seed)} does for the file.
     *
     * @param source the name in error messages (the file's path when it was read from one)
     * @param seed   the seed of {@code rand()} and {@code randn()} in its values
     * @return the compiled model with its problem settings
     * @throws org.neurode.core.OdeException naming the source, line and column of the first error
     * @since 0.7
     */
    public ModelFile compile(final String source, final long seed) {
        final String lower = name.toLowerCase(Locale.ROOT);
        // the name may be a path as the user gave it: the model's default name is its file name's stem
        final String fileName = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        final int dot = fileName.lastIndexOf('.');
        final String base = dot > 0 ? fileName.substring(0, dot) : fileName;
        if (lower.endsWith(".json") || lower.endsWith(".yaml") || lower.endsWith(".yml")) {
            return ModelFile.of(ModelDocuments.parse(text, lower.endsWith(".json") ? ModelDocuments.Format.JSON
                    : ModelDocuments.Format.YAML, source, base), source, seed);
        }
        return ModelFile.parse(text, source, base, seed);
    }
}
