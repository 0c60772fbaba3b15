package org.neurode.core.expr;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.neurode.core.Detection;
import org.neurode.core.ErrorCode;
import org.neurode.core.Model;
import org.neurode.core.OdeException;
import org.neurode.core.spec.ConnectSpec;
import org.neurode.core.spec.EquationSpec;
import org.neurode.core.spec.EventSpec;
import org.neurode.core.spec.ExprSpec;
import org.neurode.core.spec.ExprText;
import org.neurode.core.spec.ModelDocument;
import org.neurode.core.spec.ModelSpec;
import org.neurode.core.spec.ParameterSpec;
import org.neurode.core.spec.PopulationSpec;
import org.neurode.core.spec.ProblemSettings;
import org.neurode.core.spec.ProjectionSpec;
import org.neurode.core.spec.StatementSpec;
import org.neurode.core.spec.SynapseVariableSpec;
import org.neurode.core.spec.ValueSpec;

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
 * <li>{@code model NAME}: the model's name (default: the file name; letters, digits, _, - and .);</li>
 * <li>{@code time-unit U}: the unit of the time {@code t} (default ms);</li>
 * <li>{@code parameter NAME = NUMBER [unit U]};</li>
 * <li>{@code state NAME = VALUES [unit U] [scale S]}, {@code input NAME = VALUES [unit U]}: NAME is
 * {@code x}, {@code x[n]} or {@code W[rows, cols]}; VALUES one number (for every element) or one per element,
 * comma-separated, row by row; without a unit the variable has none (the model is then unit-free); the scale
 * sets the absolute tolerance (atol = rtol * scale);</li>
 * <li>{@code let NAME = EXPRESSION}: a named subexpression;</li>
 * <li>{@code dNAME/dt = EXPRESSION}: the equation of a state variable (the expression language of
 * {@link ModelBuilder});</li>
 * <li>{@code noise NAME = SIGMA}: additive white noise;</li>
 * <li>{@code threshold NAME = THETA reset R [refractory T] [detection continuous|step-end]}: a threshold
 * event, root-found (default) or checked at the end of each step;</li>
 * <li>events with conditions and statements ({@link EventSpec}), Brian2's way: {@code threshold CONDITION},
 * {@code reset STATEMENTS} ({@code v = Vr; w += b}) and {@code refractory T} (a number in the time unit, an
 * expression, or a number with a unit: {@code 2 ms}) make the event {@code spike}; {@code event NAME: CONDITION
 * [reset STATEMENTS] [refractory T] [detection auto|continuous|step-end]} makes any other on one line; an
 * equation ending in {@code (unless refractory)} is held while its member is refractory;</li>
 * <li>for problems: {@code time T0 T1} (the span, finite, T1 after T0), {@code reference NAME = VALUES} (end
 * values), {@code stiff}, {@code atol-factor F}.</li>
 * </ul>
 * Numbers are finite decimals ({@code 2}, {@code -0.5}, {@code 1.5e-3}); lists of values are separated by
 * commas. Sizes are checked against the memory available before anything is allocated. Every error names
 * the file, the line and the column (for an expression, the column where it starts and the column within it).
 *
 * <p>The model is read into a {@link ModelSpec} ({@link #document}, {@link Model#spec()}); {@code ModelDocuments}
 * writes one back as a model file.
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
    /** A model name: a name that may also contain '-' and '.' ({@code hodgkin-huxley}). */
    static final Pattern MODEL_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");
    private static final Pattern SHAPED = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\s*(?:\\[\\s*(\\d+)\\s*(?:,\\s*(\\d+)\\s*)?\\])?");
    private static final Pattern DERIVATIVE = Pattern.compile("d([A-Za-z_][A-Za-z0-9_]*)\\s*/\\s*dt");
    private static final Pattern SCALE = Pattern.compile("\\bscale\\s+(\\S+)\\s*$");
    private static final Pattern UNIT = Pattern.compile("\\bunit\\s+(\\S+)\\s*$");
    private static final Pattern THRESHOLD =
            Pattern.compile("(\\S+)\\s*=\\s*(\\S+)\\s+reset\\s+(\\S+)(?:\\s+refractory\\s+(\\S+))?"
                    + "(?:\\s+detection\\s+(\\S+))?");
    /** The first form of a threshold line: {@code NAME = ...} (a condition never starts with an assignment). */
    private static final Pattern OLD_THRESHOLD = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*\\s*=(?!=).*");
    /** {@code event NAME: rest}. */
    private static final Pattern POPULATION = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\s+(\\d+)\\s*:(.*)");
    /** {@code dX/dt} after {@code synapse P.}. */
    private static final Pattern SYNAPSE_DERIVATIVE = Pattern.compile("d([A-Za-z_][A-Za-z0-9_]*)\\s*/\\s*dt");
    /** The flag that ends an event-driven synapse equation (Brian2's). */
    private static final String EVENT_DRIVEN = "(event-driven)";
    /** The flag that ends a clock-driven synapse equation (Brian2's). */
    private static final String CLOCK_DRIVEN = "(clock-driven)";
    /** The flag that ends a summed variable (Brian2's). */
    private static final String SUMMED = "(summed)";
    /** Where a message names a synapse equation or a summed variable. */
    private static final Pattern SYNAPSE_PART = Pattern.compile("(?:equation 'd([A-Za-z_][A-Za-z0-9_]*)/dt"
            + "|summed variable '([A-Za-z_][A-Za-z0-9_]*) =)");
    private static final Pattern PROJECTION = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\s*:(.*)");
    private static final Pattern PROJECTION_PART = Pattern.compile(
            "(?<![A-Za-z0-9_])(on|connect|on_pre|on_post|post_event|delay)(?![A-Za-z0-9_])");
    private static final Pattern ENDS = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\s*(?:\\[\\s*(\\d+)\\s*:\\s*(\\d*)\\s*\\])?"
            + "\\s*->\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*(?:\\[\\s*(\\d+)\\s*:\\s*(\\d*)\\s*\\])?");
    private static final Pattern FROM_FILE = Pattern.compile("from\\s+\"([^\"]+)\"");
    private static final Pattern SOURCE_POPULATION = Pattern.compile(
            "([A-Za-z_][A-Za-z0-9_]*)\\s+(\\d+)\\s+(poisson|spikes)(?![A-Za-z0-9_])(.*)");
    private static final Pattern INLINE_SPIKES = Pattern.compile(
            "i\\s*=\\s*([0-9, ]+?)\\s+t\\s*=\\s*([0-9eE+\\-., ]+)");
    private static final Pattern INLINE_PAIRS = Pattern.compile("i\\s*=\\s*([0-9, ]+?)\\s+j\\s*=\\s*([0-9, ]+)");
    private static final Pattern QUOTED_STATEMENT = Pattern.compile("statement '([^']*)'");
    private static final Pattern EVENT = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\s*:(.*)");
    /** The keywords that end the parts of an event line. */
    private static final Pattern EVENT_PART = Pattern.compile("(?<![A-Za-z0-9_])(reset|refractory|detection)"
            + "(?![A-Za-z0-9_])");
    /** A number with a unit ({@code 2 ms}), a refractory period as a model file may write it. */
    private static final Pattern QUANTITY = Pattern.compile("([0-9]+\\.?[0-9]*(?:[eE][+-]?[0-9]+)?)\\s+"
            + "([A-Za-z_\u00b5\u03bc][A-Za-z0-9_]*)");
    /** A decimal number: digits with an optional point and exponent (no hexadecimal, no suffix). */
    /** A value text with no names, calls or operators between operands: read as numbers (with their messages). */
    private static final Pattern NUMBERS_LIKE = Pattern.compile("[0-9eE+\\-., \t]*|[+-]?(?:inf|infinity|nan)",
            Pattern.CASE_INSENSITIVE);
    /** An addition or subtraction between two operands ({@code 65 + 5}), which makes a value an expression. */
    private static final Pattern BINARY_SIGN = Pattern.compile("[0-9.]\\s*[+-]\\s*[0-9.]");

    /**
     * How a value after {@code =} is read: as numbers separated by commas if it has no names, calls, products
     * or sums between operands (so {@code 1.2.3} and {@code 400 550} get the number messages), else as an
     * expression evaluated when the model is built ({@code -65 + 5 * randn()}).
     *
     * @param text the value text
     * @return true if it is read as numbers
     */
    static boolean readsAsNumbers(final String text) {
        return NUMBERS_LIKE.matcher(text.trim()).matches() && !BINARY_SIGN.matcher(text.replaceAll("[0-9.][eE][+-]",
                "0")).find();
    }

    /** A name at the start of a declaration's rest. */
    private static final Pattern LEADING_NAME = Pattern.compile("\\s*([A-Za-z_][A-Za-z0-9_.\\-]*)");
    /** {@code NAME[shape] from "FILE" [unit U]}: a parameter array read from a CSV or NumPy file. */
    private static final Pattern FROM_LINE = Pattern.compile("(.*?)\\s+from\\s+\"([^\"]+)\"\\s*(?:unit\\s+(\\S+)\\s*)?");
    private static final Pattern NUMBER = Pattern.compile("[+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?");
    /** Non-finite words some programs write for numbers. */
    private static final Pattern NOT_FINITE = Pattern.compile("[+-]?(?:inf|infinity|nan)", Pattern.CASE_INSENSITIVE);

    /**
     * Reads and compiles a model file; a file named {@code .json}, {@code .yaml} or {@code .yml} is read as a
     * JSON or YAML model document ({@link ModelDocuments}).
     *
     * @param file the file
     * @return the model with its problem settings
     * @throws OdeException naming the file, line and column of the first error, or the file if unreadable
     */
    public static ModelFile read(final Path file) {
        return read(file, 0L);
    }

    /**
     * Reads and compiles a model file, drawing {@code rand()} and {@code randn()} in its values from a seed
     * (the run's seed: {@code neurode simulate --seed}).
     *
     * @param file the file
     * @param seed the seed of random initial and parameter values ({@link ModelBuilder#seed})
     * @return the model with its problem settings
     * @throws OdeException naming the file, line and column of the first error, or the file if unreadable
     * @since 0.3
     */
    public static ModelFile read(final Path file, final long seed) {
        final String lower = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (lower.endsWith(".json") || lower.endsWith(".yaml") || lower.endsWith(".yml")) {
            return of(ModelDocuments.read(file), file.toString(), seed);
        }
        final String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new OdeException(e, ErrorCode.INVALID_ARGUMENT, "model file " + file + " does not exist");
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new OdeException(e, ErrorCode.INVALID_ARGUMENT, "model file " + file + " is not UTF-8 text");
        } catch (IOException e) {
            throw new OdeException(e, ErrorCode.INVALID_ARGUMENT, "cannot read model file " + file + ": " + e);
        }
        final String base = file.getFileName().toString();
        final int dot = base.lastIndexOf('.');
        final Parser parser = new Parser(text, file.toString(), dot > 0 ? base.substring(0, dot) : base, Mode.COMPILE);
        parser.seed = seed;
        return (ModelFile) parser.run();
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
        return parse(text, source, defaultName, 0L);
    }

    /**
     * Parses and compiles model text, drawing {@code rand()} and {@code randn()} in its values from a seed, as
     * {@link #read(Path, long)} does for a file.
     *
     * @param text        the declarations
     * @param source      name used in error messages (a file name)
     * @param defaultName model name if there is no {@code model} line
     * @param seed        the seed of random initial and parameter values ({@link ModelBuilder#seed})
     * @return the model with its problem settings
     * @throws OdeException naming the source, line and column of the first error
     * @since 0.7
     */
    public static ModelFile parse(final String text, final String source, final String defaultName,
                                  final long seed) {
        final Parser parser = new Parser(text, source, defaultName, Mode.COMPILE);
        parser.seed = seed;
        return (ModelFile) parser.run();
    }

    /**
     * Reads model text into its specification and problem settings, checked as {@link #parse} checks it but
     * not compiled.
     *
     * @param text        the declarations
     * @param source      name used in error messages (a file name)
     * @param defaultName model name if there is no {@code model} line
     * @return the model as data with its problem settings
     * @throws OdeException naming the source, line and column of the first error
     * @since 0.3
     */
    public static ModelDocument document(final String text, final String source, final String defaultName) {
        return (ModelDocument) new Parser(text, source, defaultName, Mode.SPEC).run();
    }

    /**
     * Compiles a model document.
     *
     * @param doc    the document
     * @param source its name in messages (a file name)
     * @return the model with its problem settings
     * @throws OdeException naming the source if the model cannot be compiled
     * @since 0.3
     */
    public static ModelFile of(final ModelDocument doc, final String source) {
        return of(doc, source, 0L);
    }

    /**
     * Compiles a model document, drawing {@code rand()} and {@code randn()} in its values from a seed.
     *
     * @param doc    the document
     * @param source its name in messages (a file name)
     * @param seed   the seed of random initial and parameter values ({@link ModelBuilder#seed})
     * @return the model with its problem settings
     * @throws OdeException naming the source if the model cannot be compiled
     * @since 0.7
     */
    public static ModelFile of(final ModelDocument doc, final String source, final long seed) {
        final Model model;
        try {
            model = ModelBuilder.from(doc.model()).seed(seed).build();
        } catch (OdeException e) {
            throw new OdeException(e, ErrorCode.INVALID_ARGUMENT, source + ": compiling the model: " + e.getMessage());
        }
        final ProblemSettings p = doc.problem();
        return new ModelFile(model, p.t0(), p.tEnd(), p.reference(), p.stiff(), p.atolFactor());
    }

    /**
     * The model and its problem settings as data.
     *
     * @return the document
     * @since 0.3
     */
    public ModelDocument document() {
        return new ModelDocument(model.spec().orElseThrow(), new ProblemSettings(t0, tEnd, reference, stiff,
                atolFactor));
    }

    /** How far {@link Parser#run} goes. */
    private enum Mode {
        /** Read and check the declarations: a {@link ModelDocument}. */
        SPEC,
        /** Also generate the model's code (not compiled): nothing. */
        GENERATE,
        /** Compile: a {@link ModelFile}. */
        COMPILE
    }

    /**
     * Checks model text as {@link #parse} does, generating the model's code but not compiling it to bytecode
     * (several times faster; for validating many files).
     *
     * @param text   the declarations
     * @param source name used in error messages (a file name)
     * @throws OdeException naming the source, line and column of the first error
     */
    public static void check(final String text, final String source) {
        new Parser(text, source, "model", Mode.GENERATE).run();
    }

    /** @return the first word of a stripped line */
    private static String keyword(final String l) {
        int i = 0;
        while (i < l.length() && " \t\n\u000B\f\r".indexOf(l.charAt(i)) < 0) {     // the characters of \s
            i++;
        }
        return l.substring(0, i);
    }

    /** The line-by-line reader. */
    private static final class Parser {
        private final String[] lines;
        private final String source;
        private String name;
        private ModelBuilder builder;
        private final Map<String, Var> vars = new LinkedHashMap<>();
        /** Line and column of each variable's declaration. */
        private final Map<String, int[]> declaredAt = new HashMap<>();
        private final Set<String> equations = new HashSet<>();
        private final Map<String, double[]> reference = new LinkedHashMap<>();
        private double t0 = 0.0;
        private double tEnd = Double.NaN;
        private boolean stiff;
        private double atolFactor = 1.0;
        private int line;
        /** Index in the current raw line where the next part is searched (see {@link #col}). */
        private int cursor;
        private int lastDeclaration;

        /** How far to go. */
        private final Mode mode;
        /** Seed of rand() and randn() in values. */
        private long seed;
        /** Folder of the model file: array files are found there (null: the working directory). */
        private final Path directory;

        Parser(final String text, final String source, final String defaultName, final Mode mode) {
            this.lines = text.split("\r?\n", -1);
            this.source = source;
            Path dir = null;
            try {
                dir = Path.of(source).getParent();
            } catch (java.nio.file.InvalidPathException e) {
                dir = null;                 // a source name that is no path: files are relative to the working directory
            }
            this.directory = dir;
            this.name = defaultName;
            this.mode = mode;
        }

        Object run() {
            // the model line may come anywhere before the first declaration; look for it first
            for (int k = 0; k < lines.length; k++) {
                final String l = strip(lines[k]);
                if (l.startsWith("model ") || l.equals("model")) {
                    line = k + 1;
                    final String n = l.substring(5).trim();
                    if (!MODEL_NAME.matcher(n).matches()) {
                        throw error(col(lines[k], "model") + 6, "expected 'model NAME' with a name of letters, digits, "
                                                              + "_, - and ., got '" + n + "'");
                    }
                    name = n;
                }
            }
            builder = ModelBuilder.named(name).seed(seed);
            for (int k = 0; k < lines.length; k++) {
                line = k + 1;
                final String raw = lines[k];
                final String l = strip(raw);
                if (l.isEmpty() || "model".equals(keyword(l))) {
                    continue;
                }
                lastDeclaration = line;
                cursor = 0;
                remember(l);
                try {
                    declaration(raw, l);
                } catch (OdeException e) {
                    if (e.getMessage() != null && e.getMessage().startsWith(source + " line ")) {
                        throw e;
                    }
                    throw error(e, col(raw, l), e.getMessage());
                }
            }
            for (final Var v : vars.values()) {
                if (!v.isInput() && !equations.contains(v.name())) {
                    final int[] at = declaredAt.get(v.name());
                    line = at[0];
                    throw error(at[1], "state variable '" + v.name() + "' has no equation: add a line 'd" + v.name()
                            + "/dt = ...' (or declare it as an input)");
                }
            }
            declareEvents();
            declareProjections();
            checkUnits();
            if (mode == Mode.SPEC) {
                return new ModelDocument(builder.spec(), problem());
            }
            final Model model;
            try {
                if (mode == Mode.GENERATE) {
                    builder.generatedSource();
                    return null;
                }
                model = builder.build();
            } catch (OdeException e) {
                line = lastDeclaration;
                throw error(e, 1, "compiling the model: " + e.getMessage());
            }
            return new ModelFile(model, t0, tEnd, Collections.unmodifiableMap(reference), stiff, atolFactor);
        }

        /** The line of each declaration, by kind and name ("equation:v", "parameter:tau", "let:x", ...). */
        private final Map<String, Integer> lineOf = new HashMap<>();

        private void remember(final String l) {
            final Matcher d = DERIVATIVE.matcher(l);
            if (d.lookingAt()) {
                lineOf.putIfAbsent("equation:" + d.group(1), line);
                return;
            }
            final String keyword = keyword(l);
            final Matcher n = LEADING_NAME.matcher(l.substring(keyword.length()));
            if (n.lookingAt()) {
                lineOf.putIfAbsent(("input".equals(keyword) ? "state" : keyword) + ":" + n.group(1), line);
            }
            if ("time-unit".equals(keyword)) {
                lineOf.putIfAbsent("time-unit:", line);
            }
        }

        /**
         * Checks the units of the whole model (they can be checked only once every declaration is known) and
         * reports an inconsistency at the line of the declaration it names.
         */
        private void checkUnits() {
            try {
                org.neurode.core.units.UnitCheck.check(builder.spec());
            } catch (OdeException e) {
                if (e.code() != ErrorCode.UNIT_MISMATCH && e.code() != ErrorCode.UNIT_SYNTAX) {
                    throw e;
                }
                final String m = e.getMessage();
                String key = UnitErrors.declaration(m);
                if (key != null && key.startsWith("event:")) {
                    final Pending ev = events.get(key.substring(6));
                    final Place place = ev == null ? null : m.contains(": statement '") ? ev.statementPlace(m)
                            : m.contains(": refractory ") ? ev.refractoryAt : ev.thresholdAt;
                    if (place != null) {
                        line = place.line;
                        throw error(e, place.column, m);
                    }
                }
                if (key != null && key.startsWith("projection:") && projectionsRead.containsKey(key.substring(11))) {
                    final PendingProjection pr = projectionsRead.get(key.substring(11));
                    final int column = pr.place(m);
                    throw error(e, column, m);
                }
                final Integer at = key == null ? null : lineOf.get(key);
                line = at != null ? at : lastDeclaration;
                throw error(e, 1, m);
            }
        }

        private ProblemSettings problem() {
            return new ProblemSettings(t0, tEnd, reference, stiff, atolFactor);
        }

        private void declaration(final String raw, final String l) {
            final String keyword = keyword(l);
            final String rest = l.substring(keyword.length()).trim();
            final Matcher d = DERIVATIVE.matcher(l);
            advance(raw, keyword);
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
                final String text = l.substring(eq + 1);
                final String body = EquationSpec.withoutFlag(text);
                expression(raw, body, e -> builder.ode(v, e));
                if (!body.equals(text)) {
                    builder.unlessRefractory(v);
                }
                equations.add(lhs);
                return;
            }
            switch (keyword) {
                case "parameter" -> parameter(raw, rest);
                case "time-unit" -> {
                    if (rest.isEmpty() || rest.chars().anyMatch(Character::isWhitespace)) {
                        throw error(col(raw, rest.isEmpty() ? "time-unit" : rest), "expected 'time-unit UNIT' (one "
                                + "word, such as ms or s)");
                    }
                    builder.timeUnit(rest);
                }
                case "state", "input" -> variable(raw, rest, "input".equals(keyword));
                case "let" -> {
                    final String[] nv = assignment(raw, rest, "let NAME = EXPRESSION");
                    final String n = checkName(raw, nv[0]);
                    expression(raw, nv[1], e -> builder.let(n, e));
                }
                case "noise" -> {
                    final String[] nv = assignment(raw, rest, "noise NAME = SIGMA");
                    final Var v = stateVar(raw, nv[0]);
                    final double sigma = number(raw, nv[1]);
                    use(raw, nv[1], () -> builder.noise(v, sigma));
                }
                case "threshold" -> {
                    if (OLD_THRESHOLD.matcher(rest).matches()) {
                        threshold(raw, rest);
                    } else {
                        event(raw, EventSpec.SPIKE, rest, true);
                    }
                }
                case "event" -> {
                    final Matcher m = EVENT.matcher(rest);
                    if (!m.matches()) {
                        throw error(col(raw, rest.isEmpty() ? "event" : rest), "expected 'event NAME: CONDITION "
                                + "[reset STATEMENTS] [refractory T] [detection auto|continuous|step-end]'");
                    }
                    advance(raw, ":");
                    event(raw, m.group(1), m.group(2), false);
                }
                case "population" -> population(raw, rest);
                case "projection" -> projection(raw, rest);
                case "synapse" -> synapse(raw, rest);
                case "reset" -> eventPart(raw, rest, "reset");
                case "refractory" -> eventPart(raw, rest, "refractory");
                case "time" -> {
                    final String[] p = rest.split("\\s+");
                    if (p.length != 2) {
                        throw error(col(raw, "time"), "expected 'time T0 T1' (two numbers separated by a space)");
                    }
                    advance(raw, "time");
                    t0 = number(raw, p[0]);
                    tEnd = number(raw, p[1]);
                    if (!(tEnd > t0)) {
                        throw error(cursor - p[1].length() + 1, "the end time " + p[1] + " must be after the start time "
                                + p[0]);
                    }
                }
                case "reference" -> {
                    final String[] nv = assignment(raw, rest, "reference NAME = VALUES");
                    final Var v = stateVar(raw, nv[0]);
                    final double[] values = numbers(raw, nv[1]);
                    if (values.length != v.size()) {
                        throw error(col(raw, nv[1]), "reference of '" + nv[0] + "' has " + values.length
                                + " values but the variable has " + v.size());
                    }
                    reference.put(nv[0], values);
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
                        + "time-unit, parameter, state, input, let, dNAME/dt, noise, threshold, reset, refractory, event, "
                        + "population, projection, synapse, time, reference, stiff or atol-factor");
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
            final int nameColumn = col(raw, n);
            advance(raw, n);
            final int rows = size(raw, n, m.group(2));
            final int cols = size(raw, n, m.group(3));
            advance(raw, "=");
            final int valuesAt = cursor;
            String values = rest.substring(eq + 1).trim();
            String unit = "";
            double scale = Double.NaN;
            final Matcher scaleM = SCALE.matcher(values);
            if (scaleM.find()) {
                scale = number(raw, scaleM.group(1));
                values = values.substring(0, scaleM.start()).trim();
            }
            final Matcher unitM = UNIT.matcher(values);
            if (unitM.find()) {
                unit = unitM.group(1);
                values = values.substring(0, unitM.start()).trim();
            }
            // the values are read before the variable is declared (and its storage allocated)
            cursor = valuesAt;
            final String text = values;
            final ExprText.Parsed expression = numberList(values) ? null : valueExpression(raw, values);
            final double[] init = expression != null ? new double[1] : numbers(raw, values);
            if (init.length != 1 && init.length != (long) rows * cols) {
                throw error(col(raw, values), "'" + n + "' has " + (long) rows * cols + " elements but " + init.length
                                               + " initial values were given (give one for all, or one each)");
            }
            final String u = unit;
            cursor = nameColumn - 1;
            final Var v = use(raw, n, () -> {
                if (input) {
                    return builder.input(n, rows, cols, u);
                } else if (m.group(3) != null) {
                    return builder.matrix(n, rows, cols, u);
                } else if (m.group(2) != null) {
                    return builder.vector(n, rows, u);
                }
                return builder.scalar(n, u);
            });
            vars.put(n, v);
            declaredAt.put(n, new int[] {line, nameColumn});
            if (expression != null) {
                use(raw, text, () -> builder.initial(v, expression.tree().text()));
            } else if (init.length == 1) {
                builder.initial(v, init[0]);
            } else {
                builder.initial(v, init);
            }
            if (!Double.isNaN(scale)) {
                if (input) {
                    throw error(col(raw, "scale"), "inputs are not integrated and take no tolerance scale");
                }
                final double sc = scale;
                use(raw, "scale", () -> builder.scale(v, sc));
            }
        }

        /** A size in brackets (1 if absent), checked before anything is allocated. */
        private int size(final String raw, final String var, final String digits) {
            if (digits == null) {
                return 1;
            }
            advance(raw, digits);
            final String d = digits.replaceFirst("^0+(?=.)", "");
            if (d.length() > 10 || Long.parseLong(d) > ModelBuilder.MAX_ELEMENTS) {
                throw error(cursor - digits.length() + 1, "size " + digits + " of '" + var + "' is too large: a model holds at most "
                        + ModelBuilder.MAX_ELEMENTS + " elements");
            }
            return Integer.parseInt(d);
        }

        private void threshold(final String raw, final String rest) {
            final Matcher m = THRESHOLD.matcher(rest);
            if (!m.matches()) {
                throw error(col(raw, rest), "expected 'threshold NAME = THETA reset R [refractory T]'");
            }
            final int nameAt = col(raw, m.group(1));
            final Var v = stateVar(raw, m.group(1));
            advance(raw, m.group(1));
            advance(raw, "=");
            final double theta = number(raw, m.group(2));
            advance(raw, "reset");
            final double reset = number(raw, m.group(3));
            advance(raw, "refractory");
            final double refractory = m.group(4) == null ? 0.0 : number(raw, m.group(4));
            final Detection detection;
            if (m.group(5) == null || "continuous".equals(m.group(5))) {
                detection = Detection.CONTINUOUS;
            } else if ("step-end".equals(m.group(5))) {
                detection = Detection.STEP_END;
            } else {
                advance(raw, "detection");
                throw error(col(raw, m.group(5)), "detection must be continuous or step-end, not '" + m.group(5)
                        + "'");
            }
            try {
                builder.threshold(v, theta, reset, refractory, detection);
            } catch (OdeException e) {
                throw error(e, nameAt, e.getMessage());
            }
        }

        /** Where a part of a declaration is written. */
        private record Place(int line, int column) {
        }

        /** An event being read: its parts may come on several lines ({@code threshold}, {@code reset}, ...). */
        private final class Pending {
            private final String name;
            private ExprSpec threshold;
            private Place thresholdAt;
            private final List<StatementSpec> reset = new ArrayList<>();
            private final List<Place> resetAt = new ArrayList<>();
            private ExprSpec refractory = new ExprSpec.Num(0.0);
            private Place refractoryAt;
            private Detection detection = Detection.AUTO;

            Pending(final String name) {
                this.name = name;
            }

            /** The place of the statement a message names, else of the first statement. */
            Place statementPlace(final String message) {
                for (int k = 0; k < reset.size(); k++) {
                    if (message.contains("statement '" + reset.get(k).text() + "'")) {
                        return resetAt.get(k);
                    }
                }
                return resetAt.isEmpty() ? thresholdAt : resetAt.get(0);
            }
        }

        /** The events read so far, by name. */
        private final Map<String, Pending> events = new LinkedHashMap<>();

        /**
         * {@code threshold CONDITION [reset ...] [refractory ...] [detection ...]} (the event spike) or the rest of
         * {@code event NAME: CONDITION ...}.
         */
        private void event(final String raw, final String eventName, final String rest, final boolean spikeLine) {
            if (events.containsKey(eventName)) {
                throw error(col(raw, spikeLine ? "threshold" : eventName), "event '" + eventName + "' is declared "
                        + "twice" + (spikeLine ? " (a second threshold line: name other events with 'event NAME: "
                        + "CONDITION')" : ""));
            }
            final Pending ev = new Pending(eventName);
            final Matcher part = EVENT_PART.matcher(rest);
            final List<int[]> cuts = new ArrayList<>();
            while (part.find()) {
                cuts.add(new int[] {part.start(), part.end()});
            }
            final String condition = rest.substring(0, cuts.isEmpty() ? rest.length() : cuts.get(0)[0]).trim();
            if (condition.isEmpty()) {
                throw error(col(raw, rest.isEmpty() ? keyword(raw.trim()) : rest), "the condition of event '"
                        + eventName + "' is missing (e.g. 'v > VT')");
            }
            final int at = col(raw, condition);
            ev.thresholdAt = new Place(line, at);
            try {
                ev.threshold = ExprText.parse(condition);
            } catch (OdeException ex) {
                throw new OdeException(ex, ErrorCode.INVALID_ARGUMENT, source + " line " + line + " (expression from "
                        + "column " + at + "): " + ex.getMessage());
            }
            events.put(eventName, ev);
            lineOf.putIfAbsent("event:" + eventName, line);
            for (int k = 0; k < cuts.size(); k++) {
                final String word = rest.substring(cuts.get(k)[0], cuts.get(k)[1]);
                final String value = rest.substring(cuts.get(k)[1], k + 1 < cuts.size() ? cuts.get(k + 1)[0]
                        : rest.length());
                cursor = col(raw, condition) - 1;
                advance(raw, word);
                part(raw, ev, word, value);
            }
        }

        /** A {@code reset} or {@code refractory} line: a part of the event {@code spike}. */
        private void eventPart(final String raw, final String rest, final String word) {
            final Pending ev = events.get(EventSpec.SPIKE);
            if (ev == null) {
                throw error(col(raw, word), "'" + word + "' needs a 'threshold CONDITION' line before it (the "
                        + "event spike); other events are written 'event NAME: CONDITION " + word + " ...'");
            }
            part(raw, ev, word, rest);
        }

        private void part(final String raw, final Pending ev, final String word, final String value) {
            final String v = value.trim();
            final int at = v.isEmpty() ? col(raw, word) : col(raw, v);
            if (v.isEmpty()) {
                throw error(at, "'" + word + "' needs a value");
            }
            switch (word) {
                case "reset" -> {
                    int from = at - 1;
                    for (final String stmt : v.split(";", -1)) {
                        final int c = raw.indexOf(stmt.trim(), from) + 1;
                        from = Math.max(from, c - 1 + stmt.trim().length());
                        if (stmt.isBlank()) {
                            continue;
                        }
                        try {
                            ev.reset.add(StatementSpec.parse(stmt));
                        } catch (OdeException ex) {
                            throw error(ex, c, "event '" + ev.name + "': " + ex.getMessage());
                        }
                        ev.resetAt.add(new Place(line, c));
                    }
                }
                case "refractory" -> {
                    if (ev.refractoryAt != null) {
                        throw error(at, "event '" + ev.name + "' has a refractory period already");
                    }
                    final Matcher q = QUANTITY.matcher(v);
                    final String text = q.matches() ? q.group(1) + " * " + q.group(2) : v;
                    ev.refractoryAt = new Place(line, at);
                    try {
                        ev.refractory = ExprText.parse(text);
                    } catch (OdeException ex) {
                        throw new OdeException(ex, ErrorCode.INVALID_ARGUMENT, source + " line " + line + " "
                                + "(expression from column " + at + "): " + ex.getMessage());
                    }
                }
                default -> {
                    final Detection d = Detection.of(v);
                    if (d == null) {
                        throw error(at, "detection must be auto, continuous or step-end, not '" + v + "'");
                    }
                    ev.detection = d;
                }
            }
        }

        // ------------------------------------------------------------------ populations and projections

        /** {@code population NAME SIZE: VARIABLE, VARIABLE, ...} (after the variables). */
        private void population(final String raw, final String rest) {
            final Matcher src = SOURCE_POPULATION.matcher(rest);
            if (src.matches()) {
                final int size = size(raw, src.group(1), src.group(2));
                final String value = src.group(4).trim();
                final PopulationSpec spec;
                try {
                    if ("poisson".equals(src.group(3))) {
                        final Matcher q = QUANTITY.matcher(value);
                        spec = PopulationSpec.poisson(src.group(1), size, q.matches() ? q.group(1) + " * " + q.group(2)
                                : value);
                    } else {
                        final Matcher f = FROM_FILE.matcher(value);
                        final Matcher inline = INLINE_SPIKES.matcher(value);
                        final double[][] it;
                        if (f.matches()) {
                            if (directory == null) {
                                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "spikes from \"" + f.group(1)
                                        + "\" needs a model file (the path is relative to it)");
                            }
                            it = org.neurode.core.io.ArrayFile.readTwo(directory.resolve(f.group(1)));
                        } else if (inline.matches()) {
                            it = new double[][] {numbers(raw, inline.group(1)), numbers(raw, inline.group(2))};
                        } else {
                            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "expected 'spikes i = MEMBERS t = "
                                    + "TIMES' or 'spikes from \"FILE\"' (row 0 the members, row 1 the times)");
                        }
                        final int[] members = new int[it[0].length];
                        for (int k = 0; k < members.length; k++) {
                            if (it[0][k] != Math.rint(it[0][k])) {
                                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "the member of spike " + k + " is "
                                        + it[0][k] + ", not a whole number");
                            }
                            members[k] = (int) it[0][k];
                        }
                        spec = PopulationSpec.generator(src.group(1), size, members, it[1]);
                    }
                } catch (OdeException ex) {
                    throw error(ex, col(raw, value.isEmpty() ? src.group(3) : value), "population '" + src.group(1)
                            + "': " + ex.getMessage());
                }
                use(raw, src.group(1), () -> builder.population(spec));
                return;
            }
            final Matcher m = POPULATION.matcher(rest);
            if (!m.matches()) {
                throw error(col(raw, rest.isEmpty() ? "population" : rest), "expected 'population NAME SIZE: "
                        + "VARIABLE, VARIABLE, ...' (e.g. 'population P 4000: v, ge, gi'), 'population NAME SIZE "
                        + "poisson RATE' or 'population NAME SIZE spikes i = MEMBERS t = TIMES'");
            }
            final int size = size(raw, m.group(1), m.group(2));
            final List<String> owned = new ArrayList<>();
            for (final String v : m.group(3).split(",")) {
                if (!v.isBlank()) {
                    owned.add(v.trim());
                }
            }
            use(raw, m.group(3).trim().isEmpty() ? m.group(1) : m.group(3).trim(),
                    () -> builder.population(new PopulationSpec(m.group(1), size, owned)));
        }

        /** A projection read, declared once the events are. */
        private final class PendingProjection {
            private ProjectionSpec spec;
            private final int line;
            private final String raw;
            /** The line and column of each synapse equation ({@code dX/dt}) and summed variable ({@code =X}). */
            private final Map<String, int[]> parts = new HashMap<>();

            PendingProjection(final ProjectionSpec spec, final int line, final String raw) {
                this.spec = spec;
                this.line = line;
                this.raw = raw;
            }

            /**
             * Points {@code line} at the synapse line of the equation or summed variable a message names (then
             * returns its column), else at the projection's line (then returns the column of {@link #column}).
             */
            int place(final String message) {
                final Matcher m = SYNAPSE_PART.matcher(message);
                if (m.find()) {
                    final int[] at = parts.get(m.group(1) != null ? "d" + m.group(1) + "/dt" : "=" + m.group(2));
                    if (at != null) {
                        Parser.this.line = at[0];
                        return at[1];
                    }
                }
                Parser.this.line = line;
                return column(message);
            }

            /** The column of the statement or part a message names (else the start of the line). */
            int column(final String message) {
                final Matcher q = QUOTED_STATEMENT.matcher(message);
                if (q.find()) {
                    final String text = q.group(1);
                    for (final StatementSpec st : java.util.stream.Stream.concat(spec.onPre().stream(),
                            spec.onPost().stream()).toList()) {
                        if (st.text().equals(text)) {
                            final int at = raw.indexOf(st.variable() + " " + st.op());
                            final int at2 = at >= 0 ? at : raw.indexOf(st.variable());
                            return at2 < 0 ? 1 : at2 + 1;
                        }
                    }
                }
                for (final String word : List.of("delay", "connect", "on_pre", "on_post")) {
                    if (message.contains(word) || message.contains("the " + word)) {
                        final Matcher w = Pattern.compile("(?<![A-Za-z0-9_])" + word + "(?![A-Za-z0-9_])").matcher(raw);
                        if (w.find()) {
                            return w.start() + 1;
                        }
                    }
                }
                if (message.contains("probability")) {
                    final int at = raw.indexOf("p =");
                    return at < 0 ? 1 : at + 1;
                }
                return 1;
            }
        }

        private final Map<String, PendingProjection> projectionsRead = new LinkedHashMap<>();

        /**
         * {@code projection NAME: SOURCE -> TARGET [on EVENT] connect RULE [on_pre STATEMENTS] [on_post STATEMENTS]
         * [post_event EVENT] [delay T]}; SOURCE and
         * TARGET are populations or slices {@code P[a:b]}; RULE is {@code all}, {@code one-to-one},
         * {@code p = EXPRESSION}, {@code if CONDITION [p = EXPRESSION]} or {@code from "FILE"}.
         */
        private void projection(final String raw, final String rest) {
            final Matcher m = PROJECTION.matcher(rest);
            if (!m.matches()) {
                throw error(col(raw, rest.isEmpty() ? "projection" : rest), "expected 'projection NAME: SOURCE -> "
                        + "TARGET [on EVENT] connect RULE [on_pre STATEMENTS] [on_post STATEMENTS] [post_event EVENT] "
                        + "[delay T]'");
            }
            final String pname = m.group(1);
            if (projectionsRead.containsKey(pname)) {
                throw error(col(raw, pname), "projection '" + pname + "' is declared twice");
            }
            final String body = m.group(2);
            final Matcher part = PROJECTION_PART.matcher(body);
            final List<int[]> cuts = new ArrayList<>();
            while (part.find()) {
                cuts.add(new int[] {part.start(), part.end()});
            }
            final String ends = body.substring(0, cuts.isEmpty() ? body.length() : cuts.get(0)[0]).trim();
            final Matcher st = ENDS.matcher(ends);
            if (!st.matches()) {
                throw error(col(raw, ends.isEmpty() ? pname : ends), "projection '" + pname + "': expected 'SOURCE ->"
                        + " TARGET' (populations, or slices such as P[0:3200]) after the name");
            }
            String event = EventSpec.SPIKE;
            String postEvent = EventSpec.SPIKE;
            ConnectSpec connect = null;
            List<StatementSpec> onPre = List.of();
            List<StatementSpec> onPost = List.of();
            ExprSpec delay = new ExprSpec.Num(0.0);
            for (int k = 0; k < cuts.size(); k++) {
                final String word = body.substring(cuts.get(k)[0], cuts.get(k)[1]);
                final String value = body.substring(cuts.get(k)[1], k + 1 < cuts.size() ? cuts.get(k + 1)[0]
                        : body.length()).trim();
                final int at = value.isEmpty() ? col(raw, word) : col(raw, value);
                if (value.isEmpty()) {
                    throw error(at, "projection '" + pname + "': '" + word + "' needs a value");
                }
                try {
                    switch (word) {
                        case "on" -> event = value;
                        case "connect" -> connect = connectRule(raw, pname, value);
                        case "on_pre" -> onPre = StatementSpec.parseAll(value);
                        case "on_post" -> onPost = StatementSpec.parseAll(value);
                        case "post_event" -> {
                            if (!value.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "post_event '" + value + "' must "
                                        + "be the name of an event of the target");
                            }
                            postEvent = value;
                        }
                        default -> {
                            final Matcher q = QUANTITY.matcher(value);
                            delay = ExprText.parse(q.matches() ? q.group(1) + " * " + q.group(2) : value);
                        }
                    }
                } catch (OdeException ex) {
                    throw error(ex, at, "projection '" + pname + "': " + ex.getMessage());
                }
            }
            if (connect == null) {
                throw error(col(raw, pname), "projection '" + pname + "' needs 'connect RULE' (all, one-to-one, "
                        + "p = P, if CONDITION [p = P], from \"FILE\")");
            }
            final int sFrom = st.group(2) == null ? 0 : bound(raw, pname, st.group(2));
            final int sTo = st.group(3) == null || st.group(3).isEmpty() ? -1 : bound(raw, pname, st.group(3));
            final int tFrom = st.group(5) == null ? 0 : bound(raw, pname, st.group(5));
            final int tTo = st.group(6) == null || st.group(6).isEmpty() ? -1 : bound(raw, pname, st.group(6));
            final ProjectionSpec spec;
            try {
                spec = new ProjectionSpec(pname, st.group(1), sFrom, sTo, event, st.group(4), tFrom, tTo, connect,
                        List.of(), onPre, delay, onPost, List.of(), postEvent);
            } catch (OdeException ex) {
                throw error(ex, col(raw, ex.getMessage().contains("delay") ? "delay" : ends), ex.getMessage());
            }
            projectionsRead.put(pname, new PendingProjection(spec, line, raw));
        }

        /** A bound of a slice ({@code P[0:3200]}): digits that must fit an int. */
        private int bound(final String raw, final String pname, final String digits) {
            final String d = digits.replaceFirst("^0+(?=.)", "");
            if (d.length() > 10 || Long.parseLong(d) > Integer.MAX_VALUE) {
                throw error(col(raw, digits), "projection '" + pname + "': the slice bound " + digits + " is too "
                        + "large (at most " + Integer.MAX_VALUE + ")");
            }
            return Integer.parseInt(d);
        }

        private ConnectSpec connectRule(final String raw, final String pname, final String rule) {
            final Matcher f = FROM_FILE.matcher(rule);
            if (f.matches()) {
                if (directory == null) {
                    throw new OdeException(ErrorCode.INVALID_ARGUMENT, "connect from \"" + f.group(1) + "\" needs "
                            + "a model file (the path is relative to it)");
                }
                final int[][] ij = org.neurode.core.io.ArrayFile.readPairs(directory.resolve(f.group(1)));
                return ConnectSpec.arrays(ij[0], ij[1]).withFile(f.group(1));
            }
            final Matcher inline = INLINE_PAIRS.matcher(rule);
            if (inline.matches()) {
                final double[] i = numbers(raw, inline.group(1));
                final double[] j = numbers(raw, inline.group(2));
                final int[] ii = new int[i.length];
                final int[] jj = new int[j.length];
                for (int k = 0; k < i.length; k++) {
                    ii[k] = (int) i[k];
                }
                for (int k = 0; k < j.length; k++) {
                    jj[k] = (int) j[k];
                }
                return ConnectSpec.arrays(ii, jj);
            }
            return ConnectSpec.parse(rule);
        }

        /**
         * {@code synapse PROJECTION.NAME = VALUE [unit U]}: a per-synapse variable of a projection read before;
         * {@code synapse PROJECTION.dX/dt = RATE (event-driven|clock-driven) [unit U]}: its equation;
         * {@code synapse PROJECTION.X_post = EXPRESSION (summed)}: a summed variable.
         */
        private void synapse(final String raw, final String rest) {
            final String[] nv = assignment(raw, rest, "synapse PROJECTION.NAME = VALUE [unit U]");
            final int dot = nv[0].indexOf('.');
            final PendingProjection pr = dot < 0 ? null : projectionsRead.get(nv[0].substring(0, dot));
            if (pr == null) {
                throw error(col(raw, nv[0]), "expected 'synapse PROJECTION.NAME = VALUE [unit U]' after the line of "
                        + "the projection; '" + nv[0] + "' names no projection read before");
            }
            final Matcher derivative = SYNAPSE_DERIVATIVE.matcher(nv[0].substring(dot + 1));
            final String vname = checkName(raw, derivative.matches() ? derivative.group(1)
                    : nv[0].substring(dot + 1));
            String value = nv[1].trim();
            String unit = "";
            final Matcher u = UNIT.matcher(value);
            if (u.find()) {
                unit = u.group(1);
                value = value.substring(0, u.start()).trim();
            }
            final String text = value;
            final String un = unit;
            if (!derivative.matches() && text.endsWith(SUMMED)) {
                // synapse P.X_post = EXPRESSION (summed): X of each member is the sum over its synapses
                if (!un.isEmpty()) {
                    throw error(col(raw, "unit"), "summed variable '" + vname + "': a sum has the unit of the input "
                            + "it sets; leave out 'unit " + un + "'");
                }
                final String sum = text.substring(0, text.length() - SUMMED.length()).trim();
                pr.parts.put("=" + vname, new int[] {line, col(raw, nv[0])});
                pr.spec = use(raw, nv[1].trim(), () -> pr.spec.withSummed(vname + " = " + sum));
                return;
            }
            if (!derivative.matches()) {
                pr.spec = use(raw, nv[1].trim(), () -> pr.spec.withVariable(SynapseVariableSpec.of(vname, text, un)));
                return;
            }
            // synapse P.dX/dt = RATE (event-driven|clock-driven) [unit U]: declares X (0 at the start) or gives a
            // declared X its equation
            final boolean clock = text.endsWith(CLOCK_DRIVEN);
            if (!text.endsWith(EVENT_DRIVEN) && !clock) {
                throw error(col(raw, nv[1].trim()), "synapse equation 'd" + vname + "/dt = " + text + "': end it "
                        + "with '" + EVENT_DRIVEN + "' (updated when its synapse's events run) or '" + CLOCK_DRIVEN
                        + "' (advanced at every step)");
            }
            final String rate = text.substring(0, text.length() - (clock ? CLOCK_DRIVEN : EVENT_DRIVEN).length())
                    .trim();
            pr.parts.put("d" + vname + "/dt", new int[] {line, col(raw, nv[0])});
            pr.spec = use(raw, nv[1].trim(), () -> {
                final List<SynapseVariableSpec> vars = new ArrayList<>(pr.spec.variables());
                for (int k = 0; k < vars.size(); k++) {
                    if (vars.get(k).name().equals(vname)) {
                        vars.set(k, vars.get(k).withRate(ExprText.parse(rate), clock));
                        return pr.spec.withVariables(vars);
                    }
                }
                return pr.spec.withVariable(clock ? SynapseVariableSpec.clockDriven(vname, rate, un)
                        : SynapseVariableSpec.eventDriven(vname, rate, un));
            });
        }

        /** Declares the projections read, after the events; errors name the line and the part at fault. */
        private void declareProjections() {
            for (final PendingProjection pr : projectionsRead.values()) {
                try {
                    builder.projection(pr.spec);
                } catch (OdeException e) {
                    final int column = pr.place(e.getMessage());
                    throw error(e, column, e.getMessage());
                }
            }
        }

        /** Declares the events read, once every name is known; errors name the line and column of the part. */
        private void declareEvents() {
            for (final Pending ev : events.values()) {
                final EventSpec spec = new EventSpec(ev.name, ev.threshold, ev.reset, ev.refractory, ev.detection);
                try {
                    builder.event(spec);
                } catch (OdeException e) {
                    final String m = e.getMessage();
                    final Place place = m.contains(": in statement '") ? ev.statementPlace(m)
                            : m.contains("refractory period") && ev.refractoryAt != null ? ev.refractoryAt
                            : ev.thresholdAt;
                    line = place.line;
                    throw error(e, place.column, m);
                }
            }
        }

        private Var stateVar(final String raw, final String n) {
            final Var v = vars.get(n);
            if (v == null || v.isInput()) {
                throw error(col(raw, n), "'" + n + "' is not a declared state variable; known: "
                                         + Resolver.list(stateNames()));
            }
            return v;
        }

        private List<String> stateNames() {
            final List<String> names = new ArrayList<>();
            for (final Var v : vars.values()) {
                if (!v.isInput()) {
                    names.add(v.name());
                }
            }
            return names;
        }

        /** Runs a builder call; its errors get the line and the column of {@code part}. */
        private <T> T use(final String raw, final String part, final Supplier<T> call) {
            try {
                return call.get();
            } catch (OdeException e) {
                throw error(e, col(raw, part), e.getMessage());
            }
        }

        /**
         * Parses an expression and hands it on; errors in the expression (syntax, names, shapes inside it) keep its
         * column, shifted to the line; other errors (the equation's shape, a duplicate name) name where it starts.
         */
        private void expression(final String raw, final String text,
                                final java.util.function.Consumer<ExprText.Parsed> use) {
            final int start = col(raw, text.trim());
            try {
                use.accept(ExprText.parse(text.trim(), null));
            } catch (OdeException ex) {
                if (ex.code() == ErrorCode.EXPRESSION_SYNTAX) {
                    throw new OdeException(ex, ErrorCode.INVALID_ARGUMENT, source + " line " + line + " (expression "
                            + "from column " + start + "): " + ex.getMessage());
                }
                throw error(ex, start, ex.getMessage());
            }
        }

        /** {@code parameter NAME = NUMBER [unit U]}, or a vector or matrix {@code NAME[n]}, {@code NAME[r, c]}. */
        private void parameter(final String raw, final String rest) {
            final Matcher fromLine = FROM_LINE.matcher(rest);
            if (fromLine.matches()) {
                // parameter W[100, 100] from "w.csv" [unit U]: the file is found next to the model file
                final Matcher m = SHAPED.matcher(fromLine.group(1).trim());
                if (!m.matches() || m.group(2) == null) {
                    throw error(col(raw, rest), "expected 'parameter NAME[n] from \"FILE\"' or 'parameter "
                            + "NAME[rows, cols] from \"FILE\"'");
                }
                final String n = checkName(raw, m.group(1));
                advance(raw, n);
                final int rows = size(raw, n, m.group(2));
                final int cols = size(raw, n, m.group(3));
                final String u = fromLine.group(3) == null ? "" : fromLine.group(3);
                final String name = fromLine.group(2);
                final Path file = directory == null ? Path.of(name) : directory.resolve(name);
                final double[] v = use(raw, name, () -> org.neurode.core.io.ArrayFile.read(file, rows, cols));
                cursor = col(raw, n) - 1;
                use(raw, n, () -> builder.add(new ParameterSpec(n, rows, cols, u, new ValueSpec.Values(v))));
                return;
            }
            final String[] nv = assignment(raw, rest, "parameter NAME = NUMBER [unit U]");
            final Matcher m = SHAPED.matcher(nv[0]);
            if (!m.matches()) {
                throw error(col(raw, nv[0]), "'" + nv[0] + "' is not a name, NAME[n] or NAME[rows, cols]");
            }
            final String n = checkName(raw, m.group(1));
            cursor = col(raw, nv[1]) - 1;
            String values = nv[1];
            String unit = "";
            final Matcher unitM = UNIT.matcher(values);
            if (unitM.find()) {
                unit = unitM.group(1);
                values = values.substring(0, unitM.start()).trim();
            }
            final String u = unit;
            if (m.group(2) == null) {
                if (!numberList(values)) {
                    final ExprText.Parsed x = valueExpression(raw, values);
                    use(raw, n, () -> builder.param(n, x.tree().text(), u));
                    return;
                }
                final double value = number(raw, values);
                use(raw, n, () -> builder.param(n, value, u));
                return;
            }
            cursor = col(raw, n) - 1;
            advance(raw, n);
            final int rows = size(raw, n, m.group(2));
            final int cols = size(raw, n, m.group(3));
            cursor = col(raw, nv[1]) - 1;
            final double[] v = numbers(raw, values);
            use(raw, n, () -> builder.add(new ParameterSpec(n, rows, cols, u, new ValueSpec.Values(v))));
        }

        private boolean numberList(final String text) {
            return readsAsNumbers(text);
        }

        /** A value written as an expression; its errors keep their column, shifted to the line. */
        private ExprText.Parsed valueExpression(final String raw, final String text) {
            final ExprText.Parsed[] out = new ExprText.Parsed[1];
            expression(raw, text, p -> out[0] = p);
            return out[0];
        }

        private String[] assignment(final String raw, final String rest, final String form) {
            final int eq = rest.indexOf('=');
            if (eq < 0) {
                throw error(col(raw, rest.isEmpty() ? raw.trim() : rest), "expected '" + form + "'");
            }
            final String[] nv = {rest.substring(0, eq).trim(), rest.substring(eq + 1).trim()};
            advance(raw, nv[0]);
            advance(raw, "=");
            return nv;
        }

        private String checkName(final String raw, final String n) {
            if (!NAME.matcher(n).matches()) {
                throw error(col(raw, n), "'" + n + "' is not a name (letters, digits and _, not starting with a digit)");
            }
            return n;
        }

        /** A finite decimal number; the message says what is wrong with anything else. */
        private double number(final String raw, final String text) {
            final String t = text.trim();
            int blank = cursor;
            while (blank < raw.length() && Character.isWhitespace(raw.charAt(blank))) {
                blank++;
            }
            final int at = t.isEmpty() ? blank + 1 : col(raw, t);
            advance(raw, t);
            if (t.isEmpty()) {
                throw error(at, "a number is missing");
            }
            if (!NUMBER.matcher(t).matches()) {
                final String q = ExprText.quote(t, 0);
                if (NOT_FINITE.matcher(t).matches()) {
                    throw error(at, "'" + q + "' is not a finite number");
                }
                final String[] words = t.split("\\s+");
                boolean numbers = words.length > 1;
                for (final String w : words) {
                    numbers &= NUMBER.matcher(w).matches();
                }
                throw error(at, "'" + q + "' is not a number" + (numbers ? " (separate values with commas)"
                        : " (write decimal numbers such as 2, -0.5 or 1.5e-3)"));
            }
            final double v = Double.parseDouble(t);
            if (!Double.isFinite(v)) {
                throw error(at, "'" + ExprText.quote(t, 0) + "' is out of range (numbers are at most about "
                        + "1.8e308 in magnitude)");
            }
            return v;
        }

        private double[] numbers(final String raw, final String text) {
            final String[] parts = text.split(",", -1);
            final double[] v = new double[parts.length];
            for (int i = 0; i < parts.length; i++) {
                v[i] = number(raw, parts[i]);
                advance(raw, ",");
            }
            return v;
        }

        private OdeException error(final int column, final String message) {
            return new OdeException(ErrorCode.INVALID_ARGUMENT, source + " line " + line + ", column " + column + ": "
                                                                + message);
        }

        private OdeException error(final Throwable cause, final int column, final String message) {
            return new OdeException(cause, ErrorCode.INVALID_ARGUMENT, source + " line " + line + ", column " + column
                    + ": " + message);
        }

        /**
         * 1-based column of {@code part} in the raw line (1 if not found), searched first from the
         * {@link #cursor}, which reading moves past what it has read (so that the 1 of {@code x1 = 1} is found
         * after the {@code =}).
         */
        private int col(final String raw, final String part) {
            if (part.isEmpty()) {
                return 1;
            }
            int i = raw.indexOf(part, cursor);
            if (i < 0) {
                i = raw.indexOf(part);
            }
            return i < 0 ? 1 : i + 1;
        }

        /** Moves the cursor past the first {@code part} after it. */
        private void advance(final String raw, final String part) {
            final int i = raw.indexOf(part, cursor);
            if (i >= 0) {
                cursor = i + part.length();
            }
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
