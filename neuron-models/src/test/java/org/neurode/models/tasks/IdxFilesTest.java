package org.neurode.models.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;

/**
 * IDX files ({@link IdxFiles}): small files written here, raw and gzip-compressed, and each defect's message,
 * which must name the file and the field at fault with the values expected and found.
 */
class IdxFilesTest {

    /** Three 2 x 2 images, pixels 0 to 255 with the sign bit set in some, so that unsigned reading shows. */
    private static final byte[] PIXELS = {0, 1, 2, 3, 10, 20, (byte) 128, (byte) 255, 7, 7, 7, (byte) 200};

    /** Their labels, with 3 classes. */
    private static final byte[] LABELS = {0, 2, 1};

    @Test
    void rawAndGzipFilesReadAlike(@TempDir final Path dir) throws IOException {
        for (final boolean gzip : new boolean[] {false, true}) {
            // GIVEN three 2 x 2 images and their labels, raw or gzip-compressed (under the same names: the gzip
            // magic decides, not the name)
            final Path images = write(dir.resolve("images-" + gzip),
                    idx(IdxFiles.IMAGES_MAGIC, new int[] {3, 2, 2}, PIXELS), gzip);
            final Path labels = write(dir.resolve("labels-" + gzip),
                    idx(IdxFiles.LABELS_MAGIC, new int[] {3}, LABELS), gzip);
            // WHEN they are read with 3 classes
            final ImageSet set = IdxFiles.read(images, labels, 3);
            // THEN the sizes, labels and unsigned pixels are those written
            assertEquals(3, set.size());
            assertEquals(2, set.rows());
            assertEquals(2, set.cols());
            assertEquals(3, set.classes());
            assertEquals(2, set.label(1));
            assertEquals(128, set.pixel(1, 2));
            assertEquals(255, set.pixel(1, 3));
            assertEquals(200, set.pixel(2, 3));
            assertEquals(1, set.classCounts()[2]);
        }
    }

    @Test
    void wrongMagicNamesTheFileAndBothNumbers(@TempDir final Path dir) throws IOException {
        // GIVEN a labels file where the images file should be (magic 0x00000801 instead of 0x00000803)
        final Path labels = write(dir.resolve("labels.gz"), idx(IdxFiles.LABELS_MAGIC, new int[] {3}, LABELS), true);
        // WHEN it is read as images
        final OdeException e = assertThrows(OdeException.class, () -> IdxFiles.read(labels, labels, 3));
        // THEN the message names the file, the field and both numbers
        assertEquals(ErrorCode.DATA_SET, e.code());
        assertEquals("IDX file " + labels + ": the magic number (bytes 0-3) is 0x00000801 (unsigned bytes,"
                + " 1 dimension: labels) but 0x00000803 (unsigned bytes, 3 dimensions: images) was expected",
                e.getMessage());
        // AND a file that is not IDX at all (text) is called that, with its first bytes as the number found
        final Path text = Files.writeString(dir.resolve("notes.txt"), "hello, world");
        final String m = assertThrows(OdeException.class, () -> IdxFiles.read(text, labels, 3)).getMessage();
        assertTrue(m.contains(text.toString()) && m.contains("0x68656C6C") && m.contains("not an IDX file"), m);
    }

