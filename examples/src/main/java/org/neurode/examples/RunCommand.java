package org.neurode.examples;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.neurode.examples.burst.BurstXorCommand;
import org.neurode.examples.burst.MultiplexCommand;
import org.neurode.examples.compare.CompareSolversCommand;
import org.neurode.examples.credit.CompareLearningCommand;
import org.neurode.examples.credit.SegregatedDendritesCommand;
import org.neurode.examples.ctnn.LtcSineCommand;
import org.neurode.examples.ctnn.NodeSpiralCommand;
import org.neurode.examples.ctnn.XorCommand;
import org.neurode.examples.regression.RegressionCommand;
import org.neurode.examples.io.ExperimentFile;
import org.neurode.models.experiment.ExperimentSpec;
import org.neurode.models.experiment.Experiments;
import org.neurode.models.experiment.SettingsFiles;
import org.neurode.models.experiment.burst.BurstXorSettings;
import org.neurode.models.experiment.burst.MultiplexSettings;
import org.neurode.models.experiment.compare.CompareSolversSettings;
import org.neurode.models.experiment.dendrites.SegregatedDendritesSettings;
import org.neurode.models.experiment.learning.CompareLearningSettings;
import org.neurode.models.experiment.ltcsine.LtcSineSettings;
import org.neurode.models.experiment.nodespiral.NodeSpiralSettings;
import org.neurode.models.experiment.regression.RegressionSettings;
import org.neurode.models.experiment.simulate.SimulateSettings;
import org.neurode.models.experiment.xor.XorSettings;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code neurode run <settings>}: runs the experiment that a settings file ({@code kind:} and the fields of its
 * settings, YAML or JSON; see {@link SettingsFiles}) describes, or repeats a run from the settings its
 * {@code results.json} embeds. Each kind runs through its dedicated command's code, so that
 * {@code neurode run} gives the files and numbers of that command with the same settings.
 *
 * @since 0.2
 */
@Command(name = "run",
         mixinStandardHelpOptions = true,
         versionProvider = VersionProvider.class,
         sortOptions = false,
         description = {"Run the experiment a settings file describes (YAML or JSON: 'kind:' regression, xor, "
                        + "ltc-sine, node-spiral, compare-solvers, simulate, segregated-dendrites, "
                        + "compare-learning, multiplex or burst-xor and "
                        + "the fields of its settings; fields left out take the defaults), or repeat a run from "
                        + "its results.json, which embeds its settings; --resume <folder> continues a stopped run."})
