package org.neurode.solvers.stiff;

import java.util.Arrays;

import org.neurode.solvers.SolverInfo;
import org.neurode.solvers.Stiffness;
import org.neurode.solvers.adaptive.StartingStep;
import org.neurode.solvers.adaptive.StepContext;
import org.neurode.solvers.adaptive.StepController;
import org.neurode.solvers.adaptive.StepMethod;
import org.neurode.solvers.linear.NewtonMatrix;

/**
 * Variable-order (1 to 5), variable-step backward differentiation formulas in Nordsieck form with the
 * fixed-leading-coefficient formulation, as in LSODE and CVODE: the algorithm of SUNDIALS CVODE's BDF
 * ({@code cvode.c}: prediction, corrector, error test, step and order selection), re-implemented here.
 *
 * <p>Sources: G. D. Byrne and A. C. Hindmarsh, "A polyalgorithm for the numerical solution of ordinary
 * differential equations", ACM TOMS 1 (1975) 71-96 (EPISODE: variable-coefficient Nordsieck BDF, the error
 * estimates and order selection); K. R. Jackson and R. Sacks-Davis, ACM TOMS 6 (1980) 295-318 (the
 * fixed-leading-coefficient form); A. C. Hindmarsh et al., "SUNDIALS: Suite of nonlinear and differential/algebraic
 * equation solvers", ACM TOMS 31 (2005) 363-396, and the CVODE user guide's "Mathematical considerations"
 * (the constants and heuristics below); L. F. Shampine and M. W. Reichelt, "The MATLAB ODE suite", SIAM J. Sci.
 * Comput. 18 (1997) 1-22 (the NDF variant of the same history, not used here: plain BDF, as CVODE).
 *
 * <ul>
 * <li>History: the Nordsieck array \( z_j = h^j y^{(j)}(t_n)/j! \), \( j = 0..q \), of the interpolating
 * polynomial; prediction multiplies it by the Pascal matrix; a step-size change by \( \eta \) scales
 * \( z_j \) by \( \eta^j \) (so the step may change at every step, whatever the driver asks); an order change
 * adds or drops a column with the corrections of CVODE's {@code cvIncreaseBDF} / {@code cvDecreaseBDF}.</li>
 * <li>Corrector: for the correction \( \Delta \) of the predicted history \( z \),
 * \( G(\Delta) = z_1/\ell_1 + \Delta - \gamma f(t_n, z_0 + \Delta) = 0 \) with \( \gamma = h / \ell_1 \), solved
 * by modified Newton with \( M = I - \gamma J \): at most 3 iterations, convergence rate
 * \( c = \max(0.3\,c, \|\delta_m\|/\|\delta_{m-1}\|) \), converged when
 * \( \|\delta_m\| \min(1, c) \le 0.1 / \mathrm{tq}_2 \), diverged when an increment more than doubles; when the
 * Jacobian was stale, one retry within the attempt with a fresh one. The solution of the linear system is scaled by
 * \( 2/(1 + \gamma/\gamma_{setup}) \) when \( \gamma \) changed since M was factored.</li>
 * <li>Jacobian and LU reuse (CVODE's rules): M is refactored only on the first step, after a failure (Newton or
 * error test), after 20 steps ({@code msbp}) or when \( |\gamma/\gamma_{setup} - 1| \gt 0.3 \) ({@code dgmax});
 * J itself is re-evaluated only on the first step, after a Newton failure, when the Newton iteration failed with
 * a stale J and \( |\gamma/\gamma_{setup} - 1| \lt 0.2 \), or after 51 steps ({@code msbj}); otherwise the saved J
 * is reused for the new M.</li>
 * <li>Error test: the local error estimate \( \mathrm{tq}_2 \|\Delta_n\| \le 1 \) in the weighted RMS norm with
 * weights \( 1/(\mathrm{rtol}_i |y_{n,i}| + \mathrm{atol}_i) \) of the step start (CVODE's; it is what
 * {@link #attempt} returns). After a failure the step shrinks by
 * \( \eta = \max(0.1, 1/((6\,\mathrm{err})^{1/(q+1)} + 10^{-6})) \) (at most 0.2 from the second failure
 * on); after three, by 0.1 with the order lowered, at order 1 with the history reloaded from f. A Newton failure
 * shrinks by 0.25.</li>
 * <li>Step and order selection after an accepted step (CVODE's heuristics): the order may change only after
 * q + 1 steps at the same order; then the ratios \( \eta_{q-1}, \eta_q, \eta_{q+1} \) from the error estimates of
 * orders q - 1 (\( \|z_q\| \)), q and q + 1 (the difference of the last two corrections) with biases 6, 6 and 10
 * decide; the largest wins, and is applied only if it is at least 1.5 (so h never shrinks after an accepted step),
 * bounded by 10 (10,000 after the first step); after a step that needed retries neither order nor step grows. The
 * method's {@link #controller()} returns these ratios; with another controller the order is still chosen here.</li>
 * <li>Dense output: the Nordsieck polynomial of the accepted step, \( y(t_n + s h) = \sum_j z_j s^j \),
 * \( s \in [-1, 0] \) (order q; CVODE's {@code CVodeGetDky}).</li>
 * <li>Restarts: {@link #restart} (discontinuities: inputs, event resets) starts again at order 1 with
 * \( z_1 = h f(t, y) \), and {@link #restartStep} gives the driver CVODE's first step for it
 * ({@link StartingStep#cvode}).</li>
 * </ul>
 *
 * <p>Linear algebra: {@link NewtonMatrix} (the {@code linear} package) stores J and factors \( I/\gamma - J \)
 * (\( M = \gamma (I/\gamma - J) \), so a solve with M divides the right-hand side by \( \gamma \)): dense with
 * EJML's LU today, sparse or banded where the equation's Jacobian pattern makes that the better choice. Work per
 * step: one evaluation per Newton iteration (1.2-1.5 per step on the stiff Test Set problems), a Jacobian every 50-60
 * steps and a factorization every 6-8. All arrays are allocated in {@link #initialize};
 * the step functions allocate nothing.
 *
 * <pre>{@code
 * Solver bdf = Solvers.get("bdf");        // new AdaptiveSolver(Bdf.INFO, Bdf::new)
 * }</pre>
 *
 * @since 0.7
 */
