package org.neurode.models.credit;

/**
 * How a {@link LayeredNetwork} sends the output error to its hidden layers: the learning rules compared. With
 * delta_L the output error (the loss's gradient with respect to the output layer's input), f'_k the hidden layer
 * k's slopes and W_k the forward weights into layer k:
 *
 * @since 0.1
 */
public enum Feedback {

    /** Backprop (Rumelhart, Hinton and Williams 1986): delta_k = f'_k * (W_{k+1}^T delta_{k+1}). The reference. */
    BACKPROP("backprop", "the exact gradient through the transposed forward weights (Rumelhart et al. 1986)"),

    /**
     * Feedback alignment (Lillicrap, Cownden, Tweed and Akerman, Nat. Commun. 7:13276, 2016):
     * delta_k = f'_k * (B_{k+1} delta_{k+1}) with fixed random B_{k+1} in place of W_{k+1}^T. The forward weights come
     * to align with B^T.
     */
    FEEDBACK_ALIGNMENT("feedback-alignment", "the output error through fixed random matrices, layer by layer"
            + " (Lillicrap et al. 2016)"),

    /**
     * Direct feedback alignment (Nokland, NeurIPS 2016): delta_k = f'_k * (D_k delta_L), the output error sent to
     * every hidden layer through its own fixed random D_k. With one hidden layer it is feedback alignment.
     */
    DIRECT_FEEDBACK_ALIGNMENT("direct-feedback-alignment", "the output error to every hidden layer through its"
            + " own fixed random matrix (Nokland 2016)"),

    /**
     * Kickback (Balduzzi, Vanchinathan and Buhmann, AAAI 2015): one global signed error beta = target - output
     * (one output only) and, for hidden unit j, its kickback tau_j = sum_k W_{k j} f'_k, the summed weights onto the
     * active units of the layer above; delta_j = -beta f'_j tau_j. Backprop truncated: every error above a layer is
     * replaced by the global error times the unit's slope. With one hidden layer under a linear output it is
     * backprop.
     */
    KICKBACK("kickback", "one signed global error times each unit's summed weights onto active units"
            + " (Balduzzi et al. 2015)"),

    /** The shallow learner: only the output layer learns (the delta rule); the hidden layers keep their weights. */
    SHALLOW("shallow", "only the output layer learns (the delta rule)");

    private final String label;
    private final String description;

    Feedback(final String label, final String description) {
        this.label = label;
        this.description = description;
    }

    /** @return one line: what the rule sends to the hidden layers, and the paper */
    public String description() {
        return description;
    }

    /**
     * @param outputs the network's output size
     * @return null if the rule can train a network with that many outputs, else why not (Kickback sends one
     *         global error and needs one output)
     */
    public String unsupported(final int outputs) {
        return this == KICKBACK && outputs != 1
                ? "kickback sends one global error and needs one output, not " + outputs : null;
    }

    /** @return the name as the command line spells it */
    public String label() {
        return label;
    }

    /**
     * @param label a name as {@link #label()} spells it
     * @return the rule
     * @throws IllegalArgumentException naming the known rules if there is none of that name
     */
    public static Feedback of(final String label) {
        for (final Feedback f : values()) {
            if (f.label.equals(label)) {
                return f;
            }
        }
        final StringBuilder known = new StringBuilder();
        for (final Feedback f : values()) {
            known.append(known.length() == 0 ? "" : ", ").append(f.label);
        }
        throw new IllegalArgumentException("unknown rule '" + label + "'; known: " + known);
    }
}
