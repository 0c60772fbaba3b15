package org.neurode.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.neurode.tests.Cli.run;
import static org.neurode.tests.Cli.fileNames;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurode.core.io.ArrayFile;

/**
 * {@code neurode simulate} with monitors: recorders of their own interval ({@code --record v[0..9]@0.1}), named
 * subexpressions and matrix ranges recorded, spike monitors per event kind ({@code --spikes}), population rates
 * ({@code --rate}, {@code --rate-smooth}) and NumPy files ({@code --npy}); bad monitor options are one-line errors.
 */
class MonitorOptionsTest {

    @TempDir
    Path temp;

    /**
     * Four leaky integrate-and-fire neurons with drives 2, 3, 4, 5 (dv/dt = (I - v)/10, threshold 1, reset 0), a
     * named subexpression and a decaying matrix: neuron i fires every 10 ln(I/(I - 1)) ms, 6.93, 4.05, 2.88 and 2.23.
     */
    private Path model() throws IOException {
        final Path file = temp.resolve("lif4.ode");
        Files.writeString(file, String.join("\n", "model lif4", "parameter tau = 10", "input I[4] = 2, 3, 4, 5",
                "state v[4] = 0", "state W[2,3] = 1", "let drive = I - v", "dv/dt = drive / tau",
                "dW/dt = -W / 100", "threshold v = 1 reset 0", "time 0 40"));
        return file;
    }

    @Test
    void recordersSpikesAndRatesAreWrittenPerMonitor() throws IOException {
        final Path out = temp.resolve("out");
        // WHEN v of all neurons is recorded every 0.1 ms with a column of W, drive every 1 ms, spikes and the
        // population rate in 5-ms bins (smoothed over 15 ms), with NumPy copies
        final Cli.Run run = run("simulate", "--model-file", model().toString(), "--dt", "0.01", "--record", "v[0]",
                "--record", "v[0..3]@0.1,W[0..1, 1]@0.1", "--record", "drive[2..3]@1", "--spikes", "--rate", "5",
                "--rate-smooth", "15", "--npy", "--out", out.toString(), "--no-progress");
        // THEN
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(Set.of("results.json", "trajectory.csv", "trajectory.npy", "record-0.1ms.csv",
                "record-0.1ms.npy", "record-1ms.csv", "record-1ms.npy", "spikes.csv", "spikes-spike.csv",
                "spikes-spike-t.npy", "spikes-spike-i.npy", "rates.csv", "rates.npy", "plot.png"), fileNames(out));
        final List<String> fast = Files.readAllLines(out.resolve("record-0.1ms.csv"));
        assertEquals("t_ms,v[0],v[1],v[2],v[3],\"W[0,1]\",\"W[1,1]\"", fast.get(0));
        assertEquals(402, fast.size(), "a header and 401 samples from 0 to 40 ms");
        final List<String> slow = Files.readAllLines(out.resolve("record-1ms.csv"));
        assertEquals("t_ms,drive[2],drive[3]", slow.get(0));
        assertEquals(42, slow.size());
        // drive = I - v is 4 and 5 at t = 0 (v = 0)
        assertEquals("0.0,4.0,5.0", slow.get(1));
        // the spikes of neuron 0 every 6.93 ms: 5 in 40 ms; of all four, 5 + 9 + 13 + 17 = 44 (40 / interval,
        // rounded down; no spike within 0.1 ms of 40 ms)
        final List<String> spikes = Files.readAllLines(out.resolve("spikes-spike.csv"));
        assertEquals("t_ms,i", spikes.get(0));
        assertEquals(44, spikes.size() - 1);
        assertEquals(5, spikes.stream().filter(l -> l.endsWith(",0")).count());
        final List<String> rates = Files.readAllLines(out.resolve("rates.csv"));
        assertEquals("t_ms,spike_Hz,spike_smooth_Hz", rates.get(0));
        assertEquals(9, rates.size(), "8 bins of 5 ms");
        double total = 0;
        for (final String line : rates.subList(1, rates.size())) {
            total += Double.parseDouble(line.split(",")[1]);
        }
        // the mean of the bins' rates is the mean rate: 44 spikes / (4 neurons * 0.04 s) = 275 Hz (sums of a few
        // multiples of 50 Hz: exact to rounding)
        assertEquals(275.0, total / 8, 1e-9);
        // the NumPy copies hold the same numbers
        final double[] npy = ArrayFile.read(out.resolve("spikes-spike-i.npy"), 44, 1);
        assertEquals(Integer.parseInt(spikes.get(1).split(",")[1]), (int) npy[0]);
        final double[] fastNpy = ArrayFile.read(out.resolve("record-0.1ms.npy"), 401, 7);
        final String[] row = fast.get(11).split(",");
        for (int j = 0; j < 5; j++) {
            assertEquals(Double.parseDouble(row[j]), fastNpy[10 * 7 + j], 0.0);
        }
        final String results = Files.readString(out.resolve("results.json")).replaceAll("\\s", "");
        assertTrue(results.contains("\"rates\":\"rates.csv\"") && results.contains("\"spikes-spike\":"
                + "\"spikes-spike.csv\"") && results.contains("\"record-0.1ms\":\"record-0.1ms.csv\""), results);
    }

