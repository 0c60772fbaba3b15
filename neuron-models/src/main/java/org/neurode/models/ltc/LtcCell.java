package org.neurode.models.ltc;

import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.JsonNode;

import org.neurode.core.ErrorCode;
import org.neurode.core.LinearSplitEquation;
import org.neurode.core.Model;
import org.neurode.core.OdeException;
import org.neurode.core.Parameters;
import org.neurode.core.StateLayout;
import org.neurode.models.learn.ModelJson;
import org.neurode.models.learn.ParameterVector;
import org.neurode.models.learn.SequenceModel;

/**
 * A liquid time-constant (LTC) network in the conductance form of ncps' {@code LTCCell} (Hasani et al. 2021,
 * AAAI 35:7657, "Liquid time-constant networks"; wiring after Lechner et al. 2020, Nature Machine Intelligence
 * 2:642). Neuron j (state \( v_j \), dimensionless) obeys
 * \[ c_{m,j} \dot v_j = g_{l,j} (v_{l,j} - v_j) + \sum_i w_{ij} \sigma(\sigma_{ij} (v_i - \mu_{ij})) (E_{ij} - v_j)
 *    + \sum_s \hat w_{sj} \sigma(\hat\sigma_{sj} (u_s - \hat\mu_{sj})) (\hat E_{sj} - v_j) \]
 * with \( \sigma \) the logistic function, synapses only where the {@link Wiring} has one (the others are
 * masked: their parameters exist, as in ncps, but have no effect and zero gradient), and the inputs mapped by
 * \( u_s = x_s w^{in}_s + b^{in}_s \). Time is in the unit of the elapsed times given to {@link #forward}
 * (1 per sample by default, ncps' convention).
 *
 * <p><b>Step.</b> Each input step of elapsed time \( \Delta \) holds the input constant and applies L
 * ({@code unfolds}, default 6) fused semi-implicit Euler steps of \( h = \Delta / L \) (Hasani et al. 2021,
 * Eq. 3):
 * \[ v_j \leftarrow \frac{c_{m,j}/h\, v_j + g_{l,j} v_{l,j} + \sum_i a_{ij} E_{ij} + \sum_s b_{sj} \hat E_{sj}}
 *    {c_{m,j}/h + g_{l,j} + \sum_i a_{ij} + \sum_s b_{sj} + \varepsilon} \]
 * with the synaptic conductances \( a_{ij} \) recomputed every unfold, the sensory ones \( b_{sj} \) once per
 * step, and \( \varepsilon = 10^{-8} \). The outputs are the first {@code motors} neurons after the step, mapped by
 * \( y_o = v_o w^{out}_o + b^{out}_o \). This is {@link #model(double[])}'s ODE solved by the registered
 * {@code semi-implicit-euler} solver, which the tests check to round-off.
 *
 * <p><b>Parameters</b> (blocks of {@link #parameters()}, in this order): gleak, vleak, cm (N), sigma, mu, w, erev
 * (N x N, [source][destination]), sensory_sigma, sensory_mu, sensory_w, sensory_erev (M x N), input_w, input_b
 * (M), output_w, output_b (motors): \( 3N + 4N^2 + 4MN + 2M + 2\,\mathrm{motors} \) in all, 350 for
 * {@code AutoNcp.of(8, 1, 2)}, as Keras reports. Initial values are uniform in ncps' ranges: gleak (0.001, 1),
 * vleak (-0.2, 0.2), cm (0.4, 0.6), w and sensory_w (0.001, 1), sigma and sensory_sigma (3, 8), mu and
 * sensory_mu (0.3, 0.8); erev and sensory_erev start at the wiring's polarities (+-1, trainable); input_w and
 * output_w at 1, input_b and output_b at 0. The draws come from a {@link SplittableRandom} of the given seed.
 *
 * <p><b>Constraints.</b> As ncps' {@code LTC} module by default ({@code implicit_param_constraints=True}), w,
 * sensory_w, cm and gleak are stored unconstrained and used through softplus, \( \log(1 + e^x) \) (x above 20
 * is used as is, PyTorch's threshold), so conductances and capacitances stay positive whatever the optimizer
 * does; the initial ranges apply to the stored values.
 *
 * <p><b>Gradients.</b> {@link #backward} is hand-written reverse mode through every unfold of every step
 * (backpropagation through time, the training the LTC paper uses). The activations of the last
 * {@link #forward} are kept in work arrays that grow with the sequence length and are reused afterwards, so
 * training allocates nothing after the first step. Not thread-safe; the parameters must not change between a
 * forward pass and its backward pass.
 *
 * @since 0.2
 */
