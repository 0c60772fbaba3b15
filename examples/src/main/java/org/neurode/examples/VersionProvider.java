package org.neurode.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

import picocli.CommandLine;

/**
 * Supplies {@code neurode --version}: the project version (filtered into {@code neurode.properties} by
 * Maven) and the Java runtime.
 *
 * @since 0.1
 */
public final class VersionProvider implements CommandLine.IVersionProvider {

    private static final String RESOURCE = "neurode.properties";

    /**
     * @return the project version, e.g. {@code 0.1.0-SNAPSHOT}, or {@code unknown} when running from
     *         classes that Maven did not process
     */
    public static String version() {
        final Properties p = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return "unknown";
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the version resource " + RESOURCE, e);
        }
        final String v = p.getProperty("version", "unknown");
        return v.startsWith("${") ? "unknown" : v;
    }

    /** @return two lines: {@code neurode <version>} and the Java runtime */
    @Override
    public String[] getVersion() {
        return new String[] {
            "neurode " + version(),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ", "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ")",
        };
    }
}
