package org.neurode.core;

/**
 * A piecewise-constant input: from {@code times[k]} on, the input block holds {@code values[k]}, until
 * the next switch time. Switch times are forced step points: solvers stop there, overwrite the input
 * block (in the equation's input buffer, not in the integrated state) and restart, so no step straddles a
 * discontinuity (diffrax's {@code jump_ts}). Before the first switch time the block holds the model's
 * default value ({@link Model#initialInputs()}).
 *
 * <p>The accessors return the record's own arrays (solvers read them at every switch without copying):
 * treat them as read-only.
 *
 * @param block  name of an input block of the model
 * @param times  strictly increasing switch times (time unit of the model)
 * @param values one value array per switch time, each of the block's size
 * @since 0.1
 */
public record InputSchedule(String block, double[] times, double[][] values) {

    /**
     * Validates the schedule.
     *
     * @param block  input block name
     * @param times  switch times (copied)
     * @param values values (copied)
     */
    public InputSchedule {
        if (times.length != values.length || times.length == 0) {
            throw new OdeException(ErrorCode.DIMENSION_MISMATCH, "values of input '" + block + "'",
                                   times.length, values.length);
        }
        times = times.clone();
        final double[][] v = new double[values.length][];
        for (int k = 0; k < times.length; k++) {
            Checks.finite("switch time " + k + " of input '" + block + "'", times[k]);
            if (k > 0 && times[k] <= times[k - 1]) {
                throw new OdeException(ErrorCode.INVALID_ARGUMENT, "switch times of input '" + block
                        + "' must increase strictly: times[" + k + "] = " + times[k] + " <= " + times[k - 1]);
            }
            v[k] = Checks.finiteArray("value " + k + " of input '" + block + "'", values[k],
                                      values[0].length).clone();
        }
        values = v;
    }

    /**
     * A constant input from time {@code t0} on.
     *
     * @param block input block name
     * @param t0    start time
     * @param value the value (copied)
     * @return the schedule
     */
    public static InputSchedule constant(final String block, final double t0, final double... value) {
        return new InputSchedule(block, new double[] {t0}, new double[][] {value});
    }

    /**
     * @param t time
     * @return index of the value active at {@code t}, or -1 before the first switch
     */
    public int activeIndex(final double t) {
        int k = -1;
        for (int i = 0; i < times.length && times[i] <= t; i++) {
            k = i;
        }
        return k;
    }
}
