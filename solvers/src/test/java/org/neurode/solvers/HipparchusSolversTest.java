package org.neurode.solvers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.hipparchus.exception.MathIllegalStateException;
import org.hipparchus.ode.ODEState;
import org.hipparchus.ode.OrdinaryDifferentialEquation;
import org.hipparchus.ode.nonstiff.DormandPrince853Integrator;
import org.junit.jupiter.api.Test;
import org.neurode.core.Equation;
import org.neurode.core.ErrorCode;
import org.neurode.core.Model;
import org.neurode.core.NoiseTerm;
import org.neurode.core.OdeException;
import org.neurode.core.Parameters;
import org.neurode.core.Problem;
import org.neurode.core.StateLayout;
import org.neurode.core.Status;
import org.neurode.core.Trajectory;

/** The Hipparchus solvers in the registry: their descriptions, input validation and failure reports. */
class HipparchusSolversTest {

    /** Registry name to true order (Adams with {@link HipparchusSolvers#ADAMS_STEPS} = 4 steps). */
    private static final Map<String, Integer> ORDERS = new LinkedHashMap<>();

    static {
        ORDERS.put("hipparchus-euler", 1);
        ORDERS.put("midpoint", 2);
        ORDERS.put("hipparchus-rk4", 4);
        ORDERS.put("gill", 4);
        ORDERS.put("three-eighths", 4);
        ORDERS.put("luther", 6);
        ORDERS.put("higham-hall-54", 5);
        ORDERS.put("dormand-prince-54", 5);
        ORDERS.put("dormand-prince-853", 8);
        ORDERS.put("gragg-bulirsch-stoer", 18);
        ORDERS.put("adams-bashforth", 4);
        ORDERS.put("adams-moulton", 5);
    }

    /** One variable {@code u} with \( u' = 1 \) while \( u \le 1 \) and a NaN derivative beyond. */
    private static final class NanBeyondOne implements Equation {
        @Override
        public int dimension() {
            return 1;
        }

        @Override
        public void derivatives(final double t, final double[] y, final double[] dydt) {
            dydt[0] = y[0] > 1.0 ? Double.NaN : 1.0;
        }
    }

    /** Van der Pol, \( x'' = \mu (1 - x^2) x' - x \), as a first-order system (x, v). */
    private static final class VanDerPol implements Equation {
        private final double mu;

        VanDerPol(final double mu) {
            this.mu = mu;
        }

        @Override
        public int dimension() {
            return 2;
        }

        @Override
        public void derivatives(final double t, final double[] y, final double[] dydt) {
            dydt[0] = y[1];
            dydt[1] = mu * (1.0 - y[0] * y[0]) * y[1] - y[0];
        }
    }

    private static Model nanBeyondOne() {
        return Model.of("nan-beyond-one", StateLayout.builder().scalar("u", "1", 1.0).build(), Parameters.empty(),
                        p -> new NanBeyondOne(), new double[] {0.0});
    }

    private static Model vanDerPol(final double mu) {
        return Model.of("vdp", StateLayout.builder().scalar("x", "1", 1.0).scalar("v", "1", 1.0).build(),
                        Parameters.empty(), p -> new VanDerPol(mu), new double[] {2.0, 0.0});
    }

    private static Stream<Solver> hipparchusSolvers() {
        return Solvers.all().stream().filter(s -> ORDERS.containsKey(s.name()));
    }

    /** The number printed after {@code prefix} in {@code message}. */
    private static double numberAfter(final String message, final String prefix) {
        final int start = message.indexOf(prefix);
        assertTrue(start >= 0, message);
        int end = start + prefix.length();
        while (end < message.length() && "0123456789.E-".indexOf(message.charAt(end)) >= 0) {
            end++;
        }
        return Double.parseDouble(message.substring(start + prefix.length(), end));
    }

