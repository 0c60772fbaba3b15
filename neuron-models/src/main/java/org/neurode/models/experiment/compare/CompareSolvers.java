package org.neurode.models.experiment.compare;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.neurode.core.OdeException;
import org.neurode.models.experiment.Checkpoints;
import org.neurode.models.experiment.Experiment;
import org.neurode.models.experiment.Progress;
import org.neurode.models.experiment.RunStatus;
import org.neurode.solvers.Solver;
import org.neurode.solvers.Solvers;
import org.neurode.solvers.Stiffness;
import org.neurode.solvers.compare.IvpProblem;
import org.neurode.solvers.compare.StandardProblems;
import org.neurode.solvers.compare.WorkPrecision;

/**
 * The work-precision comparison of solvers as an experiment: the harness is {@link WorkPrecision}; the experiment
 * is its settings (problems, problem files with their text, solvers, tolerances, step counts, repeats, evaluation
 * budget) and its result the runs as records. References are computed at tolerance {@value #REFERENCE_TOLERANCE}
 * where a problem gives none, and the time-series error is taken at {@value #DENSE_POINTS} points. Progress counts
 * runs (no metrics); there are no checkpoints and no stopping (a comparison is a sequence of short solves). The
 * wall times are not reproducible; everything else is.
 *
 * @since 0.2
 */
public final class CompareSolvers implements Experiment<CompareSolversSettings, CompareSolversResult> {

    /** The experiment. */
    public static final CompareSolvers INSTANCE = new CompareSolvers();
    /** Its kind. */
    public static final String KIND = "compare-solvers";
    /** Tolerance of the computed references. */
    public static final double REFERENCE_TOLERANCE = 1e-13;
    /** Points of the time-series error. */
    public static final int DENSE_POINTS = 100;
    /** Default explicit solvers; every registered adaptive stiff solver is added. */
    public static final List<String> DEFAULT_EXPLICIT = List.of("dormand-prince-54", "dormand-prince-853", "tsit5",
            "vern7", "vern9", "dop853");

