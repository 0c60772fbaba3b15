package org.neurode.examples.io;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.neurode.core.EventLog;
import org.neurode.core.Trajectory;

/**
 * CSV output: one header line, then one line per row, comma-separated, UTF-8, {@code \n} line ends.
 * Numbers are written with {@link Double#toString(double)} (shortest text that reads back to the same
 * double, independent of the locale). Header cells that contain commas or quotes, such as the matrix
 * element {@code W[0,1]}, are quoted as RFC 4180 requires. Files are written atomically.
 *
 * @since 0.1
 */
public final class CsvFiles {

    /** Header of the time column (neurode models use ms). */
    public static final String TIME_COLUMN = "t_ms";

    private CsvFiles() {
    }

    /**
     * Writes equally long columns.
     *
     * @param target  the file; its folder must exist
     * @param header  column names, one per column
     * @param columns the columns (not modified), all of the same length
     * @return {@code target}
     * @throws IllegalArgumentException if the header and columns do not match
     * @throws UncheckedIOException     naming the file if it cannot be written
     */
    public static Path writeColumns(final Path target, final List<String> header, final List<double[]> columns) {
        if (header.size() != columns.size()) {
            throw new IllegalArgumentException("CSV " + target.getFileName() + ": " + header.size()
                    + " header names for " + columns.size() + " columns");
        }
        final int rows = columns.isEmpty() ? 0 : columns.get(0).length;
        for (int j = 0; j < columns.size(); j++) {
            if (columns.get(j).length != rows) {
                throw new IllegalArgumentException("CSV " + target.getFileName() + ": column '" + header.get(j)
                        + "' has " + columns.get(j).length + " rows but '" + header.get(0) + "' has " + rows);
            }
        }
        return AtomicFiles.write(target, out -> {
            final Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            writeHeader(w, header);
            final StringBuilder line = new StringBuilder(16 * columns.size());
            for (int k = 0; k < rows; k++) {
                line.setLength(0);
                for (int j = 0; j < columns.size(); j++) {
                    if (j > 0) {
                        line.append(',');
                    }
                    line.append(columns.get(j)[k]);
                }
                line.append('\n');
                w.write(line.toString());
            }
            w.flush();
        });
    }

    /**
     * Writes the recorded samples of a trajectory: column {@value #TIME_COLUMN}, then one column per
     * recorded variable in recording order ({@code v[0]}, {@code W[0,1]}, ...).
     *
     * @param target     the file; its folder must exist
     * @param trajectory the trajectory (not modified)
     * @return {@code target}
     * @throws UncheckedIOException naming the file if it cannot be written
     */
    public static Path writeTrajectory(final Path target, final Trajectory trajectory) {
        final List<String> names = trajectory.columnNames();
        final List<String> header = new ArrayList<>(names.size() + 1);
        final List<double[]> columns = new ArrayList<>(names.size() + 1);
        header.add(TIME_COLUMN);
        columns.add(trajectory.times());
        for (int j = 0; j < names.size(); j++) {
            header.add(names.get(j));
            columns.add(trajectory.column(j));
        }
        return writeColumns(target, header, columns);
    }

    /**
     * Writes events (spikes) as columns {@value #TIME_COLUMN} and {@code neuron} (the member index), in
     * time order.
     *
     * @param target the file; its folder must exist
     * @param events the events (not modified)
     * @return {@code target}
     * @throws UncheckedIOException naming the file if it cannot be written
     */
    public static Path writeEvents(final Path target, final EventLog events) {
        return AtomicFiles.write(target, out -> {
            final Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            writeHeader(w, List.of(TIME_COLUMN, "neuron"));
            final int count = events.size();
            for (int k = 0; k < count; k++) {
                w.write(Double.toString(events.time(k)));
                w.write(',');
                w.write(Integer.toString(events.member(k)));
                w.write('\n');
            }
            w.flush();
        });
    }

    /**
     * @param cell a header or text cell
     * @return the cell, quoted if it contains a comma, quote or line break
     */
    public static String quote(final String cell) {
        if (cell.indexOf(',') < 0 && cell.indexOf('"') < 0 && cell.indexOf('\n') < 0 && cell.indexOf('\r') < 0) {
            return cell;
        }
        return '"' + cell.replace("\"", "\"\"") + '"';
    }

    private static void writeHeader(final Writer w, final List<String> header) throws IOException {
        for (int j = 0; j < header.size(); j++) {
            if (j > 0) {
                w.write(',');
            }
            w.write(quote(header.get(j)));
        }
        w.write('\n');
    }
}
