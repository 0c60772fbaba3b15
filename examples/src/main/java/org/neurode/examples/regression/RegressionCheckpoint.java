package org.neurode.examples.regression;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.neurode.models.experiment.regression.RegressionRun;
import org.neurode.models.experiment.regression.RegressionSettings;
import org.neurode.models.experiment.BinaryArrays;
import org.neurode.examples.io.CheckpointFile;
import org.neurode.models.Microcircuit;

/**
 * Saves and restores a {@link RegressionRun} between two patterns: the settings, the number of patterns
 * done, the states of both circuits, their fixed top-down weights, the backprop weights, the moving averages,
 * the held-out errors before training, the curves so far, the held-out interval and curve (appended last) and
 * the wall time so far. Doubles
 * are stored as their exact bits
 * ({@link DataOutputStream}), so a resumed run continues bit for bit. The pattern inputs, noise and test
 * patterns need no saved generator state: they are functions of (seed, purpose, pattern index)
 * (the library's {@code Seeds}). The file is a {@link CheckpointFile} (version, checksum, previous generation kept in
 * {@code checkpoint.prev.bin}), and every field is checked when it is read, so a damaged or altered file is
 * refused with a message instead of changing the resumed run.
 *
 * <p>Format 3 (this one) saves the circuits' states as their integrated variables only and the fixed top-down
 * weights B_1..B_(N-1) apart, as the constants they are; format 2 kept both, and the pattern's inputs, inside
 * the states. A format-2 file is refused with a message that says so (its state cannot be mapped onto the
 * model without guessing at layouts).
 *
 * @since 0.1
 */
final class RegressionCheckpoint {

    /** File name inside the output folder. */
    static final String FILE = "checkpoint.bin";

    /** Largest layer, held-out set or test interval a checkpoint may announce (larger: a corrupt file). */
    private static final int MAX_SIZE = 1_000_000;

    /** The payload format this neurode writes and reads (see the class documentation). */
    static final int FORMAT = 3;

    /** The kind: "NRDREGCK"; version 1 files started with "NRDREGC1". */
    static final CheckpointFile.Kind KIND = new CheckpointFile.Kind() {
        @Override
        public String name() {
            return "regression";
        }

        @Override
        public long magic() {
            return 0x4E5244524547434BL; // "NRDREGCK"
        }

        @Override
        public long legacyMagic() {
            return 0x4E52445245474331L; // "NRDREGC1"
        }

        @Override
        public int version() {
            return FORMAT;
        }

        @Override
        public String olderVersion(final int version) {
            return version == 2 ? ", which kept the inputs and the fixed top-down weights inside the circuits' states"
                    : "";
        }

        @Override
        public String check(final DataInputStream in) throws IOException {
            final Header h = header(in);
            return String.format(Locale.ROOT, "pattern %d of %d", h.done(), h.settings().patterns());
        }
    };

    /** Settings and progress, the start of the payload. */
    private record Header(RegressionSettings settings, long done, double wallSeconds) {
    }

    private RegressionCheckpoint() {
    }

    /**
     * Writes the run's checkpoint (the previous one is kept as {@code checkpoint.prev.bin}).
     *
     * @param target      the file
     * @param run         the run, between patterns (not modified)
     * @param wallSeconds wall time of all sessions so far (s)
     * @throws UncheckedIOException naming the file if it cannot be written
     */
    static void write(final Path target, final RegressionRun run, final double wallSeconds) {
        CheckpointFile.write(target, KIND, out -> {
            final RegressionSettings s = run.settings();
            out.writeLong(s.seed());
            out.writeUTF(s.solver());
            out.writeDouble(s.dt());
            out.writeLong(s.patterns());
            out.writeInt(s.testEvery());
            out.writeDouble(s.learningRateScale());
            out.writeDouble(s.backpropRate());
            out.writeInt(s.studentHidden());
            out.writeInt(s.teacherHidden());
            out.writeInt(s.heldOut());
            out.writeDouble(s.patternMs());
            out.writeDouble(s.emaAlpha());
            out.writeLong(run.done());
            out.writeDouble(wallSeconds);
            BinaryArrays.write(out, run.circuitState());
            BinaryArrays.write(out, run.shallowState());
            final double[][] topDown = run.topDown();
            out.writeInt(topDown.length);
            for (final double[] b : topDown) {
                BinaryArrays.write(out, b);
            }
            BinaryArrays.write(out, run.backpropHidden());
            BinaryArrays.write(out, run.backpropOutput());
            BinaryArrays.write(out, run.ema());
            BinaryArrays.write(out, run.initialHeldOut());
            out.writeInt(run.curves().size());
            for (final double[] row : run.curves()) {
                BinaryArrays.write(out, row);
            }
            out.writeInt(s.heldOutEvery());
            out.writeInt(run.heldOutCurve().size());
            for (final double[] row : run.heldOutCurve()) {
                BinaryArrays.write(out, row);
            }
        });
    }

