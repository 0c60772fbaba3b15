package org.neurode.examples.regression;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
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
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.Stream;

import org.neurode.models.experiment.regression.Regression;
import org.neurode.models.experiment.regression.RegressionRun;
import org.neurode.models.experiment.regression.RegressionSettings;
import org.neurode.examples.Main;
import org.neurode.examples.MemoryBudget;
import org.neurode.examples.OptionConverters;
import org.neurode.examples.OutputFolders;
import org.neurode.examples.Progress;
import org.neurode.examples.ProgressOption;
import org.neurode.examples.VersionProvider;
import org.neurode.examples.OptionConverters.PositiveDouble;
import org.neurode.examples.OptionConverters.PositiveInt;
import org.neurode.examples.io.AtomicFiles;
import org.neurode.examples.io.JsonFiles;
import org.neurode.examples.io.RegressionResultsJson;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code neurode regression}: the teacher-student nonlinear regression of Sacramento et al. (2018,
 * Fig. 2) with the microcircuit, the shallow learner and a backprop network (see {@link RegressionRun}),
 * one or several seeds, checkpoints and resume; writes {@code config.json}, {@code checkpoint.bin},
 * {@code curves.csv}, {@code regression.png} and {@code results.json} (last).
 *
 * @since 0.1
 */
@Command(name = "regression",
         mixinStandardHelpOptions = true,
         versionProvider = VersionProvider.class,
         sortOptions = false,
         description = {"Teacher-student nonlinear regression with the dendritic microcircuit (Sacramento et al. "
                        + "2018, Fig. 2C), the shallow learner and backprop; writes config.json, curves.csv, "
                        + "regression.png, checkpoint.bin and results.json into the output folder."})
public final class RegressionCommand implements Callable<Integer> {

    /** Default number of training patterns: about a minute on the 2-core development machine. */
    public static final long DEFAULT_PATTERNS = 30_000L;
    /** Summary of a multi-seed run. */
    public static final String SUMMARY_FILE = "summary.json";

    /** Duration of a training pattern (ms; the paper's 100 ms). */
    private static final double PATTERN_MS = 100.0;
    /** Most integration steps per pattern: 100 times the paper's 1,000 (dt 0.001 ms; about 1 s per pattern). */
    static final double MAX_STEPS_PER_PATTERN = 100_000;
    /** Steps per pattern above which the console notes the cost (dt below 0.01 ms). */
    static final double NOTE_STEPS_PER_PATTERN = 10_000;
    /** Largest held-out set: one measurement of it takes about a minute. */
    static final int MAX_HELD_OUT = 10_000;
    /**
     * Shortest checkpoint interval (minutes, 6 ms): each checkpoint also redraws the figure (about 5-20 ms), so a
     * shorter interval would spend the run writing files. Short intervals are for fault tests (the kill campaign
     * checkpoints every 30 ms); the default is 2 minutes.
     */
    static final double MIN_CHECKPOINT_MINUTES = 1e-4;
    /** Options that a resumed run takes from its checkpoint and so cannot be given with --resume. */
    private static final List<String> SAVED_OPTIONS = List.of("--seed", "--seeds", "--solver", "--dt", "--paper",
            "--learning-rate-scale", "--test-every", "--held-out", "--held-out-every", "--out");

    @Spec
    private CommandSpec spec;

    @Option(names = "--patterns", converter = OptionConverters.NonNegativeLong.class, paramLabel = "<n>",
            description = "Training patterns of 100 ms (default: " + DEFAULT_PATTERNS + ", about 5 minutes on "
                          + "2 cores; with --resume: the new total, default the saved one).")
    private Long patterns;

    @Option(names = "--seed", defaultValue = "1", converter = OptionConverters.Seed.class, paramLabel = "<seed>",
            description = "Seed of the teacher, initial weights, inputs, noise and test patterns "
                          + "(default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--seeds", defaultValue = "1", converter = PositiveInt.class, paramLabel = "<n>",
            description = "Run seeds seed..seed+n-1 in parallel on all cores, each in its own subfolder "
                          + "seed-<s> (default: ${DEFAULT-VALUE}).")
    private int seeds;

