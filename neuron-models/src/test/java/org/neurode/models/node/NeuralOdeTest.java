package org.neurode.models.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurode.core.OdeException;
import org.neurode.models.learn.GradientCheck;
import org.neurode.models.learn.Losses;
import org.neurode.models.learn.ParameterVector;
import org.neurode.models.node.NeuralOde.GradientMethod;
import org.neurode.models.node.NeuralOde.Integration;
import org.neurode.solvers.SolveOptions;
import org.neurode.solvers.Solvers;

/**
 * Gradients of a trajectory loss by backpropagation through the Runge-Kutta steps and by the continuous adjoint,
 * against finite differences and against each other; the model under registered solvers; save and load.
 *
 * <p>Setting: torchdiffeq's spiral field (Linear(2,50)-tanh-Linear(50,2) on z^3, 252 parameters, seeded), from
 * (2, 0) over seven irregular observation times in [0, 0.5] (about 1/8 of a turn), MSE against a fixed target
 * curve (smooth, so finite differences apply everywhere).
 */
class NeuralOdeTest {

    private static final long SEED = 7L;
    private static final double[] TIMES = {0.0, 0.03, 0.1, 0.22, 0.3, 0.41, 0.5};
    private static final double[] Z0 = {2.0, 0.0};
    private static final Integration RK4 = Integration.fixed("rk4", 0.01);
    private static final Integration TIGHT = Integration.adaptive("dop853", 1e-12, 1e-12);

    private static double[][] targets() {
        final double[][] t = new double[TIMES.length][2];
        for (int k = 0; k < TIMES.length; k++) {
            t[k][0] = 2.0 * Math.cos(3 * TIMES[k]) - 0.1;
            t[k][1] = -2.0 * Math.sin(3 * TIMES[k]) + 0.05;
        }
        return t;
    }

    private static double loss(final NeuralOde ode, final Integration integration, final double[] z0) {
        final double[][] out = new double[TIMES.length][2];
        ode.sensitivity(GradientMethod.BACKPROP, integration).forward(z0, TIMES, out);
        return Losses.meanSquaredError(out, targets(), null);
    }

    /** dL/dtheta (returned) and dL/dz0 (written) by one method. */
    private static double[] gradient(final NeuralOde ode, final GradientMethod method,
                                     final Integration integration, final double[] z0Gradient) {
        final ParameterVector p = ode.parameters();
        p.zeroGradient();
        final NeuralOde.Sensitivity s = ode.sensitivity(method, integration);
        final double[][] out = new double[TIMES.length][2];
        s.forward(Z0, TIMES, out);
        final double[][] g = new double[TIMES.length][2];
        Losses.meanSquaredError(out, targets(), g);
        s.backward(g, z0Gradient);
        return p.gradient().clone();
    }

    /**
     * Five-point central differences (h = 1e-3) of every parameter: truncation h^4 L^(5)/30 ~ 1e-13 and rounding
     * ~1e-16 / 1e-3 = 1e-13, against ~1e-10 rounding of GradientCheck's two-point h = 1e-6, so that components
     * down to 1e-6 of the largest can be held to 1e-6 relative.
     */
    private static double[] fivePoint(final NeuralOde ode, final Integration integration) {
        final double[] v = ode.parameters().values();
        final double[] d = new double[v.length];
        final double h = 1e-3;
        for (int k = 0; k < v.length; k++) {
            final double x = v[k];
            v[k] = x + 2 * h;
            final double f2 = loss(ode, integration, Z0);
            v[k] = x + h;
            final double f1 = loss(ode, integration, Z0);
            v[k] = x - h;
            final double m1 = loss(ode, integration, Z0);
            v[k] = x - 2 * h;
            final double m2 = loss(ode, integration, Z0);
            v[k] = x;
            d[k] = (-f2 + 8 * f1 - 8 * m1 + m2) / (12 * h);
        }
        return d;
    }