    /**
     * Reads a checkpoint, checks every field and rebuilds the run (models are compiled again).
     *
     * @param source   the file
     * @param patterns new total number of patterns, or a negative value to keep the saved one
     * @return the run
     * @throws IllegalArgumentException naming the file if it is missing, unreadable, damaged, altered, of
     *                                  another kind or version, or has more patterns done than the total
     */
    static RegressionRun read(final Path source, final long patterns) {
        final DataInputStream data = CheckpointFile.read(source, KIND);
        final Header h;
        final double[] circuit;
        final double[] shallow;
        final double[][] topDown;
        final double[] w1;
        final double[] w2;
        final double[] ema;
        final double[] initial;
        final List<double[]> curves;
        final int heldOutEvery;
        final List<double[]> heldOut;
        try {
            h = header(data);
            final RegressionSettings s = h.settings();
            circuit = BinaryArrays.read(data);
            shallow = BinaryArrays.read(data, circuit.length, "the shallow learner's state");
            final Microcircuit.Config c = RegressionRun.config(s);
            final List<String> names = RegressionRun.topDownNames(c);
            final int matrices = data.readInt();
            if (matrices != names.size()) {
                throw new IOException("corrupt: " + matrices + " top-down weight matrices for a circuit with "
                        + names.size());
            }
            topDown = new double[matrices][];
            for (int k = 0; k < matrices; k++) {
                topDown[k] = BinaryArrays.read(data, c.sizes()[k + 1] * c.sizes()[k + 2],
                        "the top-down weights " + names.get(k));
                for (final double v : topDown[k]) {
                    if (!Double.isFinite(v)) {
                        throw new IOException("corrupt: a top-down weight of " + names.get(k) + " is " + v);
                    }
                }
            }
            w1 = BinaryArrays.read(data, s.studentHidden() * inputs(s), "the backprop hidden weights");
            w2 = BinaryArrays.read(data, outputs(s) * s.studentHidden(), "the backprop output weights");
            ema = BinaryArrays.read(data, 3, "the moving averages");
            initial = BinaryArrays.read(data, 3, "the initial held-out errors");
            final int rows = BinaryArrays.readCount(data, Integer.MAX_VALUE, "the number of curve rows");
            // a row at pattern 0 and one every testEvery patterns
            if (rows != h.done() / s.testEvery() + 1) {
                throw new IOException("corrupt: " + rows + " curve rows for " + h.done() + " patterns tested every "
                        + s.testEvery());
            }
            curves = new ArrayList<>(rows);
            for (int i = 0; i < rows; i++) {
                final double[] row = BinaryArrays.read(data, RegressionRun.COLUMNS.size(), "curve row " + i);
                if (row[0] != (double) i * s.testEvery()) {
                    throw new IOException("corrupt: curve row " + i + " is at pattern " + row[0] + ", expected "
                            + (long) i * s.testEvery());
                }
                curves.add(row);
            }
            heldOutEvery = data.readInt();
            if (heldOutEvery < 1) {
                throw new IOException("corrupt: impossible held-out interval " + heldOutEvery);
            }
            // rows at pattern 0, every heldOutEvery patterns and at the end of each session: strictly increasing
            // patterns from 0 to the patterns done
            final int heldOutRows = BinaryArrays.readCount(data, Integer.MAX_VALUE, "the number of held-out rows");
            if (heldOutRows < 1 || heldOutRows > h.done() + 1) {
                throw new IOException("corrupt: " + heldOutRows + " held-out rows for " + h.done() + " patterns");
            }
            heldOut = new ArrayList<>(heldOutRows);
            double last = -1;
            for (int i = 0; i < heldOutRows; i++) {
                final double[] row = BinaryArrays.read(data, 4, "held-out row " + i);
                if (!(row[0] > last) || row[0] > h.done() || i == 0 && row[0] != 0) {
                    throw new IOException("corrupt: held-out row " + i + " is at pattern " + row[0]);
                }
                last = row[0];
                heldOut.add(row);
            }
            CheckpointFile.requireEnd(data);
            for (final double[] a : new double[][] {ema, initial}) {
                for (final double v : a) {
                    if (!(v >= 0) || Double.isInfinite(v)) {
                        throw new IOException("corrupt: a test error is " + v);
                    }
                }
            }
        } catch (IOException e) {
            throw CheckpointFile.invalid(source, KIND, e.getMessage(), e);
        }
        RegressionSettings s = h.settings().withHeldOutEvery(heldOutEvery);
        if (patterns >= 0) {
            s = s.withPatterns(patterns);
        }
        if (h.done() > s.patterns()) {
            throw new IllegalArgumentException("the checkpoint in " + source.getParent() + " has " + h.done()
                    + " patterns done, more than --patterns " + s.patterns());
        }
        try {
            return RegressionRun.restore(s, h.done(), circuit, shallow, topDown, w1, w2, ema, initial, curves, heldOut,
                    h.wallSeconds());
        } catch (IllegalArgumentException e) {
            // e.g. a state whose length is not the circuit's (CircuitLearner checks it)
            throw CheckpointFile.invalid(source, KIND, "corrupt: " + e.getMessage(), e);
        }
    }

