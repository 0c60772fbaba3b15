package org.neurode.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code neurode multiplex}: a small circuit (200 + 200 pyramidal neurons, 50 + 50 interneurons, 0.6 s) writes every
 * file; seeds on two threads give the numbers of one thread; {@code --resume} reads finished seeds instead of
 * simulating them; bad options are one-line errors.
 */
class MultiplexCommandTest {

    private static final String[] SMALL = {"multiplex", "--neurons", "200", "--burn-in", "100", "--duration", "500",
        "--no-progress"};

    private static String[] with(final String... more) {
        return Cli.args(SMALL, more);
    }

    @Test
    void writesEveryFileAndThreadsChangeNothing(@TempDir final Path dir) throws IOException {
        // GIVEN two seeds run on one thread and on two
        final Cli.Run one = Cli.run(with("--seeds", "2", "--threads", "1", "--out", dir.resolve("one").toString()));
        final Cli.Run two = Cli.run(with("--seeds", "2", "--threads", "2", "--out", dir.resolve("two").toString()));
        assertEquals(0, one.exitCode(), one.err());
        assertEquals(0, two.exitCode(), two.err());
        // THEN every file is there
        assertEquals(java.util.Set.of("experiment.json", "multiplex.png", "rates.csv", "results.json", "seed-1.json",
                "seed-2.json"),
                Cli.fileNames(dir.resolve("one")));
        assertTrue(one.out().contains("bottom-up corr(Pyr2 event rate, Pyr1 somatic drive)"), one.out());
        // AND the read-out of each seed is the same to the bit (one simulation per thread, seeded per seed)
        final ObjectMapper json = new ObjectMapper();
        final JsonNode a = json.readTree(dir.resolve("one/results.json").toFile());
        final JsonNode b = json.readTree(dir.resolve("two/results.json").toFile());
        for (final String key : new String[] {"bottomUp", "topDown", "crossUp", "crossDown", "burstRelay"}) {
            assertEquals(a.get(key).get("perSeed"), b.get(key).get("perSeed"), key);
        }
        assertEquals(Files.readString(dir.resolve("one/rates.csv")), Files.readString(dir.resolve("two/rates.csv")));
        assertTrue(a.get("synapses").asLong() > 0);
    }

    @Test
    void resumeReadsFinishedSeedsAndSimulatesTheRest(@TempDir final Path dir) throws IOException {
        // GIVEN a run of one seed
        final Path folder = dir.resolve("run");
        assertEquals(0, Cli.run(with("--seeds", "1", "--out", folder.toString())).exitCode());
        final String first = Files.readString(folder.resolve("seed-1.json"));
        // WHEN it is resumed with two seeds
        final Cli.Run resumed = Cli.run(with("--seeds", "2", "--resume", folder.toString()));
        // THEN the first seed is read, not simulated again, and the second is added
        assertEquals(0, resumed.exitCode(), resumed.err());
        assertTrue(resumed.out().contains("2 seeds (1 simulated"), resumed.out());
        assertEquals(first, Files.readString(folder.resolve("seed-1.json")));
        assertTrue(Files.exists(folder.resolve("seed-2.json")));
        // AND a seed file written with other options is refused, naming it
        final Cli.Run other = Cli.run("multiplex", "--neurons", "200", "--burn-in", "100", "--duration", "400",
                "--seeds", "1", "--no-progress", "--resume", folder.toString());
        Cli.assertOneLineError(other, "seed-1.json", "other options");
    }

    @Test
    void badOptionsAreOneLineErrors(@TempDir final Path dir) {
        Cli.assertOneLineError(Cli.run("multiplex", "--neurons", "0"), "--neurons");
        Cli.assertOneLineError(Cli.run("multiplex", "--bin", "900", "--duration", "500", "--out",
                dir.resolve("x").toString(), "--no-progress"), "bin");
        Cli.assertOneLineError(Cli.run("multiplex", "--resume", dir.resolve("missing").toString(), "--no-progress"),
                "missing");
        Cli.assertOneLineError(Cli.run("multiplex", "--param", "w99=0", "--no-progress"), "--param w99=0", "w21");
        Cli.assertOneLineError(Cli.run("multiplex", "--param", "w21=zero", "--no-progress"), "--param w21=zero",
                "not a number");
    }
    @Test
    void theReadOutUsesTheRunsOwnDrives(@TempDir final Path dir) throws IOException {
        // GIVEN a run whose somatic drive is changed: half the amplitude, twice the frequency
        final Path folder = dir.resolve("drives");
        assertEquals(0, Cli.run(with("--seeds", "1", "--param", "A1=100", "--param", "T1=250", "--out",
                folder.toString())).exitCode());
        // THEN the drive the read-out correlates with is that drive at the bin centres (burn-in 100 ms, bins 50 ms)
        final JsonNode seed = new ObjectMapper().readTree(folder.resolve("seed-1.json").toFile());
        final JsonNode drive = seed.get("pyr1SomaticDrive");
        assertEquals(10, drive.size());
        for (int k = 0; k < drive.size(); k++) {
            final double mid = 100 + 50 * k + 25;
            assertEquals(100 * Math.sin(2 * Math.PI * mid / 250), drive.get(k).asDouble(), 1e-9, "bin " + k);
        }
    }
}
