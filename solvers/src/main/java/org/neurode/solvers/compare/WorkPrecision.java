package org.neurode.solvers.compare;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.neurode.core.OdeException;
import org.neurode.core.Problem;
import org.neurode.core.Recorder;
import org.neurode.core.SolveStatistics;
import org.neurode.core.Status;
import org.neurode.core.Trajectory;
import org.neurode.solvers.Simulation;
import org.neurode.solvers.SolveOptions;
import org.neurode.solvers.Solver;
import org.neurode.solvers.Solvers;
import org.neurode.solvers.Stiffness;
import org.neurode.solvers.Tolerances;

/**
 * Work-precision measurements in the manner of DiffEqDevTools.jl and the Test Set for IVP Solvers: every
 * (problem, solver, tolerance) is solved once with dense recording, for the statistics and the errors,
 * and then timed (one warm-up, the minimum of {@code repeats} runs, one run only where a run takes more
 * than 2 s). Failures (exceptions, non-finite states, exhausted evaluation budgets) are kept as runs with
 * status {@code FAILED}, NaN errors and times and the work counters up to the failure, never dropped.
 *
 * <p>Errors: against the problem's reference end values, the maximum absolute and relative error and the
 * mixed significant correct digits \( \mathrm{mescd} = \min_i -\log_{10}(|y_i - r_i| / (a/r + |r_i|)) \)
 * (Test Set for IVP Solvers; a/r is the problem's absolute over relative tolerance); and the
 * time-series error: the maximum absolute difference on 100 equally spaced times (the solver's dense output
 * there) from a dense reference computed by a <em>different</em> method at tolerance 1e-13
 * (DiffEqDevTools' {@code L∞} dense error). Problems without reference values take the end of that dense
 * reference as theirs, labelled with its method.
 *
 * @since 0.1
 */
public final class WorkPrecision {

    /** A single run taking longer than this is timed once (seconds). */
    private static final double SINGLE_RUN_SECONDS = 2.0;

    /** Digits reported for an exact result. */
    private static final double MAX_DIGITS = 17.0;

    /**
     * How to measure.
     *
     * @param tolerances         relative tolerances; atol = rtol times the problem's factor
     * @param repeats            timed runs per point (after one warm-up); the minimum is reported
     * @param maxEvaluations     evaluation budget per run (runs beyond it fail and are counted)
     * @param referenceTolerance tolerance of the dense reference (1e-13)
     * @param densePoints        equally spaced times of the time-series error (100)
     * @param fixedStepCounts    for fixed-step solvers: the numbers of steps over the problem's span (the step
     *                           is the span divided by each)
     */
    public record Settings(List<Double> tolerances, int repeats, long maxEvaluations, double referenceTolerance,
                           int densePoints, List<Integer> fixedStepCounts) {

        /** Default step counts of fixed-step solvers. */
        public static final List<Integer> DEFAULT_FIXED_STEP_COUNTS = List.of(100, 1_000, 10_000);

        /**
         * Settings with the default step counts of fixed-step solvers.
         *
         * @param tolerances         relative tolerances
         * @param repeats            timed runs per point
         * @param maxEvaluations     evaluation budget per run
         * @param referenceTolerance tolerance of the dense reference
         * @param densePoints        points of the time-series error
         */
        public Settings(final List<Double> tolerances, final int repeats, final long maxEvaluations,
                        final double referenceTolerance, final int densePoints) {
            this(tolerances, repeats, maxEvaluations, referenceTolerance, densePoints, DEFAULT_FIXED_STEP_COUNTS);
        }

        /**
         * @param tolerances relative tolerances
         * @param repeats    timed runs per point
         * @return settings with a budget of 2 million evaluations, a 1e-13 reference and 100 dense points
         */
        public static Settings of(final List<Double> tolerances, final int repeats) {
            return new Settings(List.copyOf(tolerances), repeats, 2_000_000L, 1e-13, 100);
        }
    }

