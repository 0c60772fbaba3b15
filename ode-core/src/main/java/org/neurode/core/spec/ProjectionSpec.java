package org.neurode.core.spec;

import java.util.List;
import java.util.Objects;

import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;

/**
 * A projection (Brian2's {@code Synapses}): when a member of the source population fires the source event, the
 * {@code on_pre} statements run once for each of its synapses, after the transmission delay. The statements may
 * assign state variables of the target population ({@code ge_post += w}, or {@code ge += w}: a name without suffix
 * is a synapse variable if the projection has one of that name, else a variable of the target), of the source
 * ({@code x_pre}) and the projection's per-synapse variables ({@link SynapseVariableSpec}). {@code i} and
 * {@code j} are the source and target indices within the (sliced) populations.
 *
 * @param name        the projection's name (an identifier, unique among projections)
 * @param source      the source population
 * @param sourceFrom  first source member (inclusive) of the slice that sends, 0 for all
 * @param sourceTo    end of the source slice (exclusive), -1 for the population's end
 * @param event       the event of the source population that sends ({@code spike} by default)
 * @param target      the target population
 * @param targetFrom  first target member of the slice that receives, 0 for all
 * @param targetTo    end of the target slice (exclusive), -1 for the population's end
 * @param connect     which pairs are synapses
 * @param variables   per-synapse variables
 * @param onPre       statements run per synapse when its source fires (after the delay)
 * @param delay       transmission delay in the time unit: a number, a quantity ({@code 1 * ms}) or an expression of
 *                    numbers, parameters and per-synapse variables (a delay per synapse); 0 for none
 * @param onPost      statements run per synapse, without delay, when its target fires its event {@code spike}
 *                    (Brian2's {@code on_post}; the same names as {@code on_pre}); empty for none
 * @param summed      summed variables (Brian2's {@code Igap_post = w * (v_pre - v_post) : 1 (summed)}), each an
 *                    assignment {@code X_post = EXPR} (or {@code X = EXPR}, the target's) or {@code X_pre = EXPR} of an
 *                    input X of the target (source) population: before every step of a fixed-step solver, X of each
 *                    member of the target (source) slice becomes the sum of EXPR over its synapses (0 without);
 *                    empty for none
 * @param postEvent   the event of the target population that runs {@code onPost} ({@code spike} by default;
 *                    Brian2's {@code on_event={'post': 'burst'}})
 * @since 0.5
 */
