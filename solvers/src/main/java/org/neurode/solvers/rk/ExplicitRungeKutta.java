package org.neurode.solvers.rk;

import java.util.List;

import org.neurode.solvers.SolverInfo;
import org.neurode.solvers.Stiffness;
import org.neurode.solvers.adaptive.AdaptiveSolver;
import org.neurode.solvers.adaptive.StepContext;
import org.neurode.solvers.adaptive.StepMethod;

/**
 * The one generic explicit Runge-Kutta stepper, driven by a {@link ButcherTableau} (diffrax's design: a
 * tableau plus one stepper). Per attempt it evaluates the main stages 2..s (stage 1 is the previous step's
 * end stage); after acceptance the end stage \( f(t+h, y_1) \) (already done for first-same-as-last pairs);
 * the extra stages of the continuous extension only when a step has output or event times inside.
 * So DOP853 costs 11 evaluations per attempt and 12 per accepted step, against Hipparchus' 15.
 *
 * <p>Error estimate: \( h \sum_i e_i k_i \) in the simulation's RMS norm; DOP853 combines its 5th- and
 * 3rd-order estimates as Hairer's code does, \( \mathrm{err}_5^2 / \sqrt{\mathrm{err}_5^2 + 0.01\,
 * \mathrm{err}_3^2} \). Step control: the default elementary controller with exponent \( 1/(\hat p + 1) \)
 * of the embedded order.
 *
 * @since 0.2
 */
public final class ExplicitRungeKutta implements StepMethod {

    /** Tsitouras 5(4). */
    public static final SolverInfo TSIT5 = new SolverInfo("tsit5", 5, true, Stiffness.NONSTIFF, false,
            "Tsitouras 5(4), 7 stages FSAL, free 4th-order dense output (Tsitouras 2011,"
                    + " Comput. Math. Appl. 62:770)");
    /** Verner 6(5). */
    public static final SolverInfo VERN6 = new SolverInfo("vern6", 6, true, Stiffness.NONSTIFF, false,
            "Verner's efficient 6(5) pair, 9 stages FSAL, 6th-order interpolant with 3 lazy stages"
                    + " (Verner 2010, Numer. Algorithms 53:383)");
    /** Verner 7(6). */
    public static final SolverInfo VERN7 = new SolverInfo("vern7", 7, true, Stiffness.NONSTIFF, false,
            "Verner's efficient 7(6) pair, 10 stages, interpolant (published as 7th order, verified 6th) with 5 lazy stages"
                    + " (Verner 2010, Numer. Algorithms 53:383)");
    /** Verner 8(7). */
    public static final SolverInfo VERN8 = new SolverInfo("vern8", 8, true, Stiffness.NONSTIFF, false,
            "Verner's efficient 8(7) pair, 13 stages, 8th-order interpolant with 7 lazy stages"
                    + " (Verner 2010, Numer. Algorithms 53:383)");
    /** Verner 9(8). */
    public static final SolverInfo VERN9 = new SolverInfo("vern9", 9, true, Stiffness.NONSTIFF, false,
            "Verner's efficient 9(8) pair, 16 stages, 9th-order interpolant with 9 lazy stages"
                    + " (Verner 2010, Numer. Algorithms 53:383)");
    /** DOP853 with lazy dense output. */
    public static final SolverInfo DOP853 = new SolverInfo("dop853", 8, true, Stiffness.NONSTIFF, false,
            "Dormand-Prince 8(5,3), 12 stages per attempt, 7th-order dense output with 3 lazy stages"
                    + " (Hairer-Nørsett-Wanner I, II.10; Hairer's DOP853 code)");

    private final ButcherTableau tableau;
    private final int s;
    private final int end;
    private final int total;
    private final double[][] a;
    private final double[] c;
    private final double[] b;
    private final double[] e;
    private final double[] e3;
    private final double[][] dense;
    private final int controlOrder;

    private StepContext context;
    private int n;
    private double[][] k;
    private double[] stage;
    private double[] err;
    private double[] err3;
    private double[] weights;

    /** State of the last accepted step, for the lazy dense stages. */
    private double tStep;
    private double hStep;
    private double[] yStep;
    private double[] yEnd;
    private boolean denseReady;
    /** True once a step was accepted and the end stage must become stage 1 at the next attempt. */
    private boolean shiftPending;

    /**
     * @param tableau the coefficients
     */
    public ExplicitRungeKutta(final ButcherTableau tableau) {
        this.tableau = tableau;
        this.s = tableau.stages();
        this.end = tableau.endStage();
        this.total = tableau.totalStages();
        this.a = tableau.matrix();
        this.c = tableau.nodes();
        this.dense = tableau.densePolynomials();
        this.b = tableau.b();
        this.e = tableau.e();
        this.e3 = tableau.e3();
        this.controlOrder = tableau.controlOrder();
    }

