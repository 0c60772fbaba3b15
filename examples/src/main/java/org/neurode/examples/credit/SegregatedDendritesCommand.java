package org.neurode.examples.credit;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;

import org.neurode.examples.Main;
import org.neurode.examples.OptionConverters;
import org.neurode.examples.OutputFolders;
import org.neurode.examples.Progress;
import org.neurode.examples.ProgressOption;
import org.neurode.examples.StopOnSignal;
import org.neurode.examples.VersionProvider;
import org.neurode.examples.io.AtomicFiles;
import org.neurode.examples.io.CheckpointFile;
import org.neurode.examples.io.CsvFiles;
import org.neurode.examples.io.ExperimentFile;
import org.neurode.examples.io.JsonFiles;
import org.neurode.examples.plot.Charts;
import org.neurode.examples.plot.Figure;
import org.neurode.examples.plot.Series;
import org.neurode.models.experiment.BinaryArrays;
import org.neurode.models.experiment.Checkpoints;
import org.neurode.models.experiment.RunStatus;
import org.neurode.models.experiment.SettingsFiles;
import org.neurode.models.experiment.dendrites.SegregatedDendritesExperiment;
import org.neurode.models.experiment.dendrites.SegregatedDendritesResult;
import org.neurode.models.experiment.dendrites.SegregatedDendritesRun;
import org.neurode.models.experiment.dendrites.SegregatedDendritesSettings;
import org.neurode.models.credit.SpikingSegregatedDendrites;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code neurode segregated-dendrites}: the spiking segregated-dendrite network of Guerguiev, Lillicrap and Richards
 * (2017, eLife 6:e22901) trained on Fashion-MNIST, one configuration per feedback mode, the configurations in
 * parallel: the shell of {@link SegregatedDendritesExperiment} (the training, the tests and the numbers). Each
 * configuration is tested before training and after every epoch (the test images split over the threads; the spikes
 * of a test image depend on its index only, so the error does not depend on the thread count), writes a checkpoint
 * ({@code <config>.ckpt}) at every test and every {@code --checkpoint-every} examples, and continues bit for bit with
 * {@code --resume}. Ctrl-C stops after the current example with a checkpoint and writes the files. Output:
 * {@code config.json}, {@code curves.csv}, {@code results.json} (with the settings, for {@code neurode run}),
 * {@code model.ode} (the network in the model language) and {@code test-error.png}.
 */
@Command(name = "segregated-dendrites", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
         description = {"Trains the spiking segregated-dendrite network (Guerguiev et al. 2017) on Fashion-MNIST "
                 + "(docs/credit-assignment.md)."})
public final class SegregatedDendritesCommand implements Callable<Integer> {

    /** Name of the checkpoint container. */
    static final CheckpointFile.Kind KIND = new CheckpointFile.Kind() {
        @Override
        public String name() {
            return "segregated-dendrites run";
        }

        @Override
        public long magic() {
            return 0x4E52445345474431L; // "NRDSEGD1"
        }

        @Override
        public long legacyMagic() {
            return 0x4E52445345474430L; // never written
        }

        @Override
        public String check(final DataInputStream in) throws IOException {
            final String config = in.readUTF();
            final long done = in.readLong();
            if (done < 0) {
                throw new IOException("examples done is " + done);
            }
            return config + ", example " + done;
        }
    };

    private static final int MAX_POINTS = 1_000_000;

    /** The options by settings field, for error messages. */
    private static final Map<String, String> OPTIONS = Map.ofEntries(Map.entry("data", "--data"),
            Map.entry("subset", "--subset"), Map.entry("hidden", "--hidden"), Map.entry("epochs", "--epochs"),
            Map.entry("trainSize", "--train-size"), Map.entry("testSize", "--test-size"),
            Map.entry("feedback", "--feedback"), Map.entry("testPhaseMs", "--test-phase"),
            Map.entry("rateScale", "--rate-scale"), Map.entry("seed", "--seed"),
            Map.entry("checkpointEvery", "--checkpoint-every"), Map.entry("threads", "--threads"));

    @Spec
    private CommandSpec spec;

    @Option(names = "--data", converter = OptionConverters.OutputPath.class, paramLabel = "<folder>",
            description = "Folder of the Fashion-MNIST IDX files (default: the Debian package dataset-fashion-mnist's,"
                    + " /usr/share/datasets/fashion-mnist).")
    private Path data;

