package org.neurode.core.expr;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.neurode.core.Equation;
import org.neurode.core.JacobianCheck;
import org.neurode.core.JacobianPattern;
import org.neurode.core.Model;
import org.neurode.core.SparseJacobianEquation;

/**
 * Compiled Jacobians against central differences through {@link JacobianCheck} (its class comment gives the
 * increment and the scaled comparison): every entry within {@link #TOLERANCE} of its row's scale, and the pattern
 * lists every entry whose difference is not negligible. Shared with the tests module through ode-core's test jar.
 */
public final class JacobianChecks {

    /** Relative tolerance of the scaled comparison: 2,500 times the central differences' 4e-11. */
    public static final double TOLERANCE = 1e-7;

    private JacobianChecks() {
    }

    /** A state near the model's initial one: each element moved by up to 10% of max(|y0|, 1). */
    public static double[] randomState(final Model m, final SplittableRandom rnd) {
        final double[] y = m.initialState();
        for (int j = 0; j < y.length; j++) {
            y[j] += 0.1 * Math.max(Math.abs(y[j]), 1.0) * rnd.nextDouble(-1, 1);
        }
        return y;
    }

    /**
     * Checks the compiled Jacobian of {@code equation} at (t, y) against central differences in every column.
     *
     * @return the pattern
     */
    public static JacobianPattern check(final Equation equation, final double t, final double[] y, final String what) {
        assertTrue(equation instanceof SparseJacobianEquation, what + ": not a SparseJacobianEquation");
        final SparseJacobianEquation eq = (SparseJacobianEquation) equation;
        assertTrue(eq.hasJacobianValues(), what + ": no values");
        checkColumns(equation, t, y, null, what);
        return eq.jacobianPattern();
    }

    /** Checks chosen columns (null: all) of the compiled Jacobian of a model against central differences. */
    public static void checkColumns(final Equation equation, final double t, final double[] y, final int[] columns,
                             final String what) {
        final JacobianCheck.Mismatch m = JacobianCheck.worst(equation, t, y, columns);
        assertTrue(!m.missing() && m.error() <= TOLERANCE, what + ": " + m.describe());
    }
}
