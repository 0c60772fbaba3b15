package org.neurode.examples.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.neurode.core.JacobianPattern;
import org.neurode.core.Model;
import org.neurode.core.SparseJacobianEquation;
import org.neurode.core.expr.ModelFile;
import org.neurode.models.HodgkinHuxley;
import org.neurode.models.Microcircuit;
import org.neurode.models.experiment.compare.NeuronProblems;
import org.neurode.solvers.linear.FiniteDifferences;

/**
 * {@code neurode bench jacobian}: the cost of a compiled model's Jacobian against one evaluation of its derivatives
 * and against grouped finite differences over the same pattern (what a stiff solver does without it), per model:
 * the 30-50-10 microcircuit of {@code compare-solvers --problems MICROCIRCUIT}, a diffusion chain of 10,000 scalar
 * states written as a model file, the CUBA network (4,000 neurons) and one Hodgkin-Huxley neuron. For each, in one
 * process: the first {@code jacobianValues} of a freshly built model (it includes the differentiation and the
 * compilation of the generated class), the third call, and, after a warm-up, the minimum and median per call of
 * rounds that interleave derivatives, the compiled Jacobian and the finite differences
 * ({@link FiniteDifferences#sparse}, one evaluation of the derivatives per column group), with their ratios to one
 * evaluation of the derivatives. The shared loop of the Jacobian's sums ({@code JacobianRuns}) is compiled by HotSpot
 * on the first large model, so the first calls of the models after it are faster than in a process of their own.
 */
public final class JacobianBench {

    /** Shortest timed batch of calls (s): shorter calls are repeated within one timed batch. */
    private static final double BATCH = 2e-3;

    private JacobianBench() {
    }

    /**
     * @param full          the benchmark's models (else tiny ones of the same kinds, for tests)
     * @param rounds        timed interleaved rounds per model
     * @param warmupSeconds least time of untimed interleaved rounds per model (at least 5 rounds)
     * @return the measurements, per model
     */
    public static Map<String, Object> run(final boolean full, final int rounds, final double warmupSeconds) {
        final Map<String, Supplier<Model>> models = new LinkedHashMap<>();
        if (full) {
            models.put("microcircuit-30-50-10", () -> NeuronProblems.get(NeuronProblems.MICROCIRCUIT).problem().model());
            models.put("chain-10000", () -> ModelFile.parse(diffusionChain(10_000), "chain.ode", "chain").model());
            models.put("cuba-4000", () -> Brian2Models.cuba(4000, 0.02, 1.0));
        } else {
            models.put("microcircuit-5-7-6-3", JacobianBench::smallMicrocircuit);
            models.put("chain-100", () -> ModelFile.parse(diffusionChain(100), "chain.ode", "chain").model());
            models.put("cuba-50", () -> Brian2Models.cuba(50, 0.1, 1.0));
        }
        models.put("hodgkin-huxley", () -> HodgkinHuxley.create(1, 10.0));
        final Map<String, Object> r = new LinkedHashMap<>();
        r.put("rounds", rounds);
        r.put("warmupSeconds", warmupSeconds);
        final List<Map<String, Object>> cases = new ArrayList<>();
        for (final Map.Entry<String, Supplier<Model>> e : models.entrySet()) {
            cases.add(measure(e.getKey(), e.getValue(), rounds, warmupSeconds));
        }
        r.put("models", cases);
        return r;
    }

