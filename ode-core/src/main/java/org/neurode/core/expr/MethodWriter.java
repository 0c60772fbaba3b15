package org.neurode.core.expr;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The code-size pass of the compiler ({@link EquationCompiler} lists the passes): it takes the body of a generated
 * method as a list of statements and gives the method's source, within the limits of the JVM and its JIT. A body
 * of up to {@link #METHOD_CHARS} characters is kept as it is; a longer one loses its comments, is rolled into
 * loops where consecutive statements differ only in their numbers ({@link #roll}) and, if still long, is split
 * into static methods of nested classes ({@link #chunk}), which the method calls.
 *
 * <p>One instance serves one generated class: it collects the nested classes ({@link #nestedClasses}) and the
 * tables the rolled loops read ({@link #ints}, {@link #doubles}), which the class gets as {@code I} and {@code D}
 * in its constructor ({@link #hasTables}). Rolling knows one convention of the emitter: locals named {@code h} or
 * {@code row} followed by digits are hoisted values, so two statements that differ only in such names and in
 * their numbers are alike.
 */
final class MethodWriter {

    /**
     * Method bodies up to this many characters are emitted as they are. Generated code takes less than one
     * byte of bytecode per character (measured 0.85 for statements of state reads, {@code y[1234]}: 5 bytes
     * for 7 characters; 0.4 for parameter-heavy code), so such a method stays below HotSpot's 8,000-byte
     * limit for compiling it (longer methods run interpreted) and far below the JVM's 64 KB.
     */
    static final int METHOD_CHARS = 8000;
    /** Characters of one chunk method of a longer body (measured: at most 3,411 bytes of bytecode). */
    static final int CHUNK_CHARS = 4000;
    /**
     * Characters of chunk methods per nested class. A constant pool entry costs at least four characters
     * of source (a distinct number with its operator), two entries for a double: 100,000 characters stay
     * well below the 65,535 entries of a class's constant pool (measured: at most 915 entries).
     */
    static final int CLASS_CHARS = 100_000;
    /** Fewest repetitions of a group of statements rolled into a loop. */
    private static final int MIN_REPEATS = 8;
    /** Most statements in the repeated group of a rolled loop. */
    private static final int MAX_PERIOD = 8;

    /** Tables of the rolled loops (null until a loop needs one). */
    private IntTable ints;
    private DoubleTable doubles;
    /** Nested classes holding the chunk methods. */
    private final StringBuilder nested = new StringBuilder();
    private StringBuilder openClass;
    private int classCount;
    private int methodCount;

    /**
     * A method: its signature, the statements that open it, and its body. A body of up to
     * {@link #METHOD_CHARS} characters is emitted as it is (so small models keep the code they always had);
     * a longer one is rolled into loops where it repeats itself and, if still long, split into chunks.
     *
     * @param signature  the method's declaration, without its opening brace
     * @param header     statements that open the method (kept in it, never rolled or moved)
     * @param parameters the parameter list of a chunk method: every local of the method its body reads
     * @param arguments  the argument list calling a chunk method from the method: the same names
     * @param body       the statements of the body, each ending with a new line
     * @return the method's source
     */
    String method(final String signature, final String header, final String parameters, final String arguments,
                  final List<String> body) {
        final StringBuilder sb = new StringBuilder(signature).append(" {\n").append(header);
        List<String> statements = body;
        if (chars(statements) > METHOD_CHARS) {
            // a large model: its comments go (alike statements must read alike to be rolled into loops)
            statements = chunk(parameters, arguments, roll(withoutComments(statements)));
        }
        for (final String statement : statements) {
            sb.append(statement);
        }
        return sb.append("  }\n").toString();
    }

    /** @return true if a rolled loop reads a table: the class then takes the tables {@code I} and {@code D} */
    boolean hasTables() {
        return ints != null || doubles != null;
    }

    /** @return the integer table of the rolled loops (empty if there is none) */
    int[] ints() {
        return ints == null ? new int[0] : ints.toArray();
    }

    /** @return the number table of the rolled loops (empty if there is none) */
    double[] doubles() {
        return doubles == null ? new double[0] : doubles.toArray();
    }

    /**
     * Closes the nested class being filled; call once, after the last {@link #method}.
     *
     * @return the source of the nested classes holding the chunk methods (empty if there are none)
     */
    String nestedClasses() {
        if (openClass != null) {
            nested.append(openClass).append("  }\n");
            openClass = null;
        }
        return nested.toString();
    }

    /**
     * @param statement a generated statement
     * @return its shape: the text with numbers replaced by markers and hoisted locals by their order of
     *         appearance, equal for two statements that {@link #roll} can put in one loop
     */
    static String shapeKey(final String statement) {
        return Lexed.of(statement).key();
    }

    /** A comment line of generated code (the emitter writes comments on lines of their own). */
    private static final Pattern COMMENT_LINE = Pattern.compile("(?m)^ *// [^\n]*\n");

    private static List<String> withoutComments(final List<String> statements) {
        final List<String> out = new ArrayList<>(statements.size());
        for (final String s : statements) {
            if (s.contains("// ")) {
                final String stripped = COMMENT_LINE.matcher(s).replaceAll("");
                if (!stripped.isEmpty()) {
                    out.add(stripped);
                }
            } else {
                out.add(s);
            }
        }
        return out;
    }

    private static long chars(final List<String> statements) {
        long n = 0;
        for (final String s : statements) {
            n += s.length();
        }
        return n;
    }

    /**
     * Splits statements into static methods of nested classes and returns the statements calling them
     * (themselves split again if there are too many calls for one method).
     */
    private List<String> chunk(final String parameters, final String arguments, final List<String> statements) {
        if (chars(statements) <= METHOD_CHARS) {
            return statements;
        }
        final boolean tables = hasTables();
        final String chunkParameters = parameters + (tables ? ", int[] I, double[] D" : "");
        final String chunkArguments = arguments + (tables ? ", I, D" : "");
        final List<String> calls = new ArrayList<>();
        int i = 0;
        while (i < statements.size()) {
            final StringBuilder code = new StringBuilder();
            do {
                code.append(statements.get(i++));
            } while (i < statements.size() && code.length() + statements.get(i).length() <= CHUNK_CHARS);
            if (openClass == null || openClass.length() + code.length() > CLASS_CHARS) {
                if (openClass != null) {
                    nested.append(openClass).append("  }\n");
                }
                openClass = new StringBuilder("  static final class C").append(classCount++).append(" {\n");
            }
            final String name = "C" + (classCount - 1) + ".m" + methodCount;
            openClass.append("  static void m").append(methodCount++).append('(').append(chunkParameters).append(") {\n")
                     .append(code).append("  }\n");
            calls.add("    " + name + "(" + chunkArguments + ");\n");
        }
        return chunk(parameters, arguments, calls);
    }

    /**
     * Rolls runs of statements that differ only in their numbers into loops: a group of up to
     * {@link #MAX_PERIOD} statements repeated at least {@link #MIN_REPEATS} times becomes one loop over its
     * repetitions. A number that is the same in every repetition stays; an integer that grows by a fixed step
     * (an index) becomes {@code first + step * j}; other numbers are read from the tables {@code I} and
     * {@code D}. The loop does the same operations in the same order, so the results are bit-identical; the
     * generated code of a model of many similar scalar equations shrinks from one statement per equation to
     * one loop.
     */
    private List<String> roll(final List<String> statements) {
        final int n = statements.size();
        final Lexed[] lexed = new Lexed[n];
        final int[] key = new int[n];
        final Map<String, Integer> keys = new HashMap<>();
        for (int i = 0; i < n; i++) {
            lexed[i] = Lexed.of(statements.get(i));
            final Integer k = keys.putIfAbsent(lexed[i].key(), keys.size());
            key[i] = k == null ? keys.size() - 1 : k;
        }
        final List<String> out = new ArrayList<>();
        int i = 0;
        while (i < n) {
            int period = 0;
            int repeats = 0;
            for (int p = 1; p <= MAX_PERIOD && i + p <= n; p++) {
                int length = p;
                while (i + length < n && key[i + length] == key[i + length - p]) {
                    length++;
                }
                if (length / p >= MIN_REPEATS && (length / p) * p > period * repeats) {
                    period = p;
                    repeats = length / p;
                }
            }
            if (period == 0) {
                out.add(statements.get(i++));
            } else {
                out.add(rolled(lexed, i, period, repeats));
                i += period * repeats;
            }
        }
        return out;
    }

    /** The loop over {@code repeats} repetitions of the {@code period} statements from {@code first}. */
    private String rolled(final Lexed[] lexed, final int first, final int period, final int repeats) {
        final List<String[]> texts = new ArrayList<>();
        int intColumns = 0;
        int doubleColumns = 0;
        final List<int[]> intCells = new ArrayList<>();     // {statement, number, column}
        final List<int[]> doubleCells = new ArrayList<>();
        for (int q = 0; q < period; q++) {
            final Lexed l = lexed[first + q];
            final String[] replaced = new String[l.numbers()];
            for (int h = 0; h < l.numbers(); h++) {
                boolean same = true;
                for (int r = 1; r < repeats && same; r++) {
                    same = lexed[first + r * period + q].sameNumber(h, l);
                }
                final String v0 = l.number(h);
                if (same) {
                    replaced[h] = v0;
                    continue;
                }
                if (l.integer(h)) {
                    final long a = Long.parseLong(v0);
                    final long step = Long.parseLong(lexed[first + period + q].number(h)) - a;
                    boolean affine = true;
                    for (int r = 2; r < repeats && affine; r++) {
                        affine = Long.parseLong(lexed[first + r * period + q].number(h)) == a + r * step;
                    }
                    if (affine) {
                        replaced[h] = "(" + a + " + " + step + " * __j)";
                    } else {
                        replaced[h] = "I[__i + " + intColumns + "]";
                        intCells.add(new int[] {q, h, intColumns++});
                    }
                } else {
                    replaced[h] = "D[__d + " + doubleColumns + "]";
                    doubleCells.add(new int[] {q, h, doubleColumns++});
                }
            }
            texts.add(replaced);
        }
        final StringBuilder sb = new StringBuilder("    for (int __j = 0; __j < ").append(repeats).append("; __j++) {\n");
        if (intColumns > 0) {
            if (ints == null) {
                ints = new IntTable();
            }
            sb.append("      final int __i = ").append(ints.size()).append(" + ").append(intColumns)
              .append(" * __j;\n");
            for (int r = 0; r < repeats; r++) {
                for (final int[] cell : intCells) {
                    ints.add(Integer.parseInt(lexed[first + r * period + cell[0]].number(cell[1])));
                }
            }
        }
        if (doubleColumns > 0) {
            if (doubles == null) {
                doubles = new DoubleTable();
            }
            sb.append("      final int __d = ").append(doubles.size()).append(" + ").append(doubleColumns)
              .append(" * __j;\n");
            for (int r = 0; r < repeats; r++) {
                for (final int[] cell : doubleCells) {
                    doubles.add(Double.parseDouble(lexed[first + r * period + cell[0]].number(cell[1])));
                }
            }
        }
        for (int q = 0; q < period; q++) {
            sb.append(lexed[first + q].with(texts.get(q)));
        }
        return sb.append("    }\n").toString();
    }

    /**
     * A generated statement split at its numbers. The key is the statement with every number replaced by a
     * marker ({@code #} for integers, {@code ~} for other numbers) and the names of its hoisted locals
     * ({@code h12}, {@code row3}) by their order of appearance: statements with equal keys differ only in
     * their numbers.
     *
     * @param text   the statement
     * @param key    the key
     * @param starts start of each number in the text
     * @param ends   end of each number
     */
    private record Lexed(String text, String key, int[] starts, int[] ends) {

        static Lexed of(final String text) {
            final StringBuilder key = new StringBuilder(text.length());
            int[] bounds = new int[16];
            int count = 0;
            Map<String, String> locals = null;
            int i = 0;
            final int n = text.length();
            while (i < n) {
                final char c = text.charAt(i);
                if (Character.isLetter(c) || c == '_') {
                    int j = i + 1;
                    while (j < n && (Character.isLetterOrDigit(text.charAt(j)) || text.charAt(j) == '_')) {
                        j++;
                    }
                    if (hoistedName(text, i, j)) {
                        if (locals == null) {
                            locals = new HashMap<>();
                        }
                        final String local = text.substring(i, j);
                        String canonical = locals.get(local);
                        if (canonical == null) {
                            canonical = "L" + locals.size();
                            locals.put(local, canonical);
                        }
                        key.append(canonical);
                    } else {
                        key.append(text, i, j);
                    }
                    i = j;
                } else if (c >= '0' && c <= '9') {
                    int j = i;
                    boolean integer = true;
                    while (j < n && text.charAt(j) >= '0' && text.charAt(j) <= '9') {
                        j++;
                    }
                    if (j < n && text.charAt(j) == '.') {
                        integer = false;
                        j++;
                        while (j < n && text.charAt(j) >= '0' && text.charAt(j) <= '9') {
                            j++;
                        }
                    }
                    if (j < n && (text.charAt(j) == 'E' || text.charAt(j) == 'e')) {
                        integer = false;
                        j++;
                        if (j < n && (text.charAt(j) == '-' || text.charAt(j) == '+')) {
                            j++;
                        }
                        while (j < n && text.charAt(j) >= '0' && text.charAt(j) <= '9') {
                            j++;
                        }
                    }
                    key.append(integer ? '#' : '~');
                    if (count + 2 > bounds.length) {
                        bounds = Arrays.copyOf(bounds, 2 * bounds.length);
                    }
                    bounds[count++] = i;
                    bounds[count++] = j;
                    i = j;
                } else {
                    key.append(c);
                    i++;
                }
            }
            final int[] starts = new int[count / 2];
            final int[] ends = new int[starts.length];
            for (int k = 0; k < starts.length; k++) {
                starts[k] = bounds[2 * k];
                ends[k] = bounds[2 * k + 1];
            }
            return new Lexed(text, key.toString(), starts, ends);
        }

        /** @return true if text[from, to) names a hoisted local: h or row and digits */
        private static boolean hoistedName(final String text, final int from, final int to) {
            final int digits = text.startsWith("row", from) ? from + 3 : text.charAt(from) == 'h' ? from + 1 : -1;
            if (digits < 0 || to == digits) {
                return false;
            }
            for (int k = digits; k < to; k++) {
                if (text.charAt(k) < '0' || text.charAt(k) > '9') {
                    return false;
                }
            }
            return true;
        }

        int numbers() {
            return starts.length;
        }

        String number(final int h) {
            return text.substring(starts[h], ends[h]);
        }

        /** @return true if number h is the same text as number h of {@code o} */
        boolean sameNumber(final int h, final Lexed o) {
            final int length = ends[h] - starts[h];
            return o.ends[h] - o.starts[h] == length && text.regionMatches(starts[h], o.text, o.starts[h], length);
        }

        boolean integer(final int h) {
            for (int k = starts[h]; k < ends[h]; k++) {
                if (text.charAt(k) < '0' || text.charAt(k) > '9') {
                    return false;
                }
            }
            return true;
        }

        /** @return the text with its numbers replaced */
        String with(final String[] numbers) {
            final StringBuilder sb = new StringBuilder(text.length() + 16 * numbers.length);
            int at = 0;
            for (int h = 0; h < starts.length; h++) {
                sb.append(text, at, starts[h]).append(numbers[h]);
                at = ends[h];
            }
            return sb.append(text, at, text.length()).toString();
        }
    }

    /** A growing int array. */
    private static final class IntTable {
        private int[] values = new int[64];
        private int size;

        int size() {
            return size;
        }

        void add(final int v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, Math.addExact(values.length, values.length));
            }
            values[size++] = v;
        }

        int[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }

    /** A growing double array. */
    private static final class DoubleTable {
        private double[] values = new double[64];
        private int size;

        int size() {
            return size;
        }

        void add(final double v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, Math.addExact(values.length, values.length));
            }
            values[size++] = v;
        }

        double[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