    @Option(names = "--solver", defaultValue = "exponential-euler", paramLabel = "<name>",
            description = "exponential-euler (exact on the stiff linear part and on the noise of the membranes; "
                          + "at its default 0.5 ms within the seed spread of the papers' protocol, 3-4 times "
                          + "faster), euler-maruyama (the papers' forward Euler with noise; the reference, at 0.1 ms) "
                          + "or exponential-trapezoid (second order, three evaluations per step) "
                          + "(default: ${DEFAULT-VALUE}).")
    private String solver;

    @Option(names = "--dt", converter = PositiveDouble.class, paramLabel = "<ms>",
            description = "Step size in ms, at most the 100-ms pattern and at least 0.001 ms (100,000 steps per "
                          + "pattern); below 0.01 ms a note gives the cost (default: 0.5 for exponential-euler, "
                          + "0.1 for euler-maruyama, 2 for exponential-trapezoid).")
    private Double dtOption;
    /** The step: {@code --dt} or the solver's default ({@link #defaultStep}). */
    private double dt;

    @Option(names = "--paper",
            description = "Use the published learning rates unscaled (default: scaled x100 so that learning "
                          + "shows in minutes; the paper trains about 10^7 patterns).")
    private boolean paper;

    @Option(names = "--learning-rate-scale", converter = PositiveDouble.class, paramLabel = "<factor>",
            description = "Factor on the published learning rates (default: 100; 1 with --paper).")
    private Double learningRateScale;

    @Option(names = "--test-every", defaultValue = "10", converter = PositiveInt.class, paramLabel = "<n>",
            description = "Patterns between test points; a test point costs about one pattern per circuit "
                          + "(default: ${DEFAULT-VALUE}).")
    private int testEvery;

    @Option(names = "--held-out", defaultValue = "" + RegressionSettings.DEFAULT_HELD_OUT,
            converter = PositiveInt.class, paramLabel = "<n>", description = "Size of the fixed held-out set, at most " + MAX_HELD_OUT + "; it is "
                                              + "tested at the start, every --held-out-every patterns and at the end "
                                              + "(default: ${DEFAULT-VALUE}).")
    private int heldOut;

    @Option(names = "--held-out-every", converter = PositiveInt.class, paramLabel = "<n>",
            description = "Patterns between two measurements of the held-out set, the main curve of the figure "
                          + "and heldout.csv (default: 10 times --held-out, 1000: 4-7 %% of the run's time).")
    private Integer heldOutEvery;

    @Option(names = "--checkpoint-minutes", defaultValue = "2", converter = PositiveDouble.class,
            paramLabel = "<minutes>", description = "Minutes between checkpoints, at least " + MIN_CHECKPOINT_MINUTES
                                                    + " (default: ${DEFAULT-VALUE}).")
    private double checkpointMinutes;

    @Option(names = "--out", converter = OptionConverters.OutputPath.class, paramLabel = "<folder>",
            description = "Output folder (default: runs/regression-<yyyyMMdd-HHmmss>).")
    private Path out;

    @Option(names = "--resume", converter = OptionConverters.InputFolder.class, paramLabel = "<folder>",
            description = "Continue the run (or the runs of --seeds) saved in this folder; the other options "
                          + "except --patterns, --checkpoint-minutes and --progress are taken from the checkpoint.")
    private Path resume;

    @Mixin
    private ProgressOption progress;

    /** Set by Ctrl-C or SIGTERM: every run stops after its current pattern and saves its files. */
    private final org.neurode.examples.StopOnSignal stop = new org.neurode.examples.StopOnSignal();

