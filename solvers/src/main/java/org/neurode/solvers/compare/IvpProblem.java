package org.neurode.solvers.compare;

import java.util.Objects;

import org.neurode.core.Checks;
import org.neurode.core.Equation;
import org.neurode.core.ErrorCode;
import org.neurode.core.Model;
import org.neurode.core.OdeException;
import org.neurode.core.Parameters;
import org.neurode.core.Problem;
import org.neurode.core.StateLayout;

/**
 * An initial-value problem of the solver comparison: a model over a time span, how stiff it is, the
 * absolute tolerance convention of its field and, where known, reference values at the end time with
 * their source. Problems without reference values get one computed by a different high-order method at
 * tolerance 1e-13 and labelled so ({@link WorkPrecision}).
 *
 * <pre>{@code
 * IvpProblem mine = IvpProblem.of("decay", model, 10.0)
 *         .withReference(new double[] {Math.exp(-10)}, "closed form");
 * }</pre>
 *
 * @since 0.1
 */
public final class IvpProblem {

    /** Right-hand side of a problem written as a lambda. */
    @FunctionalInterface
    public interface Rhs {
        /**
         * @param t    time
         * @param y    state (not modified)
         * @param dydt derivative (written)
         */
        void derivatives(double t, double[] y, double[] dydt);
    }

    /** Jacobian of a problem written as a lambda. */
    @FunctionalInterface
    public interface JacobianRhs {
        /**
         * @param t    time
         * @param y    state (not modified)
         * @param dfdy row-major n x n Jacobian, every entry written
         */
        void jacobian(double t, double[] y, double[] dfdy);
    }

    /** An equation from a lambda. */
    private static class LambdaEquation implements Equation {
        private final int n;
        private final Rhs rhs;
        private final boolean autonomous;

        LambdaEquation(final int n, final Rhs rhs, final boolean autonomous) {
            this.n = n;
            this.rhs = rhs;
            this.autonomous = autonomous;
        }

        @Override
        public boolean autonomous() {
            return autonomous;
        }

        @Override
        public int dimension() {
            return n;
        }

        @Override
        public void derivatives(final double t, final double[] y, final double[] dydt) {
            rhs.derivatives(t, y, dydt);
        }
    }

    /** An equation and its Jacobian from lambdas. */
    private static final class LambdaJacobianEquation extends LambdaEquation
            implements org.neurode.core.JacobianEquation {
        private final JacobianRhs jacobian;

        LambdaJacobianEquation(final int n, final Rhs rhs, final JacobianRhs jacobian, final boolean autonomous) {
            super(n, rhs, autonomous);
            this.jacobian = jacobian;
        }

        @Override
        public void jacobian(final double t, final double[] y, final double[] dfdy) {
            jacobian.jacobian(t, y, dfdy);
        }
    }

    private final String name;
    private final String description;
    private final Problem problem;
    private final boolean stiff;
    private final double atolFactor;
    private final double[] reference;
    private final String referenceSource;
    private final String title;

    private IvpProblem(final String name, final String description, final Problem problem, final boolean stiff,
                       final double atolFactor, final double[] reference, final String referenceSource) {
        this(name, name, description, problem, stiff, atolFactor, reference, referenceSource);
    }

    private IvpProblem(final String name, final String title, final String description, final Problem problem,
                       final boolean stiff, final double atolFactor, final double[] reference,
                       final String referenceSource) {
        this.name = Objects.requireNonNull(name, "name");
        this.title = Objects.requireNonNull(title, "title");
        this.description = description;
        this.problem = Objects.requireNonNull(problem, "problem");
        this.stiff = stiff;
        this.atolFactor = atolFactor;
        this.reference = reference;
        this.referenceSource = referenceSource;
        if (reference != null && reference.length != problem.dimension()) {
            throw new OdeException(ErrorCode.DIMENSION_MISMATCH, "reference of " + name, problem.dimension(),
                    reference.length);
        }
    }

    /**
     * A user problem over [t0 of the model's initial state, tEnd] from a model.
     *
     * @param name  short name (used in file names and tables)
     * @param model the model (its initial state is the problem's)
     * @param tEnd  end time (model time unit)
     * @return a non-stiff problem with atol = rtol and no reference values
     */
    public static IvpProblem of(final String name, final Model model, final double tEnd) {
        return new IvpProblem(name, name, Problem.of(model, tEnd), false, 1.0, null, null);
    }

    /**
     * A user problem from a lambda; the variables are named y1..yn.
     *
     * @param name  short name
     * @param y0    initial state (copied)
     * @param t0    start time
     * @param tEnd  end time
     * @param rhs   right-hand side
     * @return a non-stiff problem with atol = rtol and no reference values
     */
    public static IvpProblem of(final String name, final double[] y0, final double t0, final double tEnd,
                                final Rhs rhs) {
        return of(name, y0, t0, tEnd, rhs, null);
    }

    /**
     * A user problem from lambdas with an analytic Jacobian (used by the stiff solvers instead of finite
     * differences); the variables are named y1..yn.
     *
     * @param name     short name
     * @param y0       initial state (copied)
     * @param t0       start time
     * @param tEnd     end time
     * @param rhs      right-hand side
     * @param jacobian its Jacobian, or null for none
     * @return a non-stiff problem with atol = rtol and no reference values
     */
    public static IvpProblem of(final String name, final double[] y0, final double t0, final double tEnd,
                                final Rhs rhs, final JacobianRhs jacobian) {
        return of(name, y0, t0, tEnd, rhs, jacobian, false);
    }

