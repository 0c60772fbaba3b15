package org.neurode.solvers.stiff;

import org.ejml.data.DMatrixRMaj;
import org.ejml.data.ZMatrixRMaj;
import org.ejml.dense.row.decompose.lu.LUDecompositionAlt_ZDRM;
import org.ejml.dense.row.decomposition.lu.LUDecompositionAlt_DDRM;
import org.ejml.dense.row.linsol.lu.LinearSolverLu_DDRM;
import org.ejml.dense.row.linsol.lu.LinearSolverLu_ZDRM;
import org.neurode.solvers.SolverInfo;
import org.neurode.solvers.Stiffness;
import org.neurode.solvers.adaptive.StepContext;
import org.neurode.solvers.adaptive.StepController;
import org.neurode.solvers.adaptive.StepMethod;

/**
 * The three-stage Radau IIA collocation method of order 5 as Hairer and Wanner's RADAU5 implements it:
 * E. Hairer and G. Wanner, <i>Solving Ordinary Differential Equations II</i>, 2nd ed., Springer 1996,
 * section IV.8 ("Implementation of implicit Runge-Kutta methods"), and their Fortran code
 * {@code radau5.f}. L-stable, stiffly accurate, stage order 3.
 *
 * <ul>
 * <li>Simplified Newton iteration on the stage increments \( Z_i = Y_i - y_0 \) in the variables
 * \( W = (T^{-1} \otimes I) Z \) that diagonalize \( A^{-1} \) into one real eigenvalue \( \gamma \) and one
 * complex pair \( \alpha \pm i\beta \): per iteration one solve with the real matrix
 * \( (\gamma/h) I - J \) and one with the complex matrix \( ((\alpha + i\beta)/h) I - J \), both by EJML's
 * dense LU with partial pivoting ({@code LUDecompositionAlt_DDRM} and {@code LUDecompositionAlt_ZDRM}), each
 * factorization counted once via {@link StepContext#countFactorization()}. (A hand-written complex LU was
 * 1.4 to 1.6 times faster per factor-and-solve at n = 4 to 400, but it applied its row exchanges wrongly and
 * solved every system that needed pivoting wrongly; the library's tested code is worth that time, which
 * is a small part of a step's cost next to the right-hand-side and Jacobian evaluations.)
 * Convergence control by the rate estimate \( \Theta_k \) and the stopping criterion
 * \( \eta_k \|\Delta W_k\| \le \kappa\,\mathrm{tol} \) with \( \eta_k = \Theta_k / (1 - \Theta_k) \)
 * (eq. IV.8.10-8.13); at most 7 iterations.</li>
 * <li>Starting values: the previous step's collocation polynomial extrapolated to the new stages (zero on
 * the first step after a (re)start).</li>
 * <li>Jacobian reuse as RADAU5: after an accepted step whose Newton iteration contracted with
 * \( \Theta \le 0.001 \) (or needed one iteration) the Jacobian is kept; the matrices are refactorized
 * only when h changes, and the step size is left unchanged when the proposed factor is within [1, 1.2].
 * After a rejection the Jacobian is re-evaluated unless it is already from the current point.</li>
 * <li>Error estimate: RADAU5's \( err = (I - h\gamma_0 J)^{-1} [\gamma_0 h f(t_0, y_0) + e_1 Z_1 + e_2 Z_2
 * + e_3 Z_3] \) (eq. IV.8.19-8.20), with the second filtering \( (I - h\gamma_0 J)^{-1} [\ldots] \) using
 * \( f(t_0, y_0 + err) \) on the first step and after a rejection when the first estimate is too large;
 * the estimate is \( O(h^4) \), so {@link #controlOrder()} is 3. Scaled by the driver's norm
 * ({@link StepContext#errorNorm}) with RADAU5's transformed tolerances \( \mathrm{rtol}' = 0.1\,
 * \mathrm{rtol}^{2/3} \), \( \mathrm{atol}' = \mathrm{rtol}'\,\mathrm{atol}/\mathrm{rtol} \) (also in
 * the Newton norm): the estimate is one order below the solution, and without the transformation the global
 * error falls like \( \mathrm{rtol}^{1.3} \) on the non-stiff problems (measured pooled slope 1.31); with
 * it the error is roughly proportional to rtol.</li>
 * <li>Step size: Gustafsson's predictive controller with RADAU5's safety factor depending on the number
 * of Newton iterations, factors within [0.2, 8] ({@link #stepFactor}).</li>
 * <li>Dense output: the cubic collocation polynomial of the accepted step.</li>
 * </ul>
 *
 * <p>Cost per step: 3 right-hand-side evaluations per Newton iteration plus one at the step start (and
 * one for the second filtering when it happens); per refactorization one real LU (\( 2n^3/3 \) flops)
 * and one complex LU (about \( 8n^3/3 \) real flops, half of the equivalent real 2n x 2n system). All
 * work arrays are allocated in {@link #initialize}; the step functions allocate nothing.
 *
 * <p>Units: times and step sizes are in the model's time unit; tolerances and error norms are
 * dimensionless (scaled by {@code atol + rtol |y|}).
 *
 * @since 0.2
 */
