package org.neurode.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.neurode.core.Model;
import org.neurode.core.Problem;
import org.neurode.examples.bench.SeedBatch;
import org.neurode.models.Microcircuit;
import org.neurode.solvers.Simulation;
import org.neurode.solvers.SolveOptions;
import org.neurode.solvers.Solvers;

/**
 * The interleaved seed batch of {@code neurode bench seeds} integrates the same equations with the same update as
 * the compiled microcircuit under {@code exponential-euler}, so that its speed can be compared with one seed per
 * simulation.
 */
class SeedBatchTest {

    @ParameterizedTest(name = "interleaved {0}")
    @ValueSource(booleans = {true, false})
    void batchedSeedsFollowTheCompiledCircuitUnderExponentialEuler(final boolean interleaved) {
        // GIVEN the regression circuit without noise, nudging and plasticity on, one seed per vector lane, each with its own weights
        final Microcircuit.Config config = Microcircuit.Config.paperRegression().withLearningRateScale(100);
        final Model built = Microcircuit.build(config).withoutNoise();
        final SeedBatch batch = new SeedBatch(config, interleaved, 1);
        final Model[] models = new Model[batch.lanes()];
        final double[][] states = new double[batch.lanes()][];
        for (int lane = 0; lane < batch.lanes(); lane++) {
            states[lane] = built.initialState();
            models[lane] = Microcircuit.randomWeights(built, states[lane], 1.0, new SplittableRandom(lane))
                    .withInput("plastic", 1.0).withInput("nudge", 1.0);
            batch.load(lane, models[lane], states[lane]);
        }
        // WHEN each trains on two 100-ms patterns at dt 0.5 ms, once compiled and once in the batch
        final SplittableRandom inputs = new SplittableRandom(7);
        final Simulation[] sims = new Simulation[batch.lanes()];
        for (int lane = 0; lane < batch.lanes(); lane++) {
            sims[lane] = Solvers.get("exponential-euler").start(Problem.of(models[lane], states[lane], 1e9),
                    SolveOptions.fixedStep(0.5));
        }
        for (int p = 0; p < 2; p++) {
            for (int lane = 0; lane < batch.lanes(); lane++) {
                final double[] x = inputs.doubles(30, -1, 1).toArray();
                final double[] target = inputs.doubles(10, -1, 1).toArray();
                sims[lane].setBlock("x", x);
                sims[lane].setBlock("uTarget", target);
                sims[lane].advance(100.0);
                batch.setPattern(lane, x, target);
            }
            batch.advance(200, 0.5, false);
        }
        // THEN every integrated value agrees to 1e-9 of its block's largest magnitude: the two sum the products in
        // different orders (measured: at most 4.7e-14, in DW1; 1e-9 leaves room for other machines' FMA use); using
        // the new filter D in the weights' update, for one, moves u1 by 1.9e-5 of its size
        for (int lane = 0; lane < batch.lanes(); lane++) {
            final double[] compiled = new double[states[lane].length];
            sims[lane].copyState(compiled);
            final double[] batched = compiled.clone();
            java.util.Arrays.fill(batched, Double.NaN);
            batch.store(lane, models[lane], batched);
            for (final String block : new String[] {"r0", "u1", "u2", "uI1", "W1", "W2", "P1", "Q1", "DW1", "DW2",
                                                    "DP1", "DQ1"}) {
                final var b = built.layout().block(block);
                double scale = 0;
                double diff = 0;
                for (int i = b.offset(); i < b.offset() + b.size(); i++) {
                    scale = Math.max(scale, Math.abs(compiled[i]));
                    diff = Math.max(diff, Math.abs(compiled[i] - batched[i]));
                }
                assertTrue(scale > 0 && diff <= 1e-9 * scale,
                        "lane " + lane + " block " + block + ": difference " + diff + " against " + scale);
            }
        }
    }
}
