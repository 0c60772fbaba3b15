package org.neurode.models.ltc;

import java.util.SplittableRandom;

/**
 * The fully connected wiring of ncps ({@code ncps.wirings.FullyConnected}): every neuron has a synapse to every
 * neuron (optionally without self-connections) and every input to every neuron; each polarity is drawn from
 * {-1, +1, +1} (two thirds excitatory). The first {@code motors} neurons are the outputs.
 *
 * <p>Seeded with {@link SplittableRandom}: the same seed always gives the same graph, but not the graph numpy
 * draws for that seed in ncps (exchange graphs with {@link Wiring#toJson()} and {@link Wiring#fromJson}).
 *
 * @since 0.2
 */
public final class FullyConnected {

    /** ncps' default {@code erev_init_seed}. */
    public static final long DEFAULT_SEED = 1111L;

    private FullyConnected() {
    }

    /**
     * @param units   neurons N (at least 1)
     * @param motors  motor neurons (outputs), 1..N
     * @param inputs  input features M (at least 1)
     * @return the wiring with self-connections and seed {@value #DEFAULT_SEED}
     */
    public static Wiring of(final int units, final int motors, final int inputs) {
        return of(units, motors, inputs, DEFAULT_SEED, true);
    }

    /**
     * @param units           neurons N (at least 1)
     * @param motors          motor neurons (outputs), 1..N
     * @param inputs          input features M (at least 1)
     * @param seed            seed of the polarities
     * @param selfConnections whether neuron i has a synapse onto itself
     * @return the wiring
     * @throws org.neurode.core.OdeException naming the parameter if a size is out of range
     */
    public static Wiring of(final int units, final int motors, final int inputs, final long seed,
                            final boolean selfConnections) {
        if (units < 1) {
            throw Wiring.invalid("units must be at least 1, not " + units);
        }
        if (motors < 1 || motors > units) {
            throw Wiring.invalid("motors must be between 1 and units = " + units + ", not " + motors);
        }
        if (inputs < 1) {
            throw Wiring.invalid("inputs must be at least 1, not " + inputs);
        }
        final SplittableRandom rng = new SplittableRandom(seed);
        final int[] adj = new int[units * units];
        for (int src = 0; src < units; src++) {
            for (int dest = 0; dest < units; dest++) {
                if (src != dest || selfConnections) {
                    adj[src * units + dest] = polarity(rng);
                }
            }
        }
        final int[] sens = new int[inputs * units];
        for (int k = 0; k < sens.length; k++) {
            sens[k] = polarity(rng);
        }
        return Wiring.create("fully-connected", units, inputs, motors, adj, sens, null);
    }

    /** ncps' {@code rng.choice([-1, 1, 1])}. */
    private static int polarity(final SplittableRandom rng) {
        return rng.nextInt(3) == 0 ? -1 : 1;
    }
}
