package org.neurode.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurode.core.OdeException;

/**
 * NumPy's .npy format as neurode writes it, checked against NumPy itself: files saved by numpy.save (make_npy.py in
 * the npy resources), and what numpy.load read from files neurode wrote for the same arrays (numpy_loaded.txt, made
 * once on the development machine), so these tests do not need Python. All comparisons are exact: the format stores
 * the doubles' bits.
 */
class NpyFileTest {

    @TempDir
    Path dir;

    private static final double[] MATRIX = {0.1, -2.5, 1e-300, 3.0, 6.02e23, -0.0};
    private static final double[] VECTOR = {1.5, 2.25, -7.0};
    private static final int[] INTS = {0, 7, -3, 2147483647};

    private static Path resource(final String name) throws URISyntaxException {
        return Path.of(NpyFileTest.class.getResource("/npy/" + name).toURI());
    }

    /** Writes the test arrays as neurode_NAME.npy, the names make_npy.py loads. */
    private void writeAll() {
        NpyFile.write(dir.resolve("neurode_f8_matrix.npy"), MATRIX, 3, 2);
        NpyFile.write(dir.resolve("neurode_f8_vector.npy"), VECTOR);
        NpyFile.write(dir.resolve("neurode_i4_vector.npy"), INTS);
        NpyFile.write(dir.resolve("neurode_f8_empty.npy"), new double[0], 0, 3);
    }

    @Test
    void writesTheBytesNumpySaveWrites() throws Exception {
        writeAll();
        for (final String name : new String[] {"f8_matrix", "f8_vector", "i4_vector", "f8_empty"}) {
            assertArrayEquals(Files.readAllBytes(resource("numpy_" + name + ".npy")),
                    Files.readAllBytes(dir.resolve("neurode_" + name + ".npy")), name);
        }
    }

    @Test
    void numpyLoadedTheArraysNeurodeWrote() throws Exception {
        // numpy.load's reading of files written by this code: dtype, shape and values
        final List<String> lines = Files.readAllLines(resource("numpy_loaded.txt"), StandardCharsets.UTF_8);
        assertEquals("neurode_f8_matrix.npy; <f8; (3, 2); 0.1 -2.5 1e-300 3.0 6.02e+23 -0.0", lines.get(1));
        assertEquals("neurode_f8_vector.npy; <f8; (3,); 1.5 2.25 -7.0", lines.get(2));
        assertEquals("neurode_i4_vector.npy; <i4; (4,); 0 7 -3 2147483647", lines.get(3));
        assertEquals("neurode_f8_empty.npy; <f8; (0, 3); ", lines.get(4));
        final String[] values = lines.get(1).split("; ")[3].split(" ");
        for (int k = 0; k < MATRIX.length; k++) {
            assertEquals(Double.doubleToRawLongBits(MATRIX[k]), Double.doubleToRawLongBits(Double.parseDouble(
                    values[k])), "element " + k);
        }
        // and the files this code writes now are those numpy loaded (the bytes numpy.save writes, checked above)
        writeAll();
        assertArrayEquals(Files.readAllBytes(resource("numpy_f8_matrix.npy")),
                Files.readAllBytes(dir.resolve("neurode_f8_matrix.npy")));
    }

    @Test
    void roundTripsThroughTheArrayReader() {
        // GIVEN random matrices of several shapes, header lengths crossing a 64-byte boundary
        final SplittableRandom random = new SplittableRandom(3);
        for (final int[] shape : new int[][] {{1, 1}, {7, 5}, {1000, 3}, {12345, 1}, {1, 99999}}) {
            final double[] a = new double[shape[0] * shape[1]];
            for (int k = 0; k < a.length; k++) {
                a[k] = random.nextGaussian() * Math.pow(10, random.nextInt(-20, 20));
            }
            final Path f = dir.resolve("m.npy");
            NpyFile.write(f, a, shape[0], shape[1]);
            // THEN the reader gives the same doubles
            assertArrayEquals(a, ArrayFile.read(f, shape[0], shape[1]), shape[0] + "x" + shape[1]);
        }
        final Path v = dir.resolve("v.npy");
        NpyFile.write(v, VECTOR);
        assertArrayEquals(VECTOR, ArrayFile.read(v, 3, 1));
        NpyFile.write(v, INTS);
        assertArrayEquals(new double[] {0, 7, -3, 2147483647}, ArrayFile.read(v, 4, 1));
    }

    @Test
    void aWrongShapeOrAnUnwritableFileIsAnErrorNamingTheFile() throws IOException {
        final OdeException e = assertThrows(OdeException.class,
                () -> NpyFile.write(dir.resolve("x.npy"), VECTOR, 2, 2));
        assertEquals("cannot write " + dir.resolve("x.npy") + ": 3 values are not a 2x2 array", e.getMessage());
        final Path missing = dir.resolve("no/such/folder/x.npy");
        final java.io.UncheckedIOException io = assertThrows(java.io.UncheckedIOException.class,
                () -> NpyFile.write(missing, VECTOR));
        assertEquals(true, io.getMessage().startsWith("cannot write " + missing.toAbsolutePath()), io.getMessage());
    }
}
