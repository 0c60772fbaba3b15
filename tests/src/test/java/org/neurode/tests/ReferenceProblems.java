package org.neurode.tests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.neurode.core.Equation;
import org.neurode.solvers.bench.StandardEquations;
import org.neurode.core.Model;
import org.neurode.core.Parameters;
import org.neurode.core.Problem;
import org.neurode.core.StateLayout;

/**
 * Reference initial-value problems as plain {@link Equation}s, with their reference end states read from
 * the test resource {@code /ivp/ivp-reference.csv} (columns problem, t_end, component (1-based), value,
 * source; see {@code /ivp/ivp-problems.md} for the definitions and the sources of every value).
 *
 * <p>DETEST: Hull, Enright, Fellen and Sedgwick 1972 (class C1 as in the original paper, y10' = y9);
 * Arenstorf orbit: Hairer-Nørsett-Wanner I, sec. II.0; Lorenz: sigma 10, rho 28, beta 8/3; HIRES: Test Set
 * for IVP Solvers (Mazzia and Magherini, release 2.4). State variables are named {@code y1..yn}.
 */
final class ReferenceProblems {

    /** Arenstorf's mass ratio. */
    static final double AREN_MU = StandardEquations.ARENSTORF_MU;
    /** Arenstorf's period. */
    static final double AREN_PERIOD = 17.0652165601579625588917206249;

    private static final Table TABLE = load();

    private ReferenceProblems() {
    }

    /**
     * One problem with its reference end state.
     *
     * @param name      row name in the CSV
     * @param problem   the problem (model, initial state, span)
     * @param reference reference state at the end time
     */
    record Reference(String name, Problem problem, double[] reference) {

        /**
         * The error measure of the accuracy tests: \( \max_i |y_i - r_i| / (atol + rtol |r_i|) \), the
         * global error in units of the requested mixed tolerance (Hairer's and the Test Set's weighting, with
         * the reference in place of the solution so that the measure does not depend on the method).
         *
         * @param y    computed end state (not modified)
         * @param rtol relative tolerance
         * @param atol absolute tolerance
         * @return the error in units of the tolerance
         */
        double scaledError(final double[] y, final double rtol, final double atol) {
            double max = 0.0;
            for (int i = 0; i < reference.length; i++) {
                max = Math.max(max, Math.abs(y[i] - reference[i]) / (atol + rtol * Math.abs(reference[i])));
            }
            return max;
        }

        /**
         * @param y computed end state (not modified)
         * @return \( \max_i |y_i - r_i| \)
         */
        double maxError(final double[] y) {
            double max = 0.0;
            for (int i = 0; i < reference.length; i++) {
                max = Math.max(max, Math.abs(y[i] - reference[i]));
            }
            return max;
        }
    }

    /**
     * @param name a problem name: DETEST_A1 .. DETEST_C4, AREN_DBLDATA, LORENZ_100_DBLBETA, HIRES
     * @return the problem with its reference
     */
    static Reference get(final String name) {
        final double[] ref = Objects.requireNonNull(TABLE.values().get(name), name);
        final double tEnd = TABLE.endTimes().get(name);
        final Equation eq = equation(name);
        return new Reference(name, Problem.of(model(name, eq), initial(name), tEnd), ref);
    }

    /** @return the DETEST problems of classes A, B and C */
    static List<String> detest() {
        return List.of("DETEST_A1", "DETEST_A2", "DETEST_A3", "DETEST_A4", "DETEST_A5",
                       "DETEST_B1", "DETEST_B2", "DETEST_B3", "DETEST_B4", "DETEST_B5",
                       "DETEST_C1", "DETEST_C2", "DETEST_C3", "DETEST_C4");
    }

    private static Model model(final String name, final Equation eq) {
        final StateLayout.Builder b = StateLayout.builder();
        for (int i = 1; i <= eq.dimension(); i++) {
            b.scalar("y" + i, "1", 1.0);
        }
        return Model.of(name, b.build(), Parameters.empty(), p -> equation(name), initial(name));
    }

