package org.neurode.core.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurode.core.Detection;
import org.neurode.core.OdeException;
import org.neurode.core.expr.ModelDocuments.Format;
import org.neurode.core.spec.ExprSpec;
import org.neurode.core.spec.ModelDocument;
import org.neurode.core.spec.ModelSpec;
import org.neurode.core.spec.ParameterSpec;
import org.neurode.core.spec.ProblemSettings;
import org.neurode.core.spec.ValueSpec;
import org.neurode.core.spec.VariableSpec;

/** Issue 13: model documents as model files, JSON and YAML; canonical writing, exact reading, positioned errors. */
class ModelDocumentsTest {

    /** A model with every kind of declaration and every problem setting. */
    private static ModelDocument rich() {
        final ModelBuilder b = ModelBuilder.named("rich-1.0").timeUnit("s");
        final Var x = b.input("x", 3, "Hz");
        final Var v = b.vector("v", 2, "mV");
        final Var w = b.matrix("W", 2, 3, "1");
        final Var z = b.scalar("z", "");
        b.param("tau", 0.01, "s");
        b.param("eta", 1e-10);
        b.let("drive", "W @ x");
        b.ode(v, "(-0.07 - v + drive * 1e-3) / tau");
        b.ode(w, "eta * outer(v, x) - W");
        b.ode(z, "-z^2 + sin(t) - -1.5 * (z - 2)");
        b.initial(x, new double[] {1.0, -0.0, 4.9e-324});
        b.initial(v, -0.065).initial(w, new double[] {0.1, 0.2, 0.3, -0.4, 1.7976931348623157e308, 1e-300});
        b.scale(v, 1e-3).noise(v, 2e-3).noise(z, 0.0);
        b.threshold(v, -0.05, -0.07, 0.002, Detection.STEP_END).threshold(z, 1.0, 0.0, 0.0);
        return new ModelDocument(b.spec(), new ProblemSettings(0.5, 2.0, Map.of("v", new double[] {-0.06, -0.061}),
                true, 1e-3));
    }

    @Test
    void aDocumentGoesThroughEveryFormatAndComesBackEqual() {
        // GIVEN a model with every kind of declaration
        final ModelDocument doc = rich();
        // WHEN written as JSON, read, written as YAML, read, written as a model file and read
        final String json = ModelDocuments.write(doc, Format.JSON);
        final ModelDocument fromJson = ModelDocuments.parse(json, Format.JSON, "m.json", "m");
        final String yaml = ModelDocuments.write(fromJson, Format.YAML);
        final ModelDocument fromYaml = ModelDocuments.parse(yaml, Format.YAML, "m.yaml", "m");
        final String ode = ModelDocuments.write(fromYaml, Format.ODE);
        final ModelDocument fromOde = ModelDocuments.parse(ode, Format.ODE, "m.ode", "m");
        // THEN each step gives an equal document (numbers to the bit, expressions as trees)
        assertEquals(doc, fromJson);
        assertEquals(doc, fromYaml);
        assertEquals(doc, fromOde, ode);
        // AND writing is canonical: the same text again
        assertEquals(json, ModelDocuments.write(fromOde, Format.JSON));
        assertEquals(yaml, ModelDocuments.write(fromOde, Format.YAML));
        assertEquals(ode, ModelDocuments.write(fromJson, Format.ODE));
        // AND the compiled code is the same
        assertEquals(ModelBuilder.from(doc.model()).generatedSource(),
                ModelBuilder.from(fromOde.model()).generatedSource());
        assertTrue(yaml.contains("initial: [0.1, 0.2, 0.3, -0.4, 1.7976931348623157E308, 1.0E-300]"), yaml);
        assertTrue(ode.contains("threshold v = -0.05 reset -0.07 refractory 0.002 detection step-end"), ode);
    }