public final class RadauIIA5 implements StepMethod {

    /** Registry entry: order 5, adaptive, for stiff problems. */
    public static final SolverInfo INFO = new SolverInfo("radau-iia-5", 5, true, Stiffness.STIFF, false,
            "Radau IIA order 5, 3 stages, simplified Newton in transformed form with Gustafsson's step control"
            + " (Hairer and Wanner, Solving ODEs II, IV.8; RADAU5)");

    // ------------------------------------------------------------------ method constants

    private static final double SQ6 = Math.sqrt(6.0);
    /** Nodes \( c_1 = (4 - \sqrt6)/10 \), \( c_2 = (4 + \sqrt6)/10 \), \( c_3 = 1 \). */
    static final double C1 = (4.0 - SQ6) / 10.0;
    static final double C2 = (4.0 + SQ6) / 10.0;
    private static final double C1M1 = C1 - 1.0;
    private static final double C2M1 = C2 - 1.0;
    private static final double C1MC2 = C1 - C2;
    /** Error-estimate coefficients \( e_i / \gamma_0 \) of {@code radau5.f} (applied as {@code DD/h}). */
    static final double DD1 = -(13.0 + 7.0 * SQ6) / 3.0;
    static final double DD2 = (-13.0 + 7.0 * SQ6) / 3.0;
    static final double DD3 = -1.0 / 3.0;
    /** The real eigenvalue of \( A^{-1} \): \( \gamma = 1/\gamma_0 \approx 3.6378 \). */
    static final double GAMMA;
    /** The complex pair \( \alpha \pm i\beta \) of eigenvalues of \( A^{-1} \). */
    static final double ALPHA;
    static final double BETA;

    static {
        final double c81 = Math.cbrt(81.0);
        final double c9 = Math.cbrt(9.0);
        // eigenvalues of A: gamma0 = 1/GAMMA and the pair a +- ib, inverted
        final double gamma0 = (6.0 + c81 - c9) / 30.0;
        final double a = (12.0 - c81 + c9) / 60.0;
        final double b = (c81 + c9) * Math.sqrt(3.0) / 60.0;
        final double cno = a * a + b * b;
        GAMMA = 1.0 / gamma0;
        ALPHA = a / cno;
        BETA = b / cno;
    }

