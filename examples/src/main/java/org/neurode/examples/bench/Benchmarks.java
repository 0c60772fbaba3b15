package org.neurode.examples.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.neurode.core.Equation;
import org.neurode.core.Model;
import org.neurode.core.Parameters;
import org.neurode.core.Problem;
import org.neurode.core.Recorder;
import org.neurode.core.StateLayout;
import org.neurode.core.Trajectory;
import org.neurode.models.LifPopulation;
import org.neurode.solvers.SolveOptions;
import org.neurode.solvers.Solver;
import org.neurode.solvers.Solvers;
import org.neurode.solvers.Tolerances;
import org.neurode.solvers.bench.HipparchusBaseline;
import org.neurode.solvers.bench.StandardEquations;

/**
 * The benchmarks behind {@code neurode bench}: each returns a JSON-ready map of measured numbers and
 * ratios against a baseline measured in the same process (or, for Brian2, against its published timing
 * on this machine class, docs/performance.md).
 */
public final class Benchmarks {

    /** Brian2 2.5.1 C++ standalone, simulation only, 1000 LIF neurons, 1 s at 0.1 ms (scripting.md). */
    public static final double BRIAN2_CPP_SECONDS = 0.021;
    /** Brian2 2.5.1 numpy target, same model (scripting.md: 0.77-1.03 s; the best figure). */
    public static final double BRIAN2_NUMPY_SECONDS = 0.77;

    private Benchmarks() {
    }

    /**
     * The Brian2 LIF benchmark: 1000 neurons from Brian2's initial values, 1 s of simulated time at
     * dt = 0.1 ms with exponential Euler (exact for this linear equation), step-end threshold as Brian2.
     *
     * @param repeats timed runs
     * @return measured numbers
     */
    public static Map<String, Object> lif(final int repeats) {
        final Model model = LifPopulation.brian2Benchmark(brian2InitialValues());
        final Solver solver = Solvers.get("exponential-euler");
        final long[] spikes = new long[1];
        final Timing timing = secondOfSpikes(model, solver, 5, repeats, spikes);
        final Map<String, Object> r = new LinkedHashMap<>();
        r.put("benchmark", "lif-brian2");
        r.put("neurons", model.layout().block("v").size());
        r.put("simulatedMs", 1000.0);
        r.put("dtMs", 0.1);
        r.put("solver", solver.name());
        r.put("spikes", spikes[0]);
        r.put("brian2Spikes", 30006);
        r.put("secondsMin", timing.min());
        r.put("secondsMedian", timing.median());
        r.put("secondsFirstRunWithCompilation", timing.first());
        r.put("nsPerNeuronStep", timing.min() / (1000.0 * 10_000) * 1e9);
        r.put("brian2CppSeconds", BRIAN2_CPP_SECONDS);
        r.put("brian2NumpySeconds", BRIAN2_NUMPY_SECONDS);
        r.put("ratioToBrian2Cpp", timing.min() / BRIAN2_CPP_SECONDS);
        r.put("speedupOverBrian2Numpy", BRIAN2_NUMPY_SECONDS / timing.min());
        return r;
    }

    /**
     * Brian2 2.5.1 C++ standalone, its CUBA example (4,000 neurons, p = 0.02) with forward Euler at dt 0.1 ms,
     * 1 s: the simulation time Brian2 reports in {@code last_run_info.txt}, 0.087-0.131 s over repeated runs on
     * the 2-core development machine, median 0.115 s (measured in the session that added projections).
     */
    public static final double BRIAN2_CUBA_CPP_SECONDS = 0.115;
    /** Brian2 2.5.1 numpy target, the same CUBA run (0.8-1.4 s; the best figure). */
    public static final double BRIAN2_CUBA_NUMPY_SECONDS = 0.8;