    @Test
    void truncatedDataNameTheBytesExpectedAndFound(@TempDir final Path dir) throws IOException {
        // GIVEN a raw header of 3 images of 28 x 28 (3 * 784 = 2,352 bytes) followed by 2 images and 100 bytes
        // (1,668 bytes)
        final byte[] full = idx(IdxFiles.IMAGES_MAGIC, new int[] {3, 28, 28}, new byte[3 * 784]);
        final Path cut = write(dir.resolve("cut"), Arrays.copyOf(full, 16 + 2 * 784 + 100), false);
        final Path labels = write(dir.resolve("labels"), idx(IdxFiles.LABELS_MAGIC, new int[] {3}, LABELS), false);
        // WHEN it is read
        final OdeException e = assertThrows(OdeException.class, () -> IdxFiles.read(cut, labels, 3));
        // THEN the message names the file and both byte counts
        assertEquals("IDX file " + cut + ": truncated: the pixels of 3 images of 28 x 28 (from byte 16) are 2352"
                + " bytes but only 1668 were found (the data end at byte 1684)", e.getMessage());
        // AND a gzip stream cut in half is truncated too (how much of it decompresses depends on the deflater;
        // 1,000 bytes of the 2,352 at least, and fewer than 2,352)
        final byte[] random = new byte[3 * 784];
        new java.util.Random(1).nextBytes(random);
        final byte[] gz = gzip(idx(IdxFiles.IMAGES_MAGIC, new int[] {3, 28, 28}, random));
        final Path cutGz = write(dir.resolve("cut.gz"), Arrays.copyOf(gz, gz.length / 2), false);
        final String m = assertThrows(OdeException.class, () -> IdxFiles.read(cutGz, labels, 3)).getMessage();
        assertTrue(m.startsWith("IDX file " + cutGz + ": truncated: the pixels of 3 images of 28 x 28 (from byte 16)"
                + " are 2352 bytes but only "), m);
        final int found = Integer.parseInt(m.replaceAll(".* but only (\\d+) were found.*", "$1"));
        assertTrue(found >= 1_000 && found < 2_352, m);
    }

    @Test
    void truncatedHeaderNamesTheField(@TempDir final Path dir) throws IOException {
        // GIVEN an images file of 6 bytes: the magic number and half the number of images
        final byte[] full = idx(IdxFiles.IMAGES_MAGIC, new int[] {3, 2, 2}, PIXELS);
        final Path cut = write(dir.resolve("cut"), Arrays.copyOf(full, 6), false);
        // WHEN it is read
        final OdeException e = assertThrows(OdeException.class, () -> IdxFiles.read(cut, cut, 3));
        // THEN the message says where the header ends: in bytes 4-7, after 6 bytes of at least 8
        assertEquals("IDX file " + cut + ": truncated: the header ends in the number of images (bytes 4-7), after"
                + " 6 bytes (8 expected at least)", e.getMessage());
    }

    @Test
    void bytesAfterTheDataAreReported(@TempDir final Path dir) throws IOException {
        // GIVEN a labels file of 3 labels followed by 5 more bytes (8 + 3 = 11 bytes announced, 16 there)
        final byte[] data = Arrays.copyOf(idx(IdxFiles.LABELS_MAGIC, new int[] {3}, LABELS), 16);
        final Path labels = write(dir.resolve("labels.gz"), data, true);
        final Path images = write(dir.resolve("images"), idx(IdxFiles.IMAGES_MAGIC, new int[] {3, 2, 2}, PIXELS),
                false);
        // WHEN it is read
        final OdeException e = assertThrows(OdeException.class, () -> IdxFiles.read(images, labels, 3));
        // THEN the message gives both sizes
        assertEquals("IDX file " + labels + ": 5 bytes follow the labels of 3 items: the header announces 11 bytes"
                + " in all but the data hold 16", e.getMessage());
    }

    @Test
    void imageAndLabelCountsMustAgree(@TempDir final Path dir) throws IOException {
        // GIVEN 3 images and 2 labels
        final Path images = write(dir.resolve("images.gz"), idx(IdxFiles.IMAGES_MAGIC, new int[] {3, 2, 2}, PIXELS),
                true);
        final Path labels = write(dir.resolve("labels.gz"),
                idx(IdxFiles.LABELS_MAGIC, new int[] {2}, Arrays.copyOf(LABELS, 2)), true);
        // WHEN they are read together
        final OdeException e = assertThrows(OdeException.class, () -> IdxFiles.read(images, labels, 3));
        // THEN the message names both files and both counts
        assertEquals("IDX file " + labels + ": 2 labels (bytes 4-7) but the images file " + images + " holds 3"
                + " images: the two files must hold the same number of items", e.getMessage());
    }

