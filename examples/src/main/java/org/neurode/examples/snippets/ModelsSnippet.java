package org.neurode.examples.snippets;

import org.neurode.core.Model;
import org.neurode.models.Microcircuit;
import org.neurode.solvers.Simulation;
import org.neurode.solvers.SolveOptions;
import org.neurode.solvers.Solvers;

/** The example of neuron-models/README.md: the dendritic microcircuit, pattern by pattern. */
public final class ModelsSnippet {

    private ModelsSnippet() {
    }

    /** @return the output potentials after three patterns */
    public static double[] outputAfterThreePatterns() {
        Model built = Microcircuit.build(Microcircuit.Config.paperRegression());
        double[] y = built.initialState();
        // plastic weights into the state, the fixed top-down weights into the model's parameters
        Model circuit = Microcircuit.randomWeights(built, y, 1.0, new java.util.SplittableRandom(1));
        Simulation sim = Solvers.get("exponential-euler").start(
                org.neurode.core.Problem.of(circuit, y, 1e9), SolveOptions.fixedStep(0.5));
        for (int p = 0; p < 3; p++) {
            sim.setBlock("x", new java.util.SplittableRandom(p).doubles(30, -1, 1).toArray());
            sim.advance(100.0);                                                   // one 100-ms pattern
        }
        double[] u2 = new double[10];
        sim.copyBlock("u2", u2);
        return u2;
    }
}
