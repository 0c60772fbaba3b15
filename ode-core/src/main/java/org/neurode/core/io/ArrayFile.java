package org.neurode.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;

/**
 * Reads the values of a parameter array (a weight matrix, per-neuron constants) from a file, so that a model
 * with 10,000 weights is not a 223-KB line: model files write {@code parameter W[100,100] from "w.csv"}.
 *
 * <p>Two formats, chosen by the file name's extension:
 * <ul>
 * <li>{@code .csv} (and {@code .txt}): one matrix row per line, values separated by commas, spaces or tabs
 *     (what NumPy's {@code savetxt} and spreadsheets write); blank lines and lines starting with {@code #} are
 *     skipped. A vector is one value per line or one line of values.</li>
 * <li>{@code .npy}: NumPy's binary array format, versions 1 to 3, as {@code numpy.save} writes it: little- or
 *     big-endian 8- or 4-byte floats and 1-, 2-, 4- or 8-byte signed or unsigned integers, C or Fortran order,
 *     of shape {@code ()}, {@code (n,)}, {@code (n, 1)}, {@code (1, n)} or {@code (rows, cols)}.</li>
 * </ul>
 * Values are returned in row-major order, the order of the state and parameter arrays of a model. Every error
 * is an {@link OdeException} ({@link ErrorCode#ARRAY_FILE}) naming the file and, for CSV, the line and column.
 *
 * @since 0.3
 */
public final class ArrayFile {

    /** The largest file read (bytes): 1 GB, 125 million doubles, far beyond a model's parameter arrays. */
    static final long MAX_BYTES = 1L << 30;

    private static final byte[] NPY_MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([fiu])(\\d+)'");
    private static final Pattern ORDER = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private ArrayFile() {
    }

    /**
     * Reads a rows x cols array.
     *
     * @param file the file ({@code .csv}, {@code .txt} or {@code .npy})
     * @param rows expected rows (the size of a vector)
     * @param cols expected columns (1 for a vector)
     * @return the values, row-major, finite
     * @throws OdeException if the file is missing or unreadable, of another shape, or holds a value that is not a
     *                      finite number (naming the file, and the line and column for CSV)
     */
    public static double[] read(final Path file, final int rows, final int cols) {
        final String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        final byte[] bytes = bytes(file);
        if (name.endsWith(".npy")) {
            return npy(file, bytes, rows, cols);
        }
        if (name.endsWith(".csv") || name.endsWith(".txt")) {
            return csv(file, new String(bytes, StandardCharsets.UTF_8), rows, cols);
        }
        throw error(file, "unknown array format: the file name must end in .csv, .txt or .npy");
    }

    /**
     * Reads index pairs: a 2 x n array (row 0 the first indices, row 1 the second) or an n x 2 one, as the
     * explicit connections of a projection ({@code i}, {@code j}) are given.
     *
     * @param file the file ({@code .csv}, {@code .txt} or {@code .npy}, integers or integral floats)
     * @return {@code {first, second}}, each of n indices
     * @throws OdeException if the file is missing or unreadable, not of shape 2 x n or n x 2, or holds a value that
     *                      is not a whole number from 0 to 2^31 - 1
     * @since 0.5
     */
    public static int[][] readPairs(final Path file) {
        final double[][] two = readTwo(file);
        final int n = two[0].length;
        final int[][] out = new int[2][n];
        for (int k = 0; k < n; k++) {
            for (int r = 0; r < 2; r++) {
                final double x = two[r][k];
                if (x != Math.rint(x) || x < 0 || x > Integer.MAX_VALUE) {
                    throw error(file, "index " + k + " of " + (r == 0 ? "the first" : "the second") + " row is " + x
                            + ", not a whole number from 0");
                }
                out[r][k] = (int) x;
            }
        }
        return out;
    }

