package org.neurode.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.neurode.tests.Cli.run;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurode.examples.Main;
import org.neurode.examples.ctnn.LtcSineCommand;
import org.neurode.models.learn.Losses;
import org.neurode.models.ltc.LtcCell;

/**
 * {@code neurode ltc-sine}: a short seeded run writes every file, the results name the numbers the lead reports,
 * the loss falls, and the saved model reproduces the final loss to the bit.
 */
class LtcSineTest {

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @TempDir
    Path temp;

    @Test
    void shortSeededRunWritesEveryFileAndTheLossFalls() throws IOException {
        // GIVEN 100 Adam steps on AutoNCP(8, 1) with seed 1 (about 0.2 s of training; measured loss 0.499 -> 0.0088)
        final Path folder = temp.resolve("sine");
        // WHEN the command runs
        final Cli.Run r = run("ltc-sine", "--units", "8", "--steps", "100", "--seed", "1", "--no-progress", "--out",
                          folder.toString());
        // THEN it succeeds and writes its four files
        assertEquals(Main.EXIT_OK, r.exitCode(), r.err());
        for (final String f : List.of("results.json", "loss.csv", "model.json", "ltc-sine.png")) {
            assertTrue(Files.size(folder.resolve(f)) > 0, f);
        }
        try (InputStream in = Files.newInputStream(folder.resolve("ltc-sine.png"))) {
            assertArrayEquals(PNG_SIGNATURE, in.readNBytes(PNG_SIGNATURE.length));
        }
        // AND results.json has the fields the lead reports, with the network of ncps' Keras example (350 parameters)
        final JsonNode json = new ObjectMapper().readTree(folder.resolve("results.json").toFile());
        for (final String field : List.of("finalLoss", "initialLoss", "steps", "parameters", "wallSeconds",
                                          "stepsPerSecond", "seed", "units", "forwardSeconds", "backwardSeconds",
                                          "backwardForwardRatio", "unfolds")) {
            assertTrue(json.has(field), "results.json lacks " + field);
        }
        assertEquals(350, json.get("parameters").asInt());
        assertEquals(100, json.get("steps").asInt());
        assertEquals(8, json.get("units").asInt());
        assertTrue(json.get("forwardSeconds").asDouble() > 0 && json.get("backwardSeconds").asDouble() > 0);
        // AND the loss falls by more than a factor 10 (measured 56; the run is deterministic)
        final double first = json.get("initialLoss").asDouble();
        final double last = json.get("finalLoss").asDouble();
        assertTrue(last < first / 10, first + " -> " + last);
        // AND the first loss is that of an untrained network of ncps (Keras prints 0.4980 at epoch 1)
        assertEquals(0.5, first, 0.05);
        // AND loss.csv has a header and one row per step
        final List<String> lines = Files.readAllLines(folder.resolve("loss.csv"));
        assertEquals("step,loss,gradientNorm", lines.get(0));
        assertEquals(101, lines.size());
        // AND the saved model gives the final loss to the bit
        final LtcCell cell = LtcCell.load(folder.resolve("model.json"));
        final double[][] inputs = new double[LtcSineCommand.POINTS][2];
        final double[][] targets = new double[LtcSineCommand.POINTS][1];
        final double[][] outputs = new double[LtcSineCommand.POINTS][1];
        for (int i = 0; i < LtcSineCommand.POINTS; i++) {
            final double t = 3 * Math.PI * i / (LtcSineCommand.POINTS - 1);
            inputs[i][0] = Math.sin(t);
            inputs[i][1] = Math.cos(t);
            targets[i][0] = Math.sin(6 * Math.PI * i / (LtcSineCommand.POINTS - 1));
        }
        cell.forward(inputs, null, outputs);
        assertEquals(last, Losses.meanSquaredError(outputs, targets, null), 0.0);
        assertTrue(r.out().contains("350 parameters"), r.out());
    }

    @Test
    void badOptionsAreUsageErrors() {
        // GIVEN too few units for AutoNCP(units, 1), and a wiring file that is not a wiring
        final Cli.Run small = run("ltc-sine", "--units", "3", "--no-progress", "--out", temp.resolve("a").toString());
        final Path bad = temp.resolve("w.json");
        final Cli.Run wrong;
        try {
            Files.writeString(bad, "{\"units\": 3}");
            wrong = run("ltc-sine", "--wiring", bad.toString(), "--no-progress", "--out",
                        temp.resolve("b").toString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        // THEN both exit with the usage code and a message naming the option or field
        assertEquals(Main.EXIT_USAGE, small.exitCode());
        assertTrue(small.err().contains("--units"), small.err());
        assertEquals(Main.EXIT_USAGE, wrong.exitCode());
        assertTrue(wrong.err().contains("adjacency_matrix"), wrong.err());
    }
}
