package org.neurode.models.tasks;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Writes the bundled subset of Fashion-MNIST ({@link FashionMnist#bundledSubset()}): the first 1,000 training and
 * 500 test items of the four gzip IDX files of a folder, with the count in the header changed and every other
 * byte copied unchanged (it does not use {@link IdxFiles}, so that the tests compare two independent readings).
 * Not a test; run it after {@code mvn test-compile} with
 * <pre>
 * java -cp neuron-models/target/test-classes org.neurode.models.tasks.FashionMnistSubsetTool \
 *     /usr/share/datasets/fashion-mnist neuron-models/src/main/resources/org/neurode/models/tasks/fashion-mnist-subset
 * </pre>
 * The output is the same at each run (gzip with the best compression and no time stamp).
 */
final class FashionMnistSubsetTool {

    private FashionMnistSubsetTool() {
    }

    /**
     * Writes the subset.
     *
     * @param args the folder with the full files, then the output folder
     * @throws IOException if a file cannot be read or written
     */
    public static void main(final String[] args) throws IOException {
        final Path from = Path.of(args[0]);
        final Path to = Path.of(args[1]);
        Files.createDirectories(to);
        copy(from, to, FashionMnist.TRAIN_IMAGES, 3, FashionMnist.SUBSET_TRAIN_SIZE);
        copy(from, to, FashionMnist.TRAIN_LABELS, 1, FashionMnist.SUBSET_TRAIN_SIZE);
        copy(from, to, FashionMnist.TEST_IMAGES, 3, FashionMnist.SUBSET_TEST_SIZE);
        copy(from, to, FashionMnist.TEST_LABELS, 1, FashionMnist.SUBSET_TEST_SIZE);
    }

    /** Copies the header with count n and the first n items of an unsigned-byte IDX file of dims dimensions. */
    private static void copy(final Path from, final Path to, final String name, final int dims, final int n)
            throws IOException {
        try (InputStream raw = Files.newInputStream(from.resolve(name + ".gz"));
             DataInputStream in = new DataInputStream(new GZIPInputStream(raw));
             OutputStream file = Files.newOutputStream(to.resolve(name + ".gz"));
             DataOutputStream out = new DataOutputStream(new BestGzip(file))) {
            final int magic = in.readInt();
            if (magic != (0x800 | dims)) {
                throw new IOException(name + ": magic " + Integer.toHexString(magic));
            }
            out.writeInt(magic);
            final int count = in.readInt();
            if (count < n) {
                throw new IOException(name + ": only " + count + " items");
            }
            out.writeInt(n);
            long itemBytes = 1;
            for (int d = 1; d < dims; d++) {
                final int size = in.readInt();
                out.writeInt(size);
                itemBytes *= size;
            }
            final byte[] items = new byte[Math.toIntExact(n * itemBytes)];
            in.readFully(items);
            out.write(items);
        }
    }

    /** gzip at the best compression (the JDK writes no time stamp, so the output is reproducible). */
    private static final class BestGzip extends GZIPOutputStream {
        BestGzip(final OutputStream out) throws IOException {
            super(out, 1 << 16);
            def.setLevel(Deflater.BEST_COMPRESSION);
        }
    }
}
