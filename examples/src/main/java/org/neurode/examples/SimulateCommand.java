package org.neurode.examples;

import static org.neurode.models.experiment.Progress.stoppable;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

import org.knowm.xchart.XYChart;
import org.neurode.core.Model;
import org.neurode.core.PopulationRate;
import org.neurode.core.Recorder;
import org.neurode.core.Status;
import org.neurode.core.Trajectory;
import org.neurode.core.io.NpyFile;
import org.neurode.core.io.ResultFiles;
import org.neurode.examples.OptionConverters.ModelName;
import org.neurode.examples.OptionConverters.ModelNames;
import org.neurode.examples.OptionConverters.PositiveDouble;
import org.neurode.examples.OptionConverters.PositiveInt;
import org.neurode.examples.OptionConverters.SolverName;
import org.neurode.examples.OptionConverters.SolverNames;
import org.neurode.examples.io.CsvFiles;
import org.neurode.examples.io.JsonFiles;
import org.neurode.examples.io.SimulationJson;
import org.neurode.examples.io.SolveOptionsJson;
import org.neurode.examples.io.StatisticsJson;
import org.neurode.examples.plot.Figure;
import org.neurode.examples.plot.TrajectoryPlots;
import org.neurode.models.experiment.RunStatus;
import org.neurode.models.experiment.SettingsFiles;
import org.neurode.models.experiment.compare.ProblemFile;
import org.neurode.models.experiment.simulate.ModelChoice;
import org.neurode.models.experiment.simulate.Scenario;
import org.neurode.models.experiment.simulate.Simulate;
import org.neurode.models.experiment.simulate.SimulateResult;
import org.neurode.models.experiment.simulate.SimulateSettings;
import org.neurode.solvers.Simulation;
import org.neurode.solvers.Solver;
import org.neurode.solvers.SolverInfo;
import org.neurode.solvers.Solvers;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * {@code neurode simulate}: runs a model with a solver segment by segment (with a progress bar on a
 * terminal) and writes {@code results.json}, {@code trajectory.csv}, {@code spikes.csv} (spiking models)
 * and {@code plot.png} into an output folder. Every file is written atomically; {@code results.json} is
 * written last, so its presence marks a complete run.
 *
 * @since 0.1
 */
@Command(name = "simulate",
         mixinStandardHelpOptions = true,
         versionProvider = VersionProvider.class,
         sortOptions = false,
         description = {"Simulate a model and write results.json, trajectory.csv, spikes.csv (lif) and plot.png "
                        + "into an output folder. Times are in ms."})
public final class SimulateCommand implements Callable<Integer> {

    /** Name of the results file. */
    public static final String RESULTS_FILE = "results.json";
    /** Name of the recorded-samples file. */
    public static final String TRAJECTORY_FILE = "trajectory.csv";
    /** Name of the spike file (spiking models). */
    public static final String SPIKES_FILE = "spikes.csv";
    /** Name of the figure. */
    public static final String PLOT_FILE = "plot.png";
    /** Name of the population-rate file ({@code --rate}). */
    public static final String RATES_FILE = "rates.csv";

    /** State-sized arrays assumed for an adaptive solver (up to 16 stages, error, dense output, model copies). */
    private static final int ADAPTIVE_ARRAYS = 40;
    /** State-sized arrays assumed for a fixed-step solver. */
    private static final int FIXED_ARRAYS = 16;
    /** Highest spike rate assumed for the memory estimate (per neuron and ms: 200 Hz). */
    private static final double MAX_SPIKES_PER_MS = 0.2;
    /** Bytes per stored spike (time, neuron, and growth of the log). */
    private static final double SPIKE_BYTES = 24;

    @Spec
    private CommandSpec spec;

