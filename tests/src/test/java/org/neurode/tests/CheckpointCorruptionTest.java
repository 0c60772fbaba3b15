package org.neurode.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurode.examples.Main;

import picocli.CommandLine;

/**
 * Issue 12: damaged or altered checkpoints are refused. Of 24 hand corruptions of a format-1 checkpoint, 8
 * resumed to SUCCESS (6 with silently changed science: seed, dt, learning-rate scale, a weight, a curve value,
 * a negative pattern counter) and others ended with exit 1 and a Java exception name. Here every kind of
 * damage (bit flips at many offsets, truncation at many lengths, appended bytes, zeroed blocks, fields changed
 * with the checksum recomputed, an older version, an empty file, a directory, the other kind of checkpoint)
 * applied to both checkpoint kinds must end with exit code 2 and one line naming the file; and the message's
 * advice, resuming from the previous generation, works.
 */
class CheckpointCorruptionTest {

    /** Bytes before the payload in format 2: magic 8, version 4, length 8. */
    private static final int HEADER = 20;
    /** Seed of the random damage; {@code -Dfault.seed=N} runs the campaign with another one. */
    private static final long SEED = Long.getLong("fault.seed", 12);
    /** Random damage cases per checkpoint kind, besides the fixed kinds. */
    private static final int RANDOM_CASES = Integer.getInteger("fault.randomCases", 24);

    @TempDir
    Path temp;

