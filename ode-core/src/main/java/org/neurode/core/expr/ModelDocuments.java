package org.neurode.core.expr;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

import org.neurode.core.ErrorCode;
import org.neurode.core.Model;
import org.neurode.core.OdeException;
import org.neurode.core.spec.ModelDocument;
import org.neurode.core.spec.ModelSpec;

/**
 * Model documents in the three formats: model files ({@code .ode}, {@link ModelFile}), JSON ({@code .json}) and
 * YAML ({@code .yaml}, {@code .yml}). All three hold the same {@link ModelDocument} (a {@link ModelSpec} and the
 * problem settings); each reads back what the others write, and reading a written document gives an equal one.
 *
 * <p>JSON and YAML documents have this schema (YAML shown; optional fields in brackets with their defaults):
 * <pre>
 * schema: neurode-model/1            # required: the version of this schema ({@link ModelSpec#SCHEMA})
 * [name: pyramidal]                  # default: the file name
 * [timeUnit: ms]                     # the unit of t
 * variables:                         # in layout order
 *   - name: x
 *     [kind: state]                  # state or input
 *     [shape: [3]]                   # [n] or [rows, cols]; a scalar without
 *     [unit: ""]                     # none given: the model is unit-free
 *     [initial: 0]                   # one number, or one per element (row-major)
 *     [scale: 1]                     # tolerance scale of a state
 * [parameters:]
 *   - {name: gL, value: 0.1, [unit: ""], [shape: ...]}
 * [lets:]                            # named subexpressions, each after those it uses
 *   vHat: gB / (gL + gB + gA) * vB
 * equations:                         # one per state: d name/dt = expression
 *   vB: (W @ x - vB) / tauD
 * [noise:]
 *   - {variable: u, sigma: 0.3}
 * [thresholds:]
 *   - {variable: v, threshold: -50, reset: -65, [refractory: 0], [detection: continuous]}   # or step-end
 * [problem:]                         # what the .ode lines time, reference, stiff and atol-factor say
 *   {[time: [0, 2000]], [reference: {y1: [1.7]}], [stiff: false], [atolFactor: 1]}
 * </pre>
 * Expressions are text in the language of {@link ModelBuilder}. Errors are {@link OdeException}s naming the file,
 * the line, the column and the field: malformed text, an unknown field, a field given twice, a wrong type, another
 * schema version, and whatever the model itself gets wrong (an unknown name in an expression, with its column
 * within the expression; a shape mismatch; a state without an equation).
 *
 * @since 0.3
 */
public final class ModelDocuments {

    /** The formats, by file extension. */
    public enum Format {
        /** Model file ({@code .ode}). */
        ODE,
        /** JSON ({@code .json}). */
        JSON,
        /** YAML ({@code .yaml} or {@code .yml}). */
        YAML;

        /**
         * @param file a file name
         * @return its format
         * @throws OdeException if the extension is none of .ode, .json, .yaml and .yml
         */
        public static Format of(final Path file) {
            final Path name = file.getFileName();
            final String n = name == null ? "" : name.toString().toLowerCase(Locale.ROOT);
            if (n.endsWith(".ode")) {
                return ODE;
            }
            if (n.endsWith(".json")) {
                return JSON;
            }
            if (n.endsWith(".yaml") || n.endsWith(".yml")) {
                return YAML;
            }
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "cannot tell the format of " + file + " from its "
                    + "name: model documents end in .ode, .json, .yaml or .yml");
        }
    }

    private ModelDocuments() {
    }

    /**
     * Reads a model document in the format its extension names, checked as a model is when it is built (names,
     * shapes, sizes) but not compiled.
     *
     * @param file the file
     * @return the document
     * @throws OdeException naming the file, line, column and field of the first error, or the file if unreadable
     */
    public static ModelDocument read(final Path file) {
        final Format format = Format.of(file);
        final String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new OdeException(e, ErrorCode.INVALID_ARGUMENT, "model file " + file + " does not exist");
        } catch (CharacterCodingException e) {
            throw new OdeException(e, ErrorCode.INVALID_ARGUMENT, "model file " + file + " is not UTF-8 text");
        } catch (IOException e) {
            throw new OdeException(e, ErrorCode.INVALID_ARGUMENT, "cannot read model file " + file + ": " + e);
        }
        final String base = file.getFileName().toString();
        final int dot = base.lastIndexOf('.');
        return parse(text, format, file.toString(), dot > 0 ? base.substring(0, dot) : base);
    }

    /**
     * Reads a model document from text.
     *
     * @param text        the document
     * @param format      its format
     * @param source      name of the source in messages (a file name)
     * @param defaultName the model's name if the document gives none
     * @return the document
     * @throws OdeException naming the source, line, column and field of the first error
     */
    public static ModelDocument parse(final String text, final Format format, final String source,
                                      final String defaultName) {
        return switch (format) {
            case ODE -> ModelFile.document(text, source, defaultName);
            case JSON -> SpecReader.read(text, false, source, defaultName);
            case YAML -> SpecReader.read(text, true, source, defaultName);
        };
    }

    /**
     * Writes a model document in canonical form: declarations in a fixed order, defaults left out, numbers that
     * read back to the same bits, expressions as text.
     *
     * @param doc    the document
     * @param format the format
     * @return the text
     * @throws OdeException if the format cannot hold the document (a model file holds no expression as an
     *                      initial value and no unit with spaces; an expression nested too deeply cannot be text)
     */
    public static String write(final ModelDocument doc, final Format format) {
        return switch (format) {
            case ODE -> OdeWriter.write(doc);
            case JSON -> SpecWriter.write(doc, false);
            case YAML -> SpecWriter.write(doc, true);
        };
    }

    /**
     * Compiles the model of a document.
     *
     * @param doc the document
     * @return the model
     * @throws OdeException if the model cannot be built
     */
    public static Model compile(final ModelDocument doc) {
        return ModelBuilder.from(doc.model()).build();
    }
}
