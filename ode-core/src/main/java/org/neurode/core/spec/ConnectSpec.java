package org.neurode.core.spec;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;

/**
 * The connectivity rule of a projection (Brian2's {@code Synapses.connect}): which source member {@code i}
 * connects to which target member {@code j}. Either explicit index arrays ({@code connect(i=..., j=...)}), or
 * a rule over all pairs: the pair is a synapse if the condition holds and a uniform draw is below the probability
 * ({@code connect(condition='i != j', p=0.02)}); one-to-one is the condition {@code i == j}, all-to-all the
 * condition {@code true} with probability 1. Draws come from a generator seeded by the model's seed and the
 * projection's position, in the order of the source members and then the targets: the same seed gives the same
 * synapses on any machine and any thread count.
 *
 * @param condition the condition on {@code i}, {@code j}, {@code N_pre}, {@code N_post} and scalar parameters
 *                  (the number 1 for all pairs); ignored with explicit arrays
 * @param p         the probability, an expression of the same names (the number 1 for certain), in [0, 1]
 * @param sources   explicit source indices (null for a rule)
 * @param targets   explicit target indices, as many as {@code sources} (null for a rule)
 * @param file      the file the explicit indices were read from ({@code ""} if none), kept so that a model file
 *                  writes the reference back instead of the numbers
 * @param n         synapses per connected pair (Brian2's {@code n}): a whole number or an expression of {@code i},
 *                  {@code j}, {@code N_pre}, {@code N_post} and scalar parameters (the number 1 for one)
 * @param generator the targets of each source as a generator (Brian2's {@code j='k for k in range(i-3, i+4) if
 *                  ...'}), or null to test every pair
 * @since 0.5
 */
