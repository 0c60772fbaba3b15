package org.neurode.core.expr;

import java.util.Map;
import java.util.regex.Pattern;

import org.neurode.core.Detection;
import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;
import org.neurode.core.spec.ConnectSpec;
import org.neurode.core.spec.EquationSpec;
import org.neurode.core.spec.EventSpec;
import org.neurode.core.spec.ExprText;
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

/**
 * Writes a model document as a model file ({@link ModelFile}'s syntax) in canonical form: the model line, the
 * time unit if it is not ms, parameters, variables, named subexpressions, equations, noise, thresholds, then the
 * problem settings; one declaration per line, defaults left out, numbers as {@link ExprText#number} writes them
 * (they read back to the same bits), expressions as {@link ExprText#print} writes them. Reading the text back
 * gives an equal document.
 */
final class OdeWriter {

    /** A unit or time unit as a model file can hold it: one word, no comment sign. */
    private static final Pattern WORD = Pattern.compile("[^\\s#]+");
    /** The words that start the parts of an event line. */
    private static final Pattern EVENT_WORDS = Pattern.compile("(?<![A-Za-z0-9_])(reset|refractory|detection)"
            + "(?![A-Za-z0-9_])");

    private OdeWriter() {
    }

    /**
     * @param doc the document
     * @return the model file's text
     * @throws OdeException naming what a model file cannot hold (a name with spaces, a unit with spaces, an
     *                      expression as an initial value)
     */
    static String write(final ModelDocument doc) {
        final ModelSpec m = doc.model();
        final StringBuilder sb = new StringBuilder();
        if (!ModelFile.MODEL_NAME.matcher(m.name()).matches()) {
            throw cannot("the model name '" + m.name() + "' (letters, digits, _, - and . only)");
        }
        sb.append("model ").append(m.name()).append('\n');
        if (!ModelSpec.DEFAULT_TIME_UNIT.equals(m.timeUnit())) {
            sb.append("time-unit ").append(unit("the time unit", m.timeUnit())).append('\n');
        }
        for (final ParameterSpec p : m.parameters()) {
            sb.append("parameter ").append(p.name()).append(shape(p.rows(), p.cols())).append(" = ")
              .append(values("the value of parameter '" + p.name() + "'", p.value()));
            appendUnit(sb, "parameter '" + p.name() + "'", p.unit());
            sb.append('\n');
        }
        for (final VariableSpec v : m.variables()) {
            sb.append(v.kind() == VariableKind.INPUT ? "input " : "state ").append(v.name())
              .append(shape(v.rows(), v.cols())).append(" = ")
              .append(values("the initial value of '" + v.name() + "'", v.initial()));
            appendUnit(sb, "'" + v.name() + "'", v.unit());
            if (v.scale() != 1.0) {
                sb.append(" scale ").append(ExprText.number(v.scale()));
            }
            sb.append('\n');
        }
        for (final LetSpec l : m.lets()) {
            sb.append("let ").append(l.name()).append(" = ").append(l.body().text()).append('\n');
        }
        for (final EquationSpec e : m.equations()) {
            sb.append('d').append(e.variable()).append("/dt = ").append(e.text()).append('\n');
        }
        for (final NoiseSpec n : m.noise()) {
            sb.append("noise ").append(n.variable()).append(" = ").append(number(n.sigma())).append('\n');
        }
        for (final ThresholdSpec t : m.thresholds()) {
            sb.append("threshold ").append(t.variable()).append(" = ").append(number(t.threshold()))
              .append(" reset ").append(number(t.reset()));
            if (Double.doubleToRawLongBits(t.refractory()) != 0L) {
                sb.append(" refractory ").append(number(t.refractory()));
            }
            if (t.detection() == Detection.STEP_END) {
                sb.append(" detection step-end");
            }
            sb.append('\n');
        }
        for (final EventSpec e : m.events()) {
            final StringBuilder line = new StringBuilder();
            line.append(EventSpec.SPIKE.equals(e.name()) ? "threshold " : "event " + e.name() + ": ")
                .append(eventPart(e, "condition", e.threshold().text()));
            if (!e.reset().isEmpty()) {
                line.append(" reset ").append(eventPart(e, "reset", StatementSpec.text(e.reset())));
            }
            if (!e.hasNoRefractory()) {
                line.append(" refractory ").append(eventPart(e, "refractory period", e.refractory().text()));
            }
            if (e.detection() != Detection.AUTO) {
                line.append(" detection ").append(e.detection().text());
            }
            sb.append(line).append('\n');
        }
        for (final PopulationSpec q : m.populations()) {
            sb.append("population ").append(q.name()).append(' ').append(q.size());
            if (q.kind() == PopulationSpec.Kind.POISSON) {
                sb.append(" poisson ").append(q.rate().text());
            } else if (q.kind() == PopulationSpec.Kind.GENERATOR) {
                final int[] idx = q.indices();
                final double[] times = q.times();
                final StringBuilder i = new StringBuilder(" spikes i = ");
                final StringBuilder t = new StringBuilder(" t = ");
                for (int k = 0; k < idx.length; k++) {
                    i.append(k == 0 ? "" : ", ").append(idx[k]);
                    t.append(k == 0 ? "" : ", ").append(number(times[k]));
                }
                if (idx.length == 0) {
                    throw cannot("spike generator '" + q.name() + "' without spikes");
                }
                sb.append(i).append(t);
            } else {
                sb.append(": ").append(String.join(", ", q.variables()));
            }
            sb.append('\n');
        }
        for (final ProjectionSpec q : m.projections()) {
            sb.append("projection ").append(q.name()).append(": ").append(q.sourceText()).append(" -> ")
              .append(q.targetText());
            if (!EventSpec.SPIKE.equals(q.event())) {
                sb.append(" on ").append(q.event());
            }
            sb.append(" connect ").append(projectionPart(q, "connection rule", connectText(q.connect())));
            if (!q.onPre().isEmpty()) {
                sb.append(" on_pre ").append(projectionPart(q, "on_pre statements", StatementSpec.text(q.onPre())));
            }
            if (!q.onPost().isEmpty()) {
                sb.append(" on_post ").append(projectionPart(q, "on_post statements",
                        StatementSpec.text(q.onPost())));
            }
            if (!EventSpec.SPIKE.equals(q.postEvent())) {
                sb.append(" post_event ").append(q.postEvent());
            }
            if (!q.hasNoDelay()) {
                sb.append(" delay ").append(projectionPart(q, "delay", q.delay().text()));
            }
            sb.append('\n');
            for (final SynapseVariableSpec v : q.variables()) {
                sb.append("synapse ").append(q.name()).append('.').append(v.name()).append(" = ")
                  .append(values("the value of synapse variable '" + v.name() + "'", v.initial()));
                appendUnit(sb, "synapse variable '" + v.name() + "'", v.unit());
                sb.append('\n');
                if (v.rate() != null) {
                    sb.append("synapse ").append(q.name()).append(".d").append(v.name()).append("/dt = ")
                      .append(v.rate().text()).append(" (").append(v.update()).append(")\n");
                }
            }
            for (final StatementSpec st : q.summed()) {
                sb.append("synapse ").append(q.name()).append('.').append(st.variable()).append(" = ")
                  .append(st.value().text()).append(" (summed)\n");
            }
        }
        final ProblemSettings p = doc.problem();
        if (p.hasTimeSpan()) {
            sb.append("time ").append(number(p.t0())).append(' ').append(number(p.tEnd())).append('\n');
        } else if (Double.doubleToRawLongBits(p.t0()) != 0L) {
            throw cannot("a start time without an end time");
        }
        for (final Map.Entry<String, double[]> e : p.reference().entrySet()) {
            sb.append("reference ").append(e.getKey()).append(" = ")
              .append(values("the reference of '" + e.getKey() + "'", new ValueSpec.Values(e.getValue())))
              .append('\n');
        }
        if (p.stiff()) {
            sb.append("stiff\n");
        }
        if (p.atolFactor() != 1.0) {
            sb.append("atol-factor ").append(number(p.atolFactor())).append('\n');
        }
        return sb.toString();
    }

