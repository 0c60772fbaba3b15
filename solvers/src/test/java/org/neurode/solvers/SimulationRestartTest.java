package org.neurode.solvers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.neurode.core.ErrorCode;
import org.neurode.core.Model;
import org.neurode.core.OdeException;
import org.neurode.core.Problem;
import org.neurode.core.Recorder;
import org.neurode.core.expr.ModelBuilder;
import org.neurode.core.expr.Var;

/** {@link Simulation#restart}: one simulation serving many presentations gives the numbers of a new one for each. */
class SimulationRestartTest {

    /** A noisy leaky population driven by an input, with a plastic matrix (the shape of a learning experiment). */
    private static Model model() {
        final ModelBuilder b = ModelBuilder.named("presentations");
        final Var x = b.input("x", 3, "1");
        final Var v = b.vector("v", 4, "1");
        final Var w = b.matrix("w", 4, 3, "1");
        b.param("tau", 2.0);
        b.ode(v, "(-v + w @ x) / tau");
        b.ode(w, "0.01 * outer(tanh(v), x)");
        b.noise(v, 0.3);
        return b.initial(w, 0.1).build();
    }

    @Test
    void restartedSimulationGivesTheNumbersOfANewOne() {
        for (final String solver : new String[] {"euler-maruyama", "exponential-euler", "exponential-trapezoid"}) {
            final Model m = model();
            final SolveOptions options = SolveOptions.fixedStep(0.1);
            final double[] fresh = m.initialState();
            final double[] reused = m.initialState();
            Simulation kept = null;
            for (int p = 0; p < 5; p++) {
                final double[] x = {Math.sin(p), Math.cos(p), 0.5 - p % 2};
                // GIVEN pattern p presented on a new simulation
                final Simulation a = Solvers.get(solver).start(Problem.of(m, fresh, 1e9), options.withSeed(100 + p));
                a.setBlock("x", x);
                a.advance(7.3);
                a.copyState(fresh);
                // AND on one simulation restarted at 0 with the pattern's seed
                if (kept == null) {
                    kept = Solvers.get(solver).start(Problem.of(m, reused, 1e9), options.withSeed(100 + p));
                } else {
                    kept.restart(0.0, reused);
                    kept.reseedNoise(100 + p);
                }
                kept.setBlock("x", x);
                kept.advance(7.3);
                kept.copyState(reused);
                // THEN both give the same bits, pattern after pattern
                assertArrayEquals(fresh, reused, 0.0, solver + ", pattern " + p);
                assertEquals(7.3, kept.time(), 1e-12);
            }
        }
    }

    @Test
    void restartRefusesRunsTiedToTheirTimeLine() {
        final Model m = model();
        // a recorder sampling along the way
        final Simulation recorded = Solvers.get("euler-maruyama").start(Problem.of(m, 1e9),
                SolveOptions.fixedStep(0.1).withRecorder(Recorder.every(1.0)));
        final OdeException e = assertThrows(OdeException.class, () -> recorded.restart(0.0, m.initialState()));
        assertEquals(ErrorCode.UNSUPPORTED, e.code());
        assertTrue(e.getMessage().contains("recorders"), e.getMessage());
        // a state of another length
        final Simulation plain = Solvers.get("euler-maruyama").start(Problem.of(m, 1e9), SolveOptions.fixedStep(0.1));
        assertEquals(ErrorCode.DIMENSION_MISMATCH,
                assertThrows(OdeException.class, () -> plain.restart(0.0, new double[3])).code());
        // a finished run
        plain.advance(1.0);
        plain.finish();
        assertEquals(ErrorCode.INVALID_ARGUMENT,
                assertThrows(OdeException.class, () -> plain.restart(0.0, m.initialState())).code());
    }
}