    @Option(names = "--subset", description = "Use the 1,000 training (100 held out) and 500 test images bundled with"
            + " neurode instead of --data.")
    private boolean subset;

    @Option(names = "--hidden", split = ",", defaultValue = "500", converter = OptionConverters.PositiveInt.class,
            paramLabel = "<n>", description = "Hidden layer sizes (default ${DEFAULT-VALUE}; 500,100 for two).")
    private List<Integer> hidden;

    @Option(names = "--epochs", defaultValue = "1", converter = OptionConverters.PositiveInt.class,
            paramLabel = "<n>", description = "Epochs (default ${DEFAULT-VALUE}).")
    private int epochs;

    @Option(names = "--train-size", converter = OptionConverters.PositiveInt.class, paramLabel = "<n>",
            description = "Training examples per epoch (default: all, 55,000 of Fashion-MNIST's 60,000 with 5,000 held"
                    + " out; 900 of the subset).")
    private Integer trainSize;

    @Option(names = "--test-size", converter = OptionConverters.PositiveInt.class, paramLabel = "<n>",
            description = "Test images per test (default: all, 10,000; 500 of the subset).")
    private Integer testSize;

    @Option(names = "--feedback", split = ",", defaultValue = "random", paramLabel = "<mode>",
            description = "Feedback modes, one configuration each: random, symmetric (default ${DEFAULT-VALUE}; "
                    + "random,symmetric for both).")
    private List<String> feedback;

    @Option(names = "--test-phase", defaultValue = "250", converter = OptionConverters.PositiveDouble.class,
            paramLabel = "<ms>", description = "Test phase (default ${DEFAULT-VALUE} ms, the paper's); the output "
                    + "rate is averaged over its last (phase - 30) ms.")
    private double testPhase;

    @Option(names = "--rate-scale", defaultValue = "1", converter = OptionConverters.PositiveDouble.class,
            paramLabel = "<factor>", description = "Factor on the derived learning rates (default ${DEFAULT-VALUE}).")
    private double rateScale;

    @Option(names = "--seed", defaultValue = "1", converter = OptionConverters.Seed.class, paramLabel = "<seed>",
            description = "Seed of the weights, the order, the spikes and the phase lengths (default "
                    + "${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--checkpoint-every", defaultValue = "5000", converter = OptionConverters.PositiveInt.class,
            paramLabel = "<n>", description = "Also checkpoint every n training examples (default ${DEFAULT-VALUE}).")
    private int checkpointEvery;

    @Option(names = "--threads", converter = OptionConverters.PositiveInt.class, paramLabel = "<n>",
            description = "Threads (default: all cores): configurations in parallel, test images split.")
    private Integer threads;

    @Option(names = "--out", converter = OptionConverters.OutputPath.class, paramLabel = "<folder>",
            description = "Output folder (default runs/segregated-dendrites-<time>).")
    private Path out;

    @Option(names = "--resume", converter = OptionConverters.OutputPath.class, paramLabel = "<folder>",
            description = "Continue a run in this folder with the same options, from its checkpoints.")
    private Path resume;

    @Mixin
    private ProgressOption progress;

    private final StopOnSignal stop = new StopOnSignal();

    /**
     * A point of a learning curve, as a checkpoint holds it.
     *
     * @param examples  training examples so far (epoch = examples / train size)
     * @param testError fraction of the test images misclassified
     * @param meanAngle mean angle of the hidden update to backprop's over the epoch (degrees; NaN before training)
     */
    public record Point(long examples, double testError, double meanAngle) {
    }

    /**
     * What a checkpoint holds.
     *
     * @param config       the configuration's name
     * @param done         training examples done
     * @param curve        the learning curve so far
     * @param trainSeconds wall time spent training so far (s)
     * @param learner      the learner's state ({@link SpikingSegregatedDendrites#state})
     */
    public record State(String config, long done, List<Point> curve, double trainSeconds, double[] learner) {
    }

