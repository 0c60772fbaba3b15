package org.neurode.core.expr;

import java.util.concurrent.ConcurrentHashMap;

import org.neurode.core.FusedStep;
import org.neurode.core.StepRule;
import org.neurode.core.spec.ModelSpec;

/**
 * The fused steps of one compiled model, generated on request: the first request for a {@link StepRule}
 * compiles its step class from the model's specification (one more compiler run, emitting the prelude and the
 * step only); later requests, from any instance or thread, reuse it. The model's equations call
 * {@link #create} from their {@code fusedStep} method, so the compiler needs no list of solvers: a solver
 * states its rule, and a new fused method needs no change here.
 *
 * @since 0.3
 */
public final class FusedSteps {

    private final ModelSpec spec;
    private final ConcurrentHashMap<StepRule, EquationCompiler.Compiled<FusedStep>> classes = new ConcurrentHashMap<>();

    /** @param spec the specification the model's equation class was compiled from */
    FusedSteps(final ModelSpec spec) {
        this.spec = spec;
    }

    /**
     * A fused step over an equation's parameters and input buffer (shared, not copied). Called by generated
     * equation classes; solvers call {@link org.neurode.core.Equation#fusedStep} instead.
     *
     * @param rule the solver's step
     * @param p    the equation's parameter array
     * @param u    the equation's input buffer
     * @return a new step (compiled on the first request for this rule)
     * @throws org.neurode.core.OdeException if the rule's factors do not compile
     */
    public FusedStep create(final StepRule rule, final double[] p, final double[] u) {
        return classes.computeIfAbsent(rule, r -> new EquationCompiler(spec).compileStep(r)).newInstance(p, u);
    }
}
