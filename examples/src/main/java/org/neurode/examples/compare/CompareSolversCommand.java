package org.neurode.examples.compare;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.neurode.examples.Main;
import org.neurode.examples.OptionConverters;
import org.neurode.examples.OutputFolders;
import org.neurode.examples.Progress;
import org.neurode.examples.ProgressOption;
import org.neurode.examples.VersionProvider;
import org.neurode.examples.io.AtomicFiles;
import org.neurode.examples.io.CsvFiles;
import org.neurode.examples.io.JsonFiles;
import org.neurode.examples.plot.Figure;
import org.neurode.examples.plot.WorkPrecisionChart;
import org.neurode.models.experiment.SettingsFiles;
import org.neurode.models.experiment.compare.CompareSolvers;
import org.neurode.models.experiment.compare.CompareSolversResult;
import org.neurode.models.experiment.compare.CompareSolversSettings;
import org.neurode.models.experiment.compare.ProblemFile;
import org.neurode.solvers.Solver;
import org.neurode.solvers.Solvers;
import org.neurode.solvers.compare.IvpProblem;
import org.neurode.solvers.compare.WorkPrecision;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code neurode compare-solvers}: work-precision comparison ({@link WorkPrecision}) of adaptive solvers
 * over a tolerance sweep on reference and neuron problems. Writes {@code results.json}, {@code results.csv},
 * one {@code workprecision-<problem>.png} per problem (error against RHS evaluations and against wall time,
 * one line per solver) and {@code summary.md}.
 *
 * @since 0.1
 */
@Command(name = "compare-solvers",
         mixinStandardHelpOptions = true,
         versionProvider = VersionProvider.class,
         description = {"Compare adaptive solvers over a tolerance sweep: RHS evaluations, Jacobians, LU "
                        + "factorizations, steps, wall time (minimum of --repeats runs after a warm-up), status, "
                        + "and errors against reference values (end point) and a dense reference computed by a "
                        + "different method at tolerance 1e-13 (100 equally spaced points).",
                        "Writes results.json, results.csv, workprecision-<problem>.png and summary.md."})