    private static int execute(final StringWriter err, final String... args) {
        final CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test
    void issue12_everyCorruptionOfARegressionCheckpointIsRefusedWithExitCode2() throws IOException {
        // GIVEN a regression run of 4 patterns resumed to 6: checkpoint.bin at pattern 6, checkpoint.prev.bin at 4
        final Path pristine = temp.resolve("regression");
        final String[] fresh = {"regression", "--patterns", "4", "--test-every", "2", "--solver", "exponential-euler",
            "--dt", "0.5", "--held-out", "2", "--no-progress", "--out", pristine.toString()};
        StringWriter err = new StringWriter();
        assertEquals(Main.EXIT_OK, execute(err, fresh), err.toString());
        err = new StringWriter();
        assertEquals(Main.EXIT_OK, execute(err, "regression", "--resume", pristine.toString(), "--patterns", "6",
                "--no-progress"), err.toString());
        assertTrue(Files.isRegularFile(pristine.resolve("checkpoint.prev.bin")), "previous generation kept");
        final byte[] good = Files.readAllBytes(pristine.resolve("checkpoint.bin"));
        // the payload's settings: seed 8, solver (UTF: length 2 + bytes), dt 8, patterns 8, testEvery 4, scale 8,
        // backprop rate 8, hidden sizes 4 + 4, held-out 4, pattern ms 8, EMA weight 8, done 8, wall 8, then the
        // circuit state's length
        final int solver = HEADER + 8;
        final int dt = solver + 2 + ByteBuffer.wrap(good).getShort(solver);
        final int testEvery = dt + 16;
        final int scale = testEvery + 4;
        final int done = scale + 8 + 8 + 12 + 8 + 8;
        final int state = done + 16;
        final Map<String, UnaryOperator<byte[]>> cases = commonCorruptions(good, "NRDREGC1", "NRDXORCK");
        cases.put("patterns done -5 (checksum recomputed)", b -> resealed(putLong(b, done, -5)));
        cases.put("patterns done beyond the total (checksum recomputed)", b -> resealed(putLong(b, done, 1000)));
        cases.put("dt 0 (checksum recomputed)", b -> resealed(putDouble(b, dt, 0.0)));
        cases.put("dt NaN (checksum recomputed)", b -> resealed(putDouble(b, dt, Double.NaN)));
        cases.put("test interval 0 (checksum recomputed)", b -> resealed(putInt(b, testEvery, 0)));
        cases.put("learning-rate scale -1 (checksum recomputed)", b -> resealed(putDouble(b, scale, -1.0)));
        cases.put("state length off by one (checksum recomputed)",
                b -> resealed(putInt(b, state, ByteBuffer.wrap(b).getInt(state) - 1)));
        cases.put("solver renamed (checksum recomputed)", b -> resealed(put(b, solver + 2, (byte) 'X')));
        cases.put("format 2, before the inputs and fixed weights left the state (checksum recomputed)",
                b -> resealed(putInt(b, 8, 2)));
        // WHEN each damaged file is resumed, THEN exit code 2 and one line naming the file
        assertRefused(pristine, good, cases, "regression", "--patterns", "8");
        // AND a checkpoint of the previous format (2, whose states held inputs and top-down weights) is refused
        // with the reason, not as a corrupt file
        assertEquals(3, ByteBuffer.wrap(good).getInt(8), "regression checkpoint format");
        final Path older = copy(pristine, "format-2");
        Files.write(older.resolve("checkpoint.bin"), resealed(putInt(good.clone(), 8, 2)));
        err = new StringWriter();
        assertEquals(Main.EXIT_USAGE, execute(err, "regression", "--resume", older.toString(), "--no-progress"));
        assertTrue(err.toString().contains("format 2, written by an earlier neurode, which kept the inputs and the "
                + "fixed top-down weights inside the circuits' states; this neurode reads format 3 only"),
                err.toString());
        // AND the previous generation, which the messages point to, resumes
        final Path folder = copy(pristine, "follow-advice");
        Files.write(folder.resolve("checkpoint.bin"), flip(good, good.length / 2));
        err = new StringWriter();
        assertEquals(Main.EXIT_USAGE, execute(err, "regression", "--resume", folder.toString(), "--no-progress"));
        assertTrue(err.toString().contains("checkpoint.prev.bin (pattern 4 of 4) is intact"), err.toString());
        Files.move(folder.resolve("checkpoint.prev.bin"), folder.resolve("checkpoint.bin"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        err = new StringWriter();
        assertEquals(Main.EXIT_OK, execute(err, "regression", "--resume", folder.toString(), "--patterns", "6",
                "--no-progress"), err.toString());
        assertEquals(Files.readString(pristine.resolve("curves.csv")), Files.readString(folder.resolve("curves.csv")));
    }

    @Test
    void issue12_everyCorruptionOfAnXorCheckpointIsRefusedWithExitCode2() throws IOException {
        // GIVEN an xor run of 2 tiny epochs: checkpoint.bin after epoch 2, checkpoint.prev.bin after epoch 1
        final Path pristine = temp.resolve("xor");
        final StringWriter err = new StringWriter();
        assertEquals(Main.EXIT_OK, execute(err, "xor", "--pad", "8", "--train-size", "64", "--test-size", "32",
                "--batch", "32", "--hidden", "4", "--backbone-units", "8", "--epochs", "2", "--evaluations", "1",
                "--seed", "3", "--no-progress", "--out", pristine.toString()), err.toString());
        assertTrue(Files.isRegularFile(pristine.resolve("checkpoint.prev.bin")), "previous generation kept");
        final byte[] good = Files.readAllBytes(pristine.resolve("checkpoint.bin"));
        // the payload: model (UTF), event flag 1, pad 4, train size 4, test size 4, epochs 4, batch 4, lr 8, decay 8,
        // clip 8, hidden 4, units 4, layers 4, seed 8, evaluations 4, optimizer (UTF), activation (UTF), weight
        // decay 8, threads 4, forget bias 8, wall 8, then the run: epochs done 4, steps 8, samples 8, rate factor 8
        final int model = HEADER;
        final int pad = model + 2 + ByteBuffer.wrap(good).getShort(model) + 1;
        final int batch = pad + 16;
        final int lr = batch + 4;
        final int optimizer = lr + 24 + 12 + 8 + 4;
        final int activation = optimizer + 2 + ByteBuffer.wrap(good).getShort(optimizer);
        final int threads = activation + 2 + ByteBuffer.wrap(good).getShort(activation) + 8;
        final int epochsDone = threads + 4 + 16;
        final int steps = epochsDone + 4;
        final int rate = steps + 16;
        final Map<String, UnaryOperator<byte[]>> cases = commonCorruptions(good, "NRDXCFC1", "NRDREGCK");
        cases.put("padding 0 (checksum recomputed)", b -> resealed(putInt(b, pad, 0)));
        cases.put("batch -32 (checksum recomputed)", b -> resealed(putInt(b, batch, -32)));
        cases.put("learning rate 0 (checksum recomputed)", b -> resealed(putDouble(b, lr, 0.0)));
        cases.put("threads 1,000,000,000 (checksum recomputed)", b -> resealed(putInt(b, threads, 1_000_000_000)));
        cases.put("epochs done -1 (checksum recomputed)", b -> resealed(putInt(b, epochsDone, -1)));
        cases.put("step counter changed (checksum recomputed)", b -> resealed(putLong(b, steps, 3)));
        cases.put("learning-rate factor changed (checksum recomputed)", b -> resealed(putDouble(b, rate, 0.5)));
        cases.put("optimizer renamed (checksum recomputed)", b -> resealed(put(b, optimizer + 2, (byte) 'X')));
        assertRefused(pristine, good, cases, "xor", "--epochs", "3");
    }

    /**
     * Damage that does not depend on the kind: at least 24 kinds.
     *
     * @param good   an intact checkpoint
     * @param legacy the first bytes of format-1 checkpoints of its kind
     * @param other  the first bytes of the other kind's checkpoints
     */
    private static Map<String, UnaryOperator<byte[]>> commonCorruptions(final byte[] good, final String legacy,
                                                                        final String other) {
        final Map<String, UnaryOperator<byte[]>> cases = new LinkedHashMap<>();
        final int n = good.length;
        for (final int offset : new int[] {0, 7, 8, 11, 12, 19, HEADER, HEADER + 9, HEADER + 40, n / 3, n / 2,
            n - 40, n - 5, n - 4, n - 1}) {
            cases.put("bit flip at byte " + offset, b -> flip(b, offset));
        }
        for (final int length : new int[] {1, 8, 19, 20, 24, HEADER + 30, n / 2, n - 8, n - 4, n - 1}) {
            cases.put("truncated to " + length + " bytes", b -> Arrays.copyOf(b, length));
        }
        cases.put("one byte appended", b -> Arrays.copyOf(b, n + 1));
        cases.put("4 KiB appended", b -> Arrays.copyOf(b, n + 4096));
        cases.put("zeroed header", b -> zero(b, 0, HEADER));
        cases.put("zeroed 512 bytes in the middle", b -> zero(b, n / 2 - 256, 512));
        cases.put("zeroed checksum", b -> zero(b, n - 4, 4));
        cases.put("zeroed payload (checksum recomputed)", b -> resealed(zero(b, HEADER, n - HEADER - 4)));
        cases.put("older format version 1 (checksum recomputed)", b -> resealed(putInt(b, 8, 1)));
        final int version = ByteBuffer.wrap(good).getInt(8);
        cases.put("newer format version " + (version + 1), b -> putInt(b, 8, version + 1));
        cases.put("length field +1 (checksum recomputed)", b -> resealed(putLong(b, 12, n - HEADER - 4 + 1)));
        cases.put("empty file", b -> new byte[0]);
        cases.put("format 1 file (no header, no checksum)", b -> {
            final byte[] old = Arrays.copyOfRange(b, HEADER - 8, n - 4);
            System.arraycopy(legacy.getBytes(StandardCharsets.US_ASCII), 0, old, 0, 8);
            return old;
        });
        cases.put("the other kind's checkpoint", b -> {
            System.arraycopy(other.getBytes(StandardCharsets.US_ASCII), 0, b, 0, 8);
            return resealed(b);
        });
        cases.put("random bytes", b -> {
            final byte[] r = new byte[n];
            new java.util.Random(12).nextBytes(r);
            return r;
        });
        cases.put("text file", b -> "not a checkpoint\n".getBytes(StandardCharsets.UTF_8));
        // and random damage from the campaign's seed (-Dfault.seed=N runs it with another): flipped bits,
        // overwritten bytes and truncations at random places, never resealed, so the checksum must catch them
        final java.util.SplittableRandom random = new java.util.SplittableRandom(SEED);
        for (int k = 0; k < RANDOM_CASES; k++) {
            final int offset = random.nextInt(n);
            final int bit = 1 << random.nextInt(8);
            final int length = 1 + random.nextInt(Math.min(64, n - offset));
            final byte value = (byte) random.nextInt(256);
            final int cut = random.nextInt(n);
            switch (k % 3) {
                case 0 -> cases.put("seed " + SEED + ": bit " + bit + " flipped at byte " + offset, b -> {
                    b[offset] ^= (byte) bit;
                    return b;
                });
                case 1 -> cases.put("seed " + SEED + ": " + length + " bytes at " + offset + " set to " + value, b -> {
                    final byte[] c = b.clone();
                    Arrays.fill(c, offset, offset + length, value);
                    return Arrays.equals(c, b) ? flip(c, offset) : c;
                });
                default -> cases.put("seed " + SEED + ": truncated to " + cut + " bytes", b -> Arrays.copyOf(b, cut));
            }
        }
        return cases;
    }

    /**
     * Applies each corruption to a copy of the folder and resumes it; every one must be refused with exit code 2
     * and one line that names the checkpoint. Also a directory in its place.
     */
    private void assertRefused(final Path pristine, final byte[] good, final Map<String, UnaryOperator<byte[]>> cases,
                               final String command, final String... more) throws IOException {
        assertTrue(cases.size() >= 24, "kinds of corruption: " + cases.size());
        final List<String> failures = new ArrayList<>();
        int k = 0;
        for (final Map.Entry<String, UnaryOperator<byte[]>> c : cases.entrySet()) {
            final Path folder = copy(pristine, command + "-" + k++);
            Files.write(folder.resolve("checkpoint.bin"), c.getValue().apply(good.clone()));
            check(folder, c.getKey(), command, more, failures);
        }
        final Path dir = copy(pristine, command + "-directory");
        Files.delete(dir.resolve("checkpoint.bin"));
        Files.createDirectory(dir.resolve("checkpoint.bin"));
        check(dir, "a directory instead of the file", command, more, failures);
        assertTrue(failures.isEmpty(), failures.size() + " of " + (cases.size() + 1) + " corruptions not refused "
                + "properly:\n" + String.join("\n", failures));
    }

    private static void check(final Path folder, final String what, final String command, final String[] more,
                              final List<String> failures) {
        final StringWriter err = new StringWriter();
        final List<String> args = new ArrayList<>(List.of(command, "--resume", folder.toString(), "--no-progress"));
        args.addAll(List.of(more));
        final int code = execute(err, args.toArray(new String[0]));
        final String message = err.toString().strip();
        final String file = folder.resolve("checkpoint.bin").toString();
        if (code != Main.EXIT_USAGE || message.contains("\n") || !message.startsWith("neurode: error: ")
                || !message.contains(file) || message.contains("Exception") || message.contains("java.")) {
            failures.add(what + ": exit " + code + ", " + message);
        }
    }

    private Path copy(final Path pristine, final String name) throws IOException {
        final Path folder = Files.createDirectories(temp.resolve("cases").resolve(name));
        try (Stream<Path> files = Files.list(pristine)) {
            for (final Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, folder.resolve(f.getFileName()));
            }
        }
        return folder;
    }

    private static byte[] flip(final byte[] b, final int offset) {
        final byte[] c = b.clone();
        c[offset] ^= 0x10;
        return c;
    }

    private static byte[] zero(final byte[] b, final int offset, final int length) {
        Arrays.fill(b, offset, offset + length, (byte) 0);
        return b;
    }

    private static byte[] put(final byte[] b, final int offset, final byte v) {
        b[offset] = v;
        return b;
    }

    private static byte[] putInt(final byte[] b, final int offset, final int v) {
        ByteBuffer.wrap(b).putInt(offset, v);
        return b;
    }

    private static byte[] putLong(final byte[] b, final int offset, final long v) {
        ByteBuffer.wrap(b).putLong(offset, v);
        return b;
    }

    private static byte[] putDouble(final byte[] b, final int offset, final double v) {
        ByteBuffer.wrap(b).putDouble(offset, v);
        return b;
    }

    /** The damaged bytes with a valid checksum, as someone editing a field and fixing the checksum would make. */
    private static byte[] resealed(final byte[] b) {
        final CRC32C crc = new CRC32C();
        crc.update(b, 0, b.length - 4);
        ByteBuffer.wrap(b).putInt(b.length - 4, (int) crc.getValue());
        return b;
    }
}