    /**
     * Brian2's CUBA network ({@link Brian2Models#cuba}), 1 s at dt 0.1 ms with forward Euler, against Brian2's
     * timings, and its cost as the network grows: ten times the neurons at the same in-degree and weights (p / 10:
     * the network keeps its statistics, about 5.5 Hz, and so has ten times the synapses too) and ten times the
     * synapses on the same neurons (p x 10, weights / 10 so that the mean input stays; the rate falls to about
     * 2 Hz with the smaller fluctuations). The time ratios say how the cost scales (the aim: at most 12x for
     * 10x); each case also reports its spikes and synaptic events (spikes times out-degree). Last, the base network
     * with gap junctions besides (a summed variable over 320,000 more synapses, p = 0.02, computed at every step):
     * the cost of a summed projection per step and per synapse.
     *
     * @param repeats timed runs of the base network (the larger ones run a third as often, at least 2)
     * @return the measurements
     */
    public static Map<String, Object> network(final int repeats) {
        final Map<String, Object> r = new LinkedHashMap<>();
        r.put("benchmark", "cuba-brian2");
        r.put("simulatedMs", 1000.0);
        r.put("dtMs", 0.1);
        r.put("solver", "euler");
        final Map<String, Object> base = cubaCase(4000, 0.02, 1.0, repeats);
        r.put("base", base);
        final double t = (Double) base.get("secondsMin");
        r.put("brian2CppSeconds", BRIAN2_CUBA_CPP_SECONDS);
        r.put("brian2NumpySeconds", BRIAN2_CUBA_NUMPY_SECONDS);
        r.put("ratioToBrian2Cpp", t / BRIAN2_CUBA_CPP_SECONDS);
        r.put("speedupOverBrian2Numpy", BRIAN2_CUBA_NUMPY_SECONDS / t);
        final int fewer = Math.max(2, repeats / 3);
        final Map<String, Object> neurons = cubaCase(40_000, 0.002, 1.0, fewer);
        final Map<String, Object> synapses = cubaCase(4000, 0.2, 0.1, fewer);
        r.put("tenTimesNeurons", neurons);
        r.put("tenTimesSynapses", synapses);
        r.put("timeRatioTenTimesNeurons", (Double) neurons.get("secondsMin") / t);
        r.put("timeRatioTenTimesSynapses", (Double) synapses.get("secondsMin") / t);
        final Map<String, Object> summed = cubaCase(4000, 0.02, 1.0, 0.02, fewer);
        r.put("withSummedGapJunctions", summed);
        final double extra = (Double) summed.get("secondsMin") - t;
        r.put("summedSecondsPerStep", extra / 10_000);
        r.put("summedNanosecondsPerSynapseAndStep", extra / 10_000 / (Long) summed.get("gapSynapses") * 1e9);
        return r;
    }

    /**
     * Times runs of 1 s at dt 0.1 ms of a spiking model, recording the final state only.
     *
     * @param spikes receives the spike count of the last run
     */
    private static Timing secondOfSpikes(final Model model, final Solver solver, final int warmup, final int repeats,
                                         final long[] spikes) {
        final Problem problem = Problem.of(model, 1000.0);
        final SolveOptions options = SolveOptions.fixedStep(0.1);
        return Timing.of(() -> {
            final Trajectory tr = solver.solve(problem, options);
            spikes[0] = tr.eventCount();
            return tr;
        }, warmup, repeats);
    }

    private static Map<String, Object> cubaCase(final int n, final double p, final double weightScale,
                                                final int repeats) {
        return cubaCase(n, p, weightScale, 0.0, repeats);
    }

    private static Map<String, Object> cubaCase(final int n, final double p, final double weightScale,
                                                final double gapP, final int repeats) {
        final Model model = Brian2Models.cuba(n, p, weightScale, gapP);
        final long[] spikes = new long[1];
        final Timing timing = secondOfSpikes(model, Solvers.get("euler"), 2, repeats, spikes);
        final Map<String, Object> c = new LinkedHashMap<>();
        c.put("neurons", n);
        c.put("connectionProbability", p);
        c.put("expectedSynapses", Math.round((double) n * n * p));
        c.put("weightScale", weightScale);
        if (gapP > 0) {
            c.put("gapJunctionProbability", gapP);
            c.put("gapSynapses", (long) model.projections().get(2).synapses());
        }
        c.put("spikes", spikes[0]);
        c.put("meanRateHz", spikes[0] / (double) n);
        c.put("synapticEvents", Math.round(spikes[0] * n * p));
        c.put("secondsMin", timing.min());
        c.put("secondsMedian", timing.median());
        c.put("secondsFirstRunWithCompilation", timing.first());
        return c;
    }