    /**
     * Reads only the settings and the progress of a checkpoint (no models are built); checks the file as
     * {@link #read} does.
     *
     * @param source the file
     * @return {total patterns, patterns done}
     * @throws IllegalArgumentException naming the file if it is missing or not an intact checkpoint
     */
    static long[] progress(final Path source) {
        final DataInputStream data = CheckpointFile.read(source, KIND);
        try {
            final Header h = header(data);
            return new long[] {h.settings().patterns(), h.done()};
        } catch (IOException e) {
            throw CheckpointFile.invalid(source, KIND, e.getMessage(), e);
        }
    }

    /** Reads and checks the settings, the patterns done and the wall time. */
    private static Header header(final DataInputStream in) throws IOException {
        final long seed = in.readLong();
        final String solver = in.readUTF();
        final double dt = in.readDouble();
        final long patterns = in.readLong();
        final int testEvery = in.readInt();
        final double scale = in.readDouble();
        final double backpropRate = in.readDouble();
        final int studentHidden = in.readInt();
        final int teacherHidden = in.readInt();
        final int heldOut = in.readInt();
        final double patternMs = in.readDouble();
        final double emaAlpha = in.readDouble();
        final long done = in.readLong();
        final double wall = in.readDouble();
        require(RegressionSettings.SOLVERS.contains(solver), "solver", solver);
        require(dt > 0 && Double.isFinite(dt), "dt", dt);
        require(patterns >= 0, "total patterns", patterns);
        require(testEvery >= 1 && testEvery <= MAX_SIZE, "test interval", testEvery);
        require(scale > 0 && Double.isFinite(scale), "learning-rate scale", scale);
        require(backpropRate >= 0 && Double.isFinite(backpropRate), "backprop learning rate", backpropRate);
        require(studentHidden >= 1 && studentHidden <= MAX_SIZE, "hidden layer size", studentHidden);
        require(teacherHidden >= 1 && teacherHidden <= MAX_SIZE, "teacher hidden layer size", teacherHidden);
        require(heldOut >= 1 && heldOut <= MAX_SIZE, "held-out set size", heldOut);
        require(patternMs > 0 && Double.isFinite(patternMs), "pattern duration", patternMs);
        require(emaAlpha > 0 && emaAlpha <= 1, "moving-average weight", emaAlpha);
        require(done >= 0 && done <= patterns, "patterns done", done + " (of " + patterns + ")");
        require(wall >= 0 && Double.isFinite(wall), "wall time", wall);
        return new Header(new RegressionSettings(seed, solver, dt, patterns, testEvery, scale, backpropRate,
                studentHidden, teacherHidden, heldOut, patternMs, emaAlpha), done, wall);
    }

    private static void require(final boolean valid, final String field, final Object value) throws IOException {
        if (!valid) {
            throw new IOException("corrupt: impossible " + field + " " + value);
        }
    }

    private static int inputs(final RegressionSettings s) {
        return RegressionRun.config(s).sizes()[0];
    }

    private static int outputs(final RegressionSettings s) {
        final int[] sizes = RegressionRun.config(s).sizes();
        return sizes[sizes.length - 1];
    }
}
