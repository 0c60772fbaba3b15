package org.neurode.models;

import org.neurode.core.Model;
import org.neurode.core.expr.ModelBuilder;
import org.neurode.core.expr.Var;

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
 * rest), rates dimensionless.
 *
 * @since 0.1
 */
public final class ThreeCompartmentPopulation {

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
        final ModelBuilder b = ModelBuilder.named("three-compartment");
        final Var x = b.input("x", inputs, "1");
        final Var a = b.input("a", n, "mV");
        final Var vB = b.vector("vB", n, "mV");
        final Var vA = b.vector("vA", n, "mV");
        final Var u = b.vector("u", n, "mV");
        final Var w = b.matrix("W", n, inputs, "1");
        b.param("gL", 0.1);
        b.param("gB", 1.0);
        b.param("gA", 0.8);
        b.param("C", 1.0);
        b.param("tau_D", 2.0);
        b.param("eta", eta);
        b.ode(vB, "(W @ x - vB) / tau_D");
        b.ode(vA, "(a - vA) / tau_D");
        b.ode(u, "(-gL * u + gB * (vB - u) + gA * (vA - u)) / C");
        b.let("vHat", "gB / (gL + gB + gA) * vB");
        b.ode(w, "eta * outer(softplus(u) - softplus(vHat), x)");
        b.initial(w, weights).scale(w, 0.1).scale(u, 1.0);
        return b.build();
    }
}