public final class LtcCell implements SequenceModel {

    /** The {@code kind} of saved files. */
    public static final String KIND = "ltc";
    /** ncps' default number of ODE unfolds per input step. */
    public static final int DEFAULT_UNFOLDS = 6;
    /** ncps' epsilon added to the denominator of the fused step. */
    public static final double DEFAULT_EPSILON = 1e-8;

    private final Wiring wiring;
    private final int n;
    private final int m;
    private final int motors;
    private final int unfolds;
    private final double epsilon;
    private final ParameterVector params;

    // block offsets
    private final int oGleak;
    private final int oVleak;
    private final int oCm;
    private final int oSigma;
    private final int oMu;
    private final int oW;
    private final int oErev;
    private final int oSSigma;
    private final int oSMu;
    private final int oSW;
    private final int oSErev;
    private final int oInW;
    private final int oInB;
    private final int oOutW;
    private final int oOutB;

    // active synapses: source, destination, flat index source * n + destination
    private final int syn;
    private final int[] synSrc;
    private final int[] synDst;
    private final int[] synIdx;
    private final int sens;
    private final int[] sensSrc;
    private final int[] sensDst;
    private final int[] sensIdx;

    // effective parameters and softplus derivatives of the last forward pass
    private final double[] glEff;
    private final double[] glDer;
    private final double[] cmEff;
    private final double[] cmDer;
    private final double[] wEff;
    private final double[] wDer;
    private final double[] swEff;
    private final double[] swDer;
    // per-neuron scratch
    private final double[] num;
    private final double[] den;
    private final double[] sensNum;
    private final double[] sensDen;
    private final double[] gv;
    private final double[] gvNew;
    private final double[] gNs;
    private final double[] gDs;
    private final double[] gu;

    // activations of the last forward pass (grown on demand)
    private int steps;
    private int capacity;
    private double[] rawInputs;
    private double[] mapped;
    private double[] elapsedTimes;
    private double[] states;
    private double[] synSig;
    private double[] denoms;
    private double[] sensSig;

