package org.neurode.core.expr;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;
import org.neurode.core.Parameters;
import org.neurode.core.Projection;
import org.neurode.core.StateLayout;
import org.neurode.core.spec.ConnectSpec;
import org.neurode.core.spec.EventSpec;
import org.neurode.core.spec.ExprSpec;
import org.neurode.core.spec.ExprText;
import org.neurode.core.spec.ModelSpec;
import org.neurode.core.spec.ParameterSpec;
import org.neurode.core.spec.PopulationSpec;
import org.neurode.core.spec.ProjectionSpec;
import org.neurode.core.spec.StatementSpec;
import org.neurode.core.spec.SynapseVariableSpec;
import org.neurode.core.spec.ValueSpec;
import org.neurode.core.spec.VariableSpec;

/**
 * Checks, connects and compiles projections ({@link ProjectionSpec}): the names of the {@code on_pre}
 * statements are resolved as Brian2 resolves those of {@code Synapses} (a synapse variable, else a variable of the
 * target; {@code x_post} of the target, {@code x_pre} of the source; {@code i}, {@code j}, {@code N_pre},
 * {@code N_post}, {@code t} and scalar parameters), the synapses are drawn and stored by source (compressed sparse
 * rows) and the statements are compiled per projection to one Java class ({@link SynapseKernel}) whose loop over a
 * source's synapses reads and writes the state directly: nothing is interpreted or allocated per spike.
 */
final class SynapseCompiler {

    private static final AtomicInteger COUNTER = new AtomicInteger();
    /** Most synapses of one projection (the arrays are indexed by int). */
    static final long MAX_SYNAPSES = Integer.MAX_VALUE - 8;

    private SynapseCompiler() {
    }

    /** Where a name of a statement lives. */
    private enum Side { SYNAPSE, PRE, POST, INDEX_I, INDEX_J }

    /**
     * A name of the statements: its side and the variable (or synapse variable index); {@code input} true for an
     * input of a population (in the run's input buffer).
     */
    private record Ref(Side side, String variable, int index, String unit, boolean input) {
        Ref(final Side side, final String variable, final int index, final String unit) {
            this(side, variable, index, unit, false);
        }
    }

    /**
     * The per-step part of a projection: its clock-driven synapse variables (indices, resolved right-hand sides
     * and, if every one is a linear relaxation with constant coefficients, their exact updates; else forward Euler
     * over all of them at once) and its summed variables (the inputs they set and the resolved expressions).
     */
    record Clock(List<Integer> variables, List<Expr> rates, List<Relaxation> exact, List<Ref> summedTargets,
                 List<Expr> summedValues) {
        boolean any() {
            return !variables.isEmpty() || !summedTargets.isEmpty();
        }
    }

    /** A projection resolved against a model. */
    record Checked(ProjectionSpec spec, PopulationSpec source, PopulationSpec target, int sourceFrom, int sourceTo,
                   int targetFrom, int targetTo, Map<String, Ref> refs, List<Expr> values, List<Ref> assigned,
                   Expr delay, List<Expr> postValues, List<Ref> postAssigned, List<Relaxation> taus, Clock clock,
                   boolean sends) {
        /** @return true if some synapse variable is event-driven (then a last-update time is kept per synapse) */
        boolean eventDriven() {
            for (final Relaxation e : taus) {
                if (e != null) {
                    return true;
                }
            }
            return false;
        }

        int sources() {
            return sourceTo - sourceFrom;
        }

        int targets() {
            return targetTo - targetFrom;
        }
    }

    /**
     * The population an event belongs to: the one owning a variable its condition or statements name.
     *
     * @param spec  the model
     * @param event the event's name
     * @return the population, or null if the model has no event of that name or it names no population's variable
     */
    static PopulationSpec eventPopulation(final ModelSpec spec, final String event) {
        return spec.eventPopulation(event);
    }

    /** Every name of a tree, depth first. */
    static void names(final ExprSpec e, final List<String> out) {
        ExprSpec.names(e, out);
    }

