package org.neurode.examples;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ctrl-C or SIGTERM during a long run: a shutdown hook raises a stop flag that the run polls, then waits (at
 * most a minute) until the run has written its files, so that the JVM does not exit half-way through them.
 *
 * @since 0.2
 */
public final class StopOnSignal {

    /** Longest wait for the run to finish its files after the signal (s). */
    private static final long GRACE_SECONDS = 60;

    private final AtomicBoolean stop = new AtomicBoolean();

    /** @return true once a stop was requested */
    public boolean requested() {
        return stop.get();
    }

    /**
     * Runs {@code body} with the hook installed.
     *
     * @param name thread name of the hook
     * @param body the run; it polls {@link #requested()} and writes its files before returning
     * @return the body's result
     * @throws Exception what the body throws
     */
    public Integer run(final String name, final Callable<Integer> body) throws Exception {
        final CountDownLatch finished = new CountDownLatch(1);
        final Thread hook = new Thread(() -> {
            stop.set(true);
            try {
                finished.await(GRACE_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name);
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return body.call();
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down (the hook is running): nothing to remove
            }
        }
    }
}