    private LtcCell(final Wiring wiring, final int unfolds, final double epsilon) {
        if (unfolds < 1) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "unfolds must be at least 1, not " + unfolds);
        }
        if (!(epsilon >= 0) || Double.isInfinite(epsilon)) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "epsilon must be finite and not negative, not "
                    + epsilon);
        }
        this.wiring = wiring;
        this.n = wiring.units();
        this.m = wiring.inputs();
        this.motors = wiring.motors();
        this.unfolds = unfolds;
        this.epsilon = epsilon;
        this.params = ParameterVector.builder()
                .vector("gleak", n).vector("vleak", n).vector("cm", n)
                .matrix("sigma", n, n).matrix("mu", n, n).matrix("w", n, n).matrix("erev", n, n)
                .matrix("sensory_sigma", m, n).matrix("sensory_mu", m, n).matrix("sensory_w", m, n)
                .matrix("sensory_erev", m, n)
                .vector("input_w", m).vector("input_b", m)
                .vector("output_w", motors).vector("output_b", motors)
                .build();
        oGleak = params.offset("gleak");
        oVleak = params.offset("vleak");
        oCm = params.offset("cm");
        oSigma = params.offset("sigma");
        oMu = params.offset("mu");
        oW = params.offset("w");
        oErev = params.offset("erev");
        oSSigma = params.offset("sensory_sigma");
        oSMu = params.offset("sensory_mu");
        oSW = params.offset("sensory_w");
        oSErev = params.offset("sensory_erev");
        oInW = params.offset("input_w");
        oInB = params.offset("input_b");
        oOutW = params.offset("output_w");
        oOutB = params.offset("output_b");
        syn = wiring.synapseCount();
        synSrc = new int[syn];
        synDst = new int[syn];
        synIdx = new int[syn];
        int c = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (wiring.polarity(i, j) != 0) {
                    synSrc[c] = i;
                    synDst[c] = j;
                    synIdx[c] = i * n + j;
                    c++;
                }
            }
        }
        sens = wiring.sensorySynapseCount();
        sensSrc = new int[sens];
        sensDst = new int[sens];
        sensIdx = new int[sens];
        c = 0;
        for (int s = 0; s < m; s++) {
            for (int j = 0; j < n; j++) {
                if (wiring.sensoryPolarity(s, j) != 0) {
                    sensSrc[c] = s;
                    sensDst[c] = j;
                    sensIdx[c] = s * n + j;
                    c++;
                }
            }
        }
        glEff = new double[n];
        glDer = new double[n];
        cmEff = new double[n];
        cmDer = new double[n];
        wEff = new double[syn];
        wDer = new double[syn];
        swEff = new double[sens];
        swDer = new double[sens];
        num = new double[n];
        den = new double[n];
        sensNum = new double[n];
        sensDen = new double[n];
        gv = new double[n];
        gvNew = new double[n];
        gNs = new double[n];
        gDs = new double[n];
        gu = new double[m];
    }

    /**
     * A cell with ncps' defaults (6 unfolds, epsilon 1e-8) and freshly initialised parameters.
     *
     * @param wiring the synapse graph (its inputs are the cell's inputs, its motor neurons the outputs)
     * @param seed   seed of the initial parameters
     * @return the cell
     */
    public static LtcCell of(final Wiring wiring, final long seed) {
        return of(wiring, DEFAULT_UNFOLDS, DEFAULT_EPSILON, seed);
    }

    /**
     * @param wiring  the synapse graph
     * @param unfolds fused steps per input step (at least 1)
     * @param epsilon added to the denominator of the fused step (not negative; ncps uses 1e-8)
     * @param seed    seed of the initial parameters
     * @return the cell with freshly initialised parameters
     */
    public static LtcCell of(final Wiring wiring, final int unfolds, final double epsilon, final long seed) {
        final LtcCell cell = new LtcCell(wiring, unfolds, epsilon);
        cell.initialize(new SplittableRandom(seed));
        return cell;
    }

    private void initialize(final SplittableRandom rng) {
        final double[] v = params.values();
        uniform(rng, v, oGleak, n, 0.001, 1.0);
        uniform(rng, v, oVleak, n, -0.2, 0.2);
        uniform(rng, v, oCm, n, 0.4, 0.6);
        uniform(rng, v, oSigma, n * n, 3.0, 8.0);
        uniform(rng, v, oMu, n * n, 0.3, 0.8);
        uniform(rng, v, oW, n * n, 0.001, 1.0);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                v[oErev + i * n + j] = wiring.polarity(i, j);
            }
        }
        uniform(rng, v, oSSigma, m * n, 3.0, 8.0);
        uniform(rng, v, oSMu, m * n, 0.3, 0.8);
        uniform(rng, v, oSW, m * n, 0.001, 1.0);
        for (int s = 0; s < m; s++) {
            for (int j = 0; j < n; j++) {
                v[oSErev + s * n + j] = wiring.sensoryPolarity(s, j);
            }
        }
        java.util.Arrays.fill(v, oInW, oInW + m, 1.0);
        java.util.Arrays.fill(v, oInB, oInB + m, 0.0);
        java.util.Arrays.fill(v, oOutW, oOutW + motors, 1.0);
        java.util.Arrays.fill(v, oOutB, oOutB + motors, 0.0);
    }

    private static void uniform(final SplittableRandom rng, final double[] v, final int offset, final int count,
                                final double lo, final double hi) {
        for (int k = 0; k < count; k++) {
            v[offset + k] = lo + (hi - lo) * rng.nextDouble();
        }
    }

    /**
     * PyTorch's {@code softplus} (beta 1, threshold 20).
     *
     * @param x argument
     * @return \( \log(1 + e^x) \), or x above 20
     */
    static double softplus(final double x) {
        return x > 20.0 ? x : Math.log1p(Math.exp(x));
    }

    /** Derivative of {@link #softplus}: the logistic function, 1 above the threshold. */
    static double softplusDerivative(final double x) {
        return x > 20.0 ? 1.0 : sigmoid(x);
    }

    static double sigmoid(final double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }

    @Override
    public String name() {
        return KIND;
    }

    @Override
    public ParameterVector parameters() {
        return params;
    }

    @Override
    public int inputSize() {
        return m;
    }

    @Override
    public int outputSize() {
        return motors;
    }

    /** @return the synapse graph */
    public Wiring wiring() {
        return wiring;
    }

    /** @return number of neurons (state size) */
    public int units() {
        return n;
    }

    /** @return fused steps per input step */
    public int unfolds() {
        return unfolds;
    }

    /** @return the epsilon of the fused step's denominator */
    public double epsilon() {
        return epsilon;
    }

    private void ensureCapacity(final int t) {
        if (t <= capacity) {
            return;
        }
        final int c = Math.max(t, capacity * 2);
        rawInputs = new double[c * m];
        mapped = new double[c * m];
        elapsedTimes = new double[c];
        states = new double[(c * unfolds + 1) * n];
        synSig = new double[c * unfolds * syn];
        denoms = new double[c * unfolds * n];
        sensSig = new double[c * sens];
        capacity = c;
    }

    private void effectiveParameters() {
        final double[] v = params.values();
        for (int j = 0; j < n; j++) {
            glEff[j] = softplus(v[oGleak + j]);
            glDer[j] = softplusDerivative(v[oGleak + j]);
            cmEff[j] = softplus(v[oCm + j]);
            cmDer[j] = softplusDerivative(v[oCm + j]);
        }
        for (int c = 0; c < syn; c++) {
            final double x = v[oW + synIdx[c]];
            wEff[c] = softplus(x);
            wDer[c] = softplusDerivative(x);
        }
        for (int c = 0; c < sens; c++) {
            final double x = v[oSW + sensIdx[c]];
            swEff[c] = softplus(x);
            swDer[c] = softplusDerivative(x);
        }
    }

    /**
     * Runs a sequence from the zero state (see {@link SequenceModel#forward}).
     *
     * @param inputs  raw inputs {@code [steps][inputSize]} (not modified)
     * @param elapsed elapsed time of each step (positive; not modified), or {@code null} for 1
     * @param outputs outputs {@code [steps][motors]} (written)
     */
    @Override
    public void forward(final double[][] inputs, final double[] elapsed, final double[][] outputs) {
        final int t = inputs.length;
        if (outputs.length < t || elapsed != null && elapsed.length < t) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "forward: " + t + " input steps but "
                    + outputs.length + " output rows" + (elapsed == null ? "" : " and " + elapsed.length
                    + " elapsed times"));
        }
        ensureCapacity(t);
        steps = t;
        effectiveParameters();
        final double[] v = params.values();
        java.util.Arrays.fill(states, 0, n, 0.0);
        for (int k = 0; k < t; k++) {
            final double[] x = inputs[k];
            if (x.length != m) {
                throw new OdeException(ErrorCode.DIMENSION_MISMATCH, "inputs[" + k + "]", m, x.length);
            }
            final double dt = elapsed == null ? 1.0 : elapsed[k];
            if (!(dt > 0) || Double.isInfinite(dt)) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "elapsed[" + k + "] must be positive and "
                        + "finite, not " + dt);
            }
            elapsedTimes[k] = dt;
            for (int s = 0; s < m; s++) {
                rawInputs[k * m + s] = x[s];
                mapped[k * m + s] = x[s] * v[oInW + s] + v[oInB + s];
            }
            // sensory conductances, constant over the step
            java.util.Arrays.fill(sensNum, 0.0);
            java.util.Arrays.fill(sensDen, 0.0);
            final int sBase = k * sens;
            for (int c = 0; c < sens; c++) {
                final int idx = sensIdx[c];
                final double sg = sigmoid(v[oSSigma + idx] * (mapped[k * m + sensSrc[c]] - v[oSMu + idx]));
                sensSig[sBase + c] = sg;
                final double b = swEff[c] * sg;
                sensNum[sensDst[c]] += b * v[oSErev + idx];
                sensDen[sensDst[c]] += b;
            }
            final double perUnfold = unfolds / dt;
            for (int l = 0; l < unfolds; l++) {
                final int r = k * unfolds + l;
                final int in = r * n;
                final int out = in + n;
                System.arraycopy(sensNum, 0, num, 0, n);
                System.arraycopy(sensDen, 0, den, 0, n);
                final int gBase = r * syn;
                for (int c = 0; c < syn; c++) {
                    final int idx = synIdx[c];
                    final double sg = sigmoid(v[oSigma + idx] * (states[in + synSrc[c]] - v[oMu + idx]));
                    synSig[gBase + c] = sg;
                    final double a = wEff[c] * sg;
                    num[synDst[c]] += a * v[oErev + idx];
                    den[synDst[c]] += a;
                }
                for (int j = 0; j < n; j++) {
                    final double cmt = cmEff[j] * perUnfold;
                    final double d = cmt + glEff[j] + den[j] + epsilon;
                    denoms[in + j] = d;
                    states[out + j] = (cmt * states[in + j] + glEff[j] * v[oVleak + j] + num[j]) / d;
                }
            }
            final int end = (k + 1) * unfolds * n;
            final double[] y = outputs[k];
            for (int o = 0; o < motors; o++) {
                y[o] = states[end + o] * v[oOutW + o] + v[oOutB + o];
            }
        }
    }

    /**
     * Reverse mode through the last {@link #forward} (see {@link SequenceModel#backward}).
     *
     * @param outputGradient \( \partial L / \partial y \), {@code [steps][motors]} (not modified)
     */
    @Override
    public void backward(final double[][] outputGradient) {
        if (outputGradient.length < steps) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "backward: " + outputGradient.length
                    + " gradient rows for a forward pass of " + steps + " steps");
        }
        final double[] v = params.values();
        final double[] g = params.gradient();
        java.util.Arrays.fill(gv, 0.0);
        for (int k = steps - 1; k >= 0; k--) {
            final int end = (k + 1) * unfolds * n;
            final double[] gy = outputGradient[k];
            for (int o = 0; o < motors; o++) {
                g[oOutW + o] += gy[o] * states[end + o];
                g[oOutB + o] += gy[o];
                gv[o] += gy[o] * v[oOutW + o];
            }
            java.util.Arrays.fill(gNs, 0.0);
            java.util.Arrays.fill(gDs, 0.0);
            final double perUnfold = unfolds / elapsedTimes[k];
            for (int l = unfolds - 1; l >= 0; l--) {
                final int r = k * unfolds + l;
                final int in = r * n;
                final int out = in + n;
                // v'_j = N_j / D_j: dL/dN_j = q_j, dL/dD_j = -q_j v'_j
                for (int j = 0; j < n; j++) {
                    final double q = gv[j] / denoms[in + j];
                    gv[j] = q;
                    final double vOut = states[out + j];
                    final double cmt = cmEff[j] * perUnfold;
                    g[oCm + j] += q * (states[in + j] - vOut) * perUnfold * cmDer[j];
                    g[oGleak + j] += q * (v[oVleak + j] - vOut) * glDer[j];
                    g[oVleak + j] += q * glEff[j];
                    gNs[j] += q;
                    gDs[j] -= q * vOut;
                    gvNew[j] = q * cmt;
                }
                final int gBase = r * syn;
                for (int c = 0; c < syn; c++) {
                    final int idx = synIdx[c];
                    final int i = synSrc[c];
                    final int j = synDst[c];
                    final double q = gv[j];
                    final double sg = synSig[gBase + c];
                    final double erev = v[oErev + idx];
                    final double da = q * (erev - states[out + j]);
                    g[oErev + idx] += q * wEff[c] * sg;
                    g[oW + idx] += da * sg * wDer[c];
                    final double dz = da * wEff[c] * sg * (1.0 - sg);
                    final double sigma = v[oSigma + idx];
                    g[oSigma + idx] += dz * (states[in + i] - v[oMu + idx]);
                    g[oMu + idx] -= dz * sigma;
                    gvNew[i] += dz * sigma;
                }
                System.arraycopy(gvNew, 0, gv, 0, n);
            }
            // sensory synapses (their conductances entered every unfold of the step)
            java.util.Arrays.fill(gu, 0.0);
            final int sBase = k * sens;
            for (int c = 0; c < sens; c++) {
                final int idx = sensIdx[c];
                final int s = sensSrc[c];
                final int j = sensDst[c];
                final double sg = sensSig[sBase + c];
                final double db = gNs[j] * v[oSErev + idx] + gDs[j];
                g[oSErev + idx] += gNs[j] * swEff[c] * sg;
                g[oSW + idx] += db * sg * swDer[c];
                final double dz = db * swEff[c] * sg * (1.0 - sg);
                final double sigma = v[oSSigma + idx];
                g[oSSigma + idx] += dz * (mapped[k * m + s] - v[oSMu + idx]);
                g[oSMu + idx] -= dz * sigma;
                gu[s] += dz * sigma;
            }
            for (int s = 0; s < m; s++) {
                g[oInW + s] += gu[s] * rawInputs[k * m + s];
                g[oInB + s] += gu[s];
            }
        }
    }

    /**
     * The hidden state after a step of the last {@link #forward}.
     *
     * @param step the step (0-based)
     * @param out  the N neuron states (written)
     */
    public void hiddenState(final int step, final double[] out) {
        if (step < 0 || step >= steps) {
            throw new OdeException(ErrorCode.INDEX_OUT_OF_RANGE, "step", step, steps);
        }
        System.arraycopy(states, (step + 1) * unfolds * n, out, 0, n);
    }

    /**
     * The cell's ODE for one constant input as an ode-core model, so that any registered solver can integrate
     * it: state {@code v} (N neurons, dimensionless; time in the unit of the elapsed times), starting at 0. Its
     * equation states the diagonal linear part (a {@link LinearSplitEquation}):
     * \[ a_j = -\frac{g_{l,j} + \sum_i a_{ij} + \sum_s b_{sj} + \varepsilon}{c_{m,j}}, \quad
     *    b_j = \frac{g_{l,j} v_{l,j} + \sum_i a_{ij} E_{ij} + \sum_s b_{sj} \hat E_{sj}}{c_{m,j}}, \]
     * so the {@code semi-implicit-euler} solver with step \( \Delta/L \) reproduces {@link #forward}'s unfolds.
     * The cell's \( \varepsilon \) appears as a leak conductance toward 0 (1e-8, negligible against gleak) so
     * that this holds exactly and not only to 1e-8. The parameters are copied now: later training does not
     * change the model.
     *
     * @param input raw input features (before the input map; length M; not modified)
     * @return the model, autonomous
     */
    public Model model(final double[] input) {
        if (input.length != m) {
            throw new OdeException(ErrorCode.DIMENSION_MISMATCH, "input of the LTC model", m, input.length);
        }
        effectiveParameters();
        final double[] v = params.values();
        final double[] sNum = new double[n];
        final double[] sDen = new double[n];
        for (int c = 0; c < sens; c++) {
            final int idx = sensIdx[c];
            final int s = sensSrc[c];
            final double u = input[s] * v[oInW + s] + v[oInB + s];
            final double b = swEff[c] * sigmoid(v[oSSigma + idx] * (u - v[oSMu + idx]));
            sNum[sensDst[c]] += b * v[oSErev + idx];
            sDen[sensDst[c]] += b;
        }
        final double[] sigma = new double[syn];
        final double[] mu = new double[syn];
        final double[] erev = new double[syn];
        for (int c = 0; c < syn; c++) {
            sigma[c] = v[oSigma + synIdx[c]];
            mu[c] = v[oMu + synIdx[c]];
            erev[c] = v[oErev + synIdx[c]];
        }
        final double[] leak = new double[n];
        for (int j = 0; j < n; j++) {
            leak[j] = glEff[j] * v[oVleak + j];
        }
        final Snapshot snap = new Snapshot(n, syn, synSrc.clone(), synDst.clone(), wEff.clone(), sigma, mu, erev,
                glEff.clone(), leak, cmEff.clone(), sNum, sDen, epsilon);
        final StateLayout layout = StateLayout.builder().vector("v", n, "1", 1.0).build();
        return Model.of("ltc", layout, Parameters.empty(), p -> new LtcEquation(snap), new double[n]);
    }

    /** Frozen effective parameters of {@link #model}. */
    private record Snapshot(int n, int syn, int[] src, int[] dst, double[] w, double[] sigma, double[] mu,
                            double[] erev, double[] gleak, double[] leak, double[] cm, double[] sensNum,
                            double[] sensDen, double epsilon) {
    }

    /** The conductance-form right-hand side with its linear split; owns its scratch arrays. */
    private static final class LtcEquation implements LinearSplitEquation {
        private final Snapshot p;
        private final double[] numerator;
        private final double[] denominator;
        private final double[] remainder;

        LtcEquation(final Snapshot p) {
            this.p = p;
            this.numerator = new double[p.n()];
            this.denominator = new double[p.n()];
            this.remainder = new double[p.n()];
        }

        @Override
        public int dimension() {
            return p.n();
        }

        @Override
        public boolean autonomous() {
            return true;
        }

        @Override
        public void split(final double t, final double[] y, final double[] a, final double[] b) {
            final int n = p.n();
            System.arraycopy(p.sensNum(), 0, numerator, 0, n);
            System.arraycopy(p.sensDen(), 0, denominator, 0, n);
            final int[] src = p.src();
            final int[] dst = p.dst();
            final double[] w = p.w();
            final double[] sigma = p.sigma();
            final double[] mu = p.mu();
            final double[] erev = p.erev();
            for (int c = 0; c < p.syn(); c++) {
                final double g = w[c] * sigmoid(sigma[c] * (y[src[c]] - mu[c]));
                numerator[dst[c]] += g * erev[c];
                denominator[dst[c]] += g;
            }
            for (int j = 0; j < n; j++) {
                final double cm = p.cm()[j];
                a[j] = -(p.gleak()[j] + denominator[j] + p.epsilon()) / cm;
                b[j] = (p.leak()[j] + numerator[j]) / cm;
            }
        }

        @Override
        public void derivatives(final double t, final double[] y, final double[] dydt) {
            final int n = p.n();
            split(t, y, dydt, remainder);
            for (int j = 0; j < n; j++) {
                dydt[j] = dydt[j] * y[j] + remainder[j];
            }
        }
    }

    /**
     * Saves the cell (kind {@value #KIND}: sizes, unfolds, epsilon, the wiring and every parameter) with
     * {@link ModelJson}; {@link #load} restores it bit for bit.
     *
     * @param file destination (written atomically)
     */
    public void save(final Path file) {
        final Map<String, Object> config = ModelJson.config("units", n, "inputs", m, "motors", motors,
                "unfolds", unfolds, "epsilon", epsilon, "wiring", wiring.toJson());
        ModelJson.write(file, KIND, config, params);
    }

    /**
     * Loads a cell saved by {@link #save}.
     *
     * @param file the file
     * @return the cell with the saved parameters
     * @throws OdeException naming the file and field if it is not a saved LTC cell
     */
    public static LtcCell load(final Path file) {
        final ModelJson.Document doc = ModelJson.read(file);
        if (!KIND.equals(doc.kind())) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, file + ": kind is '" + doc.kind() + "', not '"
                    + KIND + "'");
        }
        final JsonNode config = doc.config();
        final Wiring wiring = Wiring.fromJson(config.get("wiring"), file + ": config.wiring");
        final int unfolds = config.path("unfolds").asInt(DEFAULT_UNFOLDS);
        final double epsilon = config.path("epsilon").asDouble(DEFAULT_EPSILON);
        final LtcCell cell = new LtcCell(wiring, unfolds, epsilon);
        ModelJson.readParameters(doc, cell.params, file.toString());
        return cell;
    }

    @Override
    public String toString() {
        return "LtcCell[" + wiring + ", " + unfolds + " unfolds, " + params.size() + " parameters]";
    }
}
