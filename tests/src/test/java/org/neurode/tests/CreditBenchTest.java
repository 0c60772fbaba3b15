package org.neurode.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurode.models.tasks.FashionMnist;

/**
 * {@code neurode bench credit}: times backprop and the steady-state microcircuit on the Fashion-MNIST files of
 * {@code --data} and reports patterns per second, the test error and the ratio to NumPy; without the files it
 * names the Debian package.
 */
class CreditBenchTest {

    @Test
    void timesBothRulesOnTheFilesOfDataAndReportsTheirSpeedAndTestError(@TempDir final Path dir)
            throws IOException {
        // GIVEN a folder with the bundled subset's IDX files (1,000 training and 500 test images)
        for (final String name : List.of(FashionMnist.TRAIN_IMAGES, FashionMnist.TRAIN_LABELS,
                FashionMnist.TEST_IMAGES, FashionMnist.TEST_LABELS)) {
            try (InputStream in = FashionMnist.class.getResourceAsStream(
                    "/org/neurode/models/tasks/fashion-mnist-subset/" + name + ".gz")) {
                Files.copy(in, dir.resolve(name + ".gz"));
            }
        }
        // WHEN the bench runs with 20 patterns per round
        final Cli.Run run = Cli.run("bench", "credit", "--data", dir.toString(), "--patterns", "20");
        assertEquals(0, run.exitCode(), run.err());
        // THEN both rules are reported, each trained for the warm-up round and five timed rounds of 20 patterns
        final JsonNode credit = new ObjectMapper().readTree(run.out()).get("credit");
        assertEquals(2, credit.size(), run.out());
        assertEquals("backprop", credit.get(0).get("rule").asText());
        assertEquals("microcircuit-steady", credit.get(1).get("rule").asText());
        for (final JsonNode r : credit) {
            assertEquals("[784,500,10]", r.get("sizes").toString());
            assertEquals(120, r.get("patternsTrained").asLong());
            final double median = r.get("patternsPerSecond").asDouble();
            assertTrue(median > 0 && r.get("patternsPerSecondWorst").asDouble() <= median
                    && median <= r.get("patternsPerSecondBest").asDouble(), r.toString());
            assertEquals(median / r.get("numpyPatternsPerSecond").asDouble(), r.get("speedupOverNumpy").asDouble(),
                    1e-12 * median);
            final double error = r.get("testError").asDouble();
            assertTrue(error >= 0 && error <= 1, r.toString());
        }
    }

    @Test
    void withoutTheDataSetItNamesTheDebianPackage(@TempDir final Path dir) {
        // WHEN the data folder has no Fashion-MNIST files
        final Cli.Run run = Cli.run("bench", "credit", "--data", dir.toString());
        // THEN one line names the package and the option
        Cli.assertOneLineError(run, "dataset-fashion-mnist", "--data");
        assertEquals("", run.out());
    }
}
