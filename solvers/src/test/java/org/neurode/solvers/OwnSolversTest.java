package org.neurode.solvers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.neurode.core.Detection;
import org.neurode.core.EventLog;
import org.neurode.core.InputSchedule;
import org.neurode.core.Model;
import org.neurode.core.OdeException;
import org.neurode.core.Problem;
import org.neurode.core.Recorder;
import org.neurode.core.Trajectory;
import org.neurode.core.expr.ModelBuilder;
import org.neurode.core.expr.Var;

/** neurode's own fixed-step methods: exponential Euler and Euler-Maruyama, with events and inputs. */
class OwnSolversTest {

    private static Model ou(final int n, final double sigma) {
        final ModelBuilder b = ModelBuilder.named("ou");
        final Var x = b.vector("x", n, "mV");
        b.param("tau", 10.0);
        b.ode(x, "-x / tau");
        b.noise(x, sigma);
        return b.initial(x, 1.0).build();
    }

    @Test
    void exponentialEulerIsExactForAConductanceBasedMembraneAtAnyStep() {
        // GIVEN dv/dt = g (E - v) with g = 100/ms (tau 0.01 ms) and steps 50x larger than tau
        final ModelBuilder b = ModelBuilder.named("conductance");
        final Var v = b.scalar("v", "mV");
        b.param("g", 100.0);
        b.param("E", -70.0);
        b.ode(v, "g * (E - v)");
        final Model m = b.initial(v, 0.0).build();
        // WHEN integrating 1 ms with h = 0.5 ms
        final Trajectory tr = Solvers.get("exponential-euler").solve(Problem.of(m, 1.0), SolveOptions.fixedStep(0.5));
        // THEN the result is the closed form E + (v0 - E) exp(-g t) to round-off (1e-12 mV)
        assertEquals(-70.0 + 70.0 * Math.exp(-100.0), tr.finalValue("v"), 1e-12);
        // and explicit Euler with the same step blows up with an error naming v and the time
        final OdeException e = assertThrows(OdeException.class, () -> Solvers.get("euler-maruyama")
                .solve(Problem.of(m, 1000.0), SolveOptions.fixedStep(0.5)));
        assertTrue(e.getMessage().contains("v became") && e.getMessage().contains("at t = "), e.getMessage());
    }

    /**
     * A conductance-based population (dv/dt depends on the state g), a plastic matrix driven by an outer
     * product and an input; g starts at {@code g0}.
     */
    static Model conductanceModel(final double g0) {
        final ModelBuilder b = ModelBuilder.named("cond");
        final Var x = b.input("x", 3, "1");
        final Var g = b.vector("g", 4, "mS");
        final Var v = b.vector("v", 4, "mV");
        final Var w = b.matrix("W", 4, 3, "1");
        b.param("tau", 10.0);
        b.ode(g, "(W @ x - g) / 5");
        b.ode(v, "g * (0 - v) + (-70 - v) / tau");
        b.ode(w, "0.01 * outer(v / 70 + 1, x) - W / 100");
        return b.initial(x, new double[] {0.5, 1.0, 0.2}).initial(v, -70.0).initial(g, g0)
                .initial(w, new double[] {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2}).build();
    }

    @Test
    void fusedExponentialEulerKernelAgreesWithTheGenericSplitPath() {
        // GIVEN a conductance-based population (a depends on the state), a plastic matrix and an input
        final Model m = conductanceModel(0.0);
        final Model hidden = FusedStepRulesTest.generic(m);
        // WHEN integrating both ways
        final SolveOptions opt = SolveOptions.fixedStep(0.05);
        final double[] fused = Solvers.get("exponential-euler").solve(Problem.of(m, 20.0), opt).finalState();
        final double[] split = Solvers.get("exponential-euler").solve(Problem.of(hidden, 20.0), opt).finalState();
        // THEN they agree to round-off (the two paths order a few operations differently)
        assertArrayEquals(split, fused, 1e-12);
        assertTrue(Math.abs(fused[m.layout().index("v[0]")] + 70.0) > 1.0, "the conductance moved v");
        // AND the fused forward Euler step ((1 + h a) y + h b for the leaky blocks, the scalar factors of the
        // plasticity rule folded into its row operand) agrees with y + h f from the derivatives
        final double[] fusedEuler = Solvers.get("euler-maruyama").solve(Problem.of(m, 20.0), opt).finalState();
        final double[] genericEuler = Solvers.get("euler-maruyama").solve(Problem.of(hidden, 20.0), opt).finalState();
        assertArrayEquals(genericEuler, fusedEuler, 1e-12);
        // the two methods differ by O(h) on this run: the comparison above is not vacuous
        assertTrue(Math.abs(fusedEuler[m.layout().index("W[1, 2]")] - fused[m.layout().index("W[1, 2]")]) > 1e-6);
    }