    /** T with \( T^{-1} A^{-1} T = \mathrm{diag}(\gamma, [[\alpha, -\beta], [\beta, \alpha]]) \) (radau5.f). */
    static final double T11 = 9.1232394870892942792e-02;
    static final double T12 = -0.14125529502095420843;
    static final double T13 = -3.0029194105147424492e-02;
    static final double T21 = 0.24171793270710701896;
    static final double T22 = 0.20412935229379993199;
    static final double T23 = 0.38294211275726193779;
    static final double T31 = 0.96604818261509293619;
    static final double T32 = 1.0;
    static final double T33 = 0.0;
    /** \( T^{-1} \) (radau5.f). */
    static final double TI11 = 4.3255798900631553510;
    static final double TI12 = 0.33919925181580986954;
    static final double TI13 = 0.54177053993587487119;
    static final double TI21 = -4.1787185915519047273;
    static final double TI22 = -0.32768282076106238708;
    static final double TI23 = 0.47662355450055045196;
    static final double TI31 = -0.50287263494578687595;
    static final double TI32 = 2.5719269498556054292;
    static final double TI33 = -0.59603920482822492497;

    // ------------------------------------------------------------------ control constants (radau5.f)

    /** Maximum Newton iterations per step. */
    private static final int NIT = 7;
    /** Keep the Jacobian when the Newton contraction is at most this. */
    private static final double THET = 0.001;
    /** Keep h (and the factorization) when the proposed factor is within [QUOT1, QUOT2]. */
    private static final double QUOT1 = 1.0;
    private static final double QUOT2 = 1.2;
    private static final double SAFE = 0.9;
    private static final double CFAC = SAFE * (1 + 2 * NIT);
    /** The step-size factor is within [1/FACL, 1/FACR] = [0.2, 8]. */
    private static final double FACL = 5.0;
    private static final double FACR = 1.0 / 8.0;
    private static final double UROUND = Math.ulp(1.0);

    // ------------------------------------------------------------------ configuration

    /** Newton stopping tolerance \( \kappa\,\mathrm{tol} \) (NaN: RADAU5's default from rtol). */
    private final double newtonToleranceOption;
    private double fnewt;

    // ------------------------------------------------------------------ work arrays

    private StepContext context;
    private int n;
    private double[] atol;
    private double[] rtol;
    private double[] z1;
    private double[] z2;
    private double[] z3;
    private double[] w1;
    private double[] w2;
    private double[] w3;
    private double[] tmp;
    private double[] tmp2;
    private double[] scal;
    /** rtol / rtol' per element: converts the driver's norm to the transformed tolerances. */
    private double[] errorScale;
    private double[] scaledError;
    private double[] f0;
    private double[] error;
    private double[] jac;
    /** The complex matrix ((alpha + i beta)/h) I - J, interleaved (re, im) row-major as EJML stores it. */
    private ZMatrixRMaj e2;
    private ZMatrixRMaj rhsComplex;
    private ZMatrixRMaj solComplex;
    private DMatrixRMaj e1;
    private DMatrixRMaj rhs;
    private DMatrixRMaj sol;
    private LinearSolverLu_DDRM realLu;
    private LinearSolverLu_ZDRM complexLu;
    /** Dense output: y at the step end and the divided differences of the collocation polynomial. */
    private double[] cy;
    private double[] cd1;
    private double[] cd2;
    private double[] cd3;

    // ------------------------------------------------------------------ state

    private boolean first;
    private boolean contValid;
    private boolean jacValid;
    private boolean jacCurrent;
    private boolean reuseJacobian;
    private boolean luValid;
    private double hFact;
    private boolean f0Valid;
    private double f0Time;
    private boolean pending;
    private double hOld;
    private double faccon;
    private double theta;

    // the last attempt, for stepFactor
    private double lastH;
    private int lastNewt;
    private boolean lastFirst;
    private boolean lastReject;
    private double requestedFactor;
    private int accHistory;
    private double accH;
    private double accErr;

    /** RADAU5's controller over this method's Newton statistics (see {@link #stepFactor}). */
    private final StepController controller = (h, err, order, accepted, lastRejected) -> stepFactor(err, accepted,
            lastRejected);

    // accepted-step history of the Gustafsson controller
    private int nAccepted;
    private double hAcc;
    private double errAcc;
    private double lastErr;

