package org.neurode.models;

import org.neurode.core.Model;
import org.neurode.core.expr.ModelBuilder;
import org.neurode.core.spec.ExprSpec;
import org.neurode.core.spec.ModelSpec;
import org.neurode.core.spec.ParameterSpec;
import org.neurode.core.spec.ValueSpec;
import org.neurode.core.spec.VariableSpec;

/**
 * A rate-based population of three-compartment pyramidal neurons (soma {@code u}, basal dendrite
 * {@code vB}, apical dendrite {@code vA}) whose basal weights {@code W} learn by dendritic prediction of
 * somatic activity (Urbanczik and Senn 2014, Neuron 81:521; the compartments of Sacramento et al. 2018):
 * <pre>
 *   tau_D dvB/dt = -vB + W @ x                        (basal: feedforward input rates x)
 *   tau_D dvA/dt = -vA + a                            (apical: top-down input a)
 *   C     du/dt  = -gL u + gB (vB - u) + gA (vA - u)
 *   dW/dt        = eta (phi(u) - phi(vHat)) x^T,   vHat = gB/(gL+gB+gA) vB,   phi = softplus
 * </pre>
 * Plastic weights are ordinary state, integrated with the neurons. Units: ms, mV (potentials relative to
 * rest), rates dimensionless. The model is two fragments: the neurons ({@link #compartments}) and the learning
 * rule of their basal weights ({@link #basalPlasticity}).
 *
 * @since 0.1
 */
public final class ThreeCompartmentPopulation {

    private static final ExprSpec BASAL = ExprSpec.parse("(W @ x - vB) / tau_D");
    private static final ExprSpec APICAL = ExprSpec.parse("(a - vA) / tau_D");
    private static final ExprSpec SOMA = ExprSpec.parse("(-gL * u + gB * (vB - u) + gA * (vA - u)) / C");
    /** The soma's prediction from the basal input. */
    private static final ExprSpec PREDICTION = ExprSpec.parse("gB / (gL + gB + gA) * vB");
    /** Dendritic prediction of somatic activity (Urbanczik and Senn 2014). */
    private static final ExprSpec URBANCZIK_SENN = ExprSpec.parse("eta * outer(softplus(u) - softplus(vHat), x)");

    private ThreeCompartmentPopulation() {
    }

    /**
     * @param n       population size
     * @param inputs  number of feedforward inputs
     * @param eta     learning rate (1/ms)
     * @param weights initial weights, row-major n x inputs (copied)
     * @return the model; inputs {@code x} (n inputs) and {@code a} (n)
     */
    public static Model create(final int n, final int inputs, final double eta, final double[] weights) {
        return ModelBuilder.named("three-compartment")
                .add(compartments(n, inputs, weights))
                .add(basalPlasticity(eta))
                .build();
    }

    /**
     * The neurons: inputs {@code x} (rates) and {@code a} (top-down, mV), basal, apical and somatic potentials
     * {@code vB}, {@code vA}, {@code u} (mV), the basal weights {@code W} (constant unless a learning rule is
     * added) and the conductances.
     *
     * @param n       population size
     * @param inputs  number of feedforward inputs
     * @param weights initial weights, row-major n x inputs (copied)
     * @return the fragment
     * @since 0.3
     */
    public static ModelSpec compartments(final int n, final int inputs, final double[] weights) {
        return ModelSpec.fragment("three compartments")
                .withVariable(VariableSpec.input("x", inputs, 1, "1"))
                .withVariable(VariableSpec.input("a", n, 1, "mV"))
                .withVariable(VariableSpec.state("vB", n, 1, "mV"))
                .withVariable(VariableSpec.state("vA", n, 1, "mV"))
                .withVariable(VariableSpec.state("u", n, 1, "mV"))
                .withVariable(VariableSpec.state("W", n, inputs, "1").withInitial(new ValueSpec.Values(weights))
                        .withScale(0.1))
                .withParameter(ParameterSpec.scalar("gL", 0.1))
                .withParameter(ParameterSpec.scalar("gB", 1.0))
                .withParameter(ParameterSpec.scalar("gA", 0.8))
                .withParameter(ParameterSpec.scalar("C", 1.0))
                .withParameter(ParameterSpec.scalar("tau_D", 2.0))
                .withEquation("vB", BASAL)
                .withEquation("vA", APICAL)
                .withEquation("u", SOMA);
    }

    /**
     * The learning rule of the basal weights: dW/dt = eta (phi(u) - phi(vHat)) x^T with the prediction
     * vHat = gB / (gL + gB + gA) vB and phi = softplus.
     *
     * @param eta learning rate (1/ms)
     * @return the fragment (for a model with the {@link #compartments})
     * @since 0.3
     */
    public static ModelSpec basalPlasticity(final double eta) {
        return ModelSpec.fragment("basal plasticity")
                .withParameter(ParameterSpec.scalar("eta", eta))
                .withLet("vHat", PREDICTION)
                .withEquation("W", URBANCZIK_SENN);
    }
}
