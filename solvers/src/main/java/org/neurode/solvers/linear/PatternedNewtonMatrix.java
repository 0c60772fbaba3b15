package org.neurode.solvers.linear;

import java.util.Objects;

import org.neurode.core.JacobianPattern;
import org.neurode.solvers.adaptive.StepContext;

/**
 * The storages that keep J as values at the entries of the equation's {@link JacobianPattern} (sparse and banded):
 * their evaluation and their product with J.
 *
 * @since 0.7
 */
abstract class PatternedNewtonMatrix extends EquilibratedNewtonMatrix {

    /** The structure of J. */
    final JacobianPattern pattern;
    /** J at the pattern's entries. */
    final double[] values;

    /** @param context the simulation's context (must give a pattern) */
    PatternedNewtonMatrix(final StepContext context) {
        super(context);
        this.pattern = Objects.requireNonNull(context.jacobianPattern(), "pattern");
        this.values = new double[pattern.nonZeros()];
    }

    @Override
    public final void evaluate(final double t, final double[] y, final double[] fy) {
        context.jacobianValues(t, y, fy, values);
        scaling.weigh(y);
    }

    @Override
    public final void multiply(final double[] x, final double[] out) {
        pattern.multiply(values, x, out);
    }
}