    /** max_i |g_i - d_i| / max(|g_i|, |d_i|, floor * max_j |g_j|). */
    private static double relativeError(final double[] g, final double[] d, final double floor) {
        double gmax = 0.0;
        for (final double x : g) {
            gmax = Math.max(gmax, Math.abs(x));
        }
        double worst = 0.0;
        for (int k = 0; k < g.length; k++) {
            worst = Math.max(worst, Math.abs(g[k] - d[k])
                    / Math.max(floor * gmax, Math.max(Math.abs(g[k]), Math.abs(d[k]))));
        }
        return worst;
    }

    private static double z0Error(final NeuralOde ode, final Integration integration, final double[] dz0) {
        double worst = 0.0;
        for (int i = 0; i < 2; i++) {
            final double h = 1e-6;
            final double[] up = Z0.clone();
            up[i] += h;
            final double[] down = Z0.clone();
            down[i] -= h;
            final double fd = (loss(ode, integration, up) - loss(ode, integration, down)) / (2 * h);
            worst = Math.max(worst, Math.abs(fd - dz0[i]) / Math.abs(fd));
        }
        return worst;
    }

    @Test
    void backpropThroughRk4MatchesFiniteDifferencesOfTheDiscreteLoss() {
        // GIVEN the spiral model and the discrete loss of fixed-step RK4 (h = 0.01, 50 steps)
        final NeuralOde ode = NeuralOde.spiral(new Random(SEED));
        final double[] dz0 = new double[2];
        // WHEN reverse mode runs through the 200 stages
        final double[] g = gradient(ode, GradientMethod.BACKPROP, RK4, dz0);
        // THEN it is the derivative of that discrete loss: five-point differences agree to 1e-6 relative for
        // every one of the 252 parameters (floor 1e-5 of the largest component; measured ~1e-7, the worst entry
        // being a component of 1e-8 absolute where the differences' own 5e-13 noise shows)
        final double err = relativeError(g, fivePoint(ode, RK4), 1e-5);
        assertTrue(err < 1e-6, "backprop vs five-point differences: " + err);
        // AND GradientCheck's two-point differences (h = 1e-6, noise ~1e-10 absolute) agree to 1e-5 on
        // components above 1e-3 of the largest (measured 6e-7)
        final double coarse = GradientCheck.maxRelativeError(ode.parameters(), g, () -> loss(ode, RK4, Z0), 1,
                                                             1e-3 * maxAbs(g));
        assertTrue(coarse < 1e-5, "backprop vs GradientCheck: " + coarse);
        // AND dL/dz0 agrees with central differences to 1e-8 (measured 1e-10)
        final double ez = z0Error(ode, RK4, dz0);
        assertTrue(ez < 1e-8, "dL/dz0 relative error " + ez);
    }

    @Test
    void backpropThroughAdaptiveDop853MatchesFiniteDifferencesAtTightTolerance() {
        // GIVEN DOP853 at rtol = atol = 1e-12: the steps are frozen in reverse mode, while finite differences also
        // see the step sizes move with theta; at this tolerance both are within 1e-10 of the exact gradient
        final NeuralOde ode = NeuralOde.spiral(new Random(SEED));
        final double[] dz0 = new double[2];
        // WHEN reverse mode runs through the accepted steps
        final double[] g = gradient(ode, GradientMethod.BACKPROP, TIGHT, dz0);
        // THEN every component agrees to 1e-6 relative (floor 1e-5 of the largest; measured ~1e-7)
        final double err = relativeError(g, fivePoint(ode, TIGHT), 1e-5);
        assertTrue(err < 1e-6, "backprop (dop853) vs differences: " + err);
        assertTrue(z0Error(ode, TIGHT, dz0) < 1e-8, "dL/dz0");
    }