    @Option(names = "--model", defaultValue = "lif", converter = ModelName.class,
            completionCandidates = ModelNames.class, paramLabel = "<name>",
            description = "Model: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    private ModelChoice model;

    @Option(names = "--model-file", converter = OptionConverters.InputFile.class, paramLabel = "<file>",
            description = "Simulate a model written as a text file instead (declarations: parameter, state, input, "
                          + "let, dNAME/dt, noise, threshold, time; see the README). Its 'time' line sets the end "
                          + "time unless --t-end is given; simulation starts at t = 0.")
    private Path modelFile;

    @Option(names = "--n", converter = PositiveInt.class, paramLabel = "<neurons>",
            description = "Population size (default: 100 for lif, 20 for three-compartment).")
    private Integer size;

    @Option(names = "--solver", defaultValue = "exponential-euler", converter = SolverName.class,
            completionCandidates = SolverNames.class, paramLabel = "<name>",
            description = "Solver (default: ${DEFAULT-VALUE}); 'neurode solvers' describes them. "
                          + "One of: ${COMPLETION-CANDIDATES}.")
    private Solver solver;

    @Option(names = "--dt", defaultValue = "0.1", converter = PositiveDouble.class, paramLabel = "<ms>",
            description = "Step size of fixed-step solvers in ms (default: ${DEFAULT-VALUE}).")
    private double step;

    @Option(names = "--rtol", defaultValue = "1e-6", converter = OptionConverters.RelativeTolerance.class,
            paramLabel = "<tolerance>",
            description = "Relative tolerance of adaptive solvers, from 1e-14 to below 1 (default: ${DEFAULT-VALUE}).")
    private double rtol;

    @Option(names = "--atol", converter = PositiveDouble.class, paramLabel = "<tolerance>",
            description = "Absolute tolerance of adaptive solvers, the same for every variable "
                          + "(default: rtol times each variable's typical scale, e.g. 15 mV for v).")
    private Double atol;

    @Option(names = "--t-end", defaultValue = "200", converter = PositiveDouble.class, paramLabel = "<ms>",
            description = "Simulated time in ms (default: ${DEFAULT-VALUE}).")
    private double tEnd;

    @Option(names = "--record-every", defaultValue = "0.5", converter = PositiveDouble.class, paramLabel = "<ms>",
            description = "Sampling interval of the recorded variables in ms (default: ${DEFAULT-VALUE}).")
    private double recordEvery;

    @Option(names = "--record", split = ",(?![^\\[]*])", splitSynopsisLabel = ",", paramLabel = "<variable>",
            description = {"Variables to record, comma-separated or repeated: whole blocks (v), elements "
                           + "(v[3], W[0,1]), ranges (v[0..9], W[0..1, 1]), named subexpressions (let "
                           + "names, e.g. I_syn[0..4]) and synapse variables of a projection (S.w: every synapse "
                           + "of S; S.w[0..9]: synapses 0 to 9 in S's order, by source then target; values as "
                           + "stored, event-driven ones as of their synapse's last update).",
                           "An entry ending in @<ms> (v[0..9]@0.1) is recorded on its own interval instead of "
                           + "--record-every, into record-<ms>ms.csv (entries with the same interval share a file).",
                           "Default for lif: five neurons from first to last, e.g. v[0],v[25],v[50],v[74],v[99]; "
                           + "for three-compartment: u[0..4],vB[0],vA[0],W[0,0]."})
    private List<String> record;

    @Option(names = "--spikes", arity = "0..1", fallbackValue = "", split = ",(?![^\\[]*])",
            splitSynopsisLabel = ",", paramLabel = "<population>",
            description = {"Also write the spikes of each event kind (each population's spike monitor) as "
                           + "spikes-<event>.csv: columns t_ms and i (the neuron), in time order.",
                           "Followed by populations or event kinds, comma-separated or repeated, only theirs: P "
                           + "(every event of population P), P[0:100] (its members 0 to 99; i counts from the "
                           + "slice's start, as Brian2's SpikeMonitor of a subgroup), burst[10:] (an event kind)."})
    private List<String> spikes;

    @Option(names = "--rate", converter = PositiveDouble.class, paramLabel = "<ms>",
            description = "Population rate of each event kind in bins of this width (Brian2's "
                          + "PopulationRateMonitor: spikes per neuron and second in each bin): writes rates.csv "
                          + "(t_ms, then <event>_Hz per event kind) and adds a rate panel to plot.png.")
    private Double rateBin;

    @Option(names = "--rate-smooth", converter = PositiveDouble.class, paramLabel = "<ms>",
            description = "With --rate: also the rate smoothed with a flat window of this width (Brian2's "
                          + "smooth_rate('flat'), rounded to an odd number of bins), or a Gaussian one of this "
                          + "standard deviation (--rate-window gaussian), as <event>_smooth_Hz columns; the plot "
                          + "shows the smoothed rate.")
    private Double rateSmooth;

    @Option(names = "--rate-window", paramLabel = "flat|gaussian",
            description = "With --rate-smooth: the window, flat (the default) or gaussian (Brian2's "
                          + "smooth_rate('gaussian', width): standard deviation --rate-smooth, reaching "
                          + "round(2 width / bin) bins each side, normalised to a sum of 1).")
    private String rateWindow;

    @Option(names = "--npy",
            description = "Also write the results as NumPy arrays (numpy.load reads them): trajectory.npy and "
                          + "record-<dt>ms.npy (time, then the recorded columns), spikes-<event>-t.npy and "
                          + "spikes-<event>-i.npy, rates.npy (time, then one rate column per event kind).")
    private boolean npy;

    @Option(names = "--seed", defaultValue = "1", converter = OptionConverters.Seed.class, paramLabel = "<seed>",
            description = "Seed of the random numbers: initial weights and input patterns of three-compartment, "
                          + "noise of stochastic models (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--out", converter = OptionConverters.OutputPath.class, paramLabel = "<folder>",
            description = "Output folder, created if needed; existing result files in it are replaced "
                          + "(default: runs/simulate-<model>-<yyyyMMdd-HHmmss>).")
    private Path out;

    @Option(names = "--param", paramLabel = "<name>=<value>",
            description = {"Set a model parameter, e.g. --param tau_m=20 (repeatable; the names are listed in an "
                           + "error for an unknown one and in results.json)."})
    private List<String> params;

    @Option(names = "--no-noise",
            description = "Drop the model's white-noise terms (its deterministic part), e.g. to use a solver "
                          + "that cannot integrate noise.")
    private boolean noNoise;

    @Mixin
    private ProgressOption progress;

    private final StopOnSignal stop = new StopOnSignal();

    /** How the settings' fields are named in this command's errors: as its options. */
    static final UnaryOperator<String> OPTION_NAMES = field -> switch (field) {
        case "modelFile" -> "--model-file";
        case "params" -> "--param";
        case "noNoise" -> "--no-noise";
        case "tEnd" -> "--t-end";
        case "recordEvery" -> "--record-every";
        case "rateBin" -> "--rate";
        case "rateSmooth" -> "--rate-smooth";
        case "rateWindow" -> "--rate-window";
        default -> "--" + field;
    };

    /**
     * Runs the simulation and writes the results; Ctrl-C ends it after the current segment and writes the files of
     * the part simulated.
     *
     * @return {@value Main#EXIT_OK}, or {@value Main#EXIT_SOLVE_FAILED} if the solve did not succeed
     */
    @Override
    public Integer call() throws Exception {
        final ParseResult parsed = spec.commandLine().getParseResult();
        if (modelFile != null && (parsed.hasMatchedOption("--model") || parsed.hasMatchedOption("--n"))) {
            throw new IllegalArgumentException("--model-file excludes --model and --n");
        }
        ProblemFile file = null;
        if (modelFile != null) {
            try {
                file = ProblemFile.read(modelFile);
            } catch (java.io.UncheckedIOException e) {
                throw new IllegalArgumentException("--model-file " + modelFile + ": " + e.getCause().getMessage(), e);
            }
            // the path as given names the file in errors and in the set-up description
            file = new ProblemFile(modelFile.toString(), file.text());
        }
        final SimulateSettings settings = new SimulateSettings(file == null && parsed.hasMatchedOption("--model")
                ? model.label() : null, file == null ? size : null, file, params(), noNoise, solver.name(),
                parsed.hasMatchedOption("--dt") ? step : null,
                parsed.hasMatchedOption("--rtol") ? rtol : null, atol,
                parsed.hasMatchedOption("--t-end") ? tEnd : null, recordEvery, record, spikes, rateBin, rateSmooth,
                rateWindow, npy, seed);
        return stop.run("simulate-stop", () -> execute(spec.commandLine(), settings, out, progress.enabled(),
                stop::requested, OPTION_NAMES));
    }

    /** The {@code --param NAME=VALUE} options in order; each name once. */
    private Map<String, Double> params() {
        final Map<String, Double> values = new LinkedHashMap<>();
        if (params == null) {
            return values;
        }
        for (final String p : params) {
            final int eq = p.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("--param " + p + ": expected NAME=VALUE, e.g. --param "
                        + "tau_m=1.5");
            }
            final String name = p.substring(0, eq).trim();
            final double value;
            try {
                value = OptionConverters.number(p.substring(eq + 1));
            } catch (picocli.CommandLine.TypeConversionException e) {
                throw new IllegalArgumentException("--param " + p + ": " + e.getMessage(), e);
            }
            if (values.put(name, value) != null) {
                throw new IllegalArgumentException("--param " + name + " is given twice");
            }
        }
        return values;
    }

