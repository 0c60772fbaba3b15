package org.neurode.core.expr;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.neurode.core.ErrorCode;
import org.neurode.core.Model;
import org.neurode.core.OdeException;

/**
 * A model written as a text file, one declaration per line, compiled by {@link ModelBuilder}:
 * <pre>
 * # Van der Pol oscillator (Test Set VDPOLM)
 * model vdpol
 * parameter mu = 1000
 * state y1 = 2
 * state y2 = 0
 * dy1/dt = y2
 * dy2/dt = mu * (1 - y1^2) * y2 - y1
 * time 0 2000
 * stiff
 * reference y1 = 1.706167732170469
 * reference y2 = -0.8928097010248125e-3
 * </pre>
 * Lines ({@code #} starts a comment):
 * <ul>
 * <li>{@code model NAME}: the model's name (default: the file name);</li>
 * <li>{@code parameter NAME = NUMBER};</li>
 * <li>{@code state NAME = VALUES [unit U] [scale S]}, {@code input NAME = VALUES [unit U]}: NAME is
 * {@code x}, {@code x[n]} or {@code W[rows, cols]}; VALUES one number (for every element) or one per element,
 * comma-separated, row by row; the scale sets the absolute tolerance (atol = rtol * scale);</li>
 * <li>{@code let NAME = EXPRESSION}: a named subexpression;</li>
 * <li>{@code dNAME/dt = EXPRESSION}: the equation of a state variable (the expression language of
 * {@link ModelBuilder});</li>
 * <li>{@code noise NAME = SIGMA}: additive white noise;</li>
 * <li>{@code threshold NAME = THETA reset R [refractory T]}: a threshold event;</li>
 * <li>for problems: {@code time T0 T1} (the span), {@code reference NAME = VALUES} (end values),
 * {@code stiff}, {@code atol-factor F}.</li>
 * </ul>
 * Every error names the file, the line and the column.
 *
 * @param model      the compiled model
 * @param t0         start time (0 without a {@code time} line)
 * @param tEnd       end time (NaN without a {@code time} line)
 * @param reference  end values by variable name (empty if none)
 * @param stiff      true if the file says {@code stiff}
 * @param atolFactor absolute over relative tolerance ({@code atol-factor}; 1 by default)
 * @since 0.1
 */
