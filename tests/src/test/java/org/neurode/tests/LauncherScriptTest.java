package org.neurode.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12: the {@code neurode} script. The JVM prints "WARNING: Using incubator modules: jdk.incubator.vector"
 * on standard error for every command (the SIMD kernels need the module); the script drops exactly that line
 * and passes everything else through as it comes, keeps exit codes, progress bars on a terminal and signals.
 * The script runs here in a copy of the project root whose {@code examples/target/neurode.jar} is an
 * up-to-date jar that holds only a manifest (main class, class path of this test JVM), so it does not build.
 */
class LauncherScriptTest {

    private static final String WARNING = "WARNING: Using incubator modules";
    private static final long TIMEOUT_SECONDS = 120;

    @TempDir
    Path temp;

    /** A project root with the script and a jar that is newer than its only source file (a pom.xml). */
    private Path install() throws IOException {
        final Path source = Path.of(System.getProperty("basedir", "")).toAbsolutePath().getParent().resolve("neurode");
        assumeTrue(Files.isRegularFile(source), "the neurode script is not next to the tests module");
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")) || Files.isExecutable(Path.of("/usr/bin/bash")),
                "no bash");
        final Path root = Files.createDirectories(temp.resolve("root"));
        final Path script = Files.copy(source, root.resolve("neurode"));
        assertTrue(script.toFile().setExecutable(true));
        Files.setLastModifiedTime(Files.writeString(root.resolve("pom.xml"), "<project/>"), FileTime.fromMillis(0));
        final Path target = Files.createDirectories(root.resolve("examples").resolve("target"));
        final Manifest manifest = new Manifest();
        final Attributes a = manifest.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.put(Attributes.Name.MAIN_CLASS, "org.neurode.examples.Main");
        final List<String> entries = new ArrayList<>();
        for (final String e : ChildJvm.classPath()) {
            final Path p = Path.of(e).toAbsolutePath();
            // relative URLs, as the JDK expects in Class-Path; folders end with a slash
            final String rel = target.relativize(p).toString().replace(java.io.File.separatorChar, '/')
                    .replace(" ", "%20");
            entries.add(Files.isDirectory(p) ? rel + "/" : rel);
        }
        a.put(Attributes.Name.CLASS_PATH, String.join(" ", entries));
        try (OutputStream out = new JarOutputStream(Files.newOutputStream(target.resolve("neurode.jar")), manifest)) {
            out.flush();
        }
        return script;
    }

    /** Output and exit code of a finished process. */
    private record Result(int code, String out, String err) {
    }

    private Result run(final List<String> command) throws IOException, InterruptedException {
        final Path out = temp.resolve("out.txt");
        final Path err = temp.resolve("err.txt");
        final Process p = new ProcessBuilder(command).directory(temp.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE)
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        p.getOutputStream().close();
        assertTrue(p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), "did not finish: " + command);
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void issue12_scriptDropsOnlyTheIncubatorWarningAndKeepsExitCodes() throws IOException, InterruptedException {
        final Path script = install();
        // WHEN a command succeeds THEN its output is there and standard error is empty (the JVM did print the
        // warning: the module is loaded, the script passes --add-modules)
        final Result version = run(List.of(script.toString(), "--version"));
        assertEquals(0, version.code(), version.err());
        assertTrue(version.out().startsWith("neurode "), version.out());
        assertEquals("", version.err());
        // AND a usage error keeps exit code 2 and its one line (other lines pass through)
        final Result bad = run(List.of(script.toString(), "--bogus"));
        assertEquals(2, bad.code());
        assertEquals("neurode: error: Unknown option: '--bogus'; see 'neurode --help'\n", bad.err());
    }

    @Test
    void issue12_progressBarStillShowsOnATerminal() throws IOException, InterruptedException {
        final Path script = install();
        final Path scriptTool = Path.of("/usr/bin/script");
        assumeTrue(Files.isExecutable(scriptTool), "no script(1) to give the command a terminal");
        // GIVEN a pseudo-terminal (script(1)), where the progress bar is on by default
        final Result r = run(List.of(scriptTool.toString(), "-qec", script + " simulate --model lif --t-end 2000 --out "
                + temp.resolve("lif"), "/dev/null"));
        // THEN the bar is drawn (carriage returns redraw its line) and the warning is not shown
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("\rsimulate lif") && r.out().contains("100%"), r.out());
        assertFalse(r.out().contains(WARNING), r.out());
    }

    @Test
    void issue12_sigtermReachesTheJvmThroughTheScript() throws IOException, InterruptedException {
        final Path script = install();
        // GIVEN a long regression started by the script
        final Path folder = temp.resolve("long");
        final Path err = temp.resolve("long-err.txt");
        final Process p = new ProcessBuilder(script.toString(), "regression", "--patterns", "1000000", "--solver",
                "exponential-euler", "--dt", "0.5", "--held-out", "1", "--out", folder.toString(), "--no-progress")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile()).start();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (!Files.exists(folder.resolve("config.json"))) {
            assertTrue(p.isAlive() && System.nanoTime() < deadline, Files.readString(err));
            Thread.sleep(20);
        }
        // WHEN the script (not the JVM) gets SIGTERM
        p.destroy();
        assertTrue(p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        // THEN the JVM stops after its pattern, writes its files and says how to resume, and the exit code is the
        // JVM's (128 + 15)
        final String message = Files.readString(err, StandardCharsets.UTF_8);
        assertEquals(143, p.exitValue(), message);
        assertTrue(message.startsWith("neurode: note: stopped at pattern "), message);
        assertTrue(message.contains("--resume"), message);
        assertTrue(Files.readString(folder.resolve("results.json")).contains("INTERRUPTED"));
    }
}