public final class Bdf implements StepMethod {

    /** Registry entry: variable order 1-5, adaptive, stiff. */
    public static final SolverInfo INFO = new SolverInfo("bdf", 5, true, Stiffness.STIFF, false,
            "variable-order (1-5) variable-step BDF in Nordsieck form, modified Newton with Jacobian and LU reuse,"
            + " CVODE's step and order heuristics: Byrne and Hindmarsh, ACM TOMS 1 (1975); Hindmarsh et al.,"
            + " SUNDIALS, ACM TOMS 31 (2005)");

    /** Largest order (BDF6 and above are not zero-stable). */
    public static final int MAX_ORDER = 5;

    // CVODE's constants (cvode.c)
    private static final double CORTES = 0.1;
    private static final int MAX_NEWTON = 3;
    private static final double CRDOWN = 0.3;
    private static final double RDIV = 2.0;
    private static final int MSBP = 20;
    private static final double DGMAX = 0.3;
    private static final int MSBJ = 51;
    private static final double DGMAX_JAC = 0.2;
    private static final double ETACF = 0.25;
    private static final double ETAMIN = 0.1;
    private static final double ETAMXF = 0.2;
    private static final double ETAMX1 = 10000.0;
    private static final double ETAMX2 = 10.0;
    private static final double THRESH = 1.5;
    private static final double BIAS1 = 6.0;
    private static final double BIAS2 = 6.0;
    private static final double BIAS3 = 10.0;
    private static final double ADDON = 1e-6;
    private static final int MXNEF1 = 3;
    private static final int SMALL_NEF = 2;
    private static final int LONG_WAIT = 10;

