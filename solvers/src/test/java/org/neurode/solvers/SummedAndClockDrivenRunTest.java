package org.neurode.solvers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.neurode.core.InputSchedule;
import org.neurode.core.Model;
import org.neurode.core.OdeException;
import org.neurode.core.Problem;
import org.neurode.core.expr.ModelBuilder;
import org.neurode.core.expr.Var;
import org.neurode.core.spec.ConnectSpec;
import org.neurode.core.spec.EventSpec;
import org.neurode.core.spec.PopulationSpec;
import org.neurode.core.spec.ProjectionSpec;
import org.neurode.core.spec.SynapseVariableSpec;

/**
 * Issue 14: summed variables and clock-driven synapse variables at run time, in Brian2's order within a step (the
 * sums from the state at the step start, held over the step; the clock-driven variables advanced after the state,
 * reading it at the step end, before the events), Euler or exact, refused where steps are not neurode's own, and
 * without allocation per step.
 */
class SummedAndClockDrivenRunTest {

    private static final double H = 0.1;

    /**
     * A source s (ds/dt = 1 from 0: s = t; it never fires) and three targets g with an input I (dg/dt = I, I
     * starting at 5); the projection (from s to the targets 0 and 1) is added by the caller.
     */
    private static Model net(final ProjectionSpec p) {
        final ModelBuilder b = ModelBuilder.named("ramp");
        final Var s = b.vector("s", 1, "");
        final Var g = b.vector("g", 3, "");
        b.input("I", 3, 1, "");
        b.ode(s, "1 + 0 * s");
        b.ode(g, "I");
        b.population(new PopulationSpec("S", 1, List.of("s")));
        b.population(new PopulationSpec("T", 3, List.of("g", "I")));
        b.event(EventSpec.of("spike", "s > 1000", "s = 0"));
        b.projection(p);
        final Model m = b.build();
        return m;
    }

    private static Simulation start(final Model m) {
        final Simulation sim = Solvers.get("euler").start(Problem.of(m, 10.0), SolveOptions.fixedStep(H));
        sim.set("I[0]", 5.0);
        sim.set("I[1]", 5.0);
        sim.set("I[2]", 5.0);
        return sim;
    }

    @Test
    void aSumIsComputedFromTheStateAtTheStepStartAndHeldOverTheStep() {
        // GIVEN I_post = 2 s_pre summed over the synapses of the target slice T[0:2] (one synapse each)
        final Simulation sim = start(net(ProjectionSpec.of("C", "S", "T", ConnectSpec.ALL, "")
                .withTargetSlice(0, 2).withSummed("I_post = 2 * s_pre")));
        // WHEN it runs 20 steps of forward Euler
        sim.advanceTo(20 * H);
        // THEN after the step from t_k, I of the slice is 2 s(t_k), the step start: 2 * 1.9 after the last
        assertEquals(2 * 19 * H, sim.get("I[0]"), 1e-12);
        assertEquals(2 * 19 * H, sim.get("I[1]"), 1e-12);
        // AND g integrated it held over each step: g = sum over k of h * 2 k h = h^2 * 19 * 20 (with the sum from
        // the step end it would be h^2 * 20 * 21); rounding of 20 sums of about 0.4: bound 1e-12
        assertEquals(H * H * 19 * 20, sim.get("g[0]"), 1e-12);
        // AND the member outside the slice keeps its own input (Brian2 writes only the target slice)
        assertEquals(5.0, sim.get("I[2]"), 0.0);
        assertEquals(5.0 * 20 * H, sim.get("g[2]"), 1e-12);
    }

    @Test
    void membersWithoutSynapsesSumToZero() {
        // GIVEN a sum over the whole target population from explicit synapses into member 1 only (twice)
        final Simulation sim = start(net(ProjectionSpec.of("C", "S", "T", ConnectSpec.arrays(new int[] {0, 0},
                new int[] {1, 1}), "").withSummed("I = s_pre + 1")));
        // WHEN one step runs
        sim.advanceTo(H);
        // THEN member 1 has both synapses' terms and members 0 and 2 have 0 (their 5 was overwritten)
        assertEquals(2.0, sim.get("I[1]"), 0.0);
        assertEquals(0.0, sim.get("I[0]"), 0.0);
        assertEquals(0.0, sim.get("I[2]"), 0.0);
    }

