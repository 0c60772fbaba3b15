package org.neurode.models;

import java.util.ArrayList;
import java.util.List;

import org.neurode.core.ErrorCode;
import org.neurode.core.Model;
import org.neurode.core.OdeException;
import org.neurode.core.StateLayout;
import org.neurode.core.expr.ModelBuilder;
import org.neurode.core.expr.Var;

/**
 * The dendritic cortical microcircuit of Sacramento, Costa, Bengio and Senn (NeurIPS 2018, "Dendritic
 * cortical microcircuits approximate the backpropagation algorithm"), written with
 * {@link ModelBuilder}: pyramidal neurons with somatic, basal and apical potentials, two-compartment
 * output neurons nudged by a somatic teaching current, SST-like interneurons nudged one-to-one by the
 * layer above, and the plasticity rules (Eqs. 7-9, optionally 10) as low-pass-filtered ODEs in the same
 * state as the neurons. Equations, parameters and their sources:
 * docs/microcircuit.md.
 *
 * <p>Layers {@code k = 0..N} with sizes {@code sizes[k]}; input rates are the input block {@code x},
 * low-pass filtered into {@code r0} with {@code tau0}. For each layer {@code k >= 1}: somatic potential
 * {@code u<k>}; for hidden layers also interneurons {@code uI<k>} (one per neuron of layer k+1). Dendritic
 * potentials are instantaneous (Eqs. 3-5):
 * <pre>
 *   vB_k = W_k @ r_{k-1}                    (r_0 = the filtered input, not passed through phi)
 *   vA_k = B_k @ r_{k+1} + Q_k @ rI_k        (B: top-down, Q = W^PI: interneuron to apical)
 *   vI_k = P_k @ r_k                         (P = W^IP: pyramidal to interneuron)
 *   du_k/dt  = -gL u_k + gB (vB_k - u_k) + gA (vA_k - u_k)                 (hidden, Eq. 1)
 *   du_N/dt  = -gL u_N + gB (vB_N - u_N) + nudge gSom (uTarget - u_N)      (output)
 *   duI_k/dt = -gL uI_k + gD (vI_k - uI_k) + gSom (u_{k+1} - uI_k)         (interneurons, Eq. 2)
 * </pre>
 * Each plastic matrix M has a filter state D (tau_w dD/dt = -D + plastic eta E, dM/dt = D; Sect. 2):
 * <pre>
 *   E(W_k) = (r_k - phi(aB_k vB_k)) r_{k-1}^T,  aB_k = gB/(gL+gB+gA) hidden, gB/(gL+gB) output   (Eq. 7)
 *   E(P_k) = (rI_k - phi(gD/(gL+gD) vI_k)) r_k^T                                                  (Eq. 8)
 *   E(Q_k) = (0 - vA_k) rI_k^T                                                                    (Eq. 9)
 *   E(B_k) = (r_k - phi(B_k r_{k+1})) r_{k+1}^T      only if the top-down weights are plastic     (Eq. 10)
 * </pre>
 * {@code phi(u) = gamma softplus(beta (u - theta))}. Inputs (set per pattern, not integrated): {@code x}
 * (input rates), {@code uTarget} (output target potential), {@code nudge} (1 to teach, 0 to test),
 * {@code plastic} (1 learning, 0 frozen). The top-down matrices {@code B<k>} are state variables when they
 * learn (Eq. 10) and parameter arrays when fixed (feedback alignment, the default): fixed for a whole run, they
 * are constants, so they are neither integrated nor copied by the Euler step, and a model carries them as
 * parameters ({@link #randomWeights} sets them, {@link Model#withParameter(String, double[])} replaces them).
 * Units: ms and dimensionless potentials (rest 0).
 *
 * <p>Names: {@code u1..uN}, {@code uI1..uI(N-1)}, {@code W1..WN} (forward, layer k from k-1),
 * {@code B1..B(N-1)}, {@code P1..}, {@code Q1..}, filter states {@code DW1..}, {@code DP1..}, {@code DQ1..}.
 *
 * @since 0.1
 */
