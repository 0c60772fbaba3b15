package org.neurode.examples.bench;

import java.util.SplittableRandom;

import org.neurode.core.Model;
import org.neurode.core.expr.ModelBuilder;
import org.neurode.core.expr.ModelFile;
import org.neurode.core.expr.Var;

/**
 * Brian2's rate and dendritic-plasticity benchmark networks written with {@link ModelBuilder} (the same
 * equations and sizes as the Brian2 2.5.1 scripts whose timings {@link Benchmarks} quotes; time in ms).
 * Their random initial values come from {@link SplittableRandom} with the given seed, so the numbers differ
 * from Brian2's and only the timings compare. Constant per-neuron values (weights of the rate network,
 * frequencies and phases of the inputs) are inputs: blocks that are set, not integrated.
 */
public final class Brian2Models {

    private Brian2Models() {
    }

    /**
     * Brian2's {@code rate} model: N rate neurons, all-to-all: \( \tau r' = -r + \tanh(W r + I_{ext}) \),
     * \( \tau = 10 \) ms, \( W_{ij} = g\,\xi_{ij}/\sqrt N \) with \( g = 1.5 \), \( I_{ext} = 0.1\,\xi \) and
     * \( r(0) \) uniform in [-0.5, 0.5) (\( \xi \) standard normal). Brian2 integrates it with RK4.
     *
     * @param n    neurons (Brian2: 100)
     * @param seed seed of the random initial values
     * @return the model: state {@code r}, inputs {@code W} (n x n) and {@code I_ext}
     */
    public static Model rate(final int n, final long seed) {
        final ModelBuilder b = ModelBuilder.named("brian2-rate");
        final Var w = b.input("W", n, n, "1");
        final Var ext = b.input("I_ext", n, "1");
        final Var r = b.vector("r", n, "1");
        b.param("tau", 10.0);
        b.ode(r, "(-r + tanh(W @ r + I_ext)) / tau");
        final SplittableRandom random = new SplittableRandom(seed);
        final double[] weights = new double[n * n];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = 1.5 * random.nextGaussian() / Math.sqrt(n);
        }
        final double[] drives = new double[n];
        final double[] r0 = new double[n];
        for (int i = 0; i < n; i++) {
            drives[i] = 0.1 * random.nextGaussian();
            r0[i] = random.nextDouble() - 0.5;
        }
        return b.initial(w, weights).initial(ext, drives).initial(r, r0).build();
    }

    /**
     * Brian2's {@code dend} model: {@code nIn} sinusoidal rate inputs filtered into PSPs, \( \tau_s\,psp' =
     * -psp + \tfrac12(1 + \sin(2\pi f t + \phi)) \) (\( \tau_s = 3 \) ms, f uniform in 2-10 Hz, \( \phi \)
     * uniform in \( [0, 2\pi) \)), onto N three-compartment neurons, \( C u' = -g_L u + g_B (v_b - u) + g_A
     * (v_a - u) \) per ms, \( \tau_d v_b' = -v_b + W\,psp \) (\( \tau_d = 10 \) ms), apical drive \( v_a =
     * \tfrac12 \sin(2\pi \cdot 3\,\text{Hz}\, t + 0.1 i) \); every synapse plastic (Urbanczik-Senn-like):
     * \( W' = \eta\,(\sigma(u) - \sigma(v_b^*))\,psp^T \), \( v_b^* = g_B v_b/(g_L + g_B + g_A) \), \( \eta =
     * 0.01 \) /s, \( W(0) = 0.1\,\xi \). C = 1, g_L = 0.1, g_B = 1, g_A = 0.8. Brian2 integrates it with forward
     * Euler.
     *
     * @param nIn  inputs (Brian2: 100)
     * @param n    neurons (Brian2: 100; n x nIn plastic synapses)
     * @param seed seed of the random initial values
     * @return the model: states {@code psp}, {@code u}, {@code vb}, {@code W} (n x nIn); inputs {@code f}
     *         (kHz), {@code phase} and {@code apicalPhase}
     */
    public static Model dend(final int nIn, final int n, final long seed) {
        final ModelBuilder b = ModelBuilder.named("brian2-dend");
        final Var f = b.input("f", nIn, "1");
        final Var phase = b.input("phase", nIn, "1");
        final Var apicalPhase = b.input("apicalPhase", n, "1");
        final Var psp = b.vector("psp", nIn, "1");
        final Var u = b.vector("u", n, "1");
        final Var vb = b.vector("vb", n, "1");
        final Var w = b.matrix("W", n, nIn, "1");
        b.param("tau_s", 3.0);
        b.param("tau_d", 10.0);
        b.param("C", 1.0);
        b.param("gL", 0.1);
        b.param("gB", 1.0);
        b.param("gA", 0.8);
        b.param("eta", 1e-5);
        b.param("twoPi", 2 * Math.PI);
        b.let("rate", "0.5 * (1 + sin(twoPi * f * t + phase))");
        b.let("va", "0.5 * sin(twoPi * 0.003 * t + apicalPhase)");
        b.let("vbStar", "gB / (gL + gB + gA) * vb");
        b.ode(psp, "(-psp + rate) / tau_s");
        b.ode(u, "(-gL * u + gB * (vb - u) + gA * (va - u)) / C");
        b.ode(vb, "(-vb + W @ psp) / tau_d");
        b.ode(w, "eta * outer(sigmoid(u) - sigmoid(vbStar), psp)");
        final SplittableRandom random = new SplittableRandom(seed);
        final double[] freq = new double[nIn];
        final double[] phi = new double[nIn];
        for (int i = 0; i < nIn; i++) {
            // 2 Hz + 8 Hz * rand(), in cycles per ms
            freq[i] = (2.0 + 8.0 * random.nextDouble()) / 1000.0;
            phi[i] = 2 * Math.PI * random.nextDouble();
        }
        final double[] apical = new double[n];
        for (int i = 0; i < n; i++) {
            apical[i] = 0.1 * i;
        }
        final double[] w0 = new double[n * nIn];
        for (int i = 0; i < w0.length; i++) {
            w0[i] = 0.1 * random.nextGaussian();
        }
        return b.initial(f, freq).initial(phase, phi).initial(apicalPhase, apical).initial(w, w0).build();
    }

    /**
     * The CUBA benchmark network (Brette et al. 2007, J Comput Neurosci 23:349; Brian2's {@code CUBA.py}, as
     * {@code examples/models/cuba.ode}) in the model language, resized: {@code n} leaky integrate-and-fire neurons,
     * the first 80% excitatory, each pair connected with probability {@code p}, current-based exponential synapses
     * whose jumps are Brian2's (1.62 mV and -9 mV) times {@code weightScale}, refractory 5 ms. With n = 4,000,
     * p = 0.02 and scale 1 it is the published network (320,000 synapses, about 5.6 Hz).
     *
     * @param n           neurons (at least 5)
     * @param p           connection probability
     * @param weightScale factor of both synaptic weights (keeps the input per neuron when p changes)
     * @return the compiled model (synapses drawn from the model's default seed)
     */
    public static Model cuba(final int n, final double p, final double weightScale) {
        return cuba(n, p, weightScale, 0.0);
    }

    /**
     * The CUBA network of {@link #cuba(int, double, double)} with gap junctions besides (as Brian2's
     * {@code examples/synapses/gapjunctions.py}): a projection G of all neurons onto all, each pair with
     * probability {@code gapP}, whose summed variable {@code Igap_post = 0.001 * (v_pre - v_post)} (mV) is added
     * to the drive of v, computed at every step; with {@code gapP} 0 the published network.
     *
     * @param n           neurons (at least 5)
     * @param p           connection probability of the chemical synapses
     * @param weightScale factor of both synaptic weights
     * @param gapP        connection probability of the gap junctions (0: none)
     * @return the compiled model
     */
    public static Model cuba(final int n, final double p, final double weightScale, final double gapP) {
        final int exc = n * 4 / 5;
        final boolean gaps = gapP > 0;
        final String text = String.join("\n",
                "model cuba",
                "parameter taum = 20 unit ms",
                "parameter taue = 5 unit ms",
                "parameter taui = 10 unit ms",
                "parameter Vt = -50 unit mV",
                "parameter Vr = -60 unit mV",
                "parameter El = -49 unit mV",
                "parameter we = " + 1.62 * weightScale + " unit mV",
                "parameter wi = " + -9.0 * weightScale + " unit mV",
                "state v[" + n + "] = Vr + rand() * (Vt - Vr) unit mV",
                "state ge[" + n + "] = 0 unit mV",
                "state gi[" + n + "] = 0 unit mV",
                gaps ? "input Igap[" + n + "] = 0 unit mV" : "",
                "dv/dt = (ge + gi" + (gaps ? " + Igap" : "") + " - (v - El)) / taum (unless refractory)",
                "dge/dt = -ge / taue",
                "dgi/dt = -gi / taui",
                "population P " + n + ": v, ge, gi" + (gaps ? ", Igap" : ""),
                "threshold v > Vt",
                "reset v = Vr",
                "refractory 5 ms",
                "projection Ce: P[0:" + exc + "] -> P connect p = " + p + " on_pre ge += we",
                "projection Ci: P[" + exc + ":" + n + "] -> P connect p = " + p + " on_pre gi += wi",
                gaps ? "projection G: P -> P connect p = " + gapP : "",
                gaps ? "synapse G.Igap_post = 0.001 * (v_pre - v_post) (summed)" : "",
                "");
        return ModelFile.parse(text, "cuba (bench network)", "cuba").model();
    }
}