    /** Why the attempt before this one failed (CVODE's nflag). */
    private enum Failure { NONE, NEWTON, ERROR_TEST }

    /** Newton's convergence-failure modes of CVODE's linear-solver setup. */
    private enum ConvFail { NO_FAILURES, BAD_J, OTHER }

    private final int qmax;

    private StepContext context;
    private int n;

    // Nordsieck history and its step
    private double[][] zn;
    private double hscale;
    private double tn;
    private int q;
    private int qprime;
    private int qwait;
    private final double[] tau = new double[MAX_ORDER + 2];
    private final double[] l = new double[MAX_ORDER + 1];
    private final double[] tq = new double[6];
    private double savedTq5;
    private double etamax;
    private long nst;
    private boolean fresh;
    private boolean reload;

    // corrector
    private double[] ewt;
    private double[] ycor;
    private double[] delta;
    private double[] ytmp;
    private double[] ftemp;
    private double[] acor;
    private double gamma;
    private double gammap;
    private double gamrat;
    private double rl1;
    private double crate;
    private double acnrm;
    private double dsm;
    private long nstlp;
    private long nstlj;
    private boolean jacobianValid;
    private boolean setupValid;
    private boolean jcur;

    // failure bookkeeping within one step
    private Failure failure = Failure.NONE;
    private int nef;
    private int ncf;
    private double rejectFactor = ETACF;
    private double acceptFactor = 1.0;
    private boolean pending;

    // linear algebra: J and the factorization of (1/gamma) I - J, in the storage the equation suits
    private NewtonMatrix matrix;
    /** 1/gamma of the last factorization: M x = b is (I/gamma - J) x = b/gamma. */
    private double inverseGammaFactored;

    // the first step after a restart (CVODE's estimate) and f(t, y) evaluated for it
    private double[] f0;
    private boolean f0Ready;
    private double[] atolVector;
    private double[] rtolVector;
    private boolean started;
    private final StartingStep.Derivatives rhs = this::evaluate;

    // statistics
    private long newtonIterations;
    private long newtonFailures;
    private long errorTestFailures;

    private final StepController controller = (h, err, order, accepted, lastRejected) ->
            accepted ? acceptFactor : rejectFactor;

    /** Variable order 1 to 5. */
    public Bdf() {
        this(MAX_ORDER);
    }

    /**
     * @param maxOrder the largest order, 1 to 5 (1: backward Euler with a variable step)
     */
    public Bdf(final int maxOrder) {
        if (maxOrder < 1 || maxOrder > MAX_ORDER) {
            throw new IllegalArgumentException("BDF order must be 1 to " + MAX_ORDER + ": " + maxOrder);
        }
        this.qmax = maxOrder;
    }

    @Override
    public String name() {
        return INFO.name();
    }

    @Override
    public boolean usesDenseJacobian() {
        return true;
    }

    /** @return true: J and the Newton matrix go through {@link NewtonMatrix#of} (sparse or banded if patterned) */
    @Override
    public boolean supportsSparseJacobian() {
        return true;
    }

    /** @return the order of the last attempt (1 after a restart) */
    @Override
    public int controlOrder() {
        return q;
    }

    /** @return the current order (1 to the maximum order) */
    public int order() {
        return q;
    }

    /** @return the largest order this instance may use */
    public int maxOrder() {
        return qmax;
    }

    /** @return Newton iterations since construction (diagnostics) */
    public long newtonIterations() {
        return newtonIterations;
    }

    /** @return attempts ended by a failed Newton iteration or a singular matrix (diagnostics) */
    public long newtonFailures() {
        return newtonFailures;
    }

    /** @return attempts rejected by the error test (diagnostics) */
    public long errorTestFailures() {
        return errorTestFailures;
    }

    /** @return CVODE's step and order selection: the ratios computed by the method (see the class comment) */
    @Override
    public StepController controller() {
        return controller;
    }

