package org.neurode.models.experiment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Waiting for the work the commands hand to their thread pools, with the task's own failure rethrown as it was
 * thrown (so that the command line reports it in one line, as if it had happened on the calling thread).
 *
 * @since 0.6
 */
public final class Futures {

    private Futures() {
    }

    /**
     * Waits for a task and returns its result.
     *
     * @param f   the task
     * @param <T> its result's type
     * @return its result
     * @throws RuntimeException     the task's own unchecked exception, unwrapped
     * @throws Error                the task's own error, unwrapped
     * @throws UncheckedIOException wrapping the task's {@code IOException}
     * @throws IllegalStateException wrapping any other checked exception of the task, or if the wait was interrupted
     *                              (the thread's interrupt flag is set again)
     */
    public static <T> T join(final Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            final Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            if (cause instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw new IllegalStateException(cause);
        }
    }
}
