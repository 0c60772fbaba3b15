package org.neurode.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.neurode.tests.Cli.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurode.core.expr.ModelDocuments;
import org.neurode.core.expr.ModelDocuments.Format;

/** Issue 13: {@code neurode model show} and {@code neurode model convert}, run in-process. */
class ModelCommandTest {

    /** The tests run in the tests module's folder. */
    private static final Path HH = Path.of("..", "examples", "models", "hodgkin-huxley.ode");

    @TempDir
    Path temp;

    private static void assertOneLineError(final Cli.Run run, final String fragment) {
        assertEquals(2, run.exitCode(), run.err());
        final String err = run.err().strip();
        assertTrue(err.startsWith("neurode: error: "), err);
        assertEquals(1, err.lines().count(), "one line: " + err);
        assertTrue(err.contains(fragment), "'" + fragment + "' missing in: " + err);
        assertEquals("", run.out());
    }

    @Test
    void showPrintsTheModelAndItsStateLayout() throws IOException {
        // WHEN the Hodgkin-Huxley example is shown
        final Cli.Run r = run("model", "show", HH.toString());
        // THEN the output is the canonical model file and a table of the blocks with offsets, sizes and units
        assertEquals(0, r.exitCode(), r.err());
        final String canonical = ModelDocuments.write(ModelDocuments.read(HH), Format.ODE);
        assertTrue(r.out().startsWith(canonical), r.out());
        final List<String> lines = r.out().lines().toList();
        assertTrue(lines.contains("state layout: 4 integrated elements (blocks of 8 or more elements start at "
                + "multiples of 8); not integrated: 1 input elements, 0 parameter-array elements"), r.out());
        assertTrue(lines.contains("BLOCK  KIND    OFFSET  SIZE  SHAPE  UNIT     SCALE"), r.out());
        assertTrue(lines.contains("V      scalar  0       1     1x1    mV       10"), r.out());
        assertTrue(lines.contains("I      input   0       1     1x1    uA/cm^2  -"), r.out());
        // AND --format yaml prints the same model as YAML
        final Cli.Run yaml = run("model", "show", "--format", "yaml", HH.toString());
        assertTrue(yaml.out().startsWith("schema: neurode-model/1\nname: hh\n"), yaml.out());
    }

    @Test
    void convertGoesThroughEveryFormatAndBack() throws IOException {
        // GIVEN the example model file
        final Path json = temp.resolve("hh.json");
        final Path yaml = temp.resolve("sub/hh.yaml");
        final Path ode = temp.resolve("hh.ode");
        // WHEN converted to JSON, the JSON to YAML (into a new folder) and the YAML back to a model file
        assertEquals(0, run("model", "convert", HH.toString(), json.toString()).exitCode());
        final Cli.Run second = run("model", "convert", json.toString(), yaml.toString());
        assertEquals(0, second.exitCode(), second.err());
        assertEquals("wrote " + yaml + " (yaml)", second.out().strip());
        assertEquals(0, run("model", "convert", yaml.toString(), ode.toString()).exitCode());
        // THEN each file holds the model in its format, and the model file is the example's canonical form
        assertTrue(Files.readString(json).startsWith("{\n  \"schema\": \"neurode-model/1\""));
        assertTrue(Files.readString(yaml).startsWith("schema: neurode-model/1\n"));
        assertEquals(ModelDocuments.write(ModelDocuments.read(HH), Format.ODE), Files.readString(ode));
        assertEquals(ModelDocuments.read(HH), ModelDocuments.read(ode));
        // AND no temporary file is left
        try (Stream<Path> files = Files.walk(temp)) {
            assertFalse(files.anyMatch(f -> f.getFileName().toString().endsWith(".tmp")));
        }
    }

    @Test
    void simulateReadsYamlModels() throws IOException {
        // GIVEN the example as YAML
        final Path yaml = temp.resolve("hh.yaml");
        assertEquals(0, run("model", "convert", HH.toString(), yaml.toString()).exitCode());
        // WHEN simulated THEN it runs as the model file does (the same model name, four integrated variables)
        final Cli.Run sim = run("simulate", "--model-file", yaml.toString(), "--t-end", "2", "--out",
                temp.resolve("sim").toString(), "--no-progress");
        assertEquals(0, sim.exitCode(), sim.err());
        final String results = Files.readString(temp.resolve("sim").resolve("results.json"));
        assertTrue(results.contains("\"model\": \"hh\"") && results.contains("\"stateDimension\": 4"), results);
        // AND a model that cannot be compiled names the file
        final Path bad = Files.writeString(temp.resolve("bad.yaml"), "schema: neurode-model/1\nvariables:\n"
                + "  - {name: v}\nequations: {v: 'v + w'}\n");
        assertOneLineError(run("simulate", "--model-file", bad.toString(), "--out", temp.resolve("x").toString()),
                "bad.yaml line 4, column 16: equations.v: in expression 'v + w' at column 5: unknown name 'w'");
    }

    @Test
    void badDocumentsAndPathsAreOneLineErrors() throws IOException {
        final Path out = temp.resolve("out.yaml");
        final Path broken = Files.writeString(temp.resolve("broken.yaml"),
                "schema: neurode-model/1\nvariables:\n  - {name: v, size: 3}\nequations: {v: -v}\n");
        assertOneLineError(run("model", "convert", broken.toString(), out.toString()),
                "broken.yaml line 3, column 15: variables[0].size: unknown field 'size'");
        assertOneLineError(run("model", "convert", HH.toString(), temp.resolve("out.txt").toString()),
                "<out>: cannot tell the format of");
        assertOneLineError(run("model", "convert", temp.resolve("missing.ode").toString(), out.toString()),
                "(<in>): '" + temp.resolve("missing.ode") + "' does not exist");
        final Path file = Files.writeString(temp.resolve("file"), "x");
        assertOneLineError(run("model", "convert", HH.toString(), file.resolve("x.yaml").toString()),
                "cannot write to output folder");
        Files.createDirectories(temp.resolve("folder.yaml"));
        assertOneLineError(run("model", "convert", HH.toString(), temp.resolve("folder.yaml").toString()),
                "is a folder, not a file");
        assertOneLineError(run("model", "show", "--format", "xml", HH.toString()), "--format must be ode, json or "
                + "yaml");
        assertOneLineError(run("model"), "missing subcommand of 'model': show or convert");
        assertFalse(Files.exists(out), "nothing written");
    }
}
