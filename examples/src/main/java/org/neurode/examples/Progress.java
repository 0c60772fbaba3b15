package org.neurode.examples;

import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of a run in simulated time, shown as a terminal progress bar on standard error (simulated ms
 * done, rate in simulated ms per wall-clock second, elapsed time and ETA), or nothing at all. Redrawn by
 * a background thread a few times a second; close it when the run ends.
 *
 * @since 0.1
 */
public final class Progress implements AutoCloseable {

    /** Progress counts in µs of simulated time, shown as whole ms. */
    private static final long TICKS_PER_MS = 1000L;

    private final ProgressBar bar;
    private final double tStart;

    private Progress(final ProgressBar bar, final double tStart) {
        this.bar = bar;
        this.tStart = tStart;
    }

    /**
     * A progress bar on standard error.
     *
     * @param task   task name shown at the left, e.g. {@code "simulate lif"}
     * @param tStart start time (ms)
     * @param tEnd   end time (ms)
     * @return the progress display
     */
    public static Progress console(final String task, final double tStart, final double tEnd) {
        final ProgressBar bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(Math.max(1L, Math.round((tEnd - tStart) * TICKS_PER_MS)))
                .setUnit(" ms", TICKS_PER_MS)
                .showSpeed(new DecimalFormat("0.0", DecimalFormatSymbols.getInstance(Locale.ROOT)))
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(250)
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .build();
        return new Progress(bar, tStart);
    }

    /** @return a display that shows nothing */
    public static Progress none() {
        return new Progress(null, 0.0);
    }

    /**
     * @param t simulated time reached (ms)
     */
    public void update(final double t) {
        if (bar != null) {
            bar.stepTo(Math.round((t - tStart) * TICKS_PER_MS));
        }
    }

    /** Stops the display (draws it a last time). */
    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
