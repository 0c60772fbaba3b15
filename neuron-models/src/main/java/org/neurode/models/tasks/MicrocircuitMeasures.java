package org.neurode.models.tasks;

import org.neurode.core.ErrorCode;
import org.neurode.core.Model;
import org.neurode.core.OdeException;
import org.neurode.core.StateLayout;
import org.neurode.models.Microcircuit;

/**
 * Measures of a {@link Microcircuit} state that the paper plots (Sacramento et al. 2018, Fig. 2C insets
 * and Fig. S1): the apical mismatch \( |v^P_{A,k}|^2 \), \( v^P_{A,k} = B_k r_{k+1} + Q_k r^I_k \) (0 in the
 * self-predicting state), the interneuron mismatch \( |u_{k+1} - u^I_k|^2 \), and the angle between the
 * transposed forward weights \( W_{k+1}^T \) and the top-down weights \( B_k \) (feedback alignment).
 * Computed from a flat state without allocating; the fixed top-down weights, which are parameters of the model
 * rather than state (see {@link Microcircuit}), are copied once when the measures are made. Immutable and
 * thread-safe.
 *
 * @since 0.1
 */
public final class MicrocircuitMeasures {

    private final Microcircuit.Config config;
    private final StateLayout layout;
    /** Per hidden layer k (index k - 1): B_k if it is a parameter of the model, else null (read from the state). */
    private final double[][] fixedTopDown;

    /**
     * @param config the circuit's configuration (reference kept)
     * @param model  the model built from it, with its fixed top-down weights set (for example by
     *               {@link Microcircuit#randomWeights}); they are copied
     */
    public MicrocircuitMeasures(final Microcircuit.Config config, final Model model) {
        this.config = config;
        this.layout = model.layout();
        this.fixedTopDown = new double[Math.max(0, config.layers() - 1)][];
        for (int k = 1; k < config.layers(); k++) {
            if (!layout.has("B" + k)) {
                fixedTopDown[k - 1] = model.parameters().array("B" + k);
            }
        }
    }

    /** B_k's array and the offset of its element (0, 0) in it: the state, or the fixed parameter. */
    private double[] topDown(final double[] y, final int k) {
        final double[] fixed = fixedTopDown[k - 1];
        return fixed != null ? fixed : y;
    }

    private int topDownOffset(final int k) {
        return fixedTopDown[k - 1] != null ? 0 : layout.block("B" + k).offset();
    }

    /**
     * \( |B_k \varphi(u_{k+1}) + Q_k \varphi(u^I_k)|^2 \), the squared apical potential of hidden layer k.
     *
     * @param y state (not modified)
     * @param k hidden layer, 1..N-1
     * @return the squared norm
     */
    public double apicalMismatch(final double[] y, final int k) {
        checkHidden(k);
        final double[] b = topDown(y, k);
        final int bOff = topDownOffset(k);
        final StateLayout.Block q = layout.block("Q" + k);
        final StateLayout.Block above = layout.block("u" + (k + 1));
        final StateLayout.Block inter = layout.block("uI" + k);
        final int rows = q.rows();
        final int cols = q.cols();
        double sum = 0.0;
        for (int i = 0; i < rows; i++) {
            double v = 0.0;
            for (int j = 0; j < cols; j++) {
                v += b[bOff + i * cols + j] * config.phi(y[above.offset() + j])
                        + y[q.offset() + i * cols + j] * config.phi(y[inter.offset() + j]);
            }
            sum += v * v;
        }
        return sum;
    }

    /**
     * \( |u_{k+1} - u^I_k|^2 \).
     *
     * @param y state (not modified)
     * @param k hidden layer, 1..N-1
     * @return the squared norm
     */
    public double interneuronMismatch(final double[] y, final int k) {
        checkHidden(k);
        final StateLayout.Block above = layout.block("u" + (k + 1));
        final StateLayout.Block inter = layout.block("uI" + k);
        double sum = 0.0;
        for (int i = 0; i < above.size(); i++) {
            final double d = y[above.offset() + i] - y[inter.offset() + i];
            sum += d * d;
        }
        return sum;
    }

    /**
     * The angle \( \arccos(\langle W_{k+1}^T, B_k \rangle_F / (|W_{k+1}|_F |B_k|_F)) \) in degrees: 0 when
     * the forward weights are the transposed feedback weights, 90 when unrelated.
     *
     * @param y state (not modified)
     * @param k hidden layer, 1..N-1
     * @return the angle (degrees; NaN if either matrix is zero)
     */
    public double alignmentAngleDeg(final double[] y, final int k) {
        checkHidden(k);
        final StateLayout.Block w = layout.block("W" + (k + 1));
        final double[] b = topDown(y, k);
        final int bOff = topDownOffset(k);
        // B_k is n_k x n_(k+1), the transpose of W_(k+1)
        final int rows = w.cols();
        final int cols = w.rows();
        double dot = 0.0;
        double ww = 0.0;
        double bb = 0.0;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                final double wv = y[w.offset() + j * rows + i];
                final double bv = b[bOff + i * cols + j];
                dot += wv * bv;
                ww += wv * wv;
                bb += bv * bv;
            }
        }
        final double cos = dot / Math.sqrt(ww * bb);
        return Math.toDegrees(Math.acos(Math.max(-1.0, Math.min(1.0, cos))));
    }

    /**
     * Output rates \( \varphi(u_N) \) of a state.
     *
     * @param y   state (not modified)
     * @param out rates (modified; output size)
     */
    public void outputRates(final double[] y, final double[] out) {
        final StateLayout.Block u = layout.block("u" + config.layers());
        for (int i = 0; i < u.size(); i++) {
            out[i] = config.phi(y[u.offset() + i]);
        }
    }

    private void checkHidden(final int k) {
        if (k < 1 || k >= config.layers()) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "hidden layer index " + k + " is not in 1.."
                    + (config.layers() - 1));
        }
    }
}
