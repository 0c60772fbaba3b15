package org.neurode.examples;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentSkipListMap;

import org.knowm.xchart.internal.chartpart.Chart;
import org.neurode.examples.io.AtomicFiles;
import org.neurode.examples.plot.Charts;
import org.neurode.examples.plot.Figure;
import org.neurode.models.experiment.sweep.LocalRunner;
import org.neurode.models.experiment.sweep.Point;
import org.neurode.models.experiment.sweep.PointResult;
import org.neurode.models.experiment.sweep.ResultFolder;
import org.neurode.models.experiment.sweep.Sweep;
import org.neurode.models.experiment.sweep.SweepFiles;
import org.neurode.models.experiment.sweep.SweepListener;
import org.neurode.models.experiment.sweep.SweepTable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code neurode sweep <sweep.yaml>}: runs the points of a parameter sweep ({@link SweepFiles}) on the cores of
 * this machine ({@link LocalRunner}), each point's result in its own file as it finishes, then gathers them into
 * {@code results.csv}, {@code results.jsonl}, {@code summary.csv} and {@code summary.png} (the metric against each
 * axis, mean and spread over seeds). Running it again with the same {@code --out} runs only the points that have
 * no result yet (after a stop or a crash). A thin shell over the library.
 *
 * @since 0.7
 */
@Command(name = "sweep",
         mixinStandardHelpOptions = true,
         versionProvider = VersionProvider.class,
         sortOptions = false,
         description = {"Run a parameter sweep: a base experiment (as 'neurode run' reads it), axes over its settings "
                        + "and seeds, on all cores. Each point's result is written as it finishes; run the same "
                        + "command with the same --out again to resume. Writes results.csv, results.jsonl, "
                        + "summary.csv and summary.png."})