    /**
     * Runs one simulation with the given settings into a folder, as {@code neurode simulate} with the same settings
     * would (the same files and numbers, console summary and exit code): the shell of {@code neurode run} for
     * {@code kind: simulate}.
     *
     * @param cl           the command line printing the summary
     * @param settings     the settings
     * @param out          output folder (null: {@code runs/simulate-<model>-<time>})
     * @param showProgress show a progress bar
     * @param stop         polled after every segment (a hundredth of the run): true ends the run there and writes
     *                     the files of the part simulated
     * @return the exit code
     */
    public static int runSettings(final CommandLine cl, final SimulateSettings settings, final Path out,
                                  final boolean showProgress, final BooleanSupplier stop) {
        return execute(cl, settings, out, showProgress, stop, Simulate.FIELD_NAMES);
    }

    /** The run; errors name the settings as {@code names} says (the options, or the fields of a settings file). */
    private static int execute(final CommandLine cl, final SimulateSettings s, final Path out,
                               final boolean showProgress, final BooleanSupplier stop,
                               final UnaryOperator<String> names) {
        final Solver solver = s.solver() == null ? null : solverOrNull(s.solver());
        if (s.modelFile() == null && solver != null) {
            // before the model is built: its arrays grow with the population size
            final ModelChoice choice = ModelChoice.of(s.model() != null ? s.model() : ModelChoice.LIF.label());
            final int n = s.n() != null && s.n() > 0 ? s.n() : choice.defaultSize();
            final double tEnd = s.tEnd() != null ? s.tEnd() : Simulate.DEFAULT_T_END;
            MemoryBudget.require((s.n() != null ? names.apply("n") + " " + n : names.apply("model") + " "
                    + choice.label()) + " with " + names.apply("tEnd") + " " + compact(tEnd),
                    stateBytes(choice.stateSize(n), solver.info(), n, tEnd));
        }
        // Everything that can be wrong with the input is checked before the output folder is created.
        final Simulate.Plan plan = Simulate.plan(s, names);
        final SolverInfo info = plan.solver().info();
        final Model model = plan.scenario().model();
        final double samples = Math.floor(plan.tEnd() / s.recordEvery()) + 2;
        final long columns = Simulate.columns(plan.variables(), model);
        MemoryBudget.require(names.apply("recordEvery") + " " + compact(s.recordEvery()) + " with "
                + names.apply("tEnd") + " " + compact(plan.tEnd()) + " and " + columns + " recorded variable"
                + (columns == 1 ? "" : "s"),
                stateBytes(model.dimension(), info, plan.scenario().spiking() ? plan.neurons() : 0, plan.tEnd())
                + samples * (columns + 1) * Double.BYTES * 3 + extraBytes(plan));
        final Simulation simulation = Simulate.start(plan, names);
        final Path folder = OutputFolders.prepare(out, "simulate-" + plan.label());
        // start Java2D now: after Ctrl-C the JVM is shutting down and can no longer start it to draw the figure
        Figure.warmUp();
        final Simulate.Outcome outcome;
        try (Progress bar = showProgress ? Progress.console("simulate " + plan.label(), 0.0, plan.tEnd())
                                         : Progress.none()) {
            outcome = Simulate.advance(plan, simulation, stoppable((done, total, metrics) -> {
                bar.update(metrics.get("time"));
            }, stop));
        }
        final Trajectory trajectory = outcome.trajectory();
        final SimulateResult result = Simulate.result(plan, outcome);

        final Map<String, String> files = new LinkedHashMap<>();
        CsvFiles.writeTrajectory(folder.resolve(TRAJECTORY_FILE), trajectory);
        files.put("trajectory", TRAJECTORY_FILE);
        if (s.npy()) {
            ResultFiles.writeNpy(folder.resolve("trajectory.npy"), trajectory.recording(Recorder.DEFAULT_NAME));
            files.put("trajectoryNpy", "trajectory.npy");
        }
        for (final String name : trajectory.recordingNames().subList(1, trajectory.recordingNames().size())) {
            ResultFiles.writeCsv(folder.resolve(name + ".csv"), trajectory.recording(name), CsvFiles.TIME_COLUMN);
            files.put(name, name + ".csv");
            if (s.npy()) {
                ResultFiles.writeNpy(folder.resolve(name + ".npy"), trajectory.recording(name));
                files.put(name + "Npy", name + ".npy");
            }
        }
        if (plan.scenario().spiking()) {
            CsvFiles.writeEvents(folder.resolve(SPIKES_FILE), trajectory.events());
            files.put("spikes", SPIKES_FILE);
        }
        final Map<String, PopulationRate> rates = writeMonitors(folder, plan, trajectory, files);
        figure(plan, trajectory, rates).writePng(folder.resolve(PLOT_FILE));
        files.put("plot", PLOT_FILE);
        final SimulationJson results = results(plan, result, trajectory, files);
        JsonFiles.write(folder.resolve(RESULTS_FILE), results);

        printSummary(cl.getOut(), results, folder, runLabel(plan));
        if (result.status() == RunStatus.INTERRUPTED) {
            cl.getOut().println("  " + result.message() + " (the files hold the part simulated)");
            cl.getOut().flush();
        }
        if (trajectory.status() != Status.SUCCESS) {
            Main.printError(cl, "the solve ended with status " + trajectory.status()
                    + (trajectory.message().isEmpty() ? "" : ": " + trajectory.message())
                    + " (results up to t = " + trajectory.finalTime() + " ms are in " + folder + ")");
            return Main.EXIT_SOLVE_FAILED;
        }
        return Main.EXIT_OK;
    }

