package org.neurode.models.ltc;

import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.JsonNode;

import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;
import org.neurode.models.learn.ModelJson;
import org.neurode.models.learn.ParameterVector;
import org.neurode.models.learn.SequenceModel;

/**
 * A continuous-time recurrent network (Funahashi and Nakamura 1993, Neural Networks 6:801), the CT-RNN baseline
 * of the LTC paper (Hasani et al. 2021, AAAI 35:7657):
 * \[ \dot x = -x / \tau + \tanh(W [u; x] + b), \quad \tau = \mathrm{softplus}(\tau_{raw}) \]
 * with N hidden units, M inputs u held constant over each input step, and a dense readout
 * \( y = W^{out} x + b^{out} \) after every step. Each step of elapsed time \( \Delta \) is integrated by L
 * explicit Euler unfolds of \( h = \Delta / L \) (as the LTC repository's CT-RNN, which uses 6 unfolds); time is in
 * the unit of the elapsed times (1 per sample by default).
 *
 * <p>Parameters (blocks of {@link #parameters()}): w (N x (M + N), row i = unit i, columns the inputs then the
 * units), b (N), tau (N, stored unconstrained, used through softplus so that it stays positive; starts at
 * softplus = 1), output_w (outputs x N), output_b (outputs). W and output_w start Xavier-uniform,
 * \( U(\pm\sqrt{6/(\mathrm{fan_{in}} + \mathrm{fan_{out}})}) \), from a {@link SplittableRandom} of the given seed;
 * the biases start at 0.
 *
 * <p>{@link #backward} is hand-written backpropagation through every unfold; work arrays grow with the sequence
 * length and are reused. Not thread-safe.
 *
 * @since 0.2
 */
public final class CtRnnCell implements SequenceModel {

    /** The {@code kind} of saved files. */
    public static final String KIND = "ctrnn";
    /** Default explicit Euler unfolds per input step. */
    public static final int DEFAULT_UNFOLDS = 6;
    /** softplus^-1(1): the stored tau that gives tau = 1. */
    private static final double TAU_ONE = Math.log(Math.E - 1.0);

    private final int n;
    private final int m;
    private final int outputs;
    private final int unfolds;
    private final int cols;
    private final ParameterVector params;
    private final int oW;
    private final int oB;
    private final int oTau;
    private final int oOutW;
    private final int oOutB;

    private final double[] tauEff;
    private final double[] tauDer;
    private final double[] gx;
    private final double[] gxNew;

    private int steps;
    private int capacity;
    private double[] inputsSeen;
    private double[] elapsedTimes;
    private double[] states;
    private double[] activations;

