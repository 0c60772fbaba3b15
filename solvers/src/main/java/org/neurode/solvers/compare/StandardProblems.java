package org.neurode.solvers.compare;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;
import org.neurode.solvers.bench.StandardEquations;

/**
 * The standard initial-value problems of the solver comparison, with reference end values from the
 * resource {@code ivp-reference.csv} (columns problem, t_end, component (1-based), value, source; definitions
 * and sources of every value in {@code ivp-problems.md} beside it).
 *
 * <ul>
 * <li>DETEST classes A, B and C (Hull, Enright, Fellen and Sedgwick 1972; C1 as in the paper, y10' = y9):
 * closed forms evaluated to 40 digits.</li>
 * <li>Arenstorf orbit over one period (Hairer, Nørsett and Wanner I, sec. II.0): {@code AREN_DBLDATA} is
 * the solution for the double-rounded initial data, {@code AREN_EXACTDATA} the exact y(T) = y(0).</li>
 * <li>Lorenz (sigma 10, rho 28, beta 8/3, t = 20; {@code _DBLBETA}: beta = double(8/3)), Brusselator
 * {@code BRUS2}, Lotka-Volterra {@code LOTKA_SCIML}, rigid body {@code RIGID_UNFORCED} and {@code RIGID_SCIML}
 * (forcing 0.25 sin^2 t): high-precision Taylor-series solutions.</li>
 * <li>Stiff, from the Test Set for IVP Solvers (Mazzia and Magherini, release 2.4): {@code HIRES},
 * {@code ROBER} (t = 1e11), {@code VDPOLM_MU1000} (Van der Pol, mu = 1000, t = 2000) and {@code E5} (chemical
 * pyrolysis, stiff DETEST E5, t = 1e13: components from 1.8e-3 down to 8.9e-23 and a conservation law
 * y2 - y3 - y4 = 0; reference computed here, the Test Set's values are off by 7e-4, see
 * {@code ivp-problems.md}).</li>
 * </ul>
 *
 * @since 0.1
 */
public final class StandardProblems {

    private static final String RESOURCE = "ivp-reference.csv";
    private static final Map<String, Row> TABLE = load();

    private StandardProblems() {
    }

    /** @return every standard problem name, in the order of the reference file */
    public static List<String> names() {
        return List.copyOf(TABLE.keySet());
    }

    /** @return the problems a default comparison runs: one of each kind, small enough for minutes */
    public static List<String> defaultNames() {
        return List.of("AREN_DBLDATA", "LORENZ_100_DBLBETA", "BRUS2", "RIGID_SCIML", "DETEST_B5", "DETEST_C4",
                       "HIRES", "ROBER", "VDPOLM_MU1000");
    }

    /** @return every standard problem */
    public static List<IvpProblem> all() {
        final List<IvpProblem> out = new ArrayList<>();
        for (final String n : TABLE.keySet()) {
            out.add(get(n));
        }
        return out;
    }