public final class CompareSolversCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--problems", split = ",", paramLabel = "<name>",
            description = "Problems (comma-separated; default: AREN_DBLDATA, LORENZ_100_DBLBETA, BRUS2, RIGID_SCIML, "
                          + "DETEST_B5, DETEST_C4, HIRES, ROBER, VDPOLM_MU1000, HH, MICROCIRCUIT, LTC). 'all' runs every "
                          + "problem of the reference file and the neuron problems. CABLE and CHAIN (10,000-compartment "
                          + "stiff chains with sparse Jacobians) run only when named.")
    private List<String> problems;

    @Option(names = "--problem-file", converter = OptionConverters.InputFile.class, paramLabel = "<file>",
            description = "A problem written as a model file (state, parameter, let, dNAME/dt lines plus 'time T0 T1' and "
                          + "optional 'reference NAME = VALUES', 'stiff', 'atol-factor F'); repeatable, added to "
                          + "--problems (only these when --problems is not given).")
    private List<Path> problemFiles;

    @Option(names = "--solvers", split = ",", paramLabel = "<name>",
            description = "Solvers (comma-separated; adaptive ones sweep --tolerances, fixed-step ones --fixed-steps; "
                          + "default: dormand-prince-54, dormand-prince-853, tsit5, vern7, vern9, dop853 and every "
                          + "registered stiff solver: rodas5p, rodas4, radau-iia-5, bdf).")
    private List<String> solvers;

    @Option(names = "--tolerances", split = ",", converter = OptionConverters.RelativeTolerance.class,
            paramLabel = "<rtol>",
            defaultValue = "1e-4,1e-6,1e-8,1e-10",
            description = "Relative tolerances (default ${DEFAULT-VALUE}); atol = rtol times the problem's factor "
                          + "(1, or the Test Set's convention for chemistry problems).")
    private List<Double> tolerances;

    @Option(names = "--fixed-steps", split = ",", converter = OptionConverters.PositiveInt.class, paramLabel = "<n>",
            defaultValue = "100,1000,10000",
            description = "Fixed-step solvers in --solvers (euler, rk4, exponential-euler, semi-implicit-euler, ...) run "
                          + "with these numbers of steps over each problem's span instead of the tolerance sweep "
                          + "(default: ${DEFAULT-VALUE}).")
    private List<Integer> fixedSteps;

    @Option(names = "--repeats", defaultValue = "5", converter = OptionConverters.PositiveInt.class,
            paramLabel = "<n>",
            description = "Timed runs per point after one warm-up; the minimum is reported (default ${DEFAULT-VALUE}).")
    private int repeats;

    @Option(names = "--max-evaluations", defaultValue = "2000000", converter = OptionConverters.NonNegativeLong.class,
            paramLabel = "<n>",
            description = "RHS evaluation budget per run; runs beyond it count as failures (default ${DEFAULT-VALUE}).")
    private long maxEvaluations;

    @Option(names = "--out", converter = OptionConverters.OutputPath.class, paramLabel = "<folder>",
            description = "Output folder (default: runs/compare-<date-time>).")
    private Path out;

    @Option(names = "--baseline", converter = OptionConverters.InputFile.class, paramLabel = "<file.json>",
            description = "Wall times of another tool on the same problems and tolerances (a JSON list of {problem, "
                          + "method, neurodeSolver, rtol, nfev, wallSeconds, status}, as written by "
                          + "examples/scripts/scipy_baseline.py); adds the ratio table to summary.md and results.json.")
    private Path baseline;

    @Mixin
    private ProgressOption progress;

    private final org.neurode.examples.StopOnSignal stop = new org.neurode.examples.StopOnSignal();

    /**
     * Runs the comparison; Ctrl-C ends it after the current run and writes the files of the runs measured.
     *
     * @return {@value Main#EXIT_OK}
     */
    @Override
    public Integer call() throws Exception {
        return stop.run("compare-stop", this::runCommand);
    }

    private Integer runCommand() {
        if (repeats < 1) {
            throw new IllegalArgumentException("--repeats must be at least 1: " + repeats);
        }
        if (maxEvaluations < 1) {
            throw new IllegalArgumentException("--max-evaluations must be positive: " + maxEvaluations);
        }
        final List<ProblemFile> files = new ArrayList<>();
        final List<IvpProblem> chosen = problems(files);
        final List<Solver> methods = solvers();
        final com.fasterxml.jackson.databind.JsonNode reference = baseline == null ? null : readBaseline(baseline);
        for (final int count : fixedSteps) {
            if (count < 1) {
                throw new IllegalArgumentException("--fixed-steps must be positive numbers of steps: " + count);
            }
        }
        final CompareSolversSettings settings = new CompareSolversSettings(problemNames(), files,
                methods.stream().map(Solver::name).toList(), tolerances, fixedSteps, repeats, maxEvaluations);
        return compare(spec.commandLine(), settings, chosen, methods, reference, out, progress.enabled(),
                stop::requested);
    }

    /**
     * Runs one comparison with the given settings into a folder, as {@code neurode compare-solvers} with the same
     * settings would (the same files and numbers but the wall times, console summary and exit code): the shell of
     * {@code neurode run} for {@code kind: compare-solvers}.
     *
     * @param cl           the command line printing the summary
     * @param settings     the settings
     * @param out          output folder (null: {@code runs/compare-<time>})
     * @param showProgress show a progress bar
     * @param stop         polled after every run: true ends the comparison there (its files hold the runs measured)
     * @return the exit code
     */
    public static int runSettings(final CommandLine cl, final CompareSolversSettings settings, final Path out,
                                  final boolean showProgress, final java.util.function.BooleanSupplier stop) {
        CompareSolvers.validate(settings);
        return compare(cl, settings, CompareSolvers.problems(settings), CompareSolvers.solvers(settings), null, out,
                showProgress, stop);
    }

    private static int compare(final CommandLine cl, final CompareSolversSettings settings,
                               final List<IvpProblem> chosen, final List<Solver> methods,
                               final com.fasterxml.jackson.databind.JsonNode reference, final Path out,
                               final boolean showProgress, final java.util.function.BooleanSupplier stop) {
        CompareSolvers.validate(settings);
        final Path folder = OutputFolders.prepare(out, "compare");
        final WorkPrecision.Settings harness = CompareSolvers.harness(settings);
        final int total = new WorkPrecision(harness).points(chosen, methods);
        final CompareSolversResult result;
        try (Progress bar = showProgress ? Progress.counting("compare", " runs", 0, total) : Progress.none()) {
            result = CompareSolvers.INSTANCE.run(settings, chosen, methods, new WorkPrecision.Listener() {
                @Override
                public void measured(final int done, final int all, final WorkPrecision.Run last) {
                    bar.update(done, last.problem() + " " + last.solver() + " "
                                     + (last.fixedStep() ? "h=" + last.step() : last.rtol()));
                }

                @Override
                public boolean stopRequested() {
                    return stop.getAsBoolean();
                }
            });
        }
        final List<WorkPrecision.Run> runs = result.runs();
        final List<Map<String, Object>> ratios = reference == null ? List.of() : ratios(runs, reference);
        write(folder, chosen, methods, harness, result, ratios);
        final PrintWriter w = cl.getOut();
        w.print(consoleSummary(chosen, runs));
        w.print(ratioTable(ratios));
        if (result.status() == org.neurode.models.experiment.RunStatus.INTERRUPTED) {
            w.println("stopped after " + runs.size() + " of " + total + " runs");
        }
        w.println("full table in " + folder.resolve("summary.md") + "; files in " + folder);
        w.flush();
        return Main.EXIT_OK;
    }

    /** The problem names the options choose ({@code all} and the default expanded). */
    private List<String> problemNames() {
        final List<String> names = new ArrayList<>();
        if (problems == null) {
            if (problemFiles == null) {
                names.addAll(CompareSolvers.INSTANCE.defaults().problems());
            }
        } else if (problems.size() == 1 && "all".equalsIgnoreCase(problems.get(0).trim())) {
            names.addAll(CompareSolvers.allProblems());
        } else {
            names.addAll(problems);
        }
        return names;
    }

    private List<IvpProblem> problems(final List<ProblemFile> files) {
        final List<IvpProblem> out = new ArrayList<>();
        for (final String n : problemNames()) {
            try {
                out.add(CompareSolvers.problem(n));
            } catch (org.neurode.core.OdeException e) {
                throw new IllegalArgumentException("--problems: " + e.getMessage(), e);
            }
        }
        if (problemFiles != null) {
            for (final Path f : problemFiles) {
                try {
                    final ProblemFile file = ProblemFile.read(f);
                    out.add(file.problem(f.toString()));
                    files.add(file);
                } catch (org.neurode.core.OdeException | IllegalArgumentException | java.io.UncheckedIOException e) {
                    throw new IllegalArgumentException("--problem-file " + f + ": " + e.getMessage(), e);
                }
            }
        }
        return out;
    }

    private List<Solver> solvers() {
        final List<Solver> out = new ArrayList<>();
        for (final String n : solvers == null ? CompareSolvers.defaultSolvers() : solvers) {
            try {
                out.add(Solvers.get(n));
            } catch (org.neurode.core.OdeException e) {
                throw new IllegalArgumentException("--solvers: " + e.getMessage(), e);
            }
        }
        return out;
    }


    // ------------------------------------------------------------------ output

    private static void write(final Path folder, final List<IvpProblem> problems, final List<Solver> solvers,
                              final WorkPrecision.Settings settings, final CompareSolversResult result,
                              final List<Map<String, Object>> ratios) {
        final List<WorkPrecision.Run> runs = result.runs();
        final List<Map<String, Object>> problemInfo = new ArrayList<>();
        for (final CompareSolversResult.Problem p : result.problems()) {
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", p.name());
            m.put("description", p.description());
            m.put("dimension", p.dimension());
            m.put("t0", p.t0());
            m.put("tEnd", p.tEnd());
            m.put("stiff", p.stiff());
            m.put("atolFactor", p.atolFactor());
            m.put("referenceSource", p.referenceSource());
            problemInfo.add(m);
        }
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("version", VersionProvider.version());
        json.put("tolerances", settings.tolerances());
        json.put("repeats", settings.repeats());
        json.put("maxEvaluations", settings.maxEvaluations());
        json.put("referenceTolerance", settings.referenceTolerance());
        json.put("densePoints", settings.densePoints());
        json.put("problems", problemInfo);
        json.put("solvers", result.solvers());
        json.put("runs", runs.stream().map(CompareSolversCommand::runJson).toList());
        json.put("failures", result.failures());
        json.put("status", result.status().name());
        json.put("toleranceProportionality", result.toleranceProportionality());
        json.put("pooledProportionalityNonstiff", result.pooledProportionalityNonstiff());
        if (!ratios.isEmpty()) {
            json.put("baselineRatios", ratios);
        }
        json.put("settings", SettingsFiles.document(CompareSolvers.KIND, result.settings()));
        AtomicFiles.writeString(folder.resolve("results.csv"), csv(runs));
        for (final IvpProblem p : problems) {
            plot(p, solvers, runs).writePng(folder.resolve("workprecision-" + p.name() + ".png"));
        }
        AtomicFiles.writeString(folder.resolve("summary.md"), summary(problems, solvers, runs) + ratioTable(ratios));
        JsonFiles.write(folder.resolve("results.json"), json);
    }

    /** Reads and checks a baseline file before anything is measured, so that a bad file fails at once. */
    private static com.fasterxml.jackson.databind.JsonNode readBaseline(final Path file) {
        final com.fasterxml.jackson.databind.JsonNode list;
        try {
            list = JsonFiles.read(file);
        } catch (java.io.UncheckedIOException e) {
            throw new IllegalArgumentException("--baseline " + file + ": " + e.getMessage(), e);
        }
        if (!list.isArray()) {
            throw new IllegalArgumentException("--baseline " + file + ": expected a JSON list of runs");
        }
        int index = 0;
        for (final com.fasterxml.jackson.databind.JsonNode b : list) {
            for (final String field : List.of("problem", "method", "rtol", "wallSeconds")) {
                if (!b.hasNonNull(field) && !"FAILED".equals(b.path("status").asText())) {
                    throw new IllegalArgumentException("--baseline " + file + ": entry " + index + " has no '" + field
                                                       + "'");
                }
            }
            index++;
        }
        return list;
    }

    /**
     * Pairs each successful run with the baseline entries of the same problem and tolerance whose
     * {@code neurodeSolver} is the run's solver.
     */
    private static List<Map<String, Object>> ratios(final List<WorkPrecision.Run> runs,
                                                    final com.fasterxml.jackson.databind.JsonNode list) {
        final List<Map<String, Object>> out = new ArrayList<>();
        for (final com.fasterxml.jackson.databind.JsonNode b : list) {
            if (!"SUCCESS".equals(b.path("status").asText("SUCCESS")) || !b.hasNonNull("neurodeSolver")) {
                continue;
            }
            for (final WorkPrecision.Run r : runs) {
                if (r.succeeded() && r.problem().equals(b.get("problem").asText())
                    && r.solver().equals(b.get("neurodeSolver").asText())
                    && Math.abs(r.rtol() - b.get("rtol").asDouble()) <= 1e-9 * r.rtol()) {
                    final Map<String, Object> m = new LinkedHashMap<>();
                    m.put("problem", r.problem());
                    m.put("rtol", r.rtol());
                    m.put("solver", r.solver());
                    m.put("baselineMethod", b.get("method").asText());
                    m.put("rhsEvaluations", r.rhsEvaluations());
                    m.put("baselineRhsEvaluations", b.path("nfev").asLong());
                    m.put("wallSeconds", r.wallSeconds());
                    m.put("baselineWallSeconds", b.get("wallSeconds").asDouble());
                    m.put("wallRatio", r.wallSeconds() / b.get("wallSeconds").asDouble());
                    out.add(m);
                }
            }
        }
        return out;
    }

    private static String ratioTable(final List<Map<String, Object>> ratios) {
        if (ratios.isEmpty()) {
            return "";
        }
        final StringBuilder sb = new StringBuilder("\n## Wall time against the baseline\n\n"
                + "| problem | rtol | neurode solver | baseline method | RHS evals (baseline) | wall ms (baseline) "
                + "| ratio |\n|---|---|---|---|---|---|---|\n");
        for (final Map<String, Object> m : ratios) {
            sb.append(String.format(Locale.ROOT, "| %s | %.0e | %s | %s | %d (%d) | %.3g (%.3g) | %.3g |%n",
                    m.get("problem"), (Double) m.get("rtol"), m.get("solver"), m.get("baselineMethod"),
                    (Long) m.get("rhsEvaluations"), (Long) m.get("baselineRhsEvaluations"),
                    (Double) m.get("wallSeconds") * 1e3, (Double) m.get("baselineWallSeconds") * 1e3,
                    (Double) m.get("wallRatio")));
        }
        return sb.toString();
    }

    private static Double finiteOrNull(final double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static Map<String, Object> runJson(final WorkPrecision.Run r) {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("problem", r.problem());
        m.put("solver", r.solver());
        m.put("rtol", finiteOrNull(r.rtol()));
        m.put("atol", finiteOrNull(r.atol()));
        m.put("step", finiteOrNull(r.step()));
        m.put("status", r.status());
        m.put("message", r.message());
        m.put("rhsEvaluations", r.rhsEvaluations());
        m.put("jacobianEvaluations", r.jacobianEvaluations());
        m.put("luFactorizations", r.luFactorizations());
        m.put("acceptedSteps", r.acceptedSteps());
        m.put("rejectedSteps", r.rejectedSteps());
        m.put("wallSeconds", finiteOrNull(r.wallSeconds()));
        m.put("maxAbsError", finiteOrNull(r.maxAbsError()));
        m.put("maxRelError", finiteOrNull(r.maxRelError()));
        m.put("significantDigits", finiteOrNull(r.significantDigits()));
        m.put("timeSeriesError", finiteOrNull(r.timeSeriesError()));
        m.put("reference", r.reference());
        return m;
    }

    /** One row per run, every field of {@link WorkPrecision.Run}; numbers as Java prints doubles (locale-free). */
    private static String csv(final List<WorkPrecision.Run> runs) {
        final StringBuilder sb = new StringBuilder("problem,solver,rtol,atol,status,rhsEvaluations,jacobianEvaluations,"
                + "luFactorizations,acceptedSteps,rejectedSteps,wallSeconds,maxAbsError,maxRelError,significantDigits,"
                + "timeSeriesError,reference,message,step\n");
        for (final WorkPrecision.Run r : runs) {
            sb.append(CsvFiles.quote(r.problem())).append(',').append(CsvFiles.quote(r.solver())).append(',')
              .append(r.rtol()).append(',').append(r.atol()).append(',').append(r.status()).append(',')
              .append(r.rhsEvaluations()).append(',').append(r.jacobianEvaluations()).append(',')
              .append(r.luFactorizations()).append(',').append(r.acceptedSteps()).append(',')
              .append(r.rejectedSteps()).append(',').append(r.wallSeconds()).append(',').append(r.maxAbsError())
              .append(',').append(r.maxRelError()).append(',').append(r.significantDigits()).append(',')
              .append(r.timeSeriesError()).append(',').append(CsvFiles.quote(r.reference())).append(',')
              .append(CsvFiles.quote(r.message() == null ? "" : r.message())).append(',')
              .append(r.fixedStep() ? Double.toString(r.step()) : "").append('\n');
        }
        return sb.toString();
    }

    private static Figure plot(final IvpProblem p, final List<Solver> solvers, final List<WorkPrecision.Run> runs) {
        final List<WorkPrecisionChart.Curve> byEvaluations = new ArrayList<>();
        final List<WorkPrecisionChart.Curve> byTime = new ArrayList<>();
        final boolean given = p.hasReference();
        for (final Solver s : solvers) {
            final List<WorkPrecision.Run> mine = runs.stream()
                    .filter(r -> r.problem().equals(p.name()) && r.solver().equals(s.name())).toList();
            final double[] err = new double[mine.size()];
            final double[] nfev = new double[mine.size()];
            final double[] wall = new double[mine.size()];
            final String[] labels = new String[mine.size()];
            int failures = 0;
            for (int k = 0; k < mine.size(); k++) {
                final WorkPrecision.Run r = mine.get(k);
                err[k] = r.maxAbsError();
                nfev[k] = r.rhsEvaluations();
                wall[k] = r.wallSeconds();
                labels[k] = r.fixedStep() ? "n=" + steps(p, r) : WorkPrecisionChart.tickLabel(r.rtol());
                failures += r.succeeded() ? 0 : 1;
            }
            byEvaluations.add(new WorkPrecisionChart.Curve(s.name(), nfev, err, labels, failures, mine.size()));
            byTime.add(new WorkPrecisionChart.Curve(s.name(), wall, err, labels, failures, mine.size()));
        }
        final String errLabel = "max abs error at t end (" + (given ? "given reference" : "computed reference") + ")";
        final String what = " (points labelled with rtol" + (solvers.stream().anyMatch(s -> !s.info().adaptive())
                ? " or n steps)" : ")");
        return Figure.of(List.of(
                WorkPrecisionChart.of(p.title() + ": error against work" + what, "RHS evaluations", errLabel,
                        byEvaluations),
                WorkPrecisionChart.of(p.title() + ": error against wall time", "wall time (s, min of repeats)",
                        errLabel, byTime)));
    }

    /** The number of steps of a fixed-step run over the problem's span. */
    private static long steps(final IvpProblem p, final WorkPrecision.Run r) {
        return Math.round((p.problem().tEnd() - p.problem().t0()) / r.step());
    }

    static String summary(final List<IvpProblem> problems, final List<Solver> solvers,
                          final List<WorkPrecision.Run> runs) {
        final StringBuilder sb = new StringBuilder();
        sb.append("# Solver comparison\n\n");
        sb.append("Errors at the end time: max absolute, and mixed significant correct digits (mescd); series: max "
                  + "absolute error on 100 equally spaced times against a dense reference by another method at 1e-13; "
                  + "wall: minimum of the timed runs. Slope: log error against log rtol (1 = proportional).\n");
        for (final IvpProblem p : problems) {
            sb.append("\n## ").append(p.name()).append("\n\n").append(p.description()).append(" (")
              .append(p.problem().dimension()).append(" variables").append(p.stiff() ? ", stiff" : "").append(")\n\n");
            sb.append("| solver | rtol (or step) | status | RHS evals | Jacobians | LU | steps (rejected) | wall ms | max abs error"
                      + " | mescd | series error |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
            for (final WorkPrecision.Run r : runs) {
                if (!r.problem().equals(p.name())) {
                    continue;
                }
                sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %d | %d | %d (%d) | %s | %s | %s | %s |%n",
                        r.solver(), r.fixedStep() ? String.format(Locale.ROOT, "h = %.3g", r.step())
                                : String.format(Locale.ROOT, "%.0e", r.rtol()), r.status(), r.rhsEvaluations(), r.jacobianEvaluations(),
                        r.luFactorizations(), r.acceptedSteps(), r.rejectedSteps(), fmt(r.wallSeconds() * 1e3, "%.3g"),
                        fmt(r.maxAbsError(), "%.2e"), fmt(r.significantDigits(), "%.1f"), fmt(r.timeSeriesError(), "%.2e")));
            }
            sb.append('\n');
            for (final String line : bestLines(p, runs)) {
                sb.append("- ").append(line).append('\n');
            }
            final List<String> failed = failureLines(p, runs);
            if (!failed.isEmpty()) {
                sb.append("\nFailures:\n\n");
                for (final String line : failed) {
                    sb.append("- ").append(line).append('\n');
                }
            }
            sb.append("\nTolerance proportionality (slope):");
            for (final Solver s : solvers) {
                sb.append(' ').append(s.name()).append(' ')
                  .append(fmt(WorkPrecision.proportionality(runs, p.name(), s.name()), "%.2f")).append(';');
            }
            sb.append('\n');
        }
        final List<String> nonstiff = problems.stream().filter(p -> !p.stiff()).map(IvpProblem::name).toList();
        if (!nonstiff.isEmpty()) {
            sb.append("\nTolerance proportionality over the non-stiff problems (slope pooled with one intercept per"
                      + " problem; 0.8-1.2 is the goal):");
            for (final Solver s : solvers) {
                sb.append(' ').append(s.name()).append(' ')
                  .append(fmt(WorkPrecision.pooledProportionality(runs, s.name(), nonstiff), "%.2f")).append(';');
            }
            sb.append('\n');
        }
        final long failures = runs.stream().filter(r -> !r.succeeded()).count();
        sb.append("\n").append(runs.size()).append(" runs, ").append(failures).append(" failed.\n");
        return sb.toString();
    }

    /**
     * The short console report: per problem its run and failure counts, the fastest and the most accurate
     * solver at each tolerance (or step count), and the failures; the full table is in summary.md.
     */
    static String consoleSummary(final List<IvpProblem> problems, final List<WorkPrecision.Run> runs) {
        final StringBuilder sb = new StringBuilder();
        for (final IvpProblem p : problems) {
            final List<WorkPrecision.Run> mine = runs.stream().filter(r -> r.problem().equals(p.name())).toList();
            final long failures = mine.stream().filter(r -> !r.succeeded()).count();
            sb.append(p.name()).append(" (").append(p.title()).append("): ").append(mine.size()).append(" runs, ")
              .append(failures).append(" failed\n");
            for (final String line : bestLines(p, runs)) {
                sb.append("  ").append(line).append('\n');
            }
            for (final String line : failureLines(p, runs)) {
                sb.append("  FAILED: ").append(line).append('\n');
            }
        }
        final long failures = runs.stream().filter(r -> !r.succeeded()).count();
        sb.append(runs.size()).append(" runs, ").append(failures).append(" failed.\n");
        return sb.toString();
    }

    /** The setting of a run: its tolerance, or its number of steps for a fixed-step solver. */
    private static String setting(final IvpProblem p, final WorkPrecision.Run r) {
        return r.fixedStep() ? steps(p, r) + " steps" : String.format(Locale.ROOT, "rtol %.0e", r.rtol());
    }

    /** Per setting (in the order of the runs): the fastest and the most accurate successful run. */
    private static List<String> bestLines(final IvpProblem p, final List<WorkPrecision.Run> runs) {
        final Map<String, List<WorkPrecision.Run>> bySetting = new LinkedHashMap<>();
        for (final WorkPrecision.Run r : runs) {
            if (r.problem().equals(p.name())) {
                bySetting.computeIfAbsent(setting(p, r), k -> new ArrayList<>()).add(r);
            }
        }
        final List<String> out = new ArrayList<>();
        for (final Map.Entry<String, List<WorkPrecision.Run>> e : bySetting.entrySet()) {
            WorkPrecision.Run fastest = null;
            WorkPrecision.Run accurate = null;
            for (final WorkPrecision.Run r : e.getValue()) {
                if (!r.succeeded()) {
                    continue;
                }
                if (fastest == null || r.wallSeconds() < fastest.wallSeconds()) {
                    fastest = r;
                }
                if (accurate == null || r.maxAbsError() < accurate.maxAbsError()) {
                    accurate = r;
                }
            }
            if (fastest == null) {
                out.add(e.getKey() + ": no solver succeeded");
                continue;
            }
            out.add(String.format(Locale.ROOT, "%s: fastest %s (%s ms, error %s, %d RHS evals); most accurate %s"
                    + " (error %s)", e.getKey(), fastest.solver(), fmt(fastest.wallSeconds() * 1e3, "%.3g"),
                    fmt(fastest.maxAbsError(), "%.1e"), fastest.rhsEvaluations(), accurate.solver(),
                    fmt(accurate.maxAbsError(), "%.1e")));
        }
        return out;
    }

    /** One line per solver with failed runs: where, why (the first message) and the work done. */
    private static List<String> failureLines(final IvpProblem p, final List<WorkPrecision.Run> runs) {
        final Map<String, List<WorkPrecision.Run>> bySolver = new LinkedHashMap<>();
        for (final WorkPrecision.Run r : runs) {
            if (r.problem().equals(p.name()) && !r.succeeded()) {
                bySolver.computeIfAbsent(r.solver(), k -> new ArrayList<>()).add(r);
            }
        }
        final List<String> out = new ArrayList<>();
        for (final Map.Entry<String, List<WorkPrecision.Run>> e : bySolver.entrySet()) {
            final List<String> where = new ArrayList<>();
            long evaluations = 0;
            for (final WorkPrecision.Run r : e.getValue()) {
                // "rtol 1e-04, 1e-06": the word once
                final String what = setting(p, r);
                where.add(!where.isEmpty() && what.startsWith("rtol ") ? what.substring("rtol ".length()) : what);
                evaluations += r.rhsEvaluations();
            }
            final WorkPrecision.Run first = e.getValue().get(0);
            out.add(e.getKey() + " at " + String.join(", ", where) + " (" + evaluations + " RHS evals spent): "
                    + (first.message() == null ? "no message" : first.message()));
        }
        return out;
    }

    private static String fmt(final double v, final String pattern) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, pattern, v) : "-";
    }
}
