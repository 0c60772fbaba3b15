package org.neurode.examples.io;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The container of neurode's checkpoint files, so that a damaged or altered checkpoint is refused instead of
 * silently changing a resumed run:
 * <pre>
 *   magic       8 bytes  the kind of checkpoint (regression, xor)
 *   version     int      the format version ({@value #VERSION}, or the kind's own: {@link Kind#version()})
 *   length      long     the number of payload bytes
 *   payload     length bytes, written and read by the kind (DataOutputStream: exact bits of doubles)
 *   checksum    int      CRC32C of everything before it
 * </pre>
 * A file is accepted only if all of these hold and its size is exactly header, payload and checksum; the
 * kind then checks every field of the payload ({@link Kind#check}). Writing keeps the previous generation:
 * before {@code checkpoint.bin} is replaced, its content (if it is an intact checkpoint) becomes
 * {@code checkpoint.prev.bin}, and the new file is written to a temporary file, forced to disk and renamed
 * into place ({@link AtomicFiles#writeDurably}), so a kill at any moment leaves an intact checkpoint. When a
 * checkpoint is refused, the message names the file, the reason and whether the previous generation is
 * intact and how to resume from it.
 *
 * <p>Errors are {@link IllegalArgumentException}s (the command line's exit code 2) with one-line messages.
 *
 * @since 0.2
 */
public final class CheckpointFile {

    /**
     * The container's format version, which kinds write and read unless their payload changed since
     * ({@link Kind#version()}). Version 1 had no header and no checksum.
     */
    public static final int VERSION = 2;
    /** Bytes before the payload: magic, version, length. */
    private static final int HEADER = 8 + 4 + 8;
    /** Bytes after it: the checksum. */
    private static final int TRAILER = 4;
    /** Largest file read (checkpoints are a few megabytes; the paper-length regression about 10). */
    private static final long MAX_SIZE = Integer.MAX_VALUE - 64;

    private CheckpointFile() {
    }

    /**
     * A kind of checkpoint.
     *
     * @since 0.2
     */
    public interface Kind {

        /** @return its name in messages, e.g. "regression" */
        String name();

        /** @return the first 8 bytes of its files */
        long magic();

        /** @return the first 8 bytes of its format-1 files (before version 2 added the header) */
        long legacyMagic();

        /**
         * @return the format version of its files: {@value CheckpointFile#VERSION}, the container's, unless the
         *         kind's payload changed since (then files of other versions are refused)
         */
        default int version() {
            return VERSION;
        }

        /**
         * @param version an older version of this kind's files
         * @return what changed since, for the message that refuses such a file (e.g. ", which kept ..."), or
         *         empty
         */
        default String olderVersion(final int version) {
            return "";
        }

        /**
         * Reads and checks the start of a payload (settings and progress).
         *
         * @param in the payload
         * @return a short description of the progress for messages, e.g. "pattern 1,500 of 3,000"
         * @throws IOException if it is not a valid payload of this kind (the message says which field)
         */
        String check(DataInputStream in) throws IOException;
    }

    /**
     * Produces a payload.
     *
     * @since 0.2
     */
    @FunctionalInterface
    public interface Payload {
        /**
         * @param out the stream to write to
         * @throws IOException if writing fails
         */
        void writeTo(DataOutputStream out) throws IOException;
    }

    /**
     * The previous generation of a checkpoint: {@code checkpoint.bin} -> {@code checkpoint.prev.bin}.
     *
     * @param file a checkpoint
     * @return the file that keeps its previous generation
     */
    public static Path previous(final Path file) {
        final String name = file.getFileName().toString();
        final int dot = name.lastIndexOf('.');
        return file.resolveSibling(dot > 0 ? name.substring(0, dot) + ".prev" + name.substring(dot) : name + ".prev");
    }

    /**
     * Writes a checkpoint: the current file (if intact) becomes the previous generation, then the new one
     * replaces it atomically and durably.
     *
     * @param target  the file
     * @param kind    its kind
     * @param payload writes the content
     * @throws UncheckedIOException naming the file if it cannot be written
     */
    public static void write(final Path target, final Kind kind, final Payload payload) {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
        try {
            final DataOutputStream out = new DataOutputStream(bytes);
            out.writeLong(kind.magic());
            out.writeInt(kind.version());
            out.writeLong(0L);
            payload.writeTo(out);
            out.flush();
        } catch (IOException e) {
            // a ByteArrayOutputStream does not fail; a payload writer might
            throw new UncheckedIOException("cannot write " + target.toAbsolutePath() + ": " + e.getMessage(), e);
        }
        final byte[] file = new byte[bytes.size() + TRAILER];
        final ByteBuffer b = ByteBuffer.wrap(file);
        b.put(bytes.toByteArray());
        b.putLong(8 + 4, bytes.size() - HEADER);
        final CRC32C crc = new CRC32C();
        crc.update(file, 0, bytes.size());
        b.putInt(bytes.size(), (int) crc.getValue());
        if (Files.isRegularFile(target) && intact(target, kind)) {
            AtomicFiles.preserve(target, previous(target));
        }
        AtomicFiles.writeDurably(target, file);
    }

    /**
     * Reads a checkpoint and checks its container: regular file, size, magic, version, length and checksum,
     * then the kind's {@link Kind#check}; the returned stream starts at the payload again.
     *
     * @param file the checkpoint
     * @param kind its kind
     * @return the payload
     * @throws IllegalArgumentException with a one-line message naming the file, the reason and the previous
     *                                  generation, if the file is missing, unreadable or not an intact
     *                                  checkpoint of this kind and version
     */
    public static DataInputStream read(final Path file, final Kind kind) {
        final byte[] payload;
        try {
            payload = payload(file, kind);
            kind.check(new DataInputStream(new ByteArrayInputStream(payload)));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("cannot resume: " + file + " does not exist" + previousHint(file, kind),
                    e);
        } catch (EOFException e) {
            throw invalid(file, kind, "its data end early (corrupt)", e);
        } catch (FileSystemException e) {
            throw invalid(file, kind, "cannot read it: " + AtomicFiles.describe(e, file), e);
        } catch (IOException e) {
            throw invalid(file, kind, e.getMessage(), e);
        }
        return new DataInputStream(new ByteArrayInputStream(payload));
    }

    /**
     * The error for a checkpoint whose payload fails a check after {@link #read}.
     *
     * @param file   the checkpoint
     * @param kind   its kind
     * @param reason what is wrong, e.g. "patterns done is -5"
     * @param cause  the underlying exception, or null
     * @return the exception to throw (exit code 2), naming the file and the previous generation
     */
    public static IllegalArgumentException invalid(final Path file, final Kind kind, final String reason,
                                                   final Throwable cause) {
        return new IllegalArgumentException("cannot resume from " + file + ": " + reason + previousHint(file, kind),
                cause);
    }

    /**
     * Ensures a payload has been read to its end.
     *
     * @param in the payload stream
     * @throws IOException if bytes remain (a payload of another layout)
     */
    public static void requireEnd(final DataInputStream in) throws IOException {
        if (in.available() > 0) {
            throw new IOException("corrupt: " + in.available() + " unexpected bytes after the data");
        }
    }

    private static boolean intact(final Path file, final Kind kind) {
        try {
            kind.check(new DataInputStream(new ByteArrayInputStream(payload(file, kind))));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The payload of an intact container; IOExceptions carry the reason (without the file name). */
    private static byte[] payload(final Path file, final Kind kind) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IOException("it is a directory, not a checkpoint file");
        }
        final long size = Files.size(file);
        if (size == 0) {
            throw new IOException("the file is empty");
        }
        if (size > MAX_SIZE) {
            throw new IOException("the file is too large to be a checkpoint (" + size + " bytes)");
        }
        final byte[] all = Files.readAllBytes(file);
        if (all.length >= 8 && ByteBuffer.wrap(all).getLong(0) == kind.legacyMagic()) {
            throw new IOException("it has checkpoint format 1 (written by an earlier neurode, without checksum); "
                    + "this neurode reads format " + kind.version() + " only: start a new run, or resume with the "
                    + "version that wrote it");
        }
        if (all.length < HEADER + TRAILER) {
            throw new IOException("it is truncated (" + all.length + " bytes, less than a checkpoint's header)");
        }
        final ByteBuffer b = ByteBuffer.wrap(all);
        if (b.getLong(0) != kind.magic()) {
            throw new IOException("it is not a " + kind.name() + " checkpoint (unknown first bytes)");
        }
        final int version = b.getInt(8);
        final long length = b.getLong(12);
        if (length != all.length - HEADER - TRAILER) {
            // checked before the version: a wrong length is damage, whatever the version says
            throw new IOException(length < 0 || length > all.length - HEADER - TRAILER
                    ? "it is truncated or its header is corrupt (" + all.length + " bytes, the header announces "
                      + (HEADER + length + TRAILER) + ")"
                    : "it has " + (all.length - HEADER - TRAILER - length) + " bytes too many (appended or corrupt "
                      + "header)");
        }
        final CRC32C crc = new CRC32C();
        crc.update(all, 0, all.length - TRAILER);
        if ((int) crc.getValue() != b.getInt(all.length - TRAILER)) {
            throw new IOException("it is corrupt: its checksum (CRC32C) does not match its content");
        }
        if (version != kind.version()) {
            throw new IOException(version > 0 && version < kind.version()
                    ? "it has checkpoint format " + version + ", written by an earlier neurode"
                      + kind.olderVersion(version) + "; this neurode reads format " + kind.version()
                      + " only: start a new run, or resume with the version that wrote it"
                    : "it has checkpoint format " + version + "; this neurode reads format " + kind.version() + " only");
        }
        final byte[] payload = new byte[(int) length];
        System.arraycopy(all, HEADER, payload, 0, payload.length);
        return payload;
    }

    /** "; the previous checkpoint ... is intact: to continue from it, ..." or why there is none. */
    private static String previousHint(final Path file, final Kind kind) {
        final Path prev = previous(file);
        if (!Files.exists(prev)) {
            return "; there is no previous checkpoint (" + prev.getFileName() + ") to fall back on";
        }
        try {
            final String progress = kind.check(new DataInputStream(new ByteArrayInputStream(payload(prev, kind))));
            return "; the previous checkpoint " + prev + " (" + progress + ") is intact: to continue from it, "
                   + "replace the file by it (mv " + prev + " " + file + ") and resume again";
        } catch (IOException e) {
            return "; the previous checkpoint " + prev + " is unusable too (" + e.getMessage() + ")";
        }
    }
}