    /** Brian2 2.5.1 C++ standalone, simulation only, its rate model with RK4 (0.088-0.090 s; docs/performance.md). */
    public static final double BRIAN2_RATE_CPP_SECONDS = 0.089;
    /** Brian2 2.5.1 numpy target, the same rate model. */
    public static final double BRIAN2_RATE_NUMPY_SECONDS = 0.88;
    /** Brian2 2.5.1 C++ standalone, simulation only, its dend model with forward Euler (1.14-1.15 s). */
    public static final double BRIAN2_DEND_CPP_SECONDS = 1.14;
    /** Brian2 2.5.1 numpy target, the same dend model (1.90-2.15 s; the best figure). */
    public static final double BRIAN2_DEND_NUMPY_SECONDS = 1.90;

    /**
     * Brian2's rate benchmark ({@link Brian2Models#rate}: 100 neurons, all-to-all weights), 1 s at dt = 0.1 ms
     * with neurode's {@code rk4}, every step of all 100 rates recorded (as Brian2's StateMonitor), timed
     * alternately with {@code hipparchus-rk4} (the same method through Hipparchus, which {@code rk4} was
     * before) on the same problem. Each Hipparchus run takes seconds, so at most 10 timed runs of each.
     *
     * @param repeats timed runs of each (at most 10)
     * @return measured numbers
     */
    public static Map<String, Object> rate(final int repeats) {
        final Model model = Brian2Models.rate(100, 42);
        final SolveOptions options = SolveOptions.fixedStep(0.1).withRecorder(Recorder.every(0.1).of("r"));
        final Map<String, Object> r = new LinkedHashMap<>();
        final double[] end = againstHipparchus("rate-brian2", Problem.of(model, 1000.0), options, "rk4",
                "hipparchus-rk4", BRIAN2_RATE_CPP_SECONDS, BRIAN2_RATE_NUMPY_SECONDS, Math.min(repeats, 10), r);
        final int r0 = model.layout().index("r[0]");
        r.put("neurons", 100);
        r.put("stateVariables", 100);
        r.put("recorded", "r (all 100) every 0.1 ms");
        r.put("meanRFinal", java.util.Arrays.stream(end, r0, r0 + 100).average().orElseThrow());
        return r;
    }

