package org.neurode.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.neurode.core.Model;
import org.neurode.core.StateLayout;
import org.neurode.core.expr.ModelFile;
import org.neurode.models.HodgkinHuxley;
import org.neurode.solvers.compare.IvpProblem;
import org.neurode.solvers.compare.StandardProblems;

/**
 * The model files shipped in {@code examples/models} parse and equal the models they describe.
 */
class ModelFilesTest {

    /** The tests run in the tests module's folder. */
    private static final Path MODELS = Path.of("..", "examples", "models");

    @Test
    void hodgkinHuxleyFileEqualsTheJavaModel() {
        // GIVEN the file and the Java model at the same current
        final ModelFile file = ModelFile.read(MODELS.resolve("hodgkin-huxley.ode"));
        final Model text = file.model();
        final Model java = HodgkinHuxley.create(1, 10.0);
        final StateLayout lt = text.layout();
        final StateLayout lj = java.layout();
        final SplittableRandom rnd = new SplittableRandom(5);
        final double[] yt = text.initialState();
        final double[] yj = java.initialState();
        // THEN the initial gates are the steady states to the 4 digits written in the file
        for (final String g : new String[] {"m", "h", "n"}) {
            assertEquals(yj[lj.index(g + "[0]")], yt[lt.index(g)], 5e-5, g);
        }
        // AND the right-hand sides agree at random states to round-off
        final double[] ft = new double[text.dimension()];
        final double[] fj = new double[java.dimension()];
        for (int k = 0; k < 20; k++) {
            final double v = rnd.nextDouble(-90, 50);
            final double[] gates = {rnd.nextDouble(), rnd.nextDouble(), rnd.nextDouble()};
            yt[lt.index("V")] = v;
            yj[lj.index("V[0]")] = v;
            final String[] names = {"m", "h", "n"};
            for (int g = 0; g < 3; g++) {
                yt[lt.index(names[g])] = gates[g];
                yj[lj.index(names[g] + "[0]")] = gates[g];
            }
            text.equation().derivatives(0.0, yt, ft);
            java.equation().derivatives(0.0, yj, fj);
            for (final String n : new String[] {"V", "m", "h", "n"}) {
                final double expected = fj[lj.index(n + "[0]")];
                assertEquals(expected, ft[lt.index(n)], 1e-12 * Math.max(1, Math.abs(expected)), n);
            }
        }
        assertEquals(100.0, file.tEnd());
    }

    @Test
    void vanDerPolFileIsTheTestSetProblem() {
        // GIVEN the file and the built-in VDPOLM problem
        final IvpProblem fromFile = IvpProblem.from(ModelFile.read(MODELS.resolve("vdpol.ode")), "vdpol.ode");
        final IvpProblem builtIn = StandardProblems.get("VDPOLM_MU1000");
        // THEN span, stiffness, reference and right-hand side are the same
        assertEquals(builtIn.problem().tEnd(), fromFile.problem().tEnd());
        assertTrue(fromFile.stiff());
        assertEquals(builtIn.reference()[0], fromFile.reference()[0], 0.0);
        assertEquals(builtIn.reference()[1], fromFile.reference()[1], 0.0);
        final double[] y = {1.2, -0.7};
        final double[] a = new double[2];
        final double[] b = new double[2];
        fromFile.problem().model().equation().derivatives(0.0, y, a);
        builtIn.problem().model().equation().derivatives(0.0, y, b);
        assertEquals(b[0], a[0], 0.0);
        assertEquals(b[1], a[1], 1e-12 * Math.abs(b[1]));
    }

    @Test
    void e5FileIsTheStandardProblem() {
        // GIVEN the file and the built-in E5 problem (issue 18)
        final IvpProblem fromFile = IvpProblem.from(ModelFile.read(MODELS.resolve("e5.ode")), "e5.ode");
        final IvpProblem builtIn = StandardProblems.get("E5");
        // THEN span, stiffness, atol factor and reference are the same
        assertEquals(builtIn.problem().tEnd(), fromFile.problem().tEnd());
        assertTrue(fromFile.stiff());
        assertEquals(builtIn.atolFactor(), fromFile.atolFactor(), 0.0);
        for (int i = 0; i < 4; i++) {
            assertEquals(builtIn.reference()[i], fromFile.reference()[i], 0.0);
        }
        // AND the right-hand side gives the same bits, y3' computed as y2' - y4' in both (random states around the
        // trajectory: y1 up to 1.8e-3, the others up to 1.4e-10)
        final java.util.SplittableRandom rnd = new java.util.SplittableRandom(5);
        final double[] a = new double[4];
        final double[] b = new double[4];
        for (int trial = 0; trial < 100; trial++) {
            final double[] y = {rnd.nextDouble(0, 1.8e-3), rnd.nextDouble(0, 1.4e-10), rnd.nextDouble(0, 1.4e-10),
                                rnd.nextDouble(0, 1.4e-10)};
            fromFile.problem().model().equation().derivatives(0.0, y, a);
            builtIn.problem().model().equation().derivatives(0.0, y, b);
            for (int i = 0; i < 4; i++) {
                assertEquals(b[i], a[i], 0.0, "f" + (i + 1));
            }
        }
    }
}
