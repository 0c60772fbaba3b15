package org.neurode.core;

/**
 * The named subexpressions ({@code let}s) of a model, computed from a state: what a {@link Recording} reads to record
 * them. Bound to one run's parameters and input buffer; one instance per run (it keeps the values shared by the
 * elements of one sample, such as sums). Nothing allocates. Made by the model compiler ({@code
 * org.neurode.core.expr.LetKernel#of}).
 *
 * @since 0.5
 */
public interface LetValues {

    /** @return the number of named subexpressions */
    int count();

    /**
     * @param id index of a subexpression, in declaration order
     * @return its name
     */
    String name(int id);

    /**
     * @param id index of a subexpression
     * @return its rows
     */
    int rows(int id);

    /**
     * @param id index of a subexpression
     * @return its columns
     */
    int cols(int id);

    /**
     * Computes what the elements of one sample share (sums over vectors); call before {@link #value} for a new time
     * or state.
     *
     * @param t time
     * @param y state (not modified)
     */
    void prepare(double t, double[] y);

    /**
     * @param id  index of a subexpression
     * @param row row of the element
     * @param col column of the element
     * @param t   time (the same as the last {@link #prepare})
     * @param y   state (the same as the last {@link #prepare}; not modified)
     * @return the element's value
     */
    double value(int id, int row, int col, double t, double[] y);
}
