package org.neurode.solvers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.neurode.core.ErrorCode;
import org.neurode.core.FusedStep;
import org.neurode.core.LinearSplitEquation;
import org.neurode.core.Model;
import org.neurode.core.OdeException;
import org.neurode.core.Problem;
import org.neurode.core.StepRule;

/**
 * Fused steps requested by the solver: a solver states its step as a {@link StepRule} and the compiled model
 * generates it, so a new fused method is a rule, not a change of the compiler.
 */
class FusedStepRulesTest {

    /** A compiled model's equation hidden behind a plain split equation: the solvers' generic two-pass paths. */
    static Model generic(final Model m) {
        final LinearSplitEquation inner = (LinearSplitEquation) m.equation();
        final LinearSplitEquation plain = new LinearSplitEquation() {
            @Override
            public int dimension() {
                return inner.dimension();
            }

            @Override
            public void derivatives(final double t, final double[] y, final double[] dydt) {
                inner.derivatives(t, y, dydt);
            }

            @Override
            public void split(final double t, final double[] y, final double[] a, final double[] b) {
                inner.split(t, y, a, b);
            }
        };
        return Model.of("generic", m.layout(), m.parameters(), p -> plain, m.initialState());
    }

    @Test
    void semiImplicitEulerTakesAFusedStepThatAgreesWithItsGenericPath() {
        // GIVEN a conductance-based population (a depends on the state: the per-element path), leaky blocks
        // with a fixed a (the once-per-step factors) and a plastic matrix driven by an outer product
        final Model m = OwnSolversTest.conductanceModel(0.3);
        assertNotNull(m.equation().fusedStep(SemiImplicitEulerSolver.RULE), "compiled models fuse any rule");
        // WHEN integrated by semi-implicit Euler with the fused step and with the generic two-pass path
        final SolveOptions opt = SolveOptions.fixedStep(0.05);
        final double[] fused = Solvers.get("semi-implicit-euler").solve(Problem.of(m, 20.0), opt).finalState();
        final double[] split = Solvers.get("semi-implicit-euler").solve(Problem.of(generic(m), 20.0), opt)
                .finalState();
        // THEN they agree to rounding: D y + G b against (y + h b)/(1 - h a), a few ulps per step over 400
        // steps of values up to 15 (measured: largest difference 1.3e-13, about 40 ulps; bound 7x that)
        assertArrayEquals(split, fused, 1e-12);
        // AND the method is not Euler under another name: the two differ by O(h) on this run
        final double[] euler = Solvers.get("euler").solve(Problem.of(m, 20.0), opt).finalState();
        final int v0 = m.layout().index("v[0]");
        assertTrue(Math.abs(euler[v0] - fused[v0]) > 1e-6, euler[v0] + " vs " + fused[v0]);
    }

    @Test
    void aRuleDefinedOutsideTheSolversModuleIsCompiledLikeTheBuiltInOnes() {
        // GIVEN exponential Euler restated by a user as a rule with direct factors (no cache) and a new name
        final StepRule direct = new StepRule("my-exponential", ExponentialEulerSolver.RULE.decay(),
                ExponentialEulerSolver.RULE.gain(), StepRule.PerElement.DIRECT);
        final Model m = OwnSolversTest.conductanceModel(0.3);
        final FusedStep mine = m.equation().fusedStep(direct);
        final FusedStep builtIn = m.equation().fusedStep(ExponentialEulerSolver.RULE);
        // WHEN both take five steps from the same state
        final double[] a = m.initialState();
        final double[] b = a.clone();
        for (int k = 0; k < 5; k++) {
            mine.step(0.1 * k, 0.1, a, a);
            builtIn.step(0.1 * k, 0.1, b, b);
        }
        // THEN the bits are equal: the cache holds exactly the values the direct form recomputes
        assertArrayEquals(b, a, 0.0);
        assertNotEquals(m.initialState()[m.layout().index("v[0]")], a[m.layout().index("v[0]")]);
        assertTrue(mine.inPlace(), "the same update order as the built-in rule");
    }

