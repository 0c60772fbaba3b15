package org.neurode.examples.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes files so that readers never see a half-written one: the content goes to a temporary file in the
 * same folder, which is then renamed over the target in one atomic step. An interrupted run leaves either
 * the previous file or the new one, never a truncated mix (a concern for long runs and for scripts that
 * poll a results folder).
 *
 * <p>Failures are reported as {@link UncheckedIOException}s whose message names the file and the reason.
 *
 * <p>A process killed while it writes leaves its temporary file behind: a hidden file named
 * {@code .<target>.<random UUID>.tmp}. {@link #prepareFolder} and {@link #removeStaleTemporaries} delete such
 * files, and only files of exactly that pattern.
 *
 * @since 0.1
 */
public final class AtomicFiles {

    /** Names of this class's temporary files: a dot, the target's name, a dot, a random UUID, ".tmp". */
    private static final Pattern TEMPORARY = Pattern.compile(
            "\\..+\\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\.tmp");

    private AtomicFiles() {
    }

    /**
     * Produces the content of a file.
     *
     * @since 0.1
     */
    @FunctionalInterface
    public interface Content {

        /**
         * Writes the content.
         *
         * @param out the stream to write to (buffered; closed by the caller, not here)
         * @throws IOException if writing fails
         */
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes a file atomically: temporary file in the same folder, then an atomic rename that replaces
     * an existing target.
     *
     * @param target  the file to write; its folder must exist
     * @param content writes the bytes
     * @return {@code target}
     * @throws UncheckedIOException naming the file if it cannot be written
     */
    public static Path write(final Path target, final Content content) {
        final Path absolute = target.toAbsolutePath();
        final Path folder = absolute.getParent();
        Path temporary = null;
        try {
            temporary = temporaryFile(folder, absolute.getFileName().toString());
            try (OutputStream out = new BufferedOutputStream(
                    Files.newOutputStream(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))) {
                content.writeTo(out);
            }
            moveInto(temporary, absolute);
            temporary = null;
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + absolute + ": " + describe(e, absolute), e);
        } finally {
            deleteQuietly(temporary);
        }
    }

    /**
     * Writes bytes atomically and durably: as {@link #write}, and the content is forced to the storage device
     * before the rename, so that after a crash of the machine (not only of the process) the target holds
     * either its previous content or all of the new one. For checkpoints.
     *
     * @param target  the file to write; its folder must exist
     * @param content the bytes
     * @return {@code target}
     * @throws UncheckedIOException naming the file if it cannot be written
     */
    public static Path writeDurably(final Path target, final byte[] content) {
        final Path absolute = target.toAbsolutePath();
        Path temporary = null;
        try {
            temporary = temporaryFile(absolute.getParent(), absolute.getFileName().toString());
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                final ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            moveInto(temporary, absolute);
            temporary = null;
            forceFolder(absolute.getParent());
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + absolute + ": " + describe(e, absolute), e);
        } finally {
            deleteQuietly(temporary);
        }
    }

    /**
     * Replaces {@code copy} atomically by the current content of {@code source} (a hard link where the file
     * system has them, else a copy), so that a file about to be rewritten keeps its previous generation.
     *
     * @param source an existing file
     * @param copy   the file that receives its content (in the same folder)
     * @throws UncheckedIOException naming the files if it fails
     */
    public static void preserve(final Path source, final Path copy) {
        final Path absolute = copy.toAbsolutePath();
        Path temporary = null;
        try {
            if (Files.exists(absolute) && Files.isSameFile(source, absolute)) {
                // already a link to it (a write was interrupted after keeping it)
                return;
            }
            temporary = temporaryFile(absolute.getParent(), absolute.getFileName().toString());
            try {
                Files.createLink(temporary, source);
            } catch (UnsupportedOperationException | IOException e) {
                // no hard links here (some network and FUSE file systems): copy the bytes
                Files.deleteIfExists(temporary);
                Files.copy(source, temporary);
            }
            // (a rename between two links of one file does nothing and leaves the temporary: deleted below)
            moveInto(temporary, absolute);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep " + source + " as " + absolute + ": " + describe(e, absolute),
                    e);
        } finally {
            deleteQuietly(temporary);
        }
    }

    /**
     * Deletes the temporary files that interrupted writes left in a folder: regular files whose name has the
     * pattern of this class's temporary files ({@code .<name>.<UUID>.tmp}); nothing else, and not in
     * subfolders. Call it when a run starts or resumes in the folder (no other process may be writing there).
     *
     * @param folder the folder
     * @return the number of files deleted
     * @throws IllegalArgumentException naming the folder if it cannot be listed
     */
    public static int removeStaleTemporaries(final Path folder) {
        int removed = 0;
        try (Stream<Path> files = Files.list(folder)) {
            for (final Path p : (Iterable<Path>) files::iterator) {
                if (TEMPORARY.matcher(p.getFileName().toString()).matches()
                        && Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.deleteIfExists(p);
                    removed++;
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot clean up temporary files in " + folder + ": "
                    + describe(e, folder), e);
        }
        return removed;
    }

    /**
     * Writes a text file atomically in UTF-8.
     *
     * @param target the file to write; its folder must exist
     * @param text   the text
     * @return {@code target}
     * @throws UncheckedIOException naming the file if it cannot be written
     */
    public static Path writeString(final Path target, final String text) {
        return write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Creates a folder (and its parents) for output and checks that files can be created in it, so that
     * a long run does not fail only when it saves its results. Temporary files that interrupted writes left
     * there are deleted ({@link #removeStaleTemporaries}).
     *
     * @param folder the folder
     * @return the absolute, normalised folder
     * @throws IllegalArgumentException naming the folder and the reason if it is not writable
     */
    public static Path prepareFolder(final Path folder) {
        final Path absolute = folder.toAbsolutePath().normalize();
        try {
            Files.createDirectories(absolute);
            final Path probe = temporaryFile(absolute, "neurode-write-check");
            Files.newOutputStream(probe, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
            Files.delete(probe);
            removeStaleTemporaries(absolute);
            return absolute;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write to output folder " + absolute + ": "
                    + describe(e, absolute), e);
        }
    }

    /**
     * A short, human-readable reason for an I/O failure (the JDK's messages are often only a path).
     *
     * @param e       the failure
     * @param subject the path the caller's message already names (not repeated), or {@code null}
     * @return the reason, e.g. "permission denied" or "not a directory (/tmp/file/x)"
     */
    public static String describe(final IOException e, final Path subject) {
        final String file = e instanceof FileSystemException fse && fse.getFile() != null
                && (subject == null || !Path.of(fse.getFile()).toAbsolutePath().equals(subject.toAbsolutePath()))
                ? " (" + fse.getFile() + ")" : "";
        if (e instanceof AccessDeniedException) {
            return "permission denied" + file;
        }
        if (e instanceof FileAlreadyExistsException) {
            return "a file is in the way" + file;
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory" + file;
        }
        if (e instanceof NotDirectoryException) {
            return "not a directory" + file;
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason().toLowerCase(Locale.ROOT) + file;
        }
        if (e instanceof java.io.EOFException) {
            return "the file ends too early (truncated or not of this kind)";
        }
        return e.getMessage() == null ? "input/output failure" : e.getMessage();
    }

    /**
     * A fresh hidden name next to the target. Not {@link Files#createTempFile}: that creates the file
     * readable by its owner only, and the rename would carry those permissions over to the result.
     */
    private static Path temporaryFile(final Path folder, final String name) {
        return folder.resolve("." + name + "." + UUID.randomUUID() + ".tmp");
    }

    private static void moveInto(final Path temporary, final Path target) throws IOException {
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            // Some file systems (certain network and FUSE mounts) cannot rename atomically even within
            // one folder; a plain replacing move is the best they offer.
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Forces a folder's entries (the rename) to the device where the file system allows it (Linux does). */
    private static void forceFolder(final Path folder) {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // some systems cannot open folders as channels (Windows); the rename is atomic there all the same
            return;
        }
    }

    private static void deleteQuietly(final Path temporary) {
        if (temporary == null) {
            return;
        }
        try {
            Files.deleteIfExists(temporary);
        } catch (IOException e) {
            // The original failure matters more than a leftover temporary file, which is hidden (dot name).
            return;
        }
    }
}