    @Override
    public void initialize(final StepContext stepContext) {
        this.context = stepContext;
        n = stepContext.dimension();
        zn = new double[qmax + 1][n];
        ewt = new double[n];
        ycor = new double[n];
        delta = new double[n];
        ytmp = new double[n];
        ftemp = new double[n];
        acor = new double[n];
        matrix = NewtonMatrix.of(stepContext);
        f0 = new double[n];
        atolVector = new double[n];
        rtolVector = new double[n];
        for (int i = 0; i < n; i++) {
            atolVector[i] = stepContext.absoluteTolerance(i);
            rtolVector[i] = stepContext.relativeTolerance(i);
        }
        fresh = true;
        q = 1;
    }

    @Override
    public void restart(final double t, final double[] y) {
        System.arraycopy(y, 0, zn[0], 0, n);
        tn = t;
        fresh = true;
        reload = false;
        q = 1;
        qprime = 1;
        pending = false;
        jacobianValid = false;
        setupValid = false;
        failure = Failure.NONE;
        nef = 0;
        ncf = 0;
        rejectFactor = ETACF;
        acceptFactor = 1.0;
        f0Ready = false;
    }

    /**
     * CVODE's starting step ({@link StartingStep#cvode}): order 1 needs a first step whose local error
     * \( h^2 \|y''\|/2 \) meets the tolerance, usually far below Hairer's estimate for higher orders (on the stiff
     * Test Set problems at rtol 1e-4 this gains 0.5 to 0.8 significant digits at the same work). A user's initial
     * step is kept on the first start. f(t, y) evaluated here serves the first attempt.
     */
    @Override
    public double restartStep(final double t, final double[] y, final double span, final double proposed) {
        if (!started && proposed > 0.0) {
            return proposed;
        }
        context.derivatives(t, y, f0);
        f0Ready = true;
        return StartingStep.cvode(t, y, f0, span, atolVector, rtolVector, rhs, ytmp, ftemp);
    }

    private void evaluate(final double t, final double[] y, final double[] dydt) {
        context.derivatives(t, y, dydt);
    }

    // ------------------------------------------------------------------ step

    @Override
    public double attempt(final double t, final double h, final double[] y, final double[] yNew) {
        pending = false;
        if (fresh) {
            // order 1 from (t, y): z0 = y, z1 = h f(t, y)
            System.arraycopy(y, 0, zn[0], 0, n);
            if (!f0Ready) {
                context.derivatives(t, y, f0);
            }
            f0Ready = false;
            for (int i = 0; i < n; i++) {
                zn[1][i] = h * f0[i];
            }
            fresh = false;
            tn = t;
            hscale = h;
            q = 1;
            qprime = 1;
            qwait = 2;
            etamax = ETAMX1;
            nst = 0;
            Arrays.fill(tau, 0.0);
            savedTq5 = 0.0;
            crate = 1.0;
            gammap = 0.0;
            failure = Failure.NONE;
            nef = 0;
            ncf = 0;
        } else if (reload) {
            // after repeated error-test failures at order 1: the history again from f (CVODE's restart)
            context.derivatives(tn, zn[0], ftemp);
            for (int i = 0; i < n; i++) {
                zn[1][i] = h * ftemp[i];
            }
            reload = false;
            hscale = h;
            qwait = LONG_WAIT;
        } else {
            if (qprime != q) {
                adjustOrder(qprime - q);
                q = qprime;
                qwait = q + 1;
            }
            if (h != hscale) {
                rescale(h / hscale);
            }
        }
        tn = t;
        final double[] z0 = zn[0];
        for (int i = 0; i < n; i++) {
            ewt[i] = 1.0 / (rtolVector[i] * Math.abs(z0[i]) + atolVector[i]);
        }
        predict(h);
        setCoefficients(h);
        final boolean converged = newton(t + h);
        if (!converged) {
            restore();
            newtonFailures++;
            ncf++;
            etamax = 1.0;
            rejectFactor = ETACF;
            failure = Failure.NEWTON;
            return Double.POSITIVE_INFINITY;
        }
        dsm = acnrm * tq[2];
        if (!(dsm <= 1.0)) {
            restore();
            errorTestFailures++;
            nef++;
            etamax = 1.0;
            failure = Failure.ERROR_TEST;
            if (!(dsm < Double.POSITIVE_INFINITY)) {
                rejectFactor = ETAMIN;
                return dsm;
            }
            if (nef <= MXNEF1) {
                double eta = 1.0 / (Math.pow(BIAS2 * dsm, 1.0 / (q + 1)) + ADDON);
                eta = Math.max(ETAMIN, eta);
                if (nef >= SMALL_NEF) {
                    eta = Math.min(eta, ETAMXF);
                }
                rejectFactor = eta;
            } else if (q > 1) {
                rejectFactor = ETAMIN;
                adjustOrder(-1);
                q--;
                qprime = q;
                qwait = q + 1;
            } else {
                rejectFactor = ETAMIN;
                reload = true;
            }
            return dsm;
        }
        for (int i = 0; i < n; i++) {
            yNew[i] = zn[0][i] + acor[i];
        }
        pending = true;
        return dsm;
    }

