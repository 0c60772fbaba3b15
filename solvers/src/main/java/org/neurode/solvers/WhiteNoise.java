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
     * Restarts the generator.
     *
     * @param seed the new seed
     */
    void reseed(final long seed) {
        random = new SplittableRandom(seed);
    }
}