    // statistics for tests and diagnostics
    private long newtonIterations;
    private long newtonFailures;

    /**
     * RADAU5's defaults: Newton tolerance \( \max(10\epsilon/\mathrm{rtol}, \min(0.03, \sqrt{\mathrm{rtol}})) \)
     * with the smallest positive relative tolerance of the simulation (as SciPy's {@code Radau}; radau5.f
     * applies the formula to its transformed tolerance).
     */
    public RadauIIA5() {
        this(Double.NaN);
    }

    /**
     * @param newtonTolerance the Newton stopping tolerance \( \kappa\,\mathrm{tol} \) on the scaled
     *                        increments (dimensionless, positive), or NaN for RADAU5's default
     *                        \( \max(10\epsilon/\mathrm{rtol}, \min(0.03, \sqrt{\mathrm{rtol}})) \)
     */
    public RadauIIA5(final double newtonTolerance) {
        if (!Double.isNaN(newtonTolerance) && !(newtonTolerance > 0.0)) {
            throw new IllegalArgumentException("Newton tolerance must be positive: " + newtonTolerance);
        }
        this.newtonToleranceOption = newtonTolerance;
    }

    @Override
    public String name() {
        return INFO.name();
    }

    /** @return 3: the error estimate behaves like \( h^4 \) */
    @Override
    public boolean usesDenseJacobian() {
        return true;
    }

    @Override
    public int controlOrder() {
        return 3;
    }

    @Override
    public void initialize(final StepContext ctx) {
        this.context = ctx;
        n = ctx.dimension();
        atol = new double[n];
        rtol = new double[n];
        double rtolMin = Double.POSITIVE_INFINITY;
        errorScale = new double[n];
        scaledError = new double[n];
        for (int i = 0; i < n; i++) {
            final double a = ctx.absoluteTolerance(i);
            final double r = ctx.relativeTolerance(i);
            // RADAU5's transformation: rtol' = 0.1 rtol^(2/3), atol' = rtol' atol / rtol; the driver's norm
            // divides by atol + rtol |y|, so the error is multiplied by rtol / rtol' to be measured against
            // atol' + rtol' |y|
            if (r > 0.0) {
                rtol[i] = 0.1 * Math.pow(r, 2.0 / 3.0);
                atol[i] = rtol[i] * a / r;
                errorScale[i] = r / rtol[i];
                rtolMin = Math.min(rtolMin, rtol[i]);
            } else {
                rtol[i] = 0.0;
                atol[i] = a;
                errorScale[i] = 1.0;
            }
        }
        if (!Double.isNaN(newtonToleranceOption)) {
            fnewt = newtonToleranceOption;
        } else {
            final double r = rtolMin < Double.POSITIVE_INFINITY ? rtolMin : 1e-6;
            fnewt = Math.max(10.0 * UROUND / r, Math.min(0.03, Math.sqrt(r)));
        }
        z1 = new double[n];
        z2 = new double[n];
        z3 = new double[n];
        w1 = new double[n];
        w2 = new double[n];
        w3 = new double[n];
        tmp = new double[n];
        tmp2 = new double[n];
        scal = new double[n];
        f0 = new double[n];
        error = new double[n];
        jac = new double[n * n];
        e2 = new ZMatrixRMaj(n, n);
        rhsComplex = new ZMatrixRMaj(n, 1);
        solComplex = new ZMatrixRMaj(n, 1);
        e1 = new DMatrixRMaj(n, n);
        rhs = new DMatrixRMaj(n, 1);
        sol = new DMatrixRMaj(n, 1);
        realLu = new LinearSolverLu_DDRM(new LUDecompositionAlt_DDRM());
        final LUDecompositionAlt_ZDRM complexDecomposition = new LUDecompositionAlt_ZDRM();
        complexDecomposition.setExpectedMaxSize(n, n);
        complexLu = new LinearSolverLu_ZDRM(complexDecomposition);
        cy = new double[n];
        cd1 = new double[n];
        cd2 = new double[n];
        cd3 = new double[n];
        // size EJML's internal arrays now, not on the first step
        realLu.setA(e1);
        complexLu.setA(e2);
    }

