package org.neurode.examples.credit;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;

import org.neurode.examples.OptionConverters;
import org.neurode.examples.OutputFolders;
import org.neurode.examples.VersionProvider;
import org.neurode.examples.io.CsvFiles;
import org.neurode.examples.io.JsonFiles;
import org.neurode.examples.plot.Charts;
import org.neurode.examples.plot.Figure;
import org.neurode.examples.plot.Series;
import org.neurode.models.credit.ImageTask;
import org.neurode.models.credit.ImitationTask;
import org.neurode.models.credit.LearningRun;
import org.neurode.models.credit.RegressionTask;
import org.neurode.models.credit.Rule;
import org.neurode.models.credit.Rules;
import org.neurode.models.credit.Task;
import org.neurode.models.credit.XorTask;
import org.neurode.models.tasks.FashionMnist;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code neurode compare-learning}: every rule on every task for every seed, the same patterns in the same order
 * and the same budget, the runs spread over the cores. With several {@code --rate-scales}, each rule's learning rate
 * is first chosen per task: the first seed is trained at every scale for {@code --scan-budget} patterns and the scale
 * with the lowest validation error (patterns never trained on, not the test set) is kept for all seeds. Every run
 * writes a checkpoint ({@code runs/<task>-<rule>-seed<s>.ckpt}) at each test point and its results
 * ({@code runs/<task>-<rule>-seed<s>.csv} and {@code .json}) when it ends, so a killed comparison continued with
 * {@code --resume} loses at most one test interval per run in flight and continues bit for bit. Then
 * {@code results.json}, {@code summary.md} (final test error mean and standard deviation over seeds, wall time,
 * patterns per second) and per task a figure of the learning curves and of the angles to backprop.
 */
@Command(name = "compare-learning", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
         description = {"Compares learning rules on the same tasks, seeds and budget (docs/credit-assignment.md)."})
public final class CompareLearningCommand implements Callable<Integer> {

    /** The tasks by name; the image tasks read their data when first used. */
    static final List<String> TASKS = List.of("linear", "nonlinear", "scalar", "xor", "regression", "fashion-mnist",
            "fashion-mnist-subset");
    /** The tasks run when {@code --tasks} is not given (Fashion-MNIST needs its data and hours). */
    static final List<String> DEFAULT_TASKS = List.of("linear", "nonlinear", "scalar", "xor", "regression");

    @Spec
    private CommandSpec spec;

    @Option(names = "--rules", split = ",", paramLabel = "<rule>",
            description = "Rules (default all): backprop, feedback-alignment, direct-feedback-alignment, kickback, "
                    + "shallow, burstprop, ensemble, microcircuit-steady, microcircuit, segregated-dendrites, "
                    + "segregated-dendrites-symmetric, segregated-dendrites-steady, "
                    + "segregated-dendrites-symmetric-steady (the last two at closed-form steady states, for "
                    + "Fashion-MNIST; docs/credit-assignment.md).")
    private List<String> rules = new ArrayList<>();

    @Option(names = "--tasks", split = ",", paramLabel = "<task>",
            description = "Tasks (default linear, nonlinear, scalar, xor, regression): also fashion-mnist (from "
                    + "--data) and fashion-mnist-subset (the 1,000 + 500 images bundled with neurode).")
    private List<String> tasks = new ArrayList<>();

    @Option(names = "--seeds", defaultValue = "3", converter = OptionConverters.PositiveInt.class, paramLabel = "<n>",
            description = "Seeds seed..seed+n-1 (default ${DEFAULT-VALUE}).")
    private int seeds;

    @Option(names = "--seed", defaultValue = "1", converter = OptionConverters.Seed.class, paramLabel = "<seed>",
            description = "First seed (default ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--budget", defaultValue = "20000", converter = OptionConverters.PositiveInt.class,
            paramLabel = "<patterns>", description = "Training patterns per run (default ${DEFAULT-VALUE}; one "
                    + "Fashion-MNIST epoch is 55,000).")
    private int budget;

