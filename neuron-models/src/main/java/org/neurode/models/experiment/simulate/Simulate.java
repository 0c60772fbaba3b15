package org.neurode.models.experiment.simulate;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.neurode.core.ErrorCode;
import org.neurode.core.EventDetector;
import org.neurode.core.Model;
import org.neurode.core.OdeException;
import org.neurode.core.Problem;
import org.neurode.core.Projection;
import org.neurode.core.Recorder;
import org.neurode.core.StateLayout;
import org.neurode.core.Status;
import org.neurode.core.Trajectory;
import org.neurode.core.expr.ModelFile;
import org.neurode.models.experiment.Checkpoints;
import org.neurode.models.experiment.Experiment;
import org.neurode.models.experiment.Progress;
import org.neurode.models.experiment.RunStatus;
import org.neurode.solvers.Simulation;
import org.neurode.solvers.SolveOptions;
import org.neurode.solvers.Solver;
import org.neurode.solvers.SolverInfo;
import org.neurode.solvers.Solvers;
import org.neurode.solvers.Tolerances;

/**
 * One simulation of a model as an experiment: a built-in model ({@link ModelChoice}) or a model document
 * embedded in the settings, integrated by any registered solver from t = 0, segment by segment (a hundredth of the
 * run each), with recorders and spike monitors. The result holds the numbers a sweep tabulates (work counters,
 * spike counts and rates by event kind, the last recorded values); the command line writes the trajectory, spikes,
 * rates and figure from {@link #advance}'s trajectory. Progress counts simulated time (in thousandths of the run)
 * and reports {@code time}; a stop request ends the run after the current segment with status INTERRUPTED; no
 * checkpoints (a run is repeated from its settings).
 *
 * <p>A sweep over a model parameter names it with a dot: the axis {@code params.tau_m}.
 *
 * @since 0.7
 */
public final class Simulate implements Experiment<SimulateSettings, SimulateResult> {

    /** The experiment. */
    public static final Simulate INSTANCE = new Simulate();
    /** Its kind. */
    public static final String KIND = "simulate";
    /** Number of segments a run is split into for progress reports and stop requests. */
    public static final int SEGMENTS = 100;
    /** Most steps of a fixed-step run. */
    public static final long MAX_STEPS = 1_000_000_000L;
    /** End time without a {@code tEnd} and without a model document's {@code time} line. */
    public static final double DEFAULT_T_END = 200.0;
    /** Step of a fixed-step solver without {@code dt}. */
    public static final double DEFAULT_STEP = 0.1;
    /** Relative tolerance of an adaptive solver without {@code rtol}. */
    public static final double DEFAULT_RTOL = 1e-6;
    /** Field names as they are shown in errors about settings files: the names themselves. */
    public static final UnaryOperator<String> FIELD_NAMES = UnaryOperator.identity();

    /** {@code name[first..last]}: a range of vector elements in {@code record}. */
    private static final Pattern RANGE =
            Pattern.compile("\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*\\[\\s*(\\d+)\\s*\\.\\.\\s*(\\d+)\\s*]\\s*");
    /** {@code S.w[first..last]}: a range of synapses in {@code record}. */
    private static final Pattern SYNAPSE_RANGE =
            Pattern.compile("[^\\[]*\\[\\s*(\\d{1,9})\\s*\\.\\.\\s*(\\d{1,9})\\s*]\\s*");