    @Override
    public void restart(final double t, final double[] y) {
        first = true;
        contValid = false;
        jacValid = false;
        jacCurrent = false;
        reuseJacobian = false;
        luValid = false;
        f0Valid = false;
        pending = false;
        faccon = 1.0;
        theta = THET;
        nAccepted = 0;
    }

    @Override
    public double attempt(final double t, final double h, final double[] y, final double[] yNew) {
        final boolean reject = pending;
        pending = true;
        lastH = h;
        lastNewt = 0;
        lastFirst = first;
        lastReject = reject;
        requestedFactor = Double.NaN;
        accHistory = nAccepted;
        accH = hAcc;
        accErr = errAcc;

        if (!f0Valid || t != f0Time) {
            context.derivatives(t, y, f0);
            f0Valid = true;
            f0Time = t;
        }
        for (int i = 0; i < n; i++) {
            scal[i] = atol[i] + rtol[i] * Math.abs(y[i]);
        }
        if (!jacValid || (reject ? !jacCurrent : !reuseJacobian)) {
            context.jacobian(t, y, f0, jac);
            jacValid = true;
            jacCurrent = true;
            luValid = false;
        }
        if (!luValid || h != hFact) {
            if (!factorize(h)) {
                return fail(0.5);
            }
        }
        final double fac1 = GAMMA / h;
        final double alphn = ALPHA / h;
        final double betan = BETA / h;

        // starting values: the last collocation polynomial extrapolated, or zero
        if (first || !contValid) {
            java.util.Arrays.fill(z1, 0.0);
            java.util.Arrays.fill(z2, 0.0);
            java.util.Arrays.fill(z3, 0.0);
            java.util.Arrays.fill(w1, 0.0);
            java.util.Arrays.fill(w2, 0.0);
            java.util.Arrays.fill(w3, 0.0);
        } else {
            final double c3q = h / hOld;
            final double c1q = C1 * c3q;
            final double c2q = C2 * c3q;
            for (int i = 0; i < n; i++) {
                final double ak1 = cd1[i];
                final double ak2 = cd2[i];
                final double ak3 = cd3[i];
                final double z1i = c1q * (ak1 + (c1q - C2M1) * (ak2 + (c1q - C1M1) * ak3));
                final double z2i = c2q * (ak1 + (c2q - C2M1) * (ak2 + (c2q - C1M1) * ak3));
                final double z3i = c3q * (ak1 + (c3q - C2M1) * (ak2 + (c3q - C1M1) * ak3));
                z1[i] = z1i;
                z2[i] = z2i;
                z3[i] = z3i;
                w1[i] = TI11 * z1i + TI12 * z2i + TI13 * z3i;
                w2[i] = TI21 * z1i + TI22 * z2i + TI23 * z3i;
                w3[i] = TI31 * z1i + TI32 * z2i + TI33 * z3i;
            }
        }

        // simplified Newton iteration
        faccon = Math.pow(Math.max(faccon, UROUND), 0.8);
        theta = THET;
        double dynold = 0.0;
        double thqold = 0.0;
        int newt = 0;
        while (true) {
            if (newt >= NIT) {
                return fail(0.5);
            }
            for (int i = 0; i < n; i++) {
                tmp[i] = y[i] + z1[i];
            }
            context.derivatives(t + C1 * h, tmp, z1);
            for (int i = 0; i < n; i++) {
                tmp[i] = y[i] + z2[i];
            }
            context.derivatives(t + C2 * h, tmp, z2);
            for (int i = 0; i < n; i++) {
                tmp[i] = y[i] + z3[i];
            }
            context.derivatives(t + h, tmp, z3);
            // right-hand sides of the transformed systems: T^-1 F(Z) - (Lambda/h) W
            for (int i = 0; i < n; i++) {
                final double a1 = z1[i];
                final double a2 = z2[i];
                final double a3 = z3[i];
                final double s2 = -w2[i];
                final double s3 = -w3[i];
                z1[i] = TI11 * a1 + TI12 * a2 + TI13 * a3 - w1[i] * fac1;
                z2[i] = TI21 * a1 + TI22 * a2 + TI23 * a3 + s2 * alphn - s3 * betan;
                z3[i] = TI31 * a1 + TI32 * a2 + TI33 * a3 + s3 * alphn + s2 * betan;
            }
            solveReal(z1);
            solveComplex(z2, z3);
            newt++;
            newtonIterations++;
            double dyno = 0.0;
            for (int i = 0; i < n; i++) {
                final double d = scal[i];
                final double q1 = z1[i] / d;
                final double q2 = z2[i] / d;
                final double q3 = z3[i] / d;
                dyno += q1 * q1 + q2 * q2 + q3 * q3;
            }
            dyno = Math.sqrt(dyno / (3 * n));
            if (!(dyno < Double.POSITIVE_INFINITY)) {
                lastNewt = newt;
                return fail(0.5);
            }
            // bad convergence or too many iterations to come
            if (newt > 1 && newt < NIT) {
                final double thq = dyno / dynold;
                theta = newt == 2 ? thq : Math.sqrt(thq * thqold);
                thqold = thq;
                if (theta < 0.99) {
                    faccon = theta / (1.0 - theta);
                    final double dyth = faccon * dyno * Math.pow(theta, NIT - 1 - newt) / fnewt;
                    if (dyth >= 1.0) {
                        // convergence predicted too slow: retry with a smaller step, same Jacobian
                        final double qnewt = Math.max(1.0e-4, Math.min(20.0, dyth));
                        lastNewt = newt;
                        return fail(0.8 * Math.pow(qnewt, -1.0 / (4.0 + NIT - 1 - newt)));
                    }
                } else {
                    lastNewt = newt;
                    return fail(0.5);
                }
            }
            dynold = Math.max(dyno, UROUND);
            for (int i = 0; i < n; i++) {
                final double f1i = w1[i] + z1[i];
                final double f2i = w2[i] + z2[i];
                final double f3i = w3[i] + z3[i];
                w1[i] = f1i;
                w2[i] = f2i;
                w3[i] = f3i;
                z1[i] = T11 * f1i + T12 * f2i + T13 * f3i;
                z2[i] = T21 * f1i + T22 * f2i + T23 * f3i;
                z3[i] = T31 * f1i + T32 * f2i + T33 * f3i;
            }
            if (faccon * dyno <= fnewt) {
                break;
            }
        }
        lastNewt = newt;
        for (int i = 0; i < n; i++) {
            yNew[i] = y[i] + z3[i];
        }

        // error estimate (I - h gamma0 J)^-1 [gamma0 h f0 + gamma0 (DD . Z)], as (gamma/h I - J)^-1 [f0 + DD.Z/h]
        final double hee1 = DD1 / h;
        final double hee2 = DD2 / h;
        final double hee3 = DD3 / h;
        for (int i = 0; i < n; i++) {
            final double f2i = hee1 * z1[i] + hee2 * z2[i] + hee3 * z3[i];
            tmp2[i] = f2i;
            error[i] = f2i + f0[i];
        }
        solveReal(error);
        double err = transformedNorm(error, y, yNew);
        if (err >= 1.0 && (first || reject)) {
            // second filtering with f at y0 + err (Hairer-Wanner IV.8, after eq. 8.20)
            for (int i = 0; i < n; i++) {
                tmp[i] = y[i] + error[i];
            }
            context.derivatives(t, tmp, error);
            for (int i = 0; i < n; i++) {
                error[i] += tmp2[i];
            }
            solveReal(error);
            err = transformedNorm(error, y, yNew);
        }
        if (Double.isNaN(err)) {
            return err;
        }
        err = Math.max(err, 1.0e-10);
        lastErr = err;
        return err;
    }

