package org.neurode.solvers.rk;

import java.util.Arrays;

/**
 * An immutable explicit Runge-Kutta pair with its continuous extension, as data (diffrax's "tableau plus one
 * generic stepper"; Hairer-Nørsett-Wanner I, II.1 and II.6).
 *
 * <p>Stage layout, all indices 0-based:
 * <ul>
 * <li>stages {@code 0 .. s-1} are evaluated in every step attempt; they give the solution
 * \( y_1 = y_0 + h \sum_i b_i k_i \) and the error estimate \( h \sum_i e_i k_i \), where
 * \( e = b - \hat b \) for the embedded weights \( \hat b \);</li>
 * <li>the <em>end stage</em> is \( f(t_0 + h, y_1) \) ({@code c = 1}, row of {@code A} equal to {@code b}): the
 * last main stage of a FSAL ("first same as last") method, or else stage {@code s}, evaluated once the step
 * is accepted; it is the first stage of the next step in both cases;</li>
 * <li>stages after the end stage are used by the dense output only and are evaluated lazily.</li>
 * </ul>
 * The dense output is \( y(t_0 + \theta h) = y_0 + h \sum_i b_i(\theta) k_i \) with
 * \( b_i(\theta) = \sum_{m \ge 1} P_{im} \theta^m \), over all stages.
 *
 * <p>A second error vector (DOP853's third-order estimate) selects Hairer's DOP853 error norm
 * \( \mathrm{err} = \mathrm{err}_5^2 / \sqrt{\mathrm{err}_5^2 + 0.01\, \mathrm{err}_3^2} \).
 *
 * @since 0.2
 */
public final class ButcherTableau {

    private final String name;
    private final double[] c;
    private final double[][] a;
    private final double[] b;
    private final double[] e;
    private final double[] e3;
    private final int order;
    private final int embeddedOrder;
    private final int stages;
    private final boolean fsal;
    private final double[][] dense;
    private final int denseOrder;

    /**
     * @param name          short name, e.g. {@code tsit5}
     * @param c             nodes of all stages (copied)
     * @param a             lower-triangular coefficients: row {@code i} has {@code i} entries (copied)
     * @param b             weights of the solution over the main stages (copied; length {@code s})
     * @param e             error weights \( b - \hat b \) over the main stages (copied; length {@code s})
     * @param e3            a second, lower-order error vector (DOP853) or null
     * @param order         order of the solution
     * @param embeddedOrder order of the embedded solution \( \hat b = b - e \)
     * @param fsal          true if main stage {@code s-1} is the end stage
     * @param dense         dense-output polynomials: row {@code i} holds \( P_{i1}, P_{i2}, \dots \) of stage
     *                      {@code i} (copied; rows may be empty; one row per stage)
     * @param denseOrder    order of the dense output
     * @throws IllegalArgumentException if the shapes do not fit
     */
    public ButcherTableau(final String name, final double[] c, final double[][] a, final double[] b,
                          final double[] e, final double[] e3, final int order, final int embeddedOrder,
                          final boolean fsal, final double[][] dense, final int denseOrder) {
        this.name = name;
        this.c = c.clone();
        this.a = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            if (a[i].length != i) {
                throw new IllegalArgumentException(name + ": row " + i + " of A has " + a[i].length
                        + " entries, expected " + i);
            }
            this.a[i] = a[i].clone();
        }
        this.b = b.clone();
        this.e = e.clone();
        this.e3 = e3 == null ? null : e3.clone();
        this.order = order;
        this.embeddedOrder = embeddedOrder;
        this.stages = b.length;
        this.fsal = fsal;
        this.dense = new double[dense.length][];
        for (int i = 0; i < dense.length; i++) {
            this.dense[i] = dense[i].clone();
        }
        this.denseOrder = denseOrder;
        final int total = c.length;
        if (a.length != total || dense.length != total || e.length != stages || (e3 != null && e3.length != stages)
            || stages > total || (!fsal && stages >= total)) {
            throw new IllegalArgumentException(name + ": inconsistent tableau shapes");
        }
    }

    /** @return the short name */
    public String name() {
        return name;
    }

    /** @return number of all stages, dense-output stages included */
    public int totalStages() {
        return c.length;
    }

    /** @return number of stages evaluated in each step attempt ({@code s}) */
    public int stages() {
        return stages;
    }

    /** @return index of the end stage \( f(t_0 + h, y_1) \) */
    public int endStage() {
        return fsal ? stages - 1 : stages;
    }

    /** @return true if the last main stage is the end stage (first same as last) */
    public boolean fsal() {
        return fsal;
    }

    /** @return order of the solution */
    public int order() {
        return order;
    }

    /** @return order of the embedded solution */
    public int embeddedOrder() {
        return embeddedOrder;
    }

    /** @return order of the dense output */
    public int denseOrder() {
        return denseOrder;
    }

    /**
     * @param i stage
     * @return its node (a copy is not needed: a double)
     */
    public double c(final int i) {
        return c[i];
    }

    /**
     * @param i stage
     * @param j earlier stage
     * @return \( a_{ij} \)
     */
    public double a(final int i, final int j) {
        return a[i][j];
    }

    /** @return the rows of A over all stages, row {@code i} with {@code i} entries (a copy) */
    public double[][] matrix() {
        final double[][] copy = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            copy[i] = a[i].clone();
        }
        return copy;
    }

    /** @return the nodes of all stages (a copy) */
    public double[] nodes() {
        return c.clone();
    }

    /** @return the dense-output polynomials of all stages (a copy; see {@link #densePolynomial}) */
    public double[][] densePolynomials() {
        final double[][] copy = new double[dense.length][];
        for (int i = 0; i < dense.length; i++) {
            copy[i] = dense[i].clone();
        }
        return copy;
    }

    /**
     * @return the order q of step-size control (error ~ h^(q+1)): the embedded order for a plain pair; for
     *         DOP853's combined estimate \( \mathrm{err}_5^2 / \sqrt{\mathrm{err}_5^2 + 0.01\,\mathrm{err}_3^2} \),
     *         which behaves like \( h^{12}/h^4 = h^8 \), the order minus one, as in Hairer's code
     */
    public int controlOrder() {
        return e3 != null ? order - 1 : Math.min(order, embeddedOrder);
    }

    /** @return the solution weights (a copy) */
    public double[] b() {
        return b.clone();
    }

    /** @return the error weights \( b - \hat b \) (a copy) */
    public double[] e() {
        return e.clone();
    }

    /** @return the second error weights, or null (a copy) */
    public double[] e3() {
        return e3 == null ? null : e3.clone();
    }

    /**
     * @param i stage
     * @return the coefficients \( P_{i1}, P_{i2}, \dots \) of its dense-output weight (a copy)
     */
    public double[] densePolynomial(final int i) {
        return dense[i].clone();
    }

    /**
     * @param i     stage
     * @param theta fraction of the step
     * @return \( b_i(\theta) \)
     */
    public double denseWeight(final int i, final double theta) {
        final double[] p = dense[i];
        double w = 0.0;
        for (int m = p.length - 1; m >= 0; m--) {
            w = (w + p[m]) * theta;
        }
        return w;
    }

    @Override
    public String toString() {
        return "ButcherTableau[" + name + ", order " + order + "(" + embeddedOrder + "), stages " + stages
               + (fsal ? " FSAL" : "") + ", dense " + denseOrder + " with " + c.length + " stages, c="
               + Arrays.toString(c) + "]";
    }
}
