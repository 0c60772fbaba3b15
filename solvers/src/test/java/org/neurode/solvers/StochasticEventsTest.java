package org.neurode.solvers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.neurode.core.EventLog;
import org.neurode.core.Model;
import org.neurode.core.OdeException;
import org.neurode.core.Problem;
import org.neurode.core.Recorder;
import org.neurode.core.expr.ModelFile;

/**
 * {@code rand()}, {@code randn()} and {@code dt} in event conditions, resets and projection statements (Brian2's
 * stochastic threshold {@code rand() < rate * dt}), drawn from per-run generators seeded by the run's seed.
 */
class StochasticEventsTest {

    /** 2,000 stochastic neurons at r = 0.02 / ms (20 Hz); c counts each member's spikes. */
    private static final String POISSON_NEURONS = String.join("\n", "model stochastic", "parameter r = 0.02",
            "state c[2000] = 0", "dc/dt = 0 * c", "population P 2000: c", "threshold rand() < r * dt",
            "reset c += 1", "time 0 500");

    private static Model model(final String text) {
        return ModelFile.parse(text, "s.ode", "s").model();
    }

    private static EventLog run(final String text, final double tEnd, final long seed) {
        return Solvers.get("euler").solve(Problem.of(model(text), tEnd),
                SolveOptions.fixedStep(0.1).withSeed(seed).withRecorder(Recorder.finalOnly())).events();
    }

    @Test
    void stochasticThresholdFiresAtItsRate() {
        // GIVEN 2,000 members that fire with probability r dt = 0.002 in each of the 5,000 steps of 0.1 ms
        // WHEN run for 500 ms
        final EventLog log = run(POISSON_NEURONS, 500.0, 7L);
        // THEN the count is binomial(10^7, 0.002): mean 20,000, sd sqrt(10^7 * 0.002 * 0.998) = 141.3; 5 sd (707)
        // leaves a chance below 1e-6 for a correct generator, while a rate off by 5% (1,000 spikes), a draw per
        // step instead of per member, or dt read as 1 (100 times the rate) fails
        final int count = log.count("spike");
        assertEquals(20_000.0, count, 5 * 141.3, "spike count");
        // every member fires (mean 10 each; P(0) = e^-10 per member, 2,000 members: 0.09 expected) and the members
        // are not all alike: a shared draw per step would give each member the same count
        final int[] perMember = new int[2000];
        for (final int m : log.members("spike")) {
            perMember[m]++;
        }
        final int distinct = (int) Arrays.stream(perMember).distinct().count();
        assertTrue(distinct > 10, "distinct per-member counts: " + distinct);
    }

    @Test
    void autoDetectionBecomesStepEndEvenOnAnAdaptiveSolver() {
        // GIVEN the stochastic threshold written with a rate per step (no dt, which adaptive solvers lack)
        final String text = POISSON_NEURONS.replace("rand() < r * dt", "rand() < r * 0.1");
        // WHEN it runs on dormand-prince-54 (which would root-find a continuous condition)
        final EventLog log = Solvers.get("dormand-prince-54").solve(Problem.of(model(text), 100.0),
                SolveOptions.defaults().withSeed(3L).withRecorder(Recorder.finalOnly())).events();
        // THEN the events are checked at step ends (each of the steps the solver takes): some fire, and the run ends
        assertTrue(log.count("spike") > 0, "spikes: " + log.count("spike"));
    }

    @Test
    void resetDrawsInItsInterval() {
        // GIVEN members that fire when t reaches tb and draw the next tb = t + 5 + 10 rand() in the reset
        final String text = String.join("\n", "model timer", "state tb[500] = 0", "state last[500] = -1",
                "state d[500] = 0", "dtb/dt = 0 * tb", "dlast/dt = 0 * last", "dd/dt = 0 * d",
                "population P 500: tb, last, d", "threshold t >= tb",
                "reset last = t; tb = t + 5 + 10 * rand(); d = tb - t", "time 0 200");
        final Simulation sim = Solvers.get("euler").start(Problem.of(model(text), 200.0),
                SolveOptions.fixedStep(0.1).withSeed(11L).withRecorder(Recorder.finalOnly()));
        sim.advanceTo(200.0);
        final double[] d = new double[500];
        sim.copyBlock("d", d);
        final EventLog log = sim.finish().events();
        // THEN every draw lies in [5, 15) (to rounding of t + d - t: 1e-12), and the draws fill the interval
        // (the smallest of 500 uniform draws exceeds 5.2 with probability 0.98^500 = 4e-5, likewise the largest)
        final double min = Arrays.stream(d).min().getAsDouble();
        final double max = Arrays.stream(d).max().getAsDouble();
        assertTrue(min >= 5.0 - 1e-12 && max < 15.0 + 1e-12, "range " + min + " .. " + max);
        assertTrue(min < 5.2 && max > 14.8, "range " + min + " .. " + max);
        // and the intervals between a member's events are the draws rounded up to the step: within [5, 15.1]
        final double[] times = log.times("spike");
        final int[] members = log.members("spike");
        final double[] previous = new double[500];
        Arrays.fill(previous, Double.NaN);
        int intervals = 0;
        for (int k = 0; k < times.length; k++) {
            final int m = members[k];
            if (!Double.isNaN(previous[m])) {
                final double isi = times[k] - previous[m];
                assertTrue(isi >= 5.0 - 1e-9 && isi <= 15.1 + 1e-9, "interval " + isi + " of member " + m);
                intervals++;
            }
            previous[m] = times[k];
        }
        assertTrue(intervals > 500 * 10, "intervals: " + intervals);
    }