    @Test
    void numbersKeepTheirBitsInEveryFormat() {
        // GIVEN 2,000 random doubles of every magnitude and sign, and the awkward ones
        final SplittableRandom rnd = new SplittableRandom(5);
        final double[] values = new double[2000];
        for (int i = 0; i < values.length; i++) {
            values[i] = Double.longBitsToDouble(rnd.nextLong());
            if (!Double.isFinite(values[i])) {
                values[i] = rnd.nextDouble(-1e6, 1e6);
            }
        }
        values[0] = -0.0;
        values[1] = Double.MIN_VALUE;
        values[2] = Double.MAX_VALUE;
        values[3] = 1e21;
        values[4] = 123456789012345678.0;
        final ModelBuilder b = ModelBuilder.named("numbers");
        final Var y = b.vector("y", values.length, "");
        b.ode(y, "-y");
        b.initial(y, values);
        final ModelDocument doc = ModelDocument.of(b.spec());
        for (final Format f : Format.values()) {
            // WHEN written and read THEN every number has the same bits
            final ModelDocument back = ModelDocuments.parse(ModelDocuments.write(doc, f), f, "n", "n");
            final ValueSpec.Values read = (ValueSpec.Values) back.model().variables().get(0).initial();
            for (int i = 0; i < values.length; i++) {
                assertEquals(Double.doubleToRawLongBits(values[i]), Double.doubleToRawLongBits(read.get(i)),
                        f + " value " + i + ": " + values[i]);
            }
        }
    }

    @Test
    void expressionsInValuesAndVectorParametersAreData() {
        // GIVEN a specification with a vector parameter and an initial value that is an expression of it (which the
        // compiler cannot build: its units do not match, and values read scalar parameters only): JSON, YAML and
        // model files hold it, and building it names the expression
        final ModelSpec spec = ModelSpec.fragment("later")
                .withVariable(VariableSpec.state("v", 3, 1, "mV").withInitial(new ValueSpec.Expression(
                        ExprSpec.parse("-65 + 2 * v0"))))
                .withParameter(new ParameterSpec("v0", 3, 1, "mV", new ValueSpec.Values(new double[] {1, 2, 3})))
                .withEquation("v", ExprSpec.parse("-v"));
        final String yaml = ModelDocuments.write(ModelDocument.of(spec), Format.YAML);
        assertTrue(yaml.contains("initial: -65 + 2 * v0"), yaml);
        // reading checks the units once all declarations are known, and names the place of the initial value
        final OdeException e = assertThrows(OdeException.class, () -> ModelDocuments.parse(yaml, Format.YAML, "l.yaml",
                "l"));
        assertTrue(e.getMessage().startsWith("l.yaml line 5, column ") && e.getMessage().contains("variables[0]: in "
                + "the initial value of v = -65 + 2 * v0"), e.getMessage());
        final String ode = ModelDocuments.write(ModelDocument.of(spec), Format.ODE);
        assertTrue(ode.contains("state v[3] = -65 + 2 * v0 unit mV"), ode);
    }

