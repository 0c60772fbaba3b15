package org.neurode.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.neurode.core.Model;
import org.neurode.core.Problem;
import org.neurode.core.Trajectory;
import org.neurode.examples.bench.Brian2Models;
import org.neurode.solvers.SolveOptions;
import org.neurode.solvers.Solvers;

/**
 * The Brian2 rate, dend and CUBA networks of {@code neurode bench rate}, {@code bench dend} and {@code bench network}
 * are the stated equations.
 */
class Brian2BenchModelsTest {

    @Test
    void rateNetworkIsTauRDotEqualsMinusRPlusTanhOfItsInput() {
        // GIVEN the 100-neuron rate network
        final Model m = Brian2Models.rate(100, 42);
        // the weights and drives are inputs: constants in their own buffer, not integrated state
        assertEquals(100 * 100, m.block("W").size());
        assertEquals(100, m.dimension());
        final double[] y = m.initialState();
        final double[] in = m.initialInputs();
        final int w = m.inputLayout().index("W[0, 0]");
        final int ext = m.inputLayout().index("I_ext[0]");
        final int r = m.layout().index("r[0]");
        // WHEN its right-hand side is evaluated at the initial state
        final double[] dydt = new double[y.length];
        m.equation().derivatives(0.0, y, dydt);
        // THEN dr_i/dt = (-r_i + tanh(sum_j W_ij r_j + I_i)) / 10 (to rounding: 1e-15 against values below 0.2)
        for (int i = 0; i < 100; i++) {
            double input = in[ext + i];
            for (int j = 0; j < 100; j++) {
                input += in[w + 100 * i + j] * y[r + j];
            }
            assertEquals((-y[r + i] + Math.tanh(input)) / 10.0, dydt[r + i], 1e-15, "neuron " + i);
        }
        // and the weights have Brian2's spread g / sqrt(N) = 0.15 (10,000 samples: within 3%)
        double sq = 0;
        for (int k = 0; k < 10_000; k++) {
            sq += in[w + k] * in[w + k];
        }
        assertEquals(0.15, Math.sqrt(sq / 10_000), 0.15 * 0.03);
    }

    @Test
    void dendInputsFilterTheirSinusoidalRatesAndThePlasticWeightsMove() {
        // GIVEN the dend network (f in cycles per ms) solved to 20 ms with dop853 at 1e-10
        final Model m = Brian2Models.dend(100, 100, 42);
        final Trajectory tr = Solvers.get("dop853").solve(Problem.of(m, 20.0), SolveOptions.tolerances(1e-10, 1e-12));
        final double[] y0 = m.initialState();
        final double[] y = tr.finalState();
        // THEN each PSP is the closed-form solution of tau psp' = -psp + (1 + sin(w t + phi))/2 from 0, tau = 3 ms:
        // psp = (1 - e^(-t/tau))/2 + ((s(t) - w tau c(t)) - e^(-t/tau)(s(0) - w tau c(0))) / (2 (1 + w^2 tau^2))
        // (s, c: sin and cos of w t + phi); to 1e-8 (the solver's error at 1e-10 is about 1e-10)
        final double tau = 3.0;
        final double t = 20.0;
        final double decay = Math.exp(-t / tau);
        for (int i = 0; i < 100; i++) {
            final double f = m.initialInputs()[m.inputLayout().index("f[" + i + "]")];
            final double phi = m.initialInputs()[m.inputLayout().index("phase[" + i + "]")];
            assertTrue(f >= 0.002 && f <= 0.010, "2-10 Hz in cycles per ms: " + f);
            final double om = 2 * Math.PI * f;
            final double wt = om * tau;
            final double expected = 0.5 * (1 - decay) + ((Math.sin(om * t + phi) - wt * Math.cos(om * t + phi))
                    - decay * (Math.sin(phi) - wt * Math.cos(phi))) / (2 * (1 + wt * wt));
            assertEquals(expected, y[m.layout().index("psp[" + i + "]")], 1e-8, "psp " + i);
        }
        // AND the somata moved and the plastic weights changed, by about eta * |sigma(u) - sigma(vb*)| * psp * t
        // (below 1e-5 * 0.5 * 1 * 20 = 1e-4)
        assertTrue(Math.abs(y[m.layout().index("u[5]")]) > 1e-3, "u moved");
        double moved = 0;
        for (int k = 0; k < 10_000; k++) {
            final int at = m.layout().index("W[0, 0]") + k;
            moved = Math.max(moved, Math.abs(y[at] - y0[at]));
        }
        assertTrue(moved > 1e-7 && moved < 1e-4, "largest weight change " + moved);
    }

    @Test
    void theBenchmarkCubaNetworkIsTheExampleModelFile() {
        // GIVEN the network `bench network` times at its published size and examples/models/cuba.ode
        final Model bench = Brian2Models.cuba(4000, 0.02, 1.0);
        final Model example = org.neurode.core.expr.ModelFile.read(java.nio.file.Path.of("..", "examples", "models",
                "cuba.ode")).model();
        // WHEN both run 200 ms with forward Euler at dt 0.1 ms
        final SolveOptions o = SolveOptions.fixedStep(0.1);
        final Trajectory a = Solvers.get("euler")
                .solve(Problem.of(bench, 200.0), o);
        final Trajectory b = Solvers.get("euler")
                .solve(Problem.of(example, 200.0), o);
        // THEN the same model text and seed give the same synapses and initial values: the same spikes, exactly
        assertTrue(a.eventCount() > 1000, "the network fires: " + a.eventCount());
        assertEquals(b.eventCount(), a.eventCount());
        assertArrayEquals(b.finalState(), a.finalState(), 0.0);
    }
}
