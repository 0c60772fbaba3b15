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
    private final double ticksPerUnit;

    private Progress(final ProgressBar bar, final double tStart, final double ticksPerUnit) {
        this.bar = bar;
        this.tStart = tStart;
        this.ticksPerUnit = ticksPerUnit;
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
        return new Progress(bar, tStart, TICKS_PER_MS);
    }

    /**
     * A progress bar on standard error that counts items (patterns, runs) instead of simulated time, with
     * their rate per second, elapsed time, ETA and a free message (for example the current error).
     *
     * @param task  task name shown at the left
     * @param unit  unit shown after the counts, e.g. {@code " patterns"}
     * @param start count already done (a resumed run)
     * @param total count at the end
     * @return the progress display
     * @since 0.1
     */
    public static Progress counting(final String task, final String unit, final long start, final long total) {
        final ProgressBar bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(Math.max(1L, total))
                .startsFrom(start, java.time.Duration.ZERO)
                .setUnit(unit, 1L)
                .showSpeed(new DecimalFormat("0.0", DecimalFormatSymbols.getInstance(Locale.ROOT)))
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(250)
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .build();
        return new Progress(bar, 0.0, 1.0);
    }

    /** @return a display that shows nothing */
    public static Progress none() {
        return new Progress(null, 0.0, 1.0);
    }

    /**
     * @param t simulated time reached (ms)
     */
    public void update(final double t) {
        if (bar != null) {
            bar.stepTo(Math.round((t - tStart) * ticksPerUnit));
        }
    }

    /**
     * Updates a {@link #counting} display.
     *
     * @param count   items done
     * @param message text shown after the bar (may be empty)
     * @since 0.1
     */
    public void update(final long count, final String message) {
        if (bar != null) {
            bar.stepTo(count);
            bar.setExtraMessage(message);
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