    @Test
    void clockDrivenVariablesReadTheStateAtTheStepEndByEuler() {
        // GIVEN dx/dt = s_pre, clock-driven (not a relaxation with constant coefficients: forward Euler)
        final Simulation sim = start(net(ProjectionSpec.of("C", "S", "T", ConnectSpec.ALL, "")
                .withVariable(SynapseVariableSpec.clockDriven("x", "s_pre", ""))));
        // WHEN it runs 20 steps
        sim.advanceTo(20 * H);
        // THEN x = sum over k = 1..20 of h * s(t_k): s read at the end of each step, after the state was advanced
        // (Brian2 updates synapses after neuron groups); from the step start it would be h^2 * 19 * 20 / 2
        final double[] x = sim.synapseValues("C", "x");
        assertEquals(3, x.length);
        for (final double v : x) {
            assertEquals(H * H * 20 * 21 / 2, v, 1e-12);
        }
    }

    @Test
    void aRelaxationWithConstantCoefficientsIsExactUnlessAnotherEquationNeedsEuler() {
        // GIVEN dy/dt = (1 - y) / tau, alone in one projection and with dx/dt = s_pre in another
        final Model exact = net(ProjectionSpec.of("C", "S", "T", ConnectSpec.ALL, "")
                .withVariable(SynapseVariableSpec.clockDriven("y", "(1 - y) / 2", "")));
        final Model euler = net(ProjectionSpec.of("C", "S", "T", ConnectSpec.ALL, "")
                .withVariable(SynapseVariableSpec.clockDriven("y", "(1 - y) / 2", ""))
                .withVariable(SynapseVariableSpec.clockDriven("x", "s_pre", "")));
        // WHEN each runs 30 steps of 0.1
        final Simulation a = start(exact);
        a.advanceTo(30 * H);
        final Simulation b = start(euler);
        b.advanceTo(30 * H);
        // THEN alone it is exact: 1 - e^(-t / 2), 30 products of rounded factors (bound 1e-14, values below 1);
        // with the other it is forward Euler for both: 1 - (1 - h / 2)^30 (they differ by 2e-4)
        assertEquals(1 - Math.exp(-30 * H / 2), a.synapseValues("C", "y")[0], 1e-14);
        assertEquals(1 - Math.pow(1 - H / 2, 30), b.synapseValues("C", "y")[0], 1e-14);
    }

    @Test
    void aProjectionWithoutOnPreNeedsNoEventOfItsSource() {
        // GIVEN two passive compartments without threshold, coupled all-to-all by a summed current (as Brian2's
        // Synapses without on_pre need no threshold)
        final ModelBuilder b = ModelBuilder.named("passive");
        final Var v = b.vector("v", 2, "");
        b.input("I", 2, 1, "");
        b.ode(v, "I - v");
        b.initial(v, new double[] {1.0, 0.0});
        b.population(new PopulationSpec("P", 2, List.of("v", "I")));
        b.projection(ProjectionSpec.of("G", "P", "P", ConnectSpec.ALL, "").withSummed("I_post = v_pre - v_post"));
        final Simulation sim = Solvers.get("euler").start(Problem.of(b.build(), 1.0), SolveOptions.fixedStep(H));
        // WHEN one step runs
        sim.advanceTo(H);
        // THEN each sums over both synapses (its own adds 0): I = v_other - v_self from the step start
        assertEquals(-1.0, sim.get("I[0]"), 0.0);
        assertEquals(1.0, sim.get("I[1]"), 0.0);
        assertEquals(H, sim.get("v[1]"), 1e-15);
    }