    /** @return the built-in explicit solvers: Tsit5, Vern6-9, DOP853 (lazy dense) */
    public static List<AdaptiveSolver> solvers() {
        final ButcherTableau tsit5 = Tsitouras5.tableau();
        final ButcherTableau vern6 = Verner6.tableau();
        final ButcherTableau vern7 = Verner7.tableau();
        final ButcherTableau vern8 = Verner8.tableau();
        final ButcherTableau vern9 = Verner9.tableau();
        final ButcherTableau dop853 = DormandPrince853.tableau();
        return List.of(new AdaptiveSolver(TSIT5, () -> new ExplicitRungeKutta(tsit5)),
                       new AdaptiveSolver(VERN6, () -> new ExplicitRungeKutta(vern6)),
                       new AdaptiveSolver(VERN7, () -> new ExplicitRungeKutta(vern7)),
                       new AdaptiveSolver(VERN8, () -> new ExplicitRungeKutta(vern8)),
                       new AdaptiveSolver(VERN9, () -> new ExplicitRungeKutta(vern9)),
                       new AdaptiveSolver(DOP853, () -> new ExplicitRungeKutta(dop853)));
    }

    /**
     * @param name tableau name: tsit5, vern6, vern7, vern8, vern9, dop853 or rk4 (fixed steps only, {@link
     *             FixedStepRungeKutta})
     * @return its coefficients
     * @throws IllegalArgumentException for another name
     */
    public static ButcherTableau tableau(final String name) {
        return switch (name) {
            case "tsit5" -> Tsitouras5.tableau();
            case "vern6" -> Verner6.tableau();
            case "vern7" -> Verner7.tableau();
            case "vern8" -> Verner8.tableau();
            case "vern9" -> Verner9.tableau();
            case "dop853" -> DormandPrince853.tableau();
            case "rk4" -> ClassicalRungeKutta.tableau();
            default -> throw new IllegalArgumentException("no tableau named " + name
                    + " (tsit5, vern6, vern7, vern8, vern9, dop853, rk4)");
        };
    }

    @Override
    public String name() {
        return tableau.name();
    }

    @Override
    public int controlOrder() {
        return controlOrder;
    }

    @Override
    public void initialize(final StepContext ctx) {
        this.context = ctx;
        this.n = ctx.dimension();
        this.k = new double[total][n];
        this.stage = new double[n];
        this.err = new double[n];
        this.err3 = e3 == null ? null : new double[n];
        this.weights = new double[total];
    }

    @Override
    public void restart(final double t, final double[] y) {
        context.derivatives(t, y, k[0]);
        shiftPending = false;
        denseReady = false;
    }

    @Override
    public double attempt(final double t, final double h, final double[] y, final double[] yNew) {
        if (shiftPending) {
            final double[] first = k[0];
            k[0] = k[end];
            k[end] = first;
            shiftPending = false;
        }
        final int last = tableau.fsal() ? s - 1 : s;
        for (int i = 1; i < last; i++) {
            combine(y, h, a[i], i, stage);
            context.derivatives(t + c[i] * h, stage, k[i]);
        }
        combine(y, h, b, s, yNew);
        if (tableau.fsal()) {
            context.derivatives(t + h, yNew, k[s - 1]);
        }
        // error estimate(s)
        for (int i = 0; i < n; i++) {
            double sum = 0.0;
            for (int j = 0; j < s; j++) {
                if (e[j] != 0.0) {
                    sum += e[j] * k[j][i];
                }
            }
            err[i] = h * sum;
        }
        if (e3 == null) {
            return context.errorNorm(err, y, yNew);
        }
        for (int i = 0; i < n; i++) {
            double sum = 0.0;
            for (int j = 0; j < s; j++) {
                if (e3[j] != 0.0) {
                    sum += e3[j] * k[j][i];
                }
            }
            err3[i] = h * sum;
        }
        final double n5 = context.errorNorm(err, y, yNew);
        final double n3 = context.errorNorm(err3, y, yNew);
        final double deno = n5 * n5 + 0.01 * n3 * n3;
        return deno == 0.0 ? 0.0 : n5 * n5 / Math.sqrt(deno);
    }

    @Override
    public void accept(final double t, final double h, final double[] y, final double[] yNew) {
        if (!tableau.fsal()) {
            context.derivatives(t + h, yNew, k[end]);
        }
        tStep = t;
        hStep = h;
        yStep = y;
        yEnd = yNew;
        denseReady = false;
        shiftPending = true;
    }

    @Override
    public void interpolate(final double theta, final double[] out) {
        if (theta == 1.0) {
            System.arraycopy(yEnd, 0, out, 0, n);
            return;
        }
        if (!denseReady) {
            for (int i = end + 1; i < total; i++) {
                combine(yStep, hStep, a[i], i, stage);
                context.derivatives(tStep + c[i] * hStep, stage, k[i]);
            }
            denseReady = true;
        }
        for (int j = 0; j < total; j++) {
            weights[j] = tableau.denseWeight(j, theta);
        }
        combine(yStep, hStep, weights, total, out);
    }

    /** out = y + h * sum_{j < count} w_j k_j (skipping zero weights). */
    private void combine(final double[] y, final double h, final double[] w, final int count, final double[] out) {
        System.arraycopy(y, 0, out, 0, n);
        for (int j = 0; j < count; j++) {
            final double hw = h * w[j];
            if (hw != 0.0) {
                final double[] kj = k[j];
                for (int i = 0; i < n; i++) {
                    out[i] += hw * kj[i];
                }
            }
        }
    }
}
