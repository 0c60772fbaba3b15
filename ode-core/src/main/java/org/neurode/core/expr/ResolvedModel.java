package org.neurode.core.expr;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;
import org.neurode.core.StateLayout;
import org.neurode.core.spec.EquationSpec;
import org.neurode.core.spec.LetSpec;
import org.neurode.core.spec.ModelSpec;
import org.neurode.core.spec.ParameterSpec;
import org.neurode.core.spec.VariableKind;
import org.neurode.core.spec.VariableSpec;

/**
 * The shape pass of the compiler ({@link EquationCompiler} lists the passes): it takes a model specification and
 * gives its storage and its equations as expression trees. The declarations become a state layout (the variables
 * with an equation), an input layout and the offsets of the parameter arrays in {@code p}; the names in the
 * equations and {@code let}s are resolved ({@link Resolver}) to the variables, inputs and parameter arrays
 * ({@link Var}), the scalar parameters (indices in declaration order) and named subexpressions, and their shapes
 * are checked. The result is immutable: the later passes read it and keep their own state.
 *
 * <p>Units are not looked at here: they are checked earlier, by {@link org.neurode.core.units.UnitCheck} (run
 * by the {@link ModelBuilder} before it compiles).
 *
 * @param name             the model name
 * @param layout           the state layout, in declaration order, aligned to 8 elements
 * @param inputLayout      the input layout, in declaration order, aligned to 8 elements
 * @param parameterOffsets offset of each parameter array in {@code p}, in declaration order: after one slot per
 *                         parameter (the scalars' values), each array aligned to 8 elements if it has at least 8
 * @param parameterArrays  the parameter arrays, in declaration order
 * @param parameterLength  length of {@code p}
 * @param odes             block name to right-hand side, for every state block
 */
record ResolvedModel(String name, StateLayout layout, StateLayout inputLayout, Map<String, Integer> parameterOffsets,
                     List<Var> parameterArrays, int parameterLength, Map<String, Expr> odes) {

    /**
     * Resolves and shape-checks a specification.
     *
     * @param spec the model, as checked by a {@link ModelBuilder}
     * @return its layouts and resolved equations
     * @throws OdeException if a name is unknown, a shape does not match, a state has no equation or the
     *                      parameters have too many elements
     */
    static ResolvedModel of(final ModelSpec spec) {
        final Map<String, Expr> symbols = new LinkedHashMap<>();
        final Set<String> withEquation = new HashSet<>();
        for (final EquationSpec e : spec.equations()) {
            withEquation.add(e.variable());
        }
        for (final VariableSpec v : spec.variables()) {
            final boolean input = v.kind() == VariableKind.INPUT;
            if (!input && !withEquation.contains(v.name())) {
                throw new OdeException(ErrorCode.MISSING_EQUATION, v.name());
            }
            symbols.put(v.name(), new Var(v.name(), v.rows(), v.cols(), v.unit(),
                                          input ? Var.Role.INPUT : Var.Role.STATE));
        }
        final List<ParameterSpec> parameters = spec.parameters();
        final Map<String, Integer> offsets = new LinkedHashMap<>();
        final List<Var> arrays = new ArrayList<>();
        long at = parameters.size();
        for (int i = 0; i < parameters.size(); i++) {
            final ParameterSpec p = parameters.get(i);
            if (p.rows() == 1 && p.cols() == 1) {
                symbols.put(p.name(), new Nodes.Param(p.name(), i));
                continue;
            }
            final long size = (long) p.rows() * p.cols();
            if (size >= 8) {
                at = (at + 7) / 8 * 8;
            }
            offsets.put(p.name(), (int) at);
            at += size;
            if (at > ModelBuilder.MAX_ELEMENTS) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "the parameters of model '" + spec.name()
                        + "' have more than " + ModelBuilder.MAX_ELEMENTS + " elements in all");
            }
            final Var array = new Var(p.name(), p.rows(), p.cols(), p.unit(), Var.Role.PARAMETER);
            arrays.add(array);
            symbols.put(p.name(), array);
        }
        // one resolver for the whole model: a part shared by several expressions stays shared
        final Resolver resolver = new Resolver(symbols);
        for (final LetSpec l : spec.lets()) {
            final Expr body = resolver.forBlock(-1, -1).resolve(l.body(), "named subexpression '" + l.name()
                    + "' of model '" + spec.name() + "'");
            symbols.put(l.name(), new Nodes.Let(l.name(), body));
        }
        final Map<String, Expr> odes = new HashMap<>();
        for (final EquationSpec e : spec.equations()) {
            final Expr target = symbols.get(e.variable());
            if (target instanceof Var tv) {
                resolver.forBlock(tv.rows(), tv.cols());
            } else {
                resolver.forBlock(-1, -1);
            }
            final Expr rhs = resolver.resolve(e.rhs(), "the equation of '" + e.variable() + "' of model '"
                    + spec.name() + "'");
            final Expr v = symbols.get(e.variable());
            if (!(v instanceof Var var) || !var.isState()) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "model '" + spec.name() + "' has an equation "
                        + "for '" + e.variable() + "', which is not a state variable");
            }
            if (!rhs.isScalar() && (rhs.rows() != v.rows() || rhs.cols() != v.cols())) {
                throw new OdeException(ErrorCode.SHAPE_MISMATCH, "equation of '" + e.variable() + "'", v.shape(),
                                       rhs.shape(), "d" + e.variable() + "/dt = " + rhs.text());
            }
            odes.put(e.variable(), rhs);
        }
        return new ResolvedModel(spec.name(), layout(spec), inputLayout(spec), Collections.unmodifiableMap(offsets),
                                 List.copyOf(arrays), (int) Math.max(1, at), Collections.unmodifiableMap(odes));
    }

    /**
     * The state layout of a specification: its state variables (those with an equation; inputs are not
     * integrated) in declaration order, each block of at least 8 elements starting at a multiple of 8.
     *
     * @param spec the model
     * @return the layout
     */
    static StateLayout layout(final ModelSpec spec) {
        return layout(spec, false);
    }

    /**
     * The input layout of a specification: its inputs in declaration order, aligned like the state.
     *
     * @param spec the model
     * @return the layout of the input buffer
     */
    static StateLayout inputLayout(final ModelSpec spec) {
        return layout(spec, true);
    }

    private static StateLayout layout(final ModelSpec spec, final boolean inputs) {
        final StateLayout.Builder lb = StateLayout.builder().align(8);
        for (final VariableSpec v : spec.variables()) {
            if ((v.kind() == VariableKind.INPUT) != inputs) {
                continue;
            }
            final StateLayout.Kind kind = v.cols() > 1 ? StateLayout.Kind.MATRIX
                    : v.rows() > 1 ? StateLayout.Kind.VECTOR : StateLayout.Kind.SCALAR;
            lb.add(v.name(), kind, v.rows(), v.cols(), v.unit(), v.scale(), inputs);
        }
        return lb.build();
    }
}