    @Test
    void badMonitorOptionsAreOneLineErrors() throws IOException {
        final String file = model().toString();
        assertError(run("simulate", "--model-file", file, "--record", "v[0..4]@0.1", "--out", out()),
                "--record", "v[0..4]", "'v' has 4 elements, indices 0 to 3");
        assertError(run("simulate", "--model-file", file, "--record", "W[0..1, 3]@0.1", "--out", out()),
                "--record", "W[0..1, 3]", "3 columns");
        assertError(run("simulate", "--model-file", file, "--record", "drve@1", "--out", out()),
                "--record", "drve", "drive");
        assertError(run("simulate", "--model-file", file, "--record", "v@0", "--out", out()),
                "--record v@0", "positive");
        assertError(run("simulate", "--model-file", file, "--record", "v@x", "--out", out()), "--record v@x");
        assertError(run("simulate", "--model-file", file, "--rate-smooth", "5", "--out", out()),
                "--rate-smooth needs --rate");
        assertError(run("simulate", "--model", "three-compartment", "--rate", "5", "--out", out()),
                "--rate", "has no events");
        assertError(run("simulate", "--model-file", file, "--rate", "500", "--out", out()), "--rate 500",
                "longer than the run");
    }

    /** The model of {@link #model()} as a population P with the event spike (a threshold on v). */
    @Test
    void theFigureHasARatePanelWithoutRateAndNoRateFile() throws IOException {
        // GIVEN the same model file run without and with --rate (10-ms bins; 40 ms run: the automatic bin is 0.2 ms)
        final Path plain = temp.resolve("plain");
        final Path rated = temp.resolve("rated");
        assertEquals(0, run("simulate", "--model-file", population().toString(), "--out", plain.toString(),
                "--no-progress").exitCode());
        assertEquals(0, run("simulate", "--model-file", population().toString(), "--rate", "10", "--out",
                rated.toString(), "--no-progress").exitCode());
        // THEN both figures have the raster, the rate panel and the traces (the same height), and only the run with
        // --rate writes rates.csv
        final java.awt.image.BufferedImage a = javax.imageio.ImageIO.read(plain.resolve("plot.png").toFile());
        final java.awt.image.BufferedImage b = javax.imageio.ImageIO.read(rated.resolve("plot.png").toFile());
        assertEquals(b.getHeight(), a.getHeight());
        assertEquals(Set.of("results.json", "trajectory.csv", "spikes.csv", "plot.png"), fileNames(plain));
        assertTrue(fileNames(rated).contains("rates.csv"));
        // AND a model without events has no raster and no rate panel: a shorter figure
        final Path quiet = temp.resolve("quiet");
        final Path file = temp.resolve("leak.ode");
        Files.writeString(file, String.join("\n", "model leak", "parameter tau = 10", "state v[4] = 0",
                "dv/dt = (1 - v) / tau", "time 0 40"));
        assertEquals(0, run("simulate", "--model-file", file.toString(), "--out", quiet.toString(), "--no-progress")
                .exitCode());
        assertTrue(javax.imageio.ImageIO.read(quiet.resolve("plot.png").toFile()).getHeight() < a.getHeight());
    }

    private Path population() throws IOException {
        final Path file = temp.resolve("lifp.ode");
        Files.writeString(file, String.join("\n", "model lifp", "parameter tau = 10", "input I[4] = 2, 3, 4, 5",
                "state v[4] = 0", "dv/dt = (I - v) / tau", "population P 4: v, I", "threshold v > 1", "reset v = 0",
                "time 0 40"));
        return file;
    }