    private static Solver solverOrNull(final String name) {
        try {
            return Solvers.get(name);
        } catch (org.neurode.core.OdeException e) {
            return null;
        }
    }

    /** Memory of the samples of the recorders on their own intervals (each element a column). */
    private static double extraBytes(final Simulate.Plan plan) {
        double bytes = 0;
        for (final Map.Entry<Double, List<String>> e : plan.extraVariables().entrySet()) {
            bytes += (Math.floor(plan.tEnd() / e.getKey()) + 2)
                    * (Simulate.columns(e.getValue(), plan.scenario().model()) + 1) * Double.BYTES * 3;
        }
        return bytes;
    }

    /** The spike monitors (--spikes) and population rates (--rate) of each event kind; returns the rates. */
    private static Map<String, PopulationRate> writeMonitors(final Path folder, final Simulate.Plan plan,
                                                             final Trajectory trajectory,
                                                             final Map<String, String> files) {
        final SimulateSettings s = plan.settings();
        final Model m = plan.scenario().model();
        final org.neurode.core.EventLog log = trajectory.events();
        if (plan.spikeSelection() != null) {
            for (final Map.Entry<String, int[]> e : plan.spikeSelection().slices().entrySet()) {
                final String stem = "spikes-" + e.getKey();
                final int from = e.getValue()[0];
                final int to = e.getValue()[1];
                ResultFiles.writeSpikesCsv(folder.resolve(stem + ".csv"), log, e.getKey(), CsvFiles.TIME_COLUMN, from,
                        to);
                files.put(stem, stem + ".csv");
                if (s.npy()) {
                    ResultFiles.writeSpikesNpy(folder.resolve(stem + "-t.npy"), folder.resolve(stem + "-i.npy"), log,
                            e.getKey(), from, to);
                    files.put(stem + "-t", stem + "-t.npy");
                    files.put(stem + "-i", stem + "-i.npy");
                }
            }
        }
        if (s.rateBin() == null || !(trajectory.finalTime() > 0)) {
            return null;
        }
        final List<String> header = new ArrayList<>();
        final List<double[]> columns = new ArrayList<>();
        header.add(CsvFiles.TIME_COLUMN);
        final Map<String, PopulationRate> rates = new LinkedHashMap<>();
        for (final org.neurode.core.EventDetector d : m.events()) {
            final PopulationRate r = PopulationRate.of(log, d.name(), d.size(), 0.0, trajectory.finalTime(),
                    s.rateBin(), Simulate.secondsPerTimeUnit(m));
            if (columns.isEmpty()) {
                columns.add(r.times());
            }
            header.add(d.name() + "_Hz");
            columns.add(r.rates());
            if (s.rateSmooth() != null) {
                header.add(d.name() + "_smooth_Hz");
                columns.add(smoothed(s, r));
            }
            rates.put(d.name(), r);
        }
        CsvFiles.writeColumns(folder.resolve(RATES_FILE), header, columns);
        files.put("rates", RATES_FILE);
        if (s.npy()) {
            final int cols = columns.size();
            final int rows = columns.get(0).length;
            final double[] all = new double[rows * cols];
            for (int k = 0; k < rows; k++) {
                for (int j = 0; j < cols; j++) {
                    all[k * cols + j] = columns.get(j)[k];
                }
            }
            NpyFile.write(folder.resolve("rates.npy"), all, rows, cols);
            files.put("ratesNpy", "rates.npy");
        }
        return rates;
    }