    @Test
    void errorsNameTheFileLineColumnAndField() {
        final String ok = "schema: neurode-model/1\nvariables:\n  - {name: v, shape: [2]}\nequations:\n  v: -v\n";
        assertEquals(2, ModelDocuments.parse(ok, Format.YAML, "m.yaml", "m").model().variables().get(0).rows());
        // unknown fields, wrong types, duplicates, versions
        yamlError(ok + "colour: red\n", "m.yaml line 6, column 1: colour: unknown field 'colour'; expected schema, "
                + "name, timeUnit, variables, parameters, lets, equations, noise, thresholds, events, populations, "
                + "projections, problem");
        yamlError(ok.replace("shape: [2]", "shape: [2], sise: 3"), "m.yaml line 3, column 27: variables[0].sise: "
                + "unknown field 'sise'; expected name, kind, shape, unit, initial, scale");
        yamlError(ok.replace("[2]", "two"), "m.yaml line 3, column 22: variables[0].shape: must be [n] or [rows, "
                + "cols] with whole positive numbers; found the text 'two'");
        yamlError(ok.replace("[2]", "[2.5]"), "m.yaml line 3, column 23: variables[0].shape[0]: must be [n] or");
        yamlError(ok.replace("[2]", "[0]"), "variables[0].shape[0]: must be [n] or [rows, cols] with whole positive "
                + "numbers (at most 2147483639 each); found '0'");
        yamlError(ok + "equations: {}\n", "m.yaml line 6, column 1: equations: the field 'equations' is given twice");
        yamlError(ok.replace("/1", "/2"), "m.yaml line 1, column 9: schema: this version reads neurode-model/1, not "
                + "'neurode-model/2'");
        yamlError(ok.replace("schema: neurode-model/1\n", ""), "m.yaml line 1, column 1: the field 'schema' is "
                + "missing");
        yamlError("- 1\n- 2\n", "m.yaml line 1, column 1: a model document is a mapping");
        // an empty document (found by the fuzz campaign: the message about what was found failed)
        yamlError("# nothing\n", "m.yaml line 2, column 1: a model document is a mapping with the fields schema, "
                + "name, timeUnit, variables, parameters, lets, equations, noise, thresholds, events, populations, "
                + "projections, problem; found nothing (the document is empty)");
        jsonError(" ", "m.json line 1, column 1: a model document is a mapping");
        yamlError(ok + "noise:\n  - {variable: v, sigma: .nan}\n", "line 7, column 26: noise[0].sigma: must be a "
                + "finite number");
        // malformed text
        yamlError("schema: 'neurode-model/1\nname: x\n", "m.yaml line 3, column 1: not valid YAML: found unexpected "
                + "end of stream");
        jsonError("{\"schema\": \"neurode-model/1\",\n \"variables\": [}", "m.json line 2, column 16: not valid JSON: ");
        jsonError("{\"schema\": \"neurode-model/1\", \"variables\": [], \"equations\": {}} {}",
                "m.json line 1, column 65: the document goes on after its end");
        // what the model gets wrong: names, shapes and equations, with the column within the expression
        yamlError(ok.replace("v: -v", "v: -v + E_L"), "m.yaml line 5, column 6: equations.v: in expression '-v + E_L' at column 6: "
                + "unknown name 'E_L'; known names: v, t");
        yamlError(ok.replace("v: -v", "v: -v + (2"), "m.yaml line 5, column 6: equations.v: in expression '-v + (2' at column 8: "
                + "missing ')'");
        yamlError(ok + "parameters: [{name: v, value: 1}]\n", "m.yaml line 6, column 21: parameters[0]: name 'v' is already defined");
        yamlError(ok.replace("v: -v", "w: -v"), "m.yaml line 5, column 6: equations.w: unknown variable 'w'");
        yamlError(ok.replace("v: -v", "v: '[1, 2] @ v'"), "m.yaml line 5, column 6: equations.v: in expression '[1, 2] @ v' at "
                + "column 1: unexpected '['");
        yamlError(ok.replace("equations:\n  v: -v\n", "equations: {}\n"), "m.yaml line 3, column 12: variables[0]: state variable "
                + "'v' has no equation");
        yamlError(ok + "problem: {reference: {v: [1]}}\n", "m.yaml line 6, column 26: problem.reference.v: has 1 values "
                + "but 'v' has 2");
        yamlError(ok + "problem: {time: [1, 1]}\n", "m.yaml line 6, column 17: problem.time: must be [t0, t1] with t1 "
                + "after t0");
        yamlError(ok.replace("shape: [2]", "shape: [100000, 100000]"), "variables[0]: 'v' has 100000x100000 elements: "
                + "a model holds at most 2147483639 elements in all");
    }

    @Test
    void filesAreReadByTheirExtension(@TempDir final Path dir) throws Exception {
        final ModelDocument doc = rich();
        for (final String name : new String[] {"m.ode", "m.json", "m.yaml", "m.yml"}) {
            final Path f = dir.resolve(name);
            Files.writeString(f, ModelDocuments.write(doc, Format.of(f)));
            assertEquals(doc, ModelDocuments.read(f), name);
        }
        final OdeException e = assertThrows(OdeException.class, () -> ModelDocuments.read(dir.resolve("m.txt")));
        assertTrue(e.getMessage().contains("model documents end in .ode, .json, .yaml or .yml"), e.getMessage());
        final OdeException missing = assertThrows(OdeException.class, () -> ModelDocuments.read(dir.resolve("x.yaml")));
        assertTrue(missing.getMessage().endsWith("x.yaml does not exist"), missing.getMessage());
    }

    private static void yamlError(final String text, final String fragment) {
        final OdeException e = assertThrows(OdeException.class, () -> ModelDocuments.parse(text, Format.YAML, "m.yaml",
                "m"));
        assertTrue(e.getMessage().contains(fragment), "'" + fragment + "' not in: " + e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    private static void jsonError(final String text, final String fragment) {
        final OdeException e = assertThrows(OdeException.class, () -> ModelDocuments.parse(text, Format.JSON, "m.json",
                "m"));
        assertTrue(e.getMessage().contains(fragment), "'" + fragment + "' not in: " + e.getMessage());
    }
}