    @Test
    void stepClassesAreCompiledOncePerModelAndRule() {
        final Model m = OwnSolversTest.conductanceModel(0.0);
        final FusedStep first = m.equation().fusedStep(EulerSimulation.RULE);
        final FusedStep second = m.equation().fusedStep(EulerSimulation.RULE);
        // separate instances (each owns its scratch space), one class
        assertNotSame(first, second);
        assertSame(first.getClass(), second.getClass());
        assertNotEquals(first.getClass(), m.equation().fusedStep(ExponentialEulerSolver.RULE).getClass());
        // a copy of the model with other parameters shares the compiled classes
        assertSame(first.getClass(), m.withParameter("tau", 20.0).equation().fusedStep(EulerSimulation.RULE)
                .getClass());
    }

    @Test
    void theStepSharesItsEquationsInputs() {
        // GIVEN a fused Euler step of an equation whose input x is then changed through the equation
        final Model m = OwnSolversTest.conductanceModel(0.0);
        final var eq = m.equation();
        final FusedStep step = eq.fusedStep(EulerSimulation.RULE);
        final double[] y = m.initialState();
        final double[] before = new double[y.length];
        step.step(0.0, 0.1, y, before);
        final int x0 = m.inputLayout().block("x").offset();
        eq.inputs()[x0] += 1.0;
        // WHEN stepping again from the same state
        final double[] after = new double[y.length];
        step.step(0.0, 0.1, y, after);
        // THEN the step saw the new input (g is driven by W @ x)
        final double[] dydt = new double[y.length];
        eq.derivatives(0.0, y, dydt);
        for (int i = 0; i < y.length; i++) {
            // Euler's factors: out = y + h f to rounding (4 ulps of the terms)
            assertEquals(y[i] + 0.1 * dydt[i], after[i], 4 * Math.ulp(Math.abs(y[i]) + Math.abs(0.1 * dydt[i]) + 1e-300),
                    "element " + i);
        }
        assertNotEquals(before[m.layout().index("g[0]")], after[m.layout().index("g[0]")]);
    }

    @Test
    void badRulesAreRefusedNamingTheRule() {
        final OdeException reads = assertThrows(OdeException.class,
                () -> new StepRule("leaky", "1.0 + h * y", "h", StepRule.PerElement.DIRECT));
        assertTrue(reads.getMessage().contains("'leaky'") && reads.getMessage().contains("'y'"), reads.getMessage());
        final OdeException call = assertThrows(OdeException.class,
                () -> new StepRule("sneaky", "System.exit(0)", "h", StepRule.PerElement.DIRECT));
        assertTrue(call.getMessage().contains("System.exit"), call.getMessage());
        assertThrows(OdeException.class, () -> new StepRule("Bad Name", "1.0", "h", StepRule.PerElement.DIRECT));
        assertThrows(OdeException.class, () -> new StepRule("semi", "1.0; x", "h", StepRule.PerElement.DIRECT));
        // numbers with exponents are numbers, not identifiers
        new StepRule("scaled", "1.0 + 1e-3 * h * a", "h", StepRule.PerElement.DIRECT);
        // a factor that passes the check but does not compile fails at the request, naming model and rule
        final Model m = OwnSolversTest.conductanceModel(0.0);
        final OdeException compile = assertThrows(OdeException.class, () -> m.equation()
                .fusedStep(new StepRule("typo", "Math.expp(a * h)", "h", StepRule.PerElement.CACHED)));
        assertEquals(ErrorCode.COMPILATION_FAILED, compile.code());
        assertTrue(compile.getMessage().contains("'cond', fused step 'typo'"), compile.getMessage());
    }

    @Test
    void equationsWithoutFusedStepsReturnNull() {
        assertNull(generic(OwnSolversTest.conductanceModel(0.0)).equation().fusedStep(EulerSimulation.RULE));
    }
}