    @Test
    void labelsMustBeClasses(@TempDir final Path dir) throws IOException {
        // GIVEN labels 0, 10, 1 where the classes are 0 to 9
        final Path images = write(dir.resolve("images"), idx(IdxFiles.IMAGES_MAGIC, new int[] {3, 2, 2}, PIXELS),
                false);
        final Path labels = write(dir.resolve("labels"), idx(IdxFiles.LABELS_MAGIC, new int[] {3},
                new byte[] {0, 10, 1}), false);
        // WHEN they are read with 10 classes
        final OdeException e = assertThrows(OdeException.class, () -> IdxFiles.read(images, labels, 10));
        // THEN the message names the item, its byte (8 + 1) and the range
        assertEquals("IDX file " + labels + ": the label of item 1 (byte 9) is 10; labels must be 0 to 9",
                e.getMessage());
        // AND a label of 255 (a byte with the sign bit set) is out of range as well, not -1
        final Path high = write(dir.resolve("high"), idx(IdxFiles.LABELS_MAGIC, new int[] {3},
                new byte[] {0, 1, (byte) 255}), false);
        final String m = assertThrows(OdeException.class, () -> IdxFiles.read(images, high, 10)).getMessage();
        assertTrue(m.contains("item 2 (byte 10) is 255"), m);
    }

    @Test
    void missingNegativeAndCorruptFilesAreNamed(@TempDir final Path dir) throws IOException {
        final Path labels = write(dir.resolve("labels"), idx(IdxFiles.LABELS_MAGIC, new int[] {3}, LABELS), false);
        // GIVEN a file that does not exist: THEN the message says so, with the path
        final Path none = dir.resolve("none.gz");
        assertEquals("IDX file " + none + ": no such file",
                assertThrows(OdeException.class, () -> IdxFiles.read(none, labels, 3)).getMessage());
        // GIVEN a folder where a file should be: THEN it cannot be read, and the message names it
        final String folder = assertThrows(OdeException.class, () -> IdxFiles.read(dir, labels, 3)).getMessage();
        assertTrue(folder.startsWith("IDX file " + dir + ": cannot "), folder);
        // GIVEN a negative number of rows: THEN the field and its value are named
        final Path negative = write(dir.resolve("negative"), idx(IdxFiles.IMAGES_MAGIC, new int[] {3, -2, 2},
                PIXELS), false);
        assertEquals("IDX file " + negative + ": the number of rows (bytes 8-11) is -2; it must be positive",
                assertThrows(OdeException.class, () -> IdxFiles.read(negative, labels, 3)).getMessage());
        // GIVEN the gzip magic followed by bytes that are no gzip header: THEN the file is named as a bad gzip
        final Path corrupt = write(dir.resolve("corrupt.gz"), new byte[] {0x1f, (byte) 0x8b, 1, 2, 3}, false);
        final String m = assertThrows(OdeException.class, () -> IdxFiles.read(corrupt, labels, 3)).getMessage();
        assertTrue(m.startsWith("IDX file " + corrupt + ": ") && m.contains("gzip"), m);
    }

    /** An unsigned-byte IDX file: magic, dimension sizes (big-endian), data. */
    static byte[] idx(final int magic, final int[] dims, final byte[] data) {
        final ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.putInt(magic);
        for (final int d : dims) {
            b.putInt(d);
        }
        b.put(data);
        return b.array();
    }

    static byte[] gzip(final byte[] data) throws IOException {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(data);
        }
        return bytes.toByteArray();
    }

    static Path write(final Path file, final byte[] data, final boolean gzip) throws IOException {
        return Files.write(file, gzip ? gzip(data) : data);
    }
}
