package org.neurode.solvers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.neurode.core.Detection;
import org.neurode.core.Equation;
import org.neurode.core.ErrorCode;
import org.neurode.core.Equation;
import org.neurode.core.FusedStep;
import org.neurode.core.StepRule;
import org.neurode.core.EventLog;
import org.neurode.core.InputSchedule;
import org.neurode.core.Model;
import org.neurode.core.OdeException;
import org.neurode.core.Parameters;
import org.neurode.core.Problem;
import org.neurode.core.Recorder;
import org.neurode.core.StateLayout;
import org.neurode.core.Trajectory;
import org.neurode.core.expr.ModelBuilder;
import org.neurode.core.expr.Var;

/**
 * The fixed-step solvers by name: {@code euler} (the fused step of compiled models, the same code as
 * {@code euler-maruyama}) and {@code rk4} (neurode's own fixed-step Runge-Kutta engine), against
 * {@code euler-maruyama} and Hipparchus' methods under their {@code hipparchus-*} names; and options of one
 * kind of solver refused by the other.
 */
class FixedStepByNameTest {

    /** Leaky integrate-and-fire neurons with per-neuron drives (an input), threshold 1, reset 0, refractory 2. */
    private static Model lif(final double[] drives, final Detection detection) {
        final ModelBuilder b = ModelBuilder.named("lif");
        final Var v = b.vector("v", drives.length, "1");
        final Var drive = b.input("I", drives.length, "1");
        b.param("tau", 10.0);
        b.ode(v, "(I - v) / tau");
        b.threshold(v, 1.0, 0.0, 2.0, detection);
        return b.initial(drive, drives).build();
    }

