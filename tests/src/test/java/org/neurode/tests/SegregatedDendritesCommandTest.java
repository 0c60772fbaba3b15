package org.neurode.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurode.examples.credit.SegregatedDendritesCommand;

/**
 * {@code neurode segregated-dendrites}: the outputs, resume with more epochs equal to an uninterrupted run, the thread
 * count not changing the results, and errors naming the option or the Debian package.
 */
class SegregatedDendritesCommandTest {

    private static final String[] SMALL = {"segregated-dendrites", "--subset", "--hidden", "20", "--train-size", "40",
        "--test-size", "30", "--test-phase", "60", "--no-progress"};

    private static String[] with(final String... more) {
        return Cli.args(SMALL, more);
    }

    @Test
    void resumingWithMoreEpochsGivesTheUninterruptedRunAndThreadsDoNotChangeIt(@TempDir final Path dir)
            throws IOException {
        // GIVEN two epochs of 40 examples straight through, random and symmetric feedback, two threads
        final Path straight = dir.resolve("straight");
        final Cli.Run a = Cli.run(with("--epochs", "2", "--feedback", "random,symmetric", "--threads", "2",
                "--out", straight.toString()));
        assertEquals(0, a.exitCode(), a.err());
        assertTrue(Cli.fileNames(straight).containsAll(List.of("config.json", "curves.csv", "results.json",
                "model.ode", "test-error.png", "random-20.ckpt", "symmetric-20.ckpt")));
        // WHEN the same run is made one epoch at a time on one thread, resumed from its checkpoints
        final Path resumed = dir.resolve("resumed");
        final Cli.Run b = Cli.run(with("--epochs", "1", "--feedback", "random,symmetric", "--threads", "1",
                "--out", resumed.toString()));
        assertEquals(0, b.exitCode(), b.err());
        final Cli.Run c = Cli.run(with("--epochs", "2", "--feedback", "random,symmetric", "--threads", "1",
                "--resume", resumed.toString()));
        assertEquals(0, c.exitCode(), c.err());
        // THEN the curves (test error before training and after each epoch, mean angles) are the same text, and the
        // checkpoints hold the same weights: an example's spikes and phase lengths, and a test image's spikes, depend
        // on its index alone
        final String curves = Files.readString(straight.resolve("curves.csv"));
        assertEquals(curves, Files.readString(resumed.resolve("curves.csv")));
        assertEquals(3 * 2 + 1, curves.lines().count(), curves);
        for (final String config : List.of("random-20.ckpt", "symmetric-20.ckpt")) {
            final SegregatedDendritesCommand.State s = SegregatedDendritesCommand.read(straight.resolve(config));
            final SegregatedDendritesCommand.State r = SegregatedDendritesCommand.read(resumed.resolve(config));
            assertEquals(80, s.done());
            assertArrayEquals(s.learner(), r.learner(), 0.0, config);
        }
        // and learning happened: the weights moved and the curve is not constant
        final List<String> rows = curves.lines().skip(1).toList();
        assertFalse(rows.get(0).split(",")[3].equals(rows.get(2).split(",")[3]) && rows.get(3).split(",")[3]
                .equals(rows.get(5).split(",")[3]), curves);
    }

    @Test
    void missingFashionMnistDataNameTheDebianPackageBeforeAnyOutput(@TempDir final Path dir) throws IOException {
        final Path empty = Files.createDirectories(dir.resolve("no-data"));
        final Path out = dir.resolve("out");
        Cli.assertOneLineError(Cli.run("segregated-dendrites", "--data", empty.toString(), "--out", out.toString()),
                "dataset-fashion-mnist", empty.toString());
        assertFalse(Files.exists(out));
    }

    @Test
    void badOptionsAreOneLineErrorsNamingTheOption(@TempDir final Path dir) {
        Cli.assertOneLineError(Cli.run(with("--feedback", "mirror", "--out", dir.resolve("a").toString())),
                "--feedback", "mirror");
        Cli.assertOneLineError(Cli.run(with("--test-phase", "20", "--out", dir.resolve("b").toString())),
                "--test-phase");
        Cli.assertOneLineError(Cli.run(with("--resume", dir.resolve("none").toString())), "--resume");
        Cli.assertOneLineError(Cli.run("segregated-dendrites", "--subset", "--train-size", "901", "--out",
                dir.resolve("c").toString()), "--train-size 901", "900");
    }
}