    private static Equation equation(final String name) {
        switch (name) {
            case "DETEST_A1":
                return new Scalar((t, y) -> -y);
            case "DETEST_A2":
                return new Scalar((t, y) -> -0.5 * y * y * y);
            case "DETEST_A3":
                return new Scalar((t, y) -> y * Math.cos(t));
            case "DETEST_A4":
                return new Scalar((t, y) -> 0.25 * y * (1.0 - y / 20.0));
            case "DETEST_A5":
                return new Scalar((t, y) -> (y - t) / (y + t));
            case "DETEST_B1":
                return new DetestB1();
            case "DETEST_B2":
                return new DetestB2();
            case "DETEST_B3":
                return new DetestB3();
            case "DETEST_B4":
                return new DetestB4();
            case "DETEST_B5":
                return new DetestB5();
            case "DETEST_C1":
                return new DetestC1();
            case "DETEST_C2":
                return new DetestC2();
            case "DETEST_C3":
                return StandardEquations.diffusionChain(10);
            case "DETEST_C4":
                return StandardEquations.diffusionChain(51);
            case "AREN_DBLDATA":
            case "AREN_EXACTDATA":
                return StandardEquations.arenstorf();
            case "LORENZ_100":
            case "LORENZ_100_DBLBETA":
                return new Lorenz();
            case "HIRES":
                return new Hires();
            default:
                throw new IllegalArgumentException("no equation for " + name);
        }
    }

    private static double[] initial(final String name) {
        switch (name) {
            case "DETEST_A1":
            case "DETEST_A2":
            case "DETEST_A3":
            case "DETEST_A4":
                return new double[] {1.0};
            case "DETEST_A5":
                return new double[] {4.0};
            case "DETEST_B1":
                return new double[] {1.0, 3.0};
            case "DETEST_B2":
                return new double[] {2.0, 0.0, 1.0};
            case "DETEST_B3":
                return new double[] {1.0, 0.0, 0.0};
            case "DETEST_B4":
                return new double[] {3.0, 0.0, 0.0};
            case "DETEST_B5":
                return new double[] {0.0, 1.0, 1.0};
            case "DETEST_C1":
            case "DETEST_C2":
            case "DETEST_C3":
                return unit(10);
            case "DETEST_C4":
                return unit(51);
            case "AREN_DBLDATA":
            case "AREN_EXACTDATA":
                return new double[] {0.994, 0.0, 0.0, -2.00158510637908252240537862224};
            case "LORENZ_100":
            case "LORENZ_100_DBLBETA":
                return new double[] {1.0, 0.0, 0.0};
            case "HIRES":
                return new double[] {1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0057};
            default:
                throw new IllegalArgumentException("no initial state for " + name);
        }
    }

    private static double[] unit(final int n) {
        final double[] e = new double[n];
        e[0] = 1.0;
        return e;
    }

    /** The CSV: reference state and end time per problem. */
    private record Table(Map<String, double[]> values, Map<String, Double> endTimes) {
    }

