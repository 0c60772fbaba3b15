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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongFunction;

import com.fasterxml.jackson.databind.JsonNode;

import org.neurode.examples.OptionConverters;
import org.neurode.examples.OutputFolders;
import org.neurode.examples.VersionProvider;
import org.neurode.examples.io.CsvFiles;
import org.neurode.examples.io.JsonFiles;
import org.neurode.examples.plot.Charts;
import org.neurode.examples.plot.Figure;
import org.neurode.examples.plot.Series;
import org.neurode.models.credit.ImitationTask;
import org.neurode.models.credit.LearningRun;
import org.neurode.models.credit.Rule;
import org.neurode.models.credit.Rules;
import org.neurode.models.credit.Task;
import org.neurode.models.credit.XorTask;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code neurode compare-learning}: every rule on every task for every seed, the same patterns in the same order
 * and the same budget, the runs spread over the cores. Each finished run is written at once
 * ({@code runs/<task>-<rule>-seed<s>.csv} and {@code .json}), so a killed comparison continued with
 * {@code --resume} repeats only the runs in flight; then {@code results.json}, {@code summary.md} (final test error
 * mean and standard deviation over seeds, wall time, patterns per second) and per task a figure of the learning
 * curves and of the angles to backprop.
 */
@Command(name = "compare-learning", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
         description = {"Compares learning rules on the same tasks, seeds and budget (docs/credit-assignment.md)."})
public final class CompareLearningCommand implements Callable<Integer> {

    /** The tasks by name. */
    static final Map<String, LongFunction<Task>> TASKS = new LinkedHashMap<>();

    static {
        TASKS.put("linear", ImitationTask::linear);
        TASKS.put("nonlinear", ImitationTask::nonlinear);
        TASKS.put("scalar", ImitationTask::scalar);
        TASKS.put("xor", seed -> new XorTask());
    }

    @Spec
    private CommandSpec spec;

    @Option(names = "--rules", split = ",", paramLabel = "<rule>",
            description = "Rules (default all): backprop, feedback-alignment, direct-feedback-alignment, kickback, "
                    + "shallow, segregated-dendrites, segregated-dendrites-symmetric.")
    private List<String> rules = new ArrayList<>();

    @Option(names = "--tasks", split = ",", paramLabel = "<task>",
            description = "Tasks (default all): linear, nonlinear, scalar, xor.")
    private List<String> tasks = new ArrayList<>();

    @Option(names = "--seeds", defaultValue = "3", converter = OptionConverters.PositiveInt.class, paramLabel = "<n>",
            description = "Seeds seed..seed+n-1 (default ${DEFAULT-VALUE}).")
    private int seeds;

    @Option(names = "--seed", defaultValue = "1", converter = OptionConverters.Seed.class, paramLabel = "<seed>",
            description = "First seed (default ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--budget", defaultValue = "20000", converter = OptionConverters.PositiveInt.class,
            paramLabel = "<patterns>", description = "Training patterns per run (default ${DEFAULT-VALUE}).")
    private int budget;

    @Option(names = "--test-every", converter = OptionConverters.PositiveInt.class, paramLabel = "<patterns>",
            description = "Test interval (default: budget / 20).")
    private Integer testEvery;

    @Option(names = "--threads", converter = OptionConverters.PositiveInt.class, paramLabel = "<n>",
            description = "Runs in parallel (default: all cores).")
    private Integer threads;

    @Option(names = "--out", converter = OptionConverters.OutputPath.class, paramLabel = "<folder>",
            description = "Output folder (default runs/compare-learning-<time>).")
    private Path out;

    @Option(names = "--resume", converter = OptionConverters.OutputPath.class, paramLabel = "<folder>",
            description = "Continue a comparison in this folder: finished runs are kept, the others run.")
    private Path resume;

    /** One run of the comparison. */
    private record Job(String task, Rule rule, long seed) {
        String id() {
            return task + "-" + rule.label() + "-seed" + seed;
        }
    }

    /** A finished run. */
    private record Done(Job job, List<LearningRun.Point> curve, double seconds) {
        double finalError() {
            return curve.get(curve.size() - 1).testError();
        }
    }

