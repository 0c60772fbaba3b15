package org.neurode.core.spec;

import java.util.Arrays;
import java.util.Objects;

import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;

/**
 * The value of a parameter or the initial value of a variable: numbers, or an expression evaluated once when
 * the model is built (it may use the element index {@code i}, the block size {@code N}, other parameters and
 * seeded random numbers).
 *
 * @since 0.3
 */
public sealed interface ValueSpec permits ValueSpec.Values, ValueSpec.Expression {

    /**
     * Explicit numbers: one (for every element) or one per element, row-major for matrices.
     *
     * @param values the numbers (copied on construction and on access)
     */
    record Values(double[] values) implements ValueSpec {
        /** @param values the numbers */
        public Values {
            values = Objects.requireNonNull(values, "values").clone();
            if (values.length == 0) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "a value needs at least one number");
            }
        }

        /**
         * @param value one number for every element
         * @return the value
         */
        public static Values of(final double value) {
            return new Values(new double[] {value});
        }

        /** @return a copy of the numbers */
        @Override
        public double[] values() {
            return values.clone();
        }

        /** @return the number of numbers */
        public int size() {
            return values.length;
        }

        /**
         * @param k index
         * @return number k
         */
        public double get(final int k) {
            return values[k];
        }

        @Override
        public boolean equals(final Object o) {
            // bit-for-bit, so that -0.0 and NaN payloads round-trip as what they are
            return o instanceof Values v && Arrays.equals(values, v.values);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            return values.length <= 8 ? Arrays.toString(values) : "[" + values.length + " numbers]";
        }
    }

    /**
     * An expression evaluated per element when the model is built.
     *
     * @param expression the expression
     */
    record Expression(ExprSpec expression) implements ValueSpec {
        /** @param expression the expression */
        public Expression {
            Objects.requireNonNull(expression, "expression");
        }
    }
}
