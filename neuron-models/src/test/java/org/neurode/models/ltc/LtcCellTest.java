package org.neurode.models.ltc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurode.core.Model;
import org.neurode.core.OdeException;
import org.neurode.core.Problem;
import org.neurode.models.learn.GradientCheck;
import org.neurode.models.learn.Losses;
import org.neurode.models.learn.ParameterVector;
import org.neurode.models.learn.SequenceModel;
import org.neurode.solvers.SolveOptions;
import org.neurode.solvers.Solvers;

/**
 * The LTC cell: its backpropagation-through-time gradient against central differences, its fused step against
 * the solvers on its own ODE, the parameter count of ncps, and save/load.
 */
class LtcCellTest {

    /**
     * Rounding of a central difference with h = 1e-6 is about 1e-16 |L| / 1e-6 = 1e-10 for losses |L| ~ 1
     * (measured: absolute differences 2e-11 to 1.2e-10 between the BPTT gradient and the finite differences):
     * gradients below 1e-3 are therefore compared absolutely, so that the finite differences' own rounding stays
     * near 1e-7 relative; a wrong gradient term larger than 1e-9 still fails the 1e-6 bound.
     */
    static final double FLOOR = 1e-3;

    @TempDir
    Path temp;

    /** A short random sequence with irregular elapsed times in [0.3, 2) and random targets. */
    static final class Task {
        final double[][] inputs;
        final double[] elapsed;
        final double[][] targets;
        final double[][] outputs;
        final double[][] gradient;

        Task(final SequenceModel model, final int steps, final long seed) {
            final SplittableRandom rng = new SplittableRandom(seed);
            inputs = new double[steps][model.inputSize()];
            elapsed = new double[steps];
            targets = new double[steps][model.outputSize()];
            outputs = new double[steps][model.outputSize()];
            gradient = new double[steps][model.outputSize()];
            for (int k = 0; k < steps; k++) {
                for (int s = 0; s < model.inputSize(); s++) {
                    inputs[k][s] = 2 * rng.nextDouble() - 1;
                }
                elapsed[k] = 0.3 + 1.7 * rng.nextDouble();
                for (int o = 0; o < model.outputSize(); o++) {
                    targets[k][o] = 2 * rng.nextDouble() - 1;
                }
            }
        }

        double loss(final SequenceModel model) {
            model.forward(inputs, elapsed, outputs);
            return Losses.meanSquaredError(outputs, targets, null);
        }

        double[] gradient(final SequenceModel model) {
            model.forward(inputs, elapsed, outputs);
            Losses.meanSquaredError(outputs, targets, gradient);
            model.parameters().zeroGradient();
            model.backward(gradient);
            return model.parameters().gradient().clone();
        }
    }

    /** Moves every parameter a little off its initial value, so that no gradient is special (input_w = 1...). */
    static void perturb(final ParameterVector p, final long seed) {
        final SplittableRandom rng = new SplittableRandom(seed);
        final double[] v = p.values();
        for (int i = 0; i < v.length; i++) {
            v[i] += 0.2 * (rng.nextDouble() - 0.5);
        }
    }

    static double checkGradient(final SequenceModel model, final int steps) {
        final Task task = new Task(model, steps, 99);
        final double[] g = task.gradient(model);
        return GradientCheck.maxRelativeError(model.parameters(), g, () -> task.loss(model), 1, FLOOR);
    }

    @Test
    void bpttGradientMatchesCentralDifferencesFullyConnected() {
        // GIVEN a fully connected LTC of 5 neurons, 2 motor, 3 inputs, off its initial values, and 6 irregular steps
        final LtcCell cell = LtcCell.of(FullyConnected.of(5, 2, 3), 7);
        perturb(cell.parameters(), 8);
        // WHEN its BPTT gradient of the MSE is compared with central differences at every parameter
        final double err = checkGradient(cell, 6);
        // THEN they agree to 1e-6 relative (measured 1.2e-7: the finite differences' own rounding)
        assertTrue(err < 1e-6, "max relative error " + err);
    }

    @Test
    void bpttGradientMatchesCentralDifferencesAutoNcp() {
        // GIVEN an AutoNCP(10, 2) LTC with 3 inputs (masked synapses: their exact zero gradients count as well)
        final LtcCell cell = LtcCell.of(AutoNcp.of(10, 2, 3), 3, 1e-8, 11);
        perturb(cell.parameters(), 12);
        // WHEN compared with central differences over 7 irregular steps
        final double err = checkGradient(cell, 7);
        // THEN they agree to 1e-6 relative (measured 7.0e-8)
        assertTrue(err < 1e-6, "max relative error " + err);
    }

