package org.neurode.models.experiment.learning;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

import org.neurode.models.credit.ImageTask;
import org.neurode.models.credit.ImitationTask;
import org.neurode.models.credit.LearningRun;
import org.neurode.models.credit.RegressionTask;
import org.neurode.models.credit.Rule;
import org.neurode.models.credit.Rules;
import org.neurode.models.credit.Task;
import org.neurode.models.credit.XorTask;
import org.neurode.models.experiment.Checkpoints;
import org.neurode.models.experiment.Experiment;
import org.neurode.models.experiment.Futures;
import org.neurode.models.experiment.Progress;
import org.neurode.models.experiment.RunStatus;
import org.neurode.models.tasks.FashionMnist;

/**
 * Learning rules side by side as an experiment: every rule on every task for every seed, the same patterns in the
 * same order and the same budget ({@link LearningRun}), the runs spread over threads. The rules: backprop (Rumelhart,
 * Hinton and Williams 1986), feedback alignment (Lillicrap et al. 2016, Nat. Commun. 7:13276), direct feedback
 * alignment (Nøkland 2016), Kickback (Balduzzi et al. 2015), the shallow learner, burstprop and the burst ensemble
 * (Payeur et al. 2021, Nat. Neurosci.), the dendritic microcircuit (Sacramento et al. 2018, NeurIPS) and the
 * segregated-dendrite network (Guerguiev, Lillicrap and Richards 2017, eLife 6:e22901); see {@link Rules}. With
 * several {@code rateScales}, each rule's learning rate is first chosen per task: the first seed is trained at every
 * factor for {@code scanBudget} patterns and the factor with the lowest validation error (patterns never trained on,
 * not the test set) is kept for all seeds. A rule that does not apply to a task is listed as not run.
 *
 * <p>Progress counts training patterns over all runs (the scan's included) and reports {@code runsFinished} and
 * {@code runs}, at every test point. Checkpoints: each run hands its {@link LearningJobRun} to
 * {@link Checkpoints#save} at every test point before its end, on its own thread; a {@link Store} gives back the
 * finished runs and the saved states of an earlier session, so that a comparison continues bit for bit. A stop
 * request ends the runs in flight at once (their last checkpoint, at a test point, stays the state to continue
 * from) and starts no other: status {@link RunStatus#INTERRUPTED}. Never prints.
 *
 * @since 0.7
 */
public final class CompareLearning implements Experiment<CompareLearningSettings, CompareLearningResult> {

    /** The experiment. */
    public static final CompareLearning INSTANCE = new CompareLearning();
    /** Its kind. */
    public static final String KIND = "compare-learning";
    /** The tasks by name; the image tasks read their data when first used. */
    public static final List<String> TASKS = List.of("linear", "nonlinear", "scalar", "xor", "regression",
            "fashion-mnist", "fashion-mnist-subset");
    /** The tasks of the default run (Fashion-MNIST needs its data and hours). */
    public static final List<String> DEFAULT_TASKS = List.of("linear", "nonlinear", "scalar", "xor", "regression");