    /** Records a failed attempt and the step factor it asks for. */
    private double fail(final double factor) {
        newtonFailures++;
        requestedFactor = factor;
        return Double.POSITIVE_INFINITY;
    }

    /** Forms and factorizes (gamma/h) I - J and ((alpha + i beta)/h) I - J; false if singular. */
    private boolean factorize(final double h) {
        final double fac1 = GAMMA / h;
        final double alphn = ALPHA / h;
        final double betan = BETA / h;
        final double[] e = e1.data;
        final double[] ez = e2.data;
        for (int k = 0; k < n * n; k++) {
            e[k] = -jac[k];
            ez[2 * k] = -jac[k];
            ez[2 * k + 1] = 0.0;
        }
        for (int i = 0; i < n; i++) {
            final int ii = i * n + i;
            e[ii] += fac1;
            ez[2 * ii] += alphn;
            ez[2 * ii + 1] = betan;
        }
        luValid = false;
        realLu.setA(e1);
        context.countFactorization();
        final DMatrixRMaj lu = realLu.getDecomposition().getLU();
        for (int i = 0; i < n; i++) {
            final double p = lu.data[i * n + i];
            if (p == 0.0 || !Double.isFinite(p)) {
                return false;
            }
        }
        complexLu.setA(e2);
        context.countFactorization();
        final double[] zlu = complexLu.getDecomposition().getLU().data;
        for (int i = 0; i < n; i++) {
            final double pr = zlu[2 * (i * n + i)];
            final double pi = zlu[2 * (i * n + i) + 1];
            if ((pr == 0.0 && pi == 0.0) || !Double.isFinite(pr) || !Double.isFinite(pi)) {
                return false;
            }
        }
        hFact = h;
        luValid = true;
        return true;
    }

