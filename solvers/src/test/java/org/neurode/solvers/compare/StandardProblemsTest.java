package org.neurode.solvers.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.neurode.core.Equation;
import org.neurode.core.JacobianEquation;
import org.neurode.core.OdeException;

class StandardProblemsTest {

    @Test
    void everyProblemHasADefinitionAndAReferenceOfItsDimension() {
        // GIVEN every name of the reference file
        for (final String name : StandardProblems.names()) {
            // WHEN the problem is built THEN its reference has one value per variable and its RHS is finite
            final IvpProblem p = StandardProblems.get(name);
            assertEquals(p.problem().dimension(), p.reference().length, name);
            final double[] f = new double[p.problem().dimension()];
            p.problem().model().equation().derivatives(p.problem().t0(), p.problem().initial(), f);
            for (final double v : f) {
                assertTrue(Double.isFinite(v), name);
            }
        }
        assertEquals(26, StandardProblems.names().size());
        final OdeException e = assertThrows(OdeException.class, () -> StandardProblems.get("HIRE"));
        assertTrue(e.getMessage().contains("unknown problem 'HIRE'") && e.getMessage().contains("HIRES"));
    }

    @Test
    void analyticJacobiansEqualCentralDifferences() {
        // GIVEN the stiff problems with analytic Jacobians, at random states around their trajectories
        final SplittableRandom rnd = new SplittableRandom(3);
        for (final String name : new String[] {"VDPOLM_MU1000", "HIRES", "ROBER", "E5"}) {
            final Equation eq = StandardProblems.get(name).problem().model().equation();
            assertTrue(eq instanceof JacobianEquation, name);
            final int n = eq.dimension();
            for (int trial = 0; trial < 5; trial++) {
                final double[] y = new double[n];
                for (int i = 0; i < n; i++) {
                    y[i] = rnd.nextDouble(0.01, 2.0);
                }
                final double[] jac = new double[n * n];
                ((JacobianEquation) eq).jacobian(0.0, y, jac);
                // WHEN differentiated numerically (central differences, step 1e-3 relative)
                final double[] fp = new double[n];
                final double[] fm = new double[n];
                final double[] f0 = new double[n];
                eq.derivatives(0.0, y, f0);
                double fmax = 0;
                for (final double v : f0) {
                    fmax = Math.max(fmax, Math.abs(v));
                }
                for (int j = 0; j < n; j++) {
                    final double h = 1e-3 * Math.max(1.0, Math.abs(y[j]));
                    final double keep = y[j];
                    y[j] = keep + h;
                    eq.derivatives(0.0, y, fp);
                    y[j] = keep - h;
                    eq.derivatives(0.0, y, fm);
                    y[j] = keep;
                    for (int i = 0; i < n; i++) {
                        final double fd = (fp[i] - fm[i]) / (2 * h);
                        // THEN they agree: each f_i is at most quadratic in each single y_j, so the central
                        // difference is exact but for rounding, about 4 eps max|f| / h (ROBER: f up to 1e8)
                        final double tol = 1e-9 * Math.max(1.0, Math.abs(jac[i * n + j])) + 8.9e-16 * fmax / h;
                        assertEquals(fd, jac[i * n + j], tol, name + " J[" + i + "][" + j + "]");
                    }
                }
            }
        }
    }
}