    /** The rate smoothed as rateSmooth and rateWindow say. */
    private static double[] smoothed(final SimulateSettings s, final PopulationRate r) {
        return "gaussian".equals(s.rateWindow()) ? r.smoothGaussian(s.rateSmooth()) : r.smoothFlat(s.rateSmooth());
    }

    private static SolveOptionsJson optionsJson(final Simulate.Plan plan) {
        final SimulateSettings s = plan.settings();
        if (plan.solver().info().adaptive()) {
            return new SolveOptionsJson("adaptive", null, plan.rtol(), s.atol(), s.atol() == null ? Boolean.TRUE : null,
                                        s.recordEvery(), s.seed(), plan.options().maxEvaluations());
        }
        return new SolveOptionsJson("fixed", plan.step(), null, null, null, s.recordEvery(), s.seed(),
                                    plan.options().maxEvaluations());
    }

    /**
     * Estimated memory of the state-sized arrays (model, solver stages, error estimates, dense output; a dense
     * Jacobian and its factorization for stiff solvers) and of the spikes of {@code spiking} neurons at up to
     * 200 Hz.
     */
    private static double stateBytes(final double dimension, final SolverInfo info, final int spiking,
                                     final double tEnd) {
        double bytes = dimension * Double.BYTES * (info.adaptive() ? ADAPTIVE_ARRAYS : FIXED_ARRAYS);
        if (info.stiffness() == org.neurode.solvers.Stiffness.STIFF) {
            bytes += 3.0 * dimension * dimension * Double.BYTES;
        }
        return bytes + spiking * tEnd * MAX_SPIKES_PER_MS * SPIKE_BYTES;
    }