public record ModelFile(Model model, double t0, double tEnd, Map<String, double[]> reference, boolean stiff,
                        double atolFactor) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern SHAPED = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\s*(?:\\[\\s*(\\d+)\\s*(?:,\\s*(\\d+)\\s*)?\\])?");
    private static final Pattern DERIVATIVE = Pattern.compile("d([A-Za-z_][A-Za-z0-9_]*)\\s*/\\s*dt");

    /**
     * Reads and compiles a model file.
     *
     * @param file the file
     * @return the model with its problem settings
     * @throws OdeException naming the file, line and column of the first error, or the file if unreadable
     */
    public static ModelFile read(final Path file) {
        final String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new OdeException(e, ErrorCode.INVALID_ARGUMENT, "model file " + file + " does not exist");
        } catch (IOException e) {
            throw new OdeException(e, ErrorCode.INVALID_ARGUMENT, "cannot read model file " + file + ": " + e);
        }
        final String base = file.getFileName().toString();
        final int dot = base.lastIndexOf('.');
        return parse(text, file.toString(), dot > 0 ? base.substring(0, dot) : base);
    }

    /**
     * Parses and compiles model text.
     *
     * @param text        the declarations
     * @param source      name used in error messages (a file name)
     * @param defaultName model name if there is no {@code model} line
     * @return the model with its problem settings
     * @throws OdeException naming the source, line and column of the first error
     */
    public static ModelFile parse(final String text, final String source, final String defaultName) {
        return new Parser(text, source, defaultName).run();
    }

    /** The line-by-line reader. */
    private static final class Parser {
        private final String[] lines;
        private final String source;
        private String name;
        private ModelBuilder builder;
        private final Map<String, Var> vars = new LinkedHashMap<>();
        private final Map<String, double[]> reference = new LinkedHashMap<>();
        private double t0 = 0.0;
        private double tEnd = Double.NaN;
        private boolean stiff;
        private double atolFactor = 1.0;
        private int line;

        Parser(final String text, final String source, final String defaultName) {
            this.lines = text.split("\r?\n", -1);
            this.source = source;
            this.name = defaultName;
        }

        ModelFile run() {
            // the model line may come anywhere before the first declaration; look for it first
            for (int k = 0; k < lines.length; k++) {
                final String l = strip(lines[k]);
                if (l.startsWith("model ") || l.equals("model")) {
                    line = k + 1;
                    final String n = l.substring(5).trim();
                    if (!NAME.matcher(n).matches()) {
                        throw error(col(lines[k], "model") + 6, "expected 'model NAME' with a name of letters, digits "
                                                              + "and _, got '" + n + "'");
                    }
                    name = n;
                }
            }
            builder = ModelBuilder.named(name);
            for (int k = 0; k < lines.length; k++) {
                line = k + 1;
                final String raw = lines[k];
                final String l = strip(raw);
                if (l.isEmpty() || l.startsWith("model")) {
                    continue;
                }
                try {
                    declaration(raw, l);
                } catch (OdeException e) {
                    if (e.getMessage() != null && e.getMessage().startsWith(source + " line ")) {
                        throw e;
                    }
                    throw new OdeException(e, ErrorCode.INVALID_ARGUMENT, source + " line " + line + ": " + e.getMessage());
                }
            }
            final Model model;
            try {
                model = builder.build();
            } catch (OdeException e) {
                throw new OdeException(e, ErrorCode.INVALID_ARGUMENT, source + ": " + e.getMessage());
            }
            for (final Map.Entry<String, double[]> r : reference.entrySet()) {
                final Var v = vars.get(r.getKey());
                if (v != null && r.getValue().length != v.rows() * v.cols()) {
                    throw new OdeException(ErrorCode.INVALID_ARGUMENT, source + ": reference of '" + r.getKey()
                            + "' has " + r.getValue().length + " values but the variable has " + v.rows() * v.cols());
                }
            }
            return new ModelFile(model, t0, tEnd, Collections.unmodifiableMap(reference), stiff, atolFactor);
        }

        private void declaration(final String raw, final String l) {
            final String keyword = l.split("\\s+", 2)[0];
            final String rest = l.substring(keyword.length()).trim();
            final Matcher d = DERIVATIVE.matcher(l);
            if (d.lookingAt()) {
                final String lhs = d.group(1);
                final int eq = l.indexOf('=', d.end());
                if (eq < 0 || !l.substring(d.end(), eq).isBlank()) {
                    throw error(col(raw, l.substring(d.end())), "expected '=' after d" + lhs + "/dt");
                }
                final Var v = vars.get(lhs);
                if (v == null || v.isInput()) {
                    throw error(col(raw, "d" + lhs), "'" + lhs + "' is not a declared state variable; declare it with "
                                                      + "'state " + lhs + " = ...' first");
                }
                expression(raw, l.substring(eq + 1), e -> builder.ode(v, e));
                return;
            }
            switch (keyword) {
                case "parameter" -> {
                    final String[] nv = assignment(raw, rest, "parameter NAME = NUMBER");
                    builder.param(checkName(raw, nv[0]), number(raw, nv[1]));
                }
                case "state", "input" -> variable(raw, rest, "input".equals(keyword));
                case "let" -> {
                    final String[] nv = assignment(raw, rest, "let NAME = EXPRESSION");
                    final String n = checkName(raw, nv[0]);
                    expression(raw, nv[1], e -> builder.let(n, e));
                }
                case "noise" -> {
                    final String[] nv = assignment(raw, rest, "noise NAME = SIGMA");
                    builder.noise(stateVar(raw, nv[0]), number(raw, nv[1]));
                }
                case "threshold" -> threshold(raw, rest);
                case "time" -> {
                    final String[] p = rest.split("\\s+");
                    if (p.length != 2) {
                        throw error(col(raw, "time"), "expected 'time T0 T1'");
                    }
                    t0 = number(raw, p[0]);
                    tEnd = number(raw, p[1]);
                    if (!(tEnd > t0)) {
                        throw error(col(raw, p[1]), "the end time " + p[1] + " must be after the start time " + p[0]);
                    }
                }
                case "reference" -> {
                    final String[] nv = assignment(raw, rest, "reference NAME = VALUES");
                    stateVar(raw, nv[0]);
                    reference.put(nv[0], numbers(raw, nv[1]));
                }
                case "stiff" -> {
                    if (!rest.isEmpty()) {
                        throw error(col(raw, rest), "'stiff' takes no argument");
                    }
                    stiff = true;
                }
                case "atol-factor" -> {
                    atolFactor = number(raw, rest);
                    if (!(atolFactor > 0)) {
                        throw error(col(raw, rest), "atol-factor must be positive");
                    }
                }
                default -> throw error(col(raw, keyword), "unknown declaration '" + keyword + "'; expected model, "
                        + "parameter, state, input, let, dNAME/dt, noise, threshold, time, reference, stiff or atol-factor");
            }
        }

        private void variable(final String raw, final String rest, final boolean input) {
            final String what = input ? "input" : "state";
            final int eq = rest.indexOf('=');
            if (eq < 0) {
                throw error(col(raw, rest), "expected '" + what + " NAME = VALUES [unit U] [scale S]'");
            }
            final Matcher m = SHAPED.matcher(rest.substring(0, eq).trim());
            if (!m.matches()) {
                throw error(col(raw, rest), "expected a name, NAME[n] or NAME[rows, cols] before '='");
            }
            final String n = m.group(1);
            final int rows = m.group(2) == null ? 1 : Integer.parseInt(m.group(2));
            final int cols = m.group(3) == null ? 1 : Integer.parseInt(m.group(3));
            String values = rest.substring(eq + 1).trim();
            String unit = "1";
            double scale = Double.NaN;
            final Matcher scaleM = Pattern.compile("\\bscale\\s+(\\S+)\\s*$").matcher(values);
            if (scaleM.find()) {
                scale = number(raw, scaleM.group(1));
                values = values.substring(0, scaleM.start()).trim();
            }
            final Matcher unitM = Pattern.compile("\\bunit\\s+(\\S+)\\s*$").matcher(values);
            if (unitM.find()) {
                unit = unitM.group(1);
                values = values.substring(0, unitM.start()).trim();
            }
            final Var v;
            if (input) {
                v = builder.input(n, rows, cols, unit);
            } else if (m.group(3) != null) {
                v = builder.matrix(n, rows, cols, unit);
            } else if (m.group(2) != null) {
                v = builder.vector(n, rows, unit);
            } else {
                v = builder.scalar(n, unit);
            }
            vars.put(n, v);
            final double[] init = numbers(raw, values);
            if (init.length == 1) {
                builder.initial(v, init[0]);
            } else if (init.length == rows * cols) {
                builder.initial(v, init);
            } else {
                throw error(col(raw, values), "'" + n + "' has " + rows * cols + " elements but " + init.length
                                               + " initial values were given (give one for all, or one each)");
            }
            if (!Double.isNaN(scale)) {
                if (input) {
                    throw error(col(raw, "scale"), "inputs are not integrated and take no tolerance scale");
                }
                builder.scale(v, scale);
            }
        }

        private void threshold(final String raw, final String rest) {
            final Matcher m = Pattern.compile("(\\S+)\\s*=\\s*(\\S+)\\s+reset\\s+(\\S+)(?:\\s+refractory\\s+(\\S+))?")
                    .matcher(rest);
            if (!m.matches()) {
                throw error(col(raw, rest), "expected 'threshold NAME = THETA reset R [refractory T]'");
            }
            builder.threshold(stateVar(raw, m.group(1)), number(raw, m.group(2)), number(raw, m.group(3)),
                    m.group(4) == null ? 0.0 : number(raw, m.group(4)));
        }

        private Var stateVar(final String raw, final String n) {
            final Var v = vars.get(n);
            if (v == null || v.isInput()) {
                throw error(col(raw, n), "'" + n + "' is not a declared state variable; known: "
                                         + String.join(", ", vars.keySet()));
            }
            return v;
        }

        /** Parses an expression and hands it on; errors keep the expression's column, shifted to the line. */
        private void expression(final String raw, final String text, final java.util.function.Consumer<Expr> use) {
            final int start = col(raw, text.trim());
            final Expr e;
            try {
                e = builder.expr(text.trim());
            } catch (OdeException ex) {
                throw new OdeException(ex, ErrorCode.INVALID_ARGUMENT, source + " line " + line + " (expression from "
                        + "column " + start + "): " + ex.getMessage());
            }
            use.accept(e);
        }

        private String[] assignment(final String raw, final String rest, final String form) {
            final int eq = rest.indexOf('=');
            if (eq < 0) {
                throw error(col(raw, rest.isEmpty() ? raw.trim() : rest), "expected '" + form + "'");
            }
            return new String[] {rest.substring(0, eq).trim(), rest.substring(eq + 1).trim()};
        }

        private String checkName(final String raw, final String n) {
            if (!NAME.matcher(n).matches()) {
                throw error(col(raw, n), "'" + n + "' is not a name (letters, digits and _, not starting with a digit)");
            }
            return n;
        }

        private double number(final String raw, final String text) {
            try {
                return Double.parseDouble(text.trim());
            } catch (NumberFormatException e) {
                throw error(col(raw, text.trim()), "'" + text.trim() + "' is not a number");
            }
        }

        private double[] numbers(final String raw, final String text) {
            final String[] parts = text.split(",");
            final double[] v = new double[parts.length];
            for (int i = 0; i < parts.length; i++) {
                v[i] = number(raw, parts[i]);
            }
            return v;
        }

        private OdeException error(final int column, final String message) {
            return new OdeException(ErrorCode.INVALID_ARGUMENT, source + " line " + line + ", column " + column + ": "
                                                                + message);
        }

        /** 1-based column of {@code part} in the raw line (1 if not found). */
        private static int col(final String raw, final String part) {
            final int i = part.isEmpty() ? -1 : raw.indexOf(part);
            return i < 0 ? 1 : i + 1;
        }

        private static String strip(final String raw) {
            final int hash = raw.indexOf('#');
            return (hash >= 0 ? raw.substring(0, hash) : raw).trim();
        }
    }

    /** @return a short description */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "ModelFile[%s, t in [%s, %s]%s]", model.name(), t0, tEnd,
                stiff ? ", stiff" : "");
    }
}
