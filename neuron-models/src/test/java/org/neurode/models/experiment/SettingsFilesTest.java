package org.neurode.models.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurode.core.OdeException;
import org.neurode.models.cfc.CfcCell;
import org.neurode.models.experiment.burst.BurstXorExperiment;
import org.neurode.models.experiment.burst.BurstXorSettings;
import org.neurode.models.experiment.burst.Multiplex;
import org.neurode.models.experiment.burst.MultiplexSettings;
import org.neurode.models.experiment.compare.CompareSolvers;
import org.neurode.models.experiment.compare.CompareSolversSettings;
import org.neurode.models.experiment.compare.ProblemFile;
import org.neurode.models.experiment.ltcsine.LtcSine;
import org.neurode.models.experiment.ltcsine.LtcSineSettings;
import org.neurode.models.experiment.nodespiral.NodeSpiral;
import org.neurode.models.experiment.nodespiral.NodeSpiralSettings;
import org.neurode.models.experiment.regression.Regression;
import org.neurode.models.experiment.regression.RegressionSettings;
import org.neurode.models.experiment.xor.Xor;
import org.neurode.models.experiment.xor.XorSettings;

/** Settings files: round trips in YAML and JSON, defaults, and errors with line and column. */
class SettingsFilesTest {

    @TempDir
    Path temp;

    private static final RegressionSettings REGRESSION = new RegressionSettings(7, "euler-maruyama", 0.1, 1234, 7,
            250.0, 3.0, 40, 15, 33, 80.0, 0.05, 99);
    private static final XorSettings XOR = new XorSettings("cfc-mixed", false, 9, 500, 60, 2, 16, 0.01, 0.9, 0.0, 12,
            24, 2, 5, 3, "rmsprop-keras", CfcCell.Activation.SILU, 1e-5, 2, 0.6);

    @Test
    void settingsRoundTripThroughYamlAndJson() {
        for (final boolean yaml : new boolean[] {true, false}) {
            final String text = SettingsFiles.write(Regression.KIND, REGRESSION, yaml);
            final ExperimentSpec<?, ?> back = SettingsFiles.parse(text, "s", yaml);
            assertSame(Regression.INSTANCE, back.experiment());
            assertEquals(REGRESSION, back.settings(), text);
            final String xorText = SettingsFiles.write(Xor.KIND, XOR, yaml);
            final ExperimentSpec<?, ?> xor = SettingsFiles.parse(xorText, "s", yaml);
            assertSame(Xor.INSTANCE, xor.experiment());
            assertEquals(XOR, xor.settings(), xorText);
            // the kind comes first, so that a reader sees what the file is
            assertTrue(text.stripLeading().startsWith(yaml ? "kind: regression" : "{"), text);
        }
    }