    /** zn times the Pascal matrix: the predictor at tn + h. */
    private void predict(final double h) {
        for (int k = 1; k <= q; k++) {
            for (int j = q; j >= k; j--) {
                final double[] lo = zn[j - 1];
                final double[] hi = zn[j];
                for (int i = 0; i < n; i++) {
                    lo[i] += hi[i];
                }
            }
        }
    }

    /** Undoes {@link #predict}. */
    private void restore() {
        for (int k = 1; k <= q; k++) {
            for (int j = q; j >= k; j--) {
                final double[] lo = zn[j - 1];
                final double[] hi = zn[j];
                for (int i = 0; i < n; i++) {
                    lo[i] -= hi[i];
                }
            }
        }
    }

    /** Scales the history to the step hscale * eta. */
    private void rescale(final double eta) {
        double factor = eta;
        for (int j = 1; j <= q; j++) {
            final double[] z = zn[j];
            for (int i = 0; i < n; i++) {
                z[i] *= factor;
            }
            factor *= eta;
        }
        hscale *= eta;
    }

    /**
     * The coefficients l of the corrector polynomial and the error constants tq of the fixed-leading-coefficient
     * BDF of order q over the last step sizes (CVODE's cvSetBDF and cvSetTqBDF).
     */
    private void setCoefficients(final double h) {
        Arrays.fill(l, 0.0);
        l[0] = 1.0;
        l[1] = 1.0;
        double xiInv = 1.0;
        double xistarInv = 1.0;
        double alpha0 = -1.0;
        double alpha0Hat = -1.0;
        double hsum = h;
        if (q > 1) {
            for (int j = 2; j < q; j++) {
                hsum += tau[j - 1];
                xiInv = h / hsum;
                alpha0 -= 1.0 / j;
                for (int i = j; i >= 1; i--) {
                    l[i] += l[i - 1] * xiInv;
                }
            }
            alpha0 -= 1.0 / q;
            xistarInv = -l[1] - alpha0;
            hsum += tau[q - 1];
            xiInv = h / hsum;
            alpha0Hat = -l[1] - xiInv;
            for (int i = q; i >= 1; i--) {
                l[i] += l[i - 1] * xistarInv;
            }
        }
        final double a1 = 1.0 - alpha0Hat + alpha0;
        final double a2 = 1.0 + q * a1;
        tq[2] = Math.abs(a1 / (alpha0 * a2));
        tq[5] = Math.abs(a2 * xistarInv / (l[q] * xiInv));
        if (qwait == 1) {
            if (q > 1) {
                final double c = xistarInv / l[q];
                final double a3 = alpha0 + 1.0 / q;
                final double a4 = alpha0Hat + xiInv;
                final double cpinv = (1.0 - a4 + a3) / a3;
                tq[1] = Math.abs(c * cpinv);
            } else {
                tq[1] = 1.0;
            }
            hsum += tau[q];
            xiInv = h / hsum;
            final double a5 = alpha0 - 1.0 / (q + 1);
            final double a6 = alpha0Hat - xiInv;
            final double cppinv = (1.0 - a6 + a5) / a2;
            tq[3] = Math.abs(cppinv / (xiInv * (q + 2) * a5));
        }
        tq[4] = CORTES / tq[2];
        rl1 = 1.0 / l[1];
        gamma = h * rl1;
        if (nst == 0) {
            gammap = gamma;
        }
        gamrat = nst > 0 ? gamma / gammap : 1.0;
    }

