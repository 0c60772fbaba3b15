package org.neurode.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Names the blocks of one flat {@code double[]} state: scalars, vectors (a population, one element per
 * neuron, stored contiguously: struct of arrays) and matrices (plastic weights, row-major), each with a
 * unit and a tolerance scale (the typical magnitude of the variable, used to derive per-variable
 * absolute tolerances as Orekit does).
 *
 * <p>A model has two layouts: its state layout ({@link Model#layout()}), the blocks that are integrated, and
 * its input layout ({@link Model#inputLayout()}), whose blocks ({@link Block#input()} true) hold
 * piecewise-constant inputs in a buffer of their own that equations read and that a {@link Problem}'s
 * {@link InputSchedule}s and experiments overwrite at forced step points. Inputs are not integrated: they
 * have no derivative, error estimate, Jacobian column or tolerance.
 *
 * <pre>{@code
 * StateLayout layout = StateLayout.builder()
 *     .vector("v", 1000, "mV", 10.0)
 *     .matrix("W", 50, 30, "1", 0.1)
 *     .build();
 * int i = layout.block("v").index(3);
 * }</pre>
 *
 * @since 0.1
 */
public final class StateLayout {

    /** The shape of a block. */
    public enum Kind {
        /** One value. */
        SCALAR,
        /** A column of values, one per population member. */
        VECTOR,
        /** A row-major matrix (rows = postsynaptic, columns = presynaptic by convention). */
        MATRIX
    }

    /**
     * One named block of the state.
     *
     * @param name   the variable name
     * @param kind   scalar, vector or matrix
     * @param offset index of the first element in the flat state
     * @param rows   number of rows (1 for a scalar)
     * @param cols   number of columns (1 for scalars and vectors)
     * @param unit   unit string such as "mV" (documentation and output only)
     * @param scale  typical magnitude (same unit), used for absolute tolerances; positive
     * @param input  true for a piecewise-constant input block (of an input layout: the offset is in the input
     *               buffer, not in the state)
     */
    public record Block(String name, Kind kind, int offset, int rows, int cols, String unit, double scale,
                        boolean input) {

        /** @return number of elements */
        public int size() {
            return rows * cols;
        }

        /**
         * @param i element index within the block
         * @return index in the flat state
         */
        public int index(final int i) {
            if (i < 0 || i >= size()) {
                throw new OdeException(ErrorCode.INDEX_OUT_OF_RANGE, name, i, size());
            }
            return offset + i;
        }

        /**
         * @param row row index
         * @param col column index
         * @return index in the flat state of a matrix element
         */
        public int index(final int row, final int col) {
            if (row < 0 || row >= rows || col < 0 || col >= cols) {
                throw new OdeException(ErrorCode.INDEX_OUT_OF_RANGE, name, "[" + row + "," + col + "]",
                                       rows + "x" + cols);
            }
            return offset + row * cols + col;
        }

        /**
         * @param i element index within the block
         * @return a readable name such as {@code v[3]} or {@code W[2,4]}
         */
        public String elementName(final int i) {
            switch (kind) {
                case SCALAR:
                    return name;
                case VECTOR:
                    return name + "[" + i + "]";
                default:
                    return name + "[" + (i / cols) + "," + (i % cols) + "]";
            }
        }

        /** @return shape as "rows x cols" text */
        public String shape() {
            return rows + "x" + cols;
        }
    }

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final List<Block> blocks;
    private final Map<String, Block> byName;
    private final int dimension;

    private StateLayout(final List<Block> blocks, final int dimension) {
        this.blocks = List.copyOf(blocks);
        final Map<String, Block> map = new LinkedHashMap<>();
        int dim = 0;
        for (final Block b : blocks) {
            map.put(b.name(), b);
            dim = Math.max(dim, b.offset() + b.size());
        }
        dim = Math.max(dim, dimension);
        this.byName = Collections.unmodifiableMap(map);
        this.dimension = dim;
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return total number of state elements */
    public int dimension() {
        return dimension;
    }

    /** @return the blocks in state order (unmodifiable) */
    public List<Block> blocks() {
        return blocks;
    }

    /**
     * @param name variable name
     * @return true if a block of that name exists
     */
    public boolean has(final String name) {
        return byName.containsKey(name);
    }

    /**
     * @param name variable name
     * @return the block
     * @throws OdeException naming the known variables if there is no such block
     */
    public Block block(final String name) {
        final Block b = byName.get(name);
        if (b == null) {
            throw new OdeException(ErrorCode.UNKNOWN_VARIABLE, name, known());
        }
        return b;
    }

    /** The block names for a message: all of them, or the first 30 and how many more. */
    private String known() {
        if (byName.size() <= 30) {
            return String.join(", ", byName.keySet());
        }
        return String.join(", ", new ArrayList<>(byName.keySet()).subList(0, 30)) + " and " + (byName.size() - 30)
                + " more";
    }

    /**
     * Resolves a variable reference: {@code "x"} (a scalar or the first element), {@code "v[3]"} or
     * {@code "W[2,4]"}.
     *
     * @param reference the reference text
     * @return index in the flat state
     */
    public int index(final String reference) {
        final String ref = reference.trim();
        final int open = ref.indexOf('[');
        if (open < 0) {
            final Block b = block(ref);
            if (b.size() != 1) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "variable '" + ref + "' has " + b.size()
                        + " elements: name one as " + ref + "[i]" + (b.kind() == Kind.MATRIX ? " or " + ref
                        + "[row,col]" : ""));
            }
            return b.offset();
        }
        if (!ref.endsWith("]")) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "malformed variable reference '" + ref + "'");
        }
        final Block b = block(ref.substring(0, open).trim());
        final String[] parts = ref.substring(open + 1, ref.length() - 1).split(",");
        try {
            if (parts.length == 1) {
                return b.index(Integer.parseInt(parts[0].trim()));
            }
            if (parts.length == 2) {
                return b.index(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
            }
        } catch (NumberFormatException e) {
            throw new OdeException(e, ErrorCode.INVALID_ARGUMENT, "malformed index in '" + ref + "'");
        }
        throw new OdeException(ErrorCode.INVALID_ARGUMENT, "malformed variable reference '" + ref + "'");
    }

    /**
     * The block name of a variable reference: {@code "v"} of {@code "v[3]"}, {@code "W"} of {@code "W[2,4]"}.
     *
     * @param reference the reference text
     * @return the name before any bracket, trimmed
     */
    public static String blockName(final String reference) {
        final int open = reference.indexOf('[');
        return (open < 0 ? reference : reference.substring(0, open)).trim();
    }

    /**
     * @param index index in the flat state
     * @return the block holding it
     */
    public Block blockOf(final int index) {
        final Block b = find(index);
        if (b == null) {
            throw new OdeException(ErrorCode.INDEX_OUT_OF_RANGE, "state (or alignment padding)", index, dimension);
        }
        return b;
    }

    /** The block holding a state index, or null; a binary search (blocks are in offset order). */
    private Block find(final int index) {
        int lo = 0;
        int hi = blocks.size() - 1;
        while (lo <= hi) {
            final int mid = (lo + hi) >>> 1;
            final Block b = blocks.get(mid);
            if (index < b.offset()) {
                hi = mid - 1;
            } else if (index >= b.offset() + b.size()) {
                lo = mid + 1;
            } else {
                return b;
            }
        }
        return null;
    }

    /**
     * @param index index in the flat state
     * @return true if the element belongs to no block (alignment padding, always 0)
     */
    public boolean isPadding(final int index) {
        return find(index) == null && index >= 0 && index < dimension;
    }

    /**
     * @param index index in the flat state
     * @return readable element name, e.g. {@code u[3]}
     */
    public String variableName(final int index) {
        if (isPadding(index)) {
            return "(padding " + index + ")";
        }
        final Block b = blockOf(index);
        return b.elementName(index - b.offset());
    }

    /** @return a new array of the per-element tolerance scales */
    public double[] scales() {
        final double[] s = new double[dimension];
        java.util.Arrays.fill(s, 1.0);          // padding elements: any positive scale
        for (final Block b : blocks) {
            java.util.Arrays.fill(s, b.offset(), b.offset() + b.size(), b.scale());
        }
        return s;
    }

    /** @return names of all blocks in state order */
    public List<String> names() {
        return new ArrayList<>(byName.keySet());
    }

    @Override
    public String toString() {
        final StringBuilder sb = new StringBuilder("StateLayout[");
        for (final Block b : blocks) {
            sb.append(b.name()).append(':').append(b.shape()).append(' ').append(b.unit())
              .append(b.input() ? " input" : "").append("; ");
        }
        return sb.append("dim=").append(dimension).append(']').toString();
    }

    /** Builder of layouts; blocks are laid out in declaration order. */
    public static final class Builder {
        private final List<Block> blocks = new ArrayList<>();
        private final Set<String> names = new HashSet<>();
        private int offset;
        private int alignment = 1;

        private Builder() {
        }

        /**
         * @param name  variable name
         * @param unit  unit text
         * @param scale typical magnitude (positive)
         * @return this builder
         */
        public Builder scalar(final String name, final String unit, final double scale) {
            return add(name, Kind.SCALAR, 1, 1, unit, scale, false);
        }

        /**
         * @param name  variable name
         * @param size  number of elements (population size)
         * @param unit  unit text
         * @param scale typical magnitude (positive)
         * @return this builder
         */
        public Builder vector(final String name, final int size, final String unit, final double scale) {
            return add(name, Kind.VECTOR, size, 1, unit, scale, false);
        }

        /**
         * @param name  variable name
         * @param rows  rows
         * @param cols  columns
         * @param unit  unit text
         * @param scale typical magnitude (positive)
         * @return this builder
         */
        public Builder matrix(final String name, final int rows, final int cols, final String unit,
                              final double scale) {
            return add(name, Kind.MATRIX, rows, cols, unit, scale, false);
        }

        /**
         * Declares a piecewise-constant input block, for the input layout of a model (see the class
         * documentation): a layout with input blocks is not a state layout.
         *
         * @param name variable name
         * @param size number of elements
         * @param unit unit text
         * @return this builder
         */
        public Builder input(final String name, final int size, final String unit) {
            return add(name, size == 1 ? Kind.SCALAR : Kind.VECTOR, size, 1, unit, 1.0, true);
        }

        /**
         * Adds a block of any kind.
         *
         * @param name  variable name
         * @param kind  shape kind
         * @param rows  rows
         * @param cols  columns
         * @param unit  unit text
         * @param scale typical magnitude
         * @param input true for an input block
         * @return this builder
         */
        public Builder add(final String name, final Kind kind, final int rows, final int cols, final String unit,
                           final double scale, final boolean input) {
            if (name == null || !IDENTIFIER.matcher(name).matches()) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT,
                        "variable name '" + name + "' must be an identifier (letters, digits, _)");
            }
            if (names.contains(name)) {
                throw new OdeException(ErrorCode.DUPLICATE_NAME, name);
            }
            if (rows <= 0 || cols <= 0) {
                throw new OdeException(ErrorCode.NOT_POSITIVE, "size of '" + name + "'", (long) rows * cols);
            }
            Checks.positive("tolerance scale of '" + name + "'", scale);
            final long size = (long) rows * cols;
            long start = offset;
            if (alignment > 1 && size >= alignment) {
                start = (start + alignment - 1) / alignment * alignment;
            }
            // a state is one Java array: at most Integer.MAX_VALUE - 8 elements
            if (start + size > Integer.MAX_VALUE - 8) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "variable '" + name + "' (" + rows + "x" + cols
                        + ") does not fit: a state holds at most " + (Integer.MAX_VALUE - 8) + " elements");
            }
            names.add(name);
            blocks.add(new Block(name, kind, (int) start, rows, cols, unit == null ? "1" : unit, scale, input));
            offset = (int) (start + size);
            return this;
        }

        /**
         * Starts every later block of at least {@code elements} elements at a multiple of {@code elements}.
         * The padding between blocks belongs to no variable and stays 0. Compiled models use 8: the JIT of
         * Java 17 vectorizes loops that read one array at several offsets only when the offsets differ by
         * a multiple of the vector length (measured: 3.3x faster element-wise loops over plastic weights).
         *
         * @param elements alignment in elements (a power of two)
         * @return this builder
         */
        public Builder align(final int elements) {
            if (elements <= 0 || Integer.bitCount(elements) != 1) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "alignment must be a power of two, not "
                        + elements);
            }
            this.alignment = elements;
            return this;
        }

        /** @return the layout */
        public StateLayout build() {
            return new StateLayout(blocks, offset);
        }
    }
}