    @Test
    void ltcSineNodeSpiralAndCompareSolversSettingsRoundTrip() throws IOException {
        final com.fasterxml.jackson.databind.JsonNode wiring = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree("{\"kind\": \"custom\", \"units\": 2, \"input_dim\": 2, \"output_dim\": 1, "
                        + "\"adjacency_matrix\": [[0, 1], [-1, 0]], \"sensory_adjacency_matrix\": [[1, 0], [0, -1]]}");
        final java.util.List<Record> all = java.util.List.of(
                new LtcSineSettings(30, 8, 4, 0.02, 0.5, 3, 7, null),
                new LtcSineSettings(30, 2, 4, 0.02, 0.5, 3, 7, wiring),
                new NodeSpiralSettings(7, "rk4", 1e-7, 1e-9, 0.0125, "adjoint", 3, 4, 2e-3, 2, 9),
                new NodeSpiralSettings(7, "tsit5", 1e-5, 1e-8, null, "backprop", 3, 4, 2e-3, 2, 9),
                new CompareSolversSettings(java.util.List.of("HIRES", "hh"), java.util.List.of(new ProblemFile(
                        "osc.ode", "state x = 1\nstate v = 0\ndx/dt = v\ndv/dt = -x\ntime 0 3\n")),
                        java.util.List.of("tsit5", "rodas5p"), java.util.List.of(1e-4, 1e-7), java.util.List.of(50),
                        2, 1000L));
        final java.util.List<String> kinds = java.util.List.of(LtcSine.KIND, LtcSine.KIND, NodeSpiral.KIND,
                NodeSpiral.KIND, CompareSolvers.KIND);
        for (int i = 0; i < all.size(); i++) {
            for (final boolean yaml : new boolean[] {true, false}) {
                final String text = SettingsFiles.write(kinds.get(i), all.get(i), yaml);
                final ExperimentSpec<?, ?> back = SettingsFiles.parse(text, "s", yaml);
                assertEquals(kinds.get(i), back.kind());
                assertEquals(all.get(i), back.settings(), text);
            }
        }
        // the defaults are the commands' defaults, and a file with only the kind gives them
        for (final String kind : java.util.List.of(LtcSine.KIND, NodeSpiral.KIND, CompareSolvers.KIND)) {
            assertEquals(Experiments.get(kind).defaults(), SettingsFiles.parse("kind: " + kind + "\n", "k.yaml", true)
                    .settings());
        }
        assertEquals("e.yaml:2:1: unknown field 'wiringseed' in ltc-sine settings (did you mean 'wiringSeed'?)",
                assertThrows(OdeException.class, () -> SettingsFiles.parse("kind: ltc-sine\nwiringseed: 3\n",
                        "e.yaml", true)).getMessage());
        assertEquals("e.yaml:2:13: field 'tolerances': expected a list, found \"1e-4\"", assertThrows(
                OdeException.class, () -> SettingsFiles.parse("kind: compare-solvers\ntolerances: \"1e-4\"\n",
                        "e.yaml", true)).getMessage());
        final String badFile = assertThrows(OdeException.class, () -> SettingsFiles.parse(
                "kind: compare-solvers\nproblemFiles:\n  - name: a.ode\n    txt: x\n", "e.yaml", true)).getMessage();
        assertTrue(badFile.startsWith("e.yaml:"), badFile);
    }