    /**
     * @param name a name of {@link #names()} (case-insensitive)
     * @return the problem with its reference values
     * @throws OdeException naming the known problems if there is none of that name
     */
    public static IvpProblem get(final String name) {
        final String key = name == null ? "" : name.trim().toUpperCase(java.util.Locale.ROOT);
        final Row row = TABLE.get(key);
        if (row == null) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "unknown problem '" + name + "'; known problems: "
                    + String.join(", ", TABLE.keySet()));
        }
        return define(key, row.tEnd).withReference(row.values, row.source).withTitle(title(key));
    }

    /** A readable title for figures: "DETEST B5", "Rigid body (SciML)", "Van der Pol (mu = 1000)". */
    private static String title(final String name) {
        if (name.startsWith("DETEST_")) {
            return "DETEST " + name.substring("DETEST_".length());
        }
        return switch (name) {
            case "AREN_DBLDATA" -> "Arenstorf orbit (double-rounded data)";
            case "AREN_EXACTDATA" -> "Arenstorf orbit (exact end value)";
            case "LORENZ_100" -> "Lorenz";
            case "LORENZ_100_DBLBETA" -> "Lorenz (beta = double(8/3))";
            case "BRUS2" -> "Brusselator";
            case "LOTKA_SCIML" -> "Lotka-Volterra (SciML)";
            case "RIGID_SCIML" -> "Rigid body (SciML)";
            case "RIGID_UNFORCED" -> "Rigid body (unforced)";
            case "HIRES" -> "HIRES (plant physiology, stiff)";
            case "ROBER" -> "Robertson chemistry (ROBER, stiff)";
            case "VDPOLM_MU1000" -> "Van der Pol (mu = 1000, stiff)";
            case "E5" -> "E5 (chemical pyrolysis, stiff)";
            default -> name;
        };
    }

    // ------------------------------------------------------------------ definitions

    private static IvpProblem define(final String name, final double tEnd) {
        switch (name) {
            case "DETEST_A1":
                return scalar(name, 1.0, tEnd, (t, y) -> -y, "y' = -y");
            case "DETEST_A2":
                return scalar(name, 1.0, tEnd, (t, y) -> -0.5 * y * y * y, "y' = -y^3/2");
            case "DETEST_A3":
                return scalar(name, 1.0, tEnd, (t, y) -> y * Math.cos(t), "y' = y cos t");
            case "DETEST_A4":
                return scalar(name, 1.0, tEnd, (t, y) -> 0.25 * y * (1.0 - y / 20.0), "y' = y/4 (1 - y/20)");
            case "DETEST_A5":
                return scalar(name, 4.0, tEnd, (t, y) -> (y - t) / (y + t), "y' = (y - t)/(y + t)");
            case "DETEST_B1":
                return IvpProblem.of(name, new double[] {1.0, 3.0}, 0.0, tEnd, (t, y, f) -> {
                    f[0] = 2.0 * (y[0] - y[0] * y[1]);
                    f[1] = -(y[1] - y[0] * y[1]);
                }).withDescription("DETEST B1: Lotka-Volterra");
            case "DETEST_B2":
                return IvpProblem.of(name, new double[] {2.0, 0.0, 1.0}, 0.0, tEnd, (t, y, f) -> {
                    f[0] = -y[0] + y[1];
                    f[1] = y[0] - 2.0 * y[1] + y[2];
                    f[2] = y[1] - y[2];
                }).withDescription("DETEST B2: linear chain");
            case "DETEST_B3":
                return IvpProblem.of(name, new double[] {1.0, 0.0, 0.0}, 0.0, tEnd, (t, y, f) -> {
                    f[0] = -y[0];
                    f[1] = y[0] - y[1] * y[1];
                    f[2] = y[1] * y[1];
                }).withDescription("DETEST B3: nonlinear chemical reaction");
            case "DETEST_B4":
                return IvpProblem.of(name, new double[] {3.0, 0.0, 0.0}, 0.0, tEnd, (t, y, f) -> {
                    final double r = Math.sqrt(y[0] * y[0] + y[1] * y[1]);
                    f[0] = -y[1] - y[0] * y[2] / r;
                    f[1] = y[0] - y[1] * y[2] / r;
                    f[2] = y[0] / r;
                }).withDescription("DETEST B4: spiral towards a limit cycle");
            case "DETEST_B5":
                return IvpProblem.of(name, new double[] {0.0, 1.0, 1.0}, 0.0, tEnd, (t, y, f) -> {
                    f[0] = y[1] * y[2];
                    f[1] = -y[0] * y[2];
                    f[2] = -0.51 * y[0] * y[1];
                }).withDescription("DETEST B5: Euler's equations of a free rigid body");
            case "DETEST_C1":
                return IvpProblem.of(name, unit(10), 0.0, tEnd, (t, y, f) -> {
                    f[0] = -y[0];
                    for (int i = 1; i < 9; i++) {
                        f[i] = y[i - 1] - y[i];
                    }
                    f[9] = y[8];
                }).withDescription("DETEST C1: radioactive decay chain, y10' = y9");
            case "DETEST_C2":
                return IvpProblem.of(name, unit(10), 0.0, tEnd, (t, y, f) -> {
                    f[0] = -y[0];
                    for (int i = 1; i < 9; i++) {
                        f[i] = i * y[i - 1] - (i + 1) * y[i];
                    }
                    f[9] = 9.0 * y[8];
                }).withDescription("DETEST C2: decay chain with rates 1..9");
            case "DETEST_C3":
                return chain(name, 10, tEnd);
            case "DETEST_C4":
                return chain(name, 51, tEnd);
            case "AREN_DBLDATA":
            case "AREN_EXACTDATA":
                return IvpProblem.of(name, StandardEquations.arenstorfInitialState(), 0.0, tEnd,
                        StandardEquations.arenstorf()::derivatives).withDescription("Arenstorf orbit, one period (HNW I)");
            case "LORENZ_100":
            case "LORENZ_100_DBLBETA":
                return IvpProblem.of(name, new double[] {1.0, 0.0, 0.0}, 0.0, tEnd, (t, y, f) -> {
                    f[0] = 10.0 * (y[1] - y[0]);
                    f[1] = y[0] * (28.0 - y[2]) - y[1];
                    f[2] = y[0] * y[1] - 8.0 / 3.0 * y[2];
                }).withDescription("Lorenz, sigma 10, rho 28, beta 8/3 (chaotic)");
            case "BRUS2":
                return IvpProblem.of(name, new double[] {1.5, 3.0}, 0.0, tEnd, (t, y, f) -> {
                    f[0] = 1.0 + y[0] * y[0] * y[1] - 4.0 * y[0];
                    f[1] = 3.0 * y[0] - y[0] * y[0] * y[1];
                }).withDescription("Brusselator (HNW I)");
            case "LOTKA_SCIML":
                return IvpProblem.of(name, new double[] {1.0, 1.0}, 0.0, tEnd, (t, y, f) -> {
                    f[0] = 1.5 * y[0] - y[0] * y[1];
                    f[1] = -3.0 * y[1] + y[0] * y[1];
                }).withDescription("Lotka-Volterra p = (1.5, 1, 3, 1) (SciMLBenchmarks)");
            case "RIGID_UNFORCED":
                return IvpProblem.of(name, new double[] {1.0, 0.0, 0.9}, 0.0, tEnd, (t, y, f) -> {
                    f[0] = -2.0 * y[1] * y[2];
                    f[1] = 1.25 * y[0] * y[2];
                    f[2] = -0.5 * y[0] * y[1];
                }).withDescription("Euler rigid body");
            case "RIGID_SCIML":
                return IvpProblem.of(name, new double[] {1.0, 0.0, 0.9}, 0.0, tEnd, (t, y, f) -> {
                    final double s = Math.sin(t);
                    f[0] = -2.0 * y[1] * y[2];
                    f[1] = 1.25 * y[0] * y[2];
                    f[2] = -0.5 * y[0] * y[1] + 0.25 * s * s;
                }).withDescription("Euler rigid body with forcing 0.25 sin^2 t (SciMLBenchmarks)");
            case "HIRES":
                return IvpProblem.of(name, new double[] {1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0057}, 0.0, tEnd,
                        StandardProblems::hires, StandardProblems::hiresJacobian, true).withStiff(true).withAtolFactor(1e-3)
                        .withDescription("HIRES, high irradiance responses of photomorphogenesis (Test Set)");
            case "ROBER":
                return IvpProblem.of(name, new double[] {1.0, 0.0, 0.0}, 0.0, tEnd, (t, y, f) -> {
                    f[0] = -0.04 * y[0] + 1e4 * y[1] * y[2];
                    f[2] = 3e7 * y[1] * y[1];
                    f[1] = -f[0] - f[2];
                }, (t, y, j) -> {
                    j[0] = -0.04;
                    j[1] = 1e4 * y[2];
                    j[2] = 1e4 * y[1];
                    j[6] = 0.0;
                    j[7] = 6e7 * y[1];
                    j[8] = 0.0;
                    j[3] = -j[0] - j[6];
                    j[4] = -j[1] - j[7];
                    j[5] = -j[2] - j[8];
                }, true).withStiff(true).withAtolFactor(1e-6)
                        .withDescription("Robertson's chemical kinetics to t = 1e11 (Test Set)");
            case "VDPOLM_MU1000":
                return IvpProblem.of(name, new double[] {2.0, 0.0}, 0.0, tEnd, (t, y, f) -> {
                    f[0] = y[1];
                    f[1] = 1000.0 * (1.0 - y[0] * y[0]) * y[1] - y[0];
                }, (t, y, j) -> {
                    j[0] = 0.0;
                    j[1] = 1.0;
                    j[2] = -2000.0 * y[0] * y[1] - 1.0;
                    j[3] = 1000.0 * (1.0 - y[0] * y[0]);
                }, true).withStiff(true).withDescription("Van der Pol, mu = 1000 (Test Set VDPOLM)");
            case "E5":
                // atol = 1.7e-20 rtol: the Test Set runs E5 with a fixed atol of 1.7e-24, i.e. this factor at
                // rtol 1e-4; below, atol shrinks with rtol as for every problem here (y2, y3 end at 8.9e-23)
                return IvpProblem.of(name, new double[] {1.76e-3, 0.0, 0.0, 0.0}, 0.0, tEnd, StandardProblems::e5,
                        StandardProblems::e5Jacobian, true).withStiff(true).withAtolFactor(1.7e-20)
                        .withDescription("E5, chemical pyrolysis to t = 1e13 (stiff DETEST; Test Set)");
            default:
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "no definition for problem " + name);
        }
    }

    /** Scalar right-hand side. */
    @FunctionalInterface
    private interface ScalarRhs {
        double value(double t, double y);
    }

    private static IvpProblem scalar(final String name, final double y0, final double tEnd, final ScalarRhs f,
                                     final String text) {
        return IvpProblem.of(name, new double[] {y0}, 0.0, tEnd, (t, y, d) -> d[0] = f.value(t, y[0]))
                .withDescription("DETEST " + name.substring(name.length() - 2) + ": " + text);
    }

    private static IvpProblem chain(final String name, final int n, final double tEnd) {
        return IvpProblem.of(name, unit(n), 0.0, tEnd, StandardEquations.diffusionChain(n)::derivatives)
                .withDescription("DETEST " + name.substring(name.length() - 2)
                                 + ": y' = T y, T tridiagonal (1, -2, 1), n = " + n);
    }

    private static void hires(final double t, final double[] y, final double[] f) {
        f[0] = -1.71 * y[0] + 0.43 * y[1] + 8.32 * y[2] + 0.0007;
        f[1] = 1.71 * y[0] - 8.75 * y[1];
        f[2] = -10.03 * y[2] + 0.43 * y[3] + 0.035 * y[4];
        f[3] = 8.32 * y[1] + 1.71 * y[2] - 1.12 * y[3];
        f[4] = -1.745 * y[4] + 0.43 * y[5] + 0.43 * y[6];
        f[5] = -280.0 * y[5] * y[7] + 0.69 * y[3] + 1.71 * y[4] - 0.43 * y[5] + 0.69 * y[6];
        f[6] = 280.0 * y[5] * y[7] - 1.81 * y[6];
        f[7] = -f[6];
    }

    /** The HIRES Jacobian (row-major 8 x 8). */
    private static void hiresJacobian(final double t, final double[] y, final double[] j) {
        java.util.Arrays.fill(j, 0.0);
        j[0] = -1.71;
        j[1] = 0.43;
        j[2] = 8.32;
        j[8] = 1.71;
        j[9] = -8.75;
        j[18] = -10.03;
        j[19] = 0.43;
        j[20] = 0.035;
        j[25] = 8.32;
        j[26] = 1.71;
        j[27] = -1.12;
        j[36] = -1.745;
        j[37] = 0.43;
        j[38] = 0.43;
        j[43] = 0.69;
        j[44] = 1.71;
        j[45] = -280.0 * y[7] - 0.43;
        j[46] = 0.69;
        j[47] = -280.0 * y[5];
        j[53] = 280.0 * y[7];
        j[54] = -1.81;
        j[55] = 280.0 * y[5];
        for (int c = 0; c < 8; c++) {
            j[56 + c] = -j[48 + c];
        }
    }

    /** E5 rate constants: A, B, C and M C (1.13e9, exact in binary as in the Test Set's Fortran). */
    private static final double E5_A = 7.89e-10;
    private static final double E5_B = 1.1e7;
    private static final double E5_C = 1.13e3;
    private static final double E5_MC = 1.13e9;

    /** E5 as the Test Set's Fortran computes it: f3 = f2 - f4, so that y2 - y3 - y4 is conserved to rounding. */
    private static void e5(final double t, final double[] y, final double[] f) {
        final double prod1 = E5_A * y[0];
        final double prod2 = E5_B * y[0] * y[2];
        final double prod3 = E5_MC * y[1] * y[2];
        final double prod4 = E5_C * y[3];
        f[0] = -prod1 - prod2;
        f[1] = prod1 - prod3;
        f[3] = prod2 - prod4;
        f[2] = f[1] - f[3];
    }

    /** The E5 Jacobian (row-major 4 x 4), the Test Set's {@code jeval}. */
    private static void e5Jacobian(final double t, final double[] y, final double[] j) {
        j[0] = -E5_A - E5_B * y[2];
        j[1] = 0.0;
        j[2] = -E5_B * y[0];
        j[3] = 0.0;
        j[4] = E5_A;
        j[5] = -E5_MC * y[2];
        j[6] = -E5_MC * y[1];
        j[7] = 0.0;
        j[8] = E5_A - E5_B * y[2];
        j[9] = -E5_MC * y[2];
        j[10] = -E5_B * y[0] - E5_MC * y[1];
        j[11] = E5_C;
        j[12] = E5_B * y[2];
        j[13] = 0.0;
        j[14] = E5_B * y[0];
        j[15] = -E5_C;
    }

    private static double[] unit(final int n) {
        final double[] e = new double[n];
        e[0] = 1.0;
        return e;
    }

    // ------------------------------------------------------------------ reference file

    /** One problem's rows of the reference file. */
    private record Row(double tEnd, double[] values, String source) {
    }

    private static Map<String, Row> load() {
        final Map<String, List<double[]>> rows = new LinkedHashMap<>();
        final Map<String, Double> ends = new LinkedHashMap<>();
        final Map<String, String> sources = new LinkedHashMap<>();
        final InputStream in = StandardProblems.class.getResourceAsStream(RESOURCE);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(Objects.requireNonNull(in, RESOURCE),
                StandardCharsets.UTF_8))) {
            r.readLine();                                              // header
            int line = 1;
            for (String text = r.readLine(); text != null; text = r.readLine()) {
                line++;
                if (text.isBlank()) {
                    continue;
                }
                // problem, t_end, component, value are plain; only the trailing source is quoted
                final String[] f = text.split(",", 5);
                if (f.length < 5) {
                    throw new IllegalStateException(RESOURCE + " line " + line + ": expected 5 fields");
                }
                rows.computeIfAbsent(f[0], k -> new ArrayList<>()).add(new double[] {
                    Double.parseDouble(f[2]), Double.parseDouble(f[3])});
                ends.put(f[0], Double.parseDouble(f[1]));
                sources.putIfAbsent(f[0], f[4].replace("\"", ""));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        final Map<String, Row> table = new LinkedHashMap<>();
        for (final Map.Entry<String, List<double[]>> e : rows.entrySet()) {
            final double[] v = new double[e.getValue().size()];
            for (final double[] row : e.getValue()) {
                v[(int) row[0] - 1] = row[1];
            }
            table.put(e.getKey(), new Row(ends.get(e.getKey()), v, sources.get(e.getKey())));
        }
        return Collections.unmodifiableMap(table);
    }
}