    @Test
    void everyHipparchusIntegratorIsRegisteredWithItsTrueOrder() {
        // GIVEN the registry
        final List<String> names = Solvers.names();
        // WHEN looking up the twelve Hipparchus methods
        for (final Map.Entry<String, Integer> e : ORDERS.entrySet()) {
            final SolverInfo info = Solvers.get(e.getKey()).info();
            // THEN each is there with its order, its step control and a one-line description citing a year
            assertTrue(names.contains(e.getKey()), e.getKey());
            assertEquals(e.getKey(), info.name());
            assertEquals(e.getValue(), info.order(), e.getKey());
            final boolean adaptive = !List.of("hipparchus-euler", "midpoint", "hipparchus-rk4", "gill",
                    "three-eighths", "luther").contains(e.getKey());
            assertEquals(adaptive, info.adaptive(), e.getKey());
            assertEquals(Stiffness.NONSTIFF, info.stiffness(), e.getKey());
            assertFalse(info.stochastic(), e.getKey());
            final String description = info.description();
            assertTrue(description.matches(".*\\(.*(1[6-9]|20)\\d\\d.*\\).*") && !description.contains("\n"),
                       description);
        }
        // AND no other Hipparchus adapter exists (neurode's own methods are registered besides them)
        assertEquals(ORDERS.size(), HipparchusSolvers.all().size(), names.toString());
    }

    @Test
    void publicSignaturesExposeNoHipparchusType() throws IOException, URISyntaxException, ClassNotFoundException {
        // GIVEN every class compiled into the solvers module
        final Path root = Path.of(Solvers.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        final List<String> classes = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(p -> p.toString().endsWith(".class")).forEach(p -> classes.add(root.relativize(p)
                    .toString().replace(File.separatorChar, '.').replaceAll("\\.class$", "")));
        }
        assertTrue(classes.size() > 10, classes.toString());
        // WHEN reading the signatures of public types and their public and protected members
        final List<String> leaks = new ArrayList<>();
        for (final String name : classes) {
            final Class<?> c = Class.forName(name, false, Solvers.class.getClassLoader());
            if (!Modifier.isPublic(c.getModifiers())) {
                continue;
            }
            final List<String> signatures = new ArrayList<>();
            signatures.add(String.valueOf(c.getGenericSuperclass()));
            for (final Type i : c.getGenericInterfaces()) {
                signatures.add(i.getTypeName());
            }
            for (final Method m : c.getDeclaredMethods()) {
                if (Modifier.isPublic(m.getModifiers()) || Modifier.isProtected(m.getModifiers())) {
                    signatures.add(m.toGenericString());
                }
            }
            for (final Constructor<?> k : c.getDeclaredConstructors()) {
                if (Modifier.isPublic(k.getModifiers()) || Modifier.isProtected(k.getModifiers())) {
                    signatures.add(k.toGenericString());
                }
            }
            for (final Field f : c.getDeclaredFields()) {
                if (Modifier.isPublic(f.getModifiers()) || Modifier.isProtected(f.getModifiers())) {
                    signatures.add(f.toGenericString());
                }
            }
            signatures.stream().filter(s -> s.contains("org.hipparchus")).forEach(leaks::add);
        }
        // THEN no Hipparchus type appears (the adapters are package-private)
        assertTrue(leaks.isEmpty(), leaks.toString());
        assertFalse(Modifier.isPublic(HipparchusSimulation.class.getModifiers()));
        assertFalse(Modifier.isPublic(SafeIntegrators.class.getModifiers()));
    }

    @Test
    void unknownSolverNameListsTheValidNames() {
        // GIVEN a misspelt name
        // WHEN looking it up
        final OdeException e = assertThrows(OdeException.class, () -> Solvers.get("dopri853"));
        // THEN the message names it and lists every registered solver
        assertEquals(ErrorCode.UNKNOWN_SOLVER, e.code());
        assertTrue(e.getMessage().contains("unknown solver 'dopri853'"), e.getMessage());
        for (final String name : Solvers.names()) {
            assertTrue(e.getMessage().contains(name), name + " missing in: " + e.getMessage());
        }
        // and lookups ignore case and surrounding blanks
        assertEquals("dormand-prince-853", Solvers.get(" Dormand-Prince-853 ").name());
    }

