package org.neurode.solvers;

/**
 * Which problems a method suits.
 *
 * @since 0.1
 */
public enum Stiffness {
    /** Explicit method: step size is bounded by stability on stiff problems. */
    NONSTIFF("non-stiff"),
    /** Handles stiff diagonal linear parts exactly (fast membrane time constants), explicit otherwise. */
    STIFF_LINEAR_PART("stiff linear part"),
    /** Implicit or otherwise A-stable method for stiff problems. */
    STIFF("stiff");

    private final String label;

    Stiffness(final String label) {
        this.label = label;
    }

    /** @return short label for listings */
    public String label() {
        return label;
    }
}