public record ConnectSpec(ExprSpec condition, ExprSpec p, int[] sources, int[] targets, String file, ExprSpec n,
                          Generator generator) {

    /**
     * The targets of a source written as a generator (Brian2's generator syntax): for each source {@code i}, the
     * variable runs through {@code range(from, to, step)} (Python's range: {@code to} excluded, {@code step} 1 by
     * default), and where the condition holds the target {@code target} (an expression of the variable and
     * {@code i}) is connected, with the rule's probability and multiplicity. A target outside the target population
     * is an error (write the bounds into the condition: {@code if k >= 0 and k < N_post}).
     *
     * @param target    the target index, an expression of the variable, {@code i}, {@code N_pre}, {@code N_post}
     *                  and scalar parameters
     * @param variable  the variable's name ({@code k})
     * @param range     one to three expressions of {@code i}, {@code N_pre}, {@code N_post} and scalar parameters:
     *                  {@code (to)}, {@code (from, to)} or {@code (from, to, step)}
     * @param condition the condition on the variable and {@code i} (the number 1 for none)
     */
    public record Generator(ExprSpec target, String variable, List<ExprSpec> range, ExprSpec condition) {

        /**
         * @param target    target
         * @param variable  variable
         * @param range     range arguments
         * @param condition condition
         */
        public Generator {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(variable, "variable");
            Objects.requireNonNull(condition, "condition");
            range = List.copyOf(range);
            if (range.isEmpty() || range.size() > 3) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "range() of a connection generator takes 1 to 3 "
                        + "arguments (to; from, to; from, to, step), not " + range.size());
            }
            if (!variable.matches("[A-Za-z_][A-Za-z0-9_]*") || Set.of("i", "j", "N_pre", "N_post", "t")
                    .contains(variable)) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "the variable of a connection generator must be a "
                        + "new identifier (not i, j, N_pre, N_post or t), not '" + variable + "'");
            }
        }

        /** @return the first value of the variable */
        public ExprSpec from() {
            return range.size() == 1 ? new ExprSpec.Num(0.0) : range.get(0);
        }

        /** @return the end of the range (excluded) */
        public ExprSpec to() {
            return range.size() == 1 ? range.get(0) : range.get(1);
        }

        /** @return the step of the range */
        public ExprSpec step() {
            return range.size() == 3 ? range.get(2) : new ExprSpec.Num(1.0);
        }

        /** @return the generator as text: {@code j = k for k in range(i - 3, i + 4) if k >= 0} */
        public String text() {
            final StringBuilder sb = new StringBuilder("j = ").append(target.text()).append(" for ").append(variable)
                    .append(" in range(");
            for (int k = 0; k < range.size(); k++) {
                sb.append(k == 0 ? "" : ", ").append(range.get(k).text());
            }
            sb.append(')');
            if (!(condition instanceof ExprSpec.Num c && c.value() == 1.0)) {
                sb.append(" if ").append(condition.text());
            }
            return sb.toString();
        }
    }

    /**
     * A rule over pairs or explicit arrays, one synapse per pair.
     *
     * @param condition condition
     * @param p         probability
     * @param sources   source indices or null
     * @param targets   target indices or null
     * @param file      source file or {@code ""}
     */
    public ConnectSpec(final ExprSpec condition, final ExprSpec p, final int[] sources, final int[] targets,
                       final String file) {
        this(condition, p, sources, targets, file, new ExprSpec.Num(1.0), null);
    }

    /** Every source to every target. */
    public static final ConnectSpec ALL = new ConnectSpec(new ExprSpec.Num(1.0), new ExprSpec.Num(1.0), null, null,
            "");

    /**
     * @param condition condition
     * @param p         probability
     * @param sources   source indices or null
     * @param targets   target indices or null
     * @param file      source file or {@code ""}
     * @param n         synapses per pair
     * @param generator generator or null
     */
    public ConnectSpec {
        Objects.requireNonNull(condition, "condition");
        Objects.requireNonNull(p, "p");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(n, "n");
        if (n instanceof ExprSpec.Num m && !(m.value() >= 0 && m.value() == Math.rint(m.value()))) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "the number of synapses per pair n = " + m.value()
                    + " is not a whole number from 0");
        }
        if (sources != null && (generator != null || !(n instanceof ExprSpec.Num one && one.value() == 1.0))) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "explicit connections take no generator and no n "
                    + "(repeat a pair to give it several synapses)");
        }
        if ((sources == null) != (targets == null)) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "explicit connections need both the source (i) and "
                    + "the target (j) indices");
        }
        if (sources != null) {
            if (sources.length != targets.length) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "explicit connections: " + sources.length
                        + " source indices (i) but " + targets.length + " target indices (j)");
            }
            sources = sources.clone();
            targets = targets.clone();
        }
        if (p instanceof ExprSpec.Num q && !(q.value() >= 0 && q.value() <= 1)) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "the connection probability p = " + q.value()
                    + " is outside [0, 1]");
        }
    }

    /**
     * @param p the probability as text ({@code 0.02}, an expression of i, j, N_pre, N_post, parameters)
     * @return every pair with that probability
     */
    public static ConnectSpec probability(final String p) {
        return new ConnectSpec(new ExprSpec.Num(1.0), ExprText.parse(p), null, null, "");
    }

    /**
     * @param condition the condition as text ({@code i != j})
     * @return every pair for which it holds
     */
    public static ConnectSpec condition(final String condition) {
        return new ConnectSpec(ExprText.parse(condition), new ExprSpec.Num(1.0), null, null, "");
    }

    /** @return source i to target i */
    public static ConnectSpec oneToOne() {
        return condition("i == j");
    }

    /**
     * @param sources source indices
     * @param targets target indices (same length)
     * @return exactly these synapses, in this order
     */
    public static ConnectSpec arrays(final int[] sources, final int[] targets) {
        return new ConnectSpec(new ExprSpec.Num(1.0), new ExprSpec.Num(1.0), sources, targets, "");
    }

    /**
     * Reads a rule as {@link #text()} writes it: {@code all}, {@code one-to-one}, {@code p = P},
     * {@code if CONDITION [p = P]} or a generator {@code j = EXPR for k in range(...) [if CONDITION] [p = P]}, each
     * optionally followed by {@code n = N} (synapses per pair).
     *
     * @param rule the rule
     * @return the connectivity
     * @throws OdeException naming the rule if it is none of these, or the column of a syntax error
     */
    public static ConnectSpec parse(final String rule) {
        String r = rule.strip();
        // a trailing multiplicity: ... n = N
        ExprSpec n = new ExprSpec.Num(1.0);
        final int nAt = lastTopLevel(N_PART, r);
        if (nAt >= 0) {
            final java.util.regex.Matcher nm = N_PART.matcher(r);
            nm.find(nAt);
            final String nText = r.substring(nm.end()).strip();
            if (nText.isEmpty()) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "connection rule '" + r + "': the number of "
                        + "synapses per pair after 'n =' is missing");
            }
            n = ExprText.parse(nText);
            r = r.substring(0, nAt).strip();
            if (r.isEmpty()) {
                r = "all";
            }
        }
        final java.util.regex.Matcher gm = GENERATOR.matcher(r);
        if (gm.lookingAt()) {
            return generator(rule.strip(), r, gm, n);
        }
        if ("all".equals(r)) {
            return n instanceof ExprSpec.Num one && one.value() == 1.0 ? ALL : ALL.withN(n);
        }
        if ("one-to-one".equals(r)) {
            return oneToOne().withN(n);
        }
        String cond = "1";
        String p = "1";
        final java.util.regex.Matcher pm = P_PART.matcher(r);
        if (r.startsWith("if ") || r.startsWith("if(")) {
            final String rest = r.substring(2).strip();
            final java.util.regex.Matcher q = P_PART.matcher(rest);
            if (q.find()) {
                cond = rest.substring(0, q.start()).strip();
                p = rest.substring(q.end()).strip();
            } else {
                cond = rest;
            }
        } else if (pm.lookingAt()) {
            p = r.substring(pm.end()).strip();
        } else {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "unknown connection rule '" + r + "'; expected all, "
                    + "one-to-one, p = P, if CONDITION [p = P], j = EXPR for k in range(...) [if CONDITION] [p = P], "
                    + "each optionally followed by n = N, or explicit indices");
        }
        if (cond.isEmpty() || p.isEmpty()) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "connection rule '" + r + "': the "
                    + (cond.isEmpty() ? "condition" : "probability") + " is missing");
        }
        return new ConnectSpec(ExprText.parse(cond), ExprText.parse(p), null, null, "", n, null);
    }

    /** {@code j = EXPR for VAR in range(ARGS) [if CONDITION] [p = P]}, the head matched by {@code gm}. */
    private static ConnectSpec generator(final String whole, final String r, final java.util.regex.Matcher gm,
                                         final ExprSpec n) {
        // the target expression runs to the first top-level ' for '
        final int forAt = topLevel(FOR, r, gm.end());
        if (forAt < 0) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "connection rule '" + whole + "': expected 'j = EXPR "
                    + "for k in range(...)'");
        }
        final String target = r.substring(gm.end(), forAt).strip();
        final java.util.regex.Matcher head = RANGE_HEAD.matcher(r);
        if (target.isEmpty() || !head.find(forAt) || head.start() != forAt) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "connection rule '" + whole + "': expected 'j = EXPR "
                    + "for k in range(...)'");
        }
        final String variable = head.group(1);
        // the arguments of range(...) up to the matching parenthesis
        int depth = 1;
        int close = head.end();
        final List<String> args = new java.util.ArrayList<>();
        int argStart = close;
        for (; close < r.length() && depth > 0; close++) {
            final char c = r.charAt(close);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 1) {
                args.add(r.substring(argStart, close).strip());
                argStart = close + 1;
            }
        }
        if (depth != 0) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "connection rule '" + whole + "': range( is not "
                    + "closed");
        }
        args.add(r.substring(argStart, close - 1).strip());
        final List<ExprSpec> range = new java.util.ArrayList<>();
        for (final String a : args) {
            if (a.isEmpty()) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "connection rule '" + whole + "': an argument of "
                        + "range() is missing");
            }
            range.add(ExprText.parse(a));
        }
        String rest = r.substring(close).strip();
        String cond = "1";
        String p = "1";
        final int pAt = topLevel(P_PART, rest, 0);
        if (pAt >= 0) {
            final java.util.regex.Matcher pm = P_PART.matcher(rest);
            pm.find(pAt);
            p = rest.substring(pm.end()).strip();
            rest = rest.substring(0, pAt).strip();
        }
        if (rest.startsWith("if ") || rest.startsWith("if(")) {
            cond = rest.substring(2).strip();
        } else if (!rest.isEmpty()) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "connection rule '" + whole + "': unexpected '" + rest
                    + "' after range(...); expected if CONDITION, p = P or n = N");
        }
        if (cond.isEmpty() || p.isEmpty()) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "connection rule '" + whole + "': the "
                    + (cond.isEmpty() ? "condition" : "probability") + " is missing");
        }
        return new ConnectSpec(new ExprSpec.Num(1.0), ExprText.parse(p), null, null, "", n,
                new Generator(ExprText.parse(target), variable, range, ExprText.parse(cond)));
    }

    /** The first match of {@code pattern} at or after {@code from} outside parentheses, or -1. */
    private static int topLevel(final java.util.regex.Pattern pattern, final String s, final int from) {
        final java.util.regex.Matcher m = pattern.matcher(s);
        int at = from;
        while (at <= s.length() && m.find(at)) {
            if (depth(s, m.start()) == 0) {
                return m.start();
            }
            at = m.start() + 1;
        }
        return -1;
    }

    /** The last match of {@code pattern} outside parentheses, or -1. */
    private static int lastTopLevel(final java.util.regex.Pattern pattern, final String s) {
        final java.util.regex.Matcher m = pattern.matcher(s);
        int last = -1;
        while (m.find()) {
            if (depth(s, m.start()) == 0) {
                last = m.start();
            }
        }
        return last;
    }

    private static int depth(final String s, final int end) {
        int d = 0;
        for (int k = 0; k < end; k++) {
            if (s.charAt(k) == '(') {
                d++;
            } else if (s.charAt(k) == ')') {
                d--;
            }
        }
        return d;
    }

    private static final java.util.regex.Pattern N_PART = java.util.regex.Pattern.compile(
            "(?<![A-Za-z0-9_])n\\s*=(?!=)");
    private static final java.util.regex.Pattern GENERATOR = java.util.regex.Pattern.compile("j\\s*=(?!=)\\s*");
    private static final java.util.regex.Pattern FOR = java.util.regex.Pattern.compile("\\sfor\\s");
    private static final java.util.regex.Pattern RANGE_HEAD = java.util.regex.Pattern.compile(
            "\\s+for\\s+([A-Za-z_][A-Za-z0-9_]*)\\s+in\\s+range\\s*\\(");

    private static final java.util.regex.Pattern P_PART = java.util.regex.Pattern.compile(
            "(?<![A-Za-z0-9_])p\\s*=(?!=)");

    /**
     * @param p probability as text
     * @return a copy with it
     */
    public ConnectSpec withP(final String p) {
        return new ConnectSpec(condition, ExprText.parse(p), sources, targets, file, n, generator);
    }

    /**
     * @param count synapses per pair as text ({@code 2}, {@code 1 + i % 2}: an expression of i, j, N_pre, N_post,
     *              parameters)
     * @return a copy with it (Brian2's {@code connect(..., n=2)})
     */
    public ConnectSpec withN(final String count) {
        return withN(ExprText.parse(count));
    }

    private ConnectSpec withN(final ExprSpec count) {
        return new ConnectSpec(condition, p, sources, targets, file, count, generator);
    }

    /**
     * @param rule a generator as text: {@code j = k for k in range(i - 3, i + 4) if k >= 0 and k < N_post}
     * @return the synapses it gives, one per target
     */
    public static ConnectSpec generator(final String rule) {
        final ConnectSpec c = parse(rule);
        if (c.generator == null) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "'" + rule + "' is not a generator (j = EXPR for k in "
                    + "range(...) [if CONDITION])");
        }
        return c;
    }

    /**
     * @param f the file the arrays came from
     * @return a copy naming it
     */
    public ConnectSpec withFile(final String f) {
        return new ConnectSpec(condition, p, sources, targets, f, n, generator);
    }

    /** @return true for explicit index arrays */
    public boolean explicit() {
        return sources != null;
    }

    @Override
    public int[] sources() {
        return sources == null ? null : sources.clone();
    }

    @Override
    public int[] targets() {
        return targets == null ? null : targets.clone();
    }

    /** @return the number of explicit synapses (0 for a rule) */
    public int count() {
        return sources == null ? 0 : sources.length;
    }

    /**
     * @param k an explicit synapse
     * @return its source index
     */
    public int source(final int k) {
        return sources[k];
    }

    /**
     * @param k an explicit synapse
     * @return its target index
     */
    public int target(final int k) {
        return targets[k];
    }

    /** @return the rule as text ({@code all}, {@code p = 0.02}, {@code if i != j p = 0.1}, {@code arrays}) */
    public String text() {
        if (sources != null) {
            return file.isEmpty() ? "arrays (" + sources.length + " synapses)" : "from \"" + file + "\"";
        }
        final boolean single = n instanceof ExprSpec.Num one && one.value() == 1.0;
        final String count = single ? "" : " n = " + n.text();
        final boolean certainP = p instanceof ExprSpec.Num q && q.value() == 1.0;
        if (generator != null) {
            return generator.text() + (certainP ? "" : " p = " + p.text()) + count;
        }
        return pairText() + count;
    }

    private String pairText() {
        final boolean always = condition instanceof ExprSpec.Num c && c.value() == 1.0;
        final boolean certain = p instanceof ExprSpec.Num q && q.value() == 1.0;
        if (always && certain) {
            return "all";
        }
        if (certain && "i == j".equals(condition.text())) {
            return "one-to-one";
        }
        return (always ? "" : "if " + condition.text() + (certain ? "" : " ")) + (certain ? "" : "p = " + p.text());
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof ConnectSpec c && condition.equals(c.condition) && p.equals(c.p)
                && Arrays.equals(sources, c.sources) && Arrays.equals(targets, c.targets) && file.equals(c.file)
                && n.equals(c.n) && Objects.equals(generator, c.generator);
    }

    @Override
    public int hashCode() {
        return Objects.hash(condition, p, Arrays.hashCode(sources), Arrays.hashCode(targets), file, n, generator);
    }

    @Override
    public String toString() {
        return "ConnectSpec[" + text() + "]";
    }
}