    /**
     * Runs the experiment.
     *
     * @return {@value Main#EXIT_OK}, or {@value Main#EXIT_SOLVE_FAILED} if a run blew up (its results are
     *         written)
     */
    @Override
    public Integer call() throws Exception {
        // Ctrl-C or SIGTERM: stop after the current step or pattern and write the files (see StopOnSignal)
        return stop.run("regression-stop", this::runCommand);
    }

    /**
     * @param solver a solver of {@link RegressionSettings#SOLVERS}
     * @return its default step (ms): {@link Regression#defaultStep}
     */
    static double defaultStep(final String solver) {
        return Regression.defaultStep(solver);
    }

    private Integer runCommand() {
        checkOptions();
        final List<Path> folders = new ArrayList<>();
        final List<RegressionSettings> fresh = new ArrayList<>();
        final Path root;
        if (resume != null) {
            root = resume.toAbsolutePath().normalize();
            folders.addAll(resumableFolders(root));
        } else {
            final double scale = paper ? 1.0
                    : learningRateScale != null ? learningRateScale : RegressionSettings.DEFAULT_LEARNING_RATE_SCALE;
            final long total = patterns != null ? patterns : DEFAULT_PATTERNS;
            // curves: one row of 10 numbers per test point and of 4 per held-out point, kept for the whole run;
            // each running seed also holds two circuits and their solvers (about 2 MB)
            final double rows = (double) total / testEvery + 2;
            final double heldOutRows = (double) total / every() + 2;
            MemoryBudget.require("--patterns " + total + " with --test-every " + testEvery + " and --seeds " + seeds,
                    seeds * (rows * CURVE_ROW_BYTES + heldOutRows * HELD_OUT_ROW_BYTES)
                    + Math.min(seeds, Runtime.getRuntime().availableProcessors()) * RUN_BYTES);
            root = OutputFolders.prepare(out, "regression");
            for (int k = 0; k < seeds; k++) {
                final RegressionSettings s = new RegressionSettings(seed + k, solver, dt, total, testEvery, scale,
                        RegressionSettings.DEFAULT_BACKPROP_RATE, 50, 20, heldOut, PATTERN_MS,
                        RegressionSettings.DEFAULT_EMA_ALPHA, every());
                fresh.add(s);
                folders.add(seeds == 1 ? root : AtomicFiles.prepareFolder(root.resolve("seed-" + s.seed())));
            }
            final double stepsPerPattern = PATTERN_MS / dt;
            if (stepsPerPattern > NOTE_STEPS_PER_PATTERN) {
                spec.commandLine().getErr().printf(Locale.ROOT, "neurode: note: --dt %s ms takes %,.0f steps per "
                        + "pattern, %.0f times the papers' 0.1 ms: expect the run to take about that many times "
                        + "longer%n", OptionConverters.compact(dt), stepsPerPattern, stepsPerPattern / 1000);
                spec.commandLine().getErr().flush();
            }
        }
        final List<RegressionResultsJson> results = runAll(folders, fresh, patterns, checkpointMinutes,
                progress.enabled(), stop::requested);
        return finish(spec.commandLine(), root, folders, results);
    }