    @Test
    void fixedStepMethodsDemandAPositiveStep() {
        // GIVEN default options, which have no step
        final Problem problem = Problem.of(vanDerPol(1.0), 1.0);
        for (final String name : List.of("euler", "midpoint", "rk4", "gill", "three-eighths", "luther",
                                         "hipparchus-euler", "hipparchus-rk4")) {
            // WHEN a fixed-step method starts
            final OdeException e = assertThrows(OdeException.class,
                    () -> Solvers.get(name).start(problem, SolveOptions.defaults()));
            // THEN it asks for a positive step by name
            assertTrue(e.getMessage().contains("solver '" + name + "' is a fixed-step method")
                       && e.getMessage().contains("positive step size"), e.getMessage());
        }
        // and zero or negative steps are refused where they are given, with their value
        final OdeException zero = assertThrows(OdeException.class, () -> SolveOptions.defaults().withStep(0.0));
        assertTrue(zero.getMessage().contains("step must be positive but is 0"), zero.getMessage());
        final OdeException negative = assertThrows(OdeException.class, () -> SolveOptions.fixedStep(-0.5));
        assertTrue(negative.getMessage().contains("step must be positive but is -0.5"), negative.getMessage());
    }

    @Test
    void nanOrNegativeTolerancesAreRefusedWithTheirName() {
        // GIVEN / WHEN scalar and vector tolerances that are not numbers or negative
        final OdeException nanRel = assertThrows(OdeException.class, () -> Tolerances.of(Double.NaN, 1e-6));
        final OdeException nanAbs = assertThrows(OdeException.class, () -> Tolerances.of(1e-6, Double.NaN));
        final OdeException negAbs = assertThrows(OdeException.class, () -> Tolerances.of(1e-6, -1.0));
        final OdeException negRel = assertThrows(OdeException.class,
                () -> Tolerances.of(new double[] {1e-6, 1e-6}, new double[] {1e-6, -1.0}));
        final OdeException fromScales = assertThrows(OdeException.class, () -> Tolerances.fromScales(-1e-6));
        // THEN each message names the tolerance and what is wrong with it
        assertTrue(nanRel.getMessage().contains("relative tolerance must be a finite number but is NaN"),
                   nanRel.getMessage());
        assertTrue(nanAbs.getMessage().contains("absolute tolerance must be a finite number but is NaN"),
                   nanAbs.getMessage());
        assertTrue(negAbs.getMessage().contains("absolute tolerance must be positive but is -1"), negAbs.getMessage());
        assertTrue(negRel.getMessage().contains("relative tolerance [1] must not be negative but is -1"),
                   negRel.getMessage());
        assertTrue(fromScales.getMessage().contains("relative tolerance must be positive"), fromScales.getMessage());
        // and a tolerance vector of the wrong length is refused when a solver starts
        final Problem problem = Problem.of(vanDerPol(1.0), 1.0);
        final SolveOptions wrongLength = SolveOptions.defaults().withTolerances(
                Tolerances.of(new double[] {1e-6, 1e-6, 1e-6}, new double[] {1e-6, 1e-6, 1e-6}));
        final OdeException length = assertThrows(OdeException.class,
                () -> Solvers.get("dormand-prince-54").start(problem, wrongLength));
        assertTrue(length.getMessage().contains("tolerance vector has dimension 3 but 2 was expected"),
                   length.getMessage());
    }

    @Test
    void initialStateOfTheWrongDimensionIsRefused() {
        // GIVEN a two-variable model
        final Model vdp = vanDerPol(1.0);
        // WHEN given a three-element initial state, or a running simulation a three-element state
        final OdeException atProblem = assertThrows(OdeException.class,
                () -> Problem.of(vdp, new double[] {1.0, 2.0, 3.0}, 1.0));
        final Simulation sim = Solvers.get("dormand-prince-853").start(Problem.of(vdp, 1.0), SolveOptions.defaults());
        final OdeException atSimulation = assertThrows(OdeException.class,
                () -> sim.setState(new double[] {1.0, 2.0, 3.0}));
        // THEN both messages give the expected and the actual dimension
        assertTrue(atProblem.getMessage().contains("initial state has dimension 3 but 2 was expected"),
                   atProblem.getMessage());
        assertTrue(atSimulation.getMessage().contains("state has dimension 3 but 2 was expected"),
                   atSimulation.getMessage());
    }