    /**
     * One measured point.
     *
     * @param problem             problem name
     * @param solver              solver name
     * @param rtol                relative tolerance
     * @param atol                absolute tolerance
     * @param status              SUCCESS or FAILED
     * @param message             failure message, or null
     * @param rhsEvaluations      right-hand-side evaluations (including finite-difference Jacobian columns)
     * @param jacobianEvaluations Jacobian evaluations
     * @param luFactorizations    LU factorizations
     * @param acceptedSteps       accepted steps
     * @param rejectedSteps       rejected steps
     * @param wallSeconds         minimum wall time of the timed runs (s), NaN if failed
     * @param maxAbsError         \( \max_i |y_i(T) - r_i| \)
     * @param maxRelError         \( \max_i |y_i(T) - r_i| / |r_i| \) over nonzero \( r_i \)
     * @param significantDigits   mixed significant correct digits (Test Set mescd)
     * @param timeSeriesError     max absolute error on the dense points against the dense reference
     * @param reference           where the end reference comes from
     * @param step                the step of a fixed-step solver (rtol and atol are then NaN), NaN for adaptive
     */
    public record Run(String problem, String solver, double rtol, double atol, String status, String message,
                      long rhsEvaluations, long jacobianEvaluations, long luFactorizations, long acceptedSteps,
                      long rejectedSteps, double wallSeconds, double maxAbsError, double maxRelError,
                      double significantDigits, double timeSeriesError, String reference, double step) {

        /**
         * A run of an adaptive solver (no fixed step).
         *
         * @param problem             problem name
         * @param solver              solver name
         * @param rtol                relative tolerance
         * @param atol                absolute tolerance
         * @param status              SUCCESS or FAILED
         * @param message             failure message, or null
         * @param rhsEvaluations      right-hand-side evaluations
         * @param jacobianEvaluations Jacobian evaluations
         * @param luFactorizations    LU factorizations
         * @param acceptedSteps       accepted steps
         * @param rejectedSteps       rejected steps
         * @param wallSeconds         minimum wall time (s)
         * @param maxAbsError         max absolute end error
         * @param maxRelError         max relative end error
         * @param significantDigits   mescd
         * @param timeSeriesError     time-series error
         * @param reference           reference label
         */
        public Run(final String problem, final String solver, final double rtol, final double atol,
                   final String status, final String message, final long rhsEvaluations,
                   final long jacobianEvaluations, final long luFactorizations, final long acceptedSteps,
                   final long rejectedSteps, final double wallSeconds, final double maxAbsError,
                   final double maxRelError, final double significantDigits, final double timeSeriesError,
                   final String reference) {
            this(problem, solver, rtol, atol, status, message, rhsEvaluations, jacobianEvaluations, luFactorizations,
                 acceptedSteps, rejectedSteps, wallSeconds, maxAbsError, maxRelError, significantDigits,
                 timeSeriesError, reference, Double.NaN);
        }

        /** @return true for a fixed-step run (its {@link #step()} is set, its tolerances are NaN) */
        public boolean fixedStep() {
            return Double.isFinite(step);
        }

        /** @return true if the solve finished */
        public boolean succeeded() {
            return "SUCCESS".equals(status);
        }
    }

    /** Receives progress; called from the measuring thread. */
    @FunctionalInterface
    public interface Listener {
        /**
         * @param done  points measured so far
         * @param total points in all
         * @param last  the point just measured
         */
        void measured(int done, int total, Run last);

        /**
         * Asked after every point: true ends the measurement there ({@link #measure} returns the points measured so
         * far).
         *
         * @return whether to stop; false unless overridden
         */
        default boolean stopRequested() {
            return false;
        }
    }

    /**
     * The dense reference of one problem.
     *
     * @param times      sample times
     * @param samples    recorded values, [time][column]
     * @param finalState full state at the end time
     * @param method     the method that computed it
     */
    private record DenseReference(double[] times, double[][] samples, double[] finalState, String method) {
    }

    private final Settings settings;
    private final Map<IvpProblem, DenseReference> references = new IdentityHashMap<>();

    /**
     * @param settings how to measure
     */
    public WorkPrecision(final Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        if (settings.repeats() < 1) {
            throw new IllegalArgumentException("repeats must be at least 1: " + settings.repeats());
        }
        for (final double tol : settings.tolerances()) {
            if (!(tol > 0) || tol >= 1) {
                throw new IllegalArgumentException("tolerance " + tol + " is not in (0, 1)");
            }
        }
        for (final int count : settings.fixedStepCounts()) {
            if (count < 1) {
                throw new IllegalArgumentException("fixed step count " + count + " is not positive");
            }
        }
    }

