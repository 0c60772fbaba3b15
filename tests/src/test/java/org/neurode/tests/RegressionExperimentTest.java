package org.neurode.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurode.core.expr.ArrayKernels;
import org.neurode.examples.Main;
import org.neurode.examples.io.RegressionResultsJson;
import org.neurode.examples.regression.RegressionExperiment;
import org.neurode.models.experiment.regression.RegressionSettings;

import picocli.CommandLine;

/**
 * The regression experiment (Sacramento et al. 2018, Fig. 2): the microcircuit learns more than the
 * shallow learner, a run resumed from a checkpoint ends with exactly the numbers of an uninterrupted one,
 * and {@code neurode regression} writes its files. Runs use exponential Euler at dt = 0.5 ms, which is
 * about 5 times faster than the papers' 0.1 ms forward Euler.
 */
class RegressionExperimentTest {

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final RegressionExperiment.Session QUIET = new RegressionExperiment.Session(60.0, true, null);

    @TempDir
    Path temp;

    private static RegressionSettings settings(final long seed, final long patterns, final int testEvery,
                                               final double scale, final int heldOut) {
        return new RegressionSettings(seed, "exponential-euler", 0.5, patterns, testEvery, scale,
                RegressionSettings.DEFAULT_BACKPROP_RATE, 50, 20, heldOut, 100.0, RegressionSettings.DEFAULT_EMA_ALPHA);
    }

    @Test
    void issue12_microcircuitLearnsMoreThanShallowLearnerWithTheGoldenHeldOutErrors() throws IOException {
        // GIVEN the paper's task with learning rates x1000 for 3000 patterns (about 10 s; seed 1, exponential
        // Euler at dt 0.5 ms, 50 held-out patterns measured every 500). Measured on seed 2: held-out error 0.111
        // -> 0.077 (microcircuit) and 0.081 (shallow)
        final Path folder = Files.createDirectories(temp.resolve("learn"));
        // WHEN both train on the same patterns and noise
        final RegressionResultsJson r = RegressionExperiment.run(settings(1, 3000, 100, 1000.0, 50), folder, QUIET);
        // THEN the microcircuit's held-out error is below the shallow learner's and below its start, and the run
        // counts as showing learning
        final double circuit = r.heldOutFinal().get("microcircuit");
        final double shallow = r.heldOutFinal().get("shallow");
        assertTrue(circuit < shallow, "microcircuit " + circuit + " vs shallow " + shallow);
        assertTrue(circuit < r.heldOutInitial().get("microcircuit"), "microcircuit " + circuit + " vs initial "
                + r.heldOutInitial().get("microcircuit"));
        assertTrue(r.learningVisible(), r.learningNote());
        // THEN the held-out errors are the golden numbers this code produced. The run is deterministic; the SIMD
        // kernels and the scalar ones (-Dneurode.simd=false) differ by 3e-17 at most after 3000 patterns, so the
        // bound 1e-9 allows any rounding of reordered operations (10^7 times that) while catching any change of
        // the computation: a different step, seed or learning rate moves these numbers by 1e-3 or more. Regenerated
        // when exponential Euler's noise became the stochastic exponential increment (exact Ornstein-Uhlenbeck
        // variance; before: 0.0473 and 0.0510 at the end, the same conclusion)
        final double tol = 1e-9;
        assertEquals(0.07471692781196582, r.heldOutInitial().get("microcircuit"), tol);
        assertEquals(0.07481611313838711, r.heldOutInitial().get("backprop"), tol);
        assertEquals(0.047962991628245105, r.heldOutFinal().get("microcircuit"), tol);
        assertEquals(0.05104223041947962, r.heldOutFinal().get("shallow"), tol);
        assertEquals(0.06050528396022454, r.heldOutFinal().get("backprop"), tol);
        // AND the held-out curve (heldout.csv): every 500 patterns, the last row the final held-out errors
        final double[][] golden = {
            {0, 0.07471692781196582, 0.07471692781196582, 0.07481611313838711},
            {500, 0.07014454255183643, 0.06993092850077906, 0.07461730360256967},
            {1000, 0.062417904431871486, 0.060511458756251045, 0.07437961064040616},
            {1500, 0.05662549269348481, 0.05619437974507864, 0.07410126667495752},
            {2000, 0.05208542927339973, 0.05415039141371523, 0.0736782510017523},
            {2500, 0.04996136609195928, 0.052754114329854135, 0.0727495226364421},
            {3000, 0.047962991628245105, 0.05104223041947962, 0.06050528396022454}};
        final List<String> rows = Files.readAllLines(folder.resolve(RegressionExperiment.HELD_OUT_FILE));
        assertEquals("pattern,microcircuit,shallow,backprop", rows.get(0));
        assertEquals(golden.length + 1, rows.size(), rows.toString());
        for (int k = 0; k < golden.length; k++) {
            final String[] cells = rows.get(k + 1).split(",");
            for (int j = 0; j < 4; j++) {
                assertEquals(golden[k][j], Double.parseDouble(cells[j]), tol, "row " + k + " column " + j);
            }
        }
    }