    @Test
    void compiledEulerStepsInPlaceWhereTheUpdatesCanBeOrdered() {
        // GIVEN the conductance model: v reads g directly, so v's update must come before g's
        final Model m = conductanceModel(0.3);
        final org.neurode.core.FusedStep kernel = m.equation().fusedStep(EulerSimulation.RULE);
        assertTrue(kernel.inPlace());
        // WHEN stepping once into a second array and once in place
        final double[] y = m.initialState();
        final double[] out = new double[y.length];
        kernel.step(0.0, 0.1, y, out);
        final double[] same = y.clone();
        kernel.step(0.0, 0.1, same, same);
        // THEN the results are the same bits (same operations in the same order)
        assertArrayEquals(out, same, 0.0);
        assertTrue(out[m.layout().index("v[0]")] != y[m.layout().index("v[0]")], "the step moved v");
        // AND the same holds for the fused exponential Euler step (its a depends on g: v's update reads g)
        final org.neurode.core.FusedStep exp = m.equation().fusedStep(ExponentialEulerSolver.RULE);
        assertTrue(exp.inPlace());
        final double[] expOut = new double[y.length];
        exp.step(0.0, 0.1, y, expOut);
        final double[] expSame = y.clone();
        exp.step(0.0, 0.1, expSame, expSame);
        assertArrayEquals(expOut, expSame, 0.0);

        // GIVEN two blocks that read each other (a rotation): no order works, so no in-place steps
        final ModelBuilder rb = ModelBuilder.named("rotation");
        final Var a = rb.vector("a", 2, "1");
        final Var c = rb.vector("c", 2, "1");
        rb.ode(a, "c");
        rb.ode(c, "-a");
        final Model rot = rb.initial(a, 1.0).build();
        assertFalse(rot.equation().fusedStep(EulerSimulation.RULE).inPlace());
        assertFalse(rot.equation().fusedStep(ExponentialEulerSolver.RULE).inPlace());
        // and forward Euler still has its closed form: each step multiplies the radius by sqrt(1 + h^2)
        final Trajectory tr = Solvers.get("euler-maruyama").solve(Problem.of(rot, 1.0), SolveOptions.fixedStep(0.01));
        final double radius = Math.hypot(tr.finalValue("a[0]"), tr.finalValue("c[0]"));
        assertEquals(Math.pow(1 + 1e-4, 50), radius, 1e-12);
    }

    @Test
    void continuousThresholdLocatesTheAnalyticSpikeTimes() {
        // GIVEN dv/dt = (2 - v)/10 from 0, threshold 1, reset 0, refractory 2 ms: spikes every
        // T = 10 ln 2 + 2 ms after the first at 10 ln 2 (closed form)
        final ModelBuilder b = ModelBuilder.named("lif1");
        final Var v = b.scalar("v", "1");
        b.param("tau", 10.0);
        b.ode(v, "(2 - v) / tau");
        b.threshold(v, 1.0, 0.0, 2.0);
        final Model m = b.build();
        // WHEN integrating 50 ms with exponential Euler at h = 0.1 ms (exact at grid points)
        final Trajectory tr = Solvers.get("exponential-euler").solve(Problem.of(m, 50.0), SolveOptions.fixedStep(0.1));
        // THEN the spike times agree; linear interpolation of the exact solution delays each crossing by at
        // most h^2/8 * |v''| / v' = 0.01/8 * 0.01/0.1 = 1.25e-4 ms, and the delays add up from spike to spike
        final double t1 = 10 * Math.log(2);
        final EventLog ev = tr.events();
        assertEquals(5, ev.size());
        for (int k = 0; k < ev.size(); k++) {
            assertEquals(t1 + k * (t1 + 2.0), ev.time(k), (k + 1) * 1.3e-4, "spike " + k);
        }
    }

