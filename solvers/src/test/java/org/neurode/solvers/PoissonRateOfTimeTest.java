package org.neurode.solvers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.neurode.core.EventLog;
import org.neurode.core.Model;
import org.neurode.core.OdeException;
import org.neurode.core.Problem;
import org.neurode.core.Recorder;
import org.neurode.core.expr.ModelFile;

/** Poisson groups whose rate depends on the time (Brian2's {@code PoissonGroup(rates='...t...')}). */
class PoissonRateOfTimeTest {

    /** A Poisson group of n members with the given rate, sending to a counter per member. */
    private static Model model(final int n, final String rate) {
        final String text = "model timed\n"
                + "parameter r0 = 0.02 unit kHz\n"
                + "parameter f = 5 unit Hz\n"
                + "state c[" + n + "] = 0 unit 1\n"
                + "dc/dt = 0 * c * r0\n"
                + "population counters " + n + ": c\n"
                + "population drive " + n + " poisson " + rate + "\n"
                + "projection P: drive -> counters connect one-to-one on_pre c += 1\n"
                + "time 0 1000\n";
        return ModelFile.parse(text, "timed.ode", "timed").model();
    }

    private static EventLog run(final Model m, final double tEnd) {
        return Solvers.get("euler").solve(Problem.of(m, tEnd), SolveOptions.fixedStep(0.1)
                .withRecorder(Recorder.finalOnly())).events();
    }

    @Test
    void aSinusoidalRateGivesTheExpectedCountInEveryBin() {
        // GIVEN 2,000 members at 20 Hz (1 + sin(2 pi 5 Hz t)), t in ms
        final int n = 2000;
        final EventLog log = run(model(n, "r0 * (1 + sin(2 * pi * f * t))"), 1000.0);
        // WHEN the spikes are counted in 20 bins of 50 ms
        final double[] times = log.times("drive");
        final int[] count = new int[20];
        for (final double t : times) {
            count[(int) Math.floor(t / 50.0)]++;
        }
        // THEN each bin holds N * sum over its steps of r(t_n) dt spikes (the rate taken at each step's start), a
        // sum of Bernoulli draws with Poisson-like spread sqrt(expected) <= 63; 5 standard deviations either side
        // (a false failure about once in 10^5 bins). The modulation moves the expectation from 0 to 4,000, so a
        // rate taken as constant (2,000 per bin) fails most bins.
        for (int b = 0; b < 20; b++) {
            double expected = 0;
            for (int s = 0; s < 500; s++) {
                final double t = (b * 500 + s) * 0.1;
                expected += n * 0.020 * (1 + Math.sin(2 * Math.PI * 0.005 * t)) * 0.1;
            }
            assertEquals(expected, count[b], 5 * Math.sqrt(Math.max(expected, 1.0)) + 1, "bin " + b);
        }
    }

    @Test
    void aRatePerMemberAndTimeAndTheSameSpikesInEveryRun() {
        // GIVEN member i at 0.01 * i / ms during the first 500 ms only
        final Model m = model(3, "0.01 * i * (t < 500 * ms) * kHz");
        final EventLog a = run(m, 1000.0);
        final EventLog b = run(m, 1000.0);
        // THEN member 0 never fires and nothing fires after 500 ms; members 1 and 2 fire with probability 0.001 * i
        // per step of 0.1 ms for 5,000 steps: 5 and 10 spikes expected (Poisson sd 2.2 and 3.2; 5 sd allowed)
        int[] per = new int[3];
        for (int k = 0; k < a.size(); k++) {
            assertTrue(a.time(k) < 500.0, "a spike at " + a.time(k));
            per[a.member(k)]++;
        }
        assertEquals(0, per[0]);
        assertEquals(5.0, per[1], 5 * Math.sqrt(5.0));
        assertEquals(10.0, per[2], 5 * Math.sqrt(10.0));
        // AND the same seed draws the same spikes
        assertEquals(a.size(), b.size());
        for (int k = 0; k < a.size(); k++) {
            assertEquals(a.time(k), b.time(k), 0.0);
            assertEquals(a.member(k), b.member(k));
        }
    }

    @Test
    void aNegativeRateStopsTheRunNamingTheGroupAndTheTime() {
        // GIVEN a rate that turns negative after half a period (100 ms)
        final OdeException e = assertThrows(OdeException.class, () -> run(model(2, "r0 * sin(2 * pi * f * t)"),
                300.0));
        // THEN the error names the group, the value and the time
        assertTrue(e.getMessage().contains("the rate of Poisson group 'drive'"), e.getMessage());
        assertTrue(e.getMessage().matches("(?s).*at t = 100\\.\\d+.*"), e.getMessage());
    }

    @Test
    void aRateOfTheTimeCannotDrawRandomNumbersOrNameUnknownThings() {
        final OdeException draws = assertThrows(OdeException.class, () -> model(2, "r0 * rand() * (t > 1)"));
        assertTrue(draws.getMessage().contains("cannot draw random numbers"), draws.getMessage());
        final OdeException unknown = assertThrows(OdeException.class, () -> model(2, "r0 * (1 + tt)"));
        assertTrue(unknown.getMessage().contains("'tt' is not a number or a parameter declared before"),
                unknown.getMessage());
        assertTrue(unknown.getMessage().contains("the time t"), unknown.getMessage());
        // AND t is a time: comparing it with a number is a unit error naming the comparison
        final OdeException unit = assertThrows(OdeException.class, () -> model(2, "r0 * (t < 500)"));
        assertTrue(unit.getMessage().contains("'t < 500' compares 't' in ms with '500' in 1"), unit.getMessage());
    }
}
