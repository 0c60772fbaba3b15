package org.neurode.core;

/**
 * Threshold, reset and refractoriness of a population of integrate-and-fire neurons: member {@code i}
 * spikes when {@code v[i]} rises above {@code threshold}, is set to {@code reset}, and stays clamped for
 * {@code refractory} time units. Immutable; variants via the {@code with*} methods.
 *
 * <p>The reset must lie strictly below the threshold: a neuron reset at or above its threshold would fire
 * again at once, as often as the solver looks (the spike count would depend on the solver and its steps),
 * so {@link #of} refuses it. A reset only just below the threshold is accepted; with a strong drive and no
 * refractory period such a neuron can still fire without end, which the simulations stop with
 * {@link ErrorCode#EVENT_RUNAWAY} (see {@link EventDetector}).
 *
 * @since 0.1
 */
public final class ThresholdEvent implements EventDetector {

    private final String name;
    private final StateLayout.Block block;
    private final double threshold;
    private final double reset;
    private final double refractory;
    private final Detection detection;

    private ThresholdEvent(final String name, final StateLayout.Block block, final double threshold,
                           final double reset, final double refractory, final Detection detection) {
        this.name = name;
        this.block = block;
        this.threshold = Checks.finite("threshold", threshold);
        this.reset = Checks.finite("reset", reset);
        requireResetBelowThreshold(block.name(), threshold, reset);
        this.refractory = Checks.nonNegative("refractory period", refractory);
        this.detection = detection;
    }

    /**
     * Refuses a reset at or above the threshold (see the class comment).
     *
     * @param variable  the variable's name, for the message
     * @param threshold threshold (unit of the variable)
     * @param reset     reset value (unit of the variable)
     * @throws OdeException ({@link ErrorCode#INVALID_ARGUMENT}) unless {@code reset < threshold}
     * @since 0.3
     */
    public static void requireResetBelowThreshold(final String variable, final double threshold, final double reset) {
        if (!(reset < threshold)) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "the reset " + reset + " of '" + variable
                    + "' is not below its threshold " + threshold + ": every spike would be followed by another at"
                    + " once; give a reset below the threshold");
        }
    }

    /**
     * @param block     the membrane-potential block
     * @param threshold firing threshold (unit of the block)
     * @param reset     reset value (unit of the block), below the threshold
     * @return a continuous, non-refractory threshold event named "spike"
     * @throws OdeException if the reset is not below the threshold (naming the block)
     */
    public static ThresholdEvent of(final StateLayout.Block block, final double threshold, final double reset) {
        return new ThresholdEvent("spike", block, threshold, reset, 0.0, Detection.CONTINUOUS);
    }

    /**
     * @param period refractory period (time unit), not negative
     * @return a copy with that refractory period
     */
    public ThresholdEvent withRefractory(final double period) {
        return new ThresholdEvent(name, block, threshold, reset, period, detection);
    }

    /**
     * @param mode detection mode
     * @return a copy with that detection mode
     */
    public ThresholdEvent withDetection(final Detection mode) {
        return new ThresholdEvent(name, block, threshold, reset, refractory, mode);
    }

    /**
     * @param newName detector name
     * @return a renamed copy
     */
    public ThresholdEvent withName(final String newName) {
        return new ThresholdEvent(newName, block, threshold, reset, refractory, detection);
    }

    /** @return the watched block */
    public StateLayout.Block block() {
        return block;
    }

    /** @return the threshold */
    public double threshold() {
        return threshold;
    }

    /** @return the reset value */
    public double reset() {
        return reset;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int size() {
        return block.size();
    }

    @Override
    public double g(final int member, final double t, final double[] y) {
        return y[block.offset() + member] - threshold;
    }

    @Override
    public EventAction onEvent(final int member, final double t, final double[] y) {
        y[block.offset() + member] = reset;
        return EventAction.RESET_STATE;
    }

    @Override
    public Detection detection() {
        return detection;
    }

    @Override
    public double refractoryPeriod() {
        return refractory;
    }

    @Override
    public int refractoryIndex(final int member) {
        return block.offset() + member;
    }

    @Override
    public int[] refractoryOffsets() {
        return new int[] {block.offset()};
    }

    @Override
    public int stepEndMembers(final double t, final double[] y, final double[] refractoryUntil,
                              final double stepStart, final int[] out) {
        // no call per member: the comparison inline
        final int off = block.offset();
        final int size = block.size();
        int count = 0;
        for (int m = 0; m < size; m++) {
            if (y[off + m] > threshold && (refractoryUntil == null || stepStart >= refractoryUntil[m])) {
                out[count++] = m;
            }
        }
        return count;
    }
}