    /**
     * Measures every (problem, solver, tolerance), and for fixed-step solvers every (problem, solver, step
     * count).
     *
     * @param problems problems
     * @param solvers  solvers (adaptive ones sweep the tolerances, fixed-step ones the step counts)
     * @param listener progress (may be null); asked after every point whether to stop
     * @return one run per point, in problem, solver, tolerance (or step) order; fewer if the listener stopped it
     */
    public List<Run> measure(final List<IvpProblem> problems, final List<Solver> solvers, final Listener listener) {
        final int total = points(problems, solvers);
        final List<Run> runs = new ArrayList<>();
        for (final IvpProblem p : problems) {
            for (final Solver s : solvers) {
                if (s.info().adaptive()) {
                    for (final double tol : settings.tolerances()) {
                        if (measured(runs, measure(p, s, tol), total, listener)) {
                            return runs;
                        }
                    }
                } else {
                    for (final int count : settings.fixedStepCounts()) {
                        if (measured(runs, measureFixed(p, s, count), total, listener)) {
                            return runs;
                        }
                    }
                }
            }
        }
        return runs;
    }

    /** Adds a run, tells the listener; true if the listener asks to stop. */
    private static boolean measured(final List<Run> runs, final Run run, final int total, final Listener listener) {
        runs.add(run);
        if (listener == null) {
            return false;
        }
        listener.measured(runs.size(), total, run);
        return runs.size() < total && listener.stopRequested();
    }

    /**
     * @param problems problems
     * @param solvers  solvers
     * @return the number of runs {@link #measure(List, List, Listener)} makes
     */
    public int points(final List<IvpProblem> problems, final List<Solver> solvers) {
        int perProblem = 0;
        for (final Solver s : solvers) {
            perProblem += s.info().adaptive() ? settings.tolerances().size() : settings.fixedStepCounts().size();
        }
        return problems.size() * perProblem;
    }

    /**
     * Measures one point of a fixed-step solver.
     *
     * @param p      problem
     * @param solver a fixed-step solver
     * @param count  number of steps over the problem's span
     * @return the run (rtol and atol NaN, {@link Run#step()} set)
     */
    public Run measureFixed(final IvpProblem p, final Solver solver, final int count) {
        final Problem problem = p.problem();
        final double h = (problem.tEnd() - problem.t0()) / count;
        final SolveOptions base = SolveOptions.fixedStep(h).withMaxEvaluations(settings.maxEvaluations());
        return measureWith(p, solver, base, Double.NaN, Double.NaN, h);
    }

    /**
     * Measures one point.
     *
     * @param p      problem
     * @param solver solver
     * @param rtol   relative tolerance (atol = rtol times the problem's factor)
     * @return the run
     */
    public Run measure(final IvpProblem p, final Solver solver, final double rtol) {
        final double atol = rtol * p.atolFactor();
        final SolveOptions base = SolveOptions.defaults().withTolerances(Tolerances.of(rtol, atol))
                .withMaxEvaluations(settings.maxEvaluations());
        return measureWith(p, solver, base, rtol, atol, Double.NaN);
    }

    private Run measureWith(final IvpProblem p, final Solver solver, final SolveOptions base, final double rtol,
                            final double atol, final double step) {
        final DenseReference dense = reference(p, solver);
        final Problem problem = p.problem();
        // started and advanced here (not through solve) so that a run that throws still has its counters
        final Simulation simulation;
        try {
            simulation = solver.start(problem, base.withRecorder(dense == null ? Recorder.finalOnly()
                    : Recorder.at(dense.times())));
        } catch (OdeException | ArithmeticException e) {
            return failed(p, solver, rtol, atol, step, e.getMessage(), SolveStatistics.ZERO);    // nothing ran
        }
        final Trajectory recorded;
        try {
            simulation.advanceTo(problem.tEnd());
            recorded = simulation.finish();
        } catch (OdeException | ArithmeticException e) {
            return failed(p, solver, rtol, atol, step, e.getMessage(), simulation.statistics());
        }
        if (recorded.status() != Status.SUCCESS) {
            return failed(p, solver, rtol, atol, step, recorded.message(), recorded.statistics());
        }
        final double[] y = recorded.finalState();
        final double[] ref = p.hasReference() ? p.reference() : dense == null ? null : dense.finalState();
        final String refLabel = p.hasReference() ? "given: " + shorten(p.referenceSource())
                : dense == null ? "none" : "computed: " + dense.method() + " at " + settings.referenceTolerance();
        final double[] err = endErrors(y, ref, p.atolFactor());
        final double seriesError = dense == null ? Double.NaN : seriesError(recorded, dense);
        // counts and wall time from runs without recording: dense output for the 100 series points costs
        // methods with lazy interpolation stages extra evaluations that a plain solve does not make
        final Timing timing = time(solver, problem, base.withRecorder(Recorder.finalOnly()));
        final SolveStatistics st = timing.statistics();
        return new Run(p.name(), solver.name(), rtol, atol, "SUCCESS", null, st.rhsEvaluations(),
                st.jacobianEvaluations(), st.luFactorizations(), st.acceptedSteps(), st.rejectedSteps(),
                timing.seconds(),
                err[0], err[1], err[2], seriesError, refLabel, step);
    }