    private static String runLabel(final Simulate.Plan plan) {
        final SimulateSettings s = plan.settings();
        final SolverInfo info = plan.solver().info();
        final String control = info.adaptive()
                ? "rtol " + compact(plan.rtol()) + (s.atol() != null ? ", atol " + compact(s.atol()) : "")
                : "dt " + compact(plan.step()) + " ms";
        final int n = plan.neurons();
        final String size = plan.modelFile() != null ? "" : ", " + n + (n == 1 ? " neuron" : " neurons");
        return plan.label() + size + ", " + info.name() + " (" + control + ")";
    }

    /**
     * The bin width of the figure's rate panel without {@code --rate}: about a hundredth of the run, rounded down to
     * 1, 2 or 5 times a power of ten, and at least the step.
     */
    private static double figureBin(final double span, final double step) {
        final double raw = span / 100.0;
        final double decade = Math.pow(10.0, Math.floor(Math.log10(raw)));
        final double round = raw >= 5 * decade ? 5 * decade : raw >= 2 * decade ? 2 * decade : decade;
        return Math.max(step, round);
    }

    private static Figure figure(final Simulate.Plan plan, final Trajectory trajectory,
                                 final Map<String, PopulationRate> rates) {
        final SimulateSettings s = plan.settings();
        final Scenario scenario = plan.scenario();
        final List<XYChart> panels = new ArrayList<>();
        if (scenario.spiking()) {
            panels.add(TrajectoryPlots.raster(trajectory, "spike raster", 0.0, plan.neurons()));
        }
        Map<String, PopulationRate> shown = rates;
        double bin = s.rateBin() == null ? 0.0 : s.rateBin();
        if (shown == null && scenario.spiking() && trajectory.finalTime() > 0
                && !scenario.model().events().isEmpty()) {
            // without --rate the figure still shows each event kind's population rate, in bins of about a
            // hundredth of the run (a round width: 1, 2 or 5 times a power of ten, at least the step)
            bin = figureBin(trajectory.finalTime(), plan.step());
            shown = new LinkedHashMap<>();
            for (final org.neurode.core.EventDetector d : scenario.model().events()) {
                shown.put(d.name(), PopulationRate.of(trajectory.events(), d.name(), d.size(), 0.0,
                        trajectory.finalTime(), bin, Simulate.secondsPerTimeUnit(scenario.model())));
            }
        }
        if (shown != null) {
            final boolean smooth = rates != null && s.rateSmooth() != null;
            final List<org.neurode.examples.plot.Series> series = new ArrayList<>();
            for (final Map.Entry<String, PopulationRate> e : shown.entrySet()) {
                series.add(new org.neurode.examples.plot.Series(e.getKey(), e.getValue().times(), smooth
                        ? smoothed(s, e.getValue()) : e.getValue().rates()));
            }
            final XYChart rate = org.neurode.examples.plot.Charts.lines("population rate (bins of "
                    + compact(bin) + " ms" + (smooth ? ", smoothed " + ("gaussian".equals(s.rateWindow())
                    ? "by a Gaussian of SD " : "over ") + compact(s.rateSmooth()) + " ms" : "") + ")",
                    org.neurode.examples.plot.Charts.TIME_AXIS, "rate (Hz)", series);
            rate.getStyler().setYAxisDecimalPattern("0.#");
            panels.add(rate);
        }
        if (!trajectory.columnNames().isEmpty()) {
            panels.addAll(TrajectoryPlots.tracePanels(trajectory, scenario.panelTitles()));
        }
        final XYChart first = panels.get(0);
        first.setTitle(runLabel(plan) + ": " + first.getTitle());
        return Figure.of(panels);
    }

