package org.neurode.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.neurode.examples.Main;

import picocli.CommandLine;

/** Runs the {@code neurode} command line in-process with captured output, for the command-line tests. */
final class Cli {

    private Cli() {
    }

    /**
     * Exit code and captured streams of one invocation.
     *
     * @param exitCode the exit code
     * @param out      standard output
     * @param err      standard error
     */
    record Run(int exitCode, String out, String err) {
    }

    /**
     * @param args the arguments after {@code neurode}
     * @return what the command returned and printed
     */
    static Run run(final String... args) {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        final int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /**
     * Runs {@code neurode run <settings> --no-progress --out <out>} and asserts it succeeded.
     *
     * @param settings a settings file or a results.json
     * @param out      the output folder
     * @return what the command printed
     */
    static Run rerun(final java.nio.file.Path settings, final java.nio.file.Path out) {
        final Run run = run("run", settings.toString(), "--no-progress", "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        return run;
    }

    /**
     * Asserts exit code 2 and one line {@code neurode: error: ...} with every fragment and no stack trace.
     *
     * @param run       the invocation
     * @param fragments texts the message must contain
     */
    static void assertOneLineError(final Run run, final String... fragments) {
        assertEquals(2, run.exitCode(), run.err());
        final String err = run.err().strip();
        assertTrue(err.startsWith("neurode: error: "), err);
        assertEquals(1, err.lines().count(), "a one-line message, no stack trace: " + err);
        for (final String f : fragments) {
            assertTrue(err.contains(f), "'" + f + "' missing in: " + err);
        }
    }

    /**
     * @param folder a folder
     * @return the names of the files in it, sorted
     * @throws IOException if it cannot be listed
     */
    static Set<String> fileNames(final Path folder) throws IOException {
        final Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.list(folder)) {
            files.forEach(f -> names.add(f.getFileName().toString()));
        }
        return names;
    }
    /**
     * @param base the arguments every run of a test shares
     * @param more the arguments of one run
     * @return both, {@code base} first
     */
    static String[] args(final String[] base, final String... more) {
        final String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }
}
