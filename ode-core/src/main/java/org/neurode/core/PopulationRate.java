package org.neurode.core;

import java.util.Arrays;

/**
 * The population rate of one event kind: events per member and second in consecutive bins, as Brian2's {@code
 * PopulationRateMonitor} (whose bins are the time steps: with a bin of one step the rates here are Brian2's {@code
 * rate}), with Brian2's {@code smooth_rate} (flat and Gaussian windows). Immutable; made from an {@link EventLog}
 * after a run, so recording it costs nothing while the simulation runs.
 *
 * <p>Bin {@code k} holds the events with {@code start + k * binWidth <= t < start + (k + 1) * binWidth} (to within
 * 10^-9 of a bin, so that an event logged at a step start computed as {@code k * dt} lands in its step's bin); an
 * event at the end time itself, which continuous detection can log, counts in the last bin. The rate of a bin is
 * {@code count / (members * binWidth)} in hertz: {@code binWidth} is converted from the model's time unit.
 *
 * @since 0.5
 */
public final class PopulationRate {

    /** Slack of the bin index, in bins (event times are step starts computed as {@code k * dt}). */
    private static final double BIN_SLACK = 1e-9;

    private final String event;
    private final int members;
    private final double start;
    private final double binWidth;
    private final double secondsPerUnit;
    private final int[] counts;

    private PopulationRate(final String event, final int members, final double start, final double binWidth,
                           final double secondsPerUnit, final int[] counts) {
        this.event = event;
        this.members = members;
        this.start = start;
        this.binWidth = binWidth;
        this.secondsPerUnit = secondsPerUnit;
        this.counts = counts;
    }

    /**
     * Bins the events of one kind.
     *
     * @param events         the events of a run
     * @param event          the event kind (a detector's name, e.g. {@code spike})
     * @param members        the size of its population (positive)
     * @param start          start of the first bin (the run's start time), in the model's time unit
     * @param end            end of the run (after {@code start})
     * @param binWidth       width of a bin (positive), in the model's time unit; the last bin may reach past
     *                       {@code end} if the span is not a whole number of bins (its rate is still per
     *                       {@code binWidth})
     * @param secondsPerUnit seconds per time unit of the model (0.001 for ms)
     * @return the binned rate
     * @throws OdeException naming the argument at fault, or the event kind if the log has none of that name
     */
    public static PopulationRate of(final EventLog events, final String event, final int members, final double start,
                                    final double end, final double binWidth, final double secondsPerUnit) {
        if (members <= 0) {
            throw new OdeException(ErrorCode.NOT_POSITIVE, "members of event '" + event + "'", members);
        }
        Checks.positive("bin width of the rate of '" + event + "'", binWidth);
        Checks.positive("seconds per time unit", secondsPerUnit);
        Checks.finite("start", start);
        if (!(end > start) || Double.isInfinite(end)) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "the rate of '" + event + "' needs an end after the "
                    + "start " + start + ", not " + end);
        }
        final double bins = Math.ceil((end - start) / binWidth - BIN_SLACK);
        if (bins > 100_000_000) {
            throw new OdeException(ErrorCode.INVALID_ARGUMENT, "the rate of '" + event + "' would have " + bins
                    + " bins of " + binWidth + " from " + start + " to " + end + "; use a wider bin");
        }
        final int[] counts = new int[(int) Math.max(1, bins)];
        final double[] times = events.times(event);
        for (final double t : times) {
            final long k = (long) Math.floor((t - start) / binWidth + BIN_SLACK);
            if (k >= 0 && t <= end) {
                counts[(int) Math.min(k, counts.length - 1)]++;
            }
        }
        return new PopulationRate(event, members, start, binWidth, secondsPerUnit, counts);
    }

    /** @return the event kind */
    public String event() {
        return event;
    }

    /** @return the size of the population */
    public int members() {
        return members;
    }

    /** @return the width of a bin, in the model's time unit */
    public double binWidth() {
        return binWidth;
    }

    /** @return the number of bins */
    public int size() {
        return counts.length;
    }

    /** @return the start of each bin (Brian2's {@code t}), in the model's time unit */
    public double[] times() {
        final double[] t = new double[counts.length];
        for (int k = 0; k < t.length; k++) {
            t[k] = start + k * binWidth;
        }
        return t;
    }

    /** @return the number of events in each bin */
    public int[] counts() {
        return counts.clone();
    }

    /** @return the rate of each bin in hertz: events per member and second (Brian2's {@code rate}) */
    public double[] rates() {
        final double[] r = new double[counts.length];
        final double per = 1.0 / (members * binWidth * secondsPerUnit);
        for (int k = 0; k < r.length; k++) {
            r[k] = counts[k] * per;
        }
        return r;
    }

    /**
     * The rates smoothed with a flat window, as Brian2's {@code smooth_rate('flat', width)}: the window is the odd
     * number of bins {@code 2 * floor(width / (2 * binWidth)) + 1} (so that the rate is not shifted in time), the
     * rates beyond the ends count as 0 (NumPy's {@code convolve(mode='same')}).
     *
     * @param width the window's width, in the model's time unit (positive)
     * @return the smoothed rates in hertz, one per bin
     */
    public double[] smoothFlat(final double width) {
        Checks.positive("smoothing width", width);
        final int half = (int) (width / 2 / binWidth);
        final double[] w = new double[2 * half + 1];
        Arrays.fill(w, 1.0);
        return convolve(rates(), w);
    }

    /**
     * The rates smoothed with a Gaussian window, as Brian2's {@code smooth_rate('gaussian', width)}: standard
     * deviation {@code width}, the window cut at {@code round(2 * width / binWidth)} bins on each side, normalised to
     * a sum of 1; the rates beyond the ends count as 0.
     *
     * @param width the standard deviation, in the model's time unit (positive)
     * @return the smoothed rates in hertz, one per bin
     */
    public double[] smoothGaussian(final double width) {
        Checks.positive("smoothing width", width);
        final int half = (int) Math.rint(2 * width / binWidth);
        final double sigma = width / binWidth;
        final double[] w = new double[2 * half + 1];
        for (int m = -half; m <= half; m++) {
            w[m + half] = Math.exp(-(double) m * m * (1.0 / (2 * sigma * sigma)));
        }
        return convolve(rates(), w);
    }

    /** NumPy's {@code convolve(x, w / sum(w), mode='same')} for a symmetric window of odd length (output as x). */
    private static double[] convolve(final double[] x, final double[] w) {
        double sum = 0.0;
        for (final double v : w) {
            sum += v;
        }
        final double[] wn = new double[w.length];
        for (int j = 0; j < w.length; j++) {
            wn[j] = w[j] * (1.0 / sum);
        }
        final int half = w.length / 2;
        final double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double acc = 0.0;
            for (int j = 0; j < wn.length; j++) {
                final int k = i + half - j;
                if (k >= 0 && k < x.length) {
                    acc += x[k] * wn[j];
                }
            }
            out[i] = acc;
        }
        return out;
    }
}
