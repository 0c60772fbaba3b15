package org.neurode.models.ltc;

import java.util.SplittableRandom;

/**
 * A neural circuit policy wiring (Lechner et al. 2020, Nature Machine Intelligence 2:642; ncps'
 * {@code ncps.wirings.NCP}): four layers, sensory (the inputs) to inter to command (with recurrent command
 * synapses) to motor neurons. Neuron indices are ordered [motor | command | inter]. The construction follows
 * ncps step by step:
 * <ol>
 * <li>each input connects to {@code sensoryFanout} distinct random inter neurons; every inter neuron left without
 * input then receives synapses from {@code clip(inputs * sensoryFanout / inter, 1, inputs)} random inputs;</li>
 * <li>each inter neuron connects to {@code interFanout} distinct random command neurons; every command neuron left
 * without input then receives synapses from {@code clip(inter * interFanout / command, 1, command)} random inter
 * neurons (bounded also by the number of inter neurons, where numpy would fail);</li>
 * <li>{@code recurrentCommandSynapses} times, a random command neuron connects to a random command neuron (a
 * repeated pair overwrites its polarity, so there may be fewer synapses);</li>
 * <li>each motor neuron receives synapses from {@code motorFanin} distinct random command neurons; every command
 * neuron left without output then connects to {@code clip(motors * motorFanin / command, 1, motors)} random motor
 * neurons.</li>
 * </ol>
 * Every polarity is +1 or -1 with probability 1/2.
 *
 * <p>Seeded with {@link SplittableRandom}: the same seed always gives the same graph, but not the graph numpy's
 * {@code RandomState} draws for that seed in ncps (exchange graphs with {@link Wiring#toJson()} and
 * {@link Wiring#fromJson}).
 *
 * @since 0.2
 */
public final class Ncp {

    /** ncps' default seed. */
    public static final long DEFAULT_SEED = 22222L;

    private Ncp() {
    }

