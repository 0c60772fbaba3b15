package org.neurode.core.expr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurode.core.Model;
import org.neurode.core.OdeException;
import org.neurode.core.spec.ParameterSpec;
import org.neurode.core.spec.ValueSpec;

/**
 * Values computed when a model is built (expressions in parameter and initial values, rand()/randn() seeded),
 * white noise written as {@code xi} in an equation, and parameter arrays read from files (issue 13).
 */
class ValuesAndNoiseTest {

    @TempDir
    Path dir;

    private static double[] initial(final Model m, final String block) {
        final var b = m.layout().block(block);
        return Arrays.copyOfRange(m.initialState(), b.offset(), b.offset() + b.size());
    }

    @Test
    void initialAndParameterValuesAreExpressions() {
        final ModelFile f = ModelFile.parse("""
                parameter g = 2 * pi / 4
                parameter h = g * 2
                state v[4] = 0.1 * i / N + h
                state W[2, 3] = 10 * i + j
                dv/dt = -v
                dW/dt = -W
                """, "values.ode", "values");
        final Model m = f.model();
        // pi/2 exactly as Java computes 2 * Math.PI / 4; then doubled
        assertEquals(2 * Math.PI / 4, m.parameters().asMap().get("g"), 0.0);
        final double h = 2 * Math.PI / 4 * 2;
        assertArrayEquals(new double[] {0.1 * 0 / 4 + h, 0.1 * 1 / 4 + h, 0.1 * 2 / 4 + h, 0.1 * 3 / 4 + h},
                          initial(m, "v"));
        assertArrayEquals(new double[] {0, 1, 2, 10, 11, 12}, initial(m, "W"));
        // the spec keeps the expressions, so printing and round trips keep them
        assertTrue(m.spec().orElseThrow().variables().get(0).initial() instanceof ValueSpec.Expression);
    }

    @Test
    void valuesWithUnitsAreConvertedOnceAtBuildTime() {
        // every declaration has a unit, so the model is checked; 0.01 second in ms is 10
        final ModelFile f = ModelFile.parse("""
                parameter tau = 0.01 * second unit ms
                state v = -0.065 * volt unit mV
                dv/dt = -v / tau
                """, "units.ode", "units");
        assertEquals(10.0, f.model().parameters().asMap().get("tau"), 1e-12);    // 0.01 * 1000 rounds once
        assertEquals(-65.0, f.model().initialState()[0], 1e-12);
        final OdeException e = assertThrows(OdeException.class, () -> ModelFile.parse("""
                parameter tau = 10 unit ms
                input I = 1 unit nA
                state v = 0 unit mV
                dv/dt = (I - v) / tau
                """, "bad.ode", "bad"));
        assertTrue(e.getMessage().contains("'I - v' subtracts 'v' in mV from 'I' in nA"), e.getMessage());
        // the error is reported at the line of the declaration it names (the units are checked once all are known)
        assertTrue(e.getMessage().startsWith("bad.ode line 4, column 1: in dv/dt = (I - v) / tau"), e.getMessage());
        final OdeException p = assertThrows(OdeException.class, () -> ModelFile.document("""
                state v = 0 unit mV
                parameter tau = 5 * mV unit ms
                dv/dt = -v / tau
                """, "p.ode", "p"));
        assertTrue(p.getMessage().startsWith("p.ode line 2, column 1: in parameter tau"), p.getMessage());
        // and in a YAML document, at the place of the equation
        final OdeException y = assertThrows(OdeException.class, () -> ModelDocuments.parse("""
                schema: neurode-model/1
                parameters:
                  - {name: tau, value: 10, unit: ms}
                variables:
                  - {name: I, kind: input, unit: nA}
                  - {name: v, unit: mV}
                equations:
                  v: (I - v) / tau
                """, ModelDocuments.Format.YAML, "bad.yaml", "bad"));
        assertTrue(y.getMessage().startsWith("bad.yaml line 8, column ") && y.getMessage().contains("in dv/dt = "
                + "(I - v) / tau: 'I - v' subtracts 'v' in mV from 'I' in nA"), y.getMessage());
    }

    @Test
    void randomInitialValuesAreSeeded() {
        final String text = "state v[10000] = -65 + 5 * randn()\nstate u[3] = rand()\ndv/dt = -v\ndu/dt = -u\n";
        final ModelBuilder a = ModelBuilder.from(ModelFile.document(text, "r.ode", "r").model());
        final ModelBuilder b = ModelBuilder.from(ModelFile.document(text, "r.ode", "r").model());
        final ModelBuilder c = ModelBuilder.from(ModelFile.document(text, "r.ode", "r").model()).seed(7);
        final double[] va = initial(a.build(), "v");
        assertArrayEquals(va, initial(b.build(), "v"), "same seed, same values");
        final double[] vc = initial(c.build(), "v");
        assertFalse(Arrays.equals(va, vc), "another seed, other values");
        double mean = 0;
        for (final double x : va) {
            mean += x / va.length;
        }
        double var = 0;
        for (final double x : va) {
            var += (x - mean) * (x - mean) / (va.length - 1);
        }
        // 10,000 normal draws: the mean's standard error is 5 / 100 = 0.05, so 4 of them is 0.2; the standard
        // deviation's is about 5 / sqrt(2 * 10,000) = 0.035, so 0.15 is over 4 of them
        assertEquals(-65.0, mean, 0.2);
        assertEquals(5.0, Math.sqrt(var), 0.15);
        final OdeException e = assertThrows(OdeException.class,
                () -> ModelFile.parse("state v = 0\ndv/dt = rand()\n", "x.ode", "x"));
        assertTrue(e.getMessage().contains("rand() draws initial and parameter values"), e.getMessage());
    }

