package org.neurode.core.expr;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import org.neurode.core.Detection;
import org.neurode.core.spec.ConnectSpec;
import org.neurode.core.spec.EquationSpec;
import org.neurode.core.spec.EventSpec;
import org.neurode.core.spec.ExprSpec;
import org.neurode.core.spec.LetSpec;
import org.neurode.core.spec.ModelDocument;
import org.neurode.core.spec.ModelSpec;
import org.neurode.core.spec.NoiseSpec;
import org.neurode.core.spec.ParameterSpec;
import org.neurode.core.spec.PopulationSpec;
import org.neurode.core.spec.ProblemSettings;
import org.neurode.core.spec.ProjectionSpec;
import org.neurode.core.spec.StatementSpec;
import org.neurode.core.spec.SynapseVariableSpec;
import org.neurode.core.spec.ThresholdSpec;
import org.neurode.core.spec.ValueSpec;
import org.neurode.core.spec.VariableKind;
import org.neurode.core.spec.VariableSpec;
import org.yaml.snakeyaml.DumperOptions;

/**
 * Writes a model document as JSON or YAML (the schema of {@link ModelDocuments}), canonically: fields in a
 * fixed order, defaults left out, numbers in the shortest form that reads back to the same bits, expressions as
 * text, lists of numbers on one line.
 */
final class SpecWriter {

    private SpecWriter() {
    }

