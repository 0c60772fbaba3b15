package org.neurode.solvers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.neurode.core.Model;
import org.neurode.core.OdeException;
import org.neurode.core.Problem;
import org.neurode.core.Recorder;
import org.neurode.core.Trajectory;
import org.neurode.core.expr.ModelBuilder;
import org.neurode.core.expr.Var;
import org.neurode.core.spec.ConnectSpec;
import org.neurode.core.spec.EventSpec;
import org.neurode.core.spec.PopulationSpec;
import org.neurode.core.spec.ProjectionSpec;
import org.neurode.core.spec.SynapseVariableSpec;

/**
 * Issue 14: projections at run time: Brian2's order within a step (thresholds, synapses, resets), delays in whole
 * steps from a ring buffer, per-synapse delays and variables, statements on the source side, populations holding
 * only their own equations, and no allocation per spike.
 */
class ProjectionDeliveryTest {

    /**
     * One source neuron s (ds/dt = 2 from 0, threshold s > 0.5, reset s = 0: it fires at the end of the third step
     * of 0.1, logged at t = 0.2, and every third step after) and two targets g (dg/dt = 0) receiving
     * {@code on_pre}.
     */
    private static ModelBuilder pair(final ProjectionSpec p) {
        final ModelBuilder b = ModelBuilder.named("pair");
        final Var s = b.vector("s", 1, "");
        final Var g = b.vector("g", 2, "");
        b.ode(s, "2 + 0 * s");
        b.ode(g, "0 * g");
        b.population(new PopulationSpec("S", 1, List.of("s")));
        b.population(new PopulationSpec("T", 2, List.of("g")));
        b.event(EventSpec.of("spike", "s > 0.5", "s = 0"));
        b.projection(p);
        return b;
    }

    private static Trajectory run(final Model m, final double tEnd) {
        return Solvers.get("euler").solve(Problem.of(m, tEnd), SolveOptions.fixedStep(0.1)
                .withRecorder(Recorder.every(0.1).of(m.layout().has("s") ? new String[] {"s", "g"}
                        : new String[] {"g"})));
    }

    /** The first recorded time at which g[k] is not 0 (NaN if never). */
    private static double firstChange(final Trajectory tr, final int k) {
        final double[] g = tr.column("g[" + k + "]");
        final double[] t = tr.times();
        for (int n = 0; n < g.length; n++) {
            if (g[n] != 0) {
                return t[n];
            }
        }
        return Double.NaN;
    }

    @Test
    void withoutDelayTheTargetChangesInTheStepOfTheSpike() {
        // GIVEN a projection without delay
        final Trajectory tr = run(pair(ProjectionSpec.of("C", "S", "T", ConnectSpec.ALL, "g += 1 + j")).build(),
                1.0);
        // THEN the spike logged at 0.2 (detected at the end of the step from 0.2 to 0.3) has acted by t = 0.3
        assertEquals(0.2, tr.events().time(0), 1e-12);
        assertEquals(0.3, firstChange(tr, 0), 1e-12);
        // AND every synapse ran its statement with its own j, once per spike (3 spikes by t = 1)
        final double[] g1 = tr.column("g[1]");
        assertEquals(3, tr.events().size());
        assertEquals(3 * 2.0, g1[g1.length - 1], 0.0);
    }

    @Test
    void aDelayCountsWholeStepsFromTheSpike() {
        // GIVEN a delay of 1 (10 steps of 0.1)
        final Trajectory tr = run(pair(ProjectionSpec.of("C", "S", "T", ConnectSpec.ALL, "g += 1").withDelay("1"))
                .build(), 2.0);
        // THEN the spike of the step starting at 0.2 is delivered in the step starting at 1.2: seen at 1.3
        assertEquals(1.3, firstChange(tr, 0), 1e-12);
        assertEquals(1.3, firstChange(tr, 1), 1e-12);
    }

    @Test
    void perSynapseDelaysAndVariables() {
        // GIVEN a delay per synapse from a synapse variable (0.5 for j = 0, 1.0 for j = 1) and a weight that the
        // statements halve after each use
        final ProjectionSpec p = ProjectionSpec.of("C", "S", "T", ConnectSpec.ALL, "g += w; w *= 0.5")
                .withVariable(SynapseVariableSpec.of("d", "0.5 * (j + 1)", ""))
                .withVariable(SynapseVariableSpec.of("w", "1", ""))
                .withDelay("d");
        final Trajectory tr = run(pair(p).build(), 3.0);
        // THEN each target sees the spike of 0.2 after its own delay
        assertEquals(0.8, firstChange(tr, 0), 1e-12);
        assertEquals(1.3, firstChange(tr, 1), 1e-12);
        // AND by t = 3 (spikes at 0.2, 0.5, ..., 2.9; those of 2.6 and later not delivered to j = 1) the weights
        // summed 1 + 1/2 + 1/4 + ...: 9 delivered to j = 0 (up to the spike at 2.6 + 0.5 = 3.1 > 3: 8)
        final double[] g0 = tr.column("g[0]");
        assertEquals(2 - Math.pow(0.5, 8 - 1), g0[g0.length - 1], 1e-15);
    }