    @Test
    void aModelFilesRandomValuesComeFromTheRunsSeed() throws IOException {
        final Path file = dir.resolve("r.ode");
        Files.writeString(file, "state v[5] = randn()\ndv/dt = -v\n");
        final double[] a = ModelFile.read(file, 5).model().initialState();
        assertArrayEquals(a, ModelFile.read(file, 5).model().initialState());
        assertFalse(Arrays.equals(a, ModelFile.read(file, 6).model().initialState()));
    }

    @Test
    void whiteNoiseWrittenAsXiIsTheModelsNoise() {
        final ModelFile f = ModelFile.parse("""
                parameter tau = 10
                parameter sigma = 2
                state v[3] = 0
                dv/dt = -v / tau + sigma * sqrt(2 / tau) * xi
                """, "ou.ode", "ou");
        final Model m = f.model();
        assertEquals(1, m.noise().size());
        assertEquals("v", m.noise().get(0).block());
        assertEquals(2 * Math.sqrt(2.0 / 10), m.noise().get(0).sigma(), 0.0);
        final double[] d = new double[3];
        m.equation().derivatives(0.0, new double[] {1, 2, 3}, d);
        assertArrayEquals(new double[] {-0.1, -0.2, -0.30000000000000004}, d, 1e-15);
        // noise alone, and a negated term (white noise has no sign)
        assertEquals(0.5, ModelFile.parse("state x = 0\ndx/dt = -0.5 * xi\n", "n.ode", "n").model().noise().get(0)
                .sigma(), 0.0);
        for (final String bad : new String[] {"v * xi", "xi * xi", "1 / xi", "0.1 * xi + 0.2 * xi", "exp(xi)"}) {
            final OdeException e = assertThrows(OdeException.class,
                    () -> ModelFile.parse("state v = 0\ndv/dt = -v + " + bad + "\n", "b.ode", "b"), bad);
            assertTrue(e.getMessage().contains("white noise must be one term 'sigma * xi'"), e.getMessage());
        }
    }

    @Test
    void parameterArraysComeFromFilesNextToTheModel() throws IOException {
        Files.writeString(dir.resolve("w.csv"), "1, 2, 3\n4, 5, 6\n");
        final Path model = dir.resolve("net.ode");
        final String text = "parameter W[2, 3] from \"w.csv\"\nstate v = 0\ndv/dt = -v\n";
        Files.writeString(model, text);
        // the file is read next to the model file, and the array is a parameter of the model, not state
        final ParameterSpec w = ModelFile.document(text, model.toString(), "net").model().parameters().get(0);
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, ((ValueSpec.Values) w.value()).values());
        final Model m = ModelFile.read(model).model();
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, m.parameters().array("W"));
        assertEquals(1, m.dimension());
        Files.writeString(dir.resolve("w.csv"), "1, 2, 3\n4, x, 6\n");
        final OdeException e = assertThrows(OdeException.class,
                () -> ModelFile.document(text, model.toString(), "net"));
        assertTrue(e.getMessage().contains("line 1") && e.getMessage().contains("w.csv: line 2, column 4: 'x' is not "
                + "a number"), e.getMessage());
        Files.delete(dir.resolve("w.csv"));
        final OdeException missing = assertThrows(OdeException.class,
                () -> ModelFile.document(text, model.toString(), "net"));
        assertTrue(missing.getMessage().contains("w.csv: no such file"), missing.getMessage());
    }

    @Test
    void theReadmeYamlExampleReadsAndBuilds() {
        // the YAML document of the README's "Models as data" section, as printed there
        final String yaml = """
                schema: neurode-model/1
                name: ou
                timeUnit: ms
                parameters:
                  - {name: EL, value: -0.065 * volt, unit: mV}   # converted once, when the model is built: -65
                  - {name: tau, value: 10, unit: ms}
                  - {name: sigma, value: 2, unit: mV}
                variables:
                  - {name: v, shape: [100], unit: mV, initial: -65 + 5 * randn()}   # drawn from the model's seed
                equations:
                  v: (EL - v) / tau + sigma * sqrt(2 / tau) * xi                    # xi: white noise, as in Brian2
                """;
        final Model m = ModelDocuments.compile(ModelDocuments.parse(yaml, ModelDocuments.Format.YAML, "ou.yaml",
                "ou"));
        assertEquals(-65.0, m.parameters().asMap().get("EL"), 1e-12);          // -0.065 * 1000, one rounding
        assertEquals(2 * Math.sqrt(2.0 / 10), m.noise().get(0).sigma(), 0.0);
        assertEquals(100, m.dimension());
        final double[] d = new double[100];
        final double[] y = new double[100];
        m.equation().derivatives(0.0, y, d);
        assertEquals(-6.5, d[0], 1e-12);
    }
}
