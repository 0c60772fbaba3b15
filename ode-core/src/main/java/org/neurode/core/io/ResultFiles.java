package org.neurode.core.io;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

import org.neurode.core.EventLog;
import org.neurode.core.PopulationRate;
import org.neurode.core.Samples;

/**
 * Writes the results of a run from a program (not only from the command line): the samples of a recorder, the spikes
 * of one event kind and a population rate, as CSV or as NumPy {@code .npy} arrays ({@link NpyFile}).
 *
 * <p>CSV: one header line, then one line per row, comma-separated, UTF-8, {@code \n} line ends; numbers as
 * {@link Double#toString(double)} writes them (the shortest text that reads back to the same double, whatever the
 * locale); header cells with a comma or a quote (the matrix element {@code W[0,1]}) quoted as RFC 4180 requires.
 * The time column is named {@code t} unless a name is given (e.g. {@code t_ms}).
 *
 * <p>Every file is written atomically: to a temporary file in the same folder, then moved over the target, so a
 * reader never sees half a file and a failed write leaves the previous file alone. Failures throw
 * {@link UncheckedIOException} naming the file.
 *
 * @since 0.5
 */
public final class ResultFiles {

    /** The default name of the time column. */
    public static final String TIME = "t";

    private ResultFiles() {
    }

