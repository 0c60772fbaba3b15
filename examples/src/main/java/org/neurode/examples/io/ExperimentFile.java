package org.neurode.examples.io;

import java.nio.file.Files;
import java.nio.file.Path;

import org.neurode.models.experiment.ExperimentSpec;
import org.neurode.models.experiment.SettingsFiles;

/**
 * {@code experiment.json} in a run's folder: the settings of a run whose checkpoints do not hold them (multiplex,
 * segregated-dendrites, compare-learning), written when the run starts, so that {@code --resume} continues it with
 * its own settings and {@code neurode run --resume <folder>} knows its kind.
 *
 * @since 0.7
 */
public final class ExperimentFile {

    /** The file name. */
    public static final String FILE = "experiment.json";

    private ExperimentFile() {
    }

    /**
     * Writes the settings (atomically) into a run's folder.
     *
     * @param folder   the run's folder
     * @param kind     the experiment's kind
     * @param settings its settings
     */
    public static void write(final Path folder, final String kind, final Record settings) {
        AtomicFiles.writeString(folder.resolve(FILE), SettingsFiles.write(kind, settings, false));
    }

    /**
     * @param folder a run's folder
     * @return whether it has the file
     */
    public static boolean exists(final Path folder) {
        return Files.isRegularFile(folder.resolve(FILE));
    }

    /**
     * Whether a command resumed with {@code --resume <folder>} takes the settings saved in the folder rather than its
     * options: the folder has the file and no option but {@code --resume}, {@code --[no-]progress} and
     * {@code --threads} (which changes no number) was given (a resume with other options keeps them, as before the
     * file existed).
     *
     * @param folder the folder of {@code --resume}
     * @param given  the command's parse result
     * @return whether to take the saved settings
     */
    public static boolean applies(final Path folder, final picocli.CommandLine.ParseResult given) {
        if (!exists(folder)) {
            return false;
        }
        for (final picocli.CommandLine.Model.OptionSpec o : given.matchedOptions()) {
            if (!java.util.List.of("--resume", "--progress", "--no-progress", "--threads").contains(o.longestName())) {
                return false;
            }
        }
        return true;
    }

    /**
     * The settings saved in a run's folder, of the expected kind.
     *
     * @param folder the run's folder
     * @param type   the settings record of the command's kind
     * @param <S>    that record
     * @return the settings
     * @throws IllegalArgumentException if the file holds another kind
     */
    public static <S extends Record> S settings(final Path folder, final Class<S> type) {
        final ExperimentSpec<?, ?> spec = read(folder);
        if (!type.isInstance(spec.settings())) {
            throw new IllegalArgumentException("--resume " + folder + ": " + FILE + " holds a run of kind '"
                    + spec.kind() + "'; resume it with neurode " + spec.kind() + " --resume or neurode run --resume");
        }
        return type.cast(spec.settings());
    }

    /**
     * The settings saved in a run's folder, with the worker threads of {@code --threads} if it was given.
     *
     * @param folder  the run's folder
     * @param type    the settings record of the command's kind (with a {@code threads} field)
     * @param threads the value of {@code --threads}, or null to keep the saved one
     * @param <S>     that record
     * @return the settings
     * @throws IllegalArgumentException if the file holds another kind
     */
    public static <S extends Record> S settings(final Path folder, final Class<S> type, final Integer threads) {
        final S saved = settings(folder, type);
        if (threads == null) {
            return saved;
        }
        final com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        final com.fasterxml.jackson.databind.node.ObjectNode tree = mapper.valueToTree(saved);
        tree.put("threads", threads);
        try {
            return mapper.treeToValue(tree, type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("--threads " + threads + ": " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Reads the settings of the run in a folder.
     *
     * @param folder the run's folder
     * @return the experiment and its settings
     * @throws org.neurode.core.OdeException naming the file, line and column if it is not valid settings
     */
    public static ExperimentSpec<?, ?> read(final Path folder) {
        return SettingsFiles.read(folder.resolve(FILE));
    }
}
