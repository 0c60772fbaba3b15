package org.neurode.examples.credit;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.neurode.models.experiment.BinaryArrays;
import org.neurode.examples.io.CheckpointFile;
import org.neurode.models.credit.LearningRun;

/**
 * The checkpoint of one run of {@code compare-learning}, in neurode's checkpoint container ({@link CheckpointFile}:
 * checksum, previous generation kept, atomic replacement). Payload: task, rule, seed, learning-rate scale, budget,
 * patterns done, the curve so far (patterns, test error, angle) and the learner's state (exact bits), so that a
 * resumed run continues bit for bit.
 */
final class RunCheckpoint {

    /** Largest curve a checkpoint may announce (larger: a corrupt file). */
    private static final int MAX_POINTS = 10_000_000;

    static final CheckpointFile.Kind KIND = new CheckpointFile.Kind() {
        @Override
        public String name() {
            return "compare-learning run";
        }

        @Override
        public long magic() {
            return 0x4E52444352454449L; // "NRDCREDI"
        }

        @Override
        public long legacyMagic() {
            return 0x4E52444352454431L; // never written: "NRDCRED1"
        }

        @Override
        public String check(final DataInputStream in) throws IOException {
            final String task = in.readUTF();
            final String rule = in.readUTF();
            in.readLong();
            in.readDouble();
            final long budget = in.readLong();
            final long done = in.readLong();
            if (done < 0 || done > budget) {
                throw new IOException("patterns done is " + done + " of a budget of " + budget);
            }
            return task + " " + rule + ", pattern " + done + " of " + budget;
        }
    };

    /** What a checkpoint holds. */
    record State(String task, String rule, long seed, double scale, long budget, long done,
                 List<LearningRun.Point> curve, double[] learner) {
    }

    private RunCheckpoint() {
    }

    static void write(final Path file, final State s) {
        CheckpointFile.write(file, KIND, out -> {
            out.writeUTF(s.task());
            out.writeUTF(s.rule());
            out.writeLong(s.seed());
            out.writeDouble(s.scale());
            out.writeLong(s.budget());
            out.writeLong(s.done());
            out.writeInt(s.curve().size());
            for (final LearningRun.Point p : s.curve()) {
                out.writeLong(p.patterns());
                out.writeDouble(p.testError());
                out.writeDouble(p.angleDeg());
            }
            BinaryArrays.write(out, s.learner());
        });
    }

    /**
     * @param file a checkpoint
     * @return its content, or null if there is no such file
     * @throws IllegalArgumentException naming the file if it is damaged
     */
    static State read(final Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        final DataInputStream in = CheckpointFile.read(file, KIND);
        try {
            final String task = in.readUTF();
            final String rule = in.readUTF();
            final long seed = in.readLong();
            final double scale = in.readDouble();
            final long budget = in.readLong();
            final long done = in.readLong();
            final int n = BinaryArrays.readCount(in, MAX_POINTS, "curve points");
            final List<LearningRun.Point> curve = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                curve.add(new LearningRun.Point(in.readLong(), in.readDouble(), in.readDouble()));
            }
            final double[] learner = BinaryArrays.read(in);
            CheckpointFile.requireEnd(in);
            return new State(task, rule, seed, scale, budget, done, curve, learner);
        } catch (IOException e) {
            throw CheckpointFile.invalid(file, KIND, e.getMessage(), e);
        }
    }
}