    /**
     * Runs the experiment with the options as settings.
     *
     * @return {@value Main#EXIT_OK} (also when stopped: the files are written), or {@value Main#EXIT_SOLVE_FAILED}
     *         if a configuration's weights stopped being finite
     */
    @Override
    public Integer call() throws Exception {
        if (resume != null && out != null) {
            throw new IllegalArgumentException("--resume continues in its own folder; leave out --out");
        }
        if (resume != null && !Files.isDirectory(resume)) {
            throw new IllegalArgumentException("--resume " + resume + ": no such folder");
        }
        final SegregatedDendritesSettings settings = resume != null && ExperimentFile.applies(resume,
                spec.commandLine().getParseResult())
                ? ExperimentFile.settings(resume, SegregatedDendritesSettings.class, threads)
                : new SegregatedDendritesSettings(data != null ? data.toString() : null, subset, hidden, epochs,
                        trainSize, testSize, feedback, testPhase, rateScale, seed, checkpointEvery, threads);
        return stop.run("segregated-dendrites-stop", () -> run(spec.commandLine(), settings, out, resume,
                progress.enabled(), stop::requested, true));
    }

    /**
     * Runs the spiking segregated-dendrite network with the given settings into a folder, as
     * {@code neurode segregated-dendrites} with the same settings would (the same files and numbers, console lines
     * and exit code): the shell of {@code neurode run} for {@code kind: segregated-dendrites}.
     *
     * @param cl           the command line printing the summary
     * @param s            the settings
     * @param out          output folder (null: {@code runs/segregated-dendrites-<time>})
     * @param showProgress show a progress bar
     * @param stop         polled after every example: true stops the run (it writes its checkpoints and files)
     * @return the exit code
     */
    public static int runSettings(final CommandLine cl, final SegregatedDendritesSettings s, final Path out,
                                  final boolean showProgress, final BooleanSupplier stop) {
        return run(cl, s, out, null, showProgress, stop, false);
    }

    /**
     * Continues the run in a folder with its settings (those of its {@code experiment.json}): the shell of
     * {@code neurode run --resume} for {@code kind: segregated-dendrites}.
     *
     * @param cl           the command line printing the summary
     * @param s            the run's settings
     * @param folder       the run's folder
     * @param showProgress show a progress bar
     * @param stop         polled after every example
     * @return the exit code
     */
    public static int resumeSettings(final CommandLine cl, final SegregatedDendritesSettings s, final Path folder,
                                     final boolean showProgress, final BooleanSupplier stop) {
        return run(cl, s, null, folder, showProgress, stop, false);
    }