    @Option(names = "--test-every", converter = OptionConverters.PositiveInt.class, paramLabel = "<patterns>",
            description = "Test interval, also the checkpoint interval (default: budget / 20).")
    private Integer testEvery;

    @Option(names = "--rate-scales", split = ",", paramLabel = "<factor>",
            converter = OptionConverters.PositiveDouble.class,
            description = "Learning-rate factors to scan per rule and task (default 1: no scan), e.g. 0.25,1,4.")
    private List<Double> rateScales = new ArrayList<>();

    @Option(names = "--scan-budget", converter = OptionConverters.PositiveInt.class, paramLabel = "<patterns>",
            description = "Patterns per scan run (default: the budget).")
    private Integer scanBudget;

    @Option(names = "--data", converter = OptionConverters.OutputPath.class, paramLabel = "<folder>",
            description = "Folder of the Fashion-MNIST IDX files (default: the Debian package dataset-fashion-mnist's,"
                    + " /usr/share/datasets/fashion-mnist).")
    private Path data;

    @Option(names = "--hidden", split = ",", defaultValue = "500", converter = OptionConverters.NonNegativeInt.class,
            paramLabel = "<n>", description = "Hidden layer sizes of the image tasks (default ${DEFAULT-VALUE}; "
                    + "500,500 for the microcircuit paper's 784-500-500-10; 0 for none, the single-layer network).")
    private List<Integer> hidden;

    @Option(names = "--threads", converter = OptionConverters.PositiveInt.class, paramLabel = "<n>",
            description = "Runs in parallel (default: all cores).")
    private Integer threads;

    @Option(names = "--out", converter = OptionConverters.OutputPath.class, paramLabel = "<folder>",
            description = "Output folder (default runs/compare-learning-<time>).")
    private Path out;

    @Option(names = "--resume", converter = OptionConverters.OutputPath.class, paramLabel = "<folder>",
            description = "Continue a comparison in this folder with the same options: finished runs are kept, "
                    + "the others continue from their checkpoints.")
    private Path resume;

    /** Fashion-MNIST, read once. */
    private FashionMnist.Split fashion;

    /** One run of the comparison (scale: the learning-rate factor). */
    private record Job(String task, Rule rule, long seed, double scale, long patterns, boolean scan) {
        String id() {
            return scan ? "scan-" + task + "-" + rule.label() + "-x" + OptionConverters.compact(scale)
                    : task + "-" + rule.label() + "-seed" + seed;
        }
    }

    /** A finished run. */
    private record Done(Job job, List<LearningRun.Point> curve, double seconds, double validationError) {
        double finalError() {
            return curve.get(curve.size() - 1).testError();
        }
    }

