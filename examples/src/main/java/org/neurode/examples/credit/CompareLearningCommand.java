package org.neurode.examples.credit;

import static org.neurode.models.experiment.Progress.stoppable;

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

import com.fasterxml.jackson.databind.JsonNode;

import org.neurode.examples.Main;
import org.neurode.examples.OptionConverters;
import org.neurode.examples.OutputFolders;
import org.neurode.examples.Progress;
import org.neurode.examples.StopOnSignal;
import org.neurode.examples.VersionProvider;
import org.neurode.examples.io.CsvFiles;
import org.neurode.examples.io.ExperimentFile;
import org.neurode.examples.io.JsonFiles;
import org.neurode.examples.plot.Charts;
import org.neurode.examples.plot.Figure;
import org.neurode.examples.plot.Series;
import org.neurode.models.credit.LearningRun;
import org.neurode.models.experiment.Checkpoints;
import org.neurode.models.experiment.RunStatus;
import org.neurode.models.experiment.SettingsFiles;
import org.neurode.models.experiment.learning.CompareLearning;
import org.neurode.models.experiment.learning.CompareLearningResult;
import org.neurode.models.experiment.learning.CompareLearningSettings;
import org.neurode.models.experiment.learning.LearningJob;
import org.neurode.models.experiment.learning.LearningJobRun;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code neurode compare-learning}: every rule on every task for every seed, the same patterns in the same order
 * and the same budget, the runs spread over the cores: the shell of {@link CompareLearning} (the runs, the scan and
 * the numbers). With several {@code --rate-scales}, each rule's learning rate is first chosen per task: the first
 * seed is trained at every scale for {@code --scan-budget} patterns and the scale with the lowest validation error
 * (patterns never trained on, not the test set) is kept for all seeds. Every run writes a checkpoint
 * ({@code runs/<task>-<rule>-seed<s>.ckpt}) at each test point and its results ({@code runs/<task>-<rule>-seed<s>.csv}
 * and {@code .json}) when it ends, so a killed comparison continued with {@code --resume} loses at most one test
 * interval per run in flight and continues bit for bit; Ctrl-C stops the runs in flight the same way and writes the
 * summary of the finished ones. Then {@code results.json} (with the settings, for {@code neurode run}),
 * {@code summary.md} (final test error mean and standard deviation over seeds, wall time, patterns per second) and
 * per task a figure of the learning curves and of the angles to backprop.
 */
@Command(name = "compare-learning", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
         description = {"Compares learning rules on the same tasks, seeds and budget (docs/credit-assignment.md)."})
public final class CompareLearningCommand implements Callable<Integer> {

    /** The tasks by name; the image tasks read their data when first used. */
    static final List<String> TASKS = CompareLearning.TASKS;
    /** The tasks run when {@code --tasks} is not given (Fashion-MNIST needs its data and hours). */
    static final List<String> DEFAULT_TASKS = CompareLearning.DEFAULT_TASKS;

