package org.neurode.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import org.neurode.examples.io.AtomicFiles;

/**
 * The {@code --out} folder of a command: created and checked for writing before any work, with an error
 * that names the option; without {@code --out}, a fresh time-stamped folder under {@code runs/}.
 *
 * @since 0.3
 */
public final class OutputFolders {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);

    private OutputFolders() {
    }

    /**
     * Creates the output folder and checks that files can be written into it.
     *
     * @param given  the {@code --out} value, or null for the default
     * @param prefix name of the default folder before its time stamp, e.g. {@code "regression"}
     * @return the absolute folder
     * @throws IllegalArgumentException naming {@code --out} and the reason if it cannot be written
     */
    public static Path prepare(final Path given, final String prefix) {
        final Path folder = given != null ? given : fresh(prefix);
        if (Files.isRegularFile(folder)) {
            throw new IllegalArgumentException("--out " + folder + ": a file of that name exists; the output "
                    + "needs a folder");
        }
        try {
            return AtomicFiles.prepareFolder(folder);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException((given != null ? "--out " + given + ": "
                    : "the default output folder (choose another with --out): ") + e.getMessage(), e);
        }
    }

    /**
     * Checks an output file's place without creating it: its folder must exist and be writable, and the
     * path must not be a folder.
     *
     * @param option the option, e.g. {@code "--out"}
     * @param file   the file
     * @throws IllegalArgumentException naming the option if the file cannot be written there
     */
    public static void checkFile(final String option, final Path file) {
        final Path absolute = file.toAbsolutePath().normalize();
        if (Files.isDirectory(absolute)) {
            throw new IllegalArgumentException(option + " " + file + ": is a folder; give a file name");
        }
        final Path parent = absolute.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new IllegalArgumentException(option + " " + file + ": the folder " + parent + " does not exist");
        }
        if (!Files.isWritable(parent)) {
            throw new IllegalArgumentException(option + " " + file + ": the folder " + parent
                    + " is not writable");
        }
    }

    /** @return {@code runs/<prefix>-<yyyyMMdd-HHmmss>}, with {@code -2}, {@code -3}, ... if taken */
    private static Path fresh(final String prefix) {
        final Path base = Path.of("runs", prefix + "-" + LocalDateTime.now().format(STAMP));
        Path folder = base;
        for (int k = 2; Files.exists(folder); k++) {
            folder = Path.of(base + "-" + k);
        }
        return folder;
    }
}
