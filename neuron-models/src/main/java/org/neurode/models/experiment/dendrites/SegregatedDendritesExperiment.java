package org.neurode.models.experiment.dendrites;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.neurode.models.credit.ImageTask;
import org.neurode.models.credit.SegregatedDendrites;
import org.neurode.models.credit.SpikingSegregatedDendrites;
import org.neurode.models.experiment.Checkpoints;
import org.neurode.models.experiment.Experiment;
import org.neurode.models.experiment.Futures;
import org.neurode.models.experiment.Progress;
import org.neurode.models.experiment.RunStatus;
import org.neurode.models.tasks.FashionMnist;
import org.neurode.models.tasks.ImageSet;

/**
 * The spiking segregated-dendrite network of Guerguiev, Lillicrap and Richards (2017, eLife 6:e22901, "Towards deep
 * learning with segregated dendrites"; {@link SpikingSegregatedDendrites}) trained on Fashion-MNIST as an
 * experiment: one configuration per feedback mode, the configurations in parallel. Each is tested before training
 * and after every epoch (the test images split over the threads; the spikes of a test image depend on its index
 * only, so the error does not depend on the thread count).
 *
 * <p>Progress counts training examples over all configurations and reports {@code testError.<config>} (the last
 * test error of each configuration, e.g. {@code testError.random-500}). Checkpoints: each configuration hands its
 * {@link SegregatedDendritesRun} to {@link Checkpoints#save} after every test and every {@code checkpointEvery}
 * examples, on its own thread; {@link #run(Prepared, Map, Progress, Checkpoints)} continues from the
 * {@link SegregatedDendritesRun#saved() saved} states (bit for bit when they were taken after a test). A stop
 * request ends every configuration after its current example, hands its state over and returns status
 * {@link RunStatus#INTERRUPTED}; weights that stop being finite end that configuration with status
 * {@link RunStatus#FAILED}. Never prints.
 *
 * @since 0.7
 */
