package org.neurode.examples.burst;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;

import org.neurode.models.experiment.BinaryArrays;
import org.neurode.examples.io.CheckpointFile;
import org.neurode.models.burst.BurstXor;
import org.neurode.models.experiment.burst.BurstXorSettings;

/**
 * The checkpoint of {@code neurode burst-xor}, written between epochs into {@code checkpoint.bin} of the output folder
 * (a {@link CheckpointFile}: version, length and checksum; the previous generation kept as
 * {@code checkpoint.prev.bin}): the settings, the progress, the results so far, the wall time and the network's
 * {@link BurstXor.Snapshot} (time, state, plastic weights, segments run). Doubles are stored as their exact bits and
 * every segment of the protocol reseeds the run's generators, so a resumed run ends with the same numbers as an
 * uninterrupted one.
 *
 * @since 0.6
 */
final class BurstXorCheckpoint {

    /** File name inside the output folder. */
    static final String FILE = "checkpoint.bin";

    /** Most epochs, neurons or state variables a checkpoint may announce (more: a corrupt file). */
    private static final int MAX_COUNT = 100_000_000;

    /** The kind: "NRDBXOR1". */
    static final CheckpointFile.Kind KIND = new CheckpointFile.Kind() {
        @Override
        public String name() {
            return "burst-xor";
        }

        @Override
        public long magic() {
            return 0x4E524442584F5231L; // "NRDBXOR1"
        }

        @Override
        public long legacyMagic() {
            return 0x4E524442584F5230L; // never written
        }

        @Override
        public String check(final DataInputStream in) throws IOException {
            final Settings s = Settings.read(in);
            final int done = in.readInt();
            require(done >= 0 && done % BurstXor.PATTERNS.length == 0, "examples done", done);
            return String.format(Locale.ROOT, "N = %d, %d examples done", s.neurons(), done);
        }
    };

    /**
     * The options that define a run (all but the number of examples, which a resumed run may raise).
     *
     * @param neurons   N
     * @param durex     example duration (ms)
     * @param etaFactor factor on the learning rates
     * @param burnIn    burn-in (ms)
     * @param modelSeed seed of the network
     * @param seed      seed of the run
     */
    record Settings(int neurons, double durex, double etaFactor, double burnIn, long modelSeed, long seed) {

        /** @param s the settings of a run @return the part a checkpoint holds (all but the examples) */
        static Settings of(final BurstXorSettings s) {
            return new Settings(s.neurons(), s.durex(), s.etaFactor(), s.burnIn(), s.modelSeed(), s.seed());
        }

        void write(final DataOutputStream out) throws IOException {
            out.writeInt(neurons);
            out.writeDouble(durex);
            out.writeDouble(etaFactor);
            out.writeDouble(burnIn);
            out.writeLong(modelSeed);
            out.writeLong(seed);
        }

        static Settings read(final DataInputStream in) throws IOException {
            final int n = in.readInt();
            require(n >= 2 && n <= MAX_COUNT, "neurons", n);
            final double durex = in.readDouble();
            require(durex > 0 && Double.isFinite(durex), "durex", durex);
            final double eta = in.readDouble();
            require(eta >= 0 && Double.isFinite(eta), "eta factor", eta);
            final double burnIn = in.readDouble();
            require(burnIn > 0 && Double.isFinite(burnIn), "burn-in", burnIn);
            return new Settings(n, durex, eta, burnIn, in.readLong(), in.readLong());
        }

        /** @return the first option that differs from another run's, as "--option this (the run's: that)", or null */
        String difference(final Settings run) {
            if (neurons != run.neurons) {
                return "--neurons " + neurons + " (the run's: " + run.neurons + ")";
            }
            if (durex != run.durex) {
                return "--durex " + durex + " (the run's: " + run.durex + ")";
            }
            if (etaFactor != run.etaFactor) {
                return "--eta-factor " + etaFactor + " (the run's: " + run.etaFactor + ")";
            }
            if (burnIn != run.burnIn) {
                return "--burn-in " + burnIn + " (the run's: " + run.burnIn + ")";
            }
            if (modelSeed != run.modelSeed) {
                return "--model-seed " + modelSeed + " (the run's: " + run.modelSeed + ")";
            }
            if (seed != run.seed) {
                return "--seed " + seed + " (the run's: " + run.seed + ")";
            }
            return null;
        }
    }

    /**
     * A read checkpoint.
     *
     * @param settings     the run's settings
     * @param examplesDone training examples done (whole epochs)
     * @param before       output rates and traces per pattern before training ([2][4], Hz)
     * @param cost         cost per epoch so far (nats)
     * @param wallSeconds  wall time of the earlier sessions (s)
     * @param snapshot     the network
     */
    record State(Settings settings, int examplesDone, double[][] before, double[] cost, double wallSeconds,
                 BurstXor.Snapshot snapshot) {
    }

    private BurstXorCheckpoint() {
    }

    /**
     * Writes a checkpoint (the previous one becomes {@code checkpoint.prev.bin}).
     *
     * @param file the file
     * @param s    what to save (not modified)
     * @throws UncheckedIOException naming the file if it cannot be written
     */
    static void write(final Path file, final State s) {
        CheckpointFile.write(file, KIND, (DataOutputStream out) -> {
            s.settings().write(out);
            out.writeInt(s.examplesDone());
            BinaryArrays.write(out, s.before()[0]);
            BinaryArrays.write(out, s.before()[1]);
            BinaryArrays.write(out, s.cost());
            out.writeDouble(s.wallSeconds());
            final BurstXor.Snapshot snap = s.snapshot();
            out.writeDouble(snap.time());
            out.writeLong(snap.segments());
            BinaryArrays.write(out, snap.state());
            out.writeInt(snap.weights().length);
            for (final double[] w : snap.weights()) {
                BinaryArrays.write(out, w);
            }
        });
    }

    /**
     * Reads a checkpoint and checks every field.
     *
     * @param file the checkpoint
     * @return its content
     * @throws IllegalArgumentException with a one-line message naming the file if it is missing, damaged or not a
     *                                  burst-xor checkpoint
     */
    static State read(final Path file) {
        final DataInputStream in = CheckpointFile.read(file, KIND);
        try {
            final Settings settings = Settings.read(in);
            final int done = in.readInt();
            final int patterns = BurstXor.PATTERNS.length;
            final double[][] before = {BinaryArrays.read(in, patterns, "rates before"),
                BinaryArrays.read(in, patterns, "traces before")};
            final double[] cost = BinaryArrays.read(in);
            require(cost.length == done / patterns, "epochs of cost", cost.length);
            final double wall = in.readDouble();
            require(wall >= 0 && Double.isFinite(wall), "wall time", wall);
            final double time = in.readDouble();
            require(time >= 0 && Double.isFinite(time), "time", time);
            final long segments = in.readLong();
            require(segments >= 0, "segments", segments);
            final double[] state = BinaryArrays.read(in);
            final int projections = in.readInt();
            require(projections == BurstXor.plasticProjections().length, "plastic projections", projections);
            final double[][] weights = new double[projections][];
            for (int k = 0; k < projections; k++) {
                weights[k] = BinaryArrays.read(in);
            }
            CheckpointFile.requireEnd(in);
            return new State(settings, done, before, cost, wall, new BurstXor.Snapshot(time, segments, state,
                    weights));
        } catch (IOException e) {
            throw CheckpointFile.invalid(file, KIND, e.getMessage(), e);
        }
    }

    private static void require(final boolean ok, final String field, final Object value) throws IOException {
        if (!ok) {
            throw new IOException(field + " is " + value);
        }
    }
}