    @Override
    public Integer call() throws Exception {
        final List<String> taskNames = tasks.isEmpty() ? DEFAULT_TASKS : tasks;
        for (final String t : taskNames) {
            if (!TASKS.contains(t)) {
                throw new IllegalArgumentException("--tasks: unknown task '" + t + "'; known: "
                        + String.join(", ", TASKS));
            }
        }
        final List<Rule> ruleList = new ArrayList<>();
        if (rules.isEmpty()) {
            ruleList.addAll(Rules.all());
        } else {
            for (final String r : rules) {
                try {
                    ruleList.add(Rules.of(r));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("--rules: " + e.getMessage(), e);
                }
            }
        }
        if (resume != null && out != null) {
            throw new IllegalArgumentException("--resume continues in its own folder; leave out --out");
        }
        if (resume != null && !Files.isDirectory(resume)) {
            throw new IllegalArgumentException("--resume " + resume + ": no such folder");
        }
        final List<Double> scales = rateScales.isEmpty() ? List.of(1.0) : rateScales;
        // the tasks are made (and Fashion-MNIST read) before any output is written
        final Map<String, Task> probes = new LinkedHashMap<>();
        for (final String t : taskNames) {
            probes.put(t, task(t, seed));
        }
        final Path folder = OutputFolders.prepare(resume != null ? resume : out, "compare-learning");
        final Path runs = Files.createDirectories(folder.resolve("runs"));
        if (resume != null) {
            // every checkpoint is checked before anything runs, so a damaged one stops the command at once
            try (java.util.stream.Stream<Path> files = Files.list(runs)) {
                for (final Path f : files.filter(f -> f.getFileName().toString().endsWith(".ckpt")).toList()) {
                    RunCheckpoint.read(f);
                }
            }
        }
        final int every = testEvery != null ? testEvery : Math.max(1, budget / 20);
        final PrintWriter err = spec.commandLine().getErr();
        final int nThreads = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        final List<String> skipped = new ArrayList<>();
        final List<Job> scanJobs = new ArrayList<>();
        final List<Job> pairs = new ArrayList<>();
        for (final String t : taskNames) {
            for (final Rule r : ruleList) {
                final String why = r.notApplicable(probes.get(t));
                if (why != null) {
                    skipped.add(r.label() + " on " + t + ": " + why);
                    continue;
                }
                pairs.add(new Job(t, r, seed, 1.0, budget, false));
                if (scales.size() > 1) {
                    for (final double s : scales) {
                        scanJobs.add(new Job(t, r, seed, s, scanBudget != null ? scanBudget : budget, true));
                    }
                }
            }
        }
        final ExecutorService pool = Executors.newFixedThreadPool(nThreads);
        try {
            // the learning-rate scan
            final Map<String, Double> chosen = new LinkedHashMap<>();
            final List<Done> scanned = new ArrayList<>();
            if (!scanJobs.isEmpty()) {
                err.printf(Locale.ROOT, "compare-learning: scanning %d learning-rate factors per rule and task (%d runs"
                        + " of %d patterns), %d threads, output %s%n", scales.size(), scanJobs.size(),
                        scanJobs.get(0).patterns(), nThreads, folder);
                err.flush();
                scanned.addAll(runAll(scanJobs, pool, runs, every, err));
                for (final Job pair : pairs) {
                    double best = Double.POSITIVE_INFINITY;
                    double scale = 1.0;
                    for (final Done d : scanned) {
                        if (d.job().task().equals(pair.task()) && d.job().rule() == pair.rule()
                                && d.validationError() < best) {
                            best = d.validationError();
                            scale = d.job().scale();
                        }
                    }
                    chosen.put(pair.task() + "/" + pair.rule().label(), scale);
                }
            }
            final List<Job> jobs = new ArrayList<>();
            for (final Job pair : pairs) {
                final double scale = chosen.getOrDefault(pair.task() + "/" + pair.rule().label(), 1.0);
                for (long s = seed; s < seed + seeds; s++) {
                    jobs.add(new Job(pair.task(), pair.rule(), s, scale, budget, false));
                }
            }
            err.printf(Locale.ROOT, "compare-learning: %d runs of %d patterns, %d threads, output %s%n", jobs.size(),
                    budget, nThreads, folder);
            err.flush();
            final List<Done> done = runAll(jobs, pool, runs, every, err);
            writeSummary(folder, taskNames, ruleList, done, scanned, chosen, skipped, every);
        } finally {
            pool.shutdownNow();
        }
        err.println("compare-learning: wrote " + folder.resolve("summary.md"));
        err.flush();
        return 0;
    }