    @Test
    void noisyModelsAreRefusedByDeterministicMethods() {
        // GIVEN a model with white noise on x
        final Model noisy = vanDerPol(1.0).withNoise(new NoiseTerm("x", 0.1));
        // WHEN a Hipparchus method starts on it
        final OdeException e = assertThrows(OdeException.class,
                () -> Solvers.get("dormand-prince-54").start(Problem.of(noisy, 1.0), SolveOptions.defaults()));
        // THEN it says why and what to use instead
        assertEquals(ErrorCode.UNSUPPORTED, e.code());
        assertTrue(e.getMessage().contains("white noise on 'x'") && e.getMessage().contains("euler-maruyama"),
                   e.getMessage());
    }

    @Test
    void adaptiveMethodsRetryNanStepsAndNameTheVariableWhenTheStepUnderflows() {
        hipparchusSolvers().filter(s -> s.info().adaptive()).forEach(solver -> {
            // GIVEN u' = 1 from u = 0, with a NaN derivative once u > 1 (reached at t = 1)
            final Problem problem = Problem.of(nanBeyondOne(), 2.0);
            // WHEN solved with default options (minimum step 1e-12)
            final OdeException e = assertThrows(OdeException.class,
                    () -> solver.solve(problem, SolveOptions.tolerances(1e-6, 1e-6)));
            // THEN NaN steps were rejected and retried until the step underflowed just before t = 1, and the
            // message names u, the trial time and the step
            assertEquals(ErrorCode.STEP_SIZE_UNDERFLOW, e.code(), e.getMessage());
            assertTrue(e.getMessage().contains("the derivative of u was NaN at t = "), e.getMessage());
            assertEquals(1.0, numberAfter(e.getMessage(), "the derivative of u was NaN at t = "), 1e-9,
                         e.getMessage());
            assertEquals(1.0, numberAfter(e.getMessage(), "step size underflow at t = "), 1e-9, e.getMessage());
            assertTrue(numberAfter(e.getMessage(), "(step ") < 1e-12, e.getMessage());
        });
    }

    @Test
    void fixedStepMethodsNameTheVariableThatBecameNan() {
        hipparchusSolvers().filter(s -> !s.info().adaptive()).forEach(solver -> {
            // GIVEN the same problem and a step of 0.1: the first step whose stages reach u > 1 ends at t = 1.1
            // (Euler evaluates only at the step start, so its first NaN state is at t = 1.2)
            final Problem problem = Problem.of(nanBeyondOne(), 2.0);
            // WHEN solved
            final OdeException e = assertThrows(OdeException.class,
                    () -> solver.solve(problem, SolveOptions.fixedStep(0.1)));
            // THEN the message names u and the time it became NaN
            assertEquals(ErrorCode.NON_FINITE_STATE, e.code(), e.getMessage());
            final String when = solver.name().equals("hipparchus-euler") ? "1.2" : "1.1";
            assertTrue(e.getMessage().contains("u became NaN at t = " + when), e.getMessage());
        });
    }

    @Test
    void withoutFailFastANanRunEndsWithStatusFailedAndTheMessage() {
        // GIVEN the NaN problem and fail-fast off
        final Problem problem = Problem.of(nanBeyondOne(), 2.0);
        final SolveOptions options = SolveOptions.tolerances(1e-6, 1e-6).withFailFast(false);
        for (final String name : List.of("dormand-prince-853", "gragg-bulirsch-stoer", "adams-moulton")) {
            // WHEN solved
            final Trajectory tr = Solvers.get(name).solve(problem, options);
            // THEN the trajectory ends at the last good state with status FAILED and the reason
            assertEquals(Status.FAILED, tr.status(), name);
            assertTrue(tr.message().contains("the derivative of u was NaN"), tr.message());
            assertEquals(1.0, tr.finalTime(), 1e-9, name);
            assertEquals(tr.finalTime(), tr.finalState()[0], 1e-9, name);
            assertTrue(tr.statistics().rejectedSteps() > 10, name + " " + tr.statistics());
        }
    }