    /**
     * @param interNeurons             inter neurons (layer 2, at least 1)
     * @param commandNeurons           command neurons (layer 3, at least 1)
     * @param motorNeurons             motor neurons (outputs, at least 1)
     * @param sensoryFanout            synapses from each input to inter neurons (1..interNeurons)
     * @param interFanout              synapses from each inter neuron to command neurons (1..commandNeurons)
     * @param recurrentCommandSynapses random command-to-command synapses drawn (at least 0)
     * @param motorFanin               synapses from command neurons into each motor neuron (1..commandNeurons)
     * @param inputs                   input features (sensory neurons, at least 1)
     * @param seed                     seed of the graph
     * @return the wiring
     * @throws org.neurode.core.OdeException naming the parameter if a size is out of range
     */
    public static Wiring of(final int interNeurons, final int commandNeurons, final int motorNeurons,
                            final int sensoryFanout, final int interFanout, final int recurrentCommandSynapses,
                            final int motorFanin, final int inputs, final long seed) {
        atLeast("interNeurons", interNeurons, 1);
        atLeast("commandNeurons", commandNeurons, 1);
        atLeast("motorNeurons", motorNeurons, 1);
        atLeast("inputs", inputs, 1);
        atLeast("recurrentCommandSynapses", recurrentCommandSynapses, 0);
        within("sensoryFanout", sensoryFanout, interNeurons, "inter neurons");
        within("interFanout", interFanout, commandNeurons, "command neurons");
        within("motorFanin", motorFanin, commandNeurons, "command neurons");
        final int n = interNeurons + commandNeurons + motorNeurons;
        final int[] motor = range(0, motorNeurons);
        final int[] command = range(motorNeurons, commandNeurons);
        final int[] inter = range(motorNeurons + commandNeurons, interNeurons);
        final int[] sensory = range(0, inputs);
        final int[] adj = new int[n * n];
        final int[] sens = new int[inputs * n];
        final SplittableRandom rng = new SplittableRandom(seed);
        final int[] scratch = new int[Math.max(n, inputs)];

        // sensory -> inter
        final boolean[] reached = new boolean[n];
        for (final int src : sensory) {
            final int k = choose(rng, inter, sensoryFanout, scratch);
            for (int c = 0; c < k; c++) {
                reached[scratch[c]] = true;
                sens[src * n + scratch[c]] = polarity(rng);
            }
        }
        final int interFanin = clip(inputs * sensoryFanout / interNeurons, 1, inputs);
        for (final int dest : inter) {
            if (!reached[dest]) {
                final int k = choose(rng, sensory, interFanin, scratch);
                for (int c = 0; c < k; c++) {
                    sens[scratch[c] * n + dest] = polarity(rng);
                }
            }
        }

        // inter -> command
        java.util.Arrays.fill(reached, false);
        for (final int src : inter) {
            final int k = choose(rng, command, interFanout, scratch);
            for (int c = 0; c < k; c++) {
                reached[scratch[c]] = true;
                adj[src * n + scratch[c]] = polarity(rng);
            }
        }
        final int commandFanin = Math.min(clip(interNeurons * interFanout / commandNeurons, 1, commandNeurons),
                                          interNeurons);
        for (final int dest : command) {
            if (!reached[dest]) {
                final int k = choose(rng, inter, commandFanin, scratch);
                for (int c = 0; c < k; c++) {
                    adj[scratch[c] * n + dest] = polarity(rng);
                }
            }
        }

        // recurrent command synapses
        for (int r = 0; r < recurrentCommandSynapses; r++) {
            final int src = command[rng.nextInt(commandNeurons)];
            final int dest = command[rng.nextInt(commandNeurons)];
            adj[src * n + dest] = polarity(rng);
        }

        // command -> motor
        java.util.Arrays.fill(reached, false);
        for (final int dest : motor) {
            final int k = choose(rng, command, motorFanin, scratch);
            for (int c = 0; c < k; c++) {
                reached[scratch[c]] = true;
                adj[scratch[c] * n + dest] = polarity(rng);
            }
        }
        final int commandFanout = clip(motorNeurons * motorFanin / commandNeurons, 1, motorNeurons);
        for (final int src : command) {
            if (!reached[src]) {
                final int k = choose(rng, motor, commandFanout, scratch);
                for (int c = 0; c < k; c++) {
                    adj[src * n + scratch[c]] = polarity(rng);
                }
            }
        }

        final Wiring.NeuronType[] types = new Wiring.NeuronType[n];
        for (int i = 0; i < n; i++) {
            types[i] = i < motorNeurons ? Wiring.NeuronType.MOTOR
                    : i < motorNeurons + commandNeurons ? Wiring.NeuronType.COMMAND : Wiring.NeuronType.INTER;
        }
        return Wiring.create("ncp", n, inputs, motorNeurons, adj, sens, types);
    }

    private static void atLeast(final String name, final int value, final int min) {
        if (value < min) {
            throw Wiring.invalid(name + " must be at least " + min + ", not " + value);
        }
    }

    private static void within(final String name, final int value, final int max, final String of) {
        if (value < 1 || value > max) {
            throw Wiring.invalid(name + " is " + value + " but must be between 1 and the " + max + " " + of);
        }
    }

    private static int clip(final int x, final int lo, final int hi) {
        return Math.max(lo, Math.min(hi, x));
    }

    private static int[] range(final int start, final int count) {
        final int[] r = new int[count];
        for (int i = 0; i < count; i++) {
            r[i] = start + i;
        }
        return r;
    }

    /**
     * Draws {@code k} distinct elements of {@code from} (numpy's {@code choice(..., replace=False)}) into
     * {@code out[0..k)} by a partial Fisher-Yates shuffle.
     */
    private static int choose(final SplittableRandom rng, final int[] from, final int k, final int[] out) {
        final int[] pool = from.clone();
        for (int c = 0; c < k; c++) {
            final int j = c + rng.nextInt(pool.length - c);
            final int t = pool[c];
            pool[c] = pool[j];
            pool[j] = t;
            out[c] = pool[c];
        }
        return k;
    }

    /** ncps' {@code rng.choice([-1, 1])}. */
    private static int polarity(final SplittableRandom rng) {
        return rng.nextBoolean() ? 1 : -1;
    }
}