    /**
     * The modified Newton iteration on the correction (CVODE's cvNls with its Newton solver); on success acor
     * holds the correction and acnrm its norm.
     *
     * @return false on a convergence failure (or a singular Newton matrix) that a fresh Jacobian did not cure
     */
    private boolean newton(final double time) {
        boolean callSetup = failure != Failure.NONE || nst == 0 || !setupValid || nst >= nstlp + MSBP
                || Math.abs(gamrat - 1.0) > DGMAX;
        ConvFail convfail = failure == Failure.NEWTON ? ConvFail.OTHER : ConvFail.NO_FAILURES;
        jcur = false;
        Arrays.fill(ycor, 0.0);
        while (true) {
            residual(time);
            boolean ok = true;
            if (callSetup) {
                ok = setup(convfail, time);
            }
            if (ok) {
                double delp = 0.0;
                int m = 0;
                while (true) {
                    newtonIterations++;
                    for (int i = 0; i < n; i++) {
                        delta[i] = -delta[i];
                    }
                    solveNewton(delta);
                    if (gamrat != 1.0) {
                        final double s = 2.0 / (1.0 + gamrat);
                        for (int i = 0; i < n; i++) {
                            delta[i] *= s;
                        }
                    }
                    for (int i = 0; i < n; i++) {
                        ycor[i] += delta[i];
                    }
                    final double del = wrms(delta);
                    if (!(del < Double.POSITIVE_INFINITY)) {
                        ok = false;
                        break;
                    }
                    if (m > 0) {
                        crate = Math.max(CRDOWN * crate, del / delp);
                    }
                    final double dcon = del * Math.min(1.0, crate) / tq[4];
                    if (dcon <= 1.0) {
                        acnrm = m == 0 ? del : wrms(ycor);
                        System.arraycopy(ycor, 0, acor, 0, n);
                        jcur = false;
                        return true;
                    }
                    if (m >= 1 && del > RDIV * delp) {
                        ok = false;
                        break;
                    }
                    delp = del;
                    m++;
                    if (m >= MAX_NEWTON) {
                        ok = false;
                        break;
                    }
                    residual(time);
                }
            }
            // a recoverable failure: once more with a fresh Jacobian unless it is fresh already
            if (!jcur) {
                callSetup = true;
                convfail = ConvFail.BAD_J;
                Arrays.fill(ycor, 0.0);
                continue;
            }
            return false;
        }
    }

    /** delta = rl1 z1 + ycor - gamma f(t, z0 + ycor), with f(t, y) left in ftemp and y in ytmp. */
    private void residual(final double time) {
        final double[] z0 = zn[0];
        final double[] z1 = zn[1];
        for (int i = 0; i < n; i++) {
            ytmp[i] = z0[i] + ycor[i];
        }
        context.derivatives(time, ytmp, ftemp);
        for (int i = 0; i < n; i++) {
            delta[i] = rl1 * z1[i] + ycor[i] - gamma * ftemp[i];
        }
    }

