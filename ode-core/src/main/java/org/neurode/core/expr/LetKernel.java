package org.neurode.core.expr;

import org.neurode.core.LetValues;
import org.neurode.core.Model;

/**
 * The compiled named subexpressions ({@code let}s) of a model, for recording them: one generated class per model
 * structure ({@link LetCompiler}), separate from the model's equations (whose emission it does not touch), compiled
 * the first time a run records a {@code let}. Public only because generated classes, which live in a package of their
 * own, extend it; users see it as {@link LetValues}.
 *
 * <p>The arrays are the run's parameters {@code p} packed for this class (scalars at their declaration index, arrays
 * after them) and its input buffer {@code u}; the state {@code y} is passed to each call. Nothing allocates: sums over
 * vectors are computed once per sample by {@link #prepare} into fields, a matrix-vector product per element by a loop.
 *
 * @since 0.5
 */
public abstract class LetKernel implements LetValues {

    /** The packed parameters of the run (read only). */
    protected final double[] p;
    /** The input buffer of the run (read only; written by the simulation between steps). */
    protected final double[] u;
    private final String[] names;
    private final int[] rows;
    private final int[] cols;

    /**
     * @param names names of the subexpressions, in declaration order
     * @param rows  their rows
     * @param cols  their columns
     * @param p     packed parameters (shared, not copied)
     * @param u     input buffer (shared, not copied)
     */
    protected LetKernel(final String[] names, final int[] rows, final int[] cols, final double[] p,
                        final double[] u) {
        this.names = names;
        this.rows = rows;
        this.cols = cols;
        this.p = p;
        this.u = u;
    }

    /**
     * The named subexpressions of a model built from a specification, bound to its parameters and an input buffer.
     *
     * @param model  the model (its {@link Model#spec() specification} gives the subexpressions)
     * @param inputs the run's input buffer (read at each evaluation, not copied)
     * @return the values, or null if the model has no specification or no named subexpression
     */
    public static LetValues of(final Model model, final double[] inputs) {
        return LetCompiler.bind(model, inputs);
    }

    @Override
    public final int count() {
        return names.length;
    }

    @Override
    public final String name(final int id) {
        return names[id];
    }

    @Override
    public final int rows(final int id) {
        return rows[id];
    }

    @Override
    public final int cols(final int id) {
        return cols[id];
    }
}
