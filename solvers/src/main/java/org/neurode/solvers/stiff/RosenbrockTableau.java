package org.neurode.solvers.stiff;

import java.util.Objects;

import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;

/**
 * Coefficients of an s-stage Rosenbrock method in the transformed variables of Hairer and Wanner
 * (Solving ODEs II, 2nd ed., Section IV.7, eq. (7.25); the form of their codes ROS4 and RODAS), with an
 * embedded solution and a continuous extension.
 *
 * <p>With \( W = I / (h\gamma) - J \), \( J = \partial f/\partial y (t_0, y_0) \), the stages are
 * \[ W u_i = f\Big(t_0 + c_i h,\; y_0 + \sum_{j \lt i} a_{ij} u_j\Big) + \sum_{j \lt i} \frac{C_{ij}}{h} u_j
 *    + h\, d_i\, \frac{\partial f}{\partial t}(t_0, y_0), \]
 * the solution is \( y_1 = y_0 + \sum_i b_i u_i \), the error estimate \( \sum_i e_i u_i \) (the solution
 * minus the embedded one) and the dense output
 * \( y(t_0 + \theta h) = (1-\theta) y_0 + \theta \big(y_1 + (1-\theta)(q_1 + \theta (q_2 + \theta q_3 + \dots))\big) \)
 * with \( q_k = \sum_i H_{ki} u_i \). The relation to the classical coefficients
 * \( (\alpha_{ij}, \gamma_{ij}, b^{\mathrm{cl}}_i) \) of Hairer-Wanner (7.4) is
 * \( \Gamma = (\gamma_{ij}) = (\operatorname{diag}(1/\gamma) - C)^{-1} \), \( \alpha = a \Gamma \),
 * \( b^{\mathrm{cl}} = b^T \Gamma \), \( c_i = \sum_j \alpha_{ij} \), \( d_i = \sum_j \gamma_{ij} \); the tests
 * check the order conditions in that form.
 *
 * <p>Instances are immutable; accessors return copies.
 *
 * @since 0.2
 */
public final class RosenbrockTableau {

    /**
     * Rodas5P: G. Steinebach, "Construction of Rosenbrock-Wanner method Rodas5P and numerical benchmarks within
     * the Julia Differential Equations package", BIT Numerical Mathematics 63, 27 (2023). Eight stages, stiffly
     * accurate, order 5 with an embedded order-4 solution (the seventh stage's argument) and a dense output of
     * order 4 (three H rows). Coefficients as double literals of the published values, transcribed from the
     * {@code Rodas5PTableau} of OrdinaryDiffEq.jl (SciML, lib/OrdinaryDiffEqRosenbrock/src/rosenbrock_tableaus.jl).
     */
    public static final RosenbrockTableau RODAS5P = rodas5p();

    /**
     * Rodas4: E. Hairer and G. Wanner, Solving Ordinary Differential Equations II, 2nd ed., Springer 1996,
     * Section VI.4 (the coefficients of their code RODAS, {@code rodas.f}, subroutine ROCOE, METH = 1). Six
     * stages, stiffly accurate, order 4 with an embedded order-3 solution and a dense output of order 3 (two H
     * rows, Hairer's D coefficients). Transcribed from the {@code Rodas4Tableau} of OrdinaryDiffEq.jl, which
     * gives those values.
     */
    public static final RosenbrockTableau RODAS4 = rodas4();

    private final String name;
    private final int stages;
    private final int order;
    private final int embeddedOrder;
    private final int denseOrder;
    private final double gamma;
    private final double[][] a;
    private final double[][] cc;
    private final double[] c;
    private final double[] d;
    private final double[] b;
    private final double[] e;
    private final double[][] h;

