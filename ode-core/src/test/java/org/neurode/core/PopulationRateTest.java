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
    void gaussianSmoothingIsTheHandComputedWindow() {
        // GIVEN 2 neurons over 8 bins of 1 ms: one spike in bin 0, two in bin 4 (rates 500 and 1000 Hz)
        final EventLog log = new EventLog("spike");
        log.add(0.5, 0, 1);
        log.add(4.2, 0, 0);
        log.add(4.7, 0, 1);
        final PopulationRate r = PopulationRate.of(log, "spike", 2, 0.0, 8.0, 1.0, 1e-3);
        assertArrayEquals(new double[] {500, 0, 0, 0, 1000, 0, 0, 0}, r.rates(), 1e-9);
        // WHEN smoothed with a Gaussian of standard deviation 0.6 ms: it reaches round(2 * 0.6 / 1) = 1 bin each
        // side, with weights exp(-1 / (2 * 0.6^2)) = a beside 1 in the middle, normalised by 1 + 2a
        final double[] g = r.smoothGaussian(0.6);
        final double a = Math.exp(-1.0 / (2 * 0.36));
        final double n = 1 + 2 * a;
        // THEN bin k is the sum of its neighbours' rates times their weights; beyond the ends the rates count as 0
        // (bin 0 keeps 500 / n only, as NumPy's convolve(mode='same')); the same sums in the same order but for the
        // normalisation (multiplied by 1 / sum rather than divided): measured 1 ulp (5.7e-14 of 334 Hz), bound 1e-12 Hz
        final double[] expected = {500 / n, 500 * a / n, 0, 1000 * a / n, 1000 / n, 1000 * a / n, 0, 0};
        assertArrayEquals(expected, g, 1e-12);
        // AND a standard deviation of 1.4 ms reaches round(2.8) = 3 bins: weights exp(-m^2 / (2 * 1.4^2))
        final double[] w = new double[4];
        double sum = 0;
        for (int m = -3; m <= 3; m++) {
            w[Math.abs(m)] = Math.exp(-m * m / (2 * 1.96));
            sum += w[Math.abs(m)];
        }
        final double[] wide = r.smoothGaussian(1.4);
        for (int k = 0; k < 8; k++) {
            final double hand = (Math.abs(k) <= 3 ? 500 * w[k] : 0) + (Math.abs(k - 4) <= 3 ? 1000 * w[Math.abs(k - 4)]
                    : 0);
            assertEquals(hand / sum, wide[k], 1e-12, "width 1.4, bin " + k);
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
