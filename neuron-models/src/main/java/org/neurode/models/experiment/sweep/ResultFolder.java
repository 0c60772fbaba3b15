package org.neurode.models.experiment.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;

/**
 * The results of a sweep, one file a point ({@code points/point-000042.json}), each written atomically and
 * durably as its point finishes (a temporary file forced to the device, then renamed): a sweep killed at any
 * moment, even by {@code kill -9}, leaves only whole files, and loses only the points that were running. A point
 * whose file exists is done: running the sweep again in the same folder runs only the others. A file whose
 * settings are not those of the point of its index belongs to another sweep: an error, not a silent rerun.
 *
 * @since 0.7
 */
public final class ResultFolder {

    /** The subfolder of the point files. */
    public static final String POINTS = "points";
    /** Temporary files of interrupted writes: {@code .point-000042.json.<UUID>.tmp}. */
    private static final Pattern TEMPORARY = Pattern.compile(
            "\\..+\\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\.tmp");

    private final Path points;

    private ResultFolder(final Path points) {
        this.points = points;
    }

    /**
     * Opens (and creates) the folder and deletes the temporary files that a killed sweep left in it.
     *
     * @param folder the sweep's output folder
     * @return the result folder
     * @throws UncheckedIOException if it cannot be created or cleaned
     */
    public static ResultFolder open(final Path folder) {
        final Path points = folder.resolve(POINTS);
        try {
            Files.createDirectories(points);
            try (Stream<Path> files = Files.list(points)) {
                for (final Path p : (Iterable<Path>) files::iterator) {
                    if (TEMPORARY.matcher(p.getFileName().toString()).matches() && Files.isRegularFile(p)) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use " + points + ": " + e.getMessage(), e);
        }
        return new ResultFolder(points);
    }

    /** @return the folder of the point files */
    public Path pointsFolder() {
        return points;
    }

    /**
     * @param point a point
     * @return its file
     */
    public Path file(final Point point) {
        return points.resolve(point.fileName());
    }

    /**
     * The result of a point if its file exists.
     *
     * @param point a point
     * @return its result, or empty if it has not finished
     * @throws OdeException if the file holds another point (another sweep's results in this folder) or is not a
     *                      result file
     */
    public Optional<PointResult> read(final Point point) {
        final Path file = file(point);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        final PointResult r;
        try {
            final JsonNode d = Json.MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8));
            r = PointResult.fromDocument(d);
        } catch (IOException | RuntimeException e) {
            throw new OdeException(e, ErrorCode.INVALID_ARGUMENT, file + ": not a point result of a sweep ("
                    + e.getMessage() + "); use another output folder");
        }
        if (!Json.tree(r.point().settings()).equals(Json.tree(point.settings()))
                || !r.point().coordinates().equals(point.coordinates())) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, file + " holds a point of another sweep (its settings "
                    + "are not those of point " + point.index() + " of this one); use another output folder");
        }
        return Optional.of(r);
    }

    /**
     * Writes a point's result atomically and durably.
     *
     * @param result the result
     * @return its file
     * @throws UncheckedIOException if it cannot be written
     */
    public Path write(final PointResult result) {
        final Path target = file(result.point());
        final Path temporary = points.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        final byte[] bytes;
        try {
            bytes = Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(result.document());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                final ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return target;
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException ignored) {
                // the write's failure matters more
            }
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param sweep a sweep
     * @return the results of its points that have finished, by index
     */
    public List<PointResult> finished(final Sweep sweep) {
        final List<PointResult> out = new ArrayList<>();
        for (final Point p : sweep.points()) {
            read(p).ifPresent(out::add);
        }
        return out;
    }
}
