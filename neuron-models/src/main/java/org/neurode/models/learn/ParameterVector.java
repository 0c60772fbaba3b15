package org.neurode.models.learn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;

/**
 * The trainable parameters of a model as one flat array of values and one of gradients, divided into named
 * blocks (a matrix {@code W} of rows x cols is stored row-major). Optimizers see only the flat arrays; models
 * read their blocks by offset, so the hot path allocates nothing.
 *
 * @since 0.2
 */
public final class ParameterVector {

    /**
     * One named block.
     *
     * @param name   block name, e.g. {@code w} or {@code backbone.weight}
     * @param offset index of its first element
     * @param rows   rows (1 for a vector)
     * @param cols   columns (the length for a vector)
     */
    public record Block(String name, int offset, int rows, int cols) {

        /** @return rows x cols */
        public int size() {
            return rows * cols;
        }
    }

    private final Map<String, Block> blocks;
    private final double[] values;
    private final double[] gradient;

    private ParameterVector(final Map<String, Block> blocks, final int size) {
        this.blocks = Collections.unmodifiableMap(blocks);
        this.values = new double[size];
        this.gradient = new double[size];
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /** Adds blocks in order. */
    public static final class Builder {
        private final Map<String, Block> blocks = new LinkedHashMap<>();
        private int size;

        private Builder() {
        }

        /**
         * @param name block name (unique)
         * @param rows rows
         * @param cols columns
         * @return this
         */
        public Builder matrix(final String name, final int rows, final int cols) {
            if (blocks.containsKey(name)) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "parameter block '" + name + "' defined twice");
            }
            if (rows <= 0 || cols <= 0) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "parameter block '" + name + "' has shape "
                        + rows + " x " + cols);
            }
            blocks.put(name, new Block(name, size, rows, cols));
            size += rows * cols;
            return this;
        }

        /**
         * @param name   block name (unique)
         * @param length length
         * @return this
         */
        public Builder vector(final String name, final int length) {
            return matrix(name, 1, length);
        }

        /** @return the vector, values and gradient zero */
        public ParameterVector build() {
            return new ParameterVector(new LinkedHashMap<>(blocks), size);
        }
    }

    /** @return number of parameters */
    public int size() {
        return values.length;
    }

    /** @return the values (the array itself; optimizers update it in place) */
    public double[] values() {
        return values;
    }

    /** @return the gradient accumulated by backward passes (the array itself) */
    public double[] gradient() {
        return gradient;
    }

    /** Sets the gradient to zero. */
    public void zeroGradient() {
        java.util.Arrays.fill(gradient, 0.0);
    }

    /**
     * @param name block name
     * @return the block
     * @throws OdeException naming the known blocks if there is none of that name
     */
    public Block block(final String name) {
        final Block b = blocks.get(name);
        if (b == null) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "no parameter block '" + name + "'; blocks: "
                    + String.join(", ", blocks.keySet()));
        }
        return b;
    }

    /**
     * @param name block name
     * @return its offset in {@link #values()}
     */
    public int offset(final String name) {
        return block(name).offset();
    }

    /** @return the blocks in storage order */
    public List<Block> blocks() {
        return new ArrayList<>(blocks.values());
    }

    /**
     * @param name block name
     * @return a copy of its values
     */
    public double[] get(final String name) {
        final Block b = block(name);
        return java.util.Arrays.copyOfRange(values, b.offset(), b.offset() + b.size());
    }

    /**
     * @param name   block name
     * @param source new values (copied; block size)
     */
    public void set(final String name, final double[] source) {
        final Block b = block(name);
        if (source.length != b.size()) {
            throw new OdeException(ErrorCode.DIMENSION_MISMATCH, "parameter block " + name, b.size(), source.length);
        }
        System.arraycopy(source, 0, values, b.offset(), b.size());
    }

    /**
     * Copies all values from another vector with the same blocks.
     *
     * @param other the source
     */
    public void copyFrom(final ParameterVector other) {
        if (!other.blocks.equals(blocks)) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "parameter blocks differ: " + blocks.keySet() + " vs "
                    + other.blocks.keySet());
        }
        System.arraycopy(other.values, 0, values, 0, values.length);
    }

    @Override
    public String toString() {
        return "ParameterVector[" + values.length + " in " + blocks.keySet() + "]";
    }
}
