package org.neurode.examples;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.regex.Pattern;

import org.neurode.models.experiment.simulate.ModelChoice;
import org.neurode.core.OdeException;
import org.neurode.solvers.Solver;
import org.neurode.solvers.Solvers;

import picocli.CommandLine;
import picocli.CommandLine.TypeConversionException;

/**
 * Picocli converters that validate option values as they are parsed, so that a bad value is reported
 * with the option's name before any work starts.
 *
 * @since 0.1
 */
public final class OptionConverters {

    private OptionConverters() {
    }

    /**
     * A finite number above zero (step sizes, durations, tolerances).
     *
     * @since 0.1
     */
    public static final class PositiveDouble implements CommandLine.ITypeConverter<Double> {

        /**
         * @param value option text
         * @return the number
         * @throws TypeConversionException if it is not a finite number above zero
         */
        @Override
        public Double convert(final String value) {
            final double d = number(value);
            if (d <= 0) {
                throw new TypeConversionException("'" + value + "' must be above zero");
            }
            return d;
        }
    }

    /**
     * A finite number, zero or above (penalty factors, clipping norms where 0 turns clipping off).
     *
     * @since 0.3
     */
    public static final class NonNegativeDouble implements CommandLine.ITypeConverter<Double> {

        /**
         * @param value option text
         * @return the number
         * @throws TypeConversionException if it is not a finite number, 0 or above
         */
        @Override
        public Double convert(final String value) {
            final double d = number(value);
            if (d < 0) {
                throw new TypeConversionException("'" + value + "' must be 0 or more");
            }
            return d;
        }
    }

    /**
     * Any finite number (biases).
     *
     * @since 0.3
     */
    public static final class FiniteDouble implements CommandLine.ITypeConverter<Double> {

        /**
         * @param value option text
         * @return the number
         * @throws TypeConversionException if it is not a finite number
         */
        @Override
        public Double convert(final String value) {
            return number(value);
        }
    }

    /**
     * A relative tolerance: a number above 0 and below 1, at least {@value #SMALLEST_TOLERANCE} (below it,
     * round-off in double precision exceeds the tolerance and no adaptive method can meet it).
     *
     * @since 0.3
     */
    public static final class RelativeTolerance implements CommandLine.ITypeConverter<Double> {

        /**
         * @param value option text
         * @return the tolerance
         * @throws TypeConversionException if it is outside [{@value #SMALLEST_TOLERANCE}, 1)
         */
        @Override
        public Double convert(final String value) {
            final double d = number(value);
            if (!(d >= SMALLEST_TOLERANCE && d < 1)) {
                throw new TypeConversionException("'" + value + "' must be at least " + SMALLEST_TOLERANCE
                        + " and below 1");
            }
            return d;
        }
    }

    /** Smallest relative tolerance accepted: about 45 units of round-off of a double (2.2e-16 each). */
    public static final double SMALLEST_TOLERANCE = 1e-14;

    /**
     * A whole number above zero (population sizes, counts).
     *
     * @since 0.1
     */
    public static final class PositiveInt implements CommandLine.ITypeConverter<Integer> {

        /**
         * @param value option text
         * @return the number
         * @throws TypeConversionException if it is not a whole number above zero
         */
        @Override
        public Integer convert(final String value) {
            final long i = wholeNumber(value, Integer.MAX_VALUE);
            if (i <= 0) {
                throw new TypeConversionException("'" + value + "' must be above zero");
            }
            return (int) i;
        }
    }

    /**
     * A whole number, zero or above (layer counts).
     *
     * @since 0.3
     */
    public static final class NonNegativeInt implements CommandLine.ITypeConverter<Integer> {

        /**
         * @param value option text
         * @return the number
         * @throws TypeConversionException if it is not a whole number, 0 or above
         */
        @Override
        public Integer convert(final String value) {
            final long i = wholeNumber(value, Integer.MAX_VALUE);
            if (i < 0) {
                throw new TypeConversionException("'" + value + "' must be 0 or more");
            }
            return (int) i;
        }
    }

    /**
     * A whole number, zero or above, up to 2^63 - 1 (pattern counts, budgets).
     *
     * @since 0.3
     */
    public static final class NonNegativeLong implements CommandLine.ITypeConverter<Long> {

        /**
         * @param value option text
         * @return the number
         * @throws TypeConversionException if it is not a whole number, 0 or above
         */
        @Override
        public Long convert(final String value) {
            final long i = wholeNumber(value, Long.MAX_VALUE);
            if (i < 0) {
                throw new TypeConversionException("'" + value + "' must be 0 or more");
            }
            return i;
        }
    }

    /**
     * Any whole number from -2^63 to 2^63 - 1 (seeds).
     *
     * @since 0.3
     */
    public static final class Seed implements CommandLine.ITypeConverter<Long> {

        /**
         * @param value option text
         * @return the number
         * @throws TypeConversionException if it is not a whole number in that range
         */
        @Override
        public Long convert(final String value) {
            return wholeNumber(value, Long.MAX_VALUE);
        }
    }

    /**
     * A path to write to (an output folder or file): not empty or blank (an empty path would mean the
     * current folder, never what was meant) and valid on this file system. Whether it can be written is
     * checked when the command prepares its output, before any work.
     *
     * @since 0.3
     */
    public static final class OutputPath implements CommandLine.ITypeConverter<Path> {

