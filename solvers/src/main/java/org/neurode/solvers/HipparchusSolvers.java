package org.neurode.solvers;

import java.util.ArrayList;
import java.util.List;

import org.hipparchus.ode.ODEIntegrator;
import org.hipparchus.ode.nonstiff.AdamsIntegrator;
import org.hipparchus.ode.nonstiff.ClassicalRungeKuttaIntegrator;
import org.hipparchus.ode.nonstiff.EulerIntegrator;
import org.hipparchus.ode.nonstiff.GillIntegrator;
import org.hipparchus.ode.nonstiff.LutherIntegrator;
import org.hipparchus.ode.nonstiff.MidpointIntegrator;
import org.hipparchus.ode.nonstiff.ThreeEighthesIntegrator;
import org.neurode.core.Problem;

/**
 * Every Hipparchus 4.0 ODE integrator behind the {@link Solver} interface (package-private adapters, as
 * Orekit keeps Hipparchus types out of user code). Each solver is stateless: {@link Solver#start} builds
 * a fresh, mutable Hipparchus integrator that belongs to the new {@link HipparchusSimulation} only.
 *
 * <p>The embedded Runge-Kutta pairs and the Adams methods are subclassed ({@link SafeIntegrators}) so
 * that a step whose error estimate is NaN or infinite is rejected and retried with a smaller step
 * instead of aborting the run, as Hipparchus itself does.
 */
final class HipparchusSolvers {

    /**
     * Number of steps of both Adams methods: a 4-step Adams-Bashforth method has order 4, the
     * 4-step Adams-Moulton corrector order 5. Four steps is Hipparchus' own test setting and a
     * common compromise between order and stability region of explicit multistep methods.
     */
    static final int ADAMS_STEPS = 4;

    private HipparchusSolvers() {
    }

    /** @return one solver per Hipparchus integrator, fixed-step methods first */
    static List<Solver> all() {
        final List<Solver> solvers = new ArrayList<>();
        for (final Method m : Method.values()) {
            solvers.add(new HipparchusSolver(m));
        }
        return List.copyOf(solvers);
    }

    /** What a method needs to build its integrator for one simulation. */
    record Settings(double step, double minStep, double maxStep, double[] absolute, double[] relative,
                    SafeIntegrators.Monitor monitor) {
    }

