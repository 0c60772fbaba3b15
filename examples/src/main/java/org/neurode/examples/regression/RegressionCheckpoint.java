package org.neurode.examples.regression;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.neurode.examples.io.AtomicFiles;
import org.neurode.examples.io.BinaryArrays;

/**
 * Saves and restores a {@link RegressionRun} between two patterns: the settings, the number of patterns
 * done, the states of both circuits, the backprop weights, the moving averages, the held-out errors before
 * training, the curves so far, the held-out interval and curve (appended last) and the wall time so far. Doubles
 * are stored as their exact bits
 * ({@link DataOutputStream}), so a resumed run continues bit for bit. The pattern inputs, noise and test
 * patterns need no saved generator state: they are functions of (seed, purpose, pattern index)
 * ({@link Streams}). Written atomically ({@link AtomicFiles}).
 *
 * @since 0.1
 */
final class RegressionCheckpoint {

    /** File name inside the output folder. */
    static final String FILE = "checkpoint.bin";

    private static final long MAGIC = 0x4E52445245474331L; // "NRDREGC1"

    private RegressionCheckpoint() {
    }

    /**
     * Writes the run's checkpoint.
     *
     * @param target      the file
     * @param run         the run, between patterns (not modified)
     * @param wallSeconds wall time of all sessions so far (s)
     * @throws UncheckedIOException naming the file if it cannot be written
     */
    static void write(final Path target, final RegressionRun run, final double wallSeconds) {
        AtomicFiles.write(target, stream -> {
            final DataOutputStream out = new DataOutputStream(stream);
            out.writeLong(MAGIC);
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
            out.flush();
        });
    }

    /**
     * Reads a checkpoint and rebuilds the run (models are compiled again).
     *
     * @param source   the file
     * @param patterns new total number of patterns, or a negative value to keep the saved one
     * @return the run
     * @throws IllegalArgumentException if the file is missing or not a checkpoint
     * @throws UncheckedIOException     naming the file if it cannot be read
     */
    static RegressionRun read(final Path source, final long patterns) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(source))) {
            final DataInputStream data = new DataInputStream(in);
            if (data.readLong() != MAGIC) {
                throw new IllegalArgumentException(source + " is not a regression checkpoint");
            }
            RegressionSettings s = new RegressionSettings(data.readLong(), data.readUTF(), data.readDouble(),
                    data.readLong(), data.readInt(), data.readDouble(), data.readDouble(), data.readInt(),
                    data.readInt(), data.readInt(), data.readDouble(), data.readDouble());
            if (patterns >= 0) {
                s = s.withPatterns(patterns);
            }
            final long done = data.readLong();
            final double wall = data.readDouble();
            final double[] circuit = BinaryArrays.read(data);
            final double[] shallow = BinaryArrays.read(data);
            final double[] w1 = BinaryArrays.read(data);
            final double[] w2 = BinaryArrays.read(data);
            final double[] ema = BinaryArrays.read(data);
            final double[] initial = BinaryArrays.read(data);
            final int rows = data.readInt();
            final List<double[]> curves = new ArrayList<>(rows);
            for (int i = 0; i < rows; i++) {
                curves.add(BinaryArrays.read(data));
            }
            s = s.withHeldOutEvery(data.readInt());
            final int heldOutRows = data.readInt();
            if (heldOutRows < 1 || heldOutRows > done / s.heldOutEvery() + 2) {
                throw new IOException("corrupt held-out curve length " + heldOutRows);
            }
            final List<double[]> heldOut = new ArrayList<>(heldOutRows);
            for (int i = 0; i < heldOutRows; i++) {
                heldOut.add(BinaryArrays.read(data));
            }
            if (done > s.patterns()) {
                throw new IllegalArgumentException("the checkpoint in " + source.getParent() + " has " + done
                        + " patterns done, more than --patterns " + s.patterns());
            }
            return RegressionRun.restore(s, done, circuit, shallow, w1, w2, ema, initial, curves, heldOut,
                    wall);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no checkpoint to resume: " + source + " does not exist", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + source + ": " + AtomicFiles.describe(e, source),
                    e);
        }
    }

    /**
     * Reads only the settings and the progress of a checkpoint (no models are built).
     *
     * @param source the file
     * @return {total patterns, patterns done}
     * @throws IllegalArgumentException if the file is missing or not a checkpoint
     * @throws UncheckedIOException     naming the file if it cannot be read
     */
    static long[] progress(final Path source) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(source))) {
            final DataInputStream data = new DataInputStream(in);
            if (data.readLong() != MAGIC) {
                throw new IllegalArgumentException(source + " is not a regression checkpoint");
            }
            data.readLong();
            data.readUTF();
            data.readDouble();
            final long total = data.readLong();
            data.readInt();
            data.readDouble();
            data.readDouble();
            data.readInt();
            data.readInt();
            data.readInt();
            data.readDouble();
            data.readDouble();
            return new long[] {total, data.readLong()};
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no checkpoint to resume: " + source + " does not exist", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + source + ": " + AtomicFiles.describe(e, source),
                    e);
        }
    }
}