    private static int run(final CommandLine cl, final SegregatedDendritesSettings s, final Path out,
                           final Path resume, final boolean showProgress, final BooleanSupplier stop,
                           final boolean options) {
        // the data are read before any output is written
        final SegregatedDendritesExperiment.Prepared p;
        try {
            p = SegregatedDendritesExperiment.INSTANCE.prepare(s);
        } catch (IllegalArgumentException e) {
            throw options ? OptionNames.rename(e, OPTIONS) : e;
        }
        final int perEpoch = p.trainSize();
        final Path folder = OutputFolders.prepare(resume != null ? resume : out, "segregated-dendrites");
        final Map<String, Object> config = new LinkedHashMap<>();
        config.put("data", s.subset() ? "bundled subset"
                : String.valueOf(SegregatedDendritesExperiment.Prepared.folder(s)));
        config.put("hidden", s.hidden());
        config.put("epochs", s.epochs());
        config.put("trainSize", perEpoch);
        config.put("testSize", p.testSize());
        config.put("feedback", s.feedback());
        config.put("testPhaseMs", s.testPhaseMs());
        config.put("rateScale", s.rateScale());
        config.put("seed", s.seed());
        if (resume != null) {
            // the same run, perhaps with more epochs
            final com.fasterxml.jackson.databind.node.ObjectNode before = (com.fasterxml.jackson.databind.node
                    .ObjectNode) JsonFiles.read(folder.resolve("config.json"));
            final com.fasterxml.jackson.databind.node.ObjectNode now;
            try {
                now = (com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind
                        .ObjectMapper().readTree(JsonFiles.toJson(config));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            before.remove("epochs");
            now.remove("epochs");
            if (!before.equals(now)) {
                throw new IllegalArgumentException("--resume " + folder + ": the options differ from the run's "
                        + "config.json (only --epochs may change); give the same options");
            }
        }
        JsonFiles.write(folder.resolve("config.json"), config);
        // the settings, for --resume without options and for neurode run --resume
        ExperimentFile.write(folder, SegregatedDendritesExperiment.KIND, s);
        final PrintWriter err = cl.getErr();
        final Map<String, SegregatedDendritesRun.Saved> saved = new LinkedHashMap<>();
        for (final String name : p.configs()) {
            final State st = read(folder.resolve(name + ".ckpt"));
            if (st != null && !st.config().equals(name)) {
                throw new IllegalArgumentException(folder.resolve(name + ".ckpt") + ": a checkpoint of " + st.config());
            }
            if (st != null) {
                saved.put(name, saved(st, perEpoch));
            }
        }
        err.printf(Locale.ROOT, "segregated-dendrites: %s on %s, %d configuration(s), %d epoch(s) of %d examples, %d "
                + "test images, %d threads, output %s%n", p.shape(), s.subset() ? "the bundled subset"
                : "Fashion-MNIST", p.configs().size(), s.epochs(), perEpoch, p.testSize(), p.threads(), folder);
        err.flush();
        // start Java2D now: after Ctrl-C the JVM is shutting down and can no longer start it to draw the figure
        Figure.warmUp();
        final long total = (long) p.configs().size() * s.epochs() * perEpoch;
        final SegregatedDendritesResult result;
        try (Progress bar = showProgress ? Progress.counting("segregated-dendrites", " examples", 0, total)
                : Progress.none()) {
            result = SegregatedDendritesExperiment.INSTANCE.run(p, saved, new org.neurode.models.experiment
                    .Progress() {
                private Map<String, Double> shown;
                private String text = "";

                @Override
                public void update(final long done, final long all, final Map<String, Double> metrics) {
                    if (metrics != shown) {
                        shown = metrics;
                        final StringBuilder b = new StringBuilder(" test error");
                        for (final Map.Entry<String, Double> m : metrics.entrySet()) {
                            b.append(String.format(Locale.ROOT, " %.3f", m.getValue()));
                        }
                        text = b.toString();
                    }
                    bar.update(done, text);
                }

                @Override
                public boolean stopRequested() {
                    return stop.getAsBoolean();
                }
            }, Checkpoints.at(state -> {
                final SegregatedDendritesRun r = (SegregatedDendritesRun) state;
                final List<Point> curve = new ArrayList<>();
                for (final SegregatedDendritesResult.CurvePoint c : r.curve()) {
                    curve.add(new Point(c.examples(), c.testError(), c.meanAngleDeg()));
                }
                write(folder.resolve(r.config() + ".ckpt"), new State(r.config(), r.done(), curve,
                        r.trainSeconds(), r.learnerState()));
            }));
        }
        AtomicFiles.writeString(folder.resolve("model.ode"), p.modelText());
        writeResults(folder, SettingsFiles.document(SegregatedDendritesExperiment.KIND, s), result);
        for (final SegregatedDendritesResult.Configuration d : result.configurations()) {
            final SegregatedDendritesResult.CurvePoint last = d.curve().get(d.curve().size() - 1);
            err.printf(Locale.ROOT, "  %s: test error %.4f after %d examples (%.2f ms per training image, %.2f ms of"
                    + " its thread's CPU; %.2f ms per test image)%n", d.config(), last.testError(), last.examples(),
                    d.trainMsPerImage(), d.trainCpuMsPerImage(), d.testMsPerImage());
        }
        err.println("segregated-dendrites: wrote " + folder.resolve("results.json"));
        err.flush();
        if (result.status() == RunStatus.INTERRUPTED) {
            err.println("neurode: note: " + result.message() + "; segregated-dendrites --resume " + folder
                    + " with the same options continues");
            err.flush();
        } else if (result.status() == RunStatus.FAILED) {
            err.println("neurode: error: " + result.message());
            err.flush();
            return Main.EXIT_SOLVE_FAILED;
        }
        return Main.EXIT_OK;
    }

    /** A checkpoint's content as the experiment continues from it. */
    private static SegregatedDendritesRun.Saved saved(final State s, final int perEpoch) {
        final List<SegregatedDendritesResult.CurvePoint> curve = new ArrayList<>();
        for (final Point p : s.curve()) {
            curve.add(new SegregatedDendritesResult.CurvePoint(p.examples(), p.examples() / (double) perEpoch,
                    p.testError(), p.meanAngle()));
        }
        return new SegregatedDendritesRun.Saved(s.config(), s.done(), curve, s.trainSeconds(), s.learner());
    }

    static void write(final Path file, final State s) {
        CheckpointFile.write(file, KIND, out -> {
            out.writeUTF(s.config());
            out.writeLong(s.done());
            out.writeDouble(s.trainSeconds());
            out.writeInt(s.curve().size());
            for (final Point p : s.curve()) {
                out.writeLong(p.examples());
                out.writeDouble(p.testError());
                out.writeDouble(p.meanAngle());
            }
            BinaryArrays.write(out, s.learner());
        });
    }

    /**
     * @param file a checkpoint
     * @return its content, or null if there is none
     * @throws IllegalArgumentException naming the file if it is damaged
     */
    public static State read(final Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        final DataInputStream in = CheckpointFile.read(file, KIND);
        try {
            final String config = in.readUTF();
            final long done = in.readLong();
            final double seconds = in.readDouble();
            final int n = BinaryArrays.readCount(in, MAX_POINTS, "curve points");
            final List<Point> curve = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                curve.add(new Point(in.readLong(), in.readDouble(), in.readDouble()));
            }
            final double[] learner = BinaryArrays.read(in);
            CheckpointFile.requireEnd(in);
            return new State(config, done, curve, seconds, learner);
        } catch (IOException e) {
            throw CheckpointFile.invalid(file, KIND, e.getMessage(), e);
        }
    }

    private static void writeResults(final Path folder, final Map<String, Object> settings,
                                     final SegregatedDendritesResult result) {
        final List<SegregatedDendritesResult.Configuration> done = result.configurations();
        final List<String> config = new ArrayList<>();
        final List<double[]> columns = new ArrayList<>();
        int rows = 0;
        for (final SegregatedDendritesResult.Configuration d : done) {
            rows += d.curve().size();
        }
        final double[] cfg = new double[rows];
        final double[] epoch = new double[rows];
        final double[] examples = new double[rows];
        final double[] error = new double[rows];
        final double[] angle = new double[rows];
        final List<Series> series = new ArrayList<>();
        final List<Map<String, Object>> json = new ArrayList<>();
        int r = 0;
        for (int c = 0; c < done.size(); c++) {
            final SegregatedDendritesResult.Configuration d = done.get(c);
            config.add(d.config());
            final double[] x = new double[d.curve().size()];
            final double[] y = new double[d.curve().size()];
            final List<Map<String, Object>> points = new ArrayList<>();
            for (int i = 0; i < d.curve().size(); i++) {
                final SegregatedDendritesResult.CurvePoint p = d.curve().get(i);
                cfg[r] = c;
                epoch[r] = p.epoch();
                examples[r] = p.examples();
                error[r] = p.testError();
                angle[r] = p.meanAngleDeg();
                x[i] = epoch[r];
                y[i] = p.testError();
                final Map<String, Object> m = new LinkedHashMap<>();
                m.put("epoch", epoch[r]);
                m.put("examples", p.examples());
                m.put("testError", p.testError());
                m.put("meanAngleDeg", Double.isFinite(p.meanAngleDeg()) ? p.meanAngleDeg() : null);
                points.add(m);
                r++;
            }
            series.add(new Series(d.config(), x, y));
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("config", d.config());
            m.put("finalTestError", d.finalTestError());
            m.put("trainMsPerImage", d.trainMsPerImage());
            m.put("trainCpuMsPerImage", Double.isFinite(d.trainCpuMsPerImage()) ? d.trainCpuMsPerImage() : null);
            m.put("testMsPerImage", Double.isFinite(d.testMsPerImage()) ? d.testMsPerImage() : null);
            m.put("curve", points);
            json.add(m);
        }
        columns.add(cfg);
        columns.add(epoch);
        columns.add(examples);
        columns.add(error);
        columns.add(angle);
        CsvFiles.writeColumns(folder.resolve("curves.csv"), List.of("config_index", "epoch", "examples",
                "test_error", "angle_deg"), columns);
        final Map<String, Object> results = new LinkedHashMap<>();
        results.put("settings", settings);
        results.put("status", result.status().name());
        results.put("message", result.message());
        results.put("configs", config);
        results.put("runs", json);
        JsonFiles.write(folder.resolve("results.json"), results);
        Figure.of(List.of(Charts.lines("spiking segregated dendrites: test error", "epoch", "test error (fraction)",
                series))).writePng(folder.resolve("test-error.png"));
    }
}