    /**
     * Measures one model.
     *
     * @param name          its name in the results
     * @param build         builds it afresh (its Jacobian not yet generated)
     * @param rounds        timed interleaved rounds
     * @param warmupSeconds least time of untimed interleaved rounds (at least 5 rounds)
     * @return the measurements (times in microseconds per call)
     */
    public static Map<String, Object> measure(final String name, final Supplier<Model> build, final int rounds,
                                              final double warmupSeconds) {
        final long b0 = System.nanoTime();
        final Model model = build.get();
        final double buildSeconds = (System.nanoTime() - b0) * 1e-9;
        final SparseJacobianEquation eq = (SparseJacobianEquation) model.equation();
        final int n = eq.dimension();
        final double[] y = model.initialState().clone();
        final double t = 0.0;
        // the first call generates the Jacobian (the differentiation, the class, its compilation)
        long t0 = System.nanoTime();
        final JacobianPattern pattern = eq.jacobianPattern();
        final double[] values = new double[pattern.nonZeros()];
        eq.jacobianValues(t, y, values);
        final double first = (System.nanoTime() - t0) * 1e-9;
        t0 = System.nanoTime();
        eq.jacobianValues(t, y, values);
        final double second = (System.nanoTime() - t0) * 1e-9;
        t0 = System.nanoTime();
        eq.jacobianValues(t, y, values);
        final double third = (System.nanoTime() - t0) * 1e-9;

        final double[] dydt = new double[n];
        final double[] fy = new double[n];
        eq.derivatives(t, y, fy);
        final double[] tol = new double[n];
        Arrays.fill(tol, 1e-6);
        final FiniteDifferences fd = new FiniteDifferences(n, pattern, tol, tol);
        final double[] differenced = new double[pattern.nonZeros()];
        final Runnable[] tasks = {
            () -> eq.derivatives(t, y, dydt),
            () -> eq.jacobianValues(t, y, values),
            () -> fd.sparse(eq::derivatives, t, y, fy, differenced),
        };
        // calls per timed batch, from one call each
        final int[] inner = new int[tasks.length];
        for (int k = 0; k < tasks.length; k++) {
            final double once = time(tasks[k], 1);
            inner[k] = (int) Math.max(1, Math.min(1_000_000, BATCH / Math.max(once, 1e-9)));
        }
        final double[][] times = new double[tasks.length][rounds];
        final long warmEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
        for (int round = -5; round < rounds; round++) {
            if (round == -1 && System.nanoTime() < warmEnd) {
                round = -2;
            }
            for (int k = 0; k < tasks.length; k++) {
                final double per = time(tasks[k], inner[k]);
                if (round >= 0) {
                    times[k][round] = per;
                }
            }
        }
        final Map<String, Object> r = new LinkedHashMap<>();
        r.put("model", name);
        r.put("states", n);
        r.put("entries", pattern.nonZeros());
        r.put("columnGroups", fd.groups());
        r.put("buildSeconds", buildSeconds);
        r.put("jacobianFirstCallSeconds", first);
        r.put("jacobianSecondCallMicros", second * 1e6);
        r.put("jacobianThirdCallMicros", third * 1e6);
        final String[] names = {"derivatives", "jacobian", "finiteDifferences"};
        final double[] min = new double[tasks.length];
        for (int k = 0; k < tasks.length; k++) {
            Arrays.sort(times[k]);
            min[k] = times[k][0];
            r.put(names[k] + "Micros", min[k] * 1e6);
            r.put(names[k] + "MedianMicros", times[k][rounds / 2] * 1e6);
        }
        r.put("jacobianToDerivatives", min[1] / min[0]);
        r.put("jacobianThirdCallToDerivatives", third / min[0]);
        r.put("finiteDifferencesToDerivatives", min[2] / min[0]);
        r.put("finiteDifferencesToJacobian", min[2] / min[1]);
        return r;
    }

    /** @return seconds per call of {@code calls} calls of the task */
    private static double time(final Runnable task, final int calls) {
        final long t0 = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            task.run();
        }
        return (System.nanoTime() - t0) * 1e-9 / calls;
    }

    /**
     * A diffusion chain of n scalar states as model-file text: du_i/dt = D (u_(i-1) - 2 u_i + u_(i+1)), ends held
     * at 0 (the model of the compiler's tests; the language has no shift of a vector, so neighbours are coupled
     * through scalar states, one equation each).
     *
     * @param n states
     * @return the model file's text
     */
    public static String diffusionChain(final int n) {
        final StringBuilder sb = new StringBuilder("model chain\nparameter D = 0.5\n");
        for (int i = 0; i < n; i++) {
            sb.append("state u").append(i).append(" = ").append(Math.sin(0.01 * i)).append('\n');
        }
        for (int i = 0; i < n; i++) {
            sb.append("du").append(i).append("/dt = D * (").append(i == 0 ? "0" : "u" + (i - 1)).append(" - 2 * u")
              .append(i).append(" + ").append(i == n - 1 ? "0" : "u" + (i + 1)).append(")\n");
        }
        return sb.toString();
    }

    private static Model smallMicrocircuit() {
        final Microcircuit.Config small = new Microcircuit.Config(new int[] {5, 7, 6, 3}, 0.1, 1.0, 0.8, 1.0, 0.8,
                0.1, 1.0, 3.0, 3.0, 30.0, new double[] {0.001, 0.002, 0.003}, 0.004, 0.005, 0.006, 0.0,
                Microcircuit.NoiseConvention.WHITE, 0.1);
        return Microcircuit.build(small);
    }
}
