package org.neurode.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurode.core.EventLog;
import org.neurode.core.PopulationRate;
import org.neurode.core.Samples;

/** Results written from the library: samples, spikes and rates as CSV and .npy, atomically. */
class ResultFilesTest {

    @TempDir
    Path dir;

    /** Three samples of v[0], W[0,1] and a named subexpression; values that need all 17 digits. */
    private static Samples samples() {
        return new Samples("fast", new double[] {0.0, 0.1, 0.2}, new String[] {"v[0]", "W[0,1]", "drive"},
                new double[] {-65.0, 0.1, 1.0 / 3, -64.99999999999999, 0.30000000000000004, 2e-310, 1e300, -0.0, 7});
    }

    @Test
    void samplesAsCsvReadBackToTheSameDoubles() throws IOException {
        final Path f = ResultFiles.writeCsv(dir.resolve("fast.csv"), samples(), "t_ms");
        final List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
        // the header quotes the matrix element (its comma), the numbers read back exactly
        assertEquals("t_ms,v[0],\"W[0,1]\",drive", lines.get(0));
        assertEquals(4, lines.size());
        final Samples s = samples();
        for (int k = 0; k < 3; k++) {
            final String[] cells = lines.get(k + 1).split(",");
            assertEquals(s.time(k), Double.parseDouble(cells[0]), 0.0);
            for (int j = 0; j < 3; j++) {
                assertEquals(Double.doubleToRawLongBits(s.value(k, j)),
                        Double.doubleToRawLongBits(Double.parseDouble(cells[j + 1])), "sample " + k + " column " + j);
            }
        }
    }

    @Test
    void samplesAsNpyHoldTheTimeThenTheColumns() {
        final Path f = ResultFiles.writeNpy(dir.resolve("fast.npy"), samples());
        final double[] read = ArrayFile.read(f, 3, 4);
        final Samples s = samples();
        for (int k = 0; k < 3; k++) {
            assertEquals(s.time(k), read[4 * k], 0.0);
            for (int j = 0; j < 3; j++) {
                assertEquals(s.value(k, j), read[4 * k + 1 + j], 0.0);
            }
        }
    }

    @Test
    void spikesAndRatesOfOneEventKind() throws IOException {
        final EventLog log = new EventLog("spike", "burst");
        log.add(0.5, 0, 3);
        log.add(0.5, 1, 2);
        log.add(1.25, 0, 0);
        log.add(2.0, 0, 3);
        ResultFiles.writeSpikesCsv(dir.resolve("spikes.csv"), log, "spike", "t_ms");
        assertEquals(List.of("t_ms,i", "0.5,3", "1.25,0", "2.0,3"),
                Files.readAllLines(dir.resolve("spikes.csv"), StandardCharsets.UTF_8));
        ResultFiles.writeSpikesNpy(dir.resolve("t.npy"), dir.resolve("i.npy"), log, "burst");
        assertArrayEquals(new double[] {0.5}, ArrayFile.read(dir.resolve("t.npy"), 1, 1));
        assertArrayEquals(new double[] {2}, ArrayFile.read(dir.resolve("i.npy"), 1, 1));
        // 4 neurons, bins of 1 ms over 3 ms: 1, 1 and 1 spikes: 1 / (4 * 1e-3 s) = 250 Hz each
        final PopulationRate rate = PopulationRate.of(log, "spike", 4, 0.0, 3.0, 1.0, 1e-3);
        ResultFiles.writeRatesCsv(dir.resolve("rates.csv"), rate, "t_ms", 0.0);
        assertEquals(List.of("t_ms,rate_Hz", "0.0,250.0", "1.0,250.0", "2.0,250.0"),
                Files.readAllLines(dir.resolve("rates.csv"), StandardCharsets.UTF_8));
        ResultFiles.writeRatesCsv(dir.resolve("rates.csv"), rate, "t_ms", 3.0);
        // a flat window of 3 bins: the ends see a 0 beyond the run, as NumPy's convolve(mode='same')
        assertEquals(List.of("t_ms,rate_Hz,smooth_Hz", "0.0,250.0,166.66666666666666", "1.0,250.0,250.0",
                "2.0,250.0,166.66666666666666"), Files.readAllLines(dir.resolve("rates.csv"), StandardCharsets.UTF_8));
        ResultFiles.writeRatesNpy(dir.resolve("rates.npy"), rate);
        assertArrayEquals(new double[] {0, 250, 1, 250, 2, 250}, ArrayFile.read(dir.resolve("rates.npy"), 3, 2));
    }

    @Test
    void filesAreReplacedAtomicallyLeavingNoTemporaryFile() throws IOException {
        final Path f = dir.resolve("fast.csv");
        Files.writeString(f, "old content\n");
        ResultFiles.writeCsv(f, samples());
        assertEquals("t,v[0],\"W[0,1]\",drive", Files.readAllLines(f).get(0));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(f), files.toList());
        }
        // a folder that does not exist: an error naming the file, nothing written
        final Path bad = dir.resolve("missing").resolve("x.csv");
        final UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> ResultFiles.writeCsv(bad,
                samples()));
        assertEquals(true, e.getMessage().startsWith("cannot write " + bad.toAbsolutePath()), e.getMessage());
    }
}