    private Simulate() {
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Class<SimulateSettings> settingsType() {
        return SimulateSettings.class;
    }

    /** Checks the settings as {@link #plan} does (a model document is compiled). */
    @Override
    public void check(final SimulateSettings settings) {
        plan(settings, FIELD_NAMES);
    }

    /**
     * @return {@code neurode simulate}'s defaults: lif (100 neurons), exponential Euler with the default step 0.1 ms,
     *         200 ms, samples every 0.5 ms of the model's default variables, seed 1
     */
    @Override
    public SimulateSettings defaults() {
        return new SimulateSettings(null, null, null, Map.of(), false, "exponential-euler", null, null, null, null,
                0.5, null, null, null, null, null, false, 1L);
    }

    /**
     * A simulation checked and set up, before it starts: everything that can be wrong with the settings has been
     * found.
     *
     * @param settings       the settings
     * @param scenario       the model (parameters set, noise dropped if asked) with its inputs and defaults
     * @param modelFile      the compiled model document, or null for a built-in model
     * @param solver         the solver
     * @param tEnd           the end time
     * @param neurons        the members a spike raster spans (population size of a built-in model)
     * @param variables      the main recorder's variables, expanded
     * @param extraVariables the variables of recorders on their own intervals, by interval
     * @param spikeSelection the spike monitors, or null
     * @param options        the solve options
     */
    public record Plan(SimulateSettings settings, Scenario scenario, ModelFile modelFile, Solver solver, double tEnd,
                       int neurons, List<String> variables, Map<Double, List<String>> extraVariables,
                       SpikeSelection spikeSelection, SolveOptions options) {

        /** @return the problem: from t = 0 and the model's initial state to {@link #tEnd}, with the inputs */
        public Problem problem() {
            return scenario.problem(tEnd);
        }

        /** @return the model's name: the built-in choice or the model document's */
        public String label() {
            return modelFile != null ? modelFile.model().name() : ModelChoice.of(modelName(settings)).label();
        }

        /** @return the step of a fixed-step solver */
        public double step() {
            return settings.dt() != null ? settings.dt() : DEFAULT_STEP;
        }

        /** @return the relative tolerance of an adaptive solver */
        public double rtol() {
            return settings.rtol() != null ? settings.rtol() : DEFAULT_RTOL;
        }

        /** @return the members that can fire: the sum over event kinds for a model document, else the population */
        public int firingMembers() {
            if (modelFile == null) {
                return neurons;
            }
            int members = 0;
            for (final EventDetector d : scenario.model().events()) {
                members += d.size();
            }
            return Math.max(1, members);
        }
    }

    /**
     * The end of a simulation.
     *
     * @param trajectory  what was recorded (up to the time reached)
     * @param stopped     whether a stop request ended it
     * @param wallSeconds wall time of the solve (s)
     */
    public record Outcome(Trajectory trajectory, boolean stopped, double wallSeconds) {
    }

    /**
     * Checks the settings and sets the simulation up.
     *
     * @param s     the settings
     * @param names how the fields are named in errors ({@link #FIELD_NAMES}; the command line names its options)
     * @return the plan
     * @throws IllegalArgumentException naming the field at fault, and for a model document its line and column
     */
    public static Plan plan(final SimulateSettings s, final UnaryOperator<String> names) {
        final Solver solver;
        try {
            solver = Solvers.get(require(s.solver(), names.apply("solver")));
        } catch (OdeException e) {
            throw new IllegalArgumentException(names.apply("solver") + " " + s.solver() + ": " + e.getMessage(), e);
        }
        final SolverInfo info = solver.info();
        checkNumbers(s, names);
        checkStepOptions(s, info, names);
        ModelFile file = null;
        double tEnd = s.tEnd() != null ? s.tEnd() : DEFAULT_T_END;
        if (s.modelFile() != null) {
            if (s.model() != null || s.n() != null) {
                throw new IllegalArgumentException(names.apply("modelFile") + " excludes " + names.apply("model")
                        + " and " + names.apply("n"));
            }
            try {
                // rand() and randn() in the document's values are drawn from the run's seed
                file = s.modelFile().compile(s.modelFile().name(), s.seed());
            } catch (OdeException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            if (s.tEnd() == null && Double.isFinite(file.tEnd())) {
                tEnd = file.tEnd();
            }
        }
        checkTimes(s, info, tEnd, names);
        final ModelChoice choice = file == null ? ModelChoice.of(modelName(s)) : null;
        final int n = file != null ? fileNeurons(file) : s.n() != null ? s.n() : choice.defaultSize();
        Scenario scenario = file != null ? Scenario.fromModelFile(file, s.modelFile().name())
                                         : choice.scenario(n, s.seed(), tEnd);
        scenario = scenario.withModel(adjusted(scenario.model(), s, info, names));
        final Map<Double, List<String>> extra = new TreeMap<>();
        final List<String> mainEntries = new ArrayList<>();
        for (final String entry : s.record() != null ? s.record() : scenario.defaultRecord()) {
            final int at = entry.lastIndexOf('@');
            if (at < 0) {
                mainEntries.add(entry);
                continue;
            }
            final double every = interval(entry, entry.substring(at + 1), tEnd, names);
            extra.computeIfAbsent(every, k -> new ArrayList<>()).add(entry.substring(0, at));
        }
        // without entries of its own, the main recorder records the default variables
        final List<String> variables = expandRecord(mainEntries.isEmpty() ? scenario.defaultRecord() : mainEntries,
                scenario.model(), names.apply("record"));
        final Map<Double, List<String>> extraVariables = new LinkedHashMap<>();
        for (final Map.Entry<Double, List<String>> e : extra.entrySet()) {
            extraVariables.put(e.getKey(), expandRecord(e.getValue(), scenario.model(), names.apply("record")));
        }
        final SpikeSelection spikes = checkMonitors(s, scenario.model(), tEnd, names);
        final SolveOptions options = options(s, info, variables, extraVariables);
        return new Plan(s, scenario, file, solver, tEnd, n, variables, extraVariables, spikes, options);
    }

    /**
     * Starts the solver on a plan's problem.
     *
     * @param plan  the plan
     * @param names how the fields are named in errors
     * @return the running simulation at t = 0
     * @throws IllegalArgumentException naming {@code record} for a recorded name that the run cannot record
     */
    public static Simulation start(final Plan plan, final UnaryOperator<String> names) {
        try {
            return plan.solver().start(plan.problem(), plan.options());
        } catch (OdeException e) {
            // a recorded name that is no variable, input or named subexpression, or a range outside one
            if (e.getMessage().startsWith("recorded variable") || e.code() == ErrorCode.UNKNOWN_VARIABLE) {
                throw new IllegalArgumentException(names.apply("record") + ": " + e.getMessage(), e);
            }
            throw e;
        }
    }

    /**
     * Integrates a started simulation to the plan's end in {@value #SEGMENTS} segments (for fixed-step solvers a
     * whole number of steps each), reporting the time reached after each and stopping early on a stop request.
     *
     * @param plan       the plan
     * @param simulation the simulation {@link #start} returned
     * @param progress   receives {@code done} in thousandths of the run and {@code time}; asked after every
     *                   segment whether to stop
     * @return the trajectory and whether the run was stopped
     */
    public static Outcome advance(final Plan plan, final Simulation simulation, final Progress progress) {
        final long start = System.nanoTime();
        final double tEnd = plan.tEnd();
        final double segment = segmentLength(plan);
        final long segments = (long) Math.ceil(tEnd / segment - 1e-9);
        boolean stopped = false;
        for (long k = 1; k <= segments && simulation.status() == Status.SUCCESS; k++) {
            simulation.advanceTo(k == segments ? tEnd : k * segment);
            progress.update(Math.round(1000 * simulation.time() / tEnd), 1000, Map.of("time", simulation.time()));
            if (k < segments && progress.stopRequested()) {
                stopped = true;
                break;
            }
        }
        final Trajectory trajectory = simulation.finish();
        return new Outcome(trajectory, stopped, (System.nanoTime() - start) * 1e-9);
    }

    @Override
    public SimulateResult run(final SimulateSettings settings, final Progress progress,
                              final Checkpoints checkpoints) {
        final Plan plan = plan(settings, FIELD_NAMES);
        return result(plan, advance(plan, start(plan, FIELD_NAMES), progress));
    }

    /**
     * The result of a finished (or stopped, or failed) simulation.
     *
     * @param plan    the plan
     * @param outcome what {@link #advance} returned
     * @return the result
     */
    public static SimulateResult result(final Plan plan, final Outcome outcome) {
        final Trajectory t = outcome.trajectory();
        final Model model = plan.scenario().model();
        final RunStatus status = t.status() != Status.SUCCESS ? RunStatus.FAILED
                : outcome.stopped() ? RunStatus.INTERRUPTED : RunStatus.SUCCESS;
        final String message = t.status() != Status.SUCCESS
                ? "the solve ended with status " + t.status() + (t.message().isEmpty() ? "" : ": " + t.message())
                : outcome.stopped() ? "stopped at t = " + t.finalTime() + " of " + plan.tEnd() : null;
        Long spikes = null;
        Double rate = null;
        final double seconds = t.finalTime() * secondsPerTimeUnit(model);
        if (plan.scenario().spiking()) {
            spikes = (long) t.eventCount();
            rate = t.finalTime() > 0 ? spikes / (plan.firingMembers() * t.finalTime() / 1000.0) : 0.0;
        }
        final Map<String, Long> counts = new LinkedHashMap<>();
        final Map<String, Double> rates = new LinkedHashMap<>();
        for (final EventDetector d : model.events()) {
            final long c = t.events().count(d.name());
            counts.put(d.name(), c);
            rates.put(d.name(), seconds > 0 ? c / (d.size() * seconds) : 0.0);
        }
        final Map<String, Double> last = new LinkedHashMap<>();
        final List<String> columns = t.columnNames();
        for (int j = 0; j < columns.size() && t.size() > 0; j++) {
            last.put(columns.get(j), t.value(t.size() - 1, j));
        }
        return new SimulateResult(plan.settings(), status, message, plan.label(),
                plan.modelFile() != null ? null : plan.neurons(), model.dimension(), plan.solver().name(),
                model.parameters().asMap(), plan.tEnd(), t.finalTime(), t.statistics(), spikes, rate, counts, rates,
                last, outcome.wallSeconds());
    }

    /**
     * Expands {@code record} entries: {@code v[0..4]} becomes {@code v[0]} to {@code v[4]}; other entries are kept
     * and checked against the model's state variables and inputs.
     *
     * @param entries the entries (not modified)
     * @param model   the model
     * @param field   how the field is named in errors ({@code --record})
     * @return the variable references in order
     * @throws IllegalArgumentException naming the field for an empty, reversed or out-of-range range and for an
     *                                  unknown variable (with the known ones)
     */
    public static List<String> expandRecord(final List<String> entries, final Model model, final String field) {
        final List<String> known = new ArrayList<>(model.layout().names());
        known.addAll(model.inputLayout().names());
        final Set<String> lets = new LinkedHashSet<>();
        model.spec().ifPresent(sp -> sp.lets().forEach(l -> lets.add(l.name())));
        final List<String> variables = new ArrayList<>();
        final List<String> checkedByTheRun = new ArrayList<>();
        for (final String entry : entries) {
            final Matcher m = RANGE.matcher(entry);
            final String base = StateLayout.blockName(entry);
            if (lets.contains(base) && !known.contains(base) || !m.matches() && entry.contains("..")
                    || base.contains(".")) {
                // named subexpressions, ranges of rows and columns and synapse variables (S.w[0..9]): the recording
                // checks them when the run starts (a bad one is an error naming the field)
                variables.add(entry.trim());
                checkedByTheRun.add(entry.trim());
                continue;
            }
            if (m.matches()) {
                final String block = m.group(1);
                if (!known.contains(block)) {
                    throw new IllegalArgumentException(field + " " + entry.trim() + ": no variable '" + block
                            + "'; known variables: " + String.join(", ", known));
                }
                final long size = model.block(block).size();
                final long first = index(entry, m.group(2), field);
                final long last = index(entry, m.group(3), field);
                if (last < first) {
                    throw new IllegalArgumentException(field + " " + entry.trim() + ": the range is empty (" + last
                            + " < " + first + ")");
                }
                if (last >= size) {
                    throw new IllegalArgumentException(field + " " + entry.trim() + ": '" + block + "' has " + size
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
            throw new IllegalArgumentException(field + " names no variable; known variables: "
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
            } catch (OdeException e) {
                throw new IllegalArgumentException(field + " " + v + ": " + e.getMessage()
                        + (lets.isEmpty() ? "" : "; named subexpressions: " + String.join(", ", lets)), e);
            }
        }
        return variables;
    }

    /**
     * The columns of expanded {@code record} entries, for memory estimates: one per entry, except a synapse
     * variable, which has one per synapse named ({@code S.w}: all of projection S's).
     *
     * @param variables expanded entries
     * @param model     the model
     * @return the number of columns
     */
    public static long columns(final List<String> variables, final Model model) {
        long count = 0;
        for (final String v : variables) {
            final String base = StateLayout.blockName(v);
            final int dot = base.indexOf('.');
            final Matcher range = SYNAPSE_RANGE.matcher(v);
            if (dot > 0 && range.matches()) {
                count += Math.max(1, Long.parseLong(range.group(2)) - Long.parseLong(range.group(1)) + 1);
            } else if (dot > 0 && base.equals(v.trim())) {
                count += model.projections().stream().filter(p -> p.name().equals(base.substring(0, dot).trim()))
                        .mapToLong(Projection::synapses).findFirst().orElse(1L);
            } else {
                count++;
            }
        }
        return count;
    }

    /**
     * @param every a recorder's interval
     * @return the name of its recording and the stem of its file: {@code record-0.1ms}
     */
    public static String recordingName(final double every) {
        return "record-" + compact(every) + "ms";
    }

    /**
     * @param m a model
     * @return seconds per time unit (ms unless its specification names another unit)
     */
    public static double secondsPerTimeUnit(final Model m) {
        final String unit = m.spec().map(org.neurode.core.spec.ModelSpec::timeUnit)
                .orElse(org.neurode.core.spec.ModelSpec.DEFAULT_TIME_UNIT);
        return org.neurode.core.units.Unit.parse(unit).factorTo(org.neurode.core.units.Unit.parse("s"));
    }

    /**
     * @param v a number
     * @return {@code 200} for 200.0, {@code 1e-6} for 1.0E-6, otherwise the shortest exact text
     */
    public static String compact(final double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v).replace(".0E", "e").replace('E', 'e');
    }

    private static String modelName(final SimulateSettings s) {
        return s.model() != null ? s.model() : ModelChoice.LIF.label();
    }

    private static String require(final String value, final String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is missing");
        }
        return value;
    }

    /** The ranges that the command line's option converters check, for settings files. */
    private static void checkNumbers(final SimulateSettings s, final UnaryOperator<String> names) {
        positive(s.dt(), "dt", names);
        positive(s.atol(), "atol", names);
        positive(s.tEnd(), "tEnd", names);
        positive(s.recordEvery(), "recordEvery", names);
        positive(s.rateBin(), "rateBin", names);
        positive(s.rateSmooth(), "rateSmooth", names);
        if (s.rtol() != null && !(s.rtol() >= 1e-14 && s.rtol() < 1)) {
            throw new IllegalArgumentException(names.apply("rtol") + " " + s.rtol() + ": from 1e-14 to below 1");
        }
        if (s.n() != null && s.n() < 1) {
            throw new IllegalArgumentException(names.apply("n") + " must be positive: " + s.n());
        }
        if (s.model() != null) {
            ModelChoice.of(s.model());
        }
        for (final Map.Entry<String, Double> p : s.params().entrySet()) {
            if (p.getValue() == null || !Double.isFinite(p.getValue())) {
                throw new IllegalArgumentException(names.apply("params") + " " + p.getKey() + ": expected a finite "
                        + "number, found " + p.getValue());
            }
        }
    }

    private static void positive(final Double v, final String field, final UnaryOperator<String> names) {
        if (v != null && !(v > 0 && Double.isFinite(v))) {
            throw new IllegalArgumentException(names.apply(field) + " must be a positive number: " + v);
        }
    }

    /** Options that only one kind of solver uses are refused with the other kind (they would be ignored). */
    private static void checkStepOptions(final SimulateSettings s, final SolverInfo info,
                                         final UnaryOperator<String> names) {
        if (!info.adaptive() && (s.rtol() != null || s.atol() != null)) {
            throw new IllegalArgumentException(names.apply(s.rtol() != null ? "rtol" : "atol") + " applies to "
                    + "adaptive solvers, but " + names.apply("solver") + " " + info.name() + " takes fixed steps: set "
                    + "its step with " + names.apply("dt"));
        }
        if (info.adaptive() && s.dt() != null) {
            throw new IllegalArgumentException(names.apply("dt") + " applies to fixed-step solvers, but "
                    + names.apply("solver") + " " + info.name() + " chooses its own steps: control them with "
                    + names.apply("rtol") + " and " + names.apply("atol"));
        }
    }

    /**
     * The step and the sampling interval must fit into the run, and a fixed-step run may take at most
     * {@value #MAX_STEPS} steps (10^9 steps of the 100-neuron LIF network take about 3 minutes; more is a
     * mistyped step or end time).
     */
    private static void checkTimes(final SimulateSettings s, final SolverInfo info, final double tEnd,
                                   final UnaryOperator<String> names) {
        if (!info.adaptive()) {
            final double step = s.dt() != null ? s.dt() : DEFAULT_STEP;
            if (step > tEnd) {
                throw new IllegalArgumentException(names.apply("dt") + " " + compact(step) + " ms is longer than the "
                        + "run (" + names.apply("tEnd") + " " + compact(tEnd) + " ms)");
            }
            final double steps = Math.ceil(tEnd / step);
            if (steps > MAX_STEPS) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "%s %s ms with %s %s ms would "
                        + "take %.3g steps, more than the %.0e allowed; use a larger %s or a shorter %s",
                        names.apply("dt"), compact(step), names.apply("tEnd"), compact(tEnd), steps,
                        (double) MAX_STEPS, names.apply("dt"), names.apply("tEnd")));
            }
        }
        if (s.recordEvery() > tEnd) {
            throw new IllegalArgumentException(names.apply("recordEvery") + " " + compact(s.recordEvery())
                    + " ms is longer than the run (" + names.apply("tEnd") + " " + compact(tEnd)
                    + " ms): nothing after t = 0 would be recorded");
        }
    }