    /** Solves (((alpha + i beta)/h) I - J) x = b in place, b = re + i im. */
    private void solveComplex(final double[] re, final double[] im) {
        final double[] b = rhsComplex.data;
        for (int i = 0; i < n; i++) {
            b[2 * i] = re[i];
            b[2 * i + 1] = im[i];
        }
        complexLu.solve(rhsComplex, solComplex);
        final double[] x = solComplex.data;
        for (int i = 0; i < n; i++) {
            re[i] = x[2 * i];
            im[i] = x[2 * i + 1];
        }
    }

    /** Solves ((gamma/h) I - J) x = b in place. */
    private void solveReal(final double[] b) {
        System.arraycopy(b, 0, rhs.data, 0, n);
        realLu.solve(rhs, sol);
        System.arraycopy(sol.data, 0, b, 0, n);
    }

    @Override
    public void accept(final double t, final double h, final double[] y, final double[] yNew) {
        pending = false;
        first = false;
        reuseJacobian = theta <= THET;
        jacCurrent = false;
        f0Valid = false;
        hOld = h;
        // divided differences of the collocation polynomial in s = (time - (t + h)) / h
        for (int i = 0; i < n; i++) {
            cy[i] = yNew[i];
            final double z1i = z1[i];
            final double z2i = z2[i];
            cd1[i] = (z2i - z3[i]) / C2M1;
            final double ak = (z1i - z2i) / C1MC2;
            double acont3 = z1i / C1;
            acont3 = (ak - acont3) / C2;
            cd2[i] = (ak - cd1[i]) / C1M1;
            cd3[i] = cd2[i] - acont3;
        }
        contValid = true;
        nAccepted++;
        hAcc = h;
        errAcc = Math.max(1.0e-2, lastErr);
    }

    @Override
    public void interpolate(final double thetaStep, final double[] out) {
        final double s = thetaStep - 1.0;
        for (int i = 0; i < n; i++) {
            out[i] = cy[i] + s * (cd1[i] + (s - C2M1) * (cd2[i] + (s - C1M1) * cd3[i]));
        }
    }