    /**
     * Writes samples as CSV: the time column, then one column per recorded element.
     *
     * @param file       the file (its folder must exist)
     * @param samples    the samples of a recorder
     * @param timeColumn the name of the time column, e.g. {@code t_ms}
     * @return {@code file}
     */
    public static Path writeCsv(final Path file, final Samples samples, final String timeColumn) {
        final StringBuilder sb = new StringBuilder(32 + 20 * (samples.columns() + 1) * (samples.size() + 1));
        sb.append(quote(timeColumn));
        for (final String c : samples.columnNames()) {
            sb.append(',').append(quote(c));
        }
        sb.append('\n');
        for (int k = 0; k < samples.size(); k++) {
            sb.append(samples.time(k));
            for (int j = 0; j < samples.columns(); j++) {
                sb.append(',').append(samples.value(k, j));
            }
            sb.append('\n');
        }
        return atomically(file, sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes samples as CSV with the time column named {@value #TIME}.
     *
     * @param file    the file (its folder must exist)
     * @param samples the samples of a recorder
     * @return {@code file}
     */
    public static Path writeCsv(final Path file, final Samples samples) {
        return writeCsv(file, samples, TIME);
    }

    /**
     * Writes samples as a {@code .npy} array of doubles of shape {@code (samples, 1 + columns)}: the time in column
     * 0, then the recorded elements in the order of {@link Samples#columnNames()}.
     *
     * @param file    the file (its folder must exist)
     * @param samples the samples of a recorder
     * @return {@code file}
     */
    public static Path writeNpy(final Path file, final Samples samples) {
        final int cols = samples.columns() + 1;
        final double[] all = new double[samples.size() * cols];
        for (int k = 0; k < samples.size(); k++) {
            all[k * cols] = samples.time(k);
            for (int j = 0; j < samples.columns(); j++) {
                all[k * cols + 1 + j] = samples.value(k, j);
            }
        }
        return NpyFile.write(file, all, samples.size(), cols);
    }

    /**
     * Writes the spikes of one event kind as CSV with columns {@code timeColumn} and {@code i} (the member), in time
     * order (a spike monitor's {@code t} and {@code i}).
     *
     * @param file       the file (its folder must exist)
     * @param events     the events of a run
     * @param event      the event kind
     * @param timeColumn the name of the time column
     * @return {@code file}
     */
    public static Path writeSpikesCsv(final Path file, final EventLog events, final String event,
                                      final String timeColumn) {
        final double[] t = events.times(event);
        final int[] i = events.members(event);
        final StringBuilder sb = new StringBuilder(32 + 24 * t.length);
        sb.append(quote(timeColumn)).append(",i\n");
        for (int k = 0; k < t.length; k++) {
            sb.append(t[k]).append(',').append(i[k]).append('\n');
        }
        return atomically(file, sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes the spikes of one event kind as two {@code .npy} vectors: their times (doubles) and their members (4-byte
     * integers), in time order.
     *
     * @param timesFile   the file of the times
     * @param membersFile the file of the members
     * @param events      the events of a run
     * @param event       the event kind
     */
    public static void writeSpikesNpy(final Path timesFile, final Path membersFile, final EventLog events,
                                      final String event) {
        NpyFile.write(timesFile, events.times(event));
        NpyFile.write(membersFile, events.members(event));
    }

    /**
     * Writes the spikes of one event kind by a slice of its members (Brian2's {@code SpikeMonitor} of a subgroup) as
     * CSV: a header ({@code timeColumn,i}), then one line per spike of members {@code from} to {@code to - 1}, in
     * time order, {@code i} counted from the slice's start ({@code member - from}).
     *
     * @param file       the file (its folder must exist)
     * @param events     the events of a run
     * @param event      the event kind
     * @param timeColumn the name of the time column
     * @param from       the first member of the slice
     * @param to         the end of the slice (excluded)
     * @return {@code file}
     * @since 0.5
     */
    public static Path writeSpikesCsv(final Path file, final EventLog events, final String event,
                                      final String timeColumn, final int from, final int to) {
        final double[] t = events.times(event);
        final int[] i = events.members(event);
        final StringBuilder sb = new StringBuilder(32 + 24 * t.length);
        sb.append(quote(timeColumn)).append(",i\n");
        for (int k = 0; k < t.length; k++) {
            if (i[k] >= from && i[k] < to) {
                sb.append(t[k]).append(',').append(i[k] - from).append('\n');
            }
        }
        return atomically(file, sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes the spikes of one event kind by a slice of its members as two {@code .npy} vectors, as
     * {@link #writeSpikesCsv(Path, EventLog, String, String, int, int)} selects them: times (doubles) and members
     * counted from the slice's start (4-byte integers).
     *
     * @param timesFile   the file of the times
     * @param membersFile the file of the members
     * @param events      the events of a run
     * @param event       the event kind
     * @param from        the first member of the slice
     * @param to          the end of the slice (excluded)
     * @since 0.5
     */
    public static void writeSpikesNpy(final Path timesFile, final Path membersFile, final EventLog events,
                                      final String event, final int from, final int to) {
        final double[] t = events.times(event);
        final int[] i = events.members(event);
        int n = 0;
        for (final int m : i) {
            if (m >= from && m < to) {
                n++;
            }
        }
        final double[] ts = new double[n];
        final int[] is = new int[n];
        for (int k = 0, j = 0; k < t.length; k++) {
            if (i[k] >= from && i[k] < to) {
                ts[j] = t[k];
                is[j++] = i[k] - from;
            }
        }
        NpyFile.write(timesFile, ts);
        NpyFile.write(membersFile, is);
    }

    /**
     * Writes a population rate as CSV: the bin start, the rate in hertz and, for each smoothing given, the smoothed
     * rate.
     *
     * @param file       the file (its folder must exist)
     * @param rate       the rate
     * @param timeColumn the name of the time column
     * @param flatWidth  the width of a flat smoothing window ({@link PopulationRate#smoothFlat}), or 0 for none
     * @return {@code file}
     */
    public static Path writeRatesCsv(final Path file, final PopulationRate rate, final String timeColumn,
                                     final double flatWidth) {
        final double[] t = rate.times();
        final double[] r = rate.rates();
        final double[] s = flatWidth > 0 ? rate.smoothFlat(flatWidth) : null;
        final StringBuilder sb = new StringBuilder(32 + 40 * t.length);
        sb.append(quote(timeColumn)).append(",rate_Hz").append(s != null ? ",smooth_Hz" : "").append('\n');
        for (int k = 0; k < t.length; k++) {
            sb.append(t[k]).append(',').append(r[k]);
            if (s != null) {
                sb.append(',').append(s[k]);
            }
            sb.append('\n');
        }
        return atomically(file, sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes a population rate as a {@code .npy} array of shape {@code (bins, 2)}: the bin start and the rate in
     * hertz.
     *
     * @param file the file (its folder must exist)
     * @param rate the rate
     * @return {@code file}
     */
    public static Path writeRatesNpy(final Path file, final PopulationRate rate) {
        final double[] t = rate.times();
        final double[] r = rate.rates();
        final double[] all = new double[2 * t.length];
        for (int k = 0; k < t.length; k++) {
            all[2 * k] = t[k];
            all[2 * k + 1] = r[k];
        }
        return NpyFile.write(file, all, t.length, 2);
    }

    /**
     * @param cell a header cell
     * @return the cell, quoted if it holds a comma, a quote or a line break
     */
    static String quote(final String cell) {
        if (cell.indexOf(',') < 0 && cell.indexOf('"') < 0 && cell.indexOf('\n') < 0 && cell.indexOf('\r') < 0) {
            return cell;
        }
        return '"' + cell.replace("\"", "\"\"") + '"';
    }

    /**
     * Writes bytes atomically: a temporary file in the target's folder, then a move over the target (an atomic
     * rename where the file system has one).
     *
     * @param file    the target
     * @param content the bytes
     * @return {@code file}
     * @throws UncheckedIOException naming the file if it cannot be written
     */
    static Path atomically(final Path file, final byte[] content) {
        final Path target = file.toAbsolutePath();
        final Path folder = target.getParent();
        Path temporary = null;
        try {
            // created by name rather than by createTempFile, which would make it readable by its owner only
            final Path candidate = folder.resolve("." + target.getFileName() + "."
                    + Long.toHexString(System.nanoTime() ^ Thread.currentThread().getId() << 48) + ".tmp");
            try (OutputStream out = Files.newOutputStream(candidate, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                temporary = candidate;
                out.write(content);
            }
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
            temporary = null;
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + (e.getMessage() == null
                    ? e.getClass().getSimpleName() : e.getMessage()), e);
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException ignored) {
                    // the write failed already; a leftover temporary file is named after the target
                }
            }
        }
    }
}