    @Test
    void vanDerPolMu1000NoLongerAbortsOnANanErrorEstimate() {
        // GIVEN Van der Pol with mu = 1000 from (2, 0), which plain Hipparchus DP853 cannot integrate at
        // rtol = atol = 1e-6: an overflowing trial step gives a NaN error estimate and it throws
        final Problem problem = Problem.of(vanDerPol(1000.0), 1.0);
        final OrdinaryDifferentialEquation raw = new OrdinaryDifferentialEquation() {
            @Override
            public int getDimension() {
                return 2;
            }

            @Override
            public double[] computeDerivatives(final double t, final double[] y) {
                final double[] dydt = new double[2];
                new VanDerPol(1000.0).derivatives(t, y, dydt);
                return dydt;
            }
        };
        final MathIllegalStateException plain = assertThrows(MathIllegalStateException.class,
                () -> new DormandPrince853Integrator(1e-12, Double.POSITIVE_INFINITY, 1e-6, 1e-6)
                        .integrate(raw, new ODEState(0.0, new double[] {2.0, 0.0}), 1.0));
        assertTrue(plain.getMessage().contains("NaN"), plain.getMessage());
        // WHEN neurode's dormand-prince-853 solves it with the same tolerances
        final Trajectory tr = Solvers.get("dormand-prince-853").solve(problem, SolveOptions.tolerances(1e-6, 1e-6));
        // THEN the NaN steps were rejected and retried, and x(1) follows the slow manifold
        // ln x - x^2/2 = ln 2 - 2 + t/mu (first order in 1/mu, so good to about 1e-6 here)
        assertEquals(Status.SUCCESS, tr.status());
        assertTrue(tr.statistics().rejectedSteps() > 0, tr.statistics().toString());
        final double x = tr.finalState()[0];
        assertEquals(Math.log(2.0) - 2.0 + 1.0 / 1000.0, Math.log(x) - x * x / 2, 1e-5, "x(1) = " + x);
    }

    @Test
    void aSolverIsStatelessAndSafeToShareBetweenThreads() throws InterruptedException, ExecutionException {
        // GIVEN one solver instance and a problem
        final Solver solver = Solvers.get("dormand-prince-853");
        final Problem problem = Problem.of(vanDerPol(5.0), 20.0);
        final double[] expected = solver.solve(problem, SolveOptions.tolerances(1e-9, 1e-9)).finalState();
        // WHEN four threads solve it at the same time, twice each
        final ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            final List<Future<double[]>> results = new ArrayList<>();
            for (int k = 0; k < 8; k++) {
                results.add(pool.submit(() -> solver.solve(problem, SolveOptions.tolerances(1e-9, 1e-9)).finalState()));
            }
            // THEN every run gives the same bits
            for (final Future<double[]> f : results) {
                assertArrayEquals(expected, f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void issue2_aSimulationOverwroteItsProblemsInitialState() {
        // GIVEN a problem solved once
        final Problem problem = Problem.of(vanDerPol(1.0), 5.0);
        final Solver solver = Solvers.get("dormand-prince-54");
        final double[] first = solver.solve(problem, SolveOptions.tolerances(1e-8, 1e-8)).finalState();
        // WHEN solved again
        final double[] second = solver.solve(problem, SolveOptions.tolerances(1e-8, 1e-8)).finalState();
        // THEN it starts from the same initial state (the simulation used to integrate in the problem's array)
        assertArrayEquals(new double[] {2.0, 0.0}, problem.initial());
        assertArrayEquals(first, second);
    }
}