    @Test
    void burstSettingsRoundTripAndMappingFieldsAreStrict() {
        final java.util.List<Record> all = java.util.List.of(
                new MultiplexSettings(120, 2, 4, 50, 300, 25, java.util.Map.of("w21", 0.0, "A1", 150.5), 3),
                new MultiplexSettings(120, 2, 4, 50, 300, 25, java.util.Map.of(), null),
                new BurstXorSettings(10, 8, 400, 2, 200, 2, 3));
        final java.util.List<String> kinds = java.util.List.of(Multiplex.KIND, Multiplex.KIND,
                BurstXorExperiment.KIND);
        for (int i = 0; i < all.size(); i++) {
            for (final boolean yaml : new boolean[] {true, false}) {
                final String text = SettingsFiles.write(kinds.get(i), all.get(i), yaml);
                assertEquals(all.get(i), SettingsFiles.parse(text, "s", yaml).settings(), text);
            }
        }
        for (final String kind : kinds) {
            assertEquals(Experiments.get(kind).defaults(), SettingsFiles.parse("kind: " + kind + "\n", "k.yaml", true)
                    .settings());
        }
        // a mapping of names to numbers, in flow or block style; whole numbers are numbers; kept sorted
        final MultiplexSettings block = (MultiplexSettings) SettingsFiles.parse(
                "kind: multiplex\nparameters:\n  w21: 0\n  A1: 1.5e2\n", "m.yaml", true).settings();
        assertEquals(java.util.Map.of("w21", 0.0, "A1", 150.0), block.parameters());
        assertEquals(java.util.List.of("A1", "w21"), java.util.List.copyOf(block.parameters().keySet()));
        assertEquals(block, SettingsFiles.parse("kind: multiplex\nparameters: {A1: 150, w21: 0.0}\n", "m.yaml", true)
                .settings());
        // an entry of the wrong type names the field and the entry; text is not a number, a list not a mapping
        assertEquals("m.yaml:3:3: field 'parameters', entry 'w21': expected a number, found \"zero\"",
                assertThrows(OdeException.class, () -> SettingsFiles.parse(
                        "kind: multiplex\nparameters:\n  w21: zero\n", "m.yaml", true)).getMessage());
        assertEquals("m.yaml:2:13: field 'parameters', entry 'A1': expected a number, found \"1\"",
                assertThrows(OdeException.class, () -> SettingsFiles.parse(
                        "kind: multiplex\nparameters: {A1: \"1\"}\n", "m.yaml", true)).getMessage());
        assertEquals("m.yaml:2:13: field 'parameters': expected a mapping of names to values, found [1,2]",
                assertThrows(OdeException.class, () -> SettingsFiles.parse(
                        "kind: multiplex\nparameters: [1, 2]\n", "m.yaml", true)).getMessage());
        assertEquals("m.yaml:2:10: field 'threads': expected a whole number, found 1.5",
                assertThrows(OdeException.class, () -> SettingsFiles.parse(
                        "kind: multiplex\nthreads: 1.5\n", "m.yaml", true)).getMessage());
        // names and values of the circuit are checked by the experiment, naming the field
        final String unknown = assertThrows(IllegalArgumentException.class, () -> Multiplex.validate(
                block.withParameters(java.util.Map.of("w99", 1.0)))).getMessage();
        assertTrue(unknown.startsWith("parameters: the circuit has no parameter 'w99'; its parameters: "), unknown);
        final java.util.Map<String, Double> withNull = new java.util.HashMap<>();
        withNull.put("w21", null);
        // a file with an empty entry stops where the entry is; settings built in code are checked by the experiment
        assertEquals("m.yaml:2:13: field 'parameters', entry 'w21': expected a number, found null", assertThrows(
                OdeException.class, () -> SettingsFiles.parse("kind: multiplex\nparameters: {w21: null}\n", "m.yaml",
                        true)).getMessage());
        assertEquals("parameters.w21 must be a finite number: null", assertThrows(IllegalArgumentException.class,
                () -> Multiplex.validate(block.withParameters(withNull))).getMessage());
        assertEquals("examples 6: a positive multiple of 4 (whole epochs of the four patterns)", assertThrows(
                IllegalArgumentException.class, () -> BurstXorExperiment.validate(BurstXorExperiment.INSTANCE
                        .defaults().withExamples(6))).getMessage());
    }

    @Test
    void fieldsLeftOutTakeTheDefaults() {
        final ExperimentSpec<?, ?> spec = SettingsFiles.parse("kind: regression\npatterns: 200\nseed: 3\n", "e.yaml",
                true);
        assertEquals(Regression.INSTANCE.defaults().withPatterns(200), withSeed((RegressionSettings) spec.settings(),
                Regression.INSTANCE.defaults().seed()));
        assertEquals(3, ((RegressionSettings) spec.settings()).seed());
    }

    private static RegressionSettings withSeed(final RegressionSettings s, final long seed) {
        return new RegressionSettings(seed, s.solver(), s.dt(), s.patterns(), s.testEvery(), s.learningRateScale(),
                s.backpropRate(), s.studentHidden(), s.teacherHidden(), s.heldOut(), s.patternMs(), s.emaAlpha(),
                s.heldOutEvery());
    }

    @Test
    void misspelledFieldNamesLineColumnAndSuggestion() {
        final OdeException e = assertThrows(OdeException.class, () -> SettingsFiles.parse(
                "kind: regression\nseed: 2\n# patterns\n    \npaterns: 100\n", "experiment.yaml", true));
        assertEquals("experiment.yaml:5:1: unknown field 'paterns' in regression settings (did you mean "
                + "'patterns'?)", e.getMessage());
        final OdeException nested = assertThrows(OdeException.class, () -> SettingsFiles.parse(
                "{\n  \"kind\": \"xor\",\n  \"epochs\": 1,\n    \"hiden\": 4\n}\n", "x.json", false));
        assertEquals("x.json:4:5: unknown field 'hiden' in xor settings (did you mean 'hidden'?)",
                nested.getMessage());
        final OdeException unknown = assertThrows(OdeException.class, () -> SettingsFiles.parse(
                "kind: xor\nwhatever: 1\n", "x.yaml", true));
        assertTrue(unknown.getMessage().startsWith("x.yaml:2:1: unknown field 'whatever' in xor settings; its fields "
                + "are model, eventBased,"), unknown.getMessage());
    }