    @Test
    void sameSeedSameEventsOtherSeedOtherEvents() {
        // GIVEN the stochastic population run twice with seed 5 and once with seed 6
        final EventLog a = run(POISSON_NEURONS, 50.0, 5L);
        final EventLog b = run(POISSON_NEURONS, 50.0, 5L);
        final EventLog c = run(POISSON_NEURONS, 50.0, 6L);
        // THEN the first two logs are identical, member by member and time by time, and the third is not
        assertArrayEquals(a.times(), b.times());
        assertArrayEquals(a.members(), b.members());
        assertTrue(a.size() > 1000, "events: " + a.size());
        assertFalse(Arrays.equals(a.members(), c.members()) && Arrays.equals(a.times(), c.times()),
                "seeds 5 and 6 gave the same events");
    }

    @Test
    void projectionStatementsDraw() {
        // GIVEN a Poisson group driving 200 targets one to one, each spike adding rand() (uniform) and randn() to
        // its target's counters, and counting spikes
        final String text = String.join("\n", "model drawn", "state a[200] = 0", "state b[200] = 0",
                "state n[200] = 0", "da/dt = 0 * a", "db/dt = 0 * b", "dn/dt = 0 * n", "population T 200: a, b, n",
                "population D 200 poisson 0.05", "projection S: D -> T connect one-to-one on_pre a += rand(); "
                        + "b += randn(); n += 1", "time 0 500");
        final SolveOptions options = SolveOptions.fixedStep(0.1).withRecorder(Recorder.finalOnly());
        final Simulation sim = Solvers.get("euler").start(Problem.of(model(text), 500.0), options.withSeed(1L));
        sim.advanceTo(500.0);
        final double[] a = new double[200];
        final double[] b = new double[200];
        final double[] n = new double[200];
        sim.copyBlock("a", a);
        sim.copyBlock("b", b);
        sim.copyBlock("n", n);
        final double count = Arrays.stream(n).sum();
        // THEN the uniform draws average 1/2 (sd of the mean sqrt(1/12 / count) = 0.0018 for ~5,000 spikes; 5 sd
        // is 0.009) and the normal ones 0 (sd 1 / sqrt(count) = 0.014; 5 sd is 0.071)
        assertTrue(count > 4000, "spikes: " + count);
        assertEquals(0.5, Arrays.stream(a).sum() / count, 5 * Math.sqrt(1.0 / 12.0 / count));
        assertEquals(0.0, Arrays.stream(b).sum() / count, 5 / Math.sqrt(count));
        // and another run seed draws other numbers for the same spikes (the Poisson group is seeded by the model)
        final Simulation other = Solvers.get("euler").start(Problem.of(model(text), 500.0), options.withSeed(2L));
        other.advanceTo(500.0);
        final double[] a2 = new double[200];
        other.copyBlock("a", a2);
        final double[] n2 = new double[200];
        other.copyBlock("n", n2);
        assertArrayEquals(n, n2);
        assertFalse(Arrays.equals(a, a2));
    }

    @Test
    void continuousDetectionOfADrawingConditionIsRefusedNamingTheEvent() {
        // GIVEN an event whose condition draws, with detection forced to continuous
        final String text = String.join("\n", "model bad", "state c[10] = 0", "dc/dt = 0 * c",
                "event noisy: rand() < 0.01 reset c += 1 detection continuous");
        // THEN building the model is refused, naming the event and the way out
        final OdeException e = assertThrows(OdeException.class, () -> model(text));
        assertTrue(e.getMessage().contains("event 'noisy'") && e.getMessage().contains("step-end")
                && e.getMessage().contains("line 4"), e.getMessage());
    }

    @Test
    void dtOnAnAdaptiveSolverIsRefusedNamingTheEvent() {
        // GIVEN the stochastic threshold with dt, on a solver that chooses its steps
        final Problem problem = Problem.of(model(POISSON_NEURONS), 10.0);
        // THEN the run is refused when it starts, naming the event and dt
        final OdeException e = assertThrows(OdeException.class, () -> Solvers.get("dormand-prince-54").solve(problem,
                SolveOptions.defaults()));
        assertTrue(e.getMessage().contains("event 'spike' uses dt"), e.getMessage());
    }

    @Test
    void drawsAndDtStayRefusedInEquations() {
        // GIVEN rand() and dt in an equation (the integrator's right-hand side is not a per-step event)
        final OdeException r = assertThrows(OdeException.class, () -> model(String.join("\n", "model m",
                "state v = 0", "dv/dt = rand()")));
        final OdeException d = assertThrows(OdeException.class, () -> model(String.join("\n", "model m",
                "state v = 0", "dv/dt = v / dt")));
        // THEN both are refused with the places where they are allowed
        assertTrue(r.getMessage().contains("rand() draws initial and parameter values"), r.getMessage());
        assertTrue(d.getMessage().contains("'dt' (the step length) is known in event conditions"), d.getMessage());
    }
}