    /**
     * A Rosenbrock tableau in transformed form (see the class comment for the meaning of each array).
     *
     * @param name          registry name, e.g. {@code rodas5p}
     * @param order         order of the solution
     * @param embeddedOrder order of the embedded solution
     * @param denseOrder    order of the continuous extension
     * @param gamma         the diagonal \( \gamma \) (dimensionless, positive)
     * @param a             s x s, strictly lower triangular: stage arguments (copied)
     * @param cc            s x s, strictly lower triangular: the \( C_{ij} \) (copied)
     * @param c             s stage times as fractions of the step (copied)
     * @param d             s multipliers of \( h\,\partial f/\partial t \) (copied)
     * @param b             s solution weights (copied)
     * @param e             s error weights: solution minus embedded solution (copied)
     * @param h             rows of the dense output, each of length s (copied; may have no rows for linear
     *                      interpolation)
     * @throws OdeException if the shapes do not agree or a coefficient is not finite
     */
    public RosenbrockTableau(final String name, final int order, final int embeddedOrder, final int denseOrder,
                             final double gamma, final double[][] a, final double[][] cc, final double[] c,
                             final double[] d, final double[] b, final double[] e, final double[][] h) {
        this.name = Objects.requireNonNull(name, "name");
        this.stages = c.length;
        this.order = order;
        this.embeddedOrder = embeddedOrder;
        this.denseOrder = denseOrder;
        if (!(gamma > 0.0) || !Double.isFinite(gamma)) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, name + ": gamma must be positive and finite, got "
                    + gamma);
        }
        this.gamma = gamma;
        this.a = lowerCopy(name + " a", a, stages);
        this.cc = lowerCopy(name + " C", cc, stages);
        this.c = vectorCopy(name + " c", c, stages);
        this.d = vectorCopy(name + " d", d, stages);
        this.b = vectorCopy(name + " b", b, stages);
        this.e = vectorCopy(name + " e", e, stages);
        this.h = new double[h.length][];
        for (int k = 0; k < h.length; k++) {
            this.h[k] = vectorCopy(name + " H row " + (k + 1), h[k], stages);
        }
    }

    private static double[][] lowerCopy(final String what, final double[][] m, final int s) {
        if (m.length != s) {
            throw new OdeException(ErrorCode.DIMENSION_MISMATCH, what, s, m.length);
        }
        final double[][] out = new double[s][];
        for (int i = 0; i < s; i++) {
            out[i] = vectorCopy(what + " row " + (i + 1), m[i], s);
            for (int j = i; j < s; j++) {
                if (out[i][j] != 0.0) {
                    throw new OdeException(ErrorCode.INVALID_ARGUMENT, what + " must be strictly lower triangular;"
                            + " entry (" + (i + 1) + ", " + (j + 1) + ") is " + out[i][j]);
                }
            }
        }
        return out;
    }

    private static double[] vectorCopy(final String what, final double[] v, final int s) {
        if (v.length != s) {
            throw new OdeException(ErrorCode.DIMENSION_MISMATCH, what, s, v.length);
        }
        for (final double x : v) {
            if (!Double.isFinite(x)) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, what + " has a coefficient that is not finite");
            }
        }
        return v.clone();
    }

    /**
     * A stiffly accurate Rodas-type method: the solution is the last stage's argument plus the last stage,
     * the embedded solution is the last stage's argument, so the error estimate is the last stage.
     */
    private static RosenbrockTableau rodas(final String name, final int order, final int embeddedOrder,
                                          final int denseOrder, final double gamma, final double[][] a,
                                          final double[][] cc, final double[] c, final double[] d,
                                          final double[][] h) {
        final int s = c.length;
        final double[] b = new double[s];
        System.arraycopy(a[s - 1], 0, b, 0, s - 1);
        b[s - 1] = 1.0;
        final double[] e = new double[s];
        e[s - 1] = 1.0;
        return new RosenbrockTableau(name, order, embeddedOrder, denseOrder, gamma, a, cc, c, d, b, e, h);
    }

    /** Rows padded with zeros to length s (the published tables are strictly lower triangular). */
    private static double[][] lower(final int s, final double[]... rows) {
        final double[][] m = new double[s][s];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, m[i + 1], 0, rows[i].length);
        }
        return m;
    }

    private static RosenbrockTableau rodas5p() {
        final double gamma = 0.21193756319429014;
        final double[] r6 = {-7.502846399306121, 2.561846144803919, -11.627539656261098, -0.18268767659942256,
            0.030198172008377946};
        final double[][] a = lower(8,
                new double[] {3.0},
                new double[] {2.849394379747939, 0.45842242204463923},
                new double[] {-6.954028509809101, 2.489845061869568, -10.358996098473584},
                new double[] {2.8029986275628964, 0.5072464736228206, -0.3988312541770524, -0.04721187230404641},
                r6,
                new double[] {r6[0], r6[1], r6[2], r6[3], r6[4], 1.0},
                new double[] {r6[0], r6[1], r6[2], r6[3], r6[4], 1.0, 1.0});
        final double[][] cc = lower(8,
                new double[] {-14.155112264123755},
                new double[] {-17.97296035885952, -2.859693295451294},
                new double[] {147.12150275711716, -1.41221402718213, 71.68940251302358},
                new double[] {165.43517024871676, -0.4592823456491126, 42.90938336958603, -5.961986721573306},
                new double[] {24.854864614690072, -3.0009227002832186, 47.4931110020768, 5.5814197821558125,
                    -0.6610691825249471},
                new double[] {30.91273214028599, -3.1208243349937974, 77.79954646070892, 34.28646028294783,
                    -19.097331116725623, -28.087943162872662},
                new double[] {37.80277123390563, -3.2571969029072276, 112.26918849496327, 66.9347231244047,
                    -40.06618937091002, -54.66780262877968, -9.48861652309627});
        final double[] c = {0.0, 0.6358126895828704, 0.4095798393397535, 0.9769306725060716, 0.4288403609558664,
            1.0, 1.0, 1.0};
        final double[] d = {0.21193756319429014, -0.42387512638858027, -0.3384627126235924, 1.8046452872882734,
            2.325825639765069, 0.0, 0.0, 0.0};
        final double[][] h = {
            {25.948786856663858, -2.5579724845846235, 10.433815404888879, -2.3679251022685204, 0.524948541321073,
                1.1241088310450404, 0.4272876194431874, -0.17202221070155493},
            {-9.91568850695171, -0.9689944594115154, 3.0438037242978453, -24.495224566215796, 20.176138334709044,
                15.98066361424651, -6.789040303419874, -6.710236069923372},
            {11.419903575922262, 2.8879645146136994, 72.92137995996029, 80.12511834622643, -52.072871366152654,
                -59.78993625266729, -0.15582684282751913, 4.883087185713722}};
        return rodas("rodas5p", 5, 4, 4, gamma, a, cc, c, d, h);
    }

    private static RosenbrockTableau rodas4() {
        final double[] r5 = {1.221224509226641, 6.019134481288629, 12.53708332932087, -0.6878860361058950};
        final double[][] a = lower(6,
                new double[] {1.544},
                new double[] {0.9466785280815826, 0.2557011698983284},
                new double[] {3.314825187068521, 2.896124015972201, 0.9986419139977817},
                r5,
                new double[] {r5[0], r5[1], r5[2], r5[3], 1.0});
        final double[][] cc = lower(6,
                new double[] {-5.6688},
                new double[] {-2.430093356833875, -0.2063599157091915},
                new double[] {-0.1073529058151375, -9.594562251023355, -20.47028614809616},
                new double[] {7.496443313967647, -10.24680431464352, -33.99990352819905, 11.70890893206160},
                new double[] {8.083246795921522, -7.981132988064893, -31.52159432874371, 16.31930543123136,
                    -6.058818238834054});
        final double[] c = {0.0, 0.386, 0.21, 0.63, 1.0, 1.0};
        final double[] d = {0.25, -0.1043, 0.1035, -0.0362, 0.0, 0.0};
        final double[][] h = {
            {10.12623508344586, -7.487995877610167, -34.80091861555747, -7.992771707568823, 1.025137723295662, 0.0},
            {-0.6762803392801253, 6.087714651680015, 16.43084320892478, 24.76722511418386, -6.594389125716872, 0.0}};
        return rodas("rodas4", 4, 3, 3, 0.25, a, cc, c, d, h);
    }

    /** @return registry name of the method */
    public String name() {
        return name;
    }

    /** @return number of stages s */
    public int stages() {
        return stages;
    }

    /** @return order of the solution */
    public int order() {
        return order;
    }

    /** @return order of the embedded solution */
    public int embeddedOrder() {
        return embeddedOrder;
    }

    /** @return order of the continuous extension */
    public int denseOrder() {
        return denseOrder;
    }

    /** @return the diagonal coefficient \( \gamma \) */
    public double gamma() {
        return gamma;
    }

    /** @return the stage-argument coefficients \( a_{ij} \) (s x s, a copy) */
    public double[][] a() {
        return deepCopy(a);
    }

    /** @return the coefficients \( C_{ij} \) (s x s, a copy) */
    public double[][] bigC() {
        return deepCopy(cc);
    }

    /** @return stage times as fractions of the step (a copy) */
    public double[] c() {
        return c.clone();
    }

    /** @return multipliers \( d_i \) of \( h\,\partial f/\partial t \) (a copy) */
    public double[] d() {
        return d.clone();
    }

    /** @return solution weights (a copy) */
    public double[] b() {
        return b.clone();
    }

    /** @return error weights, solution minus embedded solution (a copy) */
    public double[] e() {
        return e.clone();
    }

    /** @return dense-output rows \( H_{ki} \) (a copy) */
    public double[][] bigH() {
        return deepCopy(h);
    }

    private static double[][] deepCopy(final double[][] m) {
        final double[][] out = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            out[i] = m[i].clone();
        }
        return out;
    }

    @Override
    public String toString() {
        return name + " (" + stages + " stages, order " + order + "(" + embeddedOrder + "), dense order "
               + denseOrder + ")";
    }
}
