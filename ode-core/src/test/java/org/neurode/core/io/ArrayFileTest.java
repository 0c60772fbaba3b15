package org.neurode.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;

/**
 * Parameter arrays from CSV and NumPy files. The .npy files were written by NumPy itself (numpy.save, script
 * make_arrays.py beside them), so the reader is checked against the format as its reference writer produces it;
 * their values are small integers plus 0.25, exact in float32 and float64, so comparisons have no tolerance.
 */
class ArrayFileTest {

    @TempDir
    Path dir;

    private static Path resource(final String name) throws URISyntaxException {
        return Path.of(ArrayFileTest.class.getResource("/arrays/" + name).toURI());
    }

    /** Element (r, c) = 10 r + c + 0.25 of the 3 x 4 matrices, row-major. */
    private static double[] matrix() {
        final double[] m = new double[12];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 4; c++) {
                m[r * 4 + c] = 10 * r + c + 0.25;
            }
        }
        return m;
    }

    @Test
    void readsWhatNumPyWrites() throws Exception {
        assertArrayEquals(matrix(), ArrayFile.read(resource("m_f8.npy"), 3, 4));
        // Fortran order is transposed back to row-major; float32 widened exactly
        assertArrayEquals(matrix(), ArrayFile.read(resource("m_f4_fortran.npy"), 3, 4));
        assertArrayEquals(matrix(), ArrayFile.read(resource("m_be.npy"), 3, 4));
        assertArrayEquals(matrix(), ArrayFile.read(resource("m_v2.npy"), 3, 4));
        assertArrayEquals(new double[] {-2, -1, 0, 1, 2}, ArrayFile.read(resource("v_i8.npy"), 5, 1));
        assertArrayEquals(new double[] {0, 1, 2, 3, 4}, ArrayFile.read(resource("v_u1.npy"), 5, 1));
        // a 1 x 5 row read as a vector of 5
        assertArrayEquals(new double[] {-2, -1, 0, 1, 2}, ArrayFile.read(resource("v_row.npy"), 5, 1));
        assertArrayEquals(new double[] {3.5}, ArrayFile.read(resource("s.npy"), 1, 1));
    }

    @Test
    void npyErrorsNameTheFileAndWhatIsWrong() throws Exception {
        final OdeException shape = assertThrows(OdeException.class, () -> ArrayFile.read(resource("m_f8.npy"), 4, 3));
        assertEquals(ErrorCode.ARRAY_FILE, shape.code());
        assertTrue(shape.getMessage().contains("m_f8.npy") && shape.getMessage().contains("shape (3, 4)")
                && shape.getMessage().contains("4x3"), shape.getMessage());
        assertTrue(assertThrows(OdeException.class, () -> ArrayFile.read(resource("t3.npy"), 2, 2)).getMessage()
                .contains("3 dimensions"));
        assertTrue(assertThrows(OdeException.class, () -> ArrayFile.read(resource("m_nan.npy"), 2, 2)).getMessage()
                .contains("NaN"));
        final byte[] whole = Files.readAllBytes(resource("m_f8.npy"));
        final Path cut = dir.resolve("cut.npy");
        Files.write(cut, Arrays.copyOf(whole, whole.length - 8));
        assertTrue(assertThrows(OdeException.class, () -> ArrayFile.read(cut, 3, 4)).getMessage()
                .contains("ends after 11 of its 12 values"));
        final Path fake = dir.resolve("fake.npy");
        Files.writeString(fake, "1,2,3\n");
        assertTrue(assertThrows(OdeException.class, () -> ArrayFile.read(fake, 3, 1)).getMessage()
                .contains("not a NumPy .npy file"));
    }

    @Test
    void readsCsvMatricesAndVectors() throws IOException {
        final Path m = dir.resolve("w.csv");
        Files.writeString(m, "# weights\n0.25, 1.25,2.25 ,3.25\r\n\n10.25\t11.25\t12.25\t13.25\n20.25 21.25 22.25 23.25");
        assertArrayEquals(matrix(), ArrayFile.read(m, 3, 4));
        final Path column = dir.resolve("v.txt");
        Files.writeString(column, "-2\n-1\n0\n1e0\n+2.0\n");
        assertArrayEquals(new double[] {-2, -1, 0, 1, 2}, ArrayFile.read(column, 5, 1));
        final Path line = dir.resolve("line.csv");
        Files.writeString(line, "-2,-1,0,1,2\n");
        assertArrayEquals(new double[] {-2, -1, 0, 1, 2}, ArrayFile.read(line, 5, 1));
    }

    @Test
    void csvErrorsNameTheLineAndColumn() throws IOException {
        assertCsvError("1,2\n3,x4\n", 2, 2, "line 2, column 3: 'x4' is not a number");
        assertCsvError("1,2\n3,,4\n", 2, 2, "line 2, column 3: a value is missing");
        assertCsvError("1,2\n3\n", 2, 2, "row 2 has 1 values where 2 were expected");
        assertCsvError("1,2\n3,4\n5,6\n", 2, 2, "line 3: more rows than the 2x2 expected");
        assertCsvError("1,2,3\n", 2, 2, "line 1, column 5: more values than the 2x2 expected");
        assertCsvError("1,2\n", 2, 2, "1 rows of values where 2x2 were expected");
        assertCsvError("# nothing\n", 2, 2, "no values");
        assertCsvError("1e999\n", 1, 1, "line 1, column 1: 1e999 is too large");
        assertCsvError("nan\n", 1, 1, "'nan' is not a number");
        final OdeException missing = assertThrows(OdeException.class, () -> ArrayFile.read(dir.resolve("no.csv"), 1,
                                                                                            1));
        assertTrue(missing.getMessage().contains("no.csv: no such file"), missing.getMessage());
        final Path other = dir.resolve("w.mat");
        Files.writeString(other, "1");
        assertTrue(assertThrows(OdeException.class, () -> ArrayFile.read(other, 1, 1)).getMessage()
                .contains("must end in .csv, .txt or .npy"));
    }

    private void assertCsvError(final String text, final int rows, final int cols, final String expected)
            throws IOException {
        final Path f = dir.resolve("bad.csv");
        Files.writeString(f, text);
        final OdeException e = assertThrows(OdeException.class, () -> ArrayFile.read(f, rows, cols));
        assertEquals(ErrorCode.ARRAY_FILE, e.code());
        assertTrue(e.getMessage().contains("bad.csv: " + expected) || e.getMessage().contains(expected)
                && e.getMessage().contains("bad.csv"), e.getMessage());
    }
}