    /** A part of an event line, which must not hold the words that start the next part. */
    private static String eventPart(final EventSpec e, final String what, final String text) {
        if (EVENT_WORDS.matcher(text).find()) {
            throw cannot("the " + what + " of event '" + e.name() + "', '" + text + "' (the names reset, refractory"
                    + " and detection end the parts of an event line)");
        }
        return text;
    }

    /** The connection rule of a projection line: a rule, a file reference or the indices. */
    private static String connectText(final ConnectSpec c) {
        if (!c.explicit()) {
            return c.text();
        }
        if (!c.file().isEmpty()) {
            return "from \"" + c.file() + "\"";
        }
        final StringBuilder i = new StringBuilder("i = ");
        final StringBuilder j = new StringBuilder(" j = ");
        for (int k = 0; k < c.count(); k++) {
            i.append(k == 0 ? "" : ", ").append(c.source(k));
            j.append(k == 0 ? "" : ", ").append(c.target(k));
        }
        return i.append(j).toString();
    }

    /** A part of a projection line, which must not hold the words that start the next part. */
    private static String projectionPart(final ProjectionSpec p, final String what, final String text) {
        if (PROJECTION_WORDS.matcher(text).find()) {
            throw cannot("the " + what + " of projection '" + p.name() + "', '" + text + "' (the names on, connect, "
                    + "on_pre, on_post and delay end the parts of a projection line)");
        }
        return text;
    }

    private static final java.util.regex.Pattern PROJECTION_WORDS = java.util.regex.Pattern.compile(
            "(?<![A-Za-z0-9_])(on|connect|on_pre|on_post|delay)(?![A-Za-z0-9_])");

    /** A number as model files write it: {@code -0.0} keeps its sign. */
    static String number(final double v) {
        return Double.doubleToRawLongBits(v) == Long.MIN_VALUE ? "-0.0" : ExprText.number(v);
    }

    private static String shape(final int rows, final int cols) {
        return cols != 1 ? "[" + rows + ", " + cols + "]" : rows != 1 ? "[" + rows + "]" : "";
    }

    private static String values(final String what, final ValueSpec value) {
        if (value instanceof ValueSpec.Expression x) {
            final String text = x.expression().text();
            // an expression that reads like numbers (-2) is parenthesized so that it is read back as an expression
            return ModelFile.readsAsNumbers(text) ? "(" + text + ")" : text;
        }
        final ValueSpec.Values v = (ValueSpec.Values) value;
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(number(v.get(i)));
        }
        return sb.toString();
    }

    private static void appendUnit(final StringBuilder sb, final String what, final String unit) {
        if (!unit.isEmpty()) {
            sb.append(" unit ").append(unit("the unit of " + what, unit));
        }
    }

    private static String unit(final String what, final String unit) {
        if (!WORD.matcher(unit).matches()) {
            throw cannot(what + ", '" + unit + "' (one word without spaces or #)");
        }
        return unit;
    }

    private static OdeException cannot(final String what) {
        return new OdeException(ErrorCode.INVALID_ARGUMENT, "a model file cannot hold " + what);
    }
}