    /** Runs the jobs not finished before, in parallel; returns all in the jobs' order. */
    private List<Done> runAll(final List<Job> jobs, final ExecutorService pool, final Path runs, final int every,
                              final PrintWriter err) throws Exception {
        final Done[] results = new Done[jobs.size()];
        final List<Future<Done>> futures = new ArrayList<>();
        final List<Integer> index = new ArrayList<>();
        int finished = 0;
        for (int i = 0; i < jobs.size(); i++) {
            final Job j = jobs.get(i);
            final Done d = read(runs, j);
            if (d != null) {
                results[i] = d;
                finished++;
            } else {
                futures.add(pool.submit(() -> run(j, every, runs, err)));
                index.add(i);
            }
        }
        if (finished > 0) {
            err.printf(Locale.ROOT, "  %d runs finished before%n", finished);
        }
        for (int f = 0; f < futures.size(); f++) {
            final Done d = org.neurode.models.experiment.Futures.join(futures.get(f));
            results[index.get(f)] = d;
            finished++;
            err.printf(Locale.ROOT, "  [%d/%d] %s: %s %.4g (%.1f s)%n", finished, jobs.size(), d.job().id(),
                    d.job().scan() ? "validation error" : "test error",
                    d.job().scan() ? d.validationError() : d.finalError(), d.seconds());
            err.flush();
        }
        return List.of(results);
    }

    /** A task by name for a seed. */
    private Task task(final String name, final long taskSeed) {
        final int[] sizes = hidden.equals(List.of(0)) ? new int[0] : hidden.stream().mapToInt(Integer::intValue)
                .toArray();
        for (final int h : sizes) {
            if (h == 0) {
                throw new IllegalArgumentException("--hidden: 0 stands alone (no hidden layer); a hidden layer "
                        + "needs at least one unit, not " + hidden);
            }
        }
        return switch (name) {
            case "linear" -> ImitationTask.linear(taskSeed);
            case "nonlinear" -> ImitationTask.nonlinear(taskSeed);
            case "scalar" -> ImitationTask.scalar(taskSeed);
            case "xor" -> new XorTask();
            case "regression" -> new RegressionTask(taskSeed);
            case "fashion-mnist" -> {
                final FashionMnist.Split f = fashion();
                yield ImageTask.fashionMnist(taskSeed, f.train(), f.test(), sizes);
            }
            case "fashion-mnist-subset" -> ImageTask.fashionMnistSubset(taskSeed, sizes);
            default -> throw new IllegalArgumentException("--tasks: unknown task '" + name + "'");
        };
    }

    private synchronized FashionMnist.Split fashion() {
        if (fashion == null) {
            final Path folder = data != null ? data : FashionMnist.DEFAULT_FOLDER;
            fashion = new FashionMnist.Split(FashionMnist.train(folder), FashionMnist.test(folder));
        }
        return fashion;
    }

    private Done run(final Job j, final int every, final Path runs, final PrintWriter err) {
        final Task task = task(j.task(), j.seed());
        final LearningRun run = new LearningRun(task, j.rule().learner(task, j.seed(), j.scale()));
        final Path checkpoint = runs.resolve(j.id() + ".ckpt");
        final RunCheckpoint.State saved = RunCheckpoint.read(checkpoint);
        double before = 0;
        if (saved != null) {
            if (!saved.task().equals(j.task()) || !saved.rule().equals(j.rule().label()) || saved.seed() != j.seed()
                    || saved.scale() != j.scale() || saved.budget() != j.patterns()) {
                throw new IllegalArgumentException("cannot resume from " + checkpoint + ": it is a checkpoint of "
                        + saved.task() + " " + saved.rule() + " seed " + saved.seed() + " at learning-rate factor "
                        + saved.scale() + " with a budget of " + saved.budget() + ", not of this comparison's run "
                        + j.id() + " (factor " + j.scale() + ", budget " + j.patterns() + "); resume with the options "
                        + "it was started with");
            }
            run.resume(saved.learner(), saved.done(), saved.curve());
        }
        final long t0 = System.nanoTime();
        while (run.done() < j.patterns()) {
            final long next = Math.min(j.patterns(), (run.done() / every + 1) * every);
            if (!run.train(next, every, () -> Thread.currentThread().isInterrupted())) {
                throw new IllegalStateException("interrupted");
            }
            if (run.done() < j.patterns()) {
                RunCheckpoint.write(checkpoint, new RunCheckpoint.State(j.task(), j.rule().label(), j.seed(),
                        j.scale(), j.patterns(), run.done(), run.curve(), run.learner().state()));
                if (j.patterns() >= LONG_RUN) {
                    final List<LearningRun.Point> c = run.curve();
                    err.printf(Locale.ROOT, "  %s: %d of %d patterns, test error %.4g%n", j.id(), run.done(),
                            j.patterns(), c.get(c.size() - 1).testError());
                    err.flush();
                }
            }
        }
        final double seconds = (System.nanoTime() - t0) * 1e-9;
        final double validation = run.validationError();
        final Done d = new Done(j, run.curve(), seconds, validation);
        final List<double[]> columns = columns(d.curve());
        CsvFiles.writeColumns(runs.resolve(j.id() + ".csv"), List.of("patterns", "test_error", "angle_deg"), columns);
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("task", j.task());
        m.put("rule", j.rule().label());
        m.put("seed", j.seed());
        m.put("rateScale", j.scale());
        m.put("patterns", j.patterns());
        m.put("seconds", seconds);
        m.put("finalTestError", d.finalError());
        m.put("validationError", validation);
        JsonFiles.write(runs.resolve(j.id() + ".json"), m);
        try {
            Files.deleteIfExists(checkpoint);
            Files.deleteIfExists(org.neurode.examples.io.CheckpointFile.previous(checkpoint));
        } catch (java.io.IOException e) {
            // the results are written; a stale checkpoint is only space
        }
        return d;
    }

