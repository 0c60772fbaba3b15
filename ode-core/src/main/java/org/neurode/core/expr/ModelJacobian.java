package org.neurode.core.expr;

import org.neurode.core.JacobianPattern;
import org.neurode.core.spec.ModelSpec;

/**
 * The Jacobian of one compiled model, generated on request: the first call of {@link #pattern},
 * {@link #hasValues} or {@link #create} (from any equation instance of the model, on any thread) runs the
 * differentiation ({@link JacobianWriter}: the structural pattern and the source of the values), and the first
 * {@link #create} compiles the source with Janino; later calls reuse both. Building a model, and solving it with a
 * method that needs no Jacobian, costs nothing here. Public only so that generated equation classes can reach it;
 * users see it through {@link org.neurode.core.SparseJacobianEquation}.
 *
 * <p>The pattern is structural: it does not depend on parameter values, so it is shared by every equation made
 * from the model, including those of {@code Model.withParameter} variants.
 *
 * @since 0.5
 */
public final class ModelJacobian {

    private final ModelSpec spec;
    /** The analysis (null until the first request); the compiler is kept for its tables until the compile. */
    private JacobianWriter.Result result;
    private EquationCompiler compiler;
    private EquationCompiler.Compiled<JacobianKernel> compiled;
    /** The table of the sums (shared read-only by the kernels), kept from the analysis at the compile. */
    private int[] runs;

    /** @param spec the specification the model's equation class was compiled from */
    ModelJacobian(final ModelSpec spec) {
        this.spec = spec;
    }

    private synchronized JacobianWriter.Result result() {
        if (result == null) {
            compiler = new EquationCompiler(spec);
            result = compiler.jacobian();
        }
        return result;
    }

    /**
     * @return the structural pattern of \( \partial f/\partial y \) (the same object on every call)
     * @throws org.neurode.core.OdeException if the pattern does not fit in memory
     */
    public JacobianPattern pattern() {
        return result().pattern();
    }

    /** @return true if the values are generated; false if only the pattern is known (see {@link #reason}) */
    public boolean hasValues() {
        return result().reason() == null;
    }

    /** @return why the values are not generated, or null if they are */
    public String reason() {
        return result().reason();
    }

    /** @return true once the Jacobian was analysed (for tests: building a model must not analyse it) */
    synchronized boolean analysed() {
        return result != null;
    }

    /**
     * A Jacobian over an equation's parameters and input buffer (shared, not copied); the first call compiles the
     * class.
     *
     * @param p the equation's parameter array
     * @param u the equation's input buffer
     * @return a new kernel (scratch arrays of its own)
     * @throws UnsupportedOperationException if {@link #hasValues()} is false, naming the reason
     * @throws org.neurode.core.OdeException if the generated class does not compile
     */
    public JacobianKernel create(final double[] p, final double[] u) {
        final EquationCompiler.Compiled<JacobianKernel> c;
        synchronized (this) {
            final JacobianWriter.Result r = result();
            if (r.reason() != null) {
                throw new UnsupportedOperationException("model '" + spec.name() + "' has no analytic Jacobian: "
                        + r.reason() + "; use finite differences over its pattern");
            }
            if (compiled == null) {
                compiled = compiler.compileJacobian(r);
                runs = r.runs();
                compiler = null;
                result = JacobianWriter.Result.patternOnly(r.pattern(), r.reason());
            }
            c = compiled;
        }
        return c.newInstance(p, u, runs);
    }
}
