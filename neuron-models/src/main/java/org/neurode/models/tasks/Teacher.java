package org.neurode.models.tasks;

import java.util.random.RandomGenerator;

import org.neurode.core.ErrorCode;
import org.neurode.core.OdeException;
import org.neurode.models.Microcircuit;

/**
 * The teacher of the nonlinear regression task of Sacramento, Costa, Bengio and Senn (NeurIPS 2018,
 * Fig. 2): a two-layer rate network
 * \( r^{trgt} = \varphi(k_{21} W_{21} \varphi(k_{10} W_{10} x)) \) with the student's rate function, whose
 * output potential \( u^{trgt} = k_{21} W_{21} \varphi(k_{10} W_{10} x) = \varphi^{-1}(r^{trgt}) \) nudges
 * the student's output layer (docs/microcircuit.md, "The regression task"). Immutable; the evaluation
 * methods write into caller arrays and use a scratch array per call site, so one teacher may be shared by threads only through
 * {@link #copy()}.
 *
 * @since 0.1
 */
public final class Teacher {

    /** Hidden-layer gain of the paper's teacher. */
    public static final double PAPER_GAIN_HIDDEN = 2.0;
    /** Output-layer gain of the paper's teacher. */
    public static final double PAPER_GAIN_OUTPUT = 10.0;

    private final Microcircuit.Config config;
    private final int nIn;
    private final int nHidden;
    private final int nOut;
    private final double[] w10;
    private final double[] w21;
    private final double k10;
    private final double k21;
    private final double[] hidden;

    private Teacher(final Microcircuit.Config config, final int nIn, final int nHidden, final int nOut,
                    final double[] w10, final double[] w21, final double k10, final double k21) {
        this.config = config;
        this.nIn = nIn;
        this.nHidden = nHidden;
        this.nOut = nOut;
        this.w10 = w10;
        this.w21 = w21;
        this.k10 = k10;
        this.k21 = k21;
        this.hidden = new double[nHidden];
    }

    /**
     * A teacher with U(-1, 1) weights (row-major, hidden weights first) and the paper's gains
     * \( k_{10} = 2, k_{21} = 10 \).
     *
     * @param config  the student's configuration: its phi, input size (first layer) and output size (last)
     * @param nHidden teacher hidden-layer size (20 in the paper)
     * @param random  random source (advanced by {@code nHidden * (in + out)} draws)
     * @return the teacher
     */
    public static Teacher random(final Microcircuit.Config config, final int nHidden, final RandomGenerator random) {
        if (nHidden <= 0) {
            throw new OdeException(ErrorCode.NOT_POSITIVE, "teacher hidden size", nHidden);
        }
        final int[] sizes = config.sizes();
        final int nIn = sizes[0];
        final int nOut = sizes[sizes.length - 1];
        final double[] w10 = new double[nHidden * nIn];
        final double[] w21 = new double[nOut * nHidden];
        for (int i = 0; i < w10.length; i++) {
            w10[i] = random.nextDouble(-1.0, 1.0);
        }
        for (int i = 0; i < w21.length; i++) {
            w21[i] = random.nextDouble(-1.0, 1.0);
        }
        return new Teacher(config, nIn, nHidden, nOut, w10, w21, PAPER_GAIN_HIDDEN, PAPER_GAIN_OUTPUT);
    }

    /** @return a teacher with the same weights and its own scratch array (for another thread) */
    public Teacher copy() {
        return new Teacher(config, nIn, nHidden, nOut, w10, w21, k10, k21);
    }

    /** @return input size */
    public int inputSize() {
        return nIn;
    }

    /** @return output size */
    public int outputSize() {
        return nOut;
    }

    /**
     * Target potential \( u^{trgt} = k_{21} W_{21} \varphi(k_{10} W_{10} x) \).
     *
     * @param x   input rates (not modified; input size)
     * @param out target potentials (modified; output size)
     */
    public void targetPotential(final double[] x, final double[] out) {
        for (int j = 0; j < nHidden; j++) {
            double s = 0.0;
            for (int i = 0; i < nIn; i++) {
                s += w10[j * nIn + i] * x[i];
            }
            hidden[j] = config.phi(k10 * s);
        }
        for (int o = 0; o < nOut; o++) {
            double s = 0.0;
            for (int j = 0; j < nHidden; j++) {
                s += w21[o * nHidden + j] * hidden[j];
            }
            out[o] = k21 * s;
        }
    }

    /**
     * Target rate \( r^{trgt} = \varphi(u^{trgt}) \).
     *
     * @param x   input rates (not modified; input size)
     * @param out target rates (modified; output size)
     */
    public void targetRate(final double[] x, final double[] out) {
        targetPotential(x, out);
        for (int o = 0; o < nOut; o++) {
            out[o] = config.phi(out[o]);
        }
    }
}
