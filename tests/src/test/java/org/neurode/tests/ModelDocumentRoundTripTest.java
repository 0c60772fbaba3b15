package org.neurode.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.neurode.core.Detection;
import org.neurode.core.Model;
import org.neurode.core.Projection;
import org.neurode.core.expr.ModelBuilder;
import org.neurode.core.expr.ModelDocuments;
import org.neurode.core.expr.ModelDocuments.Format;
import org.neurode.core.expr.ModelFile;
import org.neurode.core.expr.Var;
import org.neurode.core.spec.ConnectSpec;
import org.neurode.core.spec.EventSpec;
import org.neurode.core.spec.ExprText;
import org.neurode.core.spec.ModelDocument;
import org.neurode.core.spec.PopulationSpec;
import org.neurode.core.spec.ProjectionSpec;
import org.neurode.core.spec.StatementSpec;
import org.neurode.core.spec.SynapseVariableSpec;
import org.neurode.models.HodgkinHuxley;
import org.neurode.models.LifPopulation;
import org.neurode.models.Microcircuit;
import org.neurode.models.ThreeCompartmentPopulation;

/**
 * Issue 13: every model of the project written with equations (the neuron models, the microcircuit in several
 * configurations, the example model files and the fuzz campaign's seed files) goes builder -> JSON -> YAML ->
 * model file -> specification and comes back equal, with the same generated code and the same derivatives to the
 * bit. (The LTC, CfC, CT-RNN and neural-ODE cells are hand-written right-hand sides, not equations, and have no
 * specification.)
 */
class ModelDocumentRoundTripTest {

    /** The tests run in the tests module's folder. */
    private static final Path MODELS = Path.of("..", "examples", "models");

    private static Map<String, Model> models() throws IOException {
        final Map<String, Model> m = new LinkedHashMap<>();
        m.put("lif", LifPopulation.standard(50));
        final double[] v0 = new double[40];
        for (int i = 0; i < v0.length; i++) {
            v0[i] = (i * 0.37) % 1.0;
        }
        m.put("brian2-lif", LifPopulation.brian2Benchmark(v0));
        final double[] w = new double[6 * 4];
        for (int i = 0; i < w.length; i++) {
            w[i] = Math.sin(i);
        }
        m.put("three-compartment", ThreeCompartmentPopulation.create(6, 4, 0.01, w));
        m.put("hodgkin-huxley", HodgkinHuxley.create(3, 10.0, 0.0, 5.0));
        final Microcircuit.Config paper = Microcircuit.Config.paperRegression();
        m.put("microcircuit", Microcircuit.build(paper));
        m.put("microcircuit-x100-top-down", Microcircuit.build(paper.withLearningRateScale(100)
                .withTopDownRate(0.001)));
        m.put("microcircuit-4-layers-no-noise", Microcircuit.build(new Microcircuit.Config(new int[] {5, 7, 6, 3},
                0.1, 1.0, 0.8, 1.0, 0.8, 0.1, 1.0, 3.0, 3.0, 30.0, new double[] {0.001, 0.002, 0.003}, 0.004, 0.005,
                0.006, 0.0, Microcircuit.NoiseConvention.WHITE, 0.1)));
        try (Stream<Path> files = Files.list(MODELS)) {
            for (final Path f : files.filter(p -> p.toString().endsWith(".ode")).sorted().toList()) {
                m.put(f.getFileName().toString(), ModelFile.read(f).model());
            }
        }
        m.put("events", events());
        m.put("projections", projections());
        for (int k = 0; k < ModelFileFuzzTest.SEEDS.size(); k++) {
            m.put("fuzz-seed-" + k, ModelFile.parse(ModelFileFuzzTest.SEEDS.get(k), "seed.ode", "seed").model());
        }
        return m;
    }

    /**
     * Issue 14: events of every form from the builder: two kinds on one population, statements with each operator,
     * a refractory period per member from a parameter array, an equation marked (unless refractory), each
     * detection mode, and a threshold of the first form on another variable.
     */
    private static Model events() {
        final ModelBuilder b = ModelBuilder.named("events");
        final Var v = b.vector("v", 4, "");
        final Var w = b.vector("w", 4, "");
        final Var ca = b.vector("ca", 4, "");
        final Var u = b.scalar("u", "");
        b.param("tau", 10.0);
        b.param("I", 1.5);
        b.param("tref", new double[] {1, 2, 3, 4});
        b.ode(v, "(I - v - w) / tau (unless refractory)");
        b.ode(w, "-w / 50");
        b.ode(ca, "-ca / 20");
        b.ode(u, "1 - u");
        b.event(EventSpec.of("fire", "v > 1", "v = 0; w += 0.1; ca += 0.2").withRefractory("tref + 0.5 * i / N"));
        b.event(EventSpec.of("burst", "ca > 0.5 and not (w < 0.2)", "ca *= 0.5; w -= 0.05; w /= 2")
                .withDetection(Detection.STEP_END));
        b.event(EventSpec.of("high", "w >= 0.3 or v <= -1", "").withDetection(Detection.CONTINUOUS));
        b.threshold(u, 0.9, 0.0, 0.0);
        return b.build();
    }

