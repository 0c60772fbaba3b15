package org.neurode.solvers;

import java.util.SplittableRandom;

import org.neurode.core.ErrorCode;
import org.neurode.core.Model;
import org.neurode.core.NoiseTerm;
import org.neurode.core.OdeException;
import org.neurode.core.StateLayout;

/**
 * The white noise of one run: the amplitude per state element (the sum of the model's noise terms on it), the
 * noisy elements and the generator, seeded from the options. The Euler-Maruyama increments of a step are added by
 * {@link #add}; a solver that is not stochastic refuses a noisy model when the run starts. Nothing allocates after
 * construction. Not thread-safe.
 */
final class WhiteNoise {

    /** Noise amplitude per state element (0 where none). */
    private final double[] sigma;
    /** Indices of noisy elements. */
    private final int[] noisy;
    /** Noise factors of {@link #addExponential} per noisy element, the coefficients and the step they are for. */
    private final double[] scale;
    private final double[] scaleA;
    private double scaleH = Double.NaN;
    /** The generator (see {@link #reseed}). */
    private SplittableRandom random;

    /**
     * @param model the model
     * @param info  the solver (a noisy model needs a stochastic one)
     * @param seed  the seed of the generator
     * @throws OdeException {@link ErrorCode#UNSUPPORTED} for a noisy model on a solver that is not stochastic
     */
    WhiteNoise(final Model model, final SolverInfo info, final long seed) {
        final StateLayout layout = model.layout();
        final int n = layout.dimension();
        this.sigma = new double[n];
        int count = 0;
        for (final NoiseTerm term : model.noise()) {
            final StateLayout.Block b = layout.block(term.block());
            for (int i = 0; i < b.size(); i++) {
                if (sigma[b.offset() + i] == 0 && term.sigma() > 0) {
                    count++;
                }
                sigma[b.offset() + i] += term.sigma();
            }
        }
        this.noisy = new int[count];
        for (int i = 0, k = 0; i < n; i++) {
            if (sigma[i] > 0) {
                noisy[k++] = i;
            }
        }
        if (noisy.length > 0 && !info.stochastic()) {
            throw new OdeException(ErrorCode.UNSUPPORTED, info.name(), "model '" + model.name()
                    + "' has white noise on '" + model.noise().get(0).block()
                    + "'; use a stochastic solver (euler-maruyama, exponential-euler) or Model.withoutNoise()");
        }
        this.scale = new double[count];
        this.scaleA = new double[count];
        java.util.Arrays.fill(scaleA, Double.NaN);
        this.random = new SplittableRandom(seed);
    }

    /**
     * Adds the Euler-Maruyama increments of a step: {@code sigma_i sqrt(h) N(0, 1)} to each noisy element.
     *
     * @param h     the step size (time unit of the model)
     * @param state the state at the step end (modified)
     */
    void add(final double h, final double[] state) {
        if (noisy.length > 0) {
            final double s = Math.sqrt(h);
            for (final int i : noisy) {
                state[i] += sigma[i] * s * random.nextGaussian();
            }
        }
    }

    /**
     * Adds the increments of the stochastic exponential Euler step: {@code sigma_i s(a_i, h) N(0, 1)} to each noisy
     * element, with {@code s(a, h)^2 = (e^{2 a h} - 1) / (2 a)} ({@code h} at {@code a = 0}), the variance of the
     * stochastic convolution \( \int_0^h e^{a (h - s)} dW_s \): exact for an Ornstein-Uhlenbeck process with
     * coefficient {@code a} at any step. The factors are cached per element and recomputed only where {@code a_i} or
     * {@code h} changed.
     *
     * @param h     the step size (time unit of the model)
     * @param state the state at the step end (modified)
     * @param a     the diagonal linear coefficients of the step (read at the noisy elements only)
     */
    void addExponential(final double h, final double[] state, final double[] a) {
        if (noisy.length == 0) {
            return;
        }
        // a fixed-step grid t0 + k h gives steps that differ from h in the last bits (t_{k+1} - t_k): those keep the
        // factors (a relative change of 1e-12 in h changes them by less than that; the same steps give the same bits)
        if (Math.abs(h - scaleH) > 1e-12 * h || Double.isNaN(scaleH)) {
            scaleH = h;
            java.util.Arrays.fill(scaleA, Double.NaN);
        }
        for (int k = 0; k < noisy.length; k++) {
            final int i = noisy[k];
            final double ai = a[i];
            if (ai != scaleA[k]) {
                scaleA[k] = ai;
                final double z = 2.0 * ai * h;
                scale[k] = sigma[i] * (z == 0.0 ? Math.sqrt(h) : Math.sqrt(Math.expm1(z) / (2.0 * ai)));
            }
            state[i] += scale[k] * random.nextGaussian();
        }
    }

    /**
     * Writes the stochastic exponential increments of a step ({@link #addExponential}) into {@code out} at the noisy
     * elements, leaving the others as they are: a solver that adds the same increments in several places of one
     * step keeps them in an array whose other elements stay 0.
     *
     * @param h   the step size
     * @param out increments (modified at the noisy elements only)
     * @param a   the diagonal linear coefficients of the step
     */
    void increments(final double h, final double[] out, final double[] a) {
        for (final int i : noisy) {
            out[i] = 0.0;
        }
        addExponential(h, out, a);
    }

    /** @return true if the model has white noise on some element */
    boolean any() {
        return noisy.length > 0;
    }

    /**
     * Restarts the generator.
     *
     * @param seed the new seed
     */
    void reseed(final long seed) {
        random = new SplittableRandom(seed);
    }
}