    /**
     * Checks a projection against the model declared so far: its populations, slices and event exist, its
     * probability (if a number) lies in [0, 1], its statements assign variables of the right side and use known
     * names, its delay is not negative.
     *
     * @param p    the projection
     * @param spec the model declared so far (with its populations and events)
     * @return the resolved projection
     * @throws OdeException naming the projection and the statement or field at fault
     */
    static Checked check(final ProjectionSpec p, final ModelSpec spec) {
        final String what = "projection '" + p.name() + "'";
        final PopulationSpec source = population(spec, p.source(), what + ": the source");
        final PopulationSpec target = population(spec, p.target(), what + ": the target");
        final int sFrom = p.sourceFrom();
        final int sTo = p.sourceEnd(source.size());
        final int tFrom = p.targetFrom();
        final int tTo = p.targetEnd(target.size());
        if (sTo > source.size()) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, what + ": the source slice " + p.sourceText()
                    + " ends after the " + source.size() + " members of population '" + source.name() + "'");
        }
        if (tTo > target.size()) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, what + ": the target slice " + p.targetText()
                    + " ends after the " + target.size() + " members of population '" + target.name() + "'");
        }
        final PopulationSpec sender = source.isSource() ? source : eventPopulation(spec, p.event());
        if (source.isSource() && !EventSpec.SPIKE.equals(p.event())) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, what + ": population '" + source.name() + "' is a "
                    + (source.kind() == PopulationSpec.Kind.POISSON ? "Poisson group" : "spike generator")
                    + ", whose one event is 'spike', not '" + p.event() + "'");
        }
        // a projection without on_pre statements and delay (only summed, clock-driven or on_post parts) needs no
        // event of its source, as Brian2's Synapses without on_pre need no threshold
        final boolean silent = p.onPre().isEmpty() && p.hasNoDelay() && EventSpec.SPIKE.equals(p.event());
        final boolean sends = sender != null && sender.name().equals(source.name());
        if (!sends && !silent) {
            final List<String> own = new ArrayList<>();
            for (final EventSpec e : spec.events()) {
                final PopulationSpec q = eventPopulation(spec, e.name());
                if (q != null && q.name().equals(source.name())) {
                    own.add(e.name());
                }
            }
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, what + ": population '" + source.name() + "' has no "
                    + "event '" + p.event() + "'" + (own.isEmpty() ? " (declare its threshold first)"
                    : "; its events: " + String.join(", ", own)));
        }
        final ConnectSpec c = p.connect();
        if (c.explicit()) {
            for (int k = 0; k < c.count(); k++) {
                if (c.source(k) < 0 || c.source(k) >= sTo - sFrom || c.target(k) < 0
                        || c.target(k) >= tTo - tFrom) {
                    throw new OdeException(ErrorCode.INVALID_ARGUMENT, what + ": explicit synapse " + k + " (i = "
                            + c.source(k) + ", j = " + c.target(k) + ") lies outside the " + (sTo - sFrom) + " x "
                            + (tTo - tFrom) + " pairs of " + p.sourceText() + " -> " + p.targetText());
                }
            }
        }
        final Map<String, Ref> refs = refs(p, spec, source, target);
        final Map<String, Expr> symbols = new LinkedHashMap<>();
        for (final Map.Entry<String, Ref> r : refs.entrySet()) {
            symbols.put(r.getKey(), new Var(r.getKey(), 1, 1, r.getValue().unit(), Var.Role.STATE));
        }
        symbols.put("N_pre", Expr.constant(sTo - sFrom));
        symbols.put("N_post", Expr.constant(tTo - tFrom));
        final List<ParameterSpec> parameters = spec.parameters();
        for (int k = 0; k < parameters.size(); k++) {
            final ParameterSpec q = parameters.get(k);
            if (q.rows() == 1 && q.cols() == 1 && !symbols.containsKey(q.name())) {
                symbols.put(q.name(), new Nodes.Param(q.name(), k));
            }
        }
        final Resolver resolver = new Resolver(symbols);
        // statements run per synapse at events: they may draw (the projection's run generator) and read dt
        final Resolver stochastic = new Resolver(symbols).stochastic();
        final List<Expr> values = new ArrayList<>();
        final List<Ref> assigned = new ArrayList<>();
        statements(p.onPre(), what + ": in on_pre statement '", refs, spec, source, target, stochastic, assigned,
                values);
        final List<Expr> postValues = new ArrayList<>();
        final List<Ref> postAssigned = new ArrayList<>();
        statements(p.onPost(), what + ": in on_post statement '", refs, spec, source, target, stochastic,
                postAssigned, postValues);
        if (!p.onPost().isEmpty() && !target.isSource()) {
            final PopulationSpec receiver = eventPopulation(spec, p.postEvent());
            if (receiver == null || !receiver.name().equals(target.name())) {
                final List<String> own = new ArrayList<>();
                for (final EventSpec e : spec.events()) {
                    final PopulationSpec q = eventPopulation(spec, e.name());
                    if (q != null && q.name().equals(target.name())) {
                        own.add(e.name());
                    }
                }
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, what + ": on_post statements run when the target "
                        + "population '" + target.name() + "' fires its event '" + p.postEvent() + "', which it does "
                        + "not have " + (own.isEmpty() ? "(declare its threshold first)" : "(its events: "
                        + String.join(", ", own) + ")"));
            }
        }
        final List<Relaxation> taus = new ArrayList<>();
        for (final SynapseVariableSpec v : p.variables()) {
            taus.add(v.eventDrivenVariable() ? relaxation(v, refs, symbols, resolver, what) : null);
        }
        final Clock clock = clock(p, spec, refs, symbols, resolver, source, target, what);
        final String dwhere = what + ": in the delay '" + p.delay().text() + "'";
        Expr delay = null;
        if (!usesUnits(p.delay(), symbols)) {
            delay = resolve(resolver, p.delay(), dwhere);
            requireConstant(p.delay(), refs, dwhere);
        }
        return new Checked(p, source, target, sFrom, sTo, tFrom, tTo, refs, values, assigned, delay, postValues,
                postAssigned, taus, clock, sends);
    }

    /**
     * Two projections may not sum into the same input for overlapping members (Brian2 refuses it too: "Multiple
     * 'summed variables' target the variable ..."); slices that do not overlap may share an input.
     *
     * @param p        the projection being declared
     * @param previous the projections declared before it
     * @param spec     the model declared so far
     * @throws OdeException naming both projections and the input
     */
    static void checkSummedOverlap(final ProjectionSpec p, final List<ProjectionSpec> previous, final ModelSpec spec) {
        for (final StatementSpec s : p.summed()) {
            final int[] mine = summedSlice(p, s.variable(), spec);
            if (mine == null) {
                continue;
            }
            for (final ProjectionSpec q : previous) {
                for (final StatementSpec o : q.summed()) {
                    final int[] theirs = summedSlice(q, o.variable(), spec);
                    if (theirs != null && theirs[0] == mine[0] && mine[1] < theirs[2] && theirs[1] < mine[2]) {
                        throw new OdeException(ErrorCode.INVALID_ARGUMENT, "projection '" + p.name() + "': in the "
                                + "summed variable '" + s.text() + "': projection '" + q.name() + "' sums into input '"
                                + spec.variables().get(mine[0]).name() + "' of the same members ('" + o.text()
                                + "'); as in Brian2, give each projection an input of its own and add them in the "
                                + "equation");
                    }
                }
            }
        }
    }

    /** The input a summed variable sets (its index among the model's variables) and the members, or null. */
    private static int[] summedSlice(final ProjectionSpec p, final String name, final ModelSpec spec) {
        final boolean pre = name.endsWith("_pre");
        final String base = pre ? name.substring(0, name.length() - 4) : name.endsWith("_post")
                ? name.substring(0, name.length() - 5) : name;
        final PopulationSpec pop = spec.population(pre ? p.source() : p.target());
        final VariableSpec v = spec.variable(base);
        if (pop == null || v == null) {
            return null;
        }
        return new int[] {spec.variables().indexOf(v), pre ? p.sourceFrom() : p.targetFrom(),
                pre ? p.sourceEnd(pop.size()) : p.targetEnd(pop.size())};
    }

    /**
     * Resolves the clock-driven equations and the summed variables of a projection. A clock-driven right-hand side
     * may read anything statements read; the exact update is used when every clock-driven equation is a linear
     * relaxation with constant coefficients (what Brian2's default method, 'exact', integrates exactly too), else
     * forward Euler. A summed variable must set an input (a variable without equation) of the target ({@code X},
     * {@code X_post}) or the source ({@code X_pre}), once per projection, and its expression may not read an input
     * the projection sums into (the sum is written while it is formed).
     */
    private static Clock clock(final ProjectionSpec p, final ModelSpec spec, final Map<String, Ref> refs,
                               final Map<String, Expr> symbols, final Resolver resolver, final PopulationSpec source,
                               final PopulationSpec target, final String what) {
        final List<Integer> vars = new ArrayList<>();
        final List<Expr> rates = new ArrayList<>();
        List<Relaxation> exact = new ArrayList<>();
        for (int k = 0; k < p.variables().size(); k++) {
            final SynapseVariableSpec v = p.variables().get(k);
            if (!v.clockDrivenVariable()) {
                continue;
            }
            final String where = what + ": in the clock-driven equation 'd" + v.name() + "/dt = " + v.rate().text()
                    + "'";
            final Expr rate = resolve(resolver, v.rate(), where);
            vars.add(k);
            rates.add(rate);
            if (exact != null) {
                final Relaxation r = constantRelaxation(v, rate, refs, symbols, resolver);
                if (r == null) {
                    exact = null;
                } else {
                    exact.add(r);
                }
            }
        }
        final List<Ref> targets = new ArrayList<>();
        final List<Expr> sums = new ArrayList<>();
        for (final StatementSpec s : p.summed()) {
            final String where = what + ": in the summed variable '" + s.text() + "'";
            final Ref r = summedTarget(s.variable(), refs, spec, source, target, where);
            for (final Ref other : targets) {
                if (other.side() == r.side() && other.variable().equals(r.variable())) {
                    throw new OdeException(ErrorCode.INVALID_ARGUMENT, where + ": '" + s.variable() + "' is summed "
                            + "twice by the projection; write one sum");
                }
            }
            targets.add(r);
            sums.add(resolve(resolver, s.value(), where));
        }
        for (int k = 0; k < sums.size(); k++) {
            final List<String> names = new ArrayList<>();
            names(p.summed().get(k).value(), names);
            for (final String n : names) {
                final Ref r = refs.get(n);
                if (r != null && r.input() && targets.stream().anyMatch(x -> x.side() == r.side()
                        && x.variable().equals(r.variable()))) {
                    throw new OdeException(ErrorCode.INVALID_ARGUMENT, what + ": in the summed variable '"
                            + p.summed().get(k).text() + "': it reads '" + n + "', which the projection sums into");
                }
            }
        }
        return new Clock(List.copyOf(vars), List.copyOf(rates), exact == null || vars.isEmpty() ? null
                : List.copyOf(exact), List.copyOf(targets), List.copyOf(sums));
    }

    /** Checks a block of statements: what each assigns and its value, resolved, named in errors by {@code where}. */
    private static void statements(final List<StatementSpec> block, final String where, final Map<String, Ref> refs,
                                   final ModelSpec spec, final PopulationSpec source, final PopulationSpec target,
                                   final Resolver resolver, final List<Ref> assigned, final List<Expr> values) {
        for (final StatementSpec s : block) {
            final String at = where + s.text() + "'";
            assigned.add(assignable(s.variable(), refs, spec, source, target, at));
            values.add(resolve(resolver, s.value(), at));
        }
    }

    /**
     * The exact update of a clock-driven equation that is a linear relaxation with constant coefficients
     * ({@code -X / tau}, {@code a X + b} with a and b numbers or expressions of scalar parameters), or null.
     */
    private static Relaxation constantRelaxation(final SynapseVariableSpec v, final Expr rate,
                                                 final Map<String, Ref> refs, final Map<String, Expr> symbols,
                                                 final Resolver resolver) {
        final ExprSpec tau = decayTime(v.name(), v.rate());
        if (tau != null) {
            final List<String> names = new ArrayList<>();
            names(tau, names);
            for (final String n : names) {
                if (refs.containsKey(n) || "t".equals(n)) {
                    return null;
                }
            }
            return new Relaxation(resolve(resolver, tau, "the time constant of d" + v.name() + "/dt"), null, null);
        }
        final LinearParts.Split split = new LinearParts().split(rate, (Var) symbols.get(v.name()));
        if (split.a() == null || variableIn(split.a(), split.b()) != null
                || ExprWalk.depth(split.a()) > EquationCompiler.MAX_DEPTH
                || ExprWalk.depth(split.b()) > EquationCompiler.MAX_DEPTH) {
            return null;
        }
        return new Relaxation(null, split.a(), split.b());
    }

    /** The input a summed variable sets, or an error saying why it cannot. */
    private static Ref summedTarget(final String name, final Map<String, Ref> refs, final ModelSpec spec,
                                    final PopulationSpec source, final PopulationSpec target, final String where) {
        final Ref r = refs.get(name);
        if (r != null && r.side() == Side.SYNAPSE) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, where + ": '" + name + "' is a synapse variable; a "
                    + "summed variable sets an input of the target ('X_post') or of the source ('X_pre')");
        }
        if (r != null && (r.side() == Side.PRE || r.side() == Side.POST)) {
            if (!r.input()) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, where + ": '" + r.variable() + "' is a state "
                        + "variable with an equation; a summed variable sets an input, a variable without equation "
                        + "(declare one with 'input NAME[N]', list it in the population and read it in the equation "
                        + "of '" + r.variable() + "')");
            }
            return r;
        }
        final List<String> ok = new ArrayList<>();
        for (final Map.Entry<String, Ref> e : refs.entrySet()) {
            if (e.getValue().input() && !e.getKey().equals(e.getValue().variable())) {
                ok.add(e.getKey());
            }
        }
        String why = "is not a variable of the target population '" + target.name() + "' ('X_post') or the source "
                + "population '" + source.name() + "' ('X_pre')";
        if (name.endsWith("_pre") || name.endsWith("_post")) {
            final boolean pre = name.endsWith("_pre");
            final String base = name.substring(0, name.lastIndexOf('_'));
            final PopulationSpec other = pre ? target : source;
            if (other.owns(base)) {
                why = "belongs to population '" + other.name() + "', the " + (pre ? "target" : "source")
                        + " of the projection: write '" + base + (pre ? "_post" : "_pre") + "'";
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, where + ": '" + base + "' " + why);
            }
        }
        throw new OdeException(ErrorCode.INVALID_ARGUMENT, where + ": '" + name + "' " + why + (ok.isEmpty()
                ? "; neither has an input" : "; it may set " + Resolver.list(ok)));
    }

    /**
     * How an event-driven variable relaxes between its synapse's events: {@code dX/dt = -X / tau} (then
     * {@code tau} is set, and the update is Brian2's {@code X * exp(-(t - lastupdate) / tau)}), or the general
     * linear form with constant coefficients {@code dX/dt = a X + b}, a not zero (then {@code a} and {@code b} are
     * set and the update is the exact {@code X_inf + (X - X_inf) exp(a (t - lastupdate))}, {@code X_inf = -b / a}:
     * the facilitation and depression variables of Tsodyks-Markram synapses, {@code (U - u) / tauf}).
     *
     * @param tau the time constant of a pure decay, or null
     * @param a   the coefficient of X of the general form, or null
     * @param b   the constant term of the general form, or null for zero
     */
    record Relaxation(Expr tau, Expr a, Expr b) {
    }

    /**
     * The relaxation of an event-driven equation: linear in X with coefficients of numbers and scalar parameters.
     * Other forms are refused, naming the equation.
     */
    private static Relaxation relaxation(final SynapseVariableSpec v, final Map<String, Ref> refs,
                                         final Map<String, Expr> symbols, final Resolver resolver, final String what) {
        final String eq = "d" + v.name() + "/dt = " + v.rate().text() + " (event-driven)";
        final String where = what + ": in the event-driven equation '" + eq + "'";
        final ExprSpec tau = decayTime(v.name(), v.rate());
        if (tau != null) {
            final List<String> names = new ArrayList<>();
            names(tau, names);
            for (final String n : names) {
                if (refs.containsKey(n) || "t".equals(n)) {
                    throw new OdeException(ErrorCode.INVALID_ARGUMENT, where + ": the time constant '" + tau.text()
                            + "' may use numbers and scalar parameters only, not '" + n + "'");
                }
            }
            return new Relaxation(resolve(resolver, tau, where), null, null);
        }
        final Expr rate = resolve(resolver, v.rate(), where);
        final LinearParts.Split split = new LinearParts().split(rate, (Var) symbols.get(v.name()));
        final String constant = split.a() == null ? null : variableIn(split.a(), split.b());
        if (split.a() == null || constant != null) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, where + ": only a linear relaxation with constant "
                    + "coefficients, 'd" + v.name() + "/dt = -" + v.name() + " / tau' or '(A - " + v.name()
                    + ") / tau' (tau and A numbers or expressions of scalar parameters), can be event-driven"
                    + (constant != null ? ", and it reads '" + constant + "'" : ""));
        }
        if (ExprWalk.depth(split.a()) > EquationCompiler.MAX_DEPTH
                || ExprWalk.depth(split.b()) > EquationCompiler.MAX_DEPTH) {
            // the update is generated as one expression: keep it within what the Java compiler nests
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, where + ": its coefficients are nested deeper than "
                    + EquationCompiler.MAX_DEPTH + " operations; give the constant term a parameter of its own");
        }
        return new Relaxation(null, split.a(), split.b());
    }

    /** The first variable or time read by the given expressions (null ones skipped), or null if none. */
    private static String variableIn(final Expr... roots) {
        final java.util.ArrayDeque<Expr> stack = new java.util.ArrayDeque<>();
        for (final Expr r : roots) {
            if (r != null) {
                stack.push(r);
            }
        }
        final java.util.Set<Expr> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        while (!stack.isEmpty()) {
            final Expr e = stack.pop();
            if (!seen.add(e)) {
                continue;
            }
            if (e instanceof Var x) {
                return x.name();
            }
            if (e instanceof Nodes.Time) {
                return "t";
            }
            Nodes.operands(e).forEach(stack::push);
        }
        return null;
    }

    /** tau if {@code rate} is {@code -x / tau} (or {@code -(x / tau)}), else null. */
    static ExprSpec decayTime(final String x, final ExprSpec rate) {
        boolean negative = false;
        ExprSpec e = rate;
        ExprSpec tau = null;
        for (int guard = 0; guard < 8; guard++) {
            if (e instanceof ExprSpec.Unary u && "-".equals(u.op())) {
                negative = !negative;
                e = u.arg();
            } else if (e instanceof ExprSpec.Unary u && "+".equals(u.op())) {
                e = u.arg();
            } else if (e instanceof ExprSpec.Sum sum && sum.terms().size() == 1) {
                negative ^= sum.terms().get(0).negative();
                e = sum.terms().get(0).value();
            } else if (tau == null && e instanceof ExprSpec.Binary b && "/".equals(b.op())) {
                tau = b.right();
                e = b.left();
            } else if (tau == null && e instanceof ExprSpec.Product pr && pr.factors().size() == 2
                    && !pr.factors().get(0).divide() && pr.factors().get(1).divide()) {
                tau = pr.factors().get(1).value();
                e = pr.factors().get(0).value();
            } else {
                break;
            }
        }
        return negative && tau != null && e instanceof ExprSpec.Name n && n.name().equals(x) ? tau : null;
    }

    private static PopulationSpec population(final ModelSpec spec, final String name, final String what) {
        final PopulationSpec p = spec.population(name);
        if (p == null) {
            final List<String> known = new ArrayList<>();
            spec.populations().forEach(q -> known.add(q.name()));
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, what + " '" + name + "' is not a population of the "
                    + "model" + (known.isEmpty() ? " (declare it with 'population NAME SIZE: VARIABLES')"
                    : "; populations: " + String.join(", ", known)));
        }
        return p;
    }

    /** The names statements may use: synapse variables, x_pre, x_post, bare target variables, i, j. */
    private static Map<String, Ref> refs(final ProjectionSpec p, final ModelSpec spec, final PopulationSpec source,
                                         final PopulationSpec target) {
        final Map<String, Ref> refs = new LinkedHashMap<>();
        for (final String v : source.variables()) {
            refs.put(v + "_pre", new Ref(Side.PRE, v, -1, unit(spec, v), isInput(spec, v)));
        }
        for (final String v : target.variables()) {
            refs.put(v + "_post", new Ref(Side.POST, v, -1, unit(spec, v), isInput(spec, v)));
            refs.put(v, new Ref(Side.POST, v, -1, unit(spec, v), isInput(spec, v)));
        }
        final List<SynapseVariableSpec> vars = p.variables();
        for (int k = 0; k < vars.size(); k++) {
            final SynapseVariableSpec v = vars.get(k);
            if (refs.containsKey(v.name()) && refs.get(v.name()).side() == Side.SYNAPSE) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "projection '" + p.name() + "': synapse variable '"
                        + v.name() + "' is declared twice");
            }
            refs.put(v.name(), new Ref(Side.SYNAPSE, v.name(), k, v.unit()));
        }
        refs.put("i", new Ref(Side.INDEX_I, "i", -1, "1"));
        refs.put("j", new Ref(Side.INDEX_J, "j", -1, "1"));
        return refs;
    }

    private static boolean isInput(final ModelSpec spec, final String variable) {
        final VariableSpec v = spec.variable(variable);
        return v != null && v.kind() == org.neurode.core.spec.VariableKind.INPUT;
    }

    private static String unit(final ModelSpec spec, final String variable) {
        final VariableSpec v = spec.variable(variable);
        return v == null ? "" : v.unit();
    }

    /** The variable a statement assigns, or an error saying why it cannot. */
    private static Ref assignable(final String name, final Map<String, Ref> refs, final ModelSpec spec,
                                  final PopulationSpec source, final PopulationSpec target, final String where) {
        final Ref r = refs.get(name);
        if (r != null && (r.side() == Side.SYNAPSE || r.side() == Side.PRE || r.side() == Side.POST)) {
            final VariableSpec v = spec.variable(r.variable());
            if (r.side() != Side.SYNAPSE && (v == null || v.kind() != org.neurode.core.spec.VariableKind.STATE)) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, where + ": '" + name + "' is an input, which "
                        + "statements cannot assign");
            }
            return r;
        }
        if (name.endsWith("_pre") || name.endsWith("_post")) {
            final boolean pre = name.endsWith("_pre");
            final String base = name.substring(0, name.lastIndexOf('_'));
            final PopulationSpec other = pre ? target : source;
            if (other.owns(base)) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, where + ": '" + base + "' belongs to population '"
                        + other.name() + "', the " + (pre ? "target" : "source") + " of the projection, not its "
                        + (pre ? "source" : "target") + ": write '" + base + (pre ? "_post" : "_pre") + "'");
            }
        }
        if ("i".equals(name) || "j".equals(name) || "t".equals(name)) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, where + ": '" + name + "' is "
                    + ("t".equals(name) ? "the time" : "an index") + ", which statements cannot assign");
        }
        if (spec.variable(name) != null || spec.parameters().stream().anyMatch(q -> q.name().equals(name))) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, where + ": '" + name + "' is "
                    + (spec.variable(name) != null ? "a variable of neither the source population '" + source.name()
                    + "' nor the target population '" + target.name() + "'" : "a parameter, which is constant for a "
                    + "run"));
        }
        final List<String> ok = new ArrayList<>();
        for (final Map.Entry<String, Ref> e : refs.entrySet()) {
            final Side s = e.getValue().side();
            if ((s == Side.SYNAPSE || s == Side.PRE || s == Side.POST) && !e.getKey().equals(e.getValue().variable())
                    || s == Side.SYNAPSE) {
                ok.add(e.getKey());
            }
        }
        throw new OdeException(ErrorCode.INVALID_ARGUMENT, where + ": '" + name + "' is not a variable of the "
                + "projection; it may assign " + Resolver.list(ok));
    }

    private static Expr resolve(final Resolver resolver, final ExprSpec tree, final String where) {
        return EventCompiler.resolve(resolver, tree, where);
    }

    /** True if the tree names a unit constant ({@code 1 * ms}): it is resolved after the units check. */
    private static boolean usesUnits(final ExprSpec e, final Map<String, Expr> symbols) {
        final List<String> names = new ArrayList<>();
        names(e, names);
        for (final String n : names) {
            if (!symbols.containsKey(n) && !"t".equals(n) && !"pi".equals(n) && !"e".equals(n)
                    && org.neurode.core.units.Unit.isConstant(n)) {
                return true;
            }
        }
        return false;
    }

    /** A delay is fixed when the model is built: numbers, parameters, i, j and synapse variables only. */
    private static void requireConstant(final ExprSpec e, final Map<String, Ref> refs, final String where) {
        final List<String> names = new ArrayList<>();
        names(e, names);
        for (final String n : names) {
            final Ref r = refs.get(n);
            if (r != null && (r.side() == Side.PRE || r.side() == Side.POST) || "t".equals(n)) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, where + ": a delay may use numbers, parameters, "
                        + "i, j and synapse variables (it is computed when a run starts), not '" + n + "'");
            }
        }
    }

    // ------------------------------------------------------------------ connectivity

    /** Synapses by source: {@code start[i]} to {@code start[i + 1] - 1} are those of source i. */
    record Connectivity(int[] start, int[] pre, int[] post) {
    }

    /**
     * Draws (or sorts) the synapses of a projection.
     *
     * @param c          the checked projection
     * @param parameters values of the scalar parameters
     * @param random     the projection's generator
     * @return the synapses by source, targets in increasing order for rules, in given order for explicit arrays
     */
    static Connectivity connect(final Checked c, final Map<String, Double> parameters, final SplittableRandom random) {
        final ConnectSpec rule = c.spec().connect();
        final int ns = c.sources();
        final int nt = c.targets();
        final String what = "projection '" + c.spec().name() + "'";
        if (rule.explicit()) {
            final int n = rule.count();
            final int[] start = new int[ns + 1];
            for (int k = 0; k < n; k++) {
                start[rule.source(k) + 1]++;
            }
            for (int i = 0; i < ns; i++) {
                start[i + 1] += start[i];
            }
            final int[] fill = Arrays.copyOf(start, ns);
            final int[] pre = new int[n];
            final int[] post = new int[n];
            for (int k = 0; k < n; k++) {
                final int at = fill[rule.source(k)]++;
                pre[at] = rule.source(k);
                post[at] = rule.target(k);
            }
            return new Connectivity(start, pre, post);
        }
        final Map<String, Double> names = new HashMap<>(parameters);
        names.put("N_pre", (double) ns);
        names.put("N_post", (double) nt);
        final ValueEvaluator eval = new ValueEvaluator(names, random, what + ": the connection rule");
        final boolean always = rule.condition() instanceof ExprSpec.Num a && a.value() != 0.0;
        final boolean oneToOne = isOneToOne(rule.condition());
        final List<String> pnames = new ArrayList<>();
        names(rule.p(), pnames);
        final boolean pIsConstant = !pnames.contains("i") && !pnames.contains("j") && !hasRandom(rule.p());
        final double pConstant = pIsConstant ? eval.at(rule.p(), 0, 0) : Double.NaN;
        if (pIsConstant && !(pConstant >= 0 && pConstant <= 1)) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, what + ": the connection probability p = "
                    + rule.p().text() + " is " + pConstant + ", outside [0, 1]");
        }
        final int[] start = new int[ns + 1];
        final IntList pre = new IntList();
        final IntList post = new IntList();
        final Pairs pairs = new Pairs(eval, rule, pre, post, what);
        final ConnectSpec.Generator gen = rule.generator();
        if (gen != null && (names.containsKey(gen.variable()))) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, what + ": the generator's variable '" + gen.variable()
                    + "' is already a parameter's name; choose another");
        }
        for (int i = 0; i < ns; i++) {
            if (gen != null) {
                generate(eval, names, gen, i, nt, rule, pIsConstant, pConstant, pairs, what);
            } else if (oneToOne) {
                if (i < nt && take(eval, rule, pIsConstant, pConstant, i, i, what)) {
                    pairs.add(i, i);
                }
            } else if (always && pIsConstant && pConstant < 1) {
                // geometric jumps between successes: one draw per synapse instead of one per pair
                if (pConstant > 0) {
                    final double logq = Math.log1p(-pConstant);
                    int j = -1;
                    while (true) {
                        final double u = 1.0 - random.nextDouble();                    // in (0, 1]
                        final double jump = Math.floor(Math.log(u) / logq);
                        if (j + 1 + jump >= nt) {
                            break;
                        }
                        j += 1 + (int) jump;
                        pairs.add(i, j);
                    }
                }
            } else {
                for (int j = 0; j < nt; j++) {
                    if ((always || eval.at(rule.condition(), i, j) != 0.0)
                            && take(eval, rule, pIsConstant, pConstant, i, j, what)) {
                        pairs.add(i, j);
                    }
                }
            }
            if (pre.size > MAX_SYNAPSES) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, what + ": more than " + MAX_SYNAPSES + " synapses");
            }
            start[i + 1] = pre.size;
        }
        return new Connectivity(start, pre.toArray(), post.toArray());
    }

    /**
     * The targets of source {@code i} from a generator (Brian2's {@code j='EXPR for k in range(...) if COND'}): the
     * variable runs through the range in order; where the condition holds, the target is drawn with the rule's
     * probability and gets its synapses.
     */
    private static void generate(final ValueEvaluator eval, final Map<String, Double> names,
                                 final ConnectSpec.Generator gen, final int i, final int nt, final ConnectSpec rule,
                                 final boolean pIsConstant, final double pConstant, final Pairs pairs,
                                 final String what) {
        final double from = whole(eval.at(gen.from(), i, 0), "the start of range()", gen.from(), i, what);
        final double to = whole(eval.at(gen.to(), i, 0), "the end of range()", gen.to(), i, what);
        final double step = whole(eval.at(gen.step(), i, 0), "the step of range()", gen.step(), i, what);
        if (step == 0) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, what + ": the step of range() is 0 for i = " + i);
        }
        if (Math.abs((to - from) / step) > MAX_SYNAPSES) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, what + ": range(" + from + ", " + to + ", " + step
                    + ") for i = " + i + " has more than " + MAX_SYNAPSES + " values");
        }
        final boolean always = gen.condition() instanceof ExprSpec.Num c && c.value() != 0.0;
        for (double k = from; step > 0 ? k < to : k > to; k += step) {
            names.put(gen.variable(), k);
            if (!always && eval.at(gen.condition(), i, 0) == 0.0) {
                continue;
            }
            final double target = eval.at(gen.target(), i, 0);
            if (target != Math.rint(target) || target < 0 || target >= nt) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, what + ": the generator gives the target j = "
                        + target + " for i = " + i + ", " + gen.variable() + " = " + (long) k + ", outside the "
                        + nt + " targets (0 to " + (nt - 1) + "); leave it out with a condition: "
                        + "if " + gen.variable() + " >= 0 and " + gen.variable() + " < N_post");
            }
            final int j = (int) target;
            if (take(eval, rule, pIsConstant, pConstant, i, j, what)) {
                pairs.add(i, j);
            }
        }
        names.remove(gen.variable());
    }

    private static double whole(final double v, final String part, final ExprSpec e, final int i,
                                final String what) {
        if (v != Math.rint(v) || Double.isInfinite(v)) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, what + ": " + part + " " + e.text() + " is " + v
                    + " for i = " + i + ", not a whole number");
        }
        return v;
    }

    /** Adds the synapses of a connected pair: one, or {@code n(i, j)} (Brian2's {@code n}). */
    private static final class Pairs {
        private final ValueEvaluator eval;
        private final ConnectSpec rule;
        private final IntList pre;
        private final IntList post;
        private final String what;
        private final int constant;

        Pairs(final ValueEvaluator eval, final ConnectSpec rule, final IntList pre, final IntList post,
              final String what) {
            this.eval = eval;
            this.rule = rule;
            this.pre = pre;
            this.post = post;
            this.what = what;
            this.constant = rule.n() instanceof ExprSpec.Num c ? (int) c.value() : -1;
        }

        void add(final int i, final int j) {
            int count = constant;
            if (count < 0) {
                final double v = eval.at(rule.n(), i, j);
                if (v != Math.rint(v) || v < 0 || v > MAX_SYNAPSES) {
                    throw new OdeException(ErrorCode.INVALID_ARGUMENT, what + ": the number of synapses per pair n = "
                            + rule.n().text() + " is " + v + " for i = " + i + ", j = " + j + ", not a whole number "
                            + "from 0");
                }
                count = (int) v;
            }
            for (int c = 0; c < count; c++) {
                pre.add(i);
                post.add(j);
            }
        }
    }

    private static boolean take(final ValueEvaluator eval, final ConnectSpec rule, final boolean pIsConstant,
                                final double pConstant, final int i, final int j, final String what) {
        final double p = pIsConstant ? pConstant : eval.at(rule.p(), i, j);
        if (!(p >= 0 && p <= 1)) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, what + ": the connection probability p = "
                    + rule.p().text() + " is " + p + " for i = " + i + ", j = " + j + ", outside [0, 1]");
        }
        return p >= 1 || p > 0 && eval.draw() < p;
    }

    private static boolean isOneToOne(final ExprSpec c) {
        return c instanceof ExprSpec.Binary b && "==".equals(b.op()) && (b.left() instanceof ExprSpec.Name l
                && b.right() instanceof ExprSpec.Name r && ("i".equals(l.name()) && "j".equals(r.name())
                || "j".equals(l.name()) && "i".equals(r.name())));
    }

    private static boolean hasRandom(final ExprSpec e) {
        return e.text().contains("rand");
    }

    /** A growable int array for building. */
    private static final class IntList {
        int[] a = new int[1024];
        int size;

        void add(final int v) {
            if (size == a.length) {
                a = Arrays.copyOf(a, a.length * 2);
            }
            a[size++] = v;
        }

        int[] toArray() {
            return Arrays.copyOf(a, size);
        }
    }

    /**
     * The initial values of the synapse variables, in synapse order (per variable, per synapse; one generator).
     */
    static double[][] initialValues(final Checked c, final List<ValueSpec> values, final Connectivity conn,
                                    final Map<String, Double> parameters, final SplittableRandom random) {
        final List<SynapseVariableSpec> vars = c.spec().variables();
        final double[][] out = new double[vars.size()][];
        final Map<String, Double> names = new HashMap<>(parameters);
        names.put("N_pre", (double) c.sources());
        names.put("N_post", (double) c.targets());
        for (int v = 0; v < vars.size(); v++) {
            final int n = conn.pre().length;
            final double[] x = new double[n];
            final ValueSpec value = values.get(v);
            if (value instanceof ValueSpec.Values numbers) {
                if (numbers.size() != 1 && numbers.size() != n) {
                    throw new OdeException(ErrorCode.INVALID_ARGUMENT, "projection '" + c.spec().name() + "': "
                            + "synapse variable '" + vars.get(v).name() + "' has " + numbers.size() + " values for "
                            + n + " synapses");
                }
                for (int k = 0; k < n; k++) {
                    x[k] = numbers.get(numbers.size() == 1 ? 0 : k);
                }
            } else {
                final ValueEvaluator eval = new ValueEvaluator(names, random, "projection '" + c.spec().name()
                        + "': the value of synapse variable '" + vars.get(v).name() + "'");
                final ExprSpec e = ((ValueSpec.Expression) value).expression();
                for (int k = 0; k < n; k++) {
                    x[k] = eval.at(e, conn.pre()[k], conn.post()[k]);
                }
            }
            out[v] = x;
        }
        return out;
    }

    // ------------------------------------------------------------------ compiling

    /**
     * Compiles the projections of a model in one Janino call.
     *
     * @param checked          the checked projections, their delays resolved
     * @param conns            their synapses
     * @param initial          their synapse variables' initial values
     * @param modelName        the model's name (for messages and class names)
     * @param layout           the state layout
     * @param inputLayout      the input layout
     * @param parameterOffsets offsets of parameter arrays (unused for scalars)
     * @param pack             packs a run's parameters
     * @param parameters       the model's parameters
     * @param inputs           the model's default inputs
     * @return one projection per spec, in order
     */
    static List<Projection> compile(final List<Checked> checked, final List<Connectivity> conns,
                                    final List<double[][]> initial, final String modelName, final StateLayout layout,
                                    final StateLayout inputLayout, final Map<String, Integer> parameterOffsets,
                                    final Function<Parameters, double[]> pack, final Parameters parameters,
                                    final double[] inputs) {
        if (checked.isEmpty()) {
            return List.of();
        }
        final String outer = "Synapses" + COUNTER.incrementAndGet() + "_" + modelName.replaceAll("[^A-Za-z0-9_]",
                "_");
        final StringBuilder src = new StringBuilder();
        src.append("package org.neurode.generated;\n\n");
        src.append("/** Projections of model ").append(EventCompiler.comment(modelName)).append(". */\n");
        src.append("public final class ").append(outer).append(" {\n");
        for (int k = 0; k < checked.size(); k++) {
            emit(checked.get(k), new Layouts(layout, inputLayout), "S" + k, src);
        }
        src.append("}\n");
        final List<Constructor<? extends SynapseKernel>> constructors = JavaText.nested(modelName, outer,
                src.toString(), "S", checked.size(), SynapseKernel.class, double[].class, double[].class);
        final List<Projection> out = new ArrayList<>();
        for (int k = 0; k < checked.size(); k++) {
            final Checked c = checked.get(k);
            final String event = !c.sends() ? null : c.source().isSource() ? c.source().name() : c.spec().event();
            final List<String> delayNames = new ArrayList<>();
            names(c.spec().delay(), delayNames);
            final boolean perSynapse = delayNames.contains("i") || delayNames.contains("j")
                    || c.spec().variables().stream().anyMatch(v -> delayNames.contains(v.name()));
            double[][] init = initial.get(k);
            if (c.eventDriven()) {
                // the time of each synapse's last update (Brian2's lastupdate), 0 at the start
                init = Arrays.copyOf(init, init.length + 1);
                init[init.length - 1] = new double[conns.get(k).post().length];
            }
            final Post post = c.spec().onPost().isEmpty() ? null : Post.of(c.target().isSource() ? c.target().name()
                    : c.spec().postEvent(), c.targetFrom(), c.targets(), conns.get(k));
            final List<String> summedInputs = c.clock().summedTargets().stream().map(Ref::variable).toList();
            boolean usesStep = false;
            for (final Expr v : c.values()) {
                usesStep |= EventCompiler.uses(v, Nodes.Step.class);
            }
            for (final Expr v : c.postValues()) {
                usesStep |= EventCompiler.uses(v, Nodes.Step.class);
            }
            out.add(new CompiledProjection(c.spec().name(), event, c.sourceFrom(), c.sourceTo(),
                    c.spec().variables().stream().map(SynapseVariableSpec::name).toList(), conns.get(k),
                    init, constructors.get(k), pack, parameters, inputs, 0.0, perSynapse, post,
                    new Stepped(!c.clock().variables().isEmpty(), summedInputs), k, usesStep, 0L));
        }
        return out;
    }

    private static void emit(final Checked c, final Layouts layout, final String name, final StringBuilder src) {
        final ProjectionSpec p = c.spec();
        src.append("  /** projection ").append(EventCompiler.comment(p.name())).append(": ")
           .append(EventCompiler.comment(p.sourceText() + " -> " + p.targetText())).append(", on_pre ")
           .append(EventCompiler.comment(StatementSpec.text(p.onPre()))).append(" */\n");
        src.append("  public static final class ").append(name)
           .append(" extends org.neurode.core.expr.SynapseKernel {\n");
        src.append("    public ").append(name).append("(final double[] p, final double[] u) {\n")
           .append("      super(p, u);\n    }\n");
        final String body = body(c, layout, p.onPre(), c.assigned(), c.values());
        src.append("    public void col(final int j, final int from, final int to, final int[] syn, final int[] pre,")
           .append(" final double t, final double[] y, final double[][] s) {\n")
           .append("      for (int m = from; m < to; m++) {\n        final int k = syn[m];\n")
           .append("        final int i = pre[k];\n")
           .append(body(c, layout, p.onPost(), c.postAssigned(), c.postValues())).append("      }\n    }\n");
        src.append("    public void row(final int i, final int from, final int to, final int[] post, final double t,")
           .append(" final double[] y, final double[][] s) {\n")
           // all-to-all: the targets of a source are 0..N_post-1 in order, so the loop reads no index array and
           // runs over contiguous elements (which the JIT can vectorize)
           .append("      for (int k = from; k < to; k++) {\n        final int j = ")
           .append(ConnectSpec.ALL.equals(p.connect()) ? "k - from" : "post[k]").append(";\n")
           .append(body).append("      }\n    }\n");
        src.append("    public void one(final int k, final int i, final int j, final double t, final double[] y,")
           .append(" final double[][] s) {\n").append(body.toString().replace("\n        ", "\n      ")
           .replaceFirst("^        ", "      ")).append("    }\n");
        src.append("    public double delay(final int k, final int i, final int j, final double[][] s) {\n")
           .append("      return ").append(element(c, c.delay(), layout)).append(";\n    }\n");
        if (!c.clock().summedTargets().isEmpty()) {
            summed(c, layout, src);
        }
        if (!c.clock().variables().isEmpty()) {
            clock(c, layout, src);
        }
        src.append("  }\n");
    }

    /**
     * The summed variables: each target slice zeroed, then the expression of every synapse added to the element of
     * its target (source) member; Brian2's {@code bincount} over the synapses.
     */
    private static void summed(final Checked c, final Layouts layout, final StringBuilder src) {
        final Clock k = c.clock();
        src.append("    public void summed(final double t, final double[] y, final double[][] s, final int[] start,")
           .append(" final int[] post) {\n");
        for (int m = 0; m < k.summedTargets().size(); m++) {
            final Ref r = k.summedTargets().get(m);
            final boolean pre = r.side() == Side.PRE;
            final int from = layout.offset(r) + (pre ? c.sourceFrom() : c.targetFrom());
            src.append("      java.util.Arrays.fill(u, ").append(from).append(", ")
               .append(from + (pre ? c.sources() : c.targets())).append(", 0.0);\n");
        }
        src.append("      for (int i = 0; i < start.length - 1; i++) {\n")
           .append("       for (int k = start[i]; k < start[i + 1]; k++) {\n        final int j = post[k];\n");
        for (int m = 0; m < k.summedTargets().size(); m++) {
            src.append("        // ").append(EventCompiler.comment(c.spec().summed().get(m).text()))
               .append(" (summed)\n");
            src.append("        ").append(access(c, k.summedTargets().get(m), layout)).append(" += ")
               .append(element(c, k.summedValues().get(m), layout)).append(";\n");
        }
        src.append("       }\n      }\n    }\n");
    }

    /**
     * The clock-driven variables advanced by one step of length h from t: exactly if every equation is a linear
     * relaxation with constant coefficients (the factors computed once per step), else by forward Euler, every
     * derivative of a synapse computed before any of its variables changes.
     */
    private static void clock(final Checked c, final Layouts layout, final StringBuilder src) {
        final Clock k = c.clock();
        final List<SynapseVariableSpec> vars = c.spec().variables();
        src.append("    public void clock(final double t, final double h, final double[] y, final double[][] s,")
           .append(" final int[] start, final int[] post) {\n");
        if (k.exact() != null) {
            for (int m = 0; m < k.variables().size(); m++) {
                final Relaxation r = k.exact().get(m);
                if (r.tau() != null) {
                    src.append("      final double _e").append(m).append(" = Math.exp(-h / ")
                       .append(element(c, r.tau(), layout)).append(");\n");
                    src.append("      final double _inf").append(m).append(" = 0.0;\n");
                } else {
                    final String a = element(c, r.a(), layout);
                    src.append("      final double _e").append(m).append(" = Math.exp(").append(a)
                       .append(" * h);\n");
                    src.append("      final double _inf").append(m).append(" = ").append(r.b() == null ? "0.0"
                            : "-" + element(c, r.b(), layout) + " / " + a).append(";\n");
                }
            }
        }
        src.append("      for (int i = 0; i < start.length - 1; i++) {\n")
           .append("       for (int k = start[i]; k < start[i + 1]; k++) {\n        final int j = post[k];\n");
        for (int m = 0; m < k.variables().size(); m++) {
            final SynapseVariableSpec v = vars.get(k.variables().get(m));
            src.append("        // d").append(EventCompiler.comment(v.name())).append("/dt = ")
               .append(EventCompiler.comment(v.rate().text())).append(" (clock-driven, ")
               .append(k.exact() != null ? "exact" : "euler").append(")\n");
            if (k.exact() == null) {
                src.append("        final double _d").append(m).append(" = ")
                   .append(element(c, k.rates().get(m), layout)).append(";\n");
            }
        }
        for (int m = 0; m < k.variables().size(); m++) {
            final String x = "s[" + k.variables().get(m) + "][k]";
            if (k.exact() == null) {
                src.append("        ").append(x).append(" += h * _d").append(m).append(";\n");
            } else {
                src.append("        ").append(x).append(" = _inf").append(m).append(" + (").append(x)
                   .append(" - _inf").append(m).append(") * _e").append(m).append(";\n");
            }
        }
        src.append("       }\n      }\n    }\n");
    }

    /**
     * The statements of one pathway for synapse k: the event-driven variables brought up to date first (Brian2's
     * {@code X = X * exp(-(t - lastupdate) / tau)}, or the exact relaxation of {@link Relaxation}), the last-update
     * time set last.
     */
    private static String body(final Checked c, final Layouts layout, final List<StatementSpec> statements,
                               final List<Ref> assigned, final List<Expr> values) {
        final StringBuilder body = new StringBuilder();
        final int last = c.spec().variables().size();
        if (c.eventDriven()) {
            body.append("        final double _elapsed = t - s[").append(last).append("][k];\n");
            for (int v = 0; v < last; v++) {
                final Relaxation r = c.taus().get(v);
                if (r != null) {
                    body.append("        // d").append(EventCompiler.comment(c.spec().variables().get(v).name()))
                        .append("/dt = ").append(EventCompiler.comment(c.spec().variables().get(v).rate().text()))
                        .append(" (event-driven)\n");
                    if (r.tau() != null) {
                        body.append("        s[").append(v).append("][k] = s[").append(v)
                            .append("][k] * Math.exp(-_elapsed / ").append(element(c, r.tau(), layout)).append(");\n");
                    } else {
                        // exact: X_inf + (X - X_inf) e^(a elapsed), X_inf = -b / a
                        final String a = element(c, r.a(), layout);
                        final String inf = r.b() == null ? "0.0" : "(-" + element(c, r.b(), layout) + " / " + a + ")";
                        body.append("        { final double _inf = ").append(inf).append("; s[").append(v)
                            .append("][k] = _inf + (s[").append(v).append("][k] - _inf) * Math.exp(")
                            .append(a).append(" * _elapsed); }\n");
                    }
                }
            }
        }
        for (int s = 0; s < statements.size(); s++) {
            final StatementSpec st = statements.get(s);
            body.append("        // ").append(EventCompiler.comment(st.text())).append('\n');
            body.append("        ").append(access(c, assigned.get(s), layout)).append(' ').append(st.op())
                .append(' ').append(element(c, values.get(s), layout)).append(";\n");
        }
        if (c.eventDriven()) {
            body.append("        s[").append(last).append("][k] = t;\n");
        }
        return body.toString();
    }

    /** The state layout and the input layout: where the variables of populations live. */
    record Layouts(StateLayout state, StateLayout inputs) {
        /** @return the array of the variable: {@code y} for a state, {@code u} for an input */
        String array(final Ref r) {
            return r.input() ? "u" : "y";
        }

        /** @return the variable's offset in its array */
        int offset(final Ref r) {
            return (r.input() ? inputs : state).block(r.variable()).offset();
        }
    }

    /** Java source of the element a reference denotes for synapse k (source i, target j). */
    private static String access(final Checked c, final Ref r, final Layouts layout) {
        return switch (r.side()) {
            case SYNAPSE -> "s[" + r.index() + "][k]";
            case PRE -> layout.array(r) + "[" + (layout.offset(r) + c.sourceFrom()) + " + i]";
            case POST -> layout.array(r) + "[" + (layout.offset(r) + c.targetFrom()) + " + j]";
            case INDEX_I -> "((double) i)";
            case INDEX_J -> "((double) j)";
        };
    }

    private static String element(final Checked c, final Expr e, final Layouts layout) {
        if (e instanceof Var v) {
            final Ref r = c.refs().get(v.name());
            if (r == null) {
                throw Nodes.unsupported(e);
            }
            return access(c, r, layout);
        }
        if (e instanceof Nodes.Const k) {
            return "(" + Double.toString(k.value) + ")";
        }
        if (e instanceof Nodes.Time) {
            return "t";
        }
        if (e instanceof Nodes.Step) {
            return "dt";
        }
        if (e instanceof Nodes.Random r) {
            return r.normal ? "randn()" : "rand()";
        }
        if (e instanceof Nodes.Param q) {
            return "p[" + q.index + "]";
        }
        if (e instanceof Nodes.Where w) {
            return "(" + element(c, w.condition, layout) + " != 0.0 ? " + element(c, w.a, layout) + " : "
                    + element(c, w.b, layout) + ")";
        }
        if (e instanceof Nodes.Unary u) {
            return JavaText.unary(u.fn, element(c, u.arg, layout), e);
        }
        if (e instanceof Nodes.Binary b) {
            return JavaText.binary(b.op, element(c, b.a, layout), element(c, b.b, layout), e);
        }
        throw new OdeException(ErrorCode.INVALID_ARGUMENT, "projection '" + c.spec().name() + "': '" + e.text()
                + "' is not available in on_pre statements (they compute one synapse at a time: numbers, scalar "
                + "parameters, synapse variables, x_pre, x_post, i, j, t and element-wise functions)");
    }

    // ------------------------------------------------------------------ run time

    /**
     * A projection at run time: synapses by source, the kernel bound to a run, the run's synapse variables and its
     * spike queue. Delays are whole steps ({@code round(delay / step)}, as Brian2 rounds them); a queue of
     * {@code D + 1} slots holds, per step, the sources whose spikes are due (one delay for all synapses) or the
     * synapses (a delay per synapse).
     */
    /**
     * The synapses by target for {@code on_post}: {@code syn[start[j]]} to {@code syn[start[j + 1] - 1]} are those
     * of target j, in synapse order.
     */
    record Post(String event, int targetFrom, int[] start, int[] syn) {
        static Post of(final String event, final int targetFrom, final int targets, final Connectivity conn) {
            final int[] post = conn.post();
            final int[] start = new int[targets + 1];
            for (final int j : post) {
                start[j + 1]++;
            }
            for (int j = 0; j < targets; j++) {
                start[j + 1] += start[j];
            }
            final int[] fill = Arrays.copyOf(start, targets);
            final int[] syn = new int[post.length];
            for (int k = 0; k < post.length; k++) {
                syn[fill[post[k]]++] = k;
            }
            return new Post(event, targetFrom, start, syn);
        }
    }

    /**
     * What a projection computes at every step: clock-driven variables ({@code clock}) and the inputs its summed
     * variables set.
     */
    record Stepped(boolean clock, List<String> summedInputs) {
        boolean any() {
            return clock || !summedInputs.isEmpty();
        }
    }

    static final class CompiledProjection implements Projection {
        private final Stepped stepped;
        /** The synapses by target, or null without on_post statements. */
        private final Post post;
        private final String name;
        /** True if the delay uses i, j or synapse variables (else it is evaluated once). */
        private final boolean perSynapse;
        private final String event;
        private final int sourceFrom;
        private final int sourceTo;
        private final List<String> variableNames;
        private final Connectivity conn;
        private final double[][] initial;
        private final Constructor<? extends SynapseKernel> constructor;
        private final Function<Parameters, double[]> pack;
        private final SynapseKernel kernel;
        private final double[][] s;
        private final boolean delayed;
        /** The step of the queue (time unit), 0 for none. */
        private final double step;
        /** One delay in steps for all synapses, or -1 if they differ. */
        private final int commonDelay;
        /** Per synapse, its delay in steps (only if they differ). */
        private final int[] delays;
        private final int[][] slots;
        private final int[] counts;
        /** The projection's position among the projections of its model (mixed into its generator's seed). */
        private final int position;
        /** True if its statements read the step length {@code dt}. */
        private final boolean usesStep;

        CompiledProjection(final String name, final String event, final int sourceFrom, final int sourceTo,
                           final List<String> variableNames, final Connectivity conn, final double[][] initial,
                           final Constructor<? extends SynapseKernel> constructor,
                           final Function<Parameters, double[]> pack, final Parameters parameters,
                           final double[] inputs, final double step, final boolean perSynapse, final Post post,
                           final Stepped stepped, final int position, final boolean usesStep, final long seed) {
            this.name = name;
            this.position = position;
            this.usesStep = usesStep;
            this.stepped = stepped;
            this.post = post;
            this.perSynapse = perSynapse;
            this.event = event;
            this.sourceFrom = sourceFrom;
            this.sourceTo = sourceTo;
            this.variableNames = variableNames;
            this.conn = conn;
            this.initial = initial;
            this.constructor = constructor;
            this.pack = pack;
            try {
                this.kernel = constructor.newInstance(pack.apply(parameters), inputs);
            } catch (InstantiationException | IllegalAccessException | InvocationTargetException e) {
                throw new OdeException(e, ErrorCode.COMPILATION_FAILED, constructor.getDeclaringClass().getName(),
                        e.toString());
            }
            // projections' streams are salted apart from events' (~position)
            kernel.start(EventCompiler.seed(seed, ~(long) position), step > 0 ? step : Double.NaN);
            this.s = new double[initial.length][];
            for (int v = 0; v < initial.length; v++) {
                s[v] = initial[v].clone();
            }
            final int n = conn.post().length;
            double max = 0.0;
            boolean same = true;
            final double[] d = perSynapse ? new double[n] : null;
            if (perSynapse) {
                for (int k = 0; k < n; k++) {
                    d[k] = kernel.delay(k, conn.pre()[k], conn.post()[k], s);
                    if (!(d[k] >= 0) || Double.isInfinite(d[k])) {
                        throw new OdeException(ErrorCode.INVALID_ARGUMENT, "projection '" + name + "': the delay of "
                                + "synapse " + k + " (i = " + conn.pre()[k] + ", j = " + conn.post()[k] + ") is "
                                + d[k] + "; a delay must be a finite number that is not negative");
                    }
                    max = Math.max(max, d[k]);
                    same &= d[k] == d[0];
                }
            } else {
                // one delay for all synapses (numbers and parameters): evaluated once
                max = kernel.delay(0, 0, 0, s);
                if (!(max >= 0) || Double.isInfinite(max)) {
                    throw new OdeException(ErrorCode.INVALID_ARGUMENT, "projection '" + name + "': the delay is "
                            + max + "; a delay must be a finite number that is not negative");
                }
            }
            this.delayed = max > 0;
            this.step = step;
            if (!delayed || step <= 0) {
                this.commonDelay = 0;
                this.delays = null;
                this.slots = null;
                this.counts = null;
                return;
            }
            final int maxSteps = (int) Math.round(max / step);
            final int size = maxSteps + 1;
            this.counts = new int[size];
            this.slots = new int[size][];
            if (same) {
                this.commonDelay = maxSteps;
                this.delays = null;
                for (int k = 0; k < size; k++) {
                    slots[k] = new int[sourceTo - sourceFrom];
                }
            } else {
                this.commonDelay = -1;
                this.delays = new int[n];
                for (int k = 0; k < n; k++) {
                    delays[k] = (int) Math.round(d[k] / step);
                }
                for (int k = 0; k < size; k++) {
                    slots[k] = new int[Math.max(16, 2 * n / size)];
                }
            }
        }

        @Override
        public Projection bind(final Parameters parameters, final double[] inputs, final double fixedStep) {
            return bind(parameters, inputs, fixedStep, 0L);
        }

        @Override
        public Projection bind(final Parameters parameters, final double[] inputs, final double fixedStep,
                               final long seed) {
            if (usesStep && !(fixedStep > 0)) {
                throw EventCompiler.dtNeedsFixedStep("projection '" + name + "'");
            }
            if (stepped.any() && fixedStep <= 0) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "an adaptive solver cannot run projection '" + name
                        + "': it has " + (stepped.clock() ? "clock-driven synapse variables" : "summed variables")
                        + ", which are computed at every step of a fixed-step solver (give a step, e.g. euler with "
                        + "--dt)");
            }
            final CompiledProjection p = new CompiledProjection(name, event, sourceFrom, sourceTo, variableNames,
                    conn, initial, constructor, pack, parameters, inputs, fixedStep, perSynapse, post, stepped,
                    position, usesStep, seed);
            if (p.delayed && fixedStep <= 0) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "an adaptive solver cannot run projection '" + name
                        + "': it has transmission delays, which need a fixed-step solver (give a step, e.g. euler with "
                        + "--dt)");
            }
            return p;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean stepped() {
            return stepped.any();
        }

        @Override
        public List<String> summedInputs() {
            return stepped.summedInputs();
        }

        @Override
        public void beforeStep(final double t, final double[] y) {
            if (!stepped.summedInputs().isEmpty()) {
                kernel.summed(t, y, s, conn.start(), conn.post());
            }
        }

        @Override
        public void afterStep(final double t, final double h, final double[] y) {
            if (stepped.clock()) {
                kernel.clock(t, h, y, s, conn.start(), conn.post());
            }
        }

        @Override
        public String sourceEvent() {
            return event;
        }

        @Override
        public String targetEvent() {
            return post == null ? null : post.event();
        }

        @Override
        public void postSpike(final int member, final double t, final double[] y) {
            final int j = member - post.targetFrom();
            if (j < 0 || j >= post.start().length - 1) {
                return;
            }
            kernel.col(j, post.start()[j], post.start()[j + 1], post.syn(), conn.pre(), t, y, s);
        }

        @Override
        public double[] values(final String variable) {
            final int v = variableNames.indexOf(variable);
            return v < 0 ? null : s[v].clone();
        }

        @Override
        public void reseed(final long seed) {
            kernel.reseed(EventCompiler.seed(seed, ~(long) position));
        }

        @Override
        public boolean setValues(final String variable, final double[] from) {
            final int v = variableNames.indexOf(variable);
            if (v < 0) {
                return false;
            }
            if (from.length != s[v].length) {
                throw new IllegalArgumentException("projection '" + name + "': " + from.length + " values for '"
                        + variable + "', which has one per synapse (" + s[v].length + ")");
            }
            System.arraycopy(from, 0, s[v], 0, from.length);
            return true;
        }

        @Override
        public List<String> variables() {
            return java.util.Collections.unmodifiableList(variableNames);
        }

        @Override
        public double value(final int variable, final int synapse) {
            return s[variable][synapse];
        }

        @Override
        public int synapses() {
            return conn.post().length;
        }

        @Override
        public int source(final int k) {
            return conn.pre()[k];
        }

        @Override
        public int target(final int k) {
            return conn.post()[k];
        }

        @Override
        public boolean delayed() {
            return delayed;
        }

        @Override
        public double[] initialValues(final String variable) {
            final int v = variableNames.indexOf(variable);
            return v < 0 ? null : initial[v].clone();
        }

        /** The ring slot of the step starting at t. */
        private int slot(final double t, final int ahead) {
            return (int) Math.floorMod(Math.round(t / step) + ahead, (long) counts.length);
        }

        @Override
        public void spike(final int member, final double t, final double[] y) {
            if (member < sourceFrom || member >= sourceTo) {
                return;
            }
            final int i = member - sourceFrom;
            final int[] start = conn.start();
            if (counts == null || commonDelay == 0) {
                kernel.row(i, start[i], start[i + 1], conn.post(), t, y, s);
            } else if (commonDelay > 0) {
                final int q = slot(t, commonDelay);
                slots[q][counts[q]++] = i;
            } else {
                for (int k = start[i]; k < start[i + 1]; k++) {
                    final int q = slot(t, delays[k]);
                    if (counts[q] == slots[q].length) {
                        slots[q] = Arrays.copyOf(slots[q], 2 * slots[q].length);      // amortised: rare
                    }
                    slots[q][counts[q]++] = k;
                }
            }
        }

        @Override
        public boolean deliver(final double t, final double[] y) {
            if (counts == null) {
                return false;
            }
            final int q = slot(t, 0);
            final int c = counts[q];
            if (c == 0) {
                return false;
            }
            final int[] due = slots[q];
            final int[] start = conn.start();
            if (commonDelay >= 0) {
                for (int m = 0; m < c; m++) {
                    final int i = due[m];
                    kernel.row(i, start[i], start[i + 1], conn.post(), t, y, s);
                }
            } else {
                for (int m = 0; m < c; m++) {
                    final int k = due[m];
                    kernel.one(k, conn.pre()[k], conn.post()[k], t, y, s);
                }
            }
            counts[q] = 0;
            return true;
        }


        @Override
        public String toString() {
            return "projection '" + name + "' (" + synapses() + " synapses)";
        }
    }
}