    @Test
    void solversThatChooseTheirStepsOrAreNotNeurodesOwnRefuseThem() {
        final Model m = net(ProjectionSpec.of("C", "S", "T", ConnectSpec.ALL, "").withSummed("I_post = s_pre"));
        OdeException e = assertThrows(OdeException.class, () -> Solvers.get("tsit5").start(Problem.of(m, 1.0),
                SolveOptions.tolerances(1e-6, 1e-6)));
        assertTrue(e.getMessage().contains("an adaptive solver cannot run projection 'C': it has summed variables, "
                + "which are computed at every step of a fixed-step solver"), e.getMessage());
        e = assertThrows(OdeException.class, () -> Solvers.get("hipparchus-rk4").start(Problem.of(m, 1.0),
                SolveOptions.fixedStep(H)));
        assertTrue(e.getMessage().contains("hipparchus-rk4") && e.getMessage().contains("projection 'C' has summed "
                + "variables, which neurode's own fixed-step solvers compute at every step"), e.getMessage());
        final Model c = net(ProjectionSpec.of("C", "S", "T", ConnectSpec.ALL, "")
                .withVariable(SynapseVariableSpec.clockDriven("x", "s_pre", "")));
        e = assertThrows(OdeException.class, () -> Solvers.get("rodas5p").start(Problem.of(c, 1.0),
                SolveOptions.tolerances(1e-6, 1e-6)));
        assertTrue(e.getMessage().contains("projection 'C': it has clock-driven synapse variables"), e.getMessage());
    }

    @Test
    void anInputWithAScheduleCannotAlsoBeSummed() {
        final Model m = net(ProjectionSpec.of("C", "S", "T", ConnectSpec.ALL, "").withSummed("I_post = s_pre"));
        final Problem p = Problem.of(m, 1.0).withInput(InputSchedule.constant("I", 0.0, 1.0, 2.0, 3.0));
        final OdeException e = assertThrows(OdeException.class, () -> Solvers.get("euler").start(p,
                SolveOptions.fixedStep(H)));
        assertTrue(e.getMessage().contains("input 'I' has an input schedule and is set at every step by the summed "
                + "variables of projection 'C'"), e.getMessage());
    }


    @Test
    void summedAndClockDrivenVariablesAllocateNothingPerStep() {
        // GIVEN 200 driven neurons coupled with p = 0.1 (about 4,000 synapses) by a projection with a clock-driven
        // pair (Euler) and a summed current, firing about every 2 time units, warmed up
        final ModelBuilder b = ModelBuilder.named("alloc-clock");
        final Var v = b.vector("v", 200, "");
        b.input("I", 200, 1, "");
        b.ode(v, "(1.2 + 0.1 * i / N - v + I) / 2 (unless refractory)");
        b.population(new PopulationSpec("P", 200, List.of("v", "I")));
        b.event(EventSpec.of("spike", "v > 1", "v = 0").withRefractory("0.5"));
        b.projection(ProjectionSpec.of("C", "P", "P", ConnectSpec.probability("0.1"), "x += 1")
                .withVariable(SynapseVariableSpec.clockDriven("g", "-g / 5 + 0.1 * x * (1 - g)", ""))
                .withVariable(SynapseVariableSpec.clockDriven("x", "-x / 5", ""))
                .withSummed("I_post = 0.001 * g * (v_pre - v_post)"));
        final Simulation sim = Solvers.get("euler").start(Problem.of(b.build(), 1e6), SolveOptions.fixedStep(0.1));
        for (int k = 1; k <= 200; k++) {
            sim.advanceTo(10.0 * k);
        }
        // WHEN advancing 10,000 more steps (4,000 synapses summed and advanced in each)
        // (the quietest of up to 40 windows, the first quiet one ending it: AllocationWindows)
        final long fewest = AllocationWindows.quietest(sim, 200, 40, 200_000);
        // THEN at most a few bytes per step were allocated (the bound of ProjectionDeliveryTest: the event log
        // grows by doubling, in at most one window); one array per step would be 40 MB, 16 bytes per synapse and
        // step 640 MB
        assertTrue(fewest < 200_000, "allocated " + fewest + " bytes over 10,000 steps");
        assertTrue(sim.statistics().events() > 50_000, sim.statistics().events() + " spikes");
        assertTrue(sim.synapseValues("C", "g")[0] > 0, "the synapses are active");
    }
}