    @Test
    void eulerMaruyamaReproducesOrnsteinUhlenbeckMomentsAndIsSeeded() {
        // GIVEN 2000 independent OU processes dx = -x/tau dt + sigma dW, x0 = 1, tau = 10 ms, sigma = 0.5
        final Model m = ou(2000, 0.5);
        final SolveOptions opt = SolveOptions.fixedStep(0.01).withSeed(42);
        // WHEN integrating to t = 5 ms
        final double[] x = Solvers.get("euler-maruyama").solve(Problem.of(m, 5.0), opt).finalState();
        // THEN mean = exp(-t/tau) and variance = sigma^2 tau/2 (1 - exp(-2t/tau)) within 4 standard errors
        final double mean = Arrays.stream(x).average().orElseThrow();
        final double var = Arrays.stream(x).map(z -> (z - mean) * (z - mean)).sum() / (x.length - 1);
        final double expectedVar = 0.25 * 10 / 2 * (1 - Math.exp(-1.0));
        assertEquals(Math.exp(-0.5), mean, 4 * Math.sqrt(expectedVar / x.length));
        assertEquals(expectedVar, var, 4 * expectedVar * Math.sqrt(2.0 / x.length));
        // and the same seed gives the same numbers, another seed others
        final double[] again = Solvers.get("euler-maruyama").solve(Problem.of(m, 5.0), opt).finalState();
        assertArrayEquals(x, again);
        final double[] other = Solvers.get("euler-maruyama").solve(Problem.of(m, 5.0), opt.withSeed(43)).finalState();
        assertFalse(Arrays.equals(x, other));
    }

    @Test
    void reseedingTheNoiseMakesARunResumableFromAnyPattern() {
        // GIVEN a noisy model advanced pattern by pattern, the noise reseeded from the pattern index
        final Model m = ou(10, 0.5);
        final Solver s = Solvers.get("euler-maruyama");
        final Simulation whole = s.start(Problem.of(m, 1e9), SolveOptions.fixedStep(0.1));
        for (int k = 0; k < 6; k++) {
            whole.reseedNoise(1000 + k);
            whole.advance(10.0);
        }
        // WHEN another run stops after 3 patterns, and a third continues from its state with a fresh simulation
        final Simulation first = s.start(Problem.of(m, 1e9), SolveOptions.fixedStep(0.1));
        for (int k = 0; k < 3; k++) {
            first.reseedNoise(1000 + k);
            first.advance(10.0);
        }
        final double[] checkpoint = new double[m.dimension()];
        first.copyState(checkpoint);
        final Simulation resumed = s.start(new Problem(m, checkpoint, 30.0, 1e9, java.util.List.of()),
                SolveOptions.fixedStep(0.1));
        for (int k = 3; k < 6; k++) {
            resumed.reseedNoise(1000 + k);
            resumed.advance(10.0);
        }
        // THEN the resumed run ends with exactly the numbers of the uninterrupted one
        final double[] a = new double[m.dimension()];
        final double[] b = new double[m.dimension()];
        whole.copyState(a);
        resumed.copyState(b);
        assertArrayEquals(a, b, 0.0);
    }

    @Test
    void deterministicSolversRefuseNoisyModels() {
        final OdeException e = assertThrows(OdeException.class, () -> new FakeDeterministic().start(
                Problem.of(ou(2, 0.1), 1.0), SolveOptions.fixedStep(0.1)));
        assertTrue(e.getMessage().contains("white noise on 'x'"), e.getMessage());
    }