    @Test
    void statementsMayWriteTheSourceAndTheTargetSideAndRunBeforeTheReset() {
        // GIVEN statements reading the source's value before its reset: s_pre is still above threshold
        final ModelBuilder b = pair(ProjectionSpec.of("C", "S", "T", ConnectSpec.oneToOne(), "g_post = s_pre"));
        final Trajectory tr = run(b.build(), 0.35);
        // THEN the target got the value of s at the end of the step (0.6), not the reset value 0 (Brian2's order:
        // thresholds, synapses, resets)
        final double[] g0 = tr.column("g[0]");
        assertEquals(0.6, g0[g0.length - 1], 1e-12);
        assertEquals(0.0, tr.column("g[1]")[g0.length - 1], 0.0, "one-to-one: only j = 0");
    }

    @Test
    void onAnAdaptiveSolverASpikeActsAtItsLocatedTime() {
        // GIVEN the pair without delay, on an adaptive solver (the event is located by root finding)
        final Model m = pair(ProjectionSpec.of("C", "S", "T", ConnectSpec.ALL, "g += 1")).build();
        final Trajectory tr = Solvers.get("tsit5").solve(Problem.of(m, 1.0), SolveOptions.tolerances(1e-8, 1e-8)
                .withRecorder(Recorder.every(0.05).of("g")));
        // THEN s = 2 t crosses 0.5 at t = 0.25 and again every 0.25 after its reset to 0
        assertEquals(0.25, tr.events().time(0), 1e-8);
        assertEquals(0.5, tr.events().time(1), 1e-8);
        // AND each spike added 1 to the targets at its time: g is the number of spikes logged before each sample
        final double[] g = tr.column("g[1]");
        final double[] t = tr.times();
        for (int n = 0; n < g.length; n++) {
            int before = 0;
            for (int k = 0; k < tr.events().size(); k++) {
                before += tr.events().time(k) <= t[n] ? 1 : 0;
            }
            assertEquals(before, g[n], 0.0, "t = " + t[n]);
        }
        assertTrue(g[g.length - 1] >= 3);
    }

    @Test
    void delaysNeedAFixedStep() {
        final Model m = pair(ProjectionSpec.of("C", "S", "T", ConnectSpec.ALL, "g += 1").withDelay("1")).build();
        final OdeException e = assertThrows(OdeException.class, () -> Solvers.get("tsit5").solve(Problem.of(m, 1.0),
                SolveOptions.tolerances(1e-6, 1e-6)));
        assertTrue(e.getMessage().contains("an adaptive solver cannot run projection 'C': it has "
                + "transmission delays, which need a fixed-step solver"),
                e.getMessage());
    }

    @Test
    void aPopulationHoldsOnlyItsOwnEquationsWhileRefractory() {
        // GIVEN two populations of the same size: A fires and is refractory, B's equation is marked (unless
        // refractory) but B has no event
        final ModelBuilder b = ModelBuilder.named("two");
        final Var a = b.vector("a", 3, "");
        final Var c = b.vector("c", 3, "");
        b.ode(a, "2 + 0 * a (unless refractory)");
        b.ode(c, "1 + 0 * c (unless refractory)");
        b.population(new PopulationSpec("A", 3, List.of("a")));
        b.population(new PopulationSpec("B", 3, List.of("c")));
        b.event(EventSpec.of("spike", "a > 0.5", "a = 0").withRefractory("0.5"));
        final Trajectory tr = Solvers.get("euler").solve(Problem.of(b.build(), 2.0), SolveOptions.fixedStep(0.1)
                .withRecorder(Recorder.every(0.1).of("c")));
        // THEN A fired and was held, and B went on: c = t (without populations, the rows rule held c as well)
        assertTrue(tr.events().size() > 3);
        final double[] c0 = tr.column("c[0]");
        assertEquals(2.0, c0[c0.length - 1], 1e-12);
    }

    /** Two targets g receiving the spikes of a source population. */
    private static Model fromSource(final PopulationSpec source, final String onPre) {
        final ModelBuilder b = ModelBuilder.named("sourced");
        final Var g = b.vector("g", 2, "");
        b.ode(g, "0 * g");
        b.population(new PopulationSpec("T", 2, List.of("g")));
        b.population(source);
        b.projection(ProjectionSpec.of("C", source.name(), "T", ConnectSpec.oneToOne(), onPre));
        return b.build();
    }