    /**
     * A user problem from lambdas, declared autonomous or not (see {@link Equation#autonomous()}: Rosenbrock
     * methods skip \( \partial f/\partial t \) for autonomous problems, one evaluation per step).
     *
     * @param name       short name
     * @param y0         initial state (copied)
     * @param t0         start time
     * @param tEnd       end time
     * @param rhs        right-hand side
     * @param jacobian   its Jacobian, or null for none
     * @param autonomous true if {@code rhs} ignores its time argument
     * @return a non-stiff problem with atol = rtol and no reference values
     */
    public static IvpProblem of(final String name, final double[] y0, final double t0, final double tEnd,
                                final Rhs rhs, final JacobianRhs jacobian, final boolean autonomous) {
        Checks.finite(name + " start time", t0);
        Checks.finite(name + " end time", tEnd);
        final int n = y0.length;
        final Equation eq = jacobian == null ? new LambdaEquation(n, rhs, autonomous)
                : new LambdaJacobianEquation(n, rhs, jacobian, autonomous);
        final StateLayout.Builder b = StateLayout.builder();
        for (int i = 1; i <= n; i++) {
            b.scalar("y" + i, "1", 1.0);
        }
        final Model model = Model.of(name, b.build(), Parameters.empty(), p -> eq, y0.clone());
        return new IvpProblem(name, name, Problem.of(model, y0, tEnd).withSpan(t0, tEnd), false, 1.0, null, null);
    }

    /**
     * A problem from a model file ({@link org.neurode.core.expr.ModelFile}): its {@code time} line is the span,
     * {@code reference} lines the end values (all state variables must then have one), {@code stiff} and
     * {@code atol-factor} the flags.
     *
     * @param file   the parsed file
     * @param source the file name (error messages and the reference label)
     * @return the problem
     * @throws OdeException if the file has no time span or only part of the reference
     */
    public static IvpProblem from(final org.neurode.core.expr.ModelFile file, final String source) {
        if (!Double.isFinite(file.tEnd())) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, source + ": a problem file needs a 'time T0 T1' line");
        }
        final Model model = file.model();
        IvpProblem p = new IvpProblem(model.name(), model.name() + " (" + source + ")",
                Problem.of(model, file.tEnd()).withSpan(file.t0(), file.tEnd()), file.stiff(), file.atolFactor(), null,
                null);
        if (!file.reference().isEmpty()) {
            final double[] ref = model.initialState();
            final java.util.Set<String> missing = new java.util.LinkedHashSet<>();
            for (final StateLayout.Block b : model.layout().blocks()) {
                final double[] v = file.reference().get(b.name());
                if (v != null) {
                    System.arraycopy(v, 0, ref, b.offset(), b.size());
                } else {
                    missing.add(b.name());
                }
            }
            if (!missing.isEmpty()) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, source + ": reference values are missing for "
                        + String.join(", ", missing) + " (give every state variable one, or none)");
            }
            p = p.withReference(ref, "given in " + source);
        }
        return p;
    }

    /**
     * @param values end-time values, one per state variable (copied)
     * @param source where they come from (a paper, a closed form, a high-precision computation)
     * @return this problem with reference values
     */
    public IvpProblem withReference(final double[] values, final String source) {
        return new IvpProblem(name, title, description, problem, stiff, atolFactor, values.clone(),
                Objects.requireNonNull(source, "source"));
    }

    /**
     * @param isStiff true if explicit methods are stability-limited on it
     * @return this problem marked stiff or not
     */
    public IvpProblem withStiff(final boolean isStiff) {
        return new IvpProblem(name, title, description, problem, isStiff, atolFactor, reference, referenceSource);
    }

    /**
     * @param factor absolute tolerance as a multiple of the relative one (1 for O(1) problems; the Test
     *               Set's 1e-3 or less for chemistry whose components are tiny)
     * @return this problem with that tolerance convention
     */
    public IvpProblem withAtolFactor(final double factor) {
        Checks.positive("absolute tolerance factor", factor);
        return new IvpProblem(name, title, description, problem, stiff, factor, reference, referenceSource);
    }

    /**
     * @param text one line: the equations and where they come from
     * @return this problem with that description
     */
    public IvpProblem withDescription(final String text) {
        return new IvpProblem(name, title, text, problem, stiff, atolFactor, reference, referenceSource);
    }

    /**
     * @param text a readable title for figures, e.g. "Rigid body (SciML)" for {@code RIGID_SCIML}
     * @return this problem with that title
     */
    public IvpProblem withTitle(final String text) {
        return new IvpProblem(name, text, description, problem, stiff, atolFactor, reference, referenceSource);
    }

    /** @return short name */
    public String name() {
        return name;
    }

    /** @return a readable title for figures (the name unless one was given) */
    public String title() {
        return title;
    }

    /** @return one-line description */
    public String description() {
        return description;
    }

    /** @return the problem (model, initial state, span) */
    public Problem problem() {
        return problem;
    }

    /** @return true if explicit methods are stability-limited on it */
    public boolean stiff() {
        return stiff;
    }

    /** @return absolute tolerance as a multiple of the relative tolerance */
    public double atolFactor() {
        return atolFactor;
    }

    /** @return true if reference end values are given */
    public boolean hasReference() {
        return reference != null;
    }

    /** @return reference end values (a copy), or null */
    public double[] reference() {
        return reference == null ? null : reference.clone();
    }

    /** @return source of the reference values, or null */
    public String referenceSource() {
        return referenceSource;
    }

    @Override
    public String toString() {
        return name + " (" + problem.dimension() + " variables, t in [" + problem.t0() + ", " + problem.tEnd() + "]"
               + (stiff ? ", stiff" : "") + ")";
    }
}