    @Test
    void inputSwitchTimesAreForcedStepPoints() {
        // GIVEN dv/dt = x with x switching from 0 to 1 at t = 0.55 (not on the 0.1 grid)
        final ModelBuilder b = ModelBuilder.named("ramp");
        final Var x = b.input("x", 1, "1");
        final Var v = b.scalar("v", "1");
        b.ode(v, "x");
        final Model m = b.build();
        final Problem p = Problem.of(m, 1.0).withInput(new InputSchedule("x", new double[] {0.0, 0.55},
                new double[][] {{0.0}, {1.0}}));
        // WHEN integrating with Euler (exact for a piecewise-constant right-hand side if no step straddles)
        final Trajectory tr = Solvers.get("euler-maruyama").solve(p, SolveOptions.fixedStep(0.1)
                .withRecorder(Recorder.every(0.25)));
        // THEN v(1) = 0.45 exactly (to round-off) and the samples follow the ramp
        assertEquals(0.45, tr.finalValue("v"), 1e-14);
        assertArrayEquals(new double[] {0, 0.25, 0.5, 0.75, 1.0}, tr.times(), 1e-12);
        assertArrayEquals(new double[] {0, 0, 0, 0.2, 0.45}, tr.column("v"), 1e-12);
    }

    @Test
    void aSimulationContinuedSegmentBySegmentEqualsOneSolve() {
        // GIVEN a LIF population with step-end spikes
        final ModelBuilder b = ModelBuilder.named("seg");
        final Var drive = b.input("I", 50, "1");
        final Var v = b.vector("v", 50, "1");
        b.ode(v, "(I - v) / 10");
        b.threshold(v, 1.0, 0.0, 3.0, Detection.STEP_END);
        final double[] in = new double[50];
        for (int i = 0; i < 50; i++) {
            in[i] = 0.5 + 2.0 * i / 49;
        }
        final Model m = b.initial(drive, in).build();
        final Solver s = Solvers.get("exponential-euler");
        final SolveOptions opt = SolveOptions.fixedStep(0.1);
        final Trajectory whole = s.solve(Problem.of(m, 200.0), opt);
        // WHEN advancing the same problem in 20 segments of 10 ms
        final Simulation sim = s.start(Problem.of(m, 200.0), opt);
        for (int k = 1; k <= 20; k++) {
            sim.advanceTo(10.0 * k);
        }
        final Trajectory pieces = sim.finish();
        // THEN states and spikes agree (grid times differ only by round-off, the equation is autonomous)
        assertArrayEquals(whole.finalState(), pieces.finalState(), 1e-12);
        assertEquals(whole.eventCount(), pieces.eventCount());
        assertTrue(whole.eventCount() > 100);
        assertEquals(whole.statistics().acceptedSteps(), pieces.statistics().acceptedSteps());
    }

    @Test
    void fixedStepSolversNeedAStep() {
        final OdeException e = assertThrows(OdeException.class, () -> Solvers.get("exponential-euler")
                .solve(Problem.of(ou(1, 0), 1.0), SolveOptions.defaults()));
        assertTrue(e.getMessage().contains("fixed-step"), e.getMessage());
        assertThrows(OdeException.class, () -> SolveOptions.fixedStep(-0.1));
        assertThrows(OdeException.class, () -> SolveOptions.fixedStep(Double.NaN));
    }

    /** A deterministic solver used to check the noise guard. */
    private static final class FakeDeterministic implements Solver {
        private static final SolverInfo INFO = new SolverInfo("fake", 1, false, Stiffness.NONSTIFF, false, "test");

        @Override
        public SolverInfo info() {
            return INFO;
        }

        @Override
        public Simulation start(final Problem problem, final SolveOptions options) {
            return new FixedStepSimulation(problem, options, INFO) {
                @Override
                protected void step(final double time, final double step, final double[] state, final double[] out) {
                    System.arraycopy(state, 0, out, 0, n);
                }
            };
        }
    }
}
