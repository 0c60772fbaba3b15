package org.neurode.solvers.rk;

/**
 * Fills a {@link ButcherTableau} entry by entry with the 1-based stage numbers of the papers, so that each
 * transcribed coefficient can be compared with its source line by line.
 */
final class TableauBuilder {

    private final String name;
    private final int total;
    private final int stages;
    private final double[] c;
    private final double[][] a;
    private final double[] b;
    private final double[] e;
    private double[] e3;
    private final double[][] dense;

    /**
     * @param name   short name
     * @param stages main stages {@code s}
     * @param total  all stages, dense-output stages included
     * @param degree degree of the dense-output polynomials
     */
    TableauBuilder(final String name, final int stages, final int total, final int degree) {
        this.name = name;
        this.total = total;
        this.stages = stages;
        this.c = new double[total];
        this.a = new double[total][];
        for (int i = 0; i < total; i++) {
            a[i] = new double[i];
        }
        this.b = new double[stages];
        this.e = new double[stages];
        this.dense = new double[total][degree];
    }

    /** Node of stage {@code i} (1-based). */
    TableauBuilder c(final int i, final double value) {
        c[i - 1] = value;
        return this;
    }

    /** \( a_{ij} \) (1-based). */
    TableauBuilder a(final int i, final int j, final double value) {
        a[i - 1][j - 1] = value;
        return this;
    }

    /** Row {@code i} of A at the columns {@code j} (1-based). */
    TableauBuilder a(final int i, final int[] j, final double... values) {
        if (j.length != values.length) {
            throw new IllegalArgumentException(name + ": row " + i + " has " + j.length + " columns and "
                    + values.length + " values");
        }
        for (int k = 0; k < j.length; k++) {
            a(i, j[k], values[k]);
        }
        return this;
    }

    /** Dense weight of stage {@code i} (1-based): coefficients of \( \theta^{first}, \theta^{first+1}, \dots \). */
    TableauBuilder r(final int i, final int first, final double... values) {
        for (int k = 0; k < values.length; k++) {
            r(i, first + k, values[k]);
        }
        return this;
    }

    /**
     * @param first  first column (1-based)
     * @param others further columns
     * @return the columns
     */
    static int[] cols(final int first, final int... others) {
        final int[] j = new int[others.length + 1];
        j[0] = first;
        System.arraycopy(others, 0, j, 1, others.length);
        return j;
    }

    /**
     * @param first first column
     * @param from  start of a range of further columns
     * @param to    end of the range (inclusive)
     * @return {@code first, from, from+1, .., to}
     */
    static int[] range(final int first, final int from, final int to) {
        final int[] j = new int[to - from + 2];
        j[0] = first;
        for (int k = from; k <= to; k++) {
            j[k - from + 1] = k;
        }
        return j;
    }

    /** Solution weight of stage {@code j} (1-based). */
    TableauBuilder b(final int j, final double value) {
        b[j - 1] = value;
        return this;
    }

    /** Solution weights from the row of A of FSAL stage {@code i} (1-based). */
    TableauBuilder bFromRow(final int i) {
        System.arraycopy(a[i - 1], 0, b, 0, i - 1);
        return this;
    }

    /** Error weight \( b_j - \hat b_j \) of stage {@code j} (1-based). */
    TableauBuilder e(final int j, final double value) {
        e[j - 1] = value;
        return this;
    }

    /** Second error weight of stage {@code j} (1-based). */
    TableauBuilder e3(final int j, final double value) {
        if (e3 == null) {
            e3 = new double[stages];
        }
        e3[j - 1] = value;
        return this;
    }

    /** Coefficient of \( \theta^m \) in the dense weight of stage {@code i} (1-based). */
    TableauBuilder r(final int i, final int m, final double value) {
        dense[i - 1][m - 1] = value;
        return this;
    }

    /** The end stage's row of A: the solution weights. */
    TableauBuilder endStageIsSolution(final int i) {
        for (int j = 0; j < stages && j < i - 1; j++) {
            a[i - 1][j] = b[j];
        }
        c[i - 1] = 1.0;
        return this;
    }

    /** @return the solution weights so far (the array itself) */
    double[] weights() {
        return b;
    }

    /** @return the dense polynomials so far (the arrays themselves) */
    double[][] densePolynomials() {
        return dense;
    }

    ButcherTableau build(final int order, final int embeddedOrder, final boolean fsal, final int denseOrder) {
        return new ButcherTableau(name, c, a, b, e, e3, order, embeddedOrder, fsal, dense, denseOrder);
    }

    /** @return number of all stages */
    int total() {
        return total;
    }
}
