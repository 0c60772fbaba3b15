package org.neurode.core.expr;

import org.neurode.core.FusedStep;
import org.neurode.core.Model;
import org.neurode.core.StepRule;

/** The step rules of the solvers module's Euler and exponential Euler, for tests of the generated steps. */
final class Rules {

    /** Forward Euler, as the {@code euler} solver states it. */
    static final StepRule EULER = new StepRule("euler", "1.0 + h * a", "h", StepRule.PerElement.DERIVATIVE);
    /** Exponential Euler, as the {@code exponential-euler} solver states it. */
    static final StepRule EXPONENTIAL = new StepRule("exponential-euler", "Math.exp(a * h)",
            "a * h == 0.0 ? h : Math.expm1(a * h) / a", StepRule.PerElement.CACHED);

    private Rules() {
    }

    static FusedStep euler(final Model m) {
        return m.equation().fusedStep(EULER);
    }

    static FusedStep exponential(final Model m) {
        return m.equation().fusedStep(EXPONENTIAL);
    }
}
