package org.neurode.examples;

import java.util.Locale;

/**
 * Refuses runs that cannot fit in this JVM's heap before anything is allocated: each command estimates the
 * memory its options ask for (state and work arrays, recorded samples, curves) and compares it with the heap
 * that is still free. The estimates are generous upper bounds of the large arrays, not exact counts; their
 * purpose is that {@code --n 1000000000} or {@code --record-every 1e-300} end with a one-line error naming the
 * option instead of a crash minutes later.
 *
 * @since 0.3
 */
public final class MemoryBudget {

    /** Share of the free heap a run may plan to use; the rest is left for the JVM, plots and output. */
    static final double USABLE_SHARE = 0.8;

    private MemoryBudget() {
    }

    /**
     * @param what  the options responsible, e.g. {@code "--n 1000000000"}
     * @param bytes estimated memory of the run (bytes; may be infinite)
     * @throws IllegalArgumentException naming {@code what}, the estimate and the heap if it does not fit
     */
    public static void require(final String what, final double bytes) {
        final Runtime rt = Runtime.getRuntime();
        final double free = rt.maxMemory() - (double) (rt.totalMemory() - rt.freeMemory());
        if (!(bytes <= USABLE_SHARE * free)) {
            final String need = Double.isFinite(bytes) && bytes <= 1e18 ? "about " + describe(bytes) : describe(bytes);
            throw new IllegalArgumentException(what + ": the run would need " + need
                    + " of memory, more than the " + describe(free) + " free in this Java VM; make it smaller or "
                    + "give the VM more memory (NEURODE_JAVA_OPTS=-Xmx16g)");
        }
    }

    /**
     * @param bytes a size in bytes
     * @return the size in B, KB, MB, GB or TB with three significant digits, e.g. {@code "12.3 GB"}
     */
    public static String describe(final double bytes) {
        if (!Double.isFinite(bytes) || bytes > 1e18) {
            return "more than 1,000,000 TB";
        }
        final String[] units = {"B", "KB", "MB", "GB", "TB", "PB"};
        double v = bytes;
        int u = 0;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, v >= 100 || u == 0 ? "%.0f %s" : "%.3g %s", v, units[u]);
    }
}