    /**
     * Runs one regression with the given settings into a folder, as {@code neurode regression} with the same
     * settings would (the same files and numbers, the same console summary and exit code): the shell of
     * {@code neurode run} for {@code kind: regression}.
     *
     * @param cl                the command line printing the summary and notes
     * @param s                 the settings
     * @param out               output folder (null: {@code runs/regression-<time>})
     * @param checkpointMinutes minutes between checkpoints
     * @param showProgress      show a progress bar
     * @param stop              polled after every pattern: true stops the run (it saves its files)
     * @return the exit code
     */
    public static int runSettings(final CommandLine cl, final RegressionSettings s, final Path out,
                                  final double checkpointMinutes, final boolean showProgress,
                                  final java.util.function.BooleanSupplier stop) {
        if (!RegressionSettings.SOLVERS.contains(s.solver())) {
            throw new IllegalArgumentException("solver " + s.solver() + ": the regression needs a stochastic "
                    + "fixed-step solver, one of " + String.join(", ", RegressionSettings.SOLVERS));
        }
        if (s.dt() > s.patternMs() || s.patternMs() / s.dt() > MAX_STEPS_PER_PATTERN) {
            throw new IllegalArgumentException("dt " + OptionConverters.compact(s.dt()) + " ms: from "
                    + OptionConverters.compact(s.patternMs() / MAX_STEPS_PER_PATTERN) + " to the pattern's "
                    + OptionConverters.compact(s.patternMs()) + " ms");
        }
        if (s.heldOut() > MAX_HELD_OUT) {
            throw new IllegalArgumentException("heldOut " + s.heldOut() + ": at most " + MAX_HELD_OUT);
        }
        if (s.patterns() > 0 && s.testEvery() > s.patterns()) {
            throw new IllegalArgumentException("testEvery " + s.testEvery() + " is more than patterns " + s.patterns()
                    + ": the run would have no test point");
        }
        final Path root = OutputFolders.prepare(out, "regression");
        final List<Path> folders = List.of(root);
        return finish(cl, root, folders, runAll(folders, List.of(s), null, checkpointMinutes, showProgress, stop));
    }

    private static int finish(final CommandLine cl, final Path root, final List<Path> folders,
                              final List<RegressionResultsJson> results) {
        if (folders.size() > 1 || !folders.get(0).equals(root)) {
            final Map<String, RegressionResultsJson> summary = new LinkedHashMap<>();
            for (int k = 0; k < folders.size(); k++) {
                summary.put(root.relativize(folders.get(k)).toString(), results.get(k));
            }
            JsonFiles.write(root.resolve(SUMMARY_FILE), summary);
        }
        printSummary(cl.getOut(), folders, results);
        for (int k = 0; k < results.size(); k++) {
            if ("INTERRUPTED".equals(results.get(k).status())) {
                cl.getErr().println("neurode: note: " + results.get(k).message());
                cl.getErr().flush();
                continue;
            }
            if (results.get(k).message() != null) {
                cl.getErr().println("neurode: error: the run in " + folders.get(k) + " failed: "
                        + results.get(k).message());
                cl.getErr().flush();
                return Main.EXIT_SOLVE_FAILED;
            }
        }
        return Main.EXIT_OK;
    }

    /** Memory of one row of curves.csv as the run holds it (10 doubles, array header, list slot, copies). */
    private static final double CURVE_ROW_BYTES = 200;
    /** Memory of one held-out row. */
    private static final double HELD_OUT_ROW_BYTES = 100;
    /** Memory of one running seed's circuits, solvers and backprop network. */
    private static final double RUN_BYTES = 4e6;

    private int every() {
        return heldOutEvery != null ? heldOutEvery : RegressionSettings.defaultHeldOutEvery(heldOut);
    }

