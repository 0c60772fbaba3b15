package org.neurode.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.junit.jupiter.api.Test;

/**
 * The population rate against Brian2's PopulationRateMonitor and smooth_rate (golden/rate/make_rate.py: 10 neurons,
 * given spikes, dt 0.1 ms, 20 ms), and the spikes of one event kind as arrays.
 */
class PopulationRateTest {

    private static List<String[]> csv(final String name) throws IOException {
        final String resource = "/golden/rate/" + name;
        try (InputStream in = Objects.requireNonNull(PopulationRateTest.class.getResourceAsStream(resource),
                resource)) {
            final List<String[]> rows = new ArrayList<>();
            final String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            for (int k = 1; k < lines.length; k++) {
                rows.add(lines[k].trim().split(","));
            }
            return rows;
        }
    }

    /** Brian2's spikes logged as a fixed-step neurode run logs them: at the step start {@code 0 + k * 0.1}. */
    private static EventLog brianSpikes() throws IOException {
        final EventLog log = new EventLog("spike", "burst");
        for (final String[] row : csv("spikes.csv")) {
            log.add(Integer.parseInt(row[1]) * 0.1, 0, Integer.parseInt(row[0]));
        }
        log.add(3.0, 1, 4);
        return log;
    }

    @Test
    void ratesPerStepAndSmoothedRatesAreBrian2s() throws IOException {
        // GIVEN Brian2's spikes and its rates
        final List<String[]> golden = csv("rate.csv");
        // WHEN binned per time step (0.1 ms, in a model whose time unit is ms)
        final PopulationRate r = PopulationRate.of(brianSpikes(), "spike", 10, 0.0, 20.0, 0.1, 1e-3);
        final double[] rates = r.rates();
        final double[] flat = r.smoothFlat(1.05);
        final double[] gauss = r.smoothGaussian(0.4);
        final double[] times = r.times();
        // THEN one bin per step with Brian2's times and rates: a count over (N dt) here, over dt then N in Brian2,
        // so equal to a few ulps (1e-12 relative); the smoothed rates add up 11 or 9 products, possibly in another
        // order than NumPy's convolve: measured, flat exact and Gaussian within 6e-14 Hz (of 205 Hz), bound 1e-11 Hz
        // (a few ulps of rates up to 3000 Hz)
        assertEquals(golden.size(), r.size());
        assertEquals(200, r.size());
        for (int k = 0; k < golden.size(); k++) {
            final String[] g = golden.get(k);
            assertEquals(Double.parseDouble(g[0]), times[k], 1e-12, "t at " + k);
            assertEquals(Double.parseDouble(g[1]), rates[k], 1e-12 * Math.max(1, rates[k]), "rate at " + k);
            assertEquals(Double.parseDouble(g[2]), flat[k], 1e-11, "flat at " + k);
            assertEquals(Double.parseDouble(g[3]), gauss[k], 1e-11, "gaussian at " + k);
        }
    }

    @Test
    void aWiderBinIsTheMeanOfItsSteps() throws IOException {
        // GIVEN Brian2's per-step rates
        final List<String[]> golden = csv("rate.csv");
        // WHEN binned per 1 ms (10 steps)
        final PopulationRate r = PopulationRate.of(brianSpikes(), "spike", 10, 0.0, 20.0, 1.0, 1e-3);
        // THEN 20 bins, each the mean of its 10 steps' rates (sums of integers times 100, exact to an ulp)
        assertEquals(20, r.size());
        int total = 0;
        for (int b = 0; b < 20; b++) {
            double mean = 0.0;
            for (int k = 10 * b; k < 10 * b + 10; k++) {
                mean += Double.parseDouble(golden.get(k)[1]) / 10;
            }
            assertEquals(mean, r.rates()[b], 1e-9, "bin " + b);
            total += r.counts()[b];
        }
        assertEquals(brianSpikes().count("spike"), total);
    }

    @Test
    void theSpikesOfOneEventKindAreArrays() throws IOException {
        final EventLog log = brianSpikes();
        assertEquals(List.of("spike", "burst"), log.detectorNames());
        assertEquals(1, log.count("burst"));
        assertArrayEquals(new double[] {3.0}, log.times("burst"));
        assertArrayEquals(new int[] {4}, log.members("burst"));
        final List<String[]> spikes = csv("spikes.csv");
        final int[] members = log.members("spike");
        final double[] times = log.times("spike");
        assertEquals(spikes.size(), members.length);
        for (int k = 0; k < members.length; k++) {
            assertEquals(Integer.parseInt(spikes.get(k)[0]), members[k]);
            assertEquals(Integer.parseInt(spikes.get(k)[1]) * 0.1, times[k], 0.0);
        }
        final OdeException e = assertThrows(OdeException.class, () -> log.times("spikes"));
        assertEquals("no event is named 'spikes'; events: spike, burst", e.getMessage());
    }

    @Test
    void badArgumentsAreErrorsNamingThem() throws IOException {
        final EventLog log = brianSpikes();
        assertEquals("members of event 'spike' must be positive but is 0", assertThrows(OdeException.class,
                () -> PopulationRate.of(log, "spike", 0, 0.0, 20.0, 0.1, 1e-3)).getMessage());
        assertThrows(OdeException.class, () -> PopulationRate.of(log, "spike", 10, 0.0, 20.0, 0.0, 1e-3));
        assertThrows(OdeException.class, () -> PopulationRate.of(log, "spike", 10, 5.0, 5.0, 0.1, 1e-3));
        assertThrows(OdeException.class, () -> PopulationRate.of(log, "spik", 10, 0.0, 20.0, 0.1, 1e-3));
        assertThrows(OdeException.class, () -> PopulationRate.of(log, "spike", 10, 0.0, 20.0, 0.1, 1e-3)
                .smoothFlat(-1));
    }
}