    /**
     * @param doc  the document
     * @param yaml true for YAML, false for JSON
     * @return the text
     */
    static String write(final ModelDocument doc, final boolean yaml) {
        final StringWriter out = new StringWriter();
        // lists of numbers in YAML's flow style ([1, 2, 3]) and everything else in block style: the generator
        // reads the style from these options when a list starts (one set per call: they change while writing)
        final DumperOptions style = new DumperOptions();
        style.setIndent(2);
        style.setIndicatorIndent(2);
        style.setIndentWithIndicator(true);       // list items indented under their field
        final JsonFactory factory = yaml
                ? YAMLFactory.builder().dumperOptions(style)
                        .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                        .disable(YAMLGenerator.Feature.SPLIT_LINES)
                        .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                        .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS).build()
                : new JsonFactory();
        try (JsonGenerator g = factory.createGenerator(out)) {
            if (!yaml) {
                g.setPrettyPrinter(new DefaultPrettyPrinter().withSeparators(Separators.createDefaultInstance()
                        .withObjectFieldValueSpacing(Separators.Spacing.AFTER)));
            }
            new Fields(g, yaml ? style : null).document(doc);
        } catch (IOException e) {
            // a StringWriter does not fail
            throw new UncheckedIOException(e);
        }
        final String s = out.toString();
        return s.endsWith("\n") ? s : s + "\n";
    }

    /** The writing of one document. */
    private static final class Fields {
        private final JsonGenerator g;
        private final DumperOptions style;

        Fields(final JsonGenerator g, final DumperOptions style) {
            this.g = g;
            this.style = style;
        }

        void document(final ModelDocument doc) throws IOException {
            final ModelSpec m = doc.model();
            g.writeStartObject();
            g.writeStringField("schema", ModelSpec.SCHEMA);
            g.writeStringField("name", m.name());
            g.writeStringField("timeUnit", m.timeUnit());
            g.writeArrayFieldStart("variables");
            for (final VariableSpec v : m.variables()) {
                g.writeStartObject();
                g.writeStringField("name", v.name());
                if (v.kind() == VariableKind.INPUT) {
                    g.writeStringField("kind", "input");
                }
                shape(v.rows(), v.cols());
                if (!v.unit().isEmpty()) {
                    g.writeStringField("unit", v.unit());
                }
                if (!ValueSpec.Values.of(0.0).equals(v.initial())) {
                    g.writeFieldName("initial");
                    value(v.initial());
                }
                if (v.scale() != 1.0) {
                    g.writeFieldName("scale");
                    number(v.scale());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            if (!m.parameters().isEmpty()) {
                g.writeArrayFieldStart("parameters");
                for (final ParameterSpec p : m.parameters()) {
                    g.writeStartObject();
                    g.writeStringField("name", p.name());
                    shape(p.rows(), p.cols());
                    g.writeFieldName("value");
                    value(p.value());
                    if (!p.unit().isEmpty()) {
                        g.writeStringField("unit", p.unit());
                    }
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            if (!m.lets().isEmpty()) {
                g.writeObjectFieldStart("lets");
                for (final LetSpec l : m.lets()) {
                    g.writeStringField(l.name(), l.body().text());
                }
                g.writeEndObject();
            }
            g.writeObjectFieldStart("equations");
            for (final EquationSpec e : m.equations()) {
                g.writeStringField(e.variable(), e.text());
            }
            g.writeEndObject();
            if (!m.noise().isEmpty()) {
                g.writeArrayFieldStart("noise");
                for (final NoiseSpec n : m.noise()) {
                    g.writeStartObject();
                    g.writeStringField("variable", n.variable());
                    g.writeFieldName("sigma");
                    number(n.sigma());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            if (!m.thresholds().isEmpty()) {
                g.writeArrayFieldStart("thresholds");
                for (final ThresholdSpec t : m.thresholds()) {
                    g.writeStartObject();
                    g.writeStringField("variable", t.variable());
                    g.writeFieldName("threshold");
                    number(t.threshold());
                    g.writeFieldName("reset");
                    number(t.reset());
                    if (Double.doubleToRawLongBits(t.refractory()) != 0L) {
                        g.writeFieldName("refractory");
                        number(t.refractory());
                    }
                    if (t.detection() == Detection.STEP_END) {
                        g.writeStringField("detection", "step-end");
                    }
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            if (!m.events().isEmpty()) {
                g.writeArrayFieldStart("events");
                for (final EventSpec e : m.events()) {
                    g.writeStartObject();
                    g.writeStringField("name", e.name());
                    g.writeStringField("threshold", e.threshold().text());
                    if (!e.reset().isEmpty()) {
                        g.writeStringField("reset", StatementSpec.text(e.reset()));
                    }
                    if (!e.hasNoRefractory()) {
                        g.writeFieldName("refractory");
                        if (e.refractory() instanceof ExprSpec.Num n) {
                            number(n.value());
                        } else {
                            g.writeString(e.refractory().text());
                        }
                    }
                    if (e.detection() != Detection.AUTO) {
                        g.writeStringField("detection", e.detection().text());
                    }
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            if (!m.populations().isEmpty()) {
                g.writeArrayFieldStart("populations");
                for (final PopulationSpec q : m.populations()) {
                    g.writeStartObject();
                    g.writeStringField("name", q.name());
                    g.writeNumberField("size", q.size());
                    if (q.kind() == PopulationSpec.Kind.POISSON) {
                        g.writeStringField("rate", q.rate().text());
                    } else if (q.kind() == PopulationSpec.Kind.GENERATOR) {
                        g.writeObjectFieldStart("spikes");
                        g.writeFieldName("i");
                        indices(q.indices());
                        g.writeFieldName("t");
                        numbers(q.times());
                        g.writeEndObject();
                    } else {
                        g.writeFieldName("variables");
                        flow(true);
                        g.writeStartArray();
                        flow(false);
                        for (final String v : q.variables()) {
                            g.writeString(v);
                        }
                        g.writeEndArray();
                    }
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            if (!m.projections().isEmpty()) {
                g.writeArrayFieldStart("projections");
                for (final ProjectionSpec q : m.projections()) {
                    projection(q);
                }
                g.writeEndArray();
            }
            problem(doc.problem());
            g.writeEndObject();
        }

        private void projection(final ProjectionSpec q) throws IOException {
            g.writeStartObject();
            g.writeStringField("name", q.name());
            g.writeStringField("source", q.sourceText());
            g.writeStringField("target", q.targetText());
            if (!EventSpec.SPIKE.equals(q.event())) {
                g.writeStringField("event", q.event());
            }
            final ConnectSpec c = q.connect();
            if (c.explicit()) {
                g.writeObjectFieldStart("connect");
                if (!c.file().isEmpty()) {
                    g.writeStringField("file", c.file());
                }
                g.writeFieldName("i");
                indices(c.sources());
                g.writeFieldName("j");
                indices(c.targets());
                g.writeEndObject();
            } else {
                g.writeStringField("connect", c.text());
            }
            if (!q.variables().isEmpty()) {
                g.writeArrayFieldStart("variables");
                for (final SynapseVariableSpec v : q.variables()) {
                    g.writeStartObject();
                    g.writeStringField("name", v.name());
                    g.writeFieldName("initial");
                    value(v.initial());
                    if (!v.unit().isEmpty()) {
                        g.writeStringField("unit", v.unit());
                    }
                    if (v.rate() != null) {
                        g.writeStringField("equation", v.rate().text());
                        g.writeStringField("update", v.update());
                    }
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            if (!q.onPre().isEmpty()) {
                g.writeStringField("on_pre", StatementSpec.text(q.onPre()));
            }
            if (!q.onPost().isEmpty()) {
                g.writeStringField("on_post", StatementSpec.text(q.onPost()));
            }
            if (!EventSpec.SPIKE.equals(q.postEvent())) {
                g.writeStringField("post_event", q.postEvent());
            }
            if (!q.summed().isEmpty()) {
                g.writeStringField("summed", StatementSpec.text(q.summed()));
            }
            if (!q.hasNoDelay()) {
                g.writeFieldName("delay");
                if (q.delay() instanceof ExprSpec.Num n) {
                    number(n.value());
                } else {
                    g.writeString(q.delay().text());
                }
            }
            g.writeEndObject();
        }

        private void indices(final int[] values) throws IOException {
            flow(true);
            g.writeStartArray();
            flow(false);
            for (final int x : values) {
                g.writeNumber(x);
            }
            g.writeEndArray();
        }

        private void problem(final ProblemSettings p) throws IOException {
            if (p.isNone()) {
                return;
            }
            g.writeObjectFieldStart("problem");
            if (p.hasTimeSpan()) {
                g.writeFieldName("time");
                numbers(new double[] {p.t0(), p.tEnd()});
            } else if (Double.doubleToRawLongBits(p.t0()) != 0L) {
                g.writeFieldName("t0");
                number(p.t0());
            }
            if (!p.reference().isEmpty()) {
                g.writeObjectFieldStart("reference");
                for (final Map.Entry<String, double[]> e : p.reference().entrySet()) {
                    g.writeFieldName(e.getKey());
                    numbers(e.getValue());
                }
                g.writeEndObject();
            }
            if (p.stiff()) {
                g.writeBooleanField("stiff", true);
            }
            if (p.atolFactor() != 1.0) {
                g.writeFieldName("atolFactor");
                number(p.atolFactor());
            }
            g.writeEndObject();
        }

        private void shape(final int rows, final int cols) throws IOException {
            if (rows == 1 && cols == 1) {
                return;
            }
            g.writeFieldName("shape");
            flow(true);
            g.writeStartArray();
            flow(false);
            g.writeNumber(rows);
            if (cols != 1) {
                g.writeNumber(cols);
            }
            g.writeEndArray();
        }

        /** One number, a list of numbers, or an expression as text. */
        private void value(final ValueSpec v) throws IOException {
            if (v instanceof ValueSpec.Values n) {
                if (n.size() == 1) {
                    number(n.get(0));
                } else {
                    numbers(n.values());
                }
            } else {
                g.writeString(((ValueSpec.Expression) v).expression().text());
            }
        }

        private void numbers(final double[] values) throws IOException {
            flow(true);
            g.writeStartArray();
            flow(false);
            for (final double x : values) {
                number(x);
            }
            g.writeEndArray();
        }

        private void number(final double v) throws IOException {
            g.writeNumber(OdeWriter.number(v));
        }

        private void flow(final boolean on) {
            if (style != null) {
                style.setDefaultFlowStyle(on ? DumperOptions.FlowStyle.FLOW : DumperOptions.FlowStyle.BLOCK);
            }
        }
    }
}