    private CtRnnCell(final int inputs, final int units, final int outputs, final int unfolds) {
        if (inputs < 1) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "inputs must be at least 1, not " + inputs);
        }
        if (units < 1) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "units must be at least 1, not " + units);
        }
        if (outputs < 1) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "outputs must be at least 1, not " + outputs);
        }
        if (unfolds < 1) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "unfolds must be at least 1, not " + unfolds);
        }
        this.n = units;
        this.m = inputs;
        this.outputs = outputs;
        this.unfolds = unfolds;
        this.cols = m + n;
        this.params = ParameterVector.builder().matrix("w", n, cols).vector("b", n).vector("tau", n)
                .matrix("output_w", outputs, n).vector("output_b", outputs).build();
        oW = params.offset("w");
        oB = params.offset("b");
        oTau = params.offset("tau");
        oOutW = params.offset("output_w");
        oOutB = params.offset("output_b");
        tauEff = new double[n];
        tauDer = new double[n];
        gx = new double[n];
        gxNew = new double[n];
    }

    /**
     * @param inputs  input features M
     * @param units   hidden units N
     * @param outputs outputs of the readout
     * @param unfolds explicit Euler steps per input step
     * @param seed    seed of the initial weights
     * @return the cell with fresh parameters
     * @throws OdeException naming the parameter if a size is below 1
     */
    public static CtRnnCell of(final int inputs, final int units, final int outputs, final int unfolds,
                               final long seed) {
        final CtRnnCell cell = new CtRnnCell(inputs, units, outputs, unfolds);
        final SplittableRandom rng = new SplittableRandom(seed);
        final double[] v = cell.params.values();
        final double limit = Math.sqrt(6.0 / (cell.cols + units));
        for (int k = 0; k < units * cell.cols; k++) {
            v[cell.oW + k] = limit * (2.0 * rng.nextDouble() - 1.0);
        }
        java.util.Arrays.fill(v, cell.oTau, cell.oTau + units, TAU_ONE);
        final double outLimit = Math.sqrt(6.0 / (units + outputs));
        for (int k = 0; k < outputs * units; k++) {
            v[cell.oOutW + k] = outLimit * (2.0 * rng.nextDouble() - 1.0);
        }
        return cell;
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
        return outputs;
    }

    /** @return hidden units */
    public int units() {
        return n;
    }

    /** @return Euler steps per input step */
    public int unfolds() {
        return unfolds;
    }

    private void ensureCapacity(final int t) {
        if (t <= capacity) {
            return;
        }
        final int c = Math.max(t, capacity * 2);
        inputsSeen = new double[c * m];
        elapsedTimes = new double[c];
        states = new double[(c * unfolds + 1) * n];
        activations = new double[c * unfolds * n];
        capacity = c;
    }

    /**
     * Runs a sequence from the zero state (see {@link SequenceModel#forward}).
     *
     * @param inputs  inputs {@code [steps][inputSize]} (not modified)
     * @param elapsed elapsed time of each step (positive; not modified), or {@code null} for 1
     * @param out     outputs {@code [steps][outputSize]} (written)
     */
    @Override
    public void forward(final double[][] inputs, final double[] elapsed, final double[][] out) {
        final int t = inputs.length;
        if (out.length < t || elapsed != null && elapsed.length < t) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "forward: " + t + " input steps but " + out.length
                    + " output rows" + (elapsed == null ? "" : " and " + elapsed.length + " elapsed times"));
        }
        ensureCapacity(t);
        steps = t;
        final double[] v = params.values();
        for (int i = 0; i < n; i++) {
            tauEff[i] = LtcCell.softplus(v[oTau + i]);
            tauDer[i] = LtcCell.softplusDerivative(v[oTau + i]);
        }
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
            System.arraycopy(x, 0, inputsSeen, k * m, m);
            final double h = dt / unfolds;
            for (int l = 0; l < unfolds; l++) {
                final int r = k * unfolds + l;
                final int in = r * n;
                final int next = in + n;
                for (int i = 0; i < n; i++) {
                    final int row = oW + i * cols;
                    double z = v[oB + i];
                    for (int s = 0; s < m; s++) {
                        z += v[row + s] * x[s];
                    }
                    for (int j = 0; j < n; j++) {
                        z += v[row + m + j] * states[in + j];
                    }
                    final double a = Math.tanh(z);
                    activations[in + i] = a;
                    states[next + i] = states[in + i] + h * (a - states[in + i] / tauEff[i]);
                }
            }
            final int end = (k + 1) * unfolds * n;
            final double[] y = out[k];
            for (int o = 0; o < outputs; o++) {
                double s = v[oOutB + o];
                for (int j = 0; j < n; j++) {
                    s += v[oOutW + o * n + j] * states[end + j];
                }
                y[o] = s;
            }
        }
    }

    /**
     * Reverse mode through the last {@link #forward} (see {@link SequenceModel#backward}).
     *
     * @param outputGradient \( \partial L / \partial y \), {@code [steps][outputSize]} (not modified)
     */
    @Override
    public void backward(final double[][] outputGradient) {
        if (outputGradient.length < steps) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "backward: " + outputGradient.length
                    + " gradient rows for a forward pass of " + steps + " steps");
        }
        final double[] v = params.values();
        final double[] g = params.gradient();
        java.util.Arrays.fill(gx, 0.0);
        for (int k = steps - 1; k >= 0; k--) {
            final int end = (k + 1) * unfolds * n;
            final double[] gy = outputGradient[k];
            for (int o = 0; o < outputs; o++) {
                g[oOutB + o] += gy[o];
                for (int j = 0; j < n; j++) {
                    g[oOutW + o * n + j] += gy[o] * states[end + j];
                    gx[j] += gy[o] * v[oOutW + o * n + j];
                }
            }
            final double h = elapsedTimes[k] / unfolds;
            for (int l = unfolds - 1; l >= 0; l--) {
                final int in = (k * unfolds + l) * n;
                for (int i = 0; i < n; i++) {
                    final double x = states[in + i];
                    final double tau = tauEff[i];
                    gxNew[i] = gx[i] * (1.0 - h / tau);
                    g[oTau + i] += gx[i] * h * x / (tau * tau) * tauDer[i];
                }
                for (int i = 0; i < n; i++) {
                    final double a = activations[in + i];
                    final double dz = gx[i] * h * (1.0 - a * a);
                    if (dz == 0.0) {
                        continue;
                    }
                    final int row = oW + i * cols;
                    g[oB + i] += dz;
                    for (int s = 0; s < m; s++) {
                        g[row + s] += dz * inputsSeen[k * m + s];
                    }
                    for (int j = 0; j < n; j++) {
                        g[row + m + j] += dz * states[in + j];
                        gxNew[j] += dz * v[row + m + j];
                    }
                }
                System.arraycopy(gxNew, 0, gx, 0, n);
            }
        }
    }

    /**
     * Saves the cell (kind {@value #KIND}) with {@link ModelJson}; {@link #load} restores it bit for bit.
     *
     * @param file destination (written atomically)
     */
    public void save(final Path file) {
        final Map<String, Object> config = ModelJson.config("inputs", m, "units", n, "outputs", outputs,
                "unfolds", unfolds);
        ModelJson.write(file, KIND, config, params);
    }

    /**
     * @param file a file written by {@link #save}
     * @return the cell
     * @throws OdeException naming the file and field if it is not a saved CT-RNN
     */
    public static CtRnnCell load(final Path file) {
        final ModelJson.Document doc = ModelJson.read(file);
        if (!KIND.equals(doc.kind())) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, file + ": kind is '" + doc.kind() + "', not '"
                    + KIND + "'");
        }
        final JsonNode c = doc.config();
        final CtRnnCell cell = new CtRnnCell(c.path("inputs").asInt(), c.path("units").asInt(),
                                             c.path("outputs").asInt(), c.path("unfolds").asInt(DEFAULT_UNFOLDS));
        ModelJson.readParameters(doc, cell.params, file.toString());
        return cell;
    }

    @Override
    public String toString() {
        return "CtRnnCell[" + m + " inputs, " + n + " units, " + outputs + " outputs, " + unfolds + " unfolds]";
    }
}