    /** The options by settings field, for error messages. */
    private static final Map<String, String> OPTIONS = Map.ofEntries(Map.entry("rules", "--rules"),
            Map.entry("tasks", "--tasks"), Map.entry("seeds", "--seeds"), Map.entry("seed", "--seed"),
            Map.entry("budget", "--budget"), Map.entry("testEvery", "--test-every"),
            Map.entry("rateScales", "--rate-scales"), Map.entry("scanBudget", "--scan-budget"),
            Map.entry("data", "--data"), Map.entry("hidden", "--hidden"), Map.entry("threads", "--threads"));

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
            description = "Learning-rate factors to scan per rule and task (default 1: no scan; a single "
                    + "factor is used as it is), e.g. 0.25,1,4.")
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

    @picocli.CommandLine.Mixin
    private org.neurode.examples.ProgressOption progress;

    private final StopOnSignal stop = new StopOnSignal();

    /**
     * Runs the comparison with the options as settings.
     *
     * @return {@value Main#EXIT_OK} (also when stopped: the finished runs are summarised)
     */
    @Override
    public Integer call() throws Exception {
        if (resume != null && out != null) {
            throw new IllegalArgumentException("--resume continues in its own folder; leave out --out");
        }
        if (resume != null && !Files.isDirectory(resume)) {
            throw new IllegalArgumentException("--resume " + resume + ": no such folder");
        }
        final CompareLearningSettings settings = resume != null && ExperimentFile.applies(resume,
                spec.commandLine().getParseResult())
                ? ExperimentFile.settings(resume, CompareLearningSettings.class, threads)
                : new CompareLearningSettings(rules.isEmpty()
                ? CompareLearning.allRules() : rules, tasks.isEmpty() ? DEFAULT_TASKS : tasks, seeds, seed, budget,
                testEvery, rateScales.isEmpty() ? List.of(1.0) : rateScales, scanBudget,
                data != null ? data.toString() : null, hidden, threads);
        return stop.run("compare-learning-stop", () -> run(spec.commandLine(), settings, out, resume,
                progress.enabled(), stop::requested, true));
    }

    /**
     * Runs a comparison with the given settings into a folder, as {@code neurode compare-learning} with the same
     * settings would (the same files and numbers, console lines and exit code): the shell of {@code neurode run} for
     * {@code kind: compare-learning}.
     *
     * @param cl           the command line printing the runs as they finish
     * @param s            the settings
     * @param out          output folder (null: {@code runs/compare-learning-<time>})
     * @param showProgress show a progress bar (training patterns of all runs)
     * @param stop         polled after every pattern: true stops the runs in flight (their checkpoints stay) and
     *                     summarises the finished ones
     * @return the exit code
     */
    public static int runSettings(final CommandLine cl, final CompareLearningSettings s, final Path out,
                                  final boolean showProgress, final BooleanSupplier stop) {
        return run(cl, s, out, null, showProgress, stop, false);
    }

    /**
     * Continues the comparison in a folder with its settings (those of its {@code experiment.json}): the shell of
     * {@code neurode run --resume} for {@code kind: compare-learning}.
     *
     * @param cl           the command line printing the runs as they finish
     * @param s            the comparison's settings
     * @param folder       its folder
     * @param showProgress show a progress bar
     * @param stop         polled after every pattern
     * @return the exit code
     */
    public static int resumeSettings(final CommandLine cl, final CompareLearningSettings s, final Path folder,
                                     final boolean showProgress, final BooleanSupplier stop) {
        return run(cl, s, null, folder, showProgress, stop, false);
    }

    private static int run(final CommandLine cl, final CompareLearningSettings s, final Path out, final Path resume,
                           final boolean showProgress, final BooleanSupplier stop, final boolean options) {
        // the tasks are made (and Fashion-MNIST read) before any output is written
        final CompareLearning.Prepared p;
        try {
            p = CompareLearning.INSTANCE.prepare(s);
        } catch (IllegalArgumentException e) {
            throw options ? OptionNames.rename(e, OPTIONS) : e;
        }
        final Path folder = OutputFolders.prepare(resume != null ? resume : out, "compare-learning");
        final Path runs;
        try {
            runs = Files.createDirectories(folder.resolve("runs"));
            if (resume != null) {
                // every checkpoint is checked before anything runs, so a damaged one stops the command at once
                try (java.util.stream.Stream<Path> files = Files.list(runs)) {
                    for (final Path f : files.filter(f -> f.getFileName().toString().endsWith(".ckpt")).toList()) {
                        RunCheckpoint.read(f);
                    }
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        // the settings, for --resume without options and for neurode run --resume
        ExperimentFile.write(folder, CompareLearning.KIND, s);
        final PrintWriter err = cl.getErr();
        final CompareLearning.Store store = new CompareLearning.Store() {
            @Override
            public CompareLearningResult.Run finished(final LearningJob job) {
                return read(runs, job);
            }

            @Override
            public void batch(final boolean scan, final List<LearningJob> jobs, final int finishedBefore) {
                if (scan) {
                    err.printf(Locale.ROOT, "compare-learning: scanning %d learning-rate factors per rule and task "
                            + "(%d runs of %d patterns), %d threads, output %s%n", s.rateScales().size(), jobs.size(),
                            jobs.get(0).patterns(), p.threads(), folder);
                } else {
                    err.printf(Locale.ROOT, "compare-learning: %d runs of %d patterns, %d threads, output %s%n",
                            jobs.size(), s.budget(), p.threads(), folder);
                }
                if (finishedBefore > 0) {
                    err.printf(Locale.ROOT, "  %d runs finished before%n", finishedBefore);
                }
                err.flush();
            }

            @Override
            public LearningJobRun.Saved saved(final LearningJob j) {
                final Path checkpoint = runs.resolve(j.id() + ".ckpt");
                final RunCheckpoint.State saved = RunCheckpoint.read(checkpoint);
                if (saved == null) {
                    return null;
                }
                if (!saved.task().equals(j.task()) || !saved.rule().equals(j.rule()) || saved.seed() != j.seed()
                        || saved.scale() != j.scale() || saved.budget() != j.patterns()) {
                    throw new IllegalArgumentException("cannot resume from " + checkpoint + ": it is a checkpoint of "
                            + saved.task() + " " + saved.rule() + " seed " + saved.seed() + " at learning-rate factor "
                            + saved.scale() + " with a budget of " + saved.budget() + ", not of this comparison's run "
                            + j.id() + " (factor " + j.scale() + ", budget " + j.patterns() + "); resume with the "
                            + "options it was started with");
                }
                return new LearningJobRun.Saved(saved.done(), saved.curve(), saved.learner());
            }

            @Override
            public void ended(final CompareLearningResult.Run d) {
                write(runs, d);
            }

            @Override
            public void collected(final CompareLearningResult.Run d, final int collected, final int jobs) {
                err.printf(Locale.ROOT, "  [%d/%d] %s: %s %.4g (%.1f s)%n", collected, jobs, d.id(),
                        d.scan() ? "validation error" : "test error",
                        d.scan() ? d.validationError() : d.finalTestError(), d.seconds());
                err.flush();
            }
        };
        final Checkpoints checkpoints = Checkpoints.at(state -> {
            final LearningJobRun r = (LearningJobRun) state;
            final LearningJob j = r.job();
            final List<LearningRun.Point> c = r.curve();
            RunCheckpoint.write(runs.resolve(j.id() + ".ckpt"), new RunCheckpoint.State(j.task(), j.rule(),
                    j.seed(), j.scale(), j.patterns(), r.done(), c, r.learnerState()));
            if (j.patterns() >= LONG_RUN) {
                err.printf(Locale.ROOT, "  %s: %d of %d patterns, test error %.4g%n", j.id(), r.done(),
                        j.patterns(), c.get(c.size() - 1).testError());
                err.flush();
            }
        });
        // start Java2D now: after Ctrl-C the JVM is shutting down and can no longer start it to draw the figures
        Figure.warmUp();
        final CompareLearningResult result;
        try (Progress bar = showProgress ? Progress.counting("compare-learning", " patterns", 0, p.totalPatterns())
                : Progress.none()) {
            result = CompareLearning.INSTANCE.run(p, store, stoppable((done, total, m) -> {
                bar.update(done, String.format(Locale.ROOT, " %.0f of %.0f runs", m.get("runsFinished"),
                        m.get("runs")));
            }, stop), checkpoints);
        }
        writeSummary(folder, result);
        err.println("compare-learning: wrote " + folder.resolve("summary.md"));
        if (result.status() == RunStatus.INTERRUPTED) {
            err.println("neurode: note: " + result.message() + "; compare-learning --resume " + folder
                    + " with the same options continues");
        }
        err.flush();
        return Main.EXIT_OK;
    }

    /** Runs of at least this many patterns report each checkpoint. */
    private static final long LONG_RUN = 100_000;

    /** Writes a finished run's curve and numbers, and removes its checkpoint. */
    private static void write(final Path runs, final CompareLearningResult.Run d) {
        CsvFiles.writeColumns(runs.resolve(d.id() + ".csv"), List.of("patterns", "test_error", "angle_deg"),
                columns(d.curve()));
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("task", d.task());
        m.put("rule", d.rule());
        m.put("seed", d.seed());
        m.put("rateScale", d.rateScale());
        m.put("patterns", d.patterns());
        m.put("seconds", d.seconds());
        m.put("finalTestError", d.finalTestError());
        m.put("validationError", d.validationError());
        JsonFiles.write(runs.resolve(d.id() + ".json"), m);
        final Path checkpoint = runs.resolve(d.id() + ".ckpt");
        try {
            Files.deleteIfExists(checkpoint);
            Files.deleteIfExists(org.neurode.examples.io.CheckpointFile.previous(checkpoint));
        } catch (java.io.IOException e) {
            // the results are written; a stale checkpoint is only space
        }
    }

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
    private static CompareLearningResult.Run read(final Path runs, final LearningJob j) {
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
        return curve.isEmpty() ? null : CompareLearningResult.Run.of(j, curve, v.isNumber() ? v.asDouble()
                : Double.NaN, n.path("seconds").asDouble());
    }

    private static void writeSummary(final Path folder, final CompareLearningResult result) {
        final CompareLearningSettings s = result.settings();
        final StringBuilder md = new StringBuilder("# compare-learning\n\n");
        md.append(String.format(Locale.ROOT, "%d patterns per run, seeds %d-%d, test every %d patterns.%n%n",
                s.budget(), s.seed(), s.seed() + s.seeds() - 1, result.testEvery()));
        md.append("| task | rule | final test error (mean +- std) | learning-rate factor | wall time (s, all seeds) "
                + "| patterns/s |\n");
        md.append("|---|---|---|---|---|---|\n");
        final List<Map<String, Object>> rows = new ArrayList<>();
        for (final CompareLearningResult.TaskInfo task : result.tasks()) {
            final String t = task.name();
            final List<Series> errors = new ArrayList<>();
            final List<Series> angles = new ArrayList<>();
            for (final CompareLearningResult.SummaryRow row : result.summary()) {
                if (!row.task().equals(t)) {
                    continue;
                }
                final List<CompareLearningResult.Run> mine = new ArrayList<>();
                for (final CompareLearningResult.Run d : result.runs()) {
                    if (d.task().equals(t) && d.rule().equals(row.rule())) {
                        mine.add(d);
                    }
                }
                md.append(String.format(Locale.ROOT, "| %s | %s | %.4g +- %.2g | %s | %.2f | %.0f |%n", t, row.rule(),
                        row.finalTestErrorMean(), row.finalTestErrorStd(), OptionConverters.compact(row.rateScale()),
                        row.seconds(), row.patternsPerSecond()));
                final Map<String, Object> m = new LinkedHashMap<>();
                m.put("task", t);
                m.put("rule", row.rule());
                m.put("seeds", row.seeds());
                m.put("rateScale", row.rateScale());
                m.put("finalTestErrorMean", row.finalTestErrorMean());
                m.put("finalTestErrorStd", row.finalTestErrorStd());
                m.put("seconds", row.seconds());
                m.put("patternsPerSecond", row.patternsPerSecond());
                rows.add(m);
                errors.add(meanSeries(row.rule(), mine, false));
                final Series angle = meanSeries(row.rule(), mine, true);
                if (hasValues(angle)) {
                    angles.add(angle);
                }
            }
            if (!errors.isEmpty()) {
                // a squared error spans decades: a log axis (values that are not positive are left out); a
                // fraction misclassified reaches 0: a linear one
                final boolean log = !task.classification();
                final org.knowm.xchart.XYChart errorChart = Charts.lines(t + ": test error (mean over seeds)",
                        "patterns", log ? "test error (log scale)" : "test error", log ? positive(errors) : errors);
                errorChart.getStyler().setYAxisLogarithmic(log);
                final org.knowm.xchart.XYChart angleChart = Charts.lines(t
                        + ": angle of the first hidden layer's update to backprop's", "patterns", "degrees", angles);
                colorByRule(errorChart, result.rules());
                colorByRule(angleChart, result.rules());
                Figure.of(List.of(errorChart, angleChart)).writePng(folder.resolve(t + ".png"));
            }
        }
        final List<Map<String, Object>> scanRows = new ArrayList<>();
        if (!result.scanRuns().isEmpty()) {
            md.append("\nLearning-rate scan (seed ").append(s.seed()).append(", ")
                    .append(result.scanRuns().get(0).patterns())
                    .append(" patterns, validation error; the chosen factor in bold):\n\n| task | rule |");
            final List<Double> factors = new ArrayList<>();
            for (final CompareLearningResult.Run d : result.scanRuns()) {
                if (!factors.contains(d.rateScale())) {
                    factors.add(d.rateScale());
                }
            }
            for (final double f : factors) {
                md.append(" x").append(OptionConverters.compact(f)).append(" |");
            }
            md.append("\n|---|---|").append("---|".repeat(factors.size())).append('\n');
            String pair = null;
            for (final CompareLearningResult.ScanRow row : result.rateScan()) {
                final String key = row.task() + "/" + row.rule();
                if (!key.equals(pair)) {
                    if (pair != null) {
                        md.append('\n');
                    }
                    pair = key;
                    md.append("| ").append(row.task()).append(" | ").append(row.rule()).append(" |");
                }
                final String v = String.format(Locale.ROOT, "%.4g", row.validationError());
                md.append(' ').append(row.chosen() ? "**" + v + "**" : v).append(" |");
                final Map<String, Object> m = new LinkedHashMap<>();
                m.put("task", row.task());
                m.put("rule", row.rule());
                m.put("rateScale", row.rateScale());
                m.put("validationError", row.validationError());
                m.put("chosen", row.chosen());
                scanRows.add(m);
            }
            if (pair != null) {
                md.append('\n');
            }
        }
        if (!result.notRun().isEmpty()) {
            md.append("\nNot run:\n\n");
            for (final String line : result.notRun()) {
                md.append("- ").append(line).append('\n');
            }
        }
        org.neurode.examples.io.AtomicFiles.writeString(folder.resolve("summary.md"), md.toString());
        final Map<String, Object> results = new LinkedHashMap<>();
        results.put("settings", SettingsFiles.document(CompareLearning.KIND, s));
        results.put("status", result.status().name());
        results.put("message", result.message());
        results.put("summary", rows);
        results.put("rateScan", scanRows);
        results.put("notRun", result.notRun());
        JsonFiles.write(folder.resolve("results.json"), results);
    }

    /** Distinct colours, one per rule in the order of the comparison, the same in every panel. */
    private static final java.awt.Color[] PALETTE = {
        new java.awt.Color(0x1f77b4), new java.awt.Color(0xff7f0e), new java.awt.Color(0x2ca02c),
        new java.awt.Color(0xd62728), new java.awt.Color(0x9467bd), new java.awt.Color(0x8c564b),
        new java.awt.Color(0xe377c2), new java.awt.Color(0x7f7f7f), new java.awt.Color(0xbcbd22),
        new java.awt.Color(0x17becf), new java.awt.Color(0x000000), new java.awt.Color(0xaec7e8),
        new java.awt.Color(0xffbb78), new java.awt.Color(0x98df8a)};

    private static void colorByRule(final org.knowm.xchart.XYChart chart, final List<String> ruleList) {
        for (int i = 0; i < ruleList.size(); i++) {
            final org.knowm.xchart.XYSeries s = chart.getSeriesMap().get(ruleList.get(i));
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
    private static Series meanSeries(final String name, final List<CompareLearningResult.Run> runs,
                                     final boolean angle) {
        final int n = runs.get(0).curve().size();
        final double[] x = new double[n];
        final double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = runs.get(0).curve().get(i).patterns();
            double s = 0;
            for (final CompareLearningResult.Run d : runs) {
                final LearningRun.Point p = d.curve().get(Math.min(i, d.curve().size() - 1));
                s += angle ? p.angleDeg() : p.testError();
            }
            y[i] = s / runs.size();
        }
        return new Series(name, x, y);
    }
}