    /**
     * Brian2's dend benchmark ({@link Brian2Models#dend}: 100 sinusoidal inputs onto 100 three-compartment
     * neurons through 10,000 plastic synapses), 1 s at dt = 0.1 ms with neurode's {@code euler} (the fused
     * step of the compiled model), u and vb of 10 neurons and 10 weights recorded every step, timed
     * alternately with {@code hipparchus-euler} (forward Euler through Hipparchus, which {@code euler} was
     * before). Each Hipparchus run takes seconds, so at most 5 timed runs of each.
     *
     * @param repeats timed runs of each (at most 5)
     * @return measured numbers
     */
    public static Map<String, Object> dend(final int repeats) {
        final Model model = Brian2Models.dend(100, 100, 42);
        final List<String> recorded = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            recorded.add("u[" + i + "]");
            recorded.add("vb[" + i + "]");
            recorded.add("W[0, " + i + "]");
        }
        final SolveOptions options = SolveOptions.fixedStep(0.1)
                .withRecorder(Recorder.every(0.1).of(recorded.toArray(new String[0])));
        final Map<String, Object> r = new LinkedHashMap<>();
        final double[] end = againstHipparchus("dend-brian2", Problem.of(model, 1000.0), options, "euler",
                "hipparchus-euler", BRIAN2_DEND_CPP_SECONDS, BRIAN2_DEND_NUMPY_SECONDS, Math.min(repeats, 5), r);
        r.put("inputs", 100);
        r.put("neurons", 100);
        r.put("plasticSynapses", 100 * 100);
        r.put("stateVariables", 100 + 100 + 100 + 100 * 100);
        r.put("recorded", "u and vb of neurons 0-9 and W[0, 0..9] every 0.1 ms");
        r.put("u0Final", end[model.layout().index("u[0]")]);
        r.put("w0Final", end[model.layout().index("W[0, 0]")]);
        return r;
    }

    /**
     * Times a neurode fixed-step solver and Hipparchus' version of the same method alternately on one problem,
     * 1 s of simulated time at 0.1 ms, against Brian2's timings of the same model; puts the numbers into
     * {@code r} and returns the final state of neurode's last run.
     */
    private static double[] againstHipparchus(final String name, final Problem problem, final SolveOptions options,
                                              final String own, final String hipparchus, final double brian2Cpp,
                                              final double brian2Numpy, final int repeats,
                                              final Map<String, Object> r) {
        final Solver mine = Solvers.get(own);
        final Solver base = Solvers.get(hipparchus);
        final Trajectory[] last = new Trajectory[2];
        final Timing[] both = Timing.compare(() -> last[0] = base.solve(problem, options),
                () -> last[1] = mine.solve(problem, options), 1, 2, repeats);
        double diff = 0;
        for (int i = 0; i < problem.model().dimension(); i++) {
            diff = Math.max(diff, Math.abs(last[0].finalState()[i] - last[1].finalState()[i]));
        }
        r.put("benchmark", name);
        r.put("simulatedMs", 1000.0);
        r.put("dtMs", 0.1);
        r.put("solver", own);
        r.put("evaluations", last[1].statistics().rhsEvaluations());
        r.put("timedRuns", repeats);
        r.put("secondsMin", both[1].min());
        r.put("secondsMedian", both[1].median());
        r.put("secondsFirstRunWithCompilation", both[1].first());
        r.put("baselineSolver", hipparchus);
        r.put("baselineEvaluations", last[0].statistics().rhsEvaluations());
        r.put("baselineSecondsMin", both[0].min());
        r.put("baselineSecondsMedian", both[0].median());
        r.put("speedupOverBaseline", both[0].median() / both[1].median());
        r.put("maxDifferenceOfFinalStates", diff);
        r.put("brian2CppSeconds", brian2Cpp);
        r.put("brian2NumpySeconds", brian2Numpy);
        r.put("ratioToBrian2Cpp", both[1].min() / brian2Cpp);
        r.put("speedupOverBrian2Numpy", brian2Numpy / both[1].min());
        return last[1].finalState();
    }

    /**
     * Overhead of neurode's solver layer against Hipparchus called directly on the same equation, with
     * the same method and tolerances.
     *
     * @param repeats timed runs per case
     * @return one entry per case
     */
    public static List<Map<String, Object>> overhead(final int repeats) {
        final List<Map<String, Object>> out = new ArrayList<>();
        final double period = StandardEquations.ARENSTORF_PERIOD;
        out.add(overheadCase("arenstorf (4 variables, one period)", StandardEquations.arenstorf(),
                StandardEquations.arenstorfInitialState(), period, 1e-10, 1e-10,
                HipparchusBaseline.Method.DORMAND_PRINCE_853, "dormand-prince-853", repeats));
        out.add(overheadCase("arenstorf (4 variables, one period)", StandardEquations.arenstorf(),
                StandardEquations.arenstorfInitialState(), period, 1e-10, 1e-10,
                HipparchusBaseline.Method.DORMAND_PRINCE_54, "dormand-prince-54", repeats));
        final int n = 500;
        final double[] y0 = new double[n];
        y0[0] = 1.0;
        out.add(overheadCase("diffusion chain (500 variables, t = 20)", StandardEquations.diffusionChain(n), y0, 20.0, 1e-8, 1e-10,
                HipparchusBaseline.Method.DORMAND_PRINCE_54, "dormand-prince-54", repeats));
        out.add(overheadCase("diffusion chain (500 variables, t = 20)", StandardEquations.diffusionChain(n), y0, 20.0, 1e-8, 1e-10,
                HipparchusBaseline.Method.DORMAND_PRINCE_853, "dormand-prince-853", repeats));
        // neurode's own DOP853 (12 evaluations per step, lazy dense stages) against Hipparchus' DP853 (15 per
        // attempt): the same method, so the ratio is the gain of the own engine
        out.add(overheadCase("arenstorf (4 variables, one period)", StandardEquations.arenstorf(),
                StandardEquations.arenstorfInitialState(), period, 1e-10, 1e-10,
                HipparchusBaseline.Method.DORMAND_PRINCE_853, "dop853", repeats));
        out.add(overheadCase("diffusion chain (500 variables, t = 20)", StandardEquations.diffusionChain(n), y0, 20.0, 1e-8, 1e-10,
                HipparchusBaseline.Method.DORMAND_PRINCE_853, "dop853", repeats));
        return out;
    }

    private static Map<String, Object> overheadCase(final String name, final Equation eq, final double[] y0,
                                                    final double tEnd, final double rtol, final double atol,
                                                    final HipparchusBaseline.Method method, final String solverName,
                                                    final int repeats) {
        final int dim = eq.dimension();
        final StateLayout layout = StateLayout.builder().vector("y", dim, "1", 1.0).build();
        final Model model = Model.of(name, layout, Parameters.empty(), p -> eq, y0);
        final Problem problem = Problem.of(model, tEnd);
        final Solver solver = Solvers.get(solverName);
        final SolveOptions options = SolveOptions.defaults().withTolerances(Tolerances.of(rtol, atol));
        final double[] atols = new double[dim];
        java.util.Arrays.fill(atols, atol);
        // one checked run of each: same work, same answer
        final Trajectory check = solver.solve(problem, options);
        final double[] ref = HipparchusBaseline.integrate(method, eq, y0, 0, tEnd, rtol, atols);
        double diff = 0;
        for (int i = 0; i < dim; i++) {
            diff = Math.max(diff, Math.abs(ref[i] - check.finalState()[i]));
        }
        // each timed run lasts about 50 ms; the two are timed alternately
        final long t0 = System.nanoTime();
        HipparchusBaseline.integrate(method, eq, y0, 0, tEnd, rtol, atols);
        final int inner = (int) Math.max(1, Math.min(1000, 0.05 / ((System.nanoTime() - t0) * 1e-9)));
        final Timing[] both = Timing.compare(() -> HipparchusBaseline.integrate(method, eq, y0, 0, tEnd, rtol, atols),
                () -> solver.solve(problem, options), inner, 5, repeats);
        final Timing base = both[0];
        final Timing mine = both[1];
        final Map<String, Object> r = new LinkedHashMap<>();
        r.put("case", name);
        r.put("method", solverName);
        r.put("rtol", rtol);
        r.put("atol", atol);
        r.put("neurodeEvaluations", check.statistics().rhsEvaluations());
        r.put("hipparchusEvaluations", (long) ref[dim]);
        r.put("maxDifferenceOfFinalStates", diff);
        r.put("neurodeSecondsMin", mine.min());
        r.put("hipparchusSecondsMin", base.min());
        r.put("neurodeSecondsMedian", mine.median());
        r.put("hipparchusSecondsMedian", base.median());
        r.put("overheadRatio", mine.min() / base.min());
        r.put("overheadRatioMedian", mine.median() / base.median());
        return r;
    }

    /**
     * The dendritic microcircuit of the regression experiment (30-50-10, paper parameters, noise and
     * plasticity on, teaching on): 100-ms patterns per second on one thread, for the papers' forward
     * Euler at dt = 0.1 ms (with the scalar kernels as the baseline, and with the SIMD kernels where
     * available), exponential Euler and the exponential trapezoid at several steps. After a warm-up of each, the configurations take
     * turns for five rounds, so that drifts of the machine's speed (tens of per cent over seconds on this
     * VM) hit all of them alike; each is reported by the median of its rounds, with the best and worst.
     *
     * @param seconds measuring time per configuration (after an equally long warm-up)
     * @return one entry per configuration
     */
    public static List<Map<String, Object>> microcircuit(final double seconds) {
        final org.neurode.models.Microcircuit.Config config = org.neurode.models.Microcircuit.Config.paperRegression();
        final Model built = org.neurode.models.Microcircuit.build(config);
        final double[] y0 = built.initialState();
        final java.util.SplittableRandom random = new java.util.SplittableRandom(1);
        final Model model = org.neurode.models.Microcircuit.randomWeights(built, y0, 1.0, random)
                .withInput("plastic", 1.0).withInput("nudge", 1.0);
        final boolean simd = org.neurode.core.expr.ArrayKernels.simdAvailable();
        final List<MicrocircuitCase> cases = new ArrayList<>();
        // the first case is the baseline of the second: the papers' Euler with the scalar kernels
        cases.add(new MicrocircuitCase("euler-maruyama", 0.1, false));
        if (simd) {
            cases.add(new MicrocircuitCase("euler-maruyama", 0.1, true));
        }
        for (final double dt : new double[] {0.1, 0.5, 1.0, 2.0}) {
            cases.add(new MicrocircuitCase("exponential-euler", dt, simd));
        }
        // the second-order exponential trapezoid (three evaluations per step) at the steps where it is as accurate
        // as exponential Euler at 0.5 and 2 ms and beyond (docs/microcircuit.md)
        for (final double dt : new double[] {2.0, 5.0, 10.0}) {
            cases.add(new MicrocircuitCase("exponential-trapezoid", dt, simd));
        }
        final double[] x = new double[config.sizes()[0]];
        final double[] target = new double[config.sizes()[config.layers()]];
        final org.neurode.solvers.Simulation[] sims = new org.neurode.solvers.Simulation[cases.size()];
        for (int k = 0; k < sims.length; k++) {
            sims[k] = Solvers.get(cases.get(k).solver()).start(Problem.of(model, y0, 1e15),
                    SolveOptions.fixedStep(cases.get(k).dt()));
        }
        final int rounds = 5;
        final double[][] rates = new double[sims.length][rounds];
        final long[] total = new long[sims.length];
        try {
            for (int round = -1; round < rounds; round++) {
                for (int k = 0; k < sims.length; k++) {
                    org.neurode.core.expr.ArrayKernels.useSimd(cases.get(k).simd());
                    // round -1 is the warm-up, as long as all measured rounds together
                    final double budget = round < 0 ? seconds : seconds / rounds;
                    long patterns = 0;
                    final long t0 = System.nanoTime();
                    while (System.nanoTime() - t0 < budget * 1e9) {
                        for (int i = 0; i < x.length; i++) {
                            x[i] = random.nextDouble(-1, 1);
                        }
                        for (int i = 0; i < target.length; i++) {
                            target[i] = random.nextDouble(-1, 1);
                        }
                        sims[k].setBlock("x", x);
                        sims[k].setBlock("uTarget", target);
                        sims[k].advance(100.0);
                        patterns++;
                    }
                    if (round >= 0) {
                        rates[k][round] = patterns / ((System.nanoTime() - t0) * 1e-9);
                        total[k] += patterns;
                    }
                }
            }
        } finally {
            org.neurode.core.expr.ArrayKernels.useSimd(simd);
        }
        final List<Map<String, Object>> out = new ArrayList<>();
        double scalarEuler = Double.NaN;
        for (int k = 0; k < sims.length; k++) {
            final MicrocircuitCase c = cases.get(k);
            final double[] r = rates[k].clone();
            java.util.Arrays.sort(r);
            final double median = r[rounds / 2];
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("solver", c.solver());
            m.put("dtMs", c.dt());
            m.put("kernels", c.simd() ? "simd" : "scalar");
            m.put("stateVariables", model.dimension());
            m.put("patterns", total[k]);
            m.put("patternsPerSecond", median);
            m.put("patternsPerSecondBest", r[rounds - 1]);
            m.put("patternsPerSecondWorst", r[0]);
            m.put("microsecondsPerStep", 1e6 / (median * (100.0 / c.dt())));
            m.put("speedupOverNumpy", median / NUMPY_PATTERNS_PER_SECOND);
            if (k == 0) {
                scalarEuler = median;
            } else if ("euler-maruyama".equals(c.solver())) {
                // ratio of medians of interleaved rounds in this process
                m.put("speedupOverScalarKernels", median / scalarEuler);
            }
            out.add(m);
        }
        return out;
    }

    /** One configuration of {@link #microcircuit}. */
    private record MicrocircuitCase(String solver, double dt, boolean simd) {
    }

    /** NumPy reference speed of the same experiment: about 0.1 s per pattern (an independent NumPy
     * implementation of the same equations, measured on this machine class; docs/performance.md). */
    public static final double NUMPY_PATTERNS_PER_SECOND = 10.0;

    /** @return Brian2's 1000 initial values of v (shipped as a resource) */
    public static double[] brian2InitialValues() {
        final List<Double> v = new ArrayList<>();
        try (InputStream in = Benchmarks.class.getResourceAsStream("lif_init_v.csv");
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isBlank()) {
                    v.add(Double.parseDouble(line.trim()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return v.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /**
     * Training speed on the ncps sine task ({@code ltc-sine}): one training step is a forward pass over the
     * 48 points (6 fused unfolds each), the MSE loss, the backward pass, gradient clipping and Adam. Forward
     * alone and forward + backward are timed alternately (same process, same cell), so the backward cost is
     * their difference and its ratio to the forward pass is measured, not assumed.
     *
     * @param repeats timed runs per case (each of 50 passes)
     * @return one entry per network size
     */
    public static List<Map<String, Object>> ltc(final int repeats) {
        final List<Map<String, Object>> out = new ArrayList<>();
        final int points = org.neurode.examples.ctnn.LtcSineCommand.POINTS;
        final double[][] inputs = new double[points][2];
        final double[][] targets = new double[points][1];
        org.neurode.examples.ctnn.LtcSineCommand.data(inputs, targets);
        for (final int units : new int[] {8, 16, 32}) {
            final org.neurode.models.ltc.LtcCell cell = org.neurode.models.ltc.LtcCell.of(
                    org.neurode.models.ltc.AutoNcp.of(units, 1, 2), 1L);
            final double[][] outputs = new double[points][1];
            final double[][] gradient = new double[points][1];
            final org.neurode.models.learn.Optimizer adam = org.neurode.models.learn.Optimizer.adam(0.01);
            final java.util.function.Supplier<Object> forward = () -> {
                cell.forward(inputs, null, outputs);
                return outputs;
            };
            final java.util.function.Supplier<Object> forwardBackward = () -> {
                cell.forward(inputs, null, outputs);
                org.neurode.models.learn.Losses.meanSquaredError(outputs, targets, gradient);
                cell.parameters().zeroGradient();
                cell.backward(gradient);
                return gradient;
            };
            final java.util.function.Supplier<Object> trainingStep = () -> {
                forwardBackward.get();
                org.neurode.models.learn.Optimizer.clipGradientNorm(cell.parameters(), 1.0);
                adam.step(cell.parameters());
                return outputs;
            };
            // warm-up of all three (JIT), then forward and forward + backward alternately
            for (int k = 0; k < 300; k++) {
                trainingStep.get();
            }
            final Timing[] fb = Timing.compare(forward, forwardBackward, 50, 5, repeats);
            final Timing train = Timing.of(() -> {
                for (int k = 0; k < 50; k++) {
                    trainingStep.get();
                }
                return outputs;
            }, 3, repeats);
            final double f = fb[0].min();
            final double both = fb[1].min();
            final Map<String, Object> r = new LinkedHashMap<>();
            r.put("case", "ltc-sine AutoNCP(" + units + ",1), 2 inputs, 48 points, 6 unfolds");
            r.put("parameters", cell.parameters().size());
            r.put("forwardMicros", f * 1e6);
            r.put("backwardMicros", (both - f) * 1e6);
            r.put("backwardToForwardRatio", (both - f) / f);
            r.put("trainingStepMicros", train.min() / 50 * 1e6);
            r.put("trainingStepsPerSecond", 50 / train.min());
            out.add(r);
        }
        return out;
    }
}
