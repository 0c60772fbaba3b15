package org.neurode.models;

import java.util.Map;

import org.neurode.core.ErrorCode;
import org.neurode.core.Model;
import org.neurode.core.OdeException;
import org.neurode.core.StateLayout;
import org.neurode.core.expr.ModelBuilder;
import org.neurode.core.spec.ExprSpec;
import org.neurode.core.spec.ModelSpec;
import org.neurode.core.spec.NoiseSpec;
import org.neurode.core.spec.ParameterSpec;
import org.neurode.core.spec.ValueSpec;
import org.neurode.core.spec.VariableSpec;

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

    // the equations of the circuit, by their role; layer k's names are made by renaming (u -> u1, ...)
    private static final ExprSpec INPUT_FILTER = ExprSpec.parse("(x - r0) / tau0");
    /** phi(u) = gamma softplus(beta (u - theta)). */
    private static final ExprSpec RATE = ExprSpec.parse("gamma * softplus(beta * (u - theta))");
    private static final ExprSpec BASAL = ExprSpec.parse("W @ rBelow");
    private static final ExprSpec BASAL_WITH_BIAS = ExprSpec.parse("W @ rBelow + c");
    private static final ExprSpec APICAL = ExprSpec.parse("B @ rAbove + Q @ rI");
    private static final ExprSpec INTERNEURON_DENDRITE = ExprSpec.parse("P @ r");
    private static final ExprSpec HIDDEN_SOMA = ExprSpec.parse("-gL * u + gB * (vB - u) + gA * (vA - u)");
    private static final ExprSpec INTERNEURON_SOMA = ExprSpec.parse("-gL * uI + gD * (vI - uI) + gSom * (uAbove - uI)");
    private static final ExprSpec OUTPUT_SOMA = ExprSpec.parse("-gL * u + gB * (vB - u) + nudge * gSom * (uTarget - u)");
    /** Basal attenuation of the dendritic prediction of a hidden and of the output layer. */
    private static final ExprSpec HIDDEN_ATTENUATION = ExprSpec.parse("gB / (gL + gB + gA)");
    private static final ExprSpec OUTPUT_ATTENUATION = ExprSpec.parse("gB / (gL + gB)");
    /** Eq. 7: forward weights W_k, with PHI the layer's rate of its attenuated basal potential. */
    private static final ExprSpec FORWARD_RULE = ExprSpec.parse("outer(r - PHI, rBelow)");
    /** Eq. 7 for a bias (the presynaptic rate is 1). */
    private static final ExprSpec BIAS_RULE = ExprSpec.parse("r - PHI");
    private static final ExprSpec ATTENUATED_BASAL = ExprSpec.parse("att * vB");
    /** Eq. 8: pyramidal-to-interneuron weights P_k, with PHI the rate of layer k+1 of gD/(gL+gD) vI. */
    private static final ExprSpec INTERNEURON_RULE = ExprSpec.parse("outer(rI - PHI, r)");
    private static final ExprSpec ATTENUATED_INTERNEURON = ExprSpec.parse("gD / (gL + gD) * vI");
    /** Eq. 9: interneuron-to-apical weights Q_k. */
    private static final ExprSpec APICAL_RULE = ExprSpec.parse("outer(-vA, rI)");
    /** Eq. 10: top-down weights B_k, with PHI the layer's rate of B_k r_{k+1}. */
    private static final ExprSpec TOP_DOWN_RULE = ExprSpec.parse("outer(r - PHI, rAbove)");
    private static final ExprSpec TOP_DOWN_PREDICTION = ExprSpec.parse("B @ rAbove");
    /** A filtered induction term: tau_w dD/dt = -D + plastic eta E. */
    private static final ExprSpec FILTER = ExprSpec.parse("(plastic * eta * E - D) / tauW");
    private static final ExprSpec INTEGRAL = ExprSpec.parse("plastic * D");

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
        return build(c, RATE, RATE, false);
    }

    /**
     * Builds the circuit with other rate functions and, optionally, learnable biases. The rate functions are
     * expressions of {@code u} (they may use the parameters gamma, beta and theta), e.g. {@code tanh(u)},
     * {@code sigmoid(u)} or {@code u}; the interneurons of hidden layer k take the rate function of layer k+1, whose
     * neurons they mimic. A bias c_k adds to the basal potential, {@code vB_k = W_k @ r_{k-1} + c_k}, and learns by
     * Eq. 7 with a presynaptic rate of 1 (the logistic network of the paper's MNIST experiment has them).
     *
     * @param c          configuration
     * @param hiddenRate rate function of the hidden layers, an expression of {@code u}
     * @param outputRate rate function of the output layer, an expression of {@code u}
     * @param biases     whether the layers have learnable biases {@code c1..cN} (state, with filters
     *                   {@code Dc1..})
     * @return the model
     */
    public static Model build(final Config c, final ExprSpec hiddenRate, final ExprSpec outputRate,
                              final boolean biases) {
        final int nLayers = c.layers();
        final int[] n = c.sizes();
        final ExprSpec[] rate = new ExprSpec[nLayers + 1];
        for (int k = 1; k <= nLayers; k++) {
            rate[k] = k == nLayers ? outputRate : hiddenRate;
        }
        final ModelBuilder b = ModelBuilder.named("microcircuit-" + joined(n))
                .add(inputs(n[0], n[nLayers]))
                .add(parameters(c))
                .add(inputFilter(n[0]))
                .add(neurons(n))
                .add(weights(n, c.etaTopDown() != 0.0, biases));
        // rates and dendritic potentials (instantaneous)
        for (int k = 1; k <= nLayers; k++) {
            b.add(rates(k, nLayers, rate));
        }
        for (int k = 1; k <= nLayers; k++) {
            b.add(dendrites(k, nLayers, biases));
        }
        // somatic dynamics
        for (int k = 1; k < nLayers; k++) {
            b.add(hiddenLayer(k));
        }
        b.add(outputLayer(nLayers));
        // plasticity: filtered induction terms D, weights integrate D
        for (int k = 1; k <= nLayers; k++) {
            final ExprSpec prediction = ofRate(rate[k], ATTENUATED_BASAL.substitute(Map.of(
                    "att", k == nLayers ? OUTPUT_ATTENUATION : HIDDEN_ATTENUATION, "vB", layer("vB", k))));
            final Map<String, ExprSpec> forward = Map.of("PHI", prediction, "r", layer("r", k),
                    "rBelow", layer("r", k - 1));
            b.add(plasticity("W" + k, n[k], n[k - 1], "etaW" + k, FORWARD_RULE.substitute(forward)));
            if (biases) {
                b.add(plasticity("c" + k, n[k], 1, "etaW" + k, BIAS_RULE.substitute(forward)));
            }
            if (k < nLayers) {
                final Map<String, String> names = Map.of("r", "r" + k, "rI", "rI" + k, "vI", "vI" + k, "vA", "vA" + k,
                        "B", "B" + k, "rAbove", "r" + (k + 1));
                final ExprSpec mimic = ofRate(rate[k + 1], ATTENUATED_INTERNEURON.rename(names));
                b.add(plasticity("P" + k, n[k + 1], n[k], "etaP" + k,
                        INTERNEURON_RULE.substitute(Map.of("PHI", mimic)).rename(names)));
                b.add(plasticity("Q" + k, n[k], n[k + 1], "etaQ", APICAL_RULE.rename(names)));
                if (c.etaTopDown() != 0.0) {
                    final ExprSpec topDown = ofRate(rate[k], TOP_DOWN_PREDICTION.rename(names));
                    b.add(plasticity("B" + k, n[k], n[k + 1], "etaB",
                            TOP_DOWN_RULE.substitute(Map.of("PHI", topDown)).rename(names)));
                }
            }
        }
        if (c.whiteSigma() > 0) {
            b.add(noise(nLayers, c.whiteSigma()));
        }
        return b.build();
    }

    /** A rate function (an expression of u) of another expression. */
    private static ExprSpec ofRate(final ExprSpec rate, final ExprSpec argument) {
        return rate.substitute(Map.of("u", argument));
    }

    private static ExprSpec layer(final String name, final int k) {
        return new ExprSpec.Name(name + k);
    }

    /** The inputs: rates x, the output's target uTarget, the nudging switch and the plasticity switch. */
    private static ModelSpec inputs(final int nIn, final int nOut) {
        return ModelSpec.fragment("inputs")
                .withVariable(VariableSpec.input("x", nIn, 1, "1"))
                .withVariable(VariableSpec.input("uTarget", nOut, 1, "1"))
                .withVariable(VariableSpec.input("nudge", 1, 1, "1"))
                .withVariable(VariableSpec.input("plastic", 1, 1, "1"));
    }

    private static ModelSpec parameters(final Config c) {
        ModelSpec p = ModelSpec.fragment("parameters")
                .withParameter(ParameterSpec.scalar("gL", c.gL()))
                .withParameter(ParameterSpec.scalar("gB", c.gB()))
                .withParameter(ParameterSpec.scalar("gA", c.gA()))
                .withParameter(ParameterSpec.scalar("gD", c.gD()))
                .withParameter(ParameterSpec.scalar("gSom", c.gSom()))
                .withParameter(ParameterSpec.scalar("gamma", c.gamma()))
                .withParameter(ParameterSpec.scalar("beta", c.beta()))
                .withParameter(ParameterSpec.scalar("theta", c.theta()))
                .withParameter(ParameterSpec.scalar("tau0", c.tau0()))
                .withParameter(ParameterSpec.scalar("tauW", c.tauW()));
        for (int k = 1; k <= c.layers(); k++) {
            p = p.withParameter(ParameterSpec.scalar("etaW" + k, c.etaForward()[k - 1]));
        }
        for (int k = 1; k < c.layers(); k++) {
            p = p.withParameter(ParameterSpec.scalar("etaP" + k, c.etaIP()));
        }
        return p.withParameter(ParameterSpec.scalar("etaQ", c.etaPI()))
                .withParameter(ParameterSpec.scalar("etaB", c.etaTopDown()));
    }

    /** The input rates low-pass filtered into r0. */
    private static ModelSpec inputFilter(final int nIn) {
        return ModelSpec.fragment("input filter")
                .withVariable(VariableSpec.state("r0", nIn, 1, "1"))
                .withEquation("r0", INPUT_FILTER);
    }

    /** The somatic potentials u_k of every layer, then the interneurons uI_k of the hidden layers. */
    private static ModelSpec neurons(final int[] n) {
        final int nLayers = n.length - 1;
        ModelSpec s = ModelSpec.fragment("neurons");
        for (int k = 1; k <= nLayers; k++) {
            s = s.withVariable(VariableSpec.state("u" + k, n[k], 1, "1"));
        }
        for (int k = 1; k < nLayers; k++) {
            s = s.withVariable(VariableSpec.state("uI" + k, n[k + 1], 1, "1"));
        }
        return s;
    }

    /**
     * The weights of each layer: forward W_k; for hidden layers top-down B_k (a parameter array if fixed, zero
     * until {@link #randomWeights} sets it), P_k, Q_k.
     */
    private static ModelSpec weights(final int[] n, final boolean plasticTopDown, final boolean biases) {
        final int nLayers = n.length - 1;
        ModelSpec s = ModelSpec.fragment("weights");
        for (int k = 1; k <= nLayers; k++) {
            s = s.withVariable(VariableSpec.state("W" + k, n[k], n[k - 1], "1"));
            if (biases) {
                s = s.withVariable(VariableSpec.state("c" + k, n[k], 1, "1"));
            }
            if (k < nLayers) {
                s = plasticTopDown ? s.withVariable(VariableSpec.state("B" + k, n[k], n[k + 1], "1"))
                        : s.withParameter(new ParameterSpec("B" + k, n[k], n[k + 1], "1", ValueSpec.Values.of(0.0)));
                s = s.withVariable(VariableSpec.state("P" + k, n[k + 1], n[k], "1"))
                        .withVariable(VariableSpec.state("Q" + k, n[k], n[k + 1], "1"));
            }
        }
        return s;
    }

    /** The rates r_k (and rI_k of a hidden layer's interneurons). */
    private static ModelSpec rates(final int k, final int nLayers, final ExprSpec[] rate) {
        final ModelSpec s = ModelSpec.fragment("rates of layer " + k)
                .withLet("r" + k, rate[k].rename(Map.of("u", "u" + k)));
        return k < nLayers ? s.withLet("rI" + k, rate[k + 1].rename(Map.of("u", "uI" + k))) : s;
    }

    /** The dendritic potentials of layer k: basal vB_k, and for a hidden layer apical vA_k and vI_k. */
    private static ModelSpec dendrites(final int k, final int nLayers, final boolean biases) {
        final ModelSpec s = ModelSpec.fragment("dendrites of layer " + k)
                .withLet("vB" + k, (biases ? BASAL_WITH_BIAS : BASAL).rename(Map.of("W", "W" + k, "rBelow",
                        "r" + (k - 1), "c", "c" + k)));
        if (k == nLayers) {
            return s;
        }
        final Map<String, String> names = Map.of("B", "B" + k, "Q", "Q" + k, "P", "P" + k, "r", "r" + k,
                "rI", "rI" + k, "rAbove", "r" + (k + 1));
        return s.withLet("vA" + k, APICAL.rename(names)).withLet("vI" + k, INTERNEURON_DENDRITE.rename(names));
    }

    /** The somata of hidden layer k and its interneurons, nudged by layer k+1. */
    private static ModelSpec hiddenLayer(final int k) {
        final Map<String, String> names = Map.of("u", "u" + k, "uI", "uI" + k, "vB", "vB" + k, "vA", "vA" + k,
                "vI", "vI" + k, "uAbove", "u" + (k + 1));
        return ModelSpec.fragment("somata of layer " + k)
                .withEquation("u" + k, HIDDEN_SOMA.rename(names))
                .withEquation("uI" + k, INTERNEURON_SOMA.rename(names));
    }

    /** The output somata, nudged towards the target. */
    private static ModelSpec outputLayer(final int k) {
        return ModelSpec.fragment("output somata")
                .withEquation("u" + k, OUTPUT_SOMA.rename(Map.of("u", "u" + k, "vB", "vB" + k)));
    }

    /** A plastic matrix: its filter D (tolerance scale 1e-4) and the weights integrating it. */
    private static ModelSpec plasticity(final String matrix, final int rows, final int cols, final String eta,
                                        final ExprSpec induction) {
        final String d = "D" + matrix;
        return ModelSpec.fragment("plasticity of " + matrix)
                .withVariable(VariableSpec.state(d, rows, cols, "1/ms").withScale(1e-4))
                .withEquation(d, FILTER.substitute(Map.of("eta", new ExprSpec.Name(eta), "E", induction,
                        "D", new ExprSpec.Name(d))))
                .withEquation(matrix, INTEGRAL.rename(Map.of("D", d)));
    }

    /** White noise on every soma. */
    private static ModelSpec noise(final int nLayers, final double sigma) {
        ModelSpec s = ModelSpec.fragment("somatic noise");
        for (int k = 1; k <= nLayers; k++) {
            s = s.withNoise(new NoiseSpec("u" + k, sigma));
            if (k < nLayers) {
                s = s.withNoise(new NoiseSpec("uI" + k, sigma));
            }
        }
        return s;
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