    @Test
    void aSpikeGeneratorFiresInTheStepOfEachTime() {
        // GIVEN spikes of member 1 at 0.5 and 2.25, of member 0 at 1.0 and 1.04 (Brian2's bins: floor((t + dt /
        // 1000) / dt), so 0.5 is step 5, 2.25 step 22 and 1.04 step 10, with 1.0)
        final Model m = fromSource(PopulationSpec.generator("stim", 2, new int[] {1, 0, 1}, new double[] {0.5, 1.04,
            2.25}), "g += 1");
        final Trajectory tr = run(m, 3.0);
        // THEN the events are logged at those steps' starts, in time order
        assertEquals(3, tr.events().size());
        assertEquals(0.5, tr.events().time(0), 1e-12);
        assertEquals(1.0, tr.events().time(1), 1e-12);
        assertEquals(2.2, tr.events().time(2), 1e-12);
        assertEquals("stim", tr.events().detector(0));
        // AND the projection delivered them in those steps
        assertEquals(1.1, firstChange(tr, 0), 1e-12);
        assertEquals(0.6, firstChange(tr, 1), 1e-12);
        // AND two spikes of one member in one step are an error naming the generator
        final Model twice = fromSource(PopulationSpec.generator("stim", 2, new int[] {0, 0}, new double[] {1.0,
            1.05}), "g += 1");
        final OdeException e = assertThrows(OdeException.class, () -> run(twice, 2.0));
        assertTrue(e.getMessage().contains("spike generator 'stim': member 0 has two spikes in the step starting at"),
                e.getMessage());
    }

    @Test
    void aPoissonGroupFiresAtItsRateAndTheSameInEveryRun() {
        // GIVEN 2 members at 0.05 and 0.1 per time unit (0.005 and 0.01 per step of 0.1)
        final Model m = fromSource(PopulationSpec.poisson("noise", 2, "0.05 * (1 + i)"), "g += 1");
        // WHEN run for 20,000 time units (200,000 steps)
        final Trajectory a = run(m, 20_000.0);
        final Trajectory b = run(m, 20_000.0);
        // THEN each member's count is its rate times the time: 1,000 and 2,000 expected, Poisson standard deviations
        // 32 and 45; 5 standard deviations either side
        final double[] g0 = a.column("g[0]");
        final double[] g1 = a.column("g[1]");
        assertEquals(1000, g0[g0.length - 1], 5 * 32);
        assertEquals(2000, g1[g1.length - 1], 5 * 45);
        // AND a second run of the model draws the same spikes
        assertEquals(a.events().size(), b.events().size());
        for (int k = 0; k < a.events().size(); k++) {
            assertEquals(a.events().time(k), b.events().time(k), 0.0);
            assertEquals(a.events().member(k), b.events().member(k));
        }
    }


    @Test
    void deliveringSpikesAllocatesNothingPerSpike() {
        // GIVEN 200 driven neurons firing about every 2 time units, connected with p = 0.1 (about 4,000 synapses),
        // one projection without delay and one with a delay per synapse, warmed up
        final ModelBuilder b = ModelBuilder.named("alloc-net");
        final Var v = b.vector("v", 200, "");
        final Var g = b.vector("g", 200, "");
        b.ode(v, "(1.2 + 0.1 * i / N - v + g) / 2 (unless refractory)");
        b.ode(g, "-g / 5");
        b.population(new PopulationSpec("P", 200, List.of("v", "g")));
        b.event(EventSpec.of("spike", "v > 1", "v = 0").withRefractory("0.5"));
        b.projection(ProjectionSpec.of("C", "P", "P", ConnectSpec.probability("0.1"), "g += 0.001"));
        b.projection(ProjectionSpec.of("D", "P", "P", ConnectSpec.probability("0.1"), "g -= w")
                .withVariable(SynapseVariableSpec.of("w", "0.001 * rand()", ""))
                .withVariable(SynapseVariableSpec.of("d", "0.1 * (1 + floor(10 * rand()))", ""))
                .withDelay("d"));
        final Simulation sim = Solvers.get("euler").start(Problem.of(b.build(), 1e6), SolveOptions.fixedStep(0.1));
        for (int k = 1; k <= 200; k++) {
            sim.advanceTo(10.0 * k);
        }
        // WHEN advancing 10,000 more steps (about 100,000 spikes, 4 million deliveries)
        // (the quietest of up to 40 windows, the first quiet one ending it: AllocationWindows)
        final long fewest = AllocationWindows.quietest(sim, 200, 40, 200_000);
        // THEN at most a few bytes per step were allocated (as AllocationTest bounds it: the event log grows by
        // doubling, in at most one of the windows); one allocation of 16 bytes per delivery would be 64 MB
        assertTrue(fewest < 200_000, "allocated " + fewest + " bytes over 10,000 steps");
        assertTrue(sim.statistics().events() > 50_000, sim.statistics().events() + " spikes");
    }
}