    /**
     * Reads two rows of n values: a 2 x n array, or an n x 2 one (its columns), as the members and times of a
     * spike generator are given.
     *
     * @param file the file ({@code .csv}, {@code .txt} or {@code .npy})
     * @return {@code {first, second}}, each of n values
     * @throws OdeException if the file is missing or unreadable, not of shape 2 x n or n x 2, or holds a value
     *                      that is not a finite number
     * @since 0.5
     */
    public static double[][] readTwo(final Path file) {
        final String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        final byte[] b = bytes(file);
        long rows;
        long cols;
        if (name.endsWith(".npy")) {
            final Matcher s = SHAPE.matcher(new String(b, 0, Math.min(b.length, 4096), StandardCharsets.ISO_8859_1));
            if (!s.find()) {
                throw error(file, "the .npy header has no 'shape'");
            }
            final long[] dims = dims(file, s.group(1));
            rows = dims.length == 0 ? 1 : dims[0];
            cols = dims.length < 2 ? 1 : dims[1];
        } else {
            rows = 0;
            cols = 0;
            for (final String line : new String(b, StandardCharsets.UTF_8).split("\n")) {
                final String l = line.strip();
                if (!l.isEmpty() && !l.startsWith("#")) {
                    rows++;
                    if (cols == 0) {
                        cols = l.split("[,\\s]+").length;
                    }
                }
            }
        }
        if (rows != 2 && cols != 2 || rows * cols > Integer.MAX_VALUE - 8) {
            throw error(file, "expected a 2 x n or an n x 2 array, not " + rows + " x " + cols);
        }
        final double[] v = read(file, (int) rows, (int) cols);
        final boolean byRow = rows == 2;
        final int n = (int) (byRow ? cols : rows);
        final double[][] out = new double[2][n];
        for (int k = 0; k < n; k++) {
            for (int r = 0; r < 2; r++) {
                out[r][k] = byRow ? v[r * n + k] : v[k * 2 + r];
            }
        }
        return out;
    }