public final class Microcircuit {

    private Microcircuit() {
    }

    /**
     * How the somatic noise {@code sigma xi(t)} is discretised.
     */
    public enum NoiseConvention {
        /**
         * White noise: over a step h the increment has standard deviation sigma sqrt(h) (Euler-Maruyama).
         */
        WHITE,
        /**
         * The earlier reimplementations' convention (docs/microcircuit.md, "The regression task"): sigma
         * N(0,1) added to the derivative and multiplied by dt, i.e. a per-step standard deviation sigma dt. neurode represents it
         * as white noise of amplitude sigma sqrt(dt), which gives the same per-step increments at that dt.
         */
        PER_STEP
    }

    /**
     * Parameters of the circuit; defaults are the regression experiment's (docs/microcircuit.md).
     *
     * @param sizes            layer sizes, input first (at least 3 entries: input, hidden..., output)
     * @param gL               leak conductance
     * @param gB               basal conductance
     * @param gA               apical conductance (hidden layers)
     * @param gD               interneuron dendritic conductance
     * @param gSom             somatic nudging conductance (output and interneurons)
     * @param gamma            rate scale of phi
     * @param beta             slope of phi
     * @param theta            threshold of phi
     * @param tau0             input low-pass time constant (ms)
     * @param tauW             plasticity low-pass time constant (ms)
     * @param etaForward       learning rates of W_1..W_N (1/ms), one per layer
     * @param etaIP            learning rate of the pyramidal-to-interneuron weights P (1/ms)
     * @param etaPI            learning rate of the interneuron-to-apical weights Q (1/ms)
     * @param etaTopDown       learning rate of the top-down weights (0: fixed, feedback alignment)
     * @param sigma            somatic noise amplitude
     * @param noiseConvention  how sigma is discretised
     * @param dtForNoise       step size used by the per-step convention (ms)
     */
    public record Config(int[] sizes, double gL, double gB, double gA, double gD, double gSom, double gamma,
                         double beta, double theta, double tau0, double tauW, double[] etaForward, double etaIP,
                         double etaPI, double etaTopDown, double sigma, NoiseConvention noiseConvention,
                         double dtForNoise) {

        /**
         * Validates the configuration.
         *
         * @param sizes           layer sizes
         * @param gL              leak
         * @param gB              basal
         * @param gA              apical
         * @param gD              interneuron dendrite
         * @param gSom            nudging
         * @param gamma           phi scale
         * @param beta            phi slope
         * @param theta           phi threshold
         * @param tau0            input filter
         * @param tauW            plasticity filter
         * @param etaForward      forward learning rates
         * @param etaIP           P learning rate
         * @param etaPI           Q learning rate
         * @param etaTopDown      top-down learning rate
         * @param sigma           noise
         * @param noiseConvention noise convention
         * @param dtForNoise      step for the per-step convention
         */
        public Config {
            if (sizes.length < 3) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT,
                        "a microcircuit needs an input, at least one hidden and an output layer; sizes = "
                        + java.util.Arrays.toString(sizes));
            }
            for (final int s : sizes) {
                if (s <= 0) {
                    throw new OdeException(ErrorCode.NOT_POSITIVE, "layer size", s);
                }
            }
            if (etaForward.length != sizes.length - 1) {
                throw new OdeException(ErrorCode.DIMENSION_MISMATCH, "forward learning rates",
                        sizes.length - 1, etaForward.length);
            }
            sizes = sizes.clone();
            etaForward = etaForward.clone();
        }

        /**
         * The Fig. 2 regression student: 30-50-10, g_lk 0.1, g_B 1, g_A 0.8, g_D 1, g_som 0.8,
         * phi = 0.1 softplus(u - 3), tau_0 3 ms, tau_w 30 ms, eta = (0.0011875, 0.0005), eta_IP 0.0011875,
         * eta_PI 0.0059375, fixed top-down weights, sigma 0.3 with the per-step convention at dt 0.1 ms
         * (docs/microcircuit.md; the values not in the paper's main text are those its public reimplementations
         * agree on).
         *
         * @return the paper's configuration
         */
        public static Config paperRegression() {
            return new Config(new int[] {30, 50, 10}, 0.1, 1.0, 0.8, 1.0, 0.8, 0.1, 1.0, 3.0, 3.0, 30.0,
                    new double[] {0.0011875, 0.0005}, 0.0011875, 0.0059375, 0.0, 0.3, NoiseConvention.PER_STEP,
                    0.1);
        }

        /** @return number of layers above the input (N) */
        public int layers() {
            return sizes.length - 1;
        }

        /**
         * @param factor multiplier of every learning rate
         * @return a copy with scaled learning rates
         */
        public Config withLearningRateScale(final double factor) {
            final double[] f = etaForward.clone();
            for (int i = 0; i < f.length; i++) {
                f[i] *= factor;
            }
            return new Config(sizes, gL, gB, gA, gD, gSom, gamma, beta, theta, tau0, tauW, f, etaIP * factor,
                    etaPI * factor, etaTopDown * factor, sigma, noiseConvention, dtForNoise);
        }

        /**
         * @param eta forward learning rates
         * @return a copy
         */
        public Config withForwardRates(final double... eta) {
            return new Config(sizes, gL, gB, gA, gD, gSom, gamma, beta, theta, tau0, tauW, eta, etaIP, etaPI,
                    etaTopDown, sigma, noiseConvention, dtForNoise);
        }

        /**
         * @param s noise amplitude
         * @param convention discretisation
         * @param dt step of the per-step convention (ms)
         * @return a copy
         */
        public Config withNoise(final double s, final NoiseConvention convention, final double dt) {
            return new Config(sizes, gL, gB, gA, gD, gSom, gamma, beta, theta, tau0, tauW, etaForward, etaIP,
                    etaPI, etaTopDown, s, convention, dt);
        }

        /**
         * @param etaTd top-down learning rate (0 keeps them fixed)
         * @return a copy
         */
        public Config withTopDownRate(final double etaTd) {
            return new Config(sizes, gL, gB, gA, gD, gSom, gamma, beta, theta, tau0, tauW, etaForward, etaIP,
                    etaPI, etaTd, sigma, noiseConvention, dtForNoise);
        }

        /** @return white-noise amplitude in neurode's convention (per sqrt(ms)) */
        public double whiteSigma() {
            return noiseConvention == NoiseConvention.WHITE ? sigma : sigma * Math.sqrt(dtForNoise);
        }

        /**
         * @param k layer index 1..N
         * @return basal attenuation of layer k's dendritic prediction
         */
        public double basalAttenuation(final int k) {
            return k == layers() ? gB / (gL + gB) : gB / (gL + gB + gA);
        }

        /**
         * @param u potential
         * @return phi(u) = gamma softplus(beta (u - theta))
         */
        public double phi(final double u) {
            final double z = beta * (u - theta);
            return gamma * (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z)));
        }
    }

    /**
     * Builds the circuit. Initial state: all potentials and filters 0, weights 0 (set them with
     * {@link #randomWeights} or {@link #selfPredicting}).
     *
     * @param c configuration
     * @return the model
     */
    public static Model build(final Config c) {
        final int nLayers = c.layers();
        final int[] n = c.sizes();
        final ModelBuilder b = ModelBuilder.named("microcircuit-" + joined(n));
        final Var x = b.input("x", n[0], "1");
        final Var target = b.input("uTarget", n[nLayers], "1");
        b.input("nudge", 1, "1");
        b.input("plastic", 1, "1");
        b.param("gL", c.gL());
        b.param("gB", c.gB());
        b.param("gA", c.gA());
        b.param("gD", c.gD());
        b.param("gSom", c.gSom());
        b.param("gamma", c.gamma());
        b.param("beta", c.beta());
        b.param("theta", c.theta());
        b.param("tau0", c.tau0());
        b.param("tauW", c.tauW());
        for (int k = 1; k <= nLayers; k++) {
            b.param("etaW" + k, c.etaForward()[k - 1]);
        }
        b.param("etaP", c.etaIP());
        b.param("etaQ", c.etaPI());
        b.param("etaB", c.etaTopDown());
        final Var r0 = b.vector("r0", n[0], "1");
        b.ode(r0, "(x - r0) / tau0");
        final List<Var> u = new ArrayList<>();
        u.add(null);
        for (int k = 1; k <= nLayers; k++) {
            u.add(b.vector("u" + k, n[k], "1"));
        }
        final List<Var> uI = new ArrayList<>();
        uI.add(null);
        for (int k = 1; k < nLayers; k++) {
            uI.add(b.vector("uI" + k, n[k + 1], "1"));
        }
        final boolean plasticTopDown = c.etaTopDown() != 0.0;
        for (int k = 1; k <= nLayers; k++) {
            b.matrix("W" + k, n[k], n[k - 1], "1");
            if (k < nLayers) {
                if (plasticTopDown) {
                    b.matrix("B" + k, n[k], n[k + 1], "1");
                } else {
                    b.param("B" + k, n[k], n[k + 1], new double[n[k] * n[k + 1]]);
                }
                b.matrix("P" + k, n[k + 1], n[k], "1");
                b.matrix("Q" + k, n[k], n[k + 1], "1");
            }
        }
        // rates and dendritic potentials (instantaneous)
        for (int k = 1; k <= nLayers; k++) {
            b.let("r" + k, "gamma * softplus(beta * (u" + k + " - theta))");
            if (k < nLayers) {
                b.let("rI" + k, "gamma * softplus(beta * (uI" + k + " - theta))");
            }
        }
        for (int k = 1; k <= nLayers; k++) {
            b.let("vB" + k, "W" + k + " @ r" + (k - 1));
            if (k < nLayers) {
                b.let("vA" + k, "B" + k + " @ r" + (k + 1) + " + Q" + k + " @ rI" + k);
                b.let("vI" + k, "P" + k + " @ r" + k);
            }
        }
        // somatic dynamics
        for (int k = 1; k < nLayers; k++) {
            b.ode(u.get(k), "-gL * u" + k + " + gB * (vB" + k + " - u" + k + ") + gA * (vA" + k + " - u" + k + ")");
            b.ode(uI.get(k), "-gL * uI" + k + " + gD * (vI" + k + " - uI" + k + ") + gSom * (u" + (k + 1)
                    + " - uI" + k + ")");
        }
        b.ode(u.get(nLayers), "-gL * u" + nLayers + " + gB * (vB" + nLayers + " - u" + nLayers
                + ") + nudge * gSom * (uTarget - u" + nLayers + ")");
        // plasticity: filtered induction terms D, weights integrate D
        for (int k = 1; k <= nLayers; k++) {
            final String att = k == nLayers ? "gB / (gL + gB)" : "gB / (gL + gB + gA)";
            plastic(b, "W" + k, n[k], n[k - 1], "etaW" + k, "outer(r" + k + " - gamma * softplus(beta * (" + att
                    + " * vB" + k + " - theta)), r" + (k - 1) + ")");
            if (k < nLayers) {
                plastic(b, "P" + k, n[k + 1], n[k], "etaP", "outer(rI" + k
                        + " - gamma * softplus(beta * (gD / (gL + gD) * vI" + k + " - theta)), r" + k + ")");
                plastic(b, "Q" + k, n[k], n[k + 1], "etaQ", "outer(-vA" + k + ", rI" + k + ")");
                if (plasticTopDown) {
                    plastic(b, "B" + k, n[k], n[k + 1], "etaB", "outer(r" + k
                            + " - gamma * softplus(beta * (B" + k + " @ r" + (k + 1) + " - theta)), r" + (k + 1) + ")");
                }
            }
        }
        final double sigma = c.whiteSigma();
        if (sigma > 0) {
            for (int k = 1; k <= nLayers; k++) {
                b.noise(u.get(k), sigma);
                if (k < nLayers) {
                    b.noise(uI.get(k), sigma);
                }
            }
        }
        return b.build();
    }

    private static void plastic(final ModelBuilder b, final String matrix, final int rows, final int cols,
                                final String eta, final String induction) {
        final Var d = b.matrix("D" + matrix, rows, cols, "1/ms");
        b.ode(d, "(plastic * " + eta + " * " + induction + " - D" + matrix + ") / tauW");
        final Var w = (Var) b.expr(matrix);
        b.ode(w, "plastic * D" + matrix);
        b.scale(d, 1e-4);
    }

    private static String joined(final int[] n) {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n.length; i++) {
            sb.append(i == 0 ? "" : "-").append(n[i]);
        }
        return sb.toString();
    }

    /**
     * Fills every weight matrix (forward, top-down, P, Q) with independent U(-scale, scale) entries, as in
     * the paper's random start (docs/microcircuit.md), drawn layer by layer in the order W, B, P, Q. Plastic
     * weights are written into the state; fixed top-down weights are parameters of the returned model.
     *
     * @param model  a microcircuit model
     * @param y      state whose weights are filled (modified)
     * @param scale  half-width of the uniform distribution
     * @param random random source
     * @return the model with its fixed top-down weights set (the model itself if they are plastic)
     */
    public static Model randomWeights(final Model model, final double[] y, final double scale,
                                      final java.util.random.RandomGenerator random) {
        Model withWeights = model;
        for (int k = 1; model.layout().has("W" + k); k++) {
            for (final String m : new String[] {"W", "B", "P", "Q"}) {
                final String name = m + k;
                if (model.layout().has(name)) {
                    final StateLayout.Block blk = model.layout().block(name);
                    for (int i = 0; i < blk.size(); i++) {
                        y[blk.offset() + i] = random.nextDouble(-scale, scale);
                    }
                } else if (model.parameters().has(name)) {
                    final double[] w = new double[model.parameters().rows(name) * model.parameters().cols(name)];
                    for (int i = 0; i < w.length; i++) {
                        w[i] = random.nextDouble(-scale, scale);
                    }
                    withWeights = withWeights.withParameter(name, w);
                }
            }
        }
        return withWeights;
    }

    /**
     * The top-down weights of hidden layer k: from the state if they are plastic, else the model's parameter.
     *
     * @param model a microcircuit model
     * @param y     its state (not modified)
     * @param k     hidden layer, 1..N-1
     * @return a copy of B_k, row-major
     */
    public static double[] topDown(final Model model, final double[] y, final int k) {
        final String name = "B" + k;
        if (model.layout().has(name)) {
            final StateLayout.Block b = model.layout().block(name);
            return java.util.Arrays.copyOfRange(y, b.offset(), b.offset() + b.size());
        }
        return model.parameters().array(name);
    }

    /**
     * Sets the interneuron weights to the self-predicting state (Sacramento et al. 2018, supplementary material, as
     * used by the public reimplementations):
     * {@code Q_k = -B_k} and {@code P_k = gB (gL + gD) / (gD (gL + gB + gA')) W_{k+1}}, with gA' = 0 when
     * layer k+1 is the output layer.
     *
     * @param c     configuration
     * @param model the model built from it, with its fixed top-down weights set (see {@link #randomWeights})
     * @param y     state whose forward and plastic weights are set (modified: P and Q)
     */
    public static void selfPredicting(final Config c, final Model model, final double[] y) {
        final StateLayout l = model.layout();
        for (int k = 1; k < c.layers(); k++) {
            final double[] bk = topDown(model, y, k);
            final StateLayout.Block qk = l.block("Q" + k);
            for (int i = 0; i < bk.length; i++) {
                y[qk.offset() + i] = -bk[i];
            }
            final double gAbove = k + 1 == c.layers() ? 0.0 : c.gA();
            final double factor = c.gB() * (c.gL() + c.gD()) / (c.gD() * (c.gL() + c.gB() + gAbove));
            final StateLayout.Block pk = l.block("P" + k);
            final StateLayout.Block wAbove = l.block("W" + (k + 1));
            for (int i = 0; i < pk.size(); i++) {
                y[pk.offset() + i] = factor * y[wAbove.offset() + i];
            }
        }
    }
}