    /** The interval after {@code @} in a {@code record} entry. */
    private static double interval(final String entry, final String text, final double tEnd,
                                   final UnaryOperator<String> names) {
        final String field = names.apply("record");
        final double every;
        try {
            every = Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + " " + entry.trim() + ": the interval after '@' is not a "
                    + "number: '" + text.trim() + "'", e);
        }
        if (!(every > 0) || Double.isInfinite(every)) {
            throw new IllegalArgumentException(field + " " + entry.trim() + ": the interval after '@' must be a "
                    + "positive number of ms");
        }
        if (every > tEnd) {
            throw new IllegalArgumentException(field + " " + entry.trim() + ": the interval " + compact(every)
                    + " ms is longer than the run (" + names.apply("tEnd") + " " + compact(tEnd) + " ms)");
        }
        return every;
    }

    /**
     * Rates and smoothing need events; smoothing needs a bin; a window needs smoothing; spike monitors need events,
     * and their populations and slices must exist.
     */
    private static SpikeSelection checkMonitors(final SimulateSettings s, final Model m, final double tEnd,
                                                final UnaryOperator<String> names) {
        if (s.rateSmooth() != null && s.rateBin() == null) {
            throw new IllegalArgumentException(names.apply("rateSmooth") + " needs " + names.apply("rateBin")
                    + " (the bin width of the rate it smooths)");
        }
        if (s.rateWindow() != null && s.rateSmooth() == null) {
            throw new IllegalArgumentException(names.apply("rateWindow") + " needs " + names.apply("rateSmooth")
                    + " (the width of the window)");
        }
        if (s.rateWindow() != null && !"flat".equals(s.rateWindow()) && !"gaussian".equals(s.rateWindow())) {
            throw new IllegalArgumentException(names.apply("rateWindow") + " " + s.rateWindow()
                    + ": expected flat or gaussian");
        }
        if ((s.rateBin() != null || s.spikes() != null) && m.events().isEmpty()) {
            throw new IllegalArgumentException(names.apply(s.rateBin() != null ? "rateBin" : "spikes") + ": model '"
                    + m.name() + "' has no events (thresholds) to count");
        }
        final SpikeSelection selection = s.spikes() == null ? null
                : SpikeSelection.of(s.spikes(), m, names.apply("spikes"));
        if (s.rateBin() != null && s.rateBin() > tEnd) {
            throw new IllegalArgumentException(names.apply("rateBin") + " " + compact(s.rateBin()) + " ms is longer "
                    + "than the run (" + names.apply("tEnd") + " " + compact(tEnd) + " ms)");
        }
        return selection;
    }

    /** The model with the parameter values and without noise if asked; checks the solver can integrate it. */
    private static Model adjusted(final Model m, final SimulateSettings s, final SolverInfo info,
                                  final UnaryOperator<String> names) {
        Model result = s.noNoise() ? m.withoutNoise() : m;
        final String field = names.apply("params");
        final Set<String> seen = new HashSet<>();
        for (final Map.Entry<String, Double> p : s.params().entrySet()) {
            final String name = p.getKey().trim();
            final String shown = name + "=" + compact(p.getValue());
            if (!m.parameters().has(name)) {
                throw new IllegalArgumentException(field + " " + shown + ": model '" + m.name() + "' has no "
                        + "parameter '" + name + "'" + (m.parameters().size() == 0 ? " (it has none)"
                        : "; its parameters: " + String.join(", ", m.parameters().names())));
            }
            if (!seen.add(name)) {
                throw new IllegalArgumentException(field + " " + name + " is given twice");
            }
            if (m.parameters().isArray(name)) {
                throw new IllegalArgumentException(field + " " + shown + ": '" + name + "' is an array parameter ("
                        + m.parameters().rows(name) + "x" + m.parameters().cols(name) + " values); " + field
                        + " sets one value, change arrays in the model file");
            }
            result = result.withParameter(name, p.getValue());
        }
        if (result.isStochastic() && !info.stochastic()) {
            throw new IllegalArgumentException(names.apply("solver") + " " + info.name() + " cannot integrate the "
                    + "white noise of model '" + m.name() + "' (on '" + result.noise().get(0).block() + "'): choose "
                    + "a stochastic solver (" + String.join(", ", stochasticSolvers()) + ") or add "
                    + names.apply("noNoise"));
        }
        return result;
    }

    private static List<String> stochasticSolvers() {
        final List<String> names = new ArrayList<>();
        for (final Solver s : Solvers.all()) {
            if (s.info().stochastic()) {
                names.add(s.name());
            }
        }
        return names;
    }

    private static SolveOptions options(final SimulateSettings s, final SolverInfo info, final List<String> variables,
                                        final Map<Double, List<String>> extra) {
        final Recorder recorder = Recorder.every(s.recordEvery()).of(variables.toArray(new String[0]));
        // Not fail-fast: a run that blows up still returns what it computed, with status FAILED.
        SolveOptions base = SolveOptions.defaults().withRecorder(recorder).withSeed(s.seed()).withFailFast(false);
        for (final Map.Entry<Double, List<String>> e : extra.entrySet()) {
            base = base.addRecorder(Recorder.every(e.getKey()).of(e.getValue().toArray(new String[0]))
                    .named(recordingName(e.getKey())));
        }
        final double rtol = s.rtol() != null ? s.rtol() : DEFAULT_RTOL;
        return info.adaptive()
                ? base.withTolerances(s.atol() != null ? Tolerances.of(rtol, s.atol()) : Tolerances.fromScales(rtol))
                : base.withStep(s.dt() != null ? s.dt() : DEFAULT_STEP);
    }

    /** Segments of about 1/100 of the run; for fixed-step solvers a whole number of steps. */
    private static double segmentLength(final Plan plan) {
        final double tEnd = plan.tEnd();
        if (plan.solver().info().adaptive()) {
            return tEnd / SEGMENTS;
        }
        final double steps = Math.max(1.0, Math.round(tEnd / SEGMENTS / plan.step()));
        return Math.min(tEnd, steps * plan.step());
    }

    private static long index(final String entry, final String digits, final String field) {
        if (digits.length() > 9) {
            throw new IllegalArgumentException(field + " " + entry.trim() + ": index " + digits + " is too large");
        }
        return Long.parseLong(digits);
    }

    /**
     * The members a model document's spike raster spans: the most members of any of its event kinds, 1 without
     * events.
     */
    private static int fileNeurons(final ModelFile file) {
        int n = 1;
        for (final EventDetector d : file.model().events()) {
            n = Math.max(n, d.size());
        }
        return n;
    }
}