    /** A smooth rate network \( r' = (-r + \tanh(W r + I [+ \sin t / 2]))/\tau \), weights and drives inputs. */
    private static Model rateNetwork(final int n, final boolean forced) {
        final ModelBuilder b = ModelBuilder.named("rate");
        final Var w = b.input("W", n, n, "1");
        final Var in = b.input("I", n, "1");
        final Var r = b.vector("r", n, "1");
        b.param("tau", 10.0);
        b.ode(r, forced ? "(-r + tanh(W @ r + I + 0.5 * sin(t))) / tau" : "(-r + tanh(W @ r + I)) / tau");
        final SplittableRandom random = new SplittableRandom(3);
        final double[] weights = new double[n * n];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = 1.5 * random.nextDouble(-1, 1) / Math.sqrt(n);
        }
        final double[] drives = new double[n];
        final double[] r0 = new double[n];
        for (int i = 0; i < n; i++) {
            drives[i] = 0.1 * random.nextDouble(-1, 1);
            r0[i] = random.nextDouble(-0.5, 0.5);
        }
        return b.initial(w, weights).initial(in, drives).initial(r, r0).build();
    }

    /** The same right-hand side as a plain {@link Equation}, which has no fused step: the two-pass path. */
    private static Model hidden(final Model m) {
        final Equation inner = m.equation();
        final Equation plain = new Equation() {
            @Override
            public int dimension() {
                return inner.dimension();
            }

            @Override
            public double[] inputs() {
                return inner.inputs();          // the compiled equation reads its inputs from this buffer
            }

            @Override
            public void derivatives(final double t, final double[] y, final double[] dydt) {
                inner.derivatives(t, y, dydt);
            }
        };
        return Model.of(m.name(), m.layout(), m.inputLayout(), m.parameters(), p -> plain, m.initialState(),
                        m.initialInputs(), m.events(), List.of());
    }

    private static void assertSameRun(final Trajectory expected, final Trajectory actual, final String what) {
        assertArrayEquals(expected.times(), actual.times(), what + " times");
        for (int j = 0; j < expected.columnNames().size(); j++) {
            assertArrayEquals(expected.column(j), actual.column(j), what + " column " + expected.columnNames().get(j));
        }
        assertArrayEquals(expected.finalState(), actual.finalState(), what + " final state");
        final EventLog a = expected.events();
        final EventLog b = actual.events();
        assertEquals(a.size(), b.size(), what + " events");
        for (int k = 0; k < a.size(); k++) {
            assertEquals(a.member(k), b.member(k), what + " event " + k);
            assertEquals(a.time(k), b.time(k), 0.0, what + " event " + k);
        }
        assertEquals(expected.statistics().rhsEvaluations(), actual.statistics().rhsEvaluations(), what);
        assertEquals(expected.statistics().acceptedSteps(), actual.statistics().acceptedSteps(), what);
    }

    @Test
    void eulerIsEulerMaruyamaWithoutNoiseBitForBit() {
        final double[] drives = new double[20];
        for (int i = 0; i < drives.length; i++) {
            drives[i] = 0.8 + 1.6 * i / 19;
        }
        // GIVEN compiled models with continuous and step-end thresholds, an input switching off the grid,
        // recording between steps; a model without events (stepped in place); a rotation (not in place); and
        // the same right-hand sides as plain equations (no fused step)
        final InputSchedule drop = new InputSchedule("I", new double[] {0.0, 23.456},
                new double[][] {drives, java.util.Arrays.stream(drives).map(x -> x - 0.5).toArray()});
        final List<Problem> problems = new ArrayList<>();
        for (final Detection d : Detection.values()) {
            problems.add(Problem.of(lif(drives, d), 50.0).withInput(drop));
            problems.add(Problem.of(hidden(lif(drives, d)), 50.0).withInput(drop));
        }
        problems.add(Problem.of(rateNetwork(10, true), 50.0));
        problems.add(Problem.of(hidden(rateNetwork(10, true)), 50.0));
        final ModelBuilder rb = ModelBuilder.named("rotation");
        final Var a = rb.vector("a", 2, "1");
        final Var c = rb.vector("c", 2, "1");
        rb.ode(a, "c");
        rb.ode(c, "-a");
        problems.add(Problem.of(rb.initial(a, 1.0).build(), 10.0));
        for (final Problem p : problems) {
            for (final Recorder rec : List.of(Recorder.every(0.25), Recorder.finalOnly())) {
                // WHEN solved by euler and by euler-maruyama with the same step
                final SolveOptions opt = SolveOptions.fixedStep(0.1).withRecorder(rec);
                final Trajectory euler = Solvers.get("euler").solve(p, opt);
                final Trajectory em = Solvers.get("euler-maruyama").solve(p, opt);
                // THEN every recorded number, event and counter is the same, bit for bit
                assertSameRun(em, euler, p.model().name());
            }
        }
        // and the LIF runs spiked (the event paths were exercised)
        assertTrue(Solvers.get("euler").solve(problems.get(0), SolveOptions.fixedStep(0.1)).eventCount() > 20);
    }

    @Test
    void eulerTakesTheFusedStepOfCompiledModels() {
        // GIVEN an equation with a fused Euler step that counts its calls (x' = -x, the step x (1 - h))
        final int[] calls = new int[2];
        final class Fused implements Equation {
            @Override
            public int dimension() {
                return 1;
            }

            @Override
            public void derivatives(final double t, final double[] y, final double[] dydt) {
                calls[0]++;
                dydt[0] = -y[0];
            }

            @Override
            public FusedStep fusedStep(final StepRule rule) {
                // the solver asks by its rule; this equation fuses Euler only
                if (!rule.equals(EulerSimulation.RULE)) {
                    return null;
                }
                return new FusedStep() {
                    @Override
                    public void step(final double t, final double h, final double[] y, final double[] out) {
                        calls[1]++;
                        out[0] = y[0] * (1 - h);
                    }

                    @Override
                    public boolean inPlace() {
                        return false;
                    }
                };
            }
        }
        final Model m = Model.of("decay", StateLayout.builder().scalar("x", "1", 1.0).build(), Parameters.empty(),
                                 p -> new Fused(), new double[] {1.0});
        // WHEN euler takes 10 steps of 0.1
        final Trajectory tr = Solvers.get("euler").solve(Problem.of(m, 1.0), SolveOptions.fixedStep(0.1));
        // THEN it called the fused step 10 times and never the derivatives (Hipparchus' Euler, which euler
        // was before, calls only the derivatives); Hipparchus' Euler is still there under its own name
        assertEquals(10, calls[1]);
        assertEquals(0, calls[0]);
        assertEquals(Math.pow(0.9, 10), tr.finalValue("x"), 1e-15);
        final Trajectory hip = Solvers.get("hipparchus-euler").solve(Problem.of(m, 1.0), SolveOptions.fixedStep(0.1));
        assertTrue(calls[0] >= 10, "hipparchus-euler evaluates the derivatives");
        assertEquals(Math.pow(0.9, 10), hip.finalValue("x"), 1e-15);
    }

    @Test
    void rk4MatchesHipparchusClassicalRungeKuttaToRounding() {
        for (final boolean forced : new boolean[] {false, true}) {
            // GIVEN a smooth 20-neuron rate network (tanh of a matrix-vector product), autonomous or forced by
            // sin(t), compiled and as a plain equation
            for (final Model m : List.of(rateNetwork(20, forced), hidden(rateNetwork(20, forced)))) {
                final Problem p = Problem.of(m, 100.0);
                final SolveOptions opt = SolveOptions.fixedStep(0.1).withRecorder(Recorder.steps().of("r"));
                // WHEN solved by neurode's rk4 and by Hipparchus' classical RK4, recording every step
                final Trajectory own = Solvers.get("rk4").solve(p, opt);
                final Trajectory hip = Solvers.get("hipparchus-rk4").solve(p, opt);
                // THEN they agree at every step to rounding: the same stage sums in the same order; measured
                // 3.6e-16 autonomous (values about 0.3: a few ulps), 6.4e-14 forced, where Hipparchus' time is
                // a running sum of the steps (1,000 additions of 0.1 drift by up to 1.1e-12, measured) and
                // neurode's is t0 + k h
                final double bound = forced ? 1e-12 : 1e-14;
                assertEquals(hip.size(), own.size());
                assertArrayEquals(hip.times(), own.times(), 1e-11);
                for (int k = 0; k < own.size(); k++) {
                    for (int j = 0; j < own.columnNames().size(); j++) {
                        assertEquals(hip.value(k, j), own.value(k, j), bound, "step " + k + " column " + j);
                    }
                }
                // AND a step of half the size moves the result far more (the comparison above is not vacuous:
                // measured 1.7e-10 autonomous, 4.8e-9 forced); neurode's rk4 evaluates 4 times per step,
                // Hipparchus' once more at the start
                final Trajectory half = Solvers.get("rk4").solve(p, SolveOptions.fixedStep(0.05)
                        .withRecorder(Recorder.every(0.1).of("r")));
                double apart = 0;
                for (int k = 0; k < own.size(); k++) {
                    for (int j = 0; j < own.columnNames().size(); j++) {
                        apart = Math.max(apart, Math.abs(half.value(k, j) - own.value(k, j)));
                    }
                }
                assertTrue(apart > 100 * bound, "rk4 at 0.1 vs 0.05: " + apart);
                assertEquals(4000, own.statistics().rhsEvaluations());
                assertEquals(4001, hip.statistics().rhsEvaluations());
            }
        }
    }

    @Test
    void membersCrossingTogetherFireTogetherAndKeepTheirSpikeTimes() {
        // GIVEN neurons with equal drives and drives 1e-12 and 1e-6 apart: their crossings lie within rounding
        // of each other, and each spike starts a 2-ms refractory period whose end is a forced step point
        final double[] drives = {2.0, 2.0, 2.0 + 1e-12, 2.0 + 1e-6, 3.0};
        final Problem p = Problem.of(lif(drives, Detection.CONTINUOUS), 50.0);
        // measured worst spike-time errors: euler 1.73e-2 (its own O(h) error), exponential-euler 1.2e-5
        // (the linear interpolant's delay, h^2/8 |v''|/v' = 1.25e-6 per spike, accumulating), rk4 1.68e-7
        // (hipparchus-rk4 1.71e-7). Before the crossings within 2e-9 ms were grouped, the neuron driven 1e-12
        // harder fired 5e-12 ms after the others; its refractory end then fell within the time slack of theirs,
        // was not made a step point, and the neuron was held for one more step: exponential-euler was late by
        // 8.5e-3 ms (nearly the whole 0.01-ms step)
        final String[] names = {"euler", "euler-maruyama", "exponential-euler", "rk4", "hipparchus-rk4"};
        final double[] bounds = {0.05, 0.05, 5e-5, 5e-7, 5e-7};
        for (int s = 0; s < names.length; s++) {
            // WHEN solved with steps of 0.01 ms
            final Trajectory tr = Solvers.get(names[s]).solve(p, SolveOptions.fixedStep(0.01));
            // THEN every spike lies at the closed-form time: the first at tau ln(I/(I - 1)), then one every
            // tau ln(I/(I - 1)) + 2 ms
            final EventLog log = tr.events();
            final int[] count = new int[drives.length];
            for (int k = 0; k < log.size(); k++) {
                final int m = log.member(k);
                final double first = 10.0 * Math.log(drives[m] / (drives[m] - 1.0));
                final double expected = first + count[m]++ * (first + 2.0);
                assertEquals(expected, log.time(k), bounds[s], names[s] + " neuron " + m + " spike " + count[m]);
            }
            assertArrayEquals(new int[] {5, 5, 5, 5, 8}, count, names[s]);
            // AND the three neurons crossing within rounding fire at the same times
            final double[] t0 = times(log, 0);
            assertArrayEquals(t0, times(log, 1), 0.0, names[s]);
            assertArrayEquals(t0, times(log, 2), 2e-9, names[s]);
        }
    }

    private static double[] times(final EventLog log, final int member) {
        final List<Double> out = new ArrayList<>();
        for (int k = 0; k < log.size(); k++) {
            if (log.member(k) == member) {
                out.add(log.time(k));
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    @Test
    void aFixedStepGivenToAnAdaptiveSolverIsAnErrorNamingTheSolverAndTheOption() {
        final Problem p = Problem.of(rateNetwork(3, false), 1.0);
        int adaptive = 0;
        for (final Solver solver : Solvers.all()) {
            if (!solver.info().adaptive()) {
                continue;
            }
            adaptive++;
            // WHEN an adaptive solver is given a fixed step
            final OdeException e = assertThrows(OdeException.class,
                    () -> solver.start(p, SolveOptions.defaults().withStep(0.1)), solver.name());
            // THEN it refuses it, naming itself and the option, instead of ignoring it
            assertEquals(ErrorCode.INVALID_ARGUMENT, e.code(), solver.name());
            assertTrue(e.getMessage().contains("solver '" + solver.name() + "'"), e.getMessage());
            assertTrue(e.getMessage().contains("fixed step 0.1") && e.getMessage().contains("withStep"),
                       e.getMessage());
            // while a first step is the adaptive solvers' own option
            final Trajectory tr = solver.solve(p, SolveOptions.tolerances(1e-6, 1e-6).withInitialStep(0.1));
            assertEquals(1.0, tr.finalTime(), 1e-12, solver.name());
        }
        assertTrue(adaptive >= 15, "adaptive solvers: " + adaptive);
    }

    @Test
    void tolerancesOrAFirstStepGivenToAFixedStepSolverAreErrors() {
        final Problem p = Problem.of(rateNetwork(3, false), 1.0);
        for (final String name : List.of("euler", "rk4", "hipparchus-euler", "hipparchus-rk4", "euler-maruyama",
                                         "exponential-euler", "midpoint")) {
            final Solver solver = Solvers.get(name);
            // WHEN a fixed-step solver is given tolerances, or a first step
            final OdeException tol = assertThrows(OdeException.class,
                    () -> solver.start(p, SolveOptions.tolerances(1e-8, 1e-8).withStep(0.1)), name);
            final OdeException first = assertThrows(OdeException.class,
                    () -> solver.start(p, SolveOptions.fixedStep(0.1).withInitialStep(0.01)), name);
            // THEN both name the solver and the option
            assertTrue(tol.getMessage().contains("solver '" + name + "'") && tol.getMessage().contains("tolerances"),
                       tol.getMessage());
            assertTrue(first.getMessage().contains("solver '" + name + "'")
                       && first.getMessage().contains("initial step"), first.getMessage());
            // and the plain fixed step runs
            assertEquals(1.0, solver.solve(p, SolveOptions.fixedStep(0.1)).finalTime(), 1e-12, name);
        }
    }
}
