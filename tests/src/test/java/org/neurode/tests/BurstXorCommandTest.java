package org.neurode.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code neurode burst-xor}: a small network (N = 10, 400-ms examples) writes every file; a run stopped after one
 * epoch and resumed from its checkpoint ends with the numbers of an uninterrupted run, to the bit; bad options and a
 * damaged checkpoint are one-line errors.
 */
class BurstXorCommandTest {

    private static final String[] SMALL = {"burst-xor", "--neurons", "10", "--durex", "400", "--burn-in", "200",
        "--no-progress"};

    private static String[] with(final String... more) {
        return Cli.args(SMALL, more);
    }

    @Test
    void writesEveryFileAndResumeEqualsTheStraightRun(@TempDir final Path dir) throws IOException {
        // GIVEN a straight run of two epochs, and one of one epoch resumed to two
        final Path straight = dir.resolve("straight");
        final Path parts = dir.resolve("parts");
        final Cli.Run a = Cli.run(with("--examples", "8", "--out", straight.toString()));
        assertEquals(0, a.exitCode(), a.err());
        assertEquals(0, Cli.run(with("--examples", "4", "--out", parts.toString())).exitCode());
        final Cli.Run b = Cli.run(with("--examples", "8", "--resume", parts.toString()));
        assertEquals(0, b.exitCode(), b.err());
        // THEN every file is there
        assertEquals(Set.of("burst-xor.png", "checkpoint.bin", "checkpoint.prev.bin", "cost.csv", "rates.csv",
                "results.json"), Cli.fileNames(straight));
        assertTrue(a.out().contains("output rate (Hz)"), a.out());
        // AND the resumed run ends with the same rates, traces and costs, to the bit
        assertEquals(Files.readString(straight.resolve("rates.csv")), Files.readString(parts.resolve("rates.csv")));
        assertEquals(Files.readString(straight.resolve("cost.csv")), Files.readString(parts.resolve("cost.csv")));
        final ObjectMapper json = new ObjectMapper();
        final JsonNode x = json.readTree(straight.resolve("results.json").toFile());
        final JsonNode y = json.readTree(parts.resolve("results.json").toFile());
        for (final String key : new String[] {"examples", "rateBefore", "rateAfter", "traceBefore", "traceAfter",
            "costPerEpoch", "xorMarginHz", "simulatedSeconds"}) {
            assertEquals(x.get(key), y.get(key), key);
        }
        assertEquals(2, x.get("costPerEpoch").size());
        // AND a damaged checkpoint is refused in one line naming the file
        final Path file = parts.resolve("checkpoint.bin");
        final byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(file, bytes);
        Cli.assertOneLineError(Cli.run(with("--examples", "12", "--resume", parts.toString())), "checkpoint.bin");
    }

    @Test
    void badOptionsAreOneLineErrors(@TempDir final Path dir) {
        Cli.assertOneLineError(Cli.run("burst-xor", "--neurons", "0"), "--neurons");
        Cli.assertOneLineError(Cli.run(with("--examples", "6", "--out", dir.resolve("x").toString())), "--examples 6");
        Cli.assertOneLineError(Cli.run(with("--durex", "-1")), "--durex");
        Cli.assertOneLineError(Cli.run(with("--resume", dir.resolve("missing").toString())), "missing");
        Cli.assertOneLineError(Cli.run(with("--resume", dir.toString(), "--out", dir.resolve("y").toString())),
                "--resume");
        // a folder without a checkpoint, and a run resumed with other options
        Cli.assertOneLineError(Cli.run(with("--resume", dir.toString())), "checkpoint.bin");
    }

    @Test
    void resumeWithOtherOptionsIsRefused(@TempDir final Path dir) {
        final Path folder = dir.resolve("run");
        assertEquals(0, Cli.run(with("--examples", "4", "--out", folder.toString())).exitCode());
        Cli.assertOneLineError(Cli.run(with("--examples", "8", "--seed", "7", "--resume", folder.toString())),
                "--seed 7");
        Cli.assertOneLineError(Cli.run(with("--examples", "0", "--resume", folder.toString())), "--examples");
    }
}
