package org.neurode.examples;

import picocli.CommandLine.Option;

/**
 * The {@code --[no-]progress} option shared by long-running commands (a picocli mixin): a progress bar on
 * standard error, by default only when the app runs on an interactive terminal.
 *
 * @since 0.1
 */
public final class ProgressOption {

    @Option(names = "--progress", negatable = true,
            description = "Show a progress bar on standard error (default: only on an interactive terminal).")
    private Boolean progress;

    /** @return true if a progress bar should be shown */
    public boolean enabled() {
        return progress != null ? progress : System.console() != null;
    }
}
