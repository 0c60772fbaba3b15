package org.neurode.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class JacobianCheckTest {

    /** Van der Pol, mu = 1000, with a Jacobian that can be made wrong in one entry. */
    private static JacobianEquation vdpol(final double error) {
        return new JacobianEquation() {
            @Override
            public int dimension() {
                return 2;
            }

            @Override
            public void derivatives(final double t, final double[] y, final double[] f) {
                f[0] = y[1];
                f[1] = 1000 * (1 - y[0] * y[0]) * y[1] - y[0];
            }

            @Override
            public void jacobian(final double t, final double[] y, final double[] j) {
                j[0] = 0;
                j[1] = 1;
                j[2] = -2000 * y[0] * y[1] - 1 + error;
                j[3] = 1000 * (1 - y[0] * y[0]);
            }
        };
    }

    @Test
    void aRightJacobianPassesAndAWrongEntryIsNamed() {
        final double[] y = {2.0, -0.66};
        // the exact Jacobian: central differences of this quadratic-cubic system agree to about 1e-10 scaled
        assertTrue(JacobianCheck.worst(vdpol(0.0), 0.0, y, null).error() < 1e-9);
        // an error of 1e-4 relative in J[1][0] (2639) fails a 1e-7 check and is named
        final JacobianCheck.Mismatch m = JacobianCheck.worst(vdpol(0.26), 0.0, y, null);
        assertTrue(m.error() > 1e-5, m.describe());
        assertEquals(1, m.row());
        assertEquals(0, m.column());
        assertFalse(m.missing());
    }

    @Test
    void anEntryMissingFromThePatternIsReported() {
        // y0' = y0 y1, y1' = -y1, with a pattern that forgets (0, 1)
        final JacobianPattern diagonal = new JacobianPattern(2, new int[] {0, 1, 2}, new int[] {0, 1});
        final SparseJacobianEquation eq = new SparseJacobianEquation() {
            @Override
            public int dimension() {
                return 2;
            }

            @Override
            public void derivatives(final double t, final double[] y, final double[] f) {
                f[0] = y[0] * y[1];
                f[1] = -y[1];
            }

            @Override
            public JacobianPattern jacobianPattern() {
                return diagonal;
            }

            @Override
            public boolean hasJacobianValues() {
                return true;
            }

            @Override
            public void jacobianValues(final double t, final double[] y, final double[] v) {
                v[0] = y[1];
                v[1] = -1;
            }
        };
        final JacobianCheck.Mismatch m = JacobianCheck.worst(eq, 0.0, new double[] {3.0, 0.5}, null);
        assertTrue(m.missing(), m.describe());
        assertEquals(0, m.row());
        assertEquals(1, m.column());
    }
}