    private static SimulationJson results(final Simulate.Plan plan, final SimulateResult r,
                                          final Trajectory trajectory, final Map<String, String> files) {
        final StatisticsJson statistics = StatisticsJson.from(r.statistics());
        // a model file has no population size: its state dimension and name describe it
        return new SimulationJson(VersionProvider.version(), r.model(), r.neurons(), r.dimension(), r.solver(),
                                  r.parameters(), plan.scenario().setup(), optionsJson(plan), r.tEnd(),
                                  r.finalTime(), r.solveSeconds(), trajectory.status().name(),
                                  trajectory.message().isEmpty() ? null : trajectory.message(), statistics,
                                  r.spikeCount(), r.meanRateHz(), trajectory.columnNames(), files,
                                  SettingsFiles.document(Simulate.KIND, plan.settings()));
    }

    private static void printSummary(final PrintWriter stdout, final SimulationJson r, final Path folder,
                                     final String label) {
        final StatisticsJson s = r.statistics();
        stdout.printf(Locale.ROOT, "simulate %s, 0 to %s ms: %s%n", label, compact(r.finalTime()), r.status());
        stdout.printf(Locale.ROOT, "  wall time %.3f s; %d steps (%d rejected), %d right-hand-side evaluations%n",
                      r.wallSeconds(), s.acceptedSteps(), s.rejectedSteps(), s.rhsEvaluations());
        if (r.spikeCount() != null) {
            stdout.printf(Locale.ROOT, "  %d spikes, mean rate %.2f Hz%n", r.spikeCount(), r.meanRateHz());
        }
        stdout.printf(Locale.ROOT, "  files in %s: %s, %s%n", folder, RESULTS_FILE,
                      String.join(", ", r.files().values()));
        stdout.flush();
    }

    private static String compact(final double v) {
        return Simulate.compact(v);
    }
}