    @Test
    void continuousAdjointMatchesFiniteDifferencesOfTheTightToleranceLoss() {
        // GIVEN the interpolating adjoint with DOP853 at 1e-12 forward and backward (seminorm), whose forward
        // dense output is DOP853's 7th-order continuous extension
        final NeuralOde ode = NeuralOde.spiral(new Random(SEED));
        final double[] dz0 = new double[2];
        // WHEN the adjoint and the parameter quadrature are integrated backwards with the jumps
        final double[] g = gradient(ode, GradientMethod.ADJOINT, TIGHT, dz0);
        // THEN it matches the five-point differences of the same tight-tolerance loss to 1e-6 relative on every
        // component (floor 1e-5 of the largest; measured ~1e-7, limited by the differences, not by the adjoint)
        final double err = relativeError(g, fivePoint(ode, TIGHT), 1e-5);
        assertTrue(err < 1e-6, "adjoint vs differences: " + err);
        // AND dL/dz0 = a(t0) agrees to 1e-8 (measured 2e-10)
        final double ez = z0Error(ode, TIGHT, dz0);
        assertTrue(ez < 1e-8, "adjoint dL/dz0 relative error " + ez);
    }

    @Test
    void adjointAndBackpropAgreeAtTightToleranceAndDifferAtLooseOnes() {
        // GIVEN both methods with DOP853 at 1e-12, with the full (non-seminorm) adjoint error norm as well
        final NeuralOde ode = NeuralOde.spiral(new Random(SEED));
        final double[] zb = new double[2];
        final double[] za = new double[2];
        final double[] backprop = gradient(ode, GradientMethod.BACKPROP, TIGHT, zb);
        final double[] adjoint = gradient(ode, GradientMethod.ADJOINT, TIGHT, za);
        final double[] full = gradient(ode, GradientMethod.ADJOINT, TIGHT.withSeminorm(false), new double[2]);
        // THEN the two gradients agree componentwise to 1e-8 (floor 1e-6 of the largest) and dL/dz0 to 1e-9:
        // both approximate the exact gradient to about the tolerance
        final double agree = relativeError(adjoint, backprop, 1e-6);
        assertTrue(agree < 1e-8, "adjoint vs backprop at 1e-12: " + agree);
        assertArrayEquals(zb, za, 1e-9 * maxAbs(zb));
        assertTrue(relativeError(full, backprop, 1e-6) < 1e-8, "full-norm adjoint vs backprop");
        // AND with coarse fixed RK4 steps (h = 0.1: one step per interval) on a faster field (weights of std 0.5
        // instead of 0.1) they differ measurably: backprop is the exact gradient of the discrete loss, the adjoint
        // approximates the continuous one with a third-order dense output, so the comparison above can fail
        final NeuralOde fast = NeuralOde.spiral(new Random(SEED));
        fast.field().initialize(new Random(SEED), 0.5, 0.0);
        final Integration loose = Integration.fixed("rk4", 0.1);
        final double looseAgree = relativeError(gradient(fast, GradientMethod.ADJOINT, loose, null),
                                                gradient(fast, GradientMethod.BACKPROP, loose, null), 1e-6);
        assertTrue(looseAgree > 1e-6, "loose tolerances should separate the methods: " + looseAgree);
    }

    @Test
    void registeredSolversIntegrateTheModelLikeTheTrainingIntegrator() {
        // GIVEN the model as an ode-core Model
        final NeuralOde ode = NeuralOde.spiral(new Random(SEED));
        final double[][] own = new double[TIMES.length][2];
        final double[][] viaRegistry = new double[TIMES.length][2];
        // WHEN the registry's dop853 at 1e-12 (dense output between steps) and the training integrator
        // (observation times as step points) predict the same times
        ode.sensitivity(GradientMethod.BACKPROP, TIGHT).forward(Z0, TIMES, own);
        ode.predict(Solvers.get("dop853"), SolveOptions.tolerances(1e-12, 1e-12), Z0, TIMES, viaRegistry);
        // THEN they agree to 1e-9 (both are within ~1e-11 of the exact flow; the dense output is 7th order)
        for (int k = 0; k < TIMES.length; k++) {
            assertArrayEquals(own[k], viaRegistry[k], 1e-9, "t = " + TIMES[k]);
        }
        // AND the registry's rk4 (neurode's own classical Runge-Kutta) with the same step matches the training rk4
        // to rounding (1e-12)
        final double[] grid = new double[51];
        for (int k = 0; k < grid.length; k++) {
            grid[k] = 0.01 * k;
        }
        final double[][] a = new double[grid.length][2];
        final double[][] b = new double[grid.length][2];
        ode.sensitivity(GradientMethod.BACKPROP, RK4).forward(Z0, grid, a);
        ode.predict(Solvers.get("rk4"), SolveOptions.fixedStep(0.01), Z0, grid, b);
        assertArrayEquals(a[grid.length - 1], b[grid.length - 1], 1e-12);
    }