    @Test
    void synapseVariablesSlicedSpikeMonitorsAndGaussianRates() throws IOException {
        // GIVEN the example of Payeur et al.'s short-term plasticity: one spike generator 'pre' (spikes at 10, 30,
        // ..., 190 and 490 ms) onto a depressing synapse D and a facilitating one F
        final Path out = temp.resolve("stp");
        final Cli.Run run = run("simulate", "--model-file", Path.of("..", "examples", "models", "stp_payeur.ode")
                .toString(), "--solver", "euler", "--dt", "0.1", "--record", "ge[0]", "--record",
                "D.x@1,D.u[0]@1,F.u[0..0]@1", "--spikes", "pre", "--out", out.toString(), "--no-progress");
        assertEquals(0, run.exitCode(), run.err());
        // THEN the synapse variables are columns of their recorder, as stored: x = 1 and u = U before the first
        // spike, x = 1 - U and u = U + f (1 - U) from the step of the first spike (the sample at 11 ms) until the
        // second one updates them (the stored value does not relax between spikes)
        final List<String> syn = Files.readAllLines(out.resolve("record-1ms.csv"));
        assertEquals("t_ms,D.x[0],D.u[0],F.u[0]", syn.get(0));
        assertEquals(List.of("10.0", "1.0", "0.9", "0.02"), List.of(syn.get(11).split(",")));
        for (int k = 12; k <= 31; k++) {
            final String[] row = syn.get(k).split(",");
            assertEquals(1 - 0.9, Double.parseDouble(row[1]), 1e-15, row[0]);
            assertEquals(0.9 + 0.1 * (1 - 0.9), Double.parseDouble(row[2]), 1e-15, row[0]);
            assertEquals(0.02 + 0.1 * (1 - 0.02), Double.parseDouble(row[3]), 1e-15, row[0]);
        }
        // AND the spike monitor of the population 'pre' (a source: its event is named after it) has its 11 spikes
        final List<String> spikes = Files.readAllLines(out.resolve("spikes-pre.csv"));
        assertEquals(12, spikes.size());
        assertEquals("10.0,0", spikes.get(1));

        // WHEN a population's spike monitor is restricted to members 2 and 3, and its rate smoothed by a Gaussian
        final Path out2 = temp.resolve("slice");
        final Cli.Run run2 = run("simulate", "--model-file", population().toString(), "--dt", "0.01", "--spikes",
                "P[2:4]", "--rate", "2", "--rate-smooth", "2", "--rate-window", "gaussian", "--out", out2.toString(),
                "--no-progress");
        assertEquals(0, run2.exitCode(), run2.err());
        // THEN the monitor holds the 13 + 17 spikes of neurons 2 and 3 (every 2.88 and 2.23 ms), counted from the
        // slice's start as Brian2's SpikeMonitor of a subgroup: i = 0 and 1
        final List<String> sliced = Files.readAllLines(out2.resolve("spikes-spike.csv"));
        assertEquals(30, sliced.size() - 1);
        assertEquals(13, sliced.stream().filter(l -> l.endsWith(",0")).count());
        assertEquals(17, sliced.stream().filter(l -> l.endsWith(",1")).count());
        // AND the smoothed rate is the rate convolved with exp(-m^2 / 2), m = -2..2 (SD 2 ms = 1 bin, reaching
        // round(2 * 2 / 2) = 2 bins), normalised, zeros beyond the ends (the CSV's shortest texts read back to the
        // doubles; the sums in another order than the library's: bound 1e-12 Hz of rates under 500 Hz)
        final List<String> lines = Files.readAllLines(out2.resolve("rates.csv"));
        assertEquals("t_ms,spike_Hz,spike_smooth_Hz", lines.get(0));
        final int bins = lines.size() - 1;
        final double[] rate = new double[bins];
        for (int k = 0; k < bins; k++) {
            rate[k] = Double.parseDouble(lines.get(k + 1).split(",")[1]);
        }
        double norm = 0;
        for (int m = -2; m <= 2; m++) {
            norm += Math.exp(-m * m / 2.0);
        }
        for (int k = 0; k < bins; k++) {
            double hand = 0;
            for (int m = -2; m <= 2; m++) {
                if (k + m >= 0 && k + m < bins) {
                    hand += rate[k + m] * Math.exp(-m * m / 2.0);
                }
            }
            assertEquals(hand / norm, Double.parseDouble(lines.get(k + 1).split(",")[2]), 1e-12, "bin " + k);
        }
    }

