package org.neurode.examples;

import java.util.Iterator;

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
            final double d;
            try {
                d = Double.parseDouble(value.trim());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not a number");
            }
            if (!Double.isFinite(d) || d <= 0) {
                throw new TypeConversionException("'" + value + "' must be a finite number above zero");
            }
            return d;
        }
    }

    /**
     * A whole number above zero (population sizes).
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
            final int i;
            try {
                i = Integer.parseInt(value.trim());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not a whole number");
            }
            if (i <= 0) {
                throw new TypeConversionException("'" + value + "' must be above zero");
            }
            return i;
        }
    }

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