    private static byte[] bytes(final Path file) {
        try {
            final long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw error(file, "the file has " + size + " bytes; an array file has at most " + MAX_BYTES);
            }
            try (InputStream in = Files.newInputStream(file)) {
                return in.readAllBytes();
            }
        } catch (NoSuchFileException e) {
            throw error(file, "no such file");
        } catch (IOException e) {
            throw error(file, "cannot read: " + e.getMessage());
        }
    }

    private static OdeException error(final Path file, final String message) {
        return new OdeException(ErrorCode.ARRAY_FILE, file.toString(), message);
    }

    private static String shape(final int rows, final int cols) {
        return cols == 1 ? rows + " values" : rows + "x" + cols;
    }

    // ------------------------------------------------------------------ CSV

    private static double[] csv(final Path file, final String text, final int rows, final int cols) {
        final List<double[]> lines = new ArrayList<>();
        int lineNumber = 0;
        int start = 0;
        while (start <= text.length()) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = text.length();
            }
            lineNumber++;
            String line = text.substring(start, end);
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (lineNumber == 1 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            final String trimmed = line.strip();
            if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                if (lines.size() == rows) {
                    throw error(file, "line " + lineNumber + ": more rows than the " + shape(rows, cols)
                            + " expected");
                }
                lines.add(values(file, line, lineNumber, rows, cols));
            }
            start = end + 1;
        }
        if (lines.isEmpty()) {
            throw error(file, "no values (" + shape(rows, cols) + " expected)");
        }
        final double[] out = new double[rows * cols];
        if (cols == 1 && lines.size() == 1 && lines.get(0).length == rows) {
            return lines.get(0);                                  // a vector written as one line
        }
        if (lines.size() != rows) {
            throw error(file, lines.size() + " rows of values where " + shape(rows, cols) + " were expected");
        }
        for (int r = 0; r < rows; r++) {
            final double[] row = lines.get(r);
            if (row.length != cols) {
                throw error(file, "row " + (r + 1) + " has " + row.length + " values where " + cols
                        + " were expected (" + shape(rows, cols) + ")");
            }
            System.arraycopy(row, 0, out, r * cols, cols);
        }
        return out;
    }

    private static double[] values(final Path file, final String line, final int lineNumber, final int rows,
                                   final int cols) {
        final List<Double> out = new ArrayList<>();
        int k = 0;
        final int n = line.length();
        while (true) {
            while (k < n && (line.charAt(k) == ' ' || line.charAt(k) == '\t')) {
                k++;
            }
            final int from = k;
            while (k < n && line.charAt(k) != ',' && line.charAt(k) != ' ' && line.charAt(k) != '\t') {
                k++;
            }
            final String token = line.substring(from, k);
            while (k < n && (line.charAt(k) == ' ' || line.charAt(k) == '\t')) {
                k++;
            }
            final boolean comma = k < n && line.charAt(k) == ',';
            if (token.isEmpty()) {
                if (comma || !out.isEmpty() && k < n) {
                    throw error(file, "line " + lineNumber + ", column " + (from + 1) + ": a value is missing");
                }
            } else {
                out.add(number(file, token, lineNumber, from + 1));
                if (out.size() > Math.max(rows, cols)) {
                    throw error(file, "line " + lineNumber + ", column " + (from + 1) + ": more values than the "
                            + shape(rows, cols) + " expected");
                }
            }
            if (comma) {
                k++;
                continue;
            }
            if (k >= n) {
                break;
            }
        }
        final double[] a = new double[out.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = out.get(i);
        }
        return a;
    }

    private static double number(final Path file, final String token, final int line, final int column) {
        final double v;
        try {
            if (!token.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
                throw new NumberFormatException();
            }
            v = Double.parseDouble(token);
        } catch (NumberFormatException e) {
            throw error(file, "line " + line + ", column " + column + ": '" + cut(token) + "' is not a number");
        }
        if (!Double.isFinite(v)) {
            throw error(file, "line " + line + ", column " + column + ": " + token + " is too large");
        }
        return v;
    }

    private static String cut(final String s) {
        return s.length() > 40 ? s.substring(0, 37) + "..." : s;
    }

    // ------------------------------------------------------------------ NPY

    private static double[] npy(final Path file, final byte[] b, final int rows, final int cols) {
        if (b.length < 10 || !startsWith(b, NPY_MAGIC)) {
            throw error(file, "not a NumPy .npy file (it does not start with \\x93NUMPY)");
        }
        final int major = b[6] & 0xff;
        final int headerLength;
        final int headerStart;
        if (major == 1) {
            headerLength = (b[8] & 0xff) | (b[9] & 0xff) << 8;
            headerStart = 10;
        } else if (major == 2 || major == 3) {
            if (b.length < 12) {
                throw error(file, "truncated .npy header");
            }
            final long len = (b[8] & 0xffL) | (b[9] & 0xffL) << 8 | (b[10] & 0xffL) << 16 | (b[11] & 0xffL) << 24;
            if (len > b.length) {
                throw error(file, "truncated .npy header");
            }
            headerLength = (int) len;
            headerStart = 12;
        } else {
            throw error(file, ".npy format version " + major + " is not supported (versions 1 to 3 are)");
        }
        if (headerStart + headerLength > b.length) {
            throw error(file, "truncated .npy header");
        }
        final String header = new String(b, headerStart, headerLength,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        final Matcher d = DESCR.matcher(header);
        if (!d.find()) {
            throw error(file, "the .npy header has no supported 'descr' (8- or 4-byte floats, or integers): "
                    + cut(header.strip()));
        }
        final char kind = d.group(2).charAt(0);
        final int width = Integer.parseInt(d.group(3));
        if (kind == 'f' ? width != 4 && width != 8 : width != 1 && width != 2 && width != 4 && width != 8) {
            throw error(file, "the .npy data type " + d.group(1) + kind + width + " is not supported (floats of 4 "
                    + "or 8 bytes, integers of 1, 2, 4 or 8 bytes)");
        }
        final ByteOrder order = ">".equals(d.group(1)) ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        final Matcher o = ORDER.matcher(header);
        final boolean fortran = o.find() && "True".equals(o.group(1));
        final Matcher s = SHAPE.matcher(header);
        if (!s.find()) {
            throw error(file, "the .npy header has no 'shape'");
        }
        final long[] dims = dims(file, s.group(1));
        final int fileRows;
        final int fileCols;
        if (dims.length == 0) {
            fileRows = 1;
            fileCols = 1;
        } else if (dims.length == 1) {
            fileRows = (int) Math.min(dims[0], Integer.MAX_VALUE);
            fileCols = 1;
        } else if (dims.length == 2) {
            fileRows = (int) Math.min(dims[0], Integer.MAX_VALUE);
            fileCols = (int) Math.min(dims[1], Integer.MAX_VALUE);
        } else {
            throw error(file, "the array has " + dims.length + " dimensions; a parameter has 1 or 2");
        }
        final boolean vectorLike = cols == 1 && (long) fileRows * fileCols == rows && (fileRows == 1 || fileCols == 1);
        if (!vectorLike && (fileRows != rows || fileCols != cols)) {
            throw error(file, "the array has shape " + shapeText(dims) + " where " + shape(rows, cols)
                    + " were expected");
        }
        final long count = (long) rows * cols;
        final int dataStart = headerStart + headerLength;
        if (b.length - (long) dataStart < count * width) {
            throw error(file, "the file ends after " + (b.length - dataStart) / width + " of its " + count
                    + " values");
        }
        final ByteBuffer buf = ByteBuffer.wrap(b, dataStart, b.length - dataStart).order(order);
        final double[] out = new double[(int) count];
        final boolean unsigned = d.group(2).charAt(0) == 'u';
        for (int k = 0; k < out.length; k++) {
            final double v;
            final int at = dataStart + k * width;
            if (kind == 'f') {
                v = width == 8 ? buf.getDouble(at) : buf.getFloat(at);
            } else {
                final long raw = switch (width) {
                    case 1 -> unsigned ? b[at] & 0xffL : b[at];
                    case 2 -> unsigned ? buf.getShort(at) & 0xffffL : buf.getShort(at);
                    case 4 -> unsigned ? buf.getInt(at) & 0xffffffffL : buf.getInt(at);
                    default -> buf.getLong(at);
                };
                v = unsigned && width == 8 && raw < 0 ? Math.scalb((double) (raw >>> 1), 1) : raw;
            }
            if (!Double.isFinite(v)) {
                throw error(file, "value " + k + " (in file order) is " + v + "; parameters must be finite");
            }
            if (fortran && !vectorLike) {
                // column-major in the file: element (r, c) is at k = c * rows + r
                out[(k % rows) * cols + k / rows] = v;
            } else {
                out[k] = v;
            }
        }
        return out;
    }

    private static long[] dims(final Path file, final String text) {
        final List<Long> out = new ArrayList<>();
        for (final String part : text.split(",")) {
            final String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            try {
                out.add(Long.parseLong(p.endsWith("L") ? p.substring(0, p.length() - 1) : p));
            } catch (NumberFormatException e) {
                throw error(file, "the .npy shape (" + cut(text) + ") is not a list of sizes");
            }
        }
        final long[] a = new long[out.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = out.get(i);
        }
        return a;
    }

    private static String shapeText(final long[] dims) {
        final StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < dims.length; i++) {
            sb.append(i > 0 ? ", " : "").append(dims[i]);
        }
        return sb.append(dims.length == 1 ? ",)" : ")").toString();
    }

    private static boolean startsWith(final byte[] b, final byte[] prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if (b[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