    /** The Hipparchus integrators: registry data plus a factory of fresh integrators. */
    enum Method {
        /** Forward Euler through Hipparchus: the cross-check and benchmark baseline of neurode's {@code euler}. */
        EULER(new SolverInfo("hipparchus-euler", 1, false, Stiffness.NONSTIFF, false,
                "forward Euler, fixed step, through Hipparchus' EulerIntegrator (Euler 1768); euler is"
                        + " neurode's own, faster, step")) {
            @Override
            ODEIntegrator create(final Settings s) {
                return new EulerIntegrator(s.step());
            }
        },
        /** Explicit midpoint rule. */
        MIDPOINT(new SolverInfo("midpoint", 2, false, Stiffness.NONSTIFF, false,
                "explicit midpoint rule, 2-stage Runge-Kutta, fixed step"
                        + " (Runge 1895; Hairer-Nørsett-Wanner I, II.1)")) {
            @Override
            ODEIntegrator create(final Settings s) {
                return new MidpointIntegrator(s.step());
            }
        },
        /** Classical RK4 through Hipparchus: the cross-check and benchmark baseline of neurode's {@code rk4}. */
        RK4(new SolverInfo("hipparchus-rk4", 4, false, Stiffness.NONSTIFF, false,
                "classical 4th-order Runge-Kutta, fixed step, through Hipparchus' ClassicalRungeKuttaIntegrator"
                        + " (Kutta 1901); rk4 is neurode's own, faster, step")) {
            @Override
            ODEIntegrator create(final Settings s) {
                return new ClassicalRungeKuttaIntegrator(s.step());
            }
        },
        /** Gill's variant of RK4. */
        GILL(new SolverInfo("gill", 4, false, Stiffness.NONSTIFF, false,
                "Gill's 4th-order Runge-Kutta with reduced round-off, fixed step (Gill 1951)")) {
            @Override
            ODEIntegrator create(final Settings s) {
                return new GillIntegrator(s.step());
            }
        },
        /** Kutta's 3/8 rule. */
        THREE_EIGHTHS(new SolverInfo("three-eighths", 4, false, Stiffness.NONSTIFF, false,
                "Kutta's 3/8-rule 4th-order Runge-Kutta, fixed step"
                        + " (Kutta 1901; Hipparchus ThreeEighthesIntegrator)")) {
            @Override
            ODEIntegrator create(final Settings s) {
                return new ThreeEighthesIntegrator(s.step());
            }
        },
        /** Luther's sixth-order method. */
        LUTHER(new SolverInfo("luther", 6, false, Stiffness.NONSTIFF, false,
                "Luther's 7-stage 6th-order Runge-Kutta, fixed step (Luther 1968)")) {
            @Override
            ODEIntegrator create(final Settings s) {
                return new LutherIntegrator(s.step());
            }
        },
        /** Higham and Hall 5(4). */
        HIGHAM_HALL_54(new SolverInfo("higham-hall-54", 5, true, Stiffness.NONSTIFF, false,
                "Higham & Hall 5(4) embedded Runge-Kutta pair with stiffness-friendly error control"
                        + " (Higham & Hall 1990)")) {
            @Override
            ODEIntegrator create(final Settings s) {
                return new SafeIntegrators.HighamHall54(s);
            }
        },
        /** Dormand and Prince 5(4). */
        DORMAND_PRINCE_54(new SolverInfo("dormand-prince-54", 5, true, Stiffness.NONSTIFF, false,
                "Dormand & Prince 5(4) embedded Runge-Kutta pair, FSAL"
                        + " (Dormand & Prince 1980; MATLAB ode45, SciPy RK45)")) {
            @Override
            ODEIntegrator create(final Settings s) {
                return new SafeIntegrators.DormandPrince54(s);
            }
        },
        /** Dormand and Prince 8(5,3). */
        DORMAND_PRINCE_853(new SolverInfo("dormand-prince-853", 8, true, Stiffness.NONSTIFF, false,
                "Dormand & Prince 8(5,3) embedded Runge-Kutta with 7th-order dense output (Prince & Dormand 1981;"
                        + " Hairer-Nørsett-Wanner I, DOP853)")) {
            @Override
            ODEIntegrator create(final Settings s) {
                return new SafeIntegrators.DormandPrince853(s);
            }
        },
        /** Gragg-Bulirsch-Stoer extrapolation. */
        GRAGG_BULIRSCH_STOER(new SolverInfo("gragg-bulirsch-stoer", 18, true, Stiffness.NONSTIFF, false,
                "Gragg-Bulirsch-Stoer extrapolation of the modified midpoint rule, variable order up to 18"
                        + " (Bulirsch & Stoer 1966; Hairer-Nørsett-Wanner I, ODEX)")) {
            @Override
            ODEIntegrator create(final Settings s) {
                return new SafeIntegrators.GraggBulirschStoer(s);
            }
        },
        /** Adams-Bashforth. */
        ADAMS_BASHFORTH(new SolverInfo("adams-bashforth", ADAMS_STEPS, true, Stiffness.NONSTIFF, false,
                ADAMS_STEPS + "-step explicit Adams-Bashforth, variable step in Nordsieck form, DP853 starter"
                        + " (Bashforth & Adams 1883; Nordsieck 1962)")) {
            @Override
            ODEIntegrator create(final Settings s) {
                return withSafeStarter(new SafeIntegrators.AdamsBashforth(ADAMS_STEPS, s), s);
            }
        },
        /** Adams-Moulton. */
        ADAMS_MOULTON(new SolverInfo("adams-moulton", ADAMS_STEPS + 1, true, Stiffness.NONSTIFF, false,
                ADAMS_STEPS + "-step Adams-Bashforth-Moulton predictor-corrector (PECE, not for stiff problems),"
                        + " Nordsieck form, DP853 starter (Moulton 1926; Nordsieck 1962)")) {
            @Override
            ODEIntegrator create(final Settings s) {
                return withSafeStarter(new SafeIntegrators.AdamsMoulton(ADAMS_STEPS, s), s);
            }
        };

        private final SolverInfo info;

        Method(final SolverInfo info) {
            this.info = info;
        }

        /** @return the registry description */
        SolverInfo info() {
            return info;
        }

        /**
         * Creates a new integrator owned by one simulation.
         *
         * @param s step, bounds, tolerances and the monitor of the simulation
         * @return a fresh integrator
         */
        abstract ODEIntegrator create(Settings s);

        private static ODEIntegrator withSafeStarter(final AdamsIntegrator adams, final Settings s) {
            // the default starter is a plain DP853 that would throw on a NaN error estimate
            adams.setStarterIntegrator(new SafeIntegrators.DormandPrince853(s));
            return adams;
        }
    }

    /** A stateless solver: all run state lives in the simulation it starts. */
    static final class HipparchusSolver implements Solver {

        private final Method method;

        HipparchusSolver(final Method method) {
            this.method = method;
        }

        @Override
        public SolverInfo info() {
            return method.info();
        }

        @Override
        public Simulation start(final Problem problem, final SolveOptions options) {
            return new HipparchusSimulation(problem, options, method);
        }

        @Override
        public String toString() {
            return method.info().name();
        }
    }
}
