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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.neurode.examples.OptionConverters;
import org.neurode.examples.OutputFolders;
import org.neurode.examples.Progress;
import org.neurode.examples.ProgressOption;
import org.neurode.examples.VersionProvider;
import org.neurode.examples.io.AtomicFiles;
import org.neurode.models.experiment.BinaryArrays;
import org.neurode.examples.io.CheckpointFile;
import org.neurode.examples.io.CsvFiles;
import org.neurode.examples.io.JsonFiles;
import org.neurode.examples.plot.Charts;
import org.neurode.examples.plot.Figure;
import org.neurode.examples.plot.Series;
import org.neurode.models.credit.ImageTask;
import org.neurode.models.credit.SegregatedDendrites;
import org.neurode.models.credit.SpikingSegregatedDendrites;
import org.neurode.models.tasks.FashionMnist;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code neurode segregated-dendrites}: the spiking segregated-dendrite network of Guerguiev, Lillicrap and Richards
 * (2017, eLife 6:e22901) trained on Fashion-MNIST, one configuration per feedback mode, the configurations in
 * parallel. Each configuration is tested before training and after every epoch (the test images split over the
 * threads; the spikes of a test image depend on its index only, so the error does not depend on the thread count),
 * writes a checkpoint ({@code <config>.ckpt}) at every test and every {@code --checkpoint-every} examples, and
 * continues bit for bit with {@code --resume}. Output: {@code config.json}, {@code curves.csv}, {@code results.json},
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
    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory
            .getThreadMXBean();

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

    /**
     * A point of a learning curve.
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

    /** The result of one configuration. */
    private record Done(String config, List<Point> curve, double trainMsPerImage, double trainCpuMsPerImage,
                        double testMsPerImage) {
    }

    @Override
    public Integer call() throws Exception {
        final List<SegregatedDendrites.FeedbackMode> modes = new ArrayList<>();
        for (final String f : feedback) {
            switch (f) {
                case "random" -> modes.add(SegregatedDendrites.FeedbackMode.RANDOM);
                case "symmetric" -> modes.add(SegregatedDendrites.FeedbackMode.SYMMETRIC);
                default -> throw new IllegalArgumentException("--feedback: unknown mode '" + f
                        + "'; known: random, symmetric");
            }
        }
        if (resume != null && out != null) {
            throw new IllegalArgumentException("--resume continues in its own folder; leave out --out");
        }
        if (resume != null && !Files.isDirectory(resume)) {
            throw new IllegalArgumentException("--resume " + resume + ": no such folder");
        }
        if (subset && data != null) {
            throw new IllegalArgumentException("--subset uses the bundled images; leave out --data");
        }
        if (!(testPhase > 30)) {
            throw new IllegalArgumentException("--test-phase " + testPhase + " ms: longer than the 30 ms of settling"
                    + " left out of the average needed");
        }
        final int[] sizes = hidden.stream().mapToInt(Integer::intValue).toArray();
        // the data are read before any output is written
        final ImageTask probe = task(sizes);
        final int perEpoch = trainSize != null ? trainSize : (int) trainImages(probe);
        if (perEpoch > trainImages(probe)) {
            throw new IllegalArgumentException("--train-size " + perEpoch + ": at most " + trainImages(probe)
                    + " (the training images less the held-out validation images)");
        }
        final int tests = testSize != null ? Math.min(testSize, probe.testSize()) : probe.testSize();
        final Path folder = OutputFolders.prepare(resume != null ? resume : out, "segregated-dendrites");
        final Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("data", subset ? "bundled subset" : String.valueOf(data != null ? data
                : FashionMnist.DEFAULT_FOLDER));
        settings.put("hidden", hidden);
        settings.put("epochs", epochs);
        settings.put("trainSize", perEpoch);
        settings.put("testSize", tests);
        settings.put("feedback", feedback);
        settings.put("testPhaseMs", testPhase);
        settings.put("rateScale", rateScale);
        settings.put("seed", seed);
        if (resume != null) {
            // the same run, perhaps with more epochs
            final com.fasterxml.jackson.databind.node.ObjectNode before = (com.fasterxml.jackson.databind.node
                    .ObjectNode) JsonFiles.read(folder.resolve("config.json"));
            final com.fasterxml.jackson.databind.node.ObjectNode now = (com.fasterxml.jackson.databind.node
                    .ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper().readTree(JsonFiles.toJson(settings));
            before.remove("epochs");
            now.remove("epochs");
            if (!before.equals(now)) {
                throw new IllegalArgumentException("--resume " + folder + ": the options differ from the run's "
                        + "config.json (only --epochs may change); give the same options");
            }
        }
        JsonFiles.write(folder.resolve("config.json"), settings);
        final int nThreads = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        final PrintWriter err = spec.commandLine().getErr();
        final SpikingSegregatedDendrites.Options options = options();
        final List<String> names = new ArrayList<>();
        for (final SegregatedDendrites.FeedbackMode m : modes) {
            names.add(configName(m));
        }
        for (final String name : names) {
            final State s = read(folder.resolve(name + ".ckpt"));
            if (s != null && !s.config().equals(name)) {
                throw new IllegalArgumentException(folder.resolve(name + ".ckpt") + ": a checkpoint of " + s.config());
            }
        }
        err.printf(Locale.ROOT, "segregated-dendrites: %s on %s, %d configuration(s), %d epoch(s) of %d examples, %d "
                + "test images, %d threads, output %s%n", shape(probe), subset ? "the bundled subset"
                : "Fashion-MNIST", names.size(), epochs, perEpoch, tests, nThreads, folder);
        err.flush();
        final ExecutorService testPool = Executors.newFixedThreadPool(nThreads);
        final ExecutorService configPool = Executors.newFixedThreadPool(Math.min(nThreads, names.size()));
        final List<Done> done = new ArrayList<>();
        final long total = (long) names.size() * epochs * perEpoch;
        try (Progress bar = progress.enabled() ? Progress.counting("segregated-dendrites", " examples", 0, total)
                : Progress.none()) {
            final long[] counts = new long[names.size()];
            final List<Future<Done>> futures = new ArrayList<>();
            for (int c = 0; c < names.size(); c++) {
                final int at = c;
                futures.add(configPool.submit(() -> run(names.get(at), modes.get(at), sizes, options, perEpoch,
                        tests, nThreads, folder, testPool, n -> {
                            synchronized (counts) {
                                counts[at] = n;
                                long sum = 0;
                                for (final long v : counts) {
                                    sum += v;
                                }
                                bar.update(sum, "");
                            }
                        })));
            }
            for (final Future<Done> f : futures) {
                done.add(get(f));
            }
        } finally {
            configPool.shutdownNow();
            testPool.shutdownNow();
        }
        AtomicFiles.writeString(folder.resolve("model.ode"), SpikingSegregatedDendrites.modelText(
                probeConfig(probe, modes.get(0)), options));
        writeResults(folder, settings, done, perEpoch);
        for (final Done d : done) {
            final Point last = d.curve().get(d.curve().size() - 1);
            err.printf(Locale.ROOT, "  %s: test error %.4f after %d examples (%.2f ms per training image, %.2f ms of"
                    + " its thread's CPU; %.2f ms per test image)%n", d.config(), last.testError(), last.examples(),
                    d.trainMsPerImage(), d.trainCpuMsPerImage(), d.testMsPerImage());
        }
        err.println("segregated-dendrites: wrote " + folder.resolve("results.json"));
        err.flush();
        return 0;
    }

    /** The task's training images (it holds out its validation images). */
    private static long trainImages(final ImageTask t) {
        return t.trainingSize();
    }

    private String shape(final ImageTask t) {
        final StringBuilder s = new StringBuilder().append(t.inputs());
        for (final int h : hidden) {
            s.append('-').append(h);
        }
        return s.append('-').append(t.outputs()).toString();
    }

    private SpikingSegregatedDendrites.Options options() {
        return SpikingSegregatedDendrites.Options.paper(seed).withTestPhase(testPhase, testPhase - 30.0);
    }

    private String configName(final SegregatedDendrites.FeedbackMode m) {
        return (m == SegregatedDendrites.FeedbackMode.SYMMETRIC ? "symmetric" : "random") + "-"
                + hidden.stream().map(String::valueOf).reduce((a, b) -> a + "x" + b).orElse("");
    }

    private SegregatedDendrites.Config probeConfig(final ImageTask t, final SegregatedDendrites.FeedbackMode m) {
        return SpikingSegregatedDendrites.forTask(t, m, seed, rateScale, options()).config();
    }

    private ImageTask task(final int[] sizes) {
        if (subset) {
            return ImageTask.fashionMnistSubset(seed, sizes);
        }
        final Path folder = data != null ? data : FashionMnist.DEFAULT_FOLDER;
        return ImageTask.fashionMnist(seed, FashionMnist.train(folder), FashionMnist.test(folder), sizes);
    }

    /** One configuration: tests, epochs, checkpoints. */
    private Done run(final String name, final SegregatedDendrites.FeedbackMode mode, final int[] sizes,
                     final SpikingSegregatedDendrites.Options options, final int perEpoch, final int tests,
                     final int nThreads, final Path folder, final ExecutorService testPool,
                     final java.util.function.LongConsumer progressed) throws Exception {
        final ImageTask task = task(sizes);
        final SpikingSegregatedDendrites learner = SpikingSegregatedDendrites.forTask(task, mode, seed, rateScale,
                options);
        final Path ckpt = folder.resolve(name + ".ckpt");
        final List<Point> curve = new ArrayList<>();
        long done = 0;
        double trainSeconds = 0;
        final State before = read(ckpt);
        if (before != null) {
            learner.restore(before.learner());
            curve.addAll(before.curve());
            done = before.done();
            trainSeconds = before.trainSeconds();
        }
        // one learner per test thread; a test image's spikes depend on its index only
        final List<SpikingSegregatedDendrites> copies = new ArrayList<>();
        for (int i = 1; i < Math.min(nThreads, tests); i++) {
            copies.add(SpikingSegregatedDendrites.forTask(task, mode, seed, rateScale, options));
        }
        final Tester tester = new Tester(task, learner, copies, tests, testPool);
        final long end = (long) epochs * perEpoch;
        if (curve.isEmpty()) {
            curve.add(new Point(0, tester.error(), Double.NaN));
            write(ckpt, new State(name, 0, curve, trainSeconds, learner.state()));
        }
        final double[] x = new double[task.inputs()];
        final double[] t = new double[task.outputs()];
        double angleSum = 0;
        long angles = 0;
        double cpuSeconds = 0;
        long timed = 0;
        progressed.accept(done);
        while (done < end) {
            final long epoch = done / perEpoch;
            // the task's order is over its own training set; an epoch of perEpoch examples is its first perEpoch
            final long index = epoch * (long) trainImages(task) + done % perEpoch;
            task.trainingPattern(index, x, t);
            final long t0 = System.nanoTime();
            final long c0 = CPU.getCurrentThreadCpuTime();
            learner.train(done, x, t);
            trainSeconds += (System.nanoTime() - t0) * 1e-9;
            cpuSeconds += (CPU.getCurrentThreadCpuTime() - c0) * 1e-9;
            timed++;
            final double a = learner.hiddenUpdateAngle();
            if (Double.isFinite(a)) {
                angleSum += a;
                angles++;
            }
            done++;
            progressed.accept(done);
            if (done % perEpoch == 0) {
                curve.add(new Point(done, tester.error(), angles > 0 ? angleSum / angles : Double.NaN));
                angleSum = 0;
                angles = 0;
                write(ckpt, new State(name, done, curve, trainSeconds, learner.state()));
            } else if (done % checkpointEvery == 0) {
                write(ckpt, new State(name, done, curve, trainSeconds, learner.state()));
            }
        }
        return new Done(name, curve, done > 0 ? 1e3 * trainSeconds / done : Double.NaN,
                timed > 0 ? 1e3 * cpuSeconds / timed : Double.NaN, tester.msPerImage());
    }

    /** The test passes of one configuration, split over threads, each with its own learner. */
    private static final class Tester {
        private final ImageTask task;
        private final SpikingSegregatedDendrites trained;
        private final SpikingSegregatedDendrites[] copies;
        private final int tests;
        private final ExecutorService pool;
        private double seconds;
        private long images;

        /**
         * @param trained the configuration's learner (tests its share itself)
         * @param copies  the other learners (their weights are set from it at every test)
         */
        Tester(final ImageTask task, final SpikingSegregatedDendrites trained,
               final List<SpikingSegregatedDendrites> copies, final int tests, final ExecutorService pool) {
            this.task = task;
            this.trained = trained;
            this.tests = tests;
            this.pool = pool;
            this.copies = new SpikingSegregatedDendrites[copies.size() + 1];
            this.copies[0] = trained;
            for (int i = 0; i < copies.size(); i++) {
                this.copies[i + 1] = copies.get(i);
            }
        }

        /** @return the fraction of the first {@code tests} test images misclassified */
        double error() throws Exception {
            final long t0 = System.nanoTime();
            final double[] state = trained.state();
            final List<Future<Integer>> parts = new ArrayList<>();
            for (int c = 0; c < copies.length; c++) {
                final SpikingSegregatedDendrites l = copies[c];
                if (l != trained) {
                    l.restore(state);
                }
                final int from = (int) ((long) tests * c / copies.length);
                final int to = (int) ((long) tests * (c + 1) / copies.length);
                final ImageTask own = (ImageTask) task.copy();
                parts.add(pool.submit(() -> wrong(own, l, from, to)));
            }
            int wrong = 0;
            for (final Future<Integer> f : parts) {
                wrong += get(f);
            }
            seconds += (System.nanoTime() - t0) * 1e-9;
            images += tests;
            return wrong / (double) tests;
        }

        double msPerImage() {
            return images > 0 ? 1e3 * seconds / images : Double.NaN;
        }

        private static int wrong(final ImageTask task, final SpikingSegregatedDendrites l, final int from,
                                 final int to) {
            final double[] x = new double[task.inputs()];
            final double[] t = new double[task.outputs()];
            final double[] o = new double[task.outputs()];
            int wrong = 0;
            for (int i = from; i < to; i++) {
                task.testPattern(i, x, t);
                l.predict(i, x, o);
                int best = 0;
                for (int k = 1; k < o.length; k++) {
                    if (o[k] > o[best]) {
                        best = k;
                    }
                }
                if (t[best] != 1.0) {
                    wrong++;
                }
            }
            return wrong;
        }
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

    private static void writeResults(final Path folder, final Map<String, Object> settings, final List<Done> done,
                                     final int perEpoch) throws IOException {
        final List<String> config = new ArrayList<>();
        final List<double[]> columns = new ArrayList<>();
        int rows = 0;
        for (final Done d : done) {
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
            final Done d = done.get(c);
            config.add(d.config());
            final double[] x = new double[d.curve().size()];
            final double[] y = new double[d.curve().size()];
            final List<Map<String, Object>> points = new ArrayList<>();
            for (int i = 0; i < d.curve().size(); i++) {
                final Point p = d.curve().get(i);
                cfg[r] = c;
                epoch[r] = p.examples() / (double) perEpoch;
                examples[r] = p.examples();
                error[r] = p.testError();
                angle[r] = p.meanAngle();
                x[i] = epoch[r];
                y[i] = p.testError();
                final Map<String, Object> m = new LinkedHashMap<>();
                m.put("epoch", epoch[r]);
                m.put("examples", p.examples());
                m.put("testError", p.testError());
                m.put("meanAngleDeg", Double.isFinite(p.meanAngle()) ? p.meanAngle() : null);
                points.add(m);
                r++;
            }
            series.add(new Series(d.config(), x, y));
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("config", d.config());
            m.put("finalTestError", d.curve().get(d.curve().size() - 1).testError());
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
        results.put("configs", config);
        results.put("runs", json);
        JsonFiles.write(folder.resolve("results.json"), results);
        Figure.of(List.of(Charts.lines("spiking segregated dendrites: test error", "epoch", "test error (fraction)",
                series))).writePng(folder.resolve("test-error.png"));
    }

    private static <T> T get(final Future<T> f) throws Exception {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            throw e;
        }
    }
}