    private CompareLearning() {
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Class<CompareLearningSettings> settingsType() {
        return CompareLearningSettings.class;
    }

    /** @return the labels of every rule, in the order of the report ({@link Rules#all}) */
    public static List<String> allRules() {
        final List<String> labels = new ArrayList<>();
        for (final Rule r : Rules.all()) {
            labels.add(r.label());
        }
        return List.copyOf(labels);
    }

    /**
     * @return the command line's default comparison: every rule on {@link #DEFAULT_TASKS}, seeds 1 to 3, 20,000
     *         patterns per run, a test every 1,000, factor 1 (no scan), hidden layers of 500 for the image tasks,
     *         all cores
     */
    @Override
    public CompareLearningSettings defaults() {
        return new CompareLearningSettings(allRules(), DEFAULT_TASKS, 3, 1, 20_000, null, List.of(1.0), null, null,
                List.of(500), null);
    }

    @Override
    public void check(final CompareLearningSettings settings) {
        validate(settings);
    }

    /**
     * Checks the settings beyond their types (not the data: {@link #prepare} reads them).
     *
     * @param s settings
     * @throws IllegalArgumentException naming the first field that is invalid
     */
    public static void validate(final CompareLearningSettings s) {
        check(s.tasks() != null && !s.tasks().isEmpty(), "tasks: give at least one task; known: "
                + String.join(", ", TASKS));
        for (int i = 0; i < s.tasks().size(); i++) {
            final String t = s.tasks().get(i);
            check(TASKS.contains(t), "tasks: unknown task '" + t + "'; known: " + String.join(", ", TASKS));
            check(s.tasks().indexOf(t) == i, "tasks: '" + t + "' is given twice");
        }
        check(s.rules() != null && !s.rules().isEmpty(), "rules: give at least one rule; known: "
                + String.join(", ", allRules()));
        for (int i = 0; i < s.rules().size(); i++) {
            final String r = s.rules().get(i);
            try {
                Rules.of(r);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("rules: " + e.getMessage(), e);
            }
            check(s.rules().indexOf(r) == i, "rules: '" + r + "' is given twice");
        }
        check(s.seeds() > 0, "seeds must be positive: " + s.seeds());
        check(s.budget() > 0, "budget must be positive: " + s.budget());
        check(s.testEvery() == null || s.testEvery() > 0, "testEvery must be positive: " + s.testEvery());
        check(s.scanBudget() == null || s.scanBudget() > 0, "scanBudget must be positive: " + s.scanBudget());
        check(s.rateScales() != null && !s.rateScales().isEmpty(), "rateScales: give at least one factor (1: the "
                + "rules' defaults)");
        for (final Double f : s.rateScales()) {
            check(f != null && f > 0 && Double.isFinite(f), "rateScales: factors must be positive: "
                    + s.rateScales());
        }
        check(s.hidden() != null && !s.hidden().isEmpty(), "hidden: give at least one layer size (0 for none)");
        if (!s.hidden().equals(List.of(0))) {
            for (final Integer h : s.hidden()) {
                check(h != null && h > 0, "hidden: 0 stands alone (no hidden layer); a hidden layer needs at least "
                        + "one unit, not " + s.hidden());
            }
        }
        check(s.data() == null || !s.data().isBlank(), "data: an empty folder name; leave it out for "
                + FashionMnist.DEFAULT_FOLDER);
        check(s.threads() == null || s.threads() > 0, "threads must be positive: " + s.threads());
    }

    private static void check(final boolean valid, final String message) {
        if (!valid) {
            throw new IllegalArgumentException(message);
        }
    }

    /**
     * Validates the settings and makes the tasks (reading Fashion-MNIST if a task needs it): everything that can go
     * wrong before a comparison writes anything.
     *
     * @param s the settings
     * @return the prepared comparison
     * @throws IllegalArgumentException naming the field if the settings are invalid
     * @throws org.neurode.core.OdeException if Fashion-MNIST is needed and missing (naming the folder and the
     *                                       Debian package {@code dataset-fashion-mnist}) or defective
     */
    public Prepared prepare(final CompareLearningSettings s) {
        validate(s);
        return new Prepared(s);
    }

    /**
     * A comparison whose settings are checked and whose tasks are made: its jobs.
     *
     * @since 0.7
     */
    public static final class Prepared {
        private final CompareLearningSettings settings;
        private final Tasks tasks;
        private final Map<String, Task> probes = new LinkedHashMap<>();
        private final int testEvery;
        private final int threads;
        private final List<String> notRun = new ArrayList<>();
        private final List<LearningJob> pairs = new ArrayList<>();
        private final List<LearningJob> scanJobs = new ArrayList<>();

        private Prepared(final CompareLearningSettings s) {
            this.settings = s;
            this.tasks = new Tasks(s);
            for (final String t : s.tasks()) {
                probes.put(t, tasks.task(t, s.seed()));
            }
            this.testEvery = s.testEvery() != null ? s.testEvery() : Math.max(1, s.budget() / 20);
            this.threads = s.threads() != null ? s.threads() : Runtime.getRuntime().availableProcessors();
            final int scanPatterns = s.scanBudget() != null ? s.scanBudget() : s.budget();
            for (final String t : s.tasks()) {
                for (final String label : s.rules()) {
                    final Rule r = Rules.of(label);
                    final String why = r.notApplicable(probes.get(t));
                    if (why != null) {
                        notRun.add(r.label() + " on " + t + ": " + why);
                        continue;
                    }
                    pairs.add(new LearningJob(t, label, s.seed(), 1.0, s.budget(), false));
                    if (s.rateScales().size() > 1) {
                        for (final double f : s.rateScales()) {
                            scanJobs.add(new LearningJob(t, label, s.seed(), f, scanPatterns, true));
                        }
                    }
                }
            }
        }

        /** @return the settings */
        public CompareLearningSettings settings() {
            return settings;
        }

        /** @return patterns between tests */
        public int testEvery() {
            return testEvery;
        }

        /** @return runs in parallel */
        public int threads() {
            return threads;
        }

        /** @return the runs of the learning-rate scan (empty without one) */
        public List<LearningJob> scanJobs() {
            return Collections.unmodifiableList(scanJobs);
        }

        /** @return training patterns of all runs, the scan's included */
        public long totalPatterns() {
            return (long) scanJobs.size() * (settings.scanBudget() != null ? settings.scanBudget() : settings.budget())
                    + (long) pairs.size() * settings.seeds() * settings.budget();
        }

        /** @return the rules that do not apply to a task, and why */
        public List<String> notRun() {
            return Collections.unmodifiableList(notRun);
        }

        /**
         * @param name a task of the settings
         * @return its task for the first seed
         */
        public Task task(final String name) {
            return probes.get(name);
        }
    }

    /** The tasks by name; Fashion-MNIST read once. */
    private static final class Tasks {
        private final CompareLearningSettings settings;
        private final int[] sizes;
        private FashionMnist.Split fashion;

        Tasks(final CompareLearningSettings s) {
            this.settings = s;
            this.sizes = s.hidden().equals(List.of(0)) ? new int[0]
                    : s.hidden().stream().mapToInt(Integer::intValue).toArray();
        }

        Task task(final String name, final long seed) {
            return switch (name) {
                case "linear" -> ImitationTask.linear(seed);
                case "nonlinear" -> ImitationTask.nonlinear(seed);
                case "scalar" -> ImitationTask.scalar(seed);
                case "xor" -> new XorTask();
                case "regression" -> new RegressionTask(seed);
                case "fashion-mnist" -> {
                    final FashionMnist.Split f = fashion();
                    yield ImageTask.fashionMnist(seed, f.train(), f.test(), sizes);
                }
                case "fashion-mnist-subset" -> ImageTask.fashionMnistSubset(seed, sizes);
                default -> throw new IllegalArgumentException("tasks: unknown task '" + name + "'");
            };
        }

        private synchronized FashionMnist.Split fashion() {
            if (fashion == null) {
                final Path folder = settings.data() != null ? Path.of(settings.data()) : FashionMnist.DEFAULT_FOLDER;
                fashion = new FashionMnist.Split(FashionMnist.train(folder), FashionMnist.test(folder));
            }
            return fashion;
        }
    }

    /**
     * What a comparison keeps between sessions and shows as it goes (the command line's run files and console
     * lines); {@link #NONE} keeps nothing. Called on the comparison's threads as each method says.
     *
     * @since 0.7
     */
    public interface Store {

        /** Keeps nothing: every run starts afresh. */
        Store NONE = new Store() {
        };

        /**
         * @param job a run of the comparison (called on the calling thread before its batch starts)
         * @return the run finished in an earlier session, which is then not run again; null to run it
         */
        default CompareLearningResult.Run finished(final LearningJob job) {
            return null;
        }

        /**
         * A batch starts: the learning-rate scan, then the comparison itself (calling thread).
         *
         * @param scan           true for the scan
         * @param jobs           its runs in order
         * @param finishedBefore how many of them {@link #finished} gave
         */
        default void batch(final boolean scan, final List<LearningJob> jobs, final int finishedBefore) {
        }

        /**
         * @param job a run about to start (on the thread that runs it)
         * @return its state saved in an earlier session, to continue from; null to start afresh
         * @throws IllegalArgumentException if a saved state does not belong to this job
         */
        default LearningJobRun.Saved saved(final LearningJob job) {
            return null;
        }

        /**
         * A run ended (on the thread that ran it, as soon as it ended): save its results.
         *
         * @param run the run
         */
        default void ended(final CompareLearningResult.Run run) {
        }

        /**
         * A run's result is collected (calling thread, in the order of the jobs).
         *
         * @param run       the run
         * @param collected runs of the batch collected so far, those finished before included
         * @param jobs      runs of the batch
         */
        default void collected(final CompareLearningResult.Run run, final int collected, final int jobs) {
        }
    }

    @Override
    public CompareLearningResult run(final CompareLearningSettings settings, final Progress progress,
                                     final Checkpoints checkpoints) {
        return run(prepare(settings), Store.NONE, progress, checkpoints);
    }

    /**
     * Runs, or continues, a prepared comparison.
     *
     * @param p           the prepared comparison ({@link #prepare})
     * @param store       the finished runs and saved states of earlier sessions, and the receiver of the results
     * @param progress    receives the patterns done (from the runs' threads, one call at a time)
     * @param checkpoints receives each run's {@link LearningJobRun} at its test points, on its thread
     * @return the result
     */
    public CompareLearningResult run(final Prepared p, final Store store, final Progress progress,
                                     final Checkpoints checkpoints) {
        final CompareLearningSettings s = p.settings();
        final List<Double> scales = s.rateScales();
        final Tally tally = new Tally(p.totalPatterns(), p.scanJobs.size() + p.pairs.size() * s.seeds(), progress);
        final ExecutorService pool = Executors.newFixedThreadPool(p.threads(), r -> {
            final Thread t = new Thread(r, "compare-learning");
            t.setDaemon(true);
            return t;
        });
        final List<CompareLearningResult.Run> scanned = new ArrayList<>();
        final List<CompareLearningResult.Run> done = new ArrayList<>();
        final Map<String, Double> chosen = new LinkedHashMap<>();
        boolean complete;
        try {
            complete = true;
            if (!p.scanJobs.isEmpty()) {
                complete = runAll(p, p.scanJobs, true, pool, store, tally, progress, checkpoints, scanned);
                for (final LearningJob pair : p.pairs) {
                    double best = Double.POSITIVE_INFINITY;
                    double scale = 1.0;
                    for (final CompareLearningResult.Run d : scanned) {
                        if (d.task().equals(pair.task()) && d.rule().equals(pair.rule())
                                && d.validationError() < best) {
                            best = d.validationError();
                            scale = d.rateScale();
                        }
                    }
                    chosen.put(pair.task() + "/" + pair.rule(), scale);
                }
            }
            if (complete) {
                final List<LearningJob> jobs = new ArrayList<>();
                final double single = scales.size() == 1 ? scales.get(0) : 1.0;
                for (final LearningJob pair : p.pairs) {
                    final double scale = chosen.getOrDefault(pair.task() + "/" + pair.rule(), single);
                    for (long seed = s.seed(); seed < s.seed() + s.seeds(); seed++) {
                        jobs.add(new LearningJob(pair.task(), pair.rule(), seed, scale, s.budget(), false));
                    }
                }
                complete = runAll(p, jobs, false, pool, store, tally, progress, checkpoints, done);
            }
        } finally {
            pool.shutdownNow();
        }
        final List<CompareLearningResult.TaskInfo> taskInfo = new ArrayList<>();
        for (final String t : s.tasks()) {
            final Task task = p.task(t);
            taskInfo.add(new CompareLearningResult.TaskInfo(t, task.classification(), task.inputs(), task.outputs()));
        }
        return new CompareLearningResult(s, complete ? RunStatus.SUCCESS : RunStatus.INTERRUPTED,
                complete ? null : "stopped after " + tally.finished() + " of " + tally.runs() + " runs",
                p.testEvery(), List.copyOf(taskInfo), s.rules(), List.copyOf(done), List.copyOf(scanned),
                summary(s, done), rateScan(s, scanned, chosen), List.copyOf(p.notRun));
    }

    /** Runs the jobs not finished before, in parallel; adds the finished ones in the jobs' order to {@code out}. */
    private static boolean runAll(final Prepared p, final List<LearningJob> jobs, final boolean scan,
                                  final ExecutorService pool, final Store store, final Tally tally,
                                  final Progress progress, final Checkpoints checkpoints,
                                  final List<CompareLearningResult.Run> out) {
        final CompareLearningResult.Run[] results = new CompareLearningResult.Run[jobs.size()];
        int finished = 0;
        for (int i = 0; i < jobs.size(); i++) {
            results[i] = store.finished(jobs.get(i));
            if (results[i] != null) {
                finished++;
                tally.finished(results[i].patterns());
            }
        }
        store.batch(scan, List.copyOf(jobs), finished);
        final List<Future<CompareLearningResult.Run>> futures = new ArrayList<>();
        final List<Integer> index = new ArrayList<>();
        for (int i = 0; i < jobs.size(); i++) {
            if (results[i] == null) {
                final LearningJob j = jobs.get(i);
                futures.add(pool.submit(() -> runJob(p, j, store, tally, progress, checkpoints)));
                index.add(i);
            }
        }
        boolean complete = true;
        for (int f = 0; f < futures.size(); f++) {
            final CompareLearningResult.Run d = Futures.join(futures.get(f));
            if (d == null) {
                complete = false;
                continue;
            }
            results[index.get(f)] = d;
            finished++;
            store.collected(d, finished, jobs.size());
        }
        for (final CompareLearningResult.Run r : results) {
            if (r != null) {
                out.add(r);
            }
        }
        return complete;
    }

    /** One run; null if it was stopped. */
    private static CompareLearningResult.Run runJob(final Prepared p, final LearningJob j, final Store store,
                                                    final Tally tally, final Progress progress,
                                                    final Checkpoints checkpoints) {
        final BooleanSupplier stop = () -> progress.stopRequested() || Thread.currentThread().isInterrupted();
        if (stop.getAsBoolean()) {
            return null;
        }
        final Task task = p.tasks.task(j.task(), j.seed());
        final LearningRun run = new LearningRun(task, Rules.of(j.rule()).learner(task, j.seed(), j.scale()));
        final LearningJobRun state = new LearningJobRun(j, run);
        final LearningJobRun.Saved saved = store.saved(j);
        if (saved != null) {
            run.resume(saved.learner(), saved.done(), saved.curve());
            tally.trained(saved.done());
        }
        final int every = p.testEvery();
        final long t0 = System.nanoTime();
        while (run.done() < j.patterns()) {
            final long before = run.done();
            final long next = Math.min(j.patterns(), (run.done() / every + 1) * every);
            final boolean reached = run.train(next, every, stop);
            tally.trained(run.done() - before);
            if (!reached) {
                return null;
            }
            if (run.done() < j.patterns()) {
                checkpoints.save(state);
            }
        }
        final double seconds = (System.nanoTime() - t0) * 1e-9;
        final double validation = run.validationError();
        final CompareLearningResult.Run r = CompareLearningResult.Run.of(j, run.curve(), validation, seconds);
        store.ended(r);
        tally.finished(0);
        return r;
    }

    /** Patterns and runs done, for {@link Progress}. */
    private static final class Tally {
        private final long total;
        private final int runs;
        private final Progress progress;
        private long patterns;
        private int finished;

        Tally(final long total, final int runs, final Progress progress) {
            this.total = total;
            this.runs = runs;
            this.progress = progress;
        }

        synchronized void trained(final long n) {
            patterns += n;
            report();
        }

        synchronized void finished(final long n) {
            patterns += n;
            finished++;
            report();
        }

        synchronized int finished() {
            return finished;
        }

        int runs() {
            return runs;
        }

        private void report() {
            final Map<String, Double> m = new LinkedHashMap<>();
            m.put("runsFinished", (double) finished);
            m.put("runs", (double) runs);
            progress.update(patterns, total, Collections.unmodifiableMap(m));
        }
    }

    /** Per task and rule: the final test error over the seeds. */
    private static List<CompareLearningResult.SummaryRow> summary(final CompareLearningSettings s,
                                                                  final List<CompareLearningResult.Run> done) {
        final List<CompareLearningResult.SummaryRow> rows = new ArrayList<>();
        for (final String t : s.tasks()) {
            for (final String r : s.rules()) {
                final List<CompareLearningResult.Run> mine = new ArrayList<>();
                for (final CompareLearningResult.Run d : done) {
                    if (d.task().equals(t) && d.rule().equals(r)) {
                        mine.add(d);
                    }
                }
                if (mine.isEmpty()) {
                    continue;
                }
                double sum = 0;
                double sq = 0;
                double seconds = 0;
                for (final CompareLearningResult.Run d : mine) {
                    sum += d.finalTestError();
                    sq += d.finalTestError() * d.finalTestError();
                    seconds += d.seconds();
                }
                final double mean = sum / mine.size();
                final double std = mine.size() > 1
                        ? Math.sqrt(Math.max(0, (sq - mine.size() * mean * mean) / (mine.size() - 1))) : 0.0;
                rows.add(new CompareLearningResult.SummaryRow(t, r, mine.size(), mine.get(0).rateScale(), mean, std,
                        seconds, s.budget() * mine.size() / seconds));
            }
        }
        return List.copyOf(rows);
    }

    /** Per task, rule and factor, the scan's validation errors (the factors in the order first scanned). */
    private static List<CompareLearningResult.ScanRow> rateScan(final CompareLearningSettings s,
                                                                final List<CompareLearningResult.Run> scanned,
                                                                final Map<String, Double> chosen) {
        final List<CompareLearningResult.ScanRow> rows = new ArrayList<>();
        final List<Double> factors = new ArrayList<>();
        for (final CompareLearningResult.Run d : scanned) {
            if (!factors.contains(d.rateScale())) {
                factors.add(d.rateScale());
            }
        }
        for (final String t : s.tasks()) {
            for (final String r : s.rules()) {
                final Double pick = chosen.get(t + "/" + r);
                if (pick == null) {
                    continue;
                }
                for (final double f : factors) {
                    for (final CompareLearningResult.Run d : scanned) {
                        if (d.task().equals(t) && d.rule().equals(r) && d.rateScale() == f) {
                            rows.add(new CompareLearningResult.ScanRow(t, r, f, d.validationError(), f == pick));
                        }
                    }
                }
            }
        }
        return List.copyOf(rows);
    }
}
