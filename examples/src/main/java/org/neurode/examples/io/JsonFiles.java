package org.neurode.examples.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * JSON output with Jackson. Values are the records of this package, lists and maps: Jackson never sees
 * model or solver classes, so the file formats can stay stable while those change. Output is indented,
 * fields appear in record-component order and {@code null} fields are left out (optional entries such as
 * the spike count of a rate model).
 *
 * @since 0.1
 */
public final class JsonFiles {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL,
                                                                  JsonInclude.Include.NON_NULL))
            .build();
    /** Two-space indentation, {@code "name": value}, one array element per line (as Python's json.dump). */
    private static final ObjectWriter WRITER = MAPPER.writer(new DefaultPrettyPrinter()
            .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
            .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE));

    private JsonFiles() {
    }

    /**
     * @param value a record, list, map or scalar (not modified)
     * @return indented JSON text ending with a line break
     */
    public static String toJson(final Object value) {
        try {
            return WRITER.writeValueAsString(value) + System.lineSeparator();
        } catch (JsonProcessingException e) {
            // Only records, collections and scalars are passed in, so this is a programming error.
            throw new IllegalStateException("cannot convert " + value.getClass().getName() + " to JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    /**
     * Writes a value as indented JSON, atomically (see {@link AtomicFiles#write}).
     *
     * @param target the file; its folder must exist
     * @param value  a record, list, map or scalar (not modified)
     * @return {@code target}
     * @throws UncheckedIOException naming the file if it cannot be written
     */
    public static Path write(final Path target, final Object value) {
        return AtomicFiles.writeString(target, toJson(value));
    }

    /**
     * Reads a JSON file as a tree (golden results, earlier runs).
     *
     * @param source the file
     * @return the parsed tree
     * @throws UncheckedIOException naming the file if it cannot be read or parsed
     */
    public static JsonNode read(final Path source) {
        try {
            return MAPPER.readTree(source.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read JSON from " + source.toAbsolutePath() + ": "
                    + (e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage()
                                                                 : AtomicFiles.describe(e, source)), e);
        }
    }
}