    /**
     * CVODE's linear-solver setup: decides whether J is re-evaluated (at (time, ytmp) with f in ftemp) or the
     * saved one reused (the {@link NewtonMatrix} keeps it), and factors M = I - gamma J.
     *
     * @return false if M is singular
     */
    private boolean setup(final ConvFail convfail, final double time) {
        final double dgamma = Math.abs(gamma / gammap - 1.0);
        final boolean jbad = !jacobianValid || nst == 0 || nst >= nstlj + MSBJ
                || convfail == ConvFail.BAD_J && dgamma < DGMAX_JAC || convfail == ConvFail.OTHER;
        if (jbad) {
            matrix.evaluate(time, ytmp, ftemp);
            jacobianValid = true;
            jcur = true;
            nstlj = nst;
        }
        gammap = gamma;
        gamrat = 1.0;
        crate = 1.0;
        nstlp = nst;
        setupValid = setupNewtonMatrix(gamma);
        return setupValid;
    }

    // ------------------------------------------------------------------ linear algebra

    /**
     * Factors the Newton matrix \( M = I - \gamma J = \gamma (I/\gamma - J) \) with the stored Jacobian, as
     * \( I/\gamma - J \) through {@link NewtonMatrix} (dense, sparse or banded as the equation suits).
     *
     * @return false if M is singular
     */
    private boolean setupNewtonMatrix(final double g) {
        inverseGammaFactored = 1.0 / g;
        return matrix.factor(inverseGammaFactored);
    }

    /** Solves M x = b in place with the last factorization: \( (I/\gamma - J) x = b/\gamma \). */
    private void solveNewton(final double[] b) {
        final double s = inverseGammaFactored;
        for (int i = 0; i < n; i++) {
            b[i] *= s;
        }
        matrix.solve(b);
    }

    // ------------------------------------------------------------------ accept, order and step selection

    @Override
    public void accept(final double t, final double h, final double[] y, final double[] yNew) {
        if (!pending) {
            return;
        }
        pending = false;
        started = true;
        // CVODE's cvCompleteStep
        nst++;
        for (int i = q; i >= 2; i--) {
            tau[i] = tau[i - 1];
        }
        if (q == 1 && nst > 1) {
            tau[2] = tau[1];
        }
        tau[1] = h;
        for (int j = 0; j <= q; j++) {
            final double lj = l[j];
            final double[] z = zn[j];
            for (int i = 0; i < n; i++) {
                z[i] += lj * acor[i];
            }
        }
        qwait--;
        if (qwait == 1 && q != qmax) {
            System.arraycopy(acor, 0, zn[qmax], 0, n);
            savedTq5 = tq[5];
        }
        // the driver may have changed the end state (refractory holds): the history follows it
        final double[] z0 = zn[0];
        for (int i = 0; i < n; i++) {
            z0[i] = yNew[i];
        }
        tn = t + h;
        prepareNextStep(h);
        etamax = ETAMX2;
        failure = Failure.NONE;
        nef = 0;
        ncf = 0;
    }

    /** CVODE's cvPrepareNextStep, cvChooseEta and cvSetEta: the step ratio and the order of the next step. */
    private void prepareNextStep(final double h) {
        qprime = q;
        if (etamax == 1.0) {
            qwait = Math.max(qwait, 2);
            acceptFactor = 1.0;
            return;
        }
        final double etaq = 1.0 / (Math.pow(BIAS2 * dsm, 1.0 / (q + 1)) + ADDON);
        double eta;
        if (qwait != 0) {
            eta = etaq;
        } else {
            qwait = 2;
            double etaqm1 = 0.0;
            if (q > 1) {
                final double ddn = wrms(zn[q]) * tq[1];
                etaqm1 = 1.0 / (Math.pow(BIAS1 * ddn, 1.0 / q) + ADDON);
            }
            double etaqp1 = 0.0;
            if (q != qmax && savedTq5 != 0.0) {
                final double cquot = tq[5] / savedTq5 * Math.pow(h / tau[2], q + 1);
                final double[] saved = zn[qmax];
                double sum = 0.0;
                for (int i = 0; i < n; i++) {
                    final double v = (acor[i] - cquot * saved[i]) * ewt[i];
                    sum += v * v;
                }
                final double dup = Math.sqrt(sum / n) * tq[3];
                etaqp1 = 1.0 / (Math.pow(BIAS3 * dup, 1.0 / (q + 2)) + ADDON);
            }
            final double etam = Math.max(etaqm1, Math.max(etaq, etaqp1));
            if (etam < THRESH) {
                acceptFactor = 1.0;
                return;
            }
            if (etam == etaqm1) {
                eta = etaqm1;
                qprime = q - 1;
            } else if (etam == etaq) {
                eta = etaq;
            } else {
                eta = etaqp1;
                qprime = q + 1;
                // Delta_n of this step, for the new column of the history
                System.arraycopy(acor, 0, zn[qmax], 0, n);
            }
        }
        if (eta < THRESH) {
            acceptFactor = 1.0;
            qprime = q;
            return;
        }
        acceptFactor = Math.min(eta, etamax);
    }