    @Test
    void gradientIsAccumulatedNotOverwritten() {
        // GIVEN a gradient of one backward pass
        final LtcCell cell = LtcCell.of(FullyConnected.of(4, 1, 2), 5);
        final Task task = new Task(cell, 4, 1);
        final double[] once = task.gradient(cell);
        // WHEN backward runs a second time without clearing
        cell.backward(task.gradient);
        // THEN the gradient doubled (accumulation, the contract of SequenceModel.backward), up to the rounding of
        // summing the second pass's per-step terms onto a non-zero total
        for (int i = 0; i < once.length; i++) {
            assertEquals(2 * once[i], cell.parameters().gradient()[i], 1e-14 * Math.abs(once[i]));
        }
    }

    @Test
    void parameterCountsMatchNcps() {
        // GIVEN the wirings of ncps' sine examples (2 inputs)
        // THEN 3N + 4N^2 + 4MN + 2M + 2 motors parameters: 350 (Keras prints 350 for AutoNCP(8,1)) and 1206
        assertEquals(350, LtcCell.of(AutoNcp.of(8, 1, 2), 1).parameters().size());
        assertEquals(1206, LtcCell.of(AutoNcp.of(16, 1, 2), 1).parameters().size());
    }

    @Test
    void initialValuesFollowNcpsRangesAndPolarities() {
        // GIVEN a fresh cell
        final Wiring w = AutoNcp.of(16, 1, 2);
        final LtcCell cell = LtcCell.of(w, 3);
        final ParameterVector p = cell.parameters();
        // THEN each block lies in its ncps range and the reversal potentials are the wiring's polarities
        assertInRange(p.get("gleak"), 0.001, 1.0);
        assertInRange(p.get("vleak"), -0.2, 0.2);
        assertInRange(p.get("cm"), 0.4, 0.6);
        assertInRange(p.get("w"), 0.001, 1.0);
        assertInRange(p.get("sigma"), 3, 8);
        assertInRange(p.get("mu"), 0.3, 0.8);
        assertInRange(p.get("sensory_w"), 0.001, 1.0);
        final double[] erev = p.get("erev");
        for (int i = 0; i < 16; i++) {
            for (int j = 0; j < 16; j++) {
                assertEquals(w.polarity(i, j), erev[i * 16 + j], 0.0);
            }
        }
        assertArrayEquals(new double[] {1, 1}, p.get("input_w"), 0.0);
        assertArrayEquals(new double[] {0}, p.get("output_b"), 0.0);
        // AND the same seed gives the same values
        assertArrayEquals(p.values(), LtcCell.of(w, 3).parameters().values(), 0.0);
    }

    private static void assertInRange(final double[] v, final double lo, final double hi) {
        for (final double x : v) {
            assertTrue(x >= lo && x < hi, x + " not in [" + lo + ", " + hi + ")");
        }
    }

    @Test
    void fusedStepIsFirstOrderAgainstDop853AndTheCellEqualsTheSolver() {
        // GIVEN a fully connected LTC (8 neurons, 2 inputs), off its initial values, and its ODE for one input held
        // over an interval of 1, from the zero state (what the cell does in one input step)
        final LtcCell reference = LtcCell.of(FullyConnected.of(8, 1, 2), 21);
        perturb(reference.parameters(), 22);
        final double[] input = {0.6, -0.4};
        final Model model = reference.model(input);
        final Problem problem = Problem.of(model, 1.0);
        // WHEN DOP853 (rtol 1e-12) gives the reference and semi-implicit Euler runs with L = 6 ... 96 steps
        final double[] exact = Solvers.get("dop853").solve(problem, SolveOptions.tolerances(1e-12, 1e-14))
                                      .finalState();
        final int[] unfolds = {6, 12, 24, 48, 96};
        final double[] errors = new double[unfolds.length];
        for (int k = 0; k < unfolds.length; k++) {
            final double[] y = Solvers.get("semi-implicit-euler")
                    .solve(problem, SolveOptions.fixedStep(1.0 / unfolds[k])).finalState();
            errors[k] = maxAbsDiff(y, exact);
            // AND the cell with L unfolds over one step of elapsed time 1 gives the solver's state to round-off
            final LtcCell cell = LtcCell.of(FullyConnected.of(8, 1, 2), unfolds[k], 1e-8, 21);
            cell.parameters().copyFrom(reference.parameters());
            final double[][] out = new double[1][1];
            cell.forward(new double[][] {input}, new double[] {1.0}, out);
            final double[] v = new double[8];
            cell.hiddenState(0, v);
            assertArrayEquals(y, v, 1e-13, "cell against semi-implicit-euler, L = " + unfolds[k]);
        }
        // THEN the error falls as h^1: slope within 0.1 of 1 between L = 6 and 96 (measured 0.99), and error / h
        // (the first-order constant) is the same within 5 % at the two finest steps (measured: max-norm error
        // 0.131 at L = 6, 1.69e-2 at 48, 8.33e-3 at 96; constant 0.809 and 0.800). The cell equals the solver to
        // 3e-16 ... 2e-15 (the solver's grid points k h differ from sums of h in the last bit)
        final double slope = Math.log(errors[0] / errors[4]) / Math.log(16.0);
        assertEquals(1.0, slope, 0.1, java.util.Arrays.toString(errors));
        final double c48 = errors[3] * 48;
        final double c96 = errors[4] * 96;
        assertEquals(c48, c96, 0.05 * c48, "first-order constants " + c48 + ", " + c96);
    }