    @Test
    void wrongTypesUnknownKindsAndInvalidSettingsSayWhere() {
        assertEquals("e.yaml:3:11: field 'patterns': expected a whole number, found 1.5", assertThrows(
                OdeException.class, () -> SettingsFiles.parse("kind: regression\nseed: 1\npatterns: 1.5\n", "e.yaml",
                        true)).getMessage());
        assertEquals("e.yaml:2:5: field 'dt': expected a number, found \"fast\"", assertThrows(OdeException.class,
                () -> SettingsFiles.parse("kind: regression\ndt: fast\n", "e.yaml", true)).getMessage());
        assertEquals("e.yaml:1:7: unknown experiment kind 'regresion' (did you mean 'regression'?); known kinds: "
                + String.join(", ", Experiments.kinds()), assertThrows(OdeException.class, () -> SettingsFiles.parse(
                        "kind: regresion\n", "e.yaml", true)).getMessage());
        assertTrue(assertThrows(OdeException.class, () -> SettingsFiles.parse("seed: 1\n", "e.yaml", true))
                .getMessage().startsWith("e.yaml:1:1: no 'kind' field"));
        assertEquals("e.yaml:3:1: field 'seed' is given twice", assertThrows(OdeException.class,
                () -> SettingsFiles.parse("kind: xor\nseed: 1\nseed: 2\n", "e.yaml", true)).getMessage());
        final String invalid = assertThrows(OdeException.class, () -> SettingsFiles.parse(
                "kind: regression\nemaAlpha: 2\n", "e.yaml", true)).getMessage();
        assertTrue(invalid.startsWith("e.yaml:1:1: regression settings: EMA weight must be in (0, 1]"), invalid);
        assertEquals("e.yaml:2:13: field 'activation': expected one of LECUN_TANH, RELU, SILU, found \"tanh\"",
                assertThrows(OdeException.class, () -> SettingsFiles.parse("kind: xor\nactivation: tanh\n",
                        "e.yaml", true)).getMessage());
        // an empty entry of a mapping field is an error where the mapping is, not when the run starts
        assertEquals("e.yaml:2:9: field 'params', entry 'tau_m': expected a number, found null", assertThrows(
                OdeException.class, () -> SettingsFiles.parse("kind: simulate\nparams: {tau_m: null}\n", "e.yaml",
                        true)).getMessage());
        // defaults that depend on other fields follow them, as on the command line: the solver's step, and the
        // held-out interval of the held-out size; a given value is kept
        final RegressionSettings em = (RegressionSettings) SettingsFiles.parse("kind: regression\nsolver: "
                + "euler-maruyama\nheldOut: 50\n", "e.yaml", true).settings();
        assertEquals(0.1, em.dt());
        assertEquals(RegressionSettings.defaultHeldOutEvery(50), em.heldOutEvery());
        final RegressionSettings given = (RegressionSettings) SettingsFiles.parse("kind: regression\nsolver: "
                + "exponential-trapezoid\ndt: 0.25\nheldOut: 50\nheldOutEvery: 7\n", "e.yaml", true).settings();
        assertEquals(0.25, given.dt());
        assertEquals(7, given.heldOutEvery());
        assertEquals(2.0, ((RegressionSettings) SettingsFiles.parse("kind: regression\nsolver: exponential-trapezoid\n",
                "e.yaml", true).settings()).dt());
        // names of choices in any case: the command line's lower-case spelling reads too
        assertEquals(org.neurode.models.cfc.CfcCell.Activation.LECUN_TANH, ((org.neurode.models.experiment.xor
                .XorSettings) SettingsFiles.parse("kind: xor\nactivation: lecun_tanh\n", "e.yaml", true).settings())
                .activation());
    }