    /**
     * Issue 14: populations and projections of every form: slices, another event than spike, each connection rule
     * (all, one-to-one, a condition with a probability, explicit indices), synapse variables given as a number and
     * as an expression, statements on both sides, delays per projection (with a unit) and per synapse, a Poisson
     * group and a spike generator as sources.
     */
    private static Model projections() {
        final ModelBuilder b = ModelBuilder.named("projections");
        final Var v = b.vector("v", 6, "mV");
        final Var g = b.vector("g", 6, "mV");
        final Var u = b.vector("u", 3, "mV");
        b.param("tau", 10.0, "ms");
        b.param("w0", 0.5, "mV");
        b.ode(v, "(g - v) / tau (unless refractory)");
        b.ode(g, "-g / tau");
        b.ode(u, "-u / tau");
        b.population(new PopulationSpec("E", 6, List.of("v", "g")));
        b.population(new PopulationSpec("I", 3, List.of("u")));
        b.event(EventSpec.of("spike", "v > w0", "v = 0 * w0").withRefractory("2 * ms"));
        b.event(EventSpec.of("burst", "u > w0", "u = 0 * w0"));
        b.projection(ProjectionSpec.of("all", "E", "E", ConnectSpec.ALL, "g_post += w0").withSourceSlice(0, 4)
                .withDelay("1.5 * ms"));
        b.projection(ProjectionSpec.of("one", "E", "I", ConnectSpec.oneToOne(), "u += w; w *= 0.5")
                .withVariable(SynapseVariableSpec.of("w", "0.1 * i + 0.01 * j", "mV")));
        b.projection(new ProjectionSpec("cond", "I", 0, -1, "burst", "E", 2, 6,
                new ConnectSpec(ExprText.parse("i != j"), ExprText.parse("0.5"), null, null, ""),
                List.of(SynapseVariableSpec.of("d", "0.1 + 0.2 * rand()", "ms")), StatementSpec.parseAll(
                "g_post -= w0; u_pre += 0.1 * w0"), ExprText.parse("d")));
        b.projection(ProjectionSpec.of("explicit", "I", "E", ConnectSpec.arrays(new int[] {2, 0, 0},
                new int[] {5, 1, 3}), "v -= 0.25 * w0").withEvent("burst"));
        b.population(PopulationSpec.poisson("drive", 5, "20 * Hz * (1 + i / N)"));
        b.population(PopulationSpec.generator("stim", 2, new int[] {1, 0, 1}, new double[] {0.5, 1.0, 2.25}));
        b.projection(ProjectionSpec.of("fromDrive", "drive", "E", ConnectSpec.probability("0.5"), "g += w0"));
        b.projection(ProjectionSpec.of("fromStim", "stim", "I", ConnectSpec.oneToOne(), "u += w0"));
        return b.build();
    }

    @Test
    void everyModelGoesThroughJsonYamlAndAModelFileUnchanged() throws IOException {
        int events = 0;
        int projections = 0;
        int thresholds = 0;
        int stepEnd = 0;
        for (final Map.Entry<String, Model> e : models().entrySet()) {
            // GIVEN a model and its specification
            final String name = e.getKey();
            final Model model = e.getValue();
            final ModelDocument doc = ModelDocument.of(model.spec().orElseThrow());
            // WHEN written as JSON and read, written as YAML and read, written as a model file and read
            final ModelDocument json = ModelDocuments.parse(ModelDocuments.write(doc, Format.JSON), Format.JSON,
                    name + ".json", name);
            final ModelDocument yaml = ModelDocuments.parse(ModelDocuments.write(json, Format.YAML), Format.YAML,
                    name + ".yaml", name);
            final ModelDocument ode = ModelDocuments.parse(ModelDocuments.write(yaml, Format.ODE), Format.ODE,
                    name + ".ode", name);
            // THEN the specification is the same
            assertEquals(doc, ode, name);
            // AND so is the generated code
            assertEquals(ModelBuilder.from(doc.model()).generatedSource(),
                    ModelBuilder.from(ode.model()).generatedSource(), name);
            // AND the model compiled from it starts in the same state with the same derivatives, to the bit
            final Model back = ModelDocuments.compile(ode);
            assertEquals(model.layout().toString(), back.layout().toString(), name);
            assertArrayEquals(model.initialState(), back.initialState(), 0.0, name);
            assertEquals(model.parameters().names(), back.parameters().names(), name);
            assertEquals(model.noise(), back.noise(), name);
            assertEquals(model.events().size(), back.events().size(), name);
            assertEquals(model.projections().size(), back.projections().size(), name);
            for (int k = 0; k < model.projections().size(); k++) {
                final Projection p = model.projections().get(k);
                final Projection q = back.projections().get(k);
                assertEquals(p.synapses(), q.synapses(), name + " " + p.name());
                for (int s = 0; s < p.synapses(); s++) {
                    assertEquals(p.source(s), q.source(s), name);
                    assertEquals(p.target(s), q.target(s), name);
                }
            }
            projections += doc.model().projections().size();
            final double[] y = model.initialState();
            final SplittableRandom rnd = new SplittableRandom(11);
            for (int i = 0; i < y.length; i++) {
                y[i] += rnd.nextDouble(-0.5, 0.5);
            }
            final double[] f1 = new double[y.length];
            final double[] f2 = new double[y.length];
            model.equation().derivatives(0.25, y, f1);
            back.equation().derivatives(0.25, y, f2);
            assertArrayEquals(f1, f2, 0.0, name);
            thresholds += doc.model().thresholds().size();
            events += doc.model().events().size();
            stepEnd += (int) doc.model().thresholds().stream().filter(t -> t.detection() == Detection.STEP_END)
                    .count();
        }
        // and the models cover events of both kinds (the round trip keeps the detection)
        assertTrue(thresholds >= 3 && stepEnd >= 1, thresholds + " thresholds, " + stepEnd + " step-end");
        // and events with conditions and statements (the example AdEx and the builder's)
        assertTrue(events >= 4, events + " events");
        // and projections (the builder's and the CUBA example's)
        assertTrue(projections >= 6, projections + " projections");
    }
}