        /**
         * @param value option text
         * @return the path
         * @throws TypeConversionException if it is empty or not a valid path
         */
        @Override
        public Path convert(final String value) {
            return path(value);
        }
    }

    /**
     * An existing, readable regular file (model files, wirings, baselines).
     *
     * @since 0.3
     */
    public static final class InputFile implements CommandLine.ITypeConverter<Path> {

        /**
         * @param value option text
         * @return the path
         * @throws TypeConversionException if it is empty, missing, a folder or not readable
         */
        @Override
        public Path convert(final String value) {
            final Path p = path(value);
            if (!Files.exists(p)) {
                throw new TypeConversionException("'" + value + "' does not exist");
            }
            if (Files.isDirectory(p)) {
                throw new TypeConversionException("'" + value + "' is a folder, not a file");
            }
            if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
                throw new TypeConversionException("'" + value + "' is not a readable file");
            }
            return p;
        }
    }

    /**
     * An existing, readable folder (runs to resume).
     *
     * @since 0.3
     */
    public static final class InputFolder implements CommandLine.ITypeConverter<Path> {

        /**
         * @param value option text
         * @return the path
         * @throws TypeConversionException if it is empty, missing, a file or not readable
         */
        @Override
        public Path convert(final String value) {
            final Path p = path(value);
            if (!Files.exists(p)) {
                throw new TypeConversionException("'" + value + "' does not exist");
            }
            if (!Files.isDirectory(p)) {
                throw new TypeConversionException("'" + value + "' is a file, not a folder");
            }
            if (!Files.isReadable(p)) {
                throw new TypeConversionException("'" + value + "' is not readable");
            }
            return p;
        }
    }

    /**
     * Parses a finite number: decimal or scientific notation ({@code 0.1}, {@code 1e-6}); no NaN, no
     * infinity, no value that overflows to infinity ({@code 1e400}), no hexadecimal or type suffixes.
     *
     * @param value option text
     * @return the number
     * @throws TypeConversionException if it is not such a number
     */
    public static double number(final String value) {
        final String t = value == null ? "" : value.trim();
        if (!DECIMAL.matcher(t).matches()) {
            throw new TypeConversionException("'" + value + "' is not a number");
        }
        final double d = Double.parseDouble(t);
        if (!Double.isFinite(d)) {
            throw new TypeConversionException("'" + value + "' is too large");
        }
        return d;
    }

    /**
     * Parses a whole number within +-{@code limit}.
     *
     * @param value option text
     * @param limit largest magnitude accepted
     * @return the number
     * @throws TypeConversionException if it is not a whole number or beyond the limit
     */
    static long wholeNumber(final String value, final long limit) {
        final String t = value == null ? "" : value.trim();
        if (!WHOLE.matcher(t).matches()) {
            throw new TypeConversionException("'" + value + "' is not a whole number");
        }
        final java.math.BigInteger b = new java.math.BigInteger(t.startsWith("+") ? t.substring(1) : t);
        if (b.abs().compareTo(java.math.BigInteger.valueOf(limit)) > 0) {
            throw new TypeConversionException("'" + value + "' is too large (at most " + limit + ")");
        }
        return b.longValueExact();
    }

    /**
     * @param v a number
     * @return {@code 200} for 200.0, {@code 1e-06} style for small and large values, otherwise the shortest text
     *         that reads back to {@code v}: how error messages quote option values
     */
    public static String compact(final double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v).replace(".0E", "e").replace('E', 'e');
    }

    private static Path path(final String value) {
        if (value == null || value.isBlank()) {
            throw new TypeConversionException("an empty path is not allowed; give a file or folder name");
        }
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new TypeConversionException("'" + value + "' is not a valid path: " + e.getReason());
        }
    }

    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern WHOLE = Pattern.compile("[+-]?\\d+");

    /**
     * A solver registry name.
     *
     * @since 0.1
     */
    public static final class SolverName implements CommandLine.ITypeConverter<Solver> {

        /**
         * @param value option text
         * @return the solver
         * @throws TypeConversionException listing the registered solvers if there is none of that name
         */
        @Override
        public Solver convert(final String value) {
            try {
                return Solvers.get(value);
            } catch (OdeException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /**
     * A model name.
     *
     * @since 0.1
     */
    public static final class ModelName implements CommandLine.ITypeConverter<ModelChoice> {

        /**
         * @param value option text
         * @return the model choice
         * @throws TypeConversionException listing the models if there is none of that name
         */
        @Override
        public ModelChoice convert(final String value) {
            try {
                return ModelChoice.of(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /**
     * The solver names, for {@code ${COMPLETION-CANDIDATES}} in option descriptions.
     *
     * @since 0.1
     */
    public static final class SolverNames implements Iterable<String> {

        /** @return the registry names in listing order */
        @Override
        public Iterator<String> iterator() {
            return Solvers.names().iterator();
        }
    }

    /**
     * The model names, for {@code ${COMPLETION-CANDIDATES}} in option descriptions.
     *
     * @since 0.1
     */
    public static final class ModelNames implements Iterable<String> {

        /** @return the model names */
        @Override
        public Iterator<String> iterator() {
            return ModelChoice.labels().iterator();
        }
    }
}