    @Override
    public Integer call() throws Exception {
        final List<String> taskNames = tasks.isEmpty() ? new ArrayList<>(TASKS.keySet()) : tasks;
        for (final String t : taskNames) {
            if (!TASKS.containsKey(t)) {
                throw new IllegalArgumentException("--tasks: unknown task '" + t + "'; known: "
                        + String.join(", ", TASKS.keySet()));
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
        final Path folder = OutputFolders.prepare(resume != null ? resume : out, "compare-learning");
        final Path runs = Files.createDirectories(folder.resolve("runs"));
        final int every = testEvery != null ? testEvery : Math.max(1, budget / 20);
        final PrintWriter err = spec.commandLine().getErr();
        // the jobs, those that do not apply noted
        final List<Job> jobs = new ArrayList<>();
        final List<String> skipped = new ArrayList<>();
        for (final String t : taskNames) {
            for (final Rule r : ruleList) {
                final String why = r.notApplicable(TASKS.get(t).apply(seed));
                if (why != null) {
                    skipped.add(r.label() + " on " + t + ": " + why);
                    continue;
                }
                for (long s = seed; s < seed + seeds; s++) {
                    jobs.add(new Job(t, r, s));
                }
            }
        }
        final List<Done> done = new ArrayList<>();
        final List<Job> todo = new ArrayList<>();
        for (final Job j : jobs) {
            final Done d = resume != null ? read(runs, j, budget) : null;
            if (d != null) {
                done.add(d);
            } else {
                todo.add(j);
            }
        }
        final int nThreads = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        err.printf(Locale.ROOT, "compare-learning: %d runs (%d done before), %d threads, output %s%n", jobs.size(),
                done.size(), nThreads, folder);
        err.flush();
        final ExecutorService pool = Executors.newFixedThreadPool(nThreads);
        try {
            final List<Future<Done>> futures = new ArrayList<>();
            for (final Job j : todo) {
                futures.add(pool.submit(() -> run(j, every, runs)));
            }
            for (final Future<Done> f : futures) {
                final Done d = get(f);
                done.add(d);
                err.printf(Locale.ROOT, "  [%d/%d] %s: test error %.4g (%.1f s)%n", done.size(), jobs.size(),
                        d.job().id(), d.finalError(), d.seconds());
                err.flush();
            }
        } finally {
            pool.shutdownNow();
        }
        done.sort((a, b) -> Integer.compare(jobs.indexOf(a.job()), jobs.indexOf(b.job())));
        writeSummary(folder, taskNames, ruleList, done, skipped, every);
        err.println("compare-learning: wrote " + folder.resolve("summary.md"));
        err.flush();
        return 0;
    }

    private static Done get(final Future<Done> f) throws Exception {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            throw e;
        }
    }

    private Done run(final Job j, final int every, final Path runs) {
        final Task task = TASKS.get(j.task()).apply(j.seed());
        final LearningRun run = new LearningRun(task, j.rule().learner(task, j.seed(), 1.0));
        final long t0 = System.nanoTime();
        run.train(budget, every, () -> Thread.currentThread().isInterrupted());
        final double seconds = (System.nanoTime() - t0) * 1e-9;
        final Done d = new Done(j, run.curve(), seconds);
        final List<double[]> columns = columns(d.curve());
        CsvFiles.writeColumns(runs.resolve(j.id() + ".csv"), List.of("patterns", "test_error", "angle_deg"), columns);
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("task", j.task());
        m.put("rule", j.rule().label());
        m.put("seed", j.seed());
        m.put("patterns", budget);
        m.put("seconds", seconds);
        m.put("finalTestError", d.finalError());
        JsonFiles.write(runs.resolve(j.id() + ".json"), m);
        return d;
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

    /** A finished run read back, or null if it is missing or from another budget. */
    private static Done read(final Path runs, final Job j, final int budget) {
        final Path json = runs.resolve(j.id() + ".json");
        final Path csv = runs.resolve(j.id() + ".csv");
        if (!Files.isRegularFile(json) || !Files.isRegularFile(csv)) {
            return null;
        }
        final JsonNode n = JsonFiles.read(json);
        if (n.path("patterns").asLong(-1) != budget) {
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
        return curve.isEmpty() ? null : new Done(j, curve, n.path("seconds").asDouble());
    }

    private void writeSummary(final Path folder, final List<String> taskNames, final List<Rule> ruleList,
                              final List<Done> done, final List<String> skipped, final int every) {
        final StringBuilder md = new StringBuilder("# compare-learning\n\n");
        md.append(String.format(Locale.ROOT, "%d patterns per run, seeds %d-%d, test every %d patterns.%n%n", budget,
                seed, seed + seeds - 1, every));
        md.append("| task | rule | final test error (mean +- std) | wall time (s, all seeds) | patterns/s |\n");
        md.append("|---|---|---|---|---|\n");
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
                md.append(String.format(Locale.ROOT, "| %s | %s | %.4g +- %.2g | %.2f | %.0f |%n", t, r.label(), mean,
                        std, seconds, rate));
                final Map<String, Object> row = new LinkedHashMap<>();
                row.put("task", t);
                row.put("rule", r.label());
                row.put("seeds", mine.size());
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
                Figure.of(List.of(
                        Charts.lines(t + ": test error (mean over seeds)", "patterns", "test error", errors),
                        Charts.lines(t + ": angle of the hidden-layer update to backprop's", "patterns", "degrees",
                                angles)))
                        .writePng(folder.resolve(t + ".png"));
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
        results.put("settings", settings);
        results.put("summary", rows);
        results.put("notRun", skipped);
        JsonFiles.write(folder.resolve("results.json"), results);
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