    @Test
    void resultsFilesReadAsTheSettingsTheyEmbed() throws IOException {
        final String doc = "{\"neurode\": \"0.1\", \"status\": \"SUCCESS\", \"settings\": "
                + SettingsFiles.write(Xor.KIND, XOR, false) + ", \"wallSeconds\": 1.5}";
        final Path file = temp.resolve("results.json");
        Files.writeString(file, doc);
        final ExperimentSpec<?, ?> spec = SettingsFiles.read(file);
        assertEquals(XOR, spec.settings());
        Files.writeString(file, "{\"settings\": {\"kind\": \"xor\", \"epoch\": 1}}");
        assertEquals("results.json:1:30: unknown field 'epoch' in xor settings (did you mean 'epochs'?)",
                assertThrows(OdeException.class, () -> SettingsFiles.read(file)).getMessage());
    }

    @Test
    void seedsAreReproducibleAndIndependentAcrossPurposesAndIndices() {
        // the same (seed, purpose, index): the same numbers
        assertEquals(Seeds.stream(5, Seeds.NOISE, 17).nextLong(), Seeds.stream(5, Seeds.NOISE, 17).nextLong());
        // the regression's streams are unchanged (its golden numbers depend on them)
        assertEquals(org.neurode.models.tasks.RandomStreams.seed(5, 4, 17), Seeds.seed(5, Seeds.NOISE, 17));
        // different purposes, indices and seeds: all different, and no stream is another one shifted by a draw
        final Set<Long> seen = new HashSet<>();
        final Set<Long> firstDraws = new HashSet<>();
        for (long seed = 0; seed < 4; seed++) {
            for (long purpose = 1; purpose <= Seeds.RUN; purpose++) {
                for (long index = 0; index < 50; index++) {
                    assertTrue(seen.add(Seeds.seed(seed, purpose, index)));
                    firstDraws.add(Seeds.stream(seed, purpose, index).nextLong());
                }
            }
        }
        assertEquals(seen.size(), firstDraws.size());
        assertNotEquals(Seeds.seed(1, Seeds.TRAIN, 2), Seeds.seed(1, Seeds.TEST, 2));
        assertFalse(Seeds.stream(1, Seeds.TRAIN, 0).nextDouble() == Seeds.stream(1, Seeds.TRAIN, 1).nextDouble());
    }

    @Test
    void modelDocumentsGivenAsFileNamesAreReadAndEmbedded(@TempDir final Path dir) throws IOException {
        // GIVEN a model file beside a settings file that names it, and a comparison naming two problem files
        final String model = "state v = 1\ndv/dt = -v\ntime 0 2\n";
        Files.createDirectories(dir.resolve("models"));
        Files.writeString(dir.resolve("models/decay.ode"), model);
        final Path yaml = Files.writeString(dir.resolve("simulate.yaml"), "kind: simulate\nmodelFile: models/decay.ode\n"
                + "solver: dop853\n");
        final Path compare = Files.writeString(dir.resolve("compare.yaml"), "kind: compare-solvers\nproblems: []\n"
                + "problemFiles: [models/decay.ode, {name: inline.ode, text: \"state x = 1\\ndx/dt = x\\n\"}]\n");
        // WHEN they are read (from another working directory: names are relative to the settings file)
        final org.neurode.models.experiment.simulate.SimulateSettings s =
                (org.neurode.models.experiment.simulate.SimulateSettings) SettingsFiles.read(yaml).settings();
        final CompareSolversSettings c = (CompareSolversSettings) SettingsFiles.read(compare).settings();
        // THEN the text is embedded under the name as given, and written back as the document
        assertEquals(new ProblemFile("models/decay.ode", model), s.modelFile());
        assertEquals(new ProblemFile("models/decay.ode", model), c.problemFiles().get(0));
        assertEquals("inline.ode", c.problemFiles().get(1).name());
        assertTrue(SettingsFiles.write("simulate", s, true).contains("dv/dt = -v"));
        // AND a missing file is an error where it is named
        Files.writeString(yaml, "kind: simulate\nmodelFile: models/nope.ode\n");
        assertEquals("simulate.yaml:2:12: field 'modelFile': cannot read models/nope.ode (no such file)",
                assertThrows(OdeException.class, () -> SettingsFiles.read(yaml)).getMessage());
    }
}
