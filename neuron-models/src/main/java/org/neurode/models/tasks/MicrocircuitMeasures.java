package org.neurode.models.tasks;

import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;
import org.neurode.core.StateLayout;
import org.neurode.models.Microcircuit;

/**
 * Measures of a {@link Microcircuit} state that the paper plots (Sacramento et al. 2018, Fig. 2C insets
 * and Fig. S1): the apical mismatch \( |v^P_{A,k}|^2 \), \( v^P_{A,k} = B_k r_{k+1} + Q_k r^I_k \) (0 in the
 * self-predicting state), the interneuron mismatch \( |u_{k+1} - u^I_k|^2 \), and the angle between the
 * transposed forward weights \( W_{k+1}^T \) and the top-down weights \( B_k \) (feedback alignment).
 * Computed from a flat state without allocating; immutable and thread-safe.
 *
 * @since 0.1
 */
public final class MicrocircuitMeasures {

    private final Microcircuit.Config config;
    private final StateLayout layout;

    /**
     * @param config the circuit's configuration (reference kept)
     * @param layout the layout of the model built from it (reference kept)
     */
    public MicrocircuitMeasures(final Microcircuit.Config config, final StateLayout layout) {
        this.config = config;
        this.layout = layout;
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
        final StateLayout.Block b = layout.block("B" + k);
        final StateLayout.Block q = layout.block("Q" + k);
        final StateLayout.Block above = layout.block("u" + (k + 1));
        final StateLayout.Block inter = layout.block("uI" + k);
        final int rows = b.rows();
        final int cols = b.cols();
        double sum = 0.0;
        for (int i = 0; i < rows; i++) {
            double v = 0.0;
            for (int j = 0; j < cols; j++) {
                v += y[b.offset() + i * cols + j] * config.phi(y[above.offset() + j])
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
        final StateLayout.Block b = layout.block("B" + k);
        final int rows = b.rows();
        final int cols = b.cols();
        double dot = 0.0;
        double ww = 0.0;
        double bb = 0.0;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                final double wv = y[w.offset() + j * rows + i];
                final double bv = y[b.offset() + i * cols + j];
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