    private Run failed(final IvpProblem p, final Solver solver, final double rtol, final double atol,
                       final double step, final String message, final SolveStatistics st) {
        return new Run(p.name(), solver.name(), rtol, atol, "FAILED", message, st.rhsEvaluations(),
                st.jacobianEvaluations(), st.luFactorizations(), st.acceptedSteps(), st.rejectedSteps(), Double.NaN,
                Double.NaN, Double.NaN, Double.NaN, Double.NaN, p.hasReference() ? "given" : "none", step);
    }

    /** Wall time (minimum of the repeats after a warm-up) and the statistics of an unrecorded run. */
    private record Timing(double seconds, SolveStatistics statistics) {
    }

    private Timing time(final Solver solver, final Problem problem, final SolveOptions options) {
        long t0 = System.nanoTime();
        final Trajectory first = solver.solve(problem, options);     // warm-up
        double best = (System.nanoTime() - t0) * 1e-9;
        if (best > SINGLE_RUN_SECONDS) {
            return new Timing(best, first.statistics());
        }
        best = Double.POSITIVE_INFINITY;
        for (int k = 0; k < settings.repeats(); k++) {
            t0 = System.nanoTime();
            solver.solve(problem, options);
            best = Math.min(best, (System.nanoTime() - t0) * 1e-9);
        }
        return new Timing(best, first.statistics());
    }