    /** Everything that can be checked before a folder is created or a model built. */
    private void checkOptions() {
        final picocli.CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
        if (resume != null) {
            for (final String option : SAVED_OPTIONS) {
                if (parsed.hasMatchedOption(option)) {
                    throw new IllegalArgumentException(option + " cannot be combined with --resume: a resumed run "
                            + "keeps the settings saved in its checkpoint (only --patterns, --checkpoint-minutes "
                            + "and --progress apply)");
                }
            }
        }
        if (!RegressionSettings.SOLVERS.contains(solver)) {
            throw new IllegalArgumentException("--solver " + solver + ": the regression needs a stochastic "
                    + "fixed-step solver, one of " + String.join(", ", RegressionSettings.SOLVERS));
        }
        dt = dtOption != null ? dtOption : defaultStep(solver);
        if (paper && learningRateScale != null) {
            throw new IllegalArgumentException("--paper and --learning-rate-scale exclude each other");
        }
        if (dt > PATTERN_MS) {
            throw new IllegalArgumentException("--dt " + OptionConverters.compact(dt) + " ms is longer than a pattern ("
                    + OptionConverters.compact(PATTERN_MS) + " ms): "
                    + "every pattern must be integrated in at least one step");
        }
        if (PATTERN_MS / dt > MAX_STEPS_PER_PATTERN) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "--dt %s ms would take %,.0f steps per "
                    + "100-ms pattern (the papers' 0.1 ms takes 1,000); at most %,.0f are allowed (--dt 0.001 or "
                    + "more)", OptionConverters.compact(dt), PATTERN_MS / dt, MAX_STEPS_PER_PATTERN));
        }
        if (heldOut > MAX_HELD_OUT) {
            throw new IllegalArgumentException("--held-out " + heldOut + ": at most " + MAX_HELD_OUT + " patterns (one "
                    + "measurement of that many takes about a minute)");
        }
        if (checkpointMinutes < MIN_CHECKPOINT_MINUTES) {
            throw new IllegalArgumentException("--checkpoint-minutes " + OptionConverters.compact(checkpointMinutes)
                    + ": at least " + OptionConverters.compact(MIN_CHECKPOINT_MINUTES)
                    + " (each checkpoint also redraws the figure)");
        }
        if (seed > Long.MAX_VALUE - (seeds - 1)) {
            throw new IllegalArgumentException("--seed " + seed + " with --seeds " + seeds + ": the last seed would "
                    + "exceed " + Long.MAX_VALUE);
        }
        final long total = patterns != null ? patterns : DEFAULT_PATTERNS;
        if (resume == null && total > 0 && testEvery > total) {
            throw new IllegalArgumentException("--test-every " + testEvery + " is more than --patterns " + total
                    + ": the run would have no test point");
        }
    }

    private List<Path> resumableFolders(final Path root) {
        final List<Path> found = findCheckpoints(root);
        for (final Path folder : found) {
            // read the head of each checkpoint now, so that a damaged one fails before any run starts
            final long[] saved;
            try {
                saved = RegressionExperiment.savedProgress(folder);
            } catch (IllegalArgumentException | UncheckedIOException e) {
                throw new IllegalArgumentException("--resume " + resume + ": " + e.getMessage(), e);
            }
            if (patterns != null && patterns < saved[1]) {
                throw new IllegalArgumentException("--patterns " + patterns + " is less than the " + saved[1]
                        + " patterns already done in " + folder);
            }
        }
        return found;
    }

    private List<Path> findCheckpoints(final Path root) {
        if (RegressionExperiment.hasCheckpoint(root)) {
            return List.of(root);
        }
        final List<Path> found = new ArrayList<>();
        try (Stream<Path> children = Files.list(root)) {
            children.filter(p -> p.getFileName().toString().startsWith("seed-"))
                    .filter(RegressionExperiment::hasCheckpoint).sorted().forEach(found::add);
        } catch (IOException e) {
            throw new IllegalArgumentException("--resume " + root + ": " + AtomicFiles.describe(e, root), e);
        }
        if (found.isEmpty()) {
            throw new IllegalArgumentException("--resume " + root + ": no "
                    + RegressionExperiment.CHECKPOINT_FILE + " in it or in seed-* subfolders");
        }
        return found;
    }

    private static List<RegressionResultsJson> runAll(final List<Path> folders, final List<RegressionSettings> fresh,
                                                      final Long patterns, final double checkpointMinutes,
                                                      final boolean show,
                                                      final java.util.function.BooleanSupplier stop) {
        final int n = folders.size();
        final int cores = Runtime.getRuntime().availableProcessors();
        final boolean parallelShallow = n == 1 && cores > 1;
        final AtomicLongArray done = new AtomicLongArray(n);
        final double[] errors = new double[n];
        long start = 0;
        long total = 0;
        for (int k = 0; k < n; k++) {
            if (fresh.isEmpty()) {
                final long[] saved = RegressionExperiment.savedProgress(folders.get(k));
                done.set(k, saved[1]);
                start += saved[1];
                total += patterns != null ? patterns : saved[0];
            } else {
                total += fresh.get(k).patterns();
            }
        }
        org.neurode.examples.plot.Figure.warmUp();
        final ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(n, cores)));
        try (Progress bar = show && total > 0 ? Progress.counting("regression", " pat", start, total)
                                              : Progress.none()) {
            final List<Future<RegressionResultsJson>> futures = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                final int index = k;
                final RegressionExperiment.Session session = new RegressionExperiment.Session(checkpointMinutes,
                        parallelShallow, (d, err) -> {
                            done.set(index, d);
                            synchronized (bar) {
                                errors[index] = err;
                                bar.update(sum(done), String.format(Locale.ROOT, " err %.4f", mean(errors)));
                            }
                        }, stop);
                futures.add(pool.submit(() -> fresh.isEmpty()
                        ? RegressionExperiment.resume(folders.get(index), patterns != null ? patterns : -1, session)
                        : RegressionExperiment.run(fresh.get(index), folders.get(index), session)));
            }
            final List<RegressionResultsJson> results = new ArrayList<>();
            for (final Future<RegressionResultsJson> f : futures) {
                results.add(get(f));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static long sum(final AtomicLongArray a) {
        long s = 0;
        for (int i = 0; i < a.length(); i++) {
            s += a.get(i);
        }
        return s;
    }

    private static double mean(final double[] a) {
        double s = 0;
        for (final double v : a) {
            s += v / a.length;
        }
        return s;
    }

    private static <T> T get(final Future<T> f) {
        return org.neurode.models.experiment.Futures.join(f);
    }

    private static void printSummary(final PrintWriter stdout, final List<Path> folders,
                                     final List<RegressionResultsJson> results) {
        for (int k = 0; k < folders.size(); k++) {
            final RegressionResultsJson r = results.get(k);
            stdout.printf(Locale.ROOT, "regression seed %d, %s dt %s ms, %d patterns (%s)%n", r.seed(), r.solver(),
                          r.dt(), r.patterns(), r.note());
            stdout.printf(Locale.ROOT, "  held-out error (%d fixed patterns, every %d patterns) at pattern %d -> "
                          + "%d: microcircuit %.4f -> %.4f, shallow %.4f -> %.4f, backprop %.4f -> %.4f%n",
                          r.heldOutPatterns(), r.heldOutEvery(), 0, r.patterns(),
                          r.heldOutInitial().get("microcircuit"), r.heldOutFinal().get("microcircuit"),
                          r.heldOutInitial().get("shallow"), r.heldOutFinal().get("shallow"),
                          r.heldOutInitial().get("backprop"), r.heldOutFinal().get("backprop"));
            stdout.printf(Locale.ROOT, "  single test patterns, moving average (noisy): microcircuit %.4f -> %.4f, "
                          + "shallow %.4f -> %.4f, backprop %.4f -> %.4f%n", r.initialTestError(), r.finalTestError(),
                          r.shallowInitialTestError(), r.shallowFinalTestError(), r.backpropInitialTestError(),
                          r.backpropFinalTestError());
            if (r.learningNote() != null) {
                stdout.printf(Locale.ROOT, "  NOTE: %s%n", r.learningNote());
            }
            stdout.printf(Locale.ROOT, "  |vA1|^2 %.4f, |u2 - uI1|^2 %.4f, angle(W2^T, B1) %.1f deg; "
                          + "%.1f patterns/s, wall %.1f s%n", r.apicalMismatch(), r.interneuronMismatch(),
                          r.alignmentAngleDeg(), r.patternsPerSecond(), r.wallSeconds());
            stdout.printf(Locale.ROOT, "  files in %s%n", folders.get(k));
        }
        stdout.flush();
    }
}