public final class SegregatedDendritesExperiment implements Experiment<SegregatedDendritesSettings,
        SegregatedDendritesResult> {

    /** The experiment. */
    public static final SegregatedDendritesExperiment INSTANCE = new SegregatedDendritesExperiment();
    /** Its kind. */
    public static final String KIND = "segregated-dendrites";
    /** The feedback modes by name. */
    public static final List<String> FEEDBACK = List.of("random", "symmetric");
    /** Settling time at the start of a test phase left out of the output average (ms). */
    public static final double SETTLING_MS = 30.0;

    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private SegregatedDendritesExperiment() {
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Class<SegregatedDendritesSettings> settingsType() {
        return SegregatedDendritesSettings.class;
    }

    /**
     * @return the command line's default run: the Debian package's Fashion-MNIST, one hidden layer of 500, one
     *         epoch of all 55,000 training images, all 10,000 test images, random feedback, 250-ms test phases,
     *         the derived learning rates, seed 1, a checkpoint every 5,000 examples, all cores
     */
    @Override
    public SegregatedDendritesSettings defaults() {
        return new SegregatedDendritesSettings(null, false, List.of(500), 1, null, null, List.of("random"), 250.0, 1.0,
                1, 5000, null);
    }

    @Override
    public void check(final SegregatedDendritesSettings settings) {
        validate(settings);
    }

    /**
     * Checks the settings beyond their types (not the data: {@link #prepare} reads them).
     *
     * @param s settings
     * @throws IllegalArgumentException naming the first field that is invalid
     */
    public static void validate(final SegregatedDendritesSettings s) {
        check(s.feedback() != null && !s.feedback().isEmpty(), "feedback: give at least one mode (random, "
                + "symmetric)");
        for (int i = 0; i < s.feedback().size(); i++) {
            final String f = s.feedback().get(i);
            check(FEEDBACK.contains(f), "feedback: unknown mode '" + f + "'; known: " + String.join(", ", FEEDBACK));
            check(s.feedback().indexOf(f) == i, "feedback: '" + f + "' is given twice");
        }
        check(!(s.subset() && s.data() != null), "subset uses the bundled images; leave out data");
        check(s.data() == null || !s.data().isBlank(), "data: an empty folder name; leave it out for "
                + FashionMnist.DEFAULT_FOLDER);
        check(s.testPhaseMs() > SETTLING_MS && Double.isFinite(s.testPhaseMs()), "testPhaseMs " + s.testPhaseMs()
                + " ms: longer than the 30 ms of settling left out of the average needed");
        check(s.hidden() != null && !s.hidden().isEmpty(), "hidden: give at least one layer size");
        for (final Integer h : s.hidden()) {
            check(h != null && h > 0, "hidden: layer sizes must be positive: " + s.hidden());
        }
        check(s.epochs() > 0, "epochs must be positive: " + s.epochs());
        check(s.trainSize() == null || s.trainSize() > 0, "trainSize must be positive: " + s.trainSize());
        check(s.testSize() == null || s.testSize() > 0, "testSize must be positive: " + s.testSize());
        check(s.rateScale() > 0 && Double.isFinite(s.rateScale()), "rateScale must be positive: " + s.rateScale());
        check(s.checkpointEvery() > 0, "checkpointEvery must be positive: " + s.checkpointEvery());
        check(s.threads() == null || s.threads() > 0, "threads must be positive: " + s.threads());
    }

    private static void check(final boolean valid, final String message) {
        if (!valid) {
            throw new IllegalArgumentException(message);
        }
    }

    /**
     * Validates the settings and reads the data: everything that can go wrong before a run writes anything.
     *
     * @param s the settings
     * @return the prepared run
     * @throws IllegalArgumentException naming the field if the settings are invalid, also for the data read
     *                                  ({@code trainSize} larger than the training images)
     * @throws org.neurode.core.OdeException if the data are missing (naming the folder and the Debian package
     *                                       {@code dataset-fashion-mnist}) or defective
     */
    public Prepared prepare(final SegregatedDendritesSettings s) {
        validate(s);
        return new Prepared(s);
    }

    /**
     * A run whose settings are checked and whose data are read.
     *
     * @since 0.7
     */
    public static final class Prepared {
        private final SegregatedDendritesSettings settings;
        private final int[] sizes;
        private final List<SegregatedDendrites.FeedbackMode> modes = new ArrayList<>();
        private final List<String> configs = new ArrayList<>();
        private final ImageSet train;
        private final ImageSet test;
        private final ImageTask probe;
        private final int trainSize;
        private final int testSize;
        private final int threads;
        private final SpikingSegregatedDendrites.Options options;

        private Prepared(final SegregatedDendritesSettings s) {
            this.settings = s;
            this.sizes = s.hidden().stream().mapToInt(Integer::intValue).toArray();
            final String joined = s.hidden().stream().map(String::valueOf).reduce((a, b) -> a + "x" + b).orElse("");
            for (final String f : s.feedback()) {
                final SegregatedDendrites.FeedbackMode m = "symmetric".equals(f)
                        ? SegregatedDendrites.FeedbackMode.SYMMETRIC : SegregatedDendrites.FeedbackMode.RANDOM;
                modes.add(m);
                configs.add(f + "-" + joined);
            }
            if (s.subset()) {
                this.train = null;
                this.test = null;
            } else {
                final Path folder = folder(s);
                this.train = FashionMnist.train(folder);
                this.test = FashionMnist.test(folder);
            }
            this.probe = task();
            final int images = probe.trainingSize();
            this.trainSize = s.trainSize() != null ? s.trainSize() : images;
            if (trainSize > images) {
                throw new IllegalArgumentException("trainSize " + trainSize + ": at most " + images
                        + " (the training images less the held-out validation images)");
            }
            this.testSize = s.testSize() != null ? Math.min(s.testSize(), probe.testSize()) : probe.testSize();
            this.threads = s.threads() != null ? s.threads() : Runtime.getRuntime().availableProcessors();
            this.options = SpikingSegregatedDendrites.Options.paper(s.seed()).withTestPhase(s.testPhaseMs(),
                    s.testPhaseMs() - SETTLING_MS);
        }

        /**
         * @param s settings
         * @return the data folder of settings without {@code subset}
         */
        public static Path folder(final SegregatedDendritesSettings s) {
            return s.data() != null ? Path.of(s.data()) : FashionMnist.DEFAULT_FOLDER;
        }

        /** A new task on the data read (its own order state). */
        ImageTask task() {
            return settings.subset() ? ImageTask.fashionMnistSubset(settings.seed(), sizes)
                    : ImageTask.fashionMnist(settings.seed(), train, test, sizes);
        }

        /** @return the settings */
        public SegregatedDendritesSettings settings() {
            return settings;
        }

        /** @return the configurations' names in the order of the feedback modes, e.g. {@code random-500} */
        public List<String> configs() {
            return Collections.unmodifiableList(configs);
        }

        /** @return training examples per epoch */
        public int trainSize() {
            return trainSize;
        }

        /** @return test images per test */
        public int testSize() {
            return testSize;
        }

        /** @return the training images that the task trains on (the held-out validation images excluded) */
        public int trainImages() {
            return probe.trainingSize();
        }

        /** @return threads of the run */
        public int threads() {
            return threads;
        }

        /** @return the layer sizes, e.g. {@code 784-500-10} */
        public String shape() {
            final StringBuilder b = new StringBuilder().append(probe.inputs());
            for (final int h : sizes) {
                b.append('-').append(h);
            }
            return b.append('-').append(probe.outputs()).toString();
        }

        /** @return the spiking constants: the paper's, with the settings' test phase */
        public SpikingSegregatedDendrites.Options options() {
            return options;
        }

        /**
         * @return the first configuration's network in neurode's model language
         *         ({@link SpikingSegregatedDendrites#modelText})
         */
        public String modelText() {
            return SpikingSegregatedDendrites.modelText(SpikingSegregatedDendrites.forTask(probe, modes.get(0),
                    settings.seed(), settings.rateScale(), options).config(), options);
        }
    }

    @Override
    public SegregatedDendritesResult run(final SegregatedDendritesSettings settings, final Progress progress,
                                         final Checkpoints checkpoints) {
        return run(prepare(settings), Map.of(), progress, checkpoints);
    }

    /**
     * Runs, or continues, a prepared run.
     *
     * @param p           the prepared run ({@link #prepare})
     * @param saved       saved states by configuration name ({@link SegregatedDendritesRun#saved}); the
     *                    configurations without one start afresh
     * @param progress    receives the examples done (from the configurations' threads, one call at a time)
     * @param checkpoints receives each configuration's {@link SegregatedDendritesRun} on its thread
     * @return the result
     */
    public SegregatedDendritesResult run(final Prepared p, final Map<String, SegregatedDendritesRun.Saved> saved,
                                         final Progress progress, final Checkpoints checkpoints) {
        final SegregatedDendritesSettings s = p.settings();
        for (final Map.Entry<String, SegregatedDendritesRun.Saved> e : saved.entrySet()) {
            if (!p.configs.contains(e.getKey()) || !e.getKey().equals(e.getValue().config())) {
                throw new IllegalArgumentException("saved state of " + e.getValue().config() + " given for "
                        + e.getKey() + "; the configurations are " + String.join(", ", p.configs));
            }
        }
        final int n = p.configs.size();
        final ExecutorService testPool = Executors.newFixedThreadPool(p.threads(), SegregatedDendritesExperiment::daemon);
        final ExecutorService configPool = Executors.newFixedThreadPool(Math.min(p.threads(), n),
                SegregatedDendritesExperiment::daemon);
        final Tally tally = new Tally(p.configs, (long) n * s.epochs() * p.trainSize(), progress);
        final List<Outcome> outcomes = new ArrayList<>();
        try {
            final List<Future<Outcome>> futures = new ArrayList<>();
            for (int c = 0; c < n; c++) {
                final int at = c;
                futures.add(configPool.submit(() -> runConfig(p, at, saved.get(p.configs.get(at)), testPool, tally,
                        progress, checkpoints)));
            }
            for (final Future<Outcome> f : futures) {
                outcomes.add(Futures.join(f));
            }
        } finally {
            configPool.shutdownNow();
            testPool.shutdownNow();
        }
        RunStatus status = RunStatus.SUCCESS;
        final List<String> messages = new ArrayList<>();
        final List<SegregatedDendritesResult.Configuration> configurations = new ArrayList<>();
        for (final Outcome o : outcomes) {
            configurations.add(o.configuration());
            if (o.status() == RunStatus.FAILED) {
                status = RunStatus.FAILED;
                messages.add(o.message());
            } else if (o.status() == RunStatus.INTERRUPTED && status == RunStatus.SUCCESS) {
                status = RunStatus.INTERRUPTED;
            }
        }
        if (status == RunStatus.INTERRUPTED) {
            final StringBuilder m = new StringBuilder("stopped at");
            for (int c = 0; c < n; c++) {
                m.append(c == 0 ? " " : ", ").append(p.configs.get(c)).append(" example ")
                        .append(configurations.get(c).examples());
            }
            messages.add(m.append(" of ").append((long) s.epochs() * p.trainSize()).toString());
        }
        return new SegregatedDendritesResult(s, status, messages.isEmpty() ? null : String.join("; ", messages),
                p.shape(), p.trainSize(), p.testSize(), p.threads(), configurations.get(0).finalTestError(),
                List.copyOf(configurations));
    }

    private static Thread daemon(final Runnable r) {
        final Thread t = new Thread(r, "segregated-dendrites");
        t.setDaemon(true);
        return t;
    }

    /** How one configuration ended. */
    private record Outcome(SegregatedDendritesResult.Configuration configuration, RunStatus status, String message) {
    }

    /** The examples of all configurations, summed for {@link Progress}, and their last test errors. */
    private static final class Tally {
        private final List<String> configs;
        private final long[] counts;
        private final double[] errors;
        private final long total;
        private final Progress progress;
        private Map<String, Double> metrics;

        Tally(final List<String> configs, final long total, final Progress progress) {
            this.configs = configs;
            this.counts = new long[configs.size()];
            this.errors = new double[configs.size()];
            java.util.Arrays.fill(errors, Double.NaN);
            this.total = total;
            this.progress = progress;
            this.metrics = metrics();
        }

        private Map<String, Double> metrics() {
            final Map<String, Double> m = new LinkedHashMap<>();
            for (int c = 0; c < configs.size(); c++) {
                m.put("testError." + configs.get(c), errors[c]);
            }
            return Collections.unmodifiableMap(m);
        }

        /** A configuration's examples done (called after every example: allocates nothing). */
        synchronized void done(final int config, final long done) {
            counts[config] = done;
            long sum = 0;
            for (final long v : counts) {
                sum += v;
            }
            progress.update(sum, total, metrics);
        }

        /** A configuration's test error. */
        synchronized void tested(final int config, final double error) {
            errors[config] = error;
            metrics = metrics();
        }
    }

    /** One configuration: tests, epochs, checkpoints. */
    private static Outcome runConfig(final Prepared p, final int at, final SegregatedDendritesRun.Saved saved,
                                     final ExecutorService testPool, final Tally tally, final Progress progress,
                                     final Checkpoints checkpoints) {
        final SegregatedDendritesSettings s = p.settings();
        final String name = p.configs.get(at);
        final SegregatedDendrites.FeedbackMode mode = p.modes.get(at);
        final int perEpoch = p.trainSize();
        final int tests = p.testSize();
        final ImageTask task = p.task();
        final SegregatedDendritesRun run = new SegregatedDendritesRun(name, SpikingSegregatedDendrites.forTask(task,
                mode, s.seed(), s.rateScale(), p.options()));
        final SpikingSegregatedDendrites learner = run.learner();
        final List<SegregatedDendritesResult.CurvePoint> curve = run.points();
        if (saved != null) {
            run.restore(saved);
        }
        // one learner per test thread; a test image's spikes depend on its index only
        final List<SpikingSegregatedDendrites> copies = new ArrayList<>();
        for (int i = 1; i < Math.min(p.threads(), tests); i++) {
            copies.add(SpikingSegregatedDendrites.forTask(task, mode, s.seed(), s.rateScale(), p.options()));
        }
        final Tester tester = new Tester(task, learner, copies, tests, testPool);
        final long end = (long) s.epochs() * perEpoch;
        RunStatus status = RunStatus.SUCCESS;
        String message = null;
        if (curve.isEmpty()) {
            curve.add(new SegregatedDendritesResult.CurvePoint(0, 0.0, tester.error(), Double.NaN));
            tally.tested(at, curve.get(0).testError());
            if (tester.finite()) {
                checkpoints.save(run);
            } else {
                status = RunStatus.FAILED;
                message = name + ": the initial weights are not finite";
            }
        } else {
            tally.tested(at, curve.get(curve.size() - 1).testError());
        }
        final double[] x = new double[task.inputs()];
        final double[] t = new double[task.outputs()];
        double angleSum = 0;
        long angles = 0;
        double cpuSeconds = 0;
        long timed = 0;
        tally.done(at, run.done());
        while (status == RunStatus.SUCCESS && run.done() < end) {
            final long done = run.done();
            final long epoch = done / perEpoch;
            // the task's order is over its own training set; an epoch of perEpoch examples is its first perEpoch
            final long index = epoch * (long) task.trainingSize() + done % perEpoch;
            task.trainingPattern(index, x, t);
            final long t0 = System.nanoTime();
            final long c0 = CPU.getCurrentThreadCpuTime();
            learner.train(done, x, t);
            final double seconds = (System.nanoTime() - t0) * 1e-9;
            cpuSeconds += (CPU.getCurrentThreadCpuTime() - c0) * 1e-9;
            timed++;
            final double a = learner.hiddenUpdateAngle();
            if (Double.isFinite(a)) {
                angleSum += a;
                angles++;
            }
            run.trained(seconds);
            final long now = run.done();
            tally.done(at, now);
            boolean handed = false;
            if (now % perEpoch == 0) {
                curve.add(new SegregatedDendritesResult.CurvePoint(now, now / (double) perEpoch, tester.error(),
                        angles > 0 ? angleSum / angles : Double.NaN));
                tally.tested(at, curve.get(curve.size() - 1).testError());
                angleSum = 0;
                angles = 0;
                if (!tester.finite()) {
                    status = RunStatus.FAILED;
                    message = name + ": the weights stopped being finite by example " + now;
                    break;
                }
                checkpoints.save(run);
                handed = true;
            } else if (now % s.checkpointEvery() == 0) {
                checkpoints.save(run);
                handed = true;
            }
            if (now < end && progress.stopRequested()) {
                if (!handed) {
                    checkpoints.save(run);
                }
                status = RunStatus.INTERRUPTED;
            }
        }
        final long done = run.done();
        final SegregatedDendritesResult.Configuration c = new SegregatedDendritesResult.Configuration(name,
                s.feedback().get(at), done, curve.get(curve.size() - 1).testError(),
                done > 0 ? 1e3 * run.trainSeconds() / done : Double.NaN,
                timed > 0 ? 1e3 * cpuSeconds / timed : Double.NaN, tester.msPerImage(), List.copyOf(curve));
        return new Outcome(c, status, message);
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
        private boolean finite = true;

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
        double error() {
            final long t0 = System.nanoTime();
            final double[] state = trained.state();
            finite = true;
            for (final double v : state) {
                if (!Double.isFinite(v)) {
                    finite = false;
                    break;
                }
            }
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
                wrong += Futures.join(f);
            }
            seconds += (System.nanoTime() - t0) * 1e-9;
            images += tests;
            return wrong / (double) tests;
        }

        /** @return whether the weights were finite at the last test */
        boolean finite() {
            return finite;
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
}