    /**
     * @param y          computed end state
     * @param ref        reference end state, or null
     * @param atolFactor absolute over relative tolerance of the problem
     * @return {max abs error, max rel error, mixed significant correct digits}: the Test Set's mescd,
     *         \( \min_i -\log_{10}(|y_i - r_i| / (a/r + |r_i|)) \), which stays meaningful for components
     *         that end near zero
     */
    public static double[] endErrors(final double[] y, final double[] ref, final double atolFactor) {
        if (ref == null) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN};
        }
        double abs = 0.0;
        double rel = 0.0;
        double mixed = 0.0;
        for (int i = 0; i < ref.length; i++) {
            final double e = Math.abs(y[i] - ref[i]);
            abs = Math.max(abs, e);
            if (ref[i] != 0.0) {
                rel = Math.max(rel, e / Math.abs(ref[i]));
            }
            mixed = Math.max(mixed, e / (atolFactor + Math.abs(ref[i])));
        }
        final double digits = mixed == 0.0 ? MAX_DIGITS : Math.min(MAX_DIGITS, -Math.log10(mixed));
        return new double[] {abs, rel, digits};
    }

    private static double seriesError(final Trajectory tr, final DenseReference ref) {
        if (tr.size() != ref.times().length) {
            return Double.NaN;
        }
        final int columns = ref.samples()[0].length;
        double max = 0.0;
        for (int k = 0; k < tr.size(); k++) {
            for (int j = 0; j < columns; j++) {
                max = Math.max(max, Math.abs(tr.value(k, j) - ref.samples()[k][j]));
            }
        }
        return max;
    }

    // ------------------------------------------------------------------ dense references

    /**
     * The dense reference of a problem by a method other than {@code underTest}, cached per problem and
     * method. Null if no suitable method finished.
     */
    private DenseReference reference(final IvpProblem p, final Solver underTest) {
        final DenseReference cached = references.get(p);
        if (cached != null && !cached.method().equals(underTest.name())) {
            return cached;
        }
        for (final String name : referenceMethods(p)) {
            if (name.equals(underTest.name()) || !Solvers.names().contains(name)) {
                continue;
            }
            final DenseReference r = compute(p, Solvers.get(name));
            if (r != null) {
                if (cached == null) {
                    references.put(p, r);
                }
                return r;
            }
        }
        return null;
    }

    /** Candidates in order of preference: high order, and a stiff method first for stiff problems. */
    private static List<String> referenceMethods(final IvpProblem p) {
        final List<String> stiff = new ArrayList<>();
        for (final Solver s : Solvers.all()) {
            if (s.info().adaptive() && s.info().stiffness() == Stiffness.STIFF) {
                stiff.add(s.name());
            }
        }
        final List<String> out = new ArrayList<>();
        if (p.stiff()) {
            out.addAll(stiff);
        }
        out.add("dormand-prince-853");
        out.add("gragg-bulirsch-stoer");
        if (!p.stiff()) {
            out.addAll(stiff);
        }
        return out;
    }

    private DenseReference compute(final IvpProblem p, final Solver method) {
        final Problem problem = p.problem();
        final int m = settings.densePoints();
        final double[] times = new double[m];
        for (int k = 0; k < m; k++) {
            times[k] = problem.t0() + (problem.tEnd() - problem.t0()) * (k + 1) / m;
        }
        times[m - 1] = problem.tEnd();
        final double tol = settings.referenceTolerance();
        try {
            final Trajectory tr = method.solve(problem, SolveOptions.defaults()
                    .withTolerances(Tolerances.of(tol, tol * p.atolFactor()))
                    .withMaxEvaluations(Math.max(settings.maxEvaluations(), 20_000_000L))
                    .withRecorder(Recorder.at(times)));
            if (tr.status() != Status.SUCCESS || tr.size() != m) {
                return null;
            }
            final int columns = tr.columnNames().size();
            final double[][] samples = new double[m][columns];
            for (int k = 0; k < m; k++) {
                for (int j = 0; j < columns; j++) {
                    samples[k][j] = tr.value(k, j);
                }
            }
            return new DenseReference(times, samples, tr.finalState(), method.name());
        } catch (OdeException | ArithmeticException e) {
            return null;
        }
    }

    private static String shorten(final String source) {
        if (source == null) {
            return "";
        }
        final int cut = source.indexOf(';');
        final String s = cut > 0 ? source.substring(0, cut) : source;
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }

    // ------------------------------------------------------------------ summaries

    /**
     * Tolerance proportionality: the least-squares slope of log10(max absolute end error) against
     * log10(rtol) over the successful runs of one problem and solver (1 means the error follows the
     * tolerance). NaN with fewer than two usable points.
     *
     * @param runs    runs (any; filtered by problem and solver)
     * @param problem problem name
     * @param solver  solver name
     * @return the slope
     */
    public static double proportionality(final List<Run> runs, final String problem, final String solver) {
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        int n = 0;
        for (final Run r : runs) {
            if (r.problem().equals(problem) && r.solver().equals(solver) && r.succeeded() && r.maxAbsError() > 0
                && Double.isFinite(r.maxAbsError()) && !r.fixedStep()) {
                final double x = Math.log10(r.rtol());
                final double y = Math.log10(r.maxAbsError());
                sx += x;
                sy += y;
                sxx += x * x;
                sxy += x * y;
                n++;
            }
        }
        if (n < 2) {
            return Double.NaN;
        }
        final double den = n * sxx - sx * sx;
        return den == 0 ? Double.NaN : (n * sxy - sx * sy) / den;
    }

    /**
     * Tolerance proportionality over a problem set: the slope of log10(max absolute end error) against
     * log10(rtol) fitted to all problems at once with one intercept per problem (pooled within-problem least
     * squares), so that problems with few usable points weigh less. NaN if no problem has two usable points.
     *
     * @param runs   runs (any; filtered by solver, and by problem if {@code problems} is not null)
     * @param solver solver name
     * @param problems the problems to pool, or null for every problem in {@code runs}
     * @return the pooled slope
     */
    public static double pooledProportionality(final List<Run> runs, final String solver,
                                               final java.util.Collection<String> problems) {
        final java.util.Map<String, List<double[]>> byProblem = new java.util.LinkedHashMap<>();
        for (final Run r : runs) {
            if (r.solver().equals(solver) && (problems == null || problems.contains(r.problem())) && r.succeeded()
                && r.maxAbsError() > 0 && Double.isFinite(r.maxAbsError()) && !r.fixedStep()) {
                byProblem.computeIfAbsent(r.problem(), k -> new ArrayList<>())
                        .add(new double[] {Math.log10(r.rtol()), Math.log10(r.maxAbsError())});
            }
        }
        double sxy = 0.0;
        double sxx = 0.0;
        for (final List<double[]> points : byProblem.values()) {
            if (points.size() < 2) {
                continue;
            }
            double mx = 0.0;
            double my = 0.0;
            for (final double[] p : points) {
                mx += p[0];
                my += p[1];
            }
            mx /= points.size();
            my /= points.size();
            for (final double[] p : points) {
                sxy += (p[0] - mx) * (p[1] - my);
                sxx += (p[0] - mx) * (p[0] - mx);
            }
        }
        return sxx == 0.0 ? Double.NaN : sxy / sxx;
    }
}
