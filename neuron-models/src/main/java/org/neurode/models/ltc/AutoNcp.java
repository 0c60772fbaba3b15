package org.neurode.models.ltc;

/**
 * A neural circuit policy sized from the number of neurons and outputs alone (ncps' {@code AutoNCP}; Lechner
 * et al. 2020, Nature Machine Intelligence 2:642). With density \( d = 1 - \mathrm{sparsity} \):
 * <pre>
 *   command   = max(int(0.4 (units - outputs)), 1)
 *   inter     = units - outputs - command
 *   sensoryFanout            = max(int(inter d), 1)
 *   interFanout              = max(int(command d), 1)
 *   recurrentCommandSynapses = max(int(command d 2), 1)
 *   motorFanin               = max(int(command d), 1)
 * </pre>
 * ({@code int} truncates toward zero, as Python's). For example {@code AutoNcp.of(16, 1, 2)} has 9 inter, 6
 * command and 1 motor neuron, the network of ncps' PyTorch sine example; Keras' example uses
 * {@code AutoNcp.of(8, 1, 2)}.
 *
 * <p>Seeded with {@link java.util.SplittableRandom} (see {@link Ncp}): the same seed always gives the same graph,
 * but not the one numpy draws for that seed in ncps; exchange graphs as JSON ({@link Wiring#toJson()},
 * {@link Wiring#fromJson}) to compare the two.
 *
 * @since 0.2
 */
public final class AutoNcp {

    /** ncps' default sparsity level. */
    public static final double DEFAULT_SPARSITY = 0.5;

    private AutoNcp() {
    }

    /**
     * @param units   neurons (more than {@code outputs + 2})
     * @param outputs motor neurons (at least 1)
     * @param inputs  input features (at least 1)
     * @return the wiring with sparsity {@value #DEFAULT_SPARSITY} and seed {@value Ncp#DEFAULT_SEED}
     */
    public static Wiring of(final int units, final int outputs, final int inputs) {
        return of(units, outputs, inputs, DEFAULT_SPARSITY, Ncp.DEFAULT_SEED);
    }

    /**
     * @param units    neurons (more than {@code outputs + 2})
     * @param outputs  motor neurons (at least 1)
     * @param inputs   input features (at least 1)
     * @param sparsity sparsity level in [0.1, 1.0] (ncps' bounds)
     * @param seed     seed of the graph
     * @return the wiring
     * @throws org.neurode.core.OdeException naming the parameter if a size is out of range
     */
    public static Wiring of(final int units, final int outputs, final int inputs, final double sparsity,
                            final long seed) {
        if (outputs < 1) {
            throw Wiring.invalid("outputs must be at least 1, not " + outputs);
        }
        if (outputs >= units - 2) {
            throw Wiring.invalid("outputs must be less than units - 2 (given units = " + units + ", outputs = "
                    + outputs + ")");
        }
        if (!(sparsity >= 0.1 && sparsity <= 1.0)) {
            throw Wiring.invalid("sparsity must be between 0.1 and 1.0, not " + sparsity);
        }
        final double density = 1.0 - sparsity;
        final int interAndCommand = units - outputs;
        final int command = Math.max((int) (0.4 * interAndCommand), 1);
        final int inter = interAndCommand - command;
        final int sensoryFanout = Math.max((int) (inter * density), 1);
        final int interFanout = Math.max((int) (command * density), 1);
        final int recurrent = Math.max((int) (command * density * 2), 1);
        final int motorFanin = Math.max((int) (command * density), 1);
        final Wiring w = Ncp.of(inter, command, outputs, sensoryFanout, interFanout, recurrent, motorFanin, inputs,
                                seed);
        return Wiring.create("auto-ncp", w.units(), w.inputs(), w.motors(), flat(w.adjacency()),
                             flat(w.sensoryAdjacency()), types(w));
    }

    private static int[] flat(final int[][] m) {
        final int c = m[0].length;
        final int[] out = new int[m.length * c];
        for (int i = 0; i < m.length; i++) {
            System.arraycopy(m[i], 0, out, i * c, c);
        }
        return out;
    }

    private static Wiring.NeuronType[] types(final Wiring w) {
        final Wiring.NeuronType[] t = new Wiring.NeuronType[w.units()];
        for (int i = 0; i < t.length; i++) {
            t[i] = w.type(i);
        }
        return t;
    }
}