    /** The default run (seed 1, learning rates x100, 30,000 patterns, tests every 1,000) with a solver and step. */
    private RegressionResultsJson defaultRun(final String solver, final double dt) throws IOException {
        final Path folder = Files.createDirectories(temp.resolve(solver + "-" + dt));
        return RegressionExperiment.run(new RegressionSettings(1, solver, dt, 30_000, 1000, 100.0,
                RegressionSettings.DEFAULT_BACKPROP_RATE, 50, 20, 100, 100.0, RegressionSettings.DEFAULT_EMA_ALPHA),
                folder, QUIET);
    }

    @Test
    void issue15_exponentialEulerAtTwoMillisecondsNoLongerBlowsUpOnSeedOne() throws IOException {
        // GIVEN the default regression (learning rates x100, 30,000 patterns) on seed 1 with exponential Euler at
        // 2 ms, about 15 s. With Euler-Maruyama increments after the exponential step it blew up at pattern 19,600:
        // their stationary variance on the 0.53-ms membranes was 7.6 times the true one, the learning drifted and
        // pattern 19,598 drove the circuit into a region where its own Jacobian has an eigenvalue of real part +0.8/ms
        // (docs/microcircuit.md). The stochastic exponential increment has the exact variance.
        // WHEN it runs to the end
        final RegressionResultsJson r = defaultRun("exponential-euler", 2.0);
        // THEN every held-out error is finite and both circuits end below their start (0.1131 -> 0.084 and 0.081;
        // Euler-Maruyama at 0.1 ms ends at 0.057 and 0.081: the large step's learning bias, docs/microcircuit.md)
        final double circuit = r.heldOutFinal().get("microcircuit");
        final double shallow = r.heldOutFinal().get("shallow");
        assertTrue(Double.isFinite(circuit) && circuit < 0.9 * r.heldOutInitial().get("microcircuit"),
                "microcircuit " + circuit);
        assertTrue(Double.isFinite(shallow) && shallow < 0.9 * r.heldOutInitial().get("shallow"), "shallow " + shallow);
    }

    @Test
    void issue15_theDefaultStepEndsWithinTheSeedSpreadOfThePapersProtocol() throws IOException {
        // GIVEN the default run (exponential Euler at 0.5 ms, learning rates x100, 30,000 patterns) on seed 1, about
        // 50 s. The papers' protocol, Euler-Maruyama at 0.1 ms (200 s, too long for this suite; measured with this
        // code, docs/microcircuit.md), ends on seeds 1-3 at held-out errors 0.0573, 0.0667 and 0.0411 (microcircuit)
        // and 0.0812, 0.0945 and 0.0444 (shallow learner): a spread of 0.013 (standard deviation) for the microcircuit
        // WHEN it runs
        final RegressionResultsJson r = defaultRun("exponential-euler", 0.5);
        // THEN the microcircuit ends within one standard deviation of the seeds of the reference's 0.0573 (measured:
        // 0.0644; 2 ms gives 0.0836 and fails), the shallow learner (which does not depend on the apical dynamics)
        // within 0.001 of its 0.0812, and the microcircuit below the shallow learner, as in Fig. 2C
        final double circuit = r.heldOutFinal().get("microcircuit");
        final double shallow = r.heldOutFinal().get("shallow");
        assertEquals(0.0573, circuit, 0.013, "microcircuit");
        assertEquals(0.0812, shallow, 0.001, "shallow learner");
        assertTrue(circuit < shallow, "microcircuit " + circuit + " vs shallow " + shallow);
    }