    @Test
    void forwardAndBackwardAllocateNothingOnceTheTapeHasGrown() {
        // GIVEN both workspaces after one pass (the tape is sized by the first trajectory)
        final NeuralOde ode = NeuralOde.spiral(new Random(SEED));
        final double[][] out = new double[TIMES.length][2];
        final double[][] g = new double[TIMES.length][2];
        final double[] dz0 = new double[2];
        final double[][] targets = targets();
        for (final GradientMethod m : GradientMethod.values()) {
            final NeuralOde.Sensitivity s = ode.sensitivity(m, Integration.adaptive("tsit5", 1e-6, 1e-6));
            for (int k = 0; k < 200; k++) {
                s.forward(Z0, TIMES, out);
                Losses.meanSquaredError(out, targets, g);
                s.backward(g, dz0);
            }
            // WHEN 200 more forward and backward passes run
            final long before = allocatedBytes();
            for (int k = 0; k < 200; k++) {
                s.forward(Z0, TIMES, out);
                Losses.meanSquaredError(out, targets, g);
                s.backward(g, dz0);
            }
            final long bytes = allocatedBytes() - before;
            // THEN they allocate nothing (slack for the measurement)
            assertTrue(bytes < 1024, m + " allocated " + bytes + " bytes");
        }
    }

    @Test
    void savedModelLoadsBitIdentical(@TempDir final Path dir) {
        // GIVEN a model with gradient-updated parameters (not only the initial draws)
        final NeuralOde ode = NeuralOde.spiral(new Random(SEED));
        gradient(ode, GradientMethod.BACKPROP, RK4, null);
        final double[] v = ode.parameters().values();
        for (int k = 0; k < v.length; k++) {
            v[k] -= 1e-3 * ode.parameters().gradient()[k] / 3.0;
        }
        // WHEN it is saved and loaded
        final Path file = dir.resolve("model.json");
        ode.save(file);
        final NeuralOde back = NeuralOde.load(file);
        // THEN the parameters and the predicted trajectory are bit-identical
        assertArrayEquals(v, back.parameters().values(), 0.0);
        assertEquals(NeuralOde.InputTransform.CUBE, back.transform());
        final double[][] a = new double[TIMES.length][2];
        final double[][] b = new double[TIMES.length][2];
        ode.sensitivity(GradientMethod.BACKPROP, TIGHT).forward(Z0, TIMES, a);
        back.sensitivity(GradientMethod.BACKPROP, TIGHT).forward(Z0, TIMES, b);
        for (int k = 0; k < TIMES.length; k++) {
            assertArrayEquals(a[k], b[k], 0.0);
        }
    }

    @Test
    void rejectsBadTimesAndUnknownMethods() {
        // GIVEN / WHEN / THEN non-increasing times, an adaptive rk4 and an unknown tableau are refused
        final NeuralOde ode = NeuralOde.spiral(new Random(SEED));
        final NeuralOde.Sensitivity s = ode.sensitivity(GradientMethod.ADJOINT, RK4);
        assertThrows(OdeException.class, () -> s.forward(Z0, new double[] {0.0, 0.2, 0.2}, new double[3][2]));
        assertThrows(IllegalStateException.class, () -> s.backward(new double[2][2], null));
        assertThrows(IllegalArgumentException.class, () -> Integration.adaptive("rk4", 1e-6, 1e-6));
        assertThrows(IllegalArgumentException.class, () -> Integration.fixed("rk5", 0.1));
    }

    private static double maxAbs(final double[] g) {
        double m = 0.0;
        for (final double x : g) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getThreadAllocatedBytes(Thread.currentThread().getId());
    }
}
