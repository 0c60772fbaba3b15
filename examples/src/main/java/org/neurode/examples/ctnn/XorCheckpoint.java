package org.neurode.examples.ctnn;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.neurode.models.experiment.xor.XorRun;
import org.neurode.models.experiment.xor.XorSettings;
import org.neurode.core.OdeException;
import org.neurode.examples.io.CheckpointFile;
import org.neurode.models.cfc.CfcCell;

/**
 * Saves and restores an {@link XorRun} after a completed epoch: the settings, the wall time so far and the
 * run's state ({@link XorRun#writeState}: parameters, optimizer moments, counters, curves). Doubles are stored
 * as their exact bits, and the batch order is replayed from the seed, so a resumed run continues bit for bit.
 * The file is a {@link CheckpointFile} (version, checksum, previous generation kept in
 * {@code checkpoint.prev.bin}), and every field is checked when it is read.
 *
 * @since 0.2
 */
final class XorCheckpoint {

    /** File name inside the output folder. */
    static final String FILE = "checkpoint.bin";

    private static final List<String> MODELS = List.of("cfc", "cfc-nogate", "cfc-pure", "cfc-mixed", "ltc");
    private static final List<String> OPTIMIZERS = List.of("adam", "rmsprop", "rmsprop-keras");
    /** Largest size or count a checkpoint may announce (larger: a corrupt file). */
    private static final int MAX_SIZE = 100_000_000;
    /** Most threads a checkpoint may announce. */
    private static final int MAX_THREADS = 4096;

    /** The kind: "NRDXORCK"; version 1 files started with "NRDXCFC1". */
    static final CheckpointFile.Kind KIND = new CheckpointFile.Kind() {
        @Override
        public String name() {
            return "xor";
        }

        @Override
        public long magic() {
            return 0x4E5244584F52434BL; // "NRDXORCK"
        }

        @Override
        public long legacyMagic() {
            return 0x4E52445843464331L; // "NRDXCFC1"
        }

        @Override
        public String check(final DataInputStream in) throws IOException {
            final Header h = header(in, null);
            // the run's state starts with the epochs done; a checkpoint follows a completed epoch
            final int done = in.readInt();
            require(done >= 1 && done <= h.savedEpochs(), "epochs done", done + " (of " + h.savedEpochs() + ")");
            return String.format(Locale.ROOT, "epoch %d of %d", done, h.savedEpochs());
        }
    };

    /**
     * A read checkpoint: the run, restored, and the wall time of the earlier sessions.
     *
     * @param run         the run, ready to continue
     * @param wallSeconds wall time so far (s)
     */
    record Restored(XorRun run, double wallSeconds) {
    }

    /** The settings (with the new total of epochs), the saved total and the wall time. */
    private record Header(XorSettings settings, int savedEpochs, double wallSeconds) {
    }

    private XorCheckpoint() {
    }

    /**
     * Writes the checkpoint of a run between epochs (the previous one is kept as {@code checkpoint.prev.bin}).
     *
     * @param target      the file
     * @param run         the run (not modified)
     * @param settings    its settings
     * @param wallSeconds wall time of all sessions so far (s)
     * @throws UncheckedIOException naming the file if it cannot be written
     */
    static void write(final Path target, final XorRun run, final XorSettings settings, final double wallSeconds) {
        CheckpointFile.write(target, KIND, (DataOutputStream out) -> {
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
        });
    }

    /**
     * Reads a checkpoint, checks every field and rebuilds its run.
     *
     * @param file   the checkpoint
     * @param epochs new total of epochs, or null to keep the saved one
     * @return the restored run
     * @throws IllegalArgumentException naming the file if it is missing, unreadable, damaged, altered, of another
     *                                  kind or version, or already has the requested epochs
     */
    static Restored read(final Path file, final Integer epochs) {
        final DataInputStream in = CheckpointFile.read(file, KIND);
        final Header h;
        try {
            h = header(in, epochs);
        } catch (IOException e) {
            throw CheckpointFile.invalid(file, KIND, e.getMessage(), e);
        }
        final XorRun run = new XorRun(h.settings());
        try {
            run.readState(in);
            CheckpointFile.requireEnd(in);
        } catch (IOException e) {
            run.close();
            throw CheckpointFile.invalid(file, KIND, e.getMessage(), e);
        }
        if (run.epochsDone() >= h.settings().epochs()) {
            run.close();
            throw new IllegalArgumentException(file + ": the run already has " + run.epochsDone()
                    + " epochs; give --epochs a larger total to continue it");
        }
        return new Restored(run, h.wallSeconds());
    }

    /** Reads and checks the settings and the wall time; {@code epochs} (if not null) replaces the total. */
    private static Header header(final DataInputStream in, final Integer epochs) throws IOException {
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
        final String activationName = in.readUTF();
        final double weightDecay = in.readDouble();
        final int threads = in.readInt();
        final double forgetBias = in.readDouble();
        final double wall = in.readDouble();
        require(MODELS.contains(model), "model", model);
        require(pad >= 3 && pad <= MAX_SIZE, "padding", pad);
        require(trainSize >= 1 && trainSize <= MAX_SIZE, "training set size", trainSize);
        require(testSize >= 1 && testSize <= MAX_SIZE, "test set size", testSize);
        require(savedEpochs >= 1, "epochs", savedEpochs);
        require(batch >= 1 && batch <= MAX_SIZE, "batch size", batch);
        require(lr > 0 && Double.isFinite(lr), "learning rate", lr);
        require(decay > 0 && Double.isFinite(decay), "learning-rate decay", decay);
        require(clip >= 0 && Double.isFinite(clip), "clipping norm", clip);
        require(hidden >= 1 && hidden <= MAX_SIZE, "hidden size", hidden);
        require(units >= 1 && units <= MAX_SIZE, "backbone units", units);
        require(layers >= 0 && layers <= MAX_SIZE, "backbone layers", layers);
        require(evaluations >= 1, "evaluations", evaluations);
        require(OPTIMIZERS.contains(optimizer), "optimizer", optimizer);
        require(weightDecay >= 0 && Double.isFinite(weightDecay), "weight decay", weightDecay);
        require(threads >= 1 && threads <= MAX_THREADS, "thread count", threads);
        require(Double.isFinite(forgetBias), "forget bias", forgetBias);
        require(wall >= 0 && Double.isFinite(wall), "wall time", wall);
        final CfcCell.Activation activation;
        try {
            activation = CfcCell.Activation.of(activationName);
        } catch (OdeException e) {
            throw new IOException("corrupt: impossible backbone activation " + activationName, e);
        }
        final XorSettings settings = new XorSettings(model, event, pad, trainSize, testSize,
                epochs != null ? epochs : savedEpochs, batch, lr, decay, clip, hidden, units, layers, seed,
                evaluations, optimizer, activation, weightDecay, threads, forgetBias);
        return new Header(settings, savedEpochs, wall);
    }

    private static void require(final boolean valid, final String field, final Object value) throws IOException {
        if (!valid) {
            throw new IOException("corrupt: impossible " + field + " " + value);
        }
    }
}