    /**
     * @return RADAU5's controller: Gustafsson's predictive controller whose safety factor falls with the
     *         number of Newton iterations, with RADAU5's rules after Newton failures and its dead band
     *         ({@link #stepFactor}); it reads the method's last attempt, so it serves this instance only
     */
    @Override
    public StepController controller() {
        return controller;
    }

    /**
     * RADAU5's step-size factor: after a failed Newton iteration the factor it asked for (0.5 on
     * divergence, \( 0.8\,q^{-1/(4 + 6 - k)} \) when the predicted convergence is too slow); else
     * \( 1/\mathrm{quot} \) with \( \mathrm{quot} = \mathrm{err}^{1/4} / \mathrm{fac} \) clipped to
     * [1/8, 5], \( \mathrm{fac} = \min(0.9, 0.9 (1 + 2 \cdot 7)/(k + 14)) \) for k Newton iterations;
     * 0.1 after a rejected first step; on acceptance Gustafsson's predictive factor
     * \( \frac{h_{acc}}{h} (\mathrm{err}^2 / \mathrm{err}_{acc})^{1/4} / 0.9 \) when it is more cautious, no
     * growth right after a rejection, and exactly 1 (keep h and the factorization) when the Jacobian is kept
     * and the factor is within [1, 1.2] (Hairer-Wanner II, IV.8, eq. 8.25).
     */
    @Override
    public double stepFactor(final double err, final boolean accepted, final boolean lastRejected) {
        if (!(err < Double.POSITIVE_INFINITY)) {
            return Double.isNaN(requestedFactor) ? 0.5 : requestedFactor;
        }
        final double fac = Math.min(SAFE, CFAC / (lastNewt + 2 * NIT));
        double quot = Math.max(FACR, Math.min(FACL, Math.pow(Math.max(err, 1.0e-10), 0.25) / fac));
        if (!accepted) {
            return lastFirst ? 0.1 : 1.0 / quot;
        }
        if (accHistory >= 1) {
            double facgus = (accH / lastH) * Math.pow(err * err / accErr, 0.25) / SAFE;
            facgus = Math.max(FACR, Math.min(FACL, facgus));
            quot = Math.max(quot, facgus);
        }
        double factor = 1.0 / quot;
        if (lastReject || lastRejected) {
            factor = Math.min(factor, 1.0);
        }
        if (theta <= THET && factor >= QUOT1 && factor <= QUOT2) {
            factor = 1.0;
        }
        return factor;
    }

    /** @return Newton iterations since construction (diagnostics) */
    public long newtonIterations() {
        return newtonIterations;
    }

    /** @return attempts ended by a failed or too slow Newton iteration or a singular matrix (diagnostics) */
    public long newtonFailures() {
        return newtonFailures;
    }

    /**
     * The Butcher matrix of Radau IIA order 5 in closed form (Hairer-Wanner II, Table IV.5.6), for tests and
     * documentation; the iteration itself uses only its transformation {@code T}, the nodes and the
     * error constants.
     *
     * @return a fresh 3 x 3 array
     */
    static double[][] butcherA() {
        return new double[][] {
            {(88.0 - 7.0 * SQ6) / 360.0, (296.0 - 169.0 * SQ6) / 1800.0, (-2.0 + 3.0 * SQ6) / 225.0},
            {(296.0 + 169.0 * SQ6) / 1800.0, (88.0 + 7.0 * SQ6) / 360.0, (-2.0 - 3.0 * SQ6) / 225.0},
            {(16.0 - SQ6) / 36.0, (16.0 + SQ6) / 36.0, 1.0 / 9.0}};
    }

    /** The driver's error norm against the transformed tolerances (see the class comment). */
    private double transformedNorm(final double[] err, final double[] y, final double[] yNew) {
        for (int i = 0; i < n; i++) {
            scaledError[i] = err[i] * errorScale[i];
        }
        return context.errorNorm(scaledError, y, yNew);
    }
}