    /** CVODE's cvAdjustOrder for BDF (on the history at scale hscale). */
    private void adjustOrder(final int deltaq) {
        if (q == 2 && deltaq != 1) {
            return;
        }
        if (deltaq == 1) {
            increaseOrder();
        } else {
            decreaseOrder();
        }
    }

    /** CVODE's cvIncreaseBDF: the new column z_{q+1} from the saved correction. */
    private void increaseOrder() {
        Arrays.fill(l, 0.0);
        l[2] = 1.0;
        double alpha1 = 1.0;
        double prod = 1.0;
        double xiold = 1.0;
        double alpha0 = -1.0;
        double hsum = hscale;
        if (q > 1) {
            for (int j = 1; j < q; j++) {
                hsum += tau[j + 1];
                final double xi = hsum / hscale;
                prod *= xi;
                alpha0 -= 1.0 / (j + 1);
                alpha1 += 1.0 / xi;
                for (int i = j + 2; i >= 2; i--) {
                    l[i] = l[i] * xiold + l[i - 1];
                }
                xiold = xi;
            }
        }
        final double a1 = (-alpha0 - alpha1) / prod;
        final double[] zNew = zn[q + 1];
        final double[] saved = zn[qmax];
        for (int i = 0; i < n; i++) {
            zNew[i] = a1 * saved[i];
        }
        for (int j = 2; j <= q; j++) {
            final double lj = l[j];
            final double[] z = zn[j];
            for (int i = 0; i < n; i++) {
                z[i] += lj * zNew[i];
            }
        }
    }

    /** CVODE's cvDecreaseBDF: drops z_q and corrects the lower columns. */
    private void decreaseOrder() {
        Arrays.fill(l, 0.0);
        l[2] = 1.0;
        double hsum = 0.0;
        for (int j = 1; j <= q - 2; j++) {
            hsum += tau[j];
            final double xi = hsum / hscale;
            for (int i = j + 2; i >= 2; i--) {
                l[i] = l[i] * xi + l[i - 1];
            }
        }
        final double[] zq = zn[q];
        for (int j = 2; j < q; j++) {
            final double lj = l[j];
            final double[] z = zn[j];
            for (int i = 0; i < n; i++) {
                z[i] -= lj * zq[i];
            }
        }
    }

    /**
     * The Nordsieck polynomial of the last accepted step: \( \sum_{j \le q} z_j s^j \) with \( s = \theta - 1 \).
     */
    @Override
    public void interpolate(final double theta, final double[] out) {
        final double s = theta - 1.0;
        final double[] zq = zn[q];
        System.arraycopy(zq, 0, out, 0, n);
        for (int j = q - 1; j >= 0; j--) {
            final double[] z = zn[j];
            for (int i = 0; i < n; i++) {
                out[i] = z[i] + s * out[i];
            }
        }
    }

    /** The weighted RMS norm with the weights of the step start. */
    private double wrms(final double[] v) {
        double sum = 0.0;
        for (int i = 0; i < n; i++) {
            final double x = v[i] * ewt[i];
            sum += x * x;
        }
        return Math.sqrt(sum / n);
    }
}
