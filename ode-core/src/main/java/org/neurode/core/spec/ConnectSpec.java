package org.neurode.core.spec;

import java.util.Arrays;
import java.util.Objects;

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
 * @since 0.5
 */
public record ConnectSpec(ExprSpec condition, ExprSpec p, int[] sources, int[] targets, String file) {

    /** Every source to every target. */
    public static final ConnectSpec ALL = new ConnectSpec(new ExprSpec.Num(1.0), new ExprSpec.Num(1.0), null, null,
            "");

    /**
     * @param condition condition
     * @param p         probability
     * @param sources   source indices or null
     * @param targets   target indices or null
     * @param file      source file or {@code ""}
     */
    public ConnectSpec {
        Objects.requireNonNull(condition, "condition");
        Objects.requireNonNull(p, "p");
        Objects.requireNonNull(file, "file");
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
        if (p instanceof ExprSpec.Num n && !(n.value() >= 0 && n.value() <= 1)) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "the connection probability p = " + n.value()
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
     * Reads a rule as {@link #text()} writes it: {@code all}, {@code one-to-one}, {@code p = P} or
     * {@code if CONDITION [p = P]}.
     *
     * @param rule the rule
     * @return the connectivity
     * @throws OdeException naming the rule if it is none of these, or the column of a syntax error
     */
    public static ConnectSpec parse(final String rule) {
        final String r = rule.strip();
        if ("all".equals(r)) {
            return ALL;
        }
        if ("one-to-one".equals(r)) {
            return oneToOne();
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
                    + "one-to-one, p = P, if CONDITION [p = P], or explicit indices");
        }
        if (cond.isEmpty() || p.isEmpty()) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "connection rule '" + r + "': the "
                    + (cond.isEmpty() ? "condition" : "probability") + " is missing");
        }
        return new ConnectSpec(ExprText.parse(cond), ExprText.parse(p), null, null, "");
    }

    private static final java.util.regex.Pattern P_PART = java.util.regex.Pattern.compile(
            "(?<![A-Za-z0-9_])p\\s*=(?!=)");

    /**
     * @param p probability as text
     * @return a copy with it
     */
    public ConnectSpec withP(final String p) {
        return new ConnectSpec(condition, ExprText.parse(p), sources, targets, file);
    }

    /**
     * @param f the file the arrays came from
     * @return a copy naming it
     */
    public ConnectSpec withFile(final String f) {
        return new ConnectSpec(condition, p, sources, targets, f);
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
                && Arrays.equals(sources, c.sources) && Arrays.equals(targets, c.targets) && file.equals(c.file);
    }

    @Override
    public int hashCode() {
        return Objects.hash(condition, p, Arrays.hashCode(sources), Arrays.hashCode(targets), file);
    }

    @Override
    public String toString() {
        return "ConnectSpec[" + text() + "]";
    }
}
