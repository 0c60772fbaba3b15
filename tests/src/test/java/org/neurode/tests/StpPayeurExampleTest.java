package org.neurode.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.neurode.core.Problem;
import org.neurode.core.Recorder;
import org.neurode.core.Trajectory;
import org.neurode.core.expr.ModelBuilder;
import org.neurode.core.expr.ModelFile;
import org.neurode.core.spec.ConnectSpec;
import org.neurode.core.spec.PopulationSpec;
import org.neurode.core.spec.ProjectionSpec;
import org.neurode.models.ShortTermPlasticity;
import org.neurode.solvers.SolveOptions;
import org.neurode.solvers.Solvers;

/**
 * Issue 14: {@code examples/models/stp_payeur.ode}, the extended Tsodyks-Markram synapse of Payeur et al. 2021
 * written in the model language, gives the efficacies of the rule and the same run as the Java component
 * {@link ShortTermPlasticity}.
 */
class StpPayeurExampleTest {

    private static final double[] SPIKES = {10, 30, 50, 70, 90, 110, 130, 150, 170, 190, 490};

    /** The efficacy (w = 1) of each spike: x, u relax exactly; w u x; then x -= u x, u += f (1 - u). */
    private static double[] recursion(final double bigU, final double tauD, final double tauF, final double f) {
        final double[] e = new double[SPIKES.length];
        double x = 1;
        double u = bigU;
        for (int k = 0; k < SPIKES.length; k++) {
            if (k > 0) {
                final double gap = SPIKES[k] - SPIKES[k - 1];
                x = 1 + (x - 1) * Math.exp(-gap / tauD);
                u = bigU + (u - bigU) * Math.exp(-gap / tauF);
            }
            e[k] = u * x;
            x -= u * x;
            u += f * (1 - u);
        }
        return e;
    }

    private static Trajectory run(final org.neurode.core.Model model) {
        return Solvers.get("euler").solve(Problem.of(model, 600.0),
                SolveOptions.fixedStep(0.1).withRecorder(Recorder.every(0.1).of("ge[0]", "ge[1]")));
    }

    @Test
    void theExampleGivesTheRulesEfficaciesAndTheComponentsRun() {
        // GIVEN the example file and the same network made with the Java component
        final ModelFile file = ModelFile.read(Path.of("..", "examples", "models", "stp_payeur.ode"));
        final Trajectory fromFile = run(file.model());
        final ModelBuilder b = ModelBuilder.named("stp-payeur");
        b.param("w", 1.0, "nS");
        b.param("tau1", 1.0, "ms");
        b.ode(b.vector("ge", 2, "nS"), "0 * ge / tau1");
        b.population(new PopulationSpec("target", 2, List.of("ge")));
        b.population(PopulationSpec.generator("pre", 1, new int[SPIKES.length], SPIKES));
        b.add(ShortTermPlasticity.extended(ProjectionSpec.of("D", "pre", "target", ConnectSpec.ALL, "")
                .withTargetSlice(0, 1), ShortTermPlasticity.STD, "ge"));
        b.add(ShortTermPlasticity.extended(ProjectionSpec.of("F", "pre", "target", ConnectSpec.ALL, "")
                .withTargetSlice(1, 2), ShortTermPlasticity.STF, "ge"));
        final Trajectory fromJava = run(b.build());
        // THEN the jump of ge at each spike is the rule's efficacy with the published constants: measured 4.4e-16,
        // bound 1e-14 (ge sums efficacies below 1 nS to under 10 nS, ulp 1.8e-15)
        final double[][] expected = {recursion(0.9, 20, 1000, 0.1), recursion(0.02, 100, 100, 0.1)};
        for (int m = 0; m < 2; m++) {
            final double[] ge = fromFile.column("ge[" + m + "]");
            for (int k = 0; k < SPIKES.length; k++) {
                final int before = (int) Math.round(SPIKES[k] / 0.1);
                assertEquals(expected[m][k], ge[before + 1] - ge[before], 1e-14, "ge[" + m + "], spike " + k);
            }
            // AND the file and the component make the same run to the bit
            final double[] java = fromJava.column("ge[" + m + "]");
            for (int s = 0; s < ge.length; s++) {
                assertEquals(java[s], ge[s], 0.0, "ge[" + m + "] at sample " + s);
            }
        }
    }
}