    private static Table load() {
        final Map<String, List<double[]>> rows = new LinkedHashMap<>();
        final Map<String, Double> ends = new LinkedHashMap<>();
        final InputStream in = ReferenceProblems.class.getResourceAsStream("/ivp/ivp-reference.csv");
        try (BufferedReader r = new BufferedReader(new InputStreamReader(Objects.requireNonNull(in,
                "/ivp/ivp-reference.csv"), StandardCharsets.UTF_8))) {
            r.readLine();                                              // header
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                // problem, t_end, component, value are plain; only the trailing source is quoted
                final String[] f = line.split(",", 5);
                rows.computeIfAbsent(f[0], k -> new ArrayList<>()).add(new double[] {
                    Double.parseDouble(f[2]), Double.parseDouble(f[3])});
                ends.put(f[0], Double.parseDouble(f[1]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        final Map<String, double[]> values = new LinkedHashMap<>();
        for (final Map.Entry<String, List<double[]>> e : rows.entrySet()) {
            final double[] v = new double[e.getValue().size()];
            for (final double[] row : e.getValue()) {
                v[(int) row[0] - 1] = row[1];
            }
            values.put(e.getKey(), v);
        }
        return new Table(values, ends);
    }

    /** Scalar right-hand side. */
    @FunctionalInterface
    private interface ScalarFunction {
        double value(double t, double y);
    }

    /** A scalar equation. */
    private static final class Scalar implements Equation {
        private final ScalarFunction f;

        Scalar(final ScalarFunction f) {
            this.f = f;
        }

        @Override
        public int dimension() {
            return 1;
        }

        @Override
        public void derivatives(final double t, final double[] y, final double[] dydt) {
            dydt[0] = f.value(t, y[0]);
        }
    }

    /** DETEST B1: Lotka-Volterra. */
    private static final class DetestB1 implements Equation {
        @Override
        public int dimension() {
            return 2;
        }

        @Override
        public void derivatives(final double t, final double[] y, final double[] dydt) {
            dydt[0] = 2.0 * (y[0] - y[0] * y[1]);
            dydt[1] = -(y[1] - y[0] * y[1]);
        }
    }

    /** DETEST B2: linear chain. */
    private static final class DetestB2 implements Equation {
        @Override
        public int dimension() {
            return 3;
        }

        @Override
        public void derivatives(final double t, final double[] y, final double[] dydt) {
            dydt[0] = -y[0] + y[1];
            dydt[1] = y[0] - 2.0 * y[1] + y[2];
            dydt[2] = y[1] - y[2];
        }
    }

    /** DETEST B3: nonlinear chemical reaction. */
    private static final class DetestB3 implements Equation {
        @Override
        public int dimension() {
            return 3;
        }

        @Override
        public void derivatives(final double t, final double[] y, final double[] dydt) {
            dydt[0] = -y[0];
            dydt[1] = y[0] - y[1] * y[1];
            dydt[2] = y[1] * y[1];
        }
    }

    /** DETEST B4: spiral towards a limit cycle. */
    private static final class DetestB4 implements Equation {
        @Override
        public int dimension() {
            return 3;
        }

        @Override
        public void derivatives(final double t, final double[] y, final double[] dydt) {
            final double r = Math.sqrt(y[0] * y[0] + y[1] * y[1]);
            dydt[0] = -y[1] - y[0] * y[2] / r;
            dydt[1] = y[0] - y[1] * y[2] / r;
            dydt[2] = y[0] / r;
        }
    }

    /** DETEST B5: Euler's equations of a rigid body without forces. */
    private static final class DetestB5 implements Equation {
        @Override
        public int dimension() {
            return 3;
        }

        @Override
        public void derivatives(final double t, final double[] y, final double[] dydt) {
            dydt[0] = y[1] * y[2];
            dydt[1] = -y[0] * y[2];
            dydt[2] = -0.51 * y[0] * y[1];
        }
    }

    /** DETEST C1: radioactive decay chain, y10' = y9. */
    private static final class DetestC1 implements Equation {
        @Override
        public int dimension() {
            return 10;
        }

        @Override
        public void derivatives(final double t, final double[] y, final double[] dydt) {
            dydt[0] = -y[0];
            for (int i = 1; i < 9; i++) {
                dydt[i] = y[i - 1] - y[i];
            }
            dydt[9] = y[8];
        }
    }

    /** DETEST C2: decay chain with rates 1..9. */
    private static final class DetestC2 implements Equation {
        @Override
        public int dimension() {
            return 10;
        }

        @Override
        public void derivatives(final double t, final double[] y, final double[] dydt) {
            dydt[0] = -y[0];
            for (int i = 1; i < 9; i++) {
                dydt[i] = i * y[i - 1] - (i + 1) * y[i];
            }
            dydt[9] = 9.0 * y[8];
        }
    }



    /** Lorenz system, sigma 10, rho 28, beta 8/3 (computed in double, as the _DBLBETA reference assumes). */
    private static final class Lorenz implements Equation {
        private static final double BETA = 8.0 / 3.0;

        @Override
        public int dimension() {
            return 3;
        }

        @Override
        public void derivatives(final double t, final double[] y, final double[] dydt) {
            dydt[0] = 10.0 * (y[1] - y[0]);
            dydt[1] = y[0] * (28.0 - y[2]) - y[1];
            dydt[2] = y[0] * y[1] - BETA * y[2];
        }
    }

    /** HIRES: high irradiance responses of photomorphogenesis (Test Set, 8 equations). */
    private static final class Hires implements Equation {
        @Override
        public int dimension() {
            return 8;
        }

        @Override
        public void derivatives(final double t, final double[] y, final double[] dydt) {
            dydt[0] = -1.71 * y[0] + 0.43 * y[1] + 8.32 * y[2] + 0.0007;
            dydt[1] = 1.71 * y[0] - 8.75 * y[1];
            dydt[2] = -10.03 * y[2] + 0.43 * y[3] + 0.035 * y[4];
            dydt[3] = 8.32 * y[1] + 1.71 * y[2] - 1.12 * y[3];
            dydt[4] = -1.745 * y[4] + 0.43 * y[5] + 0.43 * y[6];
            dydt[5] = -280.0 * y[5] * y[7] + 0.69 * y[3] + 1.71 * y[4] - 0.43 * y[5] + 0.69 * y[6];
            dydt[6] = 280.0 * y[5] * y[7] - 1.81 * y[6];
            dydt[7] = -dydt[6];
        }
    }
}
