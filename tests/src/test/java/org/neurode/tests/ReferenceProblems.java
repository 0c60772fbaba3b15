package org.neurode.tests;

import java.util.List;

import org.neurode.solvers.bench.StandardEquations;
import org.neurode.core.Problem;
import org.neurode.solvers.compare.IvpProblem;
import org.neurode.solvers.compare.StandardProblems;

/**
 * The reference initial-value problems of {@link StandardProblems} (the solver comparison's problem set,
 * with the reference end states of its {@code ivp-reference.csv}; definitions and sources in
 * {@code ivp-problems.md} beside it), with the error measures of the accuracy tests.
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
     * @param name a problem name of {@link StandardProblems#names()}
     * @return the problem with its reference
     */
    static Reference get(final String name) {
        final IvpProblem p = StandardProblems.get(name);
        return new Reference(p.name(), p.problem(), p.reference());
    }

    /** @return the DETEST problems of classes A, B and C */
    static List<String> detest() {
        return List.of("DETEST_A1", "DETEST_A2", "DETEST_A3", "DETEST_A4", "DETEST_A5",
                       "DETEST_B1", "DETEST_B2", "DETEST_B3", "DETEST_B4", "DETEST_B5",
                       "DETEST_C1", "DETEST_C2", "DETEST_C3", "DETEST_C4");
    }
}
