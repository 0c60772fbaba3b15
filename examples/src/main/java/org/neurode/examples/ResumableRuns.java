package org.neurode.examples;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.neurode.examples.io.CheckpointFile;
import org.neurode.examples.io.ExperimentFile;

/**
 * Which command continues the run in a folder ({@code neurode run --resume <folder>}) when the folder has no
 * {@link ExperimentFile}: told by the magic number that starts its checkpoint file ({@link CheckpointFile}), or by its
 * previous generation when a kill left only that.
 *
 * @since 0.7
 */
final class ResumableRuns {

    /** The checkpoint of a run, in its folder. */
    static final String CHECKPOINT = "checkpoint.bin";

    /** Command by the magic of its checkpoints (the kind's name in eight ASCII letters). */
    private static final Map<Long, String> BY_MAGIC = new LinkedHashMap<>();

    static {
        BY_MAGIC.put(0x4E5244524547434BL, "regression"); // NRDREGCK
        BY_MAGIC.put(0x4E5244584F52434BL, "xor"); // NRDXORCK
        BY_MAGIC.put(0x4E524442584F5231L, "burst-xor"); // NRDBXOR1
    }

    /** The kinds that resume, for the help text and errors. */
    static final String KINDS = "regression, xor and burst-xor by their checkpoint.bin; multiplex, "
            + "segregated-dendrites and compare-learning by their " + ExperimentFile.FILE;

    private ResumableRuns() {
    }

    /**
     * @param folder a run's folder
     * @return the command that resumes it
     * @throws IllegalArgumentException if the folder does not exist or holds no checkpoint of a known kind
     */
    static String commandOf(final Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("--resume " + folder + ": no such folder");
        }
        final Path file = folder.resolve(CHECKPOINT);
        for (final Path candidate : new Path[] {file, CheckpointFile.previous(file)}) {
            final Long magic = magic(candidate);
            if (magic != null && BY_MAGIC.containsKey(magic)) {
                return BY_MAGIC.get(magic);
            }
        }
        throw new IllegalArgumentException("--resume " + folder + ": no run that resumes (" + KINDS + ")");
    }

    /** The first eight bytes of a file, or null if it is missing or shorter. */
    private static Long magic(final Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try (InputStream in = Files.newInputStream(file)) {
            final byte[] head = in.readNBytes(Long.BYTES);
            return head.length == Long.BYTES ? ByteBuffer.wrap(head).getLong() : null;
        } catch (IOException e) {
            return null;
        }
    }
}
