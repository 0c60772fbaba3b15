package org.neurode.examples;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;

import org.neurode.core.OdeException;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code neurode} command: {@code neurode solvers} lists the solvers, {@code neurode simulate} runs a
 * model and writes its results. Errors are reported on one line, {@code neurode: error: <message>}, with
 * exit code {@value #EXIT_USAGE} for bad input (unknown names, invalid numbers, unwritable output; every
 * {@link OdeException} and {@link IllegalArgumentException}) and {@value #EXIT_INTERNAL} for anything
 * unexpected.
 *
 * <p>Tests and other programs run it in-process through {@link #commandLine()} with their own output
 * writers; only {@link #main} exits the JVM.
 *
 * @since 0.1
 */
@Command(name = "neurode",
         mixinStandardHelpOptions = true,
         versionProvider = VersionProvider.class,
         description = "Continuous-time neuron models and ODE solvers on the JVM.",
         subcommands = {SolversCommand.class, SimulateCommand.class, RunCommand.class, SweepCommand.class,
                        org.neurode.examples.regression.RegressionCommand.class,
                       org.neurode.examples.credit.CompareLearningCommand.class,
                        org.neurode.examples.credit.SegregatedDendritesCommand.class,
                        org.neurode.examples.burst.MultiplexCommand.class,
                        org.neurode.examples.bench.BenchCommand.class,
                        org.neurode.examples.compare.CompareSolversCommand.class,
                        org.neurode.examples.ctnn.LtcSineCommand.class,
                        org.neurode.examples.ctnn.NodeSpiralCommand.class,
                        org.neurode.examples.ctnn.XorCommand.class,
                        org.neurode.examples.burst.BurstXorCommand.class,
                        ModelCommand.class,
                        CommandLine.HelpCommand.class},
         footer = {"", "Exit codes: 0 success, 1 unexpected error, 2 invalid input or output path, "
                       + "3 the solve failed (results are still written).",
                   "Run 'neurode <command> --help' for the options of a command."})
public final class Main implements Callable<Integer> {

    /** Exit code of a successful run. */
    public static final int EXIT_OK = 0;
    /** Exit code of an unexpected failure (a bug or an environment problem such as a full disk). */
    public static final int EXIT_INTERNAL = 1;
    /** Exit code of invalid input: options, names, numbers, output paths. */
    public static final int EXIT_USAGE = 2;
    /** Exit code of a solve that ended without success (its results are written). */
    public static final int EXIT_SOLVE_FAILED = 3;

    /** System property that adds the stack trace to an unexpected failure's one-line message. */
    public static final String DEBUG_PROPERTY = "neurode.debug";

    @Spec
    private CommandSpec spec;

    /**
     * Runs the app and exits the JVM with its exit code.
     *
     * @param args command-line arguments
     */
    public static void main(final String[] args) {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        System.exit(commandLine().execute(args));
    }

    /**
     * The configured command line: subcommands, one-line error reporting and exit codes. Set the output
     * writers with {@link CommandLine#setOut} and {@link CommandLine#setErr} before
     * {@link CommandLine#execute} to capture what it prints.
     *
     * @return a new command line
     */
    public static CommandLine commandLine() {
        final CommandLine cl = new CommandLine(new Main());
        cl.setParameterExceptionHandler(Main::handleParameterException);
        cl.setExecutionExceptionHandler(Main::handleExecutionException);
        cl.setExecutionStrategy(Main::executeGuarded);
        return cl;
    }

    /**
     * Without a subcommand: a one-line error naming the commands.
     *
     * @return {@value #EXIT_USAGE}
     */
    @Override
    public Integer call() {
        printError(spec.commandLine(), "missing command; one of " + String.join(", ",
                spec.commandLine().getSubcommands().keySet()) + "; see 'neurode --help'");
        return EXIT_USAGE;
    }

    /**
     * Prints {@code neurode: error: <message>} on the command's error stream.
     *
     * @param cl      the command line that failed
     * @param message the message
     */
    static void printError(final CommandLine cl, final String message) {
        final PrintWriter err = cl.getErr();
        err.println("neurode: error: " + oneLine(message));
        err.flush();
    }

    private static int handleParameterException(final CommandLine.ParameterException ex, final String[] args) {
        final CommandLine cl = ex.getCommandLine();
        String message = ex.getMessage();
        if (ex instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getSuggestions().isEmpty()) {
            message += " (did you mean " + String.join(" or ", unmatched.getSuggestions()) + "?)";
        }
        printError(cl, message + "; see 'neurode " + subcommandPath(cl) + "--help'");
        return EXIT_USAGE;
    }

    /**
     * Maps what a command throws to an exit code. Invalid input ({@link OdeException},
     * {@link IllegalArgumentException}: the commands validate options, files and sizes before any work) gives
     * {@value #EXIT_USAGE}; an I/O failure after the output was checked (a full disk) and anything else gives
     * {@value #EXIT_INTERNAL}. Either way one line, never a stack trace.
     */
    private static int handleExecutionException(final Exception ex, final CommandLine cl,
                                                final CommandLine.ParseResult parseResult) {
        if (ex instanceof OdeException || ex instanceof IllegalArgumentException) {
            printError(cl, ex.getMessage());
            return EXIT_USAGE;
        }
        if (ex instanceof UncheckedIOException) {
            printError(cl, ex.getMessage());
            return EXIT_INTERNAL;
        }
        printError(cl, "unexpected failure: " + (ex.getMessage() == null ? "no message" : ex.getMessage())
                       + "; please report it (NEURODE_JAVA_OPTS=-D" + DEBUG_PROPERTY
                       + "=true shows where it happened)");
        if (Boolean.getBoolean(DEBUG_PROPERTY)) {
            ex.printStackTrace(cl.getErr());
        }
        return EXIT_INTERNAL;
    }

    /**
     * Runs the chosen command and turns the errors that picocli lets through (they are not exceptions)
     * into one line: running out of memory means the run was too large for this JVM's heap (the commands
     * estimate their memory and refuse such runs first, so this is the fallback), exit code
     * {@value #EXIT_USAGE}; other errors exit with {@value #EXIT_INTERNAL}.
     */
    private static int executeGuarded(final CommandLine.ParseResult parsed) {
        final CommandLine cl = parsed.commandSpec().commandLine();
        try {
            return new CommandLine.RunLast().execute(parsed);
        } catch (OutOfMemoryError e) {
            final CommandLine last = lastCommand(parsed);
            printError(last, "out of memory: the run needs more than the " + MemoryBudget.describe(
                    Runtime.getRuntime().maxMemory()) + " this Java VM may use; make it smaller or give the VM "
                    + "more memory (NEURODE_JAVA_OPTS=-Xmx16g)");
            return EXIT_USAGE;
        } catch (StackOverflowError e) {
            printError(lastCommand(parsed), "unexpected failure (stack overflow); please report it");
            return EXIT_INTERNAL;
        } finally {
            cl.getErr().flush();
        }
    }

    private static CommandLine lastCommand(final CommandLine.ParseResult parsed) {
        CommandLine.ParseResult p = parsed;
        while (p.hasSubcommand()) {
            p = p.subcommand();
        }
        return p.commandSpec().commandLine();
    }

    private static String subcommandPath(final CommandLine cl) {
        final StringBuilder path = new StringBuilder();
        for (CommandLine c = cl; c.getParent() != null; c = c.getParent()) {
            path.insert(0, c.getCommandName() + " ");
        }
        return path.toString();
    }

    private static String oneLine(final String message) {
        return message == null ? "(no message)" : message.strip().replaceAll("\\s*\\R\\s*", "; ");
    }
}