    @Test
    void resumedRunEqualsUninterruptedRun() throws IOException {
        // with the default (SIMD where available) kernels, which give the same bits in every JIT state: this test
        // failed with the earlier SVML-based kernels once the JIT timing shifted (an apical mismatch of
        // 0.0018884871245208447 in the first run of a JVM and ...445 after)
        resumeAndCompare();
    }

    @Test
    void resumedRunEqualsUninterruptedRunWithScalarKernels() throws IOException {
        final boolean simd = ArrayKernels.simd();
        ArrayKernels.useSimd(false);
        try {
            resumeAndCompare();
        } finally {
            ArrayKernels.useSimd(simd);
        }
    }

    private void resumeAndCompare() throws IOException {
        // GIVEN a run of 40 patterns, and one of 20 patterns (not a multiple of the test interval) resumed to 40
        final Path straight = Files.createDirectories(temp.resolve("straight"));
        final Path split = Files.createDirectories(temp.resolve("split"));
        final RegressionResultsJson a = RegressionExperiment.run(settings(7, 40, 6, 1000.0, 3), straight, QUIET);
        RegressionExperiment.run(settings(7, 20, 6, 1000.0, 3), split, QUIET);
        // WHEN the second is resumed from its checkpoint
        final RegressionResultsJson b = RegressionExperiment.resume(split, 40, QUIET);
        // THEN every number and the curves are identical
        assertEquals(20, b.resumedFrom());
        assertEquals(a.patterns(), b.patterns());
        assertEquals(a.finalTestError(), b.finalTestError(), 0.0);
        assertEquals(a.shallowFinalTestError(), b.shallowFinalTestError(), 0.0);
        assertEquals(a.backpropFinalTestError(), b.backpropFinalTestError(), 0.0);
        assertEquals(a.heldOutFinal(), b.heldOutFinal());
        assertEquals(a.apicalMismatch(), b.apicalMismatch(), 0.0);
        assertEquals(a.interneuronMismatch(), b.interneuronMismatch(), 0.0);
        assertEquals(a.alignmentAngleDeg(), b.alignmentAngleDeg(), 0.0);
        assertEquals(Files.readString(straight.resolve(RegressionExperiment.CURVES_FILE)),
                     Files.readString(split.resolve(RegressionExperiment.CURVES_FILE)));
        // AND the held-out curve (measured at 0, every 30 patterns and at the end: 0, 30, 40) is identical too,
        // although the first session of the split run ended with a measurement at 20 that the checkpoint does not
        // hold
        final String heldOut = Files.readString(straight.resolve(RegressionExperiment.HELD_OUT_FILE));
        assertEquals(4, heldOut.lines().count(), heldOut);
        assertEquals(heldOut, Files.readString(split.resolve(RegressionExperiment.HELD_OUT_FILE)));
        // AND a run stopped early by a signal (the stop flag, raised after 13 patterns) saves its checkpoint and
        // files with status INTERRUPTED, and resumes to the same end
        final Path stopped = Files.createDirectories(temp.resolve("stopped"));
        final long[] seen = new long[1];
        final RegressionExperiment.Session signal = new RegressionExperiment.Session(60.0, true,
                (done, err) -> seen[0] = done, () -> seen[0] >= 13);
        final RegressionResultsJson c = RegressionExperiment.run(settings(7, 40, 6, 1000.0, 3), stopped, signal);
        assertEquals("INTERRUPTED", c.status());
        assertEquals(13, c.patterns());
        assertTrue(c.message().contains("--resume"), c.message());
        assertTrue(Files.exists(stopped.resolve(RegressionExperiment.CHECKPOINT_FILE)));
        assertTrue(Files.exists(stopped.resolve(RegressionExperiment.PLOT_FILE)));
        final RegressionResultsJson d = RegressionExperiment.resume(stopped, -1, QUIET);
        assertEquals(a.finalTestError(), d.finalTestError(), 0.0);
        assertEquals(Files.readString(straight.resolve(RegressionExperiment.CURVES_FILE)),
                     Files.readString(stopped.resolve(RegressionExperiment.CURVES_FILE)));
        assertEquals(heldOut, Files.readString(stopped.resolve(RegressionExperiment.HELD_OUT_FILE)));
    }