public final class SweepCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<sweep>", converter = OptionConverters.InputFile.class,
                description = "sweep.yaml or sweep.json.")
    private Path file;

    @Option(names = "--out", converter = OptionConverters.OutputPath.class, paramLabel = "<folder>",
            description = "Output folder (default: runs/sweep-<yyyyMMdd-HHmmss>); the same folder resumes a sweep.")
    private Path out;

    @Option(names = "--threads", converter = OptionConverters.PositiveInt.class, paramLabel = "<n>",
            description = "Points run at the same time (default: the number of cores).")
    private Integer threads;

    @Option(names = "--dry-run", description = "List the points and exit.")
    private boolean dryRun;

    @Mixin
    private ProgressOption progress;

    private final StopOnSignal stop = new StopOnSignal();

    /**
     * Runs the sweep.
     *
     * @return 0, or {@value Main#EXIT_SOLVE_FAILED} if a point failed (its row is still written)
     */
    @Override
    public Integer call() throws Exception {
        final Sweep sweep = SweepFiles.read(file);
        final PrintWriter console = spec.commandLine().getOut();
        if (dryRun) {
            for (final Point p : sweep.points()) {
                console.println(p.index() + "  " + p.label());
            }
            console.println(sweep.points().size() + " points of " + sweep.kind());
            console.flush();
            return Main.EXIT_OK;
        }
        final int n = threads != null ? threads : LocalRunner.defaultThreads();
        final Path folder = OutputFolders.prepare(out, "sweep");
        final String name = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")
                ? "sweep.json" : "sweep.yaml";
        AtomicFiles.writeString(folder.resolve(name), Files.readString(file, StandardCharsets.UTF_8));
        final ResultFolder results = ResultFolder.open(folder);
        return stop.run("sweep-stop", () -> {
            final long start = System.nanoTime();
            final Bar bar = new Bar(progress.enabled(), sweep.metric());
            final LocalRunner.Outcome outcome;
            try {
                outcome = new LocalRunner(n).run(sweep, results, bar);
            } finally {
                bar.close();
            }
            final double seconds = (System.nanoTime() - start) * 1e-9;
            final SweepTable table = SweepTable.of(sweep, outcome.results());
            write(folder.resolve("results.csv"), table::writeCsv);
            write(folder.resolve("results.jsonl"), table::writeJsonLines);
            write(folder.resolve("summary.csv"), w -> table.writeSummaryCsv(sweep.metric(), w));
            figure(table, sweep).writePng(folder.resolve("summary.png"));
            console.printf(Locale.ROOT, "sweep of %s: %d points (%d done before, %d run now, %d failed) on %d "
                    + "threads in %.1f s%s%n", sweep.kind(), outcome.total(), outcome.skipped(), outcome.ran(),
                    outcome.failed(), Math.min(n, Math.max(1, outcome.total() - outcome.skipped())), seconds,
                    outcome.ran() > 0 ? String.format(Locale.ROOT, ", %.2f points/min", outcome.ran() * 60 / seconds)
                            : "");
            for (final SweepTable.AxisSummary s : table.summary(sweep.metric())) {
                final StringBuilder line = new StringBuilder("  " + sweep.metric() + " against " + s.axis().name()
                        + ":");
                for (final SweepTable.Level l : s.levels()) {
                    line.append(String.format(Locale.ROOT, "  %s: %.4g +- %.2g", l.value(), l.mean(), l.sd()));
                }
                console.println(line);
            }
            if (!outcome.complete()) {
                console.println("  stopped: " + outcome.results().size() + " of " + outcome.total() + " points done; "
                        + "run the same command with --out " + folder + " to run the others");
            }
            console.println("  files in " + folder);
            console.flush();
            return outcome.failed() > 0 ? Main.EXIT_SOLVE_FAILED : Main.EXIT_OK;
        });
    }

    /** Writes a text file atomically. */
    private interface Text {
        void writeTo(Writer w) throws java.io.IOException;
    }

    private static void write(final Path target, final Text text) {
        AtomicFiles.write(target, o -> {
            final Writer w = new OutputStreamWriter(o, StandardCharsets.UTF_8);
            text.writeTo(w);
            w.flush();
        });
    }

    /**
     * The summary figure: the metric against each axis (one panel an axis), mean over seeds with one standard
     * deviation as error bars.
     *
     * @param table the gathered results
     * @param sweep the sweep
     * @return the figure
     */
    static Figure figure(final SweepTable table, final Sweep sweep) {
        final List<Chart<?, ?>> panels = new ArrayList<>();
        final String what = sweep.seeds().size() > 1 ? "mean +- sd over " + sweep.seeds().size() + " seeds"
                : "one seed";
        for (final SweepTable.AxisSummary s : table.summary(sweep.metric())) {
            final int k = s.levels().size();
            final double[] mean = new double[k];
            final double[] sd = new double[k];
            for (int i = 0; i < k; i++) {
                mean[i] = s.levels().get(i).mean();
                sd[i] = s.levels().get(i).sd();
            }
            final String title = sweep.kind() + ": " + sweep.metric() + " against " + s.axis().name()
                    + (sweep.axes().size() > 1 ? " (averaged over the other axes)" : "");
            if (s.axis().numeric()) {
                final double[] x = new double[k];
                for (int i = 0; i < k; i++) {
                    x[i] = ((Number) s.levels().get(i).value()).doubleValue();
                }
                final int[] order = java.util.stream.IntStream.range(0, k).boxed()
                        .sorted(java.util.Comparator.comparingDouble(i -> x[i])).mapToInt(i -> i).toArray();
                panels.add(Charts.meanWithSpread(title, s.axis().name(), sweep.metric(), what,
                        java.util.Arrays.stream(order).mapToDouble(i -> x[i]).toArray(),
                        java.util.Arrays.stream(order).mapToDouble(i -> mean[i]).toArray(),
                        java.util.Arrays.stream(order).mapToDouble(i -> sd[i]).toArray(), s.axis().logScale()));
            } else {
                final List<String> categories = new ArrayList<>();
                s.levels().forEach(l -> categories.add(String.valueOf(l.value())));
                panels.add(Charts.categoryMeanWithSpread(title, s.axis().name(), sweep.metric(), what, categories,
                        mean, sd));
            }
        }
        return Figure.of(panels);
    }

    /** The progress bar over points, with the running points' own progress as its message. */
    private final class Bar implements SweepListener {

        private final boolean enabled;
        private final String metric;
        private final Map<Integer, Integer> running = new ConcurrentSkipListMap<>();
        private volatile Progress display = Progress.none();
        private volatile long finished;

        Bar(final boolean enabled, final String metric) {
            this.enabled = enabled;
            this.metric = metric;
        }

        @Override
        public void started(final int total, final int done) {
            finished = done;
            if (enabled) {
                display = Progress.counting("sweep", " points", done, total);
            }
        }

        @Override
        public void pointProgress(final Point point, final long done, final long total) {
            final int percent = (int) (100 * done / Math.max(1, total));
            final Integer before = running.put(point.index(), percent);
            if (before == null || before != percent) {
                show(null);
            }
        }

        @Override
        public void pointFinished(final PointResult result, final int done, final int total) {
            running.remove(result.point().index());
            finished = done;
            show(String.format(Locale.ROOT, "#%d %s %.4g", result.point().index(), metric,
                    result.metric(metric)));
        }

        private synchronized void show(final String last) {
            final StringBuilder m = new StringBuilder(last != null ? last : "");
            running.forEach((i, p) -> m.append(m.length() == 0 ? "" : "  ").append('#').append(i).append(' ')
                    .append(p).append('%'));
            display.update(finished, m.toString());
        }

        @Override
        public boolean stopRequested() {
            return stop.requested();
        }

        void close() {
            display.close();
        }
    }
}
