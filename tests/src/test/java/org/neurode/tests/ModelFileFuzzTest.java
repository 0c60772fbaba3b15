package org.neurode.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;
import org.neurode.core.expr.ModelBuilder;
import org.neurode.core.expr.ModelDocuments;
import org.neurode.core.expr.ModelDocuments.Format;
import org.neurode.core.expr.ModelFile;
import org.neurode.core.spec.ModelDocument;

/**
 * Fuzzes the model-file reader and the expression compiler (issue 12), and the JSON and YAML readers of model
 * documents (issue 13): mutated copies of the model files in {@code examples/models} and of the seeds below, and
 * of the same models written as JSON and YAML (byte flips, token deletions, duplications and swaps, huge numbers
 * and sizes, deep nesting, long sums, random Unicode, truncation, line shuffles; for documents also values of
 * the wrong type, unknown and renamed fields, deeply nested lists, anchors, aliases and several documents) must
 * either be accepted or rejected with an {@link OdeException} whose message names the file and a line; any other
 * exception, an {@link Error} (a stack or memory overflow) or an internal compiler error fails the test.
 *
 * <p>Every mutant is checked ({@link ModelFile#check}: read, built and its code generated); every 32nd
 * accepted mutant is also compiled to bytecode ({@link ModelFile#parse}), and every second one with long sums
 * or deep nesting, where the limits of the bytecode compiler lie. The campaign is fixed by its seed; other
 * campaigns run with {@code mvn -pl tests -am test -Dtest=ModelFileFuzzTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dfuzz.seed=N -Dfuzz.count=M}. The outcome counts are written to
 * {@code target/model-file-fuzz-seed-N.txt}.
 */
class ModelFileFuzzTest {

    /** The tests run in the tests module's folder. */
    private static final Path MODELS = Path.of("..", "examples", "models");
    private static final long SEED = Long.getLong("fuzz.seed", 12L);
    private static final int COUNT = Integer.getInteger("fuzz.count", 20_000);
    /**
     * Every this many accepted mutants one is compiled to bytecode as well (compiling costs about ten times
     * checking), and every second one with long sums or deep nesting.
     */
    private static final int COMPILE_EVERY = Integer.getInteger("fuzz.compileEvery", 32);

    /** Small files covering every declaration kind, vectors and matrices, every function. */
    static final List<String> SEEDS = List.of(String.join("\n",
            "# decay with all problem settings",
            "model decay",
            "parameter k = 0.5",
            "state y = 1 unit mV scale 2",
            "let r = k * y",
            "dy/dt = -r",
            "time 0 10",
            "reference y = 0.006737946999085467",
            "stiff",
            "atol-factor 0.1",
            ""), String.join("\n",
            "# a plastic population",
            "model pop",
            "parameter tau = 10",
            "parameter eta = 0.01",
            "input x[2] = 0.5, 1.0 unit Hz",
            "state v[3] = -70, -65, -60 unit mV scale 10",
            "state W[3, 2] = 0.1, 0.2, 0.3, 0.4, 0.5, 0.6",
            "let drive = W @ x",
            "let rate = softplus(v / 10)",
            "dv/dt = (-70 - v + drive) / tau",
            "dW/dt = eta * outer(rate, x) - W / tau",
            "noise v = 0.5",
            "threshold v = -50 reset -70 refractory 2",
            "time 0 100",
            ""), String.join("\n",
            "model funcs",
            "parameter a = 2",
            "input I = 1",
            "state u[4] = 0.1",
            "state M[4, 4] = 0.01",
            "state z = 0",
            "let s = sum(u * u)",
            "du/dt = -u + transpose(M) @ u + I * sin(t) - a * exprel(-u) + min(u, 1) - max(u, -1)",
            "dM/dt = -M + outer(u, u) * 0.001",
            "dz/dt = s - z^2 + pow(z, 2) + exp(-abs(z)) + log(1 + z * z) + sqrt(1 + s) + tanh(z) + sigmoid(z) "
                    + "+ relu(z) + step(z) + cos(t) + dot(u, u)",
            "time 0 5",
            ""), String.join("\n",
            "# issue 13: units of parameters, the time unit, step-end detection, a name with - and .",
            "model brian2-lif.v2",
            "time-unit ms",
            "parameter tau = 10 unit ms",
            "input I[3] = 0.5, 1.0, 1.5 unit 1",
            "state v[3] = 0, 0.2, 0.4 unit 1 scale 0.5",
            "dv/dt = (I - v) / tau",
            "threshold v = 1 reset 0 refractory 5 detection step-end",
            "time 0 100",
            ""));

