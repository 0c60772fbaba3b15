package org.neurode.examples.ctnn;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import org.neurode.examples.io.AtomicFiles;
import org.neurode.models.cfc.CfcCell;

/**
 * Saves and restores an {@link XorRun} after a completed epoch: the settings, the wall time so far and the
 * run's state ({@link XorRun#writeState}: parameters, optimizer moments, counters, curves). Doubles are stored
 * as their exact bits, and the batch order is replayed from the seed, so a resumed run continues bit for bit.
 * Written atomically ({@link AtomicFiles}).
 *
 * @since 0.2
 */
final class XorCheckpoint {

    /** File name inside the output folder. */
    static final String FILE = "checkpoint.bin";

    private static final long MAGIC = 0x4E52445843464331L; // "NRDXCFC1"

    /**
     * A read checkpoint: the run, restored, and the wall time of the earlier sessions.
     *
     * @param run         the run, ready to continue
     * @param wallSeconds wall time so far (s)
     */
    record Restored(XorRun run, double wallSeconds) {
    }

    private XorCheckpoint() {
    }

    /**
     * Writes the checkpoint of a run between epochs.
     *
     * @param target      the file
     * @param run         the run (not modified)
     * @param settings    its settings
     * @param wallSeconds wall time of all sessions so far (s)
     * @throws UncheckedIOException naming the file if it cannot be written
     */
    static void write(final Path target, final XorRun run, final XorRun.Settings settings, final double wallSeconds) {
        AtomicFiles.write(target, stream -> {
            final DataOutputStream out = new DataOutputStream(stream);
            out.writeLong(MAGIC);
            out.writeUTF(settings.model());
            out.writeBoolean(settings.eventBased());
            out.writeInt(settings.padSize());
            out.writeInt(settings.trainSize());
            out.writeInt(settings.testSize());
            out.writeInt(settings.epochs());
            out.writeInt(settings.batch());
            out.writeDouble(settings.learningRate());
            out.writeDouble(settings.learningRateDecay());
            out.writeDouble(settings.clipNorm());
            out.writeInt(settings.hidden());
            out.writeInt(settings.backboneUnits());
            out.writeInt(settings.backboneLayers());
            out.writeLong(settings.seed());
            out.writeInt(settings.evaluations());
            out.writeUTF(settings.optimizerName());
            out.writeUTF(settings.activation().ncpsName());
            out.writeDouble(settings.weightDecay());
            out.writeInt(settings.threads());
            out.writeDouble(settings.forgetBias());
            out.writeDouble(wallSeconds);
            run.writeState(out);
            out.flush();
        });
    }

    /**
     * Reads a checkpoint and rebuilds its run.
     *
     * @param file   the checkpoint
     * @param epochs new total of epochs, or null to keep the saved one
     * @return the restored run
     * @throws IllegalArgumentException naming the file if it is missing, not a checkpoint, corrupt, or already
     *                                  has the requested epochs
     */
    static Restored read(final Path file, final Integer epochs) {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file));
             DataInputStream in = new DataInputStream(raw)) {
            if (in.readLong() != MAGIC) {
                throw new IllegalArgumentException(file + ": not an xor checkpoint");
            }
            final String model = in.readUTF();
            final boolean event = in.readBoolean();
            final int pad = in.readInt();
            final int trainSize = in.readInt();
            final int testSize = in.readInt();
            final int savedEpochs = in.readInt();
            final int batch = in.readInt();
            final double lr = in.readDouble();
            final double decay = in.readDouble();
            final double clip = in.readDouble();
            final int hidden = in.readInt();
            final int units = in.readInt();
            final int layers = in.readInt();
            final long seed = in.readLong();
            final int evaluations = in.readInt();
            final String optimizer = in.readUTF();
            final CfcCell.Activation activation = CfcCell.Activation.of(in.readUTF());
            final double weightDecay = in.readDouble();
            final int threads = in.readInt();
            final double forgetBias = in.readDouble();
            final double wall = in.readDouble();
            final XorRun.Settings settings = new XorRun.Settings(model, event, pad, trainSize, testSize,
                    epochs != null ? epochs : savedEpochs, batch, lr, decay, clip, hidden, units, layers, seed,
                    evaluations, optimizer, activation, weightDecay, threads, forgetBias);
            final XorRun run = new XorRun(settings);
            try {
                run.readState(in);
            } catch (final IOException | RuntimeException e) {
                run.close();
                throw e;
            }
            if (run.epochsDone() >= settings.epochs()) {
                run.close();
                throw new IllegalArgumentException(file + ": the run already has " + run.epochsDone()
                        + " epochs; give --epochs a larger total to continue it");
            }
            return new Restored(run, wall);
        } catch (final NoSuchFileException e) {
            throw new IllegalArgumentException("cannot resume: no " + FILE + " in " + file.getParent()
                    + " (checkpoints are written after every epoch)", e);
        } catch (final IOException e) {
            throw new IllegalArgumentException(file + ": unreadable or truncated checkpoint (" + e.getMessage() + ")",
                    e);
        }
    }
}
