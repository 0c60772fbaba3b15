package org.neurode.solvers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.neurode.core.Detection;
import org.neurode.core.ErrorCode;
import org.neurode.core.Model;
import org.neurode.core.OdeException;
import org.neurode.core.Problem;
import org.neurode.core.StateLayout;
import org.neurode.core.Status;
import org.neurode.core.ThresholdEvent;
import org.neurode.core.Trajectory;
import org.neurode.core.expr.ModelBuilder;
import org.neurode.core.expr.Var;

/**
 * Events that would fire without end (issue 12): a reset at or above the threshold is refused when the event is
 * built; a reset just below it, with no refractory period and a drive that brings the neuron straight back, is
 * stopped by the runaway rule of {@link org.neurode.core.EventDetector} on every kind of solver: fixed-step
 * (exponential-euler, neurode's; rk4, Hipparchus'), adaptive (tsit5, neurode's; dormand-prince-54,
 * Hipparchus').
 */
class EventRunawayTest {

    /** v' = (-65 - v + 20)/10 from -65: v approaches -45 and first crosses -50 at t = 10 ln 4. */
    private static final double FIRST_CROSSING = 10.0 * Math.log(4.0);

    /** Three leaky integrate-and-fire neurons driven above their threshold -50 mV, no refractory period. */
    private static Model lif(final double reset) {
        final ModelBuilder b = ModelBuilder.named("lif");
        final Var v = b.vector("v", 3, "mV");
        b.param("tau", 10.0);
        b.param("E_L", -65.0);
        b.param("drive", 20.0);
        b.ode(v, "(E_L - v + drive) / tau");
        b.threshold(v, -50.0, reset, 0.0, Detection.CONTINUOUS);
        b.initial(v, -65.0);
        return b.build();
    }

    private static SolveOptions options(final Solver solver) {
        final SolveOptions o = SolveOptions.defaults().withFailFast(false);
        return solver.info().adaptive() ? o : o.withStep(0.1);
    }

    @ParameterizedTest
    @ValueSource(doubles = {-50.0, -49.0})
    void issue12_aResetAtOrAboveTheThresholdIsRefusedWhenTheEventIsBuilt(final double reset) {
        // GIVEN a block v and a reset at or above the threshold -50
        final StateLayout.Block v = StateLayout.builder().vector("v", 3, "mV", 1.0).build().block("v");
        // WHEN building the event directly or through a model
        final OdeException direct = assertThrows(OdeException.class, () -> ThresholdEvent.of(v, -50.0, reset));
        final OdeException built = assertThrows(OdeException.class, () -> lif(reset));
        // THEN both are refused, naming the variable, the reset and the threshold
        for (final OdeException e : new OdeException[] {direct, built}) {
            assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
            assertTrue(e.getMessage().contains("the reset " + reset + " of 'v' is not below its threshold -50.0"),
                    e.getMessage());
        }
    }

    /**
     * Reset 1e-9 mV below the threshold: the neuron is back above it after about 2e-9 ms, below the time
     * resolution at t = 13.9 (1e-9 relative). Before the rule exponential-euler ran out of memory, and the
     * other solvers ran into the evaluation budget after millions of spikes (measured with a budget of 2
     * million evaluations: 6.0 million spikes for exponential-euler, 1.2 million for rk4, 0.86 million for
     * tsit5 and dormand-prince-54). Now each run fails at the first repeated spike, naming the neuron and the
     * time (the timeout only keeps a regression from hanging the build).
     */
    @ParameterizedTest
    @ValueSource(strings = {"exponential-euler", "rk4", "tsit5", "dormand-prince-54"})
    void issue12_aResetJustBelowTheThresholdFailsNamingTheNeuronAndTime(final String name) {
        // GIVEN the driven neurons with a reset just below the threshold and no refractory period
        final Solver solver = Solvers.get(name);
        final Problem problem = Problem.of(lif(-50.0 - 1e-9), 100.0);
        // WHEN solving
        final Trajectory tr = Assertions.assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> solver.solve(problem, options(solver)));
        // THEN the run fails at the first crossing, naming the variable, the neuron and the time
        assertEquals(Status.FAILED, tr.status(), tr.message());
        assertTrue(tr.message().startsWith("runaway events: v[0] (member 0 of event 'spike') fired again with no"
                + " time elapsed"), tr.message());
        assertEquals(FIRST_CROSSING, timeIn(tr.message()), 0.01, tr.message());
        // AND the event log holds a handful of spikes, not millions
        assertTrue(tr.events().size() <= 3 * (AbstractSimulation.MAX_EVENTS_PER_WINDOW + 1), tr.message());
    }

    /**
     * Reset 1e-4 mV below the threshold: the neurons fire every 2e-4 ms, 500 times within one step of 0.1 ms,
     * which a fixed-step solver cannot resolve; before the rule rk4 used up the budget (1.2 million spikes
     * with 2 million evaluations).
     */
    @ParameterizedTest
    @ValueSource(strings = {"exponential-euler", "rk4"})
    void issue12_aFixedStepSolverRefusesMoreThanAHundredSpikesOfOneNeuronWithinOneStep(final String name) {
        // GIVEN the neurons with a reset 1e-4 mV below the threshold
        final Solver solver = Solvers.get(name);
        // WHEN solving with steps of 0.1 ms
        final Trajectory tr = solver.solve(Problem.of(lif(-50.0 - 1e-4), 100.0), options(solver));
        // THEN the burst ends the run, within a step of the first crossing
        assertEquals(Status.FAILED, tr.status(), tr.message());
        assertTrue(tr.message().startsWith("runaway events: v[0] (member 0 of event 'spike') fired more than 100"
                + " times within a window of 0.1 time units"), tr.message());
        assertEquals(FIRST_CROSSING, timeIn(tr.message()), 0.1, tr.message());
    }

    @Test
    void issue12_withFailFastTheRunawayIsThrown() {
        // GIVEN the default options (fail fast) and the runaway neurons
        final Problem problem = Problem.of(lif(-50.0 - 1e-9), 100.0);
        // WHEN solving THEN the runaway is thrown with its own code
        final OdeException e = assertThrows(OdeException.class,
                () -> Solvers.get("dormand-prince-853").solve(problem, SolveOptions.defaults()));
        assertEquals(ErrorCode.EVENT_RUNAWAY, e.code(), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"exponential-euler", "rk4", "tsit5", "dormand-prince-54"})
    void anOrdinaryResetIsNotTakenForARunaway(final String name) {
        // GIVEN the same neurons reset to -65 mV: they fire every 10 ln 4 = 13.9 ms
        final Solver solver = Solvers.get(name);
        // WHEN solving over 100 ms
        final Trajectory tr = solver.solve(Problem.of(lif(-65.0), 100.0), options(solver));
        // THEN 7 spikes per neuron (at 13.9, 27.7, ..., 97.0 ms)
        assertEquals(Status.SUCCESS, tr.status(), tr.message());
        assertEquals(21, tr.events().size());
    }

    /** The first "at t = <number>" of a message. */
    private static double timeIn(final String message) {
        final Matcher m = Pattern.compile("at t = ([-+0-9.Ee]+)").matcher(message);
        assertTrue(m.find(), message);
        return Double.parseDouble(m.group(1));
    }
}