    private static final String[] HUGE = {"4294967296", "1e999", "-1e308", "1000000000", "46341", "65536", "0", "-0",
        "NaN", "Infinity", "inf", "1e-320", "99999999999999999999", "2147483647", "-1", "0x10", "1d", "1.5.5",
        "1e", ".", "1,2", "1 2"};
    private static final String[] SIZES = {"[4294967296]", "[1000000000]", "[46341, 46341]", "[65536, 65536]", "[0]",
        "[2147483647]", "[100000]", "[1, 1]", "[-1]", "[3, 0]", "[50000, 50000]", "[99999999999]", "[]", "[2,]"};
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*|\\d+(?:\\.\\d*)?(?:[eE][+-]?\\d+)?"
            + "|\\s+|.", Pattern.DOTALL);
    private static final Pattern NUMBER = Pattern.compile("\\d+(?:\\.\\d*)?(?:[eE][+-]?\\d+)?");
    private static final Pattern STATE = Pattern.compile("(?m)^\\s*state\\s+([A-Za-z_][A-Za-z0-9_]*)");
    private static final Pattern SHAPE = Pattern.compile("(?m)^(\\s*(?:state|input)\\s+[A-Za-z_][A-Za-z0-9_]*)\\s*"
            + "(?:\\[[^\\]]*\\])?");

    /** What became of the mutants. */
    private static final class Outcomes {
        long checkNanos;
        long compileNanos;
        int accepted;
        int acceptedHeavy;
        int rejected;
        int compiled;
        final List<String> rejectedWhenCompiled = new ArrayList<>();
        int other;
        final List<String> failures = new ArrayList<>();
    }

    @Test
    void mutatedModelFilesAreAcceptedOrRejectedWithALine() throws IOException {
        // GIVEN the seeds: the example models and the files above
        final List<String> seeds = new ArrayList<>(SEEDS);
        try (Stream<Path> files = Files.list(MODELS)) {
            for (final Path f : files.filter(p -> p.toString().endsWith(".ode")).sorted().toList()) {
                seeds.add(Files.readString(f, StandardCharsets.UTF_8));
            }
        }
        for (final String seed : seeds) {
            ModelFile.parse(seed, "seed.ode", "seed");     // every seed itself is valid
        }
        // WHEN COUNT mutants of them are read
        final SplittableRandom rnd = new SplittableRandom(SEED);
        final Outcomes out = new Outcomes();
        for (int i = 0; i < COUNT; i++) {
            final String seed = seeds.get(rnd.nextInt(seeds.size()));
            String text = seed;
            boolean heavy = false;
            final int mutations = 1 + rnd.nextInt(3);
            for (int m = 0; m < mutations; m++) {
                final int op = rnd.nextInt(12);
                heavy |= op == 6 || op == 7;
                text = mutate(text, op, rnd);
            }
            run(text, "fuzz-" + SEED + "-" + i + ".ode", heavy, out);
        }
        // THEN each was accepted or rejected with a message naming the file and a line
        final String counts = String.format("seed %d: %d mutants, %d accepted (%d of them compiled to bytecode), "
                + "%d rejected with file and line (%d of them only when compiled), %d other outcomes (%.1f s reading "
                + "and checking, %.1f s compiling)%n", SEED, COUNT, out.accepted, out.compiled, out.rejected,
                out.rejectedWhenCompiled.size(), out.other, out.checkNanos / 1e9, out.compileNanos / 1e9);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "model-file-fuzz-seed-" + SEED + ".txt"),
                counts + String.join("\n", out.failures) + String.join("\n", out.rejectedWhenCompiled));
        assertTrue(out.other == 0, counts + String.join("\n", out.failures));
        // and the campaign reaches both outcomes (a mutator that breaks every file would test little)
        assertTrue(out.accepted > COUNT / 20 && out.rejected > COUNT / 2, counts);
    }

    /**
     * The documents' campaign: {@code COUNT} mutants of the seeds written as YAML and as JSON (half each), read
     * ({@link ModelDocuments#parse}: the reader and every check of the builder), their code generated, and as
     * for model files every 32nd accepted one (every second heavy one) compiled to bytecode. The time limit
     * only catches a hang: the campaign takes about 30 s on the 2-core machine.
     */
    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void mutatedYamlAndJsonDocumentsAreAcceptedOrRejectedWithALine() throws IOException {
        // GIVEN the seeds as documents, and a model with every kind of declaration
        final List<String> seeds = new ArrayList<>(SEEDS);
        try (Stream<Path> files = Files.list(MODELS)) {
            for (final Path f : files.filter(p -> p.toString().endsWith(".ode")).sorted().toList()) {
                seeds.add(Files.readString(f, StandardCharsets.UTF_8));
            }
        }
        final List<String> yaml = new ArrayList<>();
        final List<String> json = new ArrayList<>();
        for (final String seed : seeds) {
            final ModelDocument doc = ModelFile.document(seed, "seed.ode", "seed");
            yaml.add(ModelDocuments.write(doc, Format.YAML));
            json.add(ModelDocuments.write(doc, Format.JSON));
        }
        for (int k = 0; k < yaml.size(); k++) {
            ModelDocuments.parse(yaml.get(k), Format.YAML, "seed.yaml", "seed");     // every seed itself is valid
            ModelDocuments.parse(json.get(k), Format.JSON, "seed.json", "seed");
        }
        // WHEN COUNT mutants of them are read, checked and some compiled
        final SplittableRandom rnd = new SplittableRandom(SEED);
        final Outcomes out = new Outcomes();
        for (int i = 0; i < COUNT; i++) {
            final boolean isYaml = i % 2 == 0;
            final List<String> pool = isYaml ? yaml : json;
            String text = pool.get(rnd.nextInt(pool.size()));
            boolean heavy = false;
            // one or two mutations: a document breaks more easily than a model file
            final int mutations = 1 + rnd.nextInt(2);
            for (int m = 0; m < mutations; m++) {
                final int op = rnd.nextInt(18);
                heavy |= op == 6 || op == 7 || op == 13;
                text = op < 12 ? mutate(text, op, rnd) : mutateDocument(text, op, isYaml, rnd);
            }
            runDocument(text, "fuzz-" + SEED + "-" + i + (isYaml ? ".yaml" : ".json"), isYaml, heavy, out);
        }
        // THEN each was accepted or rejected with a message naming the file and a line
        final String counts = String.format("seed %d: %d YAML and JSON mutants, %d accepted (%d of them compiled to "
                + "bytecode), %d rejected with file and line (%d of them only when compiled), %d other outcomes "
                + "(%.1f s reading and checking, %.1f s compiling)%n", SEED, COUNT, out.accepted, out.compiled,
                out.rejected, out.rejectedWhenCompiled.size(), out.other, out.checkNanos / 1e9, out.compileNanos / 1e9);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "model-document-fuzz-seed-" + SEED + ".txt"),
                counts + String.join("\n", out.failures) + String.join("\n", out.rejectedWhenCompiled));
        assertTrue(out.other == 0, counts + String.join("\n", out.failures));
        assertTrue(out.accepted > COUNT / 20 && out.rejected > COUNT / 2, counts);
    }

    private static void runDocument(final String text, final String source, final boolean yaml, final boolean heavy,
                                    final Outcomes out) {
        final long t0 = System.nanoTime();
        boolean checked = false;
        try {
            final ModelDocument doc = ModelDocuments.parse(text, yaml ? Format.YAML : Format.JSON, source, "fuzz");
            final ModelBuilder builder = ModelBuilder.from(doc.model());
            builder.generatedSource();
            checked = true;
            out.accepted++;
            if (heavy ? out.acceptedHeavy++ % 2 == 0 : out.accepted % COMPILE_EVERY == 0) {
                final long t1 = System.nanoTime();
                out.checkNanos += t1 - t0;
                ModelDocuments.compile(doc).equation();
                out.compiled++;
                out.compileNanos += System.nanoTime() - t1;
                return;
            }
            out.checkNanos += System.nanoTime() - t0;
        } catch (OdeException e) {
            out.checkNanos += System.nanoTime() - t0;
            final String message = e.getMessage() == null ? "" : e.getMessage();
            if (e.code() != ErrorCode.COMPILATION_FAILED && message.startsWith(source + " line ")) {
                out.rejected++;
            } else if (checked && e.code() != ErrorCode.COMPILATION_FAILED) {
                // accepted and checked, refused only by the bytecode compiler (a limit only compilation meets)
                out.rejected++;
                out.accepted--;
                out.rejectedWhenCompiled.add(clip(message));
            } else {
                fail(out, source, text, e);
            }
        } catch (RuntimeException | Error e) {       // StackOverflowError, OutOfMemoryError, any other exception
            out.checkNanos += System.nanoTime() - t0;
            fail(out, source, text, e);
        }
    }

    /** Values of the wrong type put in place of a scalar. */
    private static final String[] WRONG = {"[]", "{}", "null", "true", "'text'", "-", "[1, [2]]", "{a: 1}", "~",
        ".nan", "-.inf", "0x1F", "1e999", "\"\"", "[1, 2, 3, 4, 5]", "99999999999999999999", "-1", "0", "yes"};
    /** Field names, known and not. */
    private static final String[] FIELDS = {"schema", "name", "timeUnit", "variables", "parameters", "lets",
        "equations", "noise", "thresholds", "problem", "kind", "shape", "unit", "initial", "scale", "value",
        "variable", "sigma", "threshold", "reset", "refractory", "detection", "time", "reference", "stiff",
        "atolFactor", "t0", "sise", "Name", "", "equation", "v", "x"};
    private static final Pattern SCALAR = Pattern.compile("(:\\s*)([^\\s\\[{][^\\n,}\\]]*)");
    private static final Pattern KEY = Pattern.compile("\"?([A-Za-z_][A-Za-z0-9_]*)\"?\\s*:");

    /** Mutations that know the documents' syntax (ops 12 to 17). */
    private static String mutateDocument(final String text, final int op, final boolean yaml,
                                         final SplittableRandom rnd) {
        if (text.isEmpty()) {
            return yaml ? "schema: neurode-model/1" : "{\"schema\": \"neurode-model/1\"}";
        }
        return switch (op) {
            case 12 -> replaceMatch(text, SCALAR, 2, WRONG[rnd.nextInt(WRONG.length)], rnd);
            case 13 -> deepList(text, rnd);
            case 14 -> replaceMatch(text, KEY, 1, FIELDS[rnd.nextInt(FIELDS.length)], rnd);
            case 15 -> insertField(text, yaml, rnd);
            case 16 -> yaml ? yamlExtras(text, rnd) : text + (rnd.nextBoolean() ? " {}" : ",");
            default -> replaceMatch(text, NUMBER, 0, SIZES[rnd.nextInt(SIZES.length)], rnd);
        };
    }

    private static String replaceMatch(final String text, final Pattern p, final int group, final String by,
                                       final SplittableRandom rnd) {
        final List<int[]> spans = new ArrayList<>();
        final Matcher m = p.matcher(text);
        while (m.find()) {
            spans.add(new int[] {m.start(group), m.end(group)});
        }
        if (spans.isEmpty()) {
            return flip(text, rnd);
        }
        final int[] s = spans.get(rnd.nextInt(spans.size()));
        return text.substring(0, s[0]) + by + text.substring(s[1]);
    }

    /** A value replaced by lists nested up to 3,000 deep. */
    private static String deepList(final String text, final SplittableRandom rnd) {
        final int depth = new int[] {10, 100, 999, 1001, 3000}[rnd.nextInt(5)];
        return replaceMatch(text, SCALAR, 2, "[".repeat(depth) + "1" + "]".repeat(depth), rnd);
    }

    private static String insertField(final String text, final boolean yaml, final SplittableRandom rnd) {
        final String field = FIELDS[rnd.nextInt(FIELDS.length)];
        final String value = WRONG[rnd.nextInt(WRONG.length)];
        if (yaml) {
            final String[] lines = text.split("\n", -1);
            final int k = rnd.nextInt(lines.length);
            final String indent = lines[k].replaceAll("^(\\s*(- )?).*$", "$1").replace("-", " ");
            lines[k] = lines[k] + "\n" + indent + field + ": " + value;
            return String.join("\n", lines);
        }
        final int brace = text.indexOf('{', rnd.nextInt(text.length()));
        final int at = brace < 0 ? text.indexOf('{') : brace;
        return text.substring(0, at + 1) + "\"" + field + "\": " + value + ", " + text.substring(at + 1);
    }

    /** YAML's own: anchors and aliases, tags, several documents, tabs, block scalars. */
    private static String yamlExtras(final String text, final SplittableRandom rnd) {
        return switch (rnd.nextInt(6)) {
            case 0 -> text + "---\n" + text;
            case 1 -> replaceMatch(text, SCALAR, 2, "&a " + WRONG[rnd.nextInt(WRONG.length)], rnd);
            case 2 -> replaceMatch(text, SCALAR, 2, "*a", rnd);
            case 3 -> replaceMatch(text, SCALAR, 2, "!!binary aGVsbG8=", rnd);
            case 4 -> text.replaceFirst("\n  ", "\n\t");
            default -> replaceMatch(text, SCALAR, 2, "|\n    -v\n", rnd);
        };
    }

    private static void run(final String text, final String source, final boolean heavy, final Outcomes out) {
        final long t0 = System.nanoTime();
        boolean checked = false;
        try {
            ModelFile.check(text, source);
            checked = true;
            out.accepted++;
            if (heavy ? out.acceptedHeavy++ % 2 == 0 : out.accepted % COMPILE_EVERY == 0) {
                final long t1 = System.nanoTime();
                out.checkNanos += t1 - t0;
                ModelFile.parse(text, source, "fuzz").model().equation();
                out.compiled++;
                out.compileNanos += System.nanoTime() - t1;
                return;
            }
            out.checkNanos += System.nanoTime() - t0;
        } catch (OdeException e) {
            out.checkNanos += System.nanoTime() - t0;
            final String message = e.getMessage() == null ? "" : e.getMessage();
            if (e.code() != ErrorCode.COMPILATION_FAILED && message.startsWith(source + " line ")) {
                out.rejected++;
                if (checked) {
                    // accepted by the check but refused when compiled (a limit only the compilation meets)
                    out.accepted--;
                    out.rejectedWhenCompiled.add(clip(message));
                }
            } else {
                fail(out, source, text, e);
            }
        } catch (RuntimeException | Error e) {       // StackOverflowError, OutOfMemoryError, any other exception
            out.checkNanos += System.nanoTime() - t0;
            fail(out, source, text, e);
        }
    }

    private static void fail(final Outcomes out, final String source, final String text, final Throwable e) {
        out.other++;
        if (out.failures.size() < 10) {
            final StackTraceElement[] at = e.getStackTrace();
            out.failures.add(source + ": " + e.getClass().getSimpleName() + ": " + clip(String.valueOf(e.getMessage()))
                    + (at.length > 0 ? " at " + at[0] : "") + "\n  text: " + clip(text).replace("\n", "\\n"));
        }
    }

    private static String clip(final String s) {
        return s.length() <= 400 ? s : s.substring(0, 400) + "...(" + s.length() + " characters)";
    }

    // ------------------------------------------------------------------ mutations

    private static String mutate(final String text, final int op, final SplittableRandom rnd) {
        if (text.isEmpty()) {
            return "state y = 1";
        }
        return switch (op) {
            case 0 -> flip(text, rnd);
            case 1 -> tokens(text, rnd, 0);
            case 2 -> tokens(text, rnd, 1);
            case 3 -> tokens(text, rnd, 2);
            case 4 -> number(text, rnd);
            case 5 -> size(text, rnd);
            case 6 -> nest(text, rnd);
            case 7 -> longSum(text, rnd);
            case 8 -> unicode(text, rnd);
            case 9 -> text.substring(0, rnd.nextInt(text.length()));
            case 10 -> lines(text, rnd);
            default -> flip(flip(text, rnd), rnd);
        };
    }

    /** One character replaced by a character that means something in the language (or a control). */
    private static String flip(final String text, final SplittableRandom rnd) {
        final String palette = "=+-*/^@(),[]#.:;eE0123456789 \t\r\n_axyzdt\\\"'\u0000\u00a0";
        final int at = rnd.nextInt(text.length());
        return text.substring(0, at) + palette.charAt(rnd.nextInt(palette.length())) + text.substring(at + 1);
    }

    /** Deletes (0), duplicates (1) or swaps (2) tokens. */
    private static String tokens(final String text, final SplittableRandom rnd, final int kind) {
        final List<String> t = new ArrayList<>();
        final Matcher m = TOKEN.matcher(text);
        while (m.find()) {
            t.add(m.group());
        }
        final int i = rnd.nextInt(t.size());
        switch (kind) {
            case 0 -> t.remove(i);
            case 1 -> t.add(i, t.get(i));
            default -> {
                final int j = rnd.nextInt(t.size());
                final String x = t.get(i);
                t.set(i, t.get(j));
                t.set(j, x);
            }
        }
        return String.join("", t);
    }

    /** A number replaced by a huge, tiny or malformed one. */
    private static String number(final String text, final SplittableRandom rnd) {
        final List<int[]> spans = new ArrayList<>();
        final Matcher m = NUMBER.matcher(text);
        while (m.find()) {
            spans.add(new int[] {m.start(), m.end()});
        }
        if (spans.isEmpty()) {
            return flip(text, rnd);
        }
        final int[] s = spans.get(rnd.nextInt(spans.size()));
        return text.substring(0, s[0]) + HUGE[rnd.nextInt(HUGE.length)] + text.substring(s[1]);
    }

    /** A declared size replaced by a huge or invalid one. */
    private static String size(final String text, final SplittableRandom rnd) {
        final List<int[]> spans = new ArrayList<>();
        final Matcher m = SHAPE.matcher(text);
        while (m.find()) {
            spans.add(new int[] {m.end(1), m.end()});
        }
        if (spans.isEmpty()) {
            return number(text, rnd);
        }
        final int[] s = spans.get(rnd.nextInt(spans.size()));
        return text.substring(0, s[0]) + SIZES[rnd.nextInt(SIZES.length)] + text.substring(s[1]);
    }

    /** The expression of a line wrapped in parentheses, signs, powers or calls, up to 3,000 deep. */
    private static String nest(final String text, final SplittableRandom rnd) {
        final String[] lines = text.split("\n", -1);
        final int k = rnd.nextInt(lines.length);
        final int eq = lines[k].indexOf('=');
        if (eq < 0) {
            return flip(text, rnd);
        }
        final int depth = new int[] {10, 100, 250, 257, 1000, 3000}[rnd.nextInt(6)];
        final String e = lines[k].substring(eq + 1);
        lines[k] = lines[k].substring(0, eq + 1) + switch (rnd.nextInt(4)) {
            case 0 -> "(".repeat(depth) + e + ")".repeat(depth);
            case 1 -> " " + "-".repeat(depth) + "(" + e + ")";
            case 2 -> " " + "exp(".repeat(depth) + e + ")".repeat(depth);
            default -> e + "^0.5".repeat(depth);
        };
        return String.join("\n", lines);
    }

    /** Terms added to the expression of a line: up to 5,000 (sums of a few hundred broke the compiler before). */
    private static String longSum(final String text, final SplittableRandom rnd) {
        final String[] lines = text.split("\n", -1);
        final int k = rnd.nextInt(lines.length);
        final int eq = lines[k].indexOf('=');
        final Matcher s = STATE.matcher(text);
        if (eq < 0 || !s.find()) {
            return flip(text, rnd);
        }
        final String name = s.group(1);
        final int terms = new int[] {50, 300, 1000, 5000}[rnd.nextInt(4)];
        final StringBuilder sum = new StringBuilder(lines[k]);
        for (int i = 0; i < terms; i++) {
            sum.append(i % 3 == 0 ? " + " : " - ").append(i % 2 == 0 ? name : "0." + (i % 97) + " * t");
        }
        lines[k] = sum.toString();
        return String.join("\n", lines);
    }

    /** Random code points (any plane, surrogate halves, controls, a byte order mark) inserted. */
    private static String unicode(final String text, final SplittableRandom rnd) {
        final StringBuilder sb = new StringBuilder(text);
        final int n = 1 + rnd.nextInt(4);
        for (int i = 0; i < n; i++) {
            final int at = rnd.nextInt(sb.length() + 1);
            final String s = switch (rnd.nextInt(4)) {
                case 0 -> {
                    final int cp = rnd.nextInt(0x110000);
                    yield new String(Character.toChars(cp >= 0xD800 && cp <= 0xDFFF ? 0x1F600 : cp));
                }
                case 1 -> String.valueOf((char) (0xD800 + rnd.nextInt(0x800)));
                case 2 -> String.valueOf((char) rnd.nextInt(0x20));
                default -> "\uFEFF";
            };
            sb.insert(at, s);
        }
        return sb.toString();
    }

    /** A line deleted, duplicated or moved. */
    private static String lines(final String text, final SplittableRandom rnd) {
        final List<String> l = new ArrayList<>(List.of(text.split("\n", -1)));
        final int i = rnd.nextInt(l.size());
        switch (rnd.nextInt(3)) {
            case 0 -> l.remove(i);
            case 1 -> l.add(i, l.get(i));
            default -> {
                final String moved = l.remove(i);
                l.add(rnd.nextInt(l.size() + 1), moved);
            }
        }
        return String.join("\n", l);
    }
}