    private CompareSolvers() {
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Class<CompareSolversSettings> settingsType() {
        return CompareSolversSettings.class;
    }

    /**
     * @return the command line's default comparison: the default reference problems and the neuron problems,
     *         {@link #defaultSolvers()}, rtol 1e-4, 1e-6, 1e-8, 1e-10, fixed-step counts 100, 1000, 10000,
     *         5 repeats, 2,000,000 evaluations per run
     */
    @Override
    public CompareSolversSettings defaults() {
        final List<String> problems = new ArrayList<>(StandardProblems.defaultNames());
        problems.addAll(NeuronProblems.names());
        return new CompareSolversSettings(problems, List.of(), defaultSolvers(), List.of(1e-4, 1e-6, 1e-8, 1e-10),
                List.of(100, 1000, 10000), 5, 2_000_000L);
    }

    /** @return the default solvers: {@link #DEFAULT_EXPLICIT} and every registered adaptive stiff solver */
    public static List<String> defaultSolvers() {
        final List<String> out = new ArrayList<>(DEFAULT_EXPLICIT);
        for (final Solver s : Solvers.all()) {
            if (s.info().adaptive() && s.info().stiffness() == Stiffness.STIFF) {
                out.add(s.name());
            }
        }
        return out;
    }

    /** @return every problem of the reference file and the neuron problems (the command line's {@code all}) */
    public static List<String> allProblems() {
        final List<String> out = new ArrayList<>(StandardProblems.names());
        out.addAll(NeuronProblems.names());
        return out;
    }

    /**
     * @param name a reference or neuron problem (case-insensitive)
     * @return the problem
     * @throws OdeException naming the known problems if there is none of that name
     */
    public static IvpProblem problem(final String name) {
        final IvpProblem neuron = NeuronProblems.get(name);
        return neuron != null ? neuron : StandardProblems.get(name);
    }

    @Override
    public void check(final CompareSolversSettings settings) {
        validate(settings);
    }

    /**
     * Checks the settings beyond their types.
     *
     * @param s settings
     * @throws IllegalArgumentException naming the first invalid field
     */
    public static void validate(final CompareSolversSettings s) {
        check(!s.problems().isEmpty() || !s.problemFiles().isEmpty(), "problems and problemFiles are both empty");
        check(!s.solvers().isEmpty(), "solvers is empty");
        check(s.repeats() >= 1, "repeats must be at least 1: " + s.repeats());
        check(s.maxEvaluations() >= 1, "maxEvaluations must be positive: " + s.maxEvaluations());
        for (final Double t : s.tolerances()) {
            check(t != null && t > 0 && t < 1, "tolerances: " + t + " is not a relative tolerance (above 0, below 1)");
        }
        for (final Integer n : s.fixedSteps()) {
            check(n != null && n >= 1, "fixedSteps must be positive numbers of steps: " + n);
        }
    }

    private static void check(final boolean valid, final String message) {
        if (!valid) {
            throw new IllegalArgumentException(message);
        }
    }

    /**
     * @param s settings
     * @return the problems: the named ones, then those of the files
     * @throws IllegalArgumentException naming the problem or file that cannot be had
     */
    public static List<IvpProblem> problems(final CompareSolversSettings s) {
        final List<IvpProblem> out = new ArrayList<>();
        for (final String n : s.problems()) {
            try {
                out.add(problem(n));
            } catch (OdeException e) {
                throw new IllegalArgumentException("problems: " + e.getMessage(), e);
            }
        }
        for (final ProblemFile f : s.problemFiles()) {
            try {
                out.add(f.problem(f.name()));
            } catch (OdeException e) {
                throw new IllegalArgumentException("problemFiles: " + e.getMessage(), e);
            }
        }
        return out;
    }

    /**
     * @param s settings
     * @return the registered solvers
     * @throws IllegalArgumentException naming an unknown solver
     */
    public static List<Solver> solvers(final CompareSolversSettings s) {
        final List<Solver> out = new ArrayList<>();
        for (final String n : s.solvers()) {
            try {
                out.add(Solvers.get(n));
            } catch (OdeException e) {
                throw new IllegalArgumentException("solvers: " + e.getMessage(), e);
            }
        }
        return out;
    }

    /**
     * @param s settings
     * @return the harness's settings
     */
    public static WorkPrecision.Settings harness(final CompareSolversSettings s) {
        return new WorkPrecision.Settings(s.tolerances(), s.repeats(), s.maxEvaluations(), REFERENCE_TOLERANCE,
                DENSE_POINTS, s.fixedSteps());
    }

    @Override
    public CompareSolversResult run(final CompareSolversSettings settings, final Progress progress,
                                    final Checkpoints checkpoints) {
        validate(settings);
        return run(settings, problems(settings), solvers(settings), new WorkPrecision.Listener() {
            @Override
            public void measured(final int done, final int total, final WorkPrecision.Run last) {
                progress.update(done, total, Map.of());
            }

            @Override
            public boolean stopRequested() {
                return progress.stopRequested();
            }
        });
    }

    /**
     * Runs the comparison on problems and solvers already resolved from the settings (by {@link #problems} and
     * {@link #solvers}; the command line resolves them first to name its options in errors).
     *
     * @param settings the settings
     * @param problems their problems
     * @param solvers  their solvers
     * @param listener receives every run as it is measured, and is asked after each whether to stop
     * @return the result ({@link RunStatus#INTERRUPTED} with the runs measured so far if the listener stopped it)
     */
    public CompareSolversResult run(final CompareSolversSettings settings, final List<IvpProblem> problems,
                                    final List<Solver> solvers, final WorkPrecision.Listener listener) {
        validate(settings);
        final WorkPrecision wp = new WorkPrecision(harness(settings));
        final List<WorkPrecision.Run> runs = wp.measure(problems, solvers, listener);
        final RunStatus status = runs.size() < wp.points(problems, solvers) ? RunStatus.INTERRUPTED
                : RunStatus.SUCCESS;
        final List<CompareSolversResult.Problem> info = new ArrayList<>();
        final Map<String, Map<String, Double>> slopes = new LinkedHashMap<>();
        for (final IvpProblem p : problems) {
            info.add(new CompareSolversResult.Problem(p.name(), p.title(), p.description(), p.problem().dimension(),
                    p.problem().t0(), p.problem().tEnd(), p.stiff(), p.atolFactor(), p.hasReference(),
                    p.hasReference() ? p.referenceSource() : "computed by a different method at 1e-13"));
            final Map<String, Double> perSolver = new LinkedHashMap<>();
            for (final Solver s : solvers) {
                perSolver.put(s.name(), finiteOrNull(WorkPrecision.proportionality(runs, p.name(), s.name())));
            }
            slopes.put(p.name(), perSolver);
        }
        final List<String> nonstiff = problems.stream().filter(p -> !p.stiff()).map(IvpProblem::name).toList();
        final Map<String, Double> pooled = new LinkedHashMap<>();
        for (final Solver s : solvers) {
            pooled.put(s.name(), finiteOrNull(WorkPrecision.pooledProportionality(runs, s.name(), nonstiff)));
        }
        final long failures = runs.stream().filter(r -> !r.succeeded()).count();
        return new CompareSolversResult(settings, status, List.copyOf(info),
                solvers.stream().map(Solver::name).toList(), List.copyOf(runs), failures, slopes, pooled);
    }

    private static Double finiteOrNull(final double v) {
        return Double.isFinite(v) ? v : null;
    }
}
