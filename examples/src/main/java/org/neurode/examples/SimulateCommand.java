package org.neurode.examples;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.knowm.xchart.XYChart;
import org.neurode.core.Model;
import org.neurode.core.PopulationRate;
import org.neurode.core.Problem;
import org.neurode.core.Recorder;
import org.neurode.core.StateLayout;
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
import org.neurode.solvers.Simulation;
import org.neurode.solvers.SolveOptions;
import org.neurode.solvers.Solver;
import org.neurode.solvers.SolverInfo;
import org.neurode.solvers.Tolerances;

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

    /** Number of segments a run is split into for progress reports. */
    private static final int SEGMENTS = 100;
    /** {@code name[first..last]}: a range of vector elements in {@code --record}. */
    private static final Pattern RANGE =
            Pattern.compile("\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*\\[\\s*(\\d+)\\s*\\.\\.\\s*(\\d+)\\s*]\\s*");
    /** {@code S.w[first..last]}: a range of synapses in {@code --record}. */
    private static final Pattern SYNAPSE_RANGE =
            Pattern.compile("[^\\[]*\\[\\s*(\\d{1,9})\\s*\\.\\.\\s*(\\d{1,9})\\s*]\\s*");
    /** Most steps of a fixed-step run. */
    static final long MAX_STEPS = 1_000_000_000L;
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

    /** The events and member slices whose spikes {@code --spikes} writes, or null without it. */
    private SpikeSelection spikeSelection;
    /** The population rates of the run by event kind ({@code --rate}), for the figure. */
    private Map<String, PopulationRate> rates;

    /** The model file, once read. */
    private org.neurode.core.expr.ModelFile loaded;

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

    /**
     * Runs the simulation and writes the results.
     *
     * @return {@value Main#EXIT_OK}, or {@value Main#EXIT_SOLVE_FAILED} if the solve did not succeed
     */
    @Override
    public Integer call() {
        final PrintWriter stdout = spec.commandLine().getOut();
        final ParseResult parsed = spec.commandLine().getParseResult();
        final SolverInfo info = solver.info();
        checkStepOptions(info);
        if (modelFile != null) {
            if (parsed.hasMatchedOption("--model") || parsed.hasMatchedOption("--n")) {
                throw new IllegalArgumentException("--model-file excludes --model and --n");
            }
            // rand() and randn() in the file's values are drawn from the run's seed
            loaded = org.neurode.core.expr.ModelFile.read(modelFile, seed);
            if (!parsed.hasMatchedOption("--t-end") && Double.isFinite(loaded.tEnd())) {
                tEnd = loaded.tEnd();
            }
        }
        checkTimes(info);
        final int n = loaded != null ? fileNeurons(loaded) : size != null ? size : model.defaultSize();
        if (loaded == null) {
            // before the model is built: its arrays grow with --n
            MemoryBudget.require((size != null ? "--n " + n : "--model " + model.label()) + " with --t-end "
                    + compact(tEnd), stateBytes(model.stateSize(n), info, n));
        }

        // Everything that can be wrong with the input is checked before the output folder is created.
        Scenario scenario = loaded != null ? Scenario.fromModelFile(loaded, modelFile.toString())
                                           : model.scenario(n, seed, tEnd);
        scenario = scenario.withModel(adjusted(scenario.model(), info));
        final Problem problem = scenario.problem(tEnd);
        final Map<Double, List<String>> extra = new java.util.TreeMap<>();
        final List<String> mainEntries = new ArrayList<>();
        for (final String entry : record != null ? record : scenario.defaultRecord()) {
            final int at = entry.lastIndexOf('@');
            if (at < 0) {
                mainEntries.add(entry);
                continue;
            }
            final double every = interval(entry, entry.substring(at + 1));
            extra.computeIfAbsent(every, k -> new ArrayList<>()).add(entry.substring(0, at));
        }
        // without entries of its own, trajectory.csv records the default variables
        final List<String> variables = expandRecord(mainEntries.isEmpty() ? scenario.defaultRecord() : mainEntries,
                                                    scenario.model());
        final Map<Double, List<String>> extraVariables = new java.util.LinkedHashMap<>();
        for (final Map.Entry<Double, List<String>> e : extra.entrySet()) {
            extraVariables.put(e.getKey(), expandRecord(e.getValue(), scenario.model()));
        }
        checkMonitors(scenario.model());
        final double samples = Math.floor(tEnd / recordEvery) + 2;
        final long columns = columns(variables, scenario.model());
        MemoryBudget.require("--record-every " + compact(recordEvery) + " with --t-end " + compact(tEnd) + " and "
                + columns + " recorded variable" + (columns == 1 ? "" : "s"),
                stateBytes(scenario.model().dimension(), info, scenario.spiking() ? n : 0)
                + samples * (columns + 1) * Double.BYTES * 3 + extraBytes(extraVariables, scenario.model()));
        final SolveOptions options = options(info, variables, extraVariables);
        final Simulation simulation;
        try {
            simulation = solver.start(problem, options);
        } catch (org.neurode.core.OdeException e) {
            // a recorded name that is no variable, input or named subexpression, or a range outside one
            if (e.getMessage().startsWith("recorded variable") || e.code() == org.neurode.core.ErrorCode
                    .UNKNOWN_VARIABLE) {
                throw new IllegalArgumentException("--record: " + e.getMessage(), e);
            }
            throw e;
        }
        final Path folder = OutputFolders.prepare(out, "simulate-" + label());

        final long wallStart = System.nanoTime();
        try (Progress bar = showProgress() ? Progress.console("simulate " + label(), 0.0, tEnd)
                                           : Progress.none()) {
            final double segment = segmentLength(info);
            final long segments = (long) Math.ceil(tEnd / segment - 1e-9);
            for (long k = 1; k <= segments && simulation.status() == Status.SUCCESS; k++) {
                simulation.advanceTo(k == segments ? tEnd : k * segment);
                bar.update(simulation.time());
            }
        }
        final Trajectory trajectory = simulation.finish();
        final double wallSeconds = (System.nanoTime() - wallStart) * 1e-9;

        final Map<String, String> files = new LinkedHashMap<>();
        CsvFiles.writeTrajectory(folder.resolve(TRAJECTORY_FILE), trajectory);
        files.put("trajectory", TRAJECTORY_FILE);
        if (npy) {
            ResultFiles.writeNpy(folder.resolve("trajectory.npy"), trajectory.recording(Recorder.DEFAULT_NAME));
            files.put("trajectoryNpy", "trajectory.npy");
        }
        for (final String name : trajectory.recordingNames().subList(1, trajectory.recordingNames().size())) {
            ResultFiles.writeCsv(folder.resolve(name + ".csv"), trajectory.recording(name), CsvFiles.TIME_COLUMN);
            files.put(name, name + ".csv");
            if (npy) {
                ResultFiles.writeNpy(folder.resolve(name + ".npy"), trajectory.recording(name));
                files.put(name + "Npy", name + ".npy");
            }
        }
        if (scenario.spiking()) {
            CsvFiles.writeEvents(folder.resolve(SPIKES_FILE), trajectory.events());
            files.put("spikes", SPIKES_FILE);
        }
        writeMonitors(folder, scenario.model(), trajectory, files);
        figure(scenario, trajectory, n, info).writePng(folder.resolve(PLOT_FILE));
        files.put("plot", PLOT_FILE);
        final SimulationJson results = results(scenario, trajectory, n, info, options, wallSeconds, files);
        JsonFiles.write(folder.resolve(RESULTS_FILE), results);

        printSummary(stdout, results, folder, runLabel(n, info));
        if (trajectory.status() != Status.SUCCESS) {
            Main.printError(spec.commandLine(), "the solve ended with status " + trajectory.status()
                    + (trajectory.message().isEmpty() ? "" : ": " + trajectory.message())
                    + " (results up to t = " + trajectory.finalTime() + " ms are in " + folder + ")");
            return Main.EXIT_SOLVE_FAILED;
        }
        return Main.EXIT_OK;
    }

    /**
     * Expands {@code --record} entries: {@code v[0..4]} becomes {@code v[0]} to {@code v[4]}; other entries
     * are kept and checked against the model's state variables and inputs.
     *
     * @param entries the entries (not modified)
     * @param model   the model
     * @return the variable references in order
     * @throws IllegalArgumentException naming {@code --record} for an empty, reversed or out-of-range range and
     *                                  for an unknown variable (with the known ones)
     */
    static List<String> expandRecord(final List<String> entries, final Model model) {
        final List<String> known = new ArrayList<>(model.layout().names());
        known.addAll(model.inputLayout().names());
        final java.util.Set<String> lets = new java.util.LinkedHashSet<>();
        model.spec().ifPresent(sp -> sp.lets().forEach(l -> lets.add(l.name())));
        final List<String> variables = new ArrayList<>();
        final List<String> checkedByTheRun = new ArrayList<>();
        for (final String entry : entries) {
            final Matcher m = RANGE.matcher(entry);
            final String base = StateLayout.blockName(entry);
            if (lets.contains(base) && !known.contains(base) || !m.matches() && entry.contains("..")
                    || base.contains(".")) {
                // named subexpressions, ranges of rows and columns and synapse variables (S.w[0..9]): the recording
                // checks them when the run starts (a bad one is an error naming --record)
                variables.add(entry.trim());
                checkedByTheRun.add(entry.trim());
                continue;
            }
            if (m.matches()) {
                final String block = m.group(1);
                if (!known.contains(block)) {
                    throw new IllegalArgumentException("--record " + entry.trim() + ": no variable '" + block
                            + "'; known variables: " + String.join(", ", known));
                }
                final long size = model.block(block).size();
                final long first = index(entry, m.group(2));
                final long last = index(entry, m.group(3));
                if (last < first) {
                    throw new IllegalArgumentException("--record " + entry.trim() + ": the range is empty (" + last
                            + " < " + first + ")");
                }
                if (last >= size) {
                    throw new IllegalArgumentException("--record " + entry.trim() + ": '" + block + "' has " + size
                            + " element" + (size == 1 ? "" : "s") + ", indices 0 to " + (size - 1));
                }
                for (long i = first; i <= last; i++) {
                    variables.add(block + "[" + i + "]");
                }
            } else if (!entry.isBlank()) {
                variables.add(entry.trim());
            }
        }
        if (variables.isEmpty()) {
            throw new IllegalArgumentException("--record names no variable; known variables: "
                    + String.join(", ", known));
        }
        for (final String v : variables) {
            if (checkedByTheRun.contains(v)) {
                continue;
            }
            try {
                final StateLayout.Block b = model.block(StateLayout.blockName(v));
                if (!b.name().equals(v.trim())) {
                    (b.input() ? model.inputLayout() : model.layout()).index(v);
                }
            } catch (org.neurode.core.OdeException e) {
                throw new IllegalArgumentException("--record " + v + ": " + e.getMessage()
                        + (lets.isEmpty() ? "" : "; named subexpressions: " + String.join(", ", lets)), e);
            }
        }
        return variables;
    }

    private static long index(final String entry, final String digits) {
        if (digits.length() > 9) {
            throw new IllegalArgumentException("--record " + entry.trim() + ": index " + digits + " is too large");
        }
        return Long.parseLong(digits);
    }

    private SolveOptions options(final SolverInfo info, final List<String> variables,
                                 final Map<Double, List<String>> extra) {
        final Recorder recorder = Recorder.every(recordEvery).of(variables.toArray(new String[0]));
        // Not fail-fast: a run that blows up still writes what it computed, with status FAILED.
        SolveOptions base = SolveOptions.defaults().withRecorder(recorder).withSeed(seed).withFailFast(false);
        for (final Map.Entry<Double, List<String>> e : extra.entrySet()) {
            base = base.addRecorder(Recorder.every(e.getKey()).of(e.getValue().toArray(new String[0]))
                    .named(recordFileName(e.getKey())));
        }
        return info.adaptive()
                ? base.withTolerances(atol != null ? Tolerances.of(rtol, atol) : Tolerances.fromScales(rtol))
                : base.withStep(step);
    }

    /** Memory of the samples of the recorders of {@code --record NAME@DT} entries (each element a column). */
    private double extraBytes(final Map<Double, List<String>> extra, final Model model) {
        double bytes = 0;
        for (final Map.Entry<Double, List<String>> e : extra.entrySet()) {
            bytes += (Math.floor(tEnd / e.getKey()) + 2) * (columns(e.getValue(), model) + 1) * Double.BYTES * 3;
        }
        return bytes;
    }

    /**
     * The columns of expanded {@code --record} entries, for the memory estimate: one per entry, except a synapse
     * variable, which has one per synapse named ({@code S.w}: all of projection S's).
     */
    private static long columns(final List<String> variables, final Model model) {
        long count = 0;
        for (final String v : variables) {
            final String base = StateLayout.blockName(v);
            final int dot = base.indexOf('.');
            final Matcher range = SYNAPSE_RANGE.matcher(v);
            if (dot > 0 && range.matches()) {
                count += Math.max(1, Long.parseLong(range.group(2)) - Long.parseLong(range.group(1)) + 1);
            } else if (dot > 0 && base.equals(v.trim())) {
                count += model.projections().stream().filter(p -> p.name().equals(base.substring(0, dot).trim()))
                        .mapToLong(org.neurode.core.Projection::synapses).findFirst().orElse(1L);
            } else {
                count++;
            }
        }
        return count;
    }

    /** The stem of the file of the recorder of an interval: {@code record-0.1ms}. */
    private static String recordFileName(final double every) {
        return "record-" + compact(every) + "ms";
    }

    /** The interval after {@code @} in a {@code --record} entry. */
    private double interval(final String entry, final String text) {
        final double every;
        try {
            every = OptionConverters.number(text);
        } catch (picocli.CommandLine.TypeConversionException e) {
            throw new IllegalArgumentException("--record " + entry.trim() + ": the interval after '@' "
                    + e.getMessage(), e);
        }
        if (!(every > 0) || Double.isInfinite(every)) {
            throw new IllegalArgumentException("--record " + entry.trim() + ": the interval after '@' must be a "
                    + "positive number of ms");
        }
        if (every > tEnd) {
            throw new IllegalArgumentException("--record " + entry.trim() + ": the interval " + compact(every)
                    + " ms is longer than the run (--t-end " + compact(tEnd) + " ms)");
        }
        return every;
    }

    /**
     * --rate and --rate-smooth need events; --rate-smooth needs --rate; --rate-window needs --rate-smooth;
     * --spikes needs events, and its populations and slices must exist.
     */
    private void checkMonitors(final Model m) {
        if (rateSmooth != null && rateBin == null) {
            throw new IllegalArgumentException("--rate-smooth needs --rate (the bin width of the rate it smooths)");
        }
        if (rateWindow != null && rateSmooth == null) {
            throw new IllegalArgumentException("--rate-window needs --rate-smooth (the width of the window)");
        }
        if (rateWindow != null && !"flat".equals(rateWindow) && !"gaussian".equals(rateWindow)) {
            throw new IllegalArgumentException("--rate-window " + rateWindow + ": expected flat or gaussian");
        }
        if ((rateBin != null || spikes != null) && m.events().isEmpty()) {
            throw new IllegalArgumentException((rateBin != null ? "--rate" : "--spikes") + ": model '" + m.name()
                    + "' has no events (thresholds) to count");
        }
        spikeSelection = spikes == null ? null : SpikeSelection.of(spikes, m);
        if (rateBin != null && rateBin > tEnd) {
            throw new IllegalArgumentException("--rate " + compact(rateBin) + " ms is longer than the run (--t-end "
                    + compact(tEnd) + " ms)");
        }
    }

    /** The spike monitors (--spikes) and population rates (--rate) of each event kind. */
    private void writeMonitors(final Path folder, final Model m, final Trajectory trajectory,
                               final Map<String, String> files) {
        final org.neurode.core.EventLog log = trajectory.events();
        if (spikeSelection != null) {
            for (final Map.Entry<String, int[]> e : spikeSelection.slices().entrySet()) {
                final String stem = "spikes-" + e.getKey();
                final int from = e.getValue()[0];
                final int to = e.getValue()[1];
                ResultFiles.writeSpikesCsv(folder.resolve(stem + ".csv"), log, e.getKey(), CsvFiles.TIME_COLUMN, from,
                        to);
                files.put(stem, stem + ".csv");
                if (npy) {
                    ResultFiles.writeSpikesNpy(folder.resolve(stem + "-t.npy"), folder.resolve(stem + "-i.npy"), log,
                            e.getKey(), from, to);
                    files.put(stem + "-t", stem + "-t.npy");
                    files.put(stem + "-i", stem + "-i.npy");
                }
            }
        }
        rates = null;
        if (rateBin == null || !(trajectory.finalTime() > 0)) {
            return;
        }
        final List<String> header = new ArrayList<>();
        final List<double[]> columns = new ArrayList<>();
        header.add(CsvFiles.TIME_COLUMN);
        rates = new LinkedHashMap<>();
        for (final org.neurode.core.EventDetector d : m.events()) {
            final PopulationRate r = PopulationRate.of(log, d.name(), d.size(), 0.0, trajectory.finalTime(), rateBin,
                    secondsPerTimeUnit(m));
            if (columns.isEmpty()) {
                columns.add(r.times());
            }
            header.add(d.name() + "_Hz");
            columns.add(r.rates());
            if (rateSmooth != null) {
                header.add(d.name() + "_smooth_Hz");
                columns.add(smoothed(r));
            }
            rates.put(d.name(), r);
        }
        CsvFiles.writeColumns(folder.resolve(RATES_FILE), header, columns);
        files.put("rates", RATES_FILE);
        if (npy) {
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
    }

    /** The rate smoothed as --rate-smooth and --rate-window say. */
    private double[] smoothed(final PopulationRate r) {
        return "gaussian".equals(rateWindow) ? r.smoothGaussian(rateSmooth) : r.smoothFlat(rateSmooth);
    }

    /** Seconds per time unit of a model (ms unless its specification names another unit). */
    private static double secondsPerTimeUnit(final Model m) {
        final String unit = m.spec().map(org.neurode.core.spec.ModelSpec::timeUnit)
                .orElse(org.neurode.core.spec.ModelSpec.DEFAULT_TIME_UNIT);
        return org.neurode.core.units.Unit.parse(unit).factorTo(org.neurode.core.units.Unit.parse("s"));
    }

    private SolveOptionsJson optionsJson(final SolverInfo info, final SolveOptions o) {
        if (info.adaptive()) {
            return new SolveOptionsJson("adaptive", null, rtol, atol, atol == null ? Boolean.TRUE : null, recordEvery,
                                        seed, o.maxEvaluations());
        }
        return new SolveOptionsJson("fixed", step, null, null, null, recordEvery, seed, o.maxEvaluations());
    }

    /** Segments of about 1/100 of the run; for fixed-step solvers a whole number of steps. */
    private double segmentLength(final SolverInfo info) {
        if (info.adaptive()) {
            return tEnd / SEGMENTS;
        }
        final double steps = Math.max(1.0, Math.round(tEnd / SEGMENTS / step));
        return Math.min(tEnd, steps * step);
    }

    private boolean showProgress() {
        return progress.enabled();
    }

    /** Options that only one kind of solver uses are refused with the other kind (they would be ignored). */
    private void checkStepOptions(final SolverInfo info) {
        final ParseResult parsed = spec.commandLine().getParseResult();
        if (!info.adaptive() && (parsed.hasMatchedOption("--rtol") || parsed.hasMatchedOption("--atol"))) {
            throw new IllegalArgumentException((parsed.hasMatchedOption("--rtol") ? "--rtol" : "--atol")
                    + " applies to adaptive solvers, but --solver " + info.name() + " takes fixed steps: set its "
                    + "step with --dt");
        }
        if (info.adaptive() && parsed.hasMatchedOption("--dt")) {
            throw new IllegalArgumentException("--dt applies to fixed-step solvers, but --solver " + info.name()
                    + " chooses its own steps: control them with --rtol and --atol");
        }
    }

    /**
     * The step and the sampling interval must fit into the run, and a fixed-step run may take at most
     * {@value #MAX_STEPS} steps (10^9 steps of the 100-neuron LIF network take about 3 minutes; more is a
     * mistyped {@code --dt} or {@code --t-end}).
     */
    private void checkTimes(final SolverInfo info) {
        if (!info.adaptive()) {
            if (step > tEnd) {
                throw new IllegalArgumentException("--dt " + compact(step) + " ms is longer than the run (--t-end "
                        + compact(tEnd) + " ms)");
            }
            final double steps = Math.ceil(tEnd / step);
            if (steps > MAX_STEPS) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "--dt %s ms with --t-end %s ms would "
                        + "take %.3g steps, more than the %.0e allowed; use a larger --dt or a shorter --t-end",
                        compact(step), compact(tEnd), steps, (double) MAX_STEPS));
            }
        }
        if (recordEvery > tEnd) {
            throw new IllegalArgumentException("--record-every " + compact(recordEvery) + " ms is longer than the run "
                    + "(--t-end " + compact(tEnd) + " ms): nothing after t = 0 would be recorded");
        }
    }

    /**
     * Estimated memory of the state-sized arrays (model, solver stages, error estimates, dense output; a dense
     * Jacobian and its factorization for stiff solvers) and of the spikes of {@code spiking} neurons at up to
     * 200 Hz.
     */
    private double stateBytes(final double dimension, final SolverInfo info, final int spiking) {
        double bytes = dimension * Double.BYTES * (info.adaptive() ? ADAPTIVE_ARRAYS : FIXED_ARRAYS);
        if (info.stiffness() == org.neurode.solvers.Stiffness.STIFF) {
            bytes += 3.0 * dimension * dimension * Double.BYTES;
        }
        return bytes + spiking * tEnd * MAX_SPIKES_PER_MS * SPIKE_BYTES;
    }

    /** The model with the --param values and without noise if --no-noise; checks the solver can integrate it. */
    private Model adjusted(final Model m, final SolverInfo info) {
        Model result = noNoise ? m.withoutNoise() : m;
        if (params != null) {
            final java.util.Set<String> seen = new java.util.HashSet<>();
            for (final String p : params) {
                final int eq = p.indexOf('=');
                if (eq < 0) {
                    throw new IllegalArgumentException("--param " + p + ": expected NAME=VALUE, e.g. --param "
                            + firstParameter(m) + "=1.5");
                }
                final String name = p.substring(0, eq).trim();
                if (!m.parameters().has(name)) {
                    throw new IllegalArgumentException("--param " + p + ": model '" + m.name() + "' has no parameter '"
                            + name + "'" + (m.parameters().size() == 0 ? " (it has none)"
                                    : "; its parameters: " + String.join(", ", m.parameters().names())));
                }
                if (!seen.add(name)) {
                    throw new IllegalArgumentException("--param " + name + " is given twice");
                }
                if (m.parameters().isArray(name)) {
                    throw new IllegalArgumentException("--param " + p + ": '" + name + "' is an array parameter ("
                            + m.parameters().rows(name) + "x" + m.parameters().cols(name) + " values); --param sets "
                            + "one value, change arrays in the model file");
                }
                final double value;
                try {
                    value = OptionConverters.number(p.substring(eq + 1));
                } catch (picocli.CommandLine.TypeConversionException e) {
                    throw new IllegalArgumentException("--param " + p + ": " + e.getMessage(), e);
                }
                result = result.withParameter(name, value);
            }
        }
        if (result.isStochastic() && !info.stochastic()) {
            throw new IllegalArgumentException("--solver " + info.name() + " cannot integrate the white noise of "
                    + "model '" + m.name() + "' (on '" + result.noise().get(0).block() + "'): choose a stochastic solver ("
                    + String.join(", ", stochasticSolvers()) + ") or add --no-noise");
        }
        return result;
    }

    private static String firstParameter(final Model m) {
        return m.parameters().size() > 0 ? m.parameters().names().get(0) : "NAME";
    }

    private static List<String> stochasticSolvers() {
        final List<String> names = new ArrayList<>();
        for (final Solver s : org.neurode.solvers.Solvers.all()) {
            if (s.info().stochastic()) {
                names.add(s.name());
            }
        }
        return names;
    }

    private String runLabel(final int n, final SolverInfo info) {
        final String control = info.adaptive()
                ? "rtol " + compact(rtol) + (atol != null ? ", atol " + compact(atol) : "")
                : "dt " + compact(step) + " ms";
        final String size = loaded != null ? "" : ", " + n + (n == 1 ? " neuron" : " neurons");
        return label() + size + ", " + info.name() + " (" + control + ")";
    }

    /** @return the model's name: the built-in choice, or the model file's */
    private String label() {
        return loaded != null ? loaded.model().name() : model.label();
    }

    /** @return the size of the first thresholded population of a model file (1 without events) */
    /**
     * The members a model file's spike raster spans: the most members of any of its event kinds (every
     * population's events, of either form), 1 without events.
     */
    private static int fileNeurons(final org.neurode.core.expr.ModelFile file) {
        int n = 1;
        for (final org.neurode.core.EventDetector d : file.model().events()) {
            n = Math.max(n, d.size());
        }
        return n;
    }

    /** The members that can fire: the sum over event kinds for a model file, else the population size. */
    private int firingMembers(final Scenario scenario, final int n) {
        if (loaded == null) {
            return n;
        }
        int members = 0;
        for (final org.neurode.core.EventDetector d : scenario.model().events()) {
            members += d.size();
        }
        return Math.max(1, members);
    }

    /**
     * The bin width of the figure's rate panel without {@code --rate}: about a hundredth of the run, rounded down to
     * 1, 2 or 5 times a power of ten, and at least the step.
     */
    private double figureBin(final double span) {
        final double raw = span / 100.0;
        final double decade = Math.pow(10.0, Math.floor(Math.log10(raw)));
        final double round = raw >= 5 * decade ? 5 * decade : raw >= 2 * decade ? 2 * decade : decade;
        return Math.max(step, round);
    }

    private Figure figure(final Scenario scenario, final Trajectory trajectory, final int n, final SolverInfo info) {
        final List<XYChart> panels = new ArrayList<>();
        if (scenario.spiking()) {
            panels.add(TrajectoryPlots.raster(trajectory, "spike raster", 0.0, n));
        }
        Map<String, PopulationRate> shown = rates;
        double bin = rateBin == null ? 0.0 : rateBin;
        if (shown == null && scenario.spiking() && trajectory.finalTime() > 0
                && !scenario.model().events().isEmpty()) {
            // without --rate the figure still shows each event kind's population rate, in bins of about a
            // hundredth of the run (a round width: 1, 2 or 5 times a power of ten, at least the step)
            bin = figureBin(trajectory.finalTime());
            shown = new LinkedHashMap<>();
            for (final org.neurode.core.EventDetector d : scenario.model().events()) {
                shown.put(d.name(), PopulationRate.of(trajectory.events(), d.name(), d.size(), 0.0,
                        trajectory.finalTime(), bin, secondsPerTimeUnit(scenario.model())));
            }
        }
        if (shown != null) {
            final boolean smooth = rates != null && rateSmooth != null;
            final List<org.neurode.examples.plot.Series> series = new ArrayList<>();
            for (final Map.Entry<String, PopulationRate> e : shown.entrySet()) {
                series.add(new org.neurode.examples.plot.Series(e.getKey(), e.getValue().times(), smooth
                        ? smoothed(e.getValue()) : e.getValue().rates()));
            }
            final XYChart rate = org.neurode.examples.plot.Charts.lines("population rate (bins of "
                    + compact(bin) + " ms" + (smooth ? ", smoothed " + ("gaussian".equals(rateWindow)
                    ? "by a Gaussian of SD " : "over ") + compact(rateSmooth) + " ms" : "") + ")", org.neurode.examples.plot.Charts.TIME_AXIS, "rate (Hz)", series);
            rate.getStyler().setYAxisDecimalPattern("0.#");
            panels.add(rate);
        }
        if (!trajectory.columnNames().isEmpty()) {
            panels.addAll(TrajectoryPlots.tracePanels(trajectory, scenario.panelTitles()));
        }
        final XYChart first = panels.get(0);
        first.setTitle(runLabel(n, info) + ": " + first.getTitle());
        return Figure.of(panels);
    }

    private SimulationJson results(final Scenario scenario, final Trajectory trajectory, final int n,
                                   final SolverInfo info, final SolveOptions o, final double wallSeconds,
                                   final Map<String, String> files) {
        Long spikes = null;
        Double rate = null;
        if (scenario.spiking()) {
            spikes = (long) trajectory.eventCount();
            rate = trajectory.finalTime() > 0
                    ? spikes / (firingMembers(scenario, n) * trajectory.finalTime() / 1000.0) : 0.0;
        }
        // a model file has no population size: its state dimension and name describe it
        return new SimulationJson(VersionProvider.version(), label(), loaded != null ? null : n,
                                  scenario.model().dimension(),
                                  info.name(),
                                  scenario.model().parameters().asMap(), scenario.setup(), optionsJson(info, o), tEnd,
                                  trajectory.finalTime(), wallSeconds, trajectory.status().name(),
                                  trajectory.message().isEmpty() ? null : trajectory.message(),
                                  StatisticsJson.from(trajectory.statistics()), spikes, rate,
                                  trajectory.columnNames(), files);
    }

    private void printSummary(final PrintWriter stdout, final SimulationJson r, final Path folder, final String label) {
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

    /** @return {@code 200} for 200.0, {@code 1e-6} for 1.0E-6, otherwise the shortest exact text */
    private static String compact(final double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v).replace(".0E", "e").replace('E', 'e');
    }
}