    /** Runs of at least this many patterns report each checkpoint. */
    private static final long LONG_RUN = 100_000;

    private static List<double[]> columns(final List<LearningRun.Point> curve) {
        final double[] p = new double[curve.size()];
        final double[] e = new double[curve.size()];
        final double[] a = new double[curve.size()];
        for (int i = 0; i < curve.size(); i++) {
            p[i] = curve.get(i).patterns();
            e[i] = curve.get(i).testError();
            a[i] = curve.get(i).angleDeg();
        }
        return List.of(p, e, a);
    }

    /** A finished run read back, or null if it is missing or of other settings. */
    private static Done read(final Path runs, final Job j) {
        final Path json = runs.resolve(j.id() + ".json");
        final Path csv = runs.resolve(j.id() + ".csv");
        if (!Files.isRegularFile(json) || !Files.isRegularFile(csv)) {
            return null;
        }
        final JsonNode n = JsonFiles.read(json);
        if (n.path("patterns").asLong(-1) != j.patterns() || n.path("rateScale").asDouble(-1) != j.scale()) {
            return null;
        }
        final List<LearningRun.Point> curve = new ArrayList<>();
        try {
            final List<String> lines = Files.readAllLines(csv);
            for (int i = 1; i < lines.size(); i++) {
                final String[] c = lines.get(i).split(",");
                curve.add(new LearningRun.Point(Math.round(Double.parseDouble(c[0])), Double.parseDouble(c[1]),
                        Double.parseDouble(c[2])));
            }
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
        final JsonNode v = n.path("validationError");
        return curve.isEmpty() ? null : new Done(j, curve, n.path("seconds").asDouble(),
                v.isNumber() ? v.asDouble() : Double.NaN);
    }

    private void writeSummary(final Path folder, final List<String> taskNames, final List<Rule> ruleList,
                              final List<Done> done, final List<Done> scanned, final Map<String, Double> chosen,
                              final List<String> skipped, final int every) {
        final StringBuilder md = new StringBuilder("# compare-learning\n\n");
        md.append(String.format(Locale.ROOT, "%d patterns per run, seeds %d-%d, test every %d patterns.%n%n", budget,
                seed, seed + seeds - 1, every));
        md.append("| task | rule | final test error (mean +- std) | learning-rate factor | wall time (s, all seeds) "
                + "| patterns/s |\n");
        md.append("|---|---|---|---|---|---|\n");
        final List<Map<String, Object>> rows = new ArrayList<>();
        for (final String t : taskNames) {
            final List<Series> errors = new ArrayList<>();
            final List<Series> angles = new ArrayList<>();
            for (final Rule r : ruleList) {
                final List<Done> mine = new ArrayList<>();
                for (final Done d : done) {
                    if (d.job().task().equals(t) && d.job().rule() == r) {
                        mine.add(d);
                    }
                }
                if (mine.isEmpty()) {
                    continue;
                }
                double sum = 0;
                double sq = 0;
                double seconds = 0;
                for (final Done d : mine) {
                    sum += d.finalError();
                    sq += d.finalError() * d.finalError();
                    seconds += d.seconds();
                }
                final double mean = sum / mine.size();
                final double std = mine.size() > 1
                        ? Math.sqrt(Math.max(0, (sq - mine.size() * mean * mean) / (mine.size() - 1))) : 0.0;
                final double rate = budget * mine.size() / seconds;
                final double factor = mine.get(0).job().scale();
                md.append(String.format(Locale.ROOT, "| %s | %s | %.4g +- %.2g | %s | %.2f | %.0f |%n", t, r.label(),
                        mean, std, OptionConverters.compact(factor), seconds, rate));
                final Map<String, Object> row = new LinkedHashMap<>();
                row.put("task", t);
                row.put("rule", r.label());
                row.put("seeds", mine.size());
                row.put("rateScale", factor);
                row.put("finalTestErrorMean", mean);
                row.put("finalTestErrorStd", std);
                row.put("seconds", seconds);
                row.put("patternsPerSecond", rate);
                rows.add(row);
                errors.add(meanSeries(r.label(), mine, false));
                final Series angle = meanSeries(r.label(), mine, true);
                if (hasValues(angle)) {
                    angles.add(angle);
                }
            }
            if (!errors.isEmpty()) {
                // a squared error spans decades: a log axis (values that are not positive are left out); a
                // fraction misclassified reaches 0: a linear one
                final boolean log = !task(t, seed).classification();
                final org.knowm.xchart.XYChart errorChart = Charts.lines(t + ": test error (mean over seeds)",
                        "patterns", log ? "test error (log scale)" : "test error", log ? positive(errors) : errors);
                errorChart.getStyler().setYAxisLogarithmic(log);
                final org.knowm.xchart.XYChart angleChart = Charts.lines(t
                        + ": angle of the first hidden layer's update to backprop's", "patterns", "degrees", angles);
                colorByRule(errorChart, ruleList);
                colorByRule(angleChart, ruleList);
                Figure.of(List.of(errorChart, angleChart)).writePng(folder.resolve(t + ".png"));
            }
        }
        final List<Map<String, Object>> scanRows = new ArrayList<>();
        if (!scanned.isEmpty()) {
            md.append("\nLearning-rate scan (seed ").append(seed).append(", ").append(scanned.get(0).job().patterns())
                    .append(" patterns, validation error; the chosen factor in bold):\n\n| task | rule |");
            final List<Double> factors = new ArrayList<>();
            for (final Done d : scanned) {
                if (!factors.contains(d.job().scale())) {
                    factors.add(d.job().scale());
                }
            }
            for (final double f : factors) {
                md.append(" x").append(OptionConverters.compact(f)).append(" |");
            }
            md.append("\n|---|---|").append("---|".repeat(factors.size())).append('\n');
            for (final String t : taskNames) {
                for (final Rule r : ruleList) {
                    final Double pick = chosen.get(t + "/" + r.label());
                    if (pick == null) {
                        continue;
                    }
                    md.append("| ").append(t).append(" | ").append(r.label()).append(" |");
                    for (final double f : factors) {
                        for (final Done d : scanned) {
                            if (d.job().task().equals(t) && d.job().rule() == r && d.job().scale() == f) {
                                final String v = String.format(Locale.ROOT, "%.4g", d.validationError());
                                md.append(' ').append(f == pick ? "**" + v + "**" : v).append(" |");
                                final Map<String, Object> row = new LinkedHashMap<>();
                                row.put("task", t);
                                row.put("rule", r.label());
                                row.put("rateScale", f);
                                row.put("validationError", d.validationError());
                                row.put("chosen", f == pick);
                                scanRows.add(row);
                            }
                        }
                    }
                    md.append('\n');
                }
            }
        }
        if (!skipped.isEmpty()) {
            md.append("\nNot run:\n\n");
            for (final String s : skipped) {
                md.append("- ").append(s).append('\n');
            }
        }
        org.neurode.examples.io.AtomicFiles.writeString(folder.resolve("summary.md"), md.toString());
        final Map<String, Object> results = new LinkedHashMap<>();
        final Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("tasks", taskNames);
        final List<String> ruleNames = new ArrayList<>();
        for (final Rule r : ruleList) {
            ruleNames.add(r.label());
        }
        settings.put("rules", ruleNames);
        settings.put("seed", seed);
        settings.put("seeds", seeds);
        settings.put("budget", budget);
        settings.put("testEvery", every);
        settings.put("rateScales", rateScales.isEmpty() ? List.of(1.0) : rateScales);
        settings.put("hidden", hidden);
        results.put("settings", settings);
        results.put("summary", rows);
        results.put("rateScan", scanRows);
        results.put("notRun", skipped);
        JsonFiles.write(folder.resolve("results.json"), results);
    }

    /** Distinct colours, one per rule in the order of the comparison, the same in every panel. */
    private static final java.awt.Color[] PALETTE = {
        new java.awt.Color(0x1f77b4), new java.awt.Color(0xff7f0e), new java.awt.Color(0x2ca02c),
        new java.awt.Color(0xd62728), new java.awt.Color(0x9467bd), new java.awt.Color(0x8c564b),
        new java.awt.Color(0xe377c2), new java.awt.Color(0x7f7f7f), new java.awt.Color(0xbcbd22),
        new java.awt.Color(0x17becf), new java.awt.Color(0x000000), new java.awt.Color(0xaec7e8),
        new java.awt.Color(0xffbb78), new java.awt.Color(0x98df8a)};

    private static void colorByRule(final org.knowm.xchart.XYChart chart, final List<Rule> ruleList) {
        for (int i = 0; i < ruleList.size(); i++) {
            final org.knowm.xchart.XYSeries s = chart.getSeriesMap().get(ruleList.get(i).label());
            if (s != null) {
                s.setLineColor(PALETTE[i % PALETTE.length]);
            }
        }
    }

    /** The series with values that are not positive replaced by NaN (gaps on a log axis). */
    private static List<Series> positive(final List<Series> series) {
        final List<Series> out = new ArrayList<>();
        for (final Series s : series) {
            final double[] y = s.y().clone();
            for (int i = 0; i < y.length; i++) {
                if (!(y[i] > 0)) {
                    y[i] = Double.NaN;
                }
            }
            out.add(new Series(s.name(), s.x(), y));
        }
        return out;
    }

    /** @return whether the series has a finite value (rules without a hidden update have no angle) */
    private static boolean hasValues(final Series s) {
        for (int i = 0; i < s.x().length; i++) {
            if (Double.isFinite(s.y()[i])) {
                return true;
            }
        }
        return false;
    }

    /** The curve averaged over seeds (test error, or angle). */
    private static Series meanSeries(final String name, final List<Done> runs, final boolean angle) {
        final int n = runs.get(0).curve().size();
        final double[] x = new double[n];
        final double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = runs.get(0).curve().get(i).patterns();
            double s = 0;
            for (final Done d : runs) {
                final LearningRun.Point p = d.curve().get(Math.min(i, d.curve().size() - 1));
                s += angle ? p.angleDeg() : p.testError();
            }
            y[i] = s / runs.size();
        }
        return new Series(name, x, y);
    }
}
