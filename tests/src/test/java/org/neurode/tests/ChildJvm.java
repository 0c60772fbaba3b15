package org.neurode.tests;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts the {@code neurode} command line in a child JVM, as the {@code neurode} script does (headless, with
 * the Vector API module), on the test class path: for tests that must see a fresh JVM (its JIT starts
 * anew) or must kill the process.
 */
final class ChildJvm {

    private ChildJvm() {
    }

    /** @return the class path of this test JVM as a list of entries */
    static List<String> classPath() {
        return List.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator));
    }

    /** @return the java launcher of this JVM */
    static Path java() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /**
     * Starts {@code neurode args...} with standard output and error appended to {@code log}.
     *
     * @param log  the file that receives the output of the process
     * @param args the command line
     * @return the process
     * @throws IOException if it cannot be started
     */
    static Process start(final Path log, final String... args) throws IOException {
        final List<String> command = new ArrayList<>(List.of(java().toString(), "-Djava.awt.headless=true",
                "--add-modules", "jdk.incubator.vector", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), "org.neurode.examples.Main"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }
}