    @Test
    void badSynapseRecordersAndSpikeSelectionsAreOneLineErrors() throws IOException {
        final String stp = Path.of("..", "examples", "models", "stp_payeur.ode").toString();
        assertError(run("simulate", "--model-file", stp, "--record", "D.q@1", "--out", out()), "--record",
                "'D.q'", "projection 'D' has no synapse variable 'q'; its synapse variables: x, u");
        assertError(run("simulate", "--model-file", stp, "--record", "Q.x", "--out", out()), "--record",
                "no projection 'Q'; its projections: D, F");
        assertError(run("simulate", "--model-file", stp, "--record", "D.x[1]", "--out", out()), "--record",
                "index 1 is out of range: projection 'D' has 1 synapse, indices 0 to 0");
        final String file = population().toString();
        assertError(run("simulate", "--model-file", file, "--spikes", "Q", "--out", out()), "--spikes Q",
                "no population or event kind 'Q'; populations: P; event kinds: spike");
        assertError(run("simulate", "--model-file", file, "--spikes", "P[0:9]", "--out", out()), "--spikes P[0:9]",
                "the slice ends after the 4 members of 'P'");
        assertError(run("simulate", "--model-file", file, "--spikes", "P[3:3]", "--out", out()), "is empty");
        assertError(run("simulate", "--model-file", file, "--spikes", "P,spike[0:2]", "--out", out()),
                "'spike' is selected twice");
        assertError(run("simulate", "--model-file", file, "--rate", "5", "--rate-window", "gaussian", "--out",
                out()), "--rate-window needs --rate-smooth");
        assertError(run("simulate", "--model-file", file, "--rate", "5", "--rate-smooth", "5", "--rate-window",
                "box", "--out", out()), "--rate-window box", "flat or gaussian");
    }

    private String out() {
        return temp.resolve("bad").toString();
    }

    private void assertError(final Cli.Run run, final String... fragments) {
        Cli.assertOneLineError(run, fragments);
        assertTrue(!Files.exists(temp.resolve("bad")), "no output folder for bad input");
    }

    @Test
    void withoutMonitorOptionsTheFilesAreThoseOfBefore() throws IOException {
        final Path out = temp.resolve("plain");
        final Cli.Run run = run("simulate", "--model-file", model().toString(), "--out", out.toString(), "--no-progress");
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(Set.of("results.json", "trajectory.csv", "spikes.csv", "plot.png"), fileNames(out));
        assertEquals("t_ms,v[0],v[1],v[2],v[3],\"W[0,0]\",\"W[0,1]\",\"W[0,2]\",\"W[1,0]\",\"W[1,1]\",\"W[1,2]\"",
                Files.readAllLines(out.resolve("trajectory.csv")).get(0));
    }
    @Test
    void theMeanRateOfAModelFileCountsTheMembersOfItsPopulations() throws IOException {
        // GIVEN the CUBA network (4,000 neurons; Brian2's mean rate about 5.6 Hz over 1 s), 300 ms of it
        final Path out = temp.resolve("cuba");
        final Cli.Run r = run("simulate", "--model-file", Path.of("..", "examples", "models", "cuba.ode").toString(),
                "--solver", "euler", "--dt", "0.1", "--t-end", "300", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        // THEN the printed rate is spikes per neuron per second: thousands of spikes over 4,000 neurons and
        // 0.3 s give a few Hz (the rate of its first 300 ms; dividing by one neuron printed over 10,000 Hz)
        final java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) spikes, mean rate ([0-9.]+) Hz")
                .matcher(r.out());
        assertTrue(m.find(), r.out());
        final double spikes = Double.parseDouble(m.group(1));
        final double rate = Double.parseDouble(m.group(2));
        assertTrue(spikes > 1000, r.out());
        // (the rate is printed with two decimals: rounding moves it by at most 0.005 Hz)
        assertEquals(spikes / (4000 * 0.3), rate, 0.006, r.out());
        assertTrue(rate > 1 && rate < 30, r.out());
        // AND by default it records the first ten of each 4,000-element variable, not 12,000 columns
        final String header = Files.readAllLines(out.resolve("trajectory.csv")).get(0);
        assertEquals(31, header.split(",").length, header);
        assertTrue(header.startsWith("t_ms,v[0],") && header.endsWith(",gi[9]"), header);
    }
}