    private static double maxAbsDiff(final double[] a, final double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    @Test
    void adaptiveSolversAgreeOnTheCellModel() {
        // GIVEN the ODE of an AutoNCP(16, 1) cell for a constant input over 3 time units
        final LtcCell cell = LtcCell.of(AutoNcp.of(16, 1, 2), 4);
        final Problem problem = Problem.of(cell.model(new double[] {0.3, 0.9}), 3.0);
        // WHEN solved by vern9 and rodas5p at rtol 1e-10
        final double[] a = Solvers.get("vern9").solve(problem, SolveOptions.tolerances(1e-10, 1e-12)).finalState();
        final double[] b = Solvers.get("rodas5p").solve(problem, SolveOptions.tolerances(1e-10, 1e-12))
                                  .finalState();
        // THEN they agree to 1e-8 (states are O(1); both are far more accurate than that at these tolerances)
        assertArrayEquals(a, b, 1e-8);
    }

    @Test
    void saveAndLoadGiveBitIdenticalOutputs() {
        // GIVEN a trained-looking cell (perturbed parameters) and its outputs on a sequence
        final LtcCell cell = LtcCell.of(AutoNcp.of(12, 2, 3), 4, 1e-8, 5);
        perturb(cell.parameters(), 6);
        final Task task = new Task(cell, 10, 3);
        cell.forward(task.inputs, task.elapsed, task.outputs);
        final double[][] before = copy(task.outputs);
        // WHEN it is saved and loaded
        final Path file = temp.resolve("ltc.json");
        cell.save(file);
        final LtcCell loaded = LtcCell.load(file);
        // THEN wiring, options, parameters and outputs are identical to the bit
        assertEquals(cell.wiring(), loaded.wiring());
        assertEquals(4, loaded.unfolds());
        assertArrayEquals(cell.parameters().values(), loaded.parameters().values(), 0.0);
        loaded.forward(task.inputs, task.elapsed, task.outputs);
        for (int k = 0; k < before.length; k++) {
            assertArrayEquals(before[k], task.outputs[k], 0.0);
        }
        // AND a file of another kind is refused with its kind named
        CtRnnCell.of(2, 3, 1, 6, 1).save(temp.resolve("ctrnn.json"));
        final OdeException e = assertThrows(OdeException.class, () -> LtcCell.load(temp.resolve("ctrnn.json")));
        assertTrue(e.getMessage().contains("ctrnn"), e.getMessage());
    }

    static double[][] copy(final double[][] a) {
        final double[][] c = new double[a.length][];
        for (int k = 0; k < a.length; k++) {
            c[k] = a[k].clone();
        }
        return c;
    }

    @Test
    void forwardAndBackwardAllocateNothingAfterTheFirstCall() {
        // GIVEN a cell that has run a sequence once
        final LtcCell cell = LtcCell.of(AutoNcp.of(16, 1, 2), 2);
        final Task task = new Task(cell, 48, 4);
        task.gradient(cell);
        final com.sun.management.ThreadMXBean bean =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        final long id = Thread.currentThread().getId();
        // WHEN forward and backward run again on sequences of that length or shorter
        final long before = bean.getThreadAllocatedBytes(id);
        for (int r = 0; r < 20; r++) {
            cell.forward(task.inputs, task.elapsed, task.outputs);
            cell.backward(task.gradient);
        }
        final long allocated = bean.getThreadAllocatedBytes(id) - before;
        // THEN (almost) nothing is allocated: less than 1 kB for 20 passes (the counter itself may allocate a
        // little; one pass's activations alone would be 48 x 6 x 16 x 8 bytes = 37 kB)
        assertTrue(allocated < 1024, allocated + " bytes allocated");
    }

    @Test
    void badArgumentsAreNamed() {
        final Wiring w = FullyConnected.of(3, 1, 2);
        assertTrue(assertThrows(OdeException.class, () -> LtcCell.of(w, 0, 1e-8, 1)).getMessage()
                           .contains("unfolds"));
        final LtcCell cell = LtcCell.of(w, 1);
        final OdeException e = assertThrows(OdeException.class, () -> cell.forward(new double[][] {{1, 2}},
                new double[] {-1}, new double[1][1]));
        assertTrue(e.getMessage().contains("elapsed[0]"), e.getMessage());
    }
}