public record ProjectionSpec(String name, String source, int sourceFrom, int sourceTo, String event, String target,
                             int targetFrom, int targetTo, ConnectSpec connect, List<SynapseVariableSpec> variables,
                             List<StatementSpec> onPre, ExprSpec delay, List<StatementSpec> onPost,
                             List<StatementSpec> summed, String postEvent) {

    /**
     * @param name       name
     * @param source     source population
     * @param sourceFrom slice start
     * @param sourceTo   slice end or -1
     * @param event      source event
     * @param target     target population
     * @param targetFrom slice start
     * @param targetTo   slice end or -1
     * @param connect    connectivity
     * @param variables  synapse variables (copied)
     * @param onPre      statements (copied)
     * @param delay      delay
     * @param onPost     statements run when the target fires (copied)
     * @param summed     summed variables (copied)
     * @param postEvent  the target's event that runs onPost
     */
    public ProjectionSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(postEvent, "postEvent");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(connect, "connect");
        variables = List.copyOf(variables);
        onPre = List.copyOf(onPre);
        onPost = List.copyOf(onPost);
        summed = List.copyOf(summed);
        Objects.requireNonNull(delay, "delay");
        for (final StatementSpec s : summed) {
            if (!"=".equals(s.op())) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "projection '" + name + "': the summed variable '"
                        + s.text() + "' must be an assignment 'X_post = EXPRESSION' (the sum over the synapses of "
                        + "each member), not '" + s.op() + "'");
            }
        }
        if (sourceFrom < 0 || targetFrom < 0 || sourceTo >= 0 && sourceTo <= sourceFrom
                || targetTo >= 0 && targetTo <= targetFrom) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "projection '" + name + "': empty or negative slice "
                    + source + "[" + sourceFrom + ":" + sourceTo + "] -> " + target + "[" + targetFrom + ":"
                    + targetTo + "]");
        }
        if (delay instanceof ExprSpec.Num d && !(d.value() >= 0) || delay instanceof ExprSpec.Unary u
                && "-".equals(u.op()) && u.arg() instanceof ExprSpec.Num) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "projection '" + name + "': the delay '"
                    + delay.text() + "' is negative; a delay must be 0 or more");
        }
    }

    /**
     * A projection whose {@code on_post} statements run on the target's event {@code spike}.
     *
     * @param name       name
     * @param source     source population
     * @param sourceFrom slice start
     * @param sourceTo   slice end or -1
     * @param event      source event
     * @param target     target population
     * @param targetFrom slice start
     * @param targetTo   slice end or -1
     * @param connect    connectivity
     * @param variables  synapse variables (copied)
     * @param onPre      statements (copied)
     * @param delay      delay
     * @param onPost     statements run when the target fires (copied)
     * @param summed     summed variables (copied)
     */
    public ProjectionSpec(final String name, final String source, final int sourceFrom, final int sourceTo,
                          final String event, final String target, final int targetFrom, final int targetTo,
                          final ConnectSpec connect, final List<SynapseVariableSpec> variables,
                          final List<StatementSpec> onPre, final ExprSpec delay, final List<StatementSpec> onPost,
                          final List<StatementSpec> summed) {
        this(name, source, sourceFrom, sourceTo, event, target, targetFrom, targetTo, connect, variables, onPre,
                delay, onPost, summed, EventSpec.SPIKE);
    }

    /**
     * A projection without summed variables.
     *
     * @param name       name
     * @param source     source population
     * @param sourceFrom slice start
     * @param sourceTo   slice end or -1
     * @param event      source event
     * @param target     target population
     * @param targetFrom slice start
     * @param targetTo   slice end or -1
     * @param connect    connectivity
     * @param variables  synapse variables (copied)
     * @param onPre      statements (copied)
     * @param delay      delay
     * @param onPost     statements run when the target fires (copied)
     */
    public ProjectionSpec(final String name, final String source, final int sourceFrom, final int sourceTo,
                          final String event, final String target, final int targetFrom, final int targetTo,
                          final ConnectSpec connect, final List<SynapseVariableSpec> variables,
                          final List<StatementSpec> onPre, final ExprSpec delay, final List<StatementSpec> onPost) {
        this(name, source, sourceFrom, sourceTo, event, target, targetFrom, targetTo, connect, variables, onPre,
                delay, onPost, List.of());
    }

    /**
     * A projection without {@code on_post} statements.
     *
     * @param name       name
     * @param source     source population
     * @param sourceFrom slice start
     * @param sourceTo   slice end or -1
     * @param event      source event
     * @param target     target population
     * @param targetFrom slice start
     * @param targetTo   slice end or -1
     * @param connect    connectivity
     * @param variables  synapse variables (copied)
     * @param onPre      statements (copied)
     * @param delay      delay
     */
    public ProjectionSpec(final String name, final String source, final int sourceFrom, final int sourceTo,
                          final String event, final String target, final int targetFrom, final int targetTo,
                          final ConnectSpec connect, final List<SynapseVariableSpec> variables,
                          final List<StatementSpec> onPre, final ExprSpec delay) {
        this(name, source, sourceFrom, sourceTo, event, target, targetFrom, targetTo, connect, variables, onPre,
                delay, List.of(), List.of());
    }

    /**
     * @param statements the {@code on_post} statements as text ({@code Apost += dApost; w = clip(w + Apre, 0, 1)})
     * @return a copy with them
     */
    public ProjectionSpec withOnPost(final String statements) {
        return new ProjectionSpec(name, source, sourceFrom, sourceTo, event, target, targetFrom, targetTo,
                connect, variables, onPre, delay, StatementSpec.parseAll(statements), summed, postEvent);
    }

    /**
     * @param c the connectivity
     * @return a copy with it
     */
    public ProjectionSpec withConnect(final ConnectSpec c) {
        return new ProjectionSpec(name, source, sourceFrom, sourceTo, event, target, targetFrom, targetTo,
                c, variables, onPre, delay, onPost, summed, postEvent);
    }

    /**
     * @param vars the synapse variables
     * @return a copy with them instead of this projection's
     */
    public ProjectionSpec withVariables(final List<SynapseVariableSpec> vars) {
        return new ProjectionSpec(name, source, sourceFrom, sourceTo, event, target, targetFrom, targetTo,
                connect, vars, onPre, delay, onPost, summed, postEvent);
    }

    /**
     * A projection of whole populations, from the event {@code spike}, without delay or synapse variables.
     *
     * @param name    name
     * @param source  source population
     * @param target  target population
     * @param connect connectivity
     * @param onPre   the statements as text ({@code ge += w})
     * @return the projection
     */
    public static ProjectionSpec of(final String name, final String source, final String target,
                                    final ConnectSpec connect, final String onPre) {
        return new ProjectionSpec(name, source, 0, -1, EventSpec.SPIKE, target, 0, -1, connect, List.of(),
                StatementSpec.parseAll(onPre), new ExprSpec.Num(0.0));
    }

    /**
     * @param from first member
     * @param to   end (exclusive)
     * @return a copy sending from the slice {@code source[from:to]}
     */
    public ProjectionSpec withSourceSlice(final int from, final int to) {
        return new ProjectionSpec(name, source, from, to, event, target, targetFrom, targetTo, connect, variables,
                onPre, delay, onPost, summed, postEvent);
    }

    /**
     * @param from first member
     * @param to   end (exclusive)
     * @return a copy received by the slice {@code target[from:to]}
     */
    public ProjectionSpec withTargetSlice(final int from, final int to) {
        return new ProjectionSpec(name, source, sourceFrom, sourceTo, event, target, from, to, connect, variables,
                onPre, delay, onPost, summed, postEvent);
    }

    /**
     * @param eventName the sending event
     * @return a copy with it
     */
    public ProjectionSpec withEvent(final String eventName) {
        return new ProjectionSpec(name, source, sourceFrom, sourceTo, eventName, target, targetFrom, targetTo,
                connect, variables, onPre, delay, onPost, summed, postEvent);
    }

    /**
     * @param v a synapse variable
     * @return a copy with it appended
     */
    public ProjectionSpec withVariable(final SynapseVariableSpec v) {
        final java.util.List<SynapseVariableSpec> l = new java.util.ArrayList<>(variables);
        l.add(v);
        return new ProjectionSpec(name, source, sourceFrom, sourceTo, event, target, targetFrom, targetTo,
                connect, l, onPre, delay, onPost, summed, postEvent);
    }

    /**
     * @param d the delay as text ({@code 1.5}, {@code 1 * ms}, {@code d})
     * @return a copy with it
     */
    public ProjectionSpec withDelay(final String d) {
        return new ProjectionSpec(name, source, sourceFrom, sourceTo, event, target, targetFrom, targetTo,
                connect, variables, onPre, ExprText.parse(d), onPost, summed, postEvent);
    }

    /**
     * @param text the summed variables as text ({@code Igap_post = w * (v_pre - v_post)}; several separated by
     *             {@code ;})
     * @return a copy with them appended
     */
    public ProjectionSpec withSummed(final String text) {
        final java.util.List<StatementSpec> l = new java.util.ArrayList<>(summed);
        l.addAll(StatementSpec.parseAll(text));
        return new ProjectionSpec(name, source, sourceFrom, sourceTo, event, target, targetFrom, targetTo,
                connect, variables, onPre, delay, onPost, l, postEvent);
    }

    /**
     * @param eventName the target's event that runs the {@code on_post} statements (Brian2's {@code
     *                  on_event={'post': eventName}})
     * @return a copy with it
     */
    public ProjectionSpec withPostEvent(final String eventName) {
        return new ProjectionSpec(name, source, sourceFrom, sourceTo, event, target, targetFrom, targetTo,
                connect, variables, onPre, delay, onPost, summed, eventName);
    }

    /**
     * @return true if the projection has summed variables or clock-driven synapse variables, which are computed
     *         at every step of a fixed-step solver
     */
    public boolean clockDriven() {
        return !summed.isEmpty() || variables.stream().anyMatch(SynapseVariableSpec::clockDrivenVariable);
    }

    /** @return true if the delay is the number 0 */
    public boolean hasNoDelay() {
        return delay instanceof ExprSpec.Num n && n.value() == 0.0;
    }

    /**
     * @param sizeOfSource the source population's size
     * @return the end of the source slice
     */
    public int sourceEnd(final int sizeOfSource) {
        return sourceTo < 0 ? sizeOfSource : sourceTo;
    }

    /**
     * @param sizeOfTarget the target population's size
     * @return the end of the target slice
     */
    public int targetEnd(final int sizeOfTarget) {
        return targetTo < 0 ? sizeOfTarget : targetTo;
    }

    /** @return the source as text ({@code P} or {@code P[0:3200]}) */
    public String sourceText() {
        return slice(source, sourceFrom, sourceTo);
    }

    /** @return the target as text */
    public String targetText() {
        return slice(target, targetFrom, targetTo);
    }

    private static String slice(final String p, final int from, final int to) {
        return from == 0 && to < 0 ? p : p + "[" + from + ":" + (to < 0 ? "" : Integer.toString(to)) + "]";
    }
}
