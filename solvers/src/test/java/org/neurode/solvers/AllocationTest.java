package org.neurode.solvers;

import static org.junit.jupiter.api.Assertions.assertTrue;


import org.junit.jupiter.api.Test;
import org.neurode.core.Detection;
import org.neurode.core.Model;
import org.neurode.core.Problem;
import org.neurode.core.expr.ModelBuilder;
import org.neurode.core.expr.Var;

/** The hot path allocates nothing: advancing a running simulation creates no garbage per step. */
class AllocationTest {


    private static Model network() {
        final ModelBuilder b = ModelBuilder.named("alloc");
        final Var x = b.input("x", 20, "1");
        final Var v = b.vector("v", 100, "mV");
        final Var w = b.matrix("W", 100, 20, "1");
        b.param("tau", 10.0);
        b.ode(v, "(W @ x - v) / tau");
        b.ode(w, "0.001 * outer(tanh(v), x) - W / 1000");
        b.threshold(v, 1.0, 0.0, 2.0, Detection.STEP_END);
        final double[] w0 = new double[2000];
        java.util.Arrays.fill(w0, 0.1);
        return b.initial(x, 1.0).initial(w, w0).build();
    }

    /**
     * Without events, so that fixed-step methods step in place; weights integrating a low-pass-filtered
     * outer product of soft-plus rates (the plasticity kernel with its integral, as in the microcircuit), and
     * fixed feedback weights as a parameter matrix.
     */
    private static Model plasticNetwork() {
        final ModelBuilder b = ModelBuilder.named("alloc-plastic");
        final Var x = b.input("x", 20, "1");
        final Var v = b.vector("v", 50, "1");          // dimensionless, as W @ x is (a unit would be checked)
        final Var w = b.matrix("W", 50, 20, "1");
        final Var d = b.matrix("D", 50, 20, "1");
        final double[] feedback = new double[50 * 50];
        java.util.Arrays.fill(feedback, 0.001);
        b.param("B", 50, 50, feedback);
        b.ode(v, "(W @ x + B @ tanh(v) - v) / 10");
        b.ode(d, "(0.001 * outer(softplus(v) - 0.5, x) - D) / 30");
        b.ode(w, "D");
        final double[] w0 = new double[1000];
        java.util.Arrays.fill(w0, 0.05);
        return b.initial(x, 1.0).initial(w, w0).build();
    }

    @Test
    void advancingAFixedStepSimulationAllocatesNothingPerStep() {
        for (final String name : new String[] {"exponential-euler", "euler-maruyama", "euler", "rk4",
            "exponential-euler@plastic", "euler-maruyama@plastic", "euler@plastic", "rk4@plastic"}) {
            // GIVEN a running simulation, warmed up so that the JIT has compiled the loop (with the SIMD kernels
            // under the test configuration: their vectors must not be allocated either)
            final boolean plastic = name.endsWith("@plastic");
            final Simulation sim = Solvers.get(name.replace("@plastic", "")).start(
                    Problem.of(plastic ? plasticNetwork() : network(), 1e6), SolveOptions.fixedStep(0.1));
            for (int k = 1; k <= 200; k++) {
                sim.advanceTo(10.0 * k);
            }
            // WHEN advancing 10,000 more steps in 100 segments (up to WINDOWS times, see steadyStateBytes)
            final long bytes = steadyStateBytes(sim, 200);
            // THEN at most a few bytes per step were allocated (spike log growth aside: amortised doubling);
            // one double[] of the state alone would be 8 * 2120 bytes per step = 170 MB in total
            assertTrue(bytes < 200_000, name + " allocated " + bytes + " bytes over 10,000 steps");
        }
    }

    @Test
    void advancingAnAdaptiveSimulationAllocatesNothingPerStep() {
        for (final String name : new String[] {"tsit5", "vern9", "dop853"}) {
            // GIVEN one of neurode's own adaptive methods on the network, with a largest step of 0.1 so that the
            // step count is known, warmed up
            final Simulation sim = Solvers.get(name).start(Problem.of(network(), 1e6),
                    SolveOptions.tolerances(1e-6, 1e-6).withMaxStep(0.1));
            for (int k = 1; k <= 200; k++) {
                sim.advanceTo(10.0 * k);
            }
            // WHEN advancing 1,000 time units (at least 10,000 steps) in 100 segments (up to WINDOWS times)
            final long bytes = steadyStateBytes(sim, 200);
            // THEN at most a few bytes per step were allocated (as above)
            assertTrue(bytes < 200_000, name + " allocated " + bytes + " bytes over 10,000 steps");
        }
    }

    /**
     * Windows of 100 segments measured at most; the first that allocates little ends the measurement. Many, because
     * in the shared test JVM a kernel recompiled by C2 can run in C1 for a few seconds while the compiler queue is
     * busy with other tests' generated classes (seen in a compilation log: 2.5 s); a quiet run ends at the first.
     */
    private static final int WINDOWS = 40;

    /** The quietest of up to {@link #WINDOWS} windows of 100 segments after {@code after} (AllocationWindows). */
    private static long steadyStateBytes(final Simulation sim, final int after) {
        return AllocationWindows.quietest(sim, after, WINDOWS, 200_000);
    }
}