    @Test
    void commandWritesResultsAndPlot() throws IOException {
        // GIVEN a tiny run on the command line
        final Path folder = temp.resolve("cli");
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        // WHEN it runs 4 patterns, then is resumed to 6
        final int code = cl.execute("regression", "--patterns", "4", "--test-every", "2", "--solver",
                "exponential-euler", "--dt", "0.5", "--held-out", "5", "--out", folder.toString(), "--no-progress");
        final int resumed = cl.execute("regression", "--resume", folder.toString(), "--patterns", "6",
                "--no-progress");
        // THEN the files are there and results.json has the documented fields
        assertEquals(0, code, err.toString());
        assertEquals(0, resumed, err.toString());
        final JsonNode r = new ObjectMapper().readTree(folder.resolve("results.json").toFile());
        for (final String field : new String[] {"seed", "solver", "patterns", "initialTestError", "finalTestError",
                "shallowFinalTestError", "backpropFinalTestError", "apicalMismatch", "interneuronMismatch",
                "alignmentAngleDeg", "patternsPerSecond", "wallSeconds", "learningRateScale", "paper"}) {
            assertTrue(r.has(field), field + " missing in " + r);
        }
        assertEquals(6, r.get("patterns").asLong());
        assertEquals("exponential-euler", r.get("solver").asText());
        assertEquals(RegressionSettings.DEFAULT_LEARNING_RATE_SCALE, r.get("learningRateScale").asDouble(), 0.0);
        assertTrue(r.get("finalTestError").isNumber() && r.get("finalTestError").asDouble() >= 0);
        assertTrue(out.toString().contains("scaled x100 "), out.toString());
        assertEquals(5, Files.readAllLines(folder.resolve("curves.csv")).size(), "header, then patterns 0, 2, 4, 6");
        // the held-out curve: at pattern 0 and at the end of each session (4, then 6: the measurement at 4 is not
        // in the checkpoint, so the resumed run's curve has 0 and 6)
        assertEquals(List.of("pattern,microcircuit,shallow,backprop"),
                     Files.readAllLines(folder.resolve("heldout.csv")).subList(0, 1));
        assertEquals(3, Files.readAllLines(folder.resolve("heldout.csv")).size());
        // a 6-pattern run cannot show learning, and says so in results.json and on the console
        assertFalse(r.get("learningVisible").asBoolean(), r.toString());
        assertTrue(r.get("learningNote").asText().startsWith("Too short to show learning"), r.toString());
        assertTrue(out.toString().contains("NOTE: Too short to show learning: 6 patterns at learning rates x100"),
                   out.toString());
        assertTrue(Files.exists(folder.resolve("config.json")));
        assertTrue(Files.exists(folder.resolve("checkpoint.bin")));
        try (InputStream png = Files.newInputStream(folder.resolve("regression.png"))) {
            assertArrayEquals(PNG_SIGNATURE, png.readNBytes(PNG_SIGNATURE.length));
        }
    }
}