public final class RunCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "<settings>", converter = OptionConverters.InputFile.class,
                description = "experiment.yaml, experiment.json, or the results.json of an earlier run.")
    private Path file;

    @Option(names = "--resume", converter = OptionConverters.OutputPath.class, paramLabel = "<folder>",
            description = "Instead of a settings file: continue the stopped or killed run in this folder from its "
                          + "checkpoint (" + ResumableRuns.KINDS + "), as the kind's own command with --resume does.")
    private Path resume;

    @Option(names = "--out", converter = OptionConverters.OutputPath.class, paramLabel = "<folder>",
            description = "Output folder (default: runs/<kind>-<yyyyMMdd-HHmmss>).")
    private Path out;

    @Option(names = "--checkpoint-minutes", defaultValue = "2", converter = OptionConverters.PositiveDouble.class,
            paramLabel = "<minutes>", description = "Minutes between checkpoints of a regression "
                                                    + "(default: ${DEFAULT-VALUE}).")
    private double checkpointMinutes;

    @Mixin
    private ProgressOption progress;

    private final StopOnSignal stop = new StopOnSignal();

    /**
     * Runs the experiment.
     *
     * @return the exit code of the experiment's command
     */
    @Override
    public Integer call() throws Exception {
        if (resume != null) {
            if (file != null || out != null) {
                throw new IllegalArgumentException("--resume continues in its own folder from its checkpoint; leave "
                        + "out " + (file != null ? "the settings file" : "--out"));
            }
            if (ExperimentFile.exists(resume)) {
                // a run whose settings are in its folder: its command continues it with them
                final ExperimentSpec<?, ?> saved = ExperimentFile.read(resume);
                return stop.run("run-stop", () -> resumeKind(saved, resume));
            }
            final String command = ResumableRuns.commandOf(resume);
            // a run whose checkpoint holds its settings: the kind's own command resumes it, with its checks, files
            // and exit codes
            return spec.root().commandLine().getSubcommands().get(command).execute("--resume", resume.toString(),
                    progress.enabled() ? "--progress" : "--no-progress");
        }
        if (file == null) {
            throw new IllegalArgumentException("give a settings file (or --resume <folder>)");
        }
        final ExperimentSpec<?, ?> experiment = SettingsFiles.read(file);
        return stop.run("run-stop", () -> {
            try {
                return runKind(experiment);
            } catch (IllegalArgumentException e) {
                // settings that the experiment rejects: name the file (its fields are named in the message)
                throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
            }
        });
    }

    private int resumeKind(final ExperimentSpec<?, ?> saved, final Path folder) {
        if (saved.settings() instanceof MultiplexSettings s) {
            return MultiplexCommand.resumeSettings(spec.commandLine(), s, folder, progress.enabled(), stop::requested);
        }
        if (saved.settings() instanceof SegregatedDendritesSettings s) {
            return SegregatedDendritesCommand.resumeSettings(spec.commandLine(), s, folder, progress.enabled(),
                    stop::requested);
        }
        if (saved.settings() instanceof CompareLearningSettings s) {
            return CompareLearningCommand.resumeSettings(spec.commandLine(), s, folder, progress.enabled(),
                    stop::requested);
        }
        throw new IllegalArgumentException("--resume " + folder + ": a run of kind '" + saved.kind() + "' does not "
                + "resume; repeat it with neurode run " + folder.resolve(ExperimentFile.FILE));
    }

    private int runKind(final ExperimentSpec<?, ?> experiment) {
        {
            if (experiment.settings() instanceof RegressionSettings s) {
                return RegressionCommand.runSettings(spec.commandLine(), s, out, checkpointMinutes,
                        progress.enabled(), stop::requested);
            }
            if (experiment.settings() instanceof XorSettings s) {
                return XorCommand.runSettings(spec.commandLine(), s, out, progress.enabled(), stop::requested);
            }
            if (experiment.settings() instanceof CompareSolversSettings s) {
                return CompareSolversCommand.runSettings(spec.commandLine(), s, out, progress.enabled(),
                        stop::requested);
            }
            if (experiment.settings() instanceof LtcSineSettings s) {
                return LtcSineCommand.runSettings(spec.commandLine(), s, out, progress.enabled(), stop::requested);
            }
            if (experiment.settings() instanceof NodeSpiralSettings s) {
                return NodeSpiralCommand.runSettings(spec.commandLine(), s, out, progress.enabled(), stop::requested);
            }
            if (experiment.settings() instanceof SimulateSettings s) {
                return SimulateCommand.runSettings(spec.commandLine(), s, out, progress.enabled(), stop::requested);
            }
            if (experiment.settings() instanceof SegregatedDendritesSettings s) {
                return SegregatedDendritesCommand.runSettings(spec.commandLine(), s, out, progress.enabled(),
                        stop::requested);
            }
            if (experiment.settings() instanceof CompareLearningSettings s) {
                return CompareLearningCommand.runSettings(spec.commandLine(), s, out, progress.enabled(),
                        stop::requested);
            }
            if (experiment.settings() instanceof MultiplexSettings s) {
                return MultiplexCommand.runSettings(spec.commandLine(), s, out, progress.enabled(), stop::requested);
            }
            if (experiment.settings() instanceof BurstXorSettings s) {
                return BurstXorCommand.runSettings(spec.commandLine(), s, out, progress.enabled(), stop::requested);
            }
            throw new IllegalArgumentException(file + ": kind '" + experiment.kind() + "' has no command-line runner "
                    + "yet; the command line runs " + String.join(", ", Experiments.kinds()));
        }
    }
}
